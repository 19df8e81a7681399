"""Every setting and every command is documented where users look for it."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from clickup_sync.cli import app
from clickup_sync.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def _commands(group, prefix: str = "") -> list[str]:
    names = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            names += _commands(cmd, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def test_every_setting_is_in_env_example_and_readme() -> None:
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in example, f"{name.upper()} missing from .env.example"
        assert f"`{name.upper()}`" in readme, f"{name.upper()} missing from README.md"


def test_every_command_is_documented_with_an_example() -> None:
    docs = (ROOT / "README.md").read_text() + "".join(
        p.read_text() for p in (ROOT / "docs").glob("*.md"))
    click_app = get_command(app)
    for name in _commands(click_app):
        assert f"clickup-sync {name}" in docs, f"`clickup-sync {name}` is not documented"
        cmd = click_app
        for part in name.split():
            cmd = cmd.commands[part]
        assert "Example: clickup-sync" in (cmd.help or ""), f"{name} has no example in --help"
