"""The statutory layout of the report tables (国办公开办函〔2021〕30号): captions, multi-level
headers with their spans, and every data cell tied to its headers, built once from a
report's figures and used alike by the HTML page and by the CSV, XLSX and DOCX downloads."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from opengov_cms.disclosure_requests.choices import Outcome
from opengov_cms.reports.statistics import (
    APPLICANT_COLUMNS,
    DECISION_ROWS,
    DOCUMENT_COLUMNS,
    DOCUMENT_KIND_ROWS,
    ORGANISATION_COLUMNS,
    OUTCOME_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
)

CHECK_RULE_NOTE = _("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")

APPLICANT_LABELS = {
    "natural_person": _("自然人"),
    "commercial": _("商业企业"),
    "research": _("科研机构"),
    "public_welfare": _("社会公益组织"),
    "legal_services": _("法律服务机构"),
    "other": _("其他"),
    "total": _("总计"),
}

#: The two levels of 三、办理结果: the group heading and, for groups of several, each item.
OUTCOME_GROUP_LABELS = {
    "disclosed": _("（一）予以公开"),
    "partial": _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "withheld": _("（三）不予公开"),
    "unavailable": _("（四）无法提供"),
    "not_processed": _("（五）不予处理"),
    "other": _("（六）其他处理"),
}
OUTCOME_LABELS = {
    Outcome.DISCLOSED: OUTCOME_GROUP_LABELS["disclosed"],
    Outcome.PARTIAL: OUTCOME_GROUP_LABELS["partial"],
    Outcome.WITHHELD_STATE_SECRET: _("1.属于国家秘密"),
    Outcome.WITHHELD_PROHIBITED: _("2.其他法律行政法规禁止公开"),
    Outcome.WITHHELD_SECURITY: _("3.危及“三安全一稳定”"),
    Outcome.WITHHELD_THIRD_PARTY: _("4.保护第三方合法权益"),
    Outcome.WITHHELD_INTERNAL: _("5.属于三类内部事务信息"),
    Outcome.WITHHELD_PROCESS: _("6.属于四类过程性信息"),
    Outcome.WITHHELD_ENFORCEMENT: _("7.属于行政执法案卷"),
    Outcome.WITHHELD_QUERY: _("8.属于行政查询事项"),
    Outcome.UNAVAILABLE_NOT_HELD: _("1.本机关不掌握相关政府信息"),
    Outcome.UNAVAILABLE_CREATION: _("2.没有现成信息需要另行制作"),
    Outcome.UNAVAILABLE_UNCLEAR: _("3.补正后申请内容仍不明确"),
    Outcome.NOT_PROCESSED_PETITION: _("1.信访举报投诉类申请"),
    Outcome.NOT_PROCESSED_REPEATED: _("2.重复申请"),
    Outcome.NOT_PROCESSED_PUBLICATION: _("3.要求提供公开出版物"),
    Outcome.NOT_PROCESSED_EXCESSIVE: _("4.无正当理由大量反复申请"),
    Outcome.NOT_PROCESSED_CONFIRMATION: _("5.要求行政机关确认或重新出具已获取信息"),
    Outcome.OTHER_NO_CORRECTION: _(
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    ),
    Outcome.OTHER_FEE_UNPAID: _(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    ),
    Outcome.OTHER: _("3.其他"),
}
HANDLED_LABEL = _("（七）总计")

#: Table 3's four numbered rows, worded for a year (the statutory form) or for a quarter.
PERIOD_ROW_LABELS = {
    "annual": {
        "new": _("一、本年新收政府信息公开申请数量"),
        "carried_over": _("二、上年结转政府信息公开申请数量"),
        "results": _("三、本年度办理结果"),
        "carried_forward": _("四、结转下年度继续办理"),
    },
    "quarterly": {
        "new": _("一、本季度新收政府信息公开申请数量"),
        "carried_over": _("二、上季度结转政府信息公开申请数量"),
        "results": _("三、本季度办理结果"),
        "carried_forward": _("四、结转下季度继续办理"),
    },
}

DOCUMENT_KIND_LABELS = {"rule": _("规章"), "normative": _("行政规范性文件")}
DOCUMENT_COLUMN_LABELS = {
    "issued": _("本年制发件数"),
    "repealed": _("本年废止件数"),
    "valid": _("现行有效件数"),
}
DECISION_LABELS = {
    "licensing": _("行政许可"),
    "penalty": _("行政处罚"),
    "enforcement": _("行政强制"),
}
FEES_LABEL = _("行政事业性收费")
REVIEW_GROUP_LABELS = {
    "review": _("行政复议"),
    "litigation_direct": _("未经复议直接起诉"),
    "litigation_after_review": _("复议后起诉"),
}
REVIEW_COLUMN_LABELS = {
    "upheld": _("结果维持"),
    "corrected": _("结果纠正"),
    "other": _("其他结果"),
    "pending": _("尚未审结"),
    "total": _("总计"),
}

#: 第二十条第（五）项 and 第（六）项: the items whose decisions staff count each year.
DECISION_BLOCKS = (
    (5, _("第二十条第（五）项"), DECISION_ROWS[:1]),
    (6, _("第二十条第（六）项"), DECISION_ROWS[1:]),
)

CAPTIONS = {
    "documents": _("二、主动公开政府信息情况"),
    "requests": _("三、收到和处理政府信息公开申请情况"),
    "reviews": _("四、政府信息公开行政复议、行政诉讼情况"),
}


@dataclass
class Cell:
    """One cell: a header (``th`` with its scope and id) or data (``td`` tied to the ids of
    its headers), spanning ``colspan`` × ``rowspan`` grid places."""

    text: object = ""
    header: bool = False
    scope: str = ""
    colspan: int = 1
    rowspan: int = 1
    id: str = ""
    headers: tuple = ()
    numeric: bool = False

    @property
    def headers_attr(self):
        return " ".join(self.headers)


@dataclass
class Table:
    key: str
    caption: object
    head: list = field(default_factory=list)  # rows of cells
    bodies: list = field(default_factory=list)  # row groups (tbody) of rows of cells

    @property
    def rows(self):
        yield from self.head
        for body in self.bodies:
            yield from body

    def grid(self):
        """The table as a rectangle of texts, spans resolved: ``(rows, merges)`` where a
        spanned cell's text is in its top-left place and ``merges`` lists each span as
        (first row, first column, last row, last column), counted from 0."""
        placed = {}
        merges = []
        width = 0
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in placed:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        placed[(r + dr, c + dc)] = None
                placed[(r, c)] = cell.text
                if cell.rowspan > 1 or cell.colspan > 1:
                    merges.append((r, c, r + cell.rowspan - 1, c + cell.colspan - 1))
                c += cell.colspan
                width = max(width, c)
        height = max((r for r, _c in placed), default=-1) + 1
        rows = [
            ["" if placed.get((r, c)) is None else placed[(r, c)] for c in range(width)]
            for r in range(height)
        ]
        return rows, merges


def header(text, scope, id, **kwargs):
    return Cell(text=text, header=True, scope=scope, id=id, **kwargs)


def data(value, *headers, colspan=1):
    return Cell(text=value, headers=tuple(headers), numeric=True, colspan=colspan)


def slug(code):
    return str(code).replace(".", "-").replace("_", "-")


def request_table(figures, annual, prefix="t3", caption=None):
    """Table 3: 收到和处理政府信息公开申请情况."""
    labels = PERIOD_ROW_LABELS["annual" if annual else "quarterly"]
    p = prefix
    column_headers = {
        "natural_person": (f"{p}-applicant", f"{p}-c-natural-person"),
        "total": (f"{p}-applicant", f"{p}-c-total"),
    }
    for column in ORGANISATION_COLUMNS:
        column_headers[column] = (f"{p}-applicant", f"{p}-c-organisation", f"{p}-c-{column}")
    head = [
        [
            Cell(text=CHECK_RULE_NOTE, colspan=3, rowspan=3),
            header(_("申请人情况"), "colgroup", f"{p}-applicant", colspan=len(APPLICANT_COLUMNS)),
        ],
        [
            header(APPLICANT_LABELS["natural_person"], "col", f"{p}-c-natural-person", rowspan=2),
            header(_("法人或其他组织"), "colgroup", f"{p}-c-organisation", colspan=5),
            header(APPLICANT_LABELS["total"], "col", f"{p}-c-total", rowspan=2),
        ],
        [header(APPLICANT_LABELS[c], "col", f"{p}-c-{c}") for c in ORGANISATION_COLUMNS],
    ]

    def values(row, *row_headers):
        return [
            data(figures[row][column], *row_headers, *column_headers[column])
            for column in APPLICANT_COLUMNS
        ]

    body = []
    for row in ("new", "carried_over"):
        row_id = f"{p}-r-{slug(row)}"
        body.append([header(labels[row], "row", row_id, colspan=3), *values(row, row_id)])
    results_id = f"{p}-r-results"
    groups = {}
    for code in OUTCOME_ROWS:
        groups.setdefault(code.split(".")[0], []).append(code)
    results_rows = sum(len(codes) for codes in groups.values()) + 1
    first = True
    for group, codes in groups.items():
        group_id = f"{p}-r-{slug(group)}"
        for index, code in enumerate(codes):
            cells = []
            if first:
                cells.append(
                    header(labels["results"], "rowgroup", results_id, rowspan=results_rows)
                )
                first = False
            if len(codes) == 1:
                cells.append(header(OUTCOME_GROUP_LABELS[group], "row", group_id, colspan=2))
                body.append([*cells, *values(code, results_id, group_id)])
                continue
            if index == 0:
                cells.append(
                    header(OUTCOME_GROUP_LABELS[group], "rowgroup", group_id, rowspan=len(codes))
                )
            item_id = f"{p}-r-{slug(code)}"
            cells.append(header(OUTCOME_LABELS[code], "row", item_id))
            body.append([*cells, *values(code, results_id, group_id, item_id)])
    handled_id = f"{p}-r-handled"
    body.append(
        [
            header(HANDLED_LABEL, "row", handled_id, colspan=2),
            *values("handled", results_id, handled_id),
        ]
    )
    forward_id = f"{p}-r-carried-forward"
    body.append(
        [
            header(labels["carried_forward"], "row", forward_id, colspan=3),
            *values("carried_forward", forward_id),
        ]
    )
    return Table(key="requests", caption=caption or CAPTIONS["requests"], head=head, bodies=[body])


def document_table(data_, prefix="t2"):
    """Table 2: 主动公开政府信息情况, four blocks of 第二十条."""
    p = prefix
    documents, decisions = data_["documents"], data_["decisions"]
    bodies = []

    def block(number, item, columns):
        item_id = f"{p}-item-{number}"
        content_id = f"{p}-content-{number}"
        rows = [
            [header(item, "colgroup", item_id, colspan=4)],
            [header(_("信息内容"), "col", content_id), *columns],
        ]
        return item_id, content_id, rows

    item_id, content_id, rows = block(
        1,
        _("第二十条第（一）项"),
        [header(DOCUMENT_COLUMN_LABELS[c], "col", f"{p}-c-{c}") for c in DOCUMENT_COLUMNS],
    )
    for kind in DOCUMENT_KIND_ROWS:
        row_id = f"{p}-r-{kind}"
        rows.append(
            [
                header(DOCUMENT_KIND_LABELS[kind], "row", row_id),
                *[
                    data(documents[kind][c], item_id, row_id, f"{p}-c-{c}")
                    for c in DOCUMENT_COLUMNS
                ],
            ]
        )
    bodies.append(rows)
    for number, item, kinds in DECISION_BLOCKS:
        column_id = f"{p}-c-decisions-{number}"
        item_id, content_id, rows = block(
            number, item, [header(_("本年处理决定数量"), "col", column_id, colspan=3)]
        )
        for kind in kinds:
            row_id = f"{p}-r-{kind}"
            rows.append(
                [
                    header(DECISION_LABELS[kind], "row", row_id),
                    data(decisions[kind], item_id, row_id, column_id, colspan=3),
                ]
            )
        bodies.append(rows)
    column_id = f"{p}-c-fees"
    item_id, content_id, rows = block(
        8,
        _("第二十条第（八）项"),
        [header(_("本年收费金额（单位：万元）"), "col", column_id, colspan=3)],
    )
    row_id = f"{p}-r-fees"
    rows.append(
        [
            header(FEES_LABEL, "row", row_id),
            data(data_["fees"], item_id, row_id, column_id, colspan=3),
        ]
    )
    bodies.append(rows)
    return Table(key="documents", caption=CAPTIONS["documents"], bodies=bodies)


def review_table(data_, prefix="t4"):
    """Table 4: 政府信息公开行政复议、行政诉讼情况."""
    p = prefix
    reviews = data_["reviews"]
    review, direct, after = REVIEW_GROUPS
    head = [
        [
            header(REVIEW_GROUP_LABELS[review], "colgroup", f"{p}-{review}", colspan=5),
            header(_("行政诉讼"), "colgroup", f"{p}-litigation", colspan=10),
        ],
        [
            *[
                header(REVIEW_COLUMN_LABELS[c], "col", f"{p}-{review}-{c}", rowspan=2)
                for c in REVIEW_COLUMNS
            ],
            header(REVIEW_GROUP_LABELS[direct], "colgroup", f"{p}-{direct}", colspan=5),
            header(REVIEW_GROUP_LABELS[after], "colgroup", f"{p}-{after}", colspan=5),
        ],
        [
            header(REVIEW_COLUMN_LABELS[c], "col", f"{p}-{group}-{c}")
            for group in (direct, after)
            for c in REVIEW_COLUMNS
        ],
    ]
    cells = [data(reviews[review][c], f"{p}-{review}", f"{p}-{review}-{c}") for c in REVIEW_COLUMNS]
    for group in (direct, after):
        cells += [
            data(reviews[group][c], f"{p}-litigation", f"{p}-{group}", f"{p}-{group}-{c}")
            for c in REVIEW_COLUMNS
        ]
    return Table(key="reviews", caption=CAPTIONS["reviews"], head=head, bodies=[[cells]])


def report_tables(data_, caption=None):
    """The tables of a report's stored figures, in the order the report shows them."""
    if "documents" in data_:
        return [
            document_table(data_),
            request_table(data_["requests"], annual=True),
            review_table(data_),
        ]
    if "requests" in data_:
        return [request_table(data_["requests"], annual=False, caption=caption)]
    return []


def quarterly_caption(period):
    return _("%(period)s政府信息公开申请办理情况") % {"period": period.label}
