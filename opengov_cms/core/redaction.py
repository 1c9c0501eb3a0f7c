"""Personal identifiers typed into free text, found and hidden before anything is published.

An applicant may put an ID number or a mobile number into the description of what they ask
for; when a reply is published for everyone (Art. 44), or a notice or an export carries that
text, the identifiers are replaced. Found:

- resident ID numbers of GB 11643-1999 (18 characters: 17 digits and a check character,
  0–9 or X, which must be right, with a real date of birth in characters 7–14);
- mainland mobile numbers (11 digits starting 13–19), optionally written +86 / 0086 / 86
  first and with spaces or hyphens in the usual 3-4-4 places.

Digits that are part of a longer run of digits (an amount, an index number) are not taken
for either.
"""

import re
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PLACEHOLDER = "[身份证号已隐去]"
PHONE_PLACEHOLDER = "[手机号已隐去]"

ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
PHONE_CANDIDATE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)"
)


def is_id_number(text):
    """Whether ``text`` is a resident ID number whose check character and birth date hold."""
    if not re.fullmatch(r"\d{17}[\dXx]", text or ""):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(text[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != text[17].upper():
        return False
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def find_identifiers(text):
    """[(kind, matched text)] for each ID number ("id") and mobile number ("phone")."""
    found = [
        ("id", m.group(1)) for m in ID_CANDIDATE.finditer(text or "") if is_id_number(m.group(1))
    ]
    found += [("phone", m.group(0)) for m in PHONE_CANDIDATE.finditer(text or "")]
    return found


def redact(text):
    """``text`` with every ID number and mobile number replaced by a placeholder."""
    if not text:
        return text

    def id_number(match):
        return ID_PLACEHOLDER if is_id_number(match.group(1)) else match.group(0)

    text = ID_CANDIDATE.sub(id_number, text)
    return PHONE_CANDIDATE.sub(PHONE_PLACEHOLDER, text)
