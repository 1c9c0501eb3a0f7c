"""Public URLs of disclosure on request; the form itself is a page (RequestFormPage)."""

from django.apps import apps
from django.urls import path

app_name = "opengov_requests"

urlpatterns = []

# opengov_cms.urls includes this module on every site; a site without the app must still
# start far enough for the system check to name what is missing.
if apps.is_installed("opengov_cms.disclosure_requests"):
    from opengov_cms.disclosure_requests import views

    urlpatterns = [
        path("apply/<int:page_id>/", views.apply, name="apply"),
        path("status/", views.status, name="status"),
        path("documents/<int:pk>/", views.document, name="document"),
    ]
