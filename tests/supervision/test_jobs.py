"""The hourly jobs: submissions made overdue, and reminders and overdue notices sent once
each, catching up after a scheduler was down; on a real Celery worker on Redis too."""

import datetime
import smtplib
import time
import uuid

import pytest
from django.core import mail

from opengov_cms.schedule import BEAT_SCHEDULE
from opengov_cms.supervision import notifications, tasks, workflow
from opengov_cms.supervision.choices import SubmissionState
from opengov_cms.supervision.models import ReminderSent, Submission
from opengov_cms.tasks import JOBS

pytestmark = pytest.mark.django_db


def test_the_jobs_are_scheduled_hourly():
    for name in (
        "opengov_cms.supervision.update_submissions",
        "opengov_cms.supervision.send_reminders",
    ):
        assert BEAT_SCHEDULE[name]["task"] == name and name in JOBS
        assert BEAT_SCHEDULE[name]["schedule"] == datetime.timedelta(hours=1)


def test_reminders_before_the_28th_once(clock, budget_task, finance_user, office_user):
    assert tasks.send_reminders() == 0  # 18 March: ten days before
    clock.move_to("2026-03-22 08:00")
    # Both units' first quarter; the 办公室 has no staff with an address, so only the
    # finance unit's staff get a message.
    assert tasks.send_reminders() == 2
    (message,) = mail.outbox
    assert message.to == ["finance@example.com"]
    assert message.subject == "请按时报送材料：二.3（2026年第1季度）"
    assert "请于2026-03-28前报送" in message.body
    assert tasks.send_reminders() == 0 and len(mail.outbox) == 1
    clock.move_to("2026-03-22 15:00")
    assert tasks.send_reminders() == 0


def test_a_submission_made_is_not_reminded(clock, budget_task, units, finance_user):
    q1 = Submission.objects.get(task=budget_task, unit=units["财务审计科"], period="2026Q1")
    workflow.submit(q1, finance_user, workflow.Evidence(text="已完成。"))
    clock.move_to("2026-03-22 08:00")
    tasks.send_reminders()
    assert not mail.outbox


def test_overdue_notices_go_to_the_unit_and_its_office_once(
    clock, budget_task, finance_user, office_user
):
    clock.move_to("2026-03-30 08:00")
    tasks.update_submissions()
    sent = tasks.send_reminders()
    assert sent == 2  # the first quarter of both units, overdue (no reminder before: down)
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [("finance@example.com", "office@example.com"), ("office@example.com",)]
    assert all(m.subject.startswith("报送材料已逾期：二.3") for m in mail.outbox)
    assert tasks.send_reminders() == 0


def test_periods_long_past_send_no_notice(clock, budget_task, finance_user):
    clock.move_to("2026-05-10 08:00")
    tasks.update_submissions()
    tasks.send_reminders()
    assert not mail.outbox  # the first quarter was due 43 days ago


def test_a_refusing_mail_server_leaves_the_reminder_for_the_next_run(
    clock, monkeypatch, budget_task, finance_user
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    clock.move_to("2026-03-22 08:00")
    monkeypatch.setattr(notifications, "send_mail", refuse)
    tasks.send_reminders()
    assert not ReminderSent.objects.filter(submission__unit__name="财务审计科").exists()
    monkeypatch.undo()
    tasks.send_reminders()
    assert len(mail.outbox) == 1


def test_rectification_reminders(clock, bureau, units, finance_user, office_user):
    entry = workflow.add_rectification(
        bureau, units["财务审计科"], "预算说明不全", datetime.date(2026, 3, 20), office_user
    )
    tasks.send_reminders()
    assert [m.subject for m in mail.outbox] == [f"整改事项即将到期：{entry.number}"]
    assert mail.outbox[0].to == ["finance@example.com"]
    clock.move_to("2026-03-21 08:00")
    tasks.send_reminders()
    assert mail.outbox[-1].subject == f"整改事项已逾期：{entry.number}"
    assert mail.outbox[-1].to == ["finance@example.com", "office@example.com"]
    tasks.send_reminders()
    assert len(mail.outbox) == 2


def test_update_submissions_catches_up_tasks_changed_outside_the_admin(clock, budget_task, units):
    # A row lost (deleted by hand) is made again, and a deadline moved is followed.
    Submission.objects.filter(task=budget_task, period="2026Q2").delete()
    tasks.update_submissions()
    assert Submission.objects.filter(task=budget_task, period="2026Q2").count() == 2
    clock.move_to("2026-03-30 08:00")
    assert tasks.update_submissions() == 2
    assert set(
        Submission.objects.filter(task=budget_task, period="2026Q1").values_list("state", flat=True)
    ) == {SubmissionState.OVERDUE}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_runs_the_job_from_the_outbox(settings, clock, budget_task, home_page):
    from celery import Celery, current_app
    from celery.contrib.testing.worker import start_worker
    from django.db import OperationalError

    from opengov_cms.tasks import enqueue
    from tests.services import service_url

    settings.OPENGOV_CMS_TASK_RUNNER = "celery"
    app = Celery("opengov_supervision_tests")
    app.conf.update(
        broker_url=service_url("redis"),
        # A queue of its own: other runs on the shared server never see its messages.
        broker_transport_options={"global_keyprefix": f"opengov-supervision-{uuid.uuid4().hex}:"},
        task_default_queue="opengov-supervision-tests",
        task_ignore_result=True,
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    previous = current_app._get_current_object()
    app.set_current()
    try:
        clock.move_to("2026-03-30 08:00")
        enqueue(tasks.update_submissions)

        def overdue():
            try:
                return Submission.objects.filter(state=SubmissionState.OVERDUE).count() == 2
            except OperationalError:  # SQLite's shared memory database, locked by the worker
                return False

        with start_worker(app, perform_ping_check=False, shutdown_timeout=30, loglevel="INFO"):
            deadline = time.monotonic() + 30
            while not overdue() and time.monotonic() < deadline:
                time.sleep(0.2)
        assert overdue(), "the worker did not run the job"
    finally:
        previous.set_current()


def test_settings_out_of_range_are_reported_at_startup(settings):
    from opengov_cms.supervision.checks import check_supervision_settings

    assert check_supervision_settings() == []
    settings.OPENGOV_CMS_SUPERVISION_SUBMISSION_DAY = 31
    settings.OPENGOV_CMS_SUPERVISION_REMINDER_DAYS = "7"
    errors = check_supervision_settings()
    assert [e.id for e in errors] == ["opengov_cms.E901", "opengov_cms.E901"]
    assert "OPENGOV_CMS_SUPERVISION_SUBMISSION_DAY = 31 is not a whole number from 1 to 28" in (
        errors[0].msg
    )
