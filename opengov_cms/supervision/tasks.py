"""Background jobs of supervision: submissions made overdue, and reminders to the units.

Both run hourly (opengov_cms.schedule) and work out from the date what is due, so a
scheduler that was down catches up at its next run. Each reminder and overdue notice is
recorded in the transaction that sends it, under a constraint that allows one per
submission (or entry) and kind: a second run, or two at once, sends nothing twice, and a
mail server that refuses leaves nothing recorded, for the next run to try again.
"""

import logging
from datetime import date, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from opengov_cms.conf import opengov_settings
from opengov_cms.tasks import task

logger = logging.getLogger(__name__)

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 8,
    "ignore_result": True,
}

#: An overdue notice goes out for what fell due within this many days: a plan entered late
#: in the year (or a past year's, for the record) does not send a notice for every period
#: that was over long before.
OVERDUE_NOTICE_WINDOW = timedelta(days=30)


def as_date(today):
    return date.fromisoformat(today) if isinstance(today, str) else today


@task(name="opengov_cms.supervision.update_submissions", **RETRYING)
def update_submissions(today=None):
    """Make the waiting submissions of this year's and last year's plans (a task changed
    outside the admin is caught up here), and mark those past their due date 逾期未报.
    Returns the number marked."""
    from opengov_cms.supervision.models import DisclosurePlan
    from opengov_cms.supervision.workflow import mark_overdue, sync_plan

    today = as_date(today) or timezone.localdate()
    for plan in DisclosurePlan.objects.filter(year__gte=today.year - 1, year__lte=today.year):
        with transaction.atomic():
            sync_plan(plan, today)
    return len(mark_overdue(today))


@task(name="opengov_cms.supervision.send_reminders", **RETRYING)
def send_reminders(today=None):
    """Remind units of submissions and rectification entries due within
    OPENGOV_CMS_SUPERVISION_REMINDER_DAYS days, and tell them (and their office) once when
    one is overdue. Returns the number of reminders and notices sent."""
    from opengov_cms.supervision import notifications
    from opengov_cms.supervision.choices import AWAITING, RectificationState
    from opengov_cms.supervision.models import Rectification, ReminderSent, Submission

    today = as_date(today) or timezone.localdate()
    horizon = today + timedelta(days=opengov_settings.SUPERVISION_REMINDER_DAYS)
    window = today - OVERDUE_NOTICE_WINDOW
    submissions = Submission.objects.select_related("task__plan", "unit").filter(
        state__in=AWAITING, due_date__isnull=False
    )
    entries = Rectification.objects.select_related("unit", "organisation").exclude(
        state=RectificationState.CLOSED
    )
    work = [
        (ReminderSent.DUE_SOON, "submission", s)
        for s in submissions.filter(due_date__gte=today, due_date__lte=horizon)
    ]
    work += [
        (ReminderSent.OVERDUE, "submission", s)
        for s in submissions.filter(due_date__lt=today, due_date__gte=window)
    ]
    work += [
        (ReminderSent.DUE_SOON, "rectification", e)
        for e in entries.filter(
            state=RectificationState.OPEN, deadline__gte=today, deadline__lte=horizon
        )
    ]
    work += [
        (ReminderSent.OVERDUE, "rectification", e)
        for e in entries.filter(deadline__lt=today, deadline__gte=window)
    ]
    sent = 0
    for kind, field, obj in work:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(kind=kind, sent_on=today, **{field: obj})
                notifications.remind(kind, obj, today)
        except IntegrityError:
            continue  # already sent
        except notifications.NotSent as exc:
            logger.error("Supervision reminder not sent (%s %s): %s", field, obj.pk, exc)
            continue
        sent += 1
    return sent
