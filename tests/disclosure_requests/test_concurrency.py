import threading

import pytest
from django.db import connection, connections

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
