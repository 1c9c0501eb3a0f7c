"""Admin screens of opengov_core."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from opengov_cms.conf import opengov_settings
from opengov_cms.core import memberships
from opengov_cms.core.calendar import missing_years
from opengov_cms.core.forms import HolidayNoticeForm, MembershipForm
from opengov_cms.core.holiday_notices import NoticeDay, notice_year, parse_notice
from opengov_cms.core.models import (
    DocumentKind,
    Genre,
    HolidayCalendar,
    HolidayCalendarDay,
    Membership,
    MembershipRole,
    NonDisclosureReason,
    Organisation,
    Topic,
)
from opengov_cms.core.models.holidays import days_belong_to, schedule_errors

#: The hook through which other apps of the package add their screens to 政务公开.
OPENGOV_MENU_HOOK = "register_opengov_menu_item"
#: Menu groups collect items from a hook (``submenu_hook``) from Wagtail 8 on; under Wagtail
#: 7.2 an app's viewset registered into the hook would reach no group, so it takes a menu
#: item of its own instead (``add_to_admin_menu``).
GROUP_TAKES_HOOKED_ITEMS = WAGTAIL_VERSION >= (8, 0)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "short_name", "credit_code", "parent"]
    search_fields = ["name", "short_name", "credit_code"]


class ManagedMembership:
    """A view of one membership that only those who manage it reach (the city office, or the
    head of its organisation's office); Wagtail's generic views check the model permission
    only."""

    def get_object(self, *args, **kwargs):
        membership = super().get_object(*args, **kwargs)
        if not memberships.may_manage(self.request.user, membership):
            raise PermissionDenied
        return membership


def managed(view_class):
    return type(view_class.__name__, (ManagedMembership, view_class), {})


class MembershipCreateView(snippet_views.CreateView):
    def get_initial(self):
        # The admin home's list of unassigned staff links here with the person chosen.
        initial = super().get_initial()
        user = self.request.GET.get("user", "")
        if user.isdigit():
            initial["user"] = int(user)
        return initial


class MembershipFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(label=_("身份"), choices=MembershipRole.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("机构"), queryset=Organisation.objects.none()
    )

    class Meta:
        model = Membership
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            ids = memberships.managed_organisation_ids(self.request.user)
            self.filters["organisation"].queryset = (
                Organisation.objects.all()
                if ids is None
                else Organisation.objects.filter(pk__in=ids)
            )


class MembershipViewSet(SnippetViewSet):
    """机构人员: who works for which organisation, and as what (opengov_cms.core.memberships).
    The city office manages everyone; the head of an office (政务公开办公室负责人) the staff
    of their own organisations and the units under them."""

    model = Membership
    icon = "user"
    menu_label = _("机构人员")
    list_display = ["user", "organisation", "unit", "role"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering = ["organisation__name", "role", "pk"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("user", widget=forms.Select),
            FieldPanel("organisation"),
            FieldPanel("unit"),
            FieldPanel("role"),
        ],
        base_form_class=MembershipForm,
    )

    add_view_class = MembershipCreateView
    edit_view_class = managed(snippet_views.EditView)
    delete_view_class = managed(snippet_views.DeleteView)
    usage_view_class = managed(snippet_views.UsageView)
    history_view_class = managed(snippet_views.HistoryView)
    inspect_view_class = managed(snippet_views.InspectView)

    def get_queryset(self, request):
        return memberships.managed_memberships(
            request.user, Membership.objects.select_related("user", "organisation", "unit")
        )


def can_enter_holidays(user):
    return user.is_active and all(
        user.has_perm(f"opengov_core.{action}_holidaycalendar") for action in ("add", "change")
    )


def year_to_enter(today=None):
    """The year staff most likely enter now: next year from CALENDAR_NEXT_YEAR_FROM on."""
    today = today or timezone.localdate()
    month, day = opengov_settings.CALENDAR_NEXT_YEAR_FROM
    return today.year + 1 if (today.month, today.day) >= (month, day) else today.year


class HolidayCalendarIndexView(SnippetIndexView):
    """The years entered, with a warning for any year staff must enter or complete."""

    paste_url_name = None

    def get_template_names(self):
        return ["opengov_core/admin/holiday_calendar_index.html"]

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_enter_holidays(self.request.user):
            buttons.append(
                HeaderButton(
                    _("粘贴通知录入"),
                    url=reverse(self.paste_url_name),
                    icon_name="clipboard-list",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing_years"] = missing = missing_years()
        shown = {year.year for year in missing}
        incomplete = []
        for schedule in HolidayCalendar.objects.exclude(year__in=shown).prefetch_related("days"):
            days = [
                (d.date, d.is_working_day)
                for d in schedule.days.all()
                if d.date.year == schedule.year
            ]
            if schedule_errors(schedule.year, days):
                incomplete.append(schedule)
        context["incomplete_schedules"] = incomplete
        return context


def read_notice(form):
    """(year, {date: NoticeDay}, errors) for a valid HolidayNoticeForm: the days the
    schedule would have once saved, and everything that stands in the way."""
    text = form.cleaned_data["text"]
    year = form.cleaned_data.get("year") or notice_year(text)
    if year is None:
        return None, {}, [_t("请填写年份，或连同标题粘贴通知全文。")]
    existing = HolidayCalendar.objects.filter(year=year).first()
    base = {}
    if existing is not None:
        base = {d.date: NoticeDay(d.date, d.is_working_day, d.name, 0) for d in existing.days.all()}
    amend = form.cleaned_data["mode"] == HolidayNoticeForm.AMEND
    errors = []
    if amend and existing is None:
        errors.append(
            _t("%(year)s年的安排尚未录入，不能按调整通知修改：请先录入该年的通知。")
            % {"year": year}
        )
    parsed = parse_notice(text, year, base=base if amend else None)
    errors += parsed.errors
    days = {**base, **parsed.days} if amend else dict(parsed.days)
    for day in sorted(days):
        if days[day].is_working_day and day.weekday() < 5:
            errors.append(_t("%(date)s是工作日，不能作为调休上班日。") % {"date": day.isoformat()})
    if parsed.days and not errors:
        errors += [
            str(e)
            for e in schedule_errors(
                year, [(d, v.is_working_day) for d, v in days.items() if d.year == year]
            )
        ]
    return year, days, errors


class HolidayNoticeView(WagtailAdminTemplateMixin, TemplateView):
    """Paste the State Council's notice, check the days read from it, then save them."""

    template_name = "opengov_core/admin/holiday_notice.html"
    page_title = _("粘贴节假日安排通知")
    header_icon = "date"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not can_enter_holidays(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = HolidayNoticeForm(initial={"year": year_to_enter()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = HolidayNoticeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        year, days, errors = read_notice(form)
        if "save" in request.POST and not errors:
            schedule = self.save(form, year, days)
            messages.success(
                request,
                _t("已保存%(year)s年节假日安排：放假%(off)d天，调休上班%(work)d天。")
                % {
                    "year": year,
                    "off": sum(not d.is_working_day for d in days.values()),
                    "work": sum(d.is_working_day for d in days.values()),
                },
            )
            return redirect(reverse(self.index_url_name) + f"?saved={schedule.pk}")
        context = self.get_context_data(
            form=form,
            year=year,
            days=[days[d] for d in sorted(days)],
            errors=errors,
            off_count=sum(not d.is_working_day for d in days.values()),
            work_count=sum(d.is_working_day for d in days.values()),
        )
        return self.render_to_response(context, status=400 if errors else 200)

    def save(self, form, year, days):
        text = form.cleaned_data["text"].strip()
        title = form.cleaned_data.get("notice") or next(
            (line.strip() for line in text.splitlines() if "通知" in line), ""
        )
        with transaction.atomic():
            schedule, created = HolidayCalendar.objects.select_for_update().get_or_create(year=year)
            if form.cleaned_data["mode"] == HolidayNoticeForm.AMEND:
                schedule.notice_text = f"{schedule.notice_text}\n\n{text}".strip()
                if title and title not in schedule.notice:
                    schedule.notice = f"{schedule.notice}；{title}".strip("；")[:200]
            else:
                schedule.notice_text = text
                schedule.notice = title[:200]
            schedule.save()
            schedule.days.all().delete()
            HolidayCalendarDay.objects.bulk_create(
                HolidayCalendarDay(
                    calendar=schedule,
                    date=day.date,
                    is_working_day=day.is_working_day,
                    name=day.name[:50],
                )
                for day in days.values()
                if days_belong_to(year, day.date)
            )
            log(
                instance=schedule,
                action="wagtail.create" if created else "wagtail.edit",
                user=self.request.user,
            )
        return schedule

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.index_url_name), "label": _t("节假日安排")},
            {"url": "", "label": self.page_title},
        ]


class HolidayCalendarViewSet(SnippetViewSet):
    model = HolidayCalendar
    icon = "date"
    menu_label = _("节假日安排")
    list_display = ["year", "notice"]
    index_view_class = HolidayCalendarIndexView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(paste_url_name=self.get_url_name("paste"), **kwargs)

    @property
    def paste_view(self):
        return HolidayNoticeView.as_view(index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("paste/", self.paste_view, name="paste")]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "code", "parent", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "doc-full"
    list_display = ["name", "code", "sort_order"]


class DocumentKindViewSet(SnippetViewSet):
    model = DocumentKind
    icon = "doc-full-inverse"
    list_display = ["name", "code", "sort_order"]


class NonDisclosureReasonViewSet(SnippetViewSet):
    model = NonDisclosureReason
    icon = "lock"
    list_display = ["name", "article", "code"]


class OpengovViewSetGroup(SnippetViewSetGroup):
    """One menu group for everything of the package that is not a page."""

    menu_label = _("政务公开")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    submenu_hook = OPENGOV_MENU_HOOK
    items = (
        OrganisationViewSet,
        MembershipViewSet,
        TopicViewSet,
        GenreViewSet,
        DocumentKindViewSet,
        NonDisclosureReasonViewSet,
        HolidayCalendarViewSet,
    )
