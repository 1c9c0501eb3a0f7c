from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Not "documents/": the tests' catalogue section has that slug.
    path("files/", include(wagtaildocs_urls)),
    path("", include("opengov_cms.urls")),
    path("", include(wagtail_urls)),
]
