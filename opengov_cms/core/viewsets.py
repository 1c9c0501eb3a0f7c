"""Admin screens of opengov_core."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from opengov_cms.core.models import HolidayCalendar, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "short_name", "credit_code", "parent"]
    search_fields = ["name", "short_name", "credit_code"]


class HolidayCalendarViewSet(SnippetViewSet):
    model = HolidayCalendar
    icon = "date"
    menu_label = _("节假日安排")
    list_display = ["year", "notice"]
