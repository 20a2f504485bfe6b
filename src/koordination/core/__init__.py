"""The pure core: membership segments, keys, allocation and settlement.

Nothing here imports a CLI, Excel or terminal library; functions take validated models from
:mod:`koordination.core.models` and return immutable results.
"""
