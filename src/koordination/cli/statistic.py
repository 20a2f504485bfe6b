"""``kn statistic ...``: the statistic snapshots a key may count (reference 7)."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, LangOption, Language, reports_errors

statistic_app = typer.Typer(
    help="List and import statistic snapshots (statistics/NAME/YYYY-MM-DD.csv) for keys on "
    "more than population.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(statistic_app, name="statistic")


@statistic_app.command("list")
@reports_errors
def list_command(data: DataOption = None, lang: LangOption = Language.sv) -> None:
    """List the statistic snapshots: name, reference date, municipalities, sum of the values,
    members present, and whether the key counts the statistic."""
    from rich.table import Table

    from koordination.io.datadir import DataDir, load_network
    from koordination.jobs.statistic import list_statistic_files
    from koordination.render.labels import label
    from koordination.render.numbers import number_text
    from koordination.render.text.tables import console, integer, print_table

    lg = lang.code
    data_dir = DataDir.resolve(data)
    network = load_network(data_dir)
    files = list_statistic_files(data_dir, network)
    out = console()
    table = Table(title=label("stat_title", lg, name=network.name, path=data_dir.statistics))
    for key in ("col_statistic_name", "snapshot_date", "col_file", "col_municipalities",
                "col_value_sum", "col_members_present", "col_in_key"):
        table.add_column(label(key, lg), justify="right" if key in (
            "col_municipalities", "col_value_sum", "col_members_present") else "left")
    for f in files:
        in_key = label("yes" if f.in_key else "no", lg)
        if f.problem is not None:
            table.add_row(f.name, f.day.isoformat(), f.path.name, "", "",
                          label("pop_invalid", lg, message=f.problem), in_key)
            continue
        exponent = f.total.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        table.add_row(f.name, f.day.isoformat(), f.path.name, integer(f.municipalities, lg),
                      number_text(f.total, places, lg),
                      f"{f.members_present}/{len(network.members)}", in_key)
    listed = {f.name for f in files}
    if files:
        print_table(out, table)
    else:
        out.print(label("stat_none", lg, path=data_dir.statistics))
    for name in network.key.statistic_names:
        if name not in listed:
            out.print(label("stat_missing", lg, name=name))
