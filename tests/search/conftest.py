"""Search backends for the contract tests: the database in use, and the real engine node."""

import uuid

import pytest

from tests.engine.es_compat_proxy import EsCompatProxy
from tests.services import service_url

BACKENDS = [
    pytest.param("database", id="database"),
    pytest.param("opensearch", id="opensearch", marks=pytest.mark.opensearch),
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.opensearch),
]


@pytest.fixture(scope="session")
def es_proxy():
    """The Elasticsearch compatibility proxy in front of the OpenSearch node."""
    with EsCompatProxy(service_url("opensearch")) as proxy:
        yield proxy


def engine_options(url, **options):
    return {
        "HOSTS": [url],
        # A prefix of its own for each test, so tests never see each other's indices.
        "INDEX_PREFIX": f"opengov-test-{uuid.uuid4().hex[:10]}",
        "NUMBER_OF_REPLICAS": 0,
        "REFRESH": True,
        "TIMEOUT": 30,
        "REBUILD_TIMEOUT": 60,
        **options,
    }


def make_backend(request, name, **options):
    if name == "database":
        from opengov_cms.search.backends.database import DatabaseSearchBackend

        return DatabaseSearchBackend(**options)
    if name == "opensearch":
        pytest.importorskip("opensearchpy")
        from opengov_cms.search.backends.engine import OpenSearchBackend

        return OpenSearchBackend(**engine_options(service_url("opensearch"), **options))
    pytest.importorskip("elasticsearch")
    from opengov_cms.search.backends.engine import ElasticsearchBackend

    proxy = request.getfixturevalue("es_proxy")
    return ElasticsearchBackend(**engine_options(proxy.url, **options))


@pytest.fixture(params=BACKENDS)
def search_backend(request, db):
    # Every backend needs the database: jieba's dictionary of site terms lives there.
    backend = make_backend(request, request.param)
    yield backend
    if request.param != "database":
        backend.drop()


@pytest.fixture(params=["database", pytest.param("opensearch", marks=pytest.mark.opensearch)])
def site_backend(request, settings, db):
    """The site's configured backend (OPENGOV_CMS_SEARCH), on the database and on OpenSearch,
    for tests that go through indexing jobs and commands."""
    from opengov_cms.search.backends import get_search_backend

    if request.param == "opensearch":
        pytest.importorskip("opensearchpy")
        settings.OPENGOV_CMS_SEARCH = {
            "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
            "OPTIONS": engine_options(service_url("opensearch")),
        }
    backend = get_search_backend()
    yield backend
    if request.param != "database":
        backend.drop()


@pytest.fixture
def root_collection(db):
    """Wagtail's root collection, which documents go in; made anew when a transactional test
    (the Celery worker's) flushed the database."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")
