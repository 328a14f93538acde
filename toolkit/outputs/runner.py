"""`edition build`: load the edition once, then run each requested output's builder (registry)
under the shared policy (base.run)."""
from __future__ import annotations

from pathlib import Path

from .. import messages
from ..config import Config
from ..options import read_options
from ..diagnostics import WARNING, Diagnostic
from ..tei.classes import CLASSES
from ..tei.conventions import CONVENTION_TABLES
from ..model import ENTITY_KINDS, XML_ID, Edition, T, canon
from . import registry
from .base import BuildError, BuildResult, Job, print_diagnostics, run, source_problems, with_overrides
from .publish import check_output

__all__ = ["BuildError", "BuildResult", "build", "load_for_build", "print_diagnostics"]


def load_for_build(config: Config, paths: list[Path], authority: list[Path],
                   known: dict | None = None, html_target: Path | None = None,
                   reuse: bool = True, compact: bool = False) -> Edition:
    """The edition, or an ad hoc one made of the given files/folders and authority files.

    `known` (the HTML build's file facts from its previous build, see html.load_known) lets
    documents whose bytes are unchanged skip the parse (with `reuse`): they get an id-only
    stand-in built from the ids the previous build recorded, and their document facts come from
    the same record. A document file that cannot be read now keeps the facts of its last good
    version that `html_target` published (html.recover_from; Edition.stale lists it).

    `compact` (the builders cope with stand-ins): every other plain document is read into a
    record (html/records.py) and stands in too, so that the model holds no document's tree;
    the records are the edition's `records`."""
    if paths:
        from ..validate.validator import expand_paths
        refused: dict = {}
        files = expand_paths(paths, refused=refused)
        config = Config(root=Path.cwd().resolve(), title=adhoc_title(config, paths),
                        sources=[str(p.resolve()) for p in files],
                        authority=[str(a.resolve()) for a in authority],
                        # the edition's conventions hold for its files built alone too
                        _options={t: config.options(t) for t in CONVENTION_TABLES})
        config.add_refused(refused)  # links out of a given folder: reported, never read
        config._include_roots = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
        authority = []
    recover = None
    if html_target is not None:  # (the state read only if needed, when not given: a full build)
        from .html import recover_from
        recover = recover_from(html_target, known if known and reuse else None)
    if (not known or not reuse) and not compact:
        return Edition.load(config, authority=authority, recover=recover)
    from .html import stand_ins
    parsed, docs = stand_ins(config, authority, known) if known and reuse else ({}, {})
    records = None
    if compact:
        from .html import records as html_records
        from .html.incremental import not_documents
        from .html.incremental import state_store
        # (the records' facts go to the HTML build's state as they come: html/store.py)
        records = html_records.load(config, parsed, docs, not_documents(config, authority),
                                    store=state_store(html_target) if html_target is not None else None)
    edition = Edition.load(config, authority=authority, parsed=parsed, known_documents=docs,
                           recover=recover)
    edition.records = records
    return edition


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


def include_warnings(edition: Edition) -> list[Diagnostic]:
    """What the expansion of xi:include left out or refused (toolkit/xinclude.py), and files
    whose root element makes no document (never left out in silence)."""
    out = [d for f in edition.files.values() for d in f.diagnostics if d.rule.startswith("xinclude.")]
    _ = edition.documents  # (finds the roots)
    for path, root in edition.unknown_roots:
        src = edition.files[canon(path)]
        line, col = src.position(src.root)
        out.append(Diagnostic(src.display, line, col, WARNING,
                              f"the root element <{root}> is not a document (TEI, teiCorpus, "
                              f"sourceDoc, surface or surfaceGrp): this file is not published",
                              "build.unknown-root",
                              "wrap it in a TEI document, or leave the file out of [edition] sources"))
    return out


def _options(config: Config, name: str, cls):
    """The builder's options: its table of edition.toml as read (and checked) with the file, or
    the defaults when the file has none (without asking the registry for every builder's
    options: that would read the installed packages' entry points on each build)."""
    if name in config.extra:
        return config.options(name)
    return read_options(cls.options, {}, name)


def _check_dist(dist, builders: dict):
    """The distribution asked for, checked before any work: only builders that can spread their
    documents take one, and the engine chosen must be installed (engine.EngineError)."""
    if dist is None:
        return None
    from .engine import Distribution, check_dask
    if dist == Distribution():
        return None
    if not all(cls.distributable for cls in builders.values()):
        names = ", ".join(n for n, cls in builders.items() if not cls.distributable)
        raise BuildError(f"--engine, --shard and --merge are for the HTML and PDF builds; not for {names}")
    if dist.shard and dist.merge:
        raise BuildError("give --shard (build one shard) or --merge (merge the shards), not both")
    if dist.engine == "dask" and not dist.merge:
        check_dask()
    return dist


def build(config: Config, formats: list[str], paths: list[Path] | None = None, out: Path | None = None,
          authority: list[Path] | None = None, full: bool = False, interactive: bool = False,
          search_index: bool = True, report=print_diagnostics, strict: bool = False,
          options: dict[str, dict] | None = None, dist=None) -> list[BuildResult]:
    """Build each output named in `formats` (registry: html, pdf, json and any plug-in's), each
    by base.run, the policy every builder shares. `options`: per builder, values that override
    its [<name>] table of edition.toml (the command line's flags); search_index=False is
    {"html": {"search_index": False}} (--no-search). strict=True makes an output that would be
    degraded (a source that cannot be read, a page the stylesheet fails on, a character no font
    has) a failure: nothing is written.

    `report` receives the findings that do not stop the build (an authority file that gives no
    entity, a page the stylesheet could not render) as they are known: on stderr by default.
    They are also in each result's `diagnostics`.

    `dist` (engine.Distribution): where the documents are made (another engine than the local
    pool), the shard of them this run makes, or the shard results a merge takes them from."""
    from .html.store import release_all
    try:
        return _build(config, formats, paths, out, authority, full, interactive, search_index, report, strict,
                      options, dist)
    finally:  # the HTML build's state: saved by a build that completed, else dropped
        release_all()


def _build(config: Config, formats: list[str], paths, out, authority, full, interactive, search_index, report,
           strict, options, dist) -> list[BuildResult]:
    paths = paths or []
    builders = {fmt: registry.get(fmt) for fmt in formats}  # an unknown name: before any work
    dist = _check_dist(dist, builders)
    overrides = {k: dict(v) for k, v in (options or {}).items()}
    if not search_index:
        overrides.setdefault("html", {})["search_index"] = False
    settings = {fmt: with_overrides(_options(config, fmt, cls), overrides.get(fmt)) for fmt, cls in builders.items()}
    if paths and out is None and len(formats) == 1:
        raise BuildError("building files ad hoc needs --out DIR (the edition's output/ is kept "
                         "for the edition itself)")
    targets = {fmt: (out if (out and len(formats) == 1) else (out / fmt if out else config.output_dir / fmt))
               for fmt in formats}
    if dist is not None and dist.shard and not out:  # a shard's result beside the site, never in it
        i, n = dist.shard
        targets = {fmt: config.output_dir / f"{fmt}-shard-{i}-of-{n}" for fmt in formats}
    protect = _protected(config, paths, authority or [])
    for fmt in formats:  # before any work: a folder that is not ours is refused, nothing touched
        targets[fmt] = check_output(targets[fmt], protect)
    # the HTML build's state: facts of unchanged files (a build by builders that cope with
    # stand-ins need not parse them) and of the last good version of each document (one that
    # cannot be read now keeps its page)
    html_target = targets.get("html", out if out else config.output_dir / "html")
    from .html import load_known
    reuse = all(cls.reads_stand_ins for cls in builders.values()) and not full
    # (a build that parses every document reads them only for one it cannot read: recover_from)
    known = load_known(html_target) if reuse and html_target.is_dir() else {}
    if dist is not None and dist.merge and "html" in builders:  # the shards' records of their documents
        from .shard import read_shards, records
        read_shards(dist.merge)  # (a set of shards that does not fit: refused before any work)
        known = {**known, **records(dist.merge)[0]}
    edition = load_for_build(config, paths, authority or [], known, html_target, reuse=reuse,
                             compact=all(cls.reads_stand_ins for cls in builders.values()))
    given = [*(authority or []), *(config.authority_files() if not paths else [])]
    warnings = authority_warnings(edition, given) + id_clash_warnings(edition) + include_warnings(edition)
    warnings += messages.language_warnings(config.language, config.path.name if config.path else "edition.toml")
    if warnings and report:
        report(warnings)
    skipped, _ = source_problems(edition)
    if skipped and not edition.documents:
        d = skipped[0]
        raise BuildError(f"{d.path}:{d.line}:{d.column}: {d.message}")
    results = []
    # the PDFs before the pages: the home page links the volume's files as the PDF build named
    # them (pdf_volumes); the results keep the order asked for
    asked = list(builders)
    for fmt in sorted(asked, key=lambda fmt: fmt != "pdf"):  # stable: the others keep their order
        cls = builders[fmt]
        if fmt == "html":  # the PDFs beside the pages, as the PDF build (this one or the last) named them
            from .pdf_volumes import published_volumes
            edition.pdf_volumes = published_volumes(targets.get("pdf", targets[fmt].parent / "pdf"))
        job = Job(edition, targets[fmt], settings[fmt], full=full, interactive=interactive,
                  strict=strict, report=report, dist=dist)
        result = run(cls(), job)
        result.diagnostics[:0] = warnings
        results.append((asked.index(fmt), result))
    return [result for _, result in sorted(results, key=lambda pair: pair[0])]
