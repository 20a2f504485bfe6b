"""``kn population ...``: the SCB snapshots of the data directory."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, LangOption, Language, reports_errors

population_app = typer.Typer(
    help="List, import and fetch SCB population snapshots.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(population_app, name="population")


@population_app.command("list")
@reports_errors
def list_command(data: DataOption = None, lang: LangOption = Language.sv) -> None:
    """List the snapshots: reference date, municipalities, total population, members present."""
    from rich.table import Table

    from koordination.datadir import DataDir, load_network
    from koordination.errors import KnError
    from koordination.io.populations import list_snapshots, read_snapshot
    from koordination.labels import label
    from koordination.render import console, integer

    lg = lang.code
    data_dir = DataDir.resolve(data)
    network = load_network(data_dir)
    table = Table(title=label("pop_title", lg, name=network.name, path=data_dir.populations))
    for key in ("snapshot_date", "col_file", "col_municipalities", "col_total_population",
                "col_members_present"):
        table.add_column(label(key, lg),
                         justify="left" if key in ("snapshot_date", "col_file") else "right")
    snapshots = list_snapshots(data_dir.populations)
    for day, path in snapshots:
        try:
            snap = read_snapshot(path)
        except KnError as err:
            table.add_row(day.isoformat(), path.name, "", "",
                          label("pop_invalid", lg, message=err.problems[0].message))
            continue
        present = sum(1 for m in network.members if m.code in snap.populations)
        table.add_row(day.isoformat(), path.name, integer(len(snap.populations), lg),
                      integer(sum(snap.populations.values()), lg),
                      f"{present}/{len(network.members)}")
    out = console()
    if not snapshots:
        out.print(label("pop_none", lg, path=data_dir.populations))
        return
    out.print(table)
