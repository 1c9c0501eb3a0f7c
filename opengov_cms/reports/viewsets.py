"""Admin screens of the reports: the yearly figures staff enter for the annual report."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from opengov_cms.core.models import Organisation
from opengov_cms.core.viewsets import GROUP_TAKES_HOOKED_ITEMS, OPENGOV_MENU_HOOK
from opengov_cms.reports.models import AnnualFigures
from opengov_cms.reports.permissions import figures_organisations, may_enter_for


class OrganisationScoped:
    """A view of one record that only users who may enter its organisation's figures reach;
    Wagtail refuses the others, as its generic views check model permissions only."""

    def get_object(self, *args, **kwargs):
        figures = super().get_object(*args, **kwargs)
        if not may_enter_for(self.request.user, figures.organisation_id):
            raise PermissionDenied
        return figures


def scoped(view_class):
    return type(view_class.__name__, (OrganisationScoped, view_class), {})


class AnnualFiguresFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("机构"), queryset=Organisation.objects.none()
    )
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = AnnualFigures
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            # Only the organisations the user enters figures for are offered.
            self.filters["organisation"].queryset = figures_organisations(self.request.user)


class AnnualFiguresViewSet(SnippetViewSet):
    """年度报告统计数据: one record per organisation and year, for tables 2 and 4."""

    model = AnnualFigures
    icon = "table"
    menu_label = _("年度报告统计数据")
    if GROUP_TAKES_HOOKED_ITEMS:
        menu_hook = OPENGOV_MENU_HOOK
    else:
        add_to_admin_menu = True
    menu_order = 100
    list_display = ["organisation", "year", "licensing", "penalty", "enforcement", "fees"]
    filterset_class = AnnualFiguresFilterSet
    ordering = ["-year", "organisation__name"]

    edit_view_class = scoped(snippet_views.EditView)
    copy_view_class = scoped(snippet_views.CopyView)
    delete_view_class = scoped(snippet_views.DeleteView)
    usage_view_class = scoped(snippet_views.UsageView)
    history_view_class = scoped(snippet_views.HistoryView)
    inspect_view_class = scoped(snippet_views.InspectView)

    def get_queryset(self, request):
        return AnnualFigures.objects.filter(
            organisation__in=figures_organisations(request.user)
        ).select_related("organisation")
