"""A section's public list: filters, keyset pages, bad parameters, queries per page."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import iri_to_uri

from opengov_cms.catalogue.listing import encode_cursor
from opengov_cms.core.models import Validity
from tests.catalogue.factories import CatalogueIndexPageFactory, TopicFactory
from tests.factories import OrganisationFactory


def section_url(section):
    return section.get_url()


def titles(response):
    return [item.title for item in response.context["listing"].items]


def test_entries_filed_in_year_folders_are_listed_newest_first(publish_entry, section, client):
    old = publish_entry(
        title="二〇二三年的通知",
        written_date=datetime.date(2023, 5, 1),
        publication_date=datetime.date(2023, 5, 2),
    )
    new = publish_entry(
        title="二〇二四年的通知",
        written_date=datetime.date(2024, 5, 1),
        publication_date=datetime.date(2024, 5, 2),
    )
    assert old.get_parent().slug == "2023" and new.get_parent().slug == "2024"
    response = client.get(section_url(section))
    assert response.status_code == 200
    assert titles(response) == ["二〇二四年的通知", "二〇二三年的通知"]
    html = response.content.decode()
    assert f'href="{new.url}"' in html


def test_filters_narrow_the_list(publish_entry, section, client):
    culture = TopicFactory(name="文化、广电、新闻出版", code="culture-media")
    heritage = TopicFactory(name="文物", code="culture-media-04", parent=culture)
    other_org = OrganisationFactory(name="六安市财政局", organisation_code="D2143569-X")
    publish_entry(title="文物保护通知", topic=heritage, publication_date=datetime.date(2024, 1, 5))
    publish_entry(
        title="财政预算公开", organisation=other_org, publication_date=datetime.date(2023, 1, 5)
    )
    publish_entry(
        title="已废止的办法",
        validity=Validity.REPEALED,
        validity_date=datetime.date(2024, 6, 1),
        publication_date=datetime.date(2022, 1, 5),
    )

    # A top-level subject also finds what is filed under its children.
    assert titles(client.get(section_url(section), {"topic": "culture-media"})) == ["文物保护通知"]
    assert titles(client.get(section_url(section), {"organisation": other_org.pk})) == [
        "财政预算公开"
    ]
    assert titles(client.get(section_url(section), {"year": "2022"})) == ["已废止的办法"]
    assert titles(client.get(section_url(section), {"validity": "repealed"})) == ["已废止的办法"]
    assert titles(client.get(section_url(section), {"year": "2024", "validity": "repealed"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "no-such-topic"},
        {"organisation": "abc"},
        {"year": "1800"},
        {"validity": "x"},
        {"after": "!!!"},
        {"after": encode_cursor(["not-a-date", 1])},
        {"after": encode_cursor(["2024-03-01", 2**63])},
        {"after": encode_cursor(["A", 10**30]), "sort": "index"},
        {"after": encode_cursor(["2024-03-01", -1])},
        {"sort": "'; drop"},
    ],
)
def test_unknown_filter_values_get_a_400_with_a_message(section, client, params):
    response = client.get(section_url(section), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "不存在，请重新选择" in html or "翻页参数不正确" in html
    assert 'aria-invalid="true"' in html or "翻页参数不正确" in html


def test_keyset_pages_cover_every_entry_once_and_beyond_the_end_is_404(
    publish_entry, section, client
):
    for day in range(1, 26):
        publish_entry(title=f"第{day:02d}号通知", publication_date=datetime.date(2024, 1, day))
    first = client.get(section_url(section))
    listing = first.context["listing"]
    assert len(listing.items) == 20 and listing.next_query
    second = client.get(section_url(section) + "?" + listing.next_query)
    assert second.status_code == 200
    assert len(second.context["listing"].items) == 5
    assert not second.context["listing"].next_query
    seen = titles(first) + titles(second)
    assert seen == [f"第{day:02d}号通知" for day in range(25, 0, -1)]
    beyond = encode_cursor(["2000-01-01", 1])
    assert client.get(section_url(section), {"after": beyond}).status_code == 404


def test_sort_by_index_number(publish_entry, section, client):
    for n in range(3):
        publish_entry(title=f"条目{n}")
    response = client.get(section_url(section), {"sort": "index"})
    numbers = [item.index_number for item in response.context["listing"].items]
    assert numbers == sorted(numbers) and len(numbers) == 3


def test_queries_per_list_page_do_not_grow_with_entries(publish_entry, section, client):
    publish_entry()
    client.get(section_url(section))  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(section_url(section), {"year": ""})
    for _ in range(30):
        publish_entry()
    with CaptureQueriesContext(connection) as many:
        response = client.get(section_url(section), {"year": ""})
    assert len(response.context["listing"].items) == 20
    assert len(many) == len(few)
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)
    assert not any("OFFSET" in q["sql"].upper() for q in many.captured_queries)


def test_atom_feed_of_a_filtered_list(publish_entry, section, client):
    publish_entry(title="文物保护通知", publication_date=datetime.date(2024, 1, 5))
    publish_entry(title="二〇二二年的通知", publication_date=datetime.date(2022, 1, 5))
    response = client.get(f"/opengov/catalogue/{section.pk}/feed/", {"year": "2024"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(b"".join(response.streaming_content))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "文物保护通知"
    ]
    assert client.get(f"/opengov/catalogue/{section.pk}/feed/", {"year": "x"}).status_code == 400
    assert client.get("/opengov/catalogue/999999/feed/").status_code == 404


def test_csv_export_is_excel_friendly_and_safe_from_formulas(publish_entry, section, client):
    publish_entry(title='=HYPERLINK("http://evil")', summary="x")
    response = client.get(f"/opengov/catalogue/{section.pk}/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff索引号,标题,")
    assert "'=HYPERLINK" in body
    assert response["Content-Disposition"].startswith("attachment;")


def test_json_export(publish_entry, section, client):
    import json

    page = publish_entry(title="文物保护通知", document_number="六文旅〔2024〕3号")
    response = client.get(f"/opengov/catalogue/{section.pk}/export.json")
    data = json.loads(b"".join(response.streaming_content))
    assert data["items"][0]["document_number"] == "六文旅〔2024〕3号"
    assert data["items"][0]["index_number"] == page.index_number
    assert client.get(f"/opengov/catalogue/{section.pk}/export.xml").status_code == 404


def test_unpublishing_and_deleting_remove_the_entry(publish_entry, section, client):
    page = publish_entry(title="将撤下的通知")
    kept = publish_entry(title="保留的通知")
    page.unpublish()
    assert titles(client.get(section_url(section))) == ["保留的通知"]
    kept.delete()
    assert titles(client.get(section_url(section))) == []


def test_moving_a_section_keeps_its_entries_listed_under_the_new_parent(
    publish_entry, home_page, section, client
):
    publish_entry(title="随栏目移动的通知")
    other = CatalogueIndexPageFactory(parent=home_page, title="新栏目", slug="new-root")
    section.move(other, pos="last-child")
    other.refresh_from_db()
    assert titles(client.get(other.get_url())) == ["随栏目移动的通知"]


def test_the_sitemap_lists_every_listed_page(publish_entry, client):
    pages = [publish_entry(title=f"通知{n}") for n in range(3)]
    index = ET.fromstring(client.get("/opengov/catalogue/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert len(locations) == 1
    block = client.get(locations[0].replace("http://testserver", ""))
    urlset = ET.fromstring(b"".join(block.streaming_content))
    urls = [e.text for e in urlset.findall("s:url/s:loc", ns)]
    assert urls == [iri_to_uri(f"http://testserver{p.url}") for p in pages]


@pytest.mark.parametrize(
    "sort, bound, row",
    [
        ("", '"publication_date" <=', r'\("[a-z_]+"\."publication_date", "[a-z_]+"\."page_id"\) <'),
        ("index", '"index_number" >=', r'\("[a-z_]+"\."index_number", "[a-z_]+"\."page_id"\) >'),
    ],
)
def test_a_deep_page_starts_at_its_cursor_and_keeps_ties_apart(
    publish_entry, section, client, sort, bound, row
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(25):  # one day, so the cursor's page id decides between them
        publish_entry(title=f"同日通知{n:02d}", publication_date=datetime.date(2024, 3, 1))
    params = {"sort": sort} if sort else {}
    first = client.get(section_url(section), params)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(section_url(section) + "?" + first.context["listing"].next_query)
    assert sorted(titles(first) + titles(second)) == [f"同日通知{n:02d}" for n in range(25)]
    # The bound on the sort key alone is what an index can start from.
    listing_sql = [q["sql"] for q in queries.captured_queries if "catalogueitem" in q["sql"]]
    assert any(bound in sql for sql in listing_sql), listing_sql
    # And the sort key with the page id as one row value, which starts it at the cursor
    # itself rather than at the first of the rows that share the cursor's date.
    assert any(re.search(row, sql) for sql in listing_sql), listing_sql


def test_the_year_filter_offers_the_years_with_content(client, section, publish_entry):
    import datetime

    from bs4 import BeautifulSoup
    from django.core.cache import cache

    cache.clear()
    for year in (2019, 2020):
        publish_entry(title=f"{year}年的通知", publication_date=datetime.date(year, 5, 1))
    soup = BeautifulSoup(client.get(section.url).content, "html.parser")
    offered = [o["value"] for o in soup.select("select[name=year] option") if o["value"]]
    assert offered == ["2020", "2019"]
    # A year asked for in the address is offered, and accepted, even with nothing in it.
    soup = BeautifulSoup(client.get(section.url, {"year": "2008"}).content, "html.parser")
    chosen = soup.select_one("select[name=year] option[selected]")
    assert chosen["value"] == "2008"
