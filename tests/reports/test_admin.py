"""Reports and their yearly figures in the admin staff use."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from opengov_cms.disclosure_requests.choices import Outcome
from opengov_cms.reports.models import AnnualFigures, QuarterlyReportPage
from opengov_cms.reports.publishing import make_report
from opengov_cms.reports.statistics import Period
from tests.reports.conftest import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_quarter(catalogue, organisation):
    make_request(organisation, "commercial", date(2025, 7, 2), Outcome.DISCLOSED, date(2025, 7, 20))
    with override_settings(OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION="live"):
        page, _created = make_report(organisation, Period(2025, 3), today=date(2025, 10, 10))
    return page


def form(page, organisation, **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "report_year": page.report_year,
            "quarter": page.quarter,
            "intro": rich_text("<p>本季度申请均已按期答复。</p>"),
            "organisation": organisation.pk,
            "disclosure_attribute": "proactive",
            "validity": "valid",
            "summary": page.summary,
            "written_date": "2025-10-10",
            "publication_date": "2025-10-10",
            **extra,
        }
    )


def test_a_published_report_keeps_its_figures_until_staff_count_again(
    published_quarter, organisation, admin_client
):
    page = published_quarter
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = BeautifulSoup(admin_client.get(url).content.decode(), "html.parser")
    assert html.find("table", id="opengov-requests") is not None
    checkbox = html.find("input", attrs={"name": "refresh_statistics"})
    assert checkbox is not None and not checkbox.has_attr("checked")

    # A request of the quarter entered late.
    make_request(organisation, "research", date(2025, 9, 1), Outcome.DISCLOSED, date(2025, 9, 5))
    response = admin_client.post(url, form(page, organisation, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.statistics["requests"]["new"]["total"] == 1
    assert "本季度申请均已按期答复。" in page.intro and page.live

    data = form(page, organisation, refresh_statistics="on", **{"action-publish": "publish"})
    assert admin_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.statistics["requests"]["new"]["total"] == 2
    assert page.statistics["requests"]["new"]["research"] == 1


def test_a_second_report_of_the_same_quarter_is_refused_with_a_message(
    published_quarter, organisation, admin_client
):
    parent = published_quarter.get_parent()
    url = reverse(
        "wagtailadmin_pages:add", args=["opengov_reports", "quarterlyreportpage", parent.pk]
    )
    assert admin_client.get(url).status_code == 200
    data = form(published_quarter, organisation, refresh_statistics="on")
    data["slug"] = "another-q3"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "这个机构这一季度的报告已经存在" in response.content.decode()
    assert QuarterlyReportPage.objects.count() == 1


def test_a_report_cannot_be_copied(published_quarter, admin_client):
    response = admin_client.get(reverse("wagtailadmin_pages:copy", args=[published_quarter.pk]))
    assert response.status_code in (302, 403)
    assert QuarterlyReportPage.objects.count() == 1


def test_a_draft_annual_report_asks_for_the_years_figures(catalogue, organisation, admin_client):
    page, _created = make_report(organisation, Period(2025), today=date(2026, 1, 2))
    html = BeautifulSoup(
        admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode(),
        "html.parser",
    )
    assert html.find("input", attrs={"name": "refresh_statistics"}).has_attr("checked")
    link = html.find("a", string="录入年度统计数据")
    assert link["href"] == reverse("wagtailsnippets_opengov_reports_annualfigures:add")


def test_the_figures_are_in_the_packages_admin_menu(rf, admin_user):
    from wagtail.admin.menu import admin_menu

    from opengov_cms.reports.viewsets import GROUP_TAKES_HOOKED_ITEMS

    request = rf.get("/admin/")
    request.user = admin_user
    top = admin_menu.menu_items_for_request(request)
    group = next(i for i in top if i.label == "政务公开")
    labels = [item.label for item in group.menu.menu_items_for_request(request)]
    assert labels[0] == "机构"
    if GROUP_TAKES_HOOKED_ITEMS:
        assert labels[-1] == "年度报告统计数据"
    else:
        assert "年度报告统计数据" in [item.label for item in top]


def test_staff_enter_the_years_figures_once_per_organisation(organisation, admin_client):
    url = reverse("wagtailsnippets_opengov_reports_annualfigures:add")
    data = {
        "organisation": organisation.pk,
        "year": 2025,
        "licensing": 1203,
        "penalty": 57,
        "enforcement": 3,
        "fees": "12.5",
        **{
            f"{group}_{result}": 0
            for group in ("review", "litigation_direct", "litigation_after_review")
            for result in ("upheld", "corrected", "other", "pending")
        },
    }
    assert admin_client.post(url, data).status_code == 302
    figures = AnnualFigures.objects.get()
    assert (figures.licensing, str(figures.fees)) == (1203, "12.5000")
    response = admin_client.post(url, {**data, "licensing": 1})
    assert response.status_code == 200
    assert "这个机构这一年度的统计数据已经录入过" in response.content.decode()
    response = admin_client.post(url, {**data, "year": 2026, "fees": "-1"})
    assert response.status_code == 200
    assert AnnualFigures.objects.count() == 1
