"""The ``kn allocate`` options that record a decision or a revision (see
:mod:`koordination.jobs.decision`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from koordination.cli.common import check_date, parse_date

if TYPE_CHECKING:
    from koordination.jobs.decision import Request


FinalOption = Annotated[
    bool,
    typer.Option("--final", help="Record the allocation as decided in decisions/YEAR.json "
                 "(never overwritten)."),
]
ReviseOption = Annotated[
    bool,
    typer.Option("--revise", help="When the amounts differ from the decision, record a "
                 "revision (decisions/YEAR.revN.json and a revision workbook)."),
]
DecidedByOption = Annotated[
    str | None,
    typer.Option("--decided-by", help="Who decided, e.g. 'Kommunstyrelsen i Lidingö'.",
                 show_default=False),
]
DecisionDateOption = Annotated[
    str | None,
    typer.Option("--decision-date", help="Date of the decision, YYYY-MM-DD (default: today).",
                 callback=check_date, show_default=False),
]
RefOption = Annotated[
    str | None,
    typer.Option("--ref", help="The decision's § or diarienummer.", show_default=False),
]


def request(final: bool, revise: bool, decided_by: str | None, decision_date: str | None,
            ref: str | None) -> Request:
    """The :class:`koordination.jobs.decision.Request`; details of a decision need --final or
    --revise."""
    from koordination.jobs.decision import Request

    if not (final or revise) and (decided_by or decision_date or ref):
        raise typer.BadParameter("--decided-by, --decision-date and --ref describe a decision; "
                                 "give them with --final or --revise")
    return Request(final=final, revise=revise, decided_by=decided_by,
                   decision_date=parse_date(decision_date) if decision_date else None,
                   ref=ref)
