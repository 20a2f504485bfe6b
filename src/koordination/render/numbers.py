"""Numbers and kronor as people read them: ``1 234 567 kr`` in Swedish, ``1,234,567 kr`` in
English, through babel's locale data (imported on first use, so ``kn --help`` never pays
for it)."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from koordination.render.labels import Lang

NBSP = "\u00a0"

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


def number_text(value: Decimal | int, places: int = 0, lang: Lang = "sv") -> str:
    """A number with the grouping of ``lang`` through babel: ``1234567`` -> ``1 234 567``
    (sv, no-break spaces, decimal comma, minus sign U+2212) or ``1,234,567`` (en)."""
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    numbers, locale, pattern, minus = _babel(lang, places)
    text: str = numbers.format_decimal(abs(amount), format=pattern, locale=locale,
                                       decimal_quantization=True)
    return minus + text if amount < 0 else text


def kr(value: Decimal | int, unit: Decimal = Decimal(1), suffix: bool = True,
       lang: Lang = "sv") -> str:
    """``1234567`` -> ``1 234 567 kr`` (sv) or ``1,234,567 kr`` (en); öre shown when the
    unit is below one krona."""
    text = number_text(value, 0 if unit >= 1 else 2, lang)
    return f"{text}{NBSP}kr" if suffix else text


def integer(value: int, lang: Lang = "sv") -> str:
    return number_text(value, 0, lang)


def percent(value: Decimal, lang: Lang) -> str:
    return number_text(value, 2, lang) + NBSP + "%"
