"""The handling of a message: the clock in working days, the transitions and what each needs,
the timeline and the log, and due dates left pending while a year is unknown."""

from datetime import date

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from opengov_cms.interaction import workflow
from opengov_cms.interaction.choices import State
from opengov_cms.interaction.models import Message
from opengov_cms.interaction.workflow import TransitionError, perform
from tests.clock import DECEMBER_FRIDAY, UNKNOWN_YEAR
from tests.factories import enter_holiday_schedule
from tests.interaction.factories import MessageFactory, reply_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "received", "due"),
    [
        # 5 working days after Thursday 2 April 2026: Friday 3, then (清明, Monday 6 April, off)
        # 7, 8, 9 and 10 April.
        ("consultation", date(2026, 4, 2), date(2026, 4, 10)),
        # 10 working days after Wednesday 29 April 2026: 30 April; 1–5 May off (劳动节);
        # 6, 7, 8 May; Saturday 9 May is a make-up working day; 11, 12, 13, 14, 15 May.
        ("complaint", date(2026, 4, 29), date(2026, 5, 15)),
        # Over 春节 2026 (16–23 February off, Saturdays 14 and 28 February worked), from Friday
        # 13 February: 14 (Sat, worked), 24, 25, 26, 27, 28 (Sat, worked), 2, 3, 4, 5 March.
        ("suggestion", date(2026, 2, 13), date(2026, 3, 5)),
    ],
)
def test_the_reply_is_due_the_categorys_working_days_after_receipt(category, received, due):
    message = MessageFactory(category=category, received_on=received)
    assert message.due_date == due
    assert message.events.get().due_date == due


def test_the_periods_are_a_setting_read_on_the_day_of_receipt(settings):
    settings.OPENGOV_CMS_INTERACTION_REPLY_DAYS = {"consultation": 3, "other": 7}
    consultation = MessageFactory(category="consultation", received_on=date(2026, 3, 2))
    complaint = MessageFactory(category="complaint", received_on=date(2026, 3, 2))
    # Monday 2 March: 3 working days is Thursday 5; a category the setting leaves out takes
    # the period of 其他 (7: Wednesday 11 March).
    assert (consultation.reply_period, consultation.due_date) == (3, date(2026, 3, 5))
    assert (complaint.reply_period, complaint.due_date) == (7, date(2026, 3, 11))
    settings.OPENGOV_CMS_INTERACTION_REPLY_DAYS = {"consultation": 10}
    consultation.refresh_from_db()
    assert consultation.due_date == date(2026, 3, 5)  # a later change moves no deadline


@pytest.mark.now(f"{DECEMBER_FRIDAY.isoformat()} 10:00")
def test_an_unknown_year_leaves_the_due_date_pending_until_it_is_entered(
    handler, reviewer, django_capture_on_commit_callbacks
):
    # 10 working days after a Friday before Christmas reach into a year nobody knows yet.
    message = MessageFactory(category="complaint", received_on=DECEMBER_FRIDAY)
    assert message.due_date is None and message.reply_period == 10
    with django_capture_on_commit_callbacks(execute=True):
        enter_holiday_schedule(UNKNOWN_YEAR)
    message.refresh_from_db()
    assert message.due_date is not None and message.due_date.year == UNKNOWN_YEAR
    assert message.events.filter(action=workflow.DUE_DATE_SET).count() == 1
    assert workflow.refresh_due_dates() == 0  # nothing is done twice


def test_a_reply_needs_a_reviewer_other_than_its_drafter(handler, reviewer):
    message = MessageFactory(received_on=date(2026, 3, 2))
    perform(message, "submit_reply", user=reviewer, on=date(2026, 3, 3), reply="  答复。  ")
    message.refresh_from_db()
    assert (message.state, message.reply) == (State.IN_REVIEW, "答复。")
    with pytest.raises(TransitionError, match="起草人以外"):
        perform(message, "approve_reply", user=reviewer, on=date(2026, 3, 4))
    perform(message, "return_reply", user=handler, on=date(2026, 3, 4), note="请补充开放时间")
    message.refresh_from_db()
    assert message.state == State.ASSIGNED
    assert message.events.last().note == "请补充开放时间"
    perform(message, "submit_reply", user=handler, on=date(2026, 3, 4), reply="改后的答复")
    with pytest.raises(TransitionError, match="退回的理由"):
        perform(message, "return_reply", user=reviewer, on=date(2026, 3, 4))
    message.refresh_from_db()
    replied = perform(message, "approve_reply", user=reviewer, on=date(2026, 3, 5))
    assert (replied.state, replied.replied_on, replied.closed_on) == (
        State.REPLIED,
        date(2026, 3, 5),
        date(2026, 3, 5),
    )
    # Monday 2 March to Thursday 5 March: 3 working days, within the 5 of a consultation.
    assert replied.reply_working_days == 3 and replied.replied_on_time
    assert replied.published_at is None  # not asked to publish


def test_an_empty_reply_is_refused_and_nothing_changes(handler):
    message = MessageFactory(received_on=date(2026, 3, 2))
    with pytest.raises(TransitionError, match="答复内容"):
        perform(message, "submit_reply", user=handler, reply="   ")
    message.refresh_from_db()
    assert message.state == State.RECEIVED and message.events.count() == 1


def test_only_a_message_whose_sender_allowed_it_is_published(handler, reviewer):
    private = MessageFactory(publish_consent=False, received_on=date(2026, 3, 2))
    perform(private, "submit_reply", user=handler, reply="答复。")
    with pytest.raises(TransitionError, match="没有同意公开"):
        perform(private, "approve_reply", user=reviewer, publish=True)
    replied = perform(private, "approve_reply", user=reviewer, publish=False)
    assert "publish" not in workflow.allowed_actions(replied)
    with pytest.raises(TransitionError, match="没有同意公开"):
        perform(replied, "publish", user=reviewer)

    public = reply_to(MessageFactory(received_on=date(2026, 3, 2)), handler, reviewer, None)
    assert public.published_at is not None
    assert workflow.allowed_actions(public) == ["edit_public_text", "unpublish"]
    hidden = perform(public, "unpublish", user=reviewer)
    assert hidden.published_at is None
    assert perform(hidden, "publish", user=reviewer).published_at is not None


def test_a_transfer_is_logged_and_keeps_the_clock(units, reviewer):
    message = MessageFactory(organisation=units["market"], received_on=date(2026, 3, 2))
    due = message.due_date
    perform(message, "assign", user=reviewer, handler=reviewer)
    with pytest.raises(TransitionError, match="已在这个单位"):
        perform(message, "transfer", user=reviewer, organisation=units["market"])
    moved = perform(
        message, "transfer", user=reviewer, organisation=units["office"], note="职责调整"
    )
    assert (moved.organisation, moved.handler, moved.state, moved.due_date) == (
        units["office"],
        None,
        State.RECEIVED,
        due,
    )
    event = moved.events.get(action="transfer")
    assert (event.from_organisation, event.to_organisation, event.user) == (
        units["market"],
        units["office"],
        reviewer,
    )
    entry = ModelLogEntry.objects.get(action="opengov_interaction.transfer")
    assert entry.user_id == reviewer.pk and entry.object_id == str(message.pk)


def test_out_of_scope_needs_a_reason_the_sender_is_told(django_capture_on_commit_callbacks):
    message = MessageFactory(received_on=date(2026, 3, 2))
    with pytest.raises(TransitionError, match="不予受理的理由"):
        perform(message, "close_out_of_scope")
    with django_capture_on_commit_callbacks(execute=True):
        closed = perform(message, "close_out_of_scope", note="属于信访事项，请向市信访局反映。")
    assert (closed.state, closed.close_reason, closed.closed_on) == (
        State.OUT_OF_SCOPE,
        "属于信访事项，请向市信访局反映。",
        date(2026, 3, 18),
    )
    assert mail.outbox[-1].to == [message.email]
    assert "市信访局" in mail.outbox[-1].body
    with pytest.raises(TransitionError, match="不能"):
        perform(closed, "submit_reply", reply="答复")


def test_a_duplicate_is_merged_into_the_first_and_not_into_a_closed_one():
    first = MessageFactory(received_on=date(2026, 3, 2))
    second = MessageFactory(received_on=date(2026, 3, 3))
    third = MessageFactory(received_on=date(2026, 3, 4))
    with pytest.raises(TransitionError, match="没有这个编号"):
        perform(second, "merge", into="XX-0")
    with pytest.raises(TransitionError, match="它自己"):
        perform(second, "merge", into=second.tracking_number)
    merged = perform(second, "merge", into=f" {first.tracking_number} ")
    assert (merged.state, merged.merged_into) == (State.MERGED, first)
    assert first.tracking_number in merged.events.last().note
    with pytest.raises(TransitionError, match="已合并"):
        perform(third, "merge", into=second.tracking_number)


def test_a_withdrawn_message_is_closed_and_leaves_nothing_published(handler):
    message = MessageFactory(received_on=date(2026, 3, 2))
    perform(message, "submit_reply", user=handler, reply="草稿")
    withdrawn = perform(message, "withdraw", note="留言人电话告知撤回")
    assert (withdrawn.state, withdrawn.closed_on) == (State.WITHDRAWN, date(2026, 3, 18))
    assert workflow.allowed_actions(withdrawn) == []


@pytest.mark.parametrize(
    ("on", "reason"), [(date(2026, 3, 1), "早于收到"), (date(2026, 3, 19), "晚于今天")]
)
def test_dates_are_between_receipt_and_today(on, reason, handler):
    message = MessageFactory(received_on=date(2026, 3, 2))
    with pytest.raises(TransitionError, match=reason):
        perform(message, "assign", on=on, handler=handler)


def test_receipt_gives_a_number_in_the_units_sequence_and_a_code_kept_only_as_a_hash(units):
    one = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    two = MessageFactory(organisation=units["office"], received_on=date(2026, 3, 2))
    assert one.tracking_number.endswith("-LY-2026-00001")
    assert two.tracking_number.endswith("-LY-2026-00002")
    assert one.query_code not in one.query_code_hash
    assert Message.lookup(one.tracking_number, one.query_code.lower()) == one
    assert Message.lookup(one.tracking_number, two.query_code) is None
    assert Message.lookup("nothing", one.query_code) is None


def test_contact_details_and_text_are_encrypted_at_rest():
    from django.db import connection

    message = MessageFactory(received_on=date(2026, 3, 2))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone, email, subject, body FROM opengov_interaction_message "
            "WHERE id = %s",
            [message.pk],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("fernet:") for value in stored)
    assert "王小明" not in "".join(stored)
    assert Message.objects.get().name == "王小明"
    assert message.masked_name == "王**" and message.masked_phone == "138****1111"


def test_rotating_the_keys_re_encrypts_the_senders_data_too(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key(), Fernet.generate_key()
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [old]
    message = MessageFactory(received_on=date(2026, 3, 2))
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [new, old]
    call_command("opengov_requests_rotate_keys", verbosity=0)
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [new]
    rotated = Message.objects.get(pk=message.pk)
    assert (rotated.name, rotated.phone, rotated.subject) == (
        "王小明",
        "13800001111",
        "关于皋陶文化园开放时间的咨询",
    )
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [old]
    with pytest.raises(ValueError, match="lacks the key"):
        Message.objects.get(pk=message.pk)
