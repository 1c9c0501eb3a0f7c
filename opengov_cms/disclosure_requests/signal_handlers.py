"""Recompute missing due dates when a holiday schedule is entered on the site."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def holiday_data_changed(sender, **kwargs):
    from opengov_cms.disclosure_requests.workflow import refresh_due_dates

    # After commit: the schedule's days are saved after the schedule itself.
    transaction.on_commit(refresh_due_dates)


def connect():
    from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay

    for model in (HolidayCalendar, HolidayCalendarDay):
        post_save.connect(holiday_data_changed, sender=model, dispatch_uid=f"og_req_{model}")
        post_delete.connect(holiday_data_changed, sender=model, dispatch_uid=f"og_req_d_{model}")
