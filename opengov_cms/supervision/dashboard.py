"""The staff dashboard: panels on the Wagtail admin home, each with its counts and a link
to the list it counts.

- 我的报送任务: the user's units' submissions and rectification entries due soon or overdue;
- 依申请公开期限: open requests due within OPENGOV_CMS_REQUESTS_DUE_SOON_DAYS working days, and
  overdue;
- 督查逾期: for the office, submissions not made and rectification entries not closed in time;
- 等待三同步的发布: publications held until their partner is approved;
- 空栏目和长期未更新的栏目: catalogue sections with nothing, or nothing for
  OPENGOV_CMS_STALE_SECTION_DAYS days;
- 统计表勾稽检查: report pages of this and last year whose request table fails the check rule.

The holiday-calendar panel (a missing year) and the requests' pending due dates are
core's and disclosure_requests' own panels. A panel shows when there is something to see,
and costs the same few queries however much data there is: counts are conditional
aggregates in one query each, and no list is read to count it.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from opengov_cms.conf import opengov_settings
from opengov_cms.supervision import permissions
from opengov_cms.supervision.choices import AWAITING, RectificationState


class CountsPanel(Component):
    """A dashboard panel: a heading, counts with the link to each counted list."""

    def __init__(self, counts, **extra):
        #: [(label, count, url)]
        self.counts = counts
        self.extra = extra

    @property
    def total(self):
        return sum(count for _label, count, _url in self.counts)

    def get_context_data(self, parent_context):
        return {"counts": self.counts, **self.extra}


def submissions_url(**query):
    from urllib.parse import urlencode

    return reverse("opengov_supervision_submissions:index") + "?" + urlencode(query)


def rectifications_url(**query):
    from urllib.parse import urlencode

    return reverse("opengov_supervision_rectifications:index") + "?" + urlencode(query)


def _horizon(today):
    return today + datetime.timedelta(days=opengov_settings.SUPERVISION_REMINDER_DAYS)


def _counted(queryset, field, today):
    return queryset.aggregate(
        soon=Count("pk", filter=Q(**{f"{field}__gte": today, f"{field}__lte": _horizon(today)})),
        overdue=Count("pk", filter=Q(**{f"{field}__lt": today})),
    )


# 我的报送任务 ------------------------------------------------------------------------------


class MyTasksPanel(CountsPanel):
    name = "opengov_supervision_my_tasks"
    order = 30
    template_name = "opengov_supervision/panels/my_tasks.html"


def my_tasks_panel(user, today=None):
    from opengov_cms.supervision.models import Rectification, Submission

    units = permissions.unit_ids(user)
    if not units:
        return None
    today = today or timezone.localdate()
    submissions = _counted(
        Submission.objects.filter(unit__in=units, state__in=AWAITING), "due_date", today
    )
    entries = _counted(
        Rectification.objects.filter(unit__in=units, state=RectificationState.OPEN),
        "deadline",
        today,
    )
    panel = MyTasksPanel(
        [
            (
                _("即将到期的报送"),
                submissions["soon"],
                submissions_url(scope="mine", due="soon"),
            ),
            (_("逾期未报"), submissions["overdue"], submissions_url(scope="mine", due="overdue")),
            (
                _("即将到期的整改"),
                entries["soon"],
                rectifications_url(scope="mine", state="open", due="soon"),
            ),
            (
                _("逾期未整改"),
                entries["overdue"],
                rectifications_url(scope="mine", state="open", due="overdue"),
            ),
        ],
        days=opengov_settings.SUPERVISION_REMINDER_DAYS,
    )
    return panel if panel.total else None


# 督查逾期 (the office) ---------------------------------------------------------------------


class OfficeOverduePanel(CountsPanel):
    name = "opengov_supervision_overdue"
    order = 50
    template_name = "opengov_supervision/panels/office_overdue.html"


def office_overdue_panel(user, today=None):
    from opengov_cms.supervision.models import Rectification, Submission

    offices = permissions.office_organisation_ids(user)
    if offices is not None and not offices:
        return None
    today = today or timezone.localdate()
    submissions = Submission.objects.filter(state__in=AWAITING, due_date__lt=today)
    entries = Rectification.objects.exclude(state=RectificationState.CLOSED).filter(
        deadline__lt=today
    )
    if offices is not None:
        submissions = submissions.filter(task__plan__organisation__in=offices)
        entries = entries.filter(organisation__in=offices)
    panel = OfficeOverduePanel(
        [
            (_("逾期未报的材料"), submissions.count(), submissions_url(due="overdue")),
            (
                _("逾期未销号的整改事项"),
                entries.count(),
                rectifications_url(state="unfinished", due="overdue"),
            ),
        ]
    )
    return panel if panel.total else None


# 依申请公开期限 ----------------------------------------------------------------------------


class RequestsDuePanel(CountsPanel):
    name = "opengov_supervision_requests_due"
    order = 44
    template_name = "opengov_supervision/panels/requests_due.html"


def requests_due_panel(user, today=None):
    from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar
    from opengov_cms.disclosure_requests.models import DisclosureRequest
    from opengov_cms.disclosure_requests.viewsets import can_open_inbox

    if not can_open_inbox(user):
        return None
    today = today or timezone.localdate()
    days = opengov_settings.REQUESTS_DUE_SOON_DAYS
    calendar_error = None
    try:
        horizon = WorkingDayCalendar().add_working_days(today, days)
    except CalendarYearUnknown as exc:
        # The soon count needs the calendar; overdue does not. Say why soon is missing.
        horizon, calendar_error = None, exc.message
    open_requests = DisclosureRequest.objects.visible_to(user).open()
    counts = {"soon": 0}
    if horizon is None:
        counts["overdue"] = open_requests.filter(due_date__lt=today).count()
    else:
        counts = open_requests.aggregate(
            soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=horizon)),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
        )
    inbox = reverse("opengov_requests_admin:index")
    panel = RequestsDuePanel(
        [
            (
                _("%(days)d个工作日内到期") % {"days": days},
                counts["soon"],
                inbox + "?due=soon",
            ),
            (_("已逾期"), counts["overdue"], inbox + "?due=overdue"),
        ],
        calendar_error=calendar_error,
    )
    return panel if panel.total or calendar_error else None


# Pages: 三同步, sections, report checks -----------------------------------------------------


def edits_pages(user):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return user.is_active and PagePermissionPolicy().user_has_any_permission(
        user, ["add", "change", "publish"]
    )


def held_publications(user):
    """HeldPublication rows of the pages ``user`` may change or publish."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from opengov_cms.policies.models import HeldPublication

    held = HeldPublication.objects.all()
    if user.is_superuser:
        return held
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )
    return held.filter(page__in=pages.values("pk"))


class HeldPanel(CountsPanel):
    name = "opengov_supervision_held"
    order = 55
    template_name = "opengov_supervision/panels/held.html"


def held_panel(user):
    if not edits_pages(user):
        return None
    count = held_publications(user).count()
    if not count:
        return None
    return HeldPanel(
        [(_("等待配套解读的发布"), count, reverse("opengov_supervision_dashboard:held"))]
    )


def section_counts(today=None):
    """(empty, stale) catalogue sections: none public under them, or none published in
    OPENGOV_CMS_STALE_SECTION_DAYS days (as Reports → 长期未更新的栏目), in one query of two
    EXISTS per section, each stopping at the first entry it finds."""
    from opengov_cms.catalogue.models import CatalogueIndexPage, CatalogueItem

    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=opengov_settings.STALE_SECTION_DAYS)
    under = CatalogueItem.objects.public().filter(path__startswith=OuterRef("path"))
    counts = (
        CatalogueIndexPage.objects.annotate(
            some=Exists(under), recent=Exists(under.filter(publication_date__gte=cutoff))
        )
        .filter(recent=False)
        .aggregate(empty=Count("pk", filter=Q(some=False)), stale=Count("pk", filter=Q(some=True)))
    )
    return counts["empty"], counts["stale"]


class SectionsPanel(CountsPanel):
    name = "opengov_supervision_sections"
    order = 60
    template_name = "opengov_supervision/panels/sections.html"


def sections_panel(user, today=None):
    if not edits_pages(user):
        return None
    empty, stale = section_counts(today)
    report = reverse("opengov_stale_sections")
    panel = SectionsPanel(
        [
            (_("没有信息的栏目"), empty, report),
            (
                _("%(days)d天未更新的栏目") % {"days": opengov_settings.STALE_SECTION_DAYS},
                stale,
                report,
            ),
        ]
    )
    return panel if panel.total else None


def failing_reports(today=None):
    """Report pages of this and last year whose stored request table fails the check rule:
    [(page, labels of the failing columns)]. One query per report type."""
    from opengov_cms.reports.models import AnnualReportPage, QuarterlyReportPage
    from opengov_cms.reports.statistics import check_rule_failures
    from opengov_cms.reports.tables import APPLICANT_LABELS

    today = today or timezone.localdate()
    found = []
    for model in (QuarterlyReportPage, AnnualReportPage):
        pages = (
            model.objects.filter(report_year__gte=today.year - 1)
            .select_related("organisation")
            .only("pk", "title", "report_year", "statistics", "organisation__name", "live")
            .order_by("-report_year", "pk")
        )
        for page in pages:
            table = (page.statistics or {}).get("requests")
            failures = check_rule_failures(table) if table else []
            if failures:
                found.append((page, [str(APPLICANT_LABELS.get(c, c)) for c in failures]))
    return found


class ReportChecksPanel(CountsPanel):
    name = "opengov_supervision_report_checks"
    order = 65
    template_name = "opengov_supervision/panels/report_checks.html"


def report_checks_panel(user, today=None):
    if not edits_pages(user):
        return None
    count = len(failing_reports(today))
    if not count:
        return None
    return ReportChecksPanel(
        [(_("不符合勾稽关系的报告"), count, reverse("opengov_supervision_dashboard:report_checks"))]
    )


def panels_for(user):
    """Every panel of this module that ``user`` has something in, in order."""
    today = timezone.localdate()
    found = [
        my_tasks_panel(user, today),
        requests_due_panel(user, today),
        office_overdue_panel(user, today),
        held_panel(user),
        sections_panel(user, today),
        report_checks_panel(user, today),
    ]
    return [panel for panel in found if panel is not None]
