"""Downloads of a report: the tables as CSV and XLSX (merged cells as in the statutory
form), the figures as JSON, and the whole annual report as a DOCX document."""

import csv
import html
import io
import json
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from opengov_cms.core.exports import cell_text
from opengov_cms.reports.statistics import (
    APPLICANT_COLUMNS,
    DECISION_ROWS,
    DOCUMENT_COLUMNS,
    DOCUMENT_KIND_ROWS,
    OUTCOME_ROWS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def filename(page, fmt):
    code = page.organisation.code if page.organisation_id else ""
    return "-".join(part for part in (code, page.period.key) if part) + f".{fmt}"


def text_of(value):
    return cell_text(value)


def paragraphs(rich_text):
    """The paragraphs of rich text, as plain text."""
    text = TAG.sub("", BLOCK_END.sub("\n", str(rich_text or "")))
    return [line.strip() for line in html.unescape(text).splitlines() if line.strip()]


def csv_text(page):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a BOM, so Excel reads the file as UTF-8
    writer.writerow([text_of(page.title)])
    for table in page.tables():
        writer.writerow([])
        writer.writerow([text_of(table.caption)])
        rows, _merges = table.grid()
        for row in rows:
            writer.writerow([text_of(cell) for cell in row])
    return buffer.getvalue()


def sheet_title(text, taken):
    title = re.sub(r"[\[\]:*?/\\]", "", str(text))[:31] or "Sheet"
    candidate, number = title, 1
    while candidate in taken:
        number += 1
        candidate = f"{title[:28]}({number})"
    taken.add(candidate)
    return candidate


def xlsx_bytes(page):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    taken = set()
    for table in page.tables():
        sheet = workbook.create_sheet(sheet_title(table.caption, taken))
        rows, merges = table.grid()
        width = len(rows[0]) if rows else 1
        sheet.cell(row=1, column=1, value=str(table.caption)).font = Font(bold=True)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        headers = {
            (r, c)
            for r, row in enumerate(table_cells(table))
            for c, cell in row.items()
            if not cell.numeric
        }
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = sheet.cell(row=r + 2, column=c + 1, value=spreadsheet_value(value))
                cell.border = border
                if (r, c) in headers:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r0, c0, r1, c1 in merges:
            sheet.merge_cells(
                start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1
            )
        for column in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_cells(table):
    """For each grid row, the cells that start in it, by the column they start in."""
    placed = set()
    result = []
    for r, row in enumerate(table.rows):
        starts = {}
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            starts[c] = cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    placed.add((r + dr, c + dc))
            c += cell.colspan
        result.append(starts)
    return result


def spreadsheet_value(value):
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):
        return Decimal(value)
    return text_of(value) if value != "" else None


def json_data(page):
    """The figures with their statutory labels, keyed by stable codes."""
    from opengov_cms.reports import tables as t

    statistics = page.statistics or {}
    data = {
        "title": page.title,
        "organisation": page.organisation.name if page.organisation_id else None,
        "organisation_code": page.organisation.code if page.organisation_id else None,
        "period": page.period.key,
        "statistics_updated_at": page.statistics_updated_at.isoformat()
        if page.statistics_updated_at
        else None,
        "tables": {},
    }
    if "documents" in statistics:
        data["tables"]["documents"] = {
            "caption": str(t.CAPTIONS["documents"]),
            "documents": [
                {
                    "key": kind,
                    "label": str(t.DOCUMENT_KIND_LABELS[kind]),
                    **{c: statistics["documents"][kind][c] for c in DOCUMENT_COLUMNS},
                }
                for kind in DOCUMENT_KIND_ROWS
            ],
            "decisions": [
                {
                    "key": row,
                    "label": str(t.DECISION_LABELS[row]),
                    "count": statistics["decisions"][row],
                }
                for row in DECISION_ROWS
            ],
            "fees": {"label": str(t.FEES_LABEL), "amount_10k_yuan": statistics["fees"]},
        }
    if "requests" in statistics:
        annual = page.period.is_annual
        period_labels = t.PERIOD_ROW_LABELS["annual" if annual else "quarterly"]
        labels = {
            **{row: period_labels[row] for row in ("new", "carried_over", "carried_forward")},
            "handled": t.HANDLED_LABEL,
        }
        for code in OUTCOME_ROWS:
            group = code.split(".")[0]
            item = t.OUTCOME_LABELS[code]
            group_label = t.OUTCOME_GROUP_LABELS[group]
            labels[code] = item if item == group_label else f"{group_label} {item}"
        data["tables"]["requests"] = {
            "caption": str({table.key: table for table in page.tables()}["requests"].caption),
            "columns": [{"key": c, "label": str(t.APPLICANT_LABELS[c])} for c in APPLICANT_COLUMNS],
            "rows": [
                {"key": row, "label": str(labels[row]), "values": statistics["requests"][row]}
                for row in REQUEST_ROWS
            ],
        }
    if "reviews" in statistics:
        data["tables"]["reviews"] = {
            "caption": str(t.CAPTIONS["reviews"]),
            "columns": [
                {"key": c, "label": str(t.REVIEW_COLUMN_LABELS[c])} for c in REVIEW_COLUMNS
            ],
            "rows": [
                {
                    "key": group,
                    "label": str(t.REVIEW_GROUP_LABELS[group]),
                    "values": statistics["reviews"][group],
                }
                for group in REVIEW_GROUPS
            ],
        }
    return data


def docx_bytes(page):
    """The annual report as a Word document: its six parts, with the tables."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "SimSun")
    document.add_heading(page.title, level=0)
    if page.organisation_id:
        dated = page.publication_date or page.written_date
        document.add_paragraph(page.organisation.name + (f"  {dated:%Y-%m-%d}" if dated else ""))
    tables = {table.key: table for table in page.tables()}
    sections = [
        (_("一、总体情况"), page.overview, None),
        (None, None, tables.get("documents")),
        (None, None, tables.get("requests")),
        (None, None, tables.get("reviews")),
        (_("五、存在的主要问题及改进情况"), page.problems, None),
        (_("六、其他需要报告的事项"), page.other_matters, None),
    ]
    for heading, text, table in sections:
        if table is not None:
            document.add_heading(str(table.caption), level=1)
            add_docx_table(document, table)
            continue
        document.add_heading(str(heading), level=1)
        for paragraph in paragraphs(text) or [_("无。")]:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_docx_table(document, table):
    rows, merges = table.grid()
    width = len(rows[0]) if rows else 1
    grid = document.add_table(rows=len(rows), cols=width)
    grid.style = "Table Grid"
    starts = table_cells(table)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "":
                continue
            cell = grid.cell(r, c)
            run = cell.paragraphs[0].add_run(str(value))
            source = starts[r].get(c)
            run.bold = bool(source is not None and source.header)
    for r0, c0, r1, c1 in merges:
        merged = grid.cell(r0, c0).merge(grid.cell(r1, c1))
        # Merging keeps each cell's (empty) paragraph; only the first holds the text.
        for paragraph in merged.paragraphs[1:]:
            if not paragraph.text:
                paragraph._element.getparent().remove(paragraph._element)


def download_response(page, fmt):
    if fmt == "csv":
        body = csv_text(page).encode("utf-8")
    elif fmt == "xlsx":
        body = xlsx_bytes(page)
    elif fmt == "json":
        body = json.dumps(json_data(page), ensure_ascii=False, indent=1).encode("utf-8")
    else:
        body = docx_bytes(page)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(page, fmt)}"'
    return response
