"""Safe YAML: plain data only (no tags, no aliases, no duplicate keys, no YAML 1.1 number or
boolean forms), syntax errors reported with their line (reference section 2, what kn reads)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from koordination.core.errors import DataError, Problem
from koordination.io.gate import read_text

BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"

#: Plain scalars read as numbers or booleans: only the forms a person reads so. YAML 1.1 also
#: reads ``0100`` as 64 (octal), ``1:30`` as 90 (sexagesimal), ``1_000`` as 1000 and ``yes``,
#: ``no``, ``on``, ``off`` as booleans; in kn files all of these stay text (``0162`` is a
#: municipality code, ``yes`` a word), and the field that expects a number says so.
_RULES = (
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,29})$"), list("-+0123456789")),
    (FLOAT, re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,29})\.[0-9]{1,30}$"), list("-+0123456789")),
)


def _resolvers() -> dict[Any, list[tuple[str, Any]]]:
    """PyYAML's implicit resolvers without its YAML 1.1 booleans, integers and floats."""
    kept: dict[Any, list[tuple[str, Any]]] = {}
    for first, entries in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        rest = [(tag, regexp) for tag, regexp in entries if tag not in (BOOL, INT, FLOAT)]
        if rest:
            kept[first] = rest
    for tag, regexp, firsts in _RULES:
        for first in firsts:
            kept.setdefault(first, []).append((tag, regexp))
    return kept


def _decimal(loader: Any, node: yaml.ScalarNode) -> Decimal:
    """A number with a decimal point, exactly as written (never through a float)."""
    return Decimal(node.value)


class _KnRules:
    """What kn's two loaders share: duplicate keys refused, plain forms only."""

    yaml_implicit_resolvers = _resolvers()

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None,
                        f"key {key!r} appears twice (also line {seen[key] + 1}); keep one: "
                        "kn never lets a later key silently replace an earlier one",
                        key_node.start_mark)
                seen[key] = key_node.start_mark.line
            except TypeError:  # an unhashable key: the constructor below says so
                break
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _PlainLoader(_KnRules, yaml.SafeLoader):
    """SafeLoader that also refuses anchors/aliases (alias bombs) and unknown tags."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in "
                                              "kn files", event.start_mark)
        return super().compose_node(parent, index)


def _refuse_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed in "
                                            "kn files", node.start_mark)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as err:
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a valid "
                                                f"date ({err})", node.start_mark) from None


_PlainLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_PlainLoader.add_constructor(FLOAT, _decimal)
_PlainLoader.add_multi_constructor("", _refuse_tag)

_CLoader: Any = getattr(yaml, "CSafeLoader", None)
if _CLoader is not None:

    class _FastLoader(_KnRules, _CLoader):  # type: ignore[misc]
        """libyaml's parser with the same constructors as :class:`_PlainLoader`."""

    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _FastLoader.add_constructor(FLOAT, _decimal)
    _FastLoader.add_multi_constructor("", _refuse_tag)


def _plain_tree(root: yaml.Node) -> bool:
    """True unless a node occurs twice in the tree (what an alias, *name, makes) or the tree
    is deeper than any kn file (the pure-Python loader then gives kn's usual message)."""
    seen: set[int] = set()
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > 50:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += ((key, depth + 1), (value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack += ((item, depth + 1) for item in node.value)
    return True


def _fast_load(text: str) -> tuple[bool, Any]:
    """Parse with libyaml when it is there and the text is plain; ``(False, None)`` sends the
    text to the pure-Python loader, whose messages (syntax errors, aliases) are kn's."""
    if _CLoader is None or "\t" in text:  # libyaml accepts some tabs PyYAML refuses
        return False, None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return True, None
        if not _plain_tree(node):
            return False, None
        return True, loader.construct_document(node)
    except (yaml.YAMLError, RecursionError):
        return False, None
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text; a syntax error becomes a :class:`DataError` naming the line.

    libyaml parses when it is installed (ten times faster on a 290-member network); any text
    it refuses, and any text with aliases, is parsed again by the pure-Python loader so that
    every message stays the same.
    """
    try:
        done, data = _fast_load(text)
        if done:
            return data
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f"line {mark.line + 1}" if mark is not None else None
        what = err.problem or err.context or "not valid YAML"
        if isinstance(err, yaml.constructor.ConstructorError):
            raise DataError(Problem(what, file, line)) from None
        raise DataError(Problem(f"YAML syntax error: {what}", file, line)) from None
    except yaml.YAMLError as err:
        raise DataError(Problem(f"YAML syntax error: {err}", file)) from None
    except RecursionError:
        raise DataError(Problem("YAML nested too deeply", file)) from None


def read_yaml(path: Path, name: str | None = None) -> Any:
    """Read and parse a YAML file, refusing ones too large to be a kn file."""
    file = name or str(path)
    return parse_yaml(read_text(path, "yaml", file), file)
