"""Ctrl-C: the one line and exit code a stopped run ends with (nothing but sys imported: it
is installed before anything else is loaded)."""

from __future__ import annotations

import sys

#: What kn prints when a run is stopped with Ctrl-C, and the exit code (128 + SIGINT).
INTERRUPTED_LINE = "error: interrupted; any file being written was left as it was before\n"
INTERRUPTED = 130


class Interrupted(BaseException):
    """Ctrl-C, raised in place of KeyboardInterrupt so that no library turns it into its own
    message ("Aborted!") or exit code: it reaches :func:`main`, which ends the run."""


#: Whether Ctrl-C has arrived in this run. A library may catch the :class:`Interrupted` raised
#: inside its own code and wrap it in an error of its own (pydantic does while it builds a
#: model's validator, which kn does when a command first needs the model): a run that ends in
#: any error after Ctrl-C ends as stopped, never as an internal error.
received = False


def end() -> None:
    """End a run stopped with Ctrl-C: one line, exit 130, no traceback. Every write kn makes
    is to a temporary file renamed into place, removed when the write is interrupted."""
    sys.stderr.write(INTERRUPTED_LINE)
    sys.stderr.flush()
    raise SystemExit(INTERRUPTED)
