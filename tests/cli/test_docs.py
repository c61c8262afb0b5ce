"""Every command has help text and a README entry; every setting is documented."""

from collections.abc import Iterator
from typing import Any

import pytest
import typer

from bot.cli import app
from bot.settings import Settings
from tests.support.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


# Typer ships its own copy of Click; duck typing keeps this test off its private modules.
def is_group(command: Any) -> bool:
    return hasattr(command, "commands")


def command_paths() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)
    assert is_group(root)

    def walk(group: Any, prefix: str) -> Iterator[tuple[str, Any]]:
        for name, command in group.commands.items():
            path = f"{prefix} {name}"
            yield path, command
            if is_group(command):
                yield from walk(command, path)

    yield from walk(root, "outreach")


COMMANDS = list(command_paths())


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_help_and_a_readme_entry(path: str, command: Any) -> None:
    assert (command.help or "").strip(), f"{path} has no help text"
    if is_group(command):
        group_documented = path in README
        assert group_documented, f"{path} is not in the README"
        return
    assert f"`{path}" in README, f"{path} is not in the README's command table"


def test_every_option_has_help_text() -> None:
    for path, command in COMMANDS:
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert (param.help or "").strip() or param.name in UNDOCUMENTED_OK, (
                    f"{path} --{param.name} has no help")


# Edit options that mirror the add command's documented ones.
UNDOCUMENTED_OK = {"party", "name", "role", "title", "agency", "phone", "telegram",
                   "language", "timezone", "notified", "verified", "email"}


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(field: str) -> None:
    assert f"`OUTREACH_{field.upper()}`" in README
