from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from opengov_cms.catalogue.filing import file_into_year
from opengov_cms.catalogue.viewsets import DisclosureEntryListingViewSet, StaleSectionsReportView
from opengov_cms.core.models import DisclosureMetadata


@hooks.register("after_create_page")
def file_new_entries_by_year(request, page):
    if isinstance(page.specific, DisclosureMetadata):
        file_into_year(page.specific)


@hooks.register("register_admin_viewset")
def register_entry_listing():
    return DisclosureEntryListingViewSet()


@hooks.register("register_admin_urls")
def register_stale_sections_report():
    return [
        path(
            "reports/opengov-stale-sections/",
            StaleSectionsReportView.as_view(),
            name="opengov_stale_sections",
        ),
        path(
            "reports/opengov-stale-sections/results/",
            StaleSectionsReportView.as_view(results_only=True),
            name="opengov_stale_sections_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_stale_sections_menu_item():
    return AdminOnlyMenuItem(
        _("长期未更新的栏目"), reverse("opengov_stale_sections"), icon_name="time", order=900
    )
