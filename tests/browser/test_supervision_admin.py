"""The supervision screens of the admin in headless Chromium, as a unit's staff and the
disclosure office use them on the demo's 2019 plan: no serious or critical axe-core
violation on any of them, and a submission reviewed, its problem entered in the ledger,
reported and closed through the forms."""

import json
import re

import pytest

from tests.browser.conftest import FAILING_IMPACTS, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "demo-browser-pw-7"
USERS = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from opengov_cms.core.models import Organisation
from opengov_cms.supervision.models import Submission, SupervisionMembership
from opengov_cms.supervision.setup import OFFICE_GROUP, UNIT_GROUP
import json
User = get_user_model()
bureau = Organisation.objects.get(name="六安市文化和旅游局")
finance = Organisation.objects.get(name="财务审计科")
for name, group, organisation, role in (
    ("office", OFFICE_GROUP, bureau, "office"),
    ("finance", UNIT_GROUP, finance, "unit"),
):
    user = User.objects.filter(username=name).first() or User.objects.create_user(name)
    user.set_password("{PASSWORD}")
    user.save()
    user.groups.add(Group.objects.get(name=group))
    SupervisionMembership.objects.get_or_create(user=user, organisation=organisation, role=role)
waiting = Submission.objects.get(
    task__section_number=2, task__number=3, unit=finance, period="2019Q4"
)
print("IDS=" + json.dumps({{"submission": waiting.pk, "plan": waiting.task.plan_id}}))
"""


@pytest.fixture(scope="module")
def demo_ids(sandbox):
    out = sandbox.manage("shell", "-c", USERS)
    return json.loads(out.rsplit("IDS=", 1)[1])


def sign_in(visitor, username):
    page = visitor.page
    visitor.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    assert "/admin/login/" not in page.url, f"{username} could not sign in"


def assert_admin_accessible(page, label, own_tables=True):
    failing = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    report = "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in failing
    )
    assert not failing, f"axe on {label} ({page.url}):\n{report}"
    if not own_tables:
        return  # Wagtail's own listings have no caption; axe is the check there
    tables = page.evaluate(
        "() => [...document.querySelectorAll('main table')]"
        ".filter((t) => !t.querySelector('caption') || !t.querySelector('th')).length"
    )
    assert not tables, f"{label}: a table without caption or header cells"


def visit(visitor, path, label, own_tables=True):
    response = visitor.goto(path)
    assert response.status == 200, f"{path}: HTTP {response.status}"
    assert_admin_accessible(visitor.page, label, own_tables)


def test_the_office_screens(visitor, demo_ids):
    sign_in(visitor, "office")
    plan = demo_ids["plan"]
    visit(visitor, "/admin/", "the dashboard of the office")
    assert visitor.page.get_by_text("督查事项逾期").is_visible()
    visit(visitor, f"/admin/supervision/plans/{plan}/progress/", "the 责任分解表")
    assert visitor.page.get_by_text("推进财务相关信息公开").first.is_visible()
    visit(visitor, "/admin/supervision/plans/", "the plans", own_tables=False)
    visit(visitor, f"/admin/supervision/plans/{plan}/import/", "the import")
    visit(visitor, "/admin/supervision/submissions/?due=overdue", "the overdue submissions")
    visit(visitor, "/admin/supervision/rectifications/", "the ledger")
    visit(visitor, "/admin/supervision/rectifications/new/", "a new ledger entry")
    visit(visitor, "/admin/supervision/check/", "the standard-catalogue check")
    page = visitor.page
    page.select_option("#id_organisation", label="六安市文化和旅游局")
    page.select_option("#id_catalogue", index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="自查").click()
    assert page.get_by_text("公共文化机构免费开放信息").is_visible()
    assert_admin_accessible(page, "the check's results")


def test_a_submission_reviewed_and_its_problem_carried_to_closure(browser, sandbox, demo_ids):
    from tests.browser.conftest import Visitor

    unit, office = Visitor(browser, sandbox), Visitor(browser, sandbox)
    try:
        submission = f"/admin/supervision/submissions/{demo_ids['submission']}/"
        sign_in(unit, "finance")
        visit(unit, "/admin/", "the dashboard of a unit")
        visit(unit, submission, "a submission to make")
        page = unit.page
        page.get_by_label("完成情况").fill("已公开2019年第四季度“三公”经费执行情况。")
        with page.expect_navigation():
            page.get_by_role("button", name="报送", exact=True).click()
        assert page.get_by_text("已报送。").is_visible()

        sign_in(office, "office")
        visit(office, submission, "a submission to review")
        page = office.page
        page.get_by_label("发现问题，列入整改台账").check()
        page.get_by_label("存在问题").fill("未公开公务接待人次。")
        page.get_by_label("整改时限").fill("2099-12-31")
        with page.expect_navigation():
            page.get_by_role("button", name="提交审核结果").click()
        assert page.get_by_text("已列入整改台账1条。").is_visible()
        entry = page.get_by_role("link", name=re.compile(r"^ZG\d{4}-\d+$")).first
        href = entry.get_attribute("href")

        visit(unit, href, "a ledger entry to report on")
        page = unit.page
        page.get_by_label("整改措施").fill("在“三公经费”栏目补充公开公务接待人次。")
        with page.expect_navigation():
            page.get_by_role("button", name="报告整改情况").click()
        assert page.get_by_text("已报告整改情况，等待办公室销号。").is_visible()

        visit(office, href, "a ledger entry to close")
        page = office.page
        with page.expect_navigation():
            page.get_by_role("button", name="整改完成，销号").click()
        assert page.get_by_text("已销号。").first.is_visible()
        history = page.locator("#opengov-history ~ ol, section:has(#opengov-history) ol").first
        assert "销号" in history.inner_text() and "报告整改情况" in history.inner_text()
    finally:
        unit.close()
        office.close()
