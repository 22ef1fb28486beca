"""The documentation keeps up with the command line: every command has help text and is shown
in the README's tour."""

from __future__ import annotations

import click
import pytest

from monitor.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"`monitor {name}` has no help text"
    assert f"monitor {name}" in README, f"`monitor {name}` is missing from README.md"
