"""文号 (document numbers): validation, and one spelling for the bracket variants people type.

The standard form (GB/T 9704-2012) is ``机关代字〔年份〕序号号``, e.g. 国办发〔2019〕14号; orders
are numbered ``…令第711号``. Editors and readers type the year in [], (), （）, 【】 or ［］,
and with full-width digits; all of them are stored and searched as 〔2019〕.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OPENING = "[(（【〔［〖{｛"
CLOSING = "])）】〕］〗}｝"
YEAR_FORM = re.compile(
    rf"^(?P<prefix>[^\s{re.escape(OPENING)}]+?)\s*[{re.escape(OPENING)}]\s*(?P<year>\d{{4}})\s*"
    rf"[{re.escape(CLOSING)}]\s*(?P<number>\d{{1,6}})\s*号$"
)
ORDER_FORM = re.compile(r"^(?P<prefix>\S+?)\s*第\s*(?P<number>\d{1,6})\s*号$")


def normalise_document_number(value):
    """Return the standard spelling of a 文号, or raise ValidationError saying what is wrong."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    # NFKC makes full-width digits and brackets ASCII; 〔〕 have no such form and stay.
    text = re.sub(r"\s+", " ", text)
    if not text:
        return ""
    match = YEAR_FORM.match(text)
    if match:
        year = int(match["year"])
        if not 1949 <= year <= 2100:
            raise ValidationError(
                _("文号中的年份“%(year)s”不正确，请核对。"), code="year", params={"year": year}
            )
        return f"{match['prefix']}〔{year}〕{int(match['number'])}号"
    match = ORDER_FORM.match(text)
    if match:
        return f"{match['prefix']}第{int(match['number'])}号"
    raise ValidationError(
        _(
            "文号格式不正确。请按“机关代字〔年份〕序号号”填写，例如 国办发〔2019〕14号"
            "（方括号、圆括号也可以），或按“…令第711号”填写。"
        ),
        code="format",
    )


def validate_document_number(value):
    normalise_document_number(value)
