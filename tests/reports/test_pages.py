"""Report pages: made once, filed in the catalogue, published or reviewed, shown in the
statutory layout, downloadable, searchable, and edited in the admin."""

import csv
import io
import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from opengov_cms.disclosure_requests.choices import Outcome
from opengov_cms.reports.models import AnnualFigures, QuarterlyReportPage
from opengov_cms.reports.publishing import make_report
from opengov_cms.reports.statistics import Period
from tests.reports.conftest import make_request

pytestmark = pytest.mark.django_db

LIVE = override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live")


@pytest.fixture
def few_requests(organisation):
    """2025Q3: two new requests from companies, one disclosed, one withheld (state secret),
    one from a person carried over from Q2 and still open."""
    make_request(organisation, "commercial", date(2025, 7, 2), Outcome.DISCLOSED, date(2025, 7, 20))
    make_request(
        organisation, "research", date(2025, 8, 4), Outcome.WITHHELD_STATE_SECRET, date(2025, 8, 25)
    )
    make_request(organisation, "natural_person", date(2025, 6, 27))


def soup(response):
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content.decode(), "html.parser")


@LIVE
def test_a_quarterly_report_is_made_once_filed_and_published(catalogue, organisation, few_requests):
    from opengov_cms.catalogue.models import CatalogueItem

    page, created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    assert created and page.live
    assert page.title == "六安市文化和旅游局2025年第三季度政府信息公开申请办理情况"
    assert page.get_parent().slug == "2025"
    assert page.get_parent().get_parent().slug == "on-request"
    assert page.index_number.startswith("11341500MB1234567K/2025-")
    assert page.statistics["requests"]["new"]["total"] == 2
    assert page.statistics["requests"]["carried_over"]["natural_person"] == 1
    assert CatalogueItem.objects.filter(page_id=page.pk).exists()

    again, created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 11))
    assert (again.pk, created) == (page.pk, False)
    assert QuarterlyReportPage.objects.count() == 1

    # A second report of the period is refused with a message, and by the database itself
    # whatever path writes it.
    duplicate = QuarterlyReportPage(
        title="重复", slug="duplicate", organisation=organisation, report_year=2025, quarter=3
    )
    with pytest.raises(ValidationError, match="这一季度的报告已经存在"):
        page.get_parent().add_child(instance=duplicate)
    second, _created = make_report(organisation, Period(2025, 2), today=date(2025, 10, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReportPage.objects.filter(pk=second.pk).update(quarter=3)


def test_by_default_a_quarterly_report_goes_to_review(catalogue, organisation, few_requests):
    page, created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    assert created and not page.live
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == "政务公开三审"
    assert state.current_task_state.task.name == "初审"


def test_the_annual_report_is_drafted_for_staff_to_write(catalogue, organisation, few_requests):
    page, created = make_report(organisation, Period(2025), today=date(2026, 1, 1))
    assert created and not page.live and page.current_workflow_state is None
    assert page.title == "六安市文化和旅游局2025年政府信息公开工作年度报告"
    assert page.get_parent().get_parent().slug == "annual-reports"
    assert set(page.statistics) >= {"requests", "documents", "decisions", "fees", "reviews"}


def test_without_the_section_a_report_is_filed_under_the_catalogue_root(
    catalogue, organisation, settings
):
    settings.OPENGOV_CMS_REPORTS_ANNUAL_SECTION = "no-such-section"
    page, _created = make_report(organisation, Period(2025), today=date(2026, 1, 1))
    assert page.get_parent().get_parent().pk == catalogue.pk


@LIVE
def test_the_quarterly_table_has_the_statutory_layout(
    catalogue, organisation, few_requests, client
):
    page, _created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    html = soup(client.get(page.url))
    table = html.find("table", id="opengov-requests")
    assert table.caption.get_text() == "2025年第三季度政府信息公开申请办理情况"
    head = table.thead.find_all("tr")
    assert len(head) == 3
    corner = head[0].find("td")
    assert (corner["colspan"], corner["rowspan"]) == ("3", "3")
    assert "勾稽关系" in corner.get_text()
    applicant = head[0].find("th")
    assert (applicant.get_text(), applicant["scope"], applicant["colspan"]) == (
        "申请人情况",
        "colgroup",
        "7",
    )
    assert [(th.get_text(), th["scope"]) for th in head[1].find_all("th")] == [
        ("自然人", "col"),
        ("法人或其他组织", "colgroup"),
        ("总计", "col"),
    ]
    assert [th.get_text() for th in head[2].find_all("th")] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    rows = table.tbody.find_all("tr")
    assert len(rows) == 2 + 22 + 1  # 一、二; 三 with its 22 rows; 四
    assert rows[0].th.get_text() == "一、本季度新收政府信息公开申请数量"
    results = rows[2].find("th")
    assert (results.get_text(), results["scope"], results["rowspan"]) == (
        "三、本季度办理结果",
        "rowgroup",
        "22",
    )
    withheld = rows[4].find_all("th")
    assert [th.get_text() for th in withheld] == ["（三）不予公开", "1.属于国家秘密"]
    assert withheld[0]["rowspan"] == "8" and withheld[0]["scope"] == "rowgroup"
    # Each number names its headers: 三 → （三）不予公开 → 1.属于国家秘密, 科研机构.
    research = rows[4].find_all("td")[2]
    assert research.get_text() == "1"
    assert list(research["headers"]) == [
        "t3-r-results",
        "t3-r-withheld",
        "t3-r-withheld-state-secret",
        "t3-applicant",
        "t3-c-organisation",
        "t3-c-research",
    ]
    ids = {tag["id"] for tag in table.find_all("th")}
    assert all(set(td["headers"]) <= ids for td in table.find_all("td", headers=True))
    assert rows[-1].th.get_text() == "四、结转下季度继续办理"
    assert [td.get_text() for td in rows[-1].find_all("td")] == ["1", "0", "0", "0", "0", "0", "1"]
    assert [a.get_text() for a in html.select(".opengov-downloads a")] == [
        "CSV 表格",
        "Excel 表格（XLSX）",
        "JSON 数据",
    ]


def annual_report(organisation, **text):
    AnnualFigures.objects.create(
        organisation=organisation,
        year=2025,
        licensing=1203,
        penalty=57,
        enforcement=3,
        fees="12.5",
        review_upheld=2,
        litigation_after_review_pending=1,
    )
    page, _created = make_report(organisation, Period(2025), today=date(2026, 1, 5))
    page.overview = "<p>2025年，本局坚持以公开为常态、不公开为例外。</p>"
    page.problems = "<p>一是政策解读形式较单一。</p><p>二是依申请公开答复还需规范。</p>"
    page.other_matters = "<p>本年度未收取信息处理费。</p>"
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_the_annual_report_shows_its_six_parts_and_three_tables(
    catalogue, organisation, few_requests, client
):
    page = annual_report(organisation)
    html = soup(client.get(page.url))
    assert [h2.get_text() for h2 in html.select("article h2")][:6] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    documents = html.find("table", id="opengov-documents")
    assert documents.caption.get_text() == "二、主动公开政府信息情况"
    blocks = documents.find_all("tbody")
    assert [b.th.get_text() for b in blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [th.get_text() for th in blocks[0].find_all("tr")[1].find_all("th")] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    licensing = blocks[1].find_all("tr")[2]
    assert licensing.th.get_text() == "行政许可"
    assert (licensing.td.get_text(), licensing.td["colspan"]) == ("1203", "3")
    assert blocks[3].find_all("tr")[2].td.get_text() == "12.5"
    reviews = html.find("table", id="opengov-reviews")
    head = reviews.thead.find_all("tr")
    assert [(th.get_text(), th["colspan"]) for th in head[0].find_all("th")] == [
        ("行政复议", "5"),
        ("行政诉讼", "10"),
    ]
    assert [th.get_text() for th in head[1].find_all("th")][-2:] == [
        "未经复议直接起诉",
        "复议后起诉",
    ]
    assert len(head[2].find_all("th")) == 10
    cells = [td.get_text() for td in reviews.tbody.find_all("td")]
    assert cells == ["2", "0", "0", "0", "2"] + ["0"] * 5 + ["0", "0", "0", "1", "1"]
    requests = html.find("table", id="opengov-requests")
    assert requests.tbody.tr.th.get_text() == "一、本年新收政府信息公开申请数量"
    assert "opengov-visually-hidden" in requests.caption["class"]
    assert "以公开为常态" in html.get_text()


def test_the_downloads_hold_the_same_figures(catalogue, organisation, few_requests, client):
    from docx import Document
    from openpyxl import load_workbook

    page = annual_report(organisation)
    base = page.url + "download/"

    response = client.get(base + "csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="11341500MB1234567K-2025.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    new = next(row for row in rows if row and row[0] == "一、本年新收政府信息公开申请数量")
    # In the year, the person's request of June is new too.
    assert new == ["一、本年新收政府信息公开申请数量", "", "", "1", "1", "1", "0", "0", "0", "3"]
    assert ["行政许可", "1203", "", ""] in rows

    workbook = load_workbook(io.BytesIO(client.get(base + "xlsx/").content))
    assert workbook.sheetnames == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    sheet = workbook["三、收到和处理政府信息公开申请情况"]
    assert "A2:C4" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["D2"].value == "申请人情况"
    assert [sheet.cell(row=5, column=c).value for c in range(4, 11)] == [1, 1, 1, 0, 0, 0, 3]
    fees = workbook["二、主动公开政府信息情况"]
    assert any(
        row[0].value == "行政事业性收费" and row[1].value == 12.5 for row in fees.iter_rows()
    )

    data = json.loads(client.get(base + "json/").content)
    assert data["period"] == "2025" and data["organisation"] == "六安市文化和旅游局"
    rows = {row["key"]: row for row in data["tables"]["requests"]["rows"]}
    assert rows["withheld.state_secret"]["label"] == "（三）不予公开 1.属于国家秘密"
    assert rows["withheld.state_secret"]["values"]["research"] == 1
    assert data["tables"]["documents"]["decisions"][0] == {
        "key": "licensing",
        "label": "行政许可",
        "count": 1203,
    }
    assert data["tables"]["reviews"]["rows"][0]["values"]["total"] == 2

    document = Document(io.BytesIO(client.get(base + "docx/").content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "一是政策解读形式较单一。" in texts and "二是依申请公开答复还需规范。" in texts
    assert len(document.tables) == 3
    assert document.tables[1].cell(3, 0).text == "一、本年新收政府信息公开申请数量"
    assert document.tables[1].cell(3, 9).text == "3"

    assert client.get(base + "pdf/").status_code == 404


@LIVE
def test_a_quarterly_report_has_no_docx_and_a_draft_no_downloads(
    catalogue, organisation, few_requests, client
):
    page, _created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    assert client.get(page.url + "download/docx/").status_code == 404
    assert client.get(page.url + "download/json/").status_code == 200
    draft, _created = make_report(organisation, Period(2025), today=date(2026, 1, 5))
    assert client.get(draft.url + "download/json/").status_code == 404


@LIVE
def test_a_published_report_is_listed_in_its_section_and_found_by_search(
    catalogue, organisation, few_requests, client, django_capture_on_commit_callbacks
):
    from opengov_cms.search.indexing import search_document

    with django_capture_on_commit_callbacks(execute=True):
        quarterly, _created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    section = client.get("/xxgk/on-request/").content.decode()
    assert quarterly.title in section and quarterly.url in section
    found = client.get("/opengov/search/", {"q": "第三季度政府信息公开申请"})
    assert found.context["results"].ids == [f"page:{quarterly.pk}"]

    page = annual_report(organisation)
    document = search_document(page)
    assert document["title"] == page.title
    assert document["organisation"] == "六安市文化和旅游局"
    assert "以公开为常态" in document["body"] and "<p>" not in document["body"]


@LIVE
def test_serving_a_report_does_not_count_the_requests_again(
    catalogue, organisation, few_requests, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.disclosure_requests.factories import DisclosureRequestFactory

    page, _created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    client.get(page.url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(page.url).status_code == 200
    for day in range(1, 21):
        DisclosureRequestFactory(organisation=organisation, received_on=date(2025, 8, day))
    with CaptureQueriesContext(connection) as after:
        html = soup(client.get(page.url))
    assert len(after) == len(before)
    assert not any("opengov_requests_disclosurerequest" in q["sql"] for q in after.captured_queries)
    # The published figures stay as they were published.
    assert html.find("table", id="opengov-requests").tbody.tr.find_all("td")[-1].get_text() == "2"
