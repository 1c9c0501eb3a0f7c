"""Admin screens of disclosure on request: inbox, detail with actions, offline entry."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from opengov_cms.conf import opengov_settings
from opengov_cms.core import memberships
from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar, missing_years
from opengov_cms.core.models import Organisation
from opengov_cms.core.redaction import redact
from opengov_cms.disclosure_requests import workflow
from opengov_cms.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    DocumentKind,
    State,
)
from opengov_cms.disclosure_requests.forms import (
    ACTION_FORMS,
    ActionForm,
    OfflineApplicationForm,
    sniff_content_type,
)
from opengov_cms.disclosure_requests.models import (
    DisclosureRequest,
    NoticeTemplate,
    RequestDocument,
)
from opengov_cms.disclosure_requests.views import attachment_response

PERM_CHANGE = "opengov_requests.change_disclosurerequest"
PERM_ADD = "opengov_requests.add_disclosurerequest"
PERM_ALL = "opengov_requests.view_all_disclosurerequests"


def can_open_inbox(user):
    return user.is_active and (user.has_perm(PERM_CHANGE) or user.has_perm(PERM_ALL))


def organisations_of(user):
    """The organisations whose applications ``user`` handles (机构人员, 信息公开工作人员)."""
    return memberships.organisations_for(user, memberships.OFFICER_ROLES, PERM_ALL)


class InboxFilterForm(forms.Form):
    DUE_CHOICES = [
        ("", gettext_lazy("全部")),
        ("overdue", gettext_lazy("已逾期")),
        ("soon", gettext_lazy("即将到期")),
        ("pending", gettext_lazy("待定（缺少节假日安排）")),
    ]
    q = forms.CharField(label=gettext_lazy("申请编号"), required=False, max_length=80)
    state = forms.ChoiceField(
        label=gettext_lazy("办理状态"),
        choices=[("", gettext_lazy("全部")), ("open", gettext_lazy("办理中（全部未办结）"))]
        + State.choices,
        required=False,
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("承办部门"), queryset=Organisation.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("申请方式"),
        choices=[("", gettext_lazy("全部"))] + Channel.choices,
        required=False,
    )
    applicant_type = forms.ChoiceField(
        label=gettext_lazy("申请人类型"),
        choices=[("", gettext_lazy("全部"))] + ApplicantType.choices,
        required=False,
    )
    due = forms.ChoiceField(label=gettext_lazy("答复期限"), choices=DUE_CHOICES, required=False)
    due_within = forms.IntegerField(
        label=gettext_lazy("即将到期（工作日内）"), min_value=0, max_value=60, required=False
    )
    automated = forms.ChoiceField(
        label=gettext_lazy("提交方式"),
        choices=[("", gettext_lazy("全部")), ("1", gettext_lazy("疑似自动提交"))],
        required=False,
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(tracking_number__icontains=data["q"].strip())
        if data["state"] == "open":
            queryset = queryset.open()
        elif data["state"]:
            queryset = queryset.filter(state=data["state"])
        for name in ("department", "channel", "applicant_type"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        if data["automated"]:
            queryset = queryset.filter(likely_automated=True)
        today = timezone.localdate()
        if data["due"] == "pending":
            queryset = queryset.open().filter(due_date__isnull=True, paused_on__isnull=True)
        if data["due"] == "overdue":
            queryset = queryset.open().filter(due_date__lt=today)
        elif data["due"] == "soon":
            days = data["due_within"]
            if days is None:
                days = opengov_settings.REQUESTS_DUE_SOON_DAYS
            try:
                horizon = WorkingDayCalendar().add_working_days(today, days)
            except CalendarYearUnknown as exc:
                self.calendar_error = exc.message
                horizon = today
            queryset = queryset.open().filter(due_date__gte=today, due_date__lte=horizon)
        return queryset


class RequestViewMixin(WagtailAdminTemplateMixin):
    viewset = None
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        request.sensitive_post_parameters = "__ALL__"
        if not can_open_inbox(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_requests(self):
        return DisclosureRequest.objects.visible_to(self.request.user).select_related(
            "organisation", "department", "handler"
        )

    @cached_property
    def object(self):
        return get_object_or_404(self.visible_requests(), pk=self.kwargs["pk"])

    def detail_url(self, obj):
        return reverse(self.viewset.get_url_name("detail"), args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["viewset"] = self.viewset
        context["index_url"] = reverse(self.viewset.get_url_name("index"))
        context["add_url"] = reverse(self.viewset.get_url_name("add"))
        context["can_add"] = self.request.user.has_perm(PERM_ADD)
        return context


class InboxView(RequestViewMixin, TemplateView):
    template_name = "opengov_requests/admin/inbox.html"
    page_title = gettext_lazy("政府信息公开申请")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = InboxFilterForm(
            self.request.GET or None, departments=organisations_of(self.request.user)
        )
        queryset = self.visible_requests()
        if self.request.GET:
            queryset = form.filter(queryset)
        page = Paginator(queryset.order_by("due_date", "-received_on", "-pk"), 50).get_page(
            self.request.GET.get("p")
        )
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            filter_form=form,
            page_obj=page,
            query_string=query.urlencode(),
            today=timezone.localdate(),
            calendar_error=getattr(form, "calendar_error", None),
            missing_years=missing_years(),
        )
        return context


class DetailView(RequestViewMixin, TemplateView):
    template_name = "opengov_requests/admin/detail.html"

    def get_page_title(self):
        return _("申请%(number)s") % {"number": self.object.tracking_number}

    def get(self, request, *args, **kwargs):
        # The page shows the applicant's personal data: every view is recorded.
        log(instance=self.object, action=workflow.LOG_VIEW_PERSONAL_DATA, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        forms_by_action = []
        if user.has_perm(PERM_CHANGE):
            for action in workflow.allowed_actions(obj):
                forms_by_action.append(
                    (
                        action,
                        workflow.ACTION_LABELS[action],
                        build_action_form(action, obj, user),
                        reverse(self.viewset.get_url_name("action"), args=[obj.pk, action]),
                    )
                )
        context.update(
            obj=obj,
            events=obj.events.select_related("user"),
            documents=obj.documents.all(),
            action_forms=forms_by_action,
            proactive_form=ProactiveForm(
                prefix="proactive", initial={"title": redact(obj.document_reference)[:255]}
            )
            if user.has_perm(PERM_CHANGE) and workflow.can_publish_proactively(obj)
            else None,
            today=timezone.localdate(),
        )
        return context


def build_action_form(action, obj, user, data=None, files=None):
    form_class = ACTION_FORMS.get(action, ActionForm)
    kwargs = {}
    if action == "assign":
        departments = organisations_of(user)
        kwargs = {
            "departments": departments,
            "handlers": memberships.members_of(departments, memberships.OFFICER_ROLES),
            "initial": {"department": obj.department_id, "handler": obj.handler_id},
        }
    return form_class(data, files, prefix=action, **kwargs)


class ActionView(RequestViewMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        if not request.user.has_perm(PERM_CHANGE):
            raise PermissionDenied
        obj = self.object
        if action not in workflow.TRANSITIONS or action == "receive":
            messages.error(request, _("没有这项操作。"))
            return redirect(self.detail_url(obj))
        form = build_action_form(action, obj, request.user, request.POST, request.FILES)
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
                for name, errs in form.errors.items()
                for error in errs
            )
            messages.error(request, _("未能办理：%(errors)s") % {"errors": errors})
            return redirect(self.detail_url(obj))
        upload = form.cleaned_data.get("document")
        content_type = None
        if upload:
            content_type = sniff_content_type(upload)
            if content_type is None or upload.size > opengov_settings.REQUESTS_UPLOAD_MAX_SIZE:
                messages.error(request, _("未能办理：附件格式不受支持或文件过大。"))
                return redirect(self.detail_url(obj))
        try:
            with transaction.atomic():
                obj = workflow.perform(
                    obj,
                    action,
                    user=request.user,
                    on=form.cleaned_data.get("on") or None,
                    note=form.cleaned_data.get("note", ""),
                    **form.params(),
                )
                if upload:
                    RequestDocument.objects.create(
                        request=obj,
                        kind=DocumentKind.REPLY,
                        title=_("答复材料"),
                        original_name=upload.name[:200],
                        content_type=content_type,
                        size=upload.size,
                        file=upload,
                        public=True,
                    )
        except workflow.TransitionError as exc:
            messages.error(request, _("未能办理：%(reason)s") % {"reason": exc})
        except CalendarYearUnknown as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已办理：%(action)s。") % {"action": workflow.ACTION_LABELS[action]},
            )
        return redirect(self.detail_url(obj))


class ProactiveForm(forms.Form):
    section = forms.ModelChoiceField(label=gettext_lazy("公开到栏目"), queryset=None)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=255)
    summary = forms.CharField(
        label=gettext_lazy("内容概述"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("只写公开的信息本身，不要写申请人的任何信息。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: without the catalogue app, startup must reach the check E001.
        from opengov_cms.catalogue.models import CatalogueIndexPage

        self.fields["section"].queryset = CatalogueIndexPage.objects.live().order_by("path")


class ProactiveView(RequestViewMixin, TemplateView):
    """Art. 44: turn a reply into a draft catalogue entry, then edit it in the page editor."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not request.user.has_perm(PERM_CHANGE):
            raise PermissionDenied
        obj = self.object
        form = ProactiveForm(request.POST, prefix="proactive")
        if not form.is_valid():
            errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, _("未能主动公开：%(errors)s") % {"errors": errors})
            return redirect(self.detail_url(obj))
        try:
            with transaction.atomic():
                entry = workflow.publish_proactively(
                    obj,
                    section=form.cleaned_data["section"],
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    user=request.user,
                )
        except workflow.TransitionError as exc:
            messages.error(request, _("未能主动公开：%(reason)s") % {"reason": exc})
            return redirect(self.detail_url(obj))
        messages.success(request, _("已创建主动公开信息的草稿，请补充正文和附件后提交审核。"))
        return redirect("wagtailadmin_pages:edit", entry.pk)


class AddView(RequestViewMixin, TemplateView):
    template_name = "opengov_requests/admin/add.html"
    page_title = gettext_lazy("登记线下申请")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERM_ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return OfflineApplicationForm(data, organisations=organisations_of(self.request.user))

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    @sensitive_variables()
    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            obj = DisclosureRequest(**form.request_fields())
            try:
                code = workflow.receive(obj, user=request.user)
            except CalendarYearUnknown as exc:
                form.add_error("received_on", exc.message)
            else:
                messages.success(
                    request,
                    _("已登记申请%(number)s。查询码：%(code)s（只显示这一次，请告知申请人）。")
                    % {"number": obj.tracking_number, "code": code},
                )
                return redirect(self.detail_url(obj))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DocumentView(RequestViewMixin, TemplateView):
    def get(self, request, pk, document_pk):
        document = get_object_or_404(self.object.documents, pk=document_pk)
        if document.kind == DocumentKind.APPLICATION:
            log(instance=self.object, action=workflow.LOG_VIEW_PERSONAL_DATA, user=request.user)
        return attachment_response(document)


class RequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_open_inbox(request.user)


class DisclosureRequestViewSet(ViewSet):
    name = "opengov_requests_admin"
    icon = "mail"
    menu_label = gettext_lazy("申请办理")
    menu_item_class = RequestsMenuItem

    def get_urlpatterns(self):
        def view(cls):
            return cls.as_view(viewset=self)

        return [
            path("", view(InboxView), name="index"),
            path("new/", view(AddView), name="add"),
            path("<int:pk>/", view(DetailView), name="detail"),
            path("<int:pk>/action/<slug:action>/", view(ActionView), name="action"),
            path("<int:pk>/publish-proactively/", view(ProactiveView), name="proactive"),
            path("<int:pk>/documents/<int:document_pk>/", view(DocumentView), name="document"),
        ]


class NoticeTemplateViewSet(ModelViewSet):
    model = NoticeTemplate
    name = "opengov_requests_notice_templates"
    icon = "doc-full"
    menu_label = gettext_lazy("告知书模板")
    form_fields = ["kind", "outcome_group", "organisation", "title", "body"]
    list_display = ["title", "kind", "outcome_group", "organisation"]
    list_filter = ["kind"]


class DisclosureRequestsGroup(ViewSetGroup):
    menu_label = gettext_lazy("依申请公开")
    menu_icon = "mail"
    menu_order = 250
    items = (DisclosureRequestViewSet, NoticeTemplateViewSet)


class PendingDueDatesPanel(Component):
    """Admin home: applications whose due date waits for a year's holiday schedule."""

    name = "opengov_requests_pending_due_dates"
    order = 45
    template_name = "opengov_requests/panels/pending_due_dates.html"

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context):
        return {
            "count": self.count,
            "url": reverse("opengov_requests_admin:index") + "?due=pending",
        }


def pending_due_dates_panel(user):
    if not can_open_inbox(user):
        return None
    count = (
        DisclosureRequest.objects.visible_to(user)
        .open()
        .filter(due_date__isnull=True, paused_on__isnull=True)
        .count()
    )
    return PendingDueDatesPanel(count) if count else None
