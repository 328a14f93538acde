"""Diagnostics: one small value per finding, and the formatters that print them.

Every check yields Diagnostic values; nothing prints from deep inside. Formatters turn a
sorted list into text (optionally coloured), JSON or GitHub workflow annotations.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

ERROR = "error"
WARNING = "warning"
# below a warning: what the reader cannot act on (the TEI's own ODD compiled with a remark).
# Text output shows it only when asked (--verbose); JSON always carries it; GitHub: ::notice.
# It never changes an exit status (only errors do).
INFO = "info"
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
# Schematron roles (@role of an assert or report) that make a finding a warning; any other role,
# or none, makes it an error. Both Schematron engines (schematron, schematron_lite) read it here.
WARNING_ROLES = frozenset(("warning", "warn", "info", "information", "informational", "nonfatal", "hint"))


def severity_of_role(role: str | None) -> str:
    """The severity of a Schematron finding with this @role."""
    return WARNING if (role or "").strip().lower() in WARNING_ROLES else ERROR


@dataclass(frozen=True, order=False)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: str
    message: str
    rule: str
    hint: str = field(default="", compare=False)

    def __post_init__(self):
        if self.line >= RELOCATED_BASE:  # a place in an included file (see relocated)
            path, line, col = _relocations[self.line - RELOCATED_BASE]
            object.__setattr__(self, "path", path)
            object.__setattr__(self, "line", line)
            object.__setattr__(self, "column", col)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def is_info(self) -> bool:
        return self.severity == INFO

    def sort_key(self):
        return (self.path, self.line, self.column, _SEVERITY_ORDER.get(self.severity, 9),
                self.rule, self.message)


# An element copied into a document by XInclude is reported in its own file at its own line
# (toolkit/xinclude.py): SourceFile.position answers a ticket line (RELOCATED_BASE + n) that
# Diagnostic swaps for the included file's path, line and column, so that every check that
# reports `Diagnostic(src.display, *src.position(el))` names the right file unchanged.
RELOCATED_BASE = 1 << 40
_relocations: list[tuple[str, int, int]] = []
_relocation_index: dict[tuple[str, int, int], int] = {}


def relocated(path: str, line: int, column: int) -> tuple[int, int]:
    """A (line, column) pair standing for a place in another file (see RELOCATED_BASE)."""
    key = (path, line, column)
    n = _relocation_index.get(key)
    if n is None:
        n = _relocation_index[key] = len(_relocations)
        _relocations.append(key)
    return RELOCATED_BASE + n, column


def place_text(line: int) -> str:
    """A line number as a message may quote it: "line 12", or "file.xml line 12" for a place in
    an included file."""
    if line >= RELOCATED_BASE:
        path, real, _ = _relocations[line - RELOCATED_BASE]
        return f"{path} line {real}"
    return f"line {line}"


def display_path(path: str | Path, root: Path | None = None) -> str:
    """A path relative to root (or the working directory) when it lies below it."""
    p = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return p.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return p.as_posix()


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    # one finding per place and rule: the Schematron and the model-based checks may both see it
    unique = {(d.path, d.line, d.column, d.severity, d.rule): d for d in diags}
    return sorted(unique.values(), key=Diagnostic.sort_key)


def summary_line(diags: list[Diagnostic], files: int, infos_shown: bool = True) -> str:
    errors = sum(d.is_error for d in diags)
    infos = sum(d.is_info for d in diags)
    warnings = len(diags) - errors - infos
    noun = "file" if files == 1 else "files"
    # files that no schema checked (schema.none, one per file) are counted apart
    bare = sum(d.rule == "schema.none" for d in diags)
    checked = f"{files} {noun} checked" + (f" ({bare} with no schema applied)" if bare else "")
    notes = ""
    if infos:
        notes = f" ({infos} note{'s' if infos != 1 else ''}" + ("" if infos_shown else ", shown with --verbose") + ")"
    if not errors and not warnings:
        return f"{checked}: no problems{notes}."
    return (f"{checked}: {errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}{notes}.")


_COLOURS = {ERROR: "1;31", WARNING: "1;33", INFO: "1;36"}


def format_text(diags: list[Diagnostic], files: int, color: bool = False, verbose: bool = False) -> str:
    """One line per finding and a summary; info lines only when verbose."""
    out = []
    for d in diags:
        if d.is_info and not verbose:
            continue
        sev = d.severity
        if color:
            sev = f"\x1b[{_COLOURS.get(sev, '1;33')}m{sev}\x1b[0m"
            loc = f"\x1b[1m{d.path}:{d.line}:{d.column}:\x1b[0m"
        else:
            loc = f"{d.path}:{d.line}:{d.column}:"
        line = f"{loc} {sev}: {d.message} [{d.rule}]"
        if d.hint:
            line += f"\n    hint: {d.hint}"
        out.append(line)
    out.append(summary_line(diags, files, infos_shown=verbose))
    return "\n".join(out)


def format_json(diags: list[Diagnostic], files: int, schemas: dict | None = None) -> str:
    """`schemas`: each checked file's schemas (those applied; an empty list: none)."""
    out = {
        "files": files,
        "errors": sum(d.is_error for d in diags),
        "warnings": sum(d.severity == WARNING for d in diags),
        "notes": sum(d.is_info for d in diags),
        "without_schema": sum(d.rule == "schema.none" for d in diags),
        "diagnostics": [asdict(d) for d in diags],
    }
    if schemas is not None:
        out["schemas"] = schemas
    return json.dumps(out, ensure_ascii=False, indent=2)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diags: list[Diagnostic], files: int) -> str:
    """GitHub Actions workflow commands: one ::error/::warning/::notice annotation per diagnostic."""
    out = []
    for d in diags:
        kind = "error" if d.is_error else "notice" if d.is_info else "warning"
        msg = d.message + (f" (hint: {d.hint})" if d.hint else "")
        out.append(f"::{kind} file={_gh_escape(d.path, True)},line={d.line},col={d.column},"
                   f"title={_gh_escape(d.rule, True)}::{_gh_escape(msg)}")
    out.append(summary_line(diags, files))
    return "\n".join(out)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
