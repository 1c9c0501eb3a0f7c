"""The real Elasticsearch Python client, through es_compat_proxy, against the CI OpenSearch node.

See es_compat_proxy's docstring for what this proves and what it does not: the client's own
serialisation, transport and helpers run for real, but the engine behind them is OpenSearch.
"""

import uuid

import pytest

from tests.engine.es_compat_proxy import EsCompatProxy, plain_media_type
from tests.services import service_url

elasticsearch = pytest.importorskip("elasticsearch")
from elasticsearch import Elasticsearch, helpers  # noqa: E402

try:  # elasticsearch >= 8.18 ships the DSL; older releases need elasticsearch-dsl
    from elasticsearch.dsl import A, Q, Search
except ImportError:  # pragma: no cover - depends on the installed client
    dsl = pytest.importorskip("elasticsearch_dsl")
    A, Q, Search = dsl.A, dsl.Q, dsl.Search

pytestmark = pytest.mark.opensearch

# id -> (title, category)
DOCUMENTS = {
    "guide": ("政府信息公开指南", "指南"),
    "report-2024": ("政府信息公开年度报告", "报告"),
    "apply": ("依申请公开信息办理流程", "指南"),
    "budget": ("财政预算信息", "财政"),
    "work-report": ("政府工作报告", "报告"),
}

SETTINGS = {
    "number_of_shards": 1,
    "analysis": {
        "analyzer": {"bigram_whitespace": {"type": "custom", "tokenizer": "whitespace"}},
    },
}
MAPPINGS = {
    "properties": {
        "title": {"type": "keyword"},
        "title_bigrams": {"type": "text", "analyzer": "bigram_whitespace"},
        "category": {"type": "keyword"},
    }
}


def bigrams(text):
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))


@pytest.fixture(scope="module")
def proxy():
    """The compatibility proxy in front of the node, for the whole module."""
    with EsCompatProxy(service_url("opensearch")) as running:
        yield running


@pytest.fixture
def es(proxy):
    client = Elasticsearch(proxy.url, request_timeout=30)
    yield client
    client.close()


@pytest.fixture
def index(es):
    """A freshly created, uniquely named index holding DOCUMENTS; deleted afterwards."""
    name = f"opengov-test-es-{uuid.uuid4().hex[:12]}"
    es.indices.create(index=name, settings=SETTINGS, mappings=MAPPINGS)
    try:
        actions = (
            {
                "_index": name,
                "_id": doc_id,
                "_source": {"title": title, "title_bigrams": bigrams(title), "category": category},
            }
            for doc_id, (title, category) in DOCUMENTS.items()
        )
        indexed, errors = helpers.bulk(es, actions, refresh=True)
        assert (indexed, errors) == (len(DOCUMENTS), [])
        yield name
    finally:
        es.options(ignore_status=404).indices.delete(index=name)


def test_proxy_rewrites_only_the_compatible_with_media_types():
    assert plain_media_type("application/vnd.elasticsearch+json; compatible-with=8") == (
        "application/json"
    )
    assert plain_media_type("application/vnd.elasticsearch+x-ndjson;compatible-with=9") == (
        "application/x-ndjson"
    )
    assert plain_media_type("application/json; charset=UTF-8") == "application/json; charset=UTF-8"


def test_client_accepts_the_engine(es):
    info = es.info()
    assert info["cluster_name"]
    assert es.ping()


def test_index_exists_and_missing_index_raises_not_found(es, index):
    assert es.indices.exists(index=index)
    assert not es.indices.exists(index=f"{index}-missing")
    with pytest.raises(elasticsearch.NotFoundError):
        es.get(index=index, id="no-such-document")


def test_dsl_match_phrase_finds_only_titles_with_the_phrase(es, index):
    search = Search(using=es, index=index).query(
        Q("match_phrase", title_bigrams=bigrams("信息公开"))
    )
    response = search.execute()
    assert {hit.meta.id for hit in response} == {"guide", "report-2024"}
    assert sorted(hit.title for hit in response) == ["政府信息公开年度报告", "政府信息公开指南"]


def test_dsl_terms_aggregation_counts_each_category(es, index):
    search = Search(using=es, index=index).extra(size=0)
    search.aggs.bucket("by_category", A("terms", field="category"))
    response = search.execute()
    buckets = response.aggregations.by_category.buckets
    assert {bucket.key: bucket.doc_count for bucket in buckets} == {"指南": 2, "报告": 2, "财政": 1}
    assert response.hits.total.value == len(DOCUMENTS)


def test_delete_by_query_removes_only_matching_documents(es, index):
    query = Q("term", category="报告")
    response = es.delete_by_query(index=index, query=query.to_dict(), refresh=True)
    assert response["deleted"] == 2
    assert response["failures"] == []
    assert es.count(index=index)["count"] == len(DOCUMENTS) - 2
    remaining = Search(using=es, index=index).query(Q("match_all")).execute()
    assert {hit.meta.id for hit in remaining} == {"guide", "apply", "budget"}
