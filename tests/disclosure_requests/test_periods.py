"""Periods given to the applicant or a third party run from the day they receive the notice
(Arts. 30, 32, 34; 国办函〔2020〕109号): online that is the day it was sent, by post or in
person the day it was signed for, as staff record it."""

from datetime import date

import pytest
from django.urls import reverse

from opengov_cms.disclosure_requests.choices import State
from opengov_cms.disclosure_requests.tasks import close_lapsed
from opengov_cms.disclosure_requests.workflow import TransitionError, perform
from tests.disclosure_requests.factories import DisclosureRequestFactory

pytestmark = pytest.mark.django_db

RECEIVED = date(2024, 9, 27)  # Friday; 8–12 Oct are working days (Sat 12 Oct a make-up day)


def test_a_correction_sent_by_post_does_not_lapse_before_it_is_received():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    request = perform(request, "request_correction", on=date(2024, 9, 30), days=5, delivery="post")
    assert request.state == State.CORRECTION_REQUESTED
    assert request.pending_until is None and request.awaits_delivery
    # Months later, nothing has been signed for: the request stays open.
    assert close_lapsed(today=date(2024, 12, 31)) == 0
    with pytest.raises(TransitionError, match="尚未登记送达"):
        perform(request, "close_no_correction", on=date(2024, 12, 31))
    # Signed for on Tuesday 8 October: 5 working days are 9, 10, 11, 12 (Sat) and 14 Oct.
    request = perform(request, "record_delivery", on=date(2024, 10, 8))
    assert request.notice_received_on == date(2024, 10, 8)
    assert request.pending_until == date(2024, 10, 14)
    assert close_lapsed(today=date(2024, 10, 14)) == 0
    assert close_lapsed(today=date(2024, 10, 15)) == 1
    request.refresh_from_db()
    assert request.state == State.CLOSED and request.outcome == "other.no_correction"


def test_a_correction_sent_online_runs_from_the_day_it_was_sent():
    request = DisclosureRequestFactory(received_on=RECEIVED)
    request = perform(request, "request_correction", on=date(2024, 10, 8), days=5)
    assert request.notice_received_on == date(2024, 10, 8)
    assert request.pending_until == date(2024, 10, 14)
    with pytest.raises(TransitionError, match="已于2024-10-08送达"):
        perform(request, "record_delivery", on=date(2024, 10, 9))


def test_a_third_party_has_15_working_days_from_receipt_of_the_letter():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(request, "consult_third_party", on=date(2024, 10, 8), delivery="post")
    assert request.due_date is None and request.pending_until is None
    with pytest.raises(TransitionError, match="不能早于告知书发出的日期"):
        perform(request, "record_delivery", on=date(2024, 10, 7))
    request = perform(request, "record_delivery", on=date(2024, 10, 11))
    # 15 working days after Friday 11 Oct: 12 (Sat), 14–18, 21–25, 28–31 Oct.
    assert request.pending_until == date(2024, 10, 31)
    event = request.events.get(action="record_delivery")
    assert event.citation == "《政府信息公开条例》第三十二条"
    assert "2024-10-31" in event.detail


def test_another_agency_has_15_working_days_too():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(
        request,
        "consult_agency",
        on=date(2024, 10, 8),
        delivery="in_person",
        received_on=date(2024, 10, 8),
    )
    assert request.pending_until == date(2024, 10, 28)


def test_the_fee_period_runs_from_receipt_of_the_fee_notice():
    request = DisclosureRequestFactory(received_on=RECEIVED, state=State.ACCEPTED)
    request = perform(
        request,
        "send_fee_notice",
        on=date(2024, 10, 8),
        method="per_page",
        quantity=40,
        payment="现场缴纳",
        delivery="post",
    )
    assert request.pending_until is None
    assert close_lapsed(today=date(2025, 1, 31)) == 0
    request = perform(request, "record_delivery", on=date(2024, 10, 14))
    # 20 working days after Monday 14 Oct.
    assert request.pending_until == date(2024, 11, 11)
    assert close_lapsed(today=date(2024, 11, 11)) == 0
    assert close_lapsed(today=date(2024, 11, 12)) == 1


def test_staff_see_that_the_period_has_not_started(admin_client):
    request = DisclosureRequestFactory(received_on=RECEIVED)
    perform(request, "request_correction", on=date(2024, 9, 30), days=5, delivery="post")
    detail = admin_client.get(reverse("opengov_requests_admin:detail", args=[request.pk]))
    html = detail.content.decode()
    assert "期限尚未开始计算" in html and "请在对方签收后登记签收日期" in html
    inbox = admin_client.get(reverse("opengov_requests_admin:index")).content.decode()
    assert "告知书待登记签收，等待期限尚未起算" in inbox
    response = admin_client.post(
        reverse("opengov_requests_admin:action", args=[request.pk, "record_delivery"]),
        {"record_delivery-on": "2024-10-08"},
        follow=True,
    )
    assert "已办理：登记告知书送达（签收）日期" in response.content.decode()
    request.refresh_from_db()
    assert request.pending_until == date(2024, 10, 14)


def test_the_correction_form_in_the_admin_records_the_delivery(admin_client):
    request = DisclosureRequestFactory(received_on=RECEIVED)
    admin_client.post(
        reverse("opengov_requests_admin:action", args=[request.pk, "request_correction"]),
        {
            "request_correction-on": "2024-09-30",
            "request_correction-days": "5",
            "request_correction-delivery": "in_person",
        },
    )
    request.refresh_from_db()
    assert request.notice_delivery == "in_person"
    assert request.notice_received_on == date(2024, 9, 30)  # handed over that day
    assert request.pending_until == date(2024, 10, 12)


def test_the_applicant_sees_the_period_and_the_provision_behind_each_step(client):
    from tests.disclosure_requests.test_public import lookup

    request = DisclosureRequestFactory(received_on=RECEIVED)
    perform(request, "accept", on=date(2024, 9, 30))
    perform(request, "request_correction", on=date(2024, 9, 30), days=5, delivery="post")
    html = lookup(client, request.tracking_number, request.query_code).content.decode()
    assert "自收到告知书之日起5个工作日" in html
    assert "（依据《政府信息公开条例》第三十一条、第三十三条第二款）" in html
    assert "（依据《政府信息公开条例》第三十条）" in html
    perform(request, "record_delivery", on=date(2024, 10, 8))
    html = lookup(client, request.tracking_number, request.query_code).content.decode()
    assert "2024-10-14" in html
