"""The engines look for a page by relevance among the top tiers' matches first (title, 文号,
exact number), and ask for the other matches only when those do not fill the page: the
pages must be the ones a single request over every match gives, in the same order."""

import json

import pytest

from opengov_cms.search.backends.base import FACET_FIELDS
from opengov_cms.search.backends.engine import parse_response, search_body

ENGINES = [
    pytest.param("opensearch", marks=pytest.mark.opensearch),
    pytest.param("elasticsearch", marks=pytest.mark.opensearch),
]


@pytest.fixture(params=ENGINES)
def engine(request, db):
    from tests.search.conftest import make_backend

    backend = make_backend(request, request.param)
    yield backend
    backend.drop()


def documents():
    """Matches of 信息公开 in every tier: in the title, as a phrase in the body only, with its
    characters apart, by exact 文号; spread over validities and dates, with filler that
    matches nothing."""
    docs = []
    for n in range(60):
        kind = n % 5
        title = {
            0: f"关于第{n}批政府信息公开工作的通知",
            1: f"第{n}号工作要点",
            2: f"信息化建设与公开招标方案{n}",
            3: f"第{n}次会议纪要",
            4: f"城市绿化养护办法{n}",
        }[kind]
        body = {
            0: "做好年度工作。",
            1: "各单位应依法做好信息公开，" * (1 + n % 3),
            2: "信息系统建设，招标结果公开。",
            3: "会议要求推进政府信息公开标准化。",
            4: "绿化养护。",
        }[kind]
        docs.append(
            {
                "id": f"d{n}",
                "title": title,
                "summary": "",
                "body": body,
                "document_number": f"信息公开〔2020〕{n}号" if n in (7, 33) else "",
                "organisation": f"局{n % 3}",
                "organisation_id": str(n % 3),
                "topic": "政务",
                "genre": "通知",
                "year": 2000 + n % 20,
                "validity": ("valid", "expired", "repealed")[n % 3],
                "content_type": "opengov_policies.policydocumentpage",
                "url": f"/d/{n}/",
                "date": f"{2000 + n % 20}-01-{1 + n % 28:02d}",
            }
        )
    return docs


def single_request(engine, query, page, per_page, filters=None):
    """The page as one request over every match ranks it."""
    body = search_body(
        query,
        filters=filters or {},
        sort="relevance",
        offset=(page - 1) * per_page,
        limit=per_page,
    )
    response = engine._run_searches([body])["responses"][0]
    return [doc_id for doc_id, _score, _stored in parse_response(response, ())[0]]


def calls(engine, monkeypatch):
    made = []
    original = engine._run_searches

    def counted(bodies, **options):
        made.append(len(bodies))
        return original(bodies, **options)

    monkeypatch.setattr(engine, "_run_searches", counted)
    return made


@pytest.mark.parametrize("query", ["信息公开", "公开", "信息", "第7号", "养护", "不存在的词"])
@pytest.mark.parametrize("per_page", [3, 7, 20])
def test_the_pages_are_those_of_one_request_over_every_match(engine, query, per_page):
    from opengov_cms.search.analysis import analyse_query

    engine.index(documents())
    analysed = analyse_query(query)
    total = engine.search(query, per_page=per_page).total
    seen = []
    for page in range(1, total // per_page + 3):
        results = engine.search(query, facets=FACET_FIELDS, page=page, per_page=per_page)
        assert results.ids == single_request(engine, analysed, page, per_page), (query, page)
        assert results.total == total
        seen += results.ids
    assert len(seen) == len(set(seen)) == total


def test_with_filters_too(engine):
    from opengov_cms.search.analysis import analyse_query

    engine.index(documents())
    filters = {"validity": ["valid", "repealed"], "organisation_id": ["0", "1"]}
    analysed = analyse_query("信息公开")
    for page in (1, 2, 3):
        results = engine.search("信息公开", filters=filters, page=page, per_page=4)
        assert results.ids == single_request(engine, analysed, page, 4, filters)


def test_one_round_trip_when_the_titles_fill_the_page(engine, monkeypatch):
    engine.index(documents())
    made = calls(engine, monkeypatch)
    results = engine.search("信息公开", per_page=5)
    # Twelve titles hold 信息公开 (and two 文号): the first page of five is theirs.
    assert made == [2]
    assert all(
        "信息公开" in hit.document["title"] or "信息公开" in hit.document["document_number"]
        for hit in results.hits
    )
    made.clear()
    # Past the titles, the other matches are asked for, in a second round trip.
    results = engine.search("信息公开", page=3, per_page=5)
    assert made == [2, 1]
    assert len(results.hits) == 5


def test_no_second_request_when_every_match_is_in_the_top_tiers(engine, monkeypatch):
    engine.index(documents())
    made = calls(engine, monkeypatch)
    results = engine.search("招标方案")
    assert made == [2]
    assert results.total == 12


def test_sorted_by_date_is_one_request(engine, monkeypatch):
    engine.index(documents())
    made = calls(engine, monkeypatch)
    results = engine.search("信息公开", sort="date", per_page=30)
    assert made == [2]
    dates = [hit.document["date"] for hit in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_both_round_trips_ask_the_same_copy_of_the_index(engine, monkeypatch):
    """A replica refreshes on its own: the second request must read the copy the first
    counted, or a document edited in between could be listed twice or not at all."""
    engine.index(documents())
    asked = []
    original = engine._run_searches

    def recorded(bodies, **options):
        asked.append(options.get("preference"))
        return original(bodies, **options)

    monkeypatch.setattr(engine, "_run_searches", recorded)
    engine.search("信息公开", page=3, per_page=5)
    assert len(asked) == 2 and asked[0] and asked[0] == asked[1]
    # Every page of one search asks the same copy, so its candidates stay the same (the
    # documents of one day are in the order each copy holds them); another search may not.
    engine.search("信息公开", page=4, per_page=5)
    assert set(asked[2:]) == {asked[0]}
    engine.search("信息公开", filters={"topic": ["政务"]}, page=3, per_page=5)
    assert asked[-1] != asked[0]


def test_a_document_in_both_answers_is_listed_once(engine, monkeypatch):
    """Were a document edited out of the top tiers between the two requests, the second
    could list it again: the page keeps it once."""
    engine.index(documents())
    original = engine._run_searches
    first = []

    def moved(bodies, **options):
        response = original(bodies, **options)
        hits = response["responses"][0]["hits"]["hits"]
        if first:
            hits.insert(0, first[0])
        else:
            first.append(hits[0])
        return response

    monkeypatch.setattr(engine, "_run_searches", moved)
    results = engine.search("信息公开", page=3, per_page=5)
    # Four of the top tiers, then the other matches' first, the repeated one left out.
    assert len(results.ids) == len(set(results.ids)) == 5


def test_an_index_gone_before_the_second_request_leaves_the_first_answer(engine, monkeypatch):
    engine.index(documents())
    original = engine._run_searches
    expected = engine.search("信息公开", page=3, per_page=5).ids

    def dropped_between(bodies, **options):
        if len(bodies) == 1:  # the second request: the index is dropped just before it
            engine.drop()
        return original(bodies, **options)

    monkeypatch.setattr(engine, "_run_searches", dropped_between)
    results = engine.search("信息公开", page=3, per_page=5)
    # The page's top-tier hits (the first four of the five) and the count stay.
    assert results.ids == expected[:4]
    assert results.total > 12


def old_index(engine, earlier):
    """The site's index as an earlier version made it: a strict mapping without ``day``,
    holding ``earlier`` without it."""
    from opengov_cms.search.backends import engine as engine_module

    old = engine_module.index_body(0)
    del old["mappings"]["properties"]["day"]
    name = engine.new_index_name()
    engine._create_index(engine.client, name, old)
    engine._call(
        engine.client.indices.update_aliases,
        **engine._aliases_body([{"add": {"index": name, "alias": engine.alias}}]),
    )
    actions = engine_module.index_actions(engine.alias, earlier)
    for action in actions:
        indexed = json.loads(action["_source"])
        del indexed["day"]
        action["_source"] = json.dumps(indexed)
    engine._bulk(engine.client, actions, True)


def test_an_index_made_before_the_day_field_takes_new_documents(engine, settings):
    """An index made by an earlier version has a strict mapping without ``day``: the first
    write adds the field, the documents indexed before are counted as stale until a
    rebuild, and the check command says so."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    old_index(engine, documents()[:3])
    assert engine.stale_count() == 3

    engine.index(documents()[3:6])
    assert engine.stale_count() == 3
    assert engine.search("", per_page=10).total == 6
    if engine.name == "opensearch":
        settings.OPENGOV_CMS_SEARCH = {
            "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
            "OPTIONS": engine.options,
        }
        with pytest.raises(CommandError, match="3 documents indexed by an earlier version"):
            call_command("opengov_search_check")

    # A date that is no date, or none, is indexed as day 0: the document is not stale.
    undated = [{**documents()[6], "date": "2020年1月"}, {**documents()[7], "date": ""}]
    engine.rebuild([*documents()[:6], *undated])
    assert engine.stale_count() == 0
    assert engine.search("", per_page=10).total == 8


def test_an_index_not_yet_rebuilt_is_ranked_over_every_match(engine, monkeypatch):
    """Until the documents of an earlier version are indexed again with their day, ranking
    among the newest candidates would take them in no order: every match is ranked, as
    that version did. Once rebuilt, only the newest are."""
    from opengov_cms.search.backends import engine as engine_module

    monkeypatch.setattr(engine_module, "RANK_CANDIDATES", 3)
    titled = {"body": "", "summary": "", "url": "/t/"}
    found = [
        *[
            {**titled, "id": f"s{n}", "title": f"安全生产与质量管理通知{n}"}
            | {"date": f"2020-01-0{n}"}
            for n in range(1, 8)
        ],
        # The whole query as one phrase in the title: above the others, the oldest, and
        # indexed last (without a day, the engine's first three would be the first indexed).
        {**titled, "id": "phrase", "title": "安全管理规定", "date": "2019-01-01"},
    ]
    old_index(engine, found)
    assert engine.search("安全 管理", per_page=3).ids[0] == "phrase"
    engine.rebuild(found)
    assert set(engine.search("安全 管理", per_page=3).ids) == {"s5", "s6", "s7"}
    assert engine.search("安全 管理", per_page=20).ids[0] == "phrase"
