"""``kn init DIR``: a new cooperation's data directory, ready to fill in."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from koordination.cli.common import LangOption, Language, fee_year, reports_errors


class BudgetKind(StrEnum):
    yaml = "yaml"
    xlsx = "xlsx"


class Model(StrEnum):
    share = "share"
    rate = "rate"
    bands = "bands"


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)


def _ask_members(lang: str) -> list[str]:
    """Ask for the members on a terminal, checking each name as it is typed."""
    from koordination.jobs.init import member_problem
    from koordination.render.labels import label

    while True:
        typed = typer.prompt(label("ask_members", lang))
        names: list[str] = []
        for given in (part.strip() for part in typed.split(",")):
            while given:
                muni, why = member_problem(given)
                if muni is not None:
                    names.append(muni.name)
                    break
                typer.echo(f"{given}: {why}", err=True)
                given = typer.prompt(label("ask_member_again", lang, given=given), default="",
                                     show_default=False).strip()
        if names:
            return names


def _ask_administrator(members: list[str], lang: str) -> str:
    from koordination.jobs.init import member_problem
    from koordination.render.labels import label

    while True:
        given = typer.prompt(label("ask_administrator", lang), default=members[0])
        muni, why = member_problem(given)
        if muni is not None and muni.name in members:
            return muni.name
        typer.echo(f"{given}: {why or 'not one of the members: ' + ', '.join(members)}",
                   err=True)


@reports_errors
def init_command(
    directory: Annotated[Path, typer.Argument(help="The new data directory, e.g. data.",
                                              metavar="DIR", show_default=False)],
    name: Annotated[str | None, typer.Option(
        "--name", help="The cooperation's name, e.g. \"Etablering Uppsala län\".",
        show_default=False)] = None,
    administrator: Annotated[str | None, typer.Option(
        "--administrator", help="The member that administers it (förvaltande kommun).",
        show_default=False)] = None,
    members: Annotated[str | None, typer.Option(
        "--members", help="The member municipalities, separated by commas.",
        show_default=False)] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="The first fee year (default: next year).", parser=fee_year,
        metavar="YEAR",
        show_default=False)] = None,
    budget: Annotated[BudgetKind, typer.Option(
        "--budget", help="Write the budget as YAML or as an Excel sheet to fill in.")
    ] = BudgetKind.yaml,
    model: Annotated[Model, typer.Option(
        "--model", help="How members pay: a share of a budget by a key (share), a rate per "
        "inhabitant, unit and member (rate), or a fee by population band (bands).")
    ] = Model.share,
    lang: LangOption = Language.sv,
) -> None:
    """Start a new cooperation: a commented network.yaml, a budget to fill in, and what to
    run next. Never overwrites a file."""
    from koordination.core.errors import Problem, UsageError
    from koordination.jobs.init import default_year, init_cooperation
    from koordination.render.labels import label
    from koordination.render.terminal import clean

    lg = lang.code
    member_list = [m.strip() for m in members.split(",")] if members is not None else None
    if name is None or member_list is None or administrator is None:
        if not sys.stdin.isatty():
            missing = [flag for flag, value in (("--name TEXT", name),
                                                ("--members KOMMUN,KOMMUN,...", member_list),
                                                ("--administrator KOMMUN", administrator))
                       if value is None]
            raise UsageError([Problem(f"{flag.split()[0]} is missing; give {flag} (kn asks for "
                                      "it only on a terminal)") for flag in missing])
        if name is None:
            name = typer.prompt(label("ask_name", lg))
        if member_list is None:
            member_list = _ask_members(lg)
        if administrator is None:
            administrator = _ask_administrator(member_list, lg)
    result = init_cooperation(directory, name, administrator, member_list,
                              year if year is not None else default_year(), budget.value, lg,
                              model.value)
    out = [label("init_written", lg, path=path) for path in result.written]
    out.append(label("init_next", lg))
    if result.budget is not None:
        out.append(label("init_budget", lg, path=result.budget))
    else:
        out.append(label("init_rate", lg, path=result.data.network_file))
    out.append(label("init_population", lg, day=result.snapshot_day, year=result.year,
                     snap_year=result.snapshot_day.year, root=result.data.root))
    out.append(label("init_check", lg, year=result.year, root=result.data.root))
    sys.stdout.write(clean("\n".join(out)) + "\n")
