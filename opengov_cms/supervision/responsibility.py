"""The 责任分解表 as a spreadsheet: read into a plan's tasks, and written out again.

Reading checks every row first; a file with any bad row changes nothing, and each error
names its line and column, as the catalogue import does (opengov_cms.catalogue.importer).
Rows are matched to the plan's tasks by 部分 and 序号, so a corrected file imported again
updates the tasks instead of adding them twice. The file written has the same columns, so
it can be edited and read back.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from opengov_cms.core.exports import FORMULA_PREFIXES, neutralise
from opengov_cms.core.models import Organisation
from opengov_cms.supervision.choices import Schedule
from opengov_cms.supervision.models import PlanTask, chinese_numeral, number_from_chinese

SHEET_TITLE = "责任分解表"
COLUMNS = (
    "部分",
    "序号",
    "工作任务",
    "牵头单位",
    "配合单位",
    "报送要求",
    "完成时限",
    "目标数量",
    "计量单位",
    "佐证栏目",
)
REQUIRED = ("部分", "序号", "工作任务", "牵头单位")
MAX_ROWS = 2000
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
SEPARATORS = re.compile(r"[、，,；;\n]+")
SECTION = re.compile(r"^\s*([一二三四五六七八九十]+|\d+)\s*[、.．]?\s*(.*)$", re.DOTALL)
#: Words a 报送要求 cell may use besides the labels of Schedule.
SCHEDULE_WORDS = {
    "每季度": Schedule.QUARTERLY,
    "按季度": Schedule.QUARTERLY,
    "季度": Schedule.QUARTERLY,
    "每月": Schedule.MONTHLY,
    "按月": Schedule.MONTHLY,
    "限期": Schedule.DEADLINE,
    "随时": Schedule.ON_EVENT,
    "按事件": Schedule.ON_EVENT,
}
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileError(Exception):
    """The file as a whole cannot be read (not XLSX, no such columns, too long)."""


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("第%(line)d行 %(column)s：%(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class TaskRow:
    line: int
    values: dict = field(default_factory=dict)
    cooperating: list = field(default_factory=list)
    sections: list = field(default_factory=list)


def read_rows(upload):
    """(line, {header: value}) of the first sheet named 责任分解表, else the active one."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportFileError(
            _("无法读取 XLSX 文件（%(error)s）。请上传 Excel 2007 及以上版本的 .xlsx 文件。")
            % {"error": type(error).__name__}
        ) from None
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.active
        rows = sheet.iter_rows(values_only=True)
        headers = [str(c).strip() if c is not None else "" for c in next(rows, [])]
        missing = [h for h in REQUIRED if h not in headers]
        if missing:
            raise ImportFileError(
                _("第1行缺少必需的列：%(columns)s。可用的列：%(all)s")
                % {"columns": "、".join(missing), "all": "、".join(COLUMNS)}
            )
        found = []
        for line, row in enumerate(rows, start=2):
            cells = ["" if c is None else c for c in row]
            if not any(str(c).strip() for c in cells):
                continue
            if len(found) >= MAX_ROWS:
                raise ImportFileError(
                    _("文件超过%(max)d行，请拆分后分别导入。") % {"max": MAX_ROWS}
                )
            found.append((line, {h: _cell(c) for h, c in zip(headers, cells, strict=False) if h}))
        return found
    finally:
        workbook.close()


def _cell(value):
    """A cell's value, without the apostrophe neutralise() put before a text that looks like
    a formula, so a file written by export() reads back as it was."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("日期“%(value)s”无法识别，请写成 2019-12-31 的形式。") % {"value": text})


def parse_whole_number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        number = int(str(value).strip())
    if number < 0:
        raise ValueError
    return number


class Lookups:
    """The plan organisation's units and catalogue sections, read once per import."""

    def __init__(self, plan):
        from opengov_cms.catalogue.models import CatalogueIndexPage

        organisations = list(Organisation.objects.all())
        below = {plan.organisation_id}
        grew = True
        while grew:  # the organisation and everything under it
            grew = False
            for org in organisations:
                if org.parent_id in below and org.pk not in below:
                    below.add(org.pk)
                    grew = True
        self.units = {}
        for org in organisations:
            if org.pk in below:
                for name in (org.name, org.short_name):
                    if name:
                        self.units.setdefault(name, org)
        roots = list(CatalogueIndexPage.objects.filter(organisation=plan.organisation))
        self.sections = {}
        for root in roots:
            for section in CatalogueIndexPage.objects.filter(path__startswith=root.path).order_by(
                "path"
            ):
                relative = section.url_path[len(root.url_path) :].strip("/")
                for key in {relative, section.slug, section.title} - {""}:
                    self.sections.setdefault(key, []).append(section)

    def section(self, text):
        found = {s.pk: s for s in self.sections.get(text.strip().strip("/"), [])}
        if len(found) == 1:
            return next(iter(found.values())), None
        if not found:
            return None, _("本机构的公开目录中没有栏目“%(name)s”") % {"name": text}
        paths = "、".join(sorted(s.url_path for s in found.values()))
        return None, _("栏目“%(name)s”不止一个（%(paths)s），请写栏目路径") % {
            "name": text,
            "paths": paths,
        }


def schedule_of(text):
    text = str(text or "").strip()
    if not text:
        return None
    with translation.override("zh-hans"):
        labels = {str(label): value for value, label in Schedule.choices}
    labels.update({str(label): value for value, label in Schedule.choices})
    labels.update({value: value for value, _label in Schedule.choices})
    return labels.get(text) or SCHEDULE_WORDS.get(text) or False


def parse(upload, plan):
    """Check every row of the file against ``plan``; returns (rows, errors), writing
    nothing. Raises ImportFileError when the file as a whole cannot be read."""
    lookups = Lookups(plan)
    rows, errors, seen = [], [], {}
    for line, raw in read_rows(upload):
        row = TaskRow(line)
        row_errors = []

        def fail(column, message, line=line, row_errors=row_errors):
            row_errors.append(RowError(line, column, str(message)))

        section_text = str(raw.get("部分") or "").strip()
        match = SECTION.match(section_text)
        section_number = number_from_chinese(match[1]) if match else None
        if not section_text:
            fail("部分", _("不能为空"))
        elif not section_number:
            fail("部分", _("应以部分的序号开头，例如“一、加大政策解读力度”或“一”"))
        else:
            row.values["section_number"] = section_number
            row.values["section_title"] = match[2].strip()[:200]
        try:
            row.values["number"] = parse_whole_number(raw.get("序号"))
            if not row.values["number"]:
                raise ValueError
        except (TypeError, ValueError):
            fail("序号", _("应为正整数"))
        text = str(raw.get("工作任务") or "").strip()
        if not text:
            fail("工作任务", _("不能为空"))
        row.values["text"] = text
        lead = str(raw.get("牵头单位") or "").strip()
        row.values["lead_unit"] = lookups.units.get(lead)
        if not lead:
            fail("牵头单位", _("不能为空"))
        elif row.values["lead_unit"] is None:
            fail(
                "牵头单位",
                _("找不到单位“%(name)s”：请先在“机构”中添加，上级机构选择%(organisation)s")
                % {"name": lead, "organisation": plan.organisation},
            )
        for name in SEPARATORS.split(str(raw.get("配合单位") or "")):
            name = name.strip()
            if not name:
                continue
            unit = lookups.units.get(name)
            if unit is None:
                fail(
                    "配合单位",
                    _("找不到单位“%(name)s”：请先在“机构”中添加，上级机构选择%(organisation)s")
                    % {"name": name, "organisation": plan.organisation},
                )
            elif unit not in row.cooperating and unit != row.values["lead_unit"]:
                row.cooperating.append(unit)
        try:
            row.values["deadline"] = parse_date(raw.get("完成时限") or "")
        except ValueError as error:
            fail("完成时限", error)
            row.values["deadline"] = None
        schedule = schedule_of(raw.get("报送要求"))
        if schedule is False:
            fail(
                "报送要求",
                _("应为 每季度、每月、限期 或 随时（也可写 %(labels)s）")
                % {"labels": "、".join(str(label) for _value, label in Schedule.choices)},
            )
        elif schedule is None:
            schedule = Schedule.DEADLINE if row.values["deadline"] else Schedule.QUARTERLY
        if schedule == Schedule.DEADLINE and not row.values["deadline"]:
            fail("完成时限", _("限期完成的事项须填写完成时限"))
        row.values["schedule"] = schedule
        target = raw.get("目标数量")
        row.values["target_quantity"] = None
        if target not in (None, ""):
            try:
                row.values["target_quantity"] = parse_whole_number(target)
            except (TypeError, ValueError):
                fail("目标数量", _("应为整数"))
        row.values["quantity_unit"] = str(raw.get("计量单位") or "").strip()
        if len(row.values["quantity_unit"]) > 10:
            fail("计量单位", _("不能超过10个字"))
        for name in SEPARATORS.split(str(raw.get("佐证栏目") or "")):
            if not name.strip():
                continue
            section, message = lookups.section(name.strip())
            if section is None:
                fail("佐证栏目", message)
            elif section not in row.sections:
                row.sections.append(section)
        key = (row.values.get("section_number"), row.values.get("number"))
        if None not in key:
            if key in seen:
                fail(
                    "序号",
                    _("与第%(line)d行的部分和序号相同") % {"line": seen[key]},
                )
            seen.setdefault(key, line)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(row)
    return rows, errors


def save(plan, rows):
    """Write checked rows into ``plan`` at once; returns (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        existing = {(t.section_number, t.number): t for t in PlanTask.objects.filter(plan=plan)}
        for row in rows:
            key = (row.values["section_number"], row.values["number"])
            task = existing.get(key) or PlanTask(plan=plan)
            is_new = task.pk is None
            for name, value in row.values.items():
                setattr(task, name, value)
            task.save()
            task.cooperating_units.set(row.cooperating)
            task.evidence_sections.set(row.sections)
            created += is_new
            updated += not is_new
    return created, updated


def import_file(upload, plan):
    """Check and, when every row is sound, save; returns (created, updated, errors)."""
    rows, errors = parse(upload, plan)
    if errors:
        return 0, 0, errors
    if not rows:
        return 0, 0, [RowError(2, "工作任务", _("文件中没有事项"))]
    created, updated = save(plan, rows)
    return created, updated, []


def schedule_cell(task):
    with translation.override("zh-hans"):
        return str(task.get_schedule_display())


def export(plan):
    """The plan's 责任分解表 as XLSX bytes, in the columns import reads."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    tasks = (
        PlanTask.objects.filter(plan=plan)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units", "evidence_sections")
        .order_by("section_number", "number")
    )
    from opengov_cms.catalogue.models import CatalogueIndexPage

    roots = list(CatalogueIndexPage.objects.filter(organisation=plan.organisation))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for task in tasks:
        section = chinese_numeral(task.section_number)
        if task.section_title:
            section = f"{section}、{task.section_title}"
        sheet.append(
            [
                neutralise(value)
                for value in (
                    section,
                    task.number,
                    task.text,
                    task.lead_unit.name,
                    "、".join(u.name for u in task.cooperating_units.all()),
                    schedule_cell(task),
                    task.deadline,
                    task.target_quantity,
                    task.quantity_unit,
                    "、".join(
                        section_path(s, roots)
                        for s in sorted(task.evidence_sections.all(), key=lambda s: s.path)
                    ),
                )
            ]
        )
    widths = (30, 6, 60, 16, 24, 16, 12, 8, 8, 30)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        if row[6].value is not None:
            row[6].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def section_path(section, roots):
    """A section as the import finds it: its path below its catalogue root."""
    containing = [r for r in roots if section.path.startswith(r.path)]
    if not containing:
        return section.slug
    root = max(containing, key=lambda r: len(r.path))
    return section.url_path[len(root.url_path) :].strip("/") or section.slug
