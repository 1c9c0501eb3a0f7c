"""Public URLs of the public's messages; the form and the published replies are pages
(MessageBoxPage)."""

from django.apps import apps
from django.urls import path

app_name = "opengov_interaction"

urlpatterns = []

# opengov_cms.urls includes this module on every site; a site without the app, or without an
# app it builds on, must still start far enough for the system check to name what is missing.
if apps.is_installed("opengov_cms.interaction"):
    from opengov_cms.interaction.apps import dependencies_installed

if apps.is_installed("opengov_cms.interaction") and dependencies_installed():
    from opengov_cms.interaction import views

    urlpatterns = [path("status/", views.status, name="status")]
