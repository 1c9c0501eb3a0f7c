"""Admin panels of opengov_core."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component


class ConfidentialityReviewPanel(Panel):
    """Shows the page's confidentiality reviews (保密审查): reviewer, time and comment."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("保密审查记录"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "opengov_core/panels/confidentiality_reviews.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            from opengov_cms.core.models import ConfidentialityReview

            context = super().get_context_data(parent_context)
            context["reviews"] = ConfidentialityReview.objects.filter(
                page_id=self.instance.pk
            ).select_related("reviewer")[:20]
            return context


class HolidayCalendarDashboardPanel(Component):
    """On the admin home page while this year's or next year's schedule is missing."""

    name = "opengov_holiday_calendar"
    order = 40
    template_name = "opengov_core/panels/holiday_calendar.html"

    def __init__(self, missing_years, paste_url=None):
        self.missing_years = missing_years
        self.paste_url = paste_url

    def get_context_data(self, parent_context):
        return {"missing_years": self.missing_years, "paste_url": self.paste_url}
