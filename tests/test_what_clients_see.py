"""What third-party clients found wrong (feed readers, the HTML validator, spreadsheet
users), each kept fixed: feeds are discoverable and agree on dates, machine-readable times are
valid HTML, a failed form points at its fields, and downloads stand on their own."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.disclosure_requests.test_public import form_action
from tests.factories import ConsultationPageFactory
from tests.policies.conftest import make_policy  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

HTML_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?[+-]\d\d:\d\d$")
ATOM = "{http://www.w3.org/2005/Atom}"


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def test_a_section_page_announces_its_feed_in_its_head(client, section, publish_entry):
    publish_entry(title="通知", publication_date=datetime.date(2024, 3, 1))
    soup = BeautifulSoup(client.get(section.url, {"year": "2024"}).content, "html.parser")
    link = soup.head.find("link", rel="alternate", type="application/atom+xml")
    assert link is not None
    assert link["href"] == reverse("opengov_catalogue:feed", args=[section.pk]) + "?year=2024"
    assert client.get(link["href"]).status_code == 200


def test_an_item_has_one_date_in_every_feed(
    client, section, publish_entry, django_capture_on_commit_callbacks
):
    import xml.etree.ElementTree as ET

    with django_capture_on_commit_callbacks(execute=True):
        publish_entry(title="关于白鹭洲的通知", publication_date=datetime.date(2019, 8, 22))
    section_feed = ET.fromstring(body(client.get(f"/opengov/catalogue/{section.pk}/feed/")))
    search_feed = ET.fromstring(body(client.get("/opengov/search/feed/", {"q": "白鹭洲"})))
    dates = {
        entry.find(f"{ATOM}updated").text
        for feed in (section_feed, search_feed)
        for entry in feed.findall(f"{ATOM}entry")
    }
    assert dates == {"2019-08-22T00:00:00+08:00"}


def test_no_feed_is_dated_in_the_future(
    client, section, publish_entry, clock, django_capture_on_commit_callbacks
):
    import xml.etree.ElementTree as ET

    from django.utils import timezone

    # Just after midnight in Beijing: the UTC date is still yesterday's.
    clock.move_to("2026-03-18 00:30")
    with django_capture_on_commit_callbacks(execute=True):
        entry = publish_entry(title="凌晨发布的通知")
    assert entry.publication_date == datetime.date(2026, 3, 18)
    for url in (f"/opengov/catalogue/{section.pk}/feed/", "/opengov/search/feed/?q=凌晨"):
        feed = ET.fromstring(body(client.get(url)))
        assert feed.find(f"{ATOM}entry") is not None, url
        for updated in feed.iter(f"{ATOM}updated"):
            moment = datetime.datetime.fromisoformat(updated.text)
            assert moment <= timezone.now(), (url, updated.text)


def test_machine_readable_times_are_valid_html(make_policy, client, home_page):  # noqa: F811
    policy = make_policy()
    consultation = ConsultationPageFactory(parent=home_page, slug="consult")
    for page in (policy, consultation):
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        values = [t["datetime"] for t in soup.find_all("time") if "T" in t.get("datetime", "")]
        assert values, page
        for value in values:
            assert HTML_DATETIME.match(value), value


@pytest.fixture
def form_page(home_page):
    from opengov_cms.disclosure_requests.models import RequestFormPage
    from tests.factories import OrganisationFactory

    page = RequestFormPage(title="申请", slug="apply", organisation=OrganisationFactory())
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_failed_application_points_at_each_field_and_leaves_hidden_fields_alone(
    client, form_page
):
    response = client.post(form_action(client, form_page), {"description": ""})
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    token = soup.find("input", attrs={"name": "form_token"})
    assert token is not None and not token.has_attr("aria-invalid")
    assert not token.has_attr("aria-describedby")
    links = [a["href"] for a in soup.select(".opengov-errors a[href^='#']")]
    assert "#" not in links and links
    for href in links:
        assert soup.find(id=href[1:]) is not None, href
    assert "#id_applicant_type_0" in links


def test_downloads_carry_absolute_links_codes_and_a_count(client, section, publish_entry):
    entry = publish_entry(title="通知", publication_date=datetime.date(2024, 3, 1))
    data = json.loads(body(client.get(f"/opengov/catalogue/{section.pk}/export.json")))
    (item,) = data["items"]
    assert data["count"] == 1
    assert item["url"] == f"http://testserver{entry.url}"
    assert item["validity"] == "valid" and item["validity_label"] == "有效"
    text = body(client.get(f"/opengov/catalogue/{section.pk}/export.csv"))
    assert f"http://testserver{entry.url}" in text and "有效" in text


def test_fields_required_for_one_kind_of_applicant_say_so(client, form_page):
    soup = BeautifulSoup(client.get(form_page.url).content, "html.parser")
    for name in ("id_document_type", "id_number", "applicant_name"):
        label = soup.find("label", attrs={"for": f"id_{name}"})
        assert label.find(class_="opengov-required") is not None, name
        help_text = soup.find(id=f"id_{name}-help")
        assert help_text is not None and "申请人为自然人时必填" in help_text.text, name
        assert soup.find(id=f"id_{name}")["aria-describedby"] == f"id_{name}-help"
