from wagtail.snippets.models import register_snippet

from opengov_cms.core.viewsets import HolidayCalendarViewSet, OrganisationViewSet

register_snippet(OrganisationViewSet)
register_snippet(HolidayCalendarViewSet)
