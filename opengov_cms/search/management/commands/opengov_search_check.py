"""Compare the search indexes with the pages, per page type, from counts alone."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from opengov_cms.search import admin_index, indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable
from opengov_cms.search.models import PendingSearchUpdate


class Command(BaseCommand):
    help = (
        "Report whether the search index holds a document for every searchable page, per page "
        "type, and the editors' index an entry for every page."
    )

    def handle(self, *args, **options):
        backend = get_search_backend()
        # Counted in the database and by the index (a facet), never by reading ids.
        expected = indexing.expected_counts()
        try:
            results = backend.search("", facets=["content_type"], per_page=1)
            # An engine counts hits exactly only up to 10,000; its count API has no limit.
            total = backend.count()
            stale = backend.stale_count()
        except SearchUnavailable as error:
            raise CommandError(f"search is unavailable: {error}") from error
        indexed = dict(results.facets.get("content_type", []))
        problems = []
        for label in sorted(set(expected) | set(indexed)):
            pages, documents = expected.get(label, 0), indexed.get(label, 0)
            line = f"{label}: {pages} pages, {documents} documents"
            if pages != documents:
                line += f" ({documents - pages:+d})"
                problems.append(label)
            self.stdout.write(line)
        total_expected = sum(expected.values())
        self.stdout.write(f"searchable pages: {total_expected}")
        self.stdout.write(f"indexed documents ({backend.name}): {total}")
        if total != total_expected and not problems:
            problems.append("documents of no known page type")
        if stale:
            self.stdout.write(f"documents indexed before this version's fields: {stale}")
            problems.append(f"{stale} documents indexed by an earlier version")
        pending = PendingSearchUpdate.objects.count()
        if pending:
            self.stdout.write(f"changes waiting for the search backend: {pending}")
            problems.append(f"{pending} changes waiting")
        if admin_index.supported():
            pages = Page.objects.count()
            entries = admin_index.count()
            self.stdout.write(f"editors' index: {pages} pages, {entries} entries")
            if entries != pages:
                problems.append(f"editors' index ({entries - pages:+d})")
        if problems:
            raise CommandError(
                f"the indexes differ from the pages by {total - total_expected:+d} "
                f"documents ({', '.join(problems)}); run manage.py opengov_search_rebuild, "
                "or let the sync job apply the waiting changes"
            )
        self.stdout.write(self.style.SUCCESS("The search indexes are complete."))
