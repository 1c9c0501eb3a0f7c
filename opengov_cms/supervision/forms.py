"""Forms of supervision: plans and tasks in the admin, what units hand in, the office's
review, the ledger's steps, and the filters of the lists. Errors say what to fix."""

from urllib.parse import unquote, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page, Site

from opengov_cms.core.uploads import validate_document_upload
from opengov_cms.core.visibility import may_leave
from opengov_cms.supervision import permissions
from opengov_cms.supervision.choices import RectificationState, Schedule, SubmissionState

MAX_FILES = 10
MAX_LINKS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked as the document library checks uploads
    (type, size, content: opengov_cms.core.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("一次最多上传%(max)d个文件。") % {"max": MAX_FILES})
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                validate_document_upload(upload)
            except ValidationError as error:
                raise ValidationError(
                    _("文件“%(name)s”：%(error)s")
                    % {"name": upload.name, "error": " ".join(error.messages)}
                ) from None
            cleaned.append(upload)
        return cleaned


class SaysWhatIsMissing:
    """A required field left empty says which one, in words staff act on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField)
            message = gettext("请选择%(label)s。") if choose else gettext("请填写%(label)s。")
            field.error_messages["required"] = message % {"label": field.label}


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def resolve_pages(text):
    """[(page, title, url)] for the addresses in ``text``, one a line; raises ValidationError
    naming each line that is not a page of this site that may leave it."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if len(lines) > MAX_LINKS:
        raise ValidationError(_("最多填写%(max)d个地址。") % {"max": MAX_LINKS})
    if not lines:
        return []
    sites = list(Site.objects.select_related("root_page"))
    found, errors = [], []
    for number, line in lines:
        parts = urlsplit(line if "//" in line or line.startswith("/") else "/" + line)
        path = unquote(parts.path or "/")
        path = path if path.endswith("/") else path + "/"
        candidates = [s for s in sites if parts.hostname in (None, "", s.hostname)] or [
            s for s in sites if s.is_default_site
        ]
        page = None
        for site in candidates:
            page = (
                Page.objects.filter(url_path=site.root_page.url_path + path.lstrip("/"))
                .specific()
                .first()
            )
            if page is not None:
                break
        if page is None:
            errors.append(
                _("第%(line)d行：本站没有地址为“%(url)s”的页面。")
                % {"line": number, "url": line[:200]}
            )
        elif not may_leave(page):
            errors.append(
                _(
                    "第%(line)d行：页面“%(title)s”尚未公开（未发布、不是主动公开、已过期或有访问限制）。"
                )
                % {"line": number, "title": page.title}
            )
        else:
            found.append((page, page.title, page.get_url() or line))
    if errors:
        raise ValidationError(errors)
    return found


class EvidenceForm(SaysWhatIsMissing, forms.Form):
    """Text, published pages and files: what a unit hands in."""

    pages = forms.MultipleChoiceField(
        label=_("佐证栏目中已公开的信息"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选与本期工作有关的信息。"),
    )
    urls = forms.CharField(
        label=_("其他已发布页面的地址"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，例如 /xxgk/finance/budgets/ 下某条信息的地址。"),
    )
    files = MultipleFileField(
        label=_("附件"),
        help_text=_("会议纪要、制度文本、截图等，可多选。"),
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = {str(entry.pk): entry for entry in entries}
        self.fields["pages"].choices = [
            (pk, f"{entry.title}（{entry.publication_date:%Y-%m-%d}）")
            for pk, entry in self.entries.items()
        ]
        if not self.entries:
            del self.fields["pages"]

    def clean_urls(self):
        return resolve_pages(self.cleaned_data["urls"])

    def evidence(self, text):
        from opengov_cms.supervision.workflow import Evidence

        pages = []
        chosen = self.cleaned_data.get("pages") or []
        if chosen:
            by_id = Page.objects.in_bulk([int(pk) for pk in chosen])
            for pk in chosen:
                entry = self.entries[pk]
                pages.append((by_id.get(int(pk)), entry.title, entry.url))
        pages += self.cleaned_data.get("urls") or []
        return Evidence(text=text, files=tuple(self.cleaned_data["files"]), pages=tuple(pages))


class SubmitForm(EvidenceForm):
    text = forms.CharField(
        label=_("完成情况"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明本期做了什么、公开了什么。"),
    )
    quantity = forms.IntegerField(label=_("完成数量"), min_value=0, required=False)
    event_date = forms.DateField(label=_("事件日期"), widget=date_input(), required=False)

    field_order = ["text", "quantity", "event_date", "pages", "urls", "files"]

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        if task.target_quantity is None:
            del self.fields["quantity"]
        else:
            self.fields["quantity"].label = gettext("完成数量（%(unit)s）") % {
                "unit": task.quantity_unit or gettext("项")
            }
            self.fields["quantity"].help_text = gettext("全年目标：%(target)s%(unit)s。") % {
                "target": task.target_quantity,
                "unit": task.quantity_unit,
            }
        if task.schedule != Schedule.ON_EVENT:
            del self.fields["event_date"]
        else:
            self.fields["event_date"].required = True

    def clean_event_date(self):
        value = self.cleaned_data.get("event_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("事件日期不能晚于今天。"))
        return value


class EventSubmitForm(SubmitForm):
    """A report about an event, for a unit that must say which of its units reports."""

    unit = forms.ModelChoiceField(label=_("报送单位"), queryset=None)

    field_order = ["unit", *SubmitForm.field_order]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk


class ReviewForm(SaysWhatIsMissing, forms.Form):
    ACCEPT, PROBLEMS = "accept", "problems"
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[(ACCEPT, _("审核通过")), (PROBLEMS, _("发现问题，列入整改台账"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("存在问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个问题，每个问题列为整改台账的一条。"),
    )
    deadline = forms.DateField(label=_("整改时限"), required=False, widget=date_input())

    def clean(self):
        data = super().clean()
        if data.get("decision") != self.PROBLEMS:
            return data
        lines = [line.strip() for line in (data.get("problems") or "").splitlines()]
        data["problem_lines"] = [line for line in lines if line]
        if not data["problem_lines"]:
            self.add_error("problems", _("发现问题时请写明问题，每行一个。"))
        if data.get("deadline") is None:
            self.add_error("deadline", _("请填写整改时限。"))
        elif data["deadline"] < timezone.localdate():
            self.add_error("deadline", _("整改时限不能早于今天。"))
        return data

    def problems_found(self):
        from opengov_cms.supervision.workflow import Problem

        return [
            Problem(text=line, deadline=self.cleaned_data["deadline"])
            for line in self.cleaned_data.get("problem_lines", [])
        ]


class RectificationReportForm(EvidenceForm):
    measures = forms.CharField(
        label=_("整改措施"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    text = forms.CharField(
        label=_("整改情况"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("整改完成了什么，证明材料在哪里。"),
    )

    field_order = ["measures", "text", "pages", "urls", "files"]


class CloseForm(SaysWhatIsMissing, forms.Form):
    note = forms.CharField(
        label=_("销号意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(SaysWhatIsMissing, forms.Form):
    note = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RectificationAddForm(SaysWhatIsMissing, forms.Form):
    """The office enters a problem it found itself (an inspection, a complaint)."""

    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    plan = forms.ModelChoiceField(label=_("方案"), queryset=None, required=False)
    problem = forms.CharField(
        label=_("存在问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label=_("整改措施"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(label=_("整改时限"), widget=date_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = permissions.units_for_office(user).order_by("name")
        self.fields["plan"].queryset = permissions.visible_plans(user).filter(
            organisation__in=permissions.office_organisations(user)
        )

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise ValidationError(_("整改时限不能早于今天。"))
        return value

    def organisation(self, user):
        """The organisation whose office follows the entry: the plan's, else the unit's
        (or the one above it that the user is the office of)."""
        if self.cleaned_data.get("plan"):
            return self.cleaned_data["plan"].organisation
        unit = self.cleaned_data["unit"]
        if unit.parent_id and permissions.is_office_of(user, unit.parent_id):
            return unit.parent
        return unit


DUE_CHOICES = [
    ("", _("全部")),
    ("soon", _("即将到期")),
    ("overdue", _("已逾期")),
]
SCOPE_CHOICES = [("", _("我能看到的全部")), ("mine", _("本单位的"))]


class SubmissionFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("范围"), choices=SCOPE_CHOICES, required=False)
    plan = forms.ModelChoiceField(label=_("方案"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("报送单位"), queryset=None, required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), ("waiting", _("待报送（含逾期）"))] + SubmissionState.choices,
        required=False,
    )
    due = forms.ChoiceField(label=_("报送期限"), choices=DUE_CHOICES, required=False)

    def __init__(self, *args, plans, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["unit"].queryset = units


class RectificationFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("范围"), choices=SCOPE_CHOICES, required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    state = forms.ChoiceField(
        label=_("整改状态"),
        choices=[("", _("全部")), ("unfinished", _("未销号"))] + RectificationState.choices,
        required=False,
    )
    due = forms.ChoiceField(label=_("整改时限"), choices=DUE_CHOICES, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ImportForm(SaysWhatIsMissing, forms.Form):
    file = forms.FileField(
        label=_("责任分解表（XLSX）"),
        help_text=_(
            "第一行为列名：部分、序号、工作任务、牵头单位（必填），配合单位、报送要求、完成时限、目标数量、计量单位、佐证栏目。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 .xlsx 文件。"))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("文件不能超过 5 MB。"))
        return upload


class FixtureForm(SaysWhatIsMissing, forms.Form):
    file = forms.FileField(label=_("标准目录文件（JSON）"), required=False)
    shipped = forms.ChoiceField(label=_("或载入本包附带的文件"), required=False)

    def __init__(self, *args, **kwargs):
        from opengov_cms.supervision.standards import shipped_fixtures

        super().__init__(*args, **kwargs)
        self.fields["shipped"].choices = [("", "—")] + [
            (path.name, path.name) for path in shipped_fixtures()
        ]

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("shipped"):
            raise ValidationError(_("请上传文件，或选择本包附带的文件。"))
        return data

    def content(self):
        from opengov_cms.supervision.standards import DATA_DIR, MAX_BYTES

        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(MAX_BYTES + 1)
        return (DATA_DIR / self.cleaned_data["shipped"]).read_bytes()


class CheckForm(SaysWhatIsMissing, forms.Form):
    organisation = forms.ModelChoiceField(label=_("机构"), queryset=None)
    catalogue = forms.ModelChoiceField(label=_("标准目录"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        from opengov_cms.supervision.models import StandardCatalogue

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = permissions.office_organisations(user).order_by(
            "name"
        )
        self.fields["catalogue"].queryset = StandardCatalogue.objects.all()


# Admin model forms -----------------------------------------------------------------------


def sections_of(user):
    """The catalogue sections of the organisations ``user`` is the office of."""
    from opengov_cms.catalogue.models import CatalogueIndexPage

    sections = CatalogueIndexPage.objects.order_by("path")
    if permissions.office_organisation_ids(user) is None:
        return sections
    roots = CatalogueIndexPage.objects.filter(
        organisation__in=permissions.office_organisations(user)
    ).values_list("path", flat=True)
    under = Q(pk__in=[])
    for path in roots:
        under |= Q(path__startswith=path)
    return sections.filter(under)


class PlanForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "organisation" in self.fields:
            self.fields["organisation"].queryset = permissions.office_organisations(
                self.for_user
            ).order_by("name")


class TaskForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        units = permissions.units_for_office(user).order_by("name")
        for name in ("lead_unit", "cooperating_units"):
            if name in self.fields:
                self.fields[name].queryset = units
        if "plan" in self.fields:
            self.fields["plan"].queryset = permissions.visible_plans(user).filter(
                organisation__in=permissions.office_organisations(user)
            )
        if "evidence_sections" in self.fields:
            self.fields["evidence_sections"].queryset = sections_of(user)


class MappingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "organisation" in self.fields:
            self.fields["organisation"].queryset = permissions.office_organisations(
                self.for_user
            ).order_by("name")
        if "sections" in self.fields and self.for_user is not None:
            self.fields["sections"].queryset = sections_of(self.for_user)

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        sections = data.get("sections")
        if organisation is not None and sections:
            from opengov_cms.catalogue.models import CatalogueIndexPage

            roots = [r.path for r in CatalogueIndexPage.objects.filter(organisation=organisation)]
            foreign = [s for s in sections if not any(s.path.startswith(r) for r in roots)]
            if foreign:
                self.add_error(
                    "sections",
                    gettext("栏目“%(titles)s”不在%(organisation)s的公开目录中。")
                    % {"titles": "、".join(s.title for s in foreign), "organisation": organisation},
                )
        return data
