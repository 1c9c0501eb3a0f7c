"""The benchmark site's URLs: the package, Wagtail's pages, and the baseline views."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

from bench import views

urlpatterns = [
    path("bench/bytes/<str:key>/", views.same_bytes),
    path("bench/insert/", views.insert_one),
    path("", include("opengov_cms.urls")),
    path("", include(wagtail_urls)),
]
