"""The scheduled jobs: what is due when, catching up once after downtime, reminders once,
and one report whatever runs at the same time."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import override_settings

from opengov_cms.reports.models import AnnualReportPage, AnnualReportReminder, QuarterlyReportPage
from opengov_cms.reports.publishing import due_quarters, due_year, make_report
from opengov_cms.reports.statistics import Period
from opengov_cms.reports.tasks import draft_annual, publish_quarterly
from opengov_cms.schedule import BEAT_SCHEDULE
from tests.reports.conftest import set_up_on


def test_a_quarter_is_due_from_the_set_day_of_the_next_month():
    since = date(2025, 1, 1)
    assert due_quarters(date(2025, 10, 9), since) == [Period(2025, 1), Period(2025, 2)]
    assert due_quarters(date(2025, 10, 10), since)[-1] == Period(2025, 3)
    with override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_DAY=1):
        assert due_quarters(date(2025, 10, 1), since)[-1] == Period(2025, 3)
    # Only quarters that ended after the catalogue went live, and at most a year back.
    assert due_quarters(date(2025, 10, 10), date(2025, 7, 1)) == [Period(2025, 3)]
    assert due_quarters(date(2025, 10, 10), date(2020, 1, 1)) == [
        Period(2024, 4),
        Period(2025, 1),
        Period(2025, 2),
        Period(2025, 3),
    ]


def test_the_annual_report_is_due_in_january_for_the_year_before():
    assert due_year(date(2026, 1, 1), date(2025, 3, 1)) == Period(2025)
    assert due_year(date(2026, 7, 1), date(2025, 3, 1)) == Period(2025)
    assert due_year(date(2026, 1, 1), date(2026, 1, 1)) is None
    with override_settings(OPENGOV_CMS_REPORTS_ANNUAL_DRAFT_DAY=5):
        assert due_year(date(2026, 1, 4), date(2025, 3, 1)) is None
        assert due_year(date(2026, 1, 5), date(2025, 3, 1)) == Period(2025)


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")
def test_after_days_of_downtime_the_job_makes_each_missing_report_once(catalogue, organisation):
    set_up_on(catalogue, date(2025, 1, 5))
    # The scheduler was down from early April to late October: the first run catches up.
    assert publish_quarterly("2025-10-20") == 3
    assert sorted(QuarterlyReportPage.objects.values_list("report_year", "quarter")) == [
        (2025, 1),
        (2025, 2),
        (2025, 3),
    ]
    assert all(QuarterlyReportPage.objects.values_list("live", flat=True))
    # Every later run, the same hour or days after, finds nothing to do.
    assert publish_quarterly("2025-10-20") == 0
    assert publish_quarterly(date(2025, 12, 31)) == 0
    assert QuarterlyReportPage.objects.count() == 3
    # A catalogue that is not live yet gets no reports.
    type(catalogue).objects.filter(pk=catalogue.pk).update(live=False)
    assert publish_quarterly("2026-01-10") == 0


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_REQUESTS_OFFICE_EMAILS=["office@example.gov.cn"])
def test_the_annual_report_is_drafted_in_january_and_the_office_reminded_once(
    catalogue, organisation
):
    organisation.email = "xxgk@example.gov.cn"
    organisation.save()
    assert draft_annual("2025-12-31") == 0
    assert draft_annual("2026-01-01") == 1
    assert draft_annual("2026-01-02") == 0
    report = AnnualReportPage.objects.get()
    assert (report.report_year, report.live) == (2025, False)
    assert mail.outbox == []  # the reminder day has not come

    assert draft_annual("2026-01-20") == 0
    assert draft_annual("2026-01-21") == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["office@example.gov.cn", "xxgk@example.gov.cn"]
    assert "2025年政府信息公开工作年度报告" in message.subject
    assert "2026-01-31" in message.body and "尚未发布" in message.body
    assert f"/admin/pages/{report.pk}/edit/" in message.body
    assert AnnualReportReminder.objects.count() == 1


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_REQUESTS_OFFICE_EMAILS=["office@example.gov.cn"])
def test_no_reminder_for_a_report_published_in_time(catalogue, organisation):
    draft_annual("2026-01-05")
    report = AnnualReportPage.objects.get()
    report.save_revision().publish()
    draft_annual("2026-01-25")
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_REQUESTS_OFFICE_EMAILS=["office@example.gov.cn"])
def test_a_reminder_that_could_not_be_sent_is_tried_again(catalogue, organisation, monkeypatch):
    from opengov_cms.reports import publishing

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(publishing, "send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        draft_annual("2026-01-20")
    assert AnnualReportReminder.objects.count() == 0
    monkeypatch.undo()
    draft_annual("2026-01-20")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")
def test_a_report_interrupted_half_way_leaves_nothing_and_is_made_on_the_next_run(
    catalogue, organisation, monkeypatch
):
    from wagtail.models import Page, Revision

    pages_before = Page.objects.count()

    def crash(self, *args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(Revision, "publish", crash)
    with pytest.raises(RuntimeError):
        publish_quarterly("2025-10-10")
    assert QuarterlyReportPage.objects.count() == 0
    assert Page.objects.count() == pages_before  # not even the year folder stayed
    monkeypatch.undo()
    assert publish_quarterly("2025-10-10") == 1
    assert QuarterlyReportPage.objects.get().live


def test_every_job_is_in_the_beat_schedule_and_names_a_task():
    import importlib
    import importlib.util

    from celery import current_app

    import opengov_cms

    for app in opengov_cms.INSTALLED_APPS:
        if importlib.util.find_spec(f"{app}.tasks"):
            importlib.import_module(f"{app}.tasks")
    # The daily jobs the package relied on before the reports came, and the reports' own.
    assert set(BEAT_SCHEDULE) >= {
        "opengov_cms.publish_scheduled",
        "opengov_cms.requests.send_reminders",
        "opengov_cms.requests.close_lapsed",
        "opengov_cms.expire_policy_documents",
        "opengov_cms.reports.publish_quarterly",
        "opengov_cms.reports.draft_annual",
    }
    registered = current_app.tasks
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in registered
        assert entry["schedule"].total_seconds() <= 3600
    task = registered["opengov_cms.reports.publish_quarterly"]
    assert task.acks_late and task.reject_on_worker_lost


@pytest.mark.django_db(transaction=True)
@override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")
def test_makers_running_at_the_same_time_leave_one_report(catalogue, organisation):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://…)")
    start = threading.Barrier(6)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(make_report(organisation, Period(2025, 3), today=date(2025, 10, 10)))
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert QuarterlyReportPage.objects.count() == 1
    assert {page.pk for page, _created in results} == {QuarterlyReportPage.objects.get().pk}
    assert sorted(created for _page, created in results) == [False] * 5 + [True]


def test_misconfigured_report_settings_stop_the_site_at_startup(settings):
    from opengov_cms.reports.checks import check_report_settings

    assert check_report_settings() == []
    settings.OPENGOV_CMS_REPORTS_QUARTERLY_DAY = 31
    settings.OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION = "publish"
    errors = check_report_settings()
    assert [e.id for e in errors] == ["opengov_cms.E701", "opengov_cms.E702"]
    assert "OPENGOV_CMS_REPORTS_QUARTERLY_DAY = 31 is not a day from 1 to 28" in errors[0].msg
    settings.OPENGOV_CMS_REPORTS_QUARTERLY_DAY = 10
    settings.OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION = "live"
    settings.OPENGOV_CMS_REPORTS_ANNUAL_DRAFT_DAY = 25
    errors = check_report_settings()
    assert [e.id for e in errors] == ["opengov_cms.E701"]
    assert "comes before" in errors[0].msg
