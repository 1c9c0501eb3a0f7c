"""Parts of public pages that are rendered once and kept, and made again when what they
show changes: an entry's breadcrumbs and metadata table (the entry, a taxonomy or
organisation, a section above it), a section's list of sections and its filter form."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document

from opengov_cms.catalogue.models import EntryAttachment
from tests.catalogue.factories import CatalogueIndexPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

KEPT = ("opengov_core/breadcrumbs.html", "opengov_core/metadata_table.html")


def sent(response):
    """Close ``response`` as the server does once it is sent, keeping the test's database
    connection open as Django's test client does."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def rendered_unsent(rf, page):
    """``page`` served and rendered outside the test client, its response not yet closed."""
    request = rf.get(page.url)
    request.user = AnonymousUser()
    response = page.specific.serve(request)
    response.render()
    return response


def view(client, page):
    """The page's HTML, and which of the kept parts this view rendered."""
    response = client.get(page.url)
    assert response.status_code == 200
    rendered = {template.name for template in response.templates}
    return response.content.decode(), {name for name in KEPT if name in rendered}


def test_an_entrys_breadcrumbs_and_metadata_are_rendered_once(client, publish_entry):
    entry = publish_entry(
        title="关于2025年文化市场检查情况的通报", document_number="六文旅〔2025〕12号"
    )
    html, rendered = view(client, entry)
    assert rendered == set(KEPT)
    assert "六文旅〔2025〕12号" in html and "法规文件" in html
    again, rendered = view(client, entry)
    assert rendered == set()
    assert again == html


def test_the_kept_parts_follow_the_entry_its_taxonomies_and_the_sections_above(
    client, publish_entry, section, organisation, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="文化市场", code="culture-market")
    entry = publish_entry(topic=topic, document_number="六文旅〔2025〕12号")
    view(client, entry)

    entry.document_number = "六文旅〔2025〕13号"
    entry.save_revision().publish()
    assert "六文旅〔2025〕13号" in view(client, entry)[0]

    # A taxonomy's new version is given out when its change commits.
    topic.name = "文化和旅游市场"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    assert "文化和旅游市场" in view(client, entry)[0]

    organisation.name = "六安市文化和旅游局（六安市文物局）"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()
    assert "六安市文物局" in view(client, entry)[0]

    section.title = "规范性文件"
    section.save_revision().publish()
    html = view(client, entry)[0]
    assert '<a href="/documents/">规范性文件</a>' in html


def test_a_preview_shows_the_draft_and_keeps_nothing(client, publish_entry):
    entry = publish_entry(document_number="六文旅〔2025〕12号")
    view(client, entry)
    entry.document_number = "六文旅〔2025〕99号"
    draft = entry.save_revision().as_object()
    preview = draft.make_preview_request()
    preview.render()
    assert "六文旅〔2025〕99号" in preview.content.decode()
    html, rendered = view(client, entry)
    assert "六文旅〔2025〕12号" in html and rendered == set()


def child_section_reads(client, section, params=None):
    """The section page's HTML and whether it read its child sections."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(section.url, params or {})
    assert response.status_code == 200
    # The child sections are read with their view restrictions in a subquery (the list of
    # entries, from the listing table, checks them too).
    read = any(
        "EXISTS" in q["sql"].upper()
        and "wagtailcore_pageviewrestriction" in q["sql"]
        and "catalogueitem" not in q["sql"]
        for q in queries.captured_queries
    )
    return response.content.decode(), read


def test_a_sections_list_of_sections_is_kept_until_one_changes(client, section):
    first = CatalogueIndexPageFactory(parent=section, title="规章", slug="rules")
    html, read = child_section_reads(client, section)
    assert "规章" in html and read
    html, read = child_section_reads(client, section)
    assert "规章" in html and not read

    second = CatalogueIndexPageFactory(parent=section, title="规范性文件", slug="normative")
    second.save_revision().publish()
    assert "规范性文件" in child_section_reads(client, section)[0]
    first.title = "政府规章"
    first.save_revision().publish()
    assert "政府规章" in child_section_reads(client, section)[0]
    second.unpublish()
    assert "规范性文件" not in child_section_reads(client, section)[0]
    first.delete()
    assert "政府规章" not in child_section_reads(client, section)[0]


def test_the_filter_form_is_kept_per_set_of_filters(
    client, section, publish_entry, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="文化市场", code="culture-market")
    publish_entry(topic=topic)

    def selected(params):
        soup = BeautifulSoup(client.get(section.url, params).content, "html.parser")
        return {
            select["name"]: option.text
            for select in soup.select(".opengov-filters select")
            for option in select.select("option[selected]")
        }

    assert selected({"year": "2024"})["year"] == "2024"
    assert selected({"year": "2023"})["year"] == "2023"
    assert selected({"topic": "culture-market"})["topic"] == "文化市场"
    topic.name = "文化和旅游市场"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    assert selected({"topic": "culture-market"})["topic"] == "文化和旅游市场"
    # A filter that names nothing gets its message, never a form kept for other filters.
    response = client.get(section.url, {"topic": "no-such-topic"})
    assert response.status_code == 400
    assert "所选的主题分类不存在" in response.content.decode()


def test_a_kept_filter_form_does_not_read_its_options(client, section, publish_entry, monkeypatch):
    from opengov_cms.catalogue import listing

    publish_entry()
    reads = []
    real = listing.filter_choices
    monkeypatch.setattr(listing, "filter_choices", lambda: reads.append(1) or real())
    assert client.get(section.url, {"year": "2024"}).status_code == 200
    assert reads == [1]  # rendered once, with the options
    assert client.get(section.url, {"year": "2024"}).status_code == 200
    assert reads == [1]  # kept: validating the filters needs no list of options


def test_a_view_writes_the_parts_it_made_in_one_go_once_sent(client, publish_entry, monkeypatch):
    from opengov_cms.catalogue import kept

    real = kept.cache
    writes = []

    class Recorded:
        def __getattr__(self, name):
            return getattr(real, name)

        def set(self, key, *args, **kwargs):
            writes.append([key])
            return real.set(key, *args, **kwargs)

        def set_many(self, data, *args, **kwargs):
            writes.append(sorted(data))
            return real.set_many(data, *args, **kwargs)

    monkeypatch.setattr(kept, "cache", Recorded())
    entry = publish_entry()
    html, rendered = view(client, entry)
    assert rendered == set(KEPT)
    assert len(writes) == 1 and len(writes[0]) == 3  # breadcrumbs, metadata, files
    again, rendered = view(client, entry)
    assert rendered == set() and again == html
    assert len(writes) == 1


def test_a_page_served_inside_another_leaves_the_outer_pages_parts_to_it(client, rf, publish_entry):
    outer, inner = publish_entry(), publish_entry(title="关于2025年扬尘污染防治的通知")
    request = rf.get(inner.url)
    request.user = AnonymousUser()
    waiting = []
    request._opengov_kept_serving = waiting

    response = inner.specific.serve(request)
    response.render()
    sent(response)

    # The outer page's list is back on the request, untouched; the inner page's own parts
    # were written, so its next view renders none.
    assert request._opengov_kept_serving is waiting and waiting == []
    assert view(client, inner)[1] == set()
    assert view(client, outer)[1] == set(KEPT)


def test_the_parts_are_written_after_the_response_is_sent(rf, client, publish_entry):
    entry = publish_entry()
    rendered_unsent(rf, entry)
    # Rendered, not yet sent: nothing is written, so another view makes the parts too.
    assert view(client, entry)[1] == set(KEPT)
    other = publish_entry(title="关于2025年扬尘污染防治的通知")
    sent(rendered_unsent(rf, other))
    assert view(client, other)[1] == set()


def test_a_page_kept_whole_by_the_cache_middleware_keeps_its_parts(client, publish_entry, settings):
    # The documented setup for anonymous readers (docs/scaling.md) pickles the rendered
    # response into the cache before it is sent.
    settings.MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    entry = publish_entry()
    html, rendered = view(client, entry)
    assert rendered == set(KEPT)
    # The second view is the cached response: the same page, no template rendered.
    again = client.get(entry.url)
    assert again.status_code == 200 and again.content.decode() == html
    assert {template.name for template in again.templates} == set()
    # The parts were written when the first response was sent.
    settings.MIDDLEWARE = settings.MIDDLEWARE[1:-1]
    assert view(client, entry) == (html, set())


def test_the_feed_and_download_links_are_kept_per_set_of_filters(client, section, publish_entry):
    publish_entry()

    def links(params):
        soup = BeautifulSoup(client.get(section.url, params).content, "html.parser")
        return [a["href"] for a in soup.select(".opengov-feeds a")]

    for _ in range(2):  # made, then kept
        assert links({"year": "2024"}) == [
            f"/opengov/catalogue/{section.pk}/feed/?year=2024",
            f"/opengov/catalogue/{section.pk}/export.csv?year=2024",
            f"/opengov/catalogue/{section.pk}/export.json?year=2024",
        ]
        assert links({"year": "2023"})[0] == f"/opengov/catalogue/{section.pk}/feed/?year=2023"
    # The date of a row is the day itself, as the browser reads it.
    soup = BeautifulSoup(client.get(section.url).content, "html.parser")
    day = soup.select_one(".opengov-list time")
    assert day["datetime"] == day.text and len(day.text) == 10 and day.text[4] == "-"


def test_an_entrys_files_are_read_once_and_follow_their_documents(client, publish_entry, settings):
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    entry = publish_entry()
    for title in ("附件一 申报表", "附件二 汇总表"):
        document = Document(title=title)
        document.file.save("form.pdf", ContentFile(b"%PDF-1.4"), save=True)
        EntryAttachment.objects.create(page=entry, document=document)
    entry.save_revision().publish()

    def reads_files():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(entry.url).content.decode()
        return html, any("entryattachment" in q["sql"] for q in queries.captured_queries)

    html, read = reads_files()
    assert "附件一 申报表" in html and read
    html, read = reads_files()
    assert "附件二 汇总表" in html and not read

    document.title = "附件二 汇总表（修订）"
    document.save()
    assert "附件二 汇总表（修订）" in reads_files()[0]
    document.delete()
    html = reads_files()[0]
    assert "附件二" not in html and "附件一 申报表" in html
