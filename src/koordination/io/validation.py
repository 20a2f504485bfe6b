"""Turning pydantic validation errors into kn's one-line problems."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from koordination.core.dates import in_range, parse_date
from koordination.core.errors import Problem
from koordination.core.money import parse_amount
from koordination.core.municipalities import plain_text


class Strict(BaseModel):
    """A section of a kn file: every key known, nothing changed after reading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _number(**options: Any) -> BeforeValidator:
    def parse(value: Any) -> Decimal:
        try:
            return parse_amount(value, **options)
        except (ValueError, TypeError) as err:
            raise ValueError(str(err)) from None
    return BeforeValidator(parse)


#: A number read from a file (a percentage, a quantity): exact Decimal, never via float
#: arithmetic, read as reference section 2 says (ambiguous text refused).
Amount = Annotated[Decimal, _number()]
#: An amount of money in kronor: like :data:`Amount`, with at most two decimals (öre).
Money = Annotated[Decimal, _number(places=2, what="the amount")]


def _day(value: Any) -> date:
    """A date as a person writes it in a kn file: YYYY-MM-DD (YAML reads it as a date; a
    spreadsheet date cell is one). A number, a time of day or any other form is refused."""
    if isinstance(value, datetime):
        if value.time() != time(0) or value.tzinfo is not None:
            raise ValueError(f"{value.isoformat(' ')} has a time of day; expected a date "
                             "written YYYY-MM-DD")
        return in_range(value.date())
    if isinstance(value, date):
        return in_range(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        return parse_date(value)
    shown = value if isinstance(value, (str, int, Decimal)) else type(value).__name__
    raise ValueError(f"expected a date written YYYY-MM-DD (got {str(shown)[:40]!r})")


#: A date in a kn file: YYYY-MM-DD only (never a number of seconds or days).
Day = Annotated[date, BeforeValidator(_day)]


def _name(value: Any) -> Any:
    """A name from a file, as a person reads it (``plain_text``); other values are left for
    the field's own check."""
    return plain_text(value) if isinstance(value, str) else value


#: A name (of a line, a funding source, the cooperation): normalised, no invisible characters.
Name = Annotated[str, BeforeValidator(_name), Field(min_length=1)]


def _year(value: Any) -> int:
    """A fee year: a whole number 1971-2100; ``"2016"`` written as text is read as 2016 (and
    then checked against the file's name like any year)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a year such as 2015")
    if not 1971 <= value <= 2100:
        raise ValueError(f"{value} is not a fee year kn handles (1971-2100)")
    return value


Year = Annotated[int, BeforeValidator(_year)]


def found(value: Any) -> str:
    """What a value from a file is, in the user's words: ``the text 'x'``, ``a list``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {str(value)[:40]}"
    if isinstance(value, datetime):
        return f"the time {value.isoformat(' ')}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return "something else"


#: What pydantic's error types mean in the user's words, each followed by what was found
#: (``{0}``: the error's limit or the words accepted). Only the types kn's models can raise.
_EXPECTED = {
    **dict.fromkeys(("model_type", "dict_type"), "expected keys and values (KEY: value)"),
    "list_type": "expected a list (one entry per line, each starting with '- ')",
    "string_type": "expected text",
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "expected a whole number"),
    "int_parsing_size": "expected a whole number of reasonable size",
    "literal_error": "must be {0}",
    "greater_than_equal": "must be at least {0}",
    "less_than_equal": "must be at most {0}",
}
#: The errors whose wording does not depend on what was found.
_FIXED = {
    "missing": "required but missing",
    "extra_forbidden": "unknown key; check the spelling against the file format in the README",
    "string_too_short": "must not be empty",
}


def _message(error: Any) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind in _FIXED:
        return _FIXED[kind]
    if kind in _EXPECTED:
        context = error.get("ctx") or {}
        expected = _EXPECTED[kind].format(next(iter(context.values()), ""))
        return f"{expected}, found {found(given)}"
    if kind == "too_short":
        return "needs at least one entry" if isinstance(given, list) else "must not be empty"
    if kind != "value_error":  # wording kn has not put in the user's terms: keep it plain
        return f"not accepted here ({found(given)})"
    msg = str(error["msg"]).removeprefix("Value error, ")
    if isinstance(given, (str, int, float)) and not isinstance(given, bool) \
            and "'" not in msg and str(given) not in msg:
        msg = f"{msg} (got {str(given)[:40]!r})"
    return msg[0].lower() + msg[1:] if msg else msg


#: Parts of pydantic's error location that name a branch of a union ("str", "int",
#: "MemberEntry", "literal['a','b']") rather than a key of the file.
_BRANCH = re.compile(r"^(str|int|float|bool|date|datetime|decimal|none|list\[.*\]|"
                     r"dict\[.*\]|literal\[.*\]|[A-Z]\w*|function-.*)$")


def problems_from(err: ValidationError, file: str) -> list[Problem]:
    """One problem per pydantic error, located by key path and worded in the user's terms
    (one per place: the branches of a union make one line, not one each)."""
    problems = []
    places: set[str] = set()
    for error in err.errors():
        where = ""  # ("members", 3, "kommun") -> members[3].kommun
        for part in error["loc"]:
            if isinstance(part, int):
                where += f"[{part}]"
            elif not _BRANCH.match(part):
                where += f".{part}" if where else part
        if where in places:
            continue
        places.add(where)
        problems.append(Problem(_message(error), file, where or None))
    return problems


def split_decimals(data: Any, file: str, where: str = "") -> list[Problem]:
    """Find Swedish decimal commas inside YAML flow mappings and take them out of ``data``.

    ``{amount: 100, overhead_percent: 38,46}`` reads as ``overhead_percent: 38`` plus a key
    ``46`` with no value: the comma separates entries inside ``{...}``. Each such pair becomes
    one problem saying what to write (38.46), and the stray key is removed so that the other
    checks report only what is really wrong."""
    problems: list[Problem] = []
    if isinstance(data, dict):
        previous: tuple[Any, Any] | None = None
        for key in list(data):
            value = data[key]
            if (isinstance(key, int) and not isinstance(key, bool) and value is None
                    and previous is not None and isinstance(previous[1], int)
                    and not isinstance(previous[1], bool) and 0 <= key < 1000):
                name, whole = previous
                at = f"{where}.{name}" if where else str(name)
                problems.append(Problem(
                    f"{whole},{key} reads as two values: inside {{...}} a comma separates "
                    f"entries; write {whole}.{key} (a decimal point)", file, at))
                del data[key]
                previous = None
                continue
            problems += split_decimals(value, file, f"{where}.{key}" if where else str(key))
            previous = (key, value)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            problems += split_decimals(item, file, f"{where}[{i}]")
    return problems


def year_problem(year: object, file_year: int, file: str) -> Problem:
    """The year a budget or actuals file says is not the year of its name."""
    return Problem(f"year is {year} but the file is for {file_year}; make them agree", file,
                   "year")
