"""Holiday schedules a site enters for the years the calendar package does not know."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel


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
