"""Age bands: the ages a statistic counts (``--age 16-64``), and the age groups of SCB's
tables by age (``16 år``, ``15-19 år``, ``100+ år``) that are summed into one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: All ages: what a table by age is summed over without --age.
ALL_AGES_LOW = 0
_TOTALS = ("total", "samtliga", "alla", "all ")
_AGE = re.compile(r"^(\d{1,3})\s*(?:(\+)|[-–]\s*(\d{1,3}))?\s*(?:år|ar|years?|y)?$")


@dataclass(frozen=True)
class AgeBand:
    """Ages ``low`` to ``high`` inclusive (``high`` None: ``low`` and over)."""

    low: int
    high: int | None

    @classmethod
    def parse(cls, text: str) -> AgeBand:
        """``16-64``, ``65+`` (or ``65-``), ``16``; ValueError with the reason."""
        match = re.fullmatch(r"\s*(\d{1,3})\s*(?:(\+|-\s*$)|-\s*(\d{1,3}))?\s*", text)
        if not match:
            raise ValueError(f"'{text}' is not an age band FROM-TO (such as 16-64 or 65+)")
        low = int(match.group(1))
        high = None if match.group(2) else int(match.group(3) or low)
        if high is not None and high < low:
            raise ValueError(f"'{text}' ends before it starts; write FROM-TO (such as 16-64)")
        return cls(low, high)

    def __str__(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class AgeGroup:
    """One age category of a table: ``16 år`` (16-16), ``15-19 år``, ``100+ år`` (open)."""

    low: int
    high: int | None
    text: str

    def inside(self, band: AgeBand) -> bool | None:
        """True if the group lies in the band, False if outside it, None if it straddles it."""
        top = self.high if self.high is not None else 10_000
        band_top = band.high if band.high is not None else 10_000
        if self.low >= band.low and top <= band_top:
            return True
        if top < band.low or self.low > band_top:
            return False
        return None


def age_group(text: str) -> AgeGroup | str | None:
    """An age category, ``"total"`` for the total of all ages, None if ``text`` is no age."""
    folded = text.strip().lower()
    if folded.startswith(_TOTALS) or folded in ("totalt", "samtliga åldrar"):
        return "total"
    match = _AGE.match(folded)
    if not match:
        return None
    low = int(match.group(1))
    high = None if match.group(2) else int(match.group(3) or low)
    if high is not None and high < low:
        return None
    return AgeGroup(low, high, text.strip())


def uncovered(groups: Iterable[AgeGroup], band: AgeBand) -> list[str]:
    """The ages of ``band`` no group covers, as short texts (``17``, ``20-24``, ``100+``)."""
    ages: set[int] = set()
    open_from: int | None = None
    for group in groups:
        if group.high is None:
            open_from = group.low if open_from is None else min(open_from, group.low)
        else:
            ages.update(range(group.low, group.high + 1))
    top = band.high if band.high is not None else (open_from if open_from is not None else 100)
    missing = [a for a in range(band.low, top + 1)
               if a not in ages and (open_from is None or a < open_from)]
    gaps: list[str] = []
    for age in missing:
        if gaps and gaps[-1].split("-")[-1] == str(age - 1):
            gaps[-1] = f"{gaps[-1].split('-')[0]}-{age}"
        else:
            gaps.append(str(age))
    if band.high is None and open_from is None:
        gaps.append(f"{max(top, band.low)}+" if not missing else "and over")
    return gaps
