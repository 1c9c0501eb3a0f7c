"""Rebuild the search index from the site's searchable pages, without downtime."""

from django.core.management.base import BaseCommand, CommandError

from opengov_cms.search import indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable


class Command(BaseCommand):
    help = (
        "Rebuild the search index: a new index and an alias swap on the engine, one "
        "transaction on the database. Searches keep answering from the old index meanwhile."
    )

    def handle(self, *args, **options):
        backend = get_search_backend()
        pages = indexing.searchable_pages()
        total = pages.count()
        width = 30

        seen = 0

        def documents():
            nonlocal seen
            for page in pages.iterator(chunk_size=500):
                seen += 1
                document = indexing.search_document(page)
                if document is not None:
                    yield document

        def progress(done):
            # Counted in pages read, which the total is known in advance for.
            filled = width * seen // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r[{bar}] {seen}/{total} pages", ending="")
            self.stdout.flush()

        try:
            done = backend.rebuild(documents(), progress)
        except SearchUnavailable as error:
            raise CommandError(
                f"search is unavailable; the old index is unchanged: {error}"
            ) from error
        if total:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {done} documents with the {backend.name} backend.")
        )
