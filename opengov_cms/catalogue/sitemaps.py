"""The site's sitemap, /sitemap.xml: an index over the pages that are not catalogue entries
(home, sections, guides, request forms, consultations ...), read through Wagtail's
``get_sitemap_urls``, and the catalogue's own sitemaps, one per block of page ids. Every URL
in them is one that may leave the site by the one rule (opengov_cms.core.visibility)."""

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.views.decorators.http import require_GET
from wagtail.models import Site

from opengov_cms.catalogue.models import CatalogueItem
from opengov_cms.catalogue.views import SITEMAP_CHUNK, catalogue_blocks
from opengov_cms.core.visibility import leaving

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@require_GET
def sitemap_index(request):
    locations = [request.build_absolute_uri(reverse("opengov_sitemap_pages"))]
    locations += [
        request.build_absolute_uri(reverse("opengov_catalogue:sitemap_block", args=[block]))
        for block in catalogue_blocks()
    ]
    lines = [XML_HEAD, f'<sitemapindex xmlns="{NAMESPACE}">\n']
    lines += [f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in locations]
    lines.append("</sitemapindex>\n")
    return HttpResponse("".join(lines), content_type="application/xml; charset=utf-8")


def site_pages(site):
    """The site's pages that may leave, less the catalogue's entries (in its own sitemaps)."""
    pages = site.root_page.get_descendants(inclusive=True)
    return (
        leaving(pages)
        .exclude(pk__in=CatalogueItem.objects.values("page_id"))
        .order_by("path")
        .specific(defer=True)
    )


@require_GET
def sitemap_pages(request):
    site = Site.find_for_request(request)
    if site is None:
        return HttpResponse(status=404)
    pages = site_pages(site)[:SITEMAP_CHUNK]

    def lines():
        yield XML_HEAD
        yield f'<urlset xmlns="{NAMESPACE}">\n'
        for page in pages:
            for url in page.get_sitemap_urls(request):
                lastmod = url.get("lastmod")
                yield (
                    f"<url><loc>{escape(iri_to_uri(url['location']))}</loc>"
                    + (f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else "")
                    + "</url>\n"
                )
        yield "</urlset>\n"

    return StreamingHttpResponse(lines(), content_type="application/xml; charset=utf-8")
