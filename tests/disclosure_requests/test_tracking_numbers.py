"""Tracking numbers written by the database in the request's INSERT (PostgreSQL) are the
numbers the pattern gives in Python, gapless, for every pattern the site may set."""

import contextlib

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

VALUES = {"org_code": "11341500MB0", "year": 2026}


@pytest.mark.django_db
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [True, False])
@pytest.mark.parametrize(
    "pattern", ["{org_code}-{year}-{seq:05d}", "YSQ{year}{seq:02}", "{year}-{seq:>3}"]
)
def test_numbers_are_the_patterns_and_gapless_past_their_width(settings, pattern, in_transaction):
    settings.OPENGOV_CMS_REQUESTS_TRACKING_NUMBER_PATTERN = pattern
    organisation = OrganisationFactory()
    code = organisation.code
    in_sql = tracking_number_expression(organisation, 2026, "default") is not None
    assert in_sql == (connection.vendor == "postgresql" and ">" not in pattern)

    def receive():
        request = DisclosureRequestFactory.build(organisation=organisation)
        # Outside a transaction, PostgreSQL registers it in one statement.
        with transaction.atomic() if in_transaction else contextlib.nullcontext():
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
    # Each with its event and its log entry, whichever way it was written.
    for request in DisclosureRequest.objects.all():
        assert list(request.events.values_list("action", flat=True)) == ["receive"]
        entry = ModelLogEntry.objects.get(object_id=str(request.pk))
        assert entry.label == request.tracking_number


@pytest.mark.django_db(transaction=True)
def test_a_form_sent_twice_outside_a_transaction_makes_one_request(client, form_page):
    from django.db.models.signals import post_save

    from tests.disclosure_requests.test_public import application, form_action

    saved = []

    def receiver(sender, instance, created, **kwargs):
        saved.append((sender.__name__, created, instance.pk is not None))

    post_save.connect(receiver, sender=DisclosureRequest, dispatch_uid="test-saved")
    try:
        data = application()
        action = form_action(client, form_page)
        first = client.post(action, data)
        second = client.post(action, data)  # a double click: refused by the form token
    finally:
        post_save.disconnect(dispatch_uid="test-saved", sender=DisclosureRequest)
    assert first.status_code == second.status_code == 302
    assert DisclosureRequest.objects.count() == 1
    # A site's save signals see the request as save() would have shown it.
    assert saved == [("DisclosureRequest", True, True)]
