"""The one number formatter: every number kn shows as text (terminal tables, explanations,
notes, text in workbooks) is written here, in the language its caller names; there is no
default.

Languages (``lang``):

* ``"sv"``: ``1 234 567,50`` with no-break spaces, a decimal comma and the minus sign U+2212;
* ``"en"``: ``1,234,567.50`` with commas and a decimal point (babel's en_GB data);
* ``"plain"``: ``1 234 567.50`` with ordinary spaces, a decimal point and ``-``: the
  English one-line error messages, which people copy into mail and search in logs.

Amounts are rounded half up (away from zero) to the decimals asked for; with ``places=None``
a Decimal keeps the decimals it carries. The symbols of sv and en come from babel's locale
data (imported on first use, so ``kn --help`` never pays for it); the digits are grouped by
Python's formatting, as the locales' pattern ``#,##0`` groups them (a test compares the two).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from koordination.core.money import to_decimal
from koordination.render.labels import Lang

NBSP = "\u00a0"

Style = Lang | Literal["plain"]
Sign = Literal["negative", "nonzero", "always"]
"""When a sign is shown: ``negative`` only a minus; ``nonzero`` also ``+`` before a positive
number; ``always`` also ``+0``."""

LOCALES: dict[str, str] = {"sv": "sv_SE", "en": "en_GB"}


@functools.cache
def _symbols(lang: Lang) -> tuple[dict[int, str], str]:
    """The digit grouping and decimal symbols of ``lang``'s locale (babel's data, imported on
    first use: ``kn --help`` never pays for it), as a table from Python's ``,`` and ``.``,
    and the locale's minus sign."""
    import babel.numbers
    from babel import Locale

    locale = Locale.parse(LOCALES[lang])
    group = babel.numbers.get_group_symbol(locale)
    decimal = babel.numbers.get_decimal_symbol(locale)
    return str.maketrans({",": group, ".": decimal}), babel.numbers.get_minus_sign_symbol(locale)


def _places_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def number_text(value: Decimal | Fraction | int, places: int | None, lang: Style,
                sign: Sign = "negative") -> str:
    """``value`` with ``places`` decimals (None: a Decimal's own, a Fraction's two) in
    ``lang``: ``-1234567.5`` -> ``−1 234 567,50`` (sv), ``-1,234,567.50`` (en) or
    ``-1 234 567.50`` (plain)."""
    if isinstance(value, Fraction):
        amount = to_decimal(value, 2 if places is None else places)
    else:
        amount = Decimal(value)
    if places is None:
        places = _places_of(amount)
    amount = to_decimal(Fraction(amount), places)  # the one rounding (core.money)
    # groups of three digits (the pattern #,##0 of both locales), then the locale's symbols
    text = f"{abs(amount):,.{places}f}"
    if lang == "plain":
        text = text.replace(",", " ")
        minus = "-"
    else:
        table, minus = _symbols(lang)
        text = text.translate(table)
    if amount < 0:
        return minus + text
    if (sign == "nonzero" and amount > 0) or sign == "always":
        return "+" + text
    return text


def kr(value: Decimal | Fraction | int, unit: Decimal | None, lang: Style,
       suffix: bool = True, sign: Sign = "negative", places: int | None = None) -> str:
    """An amount in kronor: ``1234567`` -> ``1 234 567 kr`` (sv) or ``1,234,567 kr`` (en);
    öre shown when ``unit`` is below one krona, a Decimal's own decimals when ``unit`` is
    None, or ``places`` decimals when given (exact amounts). The space before ``kr`` is a
    no-break space, an ordinary one in ``plain``."""
    if places is None and unit is not None:
        places = 0 if unit >= 1 else 2
    text = number_text(value, places, lang, sign)
    if not suffix:
        return text
    return text + (" " if lang == "plain" else NBSP) + "kr"


def integer(value: int, lang: Style, sign: Sign = "negative") -> str:
    """A count or a population: ``683183`` -> ``683 183`` (sv) or ``683,183`` (en)."""
    return number_text(value, 0, lang, sign)


def percent(value: Decimal | Fraction, lang: Style, places: int | None = 2,
            sign: Sign = "negative") -> str:
    """A percentage already times 100: ``4.73`` -> ``4,73 %`` (sv) or ``4.73 %`` (en);
    ``places=None``: as many decimals as a Decimal carries (an index as written, 2,7 %)."""
    return number_text(value, places, lang, sign) + NBSP + "%"
