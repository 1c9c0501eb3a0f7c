"""Admin panel of report pages: the stored tables, read-only, and what is missing."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class StatisticsPanel(Panel):
    """Shows the tables the report holds, when they were counted, and warns when the
    check rule fails or the year's figures have not been entered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("统计表"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "opengov_reports/panels/statistics.html"

        def get_context_data(self, parent_context=None):
            from opengov_cms.reports.models import AnnualFigures
            from opengov_cms.reports.statistics import check_rule_failures

            context = super().get_context_data(parent_context)
            page = self.instance
            statistics = page.statistics or {}
            context["tables"] = page.tables() if statistics else []
            context["updated_at"] = page.statistics_updated_at
            context["check_failed"] = bool(
                statistics.get("requests") and check_rule_failures(statistics["requests"])
            )
            figures_missing = "entered" in statistics and not statistics["entered"]
            context["figures_missing"] = figures_missing
            if figures_missing or "entered" in statistics:
                existing = AnnualFigures.objects.filter(
                    organisation_id=page.organisation_id, year=page.report_year
                ).first()
                context["figures_url"] = (
                    reverse(
                        "wagtailsnippets_opengov_reports_annualfigures:edit", args=[existing.pk]
                    )
                    if existing
                    else reverse("wagtailsnippets_opengov_reports_annualfigures:add")
                )
            return context
