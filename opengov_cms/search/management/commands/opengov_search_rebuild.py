"""Rebuild the search indexes from the site's pages, without downtime."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from opengov_cms.search import admin_index, indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rebuild the public search index (a new index and an alias swap on the engine, one "
        "transaction on the database) and the editors' index behind the admin's page search. "
        "Searches keep answering from the old indexes meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=["public", "admin"],
            help="Rebuild only the public index or only the editors' (admin) index.",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=indexing.CHUNK_SIZE,
            help=f"Pages read per query (default {indexing.CHUNK_SIZE}).",
        )

    def handle(self, *args, only=None, chunk_size=indexing.CHUNK_SIZE, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        if only != "admin":
            self.rebuild_public(chunk_size)
        if only != "public":
            self.rebuild_admin(chunk_size)

    def bar(self, label, done, total):
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r{label} [{bar}] {done}/{total} pages", ending="")
        self.stdout.flush()

    def rebuild_public(self, chunk_size):
        backend = get_search_backend()
        # Counted in SQL per page type; the pages themselves are read a chunk at a time.
        total = sum(indexing.expected_counts().values())
        read = 0

        def documents():
            nonlocal read
            for pages_read, chunk in indexing.iter_document_chunks(chunk_size):
                yield from chunk
                read += pages_read
                self.bar("public", read, total)

        try:
            done = backend.rebuild(documents())
        except SearchUnavailable as error:
            raise CommandError(
                f"search is unavailable; the old index is unchanged: {error}"
            ) from error
        if read:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {done} documents with the {backend.name} backend.")
        )

    def rebuild_admin(self, chunk_size):
        if not admin_index.supported():
            self.stdout.write(
                "The editors' index needs SQLite or PostgreSQL; the admin's page search uses "
                "Wagtail's own backend on this database."
            )
            return
        total = Page.objects.count()
        done = admin_index.rebuild(chunk_size, lambda read: self.bar("admin", read, total))
        if total:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Indexed {done} pages for the admin's page search."))
