"""The catalogue's addresses at the site's root: the sitemap every crawler looks for."""

from django.urls import path

from opengov_cms.catalogue import sitemaps

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap_index, name="opengov_sitemap"),
    path("sitemap-pages.xml", sitemaps.sitemap_pages, name="opengov_sitemap_pages"),
]
