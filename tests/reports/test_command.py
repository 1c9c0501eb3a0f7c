"""`opengov_report`: build or rebuild any period by hand, or look at its tables first."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from opengov_cms.disclosure_requests.choices import Outcome
from opengov_cms.reports.models import AnnualReportPage, QuarterlyReportPage
from tests.reports.conftest import make_request

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = io.StringIO()
    call_command("opengov_report", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def one_request(organisation):
    return make_request(
        organisation,
        "legal_services",
        date(2025, 8, 1),
        Outcome.NOT_PROCESSED_REPEATED,
        date(2025, 8, 20),
    )


def test_a_dry_run_prints_the_tables_and_writes_nothing(catalogue, organisation, one_request):
    output = run("quarterly", "2025Q3", "--dry-run")
    assert "== 六安市文化和旅游局 2025Q3 (dry run, nothing written)" in output
    assert "2025年第三季度政府信息公开申请办理情况" in output
    assert "一、本季度新收政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 1 | 0 | 1" in output
    assert "2.重复申请 | 0 | 0 | 0 | 0 | 1 | 0 | 1" in output
    assert "check rule (new + carried over = handled + carried forward): holds" in output
    assert QuarterlyReportPage.objects.count() == 0
    annual = run("annual", "2025", "--dry-run", "--organisation", organisation.name)
    assert "第二十条第（一）项" in annual and "行政复议" in annual


def test_a_period_is_built_then_rebuilt(catalogue, organisation, one_request):
    output = run("quarterly", "2025Q3", "--organisation", organisation.name)
    assert "2025Q3 六安市文化和旅游局: submitted for review" in output
    page = QuarterlyReportPage.objects.get()
    assert page.statistics["requests"]["handled"]["total"] == 1
    make_request(organisation, "natural_person", date(2025, 9, 1))
    assert "updated (draft)" in run("quarterly", "2025Q3")
    page = QuarterlyReportPage.objects.get()
    assert page.get_latest_revision_as_object().statistics["requests"]["new"]["total"] == 2

    assert "2025 六安市文化和旅游局: created" in run("annual", "2025")
    assert AnnualReportPage.objects.get().live is False


@override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")
def test_rebuilding_a_live_report_republishes_it(catalogue, organisation, one_request, client):
    assert "published" in run("quarterly", "2025Q3")
    make_request(organisation, "natural_person", date(2025, 9, 1))
    assert "republished" in run("quarterly", "2025Q3")
    page = QuarterlyReportPage.objects.get()
    assert page.live and page.statistics["requests"]["new"]["total"] == 2
    assert QuarterlyReportPage.objects.count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("quarterly", "2025"), "'2025' is a year; a quarterly report needs e.g. 2025Q3"),
        (("annual", "2025Q1"), "'2025Q1' is a quarter; an annual report needs a year"),
        (("quarterly", "2025Q5"), "Q5: a quarter is Q1, Q2, Q3 or Q4"),
        (("quarterly", "Q3 2025"), "'Q3 2025' is not a period"),
        (("monthly", "2025"), "invalid choice: 'monthly'"),
        (("quarterly", "2099Q1"), "2099Q1 has not ended yet (it ends on 2099-03-31)"),
        (
            ("quarterly", "2025Q3", "--organisation", "不存在的局"),
            "--organisation: no organisation named '不存在的局'",
        ),
    ],
)
def test_bad_arguments_say_what_is_wrong(catalogue, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)


def test_an_organisation_without_a_catalogue_is_named(organisation, db):
    with pytest.raises(CommandError, match="has no catalogue to file its reports in"):
        run("annual", "2025", "--organisation", organisation.name)
    with pytest.raises(CommandError, match="No organisation has a catalogue"):
        run("annual", "2025")


@override_settings(
    OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live", OPENGOV_CMS_REPORTS_QUARTERLY_DAY=1
)
def test_due_does_what_the_scheduled_jobs_do(catalogue, organisation):
    from django.utils import timezone

    from opengov_cms.reports.statistics import Period
    from tests.reports.conftest import set_up_on

    # Live since the last quarter began: that quarter is due today, and in a first
    # quarter the past year's annual report too.
    last = Period.quarter_of(timezone.localdate()).previous()
    set_up_on(catalogue, last.start)
    annual = 1 if last.quarter == 4 else 0
    output = run("due")
    assert list(QuarterlyReportPage.objects.values_list("report_year", "quarter")) == [
        (last.year, last.quarter)
    ]
    assert AnnualReportPage.objects.count() == annual
    assert f"1 quarterly and {annual} annual reports made." in output
    assert "0 quarterly and 0 annual reports made." in run("due")
    with pytest.raises(CommandError, match="takes no period"):
        run("due", "2025")
    with pytest.raises(CommandError, match="needs a period"):
        run("quarterly")
