"""The message statistics as tables (the reports' Table and Cell, so the same template and the
same CSV and XLSX writers serve them): every data cell tied to its row and column headers."""

from django.utils.translation import gettext_lazy as _

from opengov_cms.interaction.choices import Category, ResponseKind
from opengov_cms.interaction.statistics import Figures
from opengov_cms.reports.statistics import QUARTER_LABELS
from opengov_cms.reports.tables import Table, data, header

COLUMNS = ("received", "replied", "on_time", "on_time_rate", "average_days")
COLUMN_LABELS = {
    "received": _("收到留言"),
    "replied": _("已答复"),
    "on_time": _("按期答复"),
    "on_time_rate": _("按期答复率（%）"),
    "average_days": _("平均答复用时（工作日）"),
}
QUARTER_NAMES = {1: _("第一季度"), 2: _("第二季度"), 3: _("第三季度"), 4: _("第四季度")}
MONTH_LABEL = _("%(month)d月")
NOT_APPLICABLE = "—"


def value(figures, column):
    found = getattr(figures, column)
    if found is None:
        return NOT_APPLICABLE
    return found if isinstance(found, int) else str(found)


def head(prefix, first_label):
    return [
        [
            header(first_label, "col", f"{prefix}-c-label"),
            *[header(COLUMN_LABELS[c], "col", f"{prefix}-c-{c}") for c in COLUMNS],
        ]
    ]


def row(prefix, key, label, figures):
    row_id = f"{prefix}-r-{key}"
    return [
        header(label, "row", row_id),
        *[data(value(figures, c), row_id, f"{prefix}-c-{c}") for c in COLUMNS],
    ]


def year_table(statistics, year, prefix="msg"):
    """Table of a year (year_statistics): the twelve months, the four quarters, the year."""
    months = [
        row(prefix, f"m{m}", MONTH_LABEL % {"month": m}, statistics["months"][m])
        for m in range(1, 13)
    ]
    quarters = [
        row(prefix, f"q{q}", QUARTER_NAMES[q], statistics["quarters"][q]) for q in range(1, 5)
    ]
    total = [row(prefix, "year", _("全年"), statistics["year"])]
    caption = _("%(year)s年网民留言办理情况") % {"year": year}
    return Table(
        key="messages",
        caption=caption,
        head=head(prefix, _("期间")),
        bodies=[months, quarters, total],
    )


def concerns_table(counts, year, prefix="concerns"):
    """The responses to public concerns of a year, by form."""
    row_id = f"{prefix}-r-count"
    head_ = [
        [
            header(_("回应形式"), "col", f"{prefix}-c-label"),
            *[header(ResponseKind(k).label, "col", f"{prefix}-c-{k}") for k in ResponseKind.values],
            header(_("合计"), "col", f"{prefix}-c-total"),
        ]
    ]
    body = [
        [
            header(_("发布篇数"), "row", row_id),
            *[data(counts[k], row_id, f"{prefix}-c-{k}") for k in ResponseKind.values],
            data(sum(counts.values()), row_id, f"{prefix}-c-total"),
        ]
    ]
    caption = _("%(year)s年回应关切") % {"year": year}
    return Table(key="concerns", caption=caption, head=head_, bodies=[body])


def quarter_tables(statistics, period):
    """Tables of a quarterly report's stored figures: by month with the quarter's total, by
    category, and by unit."""
    if not statistics.get("months"):
        return []
    months = [
        row("qm", f"m{m}", MONTH_LABEL % {"month": int(m)}, Figures.from_dict(values))
        for m, values in statistics["months"].items()
    ]
    total = [row("qm", "total", _("本季度合计"), Figures.from_dict(statistics["total"]))]
    label = str(QUARTER_LABELS[period.quarter]) % {"year": period.year}
    tables = [
        Table(
            key="months",
            caption=_("%(period)s网民留言办理情况") % {"period": label},
            head=head("qm", _("月份")),
            bodies=[months, total],
        ),
        Table(
            key="categories",
            caption=_("按留言类别"),
            head=head("qc", _("留言类别")),
            bodies=[
                [
                    row("qc", key, Category(key).label, Figures.from_dict(values))
                    for key, values in statistics["categories"].items()
                ]
            ],
        ),
    ]
    if statistics.get("units"):
        tables.append(
            Table(
                key="units",
                caption=_("按承办单位"),
                head=head("qu", _("承办单位")),
                bodies=[
                    [
                        row("qu", str(unit["id"]), unit["name"], Figures.from_dict(unit))
                        for unit in statistics["units"]
                    ]
                ],
            )
        )
    return tables


def city_table(rows, total, period, prefix="city"):
    """The city-wide figures of a period (statistics.city_statistics): one row per
    organisation and the sum."""
    body = [row(prefix, str(pk), name, figures) for pk, name, figures in rows]
    label = period.label
    return Table(
        key="city-messages",
        caption=_("%(period)s全市网民留言办理情况") % {"period": label},
        head=head(prefix, _("机构")),
        bodies=[body, [row(prefix, "total", _("全市合计"), total)]],
    )


class StatisticsSheet:
    """A title and tables, for the reports' CSV and XLSX writers (opengov_cms.reports.exports)."""

    def __init__(self, title, tables):
        self.title = title
        self._tables = tables

    def tables(self):
        return self._tables
