"""The standard catalogue (基层政务公开标准目录) as data, and an organisation checked against it.

The State Council departments' 标准指引 list, per domain, the items a grass-roots government
must publish, each with its content, legal basis, time limit, subject and channels. A
catalogue is loaded from a JSON fixture (the format is described in docs/office-guide.md
and checked here); :func:`check` then finds, for each item, the newest publication in the
catalogue sections the organisation publishes it in, and whether it came within the item's
time limit; :func:`self_check_workbook` writes that as the sheet the office hands to its
supervisor.

The time limit is counted from the document's 成文日期 (when the information was formed)
to its 发布日期, in working days where the item says so, on the site's holiday calendar: a
year whose schedule is not known gives "cannot tell", never a guess.
"""

import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opengov_cms.conf import opengov_settings
from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar
from opengov_cms.core.exports import neutralise
from opengov_cms.supervision.choices import ItemStatus, TimeLimitKind
from opengov_cms.supervision.models import StandardCatalogue, StandardItem, StandardItemSections

FORMAT = "opengov_cms.standard_catalogue"
VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data" / "standards"
MAX_ITEMS = 1000
MAX_BYTES = 2 * 1024 * 1024


class FixtureError(Exception):
    """A fixture that cannot be loaded; ``errors`` says every place and what is wrong."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("；".join(self.errors))


def shipped_fixtures():
    """The fixtures the package ships (data/standards/*.json)."""
    return sorted(DATA_DIR.glob("*.json"))


def _text(value, lines=False):
    """A text field of the fixture: a string, or a list of strings one per line."""
    if value is None:
        return ""
    if isinstance(value, list) and lines and all(isinstance(v, str) for v in value):
        return "\n".join(v.strip() for v in value if v.strip())
    if isinstance(value, str):
        return value.strip()
    raise ValueError


ITEM_TEXT_FIELDS = {
    # fixture key: (model field, may be a list of lines, longest)
    "category": ("category", False, 100),
    "name": ("name", False, 200),
    "content": ("content", True, None),
    "basis": ("basis", True, None),
    "subject": ("subject", False, 300),
    "channels": ("channels", True, None),
    "audience": ("audience", False, 100),
    "method": ("method", False, 100),
    "level": ("level", False, 100),
}


def read_fixture(data):
    """Check a fixture (bytes, text or an already parsed dict); returns (catalogue fields,
    [item fields]). Raises FixtureError naming every item and field that is wrong."""
    if isinstance(data, bytes | bytearray):
        if len(data) > MAX_BYTES:
            raise FixtureError([_("文件超过 2 MB。")])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FixtureError([_("文件不是 UTF-8 编码的 JSON。")]) from None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise FixtureError(
                [
                    _("第%(line)d行第%(column)d列：不是有效的 JSON（%(message)s）。")
                    % {"line": error.lineno, "column": error.colno, "message": error.msg}
                ]
            ) from None
    if not isinstance(data, dict):
        raise FixtureError([_("文件应为一个 JSON 对象。")])
    errors = []
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        errors.append(
            _("format 应为“%(format)s”，version 应为 %(version)d。")
            % {"format": FORMAT, "version": VERSION}
        )
    catalogue = {}
    for key, name, longest in (
        ("code", "code", 80),
        ("domain", "domain", 100),
        ("title", "title", 200),
    ):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(_("%(key)s：不能为空。") % {"key": key})
        elif len(value.strip()) > longest:
            errors.append(_("%(key)s：不能超过%(max)d个字。") % {"key": key, "max": longest})
        else:
            catalogue[name] = value.strip()
    code = catalogue.get("code", "")
    if code and not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        errors.append(_("code：只能包含英文字母、数字、连字符和下划线。"))
    catalogue["is_example"] = bool(data.get("example", False))
    try:
        catalogue["note"] = _text(data.get("note"), lines=True)
    except ValueError:
        errors.append(_("note：应为文字。"))
    source = data.get("source") or {}
    if not isinstance(source, dict):
        errors.append(_("source：应为一个对象。"))
        source = {}
    for key, name in (
        ("title", "source_title"),
        ("document_number", "source_number"),
        ("issuer", "source_issuer"),
        ("url", "source_url"),
    ):
        value = source.get(key) or ""
        if not isinstance(value, str):
            errors.append(_("source.%(key)s：应为文字。") % {"key": key})
        else:
            catalogue[name] = value.strip()
    catalogue["source_date"] = None
    if source.get("date"):
        try:
            catalogue["source_date"] = datetime.date.fromisoformat(str(source["date"]))
        except ValueError:
            errors.append(_("source.date：应写成 2019-10-30 的形式。"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        errors.append(_("items：应为至少含一项的列表。"))
        items = []
    if len(items) > MAX_ITEMS:
        errors.append(_("items：不能超过%(max)d项。") % {"max": MAX_ITEMS})
        items = []
    parsed, numbers = [], {}
    for index, item in enumerate(items, start=1):
        item_errors = []

        def fail(key, message, index=index, item=item, item_errors=item_errors):
            number = item.get("number") if isinstance(item, dict) else None
            item_errors.append(
                _("第%(index)d项（序号%(number)s）%(key)s：%(message)s")
                % {"index": index, "number": number or "?", "key": key, "message": message}
            )

        if not isinstance(item, dict):
            errors.append(_("第%(index)d项：应为一个对象。") % {"index": index})
            continue
        fields = {"sort_order": index}
        number = item.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if not isinstance(number, str) or not number.strip() or len(number.strip()) > 10:
            fail("number", _("应为不超过10个字的序号"))
        else:
            fields["number"] = number.strip()
            if fields["number"] in numbers:
                fail("number", _("与第%(index)d项重复") % {"index": numbers[fields["number"]]})
            numbers.setdefault(fields["number"], index)
        for key, (name, lines, longest) in ITEM_TEXT_FIELDS.items():
            try:
                fields[name] = _text(item.get(key), lines=lines)
            except ValueError:
                fail(key, _("应为文字或文字的列表") if lines else _("应为文字"))
                continue
            if longest and len(fields[name]) > longest:
                fail(key, _("不能超过%(max)d个字") % {"max": longest})
        if not fields.get("name"):
            fail("name", _("不能为空"))
        limit = item.get("time_limit") or {}
        if not isinstance(limit, dict):
            fail("time_limit", _("应为一个对象"))
            limit = {}
        fields["time_limit_text"] = str(limit.get("text") or "").strip()[:300]
        fields["time_limit_kind"], fields["time_limit_days"] = TimeLimitKind.NONE, None
        for key, kind in (
            ("working_days", TimeLimitKind.WORKING_DAYS),
            ("days", TimeLimitKind.DAYS),
        ):
            if key in limit:
                days = limit[key]
                if isinstance(days, bool) or not isinstance(days, int) or not 0 < days <= 3660:
                    fail(f"time_limit.{key}", _("应为 1 到 3660 之间的整数"))
                else:
                    fields["time_limit_kind"], fields["time_limit_days"] = kind, days
        if "working_days" in limit and "days" in limit:
            fail("time_limit", _("working_days 和 days 只能填一项"))
        sections = item.get("sections") or []
        if not isinstance(sections, list) or not all(
            isinstance(s, str) and s.strip() for s in sections
        ):
            fail("sections", _("应为栏目短名称（slug）的列表"))
        else:
            fields["default_sections"] = " ".join(s.strip() for s in sections)[:300]
        errors.extend(item_errors)
        if not item_errors:
            parsed.append(fields)
    if errors:
        raise FixtureError(errors)
    return catalogue, parsed


def load_fixture(data):
    """Check and load a fixture: the catalogue with its code is made or replaced, its items
    updated by number, items no longer in it removed. All or nothing. Returns
    (catalogue, created)."""
    fields, items = read_fixture(data)
    with transaction.atomic():
        catalogue, created = StandardCatalogue.objects.select_for_update().update_or_create(
            code=fields.pop("code"), defaults={**fields, "imported_at": timezone.now()}
        )
        existing = {item.number: item for item in catalogue.items.all()}
        keep = []
        for values in items:
            item = existing.get(values["number"]) or StandardItem(catalogue=catalogue)
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            keep.append(item.pk)
        catalogue.items.exclude(pk__in=keep).delete()
    return catalogue, created


# The check -------------------------------------------------------------------------------


@dataclass
class ItemCheck:
    item: StandardItem
    sections: list
    latest: object  # the newest CatalogueItem under the sections, or None
    status: str
    note: str = ""
    limit_date: datetime.date | None = None

    @property
    def status_label(self):
        return ItemStatus(self.status).label


def sections_for(organisation, items):
    """{item id: [sections]} where ``organisation`` publishes each item: its own mapping
    (事项对应栏目), else the item's default sections in its catalogue tree."""
    from opengov_cms.catalogue.models import CatalogueIndexPage

    mapped = {
        mapping.item_id: list(mapping.sections.all())
        for mapping in StandardItemSections.objects.filter(
            organisation=organisation, item__in=[i.pk for i in items]
        ).prefetch_related("sections")
    }
    slugs = {slug for item in items if item.pk not in mapped for slug in item.default_section_slugs}
    by_slug = {}
    if slugs:
        roots = [
            r.path
            for r in CatalogueIndexPage.objects.filter(organisation=organisation).only("path")
        ]
        for section in CatalogueIndexPage.objects.filter(slug__in=slugs).order_by("path"):
            if any(section.path.startswith(root) for root in roots):
                by_slug.setdefault(section.slug, []).append(section)
    return {
        item.pk: mapped[item.pk]
        if item.pk in mapped
        else [s for slug in item.default_section_slugs for s in by_slug.get(slug, [])]
        for item in items
    }


def newest_under(sections):
    """{section id: the newest CatalogueItem that may leave under it}, in two queries
    whatever the number of sections or entries."""
    from opengov_cms.catalogue.models import CatalogueIndexPage, CatalogueItem

    if not sections:
        return {}
    newest = (
        CatalogueItem.objects.public()
        .filter(path__startswith=OuterRef("path"))
        .order_by("-publication_date", "-page")
        .values("page")[:1]
    )
    found = dict(
        CatalogueIndexPage.objects.filter(pk__in={s.pk for s in sections})
        .annotate(newest=Subquery(newest))
        .values_list("pk", "newest")
    )
    entries = CatalogueItem.objects.in_bulk([pk for pk in found.values() if pk])
    return {pk: entries.get(entry) for pk, entry in found.items()}


def time_limit_date(item, written, calendar):
    if item.time_limit_kind == TimeLimitKind.WORKING_DAYS:
        return calendar.add_working_days(written, item.time_limit_days)
    if item.time_limit_kind == TimeLimitKind.DAYS:
        return written + datetime.timedelta(days=item.time_limit_days)
    return None


def judge(item, sections, latest, today, calendar):
    if not sections:
        return ItemCheck(item, sections, None, ItemStatus.UNMAPPED, _("请在“事项对应栏目”中设置"))
    if latest is None:
        return ItemCheck(item, sections, None, ItemStatus.MISSING)
    stale_days = opengov_settings.SUPERVISION_STANDARD_STALE_DAYS
    if latest.publication_date < today - datetime.timedelta(days=stale_days):
        return ItemCheck(
            item,
            sections,
            latest,
            ItemStatus.STALE,
            _("最近一次公开已超过%(days)d天") % {"days": stale_days},
        )
    if item.time_limit_kind == TimeLimitKind.NONE:
        return ItemCheck(item, sections, latest, ItemStatus.PUBLISHED, _("该事项无固定公开时限"))
    if latest.written_date is None:
        return ItemCheck(
            item, sections, latest, ItemStatus.PUBLISHED, _("未填写成文日期，无法核对公开时限")
        )
    try:
        limit = time_limit_date(item, latest.written_date, calendar)
    except CalendarYearUnknown as exc:
        return ItemCheck(item, sections, latest, ItemStatus.UNKNOWN, exc.message)
    if latest.publication_date <= limit:
        return ItemCheck(item, sections, latest, ItemStatus.ON_TIME, limit_date=limit)
    return ItemCheck(
        item,
        sections,
        latest,
        ItemStatus.LATE,
        _("成文日期%(written)s，应于%(limit)s前公开，%(published)s才公开")
        % {
            "written": latest.written_date.isoformat(),
            "limit": limit.isoformat(),
            "published": latest.publication_date.isoformat(),
        },
        limit_date=limit,
    )


def check(organisation, catalogue, today=None):
    """Each item of ``catalogue`` as ``organisation`` publishes it, in item order."""
    today = today or timezone.localdate()
    items = list(catalogue.items.all())
    sections = sections_for(organisation, items)
    newest = newest_under([s for found in sections.values() for s in found])
    calendar = WorkingDayCalendar()
    results = []
    for item in items:
        candidates = [newest.get(s.pk) for s in sections[item.pk]]
        candidates = [c for c in candidates if c is not None]
        latest = max(candidates, key=lambda c: (c.publication_date, c.pk), default=None)
        results.append(judge(item, sections[item.pk], latest, today, calendar))
    return results


def summary(results):
    """[(status, label, count)] of the statuses found, in the order of ItemStatus."""
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return [(s.value, s.label, counts[s.value]) for s in ItemStatus if s.value in counts]


SHEET_COLUMNS = (
    gettext_lazy("序号"),
    gettext_lazy("一级事项"),
    gettext_lazy("二级事项"),
    gettext_lazy("公开内容（要素）"),
    gettext_lazy("公开依据"),
    gettext_lazy("公开时限"),
    gettext_lazy("公开主体"),
    gettext_lazy("公开渠道和载体"),
    gettext_lazy("对应栏目"),
    gettext_lazy("最近公开的信息"),
    gettext_lazy("成文日期"),
    gettext_lazy("发布日期"),
    gettext_lazy("自查结果"),
    gettext_lazy("说明"),
)


def self_check_workbook(organisation, catalogue, results, today):
    """The self-check sheet (自查表) as XLSX bytes; every text goes through neutralise."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("自查表")[:31]
    sheet.append(
        [
            neutralise(
                _("%(organisation)s《%(catalogue)s》自查表")
                % {"organisation": organisation.name, "catalogue": catalogue.title}
            )
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    source = "；".join(
        part
        for part in (catalogue.source_title, catalogue.source_number, catalogue.source_issuer)
        if part
    )
    sheet.append([neutralise(_("自查日期：%(date)s") % {"date": today.isoformat()})])
    if source:
        sheet.append([neutralise(_("依据：%(source)s") % {"source": source})])
    if catalogue.is_example:
        sheet.append([_("注意：此目录为示例数据，不是标准目录的全文。")])
    sheet.append([])
    sheet.append([str(c) for c in SHEET_COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for result in results:
        item, latest = result.item, result.latest
        sheet.append(
            [
                neutralise(value)
                for value in (
                    item.number,
                    item.category,
                    item.name,
                    item.content,
                    item.basis,
                    item.time_limit_text,
                    item.subject,
                    item.channels,
                    "、".join(s.title for s in result.sections),
                    latest.title if latest else "",
                    latest.written_date if latest else None,
                    latest.publication_date if latest else None,
                    str(result.status_label),
                    result.note,
                )
            ]
        )
    sheet.append([])
    for _status, label, count in summary(results):
        sheet.append([neutralise(f"{label}：{count}")])
    widths = (6, 12, 24, 30, 36, 24, 16, 16, 18, 30, 12, 12, 14, 36)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
