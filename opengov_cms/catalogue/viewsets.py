"""Admin screens of the catalogue: every disclosed entry in one filterable list, and a
report of sections with nothing new."""

import datetime

import django_filters
from django.db.models import F, Func, OuterRef, Q, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageListingViewSet

from opengov_cms.catalogue.models import CatalogueIndexPage, CatalogueItem, DisclosureEntryPage
from opengov_cms.conf import opengov_settings
from opengov_cms.core import memberships
from opengov_cms.core.exports import SafeSpreadsheetExportMixin
from opengov_cms.core.models import DisclosureAttribute, Organisation, Validity


class DisclosureEntryFilterSet(PageFilterSet):
    section = django_filters.ModelChoiceFilter(
        label=_("栏目"), queryset=CatalogueIndexPage.objects.all(), method="filter_section"
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("发布机构"), queryset=Organisation.objects.all()
    )
    validity = django_filters.ChoiceFilter(label=_("有效性"), choices=Validity.choices)
    disclosure_attribute = django_filters.ChoiceFilter(
        label=_("公开属性"), choices=DisclosureAttribute.choices
    )

    class Meta:
        model = DisclosureEntryPage
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            # The organisations the user works for; the city office's list is all of them.
            self.filters["organisation"].queryset = memberships.organisations_for(
                self.request.user, memberships.PAGE_ROLES
            )

    def filter_section(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)


class DisclosureEntryIndexView(IndexView):
    """Every entry the user may explore in the page tree and works on (机构人员)."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(
                memberships.scope(self.request.user, "organisation", roles=memberships.PAGE_ROLES)
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail loads the rows again as specific pages: the organisation column is read
        # for the page of rows in one query.
        prefetch_related_objects(list(context["object_list"]), "organisation")
        return context


class DisclosureEntryListingViewSet(PageListingViewSet):
    model = DisclosureEntryPage
    icon = "doc-full"
    menu_label = _("公开信息")
    menu_order = 260
    add_to_admin_menu = True
    name = "opengov_entries"
    filterset_class = DisclosureEntryFilterSet
    index_view_class = DisclosureEntryIndexView
    columns = [
        # Wagtail 8 names the default columns base_columns; 7.2 names them columns.
        *(getattr(IndexView, "base_columns", None) or IndexView.columns),
        Column("index_number", label=_("索引号"), sort_key="index_number"),
        Column("organisation", label=_("发布机构")),
        Column("get_validity_display", label=_("有效性")),
    ]


class StaleSectionsReportView(SafeSpreadsheetExportMixin, ReportView):
    """Sections with no entry, or none published in the last N days (a setting)."""

    page_title = _("长期未更新的栏目")
    header_icon = "time"
    index_url_name = "opengov_stale_sections"
    index_results_url_name = "opengov_stale_sections_results"
    columns = [
        TitleColumn("title", label=_("栏目"), url_name="wagtailadmin_pages:edit"),
        Column("url_path", label=_("路径")),
        Column("entries", label=_("信息数")),
        Column("last_published", label=_("最近发布日期")),
    ]
    any_permission_required = ["wagtailadmin.access_admin"]
    list_export = ["title", "url_path", "entries", "last_published"]
    export_headings = {
        "title": _("栏目"),
        "url_path": _("路径"),
        "entries": _("信息数"),
        "last_published": _("最近发布日期"),
    }

    def get_queryset(self):
        days = opengov_settings.STALE_SECTION_DAYS
        self.cutoff = timezone.localdate() - datetime.timedelta(days=days)
        # One aggregate per section over the listing rows under it (no GROUP BY).
        under = CatalogueItem.objects.public().filter(path__startswith=OuterRef("path")).order_by()
        return (
            self.own_sections(CatalogueIndexPage.objects)
            .annotate(
                entries=Subquery(under.annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
                last_published=Subquery(
                    under.annotate(d=Func(F("publication_date"), function="MAX")).values("d")[:1]
                ),
            )
            .order_by("path")
        )

    def own_sections(self, sections):
        """The sections of the catalogues of the organisations the user works for (each
        section belongs to its root's organisation); all of them for the city office."""
        ids = memberships.organisation_ids(self.request.user, memberships.PAGE_ROLES)
        if ids is None:
            return sections
        roots = CatalogueIndexPage.objects.filter(organisation__in=ids).values_list(
            "path", flat=True
        )
        under = Q(pk__in=[])
        for path in roots:
            under |= Q(path__startswith=path)
        return sections.filter(under)

    def get_filtered_queryset(self):
        rows = []
        for section in super().get_filtered_queryset():
            if not section.entries or (section.last_published or datetime.date.min) < self.cutoff:
                rows.append(section)
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["days"] = opengov_settings.STALE_SECTION_DAYS
        return context
