"""Find the external services (PostgreSQL, Redis, OpenSearch) the full suite runs against.

A service is named by an environment variable holding its URL. Under ``make test`` a
missing service skips the tests that need it, with a reason; under ``make test-all``
(OPENGOV_REQUIRE_SERVICES=1) a missing service fails them instead.
"""

import os

import pytest

SERVICES = {
    "postgres": "OPENGOV_TEST_POSTGRES_URL",
    "redis": "OPENGOV_TEST_REDIS_URL",
    "opensearch": "OPENGOV_TEST_OPENSEARCH_URL",
}


def services_required():
    return os.environ.get("OPENGOV_REQUIRE_SERVICES", "") not in ("", "0", "false", "no")


def service_url(name):
    """Return the URL of a service, or skip (make test) / fail (make test-all) without it."""
    variable = SERVICES[name]
    url = os.environ.get(variable, "").strip()
    if url:
        return url
    message = f"{name} is not available: set {variable} (make test-all starts it)"
    if services_required():
        pytest.fail(message)
    pytest.skip(message)
