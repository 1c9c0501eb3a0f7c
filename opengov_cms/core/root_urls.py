"""The package's addresses at the site's root: robots.txt and the site's icon."""

from django.urls import path

from opengov_cms.core import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="opengov_robots"),
    path("favicon.ico", views.favicon, name="opengov_favicon"),
]
