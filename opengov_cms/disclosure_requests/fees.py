"""Information processing fees (信息处理费) for excessive applications, under the
《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号), on the legal basis of Art. 42 of the
Regulations.

The tariff is data: ``data/fee_tariff.json`` holds the bands of the 办法 as published —

- 第三条: per item (按件计收) or per page (按量计收), each charged on the part above each
  threshold (超额累进); one of the two for an application, never both;
- 第四条, per item, counting the applicant's applications in one natural month: 1–10
  free; 11–30 at 100 yuan each; from the 31st, each further block of 10 raises the price
  by 100 yuan per item (31–40 at 200, 41–50 at 300, …);
- 第五条, per page, for one application: up to 30 pages free; 31–100 at 10 yuan; 101–200
  at 20 yuan; from 201 at 40 yuan;
- the applicant pays within 20 working days from receiving the fee notice, or the
  application is taken as abandoned.

A site whose tariff is revised points OPENGOV_CMS_REQUESTS_FEE_TARIFF at a file (or a dict)
of the same form; the code does not change.
"""

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from opengov_cms.conf import opengov_settings

PER_ITEM = "per_item"
PER_PAGE = "per_page"
METHODS = (PER_ITEM, PER_PAGE)
DEFAULT_TARIFF = Path(__file__).parent / "data" / "fee_tariff.json"


class TariffError(ValueError):
    """The tariff data is not of the expected form; the message says where."""


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: open-ended
    price: int
    every: int = 0  # open-ended bands: the price rises by ``increase`` every ``every`` units
    increase: int = 0

    def price_of(self, n):
        if self.every:
            return self.price + self.increase * ((n - self.first) // self.every)
        return self.price

    def label(self, unit):
        if self.last is None:
            return f"{self.first}{unit}以上"
        return f"{self.first}—{self.last}{unit}"


@dataclass(frozen=True)
class Method:
    code: str
    label: str
    article: str
    unit: str
    counting: str
    bands: tuple


@dataclass(frozen=True)
class Tariff:
    source: str
    legal_basis: str
    methods_rule: str
    methods: dict
    payment_working_days: int
    payment_rule: str

    def method(self, code):
        try:
            return self.methods[code]
        except KeyError:
            raise ValueError(f"unknown fee method {code!r}") from None


def _parse(data, origin):
    def need(mapping, key, kind, where):
        if not isinstance(mapping, dict) or key not in mapping:
            raise TariffError(f"{origin}: {where} lacks {key!r}")
        value = mapping[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
            raise TariffError(f"{origin}: {where}.{key} must be {kind.__name__}")
        return value

    methods = {}
    for code in METHODS:
        spec = need(data, code, dict, "the tariff")
        bands, expected_first = [], 1
        for index, raw in enumerate(need(spec, "bands", list, code)):
            where = f"{code}.bands[{index}]"
            first = need(raw, "from", int, where)
            last = raw.get("to")
            if first != expected_first:
                raise TariffError(f"{origin}: {where} starts at {first}, not {expected_first}")
            if last is not None and (not isinstance(last, int) or last < first):
                raise TariffError(f"{origin}: {where}.to must be a number from {first} on")
            band = Band(
                first,
                last,
                need(raw, "price", int, where),
                raw.get("every", 0),
                raw.get("increase", 0),
            )
            if band.price < 0 or band.every < 0 or band.increase < 0:
                raise TariffError(f"{origin}: {where} has a negative number")
            bands.append(band)
            if last is None:
                if index != len(spec["bands"]) - 1:
                    raise TariffError(f"{origin}: {where} is open-ended but not the last band")
                break
            expected_first = last + 1
        if not bands or bands[-1].last is not None:
            raise TariffError(f"{origin}: the last band of {code} must be open-ended (no 'to')")
        methods[code] = Method(
            code,
            need(spec, "label", str, code),
            need(spec, "article", str, code),
            need(spec, "unit", str, code),
            need(spec, "counting", str, code),
            tuple(bands),
        )
    payment = need(data, "payment", dict, "the tariff")
    return Tariff(
        source=need(data, "source", str, "the tariff"),
        legal_basis=need(data, "legal_basis", str, "the tariff"),
        methods_rule=need(data, "methods_rule", str, "the tariff"),
        methods=methods,
        payment_working_days=need(payment, "working_days", int, "payment"),
        payment_rule=need(payment, "rule", str, "payment"),
    )


@functools.cache
def _load_file(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TariffError(f"{path}: {exc}") from exc
    return _parse(data, str(path))


def tariff():
    """The tariff in force: OPENGOV_CMS_REQUESTS_FEE_TARIFF (a path or a dict), or 109号."""
    configured = opengov_settings.REQUESTS_FEE_TARIFF
    if configured is None:
        return _load_file(str(DEFAULT_TARIFF))
    if isinstance(configured, dict):
        return _parse(configured, "OPENGOV_CMS_REQUESTS_FEE_TARIFF")
    return _load_file(str(configured))


@dataclass(frozen=True)
class Line:
    """One band of a fee: which units fell in it, at what price."""

    first: int
    last: int
    price: int
    unit: str

    @property
    def count(self):
        return self.last - self.first + 1

    @property
    def amount(self):
        return self.count * self.price

    def __str__(self):
        span = (
            f"第{self.first}{self.unit}"
            if self.first == self.last
            else (f"第{self.first}—{self.last}{self.unit}")
        )
        return f"{span}：{self.count}{self.unit}×{self.price}元＝{self.amount}元"


def breakdown(method, quantity, already_this_month=0, *, using=None):
    """The charged units of an application, band by band (free units left out).

    PER_ITEM: ``quantity`` is the number of 件 this application counts for (usually 1; more
    where it is split under 第四条's 一事一申请) and ``already_this_month`` how many the
    applicant made before it this natural month. PER_PAGE: ``quantity`` is the number of
    pages provided, and ``already_this_month`` must be 0.
    """
    if quantity < 0 or already_this_month < 0:
        raise ValueError("quantities cannot be negative")
    spec = (using or tariff()).method(method)
    if method == PER_PAGE and already_this_month:
        raise ValueError("pages are counted per application")
    first, last = already_this_month + 1, already_this_month + quantity
    lines = []
    for band in spec.bands:
        low = max(first, band.first)
        high = last if band.last is None else min(last, band.last)
        n = low
        while n <= high:
            # Within an open-ended band the price changes every ``every`` units.
            if band.every:
                step_end = band.first + ((n - band.first) // band.every + 1) * band.every - 1
                end = min(high, step_end)
            else:
                end = high
            price = band.price_of(n)
            if price:
                lines.append(Line(n, end, price, spec.unit))
            n = end + 1
    return lines


def fee(method, quantity, already_this_month=0, *, using=None):
    """The fee in yuan for an application (a Decimal)."""
    return Decimal(
        sum(line.amount for line in breakdown(method, quantity, already_this_month, using=using))
    )
