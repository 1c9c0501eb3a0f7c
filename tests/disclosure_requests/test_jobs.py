from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from opengov_cms.disclosure_requests.checks import (
    check_encryption_keys,
    check_encryption_keys_set,
    check_tracking_number_pattern,
)
from opengov_cms.disclosure_requests.choices import DocumentKind, State
from opengov_cms.disclosure_requests.models import DisclosureRequest, ReminderSent, RequestDocument
from opengov_cms.disclosure_requests.tasks import send_reminders
from opengov_cms.disclosure_requests.workflow import perform
from opengov_cms.schedule import BEAT_SCHEDULE
from tests.disclosure_requests.factories import DisclosureRequestFactory

pytestmark = pytest.mark.django_db


@override_settings(OPENGOV_CMS_REQUESTS_OFFICE_EMAILS=["office@example.gov.cn"])
def test_reminders_go_out_once_a_day(django_user_model):
    handler = django_user_model.objects.create_user("h", email="h@example.gov.cn")
    due_soon = DisclosureRequestFactory(received_on=date(2024, 9, 27))  # due 30 Oct
    DisclosureRequest.objects.filter(pk=due_soon.pk).update(handler=handler)
    later = DisclosureRequestFactory(received_on=date(2024, 10, 28))
    done = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(done, "withdraw", on=date(2024, 9, 30))

    assert send_reminders(date(2024, 10, 24)) == 1
    assert send_reminders("2024-10-24") == 0  # the second run of the day sends nothing
    assert sorted(m.to[0] for m in mail.outbox) == ["h@example.gov.cn", "office@example.gov.cn"]
    assert due_soon.tracking_number in mail.outbox[0].body
    assert later.tracking_number not in mail.outbox[0].body
    assert "张三" not in mail.outbox[0].body
    assert send_reminders(date(2024, 10, 31)) == 1  # overdue, next day: reminded again
    assert ReminderSent.objects.count() == 2


def test_the_reminder_job_is_scheduled():
    entry = BEAT_SCHEDULE["opengov_cms.requests.send_reminders"]
    assert entry["task"] == send_reminders.name


@pytest.mark.now("2026-01-15")  # archived more than a year before
@override_settings(OPENGOV_CMS_REQUESTS_ANONYMISE_AFTER_YEARS=1)
def test_anonymise_removes_personal_data_and_keeps_the_statistics():
    old = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    RequestDocument.objects.create(
        request=old,
        kind=DocumentKind.APPLICATION,
        original_name="张三丰身份证.pdf",
        content_type="application/pdf",
        file=SimpleUploadedFile("a.pdf", b"%PDF-"),
    )
    perform(old, "reply", on=date(2024, 10, 10), outcome="disclosed")
    perform(old, "archive", on=date(2024, 10, 11))
    recent = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    call_command("opengov_requests_anonymise", "--dry-run", verbosity=0)
    assert DisclosureRequest.objects.get(pk=old.pk).applicant_name == "张三丰"
    call_command("opengov_requests_anonymise", verbosity=0)
    old = DisclosureRequest.objects.get(pk=old.pk)
    assert old.anonymised_at is not None
    assert (old.applicant_name, old.id_number, old.phone, old.email, old.address) == ("",) * 5
    assert (old.state, old.outcome, old.applicant_type) == (
        State.ARCHIVED,
        "disclosed",
        "natural_person",
    )
    assert not old.documents.filter(kind=DocumentKind.APPLICATION).exists()
    assert DisclosureRequest.objects.get(pk=recent.pk).applicant_name == "张三丰"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_name FROM opengov_requests_disclosurerequest WHERE id=%s", [old.pk]
        )
        assert cursor.fetchone()[0] == ""


def test_checks(settings):
    assert check_encryption_keys() == []
    assert [e.id for e in check_encryption_keys_set()] == ["opengov_cms.W101"]
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = ["not-a-key"]
    assert [e.id for e in check_encryption_keys()] == ["opengov_cms.E101"]
    assert check_tracking_number_pattern() == []
    settings.OPENGOV_CMS_REQUESTS_TRACKING_NUMBER_PATTERN = "{org_code}-{year}"
    assert [e.id for e in check_tracking_number_pattern()] == ["opengov_cms.E102"]
    settings.OPENGOV_CMS_REQUESTS_TRACKING_NUMBER_PATTERN = "{unknown}-{seq}"
    assert [e.id for e in check_tracking_number_pattern()] == ["opengov_cms.E102"]


def test_lapsed_correction_and_fee_periods_close_the_request_once():
    from opengov_cms.disclosure_requests.choices import Outcome, State
    from opengov_cms.disclosure_requests.tasks import close_lapsed

    uncorrected = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(uncorrected, "request_correction", on=date(2024, 10, 9))  # until 29 Oct
    corrected = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(corrected, "request_correction", on=date(2024, 10, 9))
    perform(corrected, "receive_correction", on=date(2024, 10, 21))
    assert close_lapsed(today=date(2024, 10, 29)) == 0  # the last day is still the applicant's
    assert close_lapsed(today=date(2024, 10, 30)) == 1
    assert close_lapsed(today=date(2024, 10, 31)) == 0
    uncorrected.refresh_from_db()
    corrected.refresh_from_db()
    assert uncorrected.state == State.CLOSED
    assert uncorrected.outcome == Outcome.OTHER_NO_CORRECTION
    assert corrected.state == State.ACCEPTED
