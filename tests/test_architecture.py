"""The package's layers, read from the source: the core imports nothing outside itself and
no library, io and render know nothing of each other, jobs sit above both, and the CLI on
top. Function-level imports count as much as module-level ones."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "koordination"

# A layer may import the layers listed for it, and itself.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "io": {"core"},
    "render": {"core"},
    "jobs": {"core", "io", "render"},
    "cli": {"core", "io", "render", "jobs"},
}
# What the pure core may import from outside the package: the standard library only.
STDLIB = set(sys.stdlib_module_names)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "koordination" else None


MODULES = modules()


def own(targets: set[str]) -> set[str]:
    return {t for t in targets if t in MODULES}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_layer_above_it(name: str) -> None:
    mine = layer(name)
    if mine not in ALLOWED:
        return  # the package root (__init__, __main__) only starts the CLI
    wrong = sorted(
        t for t in own(imports(MODULES[name], name))
        if layer(t) not in ALLOWED[mine] | {mine, None} and t != "koordination"
    )
    assert not wrong, f"{name} imports {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) == "core"))
def test_core_imports_only_the_standard_library(name: str) -> None:
    outside = sorted(
        t for t in imports(MODULES[name], name)
        if not t.startswith("koordination") and t.split(".")[0] not in STDLIB
        and t.split(".")[0] != "__future__"
    )
    assert not outside, f"{name} imports {outside}"


def test_no_import_cycles() -> None:
    graph = {n: {t for t in own(imports(p, n)) if t != n} for n, p in MODULES.items()}
    # A package's __init__ is imported by its children; an edge to it is not a cycle of code.
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_every_layer_is_a_folder() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(
        ALLOWED
    )
