"""Admin registration of the reports, under the package's 政务公开 menu group."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from opengov_cms.reports.models import AbstractReportPage
from opengov_cms.reports.viewsets import AnnualFiguresViewSet

register_snippet(AnnualFiguresViewSet)


@hooks.register("before_copy_page")
def refuse_to_copy_a_report(request, page):
    # The permission tester hides the action; Wagtail 7.2's copy view does not ask it, and a
    # copy would be a second report for the same organisation and period.
    if isinstance(page.specific_deferred, AbstractReportPage):
        raise PermissionDenied
