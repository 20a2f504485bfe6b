"""Figures written as people write them, read exactly as a person reads them.

A figure is read from its text into an exact :class:`~decimal.Decimal`, never through a
float. Thousands may be grouped with spaces (also no-break or thin spaces), points or commas
(``1 234 567``, ``1.234.567``, ``1,234,567``); the decimal sign is a point or a comma
(``12,5``, ``1 234.5``, ``1.234,5``); the minus sign is ``-`` or U+2212.

Some texts have two readings: ``1,234`` is 1234 with a thousands comma or 1.234 with a
decimal comma. A person settles it from the other figures of the column, so kn does the
same: when another figure of the column shows which sign is the decimal sign (``12,5``,
``1.234,5``, ``1,234,567``), that reading is taken; in a column of whole numbers (persons)
a reading with decimals counts nothing, so ``50,323`` is 50323; when neither settles it
(``1,000`` persons may be 1 or 1000), or the column uses both signs as decimal signs, the
figure is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

#: A figure of more characters than this is no figure of a table of municipalities.
MAX_CHARS = 32
_GROUP_SPACES = re.compile("[ \u00a0\u202f\u2009\u2007]")
_GROUPED = re.compile(r"^\d{1,3}(?:X\d{3})+$")


@dataclass(frozen=True)
class Reading:
    """What one text says: a value, or two values for a sign that may be either, or why it
    is no figure. ``decimal_sign`` is the sign the text shows to be the decimal sign."""

    value: Decimal | None = None
    ambiguous: tuple[Decimal, Decimal] | None = None  # (sign as thousands, sign as decimal)
    sign: str | None = None  # the sign of an ambiguous reading
    decimal_sign: str | None = None
    problem: str | None = None


def _grouped(digits: str, separator: str) -> bool:
    """``digits`` (an integer part) is 1-3 digits then groups of three after ``separator``."""
    return bool(_GROUPED.match(digits.replace(separator, "X")))


@lru_cache(maxsize=1 << 16)
def read_figure(text: str, machine: bool = False) -> Reading:
    """Read one figure's text. ``machine``: the text is a number a workbook stored (its point
    is a decimal point)."""
    if len(text) > MAX_CHARS:
        return Reading(problem="has too many digits for a figure of a municipality")
    if machine:
        try:
            value = Decimal(text)
        except InvalidOperation:
            return Reading(problem="is not a number")
        return Reading(value=value) if value.is_finite() else Reading(problem="is not a number")
    body = text.replace("\u2212", "-")
    negative = body.startswith("-")
    if negative:
        body = body[1:].lstrip()
    spaced = bool(_GROUP_SPACES.search(body))
    body = _GROUP_SPACES.sub(" ", body)
    if not re.fullmatch(r"\d(?:[\d., ]*\d)?", body):
        return Reading(problem="is not a number")
    points, commas = body.count("."), body.count(",")
    integer, fraction, decimal_sign = body, "", None
    if points and commas:
        decimal_sign = "." if body.rfind(".") > body.rfind(",") else ","
        thousands = "," if decimal_sign == "." else "."
        if body.count(decimal_sign) != 1:
            return Reading(problem="is not a number (both , and . used as thousands signs)")
        integer, fraction = body.split(decimal_sign)
        if not _grouped(integer.replace(" ", thousands), thousands):
            return Reading(problem="is not a number (its thousands are not groups of three)")
        integer = integer.replace(thousands, "").replace(" ", "")
    elif points + commas > 1:
        thousands = "." if points else ","
        if spaced or not _grouped(body, thousands):
            return Reading(problem="is not a number (its thousands are not groups of three)")
        decimal_sign = "," if thousands == "." else "."
        integer = body.replace(thousands, "")
    elif points + commas == 1:
        sign = "." if points else ","
        integer, fraction = body.split(sign)
        plain = integer.replace(" ", "")
        if spaced and not _grouped(integer, " "):
            return Reading(problem="is not a number (its thousands are not groups of three)")
        if spaced or len(fraction) != 3 or len(plain) > 3 or plain.startswith("0"):
            decimal_sign = sign
            integer = plain
        else:
            sign_value = -1 if negative else 1
            return Reading(ambiguous=(sign_value * Decimal(plain + fraction),
                                      sign_value * Decimal(f"{plain}.{fraction}")), sign=sign)
    else:
        if spaced and not _grouped(body, " "):
            return Reading(problem="is not a number (its thousands are not groups of three)")
        integer = body.replace(" ", "")
    if " " in integer or " " in fraction or not integer.isdigit() or \
            (fraction and not fraction.isdigit()):
        return Reading(problem="is not a number")
    value = Decimal(f"{integer}.{fraction}" if fraction else integer)
    return Reading(value=-value if negative else value, decimal_sign=decimal_sign)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a column: where it is and its text."""

    where: str
    text: str
    machine: bool = False


def read_column(figures: Sequence[Figure], whole: bool = False
                ) -> tuple[list[Decimal | None], list[tuple[str, str, bool]]]:
    """Read a column's figures together: the value of each (None where it is no figure), and
    the problems as (where, what is wrong, whether it is about the figure there) in order.
    ``whole``: the column counts persons or things, so ``50,323`` (which as a decimal,
    50.323, counts nothing) is 50323, while ``1,000`` (1 or 1000) stays ambiguous unless the
    column shows its decimal sign."""
    readings = [read_figure(f.text, f.machine) for f in figures]
    signs: dict[str, str] = {}
    for figure, reading in zip(figures, readings, strict=True):
        if reading.decimal_sign is not None:
            signs.setdefault(reading.decimal_sign, figure.where)
    problems: list[tuple[str, str, bool]] = []
    values: list[Decimal | None] = []
    mixed = len(signs) == 2
    if mixed:
        problems.append((signs[","], f"the figures are written with a decimal comma here but "
                                     f"with a decimal point on {signs['.']}; save the table "
                                     "with one decimal sign", False))
    for figure, reading in zip(figures, readings, strict=True):
        if reading.problem is not None:
            problems.append((figure.where, f"{figure.text[:40]!r} {reading.problem}", True))
            values.append(None)
        elif reading.ambiguous is not None:
            as_thousands, as_decimal = reading.ambiguous
            if not mixed and signs:
                values.append(as_decimal if reading.sign in signs else as_thousands)
            elif not mixed and whole and as_decimal != as_decimal.to_integral_value():
                values.append(as_thousands)
            else:
                values.append(None)
                if not mixed:
                    name = "comma" if reading.sign == "," else "point"
                    problems.append((figure.where, f"{figure.text!r} could be {as_thousands} "
                                                   f"or, with a decimal {name}, {as_decimal:f}; "
                                                   "write it without a thousands sign", True))
        else:
            values.append(reading.value)
    return values, problems

