from datetime import date

import pytest
from wagtail.models import ModelLogEntry

from opengov_cms.core.calendar import CalendarYearUnknown
from opengov_cms.core.models import HolidayCalendar
from opengov_cms.disclosure_requests.choices import Outcome, State
from opengov_cms.disclosure_requests.workflow import TransitionError, allowed_actions, perform
from tests.clock import DECEMBER_FRIDAY, UNKNOWN_YEAR
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.factories import enter_holiday_schedule

pytestmark = pytest.mark.django_db

# Received Friday 27 September 2024: 20 working days later, across National Day and its
# make-up days (Sun 29 Sep, Sat 12 Oct), is Wednesday 30 October.
RECEIVED = date(2024, 9, 27)
DUE = date(2024, 10, 30)


def test_a_new_request_is_due_twenty_working_days_after_receipt():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    assert request.state == State.RECEIVED
    assert request.clock_started_on == RECEIVED
    assert request.due_date == DUE
    assert [e.action for e in request.events.all()] == ["receive"]


def test_accepting_keeps_the_due_date_and_is_logged():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    request = perform(request, "accept", on=date(2024, 9, 30))
    assert request.state == State.ACCEPTED
    assert request.due_date == DUE
    entry = ModelLogEntry.objects.filter(action="opengov_requests.accept").get()
    assert entry.object_id == str(request.pk)
    assert "张三" not in str(entry.data)


def test_an_invalid_transition_is_refused_in_chinese():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    with pytest.raises(TransitionError, match="当前状态为“已收到”，不能收到缴费"):
        perform(request, "receive_fee", on=date(2024, 9, 30))
    with pytest.raises(TransitionError, match="没有这项操作"):
        perform(request, "explode")
    request.refresh_from_db()
    assert request.state == State.RECEIVED
    assert request.events.count() == 1


def test_correction_stops_the_clock_and_restarts_it_from_the_corrected_application():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    request = perform(request, "request_correction", on=date(2024, 10, 9))
    assert request.state == State.CORRECTION_REQUESTED
    assert request.due_date is None
    # 15 working days after 9 Oct (Sat 12 Oct is a make-up working day).
    assert request.pending_until == date(2024, 10, 29)
    request = perform(request, "receive_correction", on=date(2024, 10, 21))
    assert request.state == State.ACCEPTED
    assert request.clock_started_on == date(2024, 10, 21)
    assert request.due_date == date(2024, 11, 18)


def test_correction_only_within_seven_working_days_of_receipt():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    # 29, 30 Sep, 8, 9, 10, 11, 12 Oct are the 7 working days after receipt.
    with pytest.raises(TransitionError, match="7个工作日内.*已过8个工作日"):
        perform(request, "request_correction", on=date(2024, 10, 14))
    perform(request, "request_correction", on=date(2024, 10, 12))


def test_correction_only_once():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    request = perform(request, "request_correction", on=date(2024, 9, 30))
    request = perform(request, "receive_correction", on=date(2024, 10, 8))
    with pytest.raises(TransitionError, match="一次性"):
        perform(request, "request_correction", on=date(2024, 10, 9))


def test_no_correction_in_time_closes_the_request():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    # Sent online on 30 Sep, so received that day: 5 working days are 8–12 Oct.
    request = perform(request, "request_correction", on=date(2024, 9, 30), days=5)
    assert request.pending_until == date(2024, 10, 12)
    with pytest.raises(TransitionError, match="尚未届满"):
        perform(request, "close_no_correction", on=date(2024, 10, 12))
    request = perform(request, "close_no_correction", on=date(2024, 10, 13))
    assert request.state == State.CLOSED
    assert request.outcome == Outcome.OTHER_NO_CORRECTION == "other.no_correction"


def test_third_party_consultation_stops_the_clock():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(request, "consult_third_party", on=date(2024, 10, 8))
    assert request.due_date is None
    assert request.pending_until == date(2024, 10, 28)  # 15 working days
    # Stopped after 8 Oct, resumed on 14 Oct: 9, 10, 11, 12 and 14 Oct do not count.
    request = perform(request, "end_consultation", on=date(2024, 10, 14))
    assert request.paused_working_days == 5
    assert request.due_date == date(2024, 11, 6)


def test_agency_consultation_stops_the_clock_too():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(request, "consult_agency", on=date(2024, 10, 8))
    assert request.state == State.CONSULTING_AGENCY
    assert request.due_date is None
    request = perform(request, "end_consultation", on=date(2024, 10, 9))
    assert request.due_date == date(2024, 10, 31)


def test_one_extension_of_at_most_twenty_working_days():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    with pytest.raises(TransitionError, match="批准人和延期理由"):
        perform(request, "extend", on=date(2024, 10, 28), days=10)
    with pytest.raises(TransitionError, match="最长不得超过20个工作日"):
        perform(request, "extend", on=date(2024, 10, 28), days=21, approver="李四", reason="量大")
    request = perform(
        request, "extend", on=date(2024, 10, 28), days=20, approver="李四", reason="需要调档"
    )
    assert request.state == State.ACCEPTED
    assert request.due_date == date(2024, 11, 27)
    with pytest.raises(TransitionError, match="只能延长一次"):
        perform(request, "extend", on=date(2024, 10, 29), days=5, approver="李四", reason="再延")


def test_no_extension_after_the_deadline():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    with pytest.raises(TransitionError, match="已过"):
        perform(request, "extend", on=date(2024, 10, 31), days=5, approver="李四", reason="晚了")


FEE = {"method": "per_page", "quantity": 40, "payment": "现场缴纳"}


def test_fee_notice_stops_the_clock_until_payment():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(request, "send_fee_notice", on=date(2024, 10, 8), **FEE)
    assert request.fee_amount == 100  # pages 31–40 at 10 yuan
    assert request.state == State.AWAITING_FEE
    assert request.due_date is None
    assert request.pending_until == date(2024, 11, 4)
    request = perform(request, "receive_fee", on=date(2024, 10, 10))
    assert request.due_date == date(2024, 11, 1)


def test_unpaid_fee_closes_the_request():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(request, "send_fee_notice", on=date(2024, 10, 8), **FEE)
    with pytest.raises(TransitionError, match="缴费期限"):
        perform(request, "close_fee_unpaid", on=date(2024, 11, 4))
    request = perform(request, "close_fee_unpaid", on=date(2024, 11, 5))
    assert request.state == State.CLOSED
    assert request.outcome == "other.fee_unpaid"


def test_reply_with_an_outcome_of_table_three():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    with pytest.raises(TransitionError, match="请选择一项办理结果"):
        perform(request, "reply", on=date(2024, 10, 10), outcome="nonsense")
    with pytest.raises(TransitionError, match="请选择一项办理结果"):
        perform(request, "reply", on=date(2024, 10, 10), outcome="other.fee_unpaid")
    request = perform(request, "reply", on=date(2024, 10, 10), outcome="withheld.state_secret")
    assert request.state == State.REPLIED
    assert request.outcome == "withheld.state_secret"
    assert request.replied_on == date(2024, 10, 10)
    assert request.due_date == DUE  # kept, so a late reply can be counted


def test_partial_disclosure_carries_several_reasons():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    with pytest.raises(TransitionError, match="至少选择一项"):
        perform(request, "reply", on=date(2024, 10, 10), outcome="partial")
    with pytest.raises(TransitionError, match="只能是不予公开或无法提供"):
        perform(request, "reply", on=date(2024, 10, 10), outcome="partial", reasons=["disclosed"])
    request = perform(
        request,
        "reply",
        on=date(2024, 10, 10),
        outcome="partial",
        reasons=["withheld.third_party_rights", "unavailable.not_held"],
    )
    assert request.partial_reasons == ["withheld.third_party_rights", "unavailable.not_held"]
    with pytest.raises(TransitionError, match="只有部分公开"):
        other = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
        perform(
            other,
            "reply",
            on=date(2024, 10, 10),
            outcome="disclosed",
            reasons=["withheld.state_secret"],
        )


def test_withdraw_and_archive():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    request = perform(request, "withdraw", on=date(2024, 9, 30))
    assert request.state == State.WITHDRAWN
    assert request.outcome == "other.other"
    assert allowed_actions(request) == ["archive"]
    request = perform(request, "archive", on=date(2024, 10, 8))
    assert request.state == State.ARCHIVED
    assert allowed_actions(request) == []
    with pytest.raises(TransitionError):
        perform(request, "withdraw", on=date(2024, 10, 9))


def test_dates_before_receipt_or_in_the_future_are_refused():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    with pytest.raises(TransitionError, match="不能早于收到申请的日期"):
        perform(request, "accept", on=date(2024, 9, 26))
    with pytest.raises(TransitionError, match="不能晚于今天"):
        perform(request, "accept", on=date(2099, 1, 1))


def test_a_deadline_in_a_year_without_data_is_an_error_then_works_once_entered():
    with pytest.raises(CalendarYearUnknown):
        DisclosureRequestFactory(received_on=DECEMBER_FRIDAY)
    HolidayCalendar.objects.create(year=UNKNOWN_YEAR)
    with pytest.raises(CalendarYearUnknown, match="不完整"):
        DisclosureRequestFactory(received_on=DECEMBER_FRIDAY)
    HolidayCalendar.objects.all().delete()
    enter_holiday_schedule(UNKNOWN_YEAR)
    request = DisclosureRequestFactory(received_on=DECEMBER_FRIDAY)
    assert request.due_date.year == UNKNOWN_YEAR


def test_outcome_codes_are_stable_and_grouped():
    codes = [o.value for o in Outcome]
    assert len(codes) == 21
    groups = {c.split(".")[0] for c in codes}
    assert groups == {"disclosed", "partial", "withheld", "unavailable", "not_processed", "other"}
    assert sum(c.startswith("withheld.") for c in codes) == 8
    assert sum(c.startswith("unavailable.") for c in codes) == 3
    assert sum(c.startswith("not_processed.") for c in codes) == 5
    assert sum(c.startswith("other.") for c in codes) == 3


@pytest.mark.now(DECEMBER_FRIDAY)
def test_without_next_years_data_a_request_can_be_accepted_but_not_extended():
    from opengov_cms.disclosure_requests import workflow

    request = DisclosureRequestFactory.build(received_on=DECEMBER_FRIDAY)
    request.organisation.save()
    request.organisation_id = request.organisation.pk
    workflow.receive(request, defer_unknown_calendar=True)
    assert request.due_date is None
    request = perform(request, "accept", on=DECEMBER_FRIDAY)
    assert request.state == State.ACCEPTED and request.due_date is None
    with pytest.raises(CalendarYearUnknown):
        perform(request, "extend", on=DECEMBER_FRIDAY, days=5, approver="李四", reason="x")
