from datetime import date

import pytest

from opengov_cms.core.calendar import (
    CalendarYearUnknown,
    add_working_days,
    is_working_day,
    working_days_between,
)
from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay

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


def test_a_deadline_into_a_year_without_data_is_an_error():
    with pytest.raises(CalendarYearUnknown) as excinfo:
        add_working_days(date(2026, 12, 20), 20)
    assert excinfo.value.year == 2027
    assert "2027年" in str(excinfo.value)
    assert "节假日安排" in str(excinfo.value)
    with pytest.raises(CalendarYearUnknown):
        is_working_day(date(2027, 3, 1))


def test_a_year_entered_on_the_site_makes_the_deadline_computable():
    calendar = HolidayCalendar.objects.create(year=2027, notice="2027年节假日安排")
    HolidayCalendarDay.objects.create(calendar=calendar, date=date(2027, 1, 1), name="元旦")
    # Dec 21 2026 (Mon) + 20: 9 working days left in 2026, Jan 1 2027 is a holiday.
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 18), 20) == date(2027, 1, 18)
    assert is_working_day(date(2027, 1, 1)) is False
    assert is_working_day(date(2027, 1, 2)) is False  # Saturday, not listed


def test_a_site_year_replaces_the_package_for_that_year():
    calendar = HolidayCalendar.objects.create(year=2024)
    HolidayCalendarDay.objects.create(
        calendar=calendar, date=date(2024, 2, 3), is_working_day=True, name="调休"
    )
    assert is_working_day(date(2024, 2, 12)) is True  # no longer a holiday
    assert is_working_day(date(2024, 2, 4)) is False  # not listed: an ordinary Sunday
    assert is_working_day(date(2024, 2, 3)) is True
    # Other years still come from the package.
    assert is_working_day(date(2023, 10, 2)) is False


def test_refuses_absurd_counts():
    with pytest.raises(ValueError):
        add_working_days(date(2024, 1, 1), -1)
