"""Every console example of README.md and docs/guide.md is what kn prints (tests/readme_blocks.py
runs them; ``python tests/readme_blocks.py --update`` rewrites them from kn's output)."""

from __future__ import annotations

from tests import readme_blocks


def test_every_console_block_is_checked() -> None:
    counted = {doc.name: len(readme_blocks.blocks(doc)) for doc in readme_blocks.DOCS}
    assert counted["README.md"] >= 15 and counted["guide.md"] >= 10, counted
    for doc in readme_blocks.DOCS:
        text = doc.read_text("utf-8")
        # no example of kn outside a checked block
        assert text.count("\n$ kn ") == sum(len(b.commands) for b in readme_blocks.blocks(doc))


def test_console_blocks_are_what_kn_prints() -> None:
    failures = readme_blocks.check()
    assert not failures, "\n\n".join(failures)


def test_elided_lines_match_any_lines() -> None:
    assert readme_blocks.matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert readme_blocks.matches(["a", "│ ...  │", "d"], ["a", "d"])
    assert not readme_blocks.matches(["a", "...", "d"], ["a", "b", "c"])
    assert readme_blocks.updated(["a", "...", "x", "...", "z"],
                                 ["A", "b", "x", "y", "Z"]) == ["A", "...", "x", "...", "Z"]
