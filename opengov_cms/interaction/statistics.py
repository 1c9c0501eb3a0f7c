"""The figures of the public's messages: received, replied, replied on time, and the average
working days to reply, per month, quarter and year, by category and by unit.

What is counted, for a set of units (an organisation and its sub-units) and a period:

- 收到留言 (received): messages received in the period, whatever became of them (closed out
  of scope, merged into a duplicate and withdrawn ones included);
- 已答复 (replied): messages whose reviewed reply went out in the period, whenever they were
  received;
- 按期答复 (on time): of those, the ones replied on or before their due date (the due date is
  the reply period of the category, in working days after receipt);
- 平均答复用时 (average working days to reply): over the replied messages, the working days
  after the day of receipt up to and including the day of the reply, as the working-day
  calendar counted them when the reply went out.

Each count is two GROUP BY queries over the period, whatever the number of messages.
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth

from opengov_cms.core.models import Organisation
from opengov_cms.core.visibility import leaving
from opengov_cms.interaction.choices import Category, ResponseKind, State
from opengov_cms.reports.statistics import Period

GROUPS = ("month", "category", "organisation")
# The models are imported where they are used: this module is loaded with them (the message
# box page, a model's base, reads these figures).


@dataclass
class Figures:
    received: int = 0
    replied: int = 0
    on_time: int = 0
    #: The working days of the replies whose working days are known, and how many they are.
    working_days: int = 0
    timed: int = 0

    def __add__(self, other):
        return Figures(**{k: getattr(self, k) + getattr(other, k) for k in asdict(self)})

    @property
    def average_days(self):
        """The average working days to reply, to one decimal (half up); None with no reply."""
        if not self.timed:
            return None
        value = Decimal(self.working_days) / Decimal(self.timed)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def on_time_rate(self):
        """按期答复率 as a percentage to one decimal; None with no reply."""
        if not self.replied:
            return None
        value = Decimal(self.on_time * 100) / Decimal(self.replied)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, values):
        return cls(**{k: int(values.get(k, 0)) for k in asdict(cls())})


def units_of(organisation):
    """``organisation`` and every unit below it (``parent``), as ids: one query for the
    organisations, the tree walked in Python."""
    if organisation is None:
        return None
    children = {}
    for pk, parent in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [organisation.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, ()))
    return sorted(found)


def boxes_of(organisation, published_by=None):
    """The live message boxes of ``organisation`` (first published by ``published_by``)."""
    from opengov_cms.interaction.models import MessageBoxPage

    boxes = MessageBoxPage.objects.live().filter(organisation=organisation)
    if published_by is not None:
        boxes = boxes.filter(first_published_at__date__lte=published_by)
    return boxes


def count(start, end, units=None, group="month"):
    """{key: Figures} of the messages of ``units`` (organisation ids; None for all) over the
    days ``start`` to ``end``, grouped by month of the period, category or unit; the key
    ``None`` is never made. Two queries."""
    from opengov_cms.interaction.models import Message

    if group not in GROUPS:
        raise ValueError(f"cannot group by {group!r}; use one of {', '.join(GROUPS)}")
    messages = Message.objects.order_by()
    if units is not None:
        messages = messages.filter(organisation__in=units)

    def keyed(queryset, date_field):
        if group == "month":
            return queryset.annotate(key=ExtractMonth(date_field)).values("key")
        return queryset.values(key=F(group))

    figures = {}
    received = keyed(messages.filter(received_on__gte=start, received_on__lte=end), "received_on")
    for row in received.annotate(n=Count("pk")):
        figures.setdefault(row["key"], Figures()).received = row["n"]
    replied = keyed(
        messages.filter(state=State.REPLIED, replied_on__gte=start, replied_on__lte=end),
        "replied_on",
    ).annotate(
        n=Count("pk"),
        on_time=Count("pk", filter=Q(due_date__isnull=False, replied_on__lte=F("due_date"))),
        days=Sum("reply_working_days"),
        timed=Count("reply_working_days"),
    )
    for row in replied:
        entry = figures.setdefault(row["key"], Figures())
        entry.replied, entry.on_time = row["n"], row["on_time"]
        entry.working_days, entry.timed = row["days"] or 0, row["timed"]
    return figures


def year_statistics(year, units=None):
    """The figures of ``year``: ``{"months": {1..12: Figures}, "quarters": {1..4: Figures},
    "year": Figures}``; quarters and the year are sums of the months (averages too: sums of
    working days over counts, never averages of averages)."""
    by_month = count(date(year, 1, 1), date(year, 12, 31), units, "month")
    months = {month: by_month.get(month, Figures()) for month in range(1, 13)}
    quarters = {
        quarter: sum((months[m] for m in range(3 * quarter - 2, 3 * quarter + 1)), Figures())
        for quarter in range(1, 5)
    }
    return {"months": months, "quarters": quarters, "year": sum(months.values(), Figures())}


def quarter_statistics(organisation, period):
    """What the quarterly report stores: the figures of ``organisation`` and its units for
    the quarter ``period`` by month, by category and by unit, and the quarter's total, as
    plain data (the report keeps them as they were when it was made)."""
    units = units_of(organisation)
    start, end = period.start, period.end
    by_month = count(start, end, units, "month")
    months = range(start.month, end.month + 1)
    by_category = count(start, end, units, "category")
    by_unit = count(start, end, units, "organisation")
    names = dict(Organisation.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    total = sum((by_month.get(m, Figures()) for m in months), Figures())
    return {
        "period": period.key,
        "months": {str(m): by_month.get(m, Figures()).as_dict() for m in months},
        "categories": {c: by_category.get(c, Figures()).as_dict() for c in Category.values},
        "units": [
            {"id": pk, "name": names.get(pk, ""), **by_unit[pk].as_dict()}
            for pk in sorted(by_unit, key=lambda pk: names.get(pk, ""))
        ],
        "total": total.as_dict(),
    }


def city_statistics(period):
    """The city-wide figures of ``period`` (a year or a quarter) for the city office: one row
    per organisation with a message box, its units' messages counted with it, and the sum
    of all rows (every organisation's messages, whether or not it has a box of its own).

    ``[(organisation id, name, Figures)]`` sorted by name, and the total. Four queries,
    whatever the number of organisations: the organisations, the message boxes, and the
    received and replied counts grouped by organisation."""
    from opengov_cms.interaction.models import MessageBoxPage

    tree = {
        pk: (parent, name)
        for pk, parent, name in Organisation.objects.values_list("pk", "parent_id", "name")
    }
    with_box = set(
        MessageBoxPage.objects.live()
        .filter(organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )

    def department(pk):
        # The nearest organisation at or above ``pk`` that has a box; else ``pk`` itself.
        current, seen = pk, set()
        while current is not None and current not in seen:
            if current in with_box:
                return current
            seen.add(current)
            current = tree.get(current, (None, ""))[0]
        return pk

    rows = {}
    for pk, figures in count(period.start, period.end, None, "organisation").items():
        key = department(pk)
        rows[key] = rows.get(key, Figures()) + figures
    ordered = sorted(rows.items(), key=lambda item: tree.get(item[0], (None, ""))[1])
    listed = [(pk, tree.get(pk, (None, ""))[1], figures) for pk, figures in ordered]
    return listed, sum((figures for _pk, _name, figures in listed), Figures())


def concern_counts(year, organisation=None):
    """{response kind: number} of the responses to concerns (回应关切) published in ``year``
    (those that may leave the site), by ``organisation`` and its units: a figure staff can
    quote in the annual report's narrative part (its statutory tables have no row for it)."""
    from opengov_cms.interaction.models import ConcernResponsePage

    pages = leaving(ConcernResponsePage.objects.all()).filter(
        publication_date__gte=date(year, 1, 1), publication_date__lte=date(year, 12, 31)
    )
    units = units_of(organisation)
    if units is not None:
        pages = pages.filter(organisation__in=units)
    counts = dict(pages.order_by().values_list("kind").annotate(n=Count("pk")))
    return {kind: counts.get(kind, 0) for kind in ResponseKind.values}


def parse_year(value, default):
    """A year from the query string, or ``default``; None when it is not a reporting year."""
    if value in (None, ""):
        return default
    try:
        return Period(int(value)).year
    except (TypeError, ValueError):
        return None
