"""The 责任分解表 as XLSX: read into a plan with every error named by line and column and
nothing half-imported, read again to update, written out in the same columns."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from opengov_cms.supervision import responsibility
from opengov_cms.supervision.choices import Schedule
from opengov_cms.supervision.models import PlanTask, Submission
from tests.supervision.conftest import refused

pytestmark = pytest.mark.django_db

HEADER = list(responsibility.COLUMNS)


def xlsx(rows, header=HEADER, title="责任分解表"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    [
        "一、结合工作实际，加大政策解读和回应关切力度",
        1,
        "加大信息公开力度。",
        "办公室",
        "法规科、财务审计科",
        "每季度",
        None,
        None,
        None,
        "finance/budgets、重点领域",
    ],
    [
        "五、加强规范管理，建立健全工作机制",
        1,
        "全年组织召开不少于2场政务公开工作专题会议。",
        "办公室",
        "",
        "",
        datetime.datetime(2026, 12, 31),
        2,
        "场",
        "",
    ],
    [
        "五",
        "2",
        "完善12项政务公开基本制度。",
        "政策法规科",
        None,
        "限期",
        "2026-12-31",
        12,
        "项",
        "",
    ],
    ["三", 1.0, "积极回应社会关切。", "办公室", None, "随时", None, None, None, None],
]


def test_a_good_file_becomes_the_plans_tasks(plan, units, catalogue):
    created, updated, errors = responsibility.import_file(xlsx(GOOD), plan)
    assert (created, updated, errors) == (4, 0, [])
    tasks = list(plan.tasks.order_by("section_number", "number"))
    assert [t.label for t in tasks] == ["一.1", "三.1", "五.1", "五.2"]
    first = tasks[0]
    assert first.section_title == "结合工作实际，加大政策解读和回应关切力度"
    assert first.lead_unit == units["办公室"]
    assert {u.name for u in first.cooperating_units.all()} == {"政策法规科", "财务审计科"}
    assert {s.slug for s in first.evidence_sections.all()} == {"budgets", "key-areas"}
    assert first.schedule == Schedule.QUARTERLY
    meetings = tasks[2]
    assert meetings.schedule == Schedule.DEADLINE  # a date and no 报送要求
    assert (meetings.deadline, meetings.target_quantity, meetings.quantity_unit) == (
        datetime.date(2026, 12, 31),
        2,
        "场",
    )
    assert tasks[1].schedule == Schedule.ON_EVENT
    # Each task's units have their waiting submissions: 3 units × 4 quarters, 1 + 1 deadline.
    assert Submission.objects.filter(task=first).count() == 12
    assert Submission.objects.filter(task=meetings, period="once").count() == 1
    assert not Submission.objects.filter(task=tasks[1]).exists()


def test_every_bad_row_is_named_and_nothing_is_imported(plan, units, catalogue, other_bureau):
    rows = [
        GOOD[0],
        ["", 2, "", "办公室", None, None, None, None, None, None],
        [
            "甲、其他",
            "x",
            "某项工作。",
            "不存在的科",
            "教育局办公室",
            "每年",
            "明年",
            "两",
            "场",
            "不存在",
        ],
        ["五", 2, "限期而无日期。", "办公室", None, "限期", None, None, None, None],
        ["一", 1, "与第2行重复的序号。", "办公室", None, None, None, None, None, None],
    ]
    created, updated, errors = responsibility.import_file(xlsx(rows), plan)
    assert (created, updated) == (0, 0)
    messages = [str(e) for e in errors]
    assert "第3行 部分：不能为空" in messages
    assert "第3行 工作任务：不能为空" in messages
    assert "第4行 部分：应以部分的序号开头，例如“一、加大政策解读力度”或“一”" in messages
    assert "第4行 序号：应为正整数" in messages
    assert any(m.startswith("第4行 牵头单位：找不到单位“不存在的科”") for m in messages)
    # A unit of another organisation is not one of this plan's.
    assert any(m.startswith("第4行 配合单位：找不到单位“教育局办公室”") for m in messages)
    assert any(m.startswith("第4行 报送要求：应为 每季度、每月、限期 或 随时") for m in messages)
    assert "第4行 完成时限：日期“明年”无法识别，请写成 2019-12-31 的形式。" in messages
    assert "第4行 目标数量：应为整数" in messages
    assert "第4行 佐证栏目：本机构的公开目录中没有栏目“不存在”" in messages
    assert "第5行 完成时限：限期完成的事项须填写完成时限" in messages
    assert "第6行 序号：与第2行的部分和序号相同" in messages
    assert not PlanTask.objects.exists() and not Submission.objects.exists()


def test_a_file_without_the_columns_or_not_xlsx_is_refused_whole(plan, units):
    with pytest.raises(responsibility.ImportFileError, match="第1行缺少必需的列：牵头单位"):
        responsibility.import_file(xlsx([], header=["部分", "序号", "工作任务"]), plan)
    with pytest.raises(responsibility.ImportFileError, match="无法读取 XLSX 文件"):
        responsibility.import_file(io.BytesIO(b"PK\x03\x04 not really"), plan)


def test_importing_again_updates_by_part_and_number(plan, units, catalogue):
    responsibility.import_file(xlsx(GOOD), plan)
    first = plan.tasks.get(section_number=1, number=1)
    changed = [list(GOOD[0]), list(GOOD[1])]
    changed[0][2] = "加大信息公开力度（修订）。"
    changed[0][4] = ""
    created, updated, errors = responsibility.import_file(xlsx(changed), plan)
    assert (created, updated, errors) == (0, 2, [])
    first.refresh_from_db()
    assert first.text == "加大信息公开力度（修订）。" and plan.tasks.count() == 4
    # The cooperating units taken off lose their waiting submissions.
    assert set(Submission.objects.filter(task=first).values_list("unit__name", flat=True)) == {
        "办公室"
    }


def test_export_reads_back_as_it_was_and_writes_no_formula(plan, units, catalogue):
    rows = [list(GOOD[0])]
    rows[0][2] = "-1项：加大信息公开力度。"
    responsibility.import_file(xlsx(rows + GOOD[1:]), plan)
    content = responsibility.export(plan)
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    assert values[1][:6] == (
        "一、结合工作实际，加大政策解读和回应关切力度",
        1,
        "'-1项：加大信息公开力度。",  # never read as a formula
        "办公室",
        "政策法规科、财务审计科",
        "每季度报送",
    )
    assert values[1][9] == "finance/budgets、key-areas"
    assert values[3][6] == datetime.datetime(2026, 12, 31)

    def state():
        return {
            (
                t.section_number,
                t.number,
                t.section_title,
                t.text,
                t.lead_unit_id,
                frozenset(t.cooperating_units.values_list("pk", flat=True)),
                t.schedule,
                t.deadline,
                t.target_quantity,
                t.quantity_unit,
                frozenset(t.evidence_sections.values_list("pk", flat=True)),
            )
            for t in plan.tasks.all()
        }

    before = state()
    created, updated, errors = responsibility.import_file(io.BytesIO(content), plan)
    assert (created, updated, errors) == (0, 4, [])
    assert state() == before


def test_the_admin_import_screen(client, plan, budget_task, office_user, finance_user):
    url = reverse("opengov_supervision_plans:import", args=[plan.pk])
    client.force_login(finance_user)
    # The unit sees the plan (it leads a task) but may not change its tasks.
    progress = client.get(reverse("opengov_supervision_plans:progress", args=[plan.pk]))
    assert progress.status_code == 200 and "导入责任分解表" not in progress.content.decode()
    assert refused(client.get(url))
    client.force_login(office_user)
    assert client.get(url).status_code == 200
    bad = [["一", 1, "", "办公室", None, None, None, None, None, None]]
    upload = SimpleUploadedFile("表.xlsx", xlsx(bad).getvalue())
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "没有导入任何事项" in page and "第2行 工作任务：不能为空" in page
    response = client.post(url, {"file": SimpleUploadedFile("表.csv", b"a,b")})
    assert response.status_code == 400 and "请上传 .xlsx 文件。" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("表.xlsx", xlsx(GOOD).getvalue())})
    assert response.status_code == 302
    assert response["Location"] == reverse("opengov_supervision_plans:progress", args=[plan.pk])
    assert plan.tasks.count() == 5
    export = client.get(reverse("opengov_supervision_plans:export", args=[plan.pk]))
    assert export["Content-Type"] == responsibility.MIME
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 6


def test_another_organisations_office_cannot_touch_the_plan(client, plan, units, other_office_user):
    client.force_login(other_office_user)
    for name in ("progress", "export"):
        url = reverse(f"opengov_supervision_plans:{name}", args=[plan.pk])
        assert client.get(url).status_code == 404
    edit = reverse("opengov_supervision_plans:edit", args=[plan.pk])
    assert refused(client.get(edit)) or client.get(edit).status_code == 404
    listing = client.get(reverse("opengov_supervision_plans:index")).content.decode()
    assert plan.title not in listing
