"""Tables printed to a file or a pipe: the lines kn writes directly for a simple table are the
lines rich prints for it, character for character."""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.table import Table

from koordination.render.text.tables import console, plain_lines, print_table

WORDS = st.text(alphabet=st.sampled_from(list("AaÅåÖö019 -–−,.%()") + ["\u00a0", "漢", "\t",
                                                                       "\n", "\x1b"]),
                max_size=14)
JUSTIFY = st.sampled_from(["left", "right", "center"])


@st.composite
def tables(draw: st.DrawFn) -> dict[str, object]:
    columns = draw(st.integers(1, 5))
    return {
        "title": draw(st.none() | WORDS | st.text(alphabet="Fakturunderlg ", min_size=60,
                                                  max_size=130)),
        "caption": draw(st.none() | WORDS),
        "footer": draw(st.booleans()),
        "columns": [(draw(WORDS), draw(WORDS), draw(JUSTIFY)) for _ in range(columns)],
        "rows": draw(st.lists(st.lists(WORDS, min_size=columns, max_size=columns),
                              max_size=6)),
    }


def build(spec: dict[str, object]) -> Table:
    table = Table(title=spec["title"], caption=spec["caption"],  # type: ignore[arg-type]
                  show_footer=bool(spec["footer"]))
    for header, footer, justify in spec["columns"]:  # type: ignore[attr-defined]
        table.add_column(header, footer, justify=justify)
    for row in spec["rows"]:  # type: ignore[attr-defined]
        table.add_row(*row)
    return table


def printed(spec: dict[str, object], direct: bool) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        out = console()
        if direct:
            print_table(out, build(spec))
        else:
            out.print(build(spec))
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(tables())
def test_a_table_is_printed_as_rich_prints_it(spec: dict[str, object]) -> None:
    assert printed(spec, direct=True) == printed(spec, direct=False)


def test_a_simple_table_is_written_without_rich_and_a_wrapped_one_by_rich() -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        out = console()
        simple = build({"title": "Fördelning", "caption": None, "footer": True,
                        "columns": [("Kommun", "Totalt", "left"), ("Avgift", "1\u00a0000 kr",
                                                                   "right")],
                        "rows": [["Solna", "600\u00a0kr"], ["Täby", "400\u00a0kr"]]})
        for column in simple.columns:
            column.width = max(len(column.header), len(str(column.footer)), 7)
        assert plain_lines(out, simple) == [
            "      Fördelning      ",
            "┏━━━━━━━━━┳━━━━━━━━━━┓",
            "┃ Kommun  ┃   Avgift ┃",
            "┡━━━━━━━━━╇━━━━━━━━━━┩",
            "│ Solna   │   600\u00a0kr │",
            "│ Täby    │   400\u00a0kr │",
            "├─────────┼──────────┤",
            "│ Totalt  │ 1\u00a0000 kr │",
            "└─────────┴──────────┘",
        ]
        wrapped = build({"title": None, "caption": None, "footer": False,
                         "columns": [("Kommun", "", "left")], "rows": [["Solna\nstad"]]})
        wrapped.columns[0].width = 6
        assert plain_lines(out, wrapped) is None
