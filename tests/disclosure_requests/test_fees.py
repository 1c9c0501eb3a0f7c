"""The fee tiers of 国办函〔2020〕109号, against sums worked out by hand."""

from decimal import Decimal

import pytest

from opengov_cms.disclosure_requests.fees import PER_ITEM, PER_PAGE, fee


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (100, 0),
        (101, 10),
        (200, 1000),  # 100 pages × 10
        (201, 1020),
        (500, 7000),  # 1000 + 300 × 20
        (501, 7030),
        (1000, 22000),  # 7000 + 500 × 30
        (1001, 22040),
        (1500, 42000),  # 22000 + 500 × 40
    ],
)
def test_per_page(pages, expected):
    assert fee(PER_PAGE, pages) == Decimal(expected)


@pytest.mark.parametrize(
    ("before", "count", "expected"),
    [
        (0, 10, 0),
        (10, 1, 50),  # the 11th application of the month
        (29, 1, 50),  # the 30th
        (30, 1, 100),  # the 31st
        (40, 1, 150),  # the 41st
        (0, 40, 20 * 50 + 10 * 100),
        (200, 1, 950),  # the 201st: 100 + 50 × 17
        (500, 1, 1000),  # at most 1,000 per item
    ],
)
def test_per_item(before, count, expected):
    assert fee(PER_ITEM, count, already_this_month=before) == Decimal(expected)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        fee("per_word", 3)
    with pytest.raises(ValueError):
        fee(PER_PAGE, -1)


def test_the_fee_notice_form_works_the_amount_out_or_takes_it():
    from opengov_cms.disclosure_requests.forms import FeeNoticeForm

    form = FeeNoticeForm({"on": "2024-10-10", "method": PER_PAGE, "quantity": "250"})
    assert form.is_valid(), form.errors
    assert form.params() == {"amount": Decimal(2000)}  # 100 × 10 + 50 × 20
    form = FeeNoticeForm({"on": "2024-10-10", "amount": "88.50"})
    assert form.is_valid() and form.params() == {"amount": Decimal("88.50")}
    form = FeeNoticeForm({"on": "2024-10-10", "method": PER_PAGE, "quantity": "80"})
    assert not form.is_valid() and "无需发出收费通知" in str(form.errors)
    form = FeeNoticeForm({"on": "2024-10-10"})
    assert not form.is_valid() and "请填写收费金额" in str(form.errors)
