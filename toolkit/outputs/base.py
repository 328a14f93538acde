"""What every output builder shares: the Builder interface, its typed options, the job the runner
hands it, its result and failure, and the degrade-not-crash policy (`run`)."""
from __future__ import annotations

import sys
import time
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


# -- options ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoOptions:
    """A builder without options: its table in edition.toml may only be empty."""


def with_overrides(options, overrides: dict | None):
    """The options read from edition.toml with the command line's flags applied."""
    import dataclasses
    return dataclasses.replace(options, **overrides) if overrides else options


# -- builders ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Flag:
    """A command-line flag of one builder's command: `edition build <name> --flag` sets one of
    its options to a value (--no-search: the HTML builder's search_index to False)."""
    name: str
    option: str
    value: object
    help: str


@dataclass
class Job:
    """What the runner hands a builder: the edition, where to write, its options, and how."""
    edition: object               # toolkit.model.Edition
    target: Path                  # the output folder (checked: ours to replace)
    options: object               # the builder's `options` dataclass, read from edition.toml
    full: bool = False            # rebuild everything, ignoring what is up to date
    interactive: bool = False     # a terminal: a progress bar is welcome
    strict: bool = False          # a degraded output is a failure: nothing written
    report: object = print_diagnostics  # called with findings as they come (None: not at all)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # findings so far (problem)
    dist: object = None           # engine.Distribution: engine, shard, merge (None: local)

    def problem(self, diag: Diagnostic) -> None:
        """A finding that does not stop the build (a document degraded or left out): kept for
        the result, reported now; with --strict, an error stops the build (strict_failure)."""
        self.diagnostics.append(diag)
        if self.report:
            self.report([diag])

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def check_strict(self, what: str = "the output") -> None:
        """Before anything is written: with --strict, any error found so far fails the build."""
        if self.strict and self.errors:
            n = len(self.errors)
            raise BuildError(f"--strict: {n} problem{'s' if n != 1 else ''} in the sources (listed above) "
                             f"would degrade {what}; nothing written")


class Builder:
    """An output of the edition. A builder is a class with these attributes and two methods; the
    registry (toolkit/outputs/registry.py) lists the built-in ones and those other packages add
    through the entry-point group `tei_edition_toolkit.builders`. See docs/extending.md."""
    name: str = ""                  # `edition build <name>`; output/<name> by default; [<name>]
    description: str = ""           # one line, for `edition build --help`
    options: type = NoOptions       # a dataclass of typed options (option()), from [<name>]
    supports_incremental: bool = False  # rewrites only what changed since its last build (--full: all)
    default: bool = False           # made by a plain `edition build`
    reads_stand_ins: bool = False   # copes with id-only stand-ins of unchanged documents (HTML)
    flags: tuple[Flag, ...] = ()    # command-line flags of `edition build <name>`
    distributable: bool = False     # takes --engine, --scheduler, --shard, --merge (engine.py)

    def plan(self, job: Job):
        """What to write (for an incremental builder: what changed), before anything is
        written; raise BuildError when the build cannot run. Given to `build`."""
        return None

    def build(self, job: Job, plan) -> BuildResult:
        """Write the output into job.target (publish.staged_output: all or nothing), calling
        job.problem for each document degraded or left out, and job.check_strict before the
        output replaces the old one. The result's diagnostics are filled in by `run`."""
        raise NotImplementedError


def run(builder: Builder, job: Job) -> BuildResult:
    """One builder's build with the policy every builder shares: a source file that cannot be
    read is left out ("skipped") or keeps its last good output ("stale", Edition.stale), and
    is named in the result; a document the builder degrades or leaves out is an error
    diagnostic (job.problem); any error makes the result "built with errors" (exit status 1);
    with --strict, any of them fails the build before anything is written. A failure of the
    machine (a full disk) is a BuildError saying what to do; the previous output is intact."""
    start = time.perf_counter()
    skipped, stale = source_problems(job.edition)
    if job.strict and (skipped or stale):
        d = (skipped + stale)[0]
        n = len(skipped) + len(stale)
        raise BuildError(f"--strict: {n} source file{'s' if n != 1 else ''} cannot be read "
                         f"({d.path}:{d.line}:{d.column}: {d.message}{' …' if n > 1 else ''}); nothing written")
    try:
        result = builder.build(job, builder.plan(job))
    except OSError as e:  # the machine, not the edition: a read-only folder, a full disk
        raise BuildError(os_error(e, job.target)) from None
    result.diagnostics[:0] = job.diagnostics
    for d in skipped:
        result.messages.append(f"skipped {d.path}:{d.line}:{d.column}: {d.message} "
                               f"(no earlier version published: no page)")
    for d in stale:
        result.messages.append(f"stale {d.path}:{d.line}:{d.column}: {d.message} "
                               f"(its last good version stays published)")
    result.seconds = time.perf_counter() - start
    return result


def source_problems(edition) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors of files left out, errors of files standing in with their last good version)."""
    skipped = [d for f in edition.files.values() for d in f.diagnostics if d.is_error]
    stale = [d for diags in edition.stale.values() for d in diags if d.is_error]
    return skipped, stale


def os_error(e: OSError, target: Path) -> str:
    """A failure of the file system while building, in words: what could not be done, where,
    and what to do; the previous output is intact (publish.staged_output)."""
    import errno
    where = e.filename or target
    why = e.strerror or str(e)
    advice = {errno.ENOSPC: "free some space on that disk, or build elsewhere with --out",
              errno.EDQUOT: "free some space (disk quota), or build elsewhere with --out",
              errno.EFBIG: "a file is larger than this system allows (ulimit -f)",
              errno.EROFS: "the folder is on a read-only file system: build elsewhere with --out",
              errno.EACCES: "the folder is not writable for you: build elsewhere with --out",
              errno.EPERM: "the folder (or the one holding it) may not be changed: build elsewhere "
                           "with --out"}.get(e.errno, "")
    return (f"cannot write the output {target}: {why} ({where}); the previous output is unchanged"
            + (f"\n    hint: {advice}" if advice else ""))
