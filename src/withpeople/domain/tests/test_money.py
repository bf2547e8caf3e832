"""The money rules: parsing pounds and pence, the payment bands, exact totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain import money
from withpeople.domain.money import MoneyError, parse_pounds, payment_for_minutes

RATES = {"hourly": Decimal("15.00"), "half_day": Decimal("45.00"), "day": Decimal("85.00")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£12.50", "12.50"),
        ("12.5", "12.50"),
        ("12", "12.00"),
        (" £ 7 ", "7.00"),
        ("0.01", "0.01"),
        (".5", "0.50"),
        ("12.", "12.00"),
        ("1,250.00", "1250.00"),
        ("99999999.99", "99999999.99"),
    ],
)
def test_parse_pounds_accepts_what_people_type(text, expected):
    amount = parse_pounds(text)
    assert amount == Decimal(expected)
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", money.EMPTY),
        ("   ", money.EMPTY),
        ("12.555", money.TOO_MANY_PENCE),
        ("-5", money.NOT_POSITIVE),
        ("£-5.00", money.NOT_POSITIVE),
        ("-£5.00", money.NOT_POSITIVE),
        ("0", money.NOT_POSITIVE),
        ("0.00", money.NOT_POSITIVE),
        ("twelve", money.INVALID),
        ("12,50", money.INVALID),
        ("1e3", money.INVALID),
        ("£", money.INVALID),
        (".", money.INVALID),
        ("12.5.0", money.INVALID),
        ("NaN", money.INVALID),
        ("100000000.00", money.TOO_LARGE),
    ],
)
def test_parse_pounds_refuses_with_a_reason(text, code):
    with pytest.raises(MoneyError) as raised:
        parse_pounds(text)
    assert raised.value.code == code


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_parse_pounds_round_trips_every_amount_in_pence(pence):
    amount = Decimal(pence) / 100
    assert parse_pounds(f"{amount:.2f}") == amount
    assert parse_pounds(money.format_pounds(amount)) == amount


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(1, "0.5"), (30, "0.5"), (31, "1"), (60, "1"), (70, "1.5"), (180, "3")],
)
def test_hours_are_rounded_up_to_the_half_hour(minutes, hours):
    assert money.hours_rounded_up_to_half_hour(minutes) == Decimal(hours)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (40, "15.00"),  # rounded up to 1 hour
        (70, "22.50"),  # 1.5 hours
        (120, "30.00"),
        (180, "45.00"),  # 3 hours, still hourly
        (181, "45.00"),  # half day
        (300, "45.00"),  # 5 hours, half day
        (301, "85.00"),  # day
        (480, "85.00"),
    ],
)
def test_payment_bands(minutes, expected):
    assert payment_for_minutes(minutes, **RATES) == Decimal(expected)


def test_without_band_rates_the_hourly_rule_applies_to_any_length():
    assert payment_for_minutes(400, hourly=Decimal("10")) == Decimal("70.00")


def test_a_low_half_day_rate_never_pays_less_than_three_hours():
    assert payment_for_minutes(200, hourly=Decimal("20"), half_day=Decimal("30")) == Decimal(
        "60.00"
    )


@pytest.mark.parametrize("minutes", [0, -1, money.MAX_MINUTES + 1])
def test_payment_refuses_impossible_minutes(minutes):
    with pytest.raises(ValueError, match="Minutes"):
        payment_for_minutes(minutes, **RATES)


_rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)


@given(
    st.integers(min_value=1, max_value=money.MAX_MINUTES - 1),
    _rates,
    st.one_of(st.none(), _rates),
    st.one_of(st.none(), _rates),
)
def test_payment_never_goes_down_as_time_goes_up(minutes, hourly, half_day, day):
    now = payment_for_minutes(minutes, hourly=hourly, half_day=half_day, day=day)
    later = payment_for_minutes(minutes + 1, hourly=hourly, half_day=half_day, day=day)
    assert later >= now > 0
    assert now == now.quantize(money.PENNY)


def test_vouchers_per_hour_or_per_session():
    assert money.voucher_value_for_minutes(70, per_hour=Decimal("10")) == Decimal("15.00")
    assert money.voucher_value_for_minutes(70, per_session=Decimal("25")) == Decimal("25.00")
    assert money.voucher_value_for_minutes(70) == Decimal("0.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money.as_money(0.1)
    with pytest.raises(TypeError):
        money.total([Decimal("1"), 0.1])


@given(st.lists(st.integers(min_value=1, max_value=10_000_000), max_size=200))
def test_totals_are_exact_to_the_penny(pences):
    amounts = [Decimal(p) / 100 for p in pences]
    assert money.total(amounts) == Decimal(sum(pences)) / 100


@given(
    st.lists(
        st.tuples(st.sampled_from(["Ann", "Bo", "Cy"]), st.integers(min_value=1, max_value=10**6)),
        max_size=100,
    )
)
def test_totals_by_person_add_up_to_the_total(rows):
    decimal_rows = [(name, Decimal(p) / 100) for name, p in rows]
    per_person = money.totals_by(decimal_rows)
    assert money.total(per_person.values()) == money.total(a for _n, a in decimal_rows)


def test_within_limit():
    assert money.within_limit(Decimal("30.00"), Decimal("30.00"))
    assert not money.within_limit(Decimal("30.01"), Decimal("30.00"))
    assert money.within_limit(Decimal("1000"), None)


def test_format_pounds():
    assert money.format_pounds(Decimal("1234.5")) == "£1,234.50"
