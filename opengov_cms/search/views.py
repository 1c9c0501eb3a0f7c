"""The public search page (全文检索) and an Atom feed of any search."""

import datetime

from django.apps import apps
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opengov_cms.conf import opengov_settings
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import FACET_FIELDS, SORTS, SearchUnavailable
from opengov_cms.search.models import VALIDITY_CHOICES

FEED_SIZE = 50
# A reader's filters are bounded like the query, so a crafted URL costs no more than a click.
MAX_FILTER_VALUES = 10
MAX_FILTER_LENGTH = 200


def facet_titles():
    return {
        "organisation": _("发布机构"),
        "topic": _("主题分类"),
        "genre": _("体裁"),
        "year": _("年份"),
        "validity": _("效力"),
        "content_type": _("类型"),
    }


def value_label(name, value):
    if name == "validity":
        return dict(VALIDITY_CHOICES).get(value, value)
    if name == "content_type":
        try:
            return apps.get_model(value)._meta.verbose_name
        except (LookupError, ValueError):
            return value
    return value


class SearchRequest:
    """What a reader asked for, read from the query string; bad values become harmless."""

    def __init__(self, params):
        self.params = params
        self.query = params.get("q", "")
        self.sort = params.get("sort") if params.get("sort") in SORTS else "relevance"
        self.filters = {}
        for name in FACET_FIELDS:
            values = [v[:MAX_FILTER_LENGTH] for v in params.getlist(name) if v.strip()]
            if values:
                self.filters[name] = values[:MAX_FILTER_VALUES]
        try:
            self.page = int(params.get("page", "1"))
        except ValueError:
            self.page = None

    def url(self, view="opengov_search:search", **changes):
        """This search's URL with some parameters changed (None removes one)."""
        params = self.params.copy()
        params.pop("page", None)
        for name, value in changes.items():
            params.pop(name, None)
            if isinstance(value, list):
                params.setlist(name, value)
            elif value is not None:
                params[name] = value
        encoded = params.urlencode()
        return reverse(view) + (f"?{encoded}" if encoded else "")

    def toggle(self, name, value):
        values = list(self.filters.get(name, []))
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return self.url(**{name: values})


def _facets(search_request, results):
    titles = facet_titles()
    facets = []
    for name in FACET_FIELDS:
        selected = search_request.filters.get(name, [])
        values = [
            {
                "value": value,
                "label": value_label(name, str(value)),
                "count": count,
                "selected": str(value) in selected,
                "url": search_request.toggle(name, str(value)),
            }
            for value, count in results.facets.get(name, [])
        ]
        if values:
            facets.append({"name": name, "title": titles[name], "values": values})
    return facets


@require_safe
def search(request):
    search_request = SearchRequest(request.GET)
    if search_request.page is None or search_request.page < 1:
        raise Http404(_("没有这一页。"))
    context = {
        "opengov_base_template": opengov_settings.BASE_TEMPLATE,
        "search": search_request,
        "query": search_request.query,
        "sort": search_request.sort,
        "feed_url": search_request.url("opengov_search:feed"),
    }
    try:
        results = get_search_backend().search(
            search_request.query,
            filters=search_request.filters,
            facets=FACET_FIELDS,
            sort=search_request.sort,
            page=search_request.page,
            per_page=opengov_settings.SEARCH_PER_PAGE,
        )
    except SearchUnavailable:
        context["unavailable"] = True
        return render(request, "opengov_search/search.html", context, status=503)
    if search_request.page > 1 and not results.hits:
        raise Http404(_("没有这一页。"))
    context.update(
        results=results,
        first_number=(results.page - 1) * results.per_page + 1,
        facets=_facets(search_request, results),
        sort_options=[
            {
                "value": value,
                "label": label,
                "url": search_request.url(sort=value),
                "selected": value == search_request.sort,
            }
            for value, label in (("relevance", _("按相关度")), ("date", _("按日期")))
        ],
    )
    if results.has_previous:
        context["previous_url"] = search_request.url(page=str(results.page - 1))
    if results.has_next:
        context["next_url"] = search_request.url(page=str(results.page + 1))
    return render(request, "opengov_search/search.html", context)


def _published(value):
    try:
        date = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC)


@require_safe
def search_feed(request):
    """The newest documents of a search, as Atom: a reader can follow any search."""
    search_request = SearchRequest(request.GET)
    try:
        results = get_search_backend().search(
            search_request.query,
            filters=search_request.filters,
            sort="date",
            per_page=FEED_SIZE,
        )
    except SearchUnavailable:
        return HttpResponse(
            _("检索服务暂时不可用，请稍后再试。"),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    title = (
        _("检索“%(query)s”") % {"query": results.query.text} if results.query.text else _("检索")
    )
    feed = feedgenerator.Atom1Feed(
        title=title,
        link=request.build_absolute_uri(search_request.url()),
        description=title,
        feed_url=request.build_absolute_uri(),
        language="zh-hans",
    )
    for hit in results.hits:
        feed.add_item(
            title=hit.title,
            link=request.build_absolute_uri(hit.url or "/"),
            description=hit.summary,
            unique_id=request.build_absolute_uri(hit.url) if hit.url else hit.id,
            pubdate=_published(hit.date),
            # Atom requires an updated time per entry; the index knows the publication date.
            updateddate=_published(hit.date),
            categories=[c for c in (hit.genre, hit.topic) if c],
            author_name=hit.organisation or None,
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )
