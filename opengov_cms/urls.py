"""The package's own URLs; a site includes them before Wagtail's page URLs:

path("", include("opengov_cms.urls")),
"""

from django.urls import include, path

urlpatterns = [
    path("opengov/requests/", include("opengov_cms.disclosure_requests.urls")),
    path("opengov/", include("opengov_cms.core.urls")),
    path("opengov/search/", include("opengov_cms.search.urls")),
    path("opengov/catalogue/", include("opengov_cms.catalogue.urls")),
    path("api/opengov/v1/", include("opengov_cms.catalogue.api_urls")),
]
