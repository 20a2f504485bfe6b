"""Every command and every option explains itself in `kn --help`."""

from __future__ import annotations

from typing import Any

import typer

from koordination.cli.app import COMMANDS, app


def commands(group: Any, prefix: str = "kn") -> list[tuple[str, Any]]:
    """Every command under ``group``, built as a run would build it (``kn`` builds a command
    only when it is invoked)."""
    found: list[tuple[str, Any]] = []
    ctx = typer.Context(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        found.append((f"{prefix} {name}", command))
        if hasattr(command, "list_commands"):
            found.extend(commands(command, f"{prefix} {name}"))
    return found


def test_the_list_of_commands_shows_each_commands_own_help() -> None:
    """kn --help lists every command from its table without building one; each line there
    is the first paragraph of the command's own help, so the two never drift apart."""
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    for name, line in COMMANDS.items():
        own = group.get_command(ctx, name).help.split("\n\n")[0]
        assert line == " ".join(own.split()), name
    assert sorted(group.list_commands(ctx)) == sorted(COMMANDS)


def test_every_command_and_option_has_help() -> None:
    listed = commands(typer.main.get_command(app))
    names = {name for name, _ in listed}
    assert {
        "kn allocate", "kn budget", "kn settle", "kn explain", "kn invoices", "kn validate",
        "kn population", "kn population list", "kn population import", "kn population fetch",
    } <= names
    missing = []
    for name, command in listed:
        if not (command.help or command.short_help):
            missing.append(name)
        for param in command.params:
            if not getattr(param, "help", None):
                missing.append(f"{name} {param.name}")
    assert missing == []
