"""ID and mobile numbers typed into free text are found by their own rules, and hidden."""

import pytest

from opengov_cms.core.redaction import find_identifiers, is_id_number, redact

# GB 11643-1999's own example: 11010519491231002X.
VALID_ID = "11010519491231002X"


def test_an_id_number_is_known_by_its_check_character_and_date():
    assert is_id_number(VALID_ID) and is_id_number(VALID_ID.lower())
    assert not is_id_number("110105194912310021")  # wrong check character
    assert not is_id_number("110105194913310028")  # no 13th month
    assert not is_id_number("11010519491231002")  # too short


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"申请人身份证{VALID_ID}，请公开", "申请人身份证[身份证号已隐去]，请公开"),
        ("电话13812345678联系", "电话[手机号已隐去]联系"),
        ("手机 +86 138-1234-5678。", "手机 [手机号已隐去]。"),
        ("预算金额1381234567800元", "预算金额1381234567800元"),  # part of a longer number
        ("索引号11341500MB1234567X/2019-00123", "索引号11341500MB1234567X/2019-00123"),
        ("无个人信息的描述", "无个人信息的描述"),
    ],
)
def test_identifiers_are_hidden_and_nothing_else(text, expected):
    assert redact(text) == expected


def test_what_was_found_is_said():
    assert find_identifiers(f"{VALID_ID} 13912345678") == [
        ("id", VALID_ID),
        ("phone", "13912345678"),
    ]
