"""Widgets and choices of the public filter form: the taxonomies' options are read once
and kept in the cache until a taxonomy changes, and rendered without a template each."""

from html import escape

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from opengov_cms.core.versions import current_version, new_version

VERSION_KEY = "opengov:catalogue:taxonomies"
#: Moves when a page is published, unpublished, moved or restricted (kept.pages_changed):
#: the 发布机构 options are the organisations with public entries, so they follow it too.
PAGES_VERSION_KEY = "opengov:catalogue:pages"
#: Moves when an organisation publishes its first public entry or loses its last one, or a
#: disclosed page is deleted: the 发布机构 options change (publishers_changed).
PUBLISHERS_VERSION_KEY = "opengov:catalogue:publishers"
CHOICES_KEY = "opengov:catalogue:filter-choices:{version}:{pages}:{publishers}"
# The version moves on every save or delete through the ORM; the timeout bounds how long
# a change made around it (bulk updates, a restored database) goes unseen.
CHOICES_TIMEOUT = 600


def ordered_topics():
    """Each subject followed by its children, in one query."""
    from opengov_cms.core.models import Topic

    return Topic.objects.select_related("parent").order_by(
        Coalesce("parent__sort_order", "sort_order"),
        F("parent").asc(nulls_first=True),
        "sort_order",
    )


def publishing_organisations():
    """The organisations the 发布机构 filter offers and accepts: those named as the 发布机构
    of at least one public catalogue row. A unit (科室) or an organisation that publishes
    nothing is left out. One query, an EXISTS per organisation on the catalogue's
    (organisation, date) index, which stops at the first public row whatever the size of
    the catalogue."""
    from opengov_cms.catalogue.models import CatalogueItem
    from opengov_cms.core.models import Organisation

    public = CatalogueItem.objects.public().filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(public))


def read_filter_choices():
    """The options of the taxonomy filters, from the database: (value, label) pairs."""
    from opengov_cms.core.models import DocumentKind, Genre

    return {
        "organisation": [(str(o.pk), o.name) for o in publishing_organisations().only("name")],
        "topic": [(t.code, str(t)) for t in ordered_topics()],
        "genre": list(Genre.objects.values_list("code", "name")),
        "kind": list(DocumentKind.objects.values_list("code", "name")),
    }


def filter_choices():
    """The taxonomy filters' options, from the cache while no taxonomy has changed."""
    key = CHOICES_KEY.format(
        version=current_version(VERSION_KEY),
        pages=current_version(PAGES_VERSION_KEY),
        publishers=current_version(PUBLISHERS_VERSION_KEY),
    )
    choices = cache.get(key)
    if choices is None:
        choices = read_filter_choices()
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


def taxonomy_changed(**kwargs):
    """A taxonomy or organisation was saved or deleted: the next reader reads them anew.
    After the commit, so no reader caches what another transaction has not yet made."""
    transaction.on_commit(lambda: new_version(VERSION_KEY))


def publishers_changed(**kwargs):
    """The 发布机构 options are read anew after the commit (and the kept filter forms made
    again)."""
    transaction.on_commit(lambda: new_version(PUBLISHERS_VERSION_KEY))


def note_publisher(before, after):
    """A disclosed page's public row went from 发布机构 ``before`` to ``after`` (organisation
    ids, None for no public row). The options move on only when the set they offer changes:
    ``after`` is not offered yet, or ``before`` was and has no public entry left. So
    publishing the hundredth entry of a department leaves every kept part as it is; it costs
    at most one query (and a read of the cached options)."""
    from opengov_cms.catalogue.models import CatalogueItem

    if before == after:
        return False
    offered = {int(pk) for pk, _name in filter_choices()["organisation"]}
    changed = after is not None and after not in offered
    if not changed and before is not None and before in offered:
        changed = not CatalogueItem.objects.public().filter(organisation=before).exists()
    if changed:
        publishers_changed()
    return changed


class TaxonomyChoices(BaseChoiceIterator):
    """A filter's options, read from ``filter_choices`` only when the form is rendered
    (feeds, exports and the API validate the same form and never show it). Django takes a
    ``BaseChoiceIterator`` as it is; any other iterable it reads when it is set."""

    def __init__(self, name, empty_label, load):
        self.name = name
        self.empty_label = empty_label
        self.load = load

    def __iter__(self):
        yield "", self.empty_label
        yield from self.load()[self.name]


class PlainSelect(forms.Select):
    """Renders the same ``<select>`` as Django's widget, with its options written here
    rather than through a template each: a subject list has over a hundred."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            chosen = option_value in selected
            if chosen:
                # A single select marks only its first match, as Django's does.
                selected = set()
            # html.escape is what django.utils.html.escape does, without its lazy-string
            # check on each of a hundred options.
            parts.append(
                f'  <option value="{escape(option_value)}"{" selected" if chosen else ""}>'
                f"{escape(str(label))}</option>"
            )
        parts.append("</select>")
        return mark_safe("\n".join(parts))
