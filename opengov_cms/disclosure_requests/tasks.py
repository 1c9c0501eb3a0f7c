"""Background jobs of disclosure on request: notifications and the daily deadline run."""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from opengov_cms.conf import opengov_settings
from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar
from opengov_cms.tasks import task

logger = logging.getLogger(__name__)


@task(name="opengov_cms.requests.notify_applicant")
def notify_applicant(request_id, action):
    from opengov_cms.disclosure_requests import notifications
    from opengov_cms.disclosure_requests.models import DisclosureRequest

    request = DisclosureRequest.objects.filter(pk=request_id).first()
    if request is not None:
        notifications.send_applicant_notice(request, action)


@task(name="opengov_cms.requests.notify_handler")
def notify_handler(request_id):
    from opengov_cms.disclosure_requests import notifications
    from opengov_cms.disclosure_requests.models import DisclosureRequest

    request = DisclosureRequest.objects.select_related("handler").filter(pk=request_id).first()
    if request is not None:
        notifications.send_handler_assignment(request)


@task(name="opengov_cms.requests.refresh_due_dates")
def refresh_due_dates():
    """Due dates left pending for want of a year's holiday schedule, now that it is known."""
    from opengov_cms.disclosure_requests.workflow import refresh_due_dates as refresh

    return refresh()


@task(name="opengov_cms.requests.send_reminders")
def send_reminders(today=None):
    """Remind handlers and the office of requests due soon or overdue, once a day each.

    Runs as often as the schedule says; the ReminderSent constraint makes a second run on
    the same day send nothing. Returns the number of requests reminded about.
    """
    from opengov_cms.disclosure_requests.models import DisclosureRequest, ReminderSent

    today = date.fromisoformat(today) if isinstance(today, str) else today
    today = today or timezone.localdate()
    from opengov_cms.disclosure_requests.workflow import refresh_due_dates

    refresh_due_dates()
    calendar = WorkingDayCalendar()
    try:
        horizon = calendar.add_working_days(today, opengov_settings.REQUESTS_DUE_SOON_DAYS)
    except CalendarYearUnknown as exc:
        logger.error("Deadline reminders cannot run: no holiday schedule for %s", exc.year)
        horizon = today
    due = (
        DisclosureRequest.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon)
        .select_related("handler")
        .order_by("due_date")
    )
    by_recipient = defaultdict(list)
    reminded = 0
    for request in due:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(request=request, sent_on=today)
        except IntegrityError:
            continue
        reminded += 1
        recipients = list(opengov_settings.REQUESTS_OFFICE_EMAILS)
        if request.handler and request.handler.email:
            recipients.append(request.handler.email)
        for address in dict.fromkeys(recipients):
            by_recipient[address].append(request)
    for address, requests in by_recipient.items():
        body = render_to_string(
            "opengov_requests/email/reminder.txt", {"requests": requests, "today": today}
        )
        send_mail(
            _("政府信息公开申请期限提醒（%(count)d件）") % {"count": len(requests)},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
    return reminded


@task(name="opengov_cms.requests.close_lapsed")
def close_lapsed(today=None):
    """Close requests whose applicant let the correction period (逾期不补正, Art. 30) or the
    fee period (逾期未缴费) pass, on the first day after it. A request that has its
    correction or payment recorded in time is left alone; running it twice closes nothing
    twice. Returns the number of requests closed."""
    from opengov_cms.disclosure_requests.choices import State
    from opengov_cms.disclosure_requests.models import DisclosureRequest
    from opengov_cms.disclosure_requests.workflow import TransitionError, perform

    today = date.fromisoformat(today) if isinstance(today, str) else today
    today = today or timezone.localdate()
    actions = {
        State.CORRECTION_REQUESTED: "close_no_correction",
        State.AWAITING_FEE: "close_fee_unpaid",
    }
    closed = 0
    lapsed = DisclosureRequest.objects.filter(
        state__in=list(actions), pending_until__isnull=False, pending_until__lt=today
    )
    for request in lapsed.iterator():
        try:
            with transaction.atomic():
                perform(request, actions[request.state], on=today)
        except (TransitionError, CalendarYearUnknown) as exc:
            logger.error("Request %s was not closed: %s", request.pk, type(exc).__name__)
        else:
            closed += 1
    return closed
