"""Text bound for a terminal: names and messages come from files, and a file can hold escape
sequences that move the cursor, rewrite the screen or change the title. They are stripped."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidirectional
# overrides and isolates that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, newlines: bool = True) -> str:
    """``text`` without control characters; tab and (unless ``newlines`` is False) newline
    are kept."""
    text = _UNSAFE.sub("", text)
    return text if newlines else text.replace("\n", " ")


def json_text(text: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with every unsafe character written
    as a ``\\uXXXX`` escape: the same data for a program, harmless on a terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
