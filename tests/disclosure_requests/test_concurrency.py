import contextlib
import threading

import pytest
from django.db import connection, connections, transaction

from opengov_cms.disclosure_requests.models import make_tracking_number
from tests.factories import OrganisationFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_share_a_tracking_number():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://…)")
    organisation = OrganisationFactory()
    numbers, errors = [], []
    start = threading.Barrier(8)

    def take():
        try:
            start.wait()
            for _ in range(5):
                numbers.append(make_tracking_number(organisation, 2024))
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == len(set(numbers)) == 40
    assert max(numbers).endswith("-00040")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [True, False])
def test_concurrent_applications_are_numbered_without_gaps_or_deadlocks(in_transaction):
    """The number is taken by the request's INSERT (or last in each registration's
    transaction where it cannot be): applications written at once, the first ones while the
    scope's counter does not exist yet, still get 1…N, each its own, and none keeps a
    placeholder."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://…)")
    from opengov_cms.disclosure_requests import workflow
    from opengov_cms.disclosure_requests.models import DisclosureRequest
    from tests.disclosure_requests.factories import DisclosureRequestFactory

    organisation = OrganisationFactory()
    errors = []
    start = threading.Barrier(6)

    def apply():
        try:
            start.wait()
            for _ in range(5):
                request = DisclosureRequestFactory.build(organisation=organisation)
                # Outside a transaction, PostgreSQL registers it in one statement.
                with transaction.atomic() if in_transaction else contextlib.nullcontext():
                    workflow.receive(request)
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(DisclosureRequest.objects.values_list("tracking_number", flat=True))
    assert [int(n[-5:]) for n in numbers] == list(range(1, 31))
    assert all(n.startswith(organisation.code + "-") for n in numbers)
