from django.urls import path

from opengov_cms.core import views

app_name = "opengov_core"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("care/style.css", views.care_stylesheet, name="care_stylesheet"),
    path("care/<str:switch>/", views.care_mode, name="care_mode"),
    path("site-map/", views.site_map, name="site_map"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
