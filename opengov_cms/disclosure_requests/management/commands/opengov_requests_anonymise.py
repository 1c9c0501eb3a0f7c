"""Remove the personal data of requests archived longer ago than the retention setting."""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from opengov_cms.conf import opengov_settings
from opengov_cms.disclosure_requests.choices import State
from opengov_cms.disclosure_requests.models import DisclosureRequest


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


class Command(BaseCommand):
    help = (
        "Remove applicants' personal data from requests archived more than "
        "OPENGOV_CMS_REQUESTS_ANONYMISE_AFTER_YEARS years ago; states, dates and outcomes, "
        "which the statistics count, stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the requests.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = years_before(timezone.localdate(), opengov_settings.REQUESTS_ANONYMISE_AFTER_YEARS)
        due = DisclosureRequest.objects.filter(
            state=State.ARCHIVED, archived_on__lt=cutoff, anonymised_at__isnull=True
        )
        count = 0
        for pk in due.values_list("pk", flat=True):
            count += 1
            if dry_run:
                continue
            with transaction.atomic():
                request = DisclosureRequest.objects.select_for_update().get(pk=pk)
                request.anonymise()
                request.save()
        if options["verbosity"]:
            verb = "Would anonymise" if dry_run else "Anonymised"
            self.stdout.write(f"{verb} {count} requests archived before {cutoff}.")
