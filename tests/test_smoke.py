from pathlib import Path

from typer.testing import CliRunner

from koordination.cli.app import app


def test_allocate_shipped_2015_json(shipped_data: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"total": 905000' in result.stdout
    assert '"kommun": "Danderyd", "population": 32295' in result.stdout
