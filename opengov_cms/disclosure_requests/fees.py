"""Information processing fees (信息处理费) for excessive applications, under the
《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号).

Either method may be used for one application, not both:
- per item (按件计收): counting the applicant's applications in one calendar month, the
  first 10 are free, the 11th–30th cost 50 yuan each, the 31st–40th 100 yuan each, and each
  further block of 10 costs 50 yuan more per item than the one before, at most 1,000 yuan;
- per page (按量计收): within one application, the first 100 pages are free, pages 101–200
  cost 10 yuan each, 201–500 cost 20 yuan each, 501–1,000 cost 30 yuan each, and each
  further block of 500 pages costs 10 yuan more per page than the one before.
"""

from decimal import Decimal

PER_ITEM = "per_item"
PER_PAGE = "per_page"
ITEM_PRICE_CAP = 1000


def item_price(n):
    """The fee for the n-th application of the month (the first is n=1)."""
    if n <= 10:
        return 0
    if n <= 30:
        return 50
    return min(100 + 50 * ((n - 31) // 10), ITEM_PRICE_CAP)


def page_price(n):
    """The fee for the n-th page of an application."""
    if n <= 100:
        return 0
    if n <= 200:
        return 10
    if n <= 500:
        return 20
    return 30 + 10 * ((n - 501) // 500)


def _tiers(price, first, last):
    """Sum price(n) for n in first..last, a block of equal prices at a time."""
    total, n = 0, first
    while n <= last:
        p = price(n)
        end = n
        # Prices change only at block edges; find the end of this block by doubling.
        step = 1
        while end + step <= last and price(end + step) == p:
            end += step
            step *= 2
        while step > 1:
            step //= 2
            if end + step <= last and price(end + step) == p:
                end += step
        total += p * (end - n + 1)
        n = end + 1
    return total


def fee(method, quantity, already_this_month=0):
    """The fee in yuan for an application.

    ``method`` PER_ITEM: ``quantity`` is the number of applications being charged (this
    one, usually 1) and ``already_this_month`` how many the applicant made before it this
    calendar month. PER_PAGE: ``quantity`` is the number of pages provided.
    """
    if quantity < 0 or already_this_month < 0:
        raise ValueError("quantities cannot be negative")
    if method == PER_ITEM:
        first = already_this_month + 1
        return Decimal(_tiers(item_price, first, already_this_month + quantity))
    if method == PER_PAGE:
        return Decimal(_tiers(page_price, 1, quantity))
    raise ValueError(f"unknown fee method {method!r}")
