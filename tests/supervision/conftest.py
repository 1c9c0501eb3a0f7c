"""A bureau with a catalogue, its units, a plan of this year, and staff in each role."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from opengov_cms.core.models import Organisation
from opengov_cms.supervision.choices import Role, Schedule
from opengov_cms.supervision.models import DisclosurePlan, PlanTask, SupervisionMembership
from opengov_cms.supervision.setup import OFFICE_PERMISSIONS, UNIT_PERMISSIONS
from tests.catalogue.factories import CatalogueIndexPageFactory


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=("opengov_supervision", "wagtailadmin"),
            codename__in=codenames,
        )
    )


def make_user(username, *codenames, member_of=None, role=Role.UNIT):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", "pw", is_staff=True
    )
    grant(user, "access_admin", *codenames)
    for organisation in member_of or []:
        SupervisionMembership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def bureau(organisation):
    return organisation


@pytest.fixture
def catalogue(home_page, bureau):
    """The bureau's catalogue root with a few sections of the default tree."""
    root = CatalogueIndexPageFactory(
        parent=home_page, title="政府信息公开", slug="xxgk", organisation=bureau
    )

    def section(parent, title, slug):
        # Sections below a root carry no organisation of their own (they inherit it).
        return CatalogueIndexPageFactory(parent=parent, title=title, slug=slug, organisation=None)

    finance = section(root, "财政信息", "finance")
    return {
        "root": root,
        "finance": finance,
        "budgets": section(finance, "预算决算", "budgets"),
        "key-areas": section(root, "重点领域", "key-areas"),
        "normative": section(root, "行政规范性文件", "normative"),
        "culture": section(root, "公共文化", "culture"),
        "heritage": section(root, "文化遗产", "heritage"),
    }


@pytest.fixture
def units(bureau):
    return {
        name: Organisation.objects.create(name=name, short_name=short, parent=bureau)
        for name, short in (
            ("办公室", "办公室"),
            ("财务审计科", "财务科"),
            ("政策法规科", "法规科"),
        )
    }


@pytest.fixture
def other_bureau(db):
    other = Organisation.objects.create(name="六安市教育体育局", organisation_code="12345678-9")
    unit = Organisation.objects.create(name="教育局办公室", parent=other)
    return {"organisation": other, "unit": unit}


@pytest.fixture
def plan(bureau):
    return DisclosurePlan.objects.create(
        organisation=bureau, year=2026, title="六安市文化和旅游局2026年政务公开实施方案"
    )


@pytest.fixture
def budget_task(plan, units, catalogue):
    task = PlanTask.objects.create(
        plan=plan,
        section_number=2,
        section_title="注重公开规范，抓好信息主动公开",
        number=3,
        text="推进财务相关信息公开。做好本部门年度预决算公开工作。",
        lead_unit=units["财务审计科"],
        schedule=Schedule.QUARTERLY,
    )
    task.cooperating_units.set([units["办公室"]])
    task.evidence_sections.set([catalogue["budgets"]])
    return task


@pytest.fixture
def office_user(bureau):
    return make_user("office", *OFFICE_PERMISSIONS, member_of=[bureau], role=Role.OFFICE)


@pytest.fixture
def finance_user(units):
    return make_user("finance", *UNIT_PERMISSIONS, member_of=[units["财务审计科"]])


@pytest.fixture
def policy_user(units):
    return make_user("policy", *UNIT_PERMISSIONS, member_of=[units["政策法规科"]])


@pytest.fixture
def other_office_user(other_bureau):
    return make_user(
        "other-office",
        *OFFICE_PERMISSIONS,
        member_of=[other_bureau["organisation"]],
        role=Role.OFFICE,
    )


def client_for(client, user):
    client.force_login(user)
    return client


Q1_DUE = datetime.date(2026, 3, 28)


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its home page and a
    message; anything else refuses with 403."""
    if response.status_code == 302:
        return response["Location"] == "/admin/"
    return response.status_code == 403
