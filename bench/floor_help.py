"""The floor of any Typer CLI: two commands, plain help, nothing else, with kn's settings for
the cycle collector (``koordination.cli.run``). ``bench/run`` times its ``--help``."""

# ruff: noqa: E402  (the collector is set before the first import, as kn sets it)
import gc

gc.set_threshold(1_000_000, 50, 50)  # as kn does before its first import

import typer

app = typer.Typer(add_completion=False, rich_markup_mode=None)


@app.command()
def allocate(year: int) -> None:
    """Compute every member's fee for YEAR."""
    typer.echo(year)


@app.command()
def budget(year: int) -> None:
    """Show YEAR's budget."""
    typer.echo(year)


def main() -> None:
    try:
        app()
    finally:
        gc.freeze()  # as kn does at the end of its one short run


if __name__ == "__main__":
    main()
