"""A public form sent faster than a person fills it in is kept, marked for staff to judge."""

import datetime

import pytest
from django.urls import reverse

from opengov_cms.disclosure_requests.models import DisclosureRequest
from opengov_cms.policies.models import ConsultationComment
from tests.disclosure_requests.test_public import application
from tests.factories import ConsultationPageFactory

pytestmark = pytest.mark.django_db


def form_token(html):
    import re

    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def form_page(home_page):
    from opengov_cms.disclosure_requests.models import RequestFormPage
    from tests.factories import OrganisationFactory

    page = RequestFormPage(title="申请", slug="apply", organisation=OrganisationFactory())
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_an_application_sent_in_a_moment_is_kept_and_marked(client, form_page, clock, admin_client):
    token = form_token(client.get(form_page.url).content.decode())
    clock.move_to(clock.today().isoformat() + " 10:00:00.3")  # 0.3 s after the form came
    assert client.post(form_page.url, application(form_token=token)).status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.likely_automated and request.fill_seconds < 1
    inbox = admin_client.get(reverse("opengov_requests_admin:index"), {"automated": "1"})
    assert (
        request.tracking_number in inbox.content.decode()
        and "疑似自动提交" in inbox.content.decode()
    )


def test_an_application_that_took_a_person_s_time_is_not_marked(client, form_page, clock):
    token = form_token(client.get(form_page.url).content.decode())
    clock.move_to(datetime.datetime.now().astimezone() + datetime.timedelta(minutes=4))
    assert client.post(form_page.url, application(form_token=token)).status_code == 302
    request = DisclosureRequest.objects.get()
    assert not request.likely_automated and request.fill_seconds > 230  # about four minutes


def test_a_fast_or_tokenless_comment_is_kept_and_marked(client, home_page, clock):
    page = ConsultationPageFactory(parent=home_page, slug="draft-plan")
    html = client.get(page.url).content.decode()
    token = form_token(html)
    assert 'type="hidden" name="form_token"' in html
    client.post(page.url, {"body": "很快的意见", "form_token": token})
    client.post(page.url, {"body": "没有标记的意见"})
    clock.move_to(datetime.datetime.now().astimezone() + datetime.timedelta(minutes=2))
    client.post(page.url, {"body": "认真写的意见", "form_token": token})
    marked = dict(ConsultationComment.objects.values_list("body", "likely_automated"))
    assert marked == {"很快的意见": True, "没有标记的意见": True, "认真写的意见": False}
