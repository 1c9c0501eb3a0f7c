"""Build or rebuild a quarterly or annual report by hand; --dry-run prints its tables."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opengov_cms.reports import publishing
from opengov_cms.reports.statistics import Period, check_rule_failures, compute
from opengov_cms.reports.tables import quarterly_caption, report_tables

KINDS = ("quarterly", "annual", "due")


class Command(BaseCommand):
    help = (
        "Build the quarterly request results (opengov_report quarterly 2026Q3) or the annual "
        "report (opengov_report annual 2026) of every organisation with a catalogue, or of "
        "--organisation. A report that exists is counted again: a live one is republished "
        "with the new figures, a draft gets a new revision. --dry-run prints the tables. "
        "opengov_report due does what the scheduled jobs do (for sites that run it from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS, help="quarterly, annual or due")
        parser.add_argument(
            "period", nargs="?", help="2026Q3 for a quarter, 2026 for a year (not with due)"
        )
        parser.add_argument(
            "--organisation", help="Only this organisation (its exact name, as in 机构)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the tables; write nothing."
        )

    def handle(self, *args, kind, period=None, organisation=None, dry_run=False, **options):
        if kind == "due":
            if period or organisation or dry_run:
                raise CommandError("opengov_report due takes no period and no options.")
            return self.make_due()
        if not period:
            raise CommandError(f"opengov_report {kind} needs a period, e.g. 2026Q3 or 2026.")
        try:
            period = Period.parse(period, annual=kind == "annual")
        except ValueError as error:
            raise CommandError(str(error)) from None
        today = timezone.localdate()
        if period.end >= today and not dry_run:
            raise CommandError(
                f"{period} has not ended yet (it ends on {period.end:%Y-%m-%d}); "
                "use --dry-run to see the figures so far."
            )
        roots = publishing.catalogue_roots()
        organisations = self.organisations(organisation, roots, dry_run)
        for org in organisations:
            if dry_run:
                self.print_tables(org, period)
                continue
            found = publishing.existing_report(org, period)
            if found is not None:
                page = publishing.rebuild_report(found)
                state = "republished" if page.live else "updated (draft)"
            else:
                page, _created = publishing.make_report(
                    org, period, root=roots[org.pk], today=today
                )
                state = "published" if page.live else "created"
                if page.current_workflow_state is not None:
                    state = "submitted for review"
            self.stdout.write(f"{period} {org.name}: {state} {page.url_path} (page {page.pk})")

    def make_due(self):
        quarterly = publishing.make_due_quarterly_reports()
        annual = publishing.make_due_annual_reports()
        for page in [*quarterly, *annual]:
            self.stdout.write(f"made {page.url_path} (page {page.pk})")
        self.stdout.write(f"{len(quarterly)} quarterly and {len(annual)} annual reports made.")

    def organisations(self, name, roots, dry_run):
        from opengov_cms.core.models import Organisation

        if name:
            org = Organisation.objects.filter(name=name).first()
            if org is None:
                raise CommandError(
                    f"--organisation: no organisation named {name!r} (use its exact name "
                    "as listed under 政务公开 → 机构)."
                )
            if org.pk not in roots and not dry_run:
                raise CommandError(
                    f"--organisation: {name!r} has no catalogue to file its reports in; "
                    f'create one with: manage.py opengov_setup --organisation "{name}"'
                )
            return [org]
        if not roots:
            raise CommandError(
                "No organisation has a catalogue; create one with manage.py opengov_setup "
                "--organisation NAME, or name one with --organisation."
            )
        return [root.organisation for root in roots.values()]

    def print_tables(self, organisation, period):
        data = compute(organisation, period)
        caption = None if period.is_annual else quarterly_caption(period)
        self.stdout.write(f"== {organisation.name} {period} (dry run, nothing written)")
        for table in report_tables(data, caption=caption):
            self.stdout.write("")
            self.stdout.write(str(table.caption))
            rows, _merges = table.grid()
            for row in rows:
                self.stdout.write(" | ".join(str(cell) for cell in row).rstrip(" |"))
        failures = check_rule_failures(data["requests"])
        verdict = "fails in columns " + ", ".join(failures) if failures else "holds"
        self.stdout.write("")
        self.stdout.write(f"check rule (new + carried over = handled + carried forward): {verdict}")
