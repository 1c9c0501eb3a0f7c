"""The judged set of what people type (tests/search/judged.py): recall@10 and P@10 on every
backend, and the same result set for every query on all of them.

recall@10 is the share of a query's relevant documents among its first ten results; P@10 the
share of its first ten results (or of all of them, when fewer) that are relevant. The figures
are in docs/search.md; any change that makes a backend find less, or find wrong documents,
fails here.
"""

import pytest

from tests.search import judged
from tests.search.conftest import BACKENDS, make_backend

RECALL_AT_10 = 1.0
PRECISION_AT_10 = 1.0


def measure(backend):
    per_query, result_sets = {}, {}
    for query in judged.QUERIES:
        results = backend.search(query.text, per_page=10)
        top = results.ids
        result_sets[query.text] = (set(top), results.total)
        found = len(query.expected & set(top))
        per_query[query.text] = (found / len(query.expected), found / len(top) if top else 0.0)
    count = len(per_query)
    recall = sum(r for r, _p in per_query.values()) / count
    precision = sum(p for _r, p in per_query.values()) / count
    return recall, precision, per_query, result_sets


def test_the_judged_set():
    documents = judged.documents()
    numbers = {document["id"] for document in documents}
    assert len(documents) >= 40
    assert len(judged.QUERIES) >= 40
    assert len({query.text for query in judged.QUERIES}) == len(judged.QUERIES)
    for query in judged.QUERIES:
        assert query.expected and query.expected <= numbers, query.text
    kinds = {query.kind for query in judged.QUERIES}
    assert kinds == {judged.PUNCTUATION, judged.TRADITIONAL, judged.DICTIONARY, judged.ORDINARY}


@pytest.mark.parametrize("name", BACKENDS)
def test_recall_and_precision_at_10(request, db, name):
    backend = make_backend(request, name)
    try:
        backend.index(judged.documents())
        recall, precision, per_query, _sets = measure(backend)
    finally:
        if name != "database":
            backend.drop()
    print(f"{name}: recall@10 {recall:.3f}, P@10 {precision:.3f}")
    missed = {text: figures for text, figures in per_query.items() if figures != (1.0, 1.0)}
    assert recall >= RECALL_AT_10, missed
    assert precision >= PRECISION_AT_10, missed


@pytest.mark.opensearch
def test_every_backend_returns_the_same_results(request, db):
    backends = [make_backend(request, param.values[0]) for param in BACKENDS]
    try:
        sets = []
        for backend in backends:
            backend.index(judged.documents())
            sets.append(measure(backend)[3])
    finally:
        for backend in backends[1:]:
            backend.drop()
    database, *engines = sets
    for engine in engines:
        assert [text for text in database if database[text] != engine[text]] == []
