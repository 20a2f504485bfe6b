"""json-stat: the format of SCB's PxWebApi (json-stat2 from API 2.0, json-stat 1 from API v1).

:func:`decode_jsonstat` checks the type of every part it uses before it uses it, so a
document of the wrong shape (a ``status`` that is a number, a ``role`` that is a string, a
category ``label`` that is a list) is a :class:`JsonStatError` naming the part, never an
error from deep inside the reader.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class JsonStatError(ValueError):
    """The document is not json-stat (the message says which part is wrong)."""


@dataclass(frozen=True)
class Dimension:
    id: str
    codes: tuple[str, ...]
    labels: dict[str, str]
    extension: dict[str, Any]


@dataclass(frozen=True)
class JsonStat:
    """A decoded json-stat dataset: dimensions in order, values in row-major order."""

    label: str
    dimensions: tuple[Dimension, ...]
    values: tuple[int | float | Decimal | None, ...]
    status: dict[int, str]
    roles: dict[str, list[str]]
    extension: dict[str, Any]
    notes: tuple[str, ...]

    def dimension(self, dim_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dim_id)

    def cells(self) -> Iterable[tuple[dict[str, str], int | float | Decimal | None, str | None]]:
        """Every cell as (code per dimension, value, status mark): row-major order is the
        product of the dimensions' codes, the last dimension varying fastest."""
        ids = [d.id for d in self.dimensions]
        every = itertools.product(*(d.codes for d in self.dimensions))
        for flat, (codes, value) in enumerate(zip(every, self.values, strict=False)):
            yield dict(zip(ids, codes, strict=True)), value, self.status.get(flat)

    @property
    def table_id(self) -> str:
        px = self.extension.get("px")
        return str(px.get("tableid") or px.get("matrix") or "") if isinstance(px, dict) else ""


#: At most this many cells: far more than any table of municipalities (SCB's API itself
#: answers at most 150 000 cells).
MAX_CELLS = 5_000_000


def _text(value: Any, part: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise JsonStatError(f"{part} is not a text")


def _mapping(value: Any, part: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise JsonStatError(f"{part} is not an object")
    return value


def _codes(category: dict[str, Any], dim_id: str) -> tuple[str, ...]:
    index = category.get("index")
    part = f"the index of dimension {dim_id!r}"
    if isinstance(index, dict):
        for position in index.values():
            if isinstance(position, bool) or not isinstance(position, int):
                raise JsonStatError(f"{part} gives a position that is not a whole number")
        if sorted(index.values()) != list(range(len(index))):
            raise JsonStatError(f"{part} does not number its categories 0, 1, 2, ...")
        return tuple(sorted(index, key=lambda k: index[k]))
    if isinstance(index, list):
        codes = tuple(_text(c, part) for c in index)
        if len(set(codes)) != len(codes):
            raise JsonStatError(f"{part} lists a category twice")
        return codes
    if index is None:
        return tuple(_mapping(category.get("label"), f"the labels of dimension {dim_id!r}"))
    raise JsonStatError(f"{part} is neither a list nor an object")


def _dimension(raw: Any, dim_id: str, size: int) -> Dimension:
    if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
        raise JsonStatError(f"dimension {dim_id!r} has no category")
    category = raw["category"]
    codes = _codes(category, dim_id)
    if len(codes) != size:
        raise JsonStatError(f"dimension {dim_id!r} has {len(codes)} categories, size {size}")
    labels_raw = _mapping(category.get("label"), f"the labels of dimension {dim_id!r}")
    labels = {str(k): _text(v, f"a label of dimension {dim_id!r}") for k, v in labels_raw.items()}
    _text(raw.get("label", dim_id), f"the label of dimension {dim_id!r}")
    return Dimension(dim_id, codes, labels,
                     dict(_mapping(raw.get("extension"), f"the extension of {dim_id!r}")))


def _by_cell(raw: dict[str, Any], part: str, total: int) -> dict[int, Any]:
    """A json-stat object keyed by cell number (``{"0": ..., "7": ...}``)."""
    for key in raw:
        if not (key.isascii() and key.isdigit()) or int(key) >= total:
            raise JsonStatError(f"{part} has a key {key[:20]!r} that is no cell number")
    return {int(key): value for key, value in raw.items()}


def _values(doc: dict[str, Any], total: int) -> list[int | float | Decimal | None]:
    values = doc.get("value")
    if isinstance(values, dict):
        keyed = _by_cell(values, "'value'", total)
        values = [keyed.get(i) for i in range(total)]
    if not isinstance(values, list):
        raise JsonStatError("no 'value' array")
    if len(values) != total:
        raise JsonStatError(f"{len(values)} values for {total} cells")
    for value in values:
        if value is not None and (isinstance(value, bool)
                                  or not isinstance(value, (int, float, Decimal))):
            raise JsonStatError(f"value {str(value)[:40]!r} is not a number")
    return values


def _status(raw: Any, total: int) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return {i: raw for i in range(total)}
    if isinstance(raw, list):
        if len(raw) > total:
            raise JsonStatError(f"'status' has {len(raw)} marks for {total} cells")
        return {i: _text(s, "a mark in 'status'") for i, s in enumerate(raw) if s is not None}
    if isinstance(raw, dict):
        return {i: _text(mark, "a mark in 'status'")
                for i, mark in _by_cell(raw, "'status'", total).items() if mark is not None}
    raise JsonStatError("'status' is neither a text, a list nor an object")


def _roles(raw: Any, ids: list[str]) -> dict[str, list[str]]:
    roles = {}
    for role, members in _mapping(raw, "'role'").items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise JsonStatError(f"role {role!r} is not a list of dimension ids")
        unknown = [m for m in members if m not in ids]
        if unknown:
            raise JsonStatError(f"role {role!r} names {unknown[0]!r}, which is no dimension")
        roles[role] = list(members)
    return roles


def decode_jsonstat(doc: Any, with_values: bool = True) -> JsonStat:
    """Decode json-stat2 (PxWebApi 2.0) or json-stat 1 (``{"dataset": ...}``, API v1).
    ``with_values=False`` reads a metadata response (dimensions, no values)."""
    if isinstance(doc, dict) and "dataset" in doc and isinstance(doc["dataset"], dict):
        doc = dict(doc["dataset"])
        dims = doc.get("dimension")
        if isinstance(dims, dict):
            for key in ("id", "size", "role"):
                doc.setdefault(key, dims.get(key))
    if not isinstance(doc, dict) or not isinstance(doc.get("dimension"), dict):
        raise JsonStatError("no 'dimension' object")
    ids, sizes = doc.get("id"), doc.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise JsonStatError("'id' and 'size' missing or of different lengths")
    ids = [_text(i, "an entry of 'id'") for i in ids]
    if len(set(ids)) != len(ids):
        raise JsonStatError("'id' names a dimension twice")
    total = 1
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise JsonStatError("an entry of 'size' is not a whole number of categories")
        total *= size
        if total > MAX_CELLS:
            raise JsonStatError(f"the sizes give more than {MAX_CELLS} cells")
    dimensions = tuple(_dimension(doc["dimension"].get(dim_id), dim_id, size)
                       for dim_id, size in zip(ids, sizes, strict=True))
    values = _values(doc, total) if with_values else []
    notes = doc.get("note") or []
    if not isinstance(notes, list):
        notes = [notes]
    return JsonStat(
        label=_text(doc.get("label", ""), "the dataset's 'label'"),
        dimensions=dimensions,
        values=tuple(values),
        status=_status(doc.get("status"), total) if with_values else {},
        roles=_roles(doc.get("role"), ids),
        extension=dict(_mapping(doc.get("extension"), "'extension'")),
        notes=tuple(_text(n, "a note") if not isinstance(n, (dict, list)) else str(n)
                    for n in notes),
    )


def time_year(code: str) -> int | None:
    """The year of a time code (``2024``, ``2024M12``), else None."""
    match = re.match(r"^((?:19|20)\d\d)(?:M12)?$", code)
    return int(match.group(1)) if match else None
