from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from opengov_cms.core import files
from opengov_cms.core.calendar import missing_years
from opengov_cms.core.models import DisclosureMetadata, HolidayCalendar
from opengov_cms.core.panels import HolidayCalendarDashboardPanel
from opengov_cms.core.viewsets import OpengovViewSetGroup, can_enter_holidays
from opengov_cms.core.visibility import REPEALED, hides_repealed

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


@hooks.register("before_serve_page")
def refuse_pages_that_may_not_leave(page, request, serve_args, serve_kwargs):
    """The one rule at the page's own address. Wagtail has refused an unpublished page and
    asks for a login or password under a view restriction; this refuses an expired page, a
    disclosed page that is not 主动公开, and a repealed one while the site hides them."""
    if page.expire_at is not None and page.expire_at <= timezone.now():
        raise Http404
    if isinstance(page, DisclosureMetadata):
        if not page.is_publicly_disclosable:
            raise Http404
        if hides_repealed() and page.validity == REPEALED:
            raise Http404


@hooks.register("before_serve_document", order=-10)
def serve_files_of_pages_that_may_leave(document, request):
    """Files follow their pages (opengov_cms.core.files); Wagtail's own checks (a collection's
    view restriction) come next."""
    if not files.may_serve(document, request):
        raise Http404
