"""Wagtail's reports (报告) keep to the organisations a person acts for: the site history,
the aging and locked pages and the workflow reports list the titles of pages, so another
organisation's pages are left out of them (opengov_cms.core.memberships
.other_organisations_pages), and the page types' usage names the last edited page of a
type only when it is one of the person's organisations'.

Wagtail has no queryset hook for its reports: their views (wagtail.admin.urls.reports) are
replaced by subclasses, as the page search is (opengov_cms.core.admin_pages). Each adds a
subquery to the report's own query, so a report costs the same queries however many pages
the other organisations have.
"""

from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.models import Page, PageLogEntry, get_default_page_content_type

from opengov_cms.core import memberships


class ScopedPageReportMixin:
    """A report of pages (aging, locked): without other organisations' pages."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        others = memberships.other_organisations_pages(self.request.user)
        return queryset if others is None else queryset.exclude(others)


class ScopedAgingPagesView(ScopedPageReportMixin, AgingPagesView):
    pass


class ScopedLockedPagesView(ScopedPageReportMixin, LockedPagesView):
    pass


class ScopedLogEntriesView(LogEntriesView):
    """The site history: the log entries of other organisations' pages left out (the log
    entries of other models are each checked by Wagtail's ``viewable_by_user``)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not issubclass(queryset.model, PageLogEntry):
            return queryset
        others = memberships.other_organisations_pages(self.request.user, "page_id")
        return queryset if others is None else queryset.exclude(others)


class ScopedWorkflowMixin:
    """Workflows and their tasks: those of other organisations' pages left out."""

    #: The path from the report's rows to the workflow state.
    state = ""

    def get_queryset(self):
        queryset = super().get_queryset()
        others = memberships.other_organisations_pages(
            self.request.user, f"{self.state}object_id", as_text=True
        )
        if others is None:
            return queryset
        page_type = get_default_page_content_type().pk
        return queryset.exclude(others, **{f"{self.state}base_content_type_id": page_type})


class ScopedWorkflowView(ScopedWorkflowMixin, WorkflowView):
    pass


class ScopedWorkflowTasksView(ScopedWorkflowMixin, WorkflowTasksView):
    state = "workflow_state__"


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """The page types' usage: the last edited page of a type is named only when it is one
    of the user's organisations' (the counts stay the site's)."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        others = memberships.other_organisations_pages(self.request.user)
        shown = [item.last_edited_page_id for item in page_types if item.last_edited_page_id]
        if others is None or not shown:
            return page_types
        hidden = set(Page.objects.filter(others, pk__in=shown).values_list("pk", flat=True))
        for item in page_types:
            if item.last_edited_page_id in hidden:
                item.last_edited_page = None
                item.last_edited_page_id = None
        return page_types


#: wagtailadmin_reports:… → the scoped view class.
SCOPED_REPORTS = {
    "locked_pages": ScopedLockedPagesView,
    "aging_pages": ScopedAgingPagesView,
    "site_history": ScopedLogEntriesView,
    "workflow": ScopedWorkflowView,
    "workflow_tasks": ScopedWorkflowTasksView,
    "page_types_usage": ScopedPageTypesUsageReportView,
}


def install_scoped_reports(urlpatterns):
    """Route Wagtail's reports (and their ``_results`` views) in ``urlpatterns``
    (wagtail.admin.urls.reports) to the scoped views; returns the names routed."""
    routed = []
    for pattern in urlpatterns:
        name = getattr(pattern, "name", None) or ""
        base = name.removesuffix("_results")
        if base in SCOPED_REPORTS:
            view = SCOPED_REPORTS[base].as_view(results_only=name != base)
            pattern.callback = view
            routed.append(name)
    return routed
