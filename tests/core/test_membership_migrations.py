"""Upgrading: the request handlers (办理人员) and supervision staff (督查人员) become 机构人员,
and the review steps opengov_setup made become steps scoped to the page's organisation."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("opengov_core", "0006_site_identity"),
    ("opengov_requests", "0006_free_text_encrypted"),
    ("opengov_supervision", "0001_initial"),
]
AFTER = [
    ("opengov_core", "0008_review_task"),
    ("opengov_requests", "0007_memberships_to_core"),
    ("opengov_supervision", "0002_memberships_to_core"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Leave the database at the latest migrations, which may be later than AFTER, for the
    tests that run after this one."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_memberships_and_review_steps_are_carried_over():
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Organisation = old.get_model("opengov_core", "Organisation")
    bureau = Organisation.objects.create(name="六安市文化和旅游局")
    unit = Organisation.objects.create(name="财务审计科", parent=bureau)
    handler = User.objects.create(username="handler")
    office = User.objects.create(username="office")
    staff = User.objects.create(username="staff")
    old.get_model("opengov_requests", "DepartmentMembership").objects.create(
        user=handler, organisation=bureau
    )
    supervision = old.get_model("opengov_supervision", "SupervisionMembership")
    supervision.objects.create(user=office, organisation=bureau, role="office")
    supervision.objects.create(user=staff, organisation=unit, role="unit")
    ContentType = old.get_model("contenttypes", "ContentType")
    GroupApprovalTask = old.get_model("wagtailcore", "GroupApprovalTask")
    plain = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0]
    first = GroupApprovalTask.objects.create(name="初审", content_type=plain)
    other = GroupApprovalTask.objects.create(name="法制审核", content_type=plain)
    group = old.get_model("auth", "Group").objects.create(name="初审人员")
    first.groups.add(group)

    new = migrate(AFTER)
    rows = set(
        new.get_model("opengov_core", "Membership").objects.values_list(
            "user__username", "organisation__name", "unit_id", "role"
        )
    )
    assert rows == {
        ("handler", "六安市文化和旅游局", None, "officer"),
        ("office", "六安市文化和旅游局", None, "head"),
        ("staff", "财务审计科", None, "officer"),
    }
    ReviewTask = new.get_model("opengov_core", "ReviewTask")
    assert list(ReviewTask.objects.values_list("name", flat=True)) == ["初审"]
    converted = ReviewTask.objects.get()
    assert list(converted.groups.values_list("name", flat=True)) == ["初审人员"]
    assert converted.content_type.model == "reviewtask"
    Task = new.get_model("wagtailcore", "Task")
    assert Task.objects.get(pk=other.pk).content_type.model == "groupapprovaltask"
