"""The figures of the statutory tables (国办公开办函〔2021〕30号) for a quarter or a year,
computed from requests, policy documents and the yearly figures staff enter.

Every function returns plain data (dicts of numbers keyed by stable codes), which a report
stores as it was when it was made; the layout and the labels are in ``tables``.
"""

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.db import connections, router
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opengov_cms.disclosure_requests.choices import ApplicantType, OrganisationSubtype, Outcome

QUARTER_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四"}
QUARTER_LABELS = {
    1: _("%(year)s年第一季度"),
    2: _("%(year)s年第二季度"),
    3: _("%(year)s年第三季度"),
    4: _("%(year)s年第四季度"),
}
PERIOD_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[Qq]\s*(\d+))?\s*$")
FIRST_YEAR = 2008  # the first Regulations came into force on 1 May 2008


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a quarter (``quarter`` 1–4) or a whole year (``quarter`` None)."""

    year: int
    quarter: int | None = None

    def __post_init__(self):
        if not FIRST_YEAR <= self.year <= 9999:
            raise ValueError(f"{self.year} is not a reporting year (from {FIRST_YEAR}).")
        if self.quarter is not None and self.quarter not in QUARTER_NUMERALS:
            raise ValueError(f"Q{self.quarter}: a quarter is Q1, Q2, Q3 or Q4.")

    @classmethod
    def parse(cls, text, *, annual=None):
        """``2026Q3`` is a quarter, ``2026`` a year; ``annual`` says which one is wanted."""
        match = PERIOD_PATTERN.match(str(text))
        if match is None:
            raise ValueError(
                f"{text!r} is not a period: write a year (2026) or a quarter (2026Q3)."
            )
        year, quarter = int(match[1]), match[2]
        period = cls(year, int(quarter) if quarter is not None else None)
        if annual is True and not period.is_annual:
            raise ValueError(f"{text!r} is a quarter; an annual report needs a year, e.g. {year}.")
        if annual is False and period.is_annual:
            raise ValueError(f"{text!r} is a year; a quarterly report needs e.g. {year}Q3.")
        return period

    @classmethod
    def quarter_of(cls, day):
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def is_annual(self):
        return self.quarter is None

    @property
    def start(self):
        return date(self.year, 1 if self.is_annual else 3 * self.quarter - 2, 1)

    @property
    def end(self):
        if self.is_annual or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def key(self):
        return str(self.year) if self.is_annual else f"{self.year}Q{self.quarter}"

    @property
    def label(self):
        if self.is_annual:
            return gettext("%(year)s年") % {"year": self.year}
        return str(QUARTER_LABELS[self.quarter]) % {"year": self.year}

    def previous(self):
        if self.is_annual:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def __str__(self):
        return self.key


# Table 3 -------------------------------------------------------------------------------

#: The applicant columns of table 3, in the statutory order.
APPLICANT_COLUMNS = (
    "natural_person",
    OrganisationSubtype.COMMERCIAL.value,
    OrganisationSubtype.RESEARCH.value,
    OrganisationSubtype.PUBLIC_WELFARE.value,
    OrganisationSubtype.LEGAL_SERVICES.value,
    OrganisationSubtype.OTHER.value,
    "total",
)
ORGANISATION_COLUMNS = APPLICANT_COLUMNS[1:6]

#: The outcome rows of table 3 under 三、办理结果, in the statutory order; every reply
#: outcome has exactly one row (a partial disclosure counts only as 部分公开).
OUTCOME_ROWS = tuple(o.value for o in Outcome)
#: Rows the check rule and the layout add around the outcomes.
REQUEST_ROWS = ("new", "carried_over", *OUTCOME_ROWS, "handled", "carried_forward")


def applicant_column(applicant_type, organisation_subtype):
    if applicant_type == ApplicantType.NATURAL_PERSON:
        return "natural_person"
    if organisation_subtype in ORGANISATION_COLUMNS:
        return organisation_subtype
    return OrganisationSubtype.OTHER.value


# One GROUP BY over the period's requests, four counts a group: grouped by outcome too, the
# outcome rows are the handled counts of their groups. Written once as SQL (standard SQL,
# for every supported database) rather than built by the ORM on each call, where
# compiling the query cost more than running it.
REQUEST_STATISTICS_SQL = (
    "SELECT {applicant_type}, {organisation_subtype}, {outcome}, "
    "COUNT(CASE WHEN {received_on} >= %s THEN 1 END), "
    "COUNT(CASE WHEN {received_on} < %s THEN 1 END), "
    "COUNT(CASE WHEN {closed_on} >= %s AND {closed_on} <= %s THEN 1 END), "
    "COUNT(CASE WHEN {closed_on} IS NULL OR {closed_on} > %s THEN 1 END) "
    "FROM {table} "
    "WHERE {organisation} = %s AND {received_on} <= %s "
    "AND ({closed_on} IS NULL OR {closed_on} >= %s) "
    "GROUP BY {applicant_type}, {organisation_subtype}, {outcome}"
)


@functools.cache
def _request_statistics_sql(alias):
    from opengov_cms.disclosure_requests.models import DisclosureRequest

    quote = connections[alias].ops.quote_name
    meta = DisclosureRequest._meta
    columns = {
        name: quote(meta.get_field(name).column)
        for name in (
            "applicant_type",
            "organisation_subtype",
            "outcome",
            "received_on",
            "closed_on",
            "organisation",
        )
    }
    return REQUEST_STATISTICS_SQL.format(table=quote(meta.db_table), **columns)


def request_statistics(organisation, period):
    """Table 3 for ``organisation`` over ``period``, in one query whatever the number of
    requests: ``{row: {column: count}}``.

    A request counts where its dates put it: new if received in the period, carried over
    if received before and not closed before it, handled (under its outcome) if closed in
    it, carried forward if not closed by its end. So new + carried over = handled + carried
    forward, column by column.
    """
    from opengov_cms.disclosure_requests.models import DisclosureRequest

    alias = router.db_for_read(DisclosureRequest)
    connection = connections[alias]
    start, end = (connection.ops.adapt_datefield_value(d) for d in (period.start, period.end))
    organisation_id = getattr(organisation, "pk", organisation)
    with connection.cursor() as cursor:
        cursor.execute(
            _request_statistics_sql(alias),
            [start, start, start, end, end, organisation_id, end, start],
        )
        groups = cursor.fetchall()
    return _request_table(groups)


def _empty_request_table():
    return {row: dict.fromkeys(APPLICANT_COLUMNS, 0) for row in REQUEST_ROWS}


def _request_table(groups, table=None):
    table = table or _empty_request_table()
    for applicant_type, subtype, outcome, new, carried_over, handled, carried_forward in groups:
        column = applicant_column(applicant_type, subtype)
        table["new"][column] += new
        table["carried_over"][column] += carried_over
        table["handled"][column] += handled
        table["carried_forward"][column] += carried_forward
        # 其他 takes whatever no other row names, so the rows always add up to 总计.
        table[outcome if outcome in OUTCOME_ROWS else Outcome.OTHER.value][column] += handled
    for row in table.values():
        row["total"] = sum(row[column] for column in APPLICANT_COLUMNS[:-1])
    return table


@functools.cache
def _statistics_by_organisation_sql(alias):
    """The same counts for every organisation at once, grouped by organisation too."""
    sql = _request_statistics_sql(alias)
    from opengov_cms.disclosure_requests.models import DisclosureRequest

    column = connections[alias].ops.quote_name(
        DisclosureRequest._meta.get_field("organisation").column
    )
    return (
        sql.replace("SELECT ", f"SELECT {column}, ", 1)
        .replace(f"WHERE {column} = %s AND ", "WHERE ", 1)
        .replace("GROUP BY ", f"GROUP BY {column}, ", 1)
    )


def request_statistics_by_organisation(period):
    """Table 3 of every organisation that has requests in ``period``, in one query whatever
    the number of organisations and requests: ``{organisation id: table}``."""
    from opengov_cms.disclosure_requests.models import DisclosureRequest

    alias = router.db_for_read(DisclosureRequest)
    connection = connections[alias]
    start, end = (connection.ops.adapt_datefield_value(d) for d in (period.start, period.end))
    with connection.cursor() as cursor:
        cursor.execute(
            _statistics_by_organisation_sql(alias), [start, start, start, end, end, end, start]
        )
        rows = cursor.fetchall()
    by_organisation = {}
    for organisation_id, *group in rows:
        by_organisation.setdefault(organisation_id, []).append(group)
    return {pk: _request_table(groups) for pk, groups in by_organisation.items()}


def sum_request_tables(tables):
    """The city-wide table 3: the departments' tables added cell by cell. The check rule
    (check_rule_failures) is then applied to the sum as to any table."""
    total = _empty_request_table()
    for table in tables:
        for row in REQUEST_ROWS:
            for column in APPLICANT_COLUMNS:
                total[row][column] += table[row][column]
    return total


def check_rule_failures(table):
    """The columns where new + carried over ≠ handled + carried forward, or where the
    outcome rows do not add up to the handled total (empty when the table is sound)."""
    failures = []
    for column in APPLICANT_COLUMNS:
        handled = table["handled"][column]
        balanced = (
            table["new"][column] + table["carried_over"][column]
            == handled + table["carried_forward"][column]
        )
        if not balanced or sum(table[code][column] for code in OUTCOME_ROWS) != handled:
            failures.append(column)
    return failures


# Table 2 -------------------------------------------------------------------------------

#: 第二十条第（一）项: the document kinds (core DocumentKind codes) table 2 counts.
DOCUMENT_KIND_ROWS = ("rule", "normative")
DOCUMENT_COLUMNS = ("issued", "repealed", "valid")
#: The staff-entered figures of table 2 (AnnualFigures fields).
DECISION_ROWS = ("licensing", "penalty", "enforcement")


def document_statistics(organisation, year, organisations=None):
    """规章 and 行政规范性文件 of ``organisation`` (or of all ``organisations``, ids): issued
    (成文日期, else 发布日期) and repealed in ``year``, and valid at its end; live policy
    documents only, one query."""
    from opengov_cms.core.models import Validity
    from opengov_cms.policies.models import PolicyDocumentPage

    start, end = date(year, 1, 1), date(year, 12, 31)
    ended_states = [Validity.REPEALED, Validity.EXPIRED]
    ended = (
        Q(validity__in=ended_states, validity_date__isnull=True)
        | Q(validity__in=ended_states, validity_date__lte=end)
        | Q(expiry_date__lte=end)
    )
    groups = (
        PolicyDocumentPage.objects.live()
        # An alias is the same document shown in a second place.
        .filter(
            Q(organisation__in=organisations)
            if organisations is not None
            else Q(organisation=organisation),
            document_kind__code__in=DOCUMENT_KIND_ROWS,
        )
        .filter(alias_of__isnull=True)
        .annotate(issued_on=Coalesce("written_date", "publication_date"))
        .values("document_kind__code")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__gte=start, issued_on__lte=end)),
            repealed=Count(
                "pk",
                filter=Q(
                    validity=Validity.REPEALED, validity_date__gte=start, validity_date__lte=end
                ),
            ),
            valid=Count("pk", filter=Q(issued_on__lte=end) & ~ended),
        )
        .order_by()
    )
    table = {kind: dict.fromkeys(DOCUMENT_COLUMNS, 0) for kind in DOCUMENT_KIND_ROWS}
    for group in groups:
        table[group["document_kind__code"]] = {c: group[c] for c in DOCUMENT_COLUMNS}
    return table


# Table 4 -------------------------------------------------------------------------------

#: 行政复议, 未经复议直接起诉, 复议后起诉; each with the results below and their total.
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_RESULTS = ("upheld", "corrected", "other", "pending")
REVIEW_COLUMNS = (*REVIEW_RESULTS, "total")


def format_amount(value):
    """An amount in 万元 as people write it: no trailing zeros, no exponent."""
    value = Decimal(value or 0)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def figures_statistics(figures):
    """The staff-entered parts of tables 2 and 4 from an AnnualFigures row (or None)."""
    decisions = {row: getattr(figures, row, 0) or 0 for row in DECISION_ROWS}
    reviews = {}
    for group in REVIEW_GROUPS:
        values = {r: getattr(figures, f"{group}_{r}", 0) or 0 for r in REVIEW_RESULTS}
        values["total"] = sum(values.values())
        reviews[group] = values
    return {
        "entered": figures is not None,
        "decisions": decisions,
        "fees": format_amount(getattr(figures, "fees", 0)),
        "reviews": reviews,
    }


# Everything a report shows ----------------------------------------------------------------


def compute(organisation, period):
    """The figures of a report: table 3 for a quarter; tables 2, 3 and 4 for a year.
    Three queries for a year, one for a quarter, whatever the amount of data."""
    from opengov_cms.reports.models import AnnualFigures

    data = {"period": period.key, "requests": request_statistics(organisation, period)}
    if period.is_annual:
        # Ordered by pk: the default ordering would join organisations for nothing.
        figures = (
            AnnualFigures.objects.filter(organisation=organisation, year=period.year)
            .order_by("pk")
            .first()
        )
        data["documents"] = document_statistics(organisation, period.year)
        data.update(figures_statistics(figures))
    return data


def compute_combined(organisation_ids, period):
    """The figures of a report for several organisations together (a city-wide annual report:
    the city office and the organisations under it): each table added cell by cell, the
    yearly figures summed. Four queries whatever the number of organisations."""
    from opengov_cms.reports.models import AnnualFigures

    ids = set(organisation_ids)
    tables = request_statistics_by_organisation(period)
    data = {
        "period": period.key,
        "requests": sum_request_tables(t for pk, t in tables.items() if pk in ids),
    }
    if period.is_annual:
        rows = list(AnnualFigures.objects.filter(organisation__in=ids, year=period.year))
        data["documents"] = document_statistics(None, period.year, organisations=ids)
        data.update(figures_statistics(_summed_figures(rows)))
    return data


def _summed_figures(rows):
    """One figures-like object adding up ``rows`` (None when there are none)."""
    if not rows:
        return None
    names = [*DECISION_ROWS, "fees"]
    names += [f"{group}_{result}" for group in REVIEW_GROUPS for result in REVIEW_RESULTS]
    return SimpleNamespace(
        **{name: sum((getattr(row, name) or 0 for row in rows), start=0) for name in names}
    )
