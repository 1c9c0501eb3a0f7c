"""The database backend ranks candidates, not every match (docs/search.md, "What a search
costs"): past the candidates, a title match still ranks first, and the rest are ordered by
tier, then relevance, validity and date, on SQLite and PostgreSQL alike."""

import pytest

from opengov_cms.search.backends import database

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(monkeypatch):
    monkeypatch.setattr(database, "RANK_CANDIDATES", 3)
    backend = database.DatabaseSearchBackend()
    backend.clear()
    return backend


def index_in_turn(backend, documents):
    for document in documents:  # one at a time: the index's row ids follow this order
        backend.index([document])


def test_past_the_candidates_an_old_title_match_still_ranks_first(backend):
    body = [
        {"id": f"b{n}", "title": f"通知第{n}号", "body": "做好档案工作", "date": f"2020-01-0{n}"}
        for n in range(1, 8)
    ]
    index_in_turn(
        backend,
        [
            {"id": "t-old", "title": "档案工作规定", "body": "", "date": "2018-01-01"},
            *body,
            {"id": "t-new", "title": "档案开放规定", "body": "", "date": "2019-06-01"},
        ],
    )
    first = backend.search("档案", per_page=2)
    assert first.total == 9
    # The old title match is older than every text candidate, and found as a title one.
    assert set(first.ids) == {"t-old", "t-new"}
    second = backend.search("档案", per_page=2, page=2)
    # Then the newest matches in the body, the same text ordered by date.
    assert second.ids == ["b7", "b6"]


def test_past_the_candidates_the_phrase_tier_still_holds(backend):
    scattered = {"title": "通知", "body": "安全生产 加强管理"}
    index_in_turn(
        backend,
        [
            *[{**scattered, "id": f"s{n}", "date": f"2020-01-0{n}"} for n in range(1, 4)],
            # The whole query as one phrase, in the body only, among the newest matches.
            {"id": "phrase", "title": "通知", "body": "推进安全管理工作", "date": "2019-01-01"},
            *[{**scattered, "id": f"s{n}", "date": f"2020-01-0{n}"} for n in range(4, 6)],
        ],
    )
    assert backend.search("安全 管理", per_page=2).ids == ["phrase", "s5"]
    # A phrase match that is no candidate is not ranked: the first pages are the newest.
    index_in_turn(backend, [{**scattered, "id": f"s{n}", "date": f"2020-01-0{n}"} for n in (6, 7)])
    assert backend.search("安全 管理", per_page=2).ids == ["s7", "s6"]
    # With every match a candidate (a page as long as all of them), it is first again.
    everything = backend.search("安全 管理", per_page=20).ids
    assert everything[0] == "phrase"
    assert sorted(everything[1:]) == [f"s{n}" for n in range(1, 8)]
