"""Smoke test of the search engine: a real OpenSearch node, driven through opensearch-py.

The documents are indexed the way our search will index Chinese text: each title is turned
into overlapping two-character tokens ("政府信息公开" -> "政府 府信 信息 息公 公开") and a
whitespace analyzer splits them again. A phrase query of bigrams then finds exactly the
titles that contain the phrase.
"""

import uuid

import pytest

from tests.services import service_url

opensearchpy = pytest.importorskip("opensearchpy")
from opensearchpy import OpenSearch, helpers  # noqa: E402

pytestmark = pytest.mark.opensearch

# id -> (title, category)
DOCUMENTS = {
    "guide": ("政府信息公开指南", "指南"),
    "report-2024": ("政府信息公开年度报告", "报告"),
    "apply": ("依申请公开信息办理流程", "指南"),
    "budget": ("财政预算信息", "财政"),
    "work-report": ("政府工作报告", "报告"),
}

INDEX_BODY = {
    "settings": {
        "number_of_shards": 1,
        "analysis": {
            "analyzer": {
                "bigram_whitespace": {"type": "custom", "tokenizer": "whitespace"},
            }
        },
    },
    "mappings": {
        "properties": {
            "title": {"type": "keyword"},
            "title_bigrams": {"type": "text", "analyzer": "bigram_whitespace"},
            "category": {"type": "keyword"},
        }
    },
}


def bigrams(text):
    """ "政府信息" -> "政府 府信 信息": what our indexer will hand the whitespace analyzer."""
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))


@pytest.fixture
def opensearch():
    """An opensearch-py client for the node (named so as not to hide pytest-django's client)."""
    client = OpenSearch(hosts=[service_url("opensearch")], timeout=30)
    yield client
    client.close()


@pytest.fixture
def index(opensearch):
    """A freshly created, uniquely named index holding DOCUMENTS; deleted afterwards."""
    name = f"opengov-test-smoke-{uuid.uuid4().hex[:12]}"
    opensearch.indices.create(index=name, body=INDEX_BODY)
    try:
        actions = [
            {
                "_index": name,
                "_id": doc_id,
                "_source": {"title": title, "title_bigrams": bigrams(title), "category": category},
            }
            for doc_id, (title, category) in DOCUMENTS.items()
        ]
        indexed, errors = helpers.bulk(opensearch, actions, refresh=True)
        assert (indexed, errors) == (len(DOCUMENTS), [])
        yield name
    finally:
        opensearch.indices.delete(index=name, ignore_unavailable=True)


def hit_ids(response):
    return {hit["_id"] for hit in response["hits"]["hits"]}


def test_new_index_has_no_replicas_and_is_green(opensearch, index):
    settings = opensearch.indices.get_settings(index=index)[index]["settings"]["index"]
    assert settings["number_of_replicas"] == "0"
    health = opensearch.cluster.health(index=index, wait_for_status="green")
    assert health["status"] == "green"


def test_whitespace_analyzer_keeps_bigrams_whole(opensearch, index):
    analysed = opensearch.indices.analyze(
        index=index, body={"analyzer": "bigram_whitespace", "text": "政府 府信 信息 息公 公开"}
    )
    assert [token["token"] for token in analysed["tokens"]] == [
        "政府",
        "府信",
        "信息",
        "息公",
        "公开",
    ]


def test_match_phrase_finds_only_titles_with_the_phrase(opensearch, index):
    phrase = opensearch.search(
        index=index,
        body={"query": {"match_phrase": {"title_bigrams": bigrams("信息公开")}}},
    )
    assert hit_ids(phrase) == {"guide", "report-2024"}

    # The same tokens without the phrase also match "依申请公开信息…", where 信息 and 公开
    # are both present but not next to each other.
    loose = opensearch.search(
        index=index,
        body={"query": {"match": {"title_bigrams": {"query": "信息 公开", "operator": "and"}}}},
    )
    assert hit_ids(loose) == {"guide", "report-2024", "apply"}


def test_terms_aggregation_counts_each_category(opensearch, index):
    response = opensearch.search(
        index=index,
        body={"size": 0, "aggs": {"by_category": {"terms": {"field": "category"}}}},
    )
    buckets = response["aggregations"]["by_category"]["buckets"]
    assert {bucket["key"]: bucket["doc_count"] for bucket in buckets} == {
        "指南": 2,
        "报告": 2,
        "财政": 1,
    }
    assert response["hits"]["total"]["value"] == len(DOCUMENTS)


def test_delete_by_query_removes_only_matching_documents(opensearch, index):
    response = opensearch.delete_by_query(
        index=index, body={"query": {"term": {"category": "报告"}}}, refresh=True
    )
    assert response["deleted"] == 2
    assert response["failures"] == []
    assert opensearch.count(index=index)["count"] == len(DOCUMENTS) - 2
    remaining = opensearch.search(index=index, body={"query": {"match_all": {}}})
    assert hit_ids(remaining) == {"guide", "apply", "budget"}
