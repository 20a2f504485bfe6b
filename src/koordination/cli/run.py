"""The ``kn`` program: settings for one short process, made before the app is imported."""

from __future__ import annotations

import gc


def main() -> None:
    """Run ``kn``. The cycle collector runs rarely from the very first import (see
    :func:`koordination.cli.app.main`): the imports alone would otherwise trigger it dozens
    of times, a tenth of ``kn --help``."""
    gc.set_threshold(1_000_000, 50, 50)
    from koordination.cli.app import main as run_app

    run_app()
