"""The application form page is kept in each web process between submissions, under the pages
version: a submission reads neither the page nor its view restrictions, and whatever changes
them (a publish, an unpublish, a move, a view restriction, the receiving organisation) is
seen by the very next submission.

Real commits (transactional tests): a page is kept only once no open transaction may still
roll back what was read."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from opengov_cms.core.navigation import CHROME_VERSION_KEY, chrome_version
from opengov_cms.disclosure_requests.models import DisclosureRequest
from tests.disclosure_requests.test_public import application, form_action
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def submit(client, action):
    return client.post(action, application())


def page_reads(queries):
    return [
        q["sql"]
        for q in queries.captured_queries
        if "wagtailcore_page" in q["sql"] or "pageviewrestriction" in q["sql"]
    ]


def test_a_submission_reads_the_page_once_per_version(client, form_page):
    action = form_action(client, form_page)
    with CaptureQueriesContext(connection) as first:
        assert submit(client, action).status_code == 302
    assert page_reads(first)  # not kept yet: read
    with CaptureQueriesContext(connection) as second:
        response = submit(client, action)
    assert response.status_code == 302
    assert response["Location"] == "/apply/?submitted=1"
    assert page_reads(second) == []
    assert DisclosureRequest.objects.count() == 2


def test_an_unpublished_form_takes_no_more_submissions_at_once(client, form_page):
    action = form_action(client, form_page)
    assert submit(client, action).status_code == 302
    form_page.unpublish()
    assert submit(client, action).status_code == 404
    assert DisclosureRequest.objects.count() == 1
    form_page.save_revision().publish()
    assert submit(client, action).status_code == 302


def test_a_moved_form_sends_applicants_to_its_new_address(client, form_page, home_page):
    action = form_action(client, form_page)
    assert submit(client, action)["Location"] == "/apply/?submitted=1"
    section = home_page.add_child(instance=Page(title="政务公开", slug="gk"))
    form_page.move(section, pos="last-child")
    assert submit(client, action)["Location"] == "/gk/apply/?submitted=1"


def test_a_view_restriction_above_the_form_applies_at_once(client, form_page, home_page):
    action = form_action(client, form_page)
    assert submit(client, action).status_code == 302
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=home_page.pk),
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    response = submit(client, action)
    assert response.status_code == 200  # Wagtail's password form, not a new request
    assert "password" in response.content.decode()
    assert DisclosureRequest.objects.count() == 1


def test_a_change_of_the_receiving_organisation_applies_at_once(client, form_page):
    action = form_action(client, form_page)
    assert submit(client, action).status_code == 302
    other = OrganisationFactory(name="六安市教育局", credit_code="11341500003000000N")
    form_page.organisation = other
    form_page.save_revision().publish()
    assert submit(client, action).status_code == 302
    latest = DisclosureRequest.objects.latest("pk")
    assert latest.organisation == other
    assert latest.tracking_number.startswith("11341500003000000N-")
    # The organisation's own record changes too (its code starts the tracking numbers).
    other.credit_code = "12341500MB0000000X"
    other.save()
    assert submit(client, action).status_code == 302
    assert DisclosureRequest.objects.latest("pk").tracking_number.startswith("12341500MB0000000X-")


def test_a_version_the_cache_lost_is_never_one_a_copy_was_kept_under(client, form_page):
    action = form_action(client, form_page)
    assert submit(client, action).status_code == 302
    kept = chrome_version()
    cache.delete(CHROME_VERSION_KEY)  # flushed or evicted
    assert chrome_version() != kept
    with CaptureQueriesContext(connection) as queries:
        assert submit(client, action).status_code == 302
    assert page_reads(queries)  # read again, not trusted


def test_a_kept_page_is_read_again_after_a_while_whatever_the_version_says(
    client, form_page, process_clock
):
    from opengov_cms.disclosure_requests import views

    action = form_action(client, form_page)
    assert submit(client, action).status_code == 302
    # Unpublished where no signal moves the version (another process's own cache, say).
    Page.objects.filter(pk=form_page.pk).update(live=False)
    assert submit(client, action).status_code == 302  # the kept copy, for now
    process_clock.advance(views.KEPT_SECONDS + 1)
    assert submit(client, action).status_code == 404
