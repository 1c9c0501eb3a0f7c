from django.urls import path

from opengov_cms.catalogue import views

app_name = "opengov_catalogue"

urlpatterns = [
    path("<int:section_id>/feed/", views.feed, name="feed"),
    path("<int:section_id>/export.<str:fmt>", views.export, name="export"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<int:block>.xml", views.sitemap_block, name="sitemap_block"),
]
