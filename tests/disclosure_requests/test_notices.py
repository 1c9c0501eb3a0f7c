import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from opengov_cms.disclosure_requests.choices import DocumentKind, NoticeKind
from opengov_cms.disclosure_requests.models import NoticeTemplate
from opengov_cms.disclosure_requests.notices import DOCX_CONTENT_TYPE, render_text
from opengov_cms.disclosure_requests.workflow import perform
from tests.disclosure_requests.factories import DisclosureRequestFactory

pytestmark = pytest.mark.django_db


def docx_text(document):
    with document.file.open("rb") as handle:
        return "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)


def test_acceptance_attaches_a_receipt_without_personal_data():
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(request, "accept", on=date(2024, 9, 30))
    notice = request.documents.get(kind=DocumentKind.NOTICE)
    assert notice.public
    assert notice.content_type == DOCX_CONTENT_TYPE
    assert notice.file.name.endswith(".docx")
    text = docx_text(notice)
    assert "受理回执" in text
    assert request.tracking_number in text
    assert "2024年10月30日" in text  # the due date
    assert "张**" in text
    assert "张三丰" not in text and "13812345678" not in text


@pytest.mark.parametrize(
    ("outcome", "reasons", "fragment"),
    [
        ("disclosed", [], "现予以提供"),
        (
            "partial",
            ["withheld.state_secret", "unavailable.not_held"],
            "属于国家秘密；本机关不掌握",
        ),
        ("withheld.process_information", [], "属于四类过程性信息"),
        ("unavailable.needs_creation", [], "没有现成信息需要另行制作"),
        ("not_processed.repeated", [], "“重复申请”"),
        ("other.other", [], "经审查"),
    ],
)
def test_each_outcome_has_a_reply_notice_with_the_remedies(outcome, reasons, fragment):
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(request, "reply", on=date(2024, 10, 8), outcome=outcome, reasons=reasons)
    text = docx_text(request.documents.get(kind=DocumentKind.NOTICE))
    assert fragment in text
    assert "60日内" in text and "行政复议" in text
    assert "6个月内" in text and "行政诉讼" in text


def test_correction_extension_and_third_party_notices():
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(request, "request_correction", on=date(2024, 9, 30), days=10)
    perform(request, "receive_correction", on=date(2024, 10, 8))
    perform(request, "consult_third_party", on=date(2024, 10, 9))
    perform(request, "end_consultation", on=date(2024, 10, 10))
    perform(request, "extend", on=date(2024, 10, 11), days=15, approver="李四", reason="需调取档案")
    notices = {d.title: d for d in request.documents.filter(kind=DocumentKind.NOTICE)}
    # Sent online on 30 Sep: 10 working days from then end on 18 Oct (Sat 12 Oct worked).
    assert "自收到本告知书之日起10个工作日内（即2024年10月18日前）补正" in docx_text(
        notices["政府信息公开申请补正告知书"]
    )
    extension = docx_text(notices["政府信息公开申请延期答复告知书"])
    assert "因需调取档案" in extension and "延长15个工作日" in extension
    letter = notices["政府信息公开第三方意见征询函"]
    assert not letter.public  # for the third party, not the applicant
    assert "张" not in docx_text(letter)


def test_a_site_template_replaces_the_default(client):
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    NoticeTemplate.objects.create(
        kind=NoticeKind.ACKNOWLEDGEMENT,
        title="受理通知",
        body="${applicant}：编号${tracking_number}已受理。${__class__}",
    )
    NoticeTemplate.objects.create(
        kind=NoticeKind.ACKNOWLEDGEMENT,
        organisation=request.organisation,
        title="本机关受理通知",
        body="${organisation}已受理${tracking_number}。",
    )
    title, text = render_text(request, NoticeKind.ACKNOWLEDGEMENT)
    assert title == "本机关受理通知"
    assert text == f"{request.organisation.name}已受理{request.tracking_number}。"
    other = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    title, text = render_text(other, NoticeKind.ACKNOWLEDGEMENT)
    assert title == "受理通知"
    assert "${__class__}" in text  # unknown placeholders stay as written


def test_the_applicant_downloads_the_notice_from_the_status_page(client):
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(request, "accept", on=date(2024, 9, 30))
    notice = request.documents.get(kind=DocumentKind.NOTICE)
    html = client.post(
        reverse("opengov_requests:status"),
        {"tracking_number": request.tracking_number, "query_code": request.query_code},
    ).content.decode()
    url = reverse("opengov_requests:document", args=[notice.pk])
    assert url in html
    response = client.get(url)
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
