"""The statistics of the public's messages against figures worked out by hand, their
downloads, and the quarterly report the reports' scheduled job publishes."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opengov_cms.interaction.models import InteractionQuarterlyReportPage
from opengov_cms.interaction.statistics import (
    Figures,
    quarter_statistics,
    units_of,
    year_statistics,
)
from opengov_cms.interaction.workflow import perform
from opengov_cms.reports.models import QuarterlyReportPage
from opengov_cms.reports.statistics import Period
from opengov_cms.reports.tasks import publish_quarterly
from tests.factories import OrganisationFactory
from tests.interaction.factories import MessageFactory, reply_to
from tests.reports.conftest import catalogue  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-07-15 10:00")]


@pytest.fixture
def messages_2026(organisation, units, handler, reviewer, box):
    """Messages of 2026 whose figures are worked out by hand below, each handled through
    the workflow. Periods: 咨询 5, 投诉 and 建议 10 working days (the default setting)."""
    office, market = units["office"], units["market"]

    def received(on, category, unit):
        return MessageFactory(box=box, organisation=unit, category=category, received_on=on)

    # M1: Monday 5 January, due 12 January; replied Friday 9 January: 6, 7, 8, 9 = 4 days.
    reply_to(
        received(date(2026, 1, 5), "consultation", office), handler, reviewer, date(2026, 1, 9)
    )
    # M2: Tuesday 20 January, due 3 February; replied 10 February, late: 21–23, 26–30
    # January (8), 2–6 February (5), 9 and 10 February (2) = 15 days.
    reply_to(received(date(2026, 1, 20), "complaint", market), handler, reviewer, date(2026, 2, 10))
    # M3: Thursday 12 February, over 春节: 13, 14 (Saturday, worked), 24, 25, 26, 27, 28
    # (Saturday, worked), 2, 3, 4 March: due and replied 4 March, on time, 10 days.
    reply_to(received(date(2026, 2, 12), "suggestion", office), handler, reviewer, date(2026, 3, 4))
    # M4: Monday 30 March, due 7 April (6 April is 清明); replied 8 April, late: 31 March,
    # 1, 2, 3, 7, 8 April = 6 days.
    reply_to(
        received(date(2026, 3, 30), "consultation", market), handler, reviewer, date(2026, 4, 8)
    )
    # M5: out of scope; M6: merged into M7; M7: still unanswered. Received, never replied.
    m5 = received(date(2026, 2, 25), "consultation", office)
    perform(m5, "close_out_of_scope", on=date(2026, 2, 26), note="属于信访事项")
    m7 = received(date(2026, 3, 16), "consultation", office)
    m6 = received(date(2026, 3, 10), "complaint", office)
    perform(m6, "merge", on=date(2026, 3, 17), into=m7.tracking_number)
    # M8: to the bureau itself, Monday 20 April, due 7 May (1–5 May off); replied 6 May: 21–24,
    # 27–30 April (8), 6 May = 9 days, on time.
    reply_to(
        received(date(2026, 4, 20), "complaint", organisation), handler, reviewer, date(2026, 5, 6)
    )
    # M10: withdrawn.
    m10 = received(date(2026, 4, 1), "suggestion", office)
    perform(m10, "withdraw", on=date(2026, 4, 2))
    # Another organisation's message is never counted.
    other = OrganisationFactory(name="六安市另一局")
    reply_to(received(date(2026, 1, 6), "consultation", other), handler, reviewer, date(2026, 1, 7))


def figures(received, replied, on_time, days, timed=None):
    return Figures(received, replied, on_time, days, replied if timed is None else timed)


def test_the_year_by_month_quarter_and_year(organisation, messages_2026):
    stats = year_statistics(2026, units_of(organisation))
    assert stats["months"][1] == figures(2, 1, 1, 4)
    assert stats["months"][2] == figures(2, 1, 0, 15)
    assert stats["months"][3] == figures(3, 1, 1, 10)
    assert stats["months"][4] == figures(2, 1, 0, 6)
    assert stats["months"][5] == figures(0, 1, 1, 9)
    assert all(stats["months"][m] == Figures() for m in range(6, 13))
    q1, q2 = stats["quarters"][1], stats["quarters"][2]
    assert q1 == figures(7, 3, 2, 29)
    assert (q1.on_time_rate, q1.average_days) == (Decimal("66.7"), Decimal("9.7"))  # 29 / 3
    assert q2 == figures(2, 2, 1, 15)
    assert (q2.on_time_rate, q2.average_days) == (Decimal("50.0"), Decimal("7.5"))
    year = stats["year"]
    assert year == figures(9, 5, 3, 44)
    assert (year.on_time_rate, year.average_days) == (Decimal("60.0"), Decimal("8.8"))
    assert stats["quarters"][3].average_days is None and stats["quarters"][3].on_time_rate is None


def test_a_quarter_by_month_category_and_unit(organisation, units, messages_2026):
    stats = quarter_statistics(organisation, Period(2026, 1))
    assert stats["months"] == {
        "1": figures(2, 1, 1, 4).as_dict(),
        "2": figures(2, 1, 0, 15).as_dict(),
        "3": figures(3, 1, 1, 10).as_dict(),
    }
    assert stats["categories"] == {
        # M1, M4, M5, M7 received; M1 replied (M4 was replied in April).
        "consultation": figures(4, 1, 1, 4).as_dict(),
        "suggestion": figures(1, 1, 1, 10).as_dict(),
        "complaint": figures(2, 1, 0, 15).as_dict(),
        "other": Figures().as_dict(),
    }
    by_unit = {unit["name"]: Figures.from_dict(unit) for unit in stats["units"]}
    assert by_unit == {
        units["office"].name: figures(5, 2, 2, 14),  # M1, M3, M5, M6, M7
        units["market"].name: figures(2, 1, 0, 15),  # M2, M4
    }
    assert stats["total"] == figures(7, 3, 2, 29).as_dict()


def test_the_counts_cost_the_same_queries_whatever_the_number_of_messages(
    organisation, units, messages_2026, handler, reviewer
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            year_statistics(2026, units_of(organisation))
            quarter_statistics(organisation, Period(2026, 2))
        return len(captured)

    few = queries()
    for day in range(1, 21):
        message = MessageFactory(organisation=units["office"], received_on=date(2026, 6, day))
        reply_to(message, handler, reviewer, date(2026, 6, 22))
    assert queries() == few == 1 + 2 + 1 + 6 + 1


def test_the_public_statistics_page_and_its_downloads(client, box, messages_2026):
    from openpyxl import load_workbook

    response = client.get(box.url + "statistics/", {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年网民留言办理情况" in html and "统计口径" in html
    assert 'headers="msg-r-q1 msg-c-average_days" class="opengov-number">9.7</td>' in html
    assert client.get(box.url + "statistics/").status_code == 200  # this year
    for year in ("1999", "abc", "2030"):
        bad = client.get(box.url + "statistics/", {"year": year})
        assert bad.status_code == 400 and "没有这一年的统计" in bad.content.decode()

    downloaded = client.get(box.url + "statistics/2026/csv/")
    assert downloaded["Content-Disposition"] == 'attachment; filename="messages-2026.csv"'
    rows = list(csv.reader(io.StringIO(downloaded.content.decode("utf-8-sig"))))
    by_label = {row[0]: row[1:] for row in rows if row}
    assert by_label["第一季度"] == ["7", "3", "2", "66.7", "9.7"]
    assert by_label["全年"] == ["9", "5", "3", "60.0", "8.8"]
    assert by_label["6月"] == ["0", "0", "0", "—", "—"]
    sheet = load_workbook(io.BytesIO(client.get(box.url + "statistics/2026/xlsx/").content))
    values = [[c.value for c in row] for row in sheet.worksheets[0].iter_rows()]
    assert ["全年", 9, 5, 3, Decimal("60.0"), Decimal("8.8")] in [
        [v if not isinstance(v, float) else Decimal(str(v)) for v in row] for row in values
    ]
    assert f"{box.url}statistics/2026/xlsx/" in html
    for path in ("statistics/2026/pdf/", "statistics/2030/csv/", "statistics/1999/csv/"):
        assert client.get(box.url + path).status_code == 404, path


@override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")
def test_the_quarterly_report_is_published_once_by_the_reports_job(
    catalogue,  # noqa: F811
    box,
    organisation,
    units,
    messages_2026,
    client,
):
    from opengov_cms.catalogue.models import CatalogueIndexPage

    section = CatalogueIndexPage(title="政民互动", slug="interaction")
    catalogue.add_child(instance=section)
    section.save_revision().publish()
    # The box went live on 1 January 2026: reports are due for the quarters since.
    moment = timezone.make_aware(datetime(2026, 1, 1, 9, 0))
    type(box).objects.filter(pk=box.pk).update(first_published_at=moment)
    units["market"].name = '=HYPERLINK("http://example.com")'
    units["market"].save()

    # The catalogue is live since July 2025: the request results of 2025Q3 to 2026Q2, and
    # the message statistics of 2026Q1 and Q2.
    assert publish_quarterly("2026-07-15") == 6
    assert QuarterlyReportPage.objects.count() == 4
    reports = InteractionQuarterlyReportPage.objects.order_by("quarter")
    assert [(r.report_year, r.quarter, r.live) for r in reports] == [
        (2026, 1, True),
        (2026, 2, True),
    ]
    assert publish_quarterly("2026-07-15") == 0
    assert publish_quarterly("2026-10-09") == 0  # Q3 is due on 10 October
    assert publish_quarterly("2026-10-10") == 2

    q1 = reports[0]
    assert q1.title == "六安市文化和旅游局2026年第一季度网民留言办理情况"
    assert q1.get_parent().get_parent().slug == "interaction"
    assert q1.statistics == quarter_statistics(organisation, Period(2026, 1))
    html = client.get(q1.url).content.decode()
    assert "按留言类别" in html and "按承办单位" in html
    assert 'headers="qm-r-total qm-c-average_days" class="opengov-number">9.7</td>' in html
    rows = list(
        csv.reader(io.StringIO(client.get(q1.url + "download/csv/").content.decode("utf-8-sig")))
    )
    assert ['\'=HYPERLINK("http://example.com")', "2", "1", "0", "0.0", "15.0"] in rows
    assert client.get(q1.url + "download/json/").status_code == 404
    assert client.get(q1.url + "download/xlsx/").status_code == 200


@override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")
def test_no_message_statistics_for_an_organisation_without_a_message_box(
    catalogue,  # noqa: F811
):
    assert publish_quarterly("2026-07-15") == 4
    assert not InteractionQuarterlyReportPage.objects.exists()
