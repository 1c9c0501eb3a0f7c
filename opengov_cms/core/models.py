"""Organisations (机构) that publish and answer requests, and the site's holiday schedules."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.search import index

from opengov_cms.core.validators import validate_credit_code, validate_org_code


class Organisation(index.Indexed, models.Model):
    """机构: an agency, or a department or 科室 under one (``parent``)."""

    name = models.CharField(_("机构名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，含校验码。与组织机构代码至少填写一项；索引号使用此代码。"),
    )
    organisation_code = models.CharField(
        _("组织机构代码"),
        max_length=10,
        blank=True,
        validators=[validate_org_code],
        help_text=_("尚无统一社会信用代码的机构填写，例如 12345678-9。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("credit_code"),
        FieldPanel("organisation_code"),
        FieldPanel("parent"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The code index numbers start with: the credit code, else the organisation code."""
        return self.credit_code or self.organisation_code.replace("-", "")

    def clean(self):
        super().clean()
        self.credit_code = self.credit_code.strip().upper()
        self.organisation_code = self.organisation_code.strip().upper()
        if not self.credit_code and not self.organisation_code:
            raise ValidationError(
                {"credit_code": _("请填写统一社会信用代码或组织机构代码，至少一项。")}
            )
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
            ancestor = ancestor.parent


class HolidayCalendar(ClusterableModel):
    """A year's holiday schedule entered by the site (国务院办公厅关于部分节假日安排的通知).

    The working-day calendar uses the maintained chinese-calendar package for the years it
    knows; a site enters a year here when the package does not know it yet, or to correct
    it. A year entered here is taken as complete: days not listed follow the weekend rule.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(
        _("依据"),
        max_length=200,
        blank=True,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知"),
    )

    panels = [
        FieldPanel("year"),
        FieldPanel("notice"),
        InlinePanel("days", heading=_("放假与调休日期"), label=_("日期")),
    ]

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s年节假日安排") % {"year": self.year}


class HolidayCalendarDay(models.Model):
    """One day of a year's schedule: a holiday, or a weekend day worked instead (调休上班)."""

    calendar = ParentalKey(HolidayCalendar, related_name="days", on_delete=models.CASCADE)
    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(
        _("调休上班"), default=False, help_text=_("勾选表示该日为调休上班日，否则为放假日。")
    )
    name = models.CharField(_("节日名称"), max_length=50, blank=True)

    panels = [FieldPanel("date"), FieldPanel("is_working_day"), FieldPanel("name")]

    class Meta:
        verbose_name = _("日期")
        verbose_name_plural = _("日期")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="opengov_core_calendar_day")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.calendar_id and self.date and self.date.year != self.calendar.year:
            raise ValidationError(
                {"date": _("日期应在%(year)s年内。") % {"year": self.calendar.year}}
            )
