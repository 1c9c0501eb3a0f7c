from django.urls import path

from opengov_cms.core import views

app_name = "opengov_core"

urlpatterns = [
    path("health/", views.health, name="health"),
]
