"""Files uploaded to the document library are checked before Wagtail stores them."""

import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from docx import Document as DocxDocument
from wagtail.documents import get_document_model

from opengov_cms import checks

Document = get_document_model()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    document = DocxDocument()
    document.add_paragraph("关于做好政府信息公开工作的通知")
    document.save(buffer)
    return buffer.getvalue()


def stored_files(media_root):
    found = []
    for folder, _, names in os.walk(media_root):
        found += [os.path.join(folder, name) for name in names]
    return found


def upload(client, name, content, title="上传的文件"):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content",
    [
        ("方案.pdf", PDF),
        ("通知.docx", None),
        ("统计.csv", "年份,件数\n2025,12\n".encode("gb18030")),
    ],
)
def test_an_accepted_file_is_stored(admin_client, media_root, name, content):
    response = upload(admin_client, name, content if content is not None else docx_bytes())
    assert response.status_code == 302
    document = Document.objects.get(title="上传的文件")
    assert document.file.name.endswith(os.path.splitext(name)[1])
    assert stored_files(media_root)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("setup.exe", b"MZ\x90\x00", "不能上传“.exe”类型的文件"),
        ("没有扩展名", PDF, "不能上传“.?”类型的文件"),
        ("方案.pdf", b"MZ\x90\x00 renamed program", "文件内容不是 PDF 格式"),
        ("通知.docx", PDF, "文件内容不是 DOCX 格式"),
        ("统计.csv", b"\x00\x01\x02binary", "文件不是文本文件（CSV）"),
        ("空.pdf", b"", "所提交的是空文件"),
    ],
)
def test_a_refused_file_is_not_stored_and_the_editor_is_told_why(
    admin_client, media_root, name, content, message
):
    response = upload(admin_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_DOCUMENT_MAX_SIZE=1024)
def test_a_file_over_the_size_limit_is_refused(admin_client, media_root):
    response = upload(admin_client, "大文件.pdf", PDF + b"0" * 2048)
    assert "不能超过 1.0\xa0KB" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
@override_settings(OPENGOV_CMS_DOCUMENT_EXTENSIONS=["pdf"])
def test_the_accepted_types_are_a_setting(admin_client, media_root):
    response = upload(admin_client, "通知.docx", docx_bytes())
    assert "可以上传的类型：pdf" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_multiple_upload_and_the_chooser_refuse_the_same_files(admin_client, media_root):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("setup.exe", b"MZ\x90\x00"), "collection": 1},
    )
    result = json.loads(response.content)
    assert result["success"] is False
    assert "不能上传“.exe”类型的文件" in json.dumps(result, ensure_ascii=False)

    response = admin_client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "改名的程序",
            "document-chooser-upload-file": SimpleUploadedFile("方案.pdf", b"MZ\x90\x00"),
            "document-chooser-upload-collection": 1,
        },
    )
    assert "文件内容不是 PDF 格式" in json.dumps(json.loads(response.content), ensure_ascii=False)
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_editing_a_document_title_keeps_its_stored_file(admin_client, media_root):
    upload(admin_client, "方案.pdf", PDF)
    document = Document.objects.get()
    with override_settings(OPENGOV_CMS_DOCUMENT_EXTENSIONS=["docx"]):
        response = admin_client.post(
            reverse("wagtaildocs:edit", args=[document.pk]),
            {"title": "新标题", "collection": 1},
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "新标题"


@pytest.mark.parametrize(
    "overrides,message_id",
    [
        ({"WAGTAILDOCS_DOCUMENT_FORM_BASE": ""}, "opengov_cms.W006"),
        (
            {"WAGTAILDOCS_DOCUMENT_FORM_BASE": "wagtail.documents.forms.BaseDocumentForm"},
            "opengov_cms.W006",
        ),
        ({"WAGTAILDOCS_DOCUMENT_FORM_BASE": "no.such.Form"}, "opengov_cms.W006"),
        ({"OPENGOV_CMS_DOCUMENT_EXTENSIONS": [".pdf"]}, "opengov_cms.E006"),
        ({"OPENGOV_CMS_DOCUMENT_EXTENSIONS": "pdf"}, "opengov_cms.E006"),
        ({"OPENGOV_CMS_DOCUMENT_MAX_SIZE": 0}, "opengov_cms.E006"),
    ],
)
def test_unchecked_uploads_and_bad_upload_settings_are_reported(overrides, message_id):
    assert checks.check_document_uploads() == []
    with override_settings(**overrides):
        assert [message.id for message in checks.check_document_uploads()] == [message_id]
