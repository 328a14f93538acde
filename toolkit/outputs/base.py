"""What every output builder shares: its result, its failure, and how findings are printed."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic


class BuildError(Exception):
    """The build could not run (bad input, broken stylesheet); previous output is intact."""


@dataclass
class BuildResult:
    format: str
    out: Path
    written: int = 0
    skipped: int = 0
    seconds: float = 0.0
    ok: bool = True
    messages: list[str] = field(default_factory=list)
    # findings about single files that did not stop the build (a page the stylesheet could not
    # render); build() reports them on stderr as they come
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """A file was skipped or kept stale (malformed), or a page made without its markup (the
        stylesheet failed on it): the rest is published, and the command exits with status 1."""
        return any(d.is_error for d in self.diagnostics) or \
            any(m.startswith(("skipped ", "stale ")) for m in self.messages)

    def summary(self) -> str:
        state = ("built with errors" if self.has_errors else "built") if self.ok else "FAILED"
        extra = f", {self.skipped} up to date" if self.skipped else ""
        lines = [f"{self.format}: {state} {self.written} file{'s' if self.written != 1 else ''}"
                 f"{extra} in {self.seconds:.2f} s → {self.out}"]
        return "\n".join(lines + [f"  {m}" for m in self.messages])


def format_diagnostic(d: Diagnostic) -> str:
    where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
    return f"{where}: {d.severity}: {d.message} [{d.rule}]" + (f"\n    hint: {d.hint}" if d.hint else "")


def print_diagnostics(diags) -> None:
    """The default `report` of a build: each finding on stderr, one line (and a hint) each."""
    for d in diags:
        print(format_diagnostic(d), file=sys.stderr, flush=True)
