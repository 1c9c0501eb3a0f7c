"""The admin screens of supervision: each renders for who may see it and refuses others;
forms say what to fix; lists cost the same queries however long they are."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from opengov_cms.supervision import workflow
from opengov_cms.supervision.choices import Schedule, SubmissionState
from opengov_cms.supervision.models import (
    DisclosurePlan,
    PlanTask,
    Rectification,
    StandardItemSections,
    Submission,
)
from opengov_cms.supervision.standards import load_fixture, shipped_fixtures
from tests.supervision.conftest import refused

pytestmark = pytest.mark.django_db

SCREENS = [
    "opengov_supervision_plans:index",
    "opengov_supervision_plans:add",
    "opengov_supervision_tasks:index",
    "opengov_supervision_tasks:add",
    "opengov_supervision_submissions:index",
    "opengov_supervision_rectifications:index",
    "opengov_supervision_rectifications:add",
    "opengov_supervision_standards:index",
    "opengov_supervision_standards:import",
    "opengov_supervision_standard_items:index",
    "opengov_supervision_mappings:index",
    "opengov_supervision_mappings:add",
    "opengov_supervision_check:index",
    "opengov_supervision_memberships:index",
]


def test_every_screen_renders_for_the_office(client, office_user, budget_task):
    client.force_login(office_user)
    for name in SCREENS:
        if name == "opengov_supervision_memberships:index":
            continue  # the office group does not manage staff
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    progress = client.get(reverse("opengov_supervision_plans:progress", args=[budget_task.plan_id]))
    page = progress.content.decode()
    assert "二.3" in page and "财务审计科 2026年第1季度" in page and "预算决算" in page


def test_the_menu_shows_what_each_may_use(client, office_user, finance_user, django_user_model):
    client.force_login(finance_user)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/supervision/submissions/" in page and "/admin/supervision/plans/" not in page
    client.force_login(office_user)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/supervision/plans/" in page and "/admin/supervision/check/" in page


def test_a_unit_refused_the_office_screens(client, finance_user, budget_task):
    client.force_login(finance_user)
    for name in (
        "opengov_supervision_plans:add",
        "opengov_supervision_tasks:add",
        "opengov_supervision_rectifications:add",
        "opengov_supervision_check:index",
        "opengov_supervision_standards:import",
    ):
        assert refused(client.get(reverse(name))), name
    edit = reverse("opengov_supervision_tasks:edit", args=[budget_task.pk])
    assert refused(client.get(edit))


def test_plans_and_tasks_of_another_organisation(client, other_office_user, budget_task, units):
    client.force_login(other_office_user)
    assert refused(client.get(reverse("opengov_supervision_tasks:edit", args=[budget_task.pk])))
    assert refused(
        client.get(reverse("opengov_supervision_plans:edit", args=[budget_task.plan_id]))
    )
    listing = client.get(reverse("opengov_supervision_tasks:index")).content.decode()
    assert "推进财务相关信息公开" not in listing
    # Its form offers its own organisation only, and refuses another's.
    add = reverse("opengov_supervision_plans:add")
    page = client.get(add).content.decode()
    assert "六安市教育体育局" in page and "六安市文化和旅游局</option>" not in page
    response = client.post(
        add, {"organisation": budget_task.plan.organisation_id, "year": 2027, "title": "越权"}
    )
    assert response.status_code == 200 and not DisclosurePlan.objects.filter(title="越权").exists()


def test_a_task_added_in_the_admin(client, office_user, plan, units, catalogue):
    client.force_login(office_user)
    add = reverse("opengov_supervision_tasks:add")
    data = {
        "plan": plan.pk,
        "section_number": 5,
        "section_title": "加强规范管理",
        "number": 1,
        "text": "全年组织召开不少于2场政务公开工作专题会议。",
        "lead_unit": units["办公室"].pk,
        "schedule": Schedule.DEADLINE,
        "deadline": "",
        "target_quantity": 2,
        "quantity_unit": "场",
    }
    response = client.post(add, data)
    assert response.status_code == 200
    assert "限期完成的事项须填写完成时限。" in response.content.decode()
    response = client.post(add, {**data, "deadline": "2026-12-31"})
    assert response.status_code == 302
    task = PlanTask.objects.get()
    (submission,) = Submission.objects.filter(task=task)
    assert (submission.period, submission.due_date) == ("once", datetime.date(2026, 12, 31))


def test_the_progress_of_a_target(client, office_user, finance_user, plan, units):
    task = PlanTask.objects.create(
        plan=plan,
        section_number=5,
        number=1,
        text="专题会议",
        lead_unit=units["财务审计科"],
        schedule=Schedule.DEADLINE,
        deadline=datetime.date(2026, 12, 31),
        target_quantity=2,
        quantity_unit="场",
    )
    submission = Submission.objects.get(task=task)
    client.force_login(finance_user)
    url = reverse("opengov_supervision_submissions:detail", args=[submission.pk])
    page = client.get(url).content.decode()
    assert "完成数量（场）" in page and "全年目标：2场。" in page
    client.post(url, {"action": "submit", "submit-text": "召开专题会议1场。", "submit-quantity": 1})
    workflow.review(Submission.objects.get(pk=submission.pk), office_user, True)
    client.force_login(office_user)
    progress = reverse("opengov_supervision_plans:progress", args=[plan.pk])
    assert "已完成1/2场" in client.get(progress).content.decode()


def test_reports_on_events(client, office_user, policy_user, finance_user, plan, units):
    task = PlanTask.objects.create(
        plan=plan,
        section_number=3,
        number=1,
        text="积极回应社会关切。",
        lead_unit=units["政策法规科"],
        schedule=Schedule.ON_EVENT,
    )
    url = reverse("opengov_supervision_submissions:event", args=[task.pk])
    client.force_login(finance_user)
    assert client.get(url).status_code == 404  # not its task
    client.force_login(policy_user)
    progress = client.get(reverse("opengov_supervision_plans:progress", args=[plan.pk]))
    assert url in progress.content.decode()
    response = client.post(url, {"unit": units["政策法规科"].pk, "text": "回应了网民关切。"})
    assert response.status_code == 400 and "事件日期" in response.content.decode()
    response = client.post(
        url,
        {"unit": units["政策法规科"].pk, "text": "回应了网民关切。", "event_date": "2026-03-16"},
    )
    assert response.status_code == 302
    submission = Submission.objects.get(task=task)
    assert (submission.period, submission.event_date, submission.state) == (
        "",
        datetime.date(2026, 3, 16),
        SubmissionState.SUBMITTED,
    )
    assert submission.period_label == "事件（2026-03-16）"
    # Another event: another submission.
    client.post(
        url, {"unit": units["政策法规科"].pk, "text": "又一次回应。", "event_date": "2026-03-17"}
    )
    assert Submission.objects.filter(task=task).count() == 2


def test_the_office_enters_a_problem_and_downloads_the_ledger(
    client, office_user, finance_user, units, plan
):
    client.force_login(office_user)
    add = reverse("opengov_supervision_rectifications:add")
    response = client.post(
        add, {"unit": units["财务审计科"].pk, "problem": "", "deadline": "2026-01-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "整改时限不能早于今天。" in page and "请填写存在问题。" in page
    response = client.post(
        add,
        {
            "unit": units["财务审计科"].pk,
            "plan": plan.pk,
            "problem": '=HYPERLINK("http://x") 政府采购信息未公开',
            "deadline": "2026-04-30",
        },
    )
    assert response.status_code == 302
    entry = Rectification.objects.get()
    assert entry.organisation == plan.organisation and entry.unit == units["财务审计科"]
    sheet = client.get(reverse("opengov_supervision_rectifications:index") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("整改编号", "机构", "方案", "来源", "责任单位", "存在问题")
    assert rows[1][0] == entry.number and rows[1][5].startswith("'=HYPERLINK")
    assert rows[1][8] == "整改中"
    # The unit sees it in its own list.
    client.force_login(finance_user)
    listing = client.get(reverse("opengov_supervision_rectifications:index") + "?scope=mine")
    assert entry.number in listing.content.decode()


def test_the_sections_of_an_item_must_be_the_organisations(
    client, admin_client, office_user, bureau, catalogue, other_bureau, home_page
):
    from tests.catalogue.factories import CatalogueIndexPageFactory

    (path,) = shipped_fixtures()
    standard, _ = load_fixture(path.read_bytes())
    item = standard.items.get(number="2")
    foreign = CatalogueIndexPageFactory(
        parent=home_page, title="教育局目录", slug="jy", organisation=other_bureau["organisation"]
    )
    add = reverse("opengov_supervision_mappings:add")
    wrong = {"organisation": bureau.pk, "item": item.pk, "sections": [foreign.pk]}
    # The office is not offered another organisation's sections at all...
    client.force_login(office_user)
    assert "教育局目录" not in client.get(add).content.decode()
    assert client.post(add, wrong).status_code == 200
    # ...and whoever sees every catalogue is told why such a mapping is refused.
    response = admin_client.post(add, wrong)
    assert response.status_code == 200
    assert "不在六安市文化和旅游局的公开目录中" in response.content.decode()
    assert not StandardItemSections.objects.exists()
    response = client.post(
        add, {"organisation": bureau.pk, "item": item.pk, "sections": [catalogue["culture"].pk]}
    )
    assert response.status_code == 302
    assert [s.pk for s in StandardItemSections.objects.get().sections.all()] == [
        catalogue["culture"].pk
    ]


@pytest.mark.parametrize("name", ["submissions", "rectifications", "progress"], ids=str)
def test_lists_cost_the_same_however_long(client, office_user, plan, units, name):
    def grow(n):
        start = PlanTask.objects.filter(plan=plan).count()
        for number in range(start + 1, start + n + 1):
            task = PlanTask.objects.create(
                plan=plan,
                section_number=1,
                number=number,
                text=f"任务{number}",
                lead_unit=units["财务审计科"],
            )
            task.cooperating_units.set([units["办公室"], units["政策法规科"]])
            task.evidence_sections.set([])
            workflow.add_rectification(
                plan.organisation,
                units["办公室"],
                f"问题{number}",
                datetime.date(2026, 4, 1),
                office_user,
                plan=plan,
            )

    url = {
        "submissions": reverse("opengov_supervision_submissions:index"),
        "rectifications": reverse("opengov_supervision_rectifications:index"),
        "progress": reverse("opengov_supervision_plans:progress", args=[plan.pk]),
    }[name]
    client.force_login(office_user)
    grow(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_filters_that_make_no_sense_are_refused_with_a_message(client, office_user, budget_task):
    client.force_login(office_user)
    for name, query in (
        ("opengov_supervision_submissions:index", "?unit=abc&state=nonsense"),
        ("opengov_supervision_rectifications:index", "?due=yesterday"),
    ):
        response = client.get(reverse(name) + query)
        assert response.status_code == 400, name
        assert "error-message" in response.content.decode()
    tasks = client.get(reverse("opengov_supervision_tasks:index") + f"?plan={budget_task.plan_id}")
    assert tasks.status_code == 200 and "推进财务相关信息公开" in tasks.content.decode()


def test_the_task_filter_offers_only_the_offices_plans(
    client, other_office_user, budget_task, other_bureau
):
    DisclosurePlan.objects.create(
        organisation=other_bureau["organisation"], year=2026, title="教育体育局2026年方案"
    )
    client.force_login(other_office_user)
    page = client.get(reverse("opengov_supervision_tasks:index")).content.decode()
    assert "教育体育局2026年方案" in page and budget_task.plan.title not in page
