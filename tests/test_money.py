"""Money: half-up rounding and largest-remainder apportionment (reference 3.3, 3.7, 3.8)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koordination.core.money import (
    D,
    apportion,
    parse_amount,
    percentages,
    round_half_up,
    to_decimal,
)


def test_round_half_up_is_half_away_from_zero() -> None:
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(-5, 2)) == -3
    assert round_half_up(Fraction(249, 100), Fraction(1, 10)) == Fraction(25, 10)
    assert round_half_up(Fraction(1500), Decimal(1000)) == 2000
    assert round_half_up(Fraction(1, 200), Decimal("0.01")) == Fraction(1, 100)


def test_money_is_never_made_from_a_float() -> None:
    with pytest.raises(TypeError):
        D(0.1)  # type: ignore[arg-type]
    assert parse_amount(38.46) == Decimal("38.46")
    assert parse_amount("1 500,50") == Decimal("1500.50")
    with pytest.raises(ValueError):
        parse_amount(True)


def test_spec_tie_example_gives_the_unit_to_the_lowest_code() -> None:
    exact = [Fraction(100, 3)] * 3
    keys = [(-1000, "0114"), (-1000, "0115"), (-1000, "0117")]
    assert apportion(Fraction(100), exact, 1, keys) == [34, 33, 33]
    assert apportion(Fraction(-100), [-e for e in exact], 1, keys) == [-34, -33, -33]


def test_ties_go_to_the_larger_population_first() -> None:
    exact = [Fraction(100, 3)] * 3
    keys = [(-10, "0114"), (-30, "0115"), (-20, "0117")]
    assert apportion(Fraction(100), exact, 1, keys) == [33, 34, 33]


def test_largest_remainders_get_the_units_left_over() -> None:
    exact = [Fraction("10.2"), Fraction("20.7"), Fraction("30.1"), Fraction("39.0")]
    assert apportion(Fraction(100), exact, 1) == [10, 21, 30, 39]


def test_apportion_to_tens_and_ore() -> None:
    assert apportion(Fraction(100), [Fraction(1001, 20), Fraction(999, 20)], 10) == [50, 50]
    assert apportion(Fraction(1), [Fraction(1, 3)] * 3, Decimal("0.01")) == [
        Fraction(34, 100),
        Fraction(33, 100),
        Fraction(33, 100),
    ]


def test_apportion_rejects_a_total_that_is_not_a_multiple_of_the_unit() -> None:
    with pytest.raises(ValueError):
        apportion(Fraction(101), [Fraction(101)], 10)


def test_percentages_sum_to_exactly_100() -> None:
    result = percentages([Fraction(1), Fraction(1), Fraction(1)])
    assert result == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(result) == Decimal("100.00")


def test_to_decimal_rounds_half_up() -> None:
    assert to_decimal(Fraction(42780594657, 1000000)) == Decimal("42780.59")
    assert to_decimal(Fraction(5, 1000)) == Decimal("0.01")


populations = st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=40)
units = st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(10), Decimal(100), Decimal(1000)])


@given(
    weights=populations,
    total_units=st.integers(min_value=-10**9, max_value=10**9),
    unit=units,
    seed=st.randoms(use_true_random=False),
)
def test_apportion_properties(
    weights: list[int], total_units: int, unit: Decimal, seed: object
) -> None:
    if sum(weights) == 0:
        weights = [w + 1 for w in weights]
    total = Fraction(total_units) * Fraction(unit)
    sigma = sum(weights)
    exact = [total * w / sigma for w in weights]
    keys = [(-w, f"{i:04d}") for i, w in enumerate(weights)]
    result = apportion(total, exact, unit, keys)
    # sums exactly to the total
    assert sum(result) == total
    # each within one unit of its exact value, and a multiple of the unit
    for r, e in zip(result, exact, strict=True):
        assert abs(r - e) < Fraction(unit)
        assert (r / Fraction(unit)).denominator == 1
    # independent of member order
    order = list(range(len(weights)))
    seed.shuffle(order)  # type: ignore[attr-defined]
    shuffled = apportion(total, [exact[i] for i in order], unit, [keys[i] for i in order])
    assert [shuffled[order.index(i)] for i in range(len(weights))] == result


@given(st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=50))
def test_percentages_property(weights: list[int]) -> None:
    result = percentages([Fraction(w) for w in weights])
    assert sum(result) == Decimal("100.00")
    sigma = sum(weights)
    for p, w in zip(result, weights, strict=True):
        assert abs(Fraction(p) - Fraction(w * 100, sigma)) < Fraction(1, 100)
