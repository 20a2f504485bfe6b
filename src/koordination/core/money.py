"""Money: how amounts are made, rounded and apportioned.

Amounts enter kn as :class:`~decimal.Decimal` (built only through :func:`D`, never from a float)
and all arithmetic on them is exact with :class:`~fractions.Fraction`. Only the final,
rounded amounts are turned back into ``Decimal``.

Rules (reference section 3):

* "half up" is half away from zero (:func:`round_half_up`);
* :func:`apportion` shares a rounded total by the largest-remainder method: every exact amount
  is cut toward zero to a multiple of the unit, and the units left over go one each to the
  largest remainders; ties are broken by the caller's tie key (kn: larger population, then
  lower SCB code). A negative total is apportioned as the mirror image of its positive.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

ZERO = Fraction(0)
HUNDRED = Fraction(100)
#: The rounding units a network may choose, in kronor.
ROUNDING_UNITS = (Decimal("0.01"), Decimal("1"), Decimal("10"), Decimal("100"), Decimal("1000"))


def D(value: str | int | Decimal) -> Decimal:
    """Make a Decimal from text, an int or a Decimal. A float is refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"money must not be made from {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        return value
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def parse_amount(value: Any) -> Decimal:
    """An amount from a parsed file (YAML int, text, or a float's *shortest* text form).

    YAML and Excel hand numbers like ``38.46`` to Python as floats. We convert them through
    their shortest decimal representation (``repr``), which is exactly what the user wrote,
    and never compute with the float itself.
    """
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "")
        if value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
    if isinstance(value, (int, str, Decimal)):
        return D(value)
    raise ValueError(f"expected a number, got {type(value).__name__}")


def frac(value: Decimal | int) -> Fraction:
    """The exact rational value of a Decimal or int."""
    return Fraction(value)


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, as a Decimal."""
    value = value if isinstance(value, Fraction) else Fraction(value)
    whole, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def unit_decimal(value: Fraction, unit: Decimal) -> Decimal:
    """An amount that is already a multiple of ``unit``, as a Decimal with the unit's scale."""
    places = max(0, -unit.as_tuple().exponent)  # type: ignore[operator]
    return to_decimal(value, places)


def round_half_up(value: Fraction, unit: Fraction | Decimal = Fraction(1)) -> Fraction:
    """Round ``value`` to a multiple of ``unit``, halves away from zero."""
    unit = Fraction(unit)
    if value < 0:
        return -round_half_up(-value, unit)
    quotient = value / unit
    whole = quotient.numerator // quotient.denominator
    if quotient - whole >= Fraction(1, 2):
        whole += 1
    return whole * unit


def truncate(value: Fraction, unit: Fraction) -> Fraction:
    """Cut ``value`` toward zero to a multiple of ``unit``."""
    if value < 0:
        return -truncate(-value, unit)
    quotient = value / unit
    return (quotient.numerator // quotient.denominator) * unit


def apportion(
    total: Fraction,
    exact: Sequence[Fraction],
    unit: Fraction | Decimal,
    tie_keys: Sequence[Hashable] | None = None,
) -> list[Fraction]:
    """Round ``exact`` amounts to multiples of ``unit`` so that they sum exactly to ``total``.

    ``total`` must be a multiple of ``unit`` and equal to ``sum(exact)`` up to less than one
    unit per amount. Each amount is cut toward zero; the units left over go one each to the
    largest remainders; among equal remainders the smaller ``tie_keys`` entry wins (the caller
    passes ``(-population, code)``). Each result is within one unit of its exact value.
    A negative total is the mirror image of its positive.
    """
    unit = Fraction(unit)
    if unit <= 0:
        raise ValueError("the rounding unit must be positive")
    if (total / unit).denominator != 1:
        raise ValueError(f"total {total} is not a multiple of the unit {unit}")
    if total < 0:
        return [-a for a in apportion(-total, [-e for e in exact], unit, tie_keys)]
    keys: Sequence[Hashable] = tie_keys if tie_keys is not None else list(range(len(exact)))
    if len(keys) != len(exact):
        raise ValueError("one tie key per amount is needed")
    # Every amount in units, over one common denominator: integers from here on.
    values = [Fraction(e) / unit for e in exact]
    common = math.lcm(*(v.denominator for v in values)) if values else 1
    scaled = [v.numerator * (common // v.denominator) for v in values]
    units = _apportion_units(scaled, common, int(total / unit), keys)
    return [n * unit for n in units]


def _apportion_units(
    scaled: Sequence[int], common: int, total: int, keys: Sequence[Hashable]
) -> list[int]:
    """Largest remainder on integers: amount ``i`` is ``scaled[i] / common`` units; the result
    is whole units summing to ``total`` (each amount cut toward zero, the units left over to
    the largest remainders, ties to the smaller key)."""
    base = [s // common if s >= 0 else -(-s // common) for s in scaled]
    left = total - sum(base)
    if left < 0 or left > len(scaled):
        raise ValueError("the exact amounts do not add up to the total")
    remainders = [s - b * common for s, b in zip(scaled, base, strict=True)]
    order = sorted(range(len(scaled)), key=lambda i: (-remainders[i], keys[i]))
    for i in order[:left]:
        base[i] += 1
    return base


def percentages(
    exact: Sequence[Fraction], tie_keys: Sequence[Hashable] | None = None
) -> list[Decimal]:
    """Each amount's share of their sum in percent, two decimals, summing to exactly 100.00."""
    if not exact:
        return []
    common = math.lcm(*(Fraction(e).denominator for e in exact))
    amounts = [e.numerator * (common // e.denominator) for e in map(Fraction, exact)]
    total = sum(amounts)
    if total == 0:
        return [Decimal("0.00") for _ in exact]
    if total < 0:
        total, amounts = -total, [-a for a in amounts]
    keys: Sequence[Hashable] = tie_keys if tie_keys is not None else list(range(len(exact)))
    if len(keys) != len(exact):
        raise ValueError("one tie key per amount is needed")
    # share in hundredths of a percent: 10000 × amount / total
    hundredths = _apportion_units([10000 * a for a in amounts], total, 10000, keys)
    return [Decimal(h).scaleb(-2) for h in hundredths]


def plain_money(value: Decimal, unit: Decimal) -> int | str:
    """An amount as a JSON value: an integer for whole-krona networks, a two-decimal string
    for öre (``"42780.59"``)."""
    if unit >= 1:
        return int(value)
    return f"{value.quantize(Decimal('0.01'))}"
