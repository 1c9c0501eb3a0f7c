"""Text of attached PDF and DOCX files; a broken file adds nothing and breaks nothing.

The page types' attachments are searched end to end: an editor publishes an entry with its
files through the admin, the indexing job reads them after the commit, and the entry is found
by a word that only the files contain, on the database backend and on the OpenSearch node.
"""

import io
import time

import pytest
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import CollectionViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from opengov_cms.catalogue.models import DisclosureEntryPage, EntryAttachment
from opengov_cms.policies.models import PolicyAttachment, PolicyDocumentPage
from opengov_cms.search import indexing
from opengov_cms.search.attachments import extract_text
from opengov_cms.search.backends import get_search_backend
from tests.services import service_url

docx = pytest.importorskip("docx")


def make_docx(text="六安市文化和旅游局2019年政府信息公开工作方案"):
    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "责任单位"
    table.rows[0].cells[1].text = "办公室"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(text):
    """A one-page PDF showing ``text`` (ASCII) in Helvetica, written by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_docx_text_includes_tables(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(make_docx())
    text = extract_text(path)
    assert "2019年政府信息公开工作方案" in text
    assert "责任单位 办公室" in text


def test_pdf_text(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "notice.pdf"
    path.write_bytes(make_pdf("Notice 2019-00123 on open government"))
    assert "Notice 2019-00123 on open government" in extract_text(path)


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx", "empty.pdf", "notes.txt"])
def test_broken_or_unknown_files_give_no_text(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"" if name.startswith("empty") else b"\x00\xffnot a real file" * 50)
    assert extract_text(path) == ""


# The words only the files hold: Chinese in the DOCX, letters in the PDF (the hand-made PDF's
# standard font has no Chinese glyphs).
DOCX_WORDS = "附表：淠史杭灌区渠系维修项目清单"
PDF_WORD = "Heliotrope2019"


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.com", "pw"))
    return client


def upload(title, name, data):
    return Document.objects.create(title=title, file=ContentFile(data, name=name))


def publish_in_admin(admin_client, section, organisation, documents, slug="plan"):
    url = reverse(
        "wagtailadmin_pages:add", args=["opengov_catalogue", "disclosureentrypage", section.pk]
    )
    data = nested_form_data(
        {
            "title": "关于印发2019年政务公开工作方案的通知",
            "slug": slug,
            "organisation": organisation.pk,
            "written_date": "2019-04-01",
            "disclosure_attribute": "proactive",
            "validity": "valid",
            "body": rich_text("<p>现将工作方案印发给你们，请认真贯彻执行。</p>"),
            "attachments": inline_formset(
                [{"document": document.pk, "title": ""} for document in documents]
            ),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = DisclosureEntryPage.objects.get(slug=slug)
    assert page.live and page.attachments.count() == len(documents)
    return page


def test_an_entry_is_found_by_words_only_its_attachments_hold(
    root_collection,
    site_backend,
    admin_client,
    section,
    organisation,
    django_capture_on_commit_callbacks,
):
    pytest.importorskip("pypdf")
    files = [
        upload("附表", "annex.docx", make_docx(DOCX_WORDS)),
        upload("原文", "original.pdf", make_pdf(f"Annex {PDF_WORD} of the plan")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_in_admin(admin_client, section, organisation, files)
    expected = [f"page:{page.pk}"]
    assert site_backend.search("渠系维修").ids == expected
    assert site_backend.search(PDF_WORD.lower()).ids == expected
    # The files' words are in the body, not in the title or summary the results show.
    hit = site_backend.search("灌区").hits[0]
    assert hit.title == "关于印发2019年政务公开工作方案的通知"


def test_a_corrupt_attachment_does_not_stop_the_page_being_indexed(
    root_collection,
    site_backend,
    admin_client,
    section,
    organisation,
    django_capture_on_commit_callbacks,
    caplog,
):
    files = [
        upload("损坏的原文", "broken.pdf", b"%PDF-1.4\n" + b"\x00\xffnot really a pdf" * 40),
        upload("附表", "annex.docx", make_docx(DOCX_WORDS)),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_in_admin(admin_client, section, organisation, files)
    expected = [f"page:{page.pk}"]
    assert site_backend.search("政务公开工作方案").ids == expected
    # The good file after the broken one is still read.
    assert site_backend.search("渠系维修").ids == expected
    assert "cannot read the text of attachment" in caplog.text


def test_policy_documents_are_searched_by_their_original_file(
    root_collection, publish_entry, section, organisation, django_capture_on_commit_callbacks
):
    original = upload("原文", "original.docx", make_docx("第三条 本办法所称公共文化设施"))
    page = PolicyDocumentPage(
        title="公共文化设施管理办法",
        organisation=organisation,
        body="<p>见原文。</p>",
        written_date="2019-05-01",
        live=False,
    )
    page.attachments = [PolicyAttachment(document=original)]
    section.add_child(instance=page)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert get_search_backend().search("本办法所称").ids == [f"page:{page.pk}"]


def test_a_rebuild_reads_attachments_with_the_same_queries_per_chunk(
    root_collection, publish_entry, organisation
):
    """Attachments are fetched with their documents for a whole chunk of pages at once: the
    pages in one query, their attachments and documents in another."""
    annex = upload("附表", "annex.docx", make_docx(DOCX_WORDS))
    for number in range(6):
        page = publish_entry(title=f"通知{number}")
        EntryAttachment.objects.create(page=page, document=annex)
    chunks = indexing.iter_document_chunks(chunk_size=2, restrictions=indexing.Restrictions())
    counts = []
    while True:
        with CaptureQueriesContext(connection) as context:
            chunk = next(chunks, None)
        if chunk is None:
            break
        if chunk[1]:
            counts.append(len(context.captured_queries))
            assert all(DOCX_WORDS in document["body"] for document in chunk[1])
    assert counts == [2, 2, 2]


def test_updating_many_pages_reads_what_they_show_in_constant_queries(
    root_collection, publish_entry, organisation
):
    """A section made public again reindexes every page below it: their organisations and
    their attachments with their documents are read at once, however many pages there
    are."""
    from opengov_cms.search.tasks import update_index

    annex = upload("附表", "annex.docx", make_docx(DOCX_WORDS))
    pages = []
    for number in range(5):
        page = publish_entry(title=f"通知{number}")
        EntryAttachment.objects.create(page=page, document=annex)
        pages.append(page)
    update_index([pages[0].pk])  # reads the site's terms for the analysis once
    with CaptureQueriesContext(connection) as context:
        update_index([page.pk for page in pages[:2]])
    with CaptureQueriesContext(connection) as more:
        update_index([page.pk for page in pages])
    attachments = [q for q in more.captured_queries if "entryattachment" in q["sql"]]
    assert len(attachments) == 1
    assert len(more.captured_queries) == len(context.captured_queries)
    hits = get_search_backend().search(DOCX_WORDS[:4]).ids
    for page in pages:
        assert indexing.document_id(page.pk) in hits


@pytest.fixture
def celery_app(settings):
    celery = pytest.importorskip("celery")
    settings.OPENGOV_CMS_TASK_RUNNER = "celery"
    app = celery.Celery("opengov_cms_search_tests")
    app.conf.update(
        broker_url=service_url("redis"),
        task_ignore_result=True,
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    previous = celery.current_app._get_current_object()
    app.set_current()
    with app.connection_for_write() as connection_:
        connection_.default_channel.client.delete("celery")
    yield app
    previous.set_current()


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory database is locked while the worker writes
        time.sleep(0.2)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_files_are_read_by_the_celery_worker_after_the_publish(
    root_collection, celery_app, section, organisation
):
    from celery.contrib.testing.worker import start_worker

    annex = upload("附表", "annex.docx", make_docx(DOCX_WORDS))
    page = DisclosureEntryPage(
        title="灌区管理通知", organisation=organisation, written_date="2019-04-01", live=False
    )
    page.attachments = [EntryAttachment(document=annex)]
    section.add_child(instance=page)
    page.save_revision().publish()
    backend = get_search_backend()
    # The publish only queued the job: nothing was read or indexed in the editor's request.
    assert backend.search("渠系维修").ids == []
    with celery_app.connection_for_write() as connection_:
        assert connection_.default_channel.client.llen("celery") > 0
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30, loglevel="INFO"):
        assert wait_for(lambda: backend.search("渠系维修").ids == [f"page:{page.pk}"])


def test_files_in_a_private_collection_stay_out_of_the_index(
    root_collection, publish_entry, django_capture_on_commit_callbacks
):
    internal = root_collection.add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    public = upload("附表", "annex.docx", make_docx(DOCX_WORDS))
    private = Document.objects.create(
        title="内部会商纪要",
        file=ContentFile(make_docx("会商纪要：暂缓公布补偿标准"), name="minutes.docx"),
        collection=internal,
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_entry(title="关于灌区维修的通知", summary="")
        EntryAttachment.objects.create(page=page, document=public)
        EntryAttachment.objects.create(page=page, document=private)
        page.save_revision().publish()
    backend = get_search_backend()
    assert backend.search("渠系维修").ids == [f"page:{page.pk}"]
    assert backend.search("补偿标准").ids == []
    assert backend.search("会商纪要").ids == []
