"""The state machine of a request and its statutory clock (Arts. 30–36 of the Regulations).

Every change goes through :func:`perform`: it checks the transition table, applies the
action's effect on the clock, stores the recomputed due date, records a timeline event and
writes a Wagtail log entry. Dates are the dates things happened (a letter sent, a reply
received), which staff may enter after the fact.

Clock rules, all in working days (opengov_cms.core.calendar, day of the event not counted):
- the reply is due REPLY_PERIOD days after ``clock_started_on`` (the day of receipt, or the
  day a correction arrived: Art. 30 restarts the period), plus the extension, plus the days
  the clock stood still;
- while it stands still (correction, consultations, fee) there is no due date; the days
  after the stop up to and including the day it resumes are added to the period.
"""

import uuid
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from opengov_cms.conf import opengov_settings
from opengov_cms.core.calendar import CalendarYearUnknown, WorkingDayCalendar
from opengov_cms.core.redaction import redact
from opengov_cms.core.statements import insert_sql
from opengov_cms.disclosure_requests import fees
from opengov_cms.disclosure_requests.choices import (
    CLOCK_STOPPED_STATES,
    OPEN_STATES,
    PARTIAL_REASONS,
    REPLY_OUTCOMES,
    NoticeDelivery,
    Outcome,
    State,
)
from opengov_cms.disclosure_requests.notices import attach_notice

REPLY_PERIOD = 20  # Art. 33
MAX_EXTENSION = 20  # Art. 33
CORRECTION_NOTICE_LIMIT = 7  # Art. 30
THIRD_PARTY_PERIOD = 15  # Art. 32
AGENCY_PERIOD = 15  # Art. 34
MAX_CORRECTION_PERIOD = 60  # a period for a correction, as the agency sets it (Art. 30)

ENDED_STATES = (State.REPLIED, State.CLOSED, State.WITHDRAWN)
#: Actions after which the due date must be known: they change the period itself.
CLOCK_ACTIONS = ("receive_correction", "end_consultation", "extend", "receive_fee")


class TransitionError(Exception):
    """The action is not allowed now; the message says why, in words staff understand."""


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str | None  # None: the state does not change
    label: str


TRANSITIONS = {
    "receive": Transition((), State.RECEIVED, gettext_lazy("收到申请")),
    "accept": Transition((State.RECEIVED,), State.ACCEPTED, gettext_lazy("受理")),
    "request_correction": Transition(
        (State.RECEIVED, State.ACCEPTED), State.CORRECTION_REQUESTED, gettext_lazy("告知补正")
    ),
    "receive_correction": Transition(
        (State.CORRECTION_REQUESTED,), State.ACCEPTED, gettext_lazy("收到补正材料")
    ),
    "close_no_correction": Transition(
        (State.CORRECTION_REQUESTED,), State.CLOSED, gettext_lazy("逾期不补正，视为放弃申请")
    ),
    "consult_third_party": Transition(
        (State.ACCEPTED,), State.CONSULTING_THIRD_PARTY, gettext_lazy("征求第三方意见")
    ),
    "consult_agency": Transition(
        (State.ACCEPTED,), State.CONSULTING_AGENCY, gettext_lazy("征求其他机关意见")
    ),
    "end_consultation": Transition(
        (State.CONSULTING_THIRD_PARTY, State.CONSULTING_AGENCY),
        State.ACCEPTED,
        gettext_lazy("征求意见结束"),
    ),
    "extend": Transition((State.ACCEPTED,), None, gettext_lazy("延长答复期限")),
    "send_fee_notice": Transition(
        (State.ACCEPTED,), State.AWAITING_FEE, gettext_lazy("发出收费通知")
    ),
    "receive_fee": Transition((State.AWAITING_FEE,), State.ACCEPTED, gettext_lazy("收到缴费")),
    "close_fee_unpaid": Transition(
        (State.AWAITING_FEE,), State.CLOSED, gettext_lazy("逾期未缴费，视为放弃申请")
    ),
    "record_delivery": Transition(
        CLOCK_STOPPED_STATES, None, gettext_lazy("登记告知书送达（签收）日期")
    ),
    "reply": Transition((State.RECEIVED, State.ACCEPTED), State.REPLIED, gettext_lazy("答复")),
    "withdraw": Transition(OPEN_STATES, State.WITHDRAWN, gettext_lazy("申请人撤回申请")),
    "archive": Transition(ENDED_STATES, State.ARCHIVED, gettext_lazy("归档（保存备查）")),
    "assign": Transition(OPEN_STATES, None, gettext_lazy("分派承办")),
}

ACTION_LABELS = {name: t.label for name, t in TRANSITIONS.items()}

REGULATIONS = "《政府信息公开条例》"
FEES_SOURCE = "国办函〔2020〕109号"
#: The provision behind each event of the clock, shown on the request's timeline.
CITATIONS = {
    "receive": REGULATIONS + "第三十一条、第三十三条第二款",
    "accept": REGULATIONS + "第三十三条第二款",
    "request_correction": REGULATIONS + "第三十条",
    "receive_correction": REGULATIONS + "第三十条",
    "close_no_correction": REGULATIONS + "第三十条",
    "consult_third_party": REGULATIONS + "第三十二条、第三十三条第三款",
    "consult_agency": REGULATIONS + "第三十四条、第三十三条第三款",
    "end_consultation": REGULATIONS + "第三十三条第三款",
    "extend": REGULATIONS + "第三十三条第二款",
    "receive_fee": FEES_SOURCE,
    "close_fee_unpaid": FEES_SOURCE,
    "reply": REGULATIONS + "第三十六条",
    "due_date_set": REGULATIONS + "第三十三条第二款",
}
#: Whose period a notice's delivery starts, by the state the request waits in.
DELIVERY_CITATIONS = {
    State.CORRECTION_REQUESTED: REGULATIONS + "第三十条",
    State.CONSULTING_THIRD_PARTY: REGULATIONS + "第三十二条",
    State.CONSULTING_AGENCY: REGULATIONS + "第三十四条",
    State.AWAITING_FEE: FEES_SOURCE,
}


def citation_for(action, from_state, request):
    if action == "record_delivery":
        return DELIVERY_CITATIONS.get(from_state, "")
    if action == "send_fee_notice":
        details = request.fee_details or {}
        return f"{REGULATIONS}第四十二条；{FEES_SOURCE}第三条、{details.get('article', '')}".rstrip(
            "、"
        )
    return CITATIONS.get(action, "")


LOG_ACTIONS = {name: f"opengov_requests.{name}" for name in TRANSITIONS}
LOG_VIEW_PERSONAL_DATA = "opengov_requests.view_personal_data"
PUBLISH_PROACTIVELY = "publish_proactively"
LOG_ACTIONS[PUBLISH_PROACTIVELY] = "opengov_requests.publish_proactively"
ACTION_LABELS[PUBLISH_PROACTIVELY] = gettext_lazy("主动公开")


def allowed_actions(request):
    """The actions the table allows from the request's state, in the table's order."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if request.state in t.sources and name not in ("receive",)
    ]


def compute_due_date(request, calendar=None):
    if request.paused_on is not None:
        return None
    calendar = calendar or WorkingDayCalendar()
    return calendar.add_working_days(
        request.clock_started_on,
        REPLY_PERIOD + request.extension_working_days + request.paused_working_days,
    )


def _stop_clock(request, on):
    request.paused_on = on
    request.due_date = None


def _resume_clock(request, on, calendar):
    if on < request.paused_on:
        raise TransitionError(
            _("日期不能早于停止计时的日期（%(date)s）。") % {"date": request.paused_on}
        )
    request.paused_working_days += calendar.working_days_between(request.paused_on, on)
    request.paused_on = None
    _clear_wait(request)


def _clear_wait(request):
    request.pending_until = None
    request.pending_days = None
    request.notice_delivery = ""
    request.notice_sent_on = None
    request.notice_received_on = None


def _pending_until(request, calendar):
    """The last day of the wait: ``pending_days`` working days after receipt of the notice;
    None while receipt is unrecorded or its year's holiday schedule is not known yet."""
    if request.notice_received_on is None or not request.pending_days:
        return None
    try:
        return calendar.add_working_days(request.notice_received_on, request.pending_days)
    except CalendarYearUnknown:
        return None


def _describe_wait(request):
    if request.notice_received_on is None:
        return _("%(delivery)s，待登记签收日期；%(days)d个工作日的期限自对方收到之日起计算。") % {
            "delivery": request.get_notice_delivery_display().split("（")[0],
            "days": request.pending_days,
        }
    if request.pending_until is None:
        return _("%(received)s收到，期限%(days)d个工作日，具体日期待录入节假日安排后计算。") % {
            "received": request.notice_received_on,
            "days": request.pending_days,
        }
    return _("%(received)s收到，期限%(days)d个工作日，至%(until)s。") % {
        "received": request.notice_received_on,
        "days": request.pending_days,
        "until": request.pending_until,
    }


def _send_notice(request, on, calendar, days, delivery, received_on):
    """A notice giving its addressee ``days`` working days went out on ``on``; the period
    runs from the day it was received (the day sent, online)."""
    if delivery not in NoticeDelivery.values:
        raise TransitionError(_("请选择告知书的送达方式。"))
    request.pending_days = days
    request.notice_delivery = delivery
    request.notice_sent_on = on
    request.notice_received_on = None
    if delivery == NoticeDelivery.ONLINE:
        received_on = on
    if received_on is not None:
        _check_receipt(request, received_on)
        request.notice_received_on = received_on
    request.pending_until = _pending_until(request, calendar)
    return _describe_wait(request)


def _check_receipt(request, received_on):
    if received_on < request.notice_sent_on:
        raise TransitionError(
            _("收到日期不能早于告知书发出的日期（%(date)s）。") % {"date": request.notice_sent_on}
        )
    if received_on > timezone.localdate():
        raise TransitionError(_("收到日期不能晚于今天。"))


def _record_delivery(request, on, calendar):
    if not request.pending_days or request.notice_sent_on is None:
        raise TransitionError(_("当前没有等待送达的告知书。"))
    if request.notice_received_on is not None:
        raise TransitionError(
            _("告知书已于%(date)s送达，不能再次登记。") % {"date": request.notice_received_on}
        )
    _check_receipt(request, on)
    request.notice_received_on = on
    request.pending_until = _pending_until(request, calendar)
    return _describe_wait(request)


def _require_past(request, on, what):
    if request.notice_received_on is None:
        raise TransitionError(
            _("%(what)s告知书尚未登记送达，期限还没有开始计算，不能以此办结。") % {"what": what}
        )
    if request.pending_until is None or on <= request.pending_until:
        raise TransitionError(
            _("%(what)s期限（%(date)s）尚未届满，不能以此办结。")
            % {"what": what, "date": request.pending_until or _("待计算")}
        )


# The effect of each action on the request; each takes (request, on, calendar, **params)
# and may return a sentence for the timeline.


def _accept(request, on, calendar):
    pass


def _request_correction(
    request, on, calendar, days=None, delivery=NoticeDelivery.ONLINE, received_on=None
):
    if request.correction_requested_on is not None:
        raise TransitionError(
            _("补正只能一次性告知，本申请已于%(date)s告知过补正。")
            % {"date": request.correction_requested_on}
        )
    elapsed = calendar.working_days_between(request.received_on, on)
    if elapsed > CORRECTION_NOTICE_LIMIT:
        raise TransitionError(
            _(
                "补正应在收到申请之日起%(limit)d个工作日内一次性告知，本申请已过%(elapsed)d个工作日。"
            )
            % {"limit": CORRECTION_NOTICE_LIMIT, "elapsed": elapsed}
        )
    days = days or opengov_settings.REQUESTS_CORRECTION_PERIOD
    if not 1 <= days <= MAX_CORRECTION_PERIOD:
        raise TransitionError(
            _("补正期限应为1至%(max)d个工作日。") % {"max": MAX_CORRECTION_PERIOD}
        )
    request.correction_requested_on = on
    _stop_clock(request, on)
    return _send_notice(request, on, calendar, days, delivery, received_on)


def _receive_correction(request, on, calendar):
    if on < request.correction_requested_on:
        raise TransitionError(_("收到补正的日期不能早于告知补正的日期。"))
    # Art. 30: the period runs anew from the corrected application.
    request.clock_started_on = on
    request.paused_working_days = 0
    request.paused_on = None
    _clear_wait(request)


def _close_no_correction(request, on, calendar):
    _require_past(request, on, _("补正"))
    request.outcome = Outcome.OTHER_NO_CORRECTION
    request.closed_on = on
    _clear_wait(request)


def _consult_third_party(request, on, calendar, delivery=NoticeDelivery.ONLINE, received_on=None):
    _stop_clock(request, on)
    return _send_notice(request, on, calendar, THIRD_PARTY_PERIOD, delivery, received_on)


def _consult_agency(request, on, calendar, delivery=NoticeDelivery.ONLINE, received_on=None):
    _stop_clock(request, on)
    return _send_notice(request, on, calendar, AGENCY_PERIOD, delivery, received_on)


def _end_consultation(request, on, calendar):
    _resume_clock(request, on, calendar)


def _extend(request, on, calendar, days=MAX_EXTENSION, approver="", reason=""):
    if request.extension_working_days:
        raise TransitionError(_("答复期限只能延长一次，本申请已经延长过。"))
    if not 1 <= days <= MAX_EXTENSION:
        raise TransitionError(_("延长的期限最长不得超过%(max)d个工作日。") % {"max": MAX_EXTENSION})
    if not approver.strip() or not reason.strip():
        raise TransitionError(_("延长答复期限须填写批准人和延期理由。"))
    if request.due_date and on > request.due_date:
        raise TransitionError(
            _("答复期限（%(date)s）已过，不能再延长。") % {"date": request.due_date}
        )
    request.extension_working_days = days
    request.extension_approver = approver.strip()
    request.extension_reason = reason.strip()


def _send_fee_notice(
    request,
    on,
    calendar,
    method="",
    quantity=None,
    earlier_this_month=0,
    payment="",
    delivery=NoticeDelivery.ONLINE,
    received_on=None,
):
    """The fee is worked out from the tariff (国办函〔2020〕109号), never typed in."""
    tariff = fees.tariff()
    if method not in fees.METHODS or not quantity:
        raise TransitionError(_("请选择计费方式并填写数量。"))
    if method == fees.PER_PAGE:
        earlier_this_month = 0
    if not payment.strip():
        raise TransitionError(_("请写明缴纳方式。"))
    lines = fees.breakdown(method, quantity, earlier_this_month, using=tariff)
    amount = sum(line.amount for line in lines)
    if not amount:
        raise TransitionError(_("按此数量不收费，无需发出收费通知。"))
    spec = tariff.method(method)
    request.fee_amount = amount
    request.fee_details = {
        "method": method,
        "method_label": spec.label,
        "source": tariff.source,
        "article": spec.article,
        "counting": spec.counting,
        "quantity": quantity,
        "earlier_this_month": earlier_this_month,
        "lines": [str(line) for line in lines],
        "payment": payment.strip(),
        "payment_rule": tariff.payment_rule,
    }
    _stop_clock(request, on)
    return _send_notice(request, on, calendar, tariff.payment_working_days, delivery, received_on)


def _receive_fee(request, on, calendar):
    _resume_clock(request, on, calendar)


def _close_fee_unpaid(request, on, calendar):
    _require_past(request, on, _("缴费"))
    request.outcome = Outcome.OTHER_FEE_UNPAID
    request.closed_on = on
    _clear_wait(request)


def _reply(request, on, calendar, outcome="", reasons=()):
    if outcome not in REPLY_OUTCOMES:
        raise TransitionError(_("请选择一项办理结果。"))
    reasons = list(dict.fromkeys(reasons))
    if outcome == Outcome.PARTIAL:
        if not reasons:
            raise TransitionError(_("部分公开须至少选择一项不予公开或无法提供的理由。"))
        if any(r not in PARTIAL_REASONS for r in reasons):
            raise TransitionError(_("部分公开的理由只能是不予公开或无法提供的情形。"))
    elif reasons:
        raise TransitionError(_("只有部分公开才另选理由。"))
    request.outcome = outcome
    request.partial_reasons = [str(r) for r in reasons]
    request.replied_on = on
    request.closed_on = on


def _withdraw(request, on, calendar):
    # Table 3 counts a withdrawn application as handled, under 其他处理 — 其他.
    request.outcome = Outcome.OTHER
    request.partial_reasons = []
    request.closed_on = on
    request.paused_on = None
    _clear_wait(request)


def _archive(request, on, calendar):
    request.archived_on = on


def _assign(request, on, calendar, department=None, handler=None):
    if department is None and handler is None:
        raise TransitionError(_("请选择承办部门或承办人。"))
    request.department = department
    request.handler = handler


EFFECTS = {
    "accept": _accept,
    "request_correction": _request_correction,
    "receive_correction": _receive_correction,
    "close_no_correction": _close_no_correction,
    "consult_third_party": _consult_third_party,
    "consult_agency": _consult_agency,
    "end_consultation": _end_consultation,
    "extend": _extend,
    "send_fee_notice": _send_fee_notice,
    "receive_fee": _receive_fee,
    "close_fee_unpaid": _close_fee_unpaid,
    "record_delivery": _record_delivery,
    "reply": _reply,
    "withdraw": _withdraw,
    "archive": _archive,
    "assign": _assign,
}


def perform(request, action, *, user=None, on=None, note="", **params):
    """Apply ``action`` to ``request`` (a DisclosureRequest) and save it.

    Raises TransitionError when the table or the law does not allow it, and
    CalendarYearUnknown when a date falls in a year without a holiday schedule; in both
    cases nothing is saved.
    """
    from wagtail.log_actions import log

    from opengov_cms.disclosure_requests.models import RequestEvent

    transition = TRANSITIONS.get(action)
    if transition is None or action == "receive":
        raise TransitionError(_("没有这项操作。"))
    on = on or timezone.localdate()
    with transaction.atomic():
        request = type(request).objects.select_for_update().get(pk=request.pk)
        if request.state not in transition.sources:
            raise TransitionError(
                _("当前状态为“%(state)s”，不能%(action)s。")
                % {"state": request.get_state_display(), "action": transition.label}
            )
        if on < request.received_on:
            raise TransitionError(
                _("日期不能早于收到申请的日期（%(date)s）。") % {"date": request.received_on}
            )
        if on > timezone.localdate():
            raise TransitionError(_("日期不能晚于今天。"))
        from_state = request.state
        calendar = WorkingDayCalendar()
        detail = EFFECTS[action](request, on, calendar, **params) or ""
        if transition.target is not None:
            request.state = transition.target
        if request.state in (State.REPLIED, State.CLOSED, State.WITHDRAWN, State.ARCHIVED):
            request.pending_until = None
        elif request.state not in CLOCK_STOPPED_STATES:
            try:
                request.due_date = compute_due_date(request, calendar)
            except CalendarYearUnknown:
                # Actions that move the clock must wait for the year's data; accepting or
                # assigning need not, and the due date stays empty until it is entered.
                if action in CLOCK_ACTIONS:
                    raise
                request.due_date = None
        request.save()
        event = RequestEvent.objects.create(
            request=request,
            action=action,
            from_state=from_state,
            to_state=request.state,
            effective_on=on,
            due_date=request.due_date,
            note=note,
            detail=str(detail)[:300],
            citation=citation_for(action, from_state, request),
            user=user,
        )
        attach_notice(request, action)
        log(
            instance=request,
            action=LOG_ACTIONS[action],
            user=user,
            data={
                "event": event.pk,
                "from_state": from_state,
                "to_state": request.state,
                "on": on.isoformat(),
                "due_date": request.due_date.isoformat() if request.due_date else None,
            },
        )
    from opengov_cms.disclosure_requests import notifications

    notifications.after_transition(request, action)
    return request


def start_clock(request, calendar=None):
    """Set the clock of a new request from its date of receipt."""
    request.clock_started_on = request.received_on
    request.due_date = compute_due_date(request, calendar)


@sensitive_variables()
def receive(request, *, user=None, note="", defer_unknown_calendar=False, before_numbering=None):
    """Register a new request: tracking number, query code, clock. Returns the query code,
    which is stored only as a hash and so can be shown to the applicant only now.

    With ``defer_unknown_calendar`` a due date that reaches into a year without holiday data
    is left empty instead of refusing the application: an applicant must not be turned
    away because the site has not entered next year's schedule yet. Staff see the missing
    due date, and :func:`refresh_due_dates` fills it in once the year is entered.

    ``before_numbering(request)``, when given, writes what belongs with the request (its
    attachments) in the same transaction, before the tracking number is taken.
    """
    from opengov_cms.disclosure_requests.models import (
        RequestEvent,
        make_query_code,
        make_tracking_number,
        tracking_number_expression,
    )

    code = make_query_code()
    try:
        start_clock(request)
    except CalendarYearUnknown:
        if not defer_unknown_calendar:
            raise
        request.clock_started_on = request.received_on
        request.due_date = None
    request.set_query_code(code)
    request.state = State.RECEIVED
    alias = router.db_for_write(type(request))

    def event():
        return RequestEvent(
            action="receive",
            to_state=request.state,
            effective_on=request.received_on,
            due_date=request.due_date,
            note=note,
            citation=CITATIONS["receive"],
            user=user,
        )

    log_data = {
        "channel": request.channel,
        "due_date": request.due_date.isoformat() if request.due_date else None,
    }
    # Taking the number locks its counter's row until the transaction ends, and every
    # application to the organisation waits for that lock, so it is taken as late as can be.
    # On PostgreSQL the INSERT of the request takes it: the counter, the number and the
    # request in one statement. Otherwise, or when the caller writes attachments (files,
    # which may be slow to store), the request is written with a placeholder no other
    # transaction can see, and the number is taken after everything else.
    number = None
    if before_numbering is None:
        number = tracking_number_expression(request.organisation, request.received_on.year, alias)
    if number is not None and not transaction.get_connection(alias).in_atomic_block:
        # Nothing else to write with it: the request, its event and its log entry are one
        # statement, atomic by itself, without a transaction around it.
        _write_at_once(request, number, event(), user, log_data, alias)
        return code
    # Only writes from here on, and any error aborts the registration as a whole: inside a
    # caller's transaction a savepoint of its own would be two more round trips for nothing.
    with transaction.atomic(savepoint=False, using=alias):
        request.tracking_number = (
            number if number is not None else PROVISIONAL_PREFIX + uuid.uuid4().hex
        )
        request.save()
        created = event()
        created.request = request
        created.save()
        if before_numbering is not None:
            before_numbering(request)
        entry = new_log_entry(request, "opengov_requests.receive", user=user, data=log_data)
        if number is None:
            number = make_tracking_number(request.organisation, request.received_on.year)
            type(request)._base_manager.filter(pk=request.pk).update(tracking_number=number)
            request.tracking_number = number
        if entry is not None:
            entry.label = request.tracking_number
            type(entry).objects.bulk_create([entry])
    return code


#: The tracking number a request holds inside the transaction that registers it, until its
#: number is taken (never seen outside that transaction, which sets the number or rolls back).
PROVISIONAL_PREFIX = "~"


def _write_at_once(request, number, event, user, log_data, alias):
    """Write a new request (its tracking number taken by ``number``, an SQL expression), its
    event and its log entry in one statement, each INSERT as the ORM writes it: the
    request's as a common table expression the other two take its id and number from. The
    models' save signals are sent as ``save()`` sends them."""
    request.tracking_number = ""  # the entry's label is the number, written by the statement
    entry = new_log_entry(request, "opengov_requests.receive", user=user, data=log_data)
    request.tracking_number = number
    event.request_id = RawSQL('(SELECT "id" FROM registered)', ())
    for instance in (request, event):
        pre_save.send(type(instance), instance=instance, raw=False, using=alias, update_fields=None)
    request_sql, request_params = insert_sql(request, alias, returning=("id", "tracking_number"))
    event_sql, event_params = insert_sql(event, alias)
    parts = [f"WITH registered AS ({request_sql}), receive_event AS ({event_sql})"]
    params = [*request_params, *event_params]
    if entry is not None:
        entry.object_id = RawSQL('(SELECT "id"::text FROM registered)', ())
        entry.label = RawSQL('(SELECT "tracking_number" FROM registered)', ())
        entry_sql, entry_params = insert_sql(entry, alias)
        parts.append(entry_sql)
        parts.append(
            'RETURNING (SELECT "id" FROM registered), (SELECT "tracking_number" FROM registered)'
        )
        params.extend(entry_params)
    else:
        parts.append('SELECT "id", "tracking_number" FROM registered')
    with connections[alias].cursor() as cursor:
        cursor.execute(" ".join(parts), params)
        request.pk, request.tracking_number = cursor.fetchone()
    request._state.adding, request._state.db = False, alias
    event.request = request
    for instance in (request, event):
        instance._state.adding, instance._state.db = False, alias
        post_save.send(
            type(instance),
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=alias,
        )


def new_log_entry(instance, action, user=None, data=None):
    """The entry ``wagtail.log_actions.log`` would write, checked but not saved (None for a
    model without a log): saved with ``bulk_create``, it skips the query Wagtail's save makes
    to check that the content type exists (it does: it was just looked up, from the cache)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.log_actions import get_active_log_context
    from wagtail.log_actions import registry as log_actions

    log_actions.scan_for_actions()
    model = log_actions.get_log_model_for_instance(instance)
    if model is None:
        return None
    context = get_active_log_context()
    entry = model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        label=model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data=data or {},
        user=user or context.user,
        uuid=context.uuid,
    )
    # Wagtail's own checks (a registered action among them) but those of the foreign keys.
    entry.full_clean(exclude=["content_type", "user"], validate_unique=False)
    return entry


DUE_DATE_SET = "due_date_set"
ACTION_LABELS[DUE_DATE_SET] = gettext_lazy("答复期限确定")
LOG_ACTIONS[DUE_DATE_SET] = "opengov_requests.due_date_set"


def refresh_due_dates(today=None):
    """Compute the due dates left empty for want of holiday data, record each on the
    request's timeline and tell the applicant; returns how many were computed.

    Safe to run twice at once: a due date is written only where it is still empty, and
    only the run that wrote it records and tells.
    """
    from wagtail.log_actions import log

    from opengov_cms.disclosure_requests import notifications
    from opengov_cms.disclosure_requests.models import DisclosureRequest, RequestEvent

    today = today or timezone.localdate()
    calendar = WorkingDayCalendar()
    waiting = DisclosureRequest.objects.open().filter(due_date__isnull=True, paused_on__isnull=True)
    done = 0
    for request in waiting.iterator():
        try:
            due = compute_due_date(request, calendar)
        except CalendarYearUnknown:
            continue
        with transaction.atomic():
            if not DisclosureRequest.objects.filter(pk=request.pk, due_date__isnull=True).update(
                due_date=due
            ):
                continue
            request.due_date = due
            RequestEvent.objects.create(
                request=request,
                action=DUE_DATE_SET,
                effective_on=today,
                due_date=due,
                citation=CITATIONS[DUE_DATE_SET],
            )
            log(
                instance=request,
                action=LOG_ACTIONS[DUE_DATE_SET],
                data={"due_date": due.isoformat()},
            )
            notifications.after_transition(request, DUE_DATE_SET)
        done += 1
    # Waits whose end fell in the unknown year (a notice received in late December).
    lapsing = DisclosureRequest.objects.open().filter(
        notice_received_on__isnull=False, pending_days__isnull=False, pending_until__isnull=True
    )
    for request in lapsing.iterator():
        until = _pending_until(request, calendar)
        if until is not None:
            DisclosureRequest.objects.filter(pk=request.pk, pending_until__isnull=True).update(
                pending_until=until
            )
    return done


def can_publish_proactively(request_obj):
    return (
        request_obj.state in (State.REPLIED, State.ARCHIVED)
        and request_obj.outcome in (Outcome.DISCLOSED, Outcome.PARTIAL)
        and request_obj.proactive_entry_id is None
    )


def publish_proactively(request_obj, *, section, title, summary, user=None):
    """Art. 44: from a reply that others may want too, make a draft catalogue entry with
    the released information, linked to the request. Nothing of the applicant goes in."""
    from wagtail.log_actions import log

    from opengov_cms.catalogue.filing import add_to_section
    from opengov_cms.catalogue.models import DisclosureEntryPage
    from opengov_cms.disclosure_requests.models import RequestEvent

    if request_obj.proactive_entry_id is not None:
        raise TransitionError(_("这件申请已经创建了主动公开的信息。"))
    if not can_publish_proactively(request_obj):
        raise TransitionError(_("只有答复为“予以公开”或“部分公开”的申请，才能转为主动公开。"))
    # Published for everyone: no ID or mobile number from the application goes with it,
    # whatever was copied into the title or the summary.
    entry = DisclosureEntryPage(
        title=redact(title),
        summary=redact(summary),
        organisation_id=request_obj.organisation_id,
        live=False,
    )
    add_to_section(section, entry)
    entry.save_revision(user=user)
    request_obj.proactive_entry = entry
    request_obj.save(update_fields=["proactive_entry"])
    RequestEvent.objects.create(
        request=request_obj,
        action=PUBLISH_PROACTIVELY,
        effective_on=timezone.localdate(),
        note=redact(title),
        user=user,
    )
    log(instance=request_obj, action=LOG_ACTIONS[PUBLISH_PROACTIVELY], user=user)
    return entry
