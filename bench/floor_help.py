"""The floor of any Typer CLI: two commands, nothing else. ``bench/run`` times its ``--help``."""

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


if __name__ == "__main__":
    app()
