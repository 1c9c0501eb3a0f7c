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
        "?section=x",
    ],
)
def test_bad_parameters_are_a_400_in_json(entries, client, query):
    response = client.get(API + query)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    "cursor", ["%%%", "abc", encode_cursor(["2024-03-01", 2**63]), encode_cursor(["x", 1])]
)
def test_a_cursor_that_names_no_page_is_a_json_404(entries, client, cursor):
    response = client.get(API, {"after": cursor})
    assert response.status_code == 404 and "no such page" in response.json()["error"]


def test_filters_and_detail(entries, section, client):
    data = client.get(API, {"section": section.pk, "year": 2024, "validity": "valid"}).json()
    assert len(data["items"]) == 5
    assert client.get(API, {"year": 2023}).json()["items"] == []
    detail = client.get(f"{API}{entries[0].pk}/").json()
    assert detail["title"] == "第1号通知" and "<p>" in detail["body"]
    assert client.get(f"{API}999999/").status_code == 404
    assert client.get(API, {"section": 999999}).status_code == 404


def test_the_openapi_document_describes_the_paths(client, entries):
    from tests.catalogue.factories import TopicFactory

    TopicFactory(code="culture")
    document = client.get("/api/opengov/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert API in document["paths"]
    parameters = {p["name"]: p for p in document["paths"][API]["get"]["parameters"]}
    assert {"organisation", "topic", "year", "validity", "after", "limit"} <= set(parameters)
    # The values that exist now: a client can only name what the site has.
    assert parameters["topic"]["schema"]["enum"] == ["culture"]
    assert parameters["organisation"]["schema"]["enum"] == [entries[0].organisation_id]
    assert "genre" not in parameters  # the site has none


# What clients found (OpenAPI fuzzing): every answer is JSON, and what the spec says holds.

ROOT = "/api/opengov/v1/"


def test_the_root_lists_the_resources(client, db):
    data = client.get(ROOT).json()
    assert data["items"] == "http://testserver/api/opengov/v1/items/"
    assert data["openapi"] == "http://testserver/api/opengov/v1/openapi.json"


@pytest.mark.parametrize(
    "path",
    [
        "items/9223372036854775808/",  # past the largest id the database can compare
        "items/999999/",
        "nothing-here/",
        "items/abc/",
    ],
)
def test_not_found_is_a_json_404(client, db, path):
    response = client.get(ROOT + path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "error" in response.json()


@pytest.mark.parametrize("query", ["?section=", "?year=", "?limit=0", "?limit=-1", "?limit=101"])
def test_empty_or_out_of_range_parameters_are_refused(entries, client, query):
    response = client.get(API + query)
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_a_json_405(client, db, method):
    for path in (ROOT, API, API + "1/", ROOT + "openapi.json", ROOT + "elsewhere/"):
        response = getattr(client, method)(path)
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD"
        assert "error" in response.json()


def test_urls_in_the_api_are_absolute(entries, client):
    first = client.get(API).json()["items"][0]
    assert first["url"].startswith("http://testserver/")
    assert client.get(API + f"{entries[0].pk}/").json()["url"].startswith("http://testserver/")


def test_the_openapi_document_is_valid_and_describes_every_answer(client, db):
    from openapi_spec_validator import validate

    spec = client.get(ROOT + "openapi.json").json()
    validate(spec)
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                assert "application/json" in response["content"], (path, status)
    item = spec["components"]["schemas"]["Item"]
    assert set(item["required"]) == set(item["properties"])
    detail = spec["paths"]["/api/opengov/v1/items/{id}/"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("ItemDetail")
