"""The one rule of what may leave (opengov_cms.core.visibility), for the public's messages and
for responses to public concerns: every exit × every state that is not public.

Messages: each case starts from a message whose reply is published and indexed, then puts its
row (or its message box page) in one state and leaves the search index as it is at that moment
(its update comes after the transaction): no exit may show the message. The row is put in
states the workflow would not lead to from a published reply too (in review, closed out of
scope, merged, withdrawn), since the rule must hold for a row however it got there.

回应关切 pages are disclosed pages: they go through the matrix of tests/test_visibility.py, every
exit but the file download (they have no attachments).
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from opengov_cms.disclosure_requests.models import RequestFormPage
from opengov_cms.interaction.choices import State
from opengov_cms.interaction.models import ConcernResponsePage, Message
from opengov_cms.interaction.workflow import perform
from tests import test_visibility as pages_matrix
from tests.catalogue.factories import CatalogueIndexPageFactory
from tests.interaction.factories import MessageFactory, reply_to
from tests.test_visibility import engine_search  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

WORD = "蓝鲸湖湿地"  # searched for
MARK = "保护的建议"  # what shows of the message: its subject (a search echoes only WORD)


@pytest.fixture
def anonymous(client):
    client.logout()
    return client


@pytest.fixture
def mailbox(box, units, handler, reviewer, home_page, django_capture_on_commit_callbacks):
    """A published message with the word, its reply sent and indexed, and a request form (whose
    suggestions search too)."""
    form_page = RequestFormPage(title="申请", slug="apply", organisation=box.organisation)
    home_page.add_child(instance=form_page)
    form_page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        message = MessageFactory(
            box=box,
            organisation=units["office"],
            subject=f"{WORD}保护的建议",
            body=f"建议加强{WORD}保护。",
            received_on=datetime.date(2026, 3, 9),
        )
        message = reply_to(message, handler, reviewer, datetime.date(2026, 3, 12))
    assert message.published_at is not None
    return {"box": box, "message": message, "form": form_page}


def set_row(mailbox, **values):
    Message.objects.filter(pk=mailbox["message"].pk).update(**values)


def restrict_box(mailbox, kind):
    restriction = PageViewRestriction.objects.create(
        page=mailbox["box"], restriction_type=kind, password="s3cret"
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="内部人员"))


def expire_box(mailbox, clock):
    box = mailbox["box"]
    box.expire_at = timezone.now() + datetime.timedelta(hours=1)
    box.save_revision().publish()
    clock.move_to(timezone.now() + datetime.timedelta(hours=2))


STATES = {
    "not allowed by the sender": lambda m, clock: set_row(m, publish_consent=False),
    "taken off the site by staff": lambda m, clock: perform(m["message"], "unpublish"),
    "reply not reviewed yet": lambda m, clock: set_row(m, state=State.IN_REVIEW),
    "not replied yet": lambda m, clock: set_row(m, state=State.RECEIVED),
    "closed out of scope": lambda m, clock: set_row(m, state=State.OUT_OF_SCOPE),
    "merged": lambda m, clock: set_row(m, state=State.MERGED),
    "withdrawn": lambda m, clock: set_row(m, state=State.WITHDRAWN),
    "box unpublished": lambda m, clock: m["box"].unpublish(),
    "box login-restricted": lambda m, clock: restrict_box(m, PageViewRestriction.LOGIN),
    "box password-restricted": lambda m, clock: restrict_box(m, PageViewRestriction.PASSWORD),
    "box group-restricted": lambda m, clock: restrict_box(m, PageViewRestriction.GROUPS),
    "box expired": expire_box,
}


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig", errors="replace")


def box_list(client, m):
    response = client.get(m["box"].url)
    return response.status_code == 200 and MARK in body(response)


def message_page(client, m):
    response = client.get(f"{m['box'].url}{m['message'].pk}/")
    return response.status_code == 200 and MARK in body(response)


def box_feed(client, m):
    response = client.get(m["box"].url + "feed/")
    return response.status_code == 200 and MARK in body(response)


def search(client, m):
    return MARK in body(client.get(reverse("opengov_search:search"), {"q": WORD}))


def search_feed(client, m):
    return MARK in body(client.get(reverse("opengov_search:feed"), {"q": WORD}))


def request_suggestions(client, m):
    response = client.post(
        m["form"].url, {"action-suggest": "1", "description": f"请公开{WORD}有关文件"}
    )
    return MARK in body(response)


EXITS = {
    "box list": box_list,
    "message page": message_page,
    "box feed": box_feed,
    "search": search,
    "search feed": search_feed,
    "request-form suggestions": request_suggestions,
}
SEARCH_EXITS = ["search", "search feed", "request-form suggestions"]


@pytest.mark.parametrize("exit_name", EXITS)
def test_a_published_message_leaves_by_every_exit(mailbox, anonymous, exit_name):
    assert EXITS[exit_name](anonymous, mailbox), f"{exit_name} does not show the message"


@pytest.mark.parametrize("exit_name", EXITS)
@pytest.mark.parametrize("state", STATES)
def test_a_message_that_is_not_public_leaves_by_no_exit(
    mailbox, anonymous, state, exit_name, clock
):
    STATES[state](mailbox, clock)
    assert not EXITS[exit_name](anonymous, mailbox), f"{exit_name} shows the message when {state}"


@pytest.mark.opensearch
@pytest.mark.parametrize("exit_name", SEARCH_EXITS)
def test_on_the_engine_a_published_message_is_found(engine_search, mailbox, anonymous, exit_name):  # noqa: F811
    assert EXITS[exit_name](anonymous, mailbox)


@pytest.mark.opensearch
@pytest.mark.parametrize("exit_name", SEARCH_EXITS)
@pytest.mark.parametrize("state", STATES)
def test_on_the_engine_a_message_that_is_not_public_is_not_found(
    engine_search,  # noqa: F811
    mailbox,
    anonymous,
    state,
    exit_name,
    clock,
):
    STATES[state](mailbox, clock)
    assert not EXITS[exit_name](anonymous, mailbox), f"{exit_name} shows the message when {state}"


def test_the_search_page_checks_message_hits_in_one_query_whatever_their_number(
    mailbox, anonymous, handler, reviewer, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = anonymous.get(reverse("opengov_search:search"), {"q": WORD})
        assert response.status_code == 200
        return len(captured), response.context["results"].total

    queries()  # the site's masthead and navigation are read once, then from the cache
    few, total = queries()
    assert total == 1
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            message = MessageFactory(
                box=mailbox["box"],
                organisation=mailbox["message"].organisation,
                subject=f"{WORD}的第{n}条建议",
                received_on=datetime.date(2026, 3, 9),
            )
            reply_to(message, handler, reviewer, datetime.date(2026, 3, 12))
    many, total = queries()
    assert total == 5 and many == few


# 回应关切 pages through the pages' matrix ----------------------------------------------------

CONCERN_EXITS = {k: v for k, v in pages_matrix.EXITS.items() if k != "file download"}


@pytest.fixture
def site(home_page, organisation, django_capture_on_commit_callbacks):
    """tests/test_visibility.py's site, with a response to a concern as its public page."""
    root = CatalogueIndexPageFactory(
        parent=home_page, title="信息公开目录", slug="xxgk", organisation=organisation
    )
    sub = CatalogueIndexPageFactory(
        parent=root, title="回应关切", slug="concerns", organisation=None
    )
    form_page = RequestFormPage(title="申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=form_page)
    form_page.save_revision().publish()
    from opengov_cms.catalogue.filing import add_to_section

    with django_capture_on_commit_callbacks(execute=True):
        page = ConcernResponsePage(
            title=f"关于{WORD}保护的通知",
            summary=f"{WORD}保护区管理情况通报。",
            concern=f"网民关注{WORD}的保护。",
            body="<p>已加强巡护。</p>",
            organisation=organisation,
            publication_date=datetime.date(2026, 3, 2),
        )
        add_to_section(sub, page)
        page.save_revision().publish()
    page.refresh_from_db()
    return {"root": root, "sub": sub, "entry": page, "form": form_page}


@pytest.mark.parametrize("exit_name", CONCERN_EXITS)
def test_a_public_response_to_a_concern_leaves_by_every_exit(site, anonymous, exit_name):
    assert CONCERN_EXITS[exit_name](anonymous, site), f"{exit_name} does not show the response"


@pytest.mark.parametrize("exit_name", CONCERN_EXITS)
@pytest.mark.parametrize("state", pages_matrix.STATES)
def test_a_response_to_a_concern_that_is_not_public_leaves_by_no_exit(
    site, anonymous, state, exit_name, clock, settings
):
    settings.OPENGOV_CMS_HIDE_REPEALED = True
    pages_matrix.STATES[state](site, clock)
    assert not CONCERN_EXITS[exit_name](anonymous, site), (
        f"{exit_name} shows the response when {state}"
    )
