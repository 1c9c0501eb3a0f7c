"""How a message is handled: received, assigned, transferred between units, a reply drafted
and reviewed before it goes out, closed as out of scope, merged into a duplicate, withdrawn,
published or taken off the site.

Every change goes through :func:`perform`: it checks the transition table, applies the
action, records a timeline event and a Wagtail log entry, and hands the side effects (the
sender's email, the search index) to the outbox with the change.

The clock: a message is due ``reply_period`` working days after the day it was received (the
setting OPENGOV_CMS_INTERACTION_REPLY_DAYS for its category on that day), counted on the
working-day calendar (the day of receipt does not count). A year whose holiday schedule is not
known leaves the due date empty, never guessed; :func:`refresh_due_dates` fills it in once the
year is entered. A transfer to another unit does not restart the clock: the sender waits for
the agency, not for one of its units.
"""

import contextlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from wagtail.log_actions import log

from opengov_cms.conf import opengov_settings
from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar
from opengov_cms.disclosure_requests.models import make_query_code
from opengov_cms.interaction import notifications
from opengov_cms.interaction.choices import ACTION_LABELS, OPEN_STATES, Category, State
from opengov_cms.interaction.models import Message, MessageEvent, make_tracking_number

#: The reply period of a category missing from the setting.
DEFAULT_REPLY_DAYS = 10


class TransitionError(Exception):
    """The action is not allowed now; the message says why, in words staff understand."""


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str | None  # None: the state does not change


HANDLING = (State.RECEIVED, State.ASSIGNED)

TRANSITIONS = {
    "receive": Transition((), State.RECEIVED),
    "assign": Transition(HANDLING, State.ASSIGNED),
    "transfer": Transition(HANDLING, State.RECEIVED),
    "save_draft": Transition(HANDLING, None),
    "submit_reply": Transition(HANDLING, State.IN_REVIEW),
    "approve_reply": Transition((State.IN_REVIEW,), State.REPLIED),
    "return_reply": Transition((State.IN_REVIEW,), State.ASSIGNED),
    "close_out_of_scope": Transition(HANDLING, State.OUT_OF_SCOPE),
    "merge": Transition(HANDLING, State.MERGED),
    "withdraw": Transition(OPEN_STATES, State.WITHDRAWN),
    "edit_public_text": Transition((*OPEN_STATES, State.REPLIED), None),
    "publish": Transition((State.REPLIED,), None),
    "unpublish": Transition((State.REPLIED,), None),
}

DUE_DATE_SET = "due_date_set"
LOG_ACTIONS = {name: f"opengov_interaction.{name}" for name in [*TRANSITIONS, DUE_DATE_SET]}
LOG_VIEW_PERSONAL_DATA = "opengov_interaction.view_personal_data"
#: Actions only a holder of opengov_interaction.review_message may take.
REVIEW_ACTIONS = ("approve_reply", "return_reply", "publish", "unpublish")
#: The timeline entries the sender sees on the status page (internal steps are left out).
PUBLIC_ACTIONS = (
    "receive",
    "transfer",
    "approve_reply",
    "close_out_of_scope",
    "merge",
    "withdraw",
    DUE_DATE_SET,
)


def allowed_actions(message):
    """The actions the table allows from the message's state, in the table's order."""
    actions = [
        name for name, t in TRANSITIONS.items() if message.state in t.sources and name != "receive"
    ]
    if not message.publish_consent:
        actions = [a for a in actions if a != "publish"]
    if message.published_at is None:
        actions = [a for a in actions if a != "unpublish"]
    else:
        actions = [a for a in actions if a != "publish"]
    return actions


def reply_period(category):
    """Working days to reply to a message of ``category``, as the setting says today."""
    days = opengov_settings.INTERACTION_REPLY_DAYS or {}
    return int(days.get(category, days.get(Category.OTHER, DEFAULT_REPLY_DAYS)))


def compute_due_date(message, calendar=None):
    calendar = calendar or WorkingDayCalendar()
    return calendar.add_working_days(message.received_on, message.reply_period)


def _working_days(message, calendar):
    """Working days from receipt to the reply, None while a year between is unknown."""
    try:
        return calendar.working_days_between(message.received_on, message.replied_on)
    except CalendarYearUnknown:
        return None


# The effect of each action; each takes (message, on, user, calendar, **params) and may
# return the note for the timeline.


def _assign(message, on, user, calendar, handler=None):
    if handler is None:
        raise TransitionError(_("请选择承办人。"))
    message.handler = handler


def _transfer(message, on, user, calendar, organisation=None):
    if organisation is None:
        raise TransitionError(_("请选择转交的单位。"))
    if organisation.pk == message.organisation_id:
        raise TransitionError(_("留言已在这个单位，不需要转办。"))
    message._transferred_from = message.organisation
    message.organisation = organisation
    message.handler = None


def _save_draft(message, on, user, calendar, reply=""):
    if not reply.strip():
        raise TransitionError(_("请填写答复内容。"))
    message.reply = reply.strip()
    message.reply_drafted_by = user


def _submit_reply(message, on, user, calendar, reply=""):
    _save_draft(message, on, user, calendar, reply=reply)


def _approve_reply(message, on, user, calendar, publish=False):
    if not message.reply.strip():
        raise TransitionError(_("答复内容为空，不能答复。"))
    if user is not None and message.reply_drafted_by_id == user.pk:
        raise TransitionError(_("答复须由起草人以外的人员审核。"))
    if publish and not message.publish_consent:
        raise TransitionError(_("留言人没有同意公开，只能答复本人，不能公开。"))
    message.reviewed_by = user
    message.replied_on = on
    message.closed_on = on
    if message.due_date is None:
        # Still unknown: refresh_due_dates sets it once the year is entered.
        with contextlib.suppress(CalendarYearUnknown):
            message.due_date = compute_due_date(message, calendar)
    message.reply_working_days = _working_days(message, calendar)
    if publish:
        message.published_at = timezone.now()


def _return_reply(message, on, user, calendar):
    if not message._note.strip():
        raise TransitionError(_("请写明退回的理由。"))


def _close_out_of_scope(message, on, user, calendar):
    if not message._note.strip():
        raise TransitionError(_("请写明不予受理的理由，它将告知留言人。"))
    message.close_reason = message._note.strip()
    message.closed_on = on


def _merge(message, on, user, calendar, into=None):
    if isinstance(into, str):
        number = into.strip()
        into = Message.objects.filter(tracking_number=number).first() if number else None
    if into is None:
        raise TransitionError(_("没有这个编号的留言，请核对。"))
    if into.pk == message.pk:
        raise TransitionError(_("留言不能合并到它自己。"))
    if into.state in (State.MERGED, State.WITHDRAWN, State.OUT_OF_SCOPE):
        raise TransitionError(
            _("编号%(number)s的留言“%(state)s”，请合并到仍在办理或已答复的留言。")
            % {"number": into.tracking_number, "state": into.get_state_display()}
        )
    message.merged_into = into
    message.closed_on = on
    return _("并入%(number)s一并办理") % {"number": into.tracking_number}


def _withdraw(message, on, user, calendar):
    message.closed_on = on
    message.published_at = None


def _edit_public_text(message, on, user, calendar, public_subject="", public_body=""):
    message.public_subject = public_subject.strip()
    message.public_body = public_body.strip()


def _publish(message, on, user, calendar):
    if not message.publish_consent:
        raise TransitionError(_("留言人没有同意公开，不能公开。"))
    if message.published_at is not None:
        raise TransitionError(_("这条留言已经公开。"))
    message.published_at = timezone.now()


def _unpublish(message, on, user, calendar):
    if message.published_at is None:
        raise TransitionError(_("这条留言没有公开。"))
    message.published_at = None


EFFECTS = {
    "assign": _assign,
    "transfer": _transfer,
    "save_draft": _save_draft,
    "submit_reply": _submit_reply,
    "approve_reply": _approve_reply,
    "return_reply": _return_reply,
    "close_out_of_scope": _close_out_of_scope,
    "merge": _merge,
    "withdraw": _withdraw,
    "edit_public_text": _edit_public_text,
    "publish": _publish,
    "unpublish": _unpublish,
}


def perform(message, action, *, user=None, on=None, note="", **params):
    """Apply ``action`` to ``message`` and save it; returns the message as saved.

    Raises TransitionError when the table does not allow it now, or what it needs is missing;
    nothing is saved then.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or action == "receive":
        raise TransitionError(_("没有这项操作。"))
    on = on or timezone.localdate()
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.state not in transition.sources:
            raise TransitionError(
                _("当前状态为“%(state)s”，不能%(action)s。")
                % {"state": message.get_state_display(), "action": ACTION_LABELS[action]}
            )
        if on < message.received_on:
            raise TransitionError(
                _("日期不能早于收到留言的日期（%(date)s）。") % {"date": message.received_on}
            )
        if on > timezone.localdate():
            raise TransitionError(_("日期不能晚于今天。"))
        from_state = message.state
        message._note = note or ""
        message._transferred_from = None
        detail = EFFECTS[action](message, on, user, WorkingDayCalendar(), **params) or ""
        if transition.target is not None:
            message.state = transition.target
        message.save()
        transferred_from = message._transferred_from
        event = MessageEvent.objects.create(
            message=message,
            action=action,
            from_state=from_state,
            to_state=message.state,
            from_organisation=transferred_from,
            to_organisation=message.organisation if transferred_from else None,
            effective_on=on,
            due_date=message.due_date,
            note="；".join(part for part in (str(detail), note.strip()) if part),
            user=user,
        )
        log(
            instance=message,
            action=LOG_ACTIONS[action],
            user=user,
            data={
                "event": event.pk,
                "from_state": from_state,
                "to_state": message.state,
                "on": on.isoformat(),
                **(
                    {"from": transferred_from.pk, "to": message.organisation_id}
                    if transferred_from
                    else {}
                ),
            },
        )
        notifications.after_transition(message, action)
    return message


@sensitive_variables()
def receive(message, *, user=None):
    """Register a new message: tracking number, query code, the reply period of its
    category and its due date (left empty while the year's holiday schedule is unknown; a
    sender is never turned away for it). Returns the query code, stored only as a hash."""
    code = make_query_code()
    message.reply_period = reply_period(message.category)
    try:
        message.due_date = compute_due_date(message)
    except CalendarYearUnknown:
        message.due_date = None
    # Only writes from here on, and any error aborts the registration as a whole.
    with transaction.atomic(savepoint=False):
        message.tracking_number = make_tracking_number(
            message.organisation, message.received_on.year
        )
        message.set_query_code(code)
        message.state = State.RECEIVED
        message.save()
        MessageEvent.objects.create(
            message=message,
            action="receive",
            to_state=message.state,
            effective_on=message.received_on,
            due_date=message.due_date,
            user=user,
        )
        log(
            instance=message,
            action=LOG_ACTIONS["receive"],
            user=user,
            data={"due_date": message.due_date.isoformat() if message.due_date else None},
        )
    return code


def refresh_due_dates(today=None):
    """Compute the due dates left empty for want of holiday data (and the working days of
    replies sent meanwhile), and record each due date on the message's timeline; returns how
    many due dates were computed. Safe to run twice at once: a value is written only where
    it is still empty, and only the run that wrote it records it."""
    today = today or timezone.localdate()
    calendar = WorkingDayCalendar()
    done = 0
    for message in Message.objects.filter(due_date__isnull=True).exclude(
        state__in=(State.OUT_OF_SCOPE, State.MERGED, State.WITHDRAWN)
    ):
        try:
            due = compute_due_date(message, calendar)
        except CalendarYearUnknown:
            continue
        with transaction.atomic():
            if not Message.objects.filter(pk=message.pk, due_date__isnull=True).update(
                due_date=due
            ):
                continue
            MessageEvent.objects.create(
                message=message, action=DUE_DATE_SET, effective_on=today, due_date=due
            )
            log(instance=message, action=LOG_ACTIONS[DUE_DATE_SET], data={"due": due.isoformat()})
        done += 1
    untimed = Message.objects.filter(
        state=State.REPLIED, replied_on__isnull=False, reply_working_days__isnull=True
    )
    for message in untimed:
        days = _working_days(message, calendar)
        if days is not None:
            Message.objects.filter(pk=message.pk, reply_working_days__isnull=True).update(
                reply_working_days=days
            )
    return done
