"""What the importer did and what needs a human: counts, tagged names, remarks encoded, unknown
name candidates, warnings (all with input line numbers), and the draft's validation result."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, sort_diagnostics


# Warnings listed per rule; the others of that rule are counted.
WARNINGS_PER_RULE = 100


@dataclass
class Tagged:
    kind: str            # person | place | org | date
    target: str          # entity id, or the ISO value of a date
    text: str
    line: int
    section: str         # header | text


@dataclass
class Encoded:
    kind: str            # handwritten | seal | signed | alternative | supplied | editorial
    text: str
    line: int


@dataclass
class Unknown:
    text: str
    kind: str            # person | place | org | unknown (a guess)
    lines: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    input: str
    output: str = ""
    written: bool = False
    tagged: list[Tagged] = field(default_factory=list)
    remarks: list[Encoded] = field(default_factory=list)
    unknown: dict[str, Unknown] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    validation: list[Diagnostic] | None = None
    todo: list[str] = field(default_factory=list)
    _candidate_lines: set = field(default_factory=set, repr=False, compare=False)
    warned: Counter = field(default_factory=Counter)     # rule → warnings found (listed or not)

    # -- collecting ------------------------------------------------------------------------
    def tag(self, kind: str, target: str, text: str, line: int, section: str):
        self.tagged.append(Tagged(kind, target, " ".join(text.split()), line, section))

    def remark(self, kind: str, text: str, line: int):
        self.remarks.append(Encoded(kind, " ".join(text.split()), line))

    def candidate(self, text: str, kind: str, line: int):
        text = " ".join(text.split())
        u = self.unknown.setdefault(text, Unknown(text, kind))
        if (text, line) not in self._candidate_lines:     # a set: a name on many lines stays linear
            self._candidate_lines.add((text, line))
            u.lines.append(line)
        if u.kind == "unknown" and kind != "unknown":
            u.kind = kind

    def warn(self, d: Diagnostic | None):
        """Keep the first WARNINGS_PER_RULE warnings of each rule; count the rest (a page with a
        hundred thousand stray brackets needs one line saying so, not a hundred thousand)."""
        if d is None:
            return
        self.warned[d.rule] += 1
        if self.warned[d.rule] <= WARNINGS_PER_RULE:
            self.warnings.append(d)

    @property
    def omitted(self) -> dict[str, int]:
        """rule → warnings found but not listed."""
        return {r: n - WARNINGS_PER_RULE for r, n in sorted(self.warned.items()) if n > WARNINGS_PER_RULE}

    # -- reading ---------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        c = Counter(t.kind for t in self.tagged)
        out = {k: c.get(k, 0) for k in ("person", "place", "org", "date")}
        r = Counter(e.kind for e in self.remarks)
        out.update({f"remarks.{k}": v for k, v in sorted(r.items())})
        return out

    @property
    def validation_errors(self) -> int:
        return sum(d.is_error for d in self.validation or [])

    def as_dict(self) -> dict:
        return {
            "input": self.input, "output": self.output, "written": self.written,
            "counts": self.counts(),
            "tagged": [asdict(t) for t in self.tagged],
            "remarks": [asdict(e) for e in self.remarks],
            "unknown_names": [asdict(u) for u in sorted(self.unknown.values(), key=lambda u: u.lines[0])],
            "warnings": [asdict(d) for d in sort_diagnostics(self.warnings)],
            "warnings_omitted": self.omitted,
            "validation": None if self.validation is None else {
                "errors": self.validation_errors,
                "warnings": sum(not d.is_error for d in self.validation),
                "diagnostics": [asdict(d) for d in self.validation]},
            "todo": self.todo,
        }


def format_json(report: ImportReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


def format_text(report: ImportReport) -> str:
    c = report.counts()
    out = [f"{report.input} → {report.output}" + ("" if report.written else " (not written)")]
    header = sum(1 for t in report.tagged if t.section == "header")
    out.append(f"tagged: {c['person']} persons, {c['place']} places, {c['org']} organisations, "
               f"{c['date']} dates ({len(report.tagged) - header} in the text, {header} in the header)")
    kinds = Counter(e.kind for e in report.remarks)
    if kinds:
        out.append("remarks encoded: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    for e in report.remarks:
        out.append(f"  line {e.line}: {e.kind}: {e.text}")
    if report.unknown:
        out.append(f"unknown name candidates ({len(report.unknown)}; add them to the authority "
                   f"files if they are names):")
        for u in sorted(report.unknown.values(), key=lambda u: u.lines[0]):
            out.append(f"  {u.text} ({u.kind}) — line{'s' if len(u.lines) > 1 else ''} "
                       f"{', '.join(map(str, u.lines))}")
    warnings = sort_diagnostics(report.warnings)
    if warnings:
        out.append(f"needs a human ({sum(report.warned.values())}):")
        for d in warnings:
            out.append(f"  {d.path}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.rule}]")
        for rule, n in report.omitted.items():
            out.append(f"  … and {n} more [{rule}] (the first {WARNINGS_PER_RULE} are listed)")
    if report.todo:
        out.append("to do:")
        out += [f"  {t}" for t in report.todo]
    if report.validation is None:
        out.append("validation of the draft: not run")
    else:
        errs = report.validation_errors
        warns = len(report.validation) - errs
        out.append(f"validation of the draft: {errs} error{'s' if errs != 1 else ''}, "
                   f"{warns} warning{'s' if warns != 1 else ''}")
        for d in report.validation:
            out.append(f"  {d.path}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.rule}]")
    return "\n".join(out)


FORMATS = {"text": format_text, "json": format_json}


def display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
