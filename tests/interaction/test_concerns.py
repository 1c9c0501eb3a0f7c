"""回应关切: responses to public concerns are disclosed pages in their own catalogue section,
linked to the policy documents and events they respond to, found by search and the API, and
counted by year for the annual report's narrative part."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.catalogue.models import CatalogueIndexPage
from opengov_cms.core.models import Organisation
from opengov_cms.interaction.choices import ResponseKind
from opengov_cms.interaction.models import (
    ConcernDocumentLink,
    ConcernEvent,
    ConcernResponsePage,
)
from opengov_cms.interaction.statistics import concern_counts
from opengov_cms.policies.models import PolicyDocumentPage
from opengov_cms.reports.tables import CAPTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(home_page, organisation):
    """The catalogue opengov_setup makes: it has a section for 回应关切."""
    call_command(
        "opengov_setup", organisation=organisation.name, parent=home_page.pk, stdout=StringIO()
    )
    return CatalogueIndexPage.objects.get(slug="xxgk")


def section(catalogue, slug):
    return CatalogueIndexPage.objects.descendant_of(catalogue).get(slug=slug)


def policy(catalogue, organisation, title, live=True):
    page = PolicyDocumentPage(
        title=title,
        organisation=organisation,
        body="<p>正文。</p>",
        written_date=datetime.date(2026, 1, 10),
        live=False,
    )
    add_to_section(section(catalogue, "normative"), page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def respond(catalogue, organisation, title, documents=(), kind=ResponseKind.BRIEFING, day=None):
    page = ConcernResponsePage(
        title=title,
        kind=kind,
        concern="网民反映景区门票价格上涨。",
        concern_date=datetime.date(2026, 3, 1),
        speakers="局新闻发言人",
        body="<p>经核实，门票价格未调整。</p>",
        organisation=organisation,
        publication_date=day or datetime.date(2026, 3, 3),
    )
    page.related_documents = [ConcernDocumentLink(document=d) for d in documents]
    page.related_events = [
        ConcernEvent(title="某网站报道：景区门票涨价", url="https://news.example.com/1")
    ]
    add_to_section(section(catalogue, "concerns"), page)
    page.save_revision().publish()
    return page


def test_setup_makes_the_sections_for_concerns_and_message_statistics(catalogue):
    assert section(catalogue, "concerns").title == "回应关切"
    assert section(catalogue, "interaction").title == "政民互动"


def test_a_response_is_a_disclosed_page_of_its_own_section(catalogue, organisation, client):
    shown = policy(catalogue, organisation, "六安市A级旅游景区门票价格管理办法")
    draft = policy(catalogue, organisation, "尚未发布的草稿文件", live=False)
    page = respond(catalogue, organisation, "关于景区门票价格的情况通报", [shown, draft])
    assert page.index_number  # disclosed information: numbered on publication
    html = client.get(page.url).content.decode()
    assert "情况通报" in html and "局新闻发言人" in html
    assert "网民反映景区门票价格上涨" in html and "https://news.example.com/1" in html
    assert shown.title in html and "尚未发布的草稿文件" not in html
    listed = client.get(section(catalogue, "concerns").url).content.decode()
    assert "关于景区门票价格的情况通报" in listed
    assert (
        "关于景区门票价格的情况通报"
        not in client.get(section(catalogue, "normative").url).content.decode()
    )
    api = client.get("/api/opengov/v1/items/").json()
    assert {"关于景区门票价格的情况通报", shown.title} <= {i["title"] for i in api["items"]}
    assert "concernresponsepage" in {i["type"] for i in api["items"]}


def test_a_response_is_found_by_what_it_responds_to(
    catalogue, organisation, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = respond(catalogue, organisation, "关于景区门票价格的情况通报")
    results = client.get(reverse("opengov_search:search"), {"q": "门票价格上涨"})
    assert results.context["results"].ids == [f"page:{page.pk}"]


def test_a_response_goes_only_under_a_catalogue_section(catalogue, home_page):
    assert ConcernResponsePage.can_create_at(section(catalogue, "concerns"))
    assert not ConcernResponsePage.can_create_at(home_page)


def test_responses_are_counted_by_year_and_kind_for_the_annual_reports_narrative(
    catalogue, organisation, units
):
    respond(catalogue, organisation, "情况通报一")
    respond(catalogue, units["office"], "新闻发布会一", kind=ResponseKind.PRESS_CONFERENCE)
    hidden = respond(catalogue, organisation, "舆情回应一", kind=ResponseKind.OPINION_RESPONSE)
    respond(catalogue, organisation, "去年的通报", day=datetime.date(2025, 12, 30))
    other = Organisation.objects.create(name="六安市另一局", organisation_code="12345678-9")
    respond(catalogue, other, "另一局的通报")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    assert concern_counts(2026, organisation) == {
        "briefing": 1,
        "press_conference": 1,  # the office's, a unit of the bureau
        "opinion_response": 0,  # restricted: it does not leave the site
    }
    assert concern_counts(2025, organisation)["briefing"] == 1
    # The statutory annual report (国办公开办函〔2021〕30号) has no table row for it: the
    # count is for its text, not its tables.
    assert not any("回应关切" in str(caption) for caption in CAPTIONS.values())


def test_the_box_statistics_show_the_years_responses(catalogue, organisation, box, client):
    respond(catalogue, organisation, "情况通报一")
    html = client.get(box.url + "statistics/", {"year": 2026}).content.decode()
    assert "2026年回应关切" in html
    assert 'headers="concerns-r-count concerns-c-briefing" class="opengov-number">1</td>' in html
