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
import re
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


#: No municipality or cooperation has an amount this large (a thousand billion kronor):
#: larger numbers in a file are a slip (an extra digit group, a pasted account number).
MAX_AMOUNT = Decimal(10) ** 12
MAX_AMOUNT_TEXT = "1 000 000 000 000"
#: More decimals than this are never meant (a percentage or quantity with 10 decimals).
MAX_PLACES = 10
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+$")
_PLAIN = re.compile(r"^[0-9]{1,60}$")


def parse_amount(value: Any, places: int = MAX_PLACES, what: str = "number") -> Decimal:
    """An amount from a parsed file: a YAML int or exact Decimal, text, or a spreadsheet
    float's *shortest* text form (reference section 2, numbers in text).

    Text is read as a person reads it, or refused: ``905 000`` (spaces between groups of
    three) and ``1234,50`` (decimal comma) are read; ``905,000`` is refused as ambiguous
    (905 000 or 905.000?), as are ``1,234,567``, ``1.234,5``, exponents, ``1_000`` and
    ``1:30``. More than ``places`` decimals, or a value beyond :data:`MAX_AMOUNT`, is refused.
    YAML and Excel hand numbers like ``38.46`` to Python as floats: they are converted
    through their shortest decimal representation (``repr``), never computed with.
    """
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a number, got {value!r}")
        value = repr(value)
        if "e" in value or "E" in value:  # 1e+16 or 1e-07: far outside any amount
            value = format(Decimal(value), "f")
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT:
            raise ValueError(_too_large(what))
        return Decimal(value)
    if isinstance(value, Decimal):
        return _bounded(value, places, what, str(value))
    if not isinstance(value, str):
        raise ValueError(f"expected a number, got {_kind(value)}")
    return _bounded(_from_text(value), places, what, value.strip())


def _kind(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return type(value).__name__


def _too_large(what: str) -> str:
    return (f"{what} is larger than {MAX_AMOUNT_TEXT} (no cooperation has such an amount); "
            "check the digits")


def _bounded(value: Decimal, places: int, what: str, given: str) -> Decimal:
    if not value.is_finite():
        raise ValueError(f"expected a number, got {given!r}")
    if abs(value) > MAX_AMOUNT:
        raise ValueError(_too_large(what))
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > places:
        if places == 2:
            raise ValueError(f"{given!r} has {-exponent} decimals; an amount in kronor has at most "
                             "2 (öre); round it, or if the point separates thousands write the "
                             "number without it")
        raise ValueError(f"{given!r} has {-exponent} decimals; kn reads at most {places}")
    return value


def _from_text(text: str) -> Decimal:
    """The number a person reads in ``text``, or ValueError saying why it is not one."""
    given = text
    text = text.strip()
    sign = ""
    if text[:1] in ("-", "+", "\u2212"):
        sign = "-" if text[0] != "+" else ""
        text = text[1:].lstrip()
    if len(text) > 60:
        raise ValueError(f"{given[:20]!r}... is too long to be a number")
    whole, point, decimals = text, "", ""
    for mark in (",", "."):
        if mark in text:
            if point or text.count(mark) > 1:
                raise ValueError(
                    f"{given!r} uses separators between thousands; write the number without "
                    "them (905000) or with spaces (905 000), and a decimal comma or point at "
                    "most once")
            whole, point, decimals = text.partition(mark)
    if not whole and point:
        whole = "0"
    if _GROUPED.match(whole):
        whole = re.sub(r"[^0-9]", "", whole)
    elif not _PLAIN.match(whole):
        raise ValueError(f"{given!r} is not a number; write digits, e.g. 905000 or 1234,50")
    if point and not re.fullmatch(r"[0-9]{1,30}", decimals):
        raise ValueError(f"{given!r} is not a number; write digits, e.g. 905000 or 1234,50")
    if point == "," and len(decimals) == 3 and " " not in text and whole[0] != "0" \
            and len(whole) <= 3:
        raise ValueError(
            f"{given!r} is ambiguous: {whole} {decimals} or {whole}.{decimals}? write "
            f"{whole}{decimals} for thousands, or {whole}.{decimals} with a decimal point")
    return Decimal(f"{sign}{whole}{'.' + decimals if point else ''}")


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
    return f"{to_decimal(Fraction(value), 2)}"
