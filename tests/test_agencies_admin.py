"""Two departments and a city office in the admin (集约化): the explorer, the page chooser
and the page search list each department its own pages only; a department head manages
their own staff; staff entered for no organisation are pointed out."""

import itertools
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.core.models import Membership, MembershipRole
from opengov_cms.search import admin_index
from tests import test_agencies
from tests.catalogue.factories import DisclosureEntryPageFactory
from tests.factories import OrganisationFactory
from tests.test_agencies import EDU, HEALTH, offered

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
    # And so does the explorer menu of the sidebar (Wagtail's admin API).
    api = reverse("wagtailadmin_api:pages:listing")
    response = client.get(api, {"child_of": year.pk, "for_explorer": 1})
    titles = {item["admin_display_title"] for item in response.json()["items"]}
    assert EDU_DRAFT in titles and HEALTH_DRAFT not in titles
    assert f"{HEALTH}的政策解读" not in titles

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
    count()  # what a process reads once (the search's site terms) is read by now
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


# A department head manages their own staff ------------------------------------------------

MEMBERSHIP_PERMS = ["add_membership", "change_membership", "delete_membership", "view_membership"]
NOT_THEIRS = "只能选择您负责的机构及其下级单位"
CITY_ROLE_REFUSED = "“全市政务公开办公室”身份只能由全市政务公开办公室授予"


def membership_url(name, *args):
    return reverse(Membership.snippet_viewset.get_url_name(name), args=args)


@pytest.fixture
def team(site, staff, django_user_model):
    """The edu department's head (with the 机构人员 permissions), an editor of each
    department, an officer of the edu office, and a newcomer entered nowhere yet."""
    head = staff.make("edu", MembershipRole.HEAD)
    head.user_permissions.add(*Permission.objects.filter(codename__in=MEMBERSHIP_PERMS))
    staff.city.user_permissions.add(*Permission.objects.filter(codename__in=MEMBERSHIP_PERMS))
    return SimpleNamespace(
        head=django_user_model.objects.get(pk=head.pk),
        city=django_user_model.objects.get(pk=staff.city.pk),
        edu_editor=staff.make("edu", MembershipRole.EDITOR),
        edu_officer=staff.make("edu", MembershipRole.OFFICER, unit=site.edu.unit),
        health_editor=staff.make("health", MembershipRole.EDITOR),
        newcomer=django_user_model.objects.create_user("newcomer", password="pw"),
    )


def listed_users(client):
    soup = BeautifulSoup(client.get(membership_url("list")).content, "html.parser")
    return {cell.get_text(" ", strip=True) for cell in soup.select("table.listing tbody tr")}


def test_a_head_lists_the_staff_of_their_department_only(client, site, team):
    client.force_login(team.head)
    rows = " ".join(listed_users(client))
    assert "edu-editor" in rows and "edu-officer" in rows and "edu-head" in rows
    assert "health-editor" not in rows and "city" not in rows.replace("某市", "")
    client.force_login(team.city)
    rows = " ".join(listed_users(client))
    assert "edu-editor" in rows and "health-editor" in rows


def test_a_head_is_offered_their_organisations_and_not_the_city_role(client, site, team):
    client.force_login(team.head)
    html = client.get(membership_url("add")).content.decode()
    assert offered(html) == {EDU, f"{EDU}办公室"}
    assert offered(html, "unit") == {EDU, f"{EDU}办公室"}
    roles = offered(html, "role")
    assert "全市政务公开办公室" not in roles and "编辑" in roles


def test_a_head_adds_and_changes_their_own_staff(client, site, team):
    client.force_login(team.head)
    response = client.post(
        membership_url("add"),
        {
            "user": team.newcomer.pk,
            "organisation": site.edu.org.pk,
            "unit": site.edu.unit.pk,
            "role": MembershipRole.OFFICER,
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=team.newcomer, organisation=site.edu.org, unit=site.edu.unit, role="officer"
    ).exists()
    own = Membership.objects.get(user=team.edu_editor)
    response = client.post(
        membership_url("edit", own.pk),
        {
            "user": team.edu_editor.pk,
            "organisation": site.edu.org.pk,
            "unit": "",
            "role": MembershipRole.REVIEWER,
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.role == MembershipRole.REVIEWER
    response = client.post(membership_url("delete", own.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    "forged, field, message",
    [
        ({"organisation": "health"}, "organisation", NOT_THEIRS),
        ({"unit": "health_unit"}, "unit", NOT_THEIRS),
        ({"role": MembershipRole.CITY}, "role", CITY_ROLE_REFUSED),
    ],
    ids=["other-organisation", "other-unit", "city-role"],
)
def test_a_forged_membership_post_is_refused_with_a_clear_error(
    client, site, team, forged, field, message
):
    values = {
        "organisation": site.edu.org.pk,
        "unit": "",
        "role": MembershipRole.EDITOR,
        "health": site.health.org.pk,
        "health_unit": site.health.unit.pk,
    }
    data = {
        "user": team.newcomer.pk,
        "organisation": values["organisation"],
        "unit": "",
        "role": values["role"],
    }
    for name, value in forged.items():
        data[name] = values.get(value, value)
    client.force_login(team.head)
    response = client.post(membership_url("add"), data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert message in soup.get_text()
    assert not Membership.objects.filter(user=team.newcomer).exists()

    # Moving an own member over to another organisation, or raising them to the city
    # office, is refused the same way on change.
    own = Membership.objects.get(user=team.edu_editor)
    data["user"] = team.edu_editor.pk
    response = client.post(membership_url("edit", own.pk), data)
    assert message in BeautifulSoup(response.content, "html.parser").get_text()
    own.refresh_from_db()
    assert (own.organisation_id, own.unit_id, own.role) == (site.edu.org.pk, None, "editor")


def test_a_head_cannot_open_change_or_remove_another_departments_staff(client, site, team):
    theirs = Membership.objects.get(user=team.health_editor)
    city_row = Membership.objects.get(user=team.city)
    client.force_login(team.head)
    for row in (theirs, city_row):
        assert client.get(membership_url("edit", row.pk)).status_code in (302, 403, 404)
        client.post(
            membership_url("edit", row.pk),
            {
                "user": team.head.pk,
                "organisation": site.edu.org.pk,
                "unit": "",
                "role": MembershipRole.EDITOR,
            },
        )
        client.post(membership_url("delete", row.pk))
    bulk = reverse("wagtail_bulk_action", args=["opengov_core", "membership", "delete"])
    response = client.post(f"{bulk}?id={theirs.pk}", {})
    assert response.status_code in (302, 403)
    theirs.refresh_from_db()
    city_row.refresh_from_db()
    assert theirs.user_id == team.health_editor.pk and theirs.organisation == site.health.org
    assert city_row.user_id == team.city.pk and city_row.role == MembershipRole.CITY


def test_the_city_office_manages_every_department_and_grants_the_city_role(client, site, team):
    client.force_login(team.city)
    response = client.post(
        membership_url("add"),
        {
            "user": team.newcomer.pk,
            "organisation": site.city.pk,
            "unit": "",
            "role": MembershipRole.CITY,
        },
    )
    assert response.status_code == 302
    theirs = Membership.objects.get(user=team.health_editor)
    response = client.post(
        membership_url("edit", theirs.pk),
        {
            "user": team.health_editor.pk,
            "organisation": site.health.org.pk,
            "unit": site.health.unit.pk,
            "role": MembershipRole.OFFICER,
        },
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.unit == site.health.unit


def test_someone_entered_for_no_office_manages_no_one(client, site, team):
    editor = team.edu_editor
    editor.user_permissions.add(*Permission.objects.filter(codename__in=MEMBERSHIP_PERMS))
    client.force_login(editor.__class__.objects.get(pk=editor.pk))
    assert listed_users(client) == set()
    response = client.post(
        membership_url("add"),
        {
            "user": team.newcomer.pk,
            "organisation": site.edu.org.pk,
            "unit": "",
            "role": MembershipRole.EDITOR,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=team.newcomer).exists()


# Staff entered for no organisation --------------------------------------------------------

UNASSIGNED_PANEL = "尚未分配机构的工作人员"
NO_MEMBERSHIP = "您尚未被分配到任何机构，请联系管理员"


def dashboard(client, user):
    client.force_login(user)
    return seen(client, reverse("wagtailadmin_home"))


@pytest.fixture
def unassigned(site, django_user_model):
    """An editor put in the edu editors' group and an officer given the request permissions,
    neither entered under 机构人员 (as after an upgrade)."""
    editor = django_user_model.objects.create_user("forgotten-editor", password="pw")
    editor.groups.add(site.edu.editors)
    officer = django_user_model.objects.create_user("forgotten-officer", password="pw")
    officer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *test_agencies.OFFICER_PERMS])
    )
    return SimpleNamespace(editor=editor, officer=officer)


def test_staff_entered_for_no_organisation_are_pointed_out_to_the_city_office(
    client, site, staff, unassigned, django_user_model
):
    staff.city.user_permissions.add(Permission.objects.get(codename="add_membership"))
    django_user_model.objects.create_superuser("root", "root@example.gov.cn", "pw")
    assigned = staff.make("health", MembershipRole.EDITOR)
    city = django_user_model.objects.get(pk=staff.city.pk)
    client.force_login(city)
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = soup.find(id="opengov-unassigned-staff-section")
    assert panel is not None and UNASSIGNED_PANEL in soup.get_text()
    names = panel.get_text(" ", strip=True)
    assert "forgotten-editor" in names and "forgotten-officer" in names
    assert assigned.username not in names and "root" not in names
    # Each with the link that enters them, the person already chosen.
    link = panel.find("a", href=lambda href: href and f"user={unassigned.editor.pk}" in href)
    form = BeautifulSoup(client.get(link["href"]).content, "html.parser")
    chosen = form.select_one("select[name=user] option[selected]")
    assert chosen is not None and chosen["value"] == str(unassigned.editor.pk)

    # Once entered, they are no longer listed; with nobody left, there is no panel.
    for user in (unassigned.editor, unassigned.officer):
        Membership.objects.create(user=user, organisation=site.edu.org, role="editor")
    assert UNASSIGNED_PANEL not in dashboard(client, city)


def test_someone_entered_for_no_organisation_is_told_on_their_dashboard(
    client, site, staff, unassigned
):
    for user in (unassigned.editor, unassigned.officer):
        text = dashboard(client, user)
        assert NO_MEMBERSHIP in text and UNASSIGNED_PANEL not in text
    # Not those who are entered, nor an editor's colleague with nothing to do with it.
    assert NO_MEMBERSHIP not in dashboard(client, staff.make("edu", MembershipRole.EDITOR))
    assert UNASSIGNED_PANEL not in dashboard(client, staff.make("edu", MembershipRole.HEAD))
    Membership.objects.create(user=unassigned.editor, organisation=site.edu.org, role="editor")
    assert NO_MEMBERSHIP not in dashboard(client, unassigned.editor)


def test_the_unassigned_staff_panel_costs_the_same_queries_as_staff_grow(
    client, site, staff, django_user_model
):
    def add(number):
        user = django_user_model.objects.create_user(f"unassigned-{number}", password="pw")
        user.groups.add(site.health.editors)

    add(0)
    client.force_login(staff.city)
    count = counter(client, reverse("wagtailadmin_home"))
    count()
    before = count()
    for number in range(1, 30):
        add(number)
    assert count() == before
    assert "仅列出最近的20人" in seen(client, reverse("wagtailadmin_home"))


# One page opened by its id ---------------------------------------------------------------


@pytest.fixture
def review(site):
    """A workflow with one step, started on each department's page in the shared section."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    workflow = Workflow.objects.create(name="审核")
    task = GroupApprovalTask.objects.create(name="审核")
    task.groups.add(site.edu.editors, site.health.editors)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def start_review(workflow, page, user):
    page.save_revision(user=user)
    return workflow.start(page, user)


def page_views(page):
    """{name: address} of Wagtail's views of one page that show or change it, with its
    revisions and workflow state (wagtail.admin.urls.pages)."""
    revision = page.latest_revision
    state = page.workflow_states.order_by("-pk").first()
    name = "wagtailadmin_pages:"
    views = {
        "history": [page.pk],
        "history_results": [page.pk],
        "revisions_index": [page.pk],
        "revisions_view": [page.pk, revision.pk],
        "revisions_revert": [page.pk, revision.pk],
        "revisions_compare": [page.pk, "earliest", "latest"],
        "preview_on_edit": [page.pk],
        "view_draft": [page.pk],
        "workflow_history": [page.pk],
        "workflow_history_detail": [page.pk, state.pk],
        "usage": [page.pk],
        "set_privacy": [page.pk],
        "edit": [page.pk],
    }
    addresses = {view: reverse(name + view, args=args) for view, args in views.items()}
    addresses["explore"] = reverse("wagtailadmin_explore", args=[page.pk])
    return addresses


def refused(client, address, title):
    """Whether ``address`` is refused: sent back with the reason, and ``title`` nowhere."""
    response = client.get(address)
    if response.status_code == 403:
        return title not in response.content.decode()
    if response.status_code != 302 or "/admin/pages/" not in response["Location"]:
        return False
    page = client.get(response["Location"])
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    return test_agencies.REFUSED in text and title not in text


def test_another_departments_page_is_refused_in_every_view_of_it(client, site, staff, review):
    editor = staff.make("edu", MembershipRole.EDITOR)
    theirs, ours = site.health.in_shared, site.edu.in_shared
    start_review(review, theirs, staff.city)
    start_review(review, ours, editor)
    client.force_login(editor)
    for view, address in page_views(theirs).items():
        assert refused(client, address, theirs.title), view
    for view, address in page_views(ours).items():
        assert not refused(client, address, ours.title), view
        assert client.get(address).status_code in (200, 302), view
    # The city office opens both.
    client.force_login(staff.city)
    for view, address in page_views(theirs).items():
        assert client.get(address).status_code in (200, 302), view
        assert not refused(client, address, theirs.title), view


def test_another_departments_page_cannot_be_locked_reverted_or_previewed(client, site, staff):
    from wagtail.models import GroupPagePermission

    for dept in (site.edu, site.health):
        GroupPagePermission.objects.create(
            group=dept.editors,
            page=site.shared,
            permission=Permission.objects.get(codename="lock_page"),
        )
    editor = staff.make("edu", MembershipRole.EDITOR)
    theirs = site.health.in_shared
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:lock", args=[theirs.pk]))
    assert response.status_code in (302, 403)
    theirs.refresh_from_db()
    assert not theirs.locked
    response = client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[theirs.pk, theirs.latest_revision.pk])
    )
    assert response.status_code in (302, 403)
    response = client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[theirs.pk]),
        {"title": "x"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 403
    # Their own page locks as usual.
    ours = site.edu.in_shared
    client.post(reverse("wagtailadmin_pages:lock", args=[ours.pk]))
    ours.refresh_from_db()
    assert ours.locked


def test_the_admin_api_finds_no_other_departments_page_by_its_id(client, site, staff):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    detail = "/admin/api/main/pages/{}/"
    assert client.get(detail.format(site.health.in_shared.pk)).status_code == 404
    assert client.get(detail.format(site.edu.in_shared.pk)).status_code == 200
    # The section they share stays open to both.
    assert client.get(detail.format(site.shared.pk)).status_code == 200
    client.force_login(staff.city)
    assert client.get(detail.format(site.health.in_shared.pk)).status_code == 200


def test_the_pages_of_a_type_are_the_departments_own(client, site, staff, drafts):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    address = reverse(
        "wagtailadmin_pages:type_use", args=["opengov_catalogue", "disclosureentrypage"]
    )
    text = seen(client, address)
    assert EDU_DRAFT in text and f"{EDU}的政策解读" in text
    assert HEALTH_DRAFT not in text and HEALTH not in text
    client.force_login(staff.city)
    assert HEALTH_DRAFT in seen(client, address)


# The reports -----------------------------------------------------------------------------

REPORTS = (
    "site_history",
    "aging_pages",
    "locked_pages",
    "workflow",
    "workflow_tasks",
    "page_types_usage",
)


def report(name):
    return reverse(f"wagtailadmin_reports:{name}")


def health_page(site, review, city, number):
    """One more page of the health department in the shared section: published, locked, in
    review, the last edited of its type."""
    page = DisclosureEntryPageFactory.build(
        title=f"{HEALTH}第{number}号通知", organisation=site.health.org, slug=f"h-{number}"
    )
    add_to_section(site.shared, page)
    page.save_revision(user=city).publish(user=city)
    page.locked, page.locked_by = True, city
    page.save()
    start_review(review, page, city)
    return page


@pytest.fixture
def report_reader(site, staff, review):
    """The edu department's editor, with a locked page in review of their own; the editors
    may lock pages (the locked pages report asks for it)."""
    from wagtail.models import GroupPagePermission

    for codename in ("lock_page", "unlock_page"):
        GroupPagePermission.objects.create(
            group=site.edu.editors,
            page=site.shared,
            permission=Permission.objects.get(codename=codename),
        )
    editor = staff.make("edu", MembershipRole.EDITOR)
    ours = site.edu.in_shared
    start_review(review, ours, editor)
    ours.locked, ours.locked_by = True, editor
    ours.save()
    return editor


@pytest.mark.parametrize("name", REPORTS)
def test_the_reports_show_a_department_none_of_anothers_pages(
    client, site, staff, review, report_reader, admin_user, name
):
    theirs = health_page(site, review, staff.city, 1)
    client.force_login(admin_user)
    assert HEALTH in seen(client, report(name)), "the report lists their pages at all"
    assert theirs.pk
    client.force_login(report_reader)
    text = seen(client, report(name))
    assert HEALTH not in text
    if name != "page_types_usage":
        # The department's own pages are there (the usage report names the last edited only).
        assert EDU in text


@pytest.mark.parametrize("name", REPORTS)
def test_the_reports_cost_the_same_queries_however_many_pages_another_department_has(
    client, site, staff, review, report_reader, name
):
    health_page(site, review, staff.city, 0)
    client.force_login(report_reader)
    client.get(report(name))
    with CaptureQueriesContext(connection) as one:
        assert client.get(report(name)).status_code == 200
    for number in range(1, 10):
        health_page(site, review, staff.city, number)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(report(name)).status_code == 200
    assert len(ten) == len(one)


# The users offered to a department head --------------------------------------------------


def test_a_head_is_offered_the_unassigned_and_their_own_staff_only(client, site, team):
    client.force_login(team.head)
    users = offered(client.get(membership_url("add")).content.decode(), "user")
    assert users == {"edu-head", "edu-editor", "edu-officer", "newcomer"}
    client.force_login(team.city)
    users = offered(client.get(membership_url("add")).content.decode(), "user")
    assert {"health-editor", "city", "newcomer"} <= users


def test_a_head_cannot_enter_another_departments_staff(client, site, team):
    client.force_login(team.head)
    before = Membership.objects.count()
    response = client.post(
        membership_url("add"),
        {"user": team.health_editor.pk, "organisation": site.edu.org.pk, "role": "editor"},
    )
    assert response.status_code == 200
    assert "只能选择尚未加入任何机构的用户或本机构的人员" in response.content.decode()
    assert Membership.objects.count() == before
    response = client.post(
        membership_url("add"),
        {"user": team.newcomer.pk, "organisation": site.edu.org.pk, "role": "editor"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=team.newcomer, organisation=site.edu.org).exists()


# The department heads' group -------------------------------------------------------------


def test_setup_makes_one_heads_group_with_which_a_head_manages_their_staff(
    client, site, staff, home_page, django_user_model
):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from opengov_cms.core.management.commands.opengov_setup import HEADS_GROUP

    for _ in range(2):
        call_command("opengov_setup", organisation=EDU, slug="edu-catalogue", stdout=None)
    groups = Group.objects.filter(name=HEADS_GROUP)
    assert groups.count() == 1
    codenames = set(groups.get().permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin", *MEMBERSHIP_PERMS}
    head = django_user_model.objects.create_user("edu-chief", password="pw")
    head.groups.add(groups.get())
    Membership.objects.create(user=head, organisation=site.edu.org, role=MembershipRole.HEAD)
    staff.make("edu", MembershipRole.EDITOR)
    staff.make("health", MembershipRole.EDITOR)
    client.force_login(head)
    rows = " ".join(listed_users(client))
    assert "edu-editor" in rows and "health-editor" not in rows
