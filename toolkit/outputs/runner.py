"""`edition build`: load the edition once, then run each requested output's builder."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..diagnostics import WARNING, Diagnostic
from ..tei.classes import CLASSES
from ..tei.conventions import CONVENTION_TABLES
from ..model import ENTITY_KINDS, XML_ID, Edition, T, canon
from .publish import check_output


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


def load_for_build(config: Config, paths: list[Path], authority: list[Path],
                   known: dict | None = None, html_target: Path | None = None,
                   reuse: bool = True) -> Edition:
    """The edition, or an ad hoc one made of the given files/folders and authority files.

    `known` (the HTML build's file facts from its previous build, see html.load_known) lets
    documents whose bytes are unchanged skip the parse (with `reuse`): they get an id-only
    stand-in built from the ids the previous build recorded, and their document facts come from
    the same record. A document file that cannot be read now keeps the facts of its last good
    version that `html_target` published (html.recover_from; Edition.stale lists it)."""
    if paths:
        from ..validate.validator import expand_paths
        refused: dict = {}
        files = expand_paths(paths, refused=refused)
        config = Config(root=Path.cwd().resolve(), title=adhoc_title(config, paths),
                        sources=[str(p.resolve()) for p in files],
                        authority=[str(a.resolve()) for a in authority],
                        # the edition's conventions hold for its files built alone too
                        _options={t: config.options(t) for t in CONVENTION_TABLES})
        config.source_files()
        config._refused.update(refused)  # links out of a given folder: reported, never read
        authority = []
    recover = None
    if known and html_target is not None:
        from .html import recover_from
        recover = recover_from(html_target, known)
    if not known or not reuse:
        return Edition.load(config, authority=authority, recover=recover)
    from .html import stand_ins
    parsed, docs = stand_ins(config, authority, known)
    return Edition.load(config, authority=authority, parsed=parsed, known_documents=docs,
                        recover=recover)


def _protected(config: Config, paths: list[Path], authority: list[Path]) -> list[Path]:
    """What no output folder may contain: the edition's root and its source folders (or the
    files and folders given for an ad hoc build), and the authority files."""
    if paths:
        out = list(paths)
    else:
        out = [config.root] if config.path is not None else []
        out += sorted({p.parent for p in config.source_files()})
    return out + [Path(a) for a in authority]


def adhoc_title(config: Config, paths: list[Path]) -> str:
    """The site title of an ad hoc build: the edition's, when every path given lies inside the
    edition found (edition.toml here or above); else the folder's name when one folder is given
    (the letters corpus: "letters"); else "TEI documents". (An edition's title on another
    corpus, built from inside the edition's folder, would mislabel every page.)"""
    resolved = [Path(p).resolve() for p in paths]
    if config.path and all(p.is_relative_to(config.root) for p in resolved):
        return config.title
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0].name
    return "TEI documents"


def format_diagnostic(d: Diagnostic) -> str:
    where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
    return f"{where}: {d.severity}: {d.message} [{d.rule}]" + (f"\n    hint: {d.hint}" if d.hint else "")


def print_diagnostics(diags) -> None:
    """The default `report` of build(): each finding on stderr, one line (and a hint) each."""
    for d in diags:
        print(format_diagnostic(d), file=sys.stderr, flush=True)


ENTITY_LISTS = CLASSES.ordered("authority-lists")


def authority_warnings(edition: Edition, given: list[Path]) -> list[Diagnostic]:
    """A warning for each authority file that can give the edition no entity: one with no
    listPerson, listPlace or listOrg (a file of another kind given with --authority, such as the
    letters' indices/siglen.xml), or whose lists have no entry with an xml:id. Unreadable files
    are reported (and skipped) like any malformed file."""
    out = []
    giving = {canon(Path(e.file)) for e in edition.entities.values()}  # files that gave entities
    for x in dict.fromkeys(given):
        # an ad hoc build knows its files by their resolved paths (load_for_build), an
        # edition's by the configured ones: a path given through a symlink is found either way
        p = canon(Path(x))
        if p not in edition.files:
            p = canon(Path(x).resolve())
        src = edition.files.get(p)
        if src is None or not src.ok:
            continue
        if p in giving:
            continue  # it gives entities (also without a list: <particDesc><person xml:id>)
        if next(src.root.iter(*(T + k for k in ENTITY_LISTS)), None) is None:
            msg = "an authority file with no listPerson, listPlace or listOrg: no entity is taken from it"
            hint = "give --authority only files that list persons, places or organisations"
        elif not any(e.get(XML_ID) for e in src.root.iter(*(T + k for k in ENTITY_KINDS))):
            msg = "an authority file whose lists have no person, place or organisation with an xml:id"
            hint = "entities are found by their xml:id; entries without one cannot be pointed to"
        else:  # entries with ids, none taken (each id already given by another file)
            msg = "an authority file that gives no entity: its ids are those of entries found elsewhere"
            hint = "an id names one entity across the edition's authority files"
        out.append(Diagnostic(src.display, 0, 0, WARNING, msg, "build.authority", hint))
    return out


def _os_error(e: OSError, target: Path) -> str:
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


def id_clash_warnings(edition: Edition) -> list[Diagnostic]:
    """A warning for each id that several documents give (Edition.documents renames them)."""
    out = []
    by_path = {canon(d.file): d for d in edition.documents}
    for i, paths in edition.id_clashes:
        names = [f"{edition.files[canon(p)].display} → {by_path[canon(p)].id}" for p in paths]
        first = edition.files[canon(paths[0])].display
        out.append(Diagnostic(first, 0, 0, WARNING,
                              f"{len(paths)} documents have the id '{i}' ({'; '.join(names)}): each "
                              f"is published under its file's name", "build.duplicate-id",
                              "give each document's TEI root an xml:id of its own"))
    return out


def build(config: Config, formats: list[str], paths: list[Path] | None = None, out: Path | None = None,
          authority: list[Path] | None = None, full: bool = False, interactive: bool = False,
          search_index: bool = True, report=print_diagnostics, strict: bool = False) -> list[BuildResult]:
    """Build each format. search_index=False (--no-search) leaves the HTML site's Pagefind
    index out (a quicker preview; the next build with it indexes every page). strict=True makes
    a PDF that would be degraded (a character no font has, a document Typst fails on) a
    failure: nothing is written.

    `report` receives the findings that do not stop the build (an authority file that gives no
    entity, a page the stylesheet could not render) as they are known: on stderr by default.
    They are also in each result's `diagnostics`."""
    paths = paths or []
    if paths and out is None and len(formats) == 1:
        raise BuildError("building files ad hoc needs --out DIR (the edition's output/ is kept "
                         "for the edition itself)")
    targets = {fmt: (out if (out and len(formats) == 1) else (out / fmt if out else config.output_dir / fmt))
               for fmt in formats}
    protect = _protected(config, paths, authority or [])
    for fmt in formats:  # before any work: a folder that is not ours is refused, nothing touched
        targets[fmt] = check_output(targets[fmt], protect)
    # the HTML build's state: facts of unchanged files (an HTML-only build need not parse them)
    # and of the last good version of each document (one that cannot be read now keeps its page)
    html_target = targets.get("html", out if out else config.output_dir / "html")
    from .html import load_known
    known = load_known(html_target) if html_target.is_dir() else {}
    edition = load_for_build(config, paths, authority or [], known, html_target,
                             reuse=formats == ["html"] and not full)
    given = [*(authority or []), *(config.authority_files() if not paths else [])]
    warnings = authority_warnings(edition, given) + id_clash_warnings(edition)
    if warnings and report:
        report(warnings)
    bad = [d for f in edition.files.values() for d in f.diagnostics if d.is_error]
    if bad and not edition.documents:
        d = bad[0]
        raise BuildError(f"{d.path}:{d.line}:{d.column}: {d.message}")
    results = []
    for fmt in formats:
        target = targets[fmt]
        start = time.perf_counter()
        if fmt == "html":
            from .html import build_html as builder
        elif fmt == "pdf":
            from .pdf import build_pdf as builder
        else:
            raise BuildError(f"unknown output format '{fmt}'")
        extra = {"search_index": False} if fmt == "html" and not search_index else {}
        if report:
            extra["report"] = report
        if fmt == "pdf":
            extra["strict"] = strict
        try:
            result = builder(edition, target, full=full, interactive=interactive, **extra)
        except OSError as e:  # the machine, not the edition: a read-only folder, a full disk
            raise BuildError(_os_error(e, target)) from None
        result.diagnostics[:0] = warnings
        result.seconds = time.perf_counter() - start
        for f in edition.files.values():
            for d in f.diagnostics:
                if d.is_error:
                    result.messages.append(f"skipped {d.path}:{d.line}:{d.column}: {d.message} "
                                           f"(no earlier version published: no page)")
        for diags in edition.stale.values():
            for d in diags:
                if d.is_error:
                    result.messages.append(f"stale {d.path}:{d.line}:{d.column}: {d.message} "
                                           f"(its last good version stays published)")
        results.append(result)
    return results
