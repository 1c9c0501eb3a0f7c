"""The package's own URLs; a site includes them before Wagtail's page URLs:

path("", include("opengov_cms.urls")),
"""

from django.apps import apps
from django.urls import include, path

# (prefix, app, URL module). An app missing from INSTALLED_APPS is reported by the system
# check opengov_cms.E001; leaving its URLs out lets that check run instead of an import error.
APP_URLS = [
    (
        "opengov/requests/",
        "opengov_cms.disclosure_requests",
        "opengov_cms.disclosure_requests.urls",
    ),
    ("opengov/search/", "opengov_cms.search", "opengov_cms.search.urls"),
    ("opengov/interaction/", "opengov_cms.interaction", "opengov_cms.interaction.urls"),
    ("opengov/catalogue/", "opengov_cms.catalogue", "opengov_cms.catalogue.urls"),
    ("api/opengov/v1/", "opengov_cms.catalogue", "opengov_cms.catalogue.api_urls"),
    ("opengov/", "opengov_cms.core", "opengov_cms.core.urls"),
    # At the site's root: /sitemap.xml, /robots.txt, /favicon.ico.
    ("", "opengov_cms.catalogue", "opengov_cms.catalogue.root_urls"),
    ("", "opengov_cms.core", "opengov_cms.core.root_urls"),
]

urlpatterns = [
    path(prefix, include(module)) for prefix, app, module in APP_URLS if apps.is_installed(app)
]
