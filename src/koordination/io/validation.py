"""Turning pydantic validation errors into kn's one-line problems."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError

from koordination.core.errors import Problem
from koordination.core.money import parse_amount


def _amount(value: Any) -> Decimal:
    try:
        return parse_amount(value)
    except (ValueError, TypeError) as err:
        raise ValueError(str(err)) from None


#: A money amount or percentage read from a file: exact Decimal, never via float arithmetic.
Amount = Annotated[Decimal, BeforeValidator(_amount)]


def location(loc: Iterable[int | str]) -> str:
    """``("members", 3, "kommun")`` -> ``members[3].kommun``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required but missing"
    if kind == "extra_forbidden":
        return "unknown key; check the spelling against the file format in the README"
    msg = str(error["msg"])
    msg = msg.removeprefix("Value error, ")
    given = error.get("input")
    if (
        kind not in ("model_type", "dict_type")
        and isinstance(given, (str, int, float))
        and repr(given) not in msg
    ):
        msg = f"{msg} (got {given!r})"
    return msg[0].lower() + msg[1:] if msg else msg


def problems_from(err: ValidationError, file: str, prefix: str = "") -> list[Problem]:
    """One problem per pydantic error, located by key path."""
    problems = []
    for error in err.errors():
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        where = location(loc)
        if prefix:
            where = f"{prefix}{'.' if where and not where.startswith('[') else ''}{where}"
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
