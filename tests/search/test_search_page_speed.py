"""The search page's cost beyond its backend: no queries of its own, short facet lists."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import FACET_FIELDS
from opengov_cms.search.views import FACET_VALUES_SHOWN
from tests.search.test_views import DOCUMENTS

URL = "/opengov/search/"
#: More issuing organisations than a facet shows before its "更多" link.
ORGANISATIONS = [f"第{n}区人民政府" for n in range(1, FACET_VALUES_SHOWN + 5)]


def many_documents():
    """Documents on 公开 from every organisation, the first ones with the most documents,
    spread over years, topics and genres, so every facet has many values."""
    documents = []
    for rank, organisation in enumerate(ORGANISATIONS):
        for n in range(len(ORGANISATIONS) - rank):
            number = len(documents) + 1
            documents.append(
                {
                    "id": f"doc:{number}",
                    "title": f"{organisation}关于政务公开工作的通知（第{n + 1}号）",
                    "summary": "做好政府信息主动公开。",
                    "organisation": organisation,
                    "organisation_id": str(rank + 1),
                    "topic": f"主题{number % 13}",
                    "genre": ["通知", "意见", "决定", "公告", "函"][number % 5],
                    "year": 2005 + number % 15,
                    "validity": ["valid", "amended", "repealed", "expired"][number % 4],
                    "url": f"/policies/{number}/",
                    "date": f"{2005 + number % 15}-03-01",
                }
            )
    return documents


def facet_links(html, name):
    """(text, href) of each link in one facet's section of the page."""
    section = re.search(
        rf'<section aria-labelledby="opengov-facet-{name}">(.*?)</section>', html, re.S
    )
    assert section, f"no {name} facet on the page"
    return [
        (re.sub(r"<[^>]+>", "", text), unescape(href))
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', section.group(1))
    ]


def page_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), response


def backend_queries(params):
    with CaptureQueriesContext(connection) as queries:
        get_search_backend().search(params.get("q", ""), facets=FACET_FIELDS, per_page=20)
    return len(queries)


@pytest.mark.django_db
def test_the_page_runs_no_query_beyond_its_search_whatever_the_results(client):
    backend = get_search_backend()
    backend.index(DOCUMENTS)
    params = {"q": "公开"}
    client.get(URL)  # the site's chrome (site, identity, menu) is read once, then cached
    # So are PostgreSQL's statistics of how common each token is (one statement a process
    # every ten minutes).
    client.get(URL, params)
    few, response = page_queries(client, params)
    assert response.context["results"].total == 4
    assert few == backend_queries(params)

    backend.index(many_documents())
    many, response = page_queries(client, params)
    assert response.context["results"].total > 20
    assert len(response.context["results"].hits) == 20
    assert sum(len(facet["values"]) for facet in response.context["facets"]) >= 35
    # Twenty results and dozens of facet values cost the same statements as four results.
    assert many == few == backend_queries(params)

    filtered, _response = page_queries(
        client, {**params, "organisation": ORGANISATIONS[:3], "sort": "date", "page": "2"}
    )
    assert filtered == few


@pytest.mark.django_db
def test_a_long_facet_shows_its_first_values_and_a_link_to_all_of_them(client):
    get_search_backend().index(many_documents())
    html = client.get(URL, {"q": "公开"}).content.decode()
    links = facet_links(html, "organisation")
    values, (more_text, more_url) = links[:-1], links[-1]
    # Most documents first, as many as the page shows, then one plain link to the rest.
    assert [text for text, _url in values] == ORGANISATIONS[:FACET_VALUES_SHOWN]
    assert more_text == "更多发布机构"  # the facet's name is read out to screen readers
    assert '<span class="opengov-visually-hidden">发布机构</span>' in html
    assert more_url == URL + "?q=%E5%85%AC%E5%BC%80&more=organisation"
    # A facet with few values has no such link.
    assert {text for text, _url in facet_links(html, "validity")} == {
        "有效",
        "已修改",
        "已废止",
        "已失效",
    }

    html = client.get(more_url).content.decode()
    links = facet_links(html, "organisation")
    assert [text for text, _url in links[:-1]] == ORGANISATIONS
    assert links[-1] == ("收起发布机构", URL + "?q=%E5%85%AC%E5%BC%80")
    # Other facets stay short; choosing a value keeps the long list open.
    assert facet_links(html, "topic")[-1][0] == "更多主题分类"
    chosen = dict(links)[ORGANISATIONS[-1]]
    assert chosen == (
        URL + "?q=%E5%85%AC%E5%BC%80&more=organisation&organisation="
        "%E7%AC%AC14%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
    )
    response = client.get(chosen)
    assert {hit.organisation for hit in response.context["results"].hits} == {ORGANISATIONS[-1]}


@pytest.mark.django_db
def test_a_chosen_value_can_always_be_taken_out_again(client):
    get_search_backend().index(many_documents())
    rare, common = ORGANISATIONS[-1], ORGANISATIONS[0]
    html = client.get(URL, {"q": "公开", "topic": "主题1", "organisation": [common, rare]}).content
    links = dict(facet_links(html.decode(), "organisation"))
    # Filtering on organisations leaves only those two in the facet, both marked chosen.
    assert set(links) == {common, rare}
    assert html.decode().count('aria-current="true"') == 3
    assert "已选，点击取消" in html.decode()
    # Each link takes its own value out and keeps everything else.
    assert links[rare] == URL + "?q=%E5%85%AC%E5%BC%80&topic=%E4%B8%BB%E9%A2%981&organisation=" + (
        "%E7%AC%AC1%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
    )
    topic = dict(facet_links(html.decode(), "topic"))
    assert topic["主题1"].startswith(URL + "?q=%E5%85%AC%E5%BC%80&organisation=")
    assert "topic=" not in topic["主题1"]


@pytest.mark.django_db
def test_only_a_known_facet_can_be_opened(client):
    get_search_backend().index(many_documents())
    for more in ("nonsense", "", "organisation_id", "<script>"):
        response = client.get(URL, {"q": "公开", "more": more})
        assert response.status_code == 200
        organisation = next(f for f in response.context["facets"] if f["name"] == "organisation")
        assert len(organisation["values"]) == FACET_VALUES_SHOWN
        assert "more_url" in organisation


def test_a_hit_answers_a_templates_key_lookup_as_its_attribute():
    from django.template import Context, Template

    from opengov_cms.search.backends.base import Hit

    hit = Hit(id="page:1", score=2.0, document={"title": "通知", "summary": ""})
    assert hit["title"] == hit.title == "通知" and hit["id"] == "page:1"
    with pytest.raises(KeyError):
        hit["missing"]
    rendered = Template("{{ hit.title }}|{{ hit.id }}|{{ hit.missing }}|{{ hit.summary }}")
    assert rendered.render(Context({"hit": hit})) == "通知|page:1||"
