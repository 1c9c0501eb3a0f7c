"""Background jobs of the public's messages: emails, and the hourly deadline run."""

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


@task(name="opengov_cms.interaction.notify_sender")
def notify_sender(message_id, action):
    from opengov_cms.interaction import notifications
    from opengov_cms.interaction.models import Message

    message = Message.objects.select_related("merged_into").filter(pk=message_id).first()
    if message is not None:
        notifications.send_sender_notice(message, action)


@task(name="opengov_cms.interaction.notify_handler")
def notify_handler(message_id):
    from opengov_cms.interaction import notifications
    from opengov_cms.interaction.models import Message

    message = Message.objects.select_related("handler").filter(pk=message_id).first()
    if message is not None:
        notifications.send_handler_assignment(message)


@task(name="opengov_cms.interaction.refresh_due_dates")
def refresh_due_dates():
    """Due dates left pending for want of a year's holiday schedule, now that it is known."""
    from opengov_cms.interaction.workflow import refresh_due_dates as refresh

    return refresh()


@task(name="opengov_cms.interaction.send_reminders")
def send_reminders(today=None):
    """Remind handlers and the office of messages due soon or overdue, once a day each.

    Runs hourly (the package's beat schedule) so a scheduler that was down still reminds the
    same day; the MessageReminderSent constraint makes a second run on the same day send
    nothing. Due dates left pending are computed first. Returns the number of messages
    reminded about."""
    from opengov_cms.interaction.models import Message, MessageReminderSent
    from opengov_cms.interaction.workflow import refresh_due_dates as refresh

    today = date.fromisoformat(today) if isinstance(today, str) else today
    today = today or timezone.localdate()
    refresh(today)
    try:
        horizon = WorkingDayCalendar().add_working_days(
            today, opengov_settings.INTERACTION_DUE_SOON_DAYS
        )
    except CalendarYearUnknown as exc:
        logger.error(
            "Message reminders look no further than today: no holiday schedule for %s", exc.year
        )
        horizon = today
    due = (
        Message.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon)
        .select_related("handler", "organisation")
        .order_by("due_date", "pk")
    )
    by_recipient = defaultdict(list)
    reminded = 0
    for message in due:
        try:
            with transaction.atomic():
                MessageReminderSent.objects.create(message=message, sent_on=today)
        except IntegrityError:
            continue
        reminded += 1
        recipients = list(opengov_settings.INTERACTION_OFFICE_EMAILS)
        if message.handler and message.handler.email:
            recipients.append(message.handler.email)
        for address in dict.fromkeys(recipients):
            by_recipient[address].append(message)
    for address, messages in by_recipient.items():
        body = render_to_string(
            "opengov_interaction/email/reminder.txt", {"messages": messages, "today": today}
        )
        send_mail(
            _("网民留言答复期限提醒（%(count)d件）") % {"count": len(messages)},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
    return reminded
