"""Fixtures of the message tests: an organisation with two units, its message box, and the
staff who handle and review messages."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def units(organisation):
    """Two units under the bureau: 办公室 and 市场管理科."""
    office = OrganisationFactory(name="六安市文化和旅游局办公室", parent=organisation)
    market = OrganisationFactory(name="六安市文化和旅游局市场管理科", parent=organisation)
    return {"office": office, "market": market}


@pytest.fixture
def box(home_page, organisation, units):
    from opengov_cms.interaction.models import MessageBoxPage

    page = MessageBoxPage(
        title="局长信箱",
        slug="mailbox",
        organisation=organisation,
        intro="<p>我们在5至10个工作日内答复。</p>",
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def staff_user(django_user_model, username, units=(), permissions=()):
    from opengov_cms.disclosure_requests.models import DepartmentMembership

    user = django_user_model.objects.create_user(
        username=username, password="pw", email=f"{username}@example.gov.cn"
    )
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    user.user_permissions.add(access)
    for codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="opengov_interaction", codename=codename)
        )
    for unit in units:
        DepartmentMembership.objects.create(user=user, organisation=unit)
    return user


@pytest.fixture
def handler(django_user_model, organisation, units):
    """A handler of the bureau and its office, who may draft replies but not review them."""
    return staff_user(
        django_user_model,
        "handler",
        units=[organisation, units["office"]],
        permissions=["change_message"],
    )


@pytest.fixture
def reviewer(django_user_model, organisation, units):
    """A reviewer of every unit's replies."""
    return staff_user(
        django_user_model,
        "reviewer",
        units=[organisation, *units.values()],
        permissions=["change_message", "review_message"],
    )
