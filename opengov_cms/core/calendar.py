"""The working-day calendar (工作日) every statutory deadline of the package is counted in.

Working days follow the State Council's holiday notice of each year (国务院办公厅关于部分
节假日安排的通知), make-up working days on weekends (调休上班) included. The years the
chinese-calendar package knows come from it; a year the site entered under Snippets →
节假日安排 (HolidayCalendar) replaces the package for that year, and a year known to
neither raises :class:`CalendarYearUnknown`: a deadline is never guessed.

Counting rule: the day something happens does not count. Art. 33 of the Regulations gives
the agency 20 working days "自收到申请之日起", and like the civil-law rule for periods
(民法典第二百零一条: 开始的当日不计入) the period starts on the next day, so the deadline
is the 20th working day after the day of receipt, whatever kind of day that was.
"""

from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext

# Deadlines this far out are a mistake, not a calendar question; refuse rather than loop.
MAX_WORKING_DAYS = 2000


class CalendarYearUnknown(Exception):
    """No holiday schedule is known for ``year``: staff must enter it before dates count."""

    def __init__(self, year):
        self.year = year
        super().__init__(self.message)

    @property
    def message(self):
        return gettext(
            "尚无%(year)s年的节假日安排，无法计算工作日。请在“片段（Snippets）→ 节假日安排”"
            "中录入国务院办公厅公布的%(year)s年放假与调休日期后重试。"
        ) % {"year": self.year}

    def __str__(self):
        return self.message


class WorkingDayCalendar:
    """Answers working-day questions, reading each year's data once per instance.

    Make a new instance for each piece of work (the module functions do): a year entered
    on the site while the process runs is seen by the next one.
    """

    def __init__(self):
        self._site_years = {}

    def _site_year(self, year):
        """The site's schedule for ``year`` as {date: is_working_day}, or None."""
        if year not in self._site_years:
            from opengov_cms.core.models import HolidayCalendarDay

            days = HolidayCalendarDay.objects.filter(calendar__year=year).values_list(
                "date", "is_working_day"
            )
            if days or self._site_has_year(year):
                self._site_years[year] = dict(days)
            else:
                self._site_years[year] = None
        return self._site_years[year]

    @staticmethod
    def _site_has_year(year):
        from opengov_cms.core.models import HolidayCalendar

        return HolidayCalendar.objects.filter(year=year).exists()

    def is_working_day(self, day):
        site = self._site_year(day.year)
        if site is not None:
            return site.get(day, day.weekday() < 5)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarYearUnknown(day.year) from None

    def add_working_days(self, start, n):
        """The ``n``-th working day after ``start`` (``start`` itself never counts)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n > MAX_WORKING_DAYS:
            raise ValueError(f"n must not exceed {MAX_WORKING_DAYS}")
        day = start
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end``; negative if end < start.

        ``add_working_days(start, working_days_between(start, end))`` is the last working
        day on or before ``end``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > MAX_WORKING_DAYS * 2:
            raise ValueError("the dates are too far apart")
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day (raises CalendarYearUnknown for an unknown year)."""
    return WorkingDayCalendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``; the day of ``start`` does not count."""
    return WorkingDayCalendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end``."""
    return WorkingDayCalendar().working_days_between(start, end)
