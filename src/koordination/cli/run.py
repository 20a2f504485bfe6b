"""The ``kn`` program: settings for one short process, made before the app is imported."""

from __future__ import annotations

import codecs
import gc
import io
import os
import signal
import sys
import unicodedata
from types import FrameType

from koordination.cli import interrupt
from koordination.cli.interrupt import Interrupted


def stop(signum: int, frame: FrameType | None) -> None:
    """kn's Ctrl-C handler: note that the run was stopped, and stop it."""
    interrupt.received = True
    raise Interrupted


#: What a terminal that cannot show a character gets instead (the minus sign, the spaces of
#: Swedish numbers, dashes, the ellipsis); other letters lose their accents (ö -> o), and a
#: character with no such form becomes "?".
_LOOKALIKES = {"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
               "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2026": "...",
               "\u2192": "->", "\u2264": "<=", "\u2265": ">=", "\u00d7": "x"}
LOOKALIKE = "kn.lookalike"


def _lookalike(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    out = []
    for char in err.object[err.start:err.end]:
        if char in _LOOKALIKES:
            out.append(_LOOKALIKES[char])
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))
        try:
            bare.encode(err.encoding)
        except UnicodeEncodeError:
            bare = "?"
        out.append(bare or "?")
    return "".join(out), err.end


codecs.register_error(LOOKALIKE, _lookalike)


def utf8_streams() -> None:
    """Output that never fails on a character: stdout and stderr redirected to a file or a
    pipe are written in UTF-8 whatever the console's code page or locale (cp1252, Latin-1,
    ASCII) says, unless PYTHONIOENCODING names an encoding; a terminal keeps its own encoding,
    and a character it cannot show is written as its nearest form (U+2212 as "-")."""
    chosen = os.environ.get("PYTHONIOENCODING", "").partition(":")[0]
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            if codecs.lookup(stream.encoding).name == "utf-8":
                continue
            if stream.isatty() or chosen:
                stream.reconfigure(errors=LOOKALIKE)
            else:
                stream.reconfigure(encoding="utf-8", errors="strict")
        except (LookupError, OSError, ValueError):
            continue


def main() -> None:
    """Run ``kn``. The cycle collector runs rarely from the very first import (see
    :func:`koordination.cli.app.main`): the imports alone would otherwise trigger it dozens
    of times, a tenth of ``kn --help``. Ctrl-C at any moment, even during the imports, ends
    with one line and exit 130; an interrupted write removes its temporary file."""
    gc.set_threshold(1_000_000, 50, 50)
    utf8_streams()
    try:
        signal.signal(signal.SIGINT, stop)
        from koordination.cli.app import main as run_app

        run_app()
    except (KeyboardInterrupt, Interrupted):
        interrupt.end()
    except Exception:
        if not interrupt.received:
            raise
        interrupt.end()  # a library wrapped the Ctrl-C in its own error
    finally:
        # The run is over and has said what it did: a Ctrl-C now, while the interpreter
        # shuts down, would only replace its exit status with the signal's.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
