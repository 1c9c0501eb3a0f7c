"""What one application costs: constant queries, the holiday data read once per process
and read again after it changes, and one statement for the tracking number."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from opengov_cms.core import calendar
from opengov_cms.core.calendar import CalendarYearUnknown, add_working_days
from opengov_cms.core.holidays import statutory_holidays
from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay
from opengov_cms.disclosure_requests.models import DisclosureRequest, make_tracking_number
from tests.clock import first_unknown_year, last_friday_before_christmas
from tests.disclosure_requests.test_public import application, form_action
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# Received on the last Friday before Christmas of the last year the chinese-calendar package
# knows: the 20th working day falls in a year it does not know, which the site enters.
UNKNOWN = first_unknown_year()
FRIDAY = last_friday_before_christmas(UNKNOWN - 1)
# A weekday of early January the tests give off in addition to the statutory holidays.
EXTRA = next(date(UNKNOWN, 1, n) for n in range(2, 10) if date(UNKNOWN, 1, n).weekday() < 5)


def schedule_days(schedule, *extra):
    """The statutory holidays of the schedule's year, and ``extra``, as rows to bulk-create."""
    days = [d.date for d in statutory_holidays(schedule.year)] + list(extra)
    return [HolidayCalendarDay(calendar=schedule, date=day) for day in days]


def by_hand(extra=()):
    """The 20th working day after FRIDAY, counted here: weekdays that are not 元旦."""
    day, counted = FRIDAY, 0
    while counted < 20:
        day += timedelta(days=1)
        if day.weekday() < 5 and day != date(UNKNOWN, 1, 1) and day not in extra:
            counted += 1
    return day


def test_an_application_takes_a_constant_number_of_queries(client, form_page):
    action = form_action(client, form_page)
    # The first one reads the holiday data and makes the number's counter.
    assert client.post(action, application()).status_code == 302
    client.cookies.clear()  # a new visitor
    with CaptureQueriesContext(connection) as queries:
        response = client.post(action, application())
    assert response.status_code == 302
    # Savepoints aside: the test's own transaction turns each commit into one.
    statements = [
        q["sql"].lower()
        for q in queries.captured_queries
        if not q["sql"].lower().startswith(("savepoint", "release savepoint"))
    ]
    assert not [s for s in statements if "holidaycalendar" in s]
    # The page with its organisation and the view restrictions on its path (read each time
    # here: this test's transaction changed the pages, so the form page is not kept; see
    # test_form_page_kept), the request, its event, the log entry: no routing through the
    # page tree, no session (the receipt is a cookie). The number is taken by the request's
    # INSERT on PostgreSQL, else by a statement of its own and written by another.
    if connection.vendor == "postgresql":
        assert not [s for s in statements if "trackingsequence" in s]
        assert "opengov_requests_next_number" in statements[2], statements
        assert len(statements) <= 5, "\n".join(statements)
    else:
        assert len([s for s in statements if "trackingsequence" in s]) == 1
        assert len(statements) <= 7, "\n".join(statements)
    assert not [s for s in statements if "django_session" in s]
    assert not [s for s in statements if "wagtailcore_site" in s]
    first, second = DisclosureRequest.objects.order_by("pk")
    assert int(second.tracking_number[-5:]) == int(first.tracking_number[-5:]) + 1
    assert first.due_date == second.due_date is not None


def test_a_tracking_number_is_one_statement_once_its_counter_exists(settings):
    settings.OPENGOV_CMS_REQUESTS_TRACKING_NUMBER_PATTERN = "YSQ-{year}-{seq:05d}"
    organisation = OrganisationFactory()
    with CaptureQueriesContext(connection) as first:
        assert make_tracking_number(organisation, 2025) == "YSQ-2025-00001"
    with CaptureQueriesContext(connection) as second:
        assert make_tracking_number(organisation, 2025) == "YSQ-2025-00002"
    assert len(second) == 1
    assert len(first) > 1  # no counter yet: it is made
    assert make_tracking_number(organisation, 2026) == "YSQ-2026-00001"


def test_holiday_data_is_read_once_and_again_when_a_schedule_is_entered(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(CalendarYearUnknown):
        add_working_days(FRIDAY, 20)
    assert add_working_days(date(2024, 9, 27), 20) == date(2024, 10, 30)
    # Known and unknown years alike are remembered.
    with CaptureQueriesContext(connection) as queries:
        assert add_working_days(date(2024, 9, 27), 20) == date(2024, 10, 30)
        with pytest.raises(CalendarYearUnknown):
            add_working_days(FRIDAY, 20)
    assert len(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        schedule = HolidayCalendar.objects.create(year=UNKNOWN)
        HolidayCalendarDay.objects.bulk_create(schedule_days(schedule))
    assert add_working_days(FRIDAY, 20) == by_hand()
    with django_capture_on_commit_callbacks(execute=True):
        HolidayCalendarDay.objects.create(calendar=schedule, date=EXTRA)
    assert add_working_days(FRIDAY, 20) == by_hand(extra=[EXTRA])


def test_a_schedule_entered_by_another_process_is_seen_once_it_commits():
    # Another web process saves the schedule: no signal reaches this one, only the
    # version its commit leaves in the shared cache.
    schedule = HolidayCalendar(year=UNKNOWN)
    HolidayCalendar.objects.bulk_create([schedule])
    schedule = HolidayCalendar.objects.get(year=UNKNOWN)
    HolidayCalendarDay.objects.bulk_create(schedule_days(schedule))
    calendar.clear_cache()
    cache.set(calendar.VERSION_KEY, "before")
    assert add_working_days(FRIDAY, 20) == by_hand()
    HolidayCalendarDay.objects.bulk_create([HolidayCalendarDay(calendar=schedule, date=EXTRA)])
    cache.set(calendar.VERSION_KEY, "after")
    assert add_working_days(FRIDAY, 20) == by_hand(extra=[EXTRA])


def test_holiday_data_is_read_again_after_a_while_whatever_the_cache_says(process_clock):
    HolidayCalendar.objects.bulk_create([HolidayCalendar(year=UNKNOWN)])
    schedule = HolidayCalendar.objects.get(year=UNKNOWN)
    HolidayCalendarDay.objects.bulk_create(schedule_days(schedule))
    calendar.clear_cache()
    assert add_working_days(FRIDAY, 20) == by_hand()
    HolidayCalendarDay.objects.bulk_create([HolidayCalendarDay(calendar=schedule, date=EXTRA)])
    process_clock.advance(calendar.MAX_AGE + 1)
    assert add_working_days(FRIDAY, 20) == by_hand(extra=[EXTRA])


def test_a_schedule_that_was_rolled_back_is_not_remembered():
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule = HolidayCalendar.objects.create(year=UNKNOWN)
        HolidayCalendarDay.objects.bulk_create(schedule_days(schedule))
        assert add_working_days(FRIDAY, 20) == by_hand()
        raise RuntimeError("the editor's save failed")
    with pytest.raises(CalendarYearUnknown):
        add_working_days(FRIDAY, 20)


def statement_shapes(queries):
    """Each statement as its verb and first table, literals left out."""
    shapes = []
    for query in queries.captured_queries:
        sql = query["sql"]
        tables = re.findall(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
        shapes.append((sql.split()[0].upper(), tables[0] if tables else ""))
    return shapes


@pytest.mark.django_db(transaction=True)
def test_a_submission_costs_the_same_statements_as_requests_and_pages_grow(client, home_page):
    from opengov_cms.disclosure_requests.models import RequestFormPage
    from tests.disclosure_requests.factories import DisclosureRequestFactory

    organisation = OrganisationFactory()
    page = RequestFormPage(title="政府信息公开申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    action = form_action(client, page)
    # The first one reads the page, the holiday data, and makes the counter.
    assert client.post(action, application()).status_code == 302
    with CaptureQueriesContext(connection) as small:
        assert client.post(action, application()).status_code == 302
    DisclosureRequestFactory.create_batch(25, organisation=organisation)
    for n in range(15):
        home_page.add_child(instance=Page(title=f"栏目{n}", slug=f"section-{n}"))
    assert client.post(action, application()).status_code == 302  # pages changed: read again
    with CaptureQueriesContext(connection) as grown:
        assert client.post(action, application()).status_code == 302
    assert statement_shapes(grown) == statement_shapes(small)
    writes = [
        shape
        for shape in statement_shapes(grown)
        if shape[1].startswith(("opengov_requests", "wagtailcore"))
    ]
    # Neither the page, its view restrictions, the content type nor the holiday data is read.
    # On PostgreSQL one statement writes the request, its number, its event and its log
    # entry, without a transaction around it; elsewhere the counter's row is locked last,
    # after the request and its event are written.
    if connection.vendor == "postgresql":
        assert writes == [("WITH", "opengov_requests_disclosurerequest")]
        assert len(grown.captured_queries) == 1, grown.captured_queries
    else:
        assert writes == [
            ("INSERT", "opengov_requests_disclosurerequest"),
            ("INSERT", "opengov_requests_requestevent"),
            ("UPDATE", "opengov_requests_trackingsequence"),
            ("UPDATE", "opengov_requests_disclosurerequest"),
            ("INSERT", "wagtailcore_modellogentry"),
        ]
    others = [s for s in statement_shapes(grown) if s not in writes]
    # The transaction's begin and commit; no session is read or written.
    assert {table for _verb, table in others} <= {""}, others
    assert len(others) <= 2, others
    numbers = [r.tracking_number for r in DisclosureRequest.objects.order_by("pk")]
    assert all(not n.startswith("~") for n in numbers)
    assert len(set(numbers)) == len(numbers) == 29


@pytest.mark.django_db(transaction=True)
def test_a_submission_takes_one_round_trip_to_a_redis_cache(client, form_page, monkeypatch):
    from django.core.cache import caches
    from django.test import override_settings

    from tests.core.test_ratelimit import forget, round_trips
    from tests.services import service_url

    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": service_url("redis"),
        "KEY_PREFIX": "opengov-test-ratelimit",
    }
    with override_settings(CACHES={"default": redis}):
        forget(caches["default"])
        action = form_action(client, form_page)
        # The first reads the page and the holiday data, and keeps them in the process.
        assert client.post(action, application()).status_code == 302
        sent = round_trips(caches["default"]._cache.get_client(None, write=True), monkeypatch)
        assert client.post(action, application()).status_code == 302
        # The client's count, the pages' and the holiday calendar's versions: one pipeline.
        assert len(sent) == 1, sent
        # A form sent back with mistakes gives its count back.
        assert client.post(action, application(phone="1")).status_code == 400
        assert [c for c in sent[1:] if b"DECR" in b"".join(c)], sent
        forget(caches["default"])
    assert DisclosureRequest.objects.count() == 2
