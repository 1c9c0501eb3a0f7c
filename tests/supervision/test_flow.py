"""A unit's quarterly submission, the office's review, and a 整改 entry carried to closure,
end to end through the admin screens, with who may see and do each step."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opengov_cms.supervision.choices import RectificationState, SubmissionState
from opengov_cms.supervision.models import Rectification, Submission
from tests.supervision.conftest import Q1_DUE, refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minutes of the meeting\n%%EOF\n"


def detail(submission):
    return reverse("opengov_supervision_submissions:detail", args=[submission.pk])


def ledger(entry):
    return reverse("opengov_supervision_rectifications:detail", args=[entry.pk])


@pytest.fixture
def q1(budget_task, units):
    return Submission.objects.get(task=budget_task, unit=units["财务审计科"], period="2026Q1")


def test_saving_a_task_makes_a_waiting_submission_per_unit_and_quarter(budget_task, units):
    rows = Submission.objects.filter(task=budget_task).order_by("unit__name", "period")
    assert [(s.unit.name, s.period, s.due_date) for s in rows] == [
        ("办公室", "2026Q1", datetime.date(2026, 3, 28)),
        ("办公室", "2026Q2", datetime.date(2026, 6, 28)),
        ("办公室", "2026Q3", datetime.date(2026, 9, 28)),
        ("办公室", "2026Q4", datetime.date(2026, 12, 28)),
        ("财务审计科", "2026Q1", datetime.date(2026, 3, 28)),
        ("财务审计科", "2026Q2", datetime.date(2026, 6, 28)),
        ("财务审计科", "2026Q3", datetime.date(2026, 9, 28)),
        ("财务审计科", "2026Q4", datetime.date(2026, 12, 28)),
    ]
    assert {s.state for s in rows} == {SubmissionState.PENDING}
    # A cooperating unit taken off: its waiting submissions go; nothing is made twice.
    budget_task.cooperating_units.clear()
    assert Submission.objects.filter(task=budget_task).count() == 4
    budget_task.save()
    assert Submission.objects.filter(task=budget_task).count() == 4


def test_a_unit_sees_and_submits_its_own_only(client, q1, finance_user, policy_user, units):
    client.force_login(policy_user)
    assert client.get(detail(q1)).status_code == 404
    response = client.get(reverse("opengov_supervision_submissions:index"))
    assert response.status_code == 200
    assert "财务审计科" not in response.content.decode()

    client.force_login(finance_user)
    page = client.get(reverse("opengov_supervision_submissions:index") + "?scope=mine")
    text = page.content.decode()
    assert text.count("2026年第") == 4 and "办公室" not in text.split("<tbody>")[1]
    response = client.get(detail(q1))
    assert response.status_code == 200
    assert 'name="submit-text"' in response.content.decode()
    assert 'name="review-decision"' not in response.content.decode()


def test_submission_review_and_rectification_to_closure(
    client, q1, finance_user, policy_user, office_user, other_office_user, publish_entry, catalogue
):
    budget = publish_entry(
        parent=catalogue["budgets"],
        title="六安市文化和旅游局2026年部门预算",
        publication_date=datetime.date(2026, 2, 10),
    )
    client.force_login(finance_user)
    response = client.post(
        detail(q1),
        {
            "action": "submit",
            "submit-text": "已公开2026年部门预算。",
            "submit-pages": [str(budget.pk)],
            "submit-files": [SimpleUploadedFile("预算公开截图.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.state == SubmissionState.SUBMITTED and not q1.late
    assert q1.submitted_by == finance_user
    assert [link.page_id for link in q1.links.all()] == [budget.pk]
    (evidence,) = q1.files.all()
    assert evidence.original_name == "预算公开截图.pdf"
    assert "预算公开截图" not in evidence.file.name  # a random name on disk
    download = reverse("opengov_supervision_submissions:file", args=[q1.pk, evidence.pk])
    assert b"".join(client.get(download).streaming_content) == PDF

    # Another unit, and another organisation's office, see nothing of it.
    for outsider in (policy_user, other_office_user):
        client.force_login(outsider)
        assert client.get(detail(q1)).status_code == 404
        assert client.get(download).status_code == 404
        assert client.post(detail(q1), {"action": "review"}).status_code == 404
    # The unit itself may not review what it submitted.
    client.force_login(finance_user)
    assert refused(client.post(detail(q1), {"action": "review", "review-decision": "accept"}))
    q1.refresh_from_db()
    assert q1.state == SubmissionState.SUBMITTED

    client.force_login(office_user)
    page = client.get(detail(q1)).content.decode()
    assert "已公开2026年部门预算。" in page and 'name="review-decision"' in page
    response = client.post(
        detail(q1),
        {
            "action": "review",
            "review-decision": "problems",
            "review-problems": "“三公”经费预算未单独公开\n\n预算说明缺少绩效目标",
            "review-deadline": "2026-04-30",
        },
    )
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.state == SubmissionState.PROBLEMS and q1.reviewed_by == office_user
    first, second = Rectification.objects.order_by("pk")
    assert (first.problem, first.unit.name, first.deadline) == (
        "“三公”经费预算未单独公开",
        "财务审计科",
        datetime.date(2026, 4, 30),
    )
    assert second.problem == "预算说明缺少绩效目标" and second.submission == q1
    assert first.organisation == q1.task.plan.organisation

    # The office cannot report for the unit; other units cannot see the entry.
    assert "report-measures" not in client.get(ledger(first)).content.decode()
    client.force_login(policy_user)
    assert client.get(ledger(first)).status_code == 404
    client.force_login(finance_user)
    page = client.get(ledger(first)).content.decode()
    assert 'name="report-measures"' in page and 'name="close-note"' not in page
    report = {
        "action": "report",
        "report-measures": "在“三公经费”栏目单独公开预算安排。",
        "report-text": "已于4月10日公开。",
        "report-urls": budget.url,
    }
    assert client.post(ledger(first), report).status_code == 302
    first.refresh_from_db()
    assert first.state == RectificationState.REPORTED
    assert first.links.get().page_id == budget.pk
    # The unit may not close its own entry.
    assert refused(client.post(ledger(first), {"action": "close"}))

    client.force_login(office_user)
    returned = client.post(ledger(first), {"action": "return", "return-note": "未见公开内容。"})
    assert returned.status_code == 302
    first.refresh_from_db()
    assert first.state == RectificationState.OPEN
    client.force_login(finance_user)
    assert client.post(ledger(first), report).status_code == 302
    client.force_login(office_user)
    assert (
        client.post(ledger(first), {"action": "close", "close-note": "已核实"}).status_code == 302
    )
    first.refresh_from_db()
    assert first.state == RectificationState.CLOSED and first.closed_by == office_user
    assert [(e.action, e.user) for e in first.events.all()] == [
        ("create", office_user),
        ("report", finance_user),
        ("return", office_user),
        ("report", finance_user),
        ("close", office_user),
    ]
    history = client.get(ledger(first)).content.decode()
    assert "退回重新整改" in history and "未见公开内容。" in history and "销号" in history
    # A closed entry offers no more steps.
    assert refused(client.post(ledger(first), {"action": "close"}))


def test_review_needs_problems_and_a_deadline(client, q1, finance_user, office_user):
    client.force_login(finance_user)
    client.post(detail(q1), {"action": "submit", "submit-text": "已完成。"})
    client.force_login(office_user)
    response = client.post(
        detail(q1),
        {"action": "review", "review-decision": "problems", "review-deadline": "2026-01-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "发现问题时请写明问题，每行一个。" in page
    assert "整改时限不能早于今天。" in page
    q1.refresh_from_db()
    assert q1.state == SubmissionState.SUBMITTED
    assert not Rectification.objects.exists()


def test_bad_evidence_is_refused_line_by_line_and_nothing_is_saved(
    client, q1, finance_user, home_page
):
    from tests.factories import ConsultationPageFactory

    draft = ConsultationPageFactory(parent=home_page, slug="draft-plan", live=False)
    client.force_login(finance_user)
    response = client.post(
        detail(q1),
        {
            "action": "submit",
            "submit-text": "见附件。",
            "submit-urls": "/no-such-page/\n\n" + draft.url_path.removeprefix("/home"),
            "submit-files": [SimpleUploadedFile("脚本.exe", b"MZ...", "application/x-msdownload")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "第1行：本站没有地址为“/no-such-page/”的页面。" in page
    assert "第3行：页面“" in page and "尚未公开" in page
    assert "不能上传“.exe”类型的文件" in page
    q1.refresh_from_db()
    assert q1.state == SubmissionState.PENDING and not q1.files.exists()


def test_a_submission_after_the_28th_is_late(client, clock, budget_task, units, finance_user):
    from opengov_cms.supervision.tasks import update_submissions

    q1 = Submission.objects.get(task=budget_task, unit=units["财务审计科"], period="2026Q1")
    assert update_submissions() == 0
    clock.move_to("2026-03-30 09:00")
    assert update_submissions() == 2  # both units' first quarter
    assert update_submissions() == 0
    q1.refresh_from_db()
    assert q1.state == SubmissionState.OVERDUE and q1.due_date == Q1_DUE
    assert q1.events.get().label == "逾期未报"
    client.force_login(finance_user)
    client.post(detail(q1), {"action": "submit", "submit-text": "补报。"})
    q1.refresh_from_db()
    assert q1.state == SubmissionState.SUBMITTED and q1.late
    assert q1.events.last().label == "逾期报送"
