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
from tests.disclosure_requests.test_admin import staff
from tests.factories import OrganisationFactory
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

    from opengov_cms.core.viewsets import GROUP_TAKES_HOOKED_ITEMS

    request = rf.get("/admin/")
    request.user = admin_user
    top = admin_menu.menu_items_for_request(request)
    group = next(i for i in top if i.label == "政务公开")
    labels = [item.label for item in group.menu.menu_items_for_request(request)]
    assert labels[0] == "机构"
    if GROUP_TAKES_HOOKED_ITEMS:
        assert {"年度报告统计数据", "全市统计"} <= set(labels[1:])
    else:
        assert "年度报告统计数据" in [item.label for item in top]


FIGURES_PERMS = ("add_annualfigures", "change_annualfigures", "delete_annualfigures")


def figures_url(name, *args):
    return reverse(f"wagtailsnippets_opengov_reports_annualfigures:{name}", args=args)


def refused(response):
    """Wagtail's admin answers a refused permission by sending the user to its home page."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def figures_data(organisation, year=2025, **extra):
    return {
        "organisation": organisation.pk,
        "year": year,
        "licensing": 0,
        "penalty": 0,
        "enforcement": 0,
        "fees": "0",
        **{
            f"{group}_{result}": 0
            for group in ("review", "litigation_direct", "litigation_after_review")
            for result in ("upheld", "corrected", "other", "pending")
        },
        **extra,
    }


def test_staff_enter_the_years_figures_once_per_organisation(organisation, admin_client):
    url = figures_url("add")
    data = figures_data(organisation, licensing=1203, penalty=57, enforcement=3, fees="12.5")
    assert admin_client.post(url, data).status_code == 302
    figures = AnnualFigures.objects.get()
    assert (figures.licensing, str(figures.fees)) == (1203, "12.5000")
    response = admin_client.post(url, {**data, "licensing": 1})
    assert response.status_code == 200
    assert "这个机构这一年度的统计数据已经录入过" in response.content.decode()
    response = admin_client.post(url, {**data, "year": 2026, "fees": "-1"})
    assert response.status_code == 200
    assert AnnualFigures.objects.count() == 1


@pytest.fixture
def two_bureaus(organisation):
    other = OrganisationFactory(name="六安市财政局")
    return (
        (organisation, AnnualFigures.objects.create(organisation=organisation, year=2025)),
        (other, AnnualFigures.objects.create(organisation=other, year=2025, licensing=9)),
    )


def test_staff_see_and_enter_only_their_organisations_figures(
    client, django_user_model, two_bureaus
):
    (own, own_figures), (other, other_figures) = two_bureaus
    client.force_login(staff(django_user_model, "clerk", *FIGURES_PERMS, organisations=[own]))

    listing = client.get(figures_url("list")).content.decode()
    assert figures_url("edit", own_figures.pk) in listing
    assert figures_url("edit", other_figures.pk) not in listing

    for name in ("edit", "delete", "copy", "history", "usage"):
        assert refused(client.get(figures_url(name, other_figures.pk))), name
    assert refused(client.post(figures_url("edit", other_figures.pk), figures_data(other)))
    assert refused(client.post(figures_url("delete", other_figures.pk)))
    other_figures.refresh_from_db()
    assert other_figures.licensing == 9

    add_form = BeautifulSoup(client.get(figures_url("add")).content, "html.parser")
    offered = [o.text for o in add_form.select("select[name=organisation] option") if o["value"]]
    assert offered == [own.name]
    response = client.post(figures_url("add"), figures_data(other, year=2026))
    assert response.status_code == 200
    assert "只能录入您作为信息公开工作人员所在机构的统计数据" in response.content.decode()
    assert not AnnualFigures.objects.filter(organisation=other, year=2026).exists()
    response = client.post(figures_url("edit", own_figures.pk), figures_data(own, licensing=12))
    assert response.status_code == 302
    own_figures.refresh_from_db()
    assert own_figures.licensing == 12


def test_bulk_delete_refuses_another_organisations_figures(client, django_user_model, two_bureaus):
    (own, own_figures), (_other, other_figures) = two_bureaus
    client.force_login(staff(django_user_model, "clerk", *FIGURES_PERMS, organisations=[own]))
    bulk = reverse("wagtail_bulk_action", args=("opengov_reports", "annualfigures", "delete"))
    assert refused(client.post(f"{bulk}?id={own_figures.pk}&id={other_figures.pk}"))
    assert AnnualFigures.objects.count() == 2
    response = client.post(f"{bulk}?id={own_figures.pk}&next=/admin/")
    assert response.status_code == 302
    assert list(AnnualFigures.objects.all()) == [other_figures]


def test_the_office_wide_permission_enters_every_organisations_figures(
    client, django_user_model, two_bureaus
):
    (_own, own_figures), (other, other_figures) = two_bureaus
    office = staff(django_user_model, "office", *FIGURES_PERMS, "enter_all_annualfigures")
    client.force_login(office)
    listing = client.get(figures_url("list")).content.decode()
    assert figures_url("edit", own_figures.pk) in listing
    assert figures_url("edit", other_figures.pk) in listing
    response = client.post(figures_url("edit", other_figures.pk), figures_data(other, penalty=4))
    assert response.status_code == 302
    other_figures.refresh_from_db()
    assert other_figures.penalty == 4

    nobody = staff(django_user_model, "newcomer", *FIGURES_PERMS)
    client.force_login(nobody)
    assert refused(client.get(figures_url("edit", own_figures.pk)))
    assert (
        figures_url("edit", own_figures.pk) not in client.get(figures_url("list")).content.decode()
    )


def test_upgrading_keeps_the_figures_open_to_whoever_could_change_them(django_user_model):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    migration = import_module("opengov_cms.reports.migrations.0002_enter_all_annualfigures")
    enter_all = Permission.objects.get(codename="enter_all_annualfigures")
    enter_all.delete()  # as on a site migrated before the permission existed
    change = Permission.objects.get(codename="change_annualfigures")
    office = Group.objects.create(name="信息公开办公室")
    office.permissions.add(change)
    clerk = django_user_model.objects.create_user(username="clerk")
    clerk.user_permissions.add(change)
    readers = Group.objects.create(name="只读")
    readers.permissions.add(Permission.objects.get(codename="view_annualfigures"))

    migration.keep_what_staff_could_do(apps, None)

    enter_all = Permission.objects.get(codename="enter_all_annualfigures")
    assert enter_all in office.permissions.all()
    assert enter_all in clerk.user_permissions.all()
    assert enter_all not in readers.permissions.all()
