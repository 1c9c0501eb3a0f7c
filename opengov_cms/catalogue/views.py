"""Open data from the catalogue: an Atom feed and CSV / JSON exports of any filtered list
(the same filters as the section's page), and a sitemap."""

import csv
import json

from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from opengov_cms.catalogue.listing import MAX_PAGE_ID, ListingFilterForm, filtered_items, ordered
from opengov_cms.conf import opengov_settings
from opengov_cms.core.exports import cell_text
from opengov_cms.core.feeds import feed_datetime

FEED_ITEMS = 50
EXPORT_COLUMNS = [
    ("index_number", "索引号"),
    ("title", "标题"),
    ("document_number", "文号"),
    ("organisation", "发布机构"),
    ("written_date", "成文日期"),
    ("publication_date", "发布日期"),
    ("validity", "有效性"),
    ("url", "链接"),
]


def section_or_404(section_id):
    from opengov_cms.catalogue.models import CatalogueIndexPage

    page = get_object_or_404(Page.objects.live().public().type(CatalogueIndexPage), pk=section_id)
    return page.specific


def filtered_rows(request, section, limit):
    form = ListingFilterForm(request.GET)
    if not form.is_valid():
        return None, form
    items, _key = ordered(
        filtered_items(section, form.cleaned_data), form.cleaned_data.get("sort"), None
    )
    return items.select_related("organisation")[:limit], form


def bad_filters(form):
    messages = [str(m) for errors in form.errors.values() for m in errors]
    return HttpResponseBadRequest("\n".join(messages), content_type="text/plain; charset=utf-8")


@require_GET
def feed(request, section_id):
    section = section_or_404(section_id)
    rows, form = filtered_rows(request, section, FEED_ITEMS)
    if rows is None:
        return bad_filters(form)
    atom = Atom1Feed(
        title=section.title,
        link=request.build_absolute_uri(section.url),
        description=_("%(title)s 的最新公开信息") % {"title": section.title},
        language="zh-hans",
        feed_url=request.build_absolute_uri(),
    )
    for row in rows:
        link = request.build_absolute_uri(row.url)
        atom.add_item(
            title=row.title,
            link=link,
            description=row.summary,
            unique_id=link,
            pubdate=None,
            updateddate=feed_datetime(row.publication_date),
            author_name=row.organisation.name if row.organisation_id else None,
        )
    response = StreamingHttpResponse(
        [atom.writeString("utf-8")], content_type="application/atom+xml; charset=utf-8"
    )
    return response


def row_values(row, request):
    """A row of a download: links are absolute (a downloaded file has no site to be relative
    to); validity is the code the API gives, with its label beside it."""
    return {
        "index_number": row.index_number,
        "title": row.title,
        "document_number": row.document_number,
        "organisation": row.organisation.name if row.organisation_id else "",
        "written_date": row.written_date.isoformat() if row.written_date else "",
        "publication_date": row.publication_date.isoformat(),
        "validity": row.validity,
        "validity_label": str(row.get_validity_display()),
        "url": request.build_absolute_uri(row.url),
    }


class Echo:
    def write(self, value):
        return value


@require_GET
def export(request, section_id, fmt):
    section = section_or_404(section_id)
    rows, form = filtered_rows(request, section, opengov_settings.EXPORT_MAX_ROWS)
    if rows is None:
        return bad_filters(form)
    filename = f"catalogue-{section.pk}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(Echo())

        def lines():
            yield "\ufeff"  # a BOM, so Excel reads the file as UTF-8
            yield writer.writerow([label for _name, label in EXPORT_COLUMNS])
            for row in rows.iterator(chunk_size=2000):
                values = row_values(row, request)
                values["validity"] = values["validity_label"]  # a spreadsheet shows the label
                yield writer.writerow([cell_text(values[name]) for name, _label in EXPORT_COLUMNS])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    elif fmt == "json":

        def chunks():
            yield '{"section": ' + json.dumps(section.title, ensure_ascii=False) + ', "items": ['
            count = 0
            for row in rows.iterator(chunk_size=2000):
                yield ("," if count else "") + json.dumps(
                    row_values(row, request), ensure_ascii=False
                )
                count += 1
            # Known once every row is written: the count closes the object.
            yield f'], "count": {count}}}'

        response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


SITEMAP_CHUNK = 50_000  # the most URLs the sitemap protocol allows in one file


def catalogue_blocks():
    """The blocks of page ids the catalogue's sitemaps are split in (50,000 ids each)."""
    from django.db.models import Max, Min

    from opengov_cms.catalogue.models import CatalogueItem

    bounds = CatalogueItem.objects.public().aggregate(low=Min("page_id"), high=Max("page_id"))
    if bounds["low"] is None:
        return range(0)
    return range(bounds["low"] // SITEMAP_CHUNK, bounds["high"] // SITEMAP_CHUNK + 1)


@require_GET
def sitemap_index(request):
    """A sitemap index over the catalogue, one file per block of page ids."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for block in catalogue_blocks():
        loc = request.build_absolute_uri(reverse("opengov_catalogue:sitemap_block", args=[block]))
        parts.append(f"<sitemap><loc>{escape(loc)}</loc></sitemap>")
    parts.append("</sitemapindex>")
    return HttpResponse("\n".join(parts), content_type="application/xml; charset=utf-8")


@require_GET
def sitemap_block(request, block):
    if block > MAX_PAGE_ID // SITEMAP_CHUNK:
        raise Http404  # no page has an id in that block
    from opengov_cms.catalogue.models import CatalogueItem

    rows = (
        CatalogueItem.objects.public()
        .filter(page_id__gte=block * SITEMAP_CHUNK, page_id__lt=(block + 1) * SITEMAP_CHUNK)
        .order_by("page_id")
        .values_list("url", "publication_date")
    )

    def lines():
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for url, day in rows.iterator(chunk_size=5000):
            loc = escape(iri_to_uri(request.build_absolute_uri(url)))
            yield f"<url><loc>{loc}</loc><lastmod>{day.isoformat()}</lastmod></url>\n"
        yield "</urlset>\n"

    return StreamingHttpResponse(lines(), content_type="application/xml; charset=utf-8")
