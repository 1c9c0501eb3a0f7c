"""Search quality on the generated corpus: recall and precision@10 of the judged queries.

The thresholds are the figures measured on every backend (reported in docs/search.md),
rounded down, so a change that makes search find less, or rank worse, fails here.
"""

import time

import pytest

from tests.search import corpus as corpus_module
from tests.search.conftest import BACKENDS, make_backend

RECALL_THRESHOLD = 0.98
PRECISION_AT_10_THRESHOLD = 0.98


@pytest.fixture(scope="module")
def corpus():
    return corpus_module.build()


def all_ids(backend, text):
    ids, page = [], 1
    while True:
        results = backend.search(text, page=page, per_page=100)
        ids.extend(results.ids)
        if not results.has_next:
            return ids
        page += 1


def measure(backend, corpus):
    """Mean recall (over all results) and mean precision@10 of the judged queries.

    Precision@10 counts the expected documents among the first ten results, out of ten or
    out of the number expected when fewer: a query with one right answer scores 1 when that
    answer is in the first ten.
    """
    recall = precision = 0.0
    result_sets = {}
    for query in corpus.queries:
        retrieved = all_ids(backend, query.text)
        result_sets[query.text] = set(retrieved)
        top = set(retrieved[:10])
        recall += len(query.expected & set(retrieved)) / len(query.expected)
        precision += len(query.expected & top) / min(10, len(query.expected))
    count = len(corpus.queries)
    return recall / count, precision / count, result_sets


def test_the_corpus_and_judged_set(corpus):
    assert len(corpus.documents) >= 300
    assert len({d["id"] for d in corpus.documents}) == len(corpus.documents)
    assert len(corpus.queries) >= 60
    assert all(query.expected for query in corpus.queries)
    assert all(query.expected <= set(corpus.by_id) for query in corpus.queries)
    # The same every time: the figures in the docs can be measured again.
    again = corpus_module.build()
    assert again.documents == corpus.documents
    assert [(q.text, q.expected) for q in again.queries] == [
        (q.text, q.expected) for q in corpus.queries
    ]


@pytest.mark.parametrize("name", BACKENDS)
def test_recall_and_precision(request, db, corpus, name):
    backend = make_backend(request, name)
    try:
        started = time.perf_counter()
        backend.index(corpus.documents)
        indexed = time.perf_counter() - started
        started = time.perf_counter()
        recall, precision, _ = measure(backend, corpus)
        searched = (time.perf_counter() - started) / len(corpus.queries)
    finally:
        if name != "database":
            backend.drop()
    print(
        f"{name}: recall {recall:.3f}, precision@10 {precision:.3f}; indexing "
        f"{indexed:.2f}s for {len(corpus.documents)} documents, {searched * 1000:.0f} ms a query"
    )
    assert recall >= RECALL_THRESHOLD
    assert precision >= PRECISION_AT_10_THRESHOLD


@pytest.mark.opensearch
def test_every_backend_returns_the_same_result_sets(request, db, corpus):
    backends = [make_backend(request, param.values[0]) for param in BACKENDS]
    try:
        sets = []
        for backend in backends:
            backend.index(corpus.documents)
            sets.append(measure(backend, corpus)[2])
    finally:
        for backend in backends[1:]:
            backend.drop()
    database, *engines = sets
    for engine in engines:
        differing = [text for text in database if database[text] != engine[text]]
        assert differing == []
