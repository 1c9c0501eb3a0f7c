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


def test_newest_candidates_read_range_by_range_are_the_newest_of_all(backend, monkeypatch):
    """PostgreSQL with the row ids in its text indexes (migration 0008) reads the newest
    candidates of a query with more matches than it counts among the newest rows first,
    then wider ranges: the hits are those of reading every match, whichever range
    completes the candidates."""
    if backend.vendor != "postgresql":
        pytest.skip("the ranges of row ids are PostgreSQL's")
    monkeypatch.setattr(database, "COUNT_CAP", 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    documents = []
    for n in range(200):
        body = ["通知"]
        if n % 7 == 0:
            body.append("档案工作")  # in one row of seven, all through
        if n < 4:
            body.append("文物保护")  # only in the oldest rows
        documents.append(
            {
                "id": f"d{n:03}",
                "title": "档案开放规定" if n in (5, 150) else f"第{n}号",
                "body": " ".join(body),
                "date": f"20{10 + n % 10}-01-01",
                "topic": "甲" if n % 2 else "乙",
            }
        )
    index_in_turn(backend, documents)
    searches = [
        ("档案", {}, 1),
        ("档案", {}, 2),
        ("档案工作", {"topic": "乙"}, 1),
        ("文物保护", {}, 1),
        ("通知", {}, 3),
        ("不存在的词", {}, 1),
    ]

    def results(ranges):
        monkeypatch.setattr(database, "_ids_in_text_index", {})
        monkeypatch.setattr(
            database.DatabaseSearchBackend, "_ids_in_text_index", lambda self, cursor: ranges
        )
        found = []
        with CaptureQueriesContext(connection) as queries:
            for text, filters, page in searches:
                result = backend.search(text, filters=filters, per_page=2, page=page)
                found.append((result.ids, result.total))
        ranged = sum("+ 0 <=" in query["sql"] for query in queries.captured_queries)
        return found, ranged

    by_range, ranged = results(True)
    # Each with more than two matches read its candidates range by range, but the one
    # narrowed by a facet, which reads the value's own newest rows.
    assert ranged == len(searches) - 2
    everything, unranged = results(False)
    assert unranged == 0
    assert by_range == everything
    assert by_range[3] == (["d003", "d002"], 2)  # found past the ranges, in the oldest rows
    assert by_range[5] == ([], 0)
    assert by_range[0][0][0] in ("d005", "d150")  # a title match ranks first


def test_a_process_asks_once_whether_the_text_index_holds_row_ids(backend, monkeypatch):
    if backend.vendor != "postgresql":
        pytest.skip("the ranges of row ids are PostgreSQL's")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(database, "COUNT_CAP", 1)
    backend.index(
        [{"id": n, "title": "档案", "body": "", "date": "2020-01-01"} for n in ("a", "b")]
    )
    backend.search("档案")  # what a process reads once by time (the statistics) is read by now
    database._ids_in_text_index.clear()
    with CaptureQueriesContext(connection) as few:
        backend.search("档案 规定")  # no match: not many, not asked
    assert database._ids_in_text_index == {}
    with CaptureQueriesContext(connection) as first:
        backend.search("档案")  # more matches than counted: asked
    with CaptureQueriesContext(connection) as then:
        backend.search("档案")
    assert len(first) == len(then) + 1 == len(few) + 1
    # The migration made them here (btree_gin is in PostgreSQL's own contrib).
    assert database._ids_in_text_index == {(backend.alias, connection.settings_dict["NAME"]): True}


def test_the_page_shows_the_matches_the_total_counts(backend):
    """The newest rows holding every token of a query but not as its phrase are no matches:
    with fewer matches than the count reads, the page shows the older rows that are."""
    index_in_turn(
        backend,
        [
            *[
                {"id": f"p{n}", "title": "通知", "body": "加强安全管理", "date": f"2018-0{n}-01"}
                for n in (1, 2)
            ],
            # 安全, 全管 and 管理 all there, never in a row.
            *[
                {"id": f"s{n}", "title": "通知", "body": "安全第一，完全管住，管理制度"}
                | {"date": f"2020-0{n}-01"}
                for n in range(1, 5)
            ],
        ],
    )
    result = backend.search("安全管理", per_page=2)
    assert result.total == 2
    assert result.ids == ["p2", "p1"]


def test_hits_cut_from_the_counted_matches_are_those_the_text_index_gives(backend, monkeypatch):
    """PostgreSQL chooses the candidates of a query with no more matches than it counts from
    the rows the count read; the pages are those of reading the candidates from the text
    indexes: tiers, title matches past the newest, exact 文号, filters, sorts, later pages."""
    if backend.vendor != "postgresql":
        pytest.skip("the count's matches are handed on by PostgreSQL's statement")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    documents = []
    for n in range(40):
        documents.append(
            {
                "id": f"d{n:02}",
                "title": "档案开放规定" if n in (2, 30) else f"工作通知{n}",
                "body": "做好档案工作" if n % 3 else "档案 工作 安排",
                "document_number": f"档发〔2019〕{n}号",
                "date": f"20{10 + n % 10}-01-01",
                "topic": "甲" if n % 2 else "乙",
            }
        )
    index_in_turn(backend, documents)
    searches = [
        ("档案", {}, "relevance", 1),
        ("档案", {}, "relevance", 3),
        ("档案工作", {"topic": "乙"}, "relevance", 1),
        ("档案 工作", {}, "date", 2),
        ("档发〔2019〕7号", {}, "relevance", 1),
        ("〔〕", {}, "relevance", 1),
        ("不存在的词", {}, "relevance", 1),
    ]
    plan = database.DatabaseSearchBackend._pg_plan

    def results(handed_on):
        def planned(self, query):
            found = plan(self, query)
            if found is not None and not handed_on:
                found.pop("flags", None)
            return found

        monkeypatch.setattr(database.DatabaseSearchBackend, "_pg_plan", planned)
        pages = []
        with CaptureQueriesContext(connection) as queries:
            for text, filters, sort, page in searches:
                result = backend.search(text, filters=filters, sort=sort, per_page=3, page=page)
                pages.append((result.ids, result.total))
        return pages, len(queries)

    results(True)  # what a process reads once by time (the statistics, the terms) is read by now
    handed_on, statements = results(True)
    read_again, statements_before = results(False)
    assert handed_on == read_again
    assert statements == statements_before
    assert handed_on[0][0][:2] in (["d30", "d02"], ["d02", "d30"])  # title matches first
    assert handed_on[4][0][0] == "d07"  # the exact 文号
    assert handed_on[6] == ([], 0)


def test_a_counter_after_a_number_tested_on_the_rows_found_gives_the_same_pages(
    backend, monkeypatch
):
    """The database finds the rows of 2012年 by 2012 and tests 年 on them (``Query.counters``;
    PostgreSQL on the row's vector, SQLite on its text in FTS5): the pages and totals are
    those of looking 年 up in the text index, counted in full or not, read range by range or
    not (PostgreSQL)."""
    from opengov_cms.search import analysis

    index_in_turn(
        backend,
        [
            {
                "id": f"d{n:02}",
                "title": f"工作通知{n}" if n % 4 else f"{2010 + n % 5}年工作要点",
                "body": f"{2010 + n % 5}年 第{n % 3}号" if n % 7 else f"{2010 + n % 5} 要点",
                "date": f"20{10 + n % 10}-01-01",
            }
            for n in range(60)
        ],
    )
    searches = [("2012年", 1), ("2012年", 2), ("1号", 1), ("2012年 1号", 1), ("2013年", 3)]
    analyse = analysis.analyse_query

    def results(counters, cap, ranges):
        def analysed(text):
            query = analyse(text)
            if not counters:
                query.counters = [False] * len(query.groups)
            return query

        monkeypatch.setattr(analysis, "analyse_query", analysed)
        monkeypatch.setattr(database, "COUNT_CAP", cap)
        monkeypatch.setattr(
            database.DatabaseSearchBackend, "_ids_in_text_index", lambda self, cursor: ranges
        )
        return [
            (result.ids, result.total)
            for text, page in searches
            for result in [backend.search(text, per_page=2, page=page)]
        ]

    ways = ((1000, False), (4, False), (4, True))
    for cap, ranges in ways if backend.vendor == "postgresql" else ways[:2]:
        assert results(True, cap, ranges) == results(False, cap, ranges), (cap, ranges)
    counted = results(True, 1000, False)
    assert counted[0][1] == 10  # 2012年: the rows of 2012 whose body says 年, not "2012 要点"
    assert counted[0][0][0] in ("d12", "d32", "d52")  # a title match first


def test_a_row_without_a_title_vector_is_still_found(backend):
    """A row indexed before the title had a vector of its own (migration 0007 fills it; a
    row written by an older version in between may still lack one) is found by its text."""
    if backend.vendor != "postgresql":
        pytest.skip("the title's vector is PostgreSQL's")
    from django.db import connection

    backend.index([{"id": "old", "title": "档案规定", "body": "档案工作", "date": "2019-01-01"}])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE opengov_search_searchdocument SET title_vector = NULL")
    assert backend.search("档案").ids == ["old"]


def test_a_phrase_tested_in_the_title_first_finds_what_the_whole_text_finds(backend, monkeypatch):
    """PostgreSQL asks its text index for the rows holding every token of a phrase that is
    not common, and tests each one for the phrase in its title's vector before the whole
    text's (``COMMON_SHARE``): totals, facets and pages are those of testing the whole text
    alone, whether the matches are counted in full or not, by relevance or by date."""
    if backend.vendor != "postgresql":
        pytest.skip("the title's vector is PostgreSQL's")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kinds = [
        ("旅游景区质量等级评定办法", "通知"),  # in the title
        ("工作通知", "开展旅游景区质量等级评定"),  # in the body only
        ("景区质量等级与旅游游景", "通知"),  # every bigram in the title, never the phrase
        ("等级质量旅游景区", "推进旅游景区质量等级工作"),  # apart in the title, in the body
        ("2012年工作要点", "要点"),  # the counter of 2012年 in the title
        ("工作要点", "2012 年度"),  # 2012 and then 年
    ]
    index_in_turn(
        backend,
        [
            {
                "id": f"d{n:02}",
                "title": kinds[n % len(kinds)][0],
                "body": kinds[n % len(kinds)][1],
                "document_number": f"旅发〔2012〕{n}号",
                "date": f"20{10 + n % 10}-01-01",
                "topic": "甲" if n % 4 else "乙",
            }
            for n in range(36)
        ],
    )
    with connection.cursor() as cursor:  # one row indexed before titles had their vector
        cursor.execute(
            "UPDATE opengov_search_searchdocument SET title_vector = NULL WHERE document_id = 'd06'"
        )
    searches = [
        ("旅游景区质量等级", "relevance", 1),
        ("旅游景区质量等级", "relevance", 2),
        ("旅游景区质量等级", "date", 3),
        ("2012年", "relevance", 1),
        ("旅发〔2012〕7号", "relevance", 1),
    ]

    def results(share, cap):
        monkeypatch.setattr(database, "COMMON_SHARE", share)
        monkeypatch.setattr(database, "COUNT_CAP", cap)
        found = []
        with CaptureQueriesContext(connection) as queries:
            for text, sort, page in searches:
                result = backend.search(
                    text, sort=sort, page=page, per_page=4, facets=["topic", "year"]
                )
                # Past the count, the facets are those of the newest matches where the
                # table is read, of the text index's first where it is asked: the two forms
                # count other rows.
                found.append((result.ids, result.total, None if result.capped else result.facets))
        title_first = sum(
            "d.title_vector @@" in query["sql"].split(" SELECT 0,")[0]
            for query in queries.captured_queries
            if query["sql"].startswith("WITH f AS")
        )
        return found, title_first

    for cap in (1000, 5):
        whole_text, none_title_first = results(0.0, cap)
        title_first, asked_so = results(2.0, cap)
        assert none_title_first == 0
        assert asked_so == len(searches)
        assert title_first == whole_text, cap
    # In the title (d00 …, and d06, without a title vector, by its whole text) or the body
    # (d01 …, d03 …), never the bigrams apart (d02 …).
    monkeypatch.setattr(database, "COUNT_CAP", 1000)
    found = backend.search("旅游景区质量等级", per_page=20)
    assert set(found.ids) == {f"d{n:02}" for n in range(36) if n % 6 in (0, 1, 3)}
    assert found.total == 18
    # 2012年: the titles that say it, and the bodies that say 2012 年度; no 文号 of 2012 alone.
    found = backend.search("2012年", per_page=20)
    assert set(found.ids) == {f"d{n:02}" for n in range(36) if n % 6 in (4, 5)}


def test_how_common_tokens_are_is_read_once_a_process(backend, monkeypatch):
    """The share of rows holding each token comes from PostgreSQL's statistics of the text's
    vectors, asked for once a process: a phrase of common tokens is tested on the whole
    text only, one of rare tokens in the title first."""
    if backend.vendor != "postgresql":
        pytest.skip("the statistics are PostgreSQL's")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    index_in_turn(
        backend,
        [
            {
                "id": f"d{n:03}",
                "title": "政府信息公开工作通知" if n % 2 else "工作通知",
                "body": "依据政府信息公开条例" + ("，建筑工地扬尘污染防治" if n % 25 == 0 else ""),
                "date": f"20{10 + n % 10}-01-01",
            }
            for n in range(200)
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opengov_search_searchdocument")
    monkeypatch.setattr(database, "_token_shares", {})
    with CaptureQueriesContext(connection) as first:
        shares, rarest, rows = backend._token_shares()
    assert len(first) == 1
    assert shares["公开"] == pytest.approx(1.0)
    # The titles' own statistics, from the same statement: half of them say 政府信息公开.
    with CaptureQueriesContext(connection) as titles:
        title_shares, _title_rarest, _rows = backend._token_shares("title_vector")
    assert len(titles) == 0
    assert title_shares["公开"] == pytest.approx(0.5, abs=0.05)
    assert "扬尘" not in shares or shares["扬尘"] < database.COMMON_SHARE
    assert rows == 200
    with CaptureQueriesContext(connection) as then:
        assert backend._token_shares() == (shares, rarest, rows)
    assert len(then) == 0

    def count_statement(text):
        with CaptureQueriesContext(connection) as queries:
            result = backend.search(text)
        return result.total, next(q["sql"] for q in queries if "WITH f AS" in q["sql"])

    total, common = count_statement("政府信息公开")
    assert total == 200
    assert "d.title_vector @@" not in common.split("SELECT 0")[0]
    total, rare = count_statement("扬尘污染防治")
    assert total == 8
    assert "d.title_vector @@" in rare.split("SELECT 0")[0]


def test_the_share_of_rows_a_query_may_match_is_bounded_by_its_rarest_token():
    shares = {"政府": 0.98, "府信": 0.76, "公开": 0.97, "旅游": 0.14}

    def clause(*alternatives):
        return [[(tokens, prefix) for tokens, prefix in parts] for parts in alternatives]

    phrase = clause([(["政府", "府信"], False)])
    assert database.share_bound([phrase], shares, 0.05) == 0.76
    # Two groups: the rarer one bounds the whole.
    assert database.share_bound([phrase, clause([(["旅游"], False)])], shares, 0.05) == 0.14
    # A token not among the most common is no commoner than the rarest of them.
    assert database.share_bound([clause([(["扬尘"], False)])], shares, 0.05) == 0.05
    # Alternatives add up; a prefix may be anything.
    either = clause([(["旅游"], False)], [(["扬尘"], False)])
    assert database.share_bound([either], shares, 0.05) == pytest.approx(0.19)
    assert database.share_bound([clause([(["政"], True)])], shares, 0.05) == 1.0


def test_the_newest_ranges_are_sized_by_how_common_the_query_is(backend, monkeypatch):
    """The first range of ids holds, by the statistics, twice the candidates wanted; each
    next one five times as many ids, up to three ranges within a quarter of the rows; where
    the first would cost more than visiting every match expected, every match is read."""
    from opengov_cms.search import analysis

    def sizes(text, shares, rarest, rows, column="search_vector"):
        def token_shares(self, asked="search_vector"):
            # The titles' statistics: every token ten times rarer than in the text.
            if asked == "title_vector":
                return {t: share / 10 for t, share in shares.items()}, rarest / 10, rows
            return shares, rarest, rows

        monkeypatch.setattr(database.DatabaseSearchBackend, "_token_shares", token_shares)
        return backend._newest_ranges(analysis.analyse_query(text), 200, column)

    listed = {"公开": 0.97, "招生": 0.03}
    assert sizes("公开", listed, 0.02, 1_000_000) == (413, 2065, 10325)
    assert sizes("公开", listed, 0.02, 10_000) == (413, 2065)
    # None past a quarter of the rows.
    assert sizes("招生", listed, 0.02, 100_000) == (13334,)
    # Not listed: no commoner than the rarest listed.
    assert sizes("扬尘", listed, 0.02, 1_000_000) == (20000, 100000)
    # So rare that 1,000 ids cost more than visiting its every row.
    assert sizes("扬尘", listed, 0.001, 1_000_000) is None
    assert sizes("扬尘", listed, 0.02, 10_000) is None
    # The title's index by the titles' statistics.
    assert sizes("公开", listed, 0.02, 1_000_000, "title_vector") == (4124, 20620, 103100)
    # Before the first statistics: small ranges, whatever the table holds.
    assert sizes("扬尘", {}, 0.0, -1) == (400, 2000)


@pytest.fixture
def any_backend(search_backend, monkeypatch):
    """Every backend, ranking three candidates."""
    from opengov_cms.search.backends import engine

    monkeypatch.setattr(database, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(engine, "RANK_CANDIDATES", 3)
    if search_backend.name == "database":
        search_backend.clear()
    return search_backend


def test_every_backend_ranks_the_newest_matches_only(any_backend):
    """Indexed in the order of their dates, the newest matches are the same by row id (the
    database) and by date (the engines): a better match older than the candidates is left
    out of the first page on every backend, and ranked first once the page reaches it."""
    scattered = {"title": "通知", "body": "安全生产 加强管理"}
    index_in_turn(
        any_backend,
        [
            {"id": "phrase", "title": "通知", "body": "推进安全管理工作", "date": "2019-01-01"},
            *[{**scattered, "id": f"s{n}", "date": f"2020-01-0{n}"} for n in range(1, 8)],
        ],
    )
    assert set(any_backend.search("安全 管理", per_page=3).ids) == {"s5", "s6", "s7"}
    everything = any_backend.search("安全 管理", per_page=20).ids
    assert everything[0] == "phrase"
    assert sorted(everything[1:]) == [f"s{n}" for n in range(1, 8)]


def test_every_backend_ranks_an_old_exact_number_first_past_the_candidates(any_backend):
    titled = {"body": "", "document_number": ""}
    index_in_turn(
        any_backend,
        [
            {"id": "exact", "title": "档案管理办法", "body": "", "date": "2010-03-01"}
            | {"document_number": "档发〔2010〕3号"},
            *[
                {**titled, "id": f"t{n}", "title": f"关于档发〔2010〕3号的第{n}次补充通知"}
                | {"date": f"2020-01-0{n}"}
                for n in range(1, 8)
            ],
        ],
    )
    first = any_backend.search("档发〔2010〕3号", per_page=3)
    assert len(first.ids) == 3
    assert first.ids[0] == "exact"
    assert set(first.ids[1:]) <= {"t5", "t6", "t7"}


@pytest.mark.parametrize("query", ["", "资金"])
def test_past_the_count_the_facets_are_those_of_the_newest_matches(backend, monkeypatch, query):
    """With more matches than it counts, a search read from the table (no query, or every
    token common) counts the newest: its facets stay the same from load to load, whatever
    order the rows lie in."""
    if query and backend.vendor != "postgresql":
        pytest.skip("SQLite reads a query's matches from its text index, in the index's order")
    monkeypatch.setattr(database, "COUNT_CAP", 2)
    # 资金 in every row: read from the table, not the text index.
    monkeypatch.setattr(
        database.DatabaseSearchBackend,
        "_token_shares",
        lambda self, column="search_vector": ({"资金": 1.0}, 1.0, 5),
    )
    index_in_turn(
        backend,
        [
            {"id": f"d{n}", "title": f"资金通知{n}", "body": "专项资金", "date": f"2020-0{n}-01"}
            | {"organisation": "甲局" if n <= 2 else "乙局"}
            for n in range(1, 6)
        ],
    )
    for _load in range(2):
        result = backend.search(query, facets=["organisation"], per_page=2)
        assert result.capped
        # The count reads one more than it counts, to know it has more.
        assert result.facets["organisation"] == [("乙局", 3)]


@pytest.mark.parametrize(
    "filters, expected, topics",
    [
        ({"year": ["2010"]}, ["y2010-3", "y2010-2"], [("环保", 2), ("工业", 1)]),
        # Two values of one facet, and two facets.
        ({"year": ["2010", "2011"]}, ["y2011-1", "y2010-3"], [("工业", 2), ("环保", 1)]),
        ({"year": ["2010"], "topic": ["环保"]}, ["y2010-3", "y2010-1"], [("环保", 2)]),
    ],
)
def test_a_search_narrowed_by_a_facet_ranks_the_newest_of_its_value(
    backend, monkeypatch, filters, expected, topics
):
    """Past the count, a search narrowed to one value of a facet takes its candidates
    newest first among that value's rows, wherever they lie among the row ids; on
    PostgreSQL, its capped facets describe the newest of them, as a search without
    narrowing does for a common word."""
    monkeypatch.setattr(database, "COUNT_CAP", 2)
    monkeypatch.setattr(database, "RANK_CANDIDATES", 2)
    monkeypatch.setattr(
        database.DatabaseSearchBackend,
        "_token_shares",
        lambda self, column="search_vector": ({"资金": 1.0}, 1.0, 12),
    )
    old = [
        {"id": f"y2010-{n}", "year": 2010, "date": f"2010-0{n}-01", "topic": topic}
        for n, topic in ((1, "环保"), (2, "工业"), (3, "环保"))
    ]
    index_in_turn(
        backend,
        [
            *[{**d, "title": "通知", "body": "专项资金管理"} for d in old],
            {"id": "y2011-1", "year": 2011, "date": "2011-01-01", "title": "通知"}
            | {"body": "专项资金管理", "topic": "工业"},
            *[
                {"id": f"new-{n}", "year": 2020, "date": f"2020-0{n}-01", "title": "通知"}
                | {"body": "专项资金管理", "topic": "工业"}
                for n in range(1, 9)
            ],
        ],
    )
    result = backend.search("资金", filters=filters, facets=["topic"], per_page=2)
    assert result.ids == expected
    if backend.vendor == "postgresql":
        # The count reads one more than it counts: the newest three of the value.
        assert result.facets["topic"] == topics
