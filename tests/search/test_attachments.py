"""Text of attached PDF and DOCX files; a broken file adds nothing and breaks nothing."""

import io

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Page

from opengov_cms.search import indexing
from opengov_cms.search.attachments import extract_text

docx = pytest.importorskip("docx")


def make_docx():
    document = docx.Document()
    document.add_paragraph("六安市文化和旅游局2019年政府信息公开工作方案")
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


def test_attachments_are_added_to_the_body_and_a_broken_one_is_skipped(home_page, monkeypatch):
    good = Document.objects.create(title="方案", file=ContentFile(make_docx(), name="plan.docx"))
    broken = Document.objects.create(title="坏文件", file=ContentFile(b"garbage", name="bad.pdf"))
    page = home_page.add_child(instance=Page(title="工作方案", slug="plan"))
    monkeypatch.setattr(
        Page,
        "get_search_document",
        lambda self: {"title": self.title, "body": "正文"},
        raising=False,
    )
    monkeypatch.setattr(Page, "get_search_attachments", lambda self: [broken, good], raising=False)
    document = indexing.search_document(page)
    assert document["id"] == f"page:{page.pk}"
    assert document["body"].startswith("正文\n")
    assert "2019年政府信息公开工作方案" in document["body"]
