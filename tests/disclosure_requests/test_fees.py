"""The fee tariff of 国办函〔2020〕109号 against sums worked out by hand, the tariff as data,
and the fee notice that cites it."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from opengov_cms.disclosure_requests.choices import DocumentKind, State
from opengov_cms.disclosure_requests.fees import (
    DEFAULT_TARIFF,
    PER_ITEM,
    PER_PAGE,
    breakdown,
    fee,
    tariff,
)
from opengov_cms.disclosure_requests.workflow import TransitionError, perform
from tests.disclosure_requests.factories import DisclosureRequestFactory


# The examples of the issue: the 办法's own bands, worked out by hand.
def test_the_12th_application_of_a_month_costs_100_yuan():
    assert fee(PER_ITEM, 1, already_this_month=11) == Decimal(100)


def test_150_pages_cost_1700_yuan():
    assert fee(PER_PAGE, 150) == Decimal(70 * 10 + 50 * 20) == Decimal(1700)


def test_250_pages_cost_4700_yuan():
    assert fee(PER_PAGE, 250) == Decimal(70 * 10 + 100 * 20 + 50 * 40) == Decimal(4700)


def test_30_pages_are_free():
    assert fee(PER_PAGE, 30) == 0
    assert fee(PER_PAGE, 31) == 10


@pytest.mark.parametrize(
    ("before", "count", "expected"),
    [
        (0, 10, 0),  # 1–10 free
        (10, 1, 100),  # the 11th
        (29, 1, 100),  # the 30th
        (30, 1, 200),  # the 31st: the first block of 10 above 30
        (39, 1, 200),  # the 40th
        (40, 1, 300),  # the 41st
        (0, 45, 20 * 100 + 10 * 200 + 5 * 300),
        (200, 1, 100 + 100 * 18),  # the 201st: 31–40 is the 1st block, 201–210 the 18th
    ],
)
def test_per_item_counts_the_applications_of_a_natural_month(before, count, expected):
    assert fee(PER_ITEM, count, already_this_month=before) == Decimal(expected)


def test_each_band_is_shown_as_charged():
    assert [str(line) for line in breakdown(PER_PAGE, 150)] == [
        "第31—100页：70页×10元＝700元",
        "第101—150页：50页×20元＝1000元",
    ]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        fee("per_word", 3)
    with pytest.raises(ValueError):
        fee(PER_PAGE, -1)
    with pytest.raises(ValueError):
        fee(PER_PAGE, 40, already_this_month=3)  # pages are counted per application


def test_the_tariff_is_data_that_cites_its_source():
    data = json.loads(DEFAULT_TARIFF.read_text(encoding="utf-8"))
    assert data["source"] == "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
    assert data["per_item"]["article"] == "第四条" and data["per_page"]["article"] == "第五条"
    assert tariff().payment_working_days == 20


def test_a_revised_tariff_is_a_change_of_data(settings, tmp_path):
    data = json.loads(DEFAULT_TARIFF.read_text(encoding="utf-8"))
    data["per_page"]["bands"][0]["to"] = 50
    data["per_page"]["bands"][1]["from"] = 51
    revised = tmp_path / "tariff.json"
    revised.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings.OPENGOV_CMS_REQUESTS_FEE_TARIFF = str(revised)
    assert fee(PER_PAGE, 50) == 0
    assert fee(PER_PAGE, 150) == Decimal(50 * 10 + 50 * 20)
    settings.OPENGOV_CMS_REQUESTS_FEE_TARIFF = data  # a dict works too
    assert fee(PER_PAGE, 150) == Decimal(50 * 10 + 50 * 20)


def test_a_broken_tariff_stops_the_site_with_a_message_naming_the_band(settings):
    data = json.loads(DEFAULT_TARIFF.read_text(encoding="utf-8"))
    data["per_page"]["bands"][2]["from"] = 120
    settings.OPENGOV_CMS_REQUESTS_FEE_TARIFF = data
    with pytest.raises(SystemCheckError, match=r"per_page.bands\[2\] starts at 120, not 101"):
        call_command("check")


# The fee notice --------------------------------------------------------------------------


def test_the_fee_notice_form_works_the_amount_out():
    from opengov_cms.disclosure_requests.forms import FeeNoticeForm

    data = {"on": "2024-10-10", "delivery": "online", "payment": "通过非税收入缴款码缴纳"}
    form = FeeNoticeForm({**data, "method": PER_PAGE, "quantity": "250"})
    assert form.is_valid(), form.errors
    assert form.params()["quantity"] == 250 and form.params()["method"] == PER_PAGE
    form = FeeNoticeForm({**data, "method": PER_PAGE, "quantity": "30"})
    assert not form.is_valid() and "无需发出收费通知" in str(form.errors)
    form = FeeNoticeForm({**data, "amount": "88.50"})  # no amount typed in any more
    assert not form.is_valid() and "method" in form.errors


@pytest.mark.django_db
def test_the_fee_notice_cites_109_and_the_article_and_gives_the_bands():
    from docx import Document

    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(request, "accept", on=date(2024, 9, 27))
    request = perform(
        request,
        "send_fee_notice",
        on=date(2024, 10, 8),
        method=PER_PAGE,
        quantity=150,
        payment="凭缴款码在线缴纳",
        delivery="online",
    )
    assert request.state == State.AWAITING_FEE
    assert request.fee_amount == Decimal(1700)
    notice = request.documents.get(kind=DocumentKind.NOTICE, title="政府信息公开信息处理费收费通知")
    assert notice.public
    text = "\n".join(p.text for p in Document(notice.file.open("rb")).paragraphs)
    assert "国办函〔2020〕109号" in text and "第五条" in text and "第三条" in text
    assert "第四十二条" in text
    assert "1700元" in text and "第101—150页：50页×20元＝1000元" in text
    assert "凭缴款码在线缴纳" in text
    assert "视为放弃申请" in text
    event = request.events.get(action="send_fee_notice")
    assert "国办函〔2020〕109号第三条、第五条" in event.citation


@pytest.mark.django_db
def test_a_fee_is_never_both_methods_nor_free():
    request = DisclosureRequestFactory(received_on=date(2024, 9, 27))
    perform(request, "accept", on=date(2024, 9, 27))
    with pytest.raises(TransitionError, match="无需发出收费通知"):
        perform(
            request,
            "send_fee_notice",
            on=date(2024, 10, 8),
            method=PER_ITEM,
            quantity=1,
            earlier_this_month=3,
            payment="现场缴纳",
        )
    with pytest.raises(TransitionError, match="计费方式"):
        perform(request, "send_fee_notice", on=date(2024, 10, 8), payment="现场缴纳")
