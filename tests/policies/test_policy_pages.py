"""The public pages of policy documents and interpretations: what they link to, and a
number of queries that does not grow with what they hold."""

import datetime

from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document
from wagtail.models import PageLogEntry, PageViewRestriction

from opengov_cms.policies.models import InterpretationLink, PolicyAttachment
from tests.factories import ConsultationPageFactory

# Site, section (child + specific), the pages on the path, the page with its metadata,
# its original files, the view restrictions on its path (one read), then the links to
# interpretations, the interpretations (restrictions included; not read when there are no
# links) and the publication history. The files, interpretations and history are kept in
# the cache once rendered.
POLICY_QUERIES = 10
POLICY_QUERIES_CACHED = 6
# As above, with the documents interpreted instead of the last three.
INTERPRETATION_QUERIES = 7


def test_policy_page_costs_the_same_whatever_it_links_to(
    make_policy, make_interpretation, client, settings, django_assert_max_num_queries
):
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    policy = make_policy()
    first = make_interpretation(policy, title="一图读懂《六安市文化市场管理办法》")
    client.get(policy.url)
    with django_assert_max_num_queries(POLICY_QUERIES):
        html = client.get(policy.url).content.decode()
    assert first.title in html and "版本记录" in html

    make_interpretation(policy, title="专家解读《六安市文化市场管理办法》")
    for name in ("原文.pdf", "附表.docx"):
        document = Document(title=name)
        document.file.save(name, ContentFile(b"%PDF-1.4"), save=True)
        PolicyAttachment.objects.create(page=policy, document=document)
    policy.save_revision().publish()
    with django_assert_max_num_queries(POLICY_QUERIES):
        html = client.get(policy.url).content.decode()
    assert "专家解读" in html and "原文.pdf" in html and "附表.docx" in html
    assert html.count("<time datetime=") >= 2  # both publications in the history


def test_policy_page_without_interpretations_does_not_look_for_them(make_policy, client):
    policy = make_policy()
    client.get(policy.url)
    policy.save_revision().publish()  # its kept parts are made again
    with CaptureQueriesContext(connection) as queries:
        html = client.get(policy.url).content.decode()
    assert "政策解读" not in html and "版本记录" in html
    assert len(queries) == POLICY_QUERIES - 1
    assert not [q for q in queries if "interpretationpage" in q["sql"]]


def test_the_version_history_gives_each_publication_in_local_time_newest_first(make_policy, client):
    policy = make_policy()
    policy.save_revision().publish()
    times = [
        datetime.datetime(2025, 3, 1, 17, 30, tzinfo=datetime.UTC),  # 3月2日 01:30 in Beijing
        datetime.datetime(2025, 6, 30, 2, 5, tzinfo=datetime.UTC),
    ]
    entries = PageLogEntry.objects.filter(page=policy, action="wagtail.publish").order_by("pk")
    for entry, moment in zip(entries, times, strict=True):
        PageLogEntry.objects.filter(pk=entry.pk).update(timestamp=moment)
    policy.save_revision().publish()  # a third, now; its kept parts are made again

    soup = BeautifulSoup(client.get(policy.url).content, "html.parser")
    shown = [time.text for time in soup.select("#opengov-history ~ ol time")]
    assert len(shown) == 3 and shown[1:] == ["2025-06-30 10:05", "2025-03-02 01:30"]
    assert soup.select("#opengov-history ~ ol time")[2]["datetime"].startswith(
        "2025-03-02T01:30:00+08:00"
    )


def test_an_interpretation_under_a_view_restriction_is_not_listed(
    make_policy, make_interpretation, client
):
    policy = make_policy()
    public = make_interpretation(policy, title="公开的解读")
    private = make_interpretation(policy, title="内部的解读")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html = client.get(policy.url).content.decode()
    assert public.title in html and private.title not in html


def test_an_interpretation_lists_only_the_documents_everyone_may_read(
    make_policy, make_interpretation, client
):
    public = make_policy(title="公开的管理办法")
    draft = make_policy(title="尚未发布的管理办法", publish=False)
    private = make_policy(title="内部的管理办法")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    interpretation = make_interpretation(public, draft, private)
    html = client.get(interpretation.url).content.decode()
    assert public.title in html
    assert draft.title not in html and private.title not in html
    # A preview lists the editor's unsaved choice too, published documents only.
    other = make_policy(title="新选的管理办法")
    interpretation.interpreted_documents.add(InterpretationLink(document=other))
    interpretation.interpreted_documents.add(InterpretationLink(document=draft))
    preview = interpretation.make_preview_request().content.decode()
    assert public.title in preview and other.title in preview
    assert draft.title not in preview


def test_interpretation_page_lists_its_documents_in_constant_queries(
    make_policy, make_interpretation, client, django_assert_max_num_queries
):
    documents = [make_policy(title=f"六安市第{n}号管理办法") for n in range(1, 4)]
    interpretation = make_interpretation(*documents)
    client.get(interpretation.url)
    with django_assert_max_num_queries(INTERPRETATION_QUERIES):
        html = client.get(interpretation.url).content.decode()
    positions = [html.index(f'href="{d.url}"') for d in documents]
    assert positions == sorted(positions)
    assert "六安市文化和旅游局" in html


def reads_linked_pages(client, page):
    """The policy page's HTML, and whether it read its interpretations or its history."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(page.url).content.decode()
    read = [
        q["sql"]
        for q in queries.captured_queries
        if "interpretationlink" in q["sql"] or "pagelogentry" in q["sql"]
    ]
    return html, bool(read)


def test_a_policy_page_keeps_what_it_links_to_until_that_changes(
    make_policy, make_interpretation, client, django_assert_max_num_queries
):
    policy = make_policy()
    first = make_interpretation(policy, title="一图读懂《六安市文化市场管理办法》")
    html, read = reads_linked_pages(client, policy)
    assert first.title in html and read
    with django_assert_max_num_queries(POLICY_QUERIES_CACHED):
        html, read = reads_linked_pages(client, policy)
    assert first.title in html and "版本记录" in html and not read

    second = make_interpretation(policy, title="专家解读《六安市文化市场管理办法》")
    html, read = reads_linked_pages(client, policy)
    assert second.title in html and read

    first.title = "图解《六安市文化市场管理办法》"
    first.save_revision().publish()
    assert "图解《六安市文化市场管理办法》" in reads_linked_pages(client, policy)[0]

    PageViewRestriction.objects.create(
        page=first, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "图解" not in reads_linked_pages(client, policy)[0]

    second.unpublish()
    html = reads_linked_pages(client, policy)[0]
    assert second.title not in html

    second.save_revision().publish()
    assert second.title in reads_linked_pages(client, policy)[0]
    second.delete()
    assert "专家解读" not in reads_linked_pages(client, policy)[0]

    policy.save_revision().publish()
    html, read = reads_linked_pages(client, policy)
    assert html.count("<time datetime=") == 2 and read


def test_an_interpretations_new_address_shows_on_the_policy_page(
    make_policy, make_interpretation, client, section, django_capture_on_commit_callbacks
):
    policy = make_policy()
    interpretation = make_interpretation(policy)
    assert f'href="{interpretation.url}"' in client.get(policy.url).content.decode()
    section.slug = "policy-files"
    # Wagtail says a slug changed once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        section.save_revision().publish()
    policy.refresh_from_db()
    interpretation.refresh_from_db()
    assert "/policy-files/" in interpretation.url
    assert f'href="{interpretation.url}"' in client.get(policy.url).content.decode()


def test_a_preview_shows_the_drafts_explanation_not_the_kept_one(make_policy, client):
    policy = make_policy(drafting_explanation="<p>起草说明第一稿。</p>")
    assert "起草说明第一稿" in client.get(policy.url).content.decode()
    policy.drafting_explanation = "<p>起草说明第二稿。</p>"
    draft = policy.save_revision().as_object()
    preview = draft.make_preview_request()
    preview.render()
    assert "起草说明第二稿" in preview.content.decode()
    assert "起草说明第一稿" in client.get(policy.url).content.decode()


def test_the_consultation_link_follows_the_consultations_publication(
    make_policy, home_page, client
):
    consultation = ConsultationPageFactory(parent=home_page, slug="draft")
    policy = make_policy(consultation=consultation)
    link = f'href="{consultation.url}#results"'
    assert link in client.get(policy.url).content.decode()
    consultation.unpublish()
    assert link not in client.get(policy.url).content.decode()
    consultation.save_revision().publish()
    assert link in client.get(policy.url).content.decode()


def test_an_interpretation_shown_in_two_places_is_listed_once(
    make_policy, make_interpretation, home_page, client
):
    from opengov_cms.search.indexing import expected_counts

    policy = make_policy()
    interpretation = make_interpretation(policy, title="一图读懂《六安市文化市场管理办法》")
    interpretation.create_alias(parent=home_page, update_slug="yi-tu-du-dong")
    assert client.get(policy.url).content.decode().count(interpretation.title) == 1
    assert expected_counts()["opengov_policies.interpretationpage"] == 1
