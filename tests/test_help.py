"""Every command and every option explains itself in `kn --help`."""

from __future__ import annotations

from typing import Any

import typer

from koordination.cli.app import app


def commands(group: Any, prefix: str = "kn") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix} {name}", command))
        if hasattr(command, "commands"):
            found.extend(commands(command, f"{prefix} {name}"))
    return found


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
