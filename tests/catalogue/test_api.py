"""The read-only JSON API at /api/opengov/v1/."""

import datetime

import pytest

from opengov_cms.catalogue.listing import encode_cursor

API = "/api/opengov/v1/items/"


@pytest.fixture
def entries(publish_entry):
    return [
        publish_entry(
            title=f"第{n}号通知",
            document_number=f"六文旅〔2024〕{n}号",
            publication_date=datetime.date(2024, 2, n),
        )
        for n in range(1, 6)
    ]


def test_items_are_listed_newest_first_with_their_metadata(entries, client):
    data = client.get(API).json()
    assert [i["title"] for i in data["items"]] == [f"第{n}号通知" for n in range(5, 0, -1)]
    first = data["items"][0]
    assert first["document_number"] == "六文旅〔2024〕5号"
    assert first["index_number"] == entries[4].index_number
    assert first["organisation"]["name"] == "六安市文化和旅游局"
    assert first["type"] == "disclosureentrypage"
    assert data["next"] is None


def test_pages_follow_the_next_link_to_the_end(entries, client):
    seen, url = [], API + "?limit=2"
    while url:
        data = client.get(url).json()
        seen += [i["id"] for i in data["items"]]
        url = data["next"]
    assert seen == [e.pk for e in reversed(entries)]


@pytest.mark.parametrize(
    "query",
    [
        "?limit=abc",
        "?year=1066",
        "?topic=nope",
        "?after=%%%",
        "?section=x",
        "?after=" + encode_cursor(["2024-03-01", 2**63]),
    ],
)
def test_bad_parameters_are_a_400_in_json(entries, client, query):
    response = client.get(API + query)
    assert response.status_code == 400
    assert "error" in response.json()


def test_filters_and_detail(entries, section, client):
    data = client.get(API, {"section": section.pk, "year": 2024, "validity": "valid"}).json()
    assert len(data["items"]) == 5
    assert client.get(API, {"year": 2023}).json()["items"] == []
    detail = client.get(f"{API}{entries[0].pk}/").json()
    assert detail["title"] == "第1号通知" and "<p>" in detail["body"]
    assert client.get(f"{API}999999/").status_code == 404
    assert client.get(API, {"section": 999999}).status_code == 404


def test_the_openapi_document_describes_the_paths(client):
    document = client.get("/api/opengov/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert API in document["paths"]
    names = {p["name"] for p in document["paths"][API]["get"]["parameters"]}
    assert {"organisation", "topic", "year", "validity", "after", "limit"} <= names
