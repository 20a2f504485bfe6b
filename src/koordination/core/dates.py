"""The one date parser: every date kn accepts, on the command line and in files, is written
``YYYY-MM-DD``, is a day of the calendar, and lies in the years kn works with."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: The years a date may lie in: no cooperation's fee year lies outside them, and a due date
#: (a date plus the payment days) always exists.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_date(text: str) -> date:
    """``text`` as a date, or :class:`ValueError` in the user's words (what is wrong, how to
    write it)."""
    shown = str(text).strip()
    if not _ISO.fullmatch(shown):
        raise ValueError(f"{shown[:40]!r} is not a date; write it as YYYY-MM-DD")
    try:
        day = date.fromisoformat(shown)
    except ValueError:
        raise ValueError(f"{shown!r} is not a day of the calendar; write a date as "
                         "YYYY-MM-DD") from None
    return in_range(day)


def in_range(day: date) -> date:
    """``day``, unless it lies outside :data:`FIRST_YEAR` - :data:`LAST_YEAR`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the years kn works with; give a date "
                         f"from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
    return day


def not_after_today(day: date, today: date | None = None) -> str | None:
    """Why a snapshot's reference date cannot be ``day`` (it lies after today), else None."""
    today = today or date.today()
    if day > today:
        return (f"the reference date {day.isoformat()} is after today ({today.isoformat()}); "
                "figures are counted on a day that has passed: check --date or the file's year")
    return None
