"""Compare the number of documents in the search index with the searchable pages."""

from django.core.management.base import BaseCommand, CommandError

from opengov_cms.search import indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable


class Command(BaseCommand):
    help = "Report whether the search index holds as many documents as there are searchable pages."

    def handle(self, *args, **options):
        backend = get_search_backend()
        expected = sum(1 for _ in indexing.documents(indexing.searchable_pages().iterator()))
        try:
            indexed = backend.count()
        except SearchUnavailable as error:
            raise CommandError(f"search is unavailable: {error}") from error
        self.stdout.write(f"searchable pages: {expected}")
        self.stdout.write(f"indexed documents ({backend.name}): {indexed}")
        if indexed != expected:
            raise CommandError(
                f"the index differs from the pages by {indexed - expected:+d}; "
                "run manage.py opengov_search_rebuild"
            )
        self.stdout.write(self.style.SUCCESS("The search index is complete."))
