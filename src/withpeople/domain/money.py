"""Money for recognition: parsing pounds and pence, the payment rule for time given, totals.

Plain Python with no Django. Money is always a `Decimal` with two decimal places (pence); a
float never touches an amount, so totals are exact and a finance export adds up to the penny.

The payment rule for time given (one time record: one person's time on one occasion):

* **Up to 3 hours**: the hourly rate for every half hour started, that is the hours rounded
  *up* to the next half hour (40 minutes is paid as 1 hour, 1 hour 10 minutes as 1.5 hours).
* **More than 3 hours, up to 5 hours**: the half-day rate.
* **More than 5 hours**: the day rate.

A band whose rate the organisation has not set falls back to the next lower band (no day rate:
the half-day rate; no half-day rate either: the hourly rule for any length of time). The amount
never goes down as time goes up: a longer band pays at least 3 hours at the hourly rate and at
least the lower band's rate. The rates are the organisation's own (its recognition policy);
none is hard-coded here.

Vouchers: a value per hour (hours rounded up to the half hour, as above) or a value per session
(one time record is one session).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
#: Longest time in one record: a day.
MAX_MINUTES = 24 * 60
HOURLY_BAND_MAX_MINUTES = 3 * 60
HALF_DAY_BAND_MAX_MINUTES = 5 * 60
#: The largest amount a DecimalField(max_digits=10, decimal_places=2) can hold.
MAX_AMOUNT = Decimal("99999999.99")

_AMOUNT = re.compile(r"^(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<pence>\d*))?$")


class MoneyError(ValueError):
    """An amount that cannot be accepted. `code` says why, for a precise error message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# The reasons an amount is refused.
EMPTY = "empty"
INVALID = "invalid"
TOO_MANY_PENCE = "too_many_pence"
NOT_POSITIVE = "not_positive"
TOO_LARGE = "too_large"


def parse_pounds(text: str) -> Decimal:
    """Read an amount people type: "£12.50", "12.5", "12", "1,250.00", " £ 7 ".

    Returns a Decimal with exactly two decimal places. Refuses (MoneyError) an empty value,
    anything that is not a number of pounds and pence, more than two digits of pence, zero or
    a negative amount, and amounts too large to store.
    """
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        raise MoneyError(EMPTY)
    if cleaned.startswith("-") or cleaned.startswith("£-") or cleaned.startswith("-£"):
        raise MoneyError(NOT_POSITIVE)
    cleaned = cleaned.removeprefix("£")
    match = _AMOUNT.match(cleaned)
    if not match or (match["pounds"] is None and not match["pence"]):
        raise MoneyError(INVALID)
    pence = match["pence"] or ""
    if len(pence) > 2:
        raise MoneyError(TOO_MANY_PENCE)
    pounds = (match["pounds"] or "0").replace(",", "")
    try:
        amount = Decimal(f"{pounds}.{pence or '0'}").quantize(PENNY)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise MoneyError(INVALID) from None
    if amount <= ZERO:
        raise MoneyError(NOT_POSITIVE)
    if amount > MAX_AMOUNT:
        raise MoneyError(TOO_LARGE)
    return amount


def as_money(value: Decimal | int | str) -> Decimal:
    """A Decimal rounded to the penny (half up). Refuses floats: they are not exact."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal, an int or a string.")
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_pounds(amount: Decimal) -> str:
    """£1,234.50"""
    return f"£{as_money(amount):,.2f}"


def hours_rounded_up_to_half_hour(minutes: int) -> Decimal:
    """Minutes as hours, rounded up to the next half hour: 1 -> 0.5, 30 -> 0.5, 31 -> 1.0."""
    if minutes < 0:
        raise ValueError("Minutes cannot be negative.")
    half_hours = -(-minutes // 30)  # ceiling division, in whole numbers
    return Decimal(half_hours) / Decimal(2)


def payment_for_minutes(
    minutes: int,
    *,
    hourly: Decimal,
    half_day: Decimal | None = None,
    day: Decimal | None = None,
) -> Decimal:
    """The payment for one time record, by the rule in this module's docstring."""
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError(f"Minutes must be between 1 and {MAX_MINUTES}.")
    hourly_amount = as_money(as_money(hourly) * hours_rounded_up_to_half_hour(minutes))
    if minutes <= HOURLY_BAND_MAX_MINUTES:
        return hourly_amount
    floor = as_money(as_money(hourly) * hours_rounded_up_to_half_hour(HOURLY_BAND_MAX_MINUTES))
    if half_day is None and day is None:
        return hourly_amount
    if half_day is not None:
        half_day_amount = max(floor, as_money(half_day))
    else:
        # Only a day rate: the hourly rule carries on until the day band starts.
        half_day_amount = as_money(
            as_money(hourly)
            * hours_rounded_up_to_half_hour(min(minutes, HALF_DAY_BAND_MAX_MINUTES))
        )
    if minutes <= HALF_DAY_BAND_MAX_MINUTES or day is None:
        return half_day_amount
    return max(half_day_amount, as_money(day))


def voucher_value_for_minutes(
    minutes: int, *, per_hour: Decimal | None = None, per_session: Decimal | None = None
) -> Decimal:
    """Vouchers for one time record: per hour (rounded up to the half hour) or per session."""
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError(f"Minutes must be between 1 and {MAX_MINUTES}.")
    if per_hour is not None:
        return as_money(as_money(per_hour) * hours_rounded_up_to_half_hour(minutes))
    if per_session is not None:
        return as_money(per_session)
    return ZERO


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts, to the penny. Refuses floats."""
    result = ZERO
    for amount in amounts:
        if isinstance(amount, float):
            raise TypeError("Money is never a float: pass Decimals.")
        result += amount
    return as_money(result)


def totals_by(rows: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Exact totals per key, keys in the order first seen."""
    totals: dict[str, Decimal] = {}
    for key, amount in rows:
        totals[key] = total([totals.get(key, ZERO), amount])
    return totals


def within_limit(amount: Decimal, limit: Decimal | None) -> bool:
    """True when an amount is within a per-claim limit (no limit: always)."""
    return limit is None or amount <= limit


__all__ = [
    "MoneyError",
    "as_money",
    "format_pounds",
    "hours_rounded_up_to_half_hour",
    "parse_pounds",
    "payment_for_minutes",
    "total",
    "totals_by",
    "voucher_value_for_minutes",
    "within_limit",
]
