"""Admin screens of the reports: the yearly figures staff enter for the annual report."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from opengov_cms.core import memberships
from opengov_cms.core.models import Organisation
from opengov_cms.core.viewsets import GROUP_TAKES_HOOKED_ITEMS, OPENGOV_MENU_HOOK
from opengov_cms.reports import statistics
from opengov_cms.reports import tables as tables_module
from opengov_cms.reports.models import AnnualFigures
from opengov_cms.reports.permissions import figures_organisations, may_enter_for
from opengov_cms.reports.statistics import Period


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


# 全市统计 ---------------------------------------------------------------------------------


class CityPeriodForm(forms.Form):
    period = forms.CharField(
        label=_("统计期间"),
        max_length=10,
        help_text=_("年度填 2025，季度填 2025Q3。"),
    )

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError:
            raise forms.ValidationError(
                _("请填写年度（例如 2025）或季度（例如 2025Q3），年度不早于2008年。")
            ) from None


class CityPeriodView(WagtailAdminTemplateMixin, TemplateView):
    """A view of the city office (全市政务公开办公室) over one year or quarter, given in the
    query string (last year when none is): refused to everyone else. ``figures(period)``
    gives what the template shows for a valid period."""

    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not memberships.is_city_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        last_year = str(timezone.localdate().year - 1)
        form = CityPeriodForm(self.request.GET or {"period": last_year})
        context["form"] = form
        if form.is_valid():
            period = form.cleaned_data["period"]
            context.update(period=period, **self.figures(period))
        return context

    def figures(self, period):
        raise NotImplementedError


class CityStatisticsView(CityPeriodView):
    """全市统计: table 3 summed over every organisation's requests, with the check rule
    applied to the sum."""

    template_name = "opengov_reports/admin/city_statistics.html"
    page_title = _("全市依申请公开统计")

    def figures(self, period):
        tables = statistics.request_statistics_by_organisation(period)
        names = Organisation.objects.in_bulk(list(tables))
        departments = sorted(
            (
                {
                    "organisation": names[pk],
                    "table": table,
                    "failures": statistics.check_rule_failures(table),
                }
                for pk, table in tables.items()
            ),
            key=lambda department: department["organisation"].name,
        )
        figures = {"departments": departments}
        if departments:
            total = statistics.sum_request_tables(d["table"] for d in departments)
            figures["table"] = tables_module.request_table(
                total,
                period.is_annual,
                caption=_("%(period)s全市收到和处理政府信息公开申请情况")
                % {"period": period.label},
            )
            figures["failures"] = statistics.check_rule_failures(total)
        return figures


class CityOfficeMenuItem(MenuItem):
    """Shown to the city office (全市政务公开办公室) only, as CityPeriodView's views are."""

    def is_shown(self, request):
        return memberships.is_city_office(request.user)


class CityStatisticsViewSet(ViewSet):
    name = "opengov_reports_city"
    url_prefix = "reports/city"
    icon = "table"
    menu_label = _("全市统计")
    menu_order = 110
    menu_item_class = CityOfficeMenuItem
    if GROUP_TAKES_HOOKED_ITEMS:
        menu_hook = OPENGOV_MENU_HOOK
    else:
        add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", CityStatisticsView.as_view(), name="index")]
