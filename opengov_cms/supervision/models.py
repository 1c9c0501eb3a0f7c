"""The year's disclosure plan as work: the plan and its tasks (责任分解表), what the units
submit for each task and period, the rectification ledger (整改工作台账), who belongs to
which unit, and the standard catalogue (基层政务公开标准目录) an organisation is checked
against.

Units (责任单位: the 科室 and 局属单位 of a bureau) are organisations
(``opengov_core.Organisation``), usually with the plan's organisation as their ``parent``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opengov_cms.supervision.choices import (
    AWAITING,
    RectificationState,
    Schedule,
    SubmissionState,
    TimeLimitKind,
)

CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_numeral(number):
    """1 → 一, 12 → 十二, 20 → 二十: the numbering of a plan's parts."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十"
    if ones:
        text += CHINESE_NUMERALS[ones - 1]
    return text


def number_from_chinese(text):
    """一 → 1, 十二 → 12; None when ``text`` is not such a numeral (or is a plain number)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CHINESE_NUMERALS for c in text):
        return None
    if "十" not in text:
        return CHINESE_NUMERALS.index(text) + 1 if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    value = (CHINESE_NUMERALS.index(tens) + 1 if tens else 1) * 10
    return value + (CHINESE_NUMERALS.index(ones) + 1 if ones else 0)


class DisclosurePlan(models.Model):
    """年度政务公开实施方案: an organisation's plan for a year, broken down into tasks."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("方案名称"), max_length=200)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("方案页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("方案全文或其征求意见所在的页面。"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("年度政务公开方案")
        verbose_name_plural = _("年度政务公开方案")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="opengov_supervision_one_plan_a_year"
            )
        ]
        permissions = [("supervise_all", _("可督查所有机构"))]

    def __str__(self):
        return self.title


class PlanTask(models.Model):
    """责任分解表的一项: a numbered item of the plan, its units, when they report, and the
    catalogue sections where its results are published."""

    plan = models.ForeignKey(
        DisclosurePlan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="tasks"
    )
    section_number = models.PositiveSmallIntegerField(_("部分序号"), help_text=_("一 填 1。"))
    section_title = models.CharField(_("部分"), max_length=200, blank=True)
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("工作任务"))
    lead_unit = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cooperating_units = models.ManyToManyField(
        "opengov_core.Organisation",
        verbose_name=_("配合单位"),
        blank=True,
        related_name="+",
    )
    schedule = models.CharField(
        _("报送要求"), max_length=20, choices=Schedule.choices, default=Schedule.QUARTERLY
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    target_quantity = models.PositiveIntegerField(
        _("目标数量"),
        null=True,
        blank=True,
        help_text=_("方案定下的数量，例如全年不少于2场专题会议、12项基本制度。"),
    )
    quantity_unit = models.CharField(_("计量单位"), max_length=10, blank=True)
    # Catalogue sections (CatalogueIndexPage), held as pages, so that a site missing the
    # catalogue app is told so by the startup check instead of failing to load models.
    evidence_sections = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("佐证栏目"),
        blank=True,
        related_name="+",
        help_text=_("完成情况在这些公开目录栏目中公开。"),
    )

    class Meta:
        verbose_name = _("责任分解事项")
        verbose_name_plural = _("责任分解表")
        ordering = ["plan", "section_number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "section_number", "number"], name="opengov_supervision_task_number"
            )
        ]

    def __str__(self):
        return f"{self.label} {self.short_text}"

    @property
    def section_label(self):
        return chinese_numeral(self.section_number)

    @property
    def label(self):
        """一.2: the part and the number, as the plan writes them."""
        return f"{chinese_numeral(self.section_number)}.{self.number}"

    @property
    def short_text(self):
        text = " ".join(self.text.split())
        return text if len(text) <= 40 else text[:39] + "…"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.schedule == Schedule.DEADLINE and self.deadline is None:
            raise ValidationError({"deadline": _("限期完成的事项须填写完成时限。")})
        if self.quantity_unit and self.target_quantity is None:
            raise ValidationError({"target_quantity": _("填写了计量单位，请同时填写目标数量。")})


class Submission(models.Model):
    """报送: what one responsible unit submits for a task and a period (a quarter, a month,
    the deadline; a task reported on events has one per event). Made waiting (待报送) for
    every period of the year when the task is saved, so what is due and overdue is a query."""

    task = models.ForeignKey(
        PlanTask, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: "2019Q1", "2019-03", "once", or "" for a submission about an event.
    period = models.CharField(_("报送期间"), max_length=10, blank=True)
    due_date = models.DateField(_("报送期限"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=SubmissionState.choices, default=SubmissionState.PENDING
    )
    text = models.TextField(_("完成情况"), blank=True)
    quantity = models.PositiveIntegerField(_("完成数量"), null=True, blank=True)
    event_date = models.DateField(_("事件日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late = models.BooleanField(_("逾期报送"), default=False)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("报送材料")
        verbose_name_plural = _("报送材料")
        ordering = ["due_date", "task__section_number", "task__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "period"],
                condition=~Q(period=""),
                name="opengov_supervision_one_submission_a_period",
            )
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="opengov_sup_state_due"),
            models.Index(fields=["unit", "state", "due_date"], name="opengov_sup_unit_state"),
        ]
        permissions = [
            ("submit_submission", _("可报送材料和整改情况")),
            ("review_submission", _("可审核报送材料")),
        ]

    def __str__(self):
        return f"{self.task.label} {self.unit} {self.period_label}"

    @property
    def period_label(self):
        from opengov_cms.supervision.periods import period_label

        if not self.period and self.event_date:
            return _("事件（%(date)s）") % {"date": self.event_date.isoformat()}
        return period_label(self.period)

    @property
    def awaiting(self):
        return self.state in AWAITING

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.awaiting and self.due_date is not None and self.due_date < today


class Rectification(models.Model):
    """整改台账的一条: a problem found in a unit's work, what the unit does about it by when,
    and the office's closing of it (销号), with its history (RectificationEvent)."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("其政务公开办公室督促整改并销号的机构。"),
    )
    plan = models.ForeignKey(
        DisclosurePlan,
        verbose_name=_("方案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("来源报送"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    unit = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    problem = models.TextField(_("存在问题"))
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改时限"))
    state = models.CharField(
        _("整改状态"),
        max_length=20,
        choices=RectificationState.choices,
        default=RectificationState.OPEN,
    )
    evidence = models.TextField(_("整改情况"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改工作台账")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="opengov_sup_rect_state"),
            models.Index(fields=["unit", "state"], name="opengov_sup_rect_unit"),
        ]
        permissions = [
            ("report_rectification", _("可报告整改情况")),
            ("close_rectification", _("可整改销号")),
        ]

    def __str__(self):
        text = " ".join(self.problem.split())
        return text if len(text) <= 40 else text[:39] + "…"

    @property
    def number(self):
        """整改编号: the year it was entered and its id."""
        return f"ZG{self.created_at.year}-{self.pk:04d}"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.state != RectificationState.CLOSED and self.deadline < today


class Event(models.Model):
    """One step in the history of an entry: what was done, by whom, when."""

    action = models.CharField(max_length=20)
    label = models.CharField(max_length=100)
    note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.label}"


class RectificationEvent(Event):
    """One step in the history of a rectification entry."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(Event.Meta):
        pass


class SubmissionEvent(Event):
    """One step in the history of a submission: made overdue, submitted, reviewed."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


def evidence_path(instance, filename):
    # The uploader's file name is kept in original_name; on disk only a random name and
    # the extension that was checked.
    dot = filename.rfind(".")
    extension = filename[dot:].lower() if dot > 0 else ""
    return f"opengov_supervision/{uuid.uuid4().hex}{extension[:10]}"


class EvidenceFile(models.Model):
    """A file a unit handed in with a submission or a rectification report; served only to
    staff who may see what it belongs to."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False, rectification__isnull=True)
                | Q(submission__isnull=True, rectification__isnull=False),
                name="opengov_supervision_file_belongs_to_one",
            )
        ]

    def __str__(self):
        return self.original_name


class EvidenceLink(models.Model):
    """A published page a unit points to as evidence (its address and title are kept, so the
    link says what it was even when the page is gone)."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=255)
    url = models.CharField(_("地址"), max_length=500)

    class Meta:
        verbose_name = _("已发布页面")
        verbose_name_plural = _("已发布页面")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False, rectification__isnull=True)
                | Q(submission__isnull=True, rectification__isnull=False),
                name="opengov_supervision_link_belongs_to_one",
            )
        ]

    def __str__(self):
        return self.title


class ReminderSent(models.Model):
    """A reminder or an overdue notice went out; the constraints make each one once."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    kind = models.CharField(max_length=20)
    submission = models.ForeignKey(
        Submission, null=True, on_delete=models.CASCADE, related_name="+"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "submission"],
                condition=Q(submission__isnull=False),
                name="opengov_supervision_submission_reminded_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "rectification"],
                condition=Q(rectification__isnull=False),
                name="opengov_supervision_rectification_reminded_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.submission_id or self.rectification_id} {self.sent_on}"


class StandardCatalogue(models.Model):
    """基层政务公开标准目录 of one domain, as published by a State Council department in its
    标准指引, with the document it comes from. Its items are StandardItem rows, loaded from a
    fixture (opengov_cms.supervision.standards)."""

    code = models.SlugField(_("代码"), max_length=80, unique=True)
    domain = models.CharField(_("领域"), max_length=100)
    title = models.CharField(_("名称"), max_length=200)
    source_title = models.CharField(_("出处"), max_length=300, blank=True)
    source_number = models.CharField(_("文号"), max_length=100, blank=True)
    source_issuer = models.CharField(_("发布机关"), max_length=200, blank=True)
    source_date = models.DateField(_("成文日期"), null=True, blank=True)
    source_url = models.URLField(_("原文地址"), max_length=500, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_example = models.BooleanField(
        _("示例"), default=False, help_text=_("示例数据，不是标准目录的全文。")
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("标准目录")
        verbose_name_plural = _("标准目录")
        ordering = ["domain", "code"]

    def __str__(self):
        return self.title


class StandardItem(models.Model):
    """标准目录的一个公开事项: what must be published, on what legal basis, within what time,
    by whom and where."""

    catalogue = models.ForeignKey(
        StandardCatalogue,
        verbose_name=_("标准目录"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    number = models.CharField(_("序号"), max_length=10)
    sort_order = models.PositiveIntegerField(default=0)
    category = models.CharField(_("一级事项"), max_length=100, blank=True)
    name = models.CharField(_("二级事项"), max_length=200)
    content = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"), blank=True)
    time_limit_text = models.CharField(_("公开时限"), max_length=300, blank=True)
    time_limit_kind = models.CharField(
        _("时限单位"), max_length=20, choices=TimeLimitKind.choices, default=TimeLimitKind.NONE
    )
    time_limit_days = models.PositiveSmallIntegerField(_("时限天数"), null=True, blank=True)
    subject = models.CharField(_("公开主体"), max_length=300, blank=True)
    channels = models.TextField(_("公开渠道和载体"), blank=True)
    audience = models.CharField(_("公开对象"), max_length=100, blank=True)
    method = models.CharField(_("公开方式"), max_length=100, blank=True)
    level = models.CharField(_("公开层级"), max_length=100, blank=True)
    default_sections = models.CharField(
        _("默认对应栏目"),
        max_length=300,
        blank=True,
        help_text=_("公开目录栏目的短名称（slug），以空格分隔；机构未另行设置对应栏目时使用。"),
    )

    class Meta:
        verbose_name = _("标准目录事项")
        verbose_name_plural = _("标准目录事项")
        ordering = ["catalogue", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "number"], name="opengov_supervision_item_number"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def default_section_slugs(self):
        return [slug for slug in self.default_sections.replace(",", " ").split() if slug]


class StandardItemSections(models.Model):
    """事项对应栏目: where an organisation publishes an item of a standard catalogue."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    item = models.ForeignKey(
        StandardItem, verbose_name=_("公开事项"), on_delete=models.CASCADE, related_name="+"
    )
    sections = models.ManyToManyField(
        "wagtailcore.Page",  # catalogue sections, as evidence_sections above
        verbose_name=_("公开目录栏目"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("事项对应栏目")
        verbose_name_plural = _("事项对应栏目")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "item"], name="opengov_supervision_item_sections"
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.item}"
