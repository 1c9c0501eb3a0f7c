"""The public listing of a catalogue section: filters, sort and keyset pagination.

Pages are addressed by a cursor (the sort key of the last row shown), never by an OFFSET,
and nothing is counted, so a deep page costs what the first one does.
"""

import base64
import json
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.http import QueryDict
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from opengov_cms.catalogue.forms import (
    PlainSelect,
    TaxonomyChoices,
    filter_choices,
    ordered_topics,
    publishing_organisations,
)
from opengov_cms.core.forms import AccessibleErrorsMixin
from opengov_cms.core.models import DocumentKind, Genre, Organisation, Topic, Validity

PER_PAGE = 20
#: The largest id a page can have (a 64-bit key); a cursor beyond it is refused.
MAX_PAGE_ID = 2**63 - 1
FIRST_YEAR = 2008  # the first Regulations on Open Government Information took effect


class InvalidCursor(ValueError):
    pass


def encode_cursor(values):
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token):
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor(token) from error
    if not (isinstance(values, list) and len(values) == 2 and isinstance(values[1], int)):
        raise InvalidCursor(token)
    if not 0 <= values[1] <= MAX_PAGE_ID:
        # No page has such an id, and the database could not compare it.
        raise InvalidCursor(token)
    if not isinstance(values[0], str) or len(values[0]) > 200:
        raise InvalidCursor(token)
    return values


#: How long the years with content under a section are kept before they are read again.
YEARS_TIMEOUT = 3600


def section_years(section):
    """The years with something listed under ``section`` (everywhere for None), newest first,
    read once an hour per section: offered as the year filter's options."""
    from django.core.cache import cache

    from opengov_cms.catalogue.models import CatalogueItem

    key = f"opengov_catalogue:years:{section.pk if section is not None else 'all'}"
    years = cache.get(key)
    if years is None:
        rows = CatalogueItem.objects.public().exclude(year=None)
        if section is not None:
            rows = rows.filter(path__startswith=section.path)
        years = sorted(set(rows.values_list("year", flat=True).distinct()), reverse=True)
        cache.set(key, years, YEARS_TIMEOUT)
    return years


class YearChoices(BaseChoiceIterator):
    """The year filter's options, read only when the form is rendered."""

    def __init__(self, section, chosen=None):
        self.section = section
        # A year chosen in the address is offered even with nothing in it, so the form says
        # what the list shows.
        self.chosen = int(chosen) if str(chosen or "").isdigit() else None

    def __iter__(self):
        yield "", _("全部年份")
        years = section_years(self.section)
        valid = range(FIRST_YEAR, timezone.localdate().year + 1)
        if self.chosen in valid and self.chosen not in years:
            years = sorted([*years, self.chosen], reverse=True)
        for year in years:
            yield year, str(year)


def year_choices():
    this_year = timezone.localdate().year
    return [("", _("全部年份"))] + [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class ListingFilterForm(AccessibleErrorsMixin, forms.Form):
    """The filters a reader may set in the URL; every one is optional."""

    organisation = forms.ModelChoiceField(
        label=_("发布机构"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("全部机构"),
        widget=PlainSelect,
    )
    topic = forms.ModelChoiceField(
        label=_("主题分类"),
        queryset=Topic.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("全部主题"),
        widget=PlainSelect,
    )
    genre = forms.ModelChoiceField(
        label=_("文种"),
        queryset=Genre.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("全部文种"),
        widget=PlainSelect,
    )
    kind = forms.ModelChoiceField(
        label=_("文件类型"),
        queryset=DocumentKind.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("全部类型"),
        widget=PlainSelect,
    )
    year = forms.TypedChoiceField(
        label=_("年份"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    validity = forms.ChoiceField(
        label=_("有效性"),
        choices=[("", _("全部"))] + list(Validity.choices),
        required=False,
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        choices=[("date", _("按发布日期")), ("index", _("按索引号"))],
        required=False,
        widget=PlainSelect,
    )
    after = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)

    error_messages = {"after": _("翻页参数不正确，请从第一页重新浏览。")}

    def __init__(self, *args, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any year since 2008 is accepted; the years offered are those with something to show.
        self.fields["year"].choices = year_choices()
        self.fields["year"].widget.choices = YearChoices(section, self.data.get("year"))
        self.fields["topic"].queryset = ordered_topics()
        self.fields["organisation"].queryset = publishing_organisations()
        # Validation still reads the chosen value from the database; the options shown are
        # the cached ones, read once per rendering.
        choices = {}

        def load():
            if not choices:
                choices.update(filter_choices())
            return choices

        for name in ("organisation", "topic", "genre", "kind"):
            field = self.fields[name]
            field.widget.choices = TaxonomyChoices(name, field.empty_label, load)
        for name in ("organisation", "topic", "genre", "kind", "year", "validity", "sort"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "所选的%(field)s不存在，请重新选择。"
            ) % {"field": self.fields[name].label}

    def clean_after(self):
        token = self.cleaned_data["after"]
        if not token:
            return None
        try:
            return decode_cursor(token)
        except InvalidCursor:
            raise forms.ValidationError(self.error_messages["after"], code="cursor") from None


@dataclass
class Listing:
    form: ListingFilterForm
    items: list = field(default_factory=list)
    next_query: str = ""
    first_query: str = ""
    is_first_page: bool = True
    beyond_the_end: bool = False
    filtered: bool = False

    @property
    def filters_part(self):
        """The name the filter form's HTML is kept under (``{% kept %}``): the filters set,
        not the page of the list, and the year the list of years ends with; none while the
        form shows errors."""
        if self.form.errors:
            return ""
        return f"filters:{timezone.localdate().year}:{self.first_query}"

    @property
    def feeds_part(self):
        """The name the feed and download links are kept under: the filters set."""
        if self.form.errors:
            return ""
        return f"feeds:{self.first_query}"


class InvalidListing(Exception):
    def __init__(self, listing):
        super().__init__("invalid listing parameters")
        self.listing = listing


def filtered_items(section, data):
    """The CatalogueItem rows under ``section`` (everywhere for None) matching ``data``."""
    from opengov_cms.catalogue.models import CatalogueItem

    items = CatalogueItem.objects.public()
    if section is not None:
        items = items.filter(path__startswith=section.path)
    for name, column in (
        ("organisation", "organisation"),
        ("topic", "topic"),
        ("genre", "genre"),
        ("kind", "document_kind"),
        ("year", "year"),
        ("validity", "validity"),
    ):
        value = data.get(name)
        if value not in (None, ""):
            if name == "topic" and value.parent_id is None:
                items = items.filter(Q(topic=value) | Q(topic__parent=value))
            else:
                items = items.filter(**{column: value})
    return items


class Row(Func):
    """A row value, ``(a, b)``: compared with another, column by column, it is the one
    condition an index on (a, b) starts reading at, whatever the number of ties on a."""

    template = "(%(expressions)s)"

    def __init__(self, *expressions):
        super().__init__(*expressions, output_field=models.Field())


def ordered(items, sort, after):
    if sort == "index":
        items = items.order_by("index_number", "page_id")
        if after:
            key, pk = after
            # The first bound is implied by the second; said alone, it lets a database that
            # reads a row comparison only as a filter still start near the cursor.
            items = items.filter(index_number__gte=key).filter(
                GreaterThan(
                    Row(F("index_number"), F("page_id")),
                    Row(Value(key, output_field=models.CharField()), Value(pk)),
                )
            )
        return items, lambda row: [row.index_number, row.page_id]
    items = items.order_by("-publication_date", "-page_id")
    if after:
        key, pk = after
        try:
            day = date.fromisoformat(key)
        except ValueError:
            raise InvalidCursor(key) from None
        # Without the bound on the date alone a deep page read and dropped every row before
        # it, 111,089 of them (348 ms) half way down a year of a 1M site; with it alone, the
        # rows of the cursor's day before the cursor (580 of them, 0.6 ms, on the same site).
        # The row comparison starts at the cursor itself (26 buffers read instead of 588).
        items = items.filter(publication_date__lte=day).filter(
            LessThan(
                Row(F("publication_date"), F("page_id")),
                Row(Value(day, output_field=models.DateField()), Value(pk)),
            )
        )
    return items, lambda row: [row.publication_date.isoformat(), row.page_id]


def catalogue_listing(section, params, per_page=PER_PAGE):
    form = ListingFilterForm(params, section=section)
    listing = Listing(form=form)
    if not form.is_valid():
        raise InvalidListing(listing)
    data = form.cleaned_data
    listing.filtered = any(data.get(n) not in (None, "") for n in form.fields if n != "after")
    try:
        items, key = ordered(filtered_items(section, data), data.get("sort"), data.get("after"))
    except InvalidCursor:
        form.add_error("after", form.error_messages["after"])
        raise InvalidListing(listing) from None
    rows = list(items.select_related("organisation")[: per_page + 1])
    listing.items = rows[:per_page]
    listing.is_first_page = data.get("after") is None
    listing.beyond_the_end = not listing.is_first_page and not listing.items
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if name in form.fields and name != "after" and value:
            query[name] = value[:200]
    listing.first_query = query.urlencode()
    if len(rows) > per_page:
        query["after"] = encode_cursor(key(listing.items[-1]))
        listing.next_query = query.urlencode()
    return listing
