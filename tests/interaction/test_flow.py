"""A message from the public form to its published reply, through the admin as staff handle
it: transferred to the right unit, assigned, drafted, reviewed, replied and published, with
the deadline counted in working days, and the sender's personal data on no public exit."""

import json
import re
from datetime import date

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from opengov_cms.core import receipts
from opengov_cms.interaction.choices import State
from opengov_cms.interaction.forms import make_form_token
from opengov_cms.interaction.models import Message
from tests.interaction.factories import MOBILE, RESIDENT_ID

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "李建国", "13700002222", "lijg@example.com"
PERSONAL = (NAME, PHONE, EMAIL, RESIDENT_ID, MOBILE)
WORD = "皋陶文化园"


def message_data(unit, **overrides):
    data = {
        "category": "consultation",
        "organisation": str(unit.pk),
        "subject": f"{WORD}周末开放吗",
        "body": f"请问{WORD}周末是否开放？我的手机{MOBILE}，身份证{RESIDENT_ID}。",
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
        "publish_consent": "on",
        "website": "",
        "form_token": make_form_token(),
    }
    data.update(overrides)
    return data


def text(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def assert_no_personal_data(body, where):
    for value in PERSONAL:
        assert value not in body, f"{value} shows in {where}"


def act(client, message, action, data=None):
    url = reverse("opengov_interaction_admin:action", args=[message.pk, action])
    return client.post(url, {f"{action}-{k}": v for k, v in (data or {}).items()})


@pytest.mark.now("2026-04-02 09:00")
def test_from_the_form_to_the_published_reply(
    box, units, handler, reviewer, clock, django_capture_on_commit_callbacks
):
    sender = Client()
    write_url = box.url + "write/"
    html = sender.get(write_url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    clock.move_to("2026-04-02 09:05")  # five minutes to write it: a person
    with django_capture_on_commit_callbacks(execute=True):
        # The sender picks the wrong unit: the market office.
        response = sender.post(write_url, message_data(units["market"], form_token=token))
    assert response.status_code == 302
    assert response["Location"] == write_url + "?submitted=1"
    # The receipt travels in a cookie for the form's address: no session is made.
    assert response.cookies[receipts.COOKIE]["path"] == write_url
    assert not Session.objects.exists()
    confirmation = sender.get(response["Location"]).content.decode()
    message = Message.objects.get()
    assert message.tracking_number in confirmation
    code = re.search(r"查询码</th><td><strong>(\w+)</strong>", confirmation).group(1)
    assert message.check_query_code(code)
    assert not message.likely_automated
    assert (message.state, message.organisation, message.box_id) == (
        State.RECEIVED,
        units["market"],
        box.pk,
    )
    # A consultation: 5 working days after Thursday 2 April 2026. Friday 3 April is the first;
    # the weekend and Monday 6 April (清明节) are not; then 7, 8, 9 and 10 April.
    assert message.reply_period == 5
    assert message.due_date == date(2026, 4, 10)
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert code in mail.outbox[0].body and message.tracking_number in mail.outbox[0].body

    # The handler works for the bureau and its office, not the market office: not theirs yet.
    staff = Client()
    staff.force_login(handler)
    inbox = reverse("opengov_interaction_admin:index")
    assert message.tracking_number not in staff.get(inbox).content.decode()
    office = Client()
    office.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            office,
            message,
            "transfer",
            {"organisation": units["office"].pk, "note": "属于办公室职责"},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.organisation) == (State.RECEIVED, units["office"])
    transfer = message.events.get(action="transfer")
    assert (transfer.from_organisation, transfer.to_organisation) == (
        units["market"],
        units["office"],
    )
    assert "属于办公室职责" in transfer.note
    logged = ModelLogEntry.objects.get(action="opengov_interaction.transfer")
    assert logged.data["from"] == units["market"].pk and logged.data["to"] == units["office"].pk
    assert message.due_date == date(2026, 4, 10)  # a transfer does not restart the clock

    # Now the handler's: assigned, and a reply drafted and sent for review.
    assert message.tracking_number in staff.get(inbox).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        act(staff, message, "assign", {"handler": handler.pk})
        act(staff, message, "submit_reply", {"reply": f"您好，{WORD}周末正常开放，9:00—17:00。"})
    message.refresh_from_db()
    assert (message.state, message.handler, message.reply_drafted_by) == (
        State.IN_REVIEW,
        handler,
        handler,
    )
    # Nothing has left the site yet.
    assert WORD not in sender.get(box.url).content.decode()
    # Only a reviewer may let it go out: the admin refuses the handler (and says so).
    refused = act(staff, message, "approve_reply", {"publish": "on"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    message.refresh_from_db()
    assert message.state == State.IN_REVIEW

    clock.move_to("2026-04-09 15:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, message, "approve_reply", {"publish": "on"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.reviewed_by, message.replied_on) == (
        State.REPLIED,
        reviewer,
        date(2026, 4, 9),
    )
    # 3, 7, 8 and 9 April: four working days, one day within the period.
    assert message.reply_working_days == 4 and message.replied_on_time
    assert message.published_at is not None
    reply_mail = mail.outbox[-1]
    assert reply_mail.to == [EMAIL] and "9:00—17:00" in reply_mail.body

    # Published: the list, the message, the feed and search show it, without personal data.
    public = Client()
    listing = public.get(box.url)
    assert listing.status_code == 200 and WORD in text(listing)
    assert_no_personal_data(text(listing), "the list")
    detail = public.get(f"{box.url}{message.pk}/")
    body = text(detail)
    assert detail.status_code == 200 and "9:00—17:00" in body
    assert "[身份证号已隐去]" in body and "[手机号已隐去]" in body
    assert_no_personal_data(body, "the message's page")
    feed = public.get(box.url + "feed/")
    assert feed["Content-Type"].startswith("application/atom+xml") and WORD in text(feed)
    assert_no_personal_data(text(feed), "the feed")
    results = public.get(reverse("opengov_search:search"), {"q": WORD})
    assert f"{box.url}{message.pk}/" in text(results)
    assert results.context["results"].total == 1
    assert_no_personal_data(text(results), "search")
    for query in (NAME, PHONE, MOBILE):
        found = public.get(reverse("opengov_search:search"), {"q": query})
        assert found.context["results"].total == 0, query
    search_feed = public.get(reverse("opengov_search:feed"), {"q": WORD})
    assert WORD in text(search_feed)
    assert_no_personal_data(text(search_feed), "the search feed")
    api = json.loads(text(public.get(reverse("opengov_api:items"))))
    assert_no_personal_data(json.dumps(api, ensure_ascii=False), "the API")

    # The sender's lookup: replied, with the reply.
    status = sender.post(
        reverse("opengov_interaction:status"),
        {"tracking_number": message.tracking_number, "query_code": code},
    )
    page = text(status)
    assert status.status_code == 200
    assert "已答复" in page and "9:00—17:00" in page and "转交" in page
    assert_no_personal_data(page, "the status page")
