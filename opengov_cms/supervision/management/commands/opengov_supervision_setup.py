"""Make the groups of supervision and load the standard catalogues the package ships."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opengov_cms.supervision.setup import OFFICE_GROUP, UNIT_GROUP, ensure_groups
from opengov_cms.supervision.standards import FixtureError, load_fixture, shipped_fixtures


class Command(BaseCommand):
    help = (
        f"Make the groups {OFFICE_GROUP} and {UNIT_GROUP} with their permissions, and load "
        "(or update) the standard catalogues shipped in opengov_cms/supervision/data/standards. "
        "Running it again changes nothing that is already there."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_groups()
        self.stdout.write(f"groups: {OFFICE_GROUP}, {UNIT_GROUP}")
        for path in shipped_fixtures():
            try:
                catalogue, created = load_fixture(path.read_bytes())
            except FixtureError as error:  # a shipped file is checked by the tests
                raise CommandError(f"{path.name}: {error}") from None
            action = "loaded" if created else "updated"
            self.stdout.write(f"standard catalogue {catalogue.code}: {action}")
