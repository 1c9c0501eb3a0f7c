"""The public search page and its Atom feed."""

from django.urls import path

from opengov_cms.search import views

app_name = "opengov_search"

urlpatterns = [
    path("", views.search, name="search"),
    path("feed/", views.search_feed, name="feed"),
]
