"""An application from the public form to the reply, through the admin, with the test client."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from opengov_cms.disclosure_requests.choices import State
from opengov_cms.disclosure_requests.models import DisclosureRequest
from tests.disclosure_requests.test_public import application

pytestmark = pytest.mark.django_db


def test_from_the_form_to_the_reply(form_page, admin_user, django_capture_on_commit_callbacks):
    applicant = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.post(form_page.url, application(), follow=True)
    html = response.content.decode()
    number = re.search(r"申请编号</th><td><strong>([^<]+)</strong>", html).group(1)
    code = re.search(r"查询码</th><td><strong>(\w+)</strong>", html).group(1)
    assert code in mail.outbox[0].body

    staff = Client()
    staff.force_login(admin_user)
    request = DisclosureRequest.objects.get(tracking_number=number)
    assert number in staff.get(reverse("opengov_requests_admin:index")).content.decode()
    action = reverse("opengov_requests_admin:action", args=[request.pk, "accept"])
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(action, {})
    action = reverse("opengov_requests_admin:action", args=[request.pk, "reply"])
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            action,
            {
                "reply-outcome": "partial",
                "reply-reasons": ["withheld.third_party_rights"],
                "reply-document": SimpleUploadedFile("材料.pdf", b"%PDF-1.4 released"),
            },
        )
    request.refresh_from_db()
    assert request.state == State.REPLIED
    assert request.partial_reasons == ["withheld.third_party_rights"]
    subjects = [m.subject for m in mail.outbox]
    assert any("受理" in s for s in subjects) and any("答复" in s for s in subjects)

    response = applicant.post(
        reverse("opengov_requests:status"), {"tracking_number": number, "query_code": code}
    )
    html = response.content.decode()
    assert "已答复" in html and "部分公开" in html
    links = re.findall(r'href="(/opengov/requests/documents/\d+/)"', html)
    assert len(links) == 3  # receipt, reply notice, reply material
    downloads = [b"".join(applicant.get(link).streaming_content) for link in links]
    assert b"%PDF-1.4 released" in downloads
    assert Client().get(links[0]).status_code == 404  # another browser, no lookup


def test_error_reports_hide_what_applicants_typed(form_page, rf: RequestFactory):
    request = rf.post(form_page.url, application(form_token="expired"))
    form_page.specific.serve(request)
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert all(value == "********************" for value in cleansed.values())
