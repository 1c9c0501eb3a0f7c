import sys

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from opengov_cms.core import admin_pages, files, memberships
from opengov_cms.core.calendar import missing_years
from opengov_cms.core.models import (
    DisclosureMetadata,
    HolidayCalendar,
    Membership,
)
from opengov_cms.core.panels import (
    HolidayCalendarDashboardPanel,
    NoMembershipPanel,
    UnassignedStaffPanel,
)
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


@hooks.register("construct_homepage_panels")
def add_membership_panels(request, panels):
    """Staff entered for no organisation see nothing of their work: they are told so, and
    those who can enter them are shown who they are."""
    user = request.user
    if memberships.is_city_office(user):
        users = list(memberships.unassigned_staff()[: UnassignedStaffPanel.shown + 1])
        if users:
            add_url = None
            if user.has_perm("opengov_core.add_membership"):
                add_url = reverse(Membership.snippet_viewset.get_url_name("add"))
            panels.append(UnassignedStaffPanel(users, add_url))
    elif memberships.is_unassigned(user):
        panels.append(NoMembershipPanel())


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


# Whose page is this ----------------------------------------------------------------------


# The same refusal as the page views opened by id (admin_pages.install_page_refusals).
refuse_another_organisations_page = admin_pages.refuse_another_organisations_page


for hook_name in (
    "before_edit_page",
    "before_delete_page",
    "before_unpublish_page",
    "before_copy_page",
    "before_move_page",
):
    hooks.register(hook_name, refuse_another_organisations_page)


@hooks.register("before_bulk_action")
def refuse_memberships_managed_by_others_in_bulk(
    request, action_type, objects, action_class_instance
):
    # The snippets' bulk delete checks the model permission only.
    if any(
        isinstance(obj, Membership) and not memberships.may_manage(request.user, obj)
        for obj in objects
    ):
        raise PermissionDenied


@hooks.register("before_bulk_action")
def refuse_another_organisations_pages_in_bulk(
    request, action_type, objects, action_class_instance
):
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if not pages:
        return None
    ids = memberships.organisation_ids(request.user, memberships.PAGE_ROLES)
    if ids is None:
        return None
    owners = memberships.page_organisation_ids(pages)
    if any(owner is not None and owner not in ids for owner in owners.values()):
        raise PermissionDenied
    return None


# The admin's lists of pages --------------------------------------------------------------

hooks.register("construct_explorer_page_queryset", admin_pages.scope_explorer)
hooks.register("construct_page_chooser_queryset", admin_pages.scope_chooser)


@hooks.register("register_admin_urls")
def scope_the_page_search():
    """Wagtail's admin URLs read this hook after its page and report URLs
    (wagtail.admin.urls.pages, .reports) are loaded and before they are wrapped in the
    admin's login check: the moment to route the page search, the pages of a type and the
    reports to the scoped views, and to make every view of one page refuse another
    organisation's page, once, whatever the Wagtail version."""
    from wagtail.admin.urls import pages as page_urls
    from wagtail.admin.urls import reports as report_urls

    from opengov_cms.core import admin_reports

    routed = admin_pages.install_scoped_search(page_urls.urlpatterns)
    if len(routed) != len(admin_pages.SCOPED_LISTINGS):
        raise ImproperlyConfigured(
            "opengov_cms could not find Wagtail's page search URLs to scope them by organisation."
        )
    wrapped = admin_pages.install_page_refusals(page_urls.urlpatterns)
    if not {"history", "revisions_view", "revisions_compare", "workflow_history", "usage"} <= set(
        wrapped
    ):
        raise ImproperlyConfigured(
            "opengov_cms could not find Wagtail's page history views to refuse other "
            "organisations' pages in them."
        )
    # The admin's own URLs are being read when this hook is called: its list is there.
    admin_urls = sys.modules.get("wagtail.admin.urls")
    explorer = admin_pages.install_explorer_refusals(getattr(admin_urls, "urlpatterns", []))
    if len(explorer) != len(admin_pages.EXPLORER):
        raise ImproperlyConfigured(
            "opengov_cms could not find Wagtail's page explorer to refuse other "
            "organisations' pages in it."
        )
    routed = admin_reports.install_scoped_reports(report_urls.urlpatterns)
    if len(routed) != 2 * len(admin_reports.SCOPED_REPORTS):
        raise ImproperlyConfigured(
            "opengov_cms could not find Wagtail's reports to scope them by organisation."
        )
    return []


@hooks.register("construct_admin_api")
def scope_the_admin_api(router):
    router.register_endpoint("pages", admin_pages.scoped_admin_api_pages())
