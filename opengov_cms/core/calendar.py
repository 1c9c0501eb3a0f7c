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

import threading
import time
from datetime import date, timedelta

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext

from opengov_cms.core.versions import current_version, new_version

# Deadlines this far out are a mistake, not a calendar question; refuse rather than loop.
MAX_WORKING_DAYS = 2000

# Each year's days are read once per process and shared by every calendar, not once per
# piece of work: the site's schedule otherwise costs two queries each time, and the package
# checks every date against its whole holiday table. A change to a HolidayCalendar (or its
# days) clears this process's copy at once and, after it commits, changes a version kept
# in Django's default cache, which every process compares before trusting its copy; as for
# the rate limits, several web processes need a shared cache for that. A copy is read
# again after MAX_AGE seconds whatever the version says, which bounds how long a change
# made outside the ORM (or with a per-process cache) can go unseen.
VERSION_KEY = "opengov_core:holiday-calendar-version"
MAX_AGE = 60

_lock = threading.Lock()
_shared = {"version": None, "loaded_at": 0.0, "years": {}}
# True from a change to the holiday data until its transaction ends: until then this
# process may see rows others cannot (and that may yet be rolled back), so it keeps none.
_unsettled = False


def _forget(unsettled=False):
    global _unsettled
    with _lock:
        _shared.update(version=None, loaded_at=0.0, years={})
        _unsettled = unsettled


def clear_cache():
    """Forget every year read so far in this process (other processes keep theirs)."""
    _forget()


def holiday_data_changed(**kwargs):
    """Signal receiver for HolidayCalendar and HolidayCalendarDay saves and deletes."""
    _forget(unsettled=True)
    transaction.on_commit(_changes_committed)


def _changes_committed():
    new_version(VERSION_KEY)
    _forget()


def _current_years():
    """The table of years this process may use now: shared, or private while unsettled."""
    if _unsettled:
        if transaction.get_connection().in_atomic_block:
            return {}
        # The transaction that changed the data ended without committing it.
        clear_cache()
    version = current_version(VERSION_KEY)
    now = time.monotonic()
    with _lock:
        if _shared["version"] != version or now - _shared["loaded_at"] > MAX_AGE:
            _shared.update(version=version, loaded_at=now, years={})
        return _shared["years"]


def _read_year(year):
    """``year``'s working days as {date: is_working_day} for the days that break the
    weekend rule, or None when neither the site nor the package knows the year."""
    from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay

    days = dict(
        HolidayCalendarDay.objects.filter(calendar__year=year).values_list("date", "is_working_day")
    )
    if days or HolidayCalendar.objects.filter(year=year).exists():
        return {day: working for day, working in days.items() if working != (day.weekday() < 5)}
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    exceptions = {}
    day = date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if working != (day.weekday() < 5):
            exceptions[day] = working
        day += timedelta(days=1)
    return exceptions


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
    """Answers working-day questions; one instance sees one version of the holiday data.

    Make a new instance for each piece of work (the module functions do): a year entered
    on the site while the process runs is seen by the next one.
    """

    def __init__(self):
        self._years = None

    def _year(self, year):
        if self._years is None:
            self._years = _current_years()
        try:
            return self._years[year]
        except KeyError:
            days = self._years[year] = _read_year(year)
            return days

    def is_working_day(self, day):
        days = self._year(day.year)
        if days is None:
            raise CalendarYearUnknown(day.year)
        return days.get(day, day.weekday() < 5)

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
