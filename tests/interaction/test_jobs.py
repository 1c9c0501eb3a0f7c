"""The hourly reminder job: messages due soon or overdue, once a day to their handler and the
office, and in the package's beat schedule."""

from datetime import date

import pytest
from django.core import mail
from django.test import override_settings

from opengov_cms.interaction.tasks import send_reminders
from opengov_cms.interaction.workflow import perform
from opengov_cms.schedule import BEAT_SCHEDULE
from tests.interaction.factories import MessageFactory, reply_to

pytestmark = pytest.mark.django_db


@override_settings(OPENGOV_CMS_INTERACTION_OFFICE_EMAILS=["office@example.gov.cn"])
def test_due_soon_and_overdue_are_reminded_once_a_day(units, handler, reviewer):
    # Consultations received on 2 March (due 9 March, overdue on the 18th), 13 March (due 20
    # March: within 2 working days of Wednesday 18 March) and 17 March (due 24 March).
    overdue = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    soon = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 13))
    later = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 17))
    perform(overdue, "assign", handler=handler)
    answered = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    reply_to(answered, handler, reviewer, date(2026, 3, 5))

    assert send_reminders("2026-03-18") == 2
    digests = {tuple(m.to): m for m in mail.outbox if "提醒" in m.subject}
    office = digests[("office@example.gov.cn",)]
    assert "（2件）" in office.subject
    assert overdue.tracking_number in office.body and "已逾期" in office.body
    assert soon.tracking_number in office.body
    assert later.tracking_number not in office.body
    assert answered.tracking_number not in office.body
    mine = digests[(handler.email,)]
    assert overdue.tracking_number in mine.body and soon.tracking_number not in mine.body

    sent = len(mail.outbox)
    assert send_reminders("2026-03-18") == 0  # the same day: nothing again
    assert len(mail.outbox) == sent
    assert send_reminders("2026-03-19") == 2


def test_the_job_is_in_the_beat_schedule_and_names_a_task():
    from celery import current_app

    import opengov_cms.interaction.tasks  # noqa: F401

    entry = BEAT_SCHEDULE["opengov_cms.interaction.send_reminders"]
    assert entry["task"] in current_app.tasks
    assert entry["schedule"].total_seconds() == 3600
