"""``kn population ...``: the SCB snapshots of the data directory."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, reports_errors

population_app = typer.Typer(
    help="List, import and fetch SCB population snapshots.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(population_app, name="population")


@population_app.command("list")
@reports_errors
def list_command(data: DataOption = None) -> None:
    """List the snapshots: reference date, municipalities, total population, members present."""
    from rich.table import Table

    from koordination.datadir import DataDir, load_network
    from koordination.errors import KnError
    from koordination.io.populations import list_snapshots, read_snapshot
    from koordination.render import console, integer

    data_dir = DataDir.resolve(data)
    network = load_network(data_dir)
    table = Table(title=f"{network.name}: {data_dir.populations}")
    for title in ("date", "file", "municipalities", "total population", "members"):
        table.add_column(title, justify="left" if title in ("date", "file") else "right")
    snapshots = list_snapshots(data_dir.populations)
    for day, path in snapshots:
        try:
            snap = read_snapshot(path)
        except KnError as err:
            table.add_row(day.isoformat(), path.name, "", "", f"invalid: {err.problems[0].message}")
            continue
        present = sum(1 for m in network.members if m.code in snap.populations)
        table.add_row(day.isoformat(), path.name, str(len(snap.populations)),
                      integer(sum(snap.populations.values())),
                      f"{present}/{len(network.members)}")
    out = console()
    if not snapshots:
        out.print(f"no snapshots in {data_dir.populations}; import one with "
                  "'kn population import FILE' or 'kn population fetch YEAR'")
        return
    out.print(table)
