"""Admin screens of supervision: a plan's 责任分解表 with what each unit has submitted,
submissions and their review, the rectification ledger, the standard-catalogue check, and
the lists the dashboard panels link to. Who sees and does what is asked of
opengov_cms.supervision.permissions, on every view."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from opengov_cms.conf import opengov_settings
from opengov_cms.supervision import permissions, responsibility, standards, workflow
from opengov_cms.supervision.choices import (
    AWAITING,
    RectificationState,
    Schedule,
    SubmissionState,
)
from opengov_cms.supervision.forms import (
    CheckForm,
    CloseForm,
    EventSubmitForm,
    FixtureForm,
    ImportForm,
    RectificationAddForm,
    RectificationFilterForm,
    RectificationReportForm,
    ReturnForm,
    ReviewForm,
    SubmissionFilterForm,
    SubmitForm,
)
from opengov_cms.supervision.models import (
    EvidenceFile,
    StandardCatalogue,
    Submission,
)

PER_PAGE = 50
XLSX = responsibility.MIME


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name):
    from urllib.parse import quote

    return quote(name)


class SupervisionView(WagtailAdminTemplateMixin, TemplateView):
    """A screen for the staff of units and offices (a SupervisionMembership, or every
    organisation's office by permission)."""

    viewset = None
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.has_any_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()

    def url(self, name, *args):
        return reverse(self.viewset.get_url_name(name), args=args)


def due_filter(queryset, due, today, field="due_date", waiting=None):
    if due == "overdue":
        queryset = queryset.filter(**{f"{field}__lt": today})
    elif due == "soon":
        horizon = today + datetime.timedelta(days=opengov_settings.SUPERVISION_REMINDER_DAYS)
        queryset = queryset.filter(**{f"{field}__gte": today, f"{field}__lte": horizon})
    if due and waiting is not None:
        queryset = queryset.filter(waiting)
    return queryset


def page_of(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return page, query.urlencode()


# Plans and the 责任分解表 -------------------------------------------------------------------


class PlanMixin:
    @cached_property
    def plan(self):
        return get_object_or_404(permissions.visible_plans(self.request.user), pk=self.kwargs["pk"])


class ProgressView(PlanMixin, SupervisionView):
    """The plan's 责任分解表: each task, its units, and where each unit stands each period."""

    template_name = "opengov_supervision/admin/progress.html"

    def get_page_title(self):
        return _("责任分解表：%(plan)s") % {"plan": self.plan.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.plan
        office = permissions.is_office_of(user, plan.organisation_id)
        tasks = permissions.visible_tasks(user).filter(plan=plan) if not office else plan.tasks
        submissions = Submission.objects.select_related("unit").order_by(
            "period", "due_date", "unit__name", "pk"
        )
        tasks = (
            tasks.select_related("lead_unit")
            .prefetch_related(
                "cooperating_units",
                "evidence_sections",
                Prefetch("submissions", queryset=submissions),
            )
            .order_by("section_number", "number")
        )
        own = permissions.unit_ids(user)
        rows = []
        for task in tasks:
            done = sum(
                s.quantity or 0
                for s in task.submissions.all()
                if s.state == SubmissionState.ACCEPTED
            )
            rows.append(
                {
                    "task": task,
                    "submissions": [
                        s for s in task.submissions.all() if office or s.unit_id in own
                    ],
                    "done": done,
                    "may_report_event": task.schedule == Schedule.ON_EVENT
                    and user.has_perm(permissions.PERM_SUBMIT)
                    and bool(own & set(workflow.responsible_unit_ids(task))),
                }
            )
        context.update(
            plan=plan,
            rows=rows,
            today=self.today,
            office=office,
            may_edit=permissions.can_manage_plan(user, plan),
            may_import=permissions.can_manage_tasks_of(user, plan),
        )
        return context


class ImportView(PlanMixin, SupervisionView):
    """Read a 责任分解表 into the plan: every row checked, all or nothing."""

    template_name = "opengov_supervision/admin/import.html"
    header_icon = "upload"

    def get_page_title(self):
        return _("导入责任分解表：%(plan)s") % {"plan": self.plan.title}

    def check_permission(self):
        if not permissions.can_manage_tasks_of(self.request.user, self.plan):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self.check_permission()
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        self.check_permission()
        form = ImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                created, updated, errors = responsibility.import_file(
                    form.cleaned_data["file"], self.plan
                )
            except responsibility.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if not errors:
                    messages.success(
                        request,
                        _("已导入责任分解表：新增%(created)d项，更新%(updated)d项。")
                        % {"created": created, "updated": updated},
                    )
                    return redirect(self.viewset.get_url_name("progress"), self.plan.pk)
        context = self.get_context_data(form=form, errors=errors)
        return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan=self.plan, columns=responsibility.COLUMNS)
        return context


class ExportView(PlanMixin, SupervisionView):
    def get(self, request, *args, **kwargs):
        plan = self.plan
        if not permissions.is_office_of(request.user, plan.organisation_id):
            raise PermissionDenied
        return xlsx_response(
            responsibility.export(plan), f"{plan.year}-{plan.title}-责任分解表.xlsx"
        )


# Submissions -------------------------------------------------------------------------------


def submissions_for(user):
    return permissions.visible_submissions(user).select_related(
        "task__plan__organisation", "unit", "submitted_by", "reviewed_by"
    )


def evidence_entries(task):
    """The newest public entries of the task's evidence sections, for a unit to tick."""
    from opengov_cms.catalogue.models import CatalogueItem

    paths = [s.path for s in task.evidence_sections.all()]
    if not paths:
        return []
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return list(
        CatalogueItem.objects.public().filter(under).order_by("-publication_date", "-page")[:20]
    )


class FilteredListMixin:
    """A list whose filters, when they make no sense (a unit that is not one, a state that
    does not exist), say so with a 400 and list nothing."""

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        form = context["filter_form"]
        status = 400 if request.GET and form.is_bound and not form.is_valid() else 200
        return self.render_to_response(context, status=status)


class SubmissionIndexView(FilteredListMixin, SupervisionView):
    template_name = "opengov_supervision/admin/submissions.html"
    page_title = gettext_lazy("报送材料")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = SubmissionFilterForm(
            self.request.GET or None,
            plans=permissions.visible_plans(user),
            units=(permissions.units_for_office(user) | permissions.units(user))
            .distinct()
            .order_by("name"),
        )
        queryset = submissions_for(user)
        if form.is_valid():
            data = form.cleaned_data
            if data["scope"] == "mine":
                queryset = queryset.filter(unit__in=permissions.unit_ids(user))
            if data["plan"]:
                queryset = queryset.filter(task__plan=data["plan"])
            if data["unit"]:
                queryset = queryset.filter(unit=data["unit"])
            if data["state"] == "waiting":
                queryset = queryset.filter(state__in=AWAITING)
            elif data["state"]:
                queryset = queryset.filter(state=data["state"])
            queryset = due_filter(queryset, data["due"], self.today, waiting=Q(state__in=AWAITING))
        elif self.request.GET:
            queryset = queryset.none()
        queryset = queryset.annotate(
            undated=Case(
                When(due_date__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ).order_by(
            "undated", "due_date", "task__plan", "task__section_number", "task__number", "pk"
        )
        page, query = page_of(self.request, queryset)
        context.update(filter_form=form, page_obj=page, query_string=query, today=self.today)
        return context


class SubmissionDetailView(SupervisionView):
    template_name = "opengov_supervision/admin/submission.html"

    @cached_property
    def submission(self):
        return get_object_or_404(submissions_for(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self):
        submission = self.submission
        return _("报送：%(task)s %(unit)s %(period)s") % {
            "task": submission.task.label,
            "unit": submission.unit,
            "period": submission.period_label,
        }

    def forms(self, data=None, files=None, action=None):
        user, submission = self.request.user, self.submission
        found = {}
        if submission.state in AWAITING and permissions.can_submit(user, submission):
            found["submit"] = SubmitForm(
                data if action == "submit" else None,
                files if action == "submit" else None,
                task=submission.task,
                entries=evidence_entries(submission.task),
                prefix="submit",
            )
        if submission.state == SubmissionState.SUBMITTED and permissions.can_review(
            user, submission
        ):
            found["review"] = ReviewForm(data if action == "review" else None, prefix="review")
        return found

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        context.update(
            obj=submission,
            task=submission.task,
            events=submission.events.select_related("user"),
            files=submission.files.all(),
            links=submission.links.all(),
            rectifications=submission.rectifications.select_related("unit"),
            forms=forms if forms is not None else self.forms(),
            overdue=submission.is_overdue(self.today),
            index_url=self.url("index"),
            progress_url=reverse(
                "opengov_supervision_plans:progress", args=[submission.task.plan_id]
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        forms = self.forms(request.POST, request.FILES, action)
        form = forms.get(action)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if action == "submit":
                    workflow.submit(
                        self.submission,
                        request.user,
                        form.evidence(form.cleaned_data["text"]),
                        quantity=form.cleaned_data.get("quantity"),
                    )
                    messages.success(request, _("已报送。"))
                else:
                    accepted = form.cleaned_data["decision"] == ReviewForm.ACCEPT
                    made = workflow.review(
                        self.submission,
                        request.user,
                        accepted,
                        note=form.cleaned_data["note"],
                        problems=form.problems_found(),
                    )
                    messages.success(
                        request,
                        _("已审核通过。")
                        if accepted
                        else _("已列入整改台账%(count)d条。") % {"count": len(made)},
                    )
            except workflow.SupervisionError as error:
                messages.error(request, str(error))
            return redirect(self.viewset.get_url_name("detail"), self.submission.pk)
        return self.render_to_response(self.get_context_data(forms=forms), status=400)


class EventSubmitView(SupervisionView):
    """A report about an event, for a task the units report on as things happen."""

    template_name = "opengov_supervision/admin/event_submit.html"

    @cached_property
    def task(self):
        task = get_object_or_404(
            permissions.visible_tasks(self.request.user).select_related("plan"),
            pk=self.kwargs["task_pk"],
            schedule=Schedule.ON_EVENT,
        )
        return task

    @cached_property
    def units(self):
        from opengov_cms.core.models import Organisation

        own = permissions.unit_ids(self.request.user)
        allowed = own & set(workflow.responsible_unit_ids(self.task))
        if not allowed or not self.request.user.has_perm(permissions.PERM_SUBMIT):
            raise PermissionDenied
        return Organisation.objects.filter(pk__in=allowed).order_by("name")

    def get_page_title(self):
        return _("报送：%(task)s") % {"task": self.task}

    def form(self, data=None, files=None):
        return EventSubmitForm(
            data,
            files,
            task=self.task,
            units=self.units,
            entries=evidence_entries(self.task),
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            submission = workflow.submit_event(
                self.task,
                form.cleaned_data["unit"],
                request.user,
                form.evidence(form.cleaned_data["text"]),
                form.cleaned_data["event_date"],
                quantity=form.cleaned_data.get("quantity"),
            )
            messages.success(request, _("已报送。"))
            return redirect(self.viewset.get_url_name("detail"), submission.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task"] = self.task
        return context


class EvidenceFileView(SupervisionView):
    """A file handed in, for whoever may see what it belongs to."""

    def get(self, request, pk, file_pk):
        owner = {
            "submission": lambda: submissions_for(request.user),
            "rectification": lambda: permissions.visible_rectifications(request.user),
        }[self.viewset.evidence_owner]()
        obj = get_object_or_404(owner, pk=pk)
        document = get_object_or_404(EvidenceFile, pk=file_pk, **{self.viewset.evidence_owner: obj})
        from django.http import FileResponse

        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(handle, as_attachment=True, filename=document.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


# The rectification ledger ------------------------------------------------------------------


def rectifications_for(user):
    return permissions.visible_rectifications(user).select_related(
        "organisation", "unit", "plan", "submission__task", "closed_by"
    )


LEDGER_COLUMNS = (
    gettext_lazy("整改编号"),
    gettext_lazy("机构"),
    gettext_lazy("方案"),
    gettext_lazy("来源"),
    gettext_lazy("责任单位"),
    gettext_lazy("存在问题"),
    gettext_lazy("整改措施"),
    gettext_lazy("整改时限"),
    gettext_lazy("整改状态"),
    gettext_lazy("整改情况"),
    gettext_lazy("销号时间"),
    gettext_lazy("销号人"),
)


def ledger_workbook(entries, today):
    """整改工作台账 as XLSX bytes; every text through neutralise."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from opengov_cms.core.exports import neutralise

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("整改工作台账"))[:31]
    sheet.append([str(c) for c in LEDGER_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        state = str(entry.get_state_display())
        if entry.is_overdue(today):
            state += _("（已逾期）")
        source = ""
        if entry.submission_id:
            source = f"{entry.submission.task.label} {entry.submission.period_label}"
        sheet.append(
            [
                neutralise(value)
                for value in (
                    entry.number,
                    entry.organisation.name,
                    entry.plan.title if entry.plan else "",
                    source,
                    entry.unit.name,
                    entry.problem,
                    entry.measures,
                    entry.deadline,
                    state,
                    entry.evidence,
                    timezone.localtime(entry.closed_at).replace(tzinfo=None)
                    if entry.closed_at
                    else None,
                    str(entry.closed_by) if entry.closed_by else "",
                )
            ]
        )
    for index, width in enumerate((12, 20, 24, 16, 16, 40, 40, 12, 18, 40, 18, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row[7].number_format = "yyyy-mm-dd"
        row[10].number_format = "yyyy-mm-dd hh:mm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class RectificationIndexView(FilteredListMixin, SupervisionView):
    template_name = "opengov_supervision/admin/rectifications.html"
    page_title = gettext_lazy("整改工作台账")
    header_icon = "list-ul"

    def filtered(self):
        user = self.request.user
        form = RectificationFilterForm(
            self.request.GET or None,
            units=(permissions.units_for_office(user) | permissions.units(user))
            .distinct()
            .order_by("name"),
        )
        queryset = rectifications_for(user)
        if form.is_valid():
            data = form.cleaned_data
            if data["scope"] == "mine":
                queryset = queryset.filter(unit__in=permissions.unit_ids(user))
            if data["unit"]:
                queryset = queryset.filter(unit=data["unit"])
            if data["state"] == "unfinished":
                queryset = queryset.exclude(state=RectificationState.CLOSED)
            elif data["state"]:
                queryset = queryset.filter(state=data["state"])
            queryset = due_filter(
                queryset,
                data["due"],
                self.today,
                field="deadline",
                waiting=~Q(state=RectificationState.CLOSED),
            )
        elif self.request.GET:
            queryset = queryset.none()
        return form, queryset.order_by("deadline", "pk")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            _form, queryset = self.filtered()
            return xlsx_response(
                ledger_workbook(queryset.iterator(chunk_size=500), self.today),
                f"整改工作台账-{self.today.isoformat()}.xlsx",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, queryset = self.filtered()
        page, query = page_of(self.request, queryset)
        context.update(
            filter_form=form,
            page_obj=page,
            query_string=query,
            today=self.today,
            may_add=permissions.can_add_rectification(self.request.user),
            add_url=self.url("add"),
        )
        return context


class RectificationAddView(SupervisionView):
    template_name = "opengov_supervision/admin/rectification_add.html"
    page_title = gettext_lazy("添加整改事项")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_add_rectification(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = RectificationAddForm(user=request.user)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = RectificationAddForm(request.POST, user=request.user)
        if form.is_valid():
            entry = workflow.add_rectification(
                organisation=form.organisation(request.user),
                unit=form.cleaned_data["unit"],
                problem=form.cleaned_data["problem"],
                measures=form.cleaned_data["measures"],
                deadline=form.cleaned_data["deadline"],
                plan=form.cleaned_data["plan"],
                user=request.user,
            )
            messages.success(request, _("已列入整改台账：%(number)s。") % {"number": entry.number})
            return redirect(self.viewset.get_url_name("detail"), entry.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RectificationDetailView(SupervisionView):
    template_name = "opengov_supervision/admin/rectification.html"
    header_icon = "list-ul"

    @cached_property
    def entry(self):
        return get_object_or_404(rectifications_for(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("整改事项%(number)s") % {"number": self.entry.number}

    def forms(self, data=None, files=None, action=None):
        user, entry = self.request.user, self.entry

        def bound(name):
            return (data, files) if action == name else (None, None)

        found = {}
        if entry.state == RectificationState.OPEN and permissions.can_report(user, entry):
            found["report"] = RectificationReportForm(
                *bound("report"), initial={"measures": entry.measures}, prefix="report"
            )
        if entry.state == RectificationState.REPORTED and permissions.can_close(user, entry):
            found["close"] = CloseForm(bound("close")[0], prefix="close")
            found["return"] = ReturnForm(bound("return")[0], prefix="return")
        return found

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.entry
        context.update(
            obj=entry,
            events=entry.events.select_related("user"),
            files=entry.files.all(),
            links=entry.links.all(),
            forms=forms if forms is not None else self.forms(),
            overdue=entry.is_overdue(self.today),
            index_url=self.url("index"),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        forms = self.forms(request.POST, request.FILES, action)
        form = forms.get(action)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if action == "report":
                    workflow.report_rectification(
                        self.entry,
                        request.user,
                        form.cleaned_data["measures"],
                        form.evidence(form.cleaned_data["text"]),
                    )
                    messages.success(request, _("已报告整改情况，等待办公室销号。"))
                elif action == "close":
                    workflow.close_rectification(
                        self.entry, request.user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, _("已销号。"))
                else:
                    workflow.return_rectification(
                        self.entry, request.user, form.cleaned_data["note"]
                    )
                    messages.success(request, _("已退回责任单位重新整改。"))
            except workflow.SupervisionError as error:
                messages.error(request, str(error))
            return redirect(self.viewset.get_url_name("detail"), self.entry.pk)
        return self.render_to_response(self.get_context_data(forms=forms), status=400)


# The standard catalogue --------------------------------------------------------------------


class FixtureImportView(WagtailAdminTemplateMixin, TemplateView):
    """Load a standard catalogue from its JSON fixture: all or nothing, each error named."""

    template_name = "opengov_supervision/admin/fixture_import.html"
    page_title = gettext_lazy("导入标准目录")
    header_icon = "upload"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("opengov_supervision.add_standardcatalogue"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=FixtureForm()))

    def post(self, request, *args, **kwargs):
        form = FixtureForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                catalogue, created = standards.load_fixture(form.content())
            except standards.FixtureError as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    (
                        _("已导入标准目录“%(title)s”，共%(count)d项。")
                        if created
                        else _("已更新标准目录“%(title)s”，共%(count)d项。")
                    )
                    % {"title": catalogue.title, "count": catalogue.items.count()},
                )
                return redirect(self.index_url_name)
        return self.render_to_response(self.get_context_data(form=form, errors=errors), status=400)


class CheckView(SupervisionView):
    """An organisation against a standard catalogue: each item's status, its newest
    publication, and the self-check sheet to download."""

    template_name = "opengov_supervision/admin/check.html"
    page_title = gettext_lazy("标准目录自查")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def checked(self):
        form = CheckForm(self.request.GET or None, user=self.request.user)
        if not form.is_valid():
            return form, None
        organisation = form.cleaned_data["organisation"]
        catalogue = form.cleaned_data["catalogue"]
        return form, (organisation, catalogue, standards.check(organisation, catalogue, self.today))

    def get(self, request, *args, **kwargs):
        form, found = self.checked()
        if found and request.GET.get("export") == "xlsx":
            organisation, catalogue, results = found
            return xlsx_response(
                standards.self_check_workbook(organisation, catalogue, results, self.today),
                f"{organisation.name}-{catalogue.title}-自查表-{self.today.isoformat()}.xlsx",
            )
        context = self.get_context_data(form=form, found=found)
        return self.render_to_response(context, status=400 if request.GET and not found else 200)

    def get_context_data(self, form=None, found=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            form = CheckForm(user=self.request.user)
        context.update(form=form, today=self.today, catalogues=StandardCatalogue.objects.all())
        if found:
            organisation, catalogue, results = found
            query = self.request.GET.copy()
            query["export"] = "xlsx"
            context.update(
                organisation=organisation,
                catalogue=catalogue,
                results=results,
                summary=standards.summary(results),
                export_query=query.urlencode(),
            )
        return context


# Lists the dashboard panels link to --------------------------------------------------------


class HeldPublicationsView(WagtailAdminTemplateMixin, TemplateView):
    """Publications approved but waiting for their partner under 三同步."""

    template_name = "opengov_supervision/admin/held.html"
    page_title = gettext_lazy("等待三同步的发布")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        from opengov_cms.supervision.dashboard import edits_pages

        if not edits_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from opengov_cms.supervision.dashboard import held_publications

        context = super().get_context_data(**kwargs)
        held = held_publications(self.request.user).select_related("page", "user", "revision")
        page, query = page_of(self.request, held.order_by("held_at", "pk"))
        context.update(page_obj=page, query_string=query)
        return context


class ReportChecksView(WagtailAdminTemplateMixin, TemplateView):
    """Report pages of this and last year whose request table fails the check rule."""

    template_name = "opengov_supervision/admin/report_checks.html"
    page_title = gettext_lazy("不符合勾稽关系的统计表")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        from opengov_cms.supervision.dashboard import edits_pages

        if not edits_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from opengov_cms.supervision.dashboard import failing_reports

        context = super().get_context_data(**kwargs)
        context["reports"] = failing_reports(timezone.localdate())
        return context
