from django.urls import reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from opengov_cms.core.calendar import missing_years
from opengov_cms.core.models import HolidayCalendar
from opengov_cms.core.panels import HolidayCalendarDashboardPanel
from opengov_cms.core.viewsets import OpengovViewSetGroup, can_enter_holidays

register_snippet(OpengovViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_holiday_calendar_panel(request, panels):
    missing = missing_years()
    if not missing:
        return
    paste_url = None
    if can_enter_holidays(request.user):
        paste_url = reverse(HolidayCalendar.snippet_viewset.get_url_name("paste"))
    panels.append(HolidayCalendarDashboardPanel(missing, paste_url))
