"""The ``kn`` program: settings for one short process, made before the app is imported."""

from __future__ import annotations

import gc
import signal
import sys
from types import FrameType

from koordination.cli.interrupt import INTERRUPTED, INTERRUPTED_LINE, Interrupted


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


def main() -> None:
    """Run ``kn``. The cycle collector runs rarely from the very first import (see
    :func:`koordination.cli.app.main`): the imports alone would otherwise trigger it dozens
    of times, a tenth of ``kn --help``. Ctrl-C at any moment, even during the imports, ends
    with one line and exit 130; an interrupted write removes its temporary file."""
    gc.set_threshold(1_000_000, 50, 50)
    try:
        signal.signal(signal.SIGINT, _stop)
        from koordination.cli.app import main as run_app

        run_app()
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write(INTERRUPTED_LINE)
        sys.stderr.flush()
        sys.exit(INTERRUPTED)
    finally:
        # The run is over and has said what it did: a Ctrl-C now, while the interpreter
        # shuts down, would only replace its exit status with the signal's.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
