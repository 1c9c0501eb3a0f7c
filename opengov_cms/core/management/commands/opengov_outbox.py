"""Show or run the jobs waiting in the outbox (for sites without Celery beat, or by hand
after an outage)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from opengov_cms.core.models import OutboxMessage
from opengov_cms.tasks import SWEEP_AFTER, deliver_pending


class Command(BaseCommand):
    help = (
        "Run the background jobs left in the outbox (a broker that was down, a job that failed); "
        "with --list, only show them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="show the waiting jobs, run none")
        parser.add_argument(
            "--limit", type=int, default=10000, help="run at most this many (default 10000)"
        )

    def handle(self, *args, **options):
        if options["list"]:
            waiting = OutboxMessage.objects.order_by("pk")
            for message in waiting[:200]:
                self.stdout.write(
                    f"{message.pk}\t{message.task}\t{message.created_at:%Y-%m-%d %H:%M:%S}\t"
                    f"{message.attempts}\t{message.last_error}"
                )
            self.stdout.write(f"{waiting.count()} waiting")
            return
        if options["limit"] < 1:
            self.stderr.write("--limit must be 1 or more")
            return
        ran = deliver_pending(limit=options["limit"], now=timezone.now() + SWEEP_AFTER)
        self.stdout.write(f"ran {ran}; {OutboxMessage.objects.count()} still waiting")
