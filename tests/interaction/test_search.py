"""Published messages in search on every backend: indexed when published, removed when taken
off, rebuilt, counted by the check, caught up after the engine was down, and never holding the
sender's personal data."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from opengov_cms.interaction.search import MessageSource
from opengov_cms.interaction.workflow import perform
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable
from opengov_cms.search.models import PendingSearchUpdate
from tests.interaction.factories import MOBILE, RESIDENT_ID, MessageFactory, reply_to
from tests.test_visibility import engine_search  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

WORD = "皋陶文化园"


@pytest.fixture
def published(box, units, handler, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = MessageFactory(
            box=box, organisation=units["office"], received_on=date(2026, 3, 2)
        )
        return reply_to(message, handler, reviewer, date(2026, 3, 5))


def ids(query):
    return get_search_backend().search(query).ids


def test_a_published_message_is_indexed_without_personal_data(published):
    document = MessageSource().documents([published.pk])[published.pk]
    text = " ".join(str(value) for value in document.values())
    for value in ("王小明", "13800001111", "wangxm@example.com", RESIDENT_ID, MOBILE):
        assert value not in text
    assert document["url"] == f"/mailbox/{published.pk}/"
    assert document["organisation"] == "六安市文化和旅游局办公室"
    assert ids(WORD) == [f"message:{published.pk}"]
    assert ids("王小明") == [] and ids("13800001111") == []


def test_taking_a_message_off_the_site_removes_it_from_the_index(
    published, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        perform(published, "unpublish", user=reviewer)
    assert ids(WORD) == []
    with django_capture_on_commit_callbacks(execute=True):
        perform(published, "publish", user=reviewer)
    assert ids(WORD) == [f"message:{published.pk}"]


def test_unpublishing_the_box_takes_its_messages_out_of_the_index(
    box, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        box.unpublish()
    assert ids(WORD) == []
    with django_capture_on_commit_callbacks(execute=True):
        box.save_revision().publish()
    assert ids(WORD) == [f"message:{published.pk}"]


def test_the_edited_public_text_is_what_is_indexed(
    published, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert ids("我的手机号") == [f"message:{published.pk}"]
        perform(
            published,
            "edit_public_text",
            user=reviewer,
            public_subject="文化园开放时间",
            public_body="请问周末是否开放？",
        )
    assert ids("文化园开放时间") == [f"message:{published.pk}"]
    assert ids("我的手机号") == []  # the sender's words, no longer public


def test_rebuild_and_check_count_the_messages(published):
    call_command("opengov_search_rebuild", stdout=StringIO())
    get_search_backend().delete([f"message:{published.pk}"])
    out = StringIO()
    with pytest.raises(Exception, match="differ"):
        call_command("opengov_search_check", stdout=out)
    assert "opengov_interaction.message: 1 pages, 0 documents" in out.getvalue()
    call_command("opengov_search_rebuild", "--only", "public", stdout=StringIO())
    out = StringIO()
    call_command("opengov_search_check", stdout=out)
    assert "opengov_interaction.message: 1 pages, 1 documents" in out.getvalue()


def test_a_change_the_engine_could_not_take_is_applied_by_the_sync_job(
    box, units, handler, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    from opengov_cms.search.tasks import sync_pending

    backend = get_search_backend()

    def down(*args, **kwargs):
        raise SearchUnavailable("down")

    monkeypatch.setattr(type(backend), "index", down)
    with django_capture_on_commit_callbacks(execute=True):
        message = MessageFactory(
            box=box, organisation=units["office"], received_on=date(2026, 3, 2)
        )
        reply_to(message, handler, reviewer, date(2026, 3, 5))
    assert list(PendingSearchUpdate.objects.values_list("document_id", flat=True)) == [
        f"message:{message.pk}"
    ]
    monkeypatch.undo()
    assert sync_pending() == 1
    assert ids(WORD) == [f"message:{message.pk}"]
    assert not PendingSearchUpdate.objects.exists()


def test_the_search_page_labels_messages_as_such(client, published):
    html = client.get(reverse("opengov_search:search"), {"q": WORD}).content.decode()
    assert "网民留言" in html  # the type facet


@pytest.mark.opensearch
def test_on_the_engine_a_published_message_is_found_and_rebuilt(
    engine_search,  # noqa: F811
    published,
    client,
):
    assert ids(WORD) == [f"message:{published.pk}"]
    assert ids("王小明") == []
    call_command("opengov_search_rebuild", "--only", "public", stdout=StringIO())
    html = client.get(reverse("opengov_search:search"), {"q": WORD}).content.decode()
    assert f"/mailbox/{published.pk}/" in html
