"""Widgets and choices of the public filter form: the taxonomies' options are read once
and kept in the cache until a taxonomy changes, and rendered without a template each."""

from html import escape

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from opengov_cms.core.versions import current_version, new_version

VERSION_KEY = "opengov:catalogue:taxonomies"
CHOICES_KEY = "opengov:catalogue:filter-choices:{version}"
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


def read_filter_choices():
    """The options of the taxonomy filters, from the database: (value, label) pairs."""
    from opengov_cms.core.models import DocumentKind, Genre, Organisation

    return {
        "organisation": [(str(o.pk), o.name) for o in Organisation.objects.only("name")],
        "topic": [(t.code, str(t)) for t in ordered_topics()],
        "genre": list(Genre.objects.values_list("code", "name")),
        "kind": list(DocumentKind.objects.values_list("code", "name")),
    }


def filter_choices():
    """The taxonomy filters' options, from the cache while no taxonomy has changed."""
    key = CHOICES_KEY.format(version=current_version(VERSION_KEY))
    choices = cache.get(key)
    if choices is None:
        choices = read_filter_choices()
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


def taxonomy_changed(**kwargs):
    """A taxonomy or organisation was saved or deleted: the next reader reads them anew.
    After the commit, so no reader caches what another transaction has not yet made."""
    transaction.on_commit(lambda: new_version(VERSION_KEY))


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
