"""The pure core: models, money, the municipality register, membership segments, keys,
allocation, settlement, explanation, comparison, invoices and decision records.

Only the standard library is imported here; functions take validated models from
:mod:`koordination.core.models` and return immutable results.
"""
