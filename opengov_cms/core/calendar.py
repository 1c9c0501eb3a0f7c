"""The working-day calendar (工作日) every statutory deadline of the package is counted in.

Working days follow the State Council's holiday notice of each year (国务院办公厅关于部分
节假日安排的通知), make-up working days on weekends (调休上班) included. The years the
chinese-calendar package knows come from it; a year the site entered under 政务公开 →
节假日安排 (HolidayCalendar) replaces the package for that year, and a year known to
neither raises :class:`CalendarYearUnknown`: a deadline is never guessed. Nor is a year
the site entered without all its statutory holidays (opengov_cms.core.holidays) used: it
raises the same error, naming the days it lacks.

Counting rule: the day something happens does not count. Art. 33 of the Regulations gives
the agency 20 working days "自收到申请之日起", and like the civil-law rule for periods
(民法典第二百零一条: 开始的当日不计入) the period starts on the next day, so the deadline
is the 20th working day after the day of receipt, whatever kind of day that was.
"""

import threading
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext

from opengov_cms.conf import opengov_settings
from opengov_cms.core import aging
from opengov_cms.core.holidays import YearNotSupported, describe_days, missing_statutory_days
from opengov_cms.core.versions import current_version, new_version, on_commit_once

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


#: Sent once after a transaction that changed the holiday data commits (whatever number of
#: rows it changed), so that work waiting for a year's schedule can go on.
schedule_changed = Signal()


def holiday_data_changed(**kwargs):
    """Signal receiver for HolidayCalendar and HolidayCalendarDay saves and deletes."""
    _forget(unsettled=True)
    on_commit_once(_changes_committed)  # one notice per transaction, not one per row


def _changes_committed():
    new_version(VERSION_KEY)
    _forget()
    schedule_changed.send(sender=WorkingDayCalendar)


def _current_years():
    """The table of years this process may use now: shared, or private while unsettled."""
    if _unsettled:
        if transaction.get_connection().in_atomic_block:
            return {}
        # The transaction that changed the data ended without committing it.
        clear_cache()
    version = current_version(VERSION_KEY)
    now = aging.now()
    with _lock:
        if _shared["version"] != version or now - _shared["loaded_at"] > MAX_AGE:
            _shared.update(version=version, loaded_at=now, years={})
        return _shared["years"]


def _read_year(year):
    """``year``'s working days as {date: is_working_day} for the days that break the
    weekend rule; None when neither the site nor the package knows the year, or an
    :class:`IncompleteYear` when the site's schedule for it lacks statutory holidays.

    A year the site entered replaces the package's for that year. Days of late December
    entered with the next year's notice (元旦 holidays that start on 30 or 31 December,
    and the Saturday worked before them) are laid over either.
    """
    from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay

    entered = HolidayCalendar.objects.filter(year=year).exists()
    own, spilled = {}, {}
    rows = HolidayCalendarDay.objects.filter(
        calendar__year__in=(year, year + 1), date__year=year
    ).values_list("calendar__year", "date", "is_working_day")
    for calendar_year, day, working in rows:
        (own if calendar_year == year else spilled)[day] = working
    if entered:
        try:
            missing = missing_statutory_days(year, [d for d, w in own.items() if not w])
        except YearNotSupported:
            missing = []
        if missing:
            return IncompleteYear(missing)
        days = own
    else:
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            return None
        days = {}
        day = date(year, 1, 1)
        while day.year == year:
            days[day] = chinese_calendar.is_workday(day)
            day += timedelta(days=1)
    days.update(spilled)
    return {day: working for day, working in days.items() if working != (day.weekday() < 5)}


class IncompleteYear:
    """A year the site entered without every statutory holiday: not usable for counting."""

    def __init__(self, missing):
        self.missing = missing


class CalendarYearUnknown(Exception):
    """No usable holiday schedule for ``year``: staff must enter it before dates count.

    ``missing`` lists the statutory holidays a schedule entered on the site lacks (empty
    when the year is not entered at all).
    """

    def __init__(self, year, missing=()):
        self.year = year
        self.missing = list(missing)
        super().__init__(self.message)

    @property
    def message(self):
        if self.missing:
            return gettext(
                "%(year)s年的节假日安排不完整，缺少法定节假日：%(days)s。在补全之前无法计算工作日。"
                "请在“政务公开 → 节假日安排”中按国务院办公厅的通知补全后重试。"
            ) % {"year": self.year, "days": describe_days(self.missing)}
        return gettext(
            "尚无%(year)s年的节假日安排，无法计算工作日。请在“政务公开 → 节假日安排”"
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
        if isinstance(days, IncompleteYear):
            raise CalendarYearUnknown(day.year, days.missing)
        return days.get(day, day.weekday() < 5)

    def knows_year(self, year):
        """Whether dates of ``year`` can be counted (its schedule is known and complete)."""
        days = self._year(year)
        return days is not None and not isinstance(days, IncompleteYear)

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


@dataclass(frozen=True)
class MissingYear:
    """A year whose schedule the site must enter (or complete) before dates in it count."""

    year: int
    missing: tuple  # the statutory holidays a schedule entered lacks; empty: not entered

    @property
    def message(self):
        return CalendarYearUnknown(self.year, self.missing).message


def missing_years(today=None):
    """The years staff must see to now: this year when it cannot be counted, and from
    CALENDAR_NEXT_YEAR_FROM (1 November) next year too, before any deadline reaches it."""
    today = today or timezone.localdate()
    month, day = opengov_settings.CALENDAR_NEXT_YEAR_FROM
    years = [today.year]
    if (today.month, today.day) >= (month, day):
        years.append(today.year + 1)
    calendar = WorkingDayCalendar()
    found = []
    for year in years:
        days = calendar._year(year)
        if days is None:
            found.append(MissingYear(year, ()))
        elif isinstance(days, IncompleteYear):
            found.append(MissingYear(year, tuple(days.missing)))
    return found
