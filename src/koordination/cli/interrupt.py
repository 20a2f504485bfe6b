"""Ctrl-C: the one line and exit code a stopped run ends with (no imports: it is installed
before anything else is loaded)."""

from __future__ import annotations

#: What kn prints when a run is stopped with Ctrl-C, and the exit code (128 + SIGINT).
INTERRUPTED_LINE = "error: interrupted; any file being written was left as it was before\n"
INTERRUPTED = 130


class Interrupted(BaseException):
    """Ctrl-C, raised in place of KeyboardInterrupt so that no library turns it into its own
    message ("Aborted!") or exit code: it reaches :func:`main`, which ends the run."""
