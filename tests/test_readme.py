"""Every console example of README.md and docs/guide.md is what kn prints (tests/readme_blocks.py
runs them; ``python tests/readme_blocks.py --update`` rewrites them from kn's output)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import readme_blocks


def console_block(command: str, occurrence: int = 0) -> str:
    """The output shown under ``$ command`` in the README's console blocks (the first, or the
    ``occurrence``-th), for tests that check one example beside what it writes."""
    found = [shown for block in readme_blocks.blocks(readme_blocks.DOCS[0])
             for line, shown in block.commands if line == command]
    assert len(found) > occurrence, f"no console block for {command!r} in README.md"
    return "".join(f"{line}\n" for line in found[occurrence])


def test_every_console_block_is_checked() -> None:
    counted = {doc.name: len(readme_blocks.blocks(doc)) for doc in readme_blocks.DOCS}
    assert counted["README.md"] >= 15 and counted["guide.md"] >= 10, counted
    for doc in readme_blocks.DOCS:
        text = doc.read_text("utf-8")
        # no example of kn outside a checked block
        assert text.count("\n$ kn ") == sum(
            1 for b in readme_blocks.blocks(doc) for line, _ in b.commands
            if line.startswith("kn "))


@pytest.mark.slow
def test_console_blocks_are_what_kn_prints() -> None:
    failures = readme_blocks.check()
    assert not failures, "\n\n".join(failures)


def test_elided_lines_match_any_lines() -> None:
    assert readme_blocks.matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert readme_blocks.matches(["a", "│ ...  │", "d"], ["a", "d"])
    assert not readme_blocks.matches(["a", "...", "d"], ["a", "b", "c"])
    assert readme_blocks.updated(["a", "...", "x", "...", "z"],
                                 ["A", "b", "x", "y", "Z"]) == ["A", "...", "x", "...", "Z"]


def test_the_complete_network_yaml_is_read_as_described(tmp_path: Path) -> None:
    from datetime import date

    from koordination.io.network import load_network

    text = readme_blocks.DOCS[0].read_text("utf-8")
    start = text.index("A complete `network.yaml` for such a cooperation")
    block = re.search(r"```yaml\n(.*?)```", text[start:], re.S)
    assert block is not None
    path = tmp_path / "network.yaml"
    path.write_text(block.group(1), "utf-8")
    network = load_network(path)
    assert [m.name for m in network.members] == ["Uppsala", "Enköping", "Heby", "Tierp",
                                                 "Östhammar"]
    tierp = network.members[3]
    assert tierp.first_day_out(network.notice_months) == date(2027, 9, 30)
    assert network.members[4].joined == date(2027, 4, 1)
    assert network.members[0].orgnr == "212000-3005"
