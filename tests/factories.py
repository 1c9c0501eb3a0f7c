"""Factories for the package's models."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from opengov_cms.core.models import Organisation
from opengov_cms.policies.models import ConsultationPage


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试市第{n}局")
    # A valid code (check character included); tests that need several use organisation_code.
    credit_code = "91350100M000100Y43"


class ConsultationPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ConsultationPage

    title = factory.Sequence(lambda n: f"关于某事项的征求意见稿{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=6))
    body = "<p>征求意见稿正文。</p>"


def enter_holiday_schedule(year, notice="", days_off=(), working_days=()):
    """A schedule for ``year`` as staff would enter it: every statutory holiday off, plus
    the given days off and make-up working days. Made up for tests, not a real notice."""
    from opengov_cms.core.holidays import statutory_holidays
    from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay

    schedule = HolidayCalendar.objects.create(year=year, notice=notice)
    rows = {
        d.date: HolidayCalendarDay(calendar=schedule, date=d.date, name=d.name)
        for d in statutory_holidays(year)
    }
    for day in days_off:
        rows.setdefault(day, HolidayCalendarDay(calendar=schedule, date=day, name="调休"))
    for day in working_days:
        rows[day] = HolidayCalendarDay(calendar=schedule, date=day, is_working_day=True)
    HolidayCalendarDay.objects.bulk_create(rows.values())
    return schedule
