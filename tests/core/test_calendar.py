from datetime import date, timedelta

import pytest

from opengov_cms.core.calendar import (
    CalendarYearUnknown,
    add_working_days,
    is_working_day,
    working_days_between,
)
from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay
from tests.clock import first_unknown_year, last_friday_before_christmas
from tests.factories import enter_holiday_schedule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 2, 4), True),  # Sunday, make-up working day before Spring Festival
        (date(2024, 2, 9), True),  # 除夕 2024 was not in the holiday
        (date(2024, 2, 10), False),  # Spring Festival, Saturday
        (date(2024, 2, 12), False),  # Spring Festival, Monday
        (date(2024, 2, 17), False),
        (date(2024, 2, 18), True),  # Sunday, make-up working day after it
        (date(2024, 9, 29), True),  # Sunday, make-up working day before National Day
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),  # Monday, still National Day holiday
        (date(2024, 10, 12), True),  # Saturday, make-up working day
        (date(2024, 10, 13), False),  # an ordinary Sunday
    ],
)
def test_working_days_around_spring_festival_and_national_day(day, working):
    assert is_working_day(day) is working


def test_the_day_of_receipt_does_not_count():
    # Received on Friday 2 February 2024: the next working day is the make-up Sunday.
    assert add_working_days(date(2024, 2, 2), 1) == date(2024, 2, 4)
    assert add_working_days(date(2024, 2, 2), 0) == date(2024, 2, 2)


def test_a_deadline_jumps_the_spring_festival():
    assert add_working_days(date(2024, 2, 9), 1) == date(2024, 2, 18)
    assert add_working_days(date(2024, 2, 9), 2) == date(2024, 2, 19)
    assert working_days_between(date(2024, 2, 9), date(2024, 2, 18)) == 1
    assert working_days_between(date(2024, 2, 18), date(2024, 2, 9)) == -1


def test_twenty_working_days_across_national_day():
    # Sep 29 (Sun) and Sep 30 count, Oct 1-7 do not, Sat Oct 12 counts.
    assert add_working_days(date(2024, 9, 27), 20) == date(2024, 10, 30)
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 30)) == 20


# The first year the installed chinese-calendar does not know: what a site enters itself.
UNKNOWN = first_unknown_year()
LAST_FRIDAY = last_friday_before_christmas(UNKNOWN - 1)


def test_a_deadline_into_a_year_without_data_is_an_error():
    with pytest.raises(CalendarYearUnknown) as excinfo:
        add_working_days(LAST_FRIDAY, 20)
    assert excinfo.value.year == UNKNOWN
    assert f"{UNKNOWN}年" in str(excinfo.value)
    assert "节假日安排" in str(excinfo.value)
    with pytest.raises(CalendarYearUnknown):
        is_working_day(date(UNKNOWN, 3, 1))


def test_a_year_entered_on_the_site_makes_the_deadline_computable():
    enter_holiday_schedule(UNKNOWN, working_days=[first_saturday(UNKNOWN)])
    new_year = date(UNKNOWN, 1, 1)
    expected, day, counted = None, LAST_FRIDAY, 0
    while counted < 20:  # counted by hand: weekdays, not 元旦, and the Saturday worked
        day += timedelta(days=1)
        if (day.weekday() < 5 and day != new_year) or day == first_saturday(UNKNOWN):
            counted += 1
    expected = day
    assert add_working_days(LAST_FRIDAY, 20) == expected
    assert is_working_day(new_year) is False
    assert is_working_day(first_saturday(UNKNOWN)) is True
    assert is_working_day(first_saturday(UNKNOWN) + timedelta(days=1)) is False  # Sunday


def test_an_empty_or_incomplete_year_is_not_taken_as_complete():
    """A year saved with no days would make 元旦 a working day: a guess, so refused."""
    schedule = HolidayCalendar.objects.create(year=UNKNOWN)
    with pytest.raises(CalendarYearUnknown) as excinfo:
        add_working_days(LAST_FRIDAY, 20)
    assert excinfo.value.year == UNKNOWN
    assert "1月1日（元旦）" in str(excinfo.value)
    assert "国庆节" in str(excinfo.value)
    HolidayCalendarDay.objects.create(calendar=schedule, date=date(UNKNOWN, 1, 1), name="元旦")
    with pytest.raises(CalendarYearUnknown) as excinfo:
        is_working_day(date(UNKNOWN, 1, 4))
    assert "1月1日（元旦）" not in str(excinfo.value)
    assert "10月1日（国庆节）" in str(excinfo.value)


def test_a_site_year_replaces_the_package_for_that_year():
    # 2024 as entered by a site that worked on the Sunday before 春节 but not the one
    # after: everything not listed follows the weekend rule.
    enter_holiday_schedule(2024, working_days=[date(2024, 2, 4)])
    assert is_working_day(date(2024, 2, 4)) is True
    assert is_working_day(date(2024, 2, 18)) is False  # the package says worked
    assert is_working_day(date(2024, 2, 13)) is True  # the package says off, not statutory
    assert is_working_day(date(2024, 2, 12)) is False  # 春节 (初三)
    # Other years still come from the package.
    assert is_working_day(date(2023, 10, 2)) is False


def test_late_december_days_of_next_years_notice_apply_to_a_known_year():
    # The 2019 notice gave 30 and 31 December 2018 off and had 29 December worked.
    schedule = enter_holiday_schedule(2099)
    HolidayCalendarDay.objects.create(calendar=schedule, date=date(2098, 12, 31), name="元旦")
    enter_holiday_schedule(2098)
    assert is_working_day(date(2098, 12, 31)) is False  # a Wednesday, off by 2099's notice


def test_refuses_absurd_counts():
    with pytest.raises(ValueError):
        add_working_days(date(2024, 1, 1), -1)


def first_saturday(year):
    day = date(year, 1, 2)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day
