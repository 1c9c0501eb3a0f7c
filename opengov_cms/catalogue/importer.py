"""Reading a legacy catalogue (CSV or XLSX) into entries, with errors by line number.

Every row is checked before anything is written; a file with any bad row imports nothing.
Rows are then written in batches, each its own transaction, and every imported row is
remembered by a key of its content, so an import that was stopped is run again to finish:
rows already in are skipped.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _

from opengov_cms.core.document_numbers import normalise_document_number
from opengov_cms.core.models import DocumentKind, Genre, IndexNumber, Organisation, Topic, Validity

# The columns, by their Chinese headers; 标题 and 发布机构 are required.
COLUMNS = {
    "标题": "title",
    "索引号": "index_number",
    "文号": "document_number",
    "发布机构": "organisation",
    "主题分类": "topic",
    "文种": "genre",
    "文件类型": "document_kind",
    "成文日期": "written_date",
    "发布日期": "publication_date",
    "有效性": "validity",
    "主题词": "keywords",
    "内容概述": "summary",
    "正文": "body",
}
REQUIRED = ("标题", "发布机构")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, headers)."""


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
class ParsedRow:
    line: int
    key: str
    values: dict = field(default_factory=dict)


def read_rows(path, encoding="utf-8-sig"):
    """Yield (line number, {header: text}) from a CSV or XLSX file."""
    name = str(path).lower()
    if name.endswith(".xlsx"):
        yield from _read_xlsx(path)
        return
    if not name.endswith(".csv"):
        raise ImportFileError(_("只能导入 CSV 或 XLSX 文件：%(name)s") % {"name": path})
    with open(path, "rb") as raw:
        data = raw.read()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _("第%(line)d行不是 %(encoding)s 编码。请另存为 UTF-8，或用 --encoding gb18030 导入。")
            % {"line": line, "encoding": encoding}
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    headers = _headers(next(reader, []))
    for row in reader:
        if any(cell.strip() for cell in row):
            yield reader.line_num, dict(zip(headers, (c.strip() for c in row), strict=False))


def _read_xlsx(path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportFileError(_("无法读取 XLSX 文件：%(error)s") % {"error": error}) from None
    rows = workbook.active.iter_rows(values_only=True)
    headers = _headers(["" if c is None else str(c) for c in next(rows, [])])
    for line, row in enumerate(rows, start=2):
        cells = ["" if c is None else c for c in row]
        if any(str(c).strip() for c in cells):
            yield (
                line,
                {
                    h: (c.strip() if isinstance(c, str) else c)
                    for h, c in zip(headers, cells, strict=False)
                },
            )
    workbook.close()


def _headers(row):
    headers = [str(h).strip().lstrip("\ufeff") for h in row]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise ImportFileError(
            _("第1行缺少必需的列：%(columns)s。可用的列：%(all)s")
            % {"columns": "、".join(missing), "all": "、".join(COLUMNS)}
        )
    return headers


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
    raise ValueError(_("日期“%(value)s”无法识别，请写成 2024-03-01 的形式。") % {"value": text})


class Lookups:
    """Names and codes of the taxonomies, loaded once per import."""

    def __init__(self):
        self.organisations = {}
        for org in Organisation.objects.all():
            for name in (org.name, org.short_name, org.credit_code, org.organisation_code):
                if name:
                    self.organisations.setdefault(name, org)
        self.topics = self._by_name_and_code(Topic.objects.select_related("parent"))
        for topic in Topic.objects.select_related("parent").filter(parent__isnull=False):
            self.topics.setdefault(f"{topic.parent.name}/{topic.name}", topic)
        self.genres = self._by_name_and_code(Genre.objects.all())
        self.kinds = self._by_name_and_code(DocumentKind.objects.all())
        # Files are written in Chinese whatever language the importing user reads.
        with translation.override("zh-hans"):
            self.validity = {str(label): value for value, label in Validity.choices}
        self.validity.update({str(label): value for value, label in Validity.choices})
        self.validity.update({value: value for value, _label in Validity.choices})

    @staticmethod
    def _by_name_and_code(queryset):
        found = {}
        for item in queryset:
            found.setdefault(item.code, item)
            found.setdefault(item.name, item)
        return found


def row_key(values):
    parts = [str(values.get(c, "")) for c in ("标题", "文号", "发布机构", "成文日期", "索引号")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def parse(path, encoding="utf-8-sig"):
    """Check every row; returns (rows, errors). Nothing is written."""
    lookups = Lookups()
    rows, errors = [], []
    seen_numbers = {}
    for line, raw in read_rows(path, encoding):
        values, row_errors = {}, []

        def fail(column, message, line=line, row_errors=row_errors):
            row_errors.append(RowError(line, column, str(message)))

        title = str(raw.get("标题") or "").strip()
        if not title:
            fail("标题", _("不能为空"))
        elif len(title) > 255:
            fail("标题", _("不能超过255个字"))
        values["title"] = title
        org_name = str(raw.get("发布机构") or "").strip()
        values["organisation"] = lookups.organisations.get(org_name)
        if values["organisation"] is None:
            fail("发布机构", _("找不到机构“%(name)s”，请先在“机构”中添加") % {"name": org_name})
        for header, attr, table in (
            ("主题分类", "topic", lookups.topics),
            ("文种", "genre", lookups.genres),
            ("文件类型", "document_kind", lookups.kinds),
        ):
            text = str(raw.get(header) or "").strip()
            values[attr] = table.get(text) if text else None
            if text and values[attr] is None:
                fail(header, _("没有名为“%(name)s”的%(header)s") % {"name": text, "header": header})
        validity_text = str(raw.get("有效性") or "").strip() or Validity.VALID.value
        values["validity"] = lookups.validity.get(validity_text)
        if values["validity"] is None:
            fail("有效性", _("应为 有效、已修改、已废止 或 已失效"))
        for header, attr in (("成文日期", "written_date"), ("发布日期", "publication_date")):
            try:
                values[attr] = parse_date(raw.get(header) or "")
            except ValueError as error:
                fail(header, error)
        number = str(raw.get("文号") or "").strip()
        try:
            values["document_number"] = normalise_document_number(number) if number else ""
        except Exception as error:  # ValidationError
            fail("文号", " ".join(getattr(error, "messages", [str(error)])))
        index_number = str(raw.get("索引号") or "").strip()
        values["index_number"] = index_number
        if index_number:
            if index_number in seen_numbers:
                fail("索引号", _("与第%(line)d行重复") % {"line": seen_numbers[index_number]})
            seen_numbers.setdefault(index_number, line)
        for header, attr in (("主题词", "keywords"), ("内容概述", "summary"), ("正文", "body")):
            values[attr] = str(raw.get(header) or "").strip()
        if len(values["keywords"]) > 200:
            fail("主题词", _("不能超过200个字"))
        errors.extend(row_errors)
        if not row_errors:
            rows.append(ParsedRow(line=line, key=row_key(raw), values=values))
    errors.sort(key=lambda e: e.line)
    return rows, errors


def numbers_in_use(rows):
    """Errors for rows whose index number another page already has or had."""
    wanted = {row.values["index_number"]: row.line for row in rows if row.values["index_number"]}
    taken = IndexNumber.objects.filter(value__in=list(wanted)).values_list("value", flat=True)
    return [
        RowError(wanted[value], "索引号", _("“%(value)s”已被使用过") % {"value": value})
        for value in taken
    ]


def body_html(text):
    paragraphs = [p.strip() for p in re.split(r"\r?\n", text) if p.strip()]
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
