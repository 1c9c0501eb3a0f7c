"""The contract every search backend keeps: the same documents give the same answers.

Each test runs on the database backend (SQLite, or PostgreSQL when DATABASE_URL is set), on
OpenSearchBackend against the real node, and on ElasticsearchBackend through the
compatibility proxy in front of that node.
"""

import time

import pytest

from opengov_cms.search.backends.base import FACET_FIELDS, SearchError, SearchUnavailable

POLICY = "opengov_policies.policydocumentpage"
ENTRY = "opengov_catalogue.catalogueentrypage"

DOCUMENTS = [
    {
        "id": "page:1",
        "title": "关于做好2019年政府信息公开工作的通知",
        "summary": "各单位要认真落实政府信息公开条例，做好主动公开工作。",
        "body": "根据《中华人民共和国政府信息公开条例》，现就做好本年度工作通知如下。",
        "document_number": "国办发〔2019〕14号",
        "index_number": "11341500MB1234567X/2019-00123",
        "organisation": "市文化和旅游局",
        "organisation_id": "1",
        "topic": "文化",
        "genre": "通知",
        "year": 2019,
        "validity": "valid",
        "content_type": POLICY,
        "url": "/policies/1/",
        "date": "2019-03-01",
    },
    {
        "id": "page:2",
        "title": "市财政局关于印发预算管理办法的通知",
        "summary": "规范预算编制与执行。",
        "body": "本办法所称预算，包括税收收入和非税收入。预算信息依法公开。",
        "document_number": "财预〔2020〕3号",
        "index_number": "11341500MB7654321Y/2020-00007",
        "organisation": "市财政局",
        "organisation_id": "2",
        "topic": "财政",
        "genre": "通知",
        "year": 2020,
        "validity": "repealed",
        "content_type": POLICY,
        "url": "/policies/2/",
        "date": "2020-05-10",
    },
    {
        "id": "page:3",
        "title": "依申请公开信息办理流程",
        "summary": "申请人可以通过网络、信函等方式提出申请。",
        "body": "受理机关收到申请后，在二十个工作日内答复。",
        "index_number": "11341500MB1234567X/2019-00124",
        "organisation": "市文化和旅游局",
        "organisation_id": "1",
        "topic": "文化",
        "genre": "指南",
        "year": 2019,
        "validity": "valid",
        "content_type": ENTRY,
        "url": "/catalogue/3/",
        "date": "2019-06-20",
    },
    {
        "id": "page:4",
        "title": "关于开展文物保护专项检查的意见",
        "summary": "加强文物安全管理。",
        "body": "各区要做好政府信息公开，及时发布检查结果。",
        "document_number": "文旅发〔2021〕8号",
        "index_number": "11341500MB1234567X/2021-00001",
        "organisation": "市文化和旅游局",
        "organisation_id": "1",
        "topic": "文化",
        "genre": "意见",
        "year": 2021,
        "validity": "valid",
        "content_type": POLICY,
        "url": "/policies/4/",
        "date": "2021-01-15",
    },
    {
        "id": "page:5",
        "title": "学校安全工作管理办法",
        "summary": "保障师生安全。",
        "body": "学校应当建立安全管理制度。",
        "document_number": "教发〔2018〕2号",
        "index_number": "11341500MB0000000Z/2018-00002",
        "organisation": "市教育局",
        "organisation_id": "3",
        "topic": "教育",
        "genre": "办法",
        "year": 2018,
        "validity": "expired",
        "content_type": POLICY,
        "url": "/policies/5/",
        "date": "2018-09-01",
    },
]


def ids(results):
    return set(results.ids)


@pytest.fixture
def backend(search_backend):
    search_backend.index(DOCUMENTS)
    return search_backend


def test_count(backend):
    assert backend.count() == len(DOCUMENTS)


def test_a_two_character_word_inside_a_long_title_is_found(backend):
    assert ids(backend.search("公开")) == {"page:1", "page:2", "page:3", "page:4"}
    assert ids(backend.search("文物")) == {"page:4"}


def test_each_chinese_run_matches_as_a_phrase(backend):
    # page:3 has 公开 and 信息 but never 信息公开 in a row.
    assert ids(backend.search("信息公开")) == {"page:1", "page:4"}
    assert ids(backend.search("公开信息")) == {"page:3"}


def test_a_phrase_is_found_in_the_title_or_the_text_never_its_characters_apart(
    search_backend,
):
    """A database tests a phrase on the title first and on the whole text only when the title
    does not hold it: a title holding every bigram of the phrase apart is no match."""
    search_backend.index(
        [
            {"id": "t1", "title": "旅游景区质量等级评定办法", "body": "附件", "date": "2020-01-01"},
            {
                "id": "t2",
                "title": "景区工作",
                "body": "开展旅游景区质量等级评定",
                "date": "2020-01-01",
            },
            {"id": "t3", "title": "景区质量等级与旅游景观", "body": "附件", "date": "2020-01-01"},
            {
                "id": "t4",
                "title": "景区质量等级与旅游景观",
                "body": "另见旅游景区质量等级",
                "date": "2020-01-01",
            },
        ]
    )
    assert ids(search_backend.search("旅游景区质量等级")) == {"t1", "t2", "t4"}
    assert ids(search_backend.search("旅游景区质量等级 评定")) == {"t1", "t2"}
    first = search_backend.search("旅游景区质量等级").ids[0]
    assert first == "t1"  # the phrase in the title ranks first


def test_every_part_of_the_query_must_match(backend):
    assert ids(backend.search("2019 通知")) == {"page:1"}
    assert ids(backend.search("预算 税收")) == {"page:2"}
    assert ids(backend.search("预算 文物")) == set()


def test_one_character_finds_it_anywhere_in_a_word(backend):
    # 税 starts a bigram in 税收 and ends the run 非税; 号 only ends runs (the 文号).
    assert ids(backend.search("税")) == {"page:2"}
    assert "page:1" in ids(backend.search("号"))


def test_a_counter_after_a_number_must_be_there_too(search_backend):
    """号, 年, 月 and 日 after a number are in nearly every document (its 文号 and its date);
    the database looks them up differently, and they still must match, as a prefix."""
    search_backend.index(
        [
            {"id": "c1", "title": "决定", "body": "依据第1号令执行", "date": "2020-01-01"},
            {"id": "c2", "title": "决定", "body": "共1份材料，2019年印发", "date": "2020-01-01"},
            {"id": "c3", "title": "报告", "body": "2019 年度报告", "date": "2020-01-01"},
            {"id": "c4", "title": "报告", "body": "2019 报告 第1期", "date": "2020-01-01"},
        ]
    )
    assert ids(search_backend.search("1号")) == {"c1"}
    assert ids(search_backend.search("2019年")) == {"c2", "c3"}
    assert ids(search_backend.search("第1号")) == {"c1"}
    assert ids(search_backend.search("2019年5月")) == set()


def test_full_width_and_case_forms_match(backend):
    assert ids(backend.search("２０１９　通知")) == {"page:1"}
    assert ids(backend.search("11341500mb1234567x")) == {"page:1", "page:3", "page:4"}


@pytest.mark.parametrize(
    "query",
    [
        "国办发〔2019〕14号",
        "国办发[2019]14号",
        "国办发(2019)14号",
        "国办发（2019）14号",
        "国办发【2019】14号",
        "国办发［２０１９］１４号",
        " 国办发 〔2019〕 14号 ",
    ],
)
def test_document_number_in_any_bracket_style(backend, query):
    results = backend.search(query)
    assert results.ids[0] == "page:1"
    assert ids(results) == {"page:1"}


@pytest.mark.parametrize(
    "query",
    [
        "11341500MB1234567X/2019-00123",
        "11341500mb1234567x/2019-00123",
        "１１３４１５００ＭＢ１２３４５６７Ｘ／２０１９－００１２３",
    ],
)
def test_index_number_lookup(backend, query):
    assert backend.search(query).ids == ["page:1"]


def test_facet_counts_of_everything(backend):
    results = backend.search("", facets=FACET_FIELDS)
    facets = {name: dict(values) for name, values in results.facets.items()}
    assert facets == {
        "organisation": {"市文化和旅游局": 3, "市财政局": 1, "市教育局": 1},
        "topic": {"文化": 3, "财政": 1, "教育": 1},
        "genre": {"通知": 2, "指南": 1, "意见": 1, "办法": 1},
        "year": {2019: 2, 2020: 1, 2021: 1, 2018: 1},
        "validity": {"valid": 3, "repealed": 1, "expired": 1},
        "content_type": {POLICY: 4, ENTRY: 1},
    }
    # Most frequent first, then by value.
    assert results.facets["year"] == [(2019, 2), (2018, 1), (2020, 1), (2021, 1)]


def test_facet_counts_follow_the_query_and_filters(backend):
    results = backend.search("公开", facets=["organisation", "year"], filters={"genre": "通知"})
    assert ids(results) == {"page:1", "page:2"}
    assert dict(results.facets["organisation"]) == {"市文化和旅游局": 1, "市财政局": 1}
    assert dict(results.facets["year"]) == {2019: 1, 2020: 1}


def test_filters(backend):
    assert ids(backend.search("", filters={"organisation": "市文化和旅游局"})) == {
        "page:1",
        "page:3",
        "page:4",
    }
    assert ids(backend.search("", filters={"year": [2018, "2020"]})) == {"page:2", "page:5"}
    assert ids(backend.search("公开", filters={"validity": "valid", "topic": "文化"})) == {
        "page:1",
        "page:3",
        "page:4",
    }
    assert ids(backend.search("", filters={"organisation_id": "3"})) == {"page:5"}
    assert ids(backend.search("", filters={"content_type": ENTRY})) == {"page:3"}
    # A year that is not a number matches nothing rather than everything.
    assert ids(backend.search("", filters={"year": "abc"})) == set()
    assert ids(backend.search("", filters={"year": "9" * 30})) == set()


def test_unknown_filter_facet_or_sort_is_an_error(backend):
    with pytest.raises(SearchError):
        backend.search("公开", filters={"password": "x"})
    with pytest.raises(SearchError):
        backend.search("公开", facets=["body"])
    with pytest.raises(SearchError):
        backend.search("公开", sort="random")


def test_highlights_mark_matches_in_the_original_text(backend):
    hit = backend.search("信息公开").hits[0]
    assert hit.id == "page:1"
    assert str(hit.highlights["title"]) == "关于做好2019年政府<mark>信息公开</mark>工作的通知"
    assert "<mark>信息公开</mark>" in str(hit.highlights["summary"])


def test_highlights_escape_html(search_backend):
    search_backend.index(
        [
            {
                "id": "x:1",
                "title": "<script>alert(1)</script> 信息公开 & 指南",
                "summary": "ＡＢＣ 公开",
            }
        ]
    )
    hit = search_backend.search("公开 abc").hits[0]
    assert str(hit.highlights["title"]) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; 信息<mark>公开</mark> &amp; 指南"
    )
    assert str(hit.highlights["summary"]) == "<mark>ＡＢＣ</mark> <mark>公开</mark>"


def test_hits_carry_the_stored_fields(backend):
    hit = backend.search("文物保护").hits[0]
    assert hit.id == "page:4"
    assert hit.title == "关于开展文物保护专项检查的意见"
    assert hit.document_number == "文旅发〔2021〕8号"
    assert hit.organisation == "市文化和旅游局"
    assert hit.year == 2021
    assert hit.validity == "valid"
    assert hit.url == "/policies/4/"
    assert hit.date == "2021-01-15"
    assert "body" not in hit.document


def test_delete(backend):
    assert backend.delete(["page:1", "page:does-not-exist"]) >= 1
    assert backend.count() == len(DOCUMENTS) - 1
    assert "page:1" not in ids(backend.search("公开"))
    assert backend.search("国办发〔2019〕14号").ids == []
    backend.delete([])
    backend.delete(["page:1"])  # deleting twice is harmless
    assert backend.count() == len(DOCUMENTS) - 1


def test_reindexing_replaces_the_document(backend):
    changed = {**DOCUMENTS[3], "title": "关于开展博物馆检查的意见", "validity": "repealed"}
    backend.index([changed])
    assert backend.count() == len(DOCUMENTS)
    assert ids(backend.search("文物保护")) == set()
    assert backend.search("博物馆").hits[0].validity == "repealed"


def test_rebuild_replaces_everything(backend):
    progress = []
    new = [
        {**DOCUMENTS[0], "id": "page:10"},
        {**DOCUMENTS[4], "id": "page:11", "title": "新学校安全工作管理办法"},
    ]
    assert backend.rebuild(iter(new), progress=progress.append) == 2
    assert progress[-1] == 2
    assert backend.count() == 2
    assert ids(backend.search("")) == {"page:10", "page:11"}
    assert ids(backend.search("学校安全")) == {"page:11"}
    # The index keeps working for later writes.
    backend.index([DOCUMENTS[1]])
    assert ids(backend.search("预算")) == {"page:2"}


def many(count):
    for n in range(count):
        yield {**DOCUMENTS[n % len(DOCUMENTS)], "id": f"page:{100 + n}", "title": f"新文件{n}"}


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two documents, so a rebuild of a few documents is several batches."""
    from opengov_cms.search.backends import database, engine

    monkeypatch.setattr(database, "BATCH_SIZE", 2)
    monkeypatch.setattr(engine, "BULK_CHUNK", 2)


def test_a_rebuild_that_fails_half_way_leaves_the_old_index_answering(backend, small_batches):
    def failing():
        yield from many(7)
        raise RuntimeError("the pages could not be read")

    with pytest.raises(RuntimeError, match="could not be read"):
        backend.rebuild(failing())
    assert backend.count() == len(DOCUMENTS)
    assert ids(backend.search("预算")) == {"page:2"}
    assert ids(backend.search("新文件")) == set()
    # A rebuild after it fills the index as if nothing had happened.
    assert backend.rebuild(many(7)) == 7
    assert backend.count() == 7


def test_a_rebuild_whose_second_batch_is_refused_leaves_the_old_index_answering(
    backend, small_batches, monkeypatch
):
    # The engines send batches from a thread of their own; the database writes them itself.
    name = "_bulk" if hasattr(backend, "_bulk") else "_write"
    write = getattr(backend, name)
    calls = []

    def refuse_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SearchUnavailable("the index refused the batch")
        return write(*args, **kwargs)

    monkeypatch.setattr(backend, name, refuse_the_second)
    with pytest.raises(SearchUnavailable, match="refused"):
        backend.rebuild(many(7))
    monkeypatch.undo()
    assert backend.count() == len(DOCUMENTS)
    assert ids(backend.search("新文件")) == set()
    assert ids(backend.search("预算")) == {"page:2"}
    if hasattr(backend, "_alias_indices"):
        # The half-filled index is gone: only the old one is left under the site's prefix.
        indices = backend.client.indices.get(index=f"{backend.alias}-*")
        assert list(indices) == backend._alias_indices(backend.client)


def test_a_rebuild_reports_progress_after_each_batch_in_order(backend, small_batches):
    progress = []
    assert backend.rebuild(many(7), progress=progress.append) == 7
    assert progress == [2, 4, 6, 7]
    assert ids(backend.search("新文件")) == {f"page:{100 + n}" for n in range(7)}


def test_pagination(backend):
    seen = []
    page = 1
    while True:
        results = backend.search("", page=page, per_page=2)
        assert results.total == len(DOCUMENTS)
        seen.extend(results.ids)
        if not results.has_next:
            break
        page += 1
    assert page == 3
    assert results.has_previous
    assert len(seen) == len(set(seen)) == len(DOCUMENTS)
    beyond = backend.search("", page=4, per_page=2)
    assert beyond.hits == []
    assert beyond.total == len(DOCUMENTS)
    for page in (10_000, 10**30):
        far = backend.search("公开", page=page, facets=["year"])
        assert far.hits == []
        assert far.total == 4
        assert dict(far.facets["year"]) == {2019: 2, 2020: 1, 2021: 1}


def test_sort_by_date_is_newest_first(backend):
    results = backend.search("公开", sort="date")
    assert results.ids == ["page:4", "page:2", "page:3", "page:1"]
    # Without a query, results are newest first too.
    assert backend.search("").ids == ["page:4", "page:2", "page:3", "page:1", "page:5"]


def test_title_match_ranks_above_body_match(backend):
    # 政府信息公开 is in page:1's title and only in page:4's body.
    assert backend.search("政府信息公开").ids == ["page:1", "page:4"]


def test_whole_query_as_a_phrase_ranks_above_scattered_words(search_backend):
    search_backend.index(
        [
            {"id": "a", "title": "安全 生产 检查 管理", "body": "", "date": "2020-01-02"},
            {"id": "b", "title": "安全管理 检查", "body": "", "date": "2020-01-01"},
        ]
    )
    assert search_backend.search("安全 管理").ids == ["b", "a"]


def test_valid_ranks_above_repealed_at_equal_relevance(search_backend):
    same = {"title": "城市道路管理规定", "summary": "道路管理", "date": "2020-01-01"}
    search_backend.index(
        [
            {**same, "id": "r", "validity": "repealed"},
            {**same, "id": "e", "validity": "expired"},
            {**same, "id": "v", "validity": "valid"},
            {**same, "id": "m", "validity": "amended"},
        ]
    )
    assert search_backend.search("道路管理").ids == ["v", "m", "e", "r"]


HOSTILE = [
    '信息 & 公开 | ! ( ) " ~ * :',
    "AND OR NOT NEAR",
    '"信息',
    "公开*",
    "title:公开",
    "{title} : 公开",
    "公开\x00信息",
    "公开\ud800信息",
    "\ud800",
    "'; DROP TABLE opengov_search_searchdocument; --",
    "\\",
    '&|!()"~*:',
    "公" * 100_000,
    "国办发 " * 20_000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_text(backend, query):
    started = time.monotonic()
    results = backend.search(query, facets=FACET_FIELDS)
    assert time.monotonic() - started < 5
    assert results.total >= len(results.ids)
    assert set(results.ids) <= {document["id"] for document in DOCUMENTS}
    assert backend.count() == len(DOCUMENTS)


def test_nul_and_surrogates_in_documents_and_filters(search_backend):
    search_backend.index(
        [{"id": "n:1", "title": "政务\x00公开\ud800指南", "organisation": "市\x00财政局"}]
    )
    hit = search_backend.search("政务公开").hits[0]
    assert hit.title == "政务公开指南"
    assert search_backend.search("", filters={"organisation": "市\x00财政局"}).ids == ["n:1"]
    assert search_backend.search("", filters={"organisation": "\x00\ud800"}).ids == []


def test_operators_are_ignored_as_text(backend):
    assert ids(backend.search('信息 & 公开 | ! ( ) " ~ * :')) == ids(backend.search("信息 公开"))
    assert ids(backend.search("AND")) == set()
    # NUL and other control characters are dropped, like the invisible ones of pasted text.
    assert ids(backend.search("公开\x00信息")) == ids(backend.search("公开信息")) == {"page:3"}
    assert ids(backend.search("&|!()")) == set()


def test_long_queries_are_capped(backend, settings):
    settings.OPENGOV_CMS_SEARCH_QUERY_MAX_LENGTH = 4
    # Only 政府信息 is read: page:1's title has it.
    assert ids(backend.search("政府信息公开条例不存在的后半句")) == {"page:1", "page:4"}


# What people type ------------------------------------------------------------------------

TYPED = [
    {
        "id": "t:1",
        "title": "关于公开2026年部门预算和“三公”经费预算的说明",
        "body": "本部门“三公”经费预算较上年减少。",
        "date": "2026-02-01",
    },
    {
        "id": "t:2",
        "title": "全面推行部门联合“双随机、一公开”监管工作方案",
        "body": "随机抽取检查对象，随机选派执法检查人员。",
        "date": "2025-06-01",
    },
    {
        "id": "t:3",
        "title": "关于印发《六安市文物保护单位安全管理办法》的通知",
        "document_number": "六文旅〔2024〕12号",
        "date": "2024-05-01",
    },
    {
        "id": "t:4",
        "title": "政務公開工作要點",
        "summary": "推進政府資訊公開，衞生健康領域信息依法公開。",
        "document_number": "國辦發〔2020〕17號",
        "date": "2020-04-01",
    },
    {
        "id": "t:5",
        "title": "非物质文化遗产保护项目名录",
        "body": "各地要做好非物质文化遗产的保护、传承和利用。",
        "date": "2023-03-01",
    },
    {
        "id": "t:6",
        "title": "非遗进校园活动方案",
        "body": "组织传承人走进中小学。",
        "date": "2023-09-01",
    },
    {
        "id": "t:7",
        "title": "各部门办公。开展检查",
        "body": "经费管理",
        "date": "2019-01-01",
    },
]


@pytest.fixture
def typed(search_backend):
    search_backend.index(TYPED)
    return search_backend


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("三公经费", {"t:1"}),
        ("“三公”经费", {"t:1"}),
        ("三公经费预算", {"t:1"}),
        ("双随机一公开", {"t:2"}),
        ("双随机、一公开", {"t:2"}),
        ("「双随机、一公开」监管", {"t:2"}),
        # A title typed without its title marks.
        ("六安市文物保护单位安全管理办法的通知", {"t:3"}),
        ("印发六安市文物保护单位", {"t:3"}),
    ],
)
def test_punctuation_and_quotes_between_chinese_runs_do_not_separate_them(typed, query, expected):
    assert ids(typed.search(query)) == expected


def test_marks_that_end_a_clause_still_separate(typed):
    # 办公。开展 does not hold 公开: a full stop is not read through.
    assert "t:7" not in ids(typed.search("公开"))
    assert ids(typed.search("三公")) == {"t:1"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("政务公开", {"t:4"}),
        ("政務公開", {"t:4"}),
        ("卫生健康", {"t:4"}),
        ("推进政府资讯公开", {"t:4"}),
        ("國辦發〔2020〕17號", {"t:4"}),
        ("国办发[2020]17号", {"t:4"}),
        # A traditional query finds simplified text as well (and its dictionary entry).
        ("非物質文化遺產保護項目", {"t:5"}),
        ("關於印發", {"t:3"}),
    ],
)
def test_traditional_and_simplified_characters_fold_together(typed, query, expected):
    assert ids(typed.search(query)) == expected


def test_a_traditional_title_is_highlighted_for_a_simplified_query(typed):
    hit = typed.search("政务公开").hits[0]
    assert str(hit.highlights["title"]) == "<mark>政務公開</mark>工作要點"
    hit = typed.search("三公经费").hits[0]
    assert "<mark>三公”经费</mark>" in str(hit.highlights["title"])


def test_the_site_dictionary_widens_queries_both_ways(typed):
    # The shipped starting list has 非遗 = 非物质文化遗产.
    assert ids(typed.search("非遗")) == {"t:5", "t:6"}
    assert ids(typed.search("非物质文化遗产")) == {"t:5", "t:6"}
    assert ids(typed.search("非遗保护")) == {"t:5"}
    # The query's own wording ranks at least as high: a title holding it comes first.
    assert typed.search("非遗").ids[0] == "t:6"
    hit = next(h for h in typed.search("非遗").hits if h.id == "t:5")
    assert str(hit.highlights["title"]).startswith("<mark>非物质文化遗产</mark>")


def test_an_edit_of_the_dictionary_applies_without_a_new_index(typed):
    from opengov_cms.search import analysis
    from opengov_cms.search.models import SearchTerm

    assert ids(typed.search("传承人进校园")) == set()
    try:
        SearchTerm.objects.create(term="进校园", equivalents="走进中小学")
        # t:6 says 传承人走进中小学: the query's run is widened where the term stands in it.
        assert ids(typed.search("传承人进校园")) == {"t:6"}
        assert ids(typed.search("进校园")) == {"t:6"}
        assert ids(typed.search("走进中小学")) == {"t:6"}
        term = SearchTerm.objects.get(term="非遗")
        term.delete()
        assert ids(typed.search("非遗")) == {"t:6"}
        assert ids(typed.search("非物质文化遗产")) == {"t:5"}
    finally:
        analysis.invalidate_terms()


def test_a_capped_count_says_so_and_counts_facets_on_the_first_matches(backend, monkeypatch):
    from opengov_cms.search.backends import base, database, engine

    for module in (base, database, engine):
        monkeypatch.setattr(module, "COUNT_CAP", 2)
    results = backend.search("公开", facets=FACET_FIELDS)
    assert results.capped
    assert results.total == 2
    # The facets are those of the first three matches: every backend stops there.
    assert sum(count for _value, count in results.facets["validity"]) == 3
    assert len(results.hits) == 2
    assert backend.search("公开", page=2, per_page=2).hits == []
    exact = backend.search("文物", facets=["validity"])
    assert not exact.capped
    assert exact.total == 1
    assert exact.facets["validity"] == [("valid", 1)]
