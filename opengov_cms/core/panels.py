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


class UnassignedStaffPanel(Component):
    """On the admin home page of superusers and the city office: staff who work on pages or
    an organisation's records but are entered for no organisation (机构人员), and so see
    nothing of their work; each with the link to enter them."""

    name = "opengov_unassigned_staff"
    order = 30
    template_name = "opengov_core/panels/unassigned_staff.html"
    shown = 20

    def __init__(self, users, add_url):
        self.users = users[: self.shown]
        self.more = len(users) > self.shown
        self.add_url = add_url

    def get_context_data(self, parent_context):
        return {"users": self.users, "more": self.more, "add_url": self.add_url}


class NoMembershipPanel(Component):
    """On the admin home page of someone who works for organisations but is entered for
    none: why their lists are empty, and whom to ask."""

    name = "opengov_no_membership"
    order = 5
    template_name = "opengov_core/panels/no_membership.html"

    def get_context_data(self, parent_context):
        return {}
