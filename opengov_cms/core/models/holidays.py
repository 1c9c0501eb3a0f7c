"""Holiday schedules a site enters for the years the calendar package does not know."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel

from opengov_cms.core.holidays import (
    FIRST_ENTERABLE_YEAR,
    YearNotSupported,
    describe_days,
    missing_statutory_days,
    rule_for,
)


def days_belong_to(year, day):
    """A year's notice may also set days of the December before (元旦 from 30 December)."""
    return day.year == year or (day.year == year - 1 and day.month == 12)


def schedule_errors(year, days):
    """What is wrong with a year's schedule; ``days`` are (date, is_working_day) pairs."""
    try:
        rule_for(year)
    except YearNotSupported:
        return [
            _("只能录入%(first)d年及以后的节假日安排（更早的年份由 chinese-calendar 提供）。")
            % {"first": FIRST_ENTERABLE_YEAR}
        ]
    errors = []
    days_off = {day for day, working in days if not working}
    missing = missing_statutory_days(year, days_off)
    if missing:
        errors.append(
            _(
                "缺少以下法定节假日（%(source)s）：%(days)s。请按国务院办公厅的通知把放假的每一天"
                "都录入（包括适逢周末的日子）。"
            )
            % {"source": rule_for(year).source, "days": describe_days(missing)}
        )
    return errors


class HolidayCalendarForm(WagtailAdminModelForm):
    """Refuses a year that lacks any of its statutory holidays, naming the missing days."""

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        formset = self.formsets.get("days") if hasattr(self, "formsets") else None
        if not year or formset is None or not formset.is_valid():
            return cleaned
        days = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("date"):
                continue
            if not days_belong_to(year, data["date"]):
                self.add_error(
                    None,
                    _("%(date)s不在%(year)s年的安排之内。")
                    % {"date": data["date"].isoformat(), "year": year},
                )
                continue
            days.append((data["date"], data.get("is_working_day", False)))
        for error in schedule_errors(year, days):
            self.add_error(None, error)
        return cleaned


class HolidayCalendar(ClusterableModel):
    """A year's holiday schedule entered by the site (国务院办公厅关于部分节假日安排的通知).

    The working-day calendar uses the maintained chinese-calendar package for the years it
    knows; a site enters a year here when the package does not know it yet, or to correct
    it. A year entered here replaces the package's for that year, and must give every
    statutory holiday off (opengov_cms.core.holidays): days not listed follow the weekend
    rule. The year's notice may also set days of the December before.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(
        _("依据"),
        max_length=200,
        blank=True,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"),
    )
    notice_text = models.TextField(
        _("通知原文"),
        blank=True,
        help_text=_("从通知中粘贴而录入的日期，保留其原文备查。"),
    )

    base_form_class = HolidayCalendarForm

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

    def missing_statutory_days(self):
        """The statutory holidays this schedule lacks (all of them for an empty year)."""
        try:
            rule_for(self.year)
        except YearNotSupported:
            return []
        days_off = self.days.filter(is_working_day=False, date__year=self.year).values_list(
            "date", flat=True
        )
        return missing_statutory_days(self.year, days_off)

    @property
    def is_complete(self):
        return not self.missing_statutory_days()

    def missing_description(self):
        return describe_days(self.missing_statutory_days())


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
        if not isinstance(self.date, date):
            return
        if self.calendar_id and not days_belong_to(self.calendar.year, self.date):
            raise ValidationError(
                {"date": _("日期应在%(year)s年内。") % {"year": self.calendar.year}}
            )
        if self.is_working_day and self.date.weekday() < 5:
            raise ValidationError(
                {"is_working_day": _("调休上班日应是周六或周日；工作日本来就上班，无需录入。")}
            )
