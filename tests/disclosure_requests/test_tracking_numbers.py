"""Tracking numbers written by the database in the request's INSERT (PostgreSQL) are the
numbers the pattern gives in Python, gapless, for every pattern the site may set."""

import pytest
from django.db import connection, transaction
from wagtail.models import ModelLogEntry

from opengov_cms.disclosure_requests import workflow
from opengov_cms.disclosure_requests.models import (
    DisclosureRequest,
    TrackingSequence,
    _around_sequence,
    tracking_number_expression,
)
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

VALUES = {"org_code": "11341500MB0", "year": 2026}


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        ("{org_code}-{year}-{seq:05d}", ("11341500MB0-2026-", 5, "")),
        ("YSQ{year}{seq:04}", ("YSQ2026", 4, "")),
        ("{seq}-{year}", ("", 0, "-2026")),
        ("{{申请}}{year!s}-{seq:02d}号", ("{申请}2026-", 2, "号")),
        ("{org_code!r}-{seq:03d}", ("'11341500MB0'-", 3, "")),
        # Written some other way than zero-padded digits, or twice: Python takes the number.
        ("{year}-{seq:>5}", None),
        ("{year}-{seq:,d}", None),
        ("{year}-{seq:x}", None),
        ("{seq}-{seq}", None),
        ("{year}", None),
    ],
)
def test_the_pattern_around_the_sequence_number(pattern, parts):
    assert _around_sequence(pattern, VALUES) == parts


@pytest.mark.parametrize(
    "pattern", ["{org_code}-{year}-{seq:05d}", "YSQ{year}{seq:02}", "{year}-{seq:>3}"]
)
def test_numbers_are_the_patterns_and_gapless_past_their_width(settings, pattern):
    settings.OPENGOV_CMS_REQUESTS_TRACKING_NUMBER_PATTERN = pattern
    organisation = OrganisationFactory()
    code = organisation.code
    in_sql = tracking_number_expression(organisation, 2026, "default") is not None
    assert in_sql == (connection.vendor == "postgresql" and ">" not in pattern)

    def receive():
        request = DisclosureRequestFactory.build(organisation=organisation)
        with transaction.atomic():
            workflow.receive(request)
        return request

    first = receive()  # the scope's counter is made by this one
    scope = pattern.format(org_code=code, year=first.received_on.year, seq=0)
    TrackingSequence.objects.filter(scope=scope).update(last_value=98)
    numbers = [receive().tracking_number for _ in range(3)]
    year = first.received_on.year
    expected = [pattern.format(org_code=code, year=year, seq=n) for n in (1, 99, 100, 101)]
    assert [first.tracking_number, *numbers] == expected
    # What the applicant was shown is what is stored, and the log entry is labelled with it.
    stored = DisclosureRequest.objects.order_by("pk").values_list("tracking_number", flat=True)
    assert list(stored) == expected
    labels = ModelLogEntry.objects.filter(action="opengov_requests.receive").values_list(
        "label", flat=True
    )
    assert sorted(labels) == sorted(expected)
