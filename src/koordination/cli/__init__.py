"""The ``kn`` command line: one module per command, shared options in :mod:`.common`."""
