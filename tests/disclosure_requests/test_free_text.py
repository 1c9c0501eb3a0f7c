"""Personal data typed into an application's free text: encrypted at rest, and hidden from
everything published from the request (Art. 44 entries, notices)."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from opengov_cms.catalogue.models import DisclosureEntryPage
from opengov_cms.disclosure_requests.choices import DocumentKind
from opengov_cms.disclosure_requests.workflow import perform
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.disclosure_requests.test_notices import docx_text

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
MOBILE = "13912345678"
FREE_TEXT = {
    "description": f"我（身份证{ID}）申请公开本人承包合同的备案材料，电话{MOBILE}",
    "document_reference": f"承包合同备案（{ID}）",
    "purpose": f"维权，联系{MOBILE}",
}


def raw(pk):
    columns = ", ".join(FREE_TEXT)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM opengov_requests_disclosurerequest WHERE id = %s", [pk]
        )
        return dict(zip(FREE_TEXT, cursor.fetchone(), strict=True))


def test_the_free_text_of_an_application_is_encrypted_at_rest():
    request = DisclosureRequestFactory(**FREE_TEXT)
    for name, stored in raw(request.pk).items():
        assert stored.startswith("fernet:"), name
        assert ID not in stored and MOBILE not in stored and "承包" not in stored
    request.refresh_from_db()
    assert request.description == FREE_TEXT["description"]


def test_notices_do_not_repeat_identifiers_from_the_application():
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27), **FREE_TEXT)
    perform(request, "accept", on=date(2024, 9, 30))
    perform(request, "consult_agency", on=date(2024, 10, 8))
    letter = request.documents.get(kind=DocumentKind.NOTICE, title="政府信息公开征求意见函")
    text = docx_text(letter)
    assert "承包合同备案（[身份证号已隐去]）" in text and ID not in text


def test_a_reply_published_for_everyone_carries_no_identifier(organisation, section, admin_client):
    request = DisclosureRequestFactory(
        organisation=organisation, received_on=date(2024, 9, 27), **FREE_TEXT
    )
    perform(request, "accept", on=date(2024, 9, 30))
    perform(request, "reply", on=date(2024, 10, 10), outcome="disclosed")
    detail = admin_client.get(reverse("opengov_requests_admin:detail", args=[request.pk]))
    form_html = detail.content.decode().split('name="proactive-title"')[1][:200]
    assert ID not in form_html and "[身份证号已隐去]" in form_html
    admin_client.post(
        reverse("opengov_requests_admin:proactive", args=[request.pk]),
        {
            "proactive-section": section.pk,
            "proactive-title": f"承包合同备案材料（{ID}）",
            "proactive-summary": f"申请人{MOBILE}所需的备案材料。",
        },
    )
    entry = DisclosureEntryPage.objects.get()
    assert ID not in entry.title and MOBILE not in entry.summary
    assert entry.title == "承包合同备案材料（[身份证号已隐去]）"
