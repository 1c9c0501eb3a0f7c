"""The database backend on PostgreSQL with the RUM indexes (migration 0008): the candidates read
newest first from RUM are the ones the GIN path reads, so every search returns the same page.

These run where the test database has the extension ``rum`` (ci/postgres/start makes it in
template1); on SQLite, or a PostgreSQL server without it, they are skipped, and the GIN path
is what every other search test runs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opengov_cms.search.backends import database
from opengov_cms.search.backends.base import FACET_FIELDS
from opengov_cms.search.backends.database import DatabaseSearchBackend
from tests.search import judged

pytestmark = pytest.mark.django_db


@pytest.fixture
def rum():
    backend = DatabaseSearchBackend()
    if connection.vendor != "postgresql" or not backend.uses_rum():
        pytest.skip("needs PostgreSQL with the extension rum (ci/postgres/start)")
    return backend


def pages(backend, query, **kwargs):
    """The first two pages of a search: their hits (id, score) in order, total and facets."""
    seen = []
    for page in (1, 2):
        results = backend.search(query, facets=FACET_FIELDS, page=page, per_page=5, **kwargs)
        seen.append(([(hit.id, hit.score) for hit in results.hits], results.total))
        seen.append(results.facets)
    return seen


def rum_statements(backend, query):
    with CaptureQueriesContext(connection) as queries:
        backend.search(query, per_page=5)
    return [q["sql"] for q in queries.captured_queries if "<=|" in q["sql"]]


def test_the_rum_path_returns_what_the_gin_path_returns_for_the_judged_set(rum, monkeypatch):
    rum.index(judged.documents())
    gin = DatabaseSearchBackend(RUM=False)
    # Few candidates, so that the cut to the newest ones decides what is ranked, and every
    # word read through RUM, however common among the 48 documents.
    monkeypatch.setattr(database, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(database, "RUM_SHARE", 1.0)
    read_through_rum = 0
    for query in judged.QUERIES:
        assert pages(rum, query.text) == pages(gin, query.text), query.text
        assert not rum_statements(gin, query.text)
        read_through_rum += bool(rum_statements(rum, query.text))
    # Every query with letters or digits in it is read through RUM (a 文号 alone is not).
    assert read_through_rum >= len(judged.QUERIES) - 5


def test_the_newest_candidates_are_the_same_on_both_paths(rum, monkeypatch):
    """Many matches, few candidates: the page is cut from the newest matches on both paths,
    filtered or not."""
    documents = [
        {
            "id": f"n:{number}",
            "title": f"政务公开工作要点第{number}号",
            "body": "推进政务公开标准化规范化。" * (1 + number % 3),
            "organisation": "六安市人民政府办公室" if number % 2 else "六安市财政局",
            "year": 2020 + number % 6,
            "date": f"{2020 + number % 6}-0{1 + number % 9}-1{number % 10}",
        }
        for number in range(120)
    ]
    rum.index(documents)
    gin = DatabaseSearchBackend(RUM=False)
    monkeypatch.setattr(database, "RANK_CANDIDATES", 10)
    monkeypatch.setattr(database, "RUM_SHARE", 1.0)
    for query, filters in (
        ("政务公开", {}),
        ("规范化", {"organisation": ["六安市财政局"]}),
        ("工作要点", {"year": [2021, 2024]}),
    ):
        assert pages(rum, query, filters=filters) == pages(gin, query, filters=filters)
        assert rum_statements(rum, query)
        hits = rum.search(query, filters=filters, per_page=10).hits
        assert hits, query


def test_a_word_most_documents_hold_walks_the_rows_newest_first_instead(rum):
    """RUM sorts all of a word's entries before giving the first: for a word in most documents
    the candidates are read by walking the rows newest first, which stops at the limit."""
    rum.index(
        [{"id": f"c:{number}", "title": f"通知{number}", "body": "公开"} for number in range(60)]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {database.TABLE}")
    with CaptureQueriesContext(connection) as queries:
        assert rum.search("公开").total == 60
    (statement,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("WITH c")]
    # The whole text's branch walks the rows; the titles' (none holds the word) reads RUM.
    body, title = statement.split(" UNION ")[:2]
    assert "search_vector @@" in body and "ORDER BY d.id DESC" in body
    assert "title_vector @@" in title and "<=|" in title
