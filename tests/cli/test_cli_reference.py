"""docs/cli.md is generated from the click commands (scripts/cli_reference.py): it must be the
generator's current output and name every command and option."""
from __future__ import annotations

import runpy

import click

from conftest import REPO
from toolkit.cli import main

SCRIPT = REPO / "scripts" / "cli_reference.py"


def test_the_cli_reference_is_up_to_date():
    generated = runpy.run_path(str(SCRIPT))["render"]()
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == generated, "docs/cli.md is out of date: run python scripts/cli_reference.py --write"


def test_the_reference_names_every_command_and_option():
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")

    def walk(cmd, path):
        yield path, cmd
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, name), path + [name])

    for path, cmd in walk(main, []):
        title = " ".join(["edition"] + path)
        assert f"### `{title}`" in text, title
        section = text.split(f"### `{title}`\n", 1)[1].split("\n### ", 1)[0]
        for p in cmd.params:
            for opt in getattr(p, "opts", []):
                if opt.startswith("--") and opt not in ("--help", "--quiet", "--verbose", "--color"):
                    assert f"`{opt}`" in section, (title, opt)
