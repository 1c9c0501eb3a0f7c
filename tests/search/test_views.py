"""The public search page and its Atom feed, on the default database backend."""

import socket
import xml.etree.ElementTree as ET

import pytest

from opengov_cms.search.backends import get_search_backend
from tests.search.test_contract import DOCUMENTS as CONTRACT_DOCUMENTS

# The contract's documents under ids of no page: the public search shows a page's document
# only while the page may leave the site (tests/test_visibility.py), and these have none.
DOCUMENTS = [{**d, "id": d["id"].replace("page:", "doc:")} for d in CONTRACT_DOCUMENTS]

URL = "/opengov/search/"
FEED = "/opengov/search/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def indexed(db):
    get_search_backend().index(DOCUMENTS)


def test_search_page_shows_highlighted_results_and_facets(client, indexed):
    response = client.get(URL, {"q": "信息公开"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<label for="opengov-search-q">' in html
    assert "关于做好2019年政府<mark>信息公开</mark>工作的通知" in html
    assert 'href="/policies/1/"' in html
    assert "国办发〔2019〕14号" in html
    # Facets with counts, and a link that filters on the value.
    assert '市文化和旅游局</a> <span class="opengov-count">(2)</span>' in html
    assert "organisation=%E5%B8%82%E6%96%87%E5%8C%96%E5%92%8C%E6%97%85%E6%B8%B8%E5%B1%80" in html
    assert "有效" in html  # the validity facet, labelled in Chinese
    assert response.context["results"].total == 2


def test_a_hit_is_written_with_its_fields_escaped_and_only_the_marks_as_markup(client, db):
    odd = {
        **DOCUMENTS[0],
        "id": "doc:91",
        "title": '关于<i>"档案"</i>工作的通知',
        "url": '/a"b/<c>/',
        "document_number": "六<b>办〔2024〕1号",
        "index_number": "",
        "organisation": "市档案馆&局",
        "date": "2024-03-01",
    }
    get_search_backend().index([odd])
    html = client.get(URL, {"q": "档案"}).content.decode()
    results = html[html.index('<ol class="opengov-results"') : html.index("</ol>")]
    assert (
        '<h2><a href="/a&quot;b/&lt;c&gt;/">关于&lt;i&gt;&quot;<mark>档案</mark>&quot;'
        "&lt;/i&gt;工作的通知</a></h2>"
    ) in results
    assert "<dt>文号</dt><dd>六&lt;b&gt;办〔2024〕1号</dd>" in results
    assert "<dt>索引号</dt>" not in results  # an empty field is left out
    assert "<dt>发布机构</dt><dd>市档案馆&amp;局</dd>" in results
    assert '<dt>发布日期</dt><dd><time datetime="2024-03-01">2024-03-01</time></dd>' in results
    assert "<i>" not in results and "<b>" not in results


def test_filters_and_sort_from_the_query_string(client, indexed):
    response = client.get(URL, {"q": "公开", "organisation": "市财政局"})
    assert response.context["results"].ids == ["doc:2"]
    assert 'aria-current="true"' in response.content.decode()
    response = client.get(URL, {"q": "公开", "sort": "date"})
    assert response.context["results"].ids == ["doc:4", "doc:2", "doc:3", "doc:1"]


def test_a_facet_value_is_a_link_escaped_and_a_chosen_one_says_how_to_undo_it(client, db):
    odd = {**DOCUMENTS[0], "id": "doc:90", "organisation": '市<b>"档案"</b>馆&局'}
    get_search_backend().index([odd, DOCUMENTS[1]])
    html = client.get(URL, {"q": "通知"}).content.decode()
    # The name is text, not markup, in the link and in the filter it adds.
    assert "市&lt;b&gt;&quot;档案&quot;&lt;/b&gt;馆&amp;局</a>" in html
    assert "<b>" not in html
    assert "organisation=%E5%B8%82%3Cb%3E%22" in html

    html = client.get(URL, {"q": "通知", "organisation": "市财政局"}).content.decode()
    chosen = html[html.index('aria-current="true"') - 200 : html.index('aria-current="true"') + 300]
    assert 'class="opengov-selected">市财政局</a> <span class="opengov-count">(1)</span>' in chosen
    assert '<span class="opengov-visually-hidden">已选，点击取消</span></li>' in chosen
    # Its link takes the filter away again.
    assert 'href="/opengov/search/?q=%E9%80%9A%E7%9F%A5" aria-current="true"' in chosen


def test_pagination_and_pages_beyond_the_end(client, indexed, settings):
    settings.OPENGOV_CMS_SEARCH_PER_PAGE = 2
    first = client.get(URL)
    assert first.status_code == 200
    assert first.context["next_url"] == URL + "?page=2"
    assert "previous_url" not in first.context
    last = client.get(URL, {"page": 3})
    assert last.status_code == 200
    assert len(last.context["results"].hits) == 1
    assert 'start="5"' in last.content.decode()
    for page in ("4", "0", "-1", "abc", "1e3", "", "9" * 30):
        assert client.get(URL, {"page": page}).status_code == 404, page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "公开\x00信息"},
        {"q": "公" * 100_000},
        {"q": '& | ! ( ) " ~ * :'},
        {"q": "<script>alert(1)</script>"},
        {"year": "abc"},
        {"year": ["2019", "x" * 10_000]},
        {"sort": "'; DROP TABLE x; --"},
        {"validity": "unknown", "content_type": "no.such"},
        {"organisation": ["甲"] * 1000},
        {"organisation": "市\x00财政局", "topic": "\x00"},
        {"year": ["99999999999999999999", "-5"]},
    ],
)
def test_bad_input_never_fails(client, indexed, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert client.get(FEED, params).status_code == 200


def test_a_surrogate_in_the_url_is_harmless(client, indexed):
    assert client.get(URL + "?q=%ED%A0%80%E5%85%AC%E5%BC%80").status_code == 200


def test_only_get(client, indexed):
    assert client.post(URL, {"q": "公开"}).status_code == 405


def test_atom_feed_of_a_search(client, indexed):
    response = client.get(FEED, {"q": "公开", "topic": "文化"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "检索“公开”"
    entries = feed.findall(f"{ATOM}entry")
    # Newest first.
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "关于开展文物保护专项检查的意见",
        "依申请公开信息办理流程",
        "关于做好2019年政府信息公开工作的通知",
    ]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/policies/4/"
    assert entries[0].find(f"{ATOM}published").text.startswith("2021-01-15")
    assert entries[0].find(f"{ATOM}updated").text.startswith("2021-01-15")


@pytest.fixture
def engine_down(settings):
    pytest.importorskip("opensearchpy")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
        "OPTIONS": {"HOSTS": [f"http://127.0.0.1:{port}"], "TIMEOUT": 1},
    }


def test_search_unavailable_is_a_503_with_a_message(client, db, engine_down):
    response = client.get(URL, {"q": "公开"})
    assert response.status_code == 503
    assert "检索服务暂时不可用，请稍后再试。" in response.content.decode()
    assert client.get(FEED, {"q": "公开"}).status_code == 503


def test_fallback_to_the_database_answers(client, indexed, engine_down, settings):
    settings.OPENGOV_CMS_SEARCH["OPTIONS"]["FALLBACK_TO_DATABASE"] = True
    response = client.get(URL, {"q": "信息公开"})
    assert response.status_code == 200
    assert set(response.context["results"].ids) == {"doc:1", "doc:4"}


def test_a_long_query_is_echoed_only_as_far_as_it_was_searched(client, indexed, settings):
    settings.OPENGOV_CMS_SEARCH_QUERY_MAX_LENGTH = 200
    query = "公开" + "长" * 99_998
    response = client.get(URL, {"q": query, "organisation": "市财政局"})
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 200_000
    assert "长" * 198 in html and "长" * 199 not in html  # "公开" and 198 more: 200
    assert "长" * 199 not in client.get(FEED, {"q": query}).content.decode()


def test_a_capped_count_reads_as_more_than_and_the_facets_as_approximate(
    client, indexed, monkeypatch, settings
):
    from opengov_cms.search.backends import base, database

    html = client.get("/opengov/search/", {"q": "公开"}).content.decode()
    assert "共找到 4 条结果" in html
    assert "近似值" not in html
    for module in (base, database):
        monkeypatch.setattr(module, "COUNT_CAP", 2)
    response = client.get("/opengov/search/", {"q": "公开"})
    html = response.content.decode()
    assert "找到 2+ 条结果" in html
    assert "以下数量按前 2 条结果统计，为近似值" in html
    assert len(response.context["results"].hits) == 2
    # Pages go as far as the count: the last one is not known, so it is not named.
    settings.OPENGOV_CMS_SEARCH_PER_PAGE = 1
    html = client.get("/opengov/search/", {"q": "公开"}).content.decode()
    assert "第 1 页" in html and "共" not in html.split("第 1 页")[1][:20]
    assert 'rel="next"' in html
    html = client.get("/opengov/search/", {"q": "公开", "page": "2"}).content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' in html
    assert client.get("/opengov/search/", {"q": "公开", "page": "3"}).status_code == 404


def test_the_page_says_which_wordings_the_dictionary_added(client, db):
    get_search_backend().index(
        [
            {"id": "p:1", "title": "非物质文化遗产保护项目名录", "url": "/1/"},
            {"id": "p:2", "title": "非遗进校园活动方案", "url": "/2/"},
        ]
    )
    html = client.get("/opengov/search/", {"q": "非遗"}).content.decode()
    assert "按检索词典，同时查找了：<q>非物质文化遗产</q>" in html
    assert "<mark>非物质文化遗产</mark>保护项目名录" in html
    assert "共找到 2 条结果" in html
    html = client.get("/opengov/search/", {"q": "政務公開"}).content.decode()
    assert "同时查找了" not in html
    # The box echoes what the reader typed, in the characters typed.
    assert 'value="政務公開"' in html
