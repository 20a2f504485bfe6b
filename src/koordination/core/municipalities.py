"""The register of Sweden's 290 municipalities and tolerant, never-guessing name matching.

The register ships inside the package (``municipalities.csv``, from Statistics Sweden). Names
are matched after folding case, the suffix "kommun"/"stad" (with its genitive s), hyphens and
spaces: "Danderyds kommun", "Sundbybergs stad", "upplands-väsby" and "0184" all find their
municipality. Nothing else is forgiven: an unknown name raises :class:`UnknownMunicipality`
with the closest names as suggestions.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, order=True)
class Municipality:
    """A Swedish municipality. Attributes: ``code`` (4-digit SCB kommunkod), ``name``."""

    code: str
    name: str


class UnknownMunicipality(ValueError):
    """A name or code that matches no municipality; ``suggestions`` are the closest names."""

    def __init__(self, given: str, suggestions: list[str]) -> None:
        self.given = given
        self.suggestions = suggestions
        hint = f" (did you mean {' or '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown '{given}'{hint}")


_SUFFIX = re.compile(r"\s+(kommun|stad)$")


def plain_text(text: str) -> str:
    """A name as a person reads it: Unicode-normalised (a decomposed "Värmdö", "a" followed
    by a combining diaeresis, is "Värmdö"), without invisible characters (zero-width spaces
    and joiners, soft hyphens, byte-order marks, direction marks, control characters), every
    kind of space one space, trimmed (reference section 2, what kn reads)."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # no invisible or control character; its only space is " "
        return " ".join(text.split())
    text = re.sub(r"\s+", " ", text)
    return "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc")).strip()


def _fold(text: str) -> str:
    text = plain_text(text).lower().replace("-", " ")
    return re.sub(r"\s+", " ", text)


@cache
def register() -> dict[str, Municipality]:
    """All municipalities by SCB code."""
    text = resources.files("koordination.core").joinpath("municipalities.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {
        row["kommunkod"]: Municipality(row["kommunkod"], row["kommun"])
        for row in csv.DictReader(lines)
    }


@cache
def _by_folded_name() -> dict[str, Municipality]:
    return {_fold(m.name): m for m in register().values()}


def lookup(given: str | int) -> Municipality:
    """The municipality a name or SCB code denotes, or :class:`UnknownMunicipality`."""
    text = plain_text(str(given))
    reg = register()
    if text.isdigit():
        if len(text) == 4 and text in reg:
            return reg[text]
        raise UnknownMunicipality(text, [])
    names = _by_folded_name()
    folded = _fold(text)
    if folded in names:
        return names[folded]
    stripped = _SUFFIX.sub("", folded)
    if stripped != folded:
        for candidate in (stripped, stripped[:-1] if stripped.endswith("s") else stripped):
            if candidate in names:
                return names[candidate]
    raise UnknownMunicipality(text, suggest(stripped))


def suggest(text: str) -> list[str]:
    """Up to three municipality names closest to ``text``, best first."""
    folded = _fold(text)
    scored = sorted(
        ((difflib.SequenceMatcher(None, folded, name).ratio(), name) for name in _by_folded_name()),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.6:
        return []
    best = scored[0][0]
    names = _by_folded_name()
    return [names[name].name for score, name in scored[:3] if score >= max(0.6, best - 0.1)]


def names_agree(expected: str, said: str) -> bool:
    """``said`` (a row's name) denotes the municipality named ``expected`` (``Upplands Väsby
    kommun``, ``Region Gotland`` and ``Stockholms stad`` included)."""
    if said == expected:  # the register's own name (every row of a snapshot kn wrote)
        return True
    try:
        return lookup(said).name == expected
    except UnknownMunicipality:
        return _fold(expected) in _fold(said)


def by_code(code: str) -> Municipality | None:
    """The municipality with this 4-digit SCB code, if there is one."""
    return register().get(code)


_SWEDISH_ORDER = {ch: i for i, ch in enumerate(" abcdefghijklmnopqrstuvwxyzåäö")}


@cache
def swedish_sort_key(name: str) -> tuple[int, ...]:
    """Swedish alphabetical order (å, ä, ö after z; é as e; a hyphen sorts as a space).
    Cached: the same names are sorted for the plan, the tables and the chart."""
    folded = _fold(name).replace("é", "e").replace("ü", "y")
    return tuple(_SWEDISH_ORDER.get(ch, 100 + ord(ch)) for ch in folded)
