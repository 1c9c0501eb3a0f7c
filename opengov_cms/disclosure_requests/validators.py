"""Validators for what applicants type in: 居民身份证 numbers, phone numbers and postcodes."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: weights of the first 17 digits and the check character for sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
POSTCODE_RE = re.compile(r"^\d{6}$")


def id_check_character(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value):
    """居民身份证号码: 18 characters, a valid birth date and the GB 11643 check character."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(
            _("居民身份证号码应为18位，当前为%(length)d位，请核对后重新填写。"),
            code="length",
            params={"length": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("居民身份证号码前17位应为数字，最后一位为数字或X，请核对。"), code="characters"
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > date.today():
        raise ValidationError(
            _("居民身份证号码中的出生日期（第7至14位）不是有效日期，请核对。"), code="birth_date"
        )
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("居民身份证号码的校验码不正确（最后一位应为%(expected)s），请核对是否有输错的数字。"),
            code="checksum",
            params={"expected": expected},
        )


def validate_phone(value):
    """A mainland mobile number (11 digits) or a landline with its area code."""
    number = re.sub(r"[\s()（）]", "", value or "").removeprefix("+86")
    if not PHONE_RE.match(number):
        raise ValidationError(
            _("请填写11位手机号码，或带区号的固定电话（例如 0551-12345678）。"), code="phone"
        )


def validate_postcode(value):
    if not POSTCODE_RE.match((value or "").strip()):
        raise ValidationError(_("邮政编码应为6位数字。"), code="postcode")
