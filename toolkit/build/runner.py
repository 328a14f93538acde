"""`edition build`: load the edition once, then run each requested output's builder."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..model import Edition


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

    def summary(self) -> str:
        state = "built" if self.ok else "FAILED"
        extra = f", {self.skipped} up to date" if self.skipped else ""
        lines = [f"{self.format}: {state} {self.written} file{'s' if self.written != 1 else ''}"
                 f"{extra} in {self.seconds:.2f} s → {self.out}"]
        return "\n".join(lines + [f"  {m}" for m in self.messages])


def load_for_build(config: Config, paths: list[Path], authority: list[Path],
                   known: dict | None = None) -> Edition:
    """The edition, or an ad hoc one made of the given files/folders and authority files.

    `known` (the HTML build's file facts from its previous build, see html.load_known) lets
    documents whose bytes are unchanged skip the parse: they get an id-only stand-in built from
    the ids the previous build recorded, and their document facts come from the same record."""
    if paths:
        from ..validate.validator import expand_paths
        files = expand_paths(paths)
        config = Config(root=Path.cwd().resolve(), title=config.title if config.path else "TEI documents",
                        sources=[str(p.resolve()) for p in files],
                        authority=[str(a.resolve()) for a in authority])
        authority = []
    if not known:
        return Edition.load(config, authority=authority)
    from .html import stand_ins
    parsed, docs = stand_ins(config, authority, known)
    return Edition.load(config, authority=authority, parsed=parsed, known_documents=docs)


def build(config: Config, formats: list[str], paths: list[Path] | None = None, out: Path | None = None,
          authority: list[Path] | None = None, full: bool = False, interactive: bool = False,
          search_index: bool = True) -> list[BuildResult]:
    """Build each format. search_index=False (--no-search) leaves the HTML site's Pagefind
    index out (a quicker preview; the next build with it indexes every page)."""
    paths = paths or []
    if paths and out is None and len(formats) == 1:
        raise BuildError("building files ad hoc needs --out DIR (the edition's output/ is kept "
                         "for the edition itself)")
    known = None
    if formats == ["html"] and not full:
        from .html import load_known
        known = load_known(out if out else config.output_dir / "html")
    edition = load_for_build(config, paths, authority or [], known)
    bad = [d for f in edition.files.values() for d in f.diagnostics if d.is_error]
    if bad and not edition.documents:
        d = bad[0]
        raise BuildError(f"{d.path}:{d.line}:{d.column}: {d.message}")
    results = []
    for fmt in formats:
        target = out if (out and len(formats) == 1) else (out / fmt if out else config.output_dir / fmt)
        start = time.perf_counter()
        if fmt == "html":
            from .html import build_html as builder
        elif fmt == "pdf":
            from .pdf import build_pdf as builder
        else:
            raise BuildError(f"unknown output format '{fmt}'")
        extra = {"search_index": False} if fmt == "html" and not search_index else {}
        result = builder(edition, target, full=full, interactive=interactive, **extra)
        result.seconds = time.perf_counter() - start
        for f in edition.files.values():
            for d in f.diagnostics:
                if d.is_error:
                    result.messages.append(f"skipped {d.path}:{d.line}:{d.column}: {d.message}")
        results.append(result)
    return results
