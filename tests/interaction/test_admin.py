"""The staff's screens: who sees which messages, the overdue marked, personal data shown only
on a message's own page (and its views recorded), actions refused with a reason, and the
dashboard panel."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from opengov_cms.interaction.choices import State
from opengov_cms.interaction.models import Message
from tests.interaction.conftest import staff_user
from tests.interaction.factories import MessageFactory

pytestmark = pytest.mark.django_db

INBOX = "opengov_interaction_admin:index"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def action(client, message, name, **data):
    url = reverse("opengov_interaction_admin:action", args=[message.pk, name])
    return client.post(url, {f"{name}-{k}": v for k, v in data.items()}, follow=True)


@pytest.fixture
def office_messages(units):
    """Two messages to the office (one overdue on 18 March 2026) and one to the market office."""
    overdue = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    fresh = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 17))
    market = MessageFactory(organisation=units["market"], received_on=date(2026, 3, 17))
    return {"overdue": overdue, "fresh": fresh, "market": market}


def test_a_handler_sees_the_messages_of_their_units_only(handler, office_messages):
    html = logged_in(handler).get(reverse(INBOX)).content.decode()
    assert office_messages["overdue"].tracking_number in html
    assert office_messages["fresh"].tracking_number in html
    assert office_messages["market"].tracking_number not in html
    detail = reverse("opengov_interaction_admin:detail", args=[office_messages["market"].pk])
    assert logged_in(handler).get(detail).status_code == 404


def test_someone_without_the_permission_gets_no_inbox(django_user_model, office_messages):
    nobody = staff_user(django_user_model, "nobody")
    response = logged_in(nobody).get(reverse(INBOX))
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_overdue_are_marked_and_can_be_listed_alone(handler, office_messages):
    client = logged_in(handler)
    html = client.get(reverse(INBOX)).content.decode()
    row = html[html.index(office_messages["overdue"].tracking_number) :].split("</tr>")[0]
    assert "已逾期" in row and "2026-03-09" in row  # due 5 working days after 2 March
    overdue = client.get(reverse(INBOX), {"due": "overdue"}).content.decode()
    assert office_messages["overdue"].tracking_number in overdue
    assert office_messages["fresh"].tracking_number not in overdue
    soon = client.get(reverse(INBOX), {"due": "soon"}).content.decode()
    assert office_messages["fresh"].tracking_number not in soon  # due 24 March: 4 days on
    bad = client.get(reverse(INBOX), {"state": "nonsense", "organisation": "x", "p": "99"})
    assert bad.status_code == 200


def test_the_list_masks_the_sender_and_the_message_page_shows_them_and_records_it(
    handler, office_messages
):
    client = logged_in(handler)
    html = client.get(reverse(INBOX)).content.decode()
    assert "王**" in html and "王小明" not in html and "13800001111" not in html
    message = office_messages["fresh"]
    page = client.get(reverse("opengov_interaction_admin:detail", args=[message.pk]))
    assert "王小明" in page.content.decode() and "13800001111" in page.content.decode()
    viewed = ModelLogEntry.objects.filter(action="opengov_interaction.view_personal_data")
    assert viewed.get().user_id == handler.pk


def test_the_inbox_costs_the_same_queries_whatever_the_number_of_messages(handler, units):
    client = logged_in(handler)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(INBOX)).status_code == 200
        return len(captured)

    MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    queries()
    few = queries()
    for _n in range(20):
        MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    assert queries() == few


def test_an_action_refused_says_why_and_changes_nothing(handler, reviewer, office_messages):
    message = office_messages["fresh"]
    client = logged_in(handler)
    response = action(client, message, "close_out_of_scope", note="")
    assert "不予受理理由：请填写此项" in response.content.decode()
    response = action(client, message, "merge", into="NOPE-1")
    assert "没有这个编号的留言" in response.content.decode()
    response = action(client, message, "teleport")
    assert "没有这项操作" in response.content.decode()
    message.refresh_from_db()
    assert message.state == State.RECEIVED
    # A reply approved by the reviewer who drafted it: refused.
    reviewing = logged_in(reviewer)
    action(reviewing, message, "submit_reply", reply="答复")
    response = action(reviewing, message, "approve_reply")
    assert "答复须由起草人以外的人员审核" in response.content.decode()
    assert Message.objects.get(pk=message.pk).state == State.IN_REVIEW


def test_a_transfer_out_of_ones_units_goes_back_to_the_list(handler, units, office_messages):
    message = office_messages["fresh"]
    response = action(
        logged_in(handler), message, "transfer", organisation=units["market"].pk, note="市场问题"
    )
    assert response.redirect_chain[-1][0] == reverse(INBOX)
    assert Message.objects.get(pk=message.pk).organisation == units["market"]


def test_the_dashboard_counts_what_needs_attention(handler, django_user_model, office_messages):
    html = logged_in(handler).get(reverse("wagtailadmin_home")).content.decode()
    assert "已逾期未答复：1件" in html
    nobody = staff_user(django_user_model, "nobody")
    assert (
        "已逾期未答复" not in logged_in(nobody).get(reverse("wagtailadmin_home")).content.decode()
    )
