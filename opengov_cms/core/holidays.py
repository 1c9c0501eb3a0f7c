"""The statutory holidays of a year (全体公民放假的节日), as 《全国年节及纪念日放假办法》 sets them.

A year's schedule entered by staff (the State Council's yearly notice, with its make-up
working days) must give every one of these days off; :func:`missing_statutory_days` says
which it does not. Lunar dates (除夕, 春节, 端午, 中秋) and the solar term 清明 are computed
by the lunar-python package, never written down here.

The text in force for a year is chosen by the year:

- 国务院令第644号 (2013年12月11日, in force 2014-01-01 to 2024-12-31), 第二条: 新年 1 day
  (1月1日); 春节 3 days (农历正月初一、初二、初三); 清明节 1 day (农历清明当日); 劳动节
  1 day (5月1日); 端午节 1 day (农历端午当日); 中秋节 1 day (农历中秋当日); 国庆节 3 days
  (10月1日、2日、3日).
- 国务院令第795号 (2024年11月10日, in force 2025-01-01), 第二条: 元旦 1 day (1月1日); 春节
  4 days (农历除夕、正月初一至初三); 清明节 1; 劳动节 2 days (5月1日、2日); 端午节 1;
  中秋节 1; 国庆节 3 days (10月1日至3日).

Years before 2014 followed earlier texts, which the package does not carry: such a year
cannot be entered (the chinese-calendar package knows them).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

#: The first year whose schedule a site may enter (the first under 国务院令第644号).
FIRST_ENTERABLE_YEAR = 2014


@dataclass(frozen=True)
class StatutoryRule:
    """One text of 第二条: from which year it applies, its source, and its days."""

    first_year: int
    source: str
    new_year_eve: bool  # 春节 includes 农历除夕
    labour_day_days: int  # 劳动节: 5月1日, or 5月1日、2日


RULES = (
    StatutoryRule(
        first_year=2014,
        source="《全国年节及纪念日放假办法》第二条（国务院令第644号，2014年1月1日起施行）",
        new_year_eve=False,
        labour_day_days=1,
    ),
    StatutoryRule(
        first_year=2025,
        source="《全国年节及纪念日放假办法》第二条（国务院令第795号，2025年1月1日起施行）",
        new_year_eve=True,
        labour_day_days=2,
    ),
)


@dataclass(frozen=True)
class StatutoryDay:
    date: date
    name: str


class YearNotSupported(ValueError):
    """The package carries no text of the 办法 for the year."""


def rule_for(year):
    applicable = [rule for rule in RULES if rule.first_year <= year]
    if not applicable:
        raise YearNotSupported(year)
    return applicable[-1]


def _lunar(year, month, day):
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year):
    from lunar_python import Lunar

    # The lunar year that begins in January or February of ``year`` holds its 清明.
    solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_holidays(year):
    """The days off for all citizens in ``year``, in date order, each with its holiday.

    Where two holidays fall on one day (中秋 on 1 October in 2020) the day is listed once,
    under both names.
    """
    rule = rule_for(year)
    spring = _lunar(year, 1, 1)
    days = [(date(year, 1, 1), _("元旦"))]
    if rule.new_year_eve:
        days.append((spring - timedelta(days=1), _("春节（除夕）")))
    days += [(spring + timedelta(days=n), _("春节")) for n in range(3)]
    days.append((_qingming(year), _("清明节")))
    days += [(date(year, 5, 1 + n), _("劳动节")) for n in range(rule.labour_day_days)]
    days.append((_lunar(year, 5, 5), _("端午节")))
    days.append((_lunar(year, 8, 15), _("中秋节")))
    days += [(date(year, 10, 1 + n), _("国庆节")) for n in range(3)]
    merged = {}
    for day, name in days:
        merged[day] = f"{merged[day]}、{name}" if day in merged else str(name)
    return [StatutoryDay(day, name) for day, name in sorted(merged.items())]


def missing_statutory_days(year, days_off):
    """The statutory holidays of ``year`` that ``days_off`` (dates given off) lacks."""
    days_off = set(days_off)
    return [day for day in statutory_holidays(year) if day.date not in days_off]


def describe_days(days):
    """'1月1日（元旦）、2月5日（春节（除夕））' for error messages."""
    return "、".join(f"{d.date.month}月{d.date.day}日（{d.name}）" for d in days)
