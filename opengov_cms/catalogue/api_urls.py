from django.urls import path, re_path

from opengov_cms.catalogue import api

app_name = "opengov_api"

urlpatterns = [
    path("", api.root, name="root"),
    path("items/", api.items, name="items"),
    path("items/<int:page_id>/", api.item_detail, name="item"),
    path("openapi.json", api.openapi, name="openapi"),
    # Anything else under the API is answered in JSON too.
    re_path(r"^(?P<path>.*)$", api.not_found),
]
