"""The yearly holiday schedule as staff keep it: statutory holidays, the notice parser, the
admin screens that refuse an incomplete year, and the warnings before a year is missing."""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from opengov_cms.core import calendar
from opengov_cms.core.holiday_notices import parse_notice
from opengov_cms.core.holidays import missing_statutory_days, statutory_holidays
from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay
from tests.clock import UNKNOWN_YEAR
from tests.factories import enter_holiday_schedule

pytestmark = pytest.mark.django_db

NOTICES = Path(__file__).parent / "holiday_notices"
AMENDMENTS = {2019: "2019-amendment.txt", 2020: "2020-amendment.txt"}


def notice(name):
    return (NOTICES / name).read_text(encoding="utf-8")


# Statutory holidays --------------------------------------------------------------------


@pytest.mark.parametrize("year", range(2014, 2027))
def test_every_statutory_holiday_is_a_day_off_in_the_package_data(year):
    for day in statutory_holidays(year):
        assert not chinese_calendar.is_workday(day.date), (year, day)


def test_the_2024_amendment_adds_new_years_eve_and_a_second_labour_day():
    before = {d.date: d.name for d in statutory_holidays(2024)}
    after = {d.date: d.name for d in statutory_holidays(2025)}
    assert len(before) == 11 and len(after) == 13
    assert date(2024, 2, 9) not in before  # 除夕 2024 was worked
    assert after[date(2025, 1, 28)] == "春节（除夕）"
    assert date(2024, 5, 2) not in before and date(2025, 5, 2) in after
    # 清明 is the solar term: 4 April in 2024, 5 April in 2026.
    assert before[date(2024, 4, 4)] == "清明节"
    assert {d.name: d.date for d in statutory_holidays(2026)}["清明节"] == date(2026, 4, 5)


def test_two_holidays_on_one_day_are_one_day():
    days = {d.date: d.name for d in statutory_holidays(2020)}
    assert days[date(2020, 10, 1)] == "中秋节、国庆节"


def test_missing_days_are_named():
    missing = missing_statutory_days(2026, [date(2026, 1, 1)])
    assert date(2026, 1, 1) not in [d.date for d in missing]
    assert date(2026, 2, 16) in [d.date for d in missing]  # 除夕


# The notice parser ---------------------------------------------------------------------


def read_years(first, last):
    """{date: is_working_day} read from the notices of first..last with their amendments."""
    days = {}
    for year in range(first, last + 1):
        parsed = parse_notice(notice(f"{year}.txt"))
        assert parsed.year == year and not parsed.errors, (year, parsed.errors)
        year_days = dict(parsed.days)
        if year in AMENDMENTS:
            amended = parse_notice(notice(AMENDMENTS[year]), base=year_days)
            assert not amended.errors, amended.errors
            year_days.update(amended.days)
        assert not missing_statutory_days(
            year, [d for d, v in year_days.items() if not v.is_working_day]
        ), year
        days.update({d: v.is_working_day for d, v in year_days.items()})
    return days


def test_the_notices_for_2017_to_2026_give_every_day_as_the_package_does():
    read = read_years(2017, 2026)
    day = date(2017, 1, 1)
    while day <= date(2026, 12, 31):
        assert read.get(day, day.weekday() < 5) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_the_2026_notice_read_day_by_day():
    parsed = parse_notice(notice("2026.txt"))
    days = parsed.days
    assert days[date(2026, 2, 15)].is_working_day is False  # Sunday, first day of 春节
    assert days[date(2026, 2, 14)].is_working_day is True  # Saturday worked
    assert days[date(2026, 2, 14)].name == "春节"
    assert days[date(2026, 9, 20)].is_working_day is True
    assert days[date(2026, 10, 7)].line == 9
    assert sum(not d.is_working_day for d in days.values()) == 33
    assert sum(d.is_working_day for d in days.values()) == 6


def test_days_of_the_december_before_belong_to_the_notice():
    parsed = parse_notice(notice("2023.txt"))
    assert parsed.days[date(2022, 12, 31)].is_working_day is False
    parsed = parse_notice(notice("2019.txt"))
    assert parsed.days[date(2018, 12, 29)].is_working_day is True


def test_an_encouragement_to_rest_is_not_a_day_off():
    parsed = parse_notice(notice("2024.txt"))
    assert date(2024, 2, 9) not in parsed.days


def test_an_extension_needs_the_holiday_it_extends():
    parsed = parse_notice(notice("2020-amendment.txt"))
    assert parsed.errors and "春节" in parsed.errors[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、元旦：1月1日（周五）放假，共1天。", "1月1日是星期四，通知中写的是星期五"),
        ("一、元旦：1月1日至3日放假调休，共4天。", "共3天，通知中写的是共4天"),
        ("一、元旦：1月1日放假。\n二、春节：1月1日（周四）上班。", "在第1行是放假，这里又是上班"),
        ("二、春节：2月15日（农历腊月二十九、周日）至17日放假。", "不是农历腊月二十九"),
        ("一、元旦：1月1日放假，1月2日另行安排。", "第1行：“1月2日另行安排”没有说明放假还是上班"),
        ("一、元旦：2月30日放假。", "不是有效的日期"),
        ("经国务院批准，现将有关安排通知如下。", "没有在粘贴的文字中找到"),
    ],
)
def test_a_notice_that_does_not_add_up_is_refused_naming_the_line(text, expected):
    parsed = parse_notice(text, 2026)
    assert any(expected in error for error in parsed.errors), parsed.errors
    if "第" in expected:
        return
    assert all(error.startswith("第") for error in parsed.errors if "粘贴" not in error)


def test_the_title_decides_the_year_and_must_match_the_one_chosen():
    assert parse_notice(notice("2025.txt")).year == 2025
    parsed = parse_notice(notice("2025.txt"), 2026)
    assert "标题写的是2025年" in parsed.errors[0]


# The admin: entering and pasting a year ------------------------------------------------


def snippet_url(name, *args):
    return reverse(HolidayCalendar.snippet_viewset.get_url_name(name), args=args)


def inline(days):
    data = {
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for index, (day, working, name) in enumerate(days):
        data[f"days-{index}-date"] = day.isoformat()
        data[f"days-{index}-name"] = name
        if working:
            data[f"days-{index}-is_working_day"] = "on"
        data[f"days-{index}-ORDER"] = str(index)
    return data


def test_an_empty_year_is_refused_in_the_admin_naming_the_missing_days(admin_client):
    response = admin_client.post(
        snippet_url("add"), {"year": str(UNKNOWN_YEAR), "notice": "", **inline([])}
    )
    assert response.status_code == 200  # the form again, with its error
    html = response.content.decode()
    assert "缺少以下法定节假日" in html and "1月1日（元旦）" in html and "国庆节" in html
    assert not HolidayCalendar.objects.exists()


def test_a_complete_year_is_accepted_in_the_admin(admin_client):
    days = [(d.date, False, d.name) for d in statutory_holidays(UNKNOWN_YEAR)]
    response = admin_client.post(
        snippet_url("add"), {"year": str(UNKNOWN_YEAR), "notice": "测试", **inline(days)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidayCalendarDay.objects.filter(calendar__year=UNKNOWN_YEAR).count() == len(days)
    assert calendar.WorkingDayCalendar().knows_year(UNKNOWN_YEAR)


def test_a_weekday_cannot_be_a_make_up_working_day(admin_client):
    days = [(d.date, False, d.name) for d in statutory_holidays(UNKNOWN_YEAR)]
    monday = next(
        date(UNKNOWN_YEAR, 3, n) for n in range(1, 8) if date(UNKNOWN_YEAR, 3, n).weekday() == 0
    )
    response = admin_client.post(
        snippet_url("add"),
        {"year": str(UNKNOWN_YEAR), **inline([*days, (monday, True, "调休")])},
    )
    assert "调休上班日应是周六或周日" in response.content.decode()
    assert not HolidayCalendar.objects.exists()


def test_pasting_a_notice_previews_then_saves_the_year(admin_client):
    url = snippet_url("paste")
    text = notice("2026.txt")
    response = admin_client.post(url, {"year": "", "mode": "replace", "text": text, "preview": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年：读出的日期" in html and "放假33天，调休上班6天" in html
    assert 'name="save"' in html
    assert not HolidayCalendar.objects.exists()  # a preview saves nothing
    response = admin_client.post(url, {"year": "", "mode": "replace", "text": text, "save": ""})
    assert response.status_code == 302
    schedule = HolidayCalendar.objects.get(year=2026)
    assert schedule.notice == "国务院办公厅关于2026年部分节假日安排的通知"
    assert schedule.days.count() == 39 and schedule.notice_text.startswith("国务院办公厅")
    assert not schedule.missing_statutory_days()
    # The site's year now replaces the package's: the same days either way.
    worked = calendar.WorkingDayCalendar()
    assert worked.is_working_day(date(2026, 2, 14)) is True
    assert worked.is_working_day(date(2026, 2, 23)) is False


def test_an_amending_notice_changes_the_year_already_entered(admin_client):
    url = snippet_url("paste")
    admin_client.post(url, {"mode": "replace", "text": notice("2020.txt"), "save": ""})
    response = admin_client.post(
        url, {"mode": "amend", "text": notice("2020-amendment.txt"), "save": ""}
    )
    assert response.status_code == 302
    schedule = HolidayCalendar.objects.get(year=2020)
    days = {d.date: d.is_working_day for d in schedule.days.all()}
    assert days[date(2020, 2, 1)] is False  # was a Saturday worked, now extended off
    assert days[date(2020, 1, 31)] is False
    assert "延长2020年春节假期" in schedule.notice_text


def test_a_notice_with_a_wrong_weekday_is_not_saved(admin_client):
    text = notice("2026.txt").replace("1月4日（周日）上班", "1月4日（周六）上班")
    response = admin_client.post(
        snippet_url("paste"), {"mode": "replace", "text": text, "save": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "第3行：1月4日是星期日，通知中写的是星期六" in html
    assert 'name="save"' not in html
    assert not HolidayCalendar.objects.exists()


def test_a_notice_missing_a_holiday_is_not_saved(admin_client):
    text = "\n".join(
        line for line in notice("2026.txt").splitlines() if not line.startswith("五、端午节")
    )
    response = admin_client.post(
        snippet_url("paste"), {"mode": "replace", "text": text, "save": ""}
    )
    assert response.status_code == 400
    assert "6月19日（端午节）" in response.content.decode()
    assert not HolidayCalendar.objects.exists()


def test_only_staff_who_may_enter_schedules_can_paste(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail's admin turns the refusal into a redirect home with a message.
    response = client.get(snippet_url("paste"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    client.post(snippet_url("paste"), {"mode": "replace", "text": notice("2026.txt"), "save": ""})
    assert not HolidayCalendar.objects.exists()


# Warnings before a year bites ----------------------------------------------------------


@pytest.mark.now(f"{UNKNOWN_YEAR - 1}-11-02 09:00")
def test_from_november_a_missing_next_year_is_shown_to_staff(admin_client):
    missing = calendar.missing_years()
    assert [m.year for m in missing] == [UNKNOWN_YEAR]
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"尚无{UNKNOWN_YEAR}年的节假日安排" in home
    assert snippet_url("paste") in home
    listing = admin_client.get(snippet_url("list")).content.decode()
    assert f"尚无{UNKNOWN_YEAR}年的节假日安排" in listing
    enter_holiday_schedule(UNKNOWN_YEAR)
    calendar.clear_cache()
    assert calendar.missing_years() == []
    assert "节假日安排" not in admin_client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.now(f"{UNKNOWN_YEAR - 1}-10-30 09:00")
def test_before_november_next_year_is_not_yet_asked_for(admin_client):
    assert calendar.missing_years() == []
    assert "尚无" not in admin_client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.now(f"{UNKNOWN_YEAR - 1}-11-02 09:00")
def test_an_incomplete_year_is_shown_with_the_days_it_lacks():
    HolidayCalendar.objects.create(year=UNKNOWN_YEAR)
    (missing,) = calendar.missing_years()
    assert missing.year == UNKNOWN_YEAR and "缺少法定节假日" in missing.message


@pytest.mark.now(f"{UNKNOWN_YEAR - 1}-11-02 09:00")
def test_a_system_check_warns_where_checks_see_the_database(capsys):
    from django.core.management.base import SystemCheckError  # noqa: F401

    call_command("check", "--database", "default")
    output = capsys.readouterr()
    assert "opengov_cms.W201" in output.err + output.out
    assert f"{UNKNOWN_YEAR}年" in output.err + output.out
    enter_holiday_schedule(UNKNOWN_YEAR)
    calendar.clear_cache()
    call_command("check", "--database", "default")
    output = capsys.readouterr()
    assert "opengov_cms.W201" not in output.err + output.out
