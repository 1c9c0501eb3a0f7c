"""The public search page (全文检索) and an Atom feed of any search."""

from html import escape
from urllib.parse import quote_plus, urlencode

from django.apps import apps
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opengov_cms.conf import opengov_settings
from opengov_cms.core.feeds import feed_datetime
from opengov_cms.search.backends import search_public
from opengov_cms.search.backends.base import FACET_FIELDS, SORTS, SearchUnavailable
from opengov_cms.search.models import VALIDITY_CHOICES

FEED_SIZE = 50
#: Values of a facet shown before its "更多" link; the link shows all that the backend gives.
FACET_VALUES_SHOWN = 10
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
        # Only what is searched is kept, and only that is echoed: the box, the title and
        # every link of the page carry the query, so a long one must not grow the page.
        self.query = params.get("q", "")[: opengov_settings.SEARCH_QUERY_MAX_LENGTH]
        self.sort = params.get("sort") if params.get("sort") in SORTS else "relevance"
        self.filters = {}
        for name in FACET_FIELDS:
            values = [v[:MAX_FILTER_LENGTH] for v in params.getlist(name) if v.strip()]
            if values:
                self.filters[name] = values[:MAX_FILTER_VALUES]
        kept = QueryDict(mutable=True)
        if "q" in params:
            kept["q"] = self.query
        for name, values in self.filters.items():
            kept.setlist(name, values)
        for name in ("sort", "page", "more"):
            if name in params:
                kept[name] = params.get(name)[:20]
        self.params = kept
        try:
            self.page = int(params.get("page", "1"))
        except ValueError:
            self.page = None
        # The facet whose every value the reader asked to see ("更多"); any other value is
        # ignored, so a crafted one changes nothing.
        self.expanded = params.get("more") if params.get("more") in FACET_FIELDS else None
        self._paths = {}

    def path(self, view="opengov_search:search"):
        # A page links to its own view hundreds of times: resolve it once.
        if view not in self._paths:
            self._paths[view] = reverse(view)
        return self._paths[view]

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
        return self.path(view) + (f"?{encoded}" if encoded else "")

    def toggle(self, name, value):
        return self.toggler(name)(value)

    def toggler(self, name):
        """For facet ``name``, a function from a value to this search's URL with that value
        added to the filter, or taken out if it is in: what ``url(name=[...])`` would give,
        with the rest of the query string encoded once for all the facet's values."""
        others = urlencode(
            [
                (key, value)
                for key, values in self.params.lists()
                if key not in ("page", name)
                for value in values
            ]
        )
        selected = self.filters.get(name, [])
        path = self.path()
        chosen = [urlencode({name: value}) for value in selected]
        added = "".join(f"{part}&" for part in (others, *chosen) if part)
        key = quote_plus(name)

        def url(value):
            if value not in selected:
                return f"{path}?{added}{key}={quote_plus(value)}"
            rest = list(selected)
            rest.remove(value)
            query = "&".join(
                part for part in (others, urlencode([(name, v) for v in rest])) if part
            )
            return f"{path}?{query}" if query else path

        return url


def _labeller(name):
    """Labels of facet ``name``'s values, each worked out once per page."""
    if name == "validity":
        labels = {value: str(label) for value, label in VALIDITY_CHOICES}
        return lambda value: labels.get(value, value)
    if name == "content_type":
        return lambda value: str(value_label(name, value))
    return lambda value: value


def _facet_items(values, selected_hint):
    """The ``<li>`` of a facet's values: a search page has dozens, written here rather than
    through a template each (``values`` holds the same for a template of one's own), and
    escaped by the standard library's ``escape``, which Django's wraps."""
    items = []
    for item in values:
        link = f'<a href="{escape(item["url"])}"'
        if item["selected"]:
            link += ' aria-current="true" class="opengov-selected"'
        item_html = (
            f"\n      <li>{link}>{escape(item['label'])}</a> "
            f'<span class="opengov-count">({item["count"]})</span>'
        )
        if item["selected"]:
            item_html += f' <span class="opengov-visually-hidden">{selected_hint}</span>'
        items.append(item_html + "</li>")
    return mark_safe("".join(items))


def _hit_items(hits):
    """The ``<li>`` of a result page's hits, written here for the reason the facets' are
    (twenty hits of a dozen fields each were half of the page's rendering); a template of
    one's own can loop over ``results.hits`` instead. Highlights are HTML already; every
    other value is escaped."""
    labels = [
        (name, escape(str(label)))
        for name, label in (
            ("document_number", _("文号")),
            ("index_number", _("索引号")),
            ("organisation", _("发布机构")),
        )
    ]
    date_label = escape(_("发布日期"))
    items = []
    for hit in hits:
        document, highlights = hit.document, hit.highlights
        item = [
            f'\n  <li>\n    <h2><a href="{escape(str(document.get("url") or "#"))}">'
            f"{highlights['title']}</a></h2>"
        ]
        if document.get("summary"):
            item.append(f"\n    <p>{highlights['summary']}</p>")
        item.append('\n    <dl class="opengov-meta">\n      ')
        for name, label in labels:
            value = document.get(name)
            if value:
                item.append(f"<dt>{label}</dt><dd>{escape(str(value))}</dd>")
        if document.get("date"):
            date = escape(str(document["date"]))
            item.append(f'<dt>{date_label}</dt><dd><time datetime="{date}">{date}</time></dd>')
        item.append("\n    </dl>\n  </li>")
        items.append("".join(item))
    return mark_safe("".join(items))


def _facets(search_request, results):
    titles = facet_titles()
    selected_hint = escape(_("已选，点击取消"))
    facets = []
    for name in FACET_FIELDS:
        counts = results.facets.get(name, [])
        if not counts:
            continue
        selected = search_request.filters.get(name, [])
        expanded = search_request.expanded == name
        if expanded or len(counts) <= FACET_VALUES_SHOWN:
            shown = counts
        else:
            # A selected value stays in sight however rare, so it can always be taken out.
            shown = [
                (value, count)
                for position, (value, count) in enumerate(counts)
                if position < FACET_VALUES_SHOWN or str(value) in selected
            ]
        label, toggle = _labeller(name), search_request.toggler(name)
        values = []
        for value, count in shown:
            value = str(value)
            values.append(
                {
                    "value": value,
                    "label": label(value),
                    "count": count,
                    "selected": value in selected,
                    "url": toggle(value),
                }
            )
        facet = {
            "name": name,
            "title": titles[name],
            "values": values,
            "items_html": _facet_items(values, selected_hint),
        }
        if len(shown) < len(counts):
            facet["more_url"] = search_request.url(more=name)
        elif expanded and len(counts) > FACET_VALUES_SHOWN:
            facet["fewer_url"] = search_request.url(more=None)
        facets.append(facet)
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
        "feed_url": search_request.url("opengov_search:feed", more=None),
    }
    try:
        results = search_public(
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
        # "10,000+": a capped total is written with its thousands apart, whatever the language.
        total_shown=f"{results.total:,}",
        first_number=(results.page - 1) * results.per_page + 1,
        facets=_facets(search_request, results),
        hits_html=_hit_items(results.hits),
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
    return feed_datetime(str(value) if value else None)


@require_safe
def search_feed(request):
    """The newest documents of a search, as Atom: a reader can follow any search."""
    search_request = SearchRequest(request.GET)
    try:
        results = search_public(
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
