"""Admin registration of supervision: the menu group, the dashboard panels, permissions."""

from django.contrib.auth.models import Permission
from wagtail import hooks

from opengov_cms.supervision import dashboard
from opengov_cms.supervision.viewsets import DashboardListsViewSet, SupervisionGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [SupervisionGroup(), DashboardListsViewSet()]


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(dashboard.panels_for(request.user))


@hooks.register("register_permissions")
def register_permissions():
    # Submitting, reviewing and closing are permissions of models without an edit screen
    # of their own: offer them on the group edit screen with the rest.
    return Permission.objects.filter(content_type__app_label="opengov_supervision")
