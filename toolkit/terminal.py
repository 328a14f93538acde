"""How the `edition` command talks to a terminal: colour and verbosity, one rule for every command.

The command line sets `settings` once (`--color/--no-color`, `-q/--quiet`, `-v/--verbose`, on
the group or on any command); whatever prints — diagnostics, error lines, progress bars — asks
here instead of looking at the stream itself. Colour follows https://no-color.org: an explicit
flag wins, then a non-empty NO_COLOR turns it off, then it is on only for a terminal.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO

QUIET, NORMAL, VERBOSE = -1, 0, 1


@dataclass
class Settings:
    color: bool | None = None   # None: decide per stream
    verbosity: int = NORMAL

    @property
    def quiet(self) -> bool:
        return self.verbosity <= QUIET

    @property
    def verbose(self) -> bool:
        return self.verbosity >= VERBOSE


settings = Settings()


def reset() -> None:
    """Back to the defaults (an embedding program, or a test, running several commands)."""
    settings.color, settings.verbosity = None, NORMAL


def color_for(stream: TextIO) -> bool:
    """Whether to colour what goes to `stream`."""
    if settings.color is not None:
        return settings.color
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def interactive(stream: TextIO) -> bool:
    """Whether a progress bar is welcome on `stream`: a terminal, and not --quiet."""
    if settings.quiet:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def rich_console(stream: TextIO):
    """A rich Console for progress bars that obeys the colour rule."""
    from rich.console import Console
    return Console(file=stream, no_color=not color_for(stream))
