"""The suite's clock. Every test runs at a fixed instant, never at the machine's date.

The autouse fixture ``clock`` (tests/conftest.py) starts each test at :data:`TEST_NOW`,
with time passing from there (time-machine, ``tick=True``), so the suite gives the same
results on any day of any year. A test that needs another day says so::

    @pytest.mark.now("2026-12-18 09:30")
    def test_...(clock):
        ...
        clock.move_to("2027-01-20 09:00")

A process a test starts whose work depends on the date (a Celery worker making the
reports due "today") is given the test's instant in OPENGOV_TEST_NOW (:func:`environment`)
and starts its clock there (:func:`start_from_environment`). Other processes the tests
start (the sandbox served to Chromium, a new site) read their own clock, since a browser
judges cookies by its own; none of their assertions depends on the date, and CI runs the
suite under libfaketime at other dates to keep it so (ci/test-all).
"""

import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: A Wednesday morning in a year the chinese-calendar package knows, in no holiday week.
TEST_NOW = datetime(2026, 3, 18, 10, 0, tzinfo=SHANGHAI)


def at(value):
    """An aware datetime from "YYYY-MM-DD[ HH:MM]", a date or a datetime (Shanghai time)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 10, 0, tzinfo=SHANGHAI)
    text = value.strip()
    parsed = datetime.fromisoformat(text if " " in text or "T" in text else f"{text} 10:00")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def package_knows(year):
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def first_unknown_year():
    """The first year the installed chinese-calendar package has no schedule for: the
    year every site has to enter itself, whichever release of the package is installed."""
    year = 2024
    while package_knows(year):
        year += 1
    return year


def last_friday_before_christmas(year):
    """A Friday in the second half of December: 20 working days later is next year."""
    day = date(year, 12, 24)
    while day.weekday() != 4:
        day -= timedelta(days=1)
    return day


class Clock:
    """What the ``clock`` fixture gives a test: where it is, and a way to move."""

    def __init__(self, traveller):
        self.traveller = traveller

    def move_to(self, value):
        self.traveller.move_to(at(value), tick=True)

    def today(self):
        from django.utils import timezone

        return timezone.localdate()


#: The first year the installed chinese-calendar does not know, and a December Friday of the
#: year before it, from which 20 working days reach into it.
UNKNOWN_YEAR = first_unknown_year()
DECEMBER_FRIDAY = last_friday_before_christmas(UNKNOWN_YEAR - 1)


ENVIRONMENT_KEY = "OPENGOV_TEST_NOW"


def environment(env=None):
    """``env`` (os.environ when None) with the test's current instant, for a process it
    starts: that process's clock starts there and runs on."""
    from django.utils import timezone

    return {**(os.environ if env is None else env), ENVIRONMENT_KEY: timezone.now().isoformat()}


def start_from_environment():
    """In a process started by a test: run from the test's instant, if it gave one."""
    value = os.environ.get(ENVIRONMENT_KEY)
    if value:
        import time_machine

        time_machine.travel(datetime.fromisoformat(value), tick=True).start()
