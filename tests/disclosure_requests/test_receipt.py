"""The receipt after a submission: shown by the confirmation page from a cookie of the form's
own, not from the session (core.receipts)."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from opengov_cms.core import receipts
from opengov_cms.disclosure_requests.models import DisclosureRequest
from tests.disclosure_requests.test_public import application, form_action

pytestmark = pytest.mark.django_db

CODE = re.compile(r"查询码</th><td><strong>(\w+)</strong>")


def submit(client, form_page):
    response = client.post(form_action(client, form_page), application())
    assert response.status_code == 302
    return response


def test_the_receipt_comes_back_on_reload_without_any_session(client, form_page):
    response = submit(client, form_page)
    # Nothing stored for an anonymous applicant but the request itself.
    assert not Session.objects.exists()
    assert "sessionid" not in response.cookies
    cookie = response.cookies[receipts.COOKIE]
    # Sent back to the form's own address only, never readable by scripts.
    assert cookie["path"] == form_page.url
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == receipts.MAX_AGE
    request = DisclosureRequest.objects.get()
    # Neither the number nor the code can be read from the cookie.
    assert request.tracking_number not in cookie.value
    for _ in range(2):  # a reload shows it again
        page = client.get(response["Location"]).content.decode()
        assert request.tracking_number in page
        assert request.check_query_code(CODE.search(page).group(1))


def test_the_receipt_is_gone_after_half_an_hour(client, form_page, clock):
    response = submit(client, form_page)
    clock.move_to("2026-03-18 10:31")
    page = client.get(response["Location"])
    assert page.status_code == 302 and page["Location"] == form_page.url


def test_a_forged_or_foreign_receipt_shows_nothing(client, form_page, settings):
    response = submit(client, form_page)
    value = client.cookies[receipts.COOKIE].value
    for forged in ("", "x" * 40, value[:-2] + "AA", "caf\u00e9", "%E4%B8%AD"):
        client.cookies[receipts.COOKIE] = forged
        page = client.get(response["Location"])
        assert page.status_code == 302 and page["Location"] == form_page.url
    # Made for another form page: not shown on this one.
    client.cookies[receipts.COOKIE] = (
        receipts.fernet()
        .encrypt(b'{"page": %d, "tracking_number": "X", "query_code": "Y"}' % (form_page.pk + 1))
        .decode()
    )
    assert client.get(response["Location"]).status_code == 302
    # The secret key rotated just after the submission: the receipt is still read.
    client.cookies[receipts.COOKIE] = value
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "n" * 40
    assert client.get(response["Location"]).status_code == 200


def test_a_submission_over_https_gets_a_secure_cookie(client, form_page):
    action = reverse("opengov_requests:apply", args=[form_page.pk])
    response = client.post(action, application(), secure=True)
    assert response.status_code == 302
    assert response.cookies[receipts.COOKIE]["secure"]
