"""Validators for the codes Chinese public bodies carry, with messages saying what to fix."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the 31 characters a unified social credit code may use, and the weights.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714-1997: organisation code, 8 characters and a check character.
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_character(first17):
    total = sum(
        CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(first8):
    total = sum(
        ORG_CODE_ALPHABET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate_credit_code(value):
    """统一社会信用代码: 18 characters of GB 32100-2015 ending in its check character."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位，请核对后重新填写。"),
            code="length",
            params={"length": len(code)},
        )
    bad = [c for c in code if c not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码中不能出现字符“%(chars)s”（不使用I、O、Z、S、V），请核对。"),
            code="characters",
            params={"chars": "".join(dict.fromkeys(bad))},
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "统一社会信用代码的校验码不正确（最后一位应为%(expected)s），请核对是否有输错的字符。"
            ),
            code="checksum",
            params={"expected": expected},
        )


def validate_org_code(value):
    """组织机构代码: 8 characters, a hyphen (optional) and a check character (GB 11714)."""
    code = (value or "").strip().upper().replace("-", "")
    if len(code) != 9 or any(c not in ORG_CODE_ALPHABET for c in code[:8]):
        raise ValidationError(
            _("组织机构代码应为8位数字或大写字母加1位校验码，例如 12345678-9，请核对。"),
            code="format",
        )
    if code[8] != org_code_check_character(code[:8]):
        raise ValidationError(
            _("组织机构代码的校验码不正确，请核对是否有输错的字符。"), code="checksum"
        )
