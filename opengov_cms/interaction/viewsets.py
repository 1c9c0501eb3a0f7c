"""Admin screens of the public's messages: the inbox with its filters and the overdue marked,
a message with its timeline and the actions the user may take, and the dashboard panel."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.log_actions import log

from opengov_cms.conf import opengov_settings
from opengov_cms.core import memberships
from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar, missing_years
from opengov_cms.core.models import Organisation
from opengov_cms.core.visibility import message_may_leave
from opengov_cms.interaction import workflow
from opengov_cms.interaction.choices import ACTION_LABELS, Category, State
from opengov_cms.interaction.forms import ACTION_FORMS, ActionForm
from opengov_cms.interaction.models import PERM_ALL, Message
from opengov_cms.interaction.pages import message_url
from opengov_cms.interaction.statistics import city_statistics
from opengov_cms.interaction.tables import city_table
from opengov_cms.reports.viewsets import CityOfficeMenuItem, CityPeriodView

PERM_CHANGE = "opengov_interaction.change_message"
PERM_REVIEW = "opengov_interaction.review_message"


def can_open_inbox(user):
    return user.is_active and (user.has_perm(PERM_CHANGE) or user.has_perm(PERM_ALL))


def units_of(user):
    """The units whose messages ``user`` handles: all with the site-wide permission."""
    return memberships.organisations_for(user, memberships.OFFICER_ROLES, PERM_ALL)


def may_take(user, action):
    if action in workflow.REVIEW_ACTIONS:
        return user.has_perm(PERM_REVIEW)
    return user.has_perm(PERM_CHANGE)


class InboxFilterForm(forms.Form):
    DUE_CHOICES = [
        ("", gettext_lazy("全部")),
        ("overdue", gettext_lazy("已逾期")),
        ("soon", gettext_lazy("即将到期")),
        ("pending", gettext_lazy("待定（缺少节假日安排）")),
    ]
    q = forms.CharField(label=gettext_lazy("留言编号"), required=False, max_length=80)
    state = forms.ChoiceField(
        label=gettext_lazy("办理状态"),
        choices=[("", gettext_lazy("全部")), ("open", gettext_lazy("办理中（全部未办结）"))]
        + State.choices,
        required=False,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("留言类别"),
        choices=[("", gettext_lazy("全部"))] + Category.choices,
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("承办单位"), queryset=Organisation.objects.none(), required=False
    )
    due = forms.ChoiceField(label=gettext_lazy("答复期限"), choices=DUE_CHOICES, required=False)
    automated = forms.ChoiceField(
        label=gettext_lazy("提交方式"),
        choices=[("", gettext_lazy("全部")), ("1", gettext_lazy("疑似自动提交"))],
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = units
        self.calendar_error = None

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
        for name in ("category", "organisation"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        if data["automated"]:
            queryset = queryset.filter(likely_automated=True)
        today = timezone.localdate()
        if data["due"] == "pending":
            queryset = queryset.open().filter(due_date__isnull=True)
        elif data["due"] == "overdue":
            queryset = queryset.open().filter(due_date__lt=today)
        elif data["due"] == "soon":
            try:
                horizon = WorkingDayCalendar().add_working_days(
                    today, opengov_settings.INTERACTION_DUE_SOON_DAYS
                )
            except CalendarYearUnknown as exc:
                self.calendar_error = exc.message
                horizon = today
            queryset = queryset.open().filter(due_date__gte=today, due_date__lte=horizon)
        return queryset


class MessageViewMixin(WagtailAdminTemplateMixin):
    viewset = None
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        request.sensitive_post_parameters = "__ALL__"
        if not can_open_inbox(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_messages(self):
        return Message.objects.visible_to(self.request.user).select_related(
            "organisation", "handler"
        )

    @cached_property
    def object(self):
        return get_object_or_404(self.visible_messages(), pk=self.kwargs["pk"])

    def detail_url(self, obj):
        return reverse(self.viewset.get_url_name("detail"), args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["viewset"] = self.viewset
        context["index_url"] = reverse(self.viewset.get_url_name("index"))
        return context


class InboxView(MessageViewMixin, TemplateView):
    template_name = "opengov_interaction/admin/inbox.html"
    page_title = gettext_lazy("网民留言")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = InboxFilterForm(self.request.GET or None, units=units_of(self.request.user))
        queryset = self.visible_messages()
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
            calendar_error=form.calendar_error,
            missing_years=missing_years(),
        )
        return context


class DetailView(MessageViewMixin, TemplateView):
    template_name = "opengov_interaction/admin/detail.html"

    def get_page_title(self):
        return _("留言%(number)s") % {"number": self.object.tracking_number}

    def get(self, request, *args, **kwargs):
        # The page shows the sender's name and contact details: every view is recorded.
        log(instance=self.object, action=workflow.LOG_VIEW_PERSONAL_DATA, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        action_forms = [
            (
                action,
                ACTION_LABELS[action],
                build_action_form(action, obj, user),
                reverse(self.viewset.get_url_name("action"), args=[obj.pk, action]),
            )
            for action in workflow.allowed_actions(obj)
            if may_take(user, action)
        ]
        context.update(
            obj=obj,
            events=obj.events.select_related("user", "from_organisation", "to_organisation"),
            merged=obj.merged_messages.all(),
            action_forms=action_forms,
            public_url=public_url(obj),
        )
        return context


def public_url(message):
    """The address of the message's public page while it is published, else None."""
    if message.box_id and message_may_leave(message):
        return message_url(message.box.get_url(), message.pk)
    return None


def build_action_form(action, obj, user, data=None):
    form_class = ACTION_FORMS.get(action, ActionForm)
    kwargs = {}
    if action == "assign":
        kwargs["handlers"] = memberships.members_of(
            [obj.organisation_id], memberships.OFFICER_ROLES
        )
        kwargs["initial"] = {"handler": obj.handler_id}
    elif action == "transfer":
        kwargs["units"] = Organisation.objects.exclude(pk=obj.organisation_id)
    elif action in ("save_draft", "submit_reply"):
        kwargs["initial"] = {"reply": obj.reply}
    elif action == "approve_reply":
        kwargs["initial"] = {"publish": obj.publish_consent}
    elif action == "edit_public_text":
        kwargs["initial"] = {"public_subject": obj.public_subject, "public_body": obj.public_body}
    form = form_class(data, prefix=action, **kwargs)
    if action == "approve_reply" and not obj.publish_consent:
        form.fields["publish"].disabled = True
        form.fields["publish"].help_text = _("留言人没有同意公开，答复只发给留言人本人。")
    return form


class ActionView(MessageViewMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        obj = self.object
        if action not in workflow.TRANSITIONS or action == "receive":
            messages.error(request, _("没有这项操作。"))
            return redirect(self.detail_url(obj))
        if not may_take(request.user, action):
            raise PermissionDenied
        form = build_action_form(action, obj, request.user, request.POST)
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
                for name, errs in form.errors.items()
                for error in errs
            )
            messages.error(request, _("未能办理：%(errors)s") % {"errors": errors})
            return redirect(self.detail_url(obj))
        params = form.params()
        if action == "merge":
            params["into"] = form.cleaned_data["into"]
        try:
            obj = workflow.perform(
                obj,
                action,
                user=request.user,
                note=form.cleaned_data.get("note", ""),
                **params,
            )
        except workflow.TransitionError as exc:
            messages.error(request, _("未能办理：%(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("已办理：%(action)s。") % {"action": ACTION_LABELS[action]})
        if not Message.objects.visible_to(request.user).filter(pk=obj.pk).exists():
            # Transferred to a unit the user does not handle: back to the list.
            return redirect(reverse(self.viewset.get_url_name("index")))
        return redirect(self.detail_url(obj))


class MessagesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_open_inbox(request.user)


class MessageViewSet(ViewSet):
    name = "opengov_interaction_admin"
    icon = "comment"
    menu_label = gettext_lazy("留言办理")
    menu_item_class = MessagesMenuItem

    def get_urlpatterns(self):
        def view(cls):
            return cls.as_view(viewset=self)

        return [
            path("", view(InboxView), name="index"),
            path("<int:pk>/", view(DetailView), name="detail"),
            path("<int:pk>/action/<slug:action>/", view(ActionView), name="action"),
        ]


# 全市留言统计 ------------------------------------------------------------------------------


class CityMessageStatisticsView(CityPeriodView):
    """全市留言统计: the messages of every organisation in a year or quarter, one row per
    organisation with a message box (its units counted with it) and the city-wide sum, for
    the city office (全市政务公开办公室). A department's own figures are on its message box's
    statistics page and its quarterly reports."""

    template_name = "opengov_interaction/admin/city_statistics.html"
    page_title = gettext_lazy("全市网民留言统计")

    def figures(self, period):
        rows, total = city_statistics(period)
        return {"rows": rows, "table": city_table(rows, total, period) if rows else None}


class CityMessageStatisticsViewSet(ViewSet):
    name = "opengov_interaction_city"
    url_prefix = "interaction/city"
    icon = "table"
    menu_label = gettext_lazy("全市留言统计")
    menu_item_class = CityOfficeMenuItem

    def get_urlpatterns(self):
        return [path("", CityMessageStatisticsView.as_view(), name="index")]


class InteractionGroup(ViewSetGroup):
    menu_label = gettext_lazy("政民互动")
    menu_icon = "comment"
    menu_order = 260
    items = (MessageViewSet, CityMessageStatisticsViewSet)


class MessagesDuePanel(Component):
    """Admin home: the user's units' messages overdue, due soon, or with a due date pending."""

    name = "opengov_interaction_due"
    order = 46
    template_name = "opengov_interaction/panels/due.html"

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context):
        index = reverse("opengov_interaction_admin:index")
        return {
            "counts": self.counts,
            "overdue_url": f"{index}?due=overdue",
            "soon_url": f"{index}?due=soon",
            "pending_url": f"{index}?due=pending",
            "review_url": f"{index}?state={State.IN_REVIEW}",
        }


def due_panel(user):
    """The panel when the user has messages to attend to; one query for the four counts."""
    if not can_open_inbox(user):
        return None
    today = timezone.localdate()
    try:
        horizon = WorkingDayCalendar().add_working_days(
            today, opengov_settings.INTERACTION_DUE_SOON_DAYS
        )
    except CalendarYearUnknown:
        horizon = today
    counts = (
        Message.objects.visible_to(user)
        .open()
        .order_by()
        .aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=horizon)),
            pending=Count("pk", filter=Q(due_date__isnull=True)),
            in_review=Count("pk", filter=Q(state=State.IN_REVIEW)),
        )
    )
    if not any(counts.values()):
        return None
    return MessagesDuePanel(counts)
