"""Admin registration of the reports, under the package's 政务公开 menu group."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from opengov_cms.reports.models import AbstractReportPage, AnnualFigures
from opengov_cms.reports.permissions import figures_organisations
from opengov_cms.reports.viewsets import AnnualFiguresViewSet, CityStatisticsViewSet

register_snippet(AnnualFiguresViewSet)


@hooks.register("register_admin_viewset")
def register_city_statistics():
    return CityStatisticsViewSet()


@hooks.register("before_bulk_action")
def refuse_figures_of_other_organisations(request, action_type, objects, action_class_instance):
    # Wagtail 7.2's bulk delete of snippets checks the model permission only.
    figures = [obj for obj in objects if isinstance(obj, AnnualFigures)]
    if figures:
        allowed = set(figures_organisations(request.user).values_list("pk", flat=True))
        if any(item.organisation_id not in allowed for item in figures):
            raise PermissionDenied


@hooks.register("before_copy_page")
def refuse_to_copy_a_report(request, page):
    # The permission tester hides the action; Wagtail 7.2's copy view does not ask it, and a
    # copy would be a second report for the same organisation and period.
    if isinstance(page.specific_deferred, AbstractReportPage):
        raise PermissionDenied
