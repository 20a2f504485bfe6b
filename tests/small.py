"""A small cooperation of three members, for tests of decisions, comparisons and safety."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

NETWORK = """
    name: Testsamverkan
    administrator: Österåker
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
      - kommun: Österåker
"""

POPULATIONS = {
    "2013-12-31": {"0114": 280, "0115": 100, "0117": 620},
    "2014-12-31": {"0114": 300, "0115": 100, "0117": 600},
}


def budget(year: int, amount: int | str = 10000, comment: str = "") -> str:
    return f"""
        # {comment}
        year: {year}
        lines:
          - {{group: Lön, name: Lön strateg, amount: {amount}}}
    """


def small_data(make_data: Callable[..., Path], amount: int | str = 10000,
               network: str = NETWORK) -> Path:
    """2015 shares 10 000 kr as 3 000 (Upplands Väsby), 1 000 (Vallentuna), 6 000 (Österåker);
    2014 has the budget 9 000 kr on the 2013 snapshot."""
    return make_data(network=network, budgets={2014: budget(2014, 9000),
                                               2015: budget(2015, amount)},
                     populations=POPULATIONS)
