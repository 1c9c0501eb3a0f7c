"""/sitemap.xml, /robots.txt and /favicon.ico: what crawlers and browsers ask every site for."""

import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from wagtail.models import PageViewRestriction

from opengov_cms.disclosure_requests.models import RequestFormPage
from tests.factories import ConsultationPageFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(body(response)).iter(f"{NS}loc")]


@pytest.fixture
def site_pages(home_page, section, organisation, publish_entry):
    form = RequestFormPage(title="申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=form)
    form.save_revision().publish()
    consultation = ConsultationPageFactory(parent=home_page, slug="consult")
    hidden = ConsultationPageFactory(parent=home_page, slug="hidden")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    entry = publish_entry(title="通知")
    return {"form": form, "consultation": consultation, "hidden": hidden, "entry": entry}


def test_the_sitemap_lists_every_page_that_may_leave_and_each_answers_200(
    client, site_pages, home_page, section
):
    sitemaps = locations(client, "/sitemap.xml")
    urls = [url for sitemap in sitemaps for url in locations(client, urlparse(sitemap).path)]
    paths = {urlparse(url).path for url in urls}
    for page in (home_page, section, site_pages["form"], site_pages["consultation"]):
        assert page.url in paths, page
    assert site_pages["entry"].url in paths  # from the catalogue's own sitemap
    assert site_pages["hidden"].url not in paths
    assert len(paths) == len(urls)  # each page once
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /opengov/search/" in text


def test_the_site_has_an_icon(client, section):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    assert 'rel="icon"' in client.get(section.url).content.decode()


def test_a_sitemap_block_past_any_page_id_is_a_404(client, db):
    assert client.get("/opengov/catalogue/sitemap-999999999999999999.xml").status_code == 404
