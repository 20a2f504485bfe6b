"""Bytes in and out: the data directory, readers of YAML, Excel, snapshots, budgets and
actuals into core models, SCB exports and SCB's API, decision records on disk, atomic files
and the lock. Nothing here knows a label or a terminal."""
