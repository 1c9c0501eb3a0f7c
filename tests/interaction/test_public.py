"""The message box as the public uses it: the form and what it refuses, the lookup, the list of
published replies with its filters and pages, and what bad input gets back."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opengov_cms.interaction.choices import State
from opengov_cms.interaction.models import Message
from opengov_cms.interaction.workflow import perform
from tests.interaction.factories import MessageFactory, reply_to
from tests.interaction.test_flow import message_data

pytestmark = pytest.mark.django_db


def write(client, box, **overrides):
    return client.post(box.url + "write/", message_data(box.organisation, **overrides))


def test_the_form_renders_accessibly(client, box, units):
    response = client.get(box.url + "write/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "我们在5至10个工作日内答复" in html
    assert '<label for="id_body">' in html and 'aria-describedby="id_body-help"' in html
    # The units of the bureau to choose from: the bureau first, then its units.
    options = re.findall(r'<option value="(\d+)"', html)
    assert options[0] == str(box.organisation.pk)
    assert set(options) == {str(box.organisation.pk), *(str(u.pk) for u in units.values())}
    assert 'name="form_token"' in html and 'name="website"' in html


def test_mistakes_come_back_in_chinese_saying_what_to_fix_and_nothing_is_lost(client, box):
    response = write(
        client, box, category="", subject="  ", phone="12345", email="不是邮箱", body="x" * 3001
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "留言有5处需要修改" in html
    for text in ("请填写此项", "11位手机号码", "有效的电子邮箱地址", "最多3000个字符"):
        assert text in html, text
    assert 'aria-invalid="true"' in html
    assert "李建国" in html  # what was typed is kept
    assert not Message.objects.exists()


def test_a_unit_outside_the_box_is_refused(client, box):
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="另一个市的局")
    response = write(client, box, organisation=str(elsewhere.pk))
    assert response.status_code == 400
    assert "请从列表中选择受理单位" in response.content.decode()
    assert write(client, box, organisation="abc").status_code == 400
    assert write(client, box, organisation="9" * 30).status_code == 400
    assert not Message.objects.exists()


def test_double_submit_makes_one_message(client, box, django_capture_on_commit_callbacks):
    data = message_data(box.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(box.url + "write/", data)
        second = client.post(box.url + "write/", data)
    assert first.status_code == second.status_code == 302
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_fast_form_is_kept_and_marked_a_filled_honeypot_is_refused(client, box):
    assert write(client, box).status_code == 302  # posted at once: faster than a person
    message = Message.objects.get()
    assert message.likely_automated and message.fill_seconds < 3
    response = write(client, box, website="http://spam.example")
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert Message.objects.count() == 1


def test_a_forged_or_missing_token_asks_to_reload(client, box):
    assert "表单已失效" in write(client, box, form_token="forged").content.decode()
    assert "表单已失效" in write(client, box, form_token="").content.decode()
    assert not Message.objects.exists()


def test_the_challenge_when_the_site_asks_for_it(client, box, settings):
    settings.OPENGOV_CMS_INTERACTION_CHALLENGE = True
    html = client.get(box.url + "write/").content.decode()
    a, b = map(int, re.search(r"验证问题：(\d) 加 (\d) 等于几", html).groups())
    challenge = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    wrong = write(client, box, challenge=challenge, challenge_answer=str(a + b + 1))
    assert wrong.status_code == 400 and "答案不正确" in wrong.content.decode()
    right = write(client, box, challenge=challenge, challenge_answer=str(a + b))
    assert right.status_code == 302


def test_the_rate_limit_counts_only_messages_that_would_be_registered(client, box, settings):
    settings.OPENGOV_CMS_INTERACTION_SUBMIT_RATE = (2, 3600)
    for _ in range(3):
        assert write(client, box, phone="1").status_code == 400  # corrections are not held
    assert write(client, box).status_code == 302
    assert write(client, box).status_code == 302
    response = write(client, box)
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Message.objects.count() == 2


def test_the_confirmation_is_only_for_the_browser_that_sent_the_message(client, box):
    from django.test import Client

    response = write(client, box)
    assert client.get(response["Location"]).status_code == 200
    other = Client().get(response["Location"])
    assert other.status_code == 302 and other["Location"] == box.url + "write/"


def test_the_lookup_answers_a_wrong_code_and_an_unknown_number_alike(client, settings):
    message = MessageFactory(received_on=date(2026, 3, 2))
    url = reverse("opengov_interaction:status")
    form = client.get(url).content.decode()
    assert '<label for="id_tracking_number">留言编号' in form
    for number, code in ((message.tracking_number, "WRONGCODE2"), ("XX-2026-1", "ABC")):
        response = client.post(url, {"tracking_number": number, "query_code": code})
        assert response.status_code == 404
        assert "留言编号或查询码不正确" in response.content.decode()
    assert client.post(url, {"tracking_number": "", "query_code": ""}).status_code == 400
    found = client.post(
        url, {"tracking_number": message.tracking_number, "query_code": message.query_code}
    )
    html = found.content.decode()
    assert found.status_code == 200 and "待办理" in html and "2026-03-09" in html
    assert "王小明" not in html and "13800001111" not in html
    settings.OPENGOV_CMS_INTERACTION_LOOKUP_RATE = (1, 600)
    client.post(url, {"tracking_number": "a", "query_code": "b"})
    assert client.post(url, {"tracking_number": "a", "query_code": "b"}).status_code == 429


def test_a_merged_message_shows_the_reply_of_the_one_it_joined(client, handler, reviewer):
    first = MessageFactory(received_on=date(2026, 3, 2))
    second = MessageFactory(received_on=date(2026, 3, 3), organisation=first.organisation)
    perform(second, "merge", into=first.tracking_number)
    reply_to(first, handler, reviewer, date(2026, 3, 5), text="已一并答复：周末开放。")
    response = client.post(
        reverse("opengov_interaction:status"),
        {"tracking_number": second.tracking_number, "query_code": second.query_code},
    )
    html = response.content.decode()
    assert "已合并" in html and first.tracking_number in html and "已一并答复" in html


@pytest.fixture
def published(box, units, handler, reviewer):
    """25 published messages over two units, received a fortnight apart on Mondays from 3
    March 2025 and replied the next day, and one not published."""
    made = []
    day = date(2025, 3, 3)
    for n in range(25):
        unit = units["office"] if n % 2 else units["market"]
        category = "complaint" if n % 5 == 0 else "consultation"
        message = MessageFactory(
            box=box,
            organisation=unit,
            category=category,
            subject=f"第{n}号留言",
            received_on=day,
        )
        made.append(reply_to(message, handler, reviewer, day + timedelta(days=1)))
        day += timedelta(days=14)
    private = MessageFactory(box=box, subject="不公开的留言", publish_consent=False)
    reply_to(private, handler, reviewer, date(2026, 3, 3), publish=False)
    return made


def subjects(response):
    return re.findall(r"第(\d+)号留言", response.content.decode())


def test_the_list_pages_by_cursor_newest_reply_first(client, box, published):
    first = client.get(box.url)
    assert first.status_code == 200
    shown = subjects(first)
    assert shown == [str(n) for n in range(24, 4, -1)]  # 20, newest first
    assert "不公开的留言" not in first.content.decode()
    after = re.search(r'href="[^"]*\?(after=[^"]+)" rel="next"', first.content.decode()).group(1)
    second = client.get(box.url + "?" + after.replace("&amp;", "&"))
    assert subjects(second) == ["4", "3", "2", "1", "0"]
    assert 'rel="next"' not in second.content.decode()


def test_the_list_filters_by_category_unit_and_year(client, box, published, units):
    complaints = subjects(client.get(box.url, {"category": "complaint"}))
    assert complaints == ["20", "15", "10", "5", "0"]
    office = subjects(client.get(box.url, {"unit": units["office"].pk}))
    assert office == [str(n) for n in range(23, 0, -2)]
    # Replied in 2025: numbers 0 to 21 (the 21st received on 22 December 2025, the 22nd on
    # 5 January 2026); the first page shows twenty of them.
    in_2025 = subjects(client.get(box.url, {"year": 2025}))
    assert in_2025 == [str(n) for n in range(21, 1, -1)]
    feed = client.get(box.url + "feed/", {"category": "complaint"}).content.decode()
    assert feed.count("<entry>") == 5


@pytest.mark.parametrize(
    "query",
    [
        {"category": "spam"},
        {"unit": "abc"},
        {"unit": "9" * 30},
        {"year": "1999"},
        {"after": "!!!"},
        {"after": "WyJ4IiwgMV0"},  # ["x", 1]: not a date
    ],
)
def test_bad_filters_get_a_400_that_says_what_is_wrong(client, box, published, query):
    response = client.get(box.url, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "不存在，请重新选择" in html or "翻页参数不正确" in html
    if "after" not in query:  # the feed has no pages: it reads only the filters
        assert client.get(box.url + "feed/", query).status_code == 400


def test_a_message_page_that_is_not_published_or_out_of_range_is_404(client, box, published):
    message = published[0]
    assert client.get(f"{box.url}{message.pk}/").status_code == 200
    for path in (f"{box.url}999999/", f"{box.url}{10**20}/", f"{box.url}0/"):
        assert client.get(path).status_code == 404, path
    private = Message.objects.get(publish_consent=False)
    assert client.get(f"{box.url}{private.pk}/").status_code == 404


def test_a_page_beyond_the_end_is_404(client, box, published):
    from opengov_cms.catalogue.listing import encode_cursor

    cursor = encode_cursor(["2000-01-01", 1])
    assert client.get(box.url, {"after": cursor}).status_code == 404


def test_the_list_costs_the_same_queries_whatever_the_number_of_messages(
    client, box, units, handler, reviewer
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(box.url).status_code == 200
            assert client.get(box.url, {"category": "consultation"}).status_code == 200
        return len(captured)

    for _n in range(2):
        reply_to(MessageFactory(box=box, organisation=units["office"]), handler, reviewer, None)
    queries()  # the first views read what the process keeps (content types, site roots)
    few = queries()
    for _n in range(30):
        reply_to(MessageFactory(box=box, organisation=units["market"]), handler, reviewer, None)
    assert queries() == few


def test_the_box_page_of_a_box_unpublished_is_404_with_its_messages(client, box, published):
    box.unpublish()
    assert client.get(box.url or "/mailbox/").status_code == 404
    assert client.get(f"/mailbox/{published[0].pk}/").status_code == 404


def test_a_message_never_reaches_a_box_it_was_not_sent_through(client, box, home_page, published):
    from opengov_cms.interaction.models import MessageBoxPage

    other = MessageBoxPage(title="另一个信箱", slug="other", organisation=box.organisation)
    home_page.add_child(instance=other)
    other.save_revision().publish()
    assert client.get(f"{other.url}{published[0].pk}/").status_code == 404
    assert subjects(client.get(other.url)) == []


def test_the_form_page_states_what_was_sent_state_only(client, box):
    response = write(client, box)
    message = Message.objects.get()
    assert message.state == State.RECEIVED and message.box_id == box.pk
    html = client.get(response["Location"]).content.decode()
    assert message.tracking_number in html and "2026-03-25" in html  # 5 working days
