"""Two departments and a city office in the admin (集约化): the explorer, the page chooser
and the page search list each department its own pages only; a department head manages
their own staff; staff entered for no organisation are pointed out."""

import itertools

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.core.models import MembershipRole
from opengov_cms.search import admin_index
from tests import test_agencies
from tests.catalogue.factories import DisclosureEntryPageFactory
from tests.factories import OrganisationFactory
from tests.test_agencies import EDU, HEALTH

# The two departments and the city office of tests/test_agencies.py.
city = test_agencies.city
site = test_agencies.site
staff = test_agencies.staff

pytestmark = pytest.mark.django_db
SLUGS = itertools.count()

EDU_DRAFT = "教育局尚未发布的通知草稿"
HEALTH_DRAFT = "卫健委尚未发布的通知草稿"


def seen(client, url):
    """The text a person sees on ``url``."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json().get("html", "")
    return BeautifulSoup(body, "html.parser").get_text(" ", strip=True)


def draft(section, organisation, title):
    page = DisclosureEntryPageFactory.build(
        title=title, organisation=organisation, slug=f"draft-{next(SLUGS)}"
    )
    add_to_section(section, page)
    page.save_revision()
    # What the job enqueued on commit does: the editors' index of the admin's page search.
    admin_index.index_pages([page.pk])
    return page


@pytest.fixture(autouse=True)
def chinese_admin_search(settings, site):
    """The admin's page search in Chinese (opengov_cms.search.wagtail_backend), with the
    site's pages in its index."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "opengov_cms.search.wagtail_backend"}}
    admin_index.rebuild()


@pytest.fixture
def drafts(site):
    return {
        "edu": draft(site.shared, site.edu.org, EDU_DRAFT),
        "health": draft(site.shared, site.health.org, HEALTH_DRAFT),
    }


def explorer(page):
    return reverse("wagtailadmin_explore", args=[page.pk])


def page_search(query):
    return reverse("wagtailadmin_pages:search") + f"?q={query}"


def chooser(page):
    return reverse("wagtailadmin_choose_page_child", args=[page.pk])


def chooser_search(query):
    return reverse("wagtailadmin_choose_page_search") + f"?q={query}"


# The explorer, the chooser and the page search -------------------------------------------


def test_the_explorer_lists_a_shared_section_with_the_departments_own_pages_only(
    client, site, staff, drafts
):
    # Entries are filed by year under the section (opengov_cms.catalogue.filing).
    year = drafts["edu"].get_parent()
    assert year.pk == drafts["health"].get_parent().pk == site.edu.in_shared.get_parent().pk
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    text = seen(client, explorer(year))
    assert EDU_DRAFT in text and f"{EDU}的政策解读" in text
    assert HEALTH_DRAFT not in text and f"{HEALTH}的政策解读" not in text
    # The sections stay listed: the home page lists the shared section and their own root,
    # the shared section its year.
    text = seen(client, explorer(site.shared.get_parent()))
    assert "政策解读" in text and EDU in text
    assert year.title in seen(client, explorer(site.shared))
    # Searching from the explorer keeps to them as well.
    for query in ("?q=草稿", "?q=草稿&search_all=1"):
        text = seen(client, explorer(site.shared) + query)
        assert EDU_DRAFT in text and HEALTH_DRAFT not in text

    client.force_login(staff.city)
    text = seen(client, explorer(year))
    assert EDU_DRAFT in text and HEALTH_DRAFT in text
    assert f"{HEALTH}的政策解读" in text


def test_the_page_search_finds_the_departments_own_pages_only(client, site, staff, drafts):
    client.force_login(staff.make("health", MembershipRole.EDITOR))
    text = seen(client, page_search("草稿"))
    assert HEALTH_DRAFT in text and EDU_DRAFT not in text
    text = seen(client, reverse("wagtailadmin_pages:search_results") + "?q=草稿")
    assert HEALTH_DRAFT in text and EDU_DRAFT not in text

    client.force_login(staff.city)
    text = seen(client, page_search("草稿"))
    assert HEALTH_DRAFT in text and EDU_DRAFT in text


def test_the_page_chooser_offers_the_departments_own_pages_only(client, site, staff, drafts):
    year = drafts["edu"].get_parent()
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    text = seen(client, chooser(year))
    assert EDU_DRAFT in text and HEALTH_DRAFT not in text
    assert f"{HEALTH}的政策解读" not in text
    text = seen(client, chooser_search("草稿"))
    assert EDU_DRAFT in text and HEALTH_DRAFT not in text

    client.force_login(staff.city)
    text = seen(client, chooser(year))
    assert EDU_DRAFT in text and HEALTH_DRAFT in text


def test_the_department_head_sees_their_units_pages_and_not_the_other_departments(
    client, site, staff, drafts
):
    unit = OrganisationFactory(
        name="某市教育局督导室", parent=site.edu.org, credit_code="", organisation_code="11111111-1"
    )
    unit_draft = draft(site.shared, unit, "教育局督导室的草稿")
    head = staff.make("edu", MembershipRole.HEAD)
    head.groups.add(site.edu.editors)
    client.force_login(head)
    text = seen(client, explorer(unit_draft.get_parent()))
    assert unit_draft.title in text and EDU_DRAFT in text and HEALTH_DRAFT not in text


def test_the_dashboard_shows_no_other_departments_page(client, site, staff, drafts):
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    text = seen(client, reverse("wagtailadmin_home"))
    assert HEALTH_DRAFT not in text and f"{HEALTH}的政策解读" not in text


LISTS = {
    "explorer": lambda site: explorer(site.edu.in_shared.get_parent()),
    "chooser": lambda site: chooser(site.edu.in_shared.get_parent()),
    "search": lambda site: page_search("草稿"),
    "chooser-search": lambda site: chooser_search("草稿"),
}


def counter(client, address):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    return count


@pytest.mark.parametrize("name", LISTS)
def test_the_other_departments_pages_cost_a_department_no_query(client, site, staff, name):
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    draft(site.shared, site.health.org, "卫健委草稿")
    count = counter(client, LISTS[name](site))
    before = count()
    for number in range(1, 10):
        draft(site.shared, site.health.org, f"卫健委草稿{number}")
    assert count() == before


@pytest.mark.parametrize("name", ["explorer", "search"])
def test_the_scoped_lists_cost_the_same_queries_as_own_pages_grow(client, site, staff, name):
    # Wagtail's page chooser reads each listed page's revision and workflow state, for
    # everyone alike (the city office too): its own pages are left out here.
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    draft(site.shared, site.edu.org, "教育局草稿")
    count = counter(client, LISTS[name](site))
    count()
    before = count()
    for number in range(1, 10):
        draft(site.shared, site.edu.org, f"教育局草稿{number}")
        draft(site.shared, site.health.org, f"卫健委草稿{number}")
    assert count() == before
