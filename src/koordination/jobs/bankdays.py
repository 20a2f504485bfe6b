"""Swedish bank days, for due dates: a day that is not a Saturday or Sunday, not a public
holiday (allmän helgdag) and not midsummer eve, christmas eve or new year's eve, on which the
banks are closed as well. The holidays come from the ``holidays`` package (its Swedish
public and de facto holidays), so no year's dates are written into kn."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _closed(year: int) -> frozenset[date]:
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"),
                                     include_sundays=False)
    return frozenset(days)


def is_bank_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed(day.year)


def next_bank_day(day: date) -> date:
    """``day`` when it is a bank day, else the first bank day after it: Saturday
    2015-06-20 (midsummer day) -> Monday 2015-06-22."""
    while not is_bank_day(day):
        day += timedelta(days=1)
    return day


def due_date(invoice_date: date, terms_days: int) -> date:
    """The invoice date plus the terms, moved to the next bank day."""
    return next_bank_day(invoice_date + timedelta(days=terms_days))
