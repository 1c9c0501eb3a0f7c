from django.urls import path

from opengov_cms.catalogue import api

app_name = "opengov_api"

urlpatterns = [
    path("items/", api.items, name="items"),
    path("items/<int:page_id>/", api.item_detail, name="item"),
    path("openapi.json", api.openapi, name="openapi"),
]
