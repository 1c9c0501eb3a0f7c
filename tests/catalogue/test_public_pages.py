"""The public entry page and section list: what they show, how they are routed, and how
many queries they cost whatever the page holds."""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.catalogue.models import EntryAttachment
from opengov_cms.core.models import Topic
from tests.catalogue.factories import (
    CatalogueIndexPageFactory,
    DisclosureEntryPageFactory,
    GenreFactory,
    TopicFactory,
)
from tests.factories import OrganisationFactory

# Site, section (child + specific), the pages on the rest of the path, the entry with its
# metadata, its attachments with their files, and the view restrictions on its path.
ENTRY_QUERIES = 7
# Site, section (child + specific), view restrictions, rows, sub-sections.
LIST_QUERIES = 6


def attach(page, *titles):
    """Add files to the entry and publish it, as an editor does."""
    for title in titles:
        document = Document(title=title)
        document.file.save(f"{len(title)}.pdf", ContentFile(b"%PDF-1.4"), save=True)
        EntryAttachment.objects.create(page=page, document=document)
    page.save_revision().publish()


def classified_entry(publish_entry, **fields):
    culture = TopicFactory(name="文化、广电、新闻出版", code="culture-media")
    heritage = TopicFactory(name="文物", code="culture-media-04", parent=culture)
    notice = GenreFactory(name="通知", code="notice")
    return publish_entry(
        title="关于加强文物安全工作的通知",
        topic=heritage,
        genre=notice,
        publication_date=datetime.date(2024, 5, 2),
        **fields,
    )


def test_entry_shows_its_metadata_and_files_in_constant_queries(
    publish_entry, section, client, settings, django_assert_max_num_queries
):
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    entry = classified_entry(publish_entry)
    client.get(entry.url)  # Wagtail fills its per-process caches on a first request
    with django_assert_max_num_queries(ENTRY_QUERIES):
        html = client.get(entry.url).content.decode()
    assert "文化、广电、新闻出版 / 文物" in html and "<td>通知</td>" in html
    assert "六安市文化和旅游局" in html

    attach(entry, "附件一 申报表", "附件二 汇总表", "附件三 说明")
    with django_assert_max_num_queries(ENTRY_QUERIES):
        html = client.get(entry.url).content.decode()
    assert html.index("附件一 申报表") < html.index("附件二 汇总表") < html.index("附件三 说明")
    # The trail above the page: section and year folder, each a link.
    assert f'<a href="{section.url}">法规文件</a>' in html
    assert f'<a href="{entry.get_parent().url}">2024年</a>' in html


def test_files_follow_the_editors_order_and_a_preview_shows_unsaved_ones(
    publish_entry, client, settings
):
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    entry = publish_entry()
    documents = []
    for title in ("申报表", "汇总表"):
        document = Document(title=title)
        document.file.save("form.pdf", ContentFile(b"%PDF-1.4"), save=True)
        documents.append(document)
    EntryAttachment.objects.create(page=entry, document=documents[0], sort_order=1)
    EntryAttachment.objects.create(
        page=entry, document=documents[1], sort_order=0, title="附件一 汇总表"
    )
    entry.save_revision().publish()
    html = client.get(entry.url).content.decode()
    assert html.index("附件一 汇总表") < html.index("申报表")
    assert f'href="{documents[0].url}"' in html and '<span class="opengov-filetype">PDF' in html

    # An editor adds a third file and previews before saving: the preview shows the three,
    # the published page still two.
    note = Document(title="填报说明")
    note.file.save("note.docx", ContentFile(b"PK"), save=True)
    draft = entry.specific
    draft.attachments = [*draft.attachments.all(), EntryAttachment(document=note, sort_order=2)]
    preview = draft.make_preview_request()
    preview.render()
    shown = preview.content.decode()
    assert shown.index("附件一 汇总表") < shown.index("申报表") < shown.index("填报说明")
    assert "DOCX" in shown
    assert "填报说明" not in client.get(entry.url).content.decode()


def test_a_deeper_entry_costs_no_more_queries(
    publish_entry, section, client, django_assert_max_num_queries
):
    sub = CatalogueIndexPageFactory(parent=section, title="通知公告", slug="notices")
    subsub = CatalogueIndexPageFactory(parent=sub, title="工作动态", slug="news")
    entry = classified_entry(publish_entry, parent=subsub)
    assert entry.depth == section.depth + 4
    client.get(entry.url)
    with django_assert_max_num_queries(ENTRY_QUERIES):
        html = client.get(entry.url).content.decode()
    assert "关于加强文物安全工作的通知" in html
    assert html.index(">法规文件</a>") < html.index(">通知公告</a>") < html.index(">工作动态</a>")


def test_routing_below_a_section_finds_what_wagtail_would(publish_entry, section, client):
    entry = publish_entry(title="已发布的通知", publication_date=datetime.date(2024, 5, 2))
    draft = DisclosureEntryPageFactory.build(
        title="草稿", organisation=section.organisation, live=False
    )
    add_to_section(section, draft)
    year = entry.get_parent()

    assert client.get(entry.url).status_code == 200
    assert client.get(draft.url).status_code == 404
    assert client.get(f"{year.url}no-such-page/").status_code == 404
    assert client.get(f"{entry.url}more/").status_code == 404
    assert client.get(f"{section.url}1999/{entry.slug}/").status_code == 404
    # A year folder itself sends readers to its section's list for that year.
    response = client.get(year.url)
    assert response.status_code == 302 and response["Location"].endswith("?year=2024")
    # An unpublished folder on the way does not hide a published page, as in Wagtail.
    year.unpublish()
    assert client.get(entry.url).status_code == 200


def test_a_restricted_entry_still_asks_for_its_password(publish_entry, client):
    entry = publish_entry(title="内部通知", publication_date=datetime.date(2024, 5, 2))
    PageViewRestriction.objects.create(
        page=entry.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(entry.url)
    assert response.status_code == 200 and "内部通知</h1>" not in response.content.decode()
    assert "password" in response.content.decode()


def test_list_page_reads_the_taxonomies_once_and_again_after_a_change(
    publish_entry,
    section,
    client,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    entry = classified_entry(publish_entry)
    sub = CatalogueIndexPageFactory(parent=section, title="通知公告", slug="notices")
    restricted = CatalogueIndexPageFactory(parent=section, title="内部栏目", slug="internal")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    client.get(section.url)
    with django_assert_max_num_queries(LIST_QUERIES):
        html = client.get(section.url, {"year": "2024"}).content.decode()
    assert '<option value="culture-media-04">文化、广电、新闻出版 / 文物</option>' in html
    assert '<option value="2024" selected>2024</option>' in html
    assert f'<a href="{sub.url}">通知公告</a>' in html
    assert "内部栏目" not in html

    with django_capture_on_commit_callbacks(execute=True):
        topic = Topic.objects.get(code="culture-media-04")
        topic.name = "文物保护"
        topic.save()
        publisher = entry.organisation
        publisher.name = "六安市文化和旅游局（更名）"
        publisher.save()
        OrganisationFactory(name="六安市财政局", organisation_code="D2143569-X")
    html = client.get(section.url, {"topic": "culture-media-04"}).content.decode()
    assert (
        '<option value="culture-media-04" selected>文化、广电、新闻出版 / 文物保护</option>' in html
    )
    assert ">六安市文化和旅游局（更名）</option>" in html
    # An organisation with no public entry is not offered (it would list nothing).
    assert ">六安市财政局</option>" not in html
    assert "关于加强文物安全工作的通知" in html


def test_the_filter_form_keeps_its_labels_and_errors(section, client):
    response = client.get(section.url, {"year": "1800"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<label for="id_year">年份</label>' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_year-error"' in html
    # The value given matches no option, so none is marked, as Django's widget does.
    assert '<option value="">全部年份</option>' in html and "selected>全部年份" not in html


def test_an_editor_previews_the_draft_not_the_live_page(publish_entry, admin_client):
    from django.urls import reverse

    entry = classified_entry(publish_entry)
    entry.title = "关于加强文物安全工作的通知（修改稿）"
    entry.topic = Topic.objects.get(code="culture-media")
    entry.save_revision()
    html = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[entry.pk])).content
    html = html.decode()
    assert "（修改稿）</h1>" in html and "<td>文化、广电、新闻出版</td>" in html
    assert f'<a href="{entry.get_parent().url}">2024年</a>' in html
