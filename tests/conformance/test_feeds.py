"""Every Atom feed of the site against the grammar of RFC 4287 (Appendix B, in atom.rnc) and
the rules the RFC states beside it, and every list page announcing its feed."""

import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from opengov_cms.catalogue.models import CatalogueIndexPage
from tests.catalogue.factories import CatalogueIndexPageFactory
from tests.conformance.conftest import module_available, need

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
GRAMMAR = Path(__file__).with_name("atom.rnc")


@pytest.fixture(scope="module")
def atom_grammar():
    need("rnc2rng and lxml", module_available("rnc2rng") and module_available("lxml"))
    import rnc2rng
    from lxml import etree

    # The empty "local" namespace of the grammar is written as nsName ns="" by the
    # conversion; its leftover prefix declaration is not well-formed XML.
    xml = rnc2rng.dumps(rnc2rng.load(str(GRAMMAR))).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(xml.encode()))


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw


def check_feed(grammar, raw, where):
    from lxml import etree

    feed = etree.fromstring(raw)
    assert grammar.validate(feed), f"{where}: {grammar.error_log}"
    entries = feed.findall(f"{ATOM}entry")
    # RFC 4287 4.1.1: a feed has an author, unless every entry has one.
    assert feed.find(f"{ATOM}author") is not None or all(
        entry.find(f"{ATOM}author") is not None for entry in entries
    ), f"{where}: no atom:author"
    # 4.1.1: a feed should link to itself.
    assert feed.find(f"{ATOM}link[@rel='self']") is not None, f"{where}: no self link"
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids)), f"{where}: repeated atom:id"
    for entry in entries:
        # 4.1.2: an entry without content links to it.
        if entry.find(f"{ATOM}content") is None:
            assert entry.find(f"{ATOM}link[@rel='alternate']") is not None, where
    return feed


@pytest.fixture
def catalogue(home_page, section, publish_entry, django_capture_on_commit_callbacks):
    sub = CatalogueIndexPageFactory(
        parent=section, title="通知公告", slug="tzgg", organisation=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_entry(
            title="关于<做好>“三公”经费公开 & 审计的通知",
            summary="摘要 <b>加粗</b> & 符号",
            publication_date=datetime.date(2024, 3, 1),
        )
        publish_entry(parent=sub, title="子栏目的公告")
    return section


def test_every_feed_is_valid_atom(client, catalogue, atom_grammar):
    feeds = [
        reverse("opengov_catalogue:feed", args=[page.pk])
        for page in CatalogueIndexPage.objects.live()
    ]
    feeds += [
        reverse("opengov_search:feed") + query
        for query in ("", "?q=经费", "?q=没有结果的词", "?q=通知&sort=date")
    ]
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/atom+xml"), url
        check_feed(atom_grammar, body(response), url)


def test_every_list_page_announces_its_feed(client, catalogue):
    pages = [page.url for page in CatalogueIndexPage.objects.live()]
    pages.append(reverse("opengov_search:search") + "?q=通知")
    for url in pages:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        links = soup.head.find_all("link", rel="alternate", type="application/atom+xml")
        assert len(links) == 1, url
        response = client.get(links[0]["href"])
        assert response.status_code == 200, (url, links[0]["href"])
        assert body(response).startswith(b"<?xml"), url
