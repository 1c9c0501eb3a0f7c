"""Admin registration of supervision: one menu group, 政务公开督查, with the plans and their
责任分解表, submissions, the rectification ledger, the standard catalogues and their check,
and who belongs to which unit."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from opengov_cms.supervision import permissions, views
from opengov_cms.supervision.choices import Schedule
from opengov_cms.supervision.forms import MappingForm, PlanForm, TaskForm
from opengov_cms.supervision.models import (
    DisclosurePlan,
    PlanTask,
    StandardCatalogue,
    StandardItem,
    StandardItemSections,
)


def scoped(view_class, allowed):
    """``view_class`` refusing an object the user may not manage: Wagtail's generic views
    check the model permission only, not the organisation."""

    def get_object(self, *args, **kwargs):
        obj = super(cls, self).get_object(*args, **kwargs)
        if not allowed(self.request.user, obj):
            raise PermissionDenied
        return obj

    cls = type(view_class.__name__, (view_class,), {"get_object": get_object})
    return cls


def listing(view_class, queryset):
    """An index view listing only ``queryset(user)``."""

    def get_base_queryset(self):
        return queryset(self.request.user)

    return type(view_class.__name__, (view_class,), {"get_base_queryset": get_base_queryset})


class LinkColumn(Column):
    """A column whose cell is a link to a URL named ``url_name`` with the row's pk."""

    cell_template_name = "opengov_supervision/admin/link_cell.html"

    def __init__(self, name, text, url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.text = text
        self.url_name = url_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(url=reverse(self.url_name, args=[instance.pk]), text=self.text)
        return context


def plan_allowed(user, plan):
    return permissions.can_manage_plan(user, plan)


def office_plans(user):
    return permissions.visible_plans(user).filter(
        organisation__in=permissions.office_organisations(user)
    )


class PlanViewSet(ModelViewSet):
    """年度政务公开方案, and the 责任分解表 of each (progress, import, export)."""

    model = DisclosurePlan
    name = "opengov_supervision_plans"
    url_prefix = "supervision/plans"
    icon = "calendar-alt"
    menu_label = _("年度方案")
    menu_order = 100
    copy_view_enabled = False
    inspect_view_enabled = False
    list_filter = ["year"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("organisation", widget=forms.Select), FieldPanel("year")]),
            FieldPanel("title"),
            FieldPanel("page"),
        ],
        base_form_class=PlanForm,
    )
    index_view_class = listing(generic.IndexView, office_plans)
    edit_view_class = scoped(generic.EditView, plan_allowed)
    delete_view_class = scoped(generic.DeleteView, plan_allowed)
    history_view_class = scoped(history.HistoryView, plan_allowed)
    usage_view_class = scoped(usage.UsageView, plan_allowed)

    @property
    def list_display(self):
        return [
            TitleColumn("title", label=_("方案名称"), url_name=self.get_url_name("edit")),
            Column("organisation", label=_("机构")),
            Column("year", label=_("年度")),
            LinkColumn(
                "progress",
                _("责任分解表和报送情况"),
                self.get_url_name("progress"),
                label=_("责任分解表"),
            ),
        ]

    def get_urlpatterns(self):
        def view(cls):
            return cls.as_view(viewset=self)

        return [
            *super().get_urlpatterns(),
            path("<int:pk>/progress/", view(views.ProgressView), name="progress"),
            path("<int:pk>/import/", view(views.ImportView), name="import"),
            path("<int:pk>/export/", view(views.ExportView), name="export"),
        ]


def _office_plans_for(request):
    return office_plans(request.user) if request is not None else DisclosurePlan.objects.none()


class TaskFilterSet(WagtailFilterSet):
    plan = django_filters.ModelChoiceFilter(label=_("方案"), queryset=_office_plans_for)
    schedule = django_filters.ChoiceFilter(label=_("报送要求"), choices=Schedule.choices)

    class Meta:
        model = PlanTask
        fields = []


def task_allowed(user, task):
    return permissions.can_manage_tasks_of(user, task.plan)


def office_tasks(user):
    return (
        permissions.visible_tasks(user)
        .filter(plan__organisation__in=permissions.office_organisations(user))
        .select_related("plan", "lead_unit")
        .order_by("plan", "section_number", "number")
    )


class TaskViewSet(ModelViewSet):
    """责任分解表: each task of a plan, edited one by one (or imported with the plan)."""

    model = PlanTask
    name = "opengov_supervision_tasks"
    url_prefix = "supervision/tasks"
    icon = "list-ol"
    menu_label = _("责任分解表")
    menu_order = 110
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = TaskFilterSet
    search_fields = ["text"]
    edit_handler = ObjectList(
        [
            FieldPanel("plan", widget=forms.Select),
            FieldRowPanel([FieldPanel("section_number"), FieldPanel("section_title")]),
            FieldPanel("number"),
            FieldPanel("text"),
            FieldPanel("lead_unit", widget=forms.Select),
            FieldPanel("cooperating_units", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("schedule"), FieldPanel("deadline")]),
                    FieldRowPanel([FieldPanel("target_quantity"), FieldPanel("quantity_unit")]),
                ],
                heading=_("报送要求"),
            ),
            FieldPanel("evidence_sections", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=TaskForm,
    )
    index_view_class = listing(generic.IndexView, office_tasks)
    edit_view_class = scoped(generic.EditView, task_allowed)
    delete_view_class = scoped(generic.DeleteView, task_allowed)
    history_view_class = scoped(history.HistoryView, task_allowed)
    usage_view_class = scoped(usage.UsageView, task_allowed)

    @property
    def list_display(self):
        return [
            TitleColumn("__str__", label=_("工作任务"), url_name=self.get_url_name("edit")),
            Column("plan", label=_("方案")),
            Column("lead_unit", label=_("牵头单位")),
            Column("get_schedule_display", label=_("报送要求")),
            Column("deadline", label=_("完成时限")),
        ]


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.has_any_role(request.user)


class OfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_office(request.user)


class EvidenceViewSet(ViewSet):
    """A list of entries with their evidence files: each entry's page, and its files served
    after the same check as the page."""

    menu_item_class = SupervisionMenuItem
    #: (route, view class, name) besides the file route every such list has.
    routes = ()

    def get_urlpatterns(self):
        routes = (
            *self.routes,
            ("<int:pk>/files/<int:file_pk>/", views.EvidenceFileView, "file"),
        )
        return [path(route, cls.as_view(viewset=self), name=name) for route, cls, name in routes]


class SubmissionViewSet(EvidenceViewSet):
    name = "opengov_supervision_submissions"
    url_prefix = "supervision/submissions"
    icon = "tasks"
    menu_label = _("报送材料")
    menu_order = 120
    evidence_owner = "submission"
    routes = (
        ("", views.SubmissionIndexView, "index"),
        ("<int:pk>/", views.SubmissionDetailView, "detail"),
        ("event/<int:task_pk>/", views.EventSubmitView, "event"),
    )


class RectificationViewSet(EvidenceViewSet):
    name = "opengov_supervision_rectifications"
    url_prefix = "supervision/rectifications"
    icon = "list-ul"
    menu_label = _("整改工作台账")
    menu_order = 130
    evidence_owner = "rectification"
    routes = (
        ("", views.RectificationIndexView, "index"),
        ("new/", views.RectificationAddView, "add"),
        ("<int:pk>/", views.RectificationDetailView, "detail"),
    )


class CatalogueIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("opengov_supervision.add_standardcatalogue"):
            buttons.append(
                HeaderButton(
                    _("导入标准目录"),
                    url=reverse("opengov_supervision_standards:import"),
                    icon_name="upload",
                )
            )
        return buttons


class StandardCatalogueViewSet(ModelViewSet):
    """基层政务公开标准目录: loaded from fixtures, shown and corrected here."""

    model = StandardCatalogue
    name = "opengov_supervision_standards"
    url_prefix = "supervision/standards"
    icon = "list-ul"
    menu_label = _("标准目录")
    menu_order = 140
    copy_view_enabled = False
    index_view_class = CatalogueIndexView
    list_display = ["title", "domain", "source_number", "is_example"]
    form_fields = [
        "code",
        "domain",
        "title",
        "source_title",
        "source_number",
        "source_issuer",
        "source_date",
        "source_url",
        "note",
        "is_example",
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "source_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "import/",
                views.FixtureImportView.as_view(index_url_name=self.get_url_name("index")),
                name="import",
            ),
        ]


class StandardItemViewSet(ModelViewSet):
    model = StandardItem
    name = "opengov_supervision_standard_items"
    url_prefix = "supervision/standard-items"
    icon = "list-ul"
    menu_label = _("标准目录事项")
    menu_order = 150
    copy_view_enabled = False
    list_display = ["number", "name", "catalogue", "time_limit_text", "default_sections"]
    list_filter = ["catalogue"]
    search_fields = ["name", "content", "basis"]
    form_fields = [
        "catalogue",
        "number",
        "sort_order",
        "category",
        "name",
        "content",
        "basis",
        "time_limit_text",
        "time_limit_kind",
        "time_limit_days",
        "subject",
        "channels",
        "audience",
        "method",
        "level",
        "default_sections",
    ]


def mapping_allowed(user, mapping):
    return permissions.is_office_of(user, mapping.organisation_id)


def office_mappings(user):
    return StandardItemSections.objects.filter(
        organisation__in=permissions.office_organisations(user)
    ).select_related("organisation", "item")


class MappingViewSet(ModelViewSet):
    """事项对应栏目: where an organisation publishes each item (else the item's defaults)."""

    model = StandardItemSections
    name = "opengov_supervision_mappings"
    url_prefix = "supervision/standard-sections"
    icon = "link"
    menu_label = _("事项对应栏目")
    menu_order = 160
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["item", "organisation"]
    list_filter = ["organisation"]
    edit_handler = ObjectList(
        [
            FieldPanel("organisation", widget=forms.Select),
            FieldPanel("item", widget=forms.Select),
            FieldPanel("sections", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=MappingForm,
    )
    index_view_class = listing(generic.IndexView, office_mappings)
    edit_view_class = scoped(generic.EditView, mapping_allowed)
    delete_view_class = scoped(generic.DeleteView, mapping_allowed)
    history_view_class = scoped(history.HistoryView, mapping_allowed)
    usage_view_class = scoped(usage.UsageView, mapping_allowed)


class CheckViewSet(ViewSet):
    name = "opengov_supervision_check"
    url_prefix = "supervision/check"
    icon = "tick-inverse"
    menu_label = _("标准目录自查")
    menu_order = 170
    menu_item_class = OfficeMenuItem

    def get_urlpatterns(self):
        return [path("", views.CheckView.as_view(viewset=self), name="index")]


class DashboardListsViewSet(ViewSet):
    """The lists of the dashboard panels that have no screen elsewhere; no menu item."""

    name = "opengov_supervision_dashboard"
    url_prefix = "supervision/dashboard"

    def get_urlpatterns(self):
        return [
            path("held/", views.HeldPublicationsView.as_view(), name="held"),
            path("report-checks/", views.ReportChecksView.as_view(), name="report_checks"),
        ]


class SupervisionGroup(ViewSetGroup):
    menu_label = _("政务公开督查")
    menu_icon = "tasks"
    menu_order = 255
    items = (
        PlanViewSet,
        TaskViewSet,
        SubmissionViewSet,
        RectificationViewSet,
        StandardCatalogueViewSet,
        StandardItemViewSet,
        MappingViewSet,
        CheckViewSet,
    )
