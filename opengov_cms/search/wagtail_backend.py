"""A Wagtail search backend whose page searches understand Chinese (the admin's page search).

Wagtail's admin finds pages through its search backend: the page explorer's search box, the
pages search view and the page chooser all end in ``pages.autocomplete(query)``, after the
view has applied its own filters (the editor's permissions, the subtree, the page type). Set
it in the site's settings::

    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "opengov_cms.search.wagtail_backend",
            # optional: the backend it extends, and that backend's own options
            "BASE_BACKEND": "wagtail.search.backends.database",
        }
    }

It is the BASE_BACKEND in everything (indexing, images, documents, snippets) except a search
of pages, which it answers from the editors' index (opengov_cms.search.admin_index) by
narrowing the view's own queryset: one SQL query, whatever filters the view applied.
"""

from collections import OrderedDict

from django.db import connections
from django.db.models import Count, F, QuerySet
from modelsearch.backends import import_backend
from modelsearch.backends.base import BaseSearchQueryCompiler, BaseSearchResults
from modelsearch.query import And, Boost, Fuzzy, Phrase, PlainText
from wagtail.models import Page

from opengov_cms.search import admin_index

DEFAULT_BASE_BACKEND = "wagtail.search.backends.database"
RANK = "_opengov_search_rank"


def query_text(query):
    """The words of a query as text, or None for a query this backend leaves to the base one
    (match all, or / not combinations)."""
    if isinstance(query, str):
        return query
    if isinstance(query, (PlainText, Phrase, Fuzzy)):
        return query.query_string
    if isinstance(query, Boost):
        return query_text(query.subquery)
    if isinstance(query, And):
        texts = [query_text(subquery) for subquery in query.subqueries]
        return None if None in texts else " ".join(texts)
    return None


class PageQueryCompiler(BaseSearchQueryCompiler):
    """A search of pages turned into a filter of the given queryset."""

    def __init__(self, queryset, query, *, text, autocomplete, order_by_relevance=True):
        super().__init__(queryset, query, order_by_relevance=order_by_relevance)
        self.admin_query = admin_index.AdminQuery(text, autocomplete=autocomplete)
        self.vendor = connections[queryset.db].vendor

    def check(self):
        # Any filter of the queryset works: it stays a database query.
        pass

    def matched(self):
        if not self.admin_query:
            return self.queryset.none()
        return self.queryset.filter(self.admin_query.matching(self.vendor))

    def ordered(self):
        matched = self.matched()
        if not self.order_by_relevance or not self.admin_query:
            return matched
        return matched.annotate(**{RANK: self.admin_query.rank(self.vendor)}).order_by(
            f"-{RANK}", F("latest_revision_created_at").desc(nulls_last=True), "-pk"
        )


class PageSearchResults(BaseSearchResults):
    supports_facet = True

    def _do_search(self):
        results = list(self.query_compiler.ordered()[self.start : self.stop])
        if self._score_field:
            for result in results:
                setattr(result, self._score_field, getattr(result, RANK, None))
        return results

    def _do_count(self):
        return self.query_compiler.matched().order_by()[self.start : self.stop].count()

    def facet(self, field_name):
        rows = (
            self.query_compiler.matched()
            .order_by()
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count", field_name)
        )
        return OrderedDict((row[field_name], row["count"]) for row in rows)


class ChinesePageSearchMixin:
    """Answers searches of pages from the editors' index; everything else goes to the base
    backend."""

    def _page_search(self, query, model_or_queryset, fields, order_by_relevance, autocomplete):
        queryset = (
            model_or_queryset
            if isinstance(model_or_queryset, QuerySet)
            else model_or_queryset._default_manager.all()
        )
        if fields is not None or not issubclass(queryset.model, Page):
            return None
        if not admin_index.supported(queryset.db):
            return None
        text = query_text(query)
        if text is None:
            return None
        compiler = PageQueryCompiler(
            queryset,
            text,
            text=text,
            autocomplete=autocomplete,
            order_by_relevance=order_by_relevance,
        )
        return PageSearchResults(self, compiler)

    def search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        results = self._page_search(
            query, model_or_queryset, fields, order_by_relevance, autocomplete=False
        )
        if results is not None:
            return results
        return super().search(
            query,
            model_or_queryset,
            fields=fields,
            operator=operator,
            order_by_relevance=order_by_relevance,
        )

    def autocomplete(
        self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True
    ):
        results = self._page_search(
            query, model_or_queryset, fields, order_by_relevance, autocomplete=True
        )
        if results is not None:
            return results
        return super().autocomplete(
            query,
            model_or_queryset,
            fields=fields,
            operator=operator,
            order_by_relevance=order_by_relevance,
        )


_classes = {}


def _backend_class(base_class):
    cls = _classes.get(base_class)
    if cls is None:
        cls = _classes[base_class] = type(
            f"Chinese{base_class.__name__}", (ChinesePageSearchMixin, base_class), {}
        )
    return cls


def SearchBackend(params):
    """The base backend (``BASE_BACKEND``, the database one by default) with Chinese page
    search; every other parameter is the base backend's."""
    params = dict(params)
    base = import_backend(params.pop("BASE_BACKEND", DEFAULT_BASE_BACKEND))
    # A backend module may name a class or, like the database one, a function that picks
    # the class for the database in use.
    base_class = base if isinstance(base, type) else type(base(params))
    return _backend_class(base_class)(params)
