"""The one number formatter: every number kn shows as text (terminal tables, explanations,
notes, text in workbooks) is written here, in the language its caller names; there is no
default.

Languages (``lang``):

* ``"sv"``: ``1 234 567,50`` with no-break spaces, a decimal comma and the minus sign U+2212;
* ``"en"``: ``1,234,567.50`` with commas and a decimal point (babel's en_GB data);
* ``"plain"``: ``1 234 567.50`` with ordinary spaces, a decimal point and ``-``: the
  English one-line error messages, which people copy into mail and search in logs.

Amounts are rounded half up (away from zero) to the decimals asked for; with ``places=None``
a Decimal keeps the decimals it carries. babel is imported on first use, so ``kn --help``
never pays for it.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from koordination.core.money import to_decimal
from koordination.render.labels import Lang

NBSP = "\u00a0"

Style = Lang | Literal["plain"]
Sign = Literal["negative", "nonzero", "always"]
"""When a sign is shown: ``negative`` only a minus; ``nonzero`` also ``+`` before a positive
number; ``always`` also ``+0``."""

LOCALES: dict[str, str] = {"sv": "sv_SE", "en": "en_GB"}


@functools.cache
def _babel(lang: Lang, places: int) -> tuple[Any, Any, Any, str]:
    """babel.numbers (imported on first use: ``kn --help`` never pays for it), the locale of
    ``lang``, the parsed pattern for ``places`` decimals and the locale's minus sign; parsed
    once, not for every number of a table."""
    import babel.numbers
    from babel import Locale

    locale = Locale.parse(LOCALES[lang])
    pattern = babel.numbers.parse_pattern("#,##0" + ("." + "0" * places if places else ""))
    return babel.numbers, locale, pattern, babel.numbers.get_minus_sign_symbol(locale)


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
    if lang == "plain":
        text = f"{abs(amount):,.{places}f}".replace(",", " ")
        minus = "-"
    else:
        numbers, locale, pattern, minus = _babel(lang, places)
        text = numbers.format_decimal(abs(amount), format=pattern, locale=locale,
                                      decimal_quantization=True)
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
