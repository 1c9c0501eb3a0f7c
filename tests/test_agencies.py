"""Two departments and a city office on one site (集约化): what each role lists, opens,
edits, publishes, exports and sees on the dashboard, and that nothing crosses over."""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, TaskState, Workflow, WorkflowPage
from wagtail.test.utils.form_data import rich_text

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.catalogue.models import DisclosureEntryPage
from opengov_cms.core import memberships
from opengov_cms.core.models import IndexNumber, Membership, MembershipRole
from opengov_cms.disclosure_requests.models import DisclosureRequest
from opengov_cms.reports.models import AnnualFigures
from tests.catalogue.factories import CatalogueIndexPageFactory, DisclosureEntryPageFactory
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.factories import OrganisationFactory
from tests.interaction.factories import MessageFactory

pytestmark = pytest.mark.django_db

EDU = "某市教育局"
HEALTH = "某市卫生健康委员会"
FORGED = "只能选择您所在的机构"
REFUSED = "您不是该机构的编辑或审核人员"


@pytest.fixture
def city(db):
    return OrganisationFactory(
        name="某市人民政府办公室", organisation_code="D2143569-X", credit_code=""
    )


@pytest.fixture
def site(home_page, city):
    """Two departments, each with its office (a unit), its catalogue and a published entry,
    and a section the city shares with both (政策解读), where both may add pages."""
    shared = CatalogueIndexPageFactory(
        parent=home_page, title="政策解读", slug="shared", organisation=city
    )
    made = {}
    for key, name, codes in (
        ("edu", EDU, {"credit_code": "91350100M000100Y43"}),
        ("health", HEALTH, {"credit_code": "", "organisation_code": "12345678-9"}),
    ):
        org = OrganisationFactory(name=name, parent=city, **codes)
        unit = OrganisationFactory(name=f"{name}办公室", parent=org, **codes)
        root = CatalogueIndexPageFactory(parent=home_page, title=name, slug=key, organisation=org)
        section = CatalogueIndexPageFactory(parent=root, title="通知公告", slug="notices")
        entry = DisclosureEntryPageFactory.build(title=f"{name}的通知", organisation=org)
        add_to_section(section, entry)
        entry.save_revision().publish()
        in_shared = DisclosureEntryPageFactory.build(title=f"{name}的政策解读", organisation=org)
        add_to_section(shared, in_shared)
        in_shared.save_revision().publish()
        editors = Group.objects.create(name=f"{name}编辑")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        for page in (root, shared):
            for codename in ("add_page", "change_page", "publish_page"):
                GroupPagePermission.objects.create(
                    group=editors, page=page, permission=Permission.objects.get(codename=codename)
                )
        made[key] = SimpleNamespace(
            org=org,
            unit=unit,
            root=root,
            section=section,
            entry=entry,
            in_shared=in_shared,
            editors=editors,
        )
    return SimpleNamespace(shared=shared, city=city, **made)


def person(django_user_model, username, role, organisation, unit=None, groups=(), perms=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.gov.cn", "pw")
    user.groups.add(*groups)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *perms]),
    )
    Membership.objects.create(user=user, organisation=organisation, unit=unit, role=role)
    return django_user_model.objects.get(pk=user.pk)


OFFICER_PERMS = (
    "add_disclosurerequest",
    "change_disclosurerequest",
    "change_message",
    "add_annualfigures",
    "change_annualfigures",
)


@pytest.fixture
def staff(django_user_model, site):
    def make(key, role, **kwargs):
        dept = getattr(site, key)
        groups = [dept.editors] if role == MembershipRole.EDITOR else []
        perms = OFFICER_PERMS if role in (MembershipRole.OFFICER, MembershipRole.HEAD) else ()
        return person(
            django_user_model, f"{key}-{role}", role, dept.org, groups=groups, perms=perms, **kwargs
        )

    city_office = person(
        django_user_model,
        "city",
        MembershipRole.CITY,
        site.city,
        groups=[site.edu.editors, site.health.editors],
        perms=OFFICER_PERMS,
    )
    return SimpleNamespace(make=make, city=city_office)


def entry_data(organisation, title, slug, publish=True):
    data = {
        "title": title,
        "slug": slug,
        "organisation": organisation.pk,
        "written_date": "2026-03-01",
        "disclosure_attribute": "proactive",
        "validity": "valid",
        "body": rich_text("<p>各有关单位：</p>"),
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    if publish:
        data["action-publish"] = "action-publish"
    return data


def add_url(parent):
    return reverse(
        "wagtailadmin_pages:add", args=["opengov_catalogue", "disclosureentrypage", parent.pk]
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def offered(html, name="organisation"):
    soup = BeautifulSoup(html, "html.parser")
    return {o.text.strip() for o in soup.select(f"select[name={name}] option") if o["value"]}


# The one notion --------------------------------------------------------------------------


def test_each_role_acts_for_its_own_organisations_and_the_city_office_for_all(site, staff):
    editor = staff.make("edu", MembershipRole.EDITOR)
    officer = staff.make("edu", MembershipRole.OFFICER, unit=site.edu.unit)
    head = staff.make("health", MembershipRole.HEAD)
    assert memberships.organisation_ids(editor, memberships.PAGE_ROLES) == {site.edu.org.pk}
    assert memberships.organisation_ids(editor, memberships.OFFICER_ROLES) == set()
    # An officer entered for a unit acts for the unit, not the whole bureau.
    assert memberships.organisation_ids(officer, memberships.OFFICER_ROLES) == {site.edu.unit.pk}
    # The head of an office acts in every role for the bureau and its units.
    assert memberships.organisation_ids(head, memberships.PAGE_ROLES) == {
        site.health.org.pk,
        site.health.unit.pk,
    }
    assert not memberships.may_act_for(head, site.edu.org, memberships.OFFICER_ROLES)
    assert memberships.organisation_ids(staff.city) is None
    assert memberships.may_act_for(staff.city, site.health.unit, MembershipRole.OFFICER)


def test_what_a_person_acts_for_is_read_once_a_request(site, staff):
    head = staff.make("edu", MembershipRole.HEAD)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            memberships.may_act_for(head, site.edu.unit, memberships.OFFICER_ROLES)
            memberships.organisation_ids(head, memberships.PAGE_ROLES)
    # The memberships, and the organisation tree for the office head's units.
    assert len(queries) == 2


def test_a_unit_outside_the_organisation_is_refused_in_chinese(site, staff):
    from django.core.exceptions import ValidationError

    membership = Membership(
        user=staff.city, organisation=site.edu.org, unit=site.health.unit, role="officer"
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "所选科室或单位不属于该机构" in str(error.value)


def test_memberships_are_managed_in_the_admin(admin_client, site):
    viewset = Membership.snippet_viewset
    html = admin_client.get(reverse(viewset.get_url_name("add"))).content.decode()
    assert "全市政务公开办公室" in html and "保密审查人员" in html
    assert admin_client.get(reverse(viewset.get_url_name("list"))).status_code == 200


# Pages: list, open, edit, publish --------------------------------------------------------


def test_every_page_type_with_an_organisation_limits_and_checks_it():
    from django.apps import apps
    from wagtail.models import Page

    from opengov_cms.core.forms import OrganisationPageForm
    from opengov_cms.core.models import Organisation

    with_organisation = [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and any(
            getattr(field, "related_model", None) is Organisation
            for field in model._meta.get_fields()
            if field.name == "organisation"
        )
    ]
    assert len(with_organisation) >= 10
    for model in with_organisation:
        form_class = model.get_edit_handler().get_form_class()
        assert issubclass(form_class, OrganisationPageForm), model


def test_an_editor_is_offered_only_their_organisation(client, site, staff):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    html = client.get(add_url(site.shared)).content.decode()
    assert offered(html) == {EDU}
    client.force_login(staff.city)
    html = client.get(add_url(site.shared)).content.decode()
    # The city office picks from every organisation with the chooser.
    assert 'name="organisation"' in html and offered(html) == set()


def test_a_forged_post_naming_another_department_is_refused_and_nothing_saved(client, site, staff):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    numbers = IndexNumber.objects.count()
    response = client.post(
        add_url(site.shared), entry_data(site.health.org, "冒用卫健委名义的通知", "forged")
    )
    assert response.status_code == 200
    assert FORGED in response.content.decode()
    assert not DisclosureEntryPage.objects.filter(slug="forged").exists()
    assert IndexNumber.objects.count() == numbers

    # Changing an own page over to another department is refused the same way.
    response = client.post(
        edit_url(site.edu.in_shared),
        entry_data(site.health.org, "改为卫健委的解读", site.edu.in_shared.slug),
    )
    assert FORGED in response.content.decode()
    site.edu.in_shared.refresh_from_db()
    assert site.edu.in_shared.organisation == site.edu.org


def test_an_editor_publishes_under_their_own_name_and_index_number_sequence(client, site, staff):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    response = client.post(add_url(site.shared), entry_data(site.edu.org, "教育局的解读", "own"))
    assert response.status_code == 302
    page = DisclosureEntryPage.objects.get(slug="own")
    assert page.live and page.organisation == site.edu.org
    assert page.index_number.startswith(site.edu.org.code)
    assert IndexNumber.objects.get(value=page.index_number).organisation == site.edu.org


def test_another_departments_page_in_a_shared_section_cannot_be_opened_or_changed(
    client, site, staff
):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    theirs = site.health.in_shared
    response = client.get(edit_url(theirs), follow=True)
    assert response.redirect_chain and REFUSED in response.content.decode()
    response = client.post(edit_url(theirs), entry_data(site.health.org, "被改动", theirs.slug))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == f"{HEALTH}的政策解读"
    for name in ("wagtailadmin_pages:delete", "wagtailadmin_pages:unpublish"):
        response = client.post(reverse(name, args=[theirs.pk]))
        assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.live
    # Their own page next to it opens as usual, and the city office opens both.
    assert client.get(edit_url(site.edu.in_shared)).status_code == 200
    client.force_login(staff.city)
    assert client.get(edit_url(theirs)).status_code == 200


def test_bulk_actions_on_another_departments_pages_are_refused(client, site, staff):
    editor = staff.make("edu", MembershipRole.EDITOR)
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    response = client.post(f"{url}?id={site.health.in_shared.pk}", {})
    assert response.status_code in (302, 403)
    site.health.in_shared.refresh_from_db()
    assert site.health.in_shared.live


def test_the_entries_list_shows_each_department_its_own(client, site, staff):
    url = reverse("opengov_entries:index")
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    html = client.get(url).content.decode()
    assert f"{EDU}的通知" in html and f"{EDU}的政策解读" in html
    assert f"{HEALTH}的政策解读" not in html and f"{HEALTH}的通知" not in html
    assert offered(html) == {EDU}
    client.force_login(staff.city)
    html = client.get(url).content.decode()
    assert f"{HEALTH}的政策解读" in html and f"{EDU}的政策解读" in html


def test_the_entries_list_costs_the_same_queries_as_entries_grow(client, site, staff):
    client.force_login(staff.make("edu", MembershipRole.EDITOR))
    url = reverse("opengov_entries:index")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(5):
        for dept in (site.edu, site.health):
            page = DisclosureEntryPageFactory.build(title=f"再一条{number}", organisation=dept.org)
            add_to_section(dept.section, page)
            page.save_revision().publish()
    assert count() == before


def test_the_stale_sections_export_lists_only_own_sections(client, site, staff):
    for key in ("edu", "health"):
        CatalogueIndexPageFactory(parent=getattr(site, key).root, title="空栏目", slug="empty")
    client.force_login(staff.make("health", MembershipRole.EDITOR))
    response = client.get(reverse("opengov_stale_sections") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "/health/empty/" in body
    assert "/edu/" not in body


# The review workflow (三审) ---------------------------------------------------------------


@pytest.fixture
def workflow_pages(site, home_page):
    """A draft of each department's, waiting at 初审."""
    call_command("opengov_setup", verbosity=0)
    workflow = Workflow.objects.get(name="政务公开三审")
    WorkflowPage.objects.get_or_create(page=home_page, defaults={"workflow": workflow})
    pages = {}
    for key in ("edu", "health"):
        dept = getattr(site, key)
        page = DisclosureEntryPageFactory.build(
            title=f"{dept.org.name}待审稿件", organisation=dept.org
        )
        add_to_section(dept.section, page)
        page.save_revision()
        workflow.start(page, None)
        pages[key] = page
    return pages


def reviewer(staff, key, role=MembershipRole.REVIEWER, group="初审人员"):
    user = staff.make(key, role)
    user.groups.add(Group.objects.get(name=group))
    return user.__class__.objects.get(pk=user.pk)


def test_a_reviewer_sees_and_acts_on_the_tasks_of_their_own_department_only(
    client, site, staff, workflow_pages
):
    user = reviewer(staff, "edu")
    waiting = TaskState.objects.reviewable_by(user)
    assert {int(s.workflow_state.object_id) for s in waiting} == {workflow_pages["edu"].pk}
    client.force_login(user)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"{EDU}待审稿件" in dashboard and f"{HEALTH}待审稿件" not in dashboard

    theirs = workflow_pages["health"]
    state = theirs.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[theirs.pk, "approve", state.pk])
    assert client.post(url, {}).status_code in (302, 403)  # Wagtail's "no permission"
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS

    own = workflow_pages["edu"]
    state = own.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[own.pk, "approve", state.pk])
    client.post(url, {})
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED


def test_the_confidentiality_step_goes_to_the_departments_own_reviewer(site, staff, workflow_pages):
    for page in workflow_pages.values():
        state = page.current_workflow_task_state
        state.task.specific.on_action(state, staff.city, "approve")
    edu = reviewer(staff, "edu", MembershipRole.CONFIDENTIALITY, "保密审查人员")
    plain = reviewer(staff, "health", MembershipRole.REVIEWER, "保密审查人员")
    waiting = TaskState.objects.reviewable_by(edu)
    assert {int(s.workflow_state.object_id) for s in waiting} == {workflow_pages["edu"].pk}
    # A reviewer who is not entered as 保密审查人员 does not take this step.
    assert not TaskState.objects.reviewable_by(plain).exists()
    # The group says who reviews at all; the city office's member of it reviews for all.
    staff.city.groups.add(Group.objects.get(name="保密审查人员"))
    city = staff.city.__class__.objects.get(pk=staff.city.pk)
    assert TaskState.objects.reviewable_by(city).count() == 2


# Requests, messages, figures -------------------------------------------------------------


@pytest.fixture
def casework(site):
    made = {}
    for key in ("edu", "health"):
        dept = getattr(site, key)
        made[key] = SimpleNamespace(
            request=DisclosureRequestFactory(organisation=dept.org),
            message=MessageFactory(organisation=dept.org),
            unit_message=MessageFactory(organisation=dept.unit),
            figures=AnnualFigures.objects.create(organisation=dept.org, year=2025, licensing=3),
        )
    return made


def test_an_officer_lists_and_opens_only_their_departments_requests(client, staff, casework):
    client.force_login(staff.make("edu", MembershipRole.OFFICER))
    html = client.get(reverse("opengov_requests_admin:index")).content.decode()
    assert casework["edu"].request.tracking_number in html
    assert casework["health"].request.tracking_number not in html
    assert offered(html, "department") == {EDU}
    theirs = casework["health"].request.pk
    assert client.get(reverse("opengov_requests_admin:detail", args=[theirs])).status_code == 404
    mine = casework["edu"].request.pk
    assert client.get(reverse("opengov_requests_admin:detail", args=[mine])).status_code == 200


def test_a_forged_offline_request_for_another_department_is_refused(client, staff, site):
    client.force_login(staff.make("edu", MembershipRole.OFFICER))
    response = client.post(
        reverse("opengov_requests_admin:add"),
        {"organisation": site.health.org.pk, "channel": "letter", "received_on": "2026-03-02"},
    )
    assert response.status_code == 400
    assert "只能登记您所在机构" in response.content.decode()
    assert not DisclosureRequest.objects.filter(organisation=site.health.org).exists()


def test_an_officer_handles_their_departments_messages_and_the_head_their_units(
    client, staff, casework
):
    url = reverse("opengov_interaction_admin:index")
    client.force_login(staff.make("edu", MembershipRole.OFFICER))
    html = client.get(url).content.decode()
    assert casework["edu"].message.tracking_number in html
    assert casework["edu"].unit_message.tracking_number not in html
    assert casework["health"].message.tracking_number not in html
    client.force_login(staff.make("edu", MembershipRole.HEAD))
    html = client.get(url).content.decode()
    assert casework["edu"].unit_message.tracking_number in html
    assert casework["health"].message.tracking_number not in html
    assert casework["health"].unit_message.tracking_number not in html
    client.force_login(staff.city)
    html = client.get(url).content.decode()
    assert all(
        getattr(casework[key], kind).tracking_number in html
        for key in ("edu", "health")
        for kind in ("message", "unit_message")
    )


def test_an_officer_sees_and_enters_only_their_departments_figures(client, staff, site, casework):
    viewset = AnnualFigures.snippet_viewset
    client.force_login(staff.make("health", MembershipRole.OFFICER))
    html = client.get(reverse(viewset.get_url_name("list"))).content.decode()
    assert HEALTH in html and EDU not in html
    theirs = casework["edu"].figures.pk
    response = client.get(reverse(viewset.get_url_name("edit"), args=[theirs]))
    assert response.status_code in (302, 403)
    html = client.get(reverse(viewset.get_url_name("add"))).content.decode()
    assert offered(html) == {HEALTH}


def test_dashboard_panels_count_only_the_departments_own_work(client, staff, site):
    import datetime

    for key, count in (("edu", 2), ("health", 5)):
        for _ in range(count):
            DisclosureRequestFactory(
                organisation=getattr(site, key).org, received_on=datetime.date(2026, 3, 16)
            )
    # Due dates that wait for a year's holiday schedule: the admin home counts them in the
    # panel 答复期限待定的申请.
    DisclosureRequest.objects.update(due_date=None)

    def panel(user):
        client.force_login(user)
        soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
        found = [p for p in soup.find_all("p") if "期限待定的申请：" in p.get_text()]
        return found[0].get_text(strip=True) if found else ""

    assert DisclosureRequest.objects.filter(due_date__isnull=True).count() == 7
    assert "：2件" in panel(staff.make("edu", MembershipRole.OFFICER))
    assert "：5件" in panel(staff.make("health", MembershipRole.OFFICER))
    assert "：7件" in panel(staff.city)
    assert panel(staff.make("edu", MembershipRole.EDITOR)) == ""


def test_the_inbox_costs_the_same_queries_as_requests_grow(client, staff, site):
    client.force_login(staff.make("edu", MembershipRole.OFFICER))
    url = reverse("opengov_requests_admin:index")
    DisclosureRequestFactory(organisation=site.edu.org)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for _ in range(6):
        DisclosureRequestFactory(organisation=site.edu.org)
        DisclosureRequestFactory(organisation=site.health.org)
    assert count() == before


# Setting up a department in one step ------------------------------------------------------


def test_a_second_department_is_set_up_in_one_step_and_again_changes_nothing(
    home_page, city, django_user_model, client
):
    from wagtail.models import Collection, GroupPagePermission, Page

    from opengov_cms.catalogue.models import CatalogueIndexPage, GuidePage
    from opengov_cms.disclosure_requests.models import RequestFormPage

    first = OrganisationFactory(name=EDU, parent=city)
    second = OrganisationFactory(
        name=HEALTH, parent=city, credit_code="", organisation_code="12345678-9"
    )
    call_command("opengov_setup", organisation=first.name, verbosity=0)
    call_command("opengov_setup", organisation=second.name, slug="wjw", verbosity=0)

    def state():
        return (
            Page.objects.count(),
            Group.objects.count(),
            GroupPagePermission.objects.count(),
            Collection.objects.count(),
            WorkflowPage.objects.count(),
        )

    before = state()
    call_command("opengov_setup", organisation=second.name, slug="wjw", verbosity=0)
    call_command("opengov_setup", organisation=second.name, verbosity=0)  # found by organisation
    assert state() == before

    root = CatalogueIndexPage.objects.get(organisation=second)
    assert root.url_path.endswith("/wjw/") and root.title == f"{HEALTH}政府信息公开"
    assert GuidePage.objects.get(organisation=second).get_parent().pk == root.pk
    form = RequestFormPage.objects.get(organisation=second)
    assert form.get_parent().pk == root.pk and form.live
    assert root.get_workflow().name == "政务公开三审"
    editors = Group.objects.get(name=f"{HEALTH}编辑")
    assert set(
        GroupPagePermission.objects.filter(group=editors).values_list("page_id", flat=True)
    ) == {root.pk}

    # An editor in the department's group, entered as its editor, works in its subtree only.
    editor = django_user_model.objects.create_user("wjw-editor", password="pw")
    editor.groups.add(editors)
    Membership.objects.create(user=editor, organisation=second, role=MembershipRole.EDITOR)
    client.force_login(editor)
    notices = (
        root.get_children().get(slug="notices")
        if root.get_children().filter(slug="notices").exists()
        else root
    )
    response = client.get(add_url(notices))
    assert response.status_code == 200 and offered(response.content.decode()) == {HEALTH}
    theirs = CatalogueIndexPage.objects.get(organisation=first)
    assert client.get(add_url(theirs)).status_code in (302, 403)


def test_a_taken_slug_is_refused_before_anything_is_written(home_page, city):
    from django.core.management.base import CommandError

    from opengov_cms.core.models import Topic

    first = OrganisationFactory(name=EDU, parent=city)
    second = OrganisationFactory(
        name=HEALTH, parent=city, credit_code="", organisation_code="12345678-9"
    )
    call_command("opengov_setup", organisation=first.name, verbosity=0)
    from wagtail.models import Page

    pages = Page.objects.count()
    Topic.objects.filter(code="other").delete()
    with pytest.raises(CommandError, match="--slug"):
        call_command("opengov_setup", organisation=second.name, verbosity=0)
    assert not Topic.objects.filter(code="other").exists()  # the taxonomies were not loaded
    assert Page.objects.count() == pages
    assert not Group.objects.filter(name=f"{HEALTH}编辑").exists()


# Supervision: the 整改 ledger --------------------------------------------------------------


def test_the_rectification_ledger_and_its_export_stay_within_the_department(client, site, staff):
    import datetime
    import io

    from openpyxl import load_workbook

    from opengov_cms.supervision.models import Rectification

    for key in ("edu", "health"):
        dept = getattr(site, key)
        Rectification.objects.create(
            organisation=dept.org,
            unit=dept.unit,
            problem=f"{dept.org.name}栏目更新不及时",
            deadline=datetime.date(2026, 4, 30),
        )
    url = reverse("opengov_supervision_rectifications:index")
    head = staff.make("edu", MembershipRole.HEAD)
    head.user_permissions.add(Permission.objects.get(codename="close_rectification"))
    unit_officer = staff.make("health", MembershipRole.OFFICER, unit=site.health.unit)
    for user, own, other in (
        (head, EDU, HEALTH),
        (unit_officer, HEALTH, EDU),
    ):
        client.force_login(user.__class__.objects.get(pk=user.pk))
        html = client.get(url).content.decode()
        assert f"{own}栏目更新不及时" in html and f"{other}栏目更新不及时" not in html
        response = client.get(url + "?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        assert f"{own}栏目更新不及时" in cells and f"{other}栏目更新不及时" not in cells
    client.force_login(staff.city)
    html = client.get(url).content.decode()
    assert f"{EDU}栏目更新不及时" in html and f"{HEALTH}栏目更新不及时" in html


# City-wide statistics ---------------------------------------------------------------------


def test_the_city_office_sees_the_departments_tables_summed_with_the_check_rule(
    client, site, staff
):
    import datetime

    from opengov_cms.reports.statistics import (
        Period,
        check_rule_failures,
        request_statistics,
        sum_request_tables,
    )

    for key, count in (("edu", 2), ("health", 3)):
        for _ in range(count):
            DisclosureRequestFactory(
                organisation=getattr(site, key).org, received_on=datetime.date(2025, 5, 6)
            )
    url = reverse("opengov_reports_city:index")
    client.force_login(staff.city)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url + "?period=2025").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in soup.select("table.listing tbody tr")
    }
    assert rows[EDU][0] == "2" and rows[HEALTH][0] == "3"
    assert "合计符合核对规则" in html and "2025年：2个机构的申请情况合计" in html
    period = Period(2025)
    total = sum_request_tables(
        [request_statistics(site.edu.org, period), request_statistics(site.health.org, period)]
    )
    assert total["new"]["total"] == 5 and not check_rule_failures(total)

    # One more department costs no more queries.
    DisclosureRequestFactory(organisation=site.city, received_on=datetime.date(2025, 6, 1))
    with CaptureQueriesContext(connection) as again:
        client.get(url + "?period=2025")
    assert len(again) == len(queries)

    # The check rule is applied to the sum: a department's table that does not balance (a
    # stored table edited by hand, say) makes the sum fail in the same column.
    broken = request_statistics(site.health.org, period)
    broken["handled"]["natural_person"] += 1
    assert check_rule_failures(
        sum_request_tables([request_statistics(site.edu.org, period), broken])
    ) == ["natural_person"]

    # Nobody else opens it, and a bad period is named in Chinese.
    client.force_login(staff.make("edu", MembershipRole.HEAD))
    assert client.get(url).status_code in (302, 403)
    client.force_login(staff.city)
    assert "请填写年度" in client.get(url + "?period=去年").content.decode()


def test_a_city_catalogue_lists_every_departments_entries_with_an_organisation_facet(
    home_page, city, client
):
    """Departments set up under the city's catalogue: the city's lists everything below it,
    and the reader narrows it to one department with the 发布机构 filter."""
    from opengov_cms.catalogue.models import CatalogueIndexPage

    call_command("opengov_setup", organisation=city.name, verbosity=0)
    city_root = CatalogueIndexPage.objects.get(organisation=city)
    titles = {}
    for name, slug, codes in (
        (EDU, "jyj", {}),
        (HEALTH, "wjw", {"credit_code": "", "organisation_code": "12345678-9"}),
    ):
        org = OrganisationFactory(name=name, parent=city, **codes)
        call_command(
            "opengov_setup", organisation=name, parent=city_root.pk, slug=slug, verbosity=0
        )
        root = CatalogueIndexPage.objects.get(organisation=org)
        section = CatalogueIndexPage.objects.descendant_of(root).get(slug="other-documents")
        entry = DisclosureEntryPageFactory.build(title=f"{name}的工作要点", organisation=org)
        add_to_section(section, entry)
        entry.save_revision().publish()
        titles[slug] = (org, root, entry.title)

    html = client.get(city_root.url).content.decode()
    assert titles["jyj"][2] in html and titles["wjw"][2] in html
    soup = BeautifulSoup(html, "html.parser")
    options = {o.get_text(strip=True) for o in soup.select("select[name=organisation] option")}
    assert {EDU, HEALTH} <= options
    html = client.get(f"{city_root.url}?organisation={titles['jyj'][0].pk}").content.decode()
    assert titles["jyj"][2] in html and titles["wjw"][2] not in html
    html = client.get(titles["wjw"][1].url).content.decode()
    assert titles["wjw"][2] in html and titles["jyj"][2] not in html


def test_a_city_wide_annual_report_sums_the_departments_beside_the_offices_own(site):
    import datetime

    from opengov_cms.catalogue.models import CatalogueIndexPage
    from opengov_cms.reports.models import AnnualReportPage
    from opengov_cms.reports.statistics import check_rule_failures, compute

    for key, count, licensing in (("edu", 2, 4), ("health", 3, 5)):
        org = getattr(site, key).org
        for _ in range(count):
            DisclosureRequestFactory(organisation=org, received_on=datetime.date(2025, 5, 6))
        AnnualFigures.objects.create(organisation=org, year=2025, licensing=licensing)
    DisclosureRequestFactory(organisation=site.city, received_on=datetime.date(2025, 7, 1))
    reports = CatalogueIndexPageFactory(
        parent=site.shared, title="公开年报", slug="reports", organisation=site.city
    )

    def report(slug, city_wide):
        page = AnnualReportPage(
            title=slug,
            slug=slug,
            organisation=site.city,
            report_year=2025,
            covers_organisations_below=city_wide,
        )
        page.refresh_statistics()
        reports.add_child(instance=page)
        return page

    own = report("own", False)
    city_wide = report("city-wide", True)
    assert own.statistics["requests"]["new"]["total"] == 1
    assert city_wide.statistics["requests"]["new"]["total"] == 6
    assert city_wide.statistics["decisions"]["licensing"] == 9
    assert not check_rule_failures(city_wide.statistics["requests"])
    assert own.statistics == compute(site.city, own.period)
    assert isinstance(reports, CatalogueIndexPage)


def test_the_job_drafts_the_city_wide_annual_report_of_the_competent_department_once(site):
    """The city office is the competent department (政府信息公开工作主管部门): besides every
    organisation's own report, the annual job drafts one report summing it and the
    departments under it, on the same day, and never a second one."""
    import datetime

    from opengov_cms.reports.models import AnnualReportPage
    from opengov_cms.reports.statistics import check_rule_failures
    from opengov_cms.reports.tasks import draft_annual
    from tests.reports.conftest import set_up_on

    site.city.is_competent_department = True
    site.city.save()
    for key, count, licensing in (("edu", 2, 4), ("health", 3, 5)):
        org = getattr(site, key).org
        for _ in range(count):
            DisclosureRequestFactory(organisation=org, received_on=datetime.date(2025, 5, 6))
        AnnualFigures.objects.create(organisation=org, year=2025, licensing=licensing)
    DisclosureRequestFactory(organisation=site.city, received_on=datetime.date(2025, 7, 1))
    CatalogueIndexPageFactory(parent=site.shared, title="公开年报", slug="annual-reports")
    for root in (site.shared, site.edu.root, site.health.root):
        set_up_on(root, datetime.date(2025, 1, 1))

    assert draft_annual("2025-12-31") == 0  # not due before January
    # The scheduler was down over New Year: the first run in January catches up.
    assert draft_annual("2026-01-06") == 4
    assert draft_annual("2026-01-06") == 0
    assert draft_annual("2026-02-01") == 0
    city_wide = AnnualReportPage.objects.get(covers_organisations_below=True)
    assert AnnualReportPage.objects.filter(covers_organisations_below=False).count() == 3
    assert city_wide.organisation == site.city and city_wide.report_year == 2025
    assert city_wide.title == "某市人民政府办公室2025年政府信息公开工作年度报告（汇总下级机构）"
    assert city_wide.get_parent().get_parent().slug == "annual-reports" and not city_wide.live

    # Its tables are the sums of the three organisations' own reports, and they balance.
    own = AnnualReportPage.objects.filter(covers_organisations_below=False)
    totals = [page.statistics["requests"]["new"]["total"] for page in own]
    assert sorted(totals) == [1, 2, 3]
    assert city_wide.statistics["requests"]["new"]["total"] == sum(totals) == 6
    for row in ("new", "handled", "carried_forward"):
        for column in ("natural_person", "total"):
            assert city_wide.statistics["requests"][row][column] == sum(
                page.statistics["requests"][row][column] for page in own
            )
    assert city_wide.statistics["decisions"]["licensing"] == 9
    assert not check_rule_failures(city_wide.statistics["requests"])

    # A department is not a competent department: no city-wide report of its own.
    assert not AnnualReportPage.objects.filter(
        organisation=site.edu.org, covers_organisations_below=True
    ).exists()


# City-wide message statistics -------------------------------------------------------------


def message_box(home_page, organisation, slug):
    from opengov_cms.interaction.models import MessageBoxPage

    page = MessageBoxPage(title=f"{organisation.name}信箱", slug=slug, organisation=organisation)
    home_page.refresh_from_db()
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def city_rows(client, query):
    html = client.get(reverse("opengov_interaction_city:index") + query).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    rows = {
        row.th.get_text(strip=True): [int(td.get_text(strip=True)) for td in row.find_all("td")[:2]]
        for row in soup.select("#opengov-city-messages tbody tr")
    }
    return html, rows


def test_the_city_office_sees_every_departments_messages_summed_in_constant_queries(
    client, site, staff, home_page, admin_user
):
    """全市留言统计: one row per organisation with a message box, its units' messages
    counted with it, each row what the department's own statistics say, and their sum; the
    same number of queries with two departments as with five."""
    import datetime

    from opengov_cms.interaction.statistics import units_of, year_statistics
    from tests.factories import enter_holiday_schedule
    from tests.interaction.factories import reply_to

    enter_holiday_schedule(2025)
    received = datetime.date(2025, 5, 6)
    for key, at_org, at_unit in (("edu", 2, 1), ("health", 1, 2)):
        dept = getattr(site, key)
        box = message_box(home_page, dept.org, f"{key}-box")
        made = [
            MessageFactory(box=box, organisation=org, received_on=received)
            for org, number in ((dept.org, at_org), (dept.unit, at_unit))
            for _ in range(number)
        ]
    reply_to(made[0], staff.city, admin_user, datetime.date(2025, 5, 8))  # a health message
    MessageFactory(organisation=site.city, received_on=datetime.date(2025, 8, 1))
    MessageFactory(organisation=site.edu.org, received_on=datetime.date(2024, 12, 30))

    client.force_login(staff.city)
    with CaptureQueriesContext(connection) as queries:
        html, rows = city_rows(client, "?period=2025")
    assert rows == {EDU: [3, 0], HEALTH: [3, 1], site.city.name: [1, 0], "全市合计": [7, 1]}
    assert "2025年：3个机构的留言合计" in html
    own = [
        year_statistics(2025, units_of(org))["year"]
        for org in (site.edu.org, site.health.org, site.city)
    ]
    assert [figures.received for figures in own] == [3, 3, 7]  # the city's own counts all
    assert sum(figures.received for figures in own[:2]) + 1 == rows["全市合计"][0]
    assert sum(figures.replied for figures in own[:2]) == rows["全市合计"][1]
    # A quarter: the second quarter has the departments' messages, not the city's of August.
    assert city_rows(client, "?period=2025Q2")[1]["全市合计"] == [6, 1]

    # Three departments more, each with a box, a unit and messages: no more queries.
    for number in range(3):
        org = OrganisationFactory(name=f"某市第{number}局", parent=site.city)
        unit = OrganisationFactory(name=f"某市第{number}局办公室", parent=org)
        box = message_box(home_page, org, f"box-{number}")
        for where in (org, unit):
            MessageFactory(box=box, organisation=where, received_on=received)
    with CaptureQueriesContext(connection) as again:
        _html, rows = city_rows(client, "?period=2025")
    assert len(again) == len(queries)
    assert rows["全市合计"] == [13, 1] and rows["某市第1局"] == [2, 0]

    # A bad period is named in Chinese; nobody but the city office opens the view.
    assert "请填写年度" in city_rows(client, "?period=去年")[0]
    for role in (MembershipRole.OFFICER, MembershipRole.HEAD):
        client.force_login(staff.make("edu", role))
        assert client.get(reverse("opengov_interaction_city:index")).status_code in (302, 403)


# The 发布机构 filter -------------------------------------------------------------------------


def test_the_organisation_filter_offers_the_departments_with_public_entries_only(
    client, site, django_capture_on_commit_callbacks
):
    """Not the units (科室), not the city office that publishes nothing in the list, not a
    department with no public entry yet; a forged value is a form error, never a 500."""
    stats = OrganisationFactory(
        name="某市统计局", parent=site.city, credit_code="", organisation_code="87654321-0"
    )

    def offered_here(query=""):
        response = client.get(site.shared.url + query)
        soup = BeautifulSoup(response.content.decode(), "html.parser")
        options = {o.get_text(strip=True) for o in soup.select("select[name=organisation] option")}
        return response, options

    response, options = offered_here()
    assert response.status_code == 200
    assert options == {"全部机构", EDU, HEALTH}

    # One department chosen: its entries only, and the option stays selected.
    response, _options = offered_here(f"?organisation={site.edu.org.pk}")
    html = response.content.decode()
    assert site.edu.in_shared.title in html and site.health.in_shared.title not in html
    assert f'<option value="{site.edu.org.pk}" selected>' in html

    # A unit, an organisation with no public entry, one that does not exist, or not a number.
    for forged in (site.edu.unit.pk, stats.pk, 999999, "abc", "1 OR 1=1"):
        response = client.get(site.shared.url, {"organisation": forged})
        assert response.status_code == 400, forged
        assert "所选的发布机构不存在，请重新选择。" in response.content.decode()

    # Its first public entry puts the department in the list; unpublishing it takes it out.
    entry = DisclosureEntryPageFactory.build(title="某市统计公报", organisation=stats)
    with django_capture_on_commit_callbacks(execute=True):
        add_to_section(site.shared, entry)
        entry.save_revision().publish()
    assert offered_here()[1] == {"全部机构", EDU, HEALTH, "某市统计局"}
    assert client.get(site.shared.url, {"organisation": stats.pk}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        entry.unpublish()
    assert offered_here()[1] == {"全部机构", EDU, HEALTH}
