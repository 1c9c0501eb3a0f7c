"""Admin registration of the reports, under the package's 政务公开 menu group."""

from wagtail.snippets.models import register_snippet

from opengov_cms.reports.viewsets import AnnualFiguresViewSet

register_snippet(AnnualFiguresViewSet)
