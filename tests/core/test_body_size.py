"""A public request body too large to be a form is refused before any of it is read."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TEN_GB = 10 * 1024**3


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post(client, path, length):
    return client.generic(
        "POST",
        path,
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


@pytest.mark.parametrize(
    "path",
    ["/opengov/requests/apply/1/", "/opengov/requests/status/", "/any/consultation/page/"],
)
def test_a_body_declaring_10_gb_is_refused_with_413_unread(path):
    client = Client(enforce_csrf_checks=True)
    response = post(client, path, TEN_GB)
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert response["Connection"] == "close"


def test_the_limit_is_the_largest_application_form(settings):
    settings.OPENGOV_CMS_REQUESTS_UPLOAD_MAX_FILES = 2
    settings.OPENGOV_CMS_REQUESTS_UPLOAD_MAX_SIZE = 1024 * 1024
    client = Client()
    assert post(client, "/opengov/requests/status/", 3 * 1024 * 1024 + 1).status_code == 413
    settings.OPENGOV_CMS_PUBLIC_BODY_MAX_SIZE = 64 * 1024
    assert post(client, "/opengov/requests/status/", 64 * 1024 + 1).status_code == 413


def test_a_form_within_the_limit_is_read_as_usual(client):
    response = client.post("/opengov/requests/status/", {"tracking_number": "X", "query_code": "Y"})
    assert response.status_code == 404  # an unknown number, answered as always


def test_the_admin_keeps_its_own_limits(admin_client):
    response = admin_client.generic(
        "POST",
        "/admin/documents/multiple/add/",
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    # Passed on to the admin, where Django's own limit on form data answers.
    assert response.status_code == 400
    assert "提交的内容过大" not in response.content.decode()
