"""Compute the due dates left pending once a holiday schedule is entered on the site."""

from opengov_cms.core.calendar import WorkingDayCalendar, schedule_changed
from opengov_cms.tasks import enqueue


def holiday_schedule_changed(sender, **kwargs):
    # Sent once the transaction that saved the schedule has committed.
    from opengov_cms.disclosure_requests import tasks

    enqueue(tasks.refresh_due_dates)


def connect():
    schedule_changed.connect(
        holiday_schedule_changed, sender=WorkingDayCalendar, dispatch_uid="og_requests_schedule"
    )
