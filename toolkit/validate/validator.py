"""`edition validate`: well-formedness, RELAX NG, Schematron and cross-file references.

One pass: parse every file of the edition once (the model needs them all to resolve pointers),
then check the requested files and return sorted diagnostics. Nothing is printed here.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Config
from ..diagnostics import ERROR, WARNING, Diagnostic, sort_diagnostics
from ..model import CompactFile, Edition, canon, display_name
from ..xinclude import expand as expand_includes, roots_for
from ..xmlsafe import SourceFile, index_ids_only, parse_file
from . import references
from .id_table import IdTable, IdsView
from .kinds import checker as grammar_checker, label as kind_label
from .relaxng import SchemaError
from .schemas import SchemaRef, SchemaResolver


class UsageError(Exception):
    """Bad arguments (not bad input): exit code 2."""


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    notes: list[str] = field(default_factory=list)  # said once, apart from the diagnostics
    schemas: dict[str, list[str]] = field(default_factory=dict)  # file shown → the schemas applied

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)


def expand_paths(paths: list[Path], config: Config | None = None, refused: dict | None = None) -> list[Path]:
    """The XML files of the given files and folders: a folder's files below it, symbolic links
    followed only while they stay inside it (config.walk_xml; those leading out are noted in
    `refused`), hidden ones and those [validate] exclude names left out; a file named on the
    command line is taken as named (and always checked)."""
    import os
    from ..files import walk_xml
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = walk_xml(str(p), os.path.realpath(p), refused)
            found = sorted(Path(q) for q in found
                           if not any(part.startswith(".") for part in Path(q).relative_to(p).parts))
            out += without_excluded(config, found) if config is not None else found
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _glob_regex(pattern: str) -> re.Pattern:
    """A glob as glob.glob(recursive=True) reads it (files.translate), matched against a whole
    relative path; a folder also stands for everything below it."""
    from ..files import translate
    return re.compile(translate(pattern.rstrip("/").split("/")) + "(?:/.*)?")


def without_excluded(config: Config, files: list[Path]) -> list[Path]:
    """files less those that [validate] exclude names (globs relative to the edition's root)."""
    if not config.validate_exclude:
        return files
    rules = [_glob_regex(os.path.normpath(g).replace(os.sep, "/")) for g in config.validate_exclude]
    root = canon(config.root)
    keep = []
    for f in files:
        rel = os.path.relpath(canon(f), root).replace(os.sep, "/")
        if not any(r.fullmatch(rel) for r in rules):
            keep.append(f)
    return keep


def paths_outside(config: Config, targets: list[Path]) -> bool:
    """True when some checked file is not part of the configured edition."""
    edition = {canon(p) for p in config.source_files()}
    return any(canon(t) not in edition for t in targets)


def _check_schematron(src: SourceFile, ref: SchemaRef, context) -> list[Diagnostic]:
    from . import schematron  # imported lazily: Saxon starts only when Schematron is needed
    return schematron.check(src, ref.path, context_node=context)


# Large jobs are split across processes; below this many bytes the start-up is not worth it.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024


def validate(config: Config, paths: list[Path] | None = None, staged: bool = False,
             schema: Path | None = None, schematron: list[Path] | None = None,
             authority: list[Path] | None = None, progress=None,
             schema_paths=None, known_ids=None) -> Report:
    """Validate the given files (default: the whole edition, less [validate] exclude) against
    everything that applies. staged=True: what git's index holds for the next commit
    (toolkit.validate.staged). schema_paths, when given, maps the path of every schema a file
    names to the one to read (the staged check reads schemas outside the repository in place).
    known_ids, when given, answers for a file that is not checked with its (element, id) pairs
    flattened, or None: the staged check's reference index (ref_index.py) instead of a scan."""
    if staged:  # (validate_staged calls validate on what the index holds: confined there)
        from .staged import validate_staged
        return validate_staged(config.root, config_path=config.path, schema=schema,
                               schematron=schematron, authority=authority, progress=progress)
    with confined_reads(config, paths, [schema, *(schematron or [])]):
        return _validate(config, paths, schema, schematron, authority, progress, schema_paths, known_ids)


def _validate(config, paths, schema, schematron, authority, progress, schema_paths, known_ids) -> Report:
    if paths:
        targets = expand_paths(paths, config)
    else:
        targets = without_excluded(config, config.source_files())
    report = Report(files=len(targets))
    refused = config.refused_diagnostics(Path.cwd()) if not paths else []
    if not targets:
        report.diagnostics = refused
        return report
    auth = {canon(a) for a in config.authority_files() + list(authority or [])}
    # Authority files need every document parsed (unused-entry warnings): the main process
    # checks them whole, while the documents are split across processes as without them.
    auth_targets = [t for t in targets if canon(t) in auth]
    chunks = _chunks_for_processes([t for t in targets if canon(t) not in auth] if auth_targets else targets)
    if len(chunks) > 1 and config.schema_fetch == "auto":
        _prefetch(targets)  # here, once, not in every worker process
    if len(chunks) == 1:
        diags, report.schemas = _check(config, targets, targets, schema, schematron, authority, progress,
                                       False, schema_paths, known_ids)
    else:
        import multiprocessing
        global _claims, _id_table
        ctx = multiprocessing.get_context("fork")
        _claims = ctx.Array("b", len(targets))  # inherited by the forked workers
        if known_ids is None:  # read once here, shared with the workers (id_table.py)
            _id_table = _table_for(config, targets, authority)
        for n, t in enumerate(targets):  # the authority files are the main process's alone
            if canon(t) in auth:
                _claims[n] = 1
        # With authority files, this process checks them (reading every document whole, a
        # third of the job at 6,000 documents) and the workers all the documents; else it
        # takes a chunk of documents itself.
        mine = None if auth_targets else chunks[0]
        try:
            with ctx.Pool(len(chunks) - (mine is not None)) as pool:
                others = [pool.apply_async(_check, (config, chunk, targets, schema, schematron,
                                                    authority, None, True, schema_paths, known_ids))
                          for chunk in chunks if chunk is not mine]
                if mine is None:
                    diags, report.schemas = _check(config, auth_targets, targets, schema, schematron,
                                                   authority, progress, False, schema_paths, known_ids)
                else:
                    diags, report.schemas = _check(config, mine, targets, schema, schematron, authority,
                                                   progress, True, schema_paths, known_ids)
                for r in others:
                    more, applied = r.get()
                    diags += more
                    report.schemas.update(applied)
        finally:
            _claims = _id_table = None
        seen: set[str] = set()  # each chunk warns once about a remote schema: keep the first
        diags = [d for d in sort_diagnostics(diags) if d.rule not in ("schema.remote", "schema.not-cached")
                 or not (d.message in seen or seen.add(d.message))]
    from .schema_cache import take_notes
    report.notes += take_notes()
    report.schemas = dict(sorted(report.schemas.items()))
    report.diagnostics = sort_diagnostics(_drop_restatements(diags) + refused)
    return report


def _duplicate_ids_in(src: SourceFile) -> list[Diagnostic]:
    """An xml:id given twice in one file (as its xi:includes expand it): an error whatever the
    schema (and with none), at the second place, naming the first."""
    first: dict[str, object] = {}
    out = []
    for value in src.root.xpath("//@xml:id"):
        el = value.getparent()
        if value not in first:
            first[str(value)] = el
            continue
        line, col = src.position(el)
        out.append(Diagnostic(src.display, line, col, ERROR, _twice(src, str(value), first[str(value)], el),
                              "id.duplicate", "every xml:id must be unique: rename one of them"))
    return out


def _place(src: SourceFile, el) -> tuple[str, int, int]:
    """(path shown, line, column) of an element: its own file's for a part an xi:include
    brought in (Diagnostic swaps SourceFile.position's ticket for them)."""
    d = Diagnostic(src.display, *src.position(el), ERROR, "", "")
    return d.path, d.line, d.column


def _twice(src: SourceFile, value: str, first_el, el) -> str:
    """What a duplicate xml:id message says: the first place by its line when both are in one
    file; both places, file and line, when an xi:include brought one of them in."""
    (p1, l1, c1), (p2, l2, c2) = _place(src, first_el), _place(src, el)
    if p1 == p2 == src.display or (p1 == p2 and (l1, c1) != (l2, c2)):
        return f"xml:id '{value}' is used twice in this file (first on line {l1})"
    if (p1, l1, c1) == (p2, l2, c2):
        return (f"xml:id '{value}' is used twice in {src.display} as its xi:includes expand it: "
                f"the element on {p1} line {l1} is included twice")
    return (f"xml:id '{value}' is used twice in {src.display} as its xi:includes expand it: "
            f"on {p1} line {l1} and on {p2} line {l2}")


def _prefetch(targets: list[Path]) -> None:
    """Download the TEI schemas the files name that the cache lacks (errors are reported when
    the files are checked)."""
    from .schema_cache import FetchError, check_cached, fetch, named_in, note
    for tei in named_in(targets):
        if check_cached(tei)[0] is None:
            try:
                fetch(tei)
                note(f"fetched {tei.label} from {tei.url()} into the schema cache")
            except FetchError:
                pass


@contextmanager
def confined_reads(config: Config, paths: list[Path] | None, chosen=()):
    """confine_reads for one validation: the limits it set are lifted again afterwards, so a
    program that validates one edition and then reads another's schemas (a test run, an
    editor's tooling) is not held to the first edition's folder."""
    from .. import xmlsafe
    from . import schemas
    saved = (xmlsafe._read_roots, schemas._own_roots)
    try:
        confine_reads(config, paths, chosen)
        yield
    finally:
        xmlsafe._read_roots, schemas._own_roots = saved


def confine_reads(config: Config, paths: list[Path] | None, chosen=()) -> None:
    """Schemas and the files they include are read only inside the edition's folder, or the git
    repository holding it (and the toolkit's own): an xml-model in a pull request must not make
    CI read /dev/zero or a file of the machine's. A file named on the command line outside the
    edition reads its schemas from its own folder (the folder given, for a folder), and schemas
    named by --schema / --schematron are read where they are (docs/security.md)."""
    from ..config import repository_top
    from ..xmlsafe import set_read_roots
    from .schemas import set_own_roots
    root = canon(config.root)
    own = [canon(p) if p.is_dir() else canon(p).parent
           for p in paths or [] if not canon(p).is_relative_to(root)]
    set_own_roots(own)
    chosen = [canon(c).parent for c in chosen if c is not None]
    set_read_roots([config.root, *repository_top(config.root), *own, *chosen])


def _drop_restatements(diags: list[Diagnostic]) -> list[Diagnostic]:
    """A RELAX NG error that a Schematron rule states more precisely at the same place about
    the same attribute (a bad @when: "not a real date: February 1936 has 29 days") says
    nothing new: keep the precise one."""
    by_place: dict[tuple, list[Diagnostic]] = {}
    for d in diags:
        by_place.setdefault((d.path, d.line, d.column), []).append(d)
    out = []
    for d in diags:
        if d.rule == "rng":
            attrs = set(re.findall(r"@([\w:.-]+)", d.message))
            if attrs and any(o.rule != "rng" and o.severity == d.severity
                             and any(f"@{a}" in o.message for a in attrs)
                             for o in by_place[(d.path, d.line, d.column)]):
                continue
        out.append(d)
    return out


def _chunks_for_processes(targets: list[Path]) -> list[list[Path]]:
    """One chunk per core, balanced by size, when the job is big enough and forking is safe
    (Saxon not yet started in this process: a forked GraalVM isolate is not usable)."""
    import os
    from .. import saxon
    cores = min(os.cpu_count() or 1, 4)
    if cores < 2 or len(targets) < 4 or saxon.processor_started() or os.name != "posix":
        return [targets]
    sizes = {t: (t.stat().st_size if t.is_file() else 0) for t in targets}
    if sum(sizes.values()) < PARALLEL_MIN_BYTES:
        return [targets]
    chunks: list[list[Path]] = [[] for _ in range(cores)]
    load = [0] * cores
    for t in sorted(targets, key=lambda t: -sizes[t]):
        i = load.index(min(load))
        chunks[i].append(t)
        load[i] += sizes[t]
    return [sorted(c) for c in chunks if c]


# Files of a split job, one flag each: set by the process that checks the file. Each process
# checks its own chunk and then takes files the others have not reached (see _check).
_claims = None
# The ids of every file of a split job, read before the fork (id_table.py): the workers' model
# looks the files it does not check up there instead of holding a stand-in for each.
_id_table = None


def _table_for(config: Config, targets: list[Path], authority) -> IdTable:
    """The table of the files a worker's model holds (Edition.load's, in its order), less the
    authority files, which the workers parse whole."""
    whole = {canon(a) for a in config.authority_files() + list(authority or [])}
    order = dict.fromkeys([*config.source_files(), *(p for p in targets if p.exists()), *(authority or [])])
    return IdTable(list(order), whole)


def _claim(index: int) -> bool:
    """Take a file of a split job; False when another process has it."""
    with _claims.get_lock():
        if _claims[index]:
            return False
        _claims[index] = 1
        return True


def _display_names(cwd: Path):
    """display_name(path, cwd) for the thousands of files of an edition: a file below cwd (the
    usual case) needs no relpath, only its canonical form (cached) cut."""
    below = os.path.join(str(canon(cwd)), "")

    def shown(path: Path) -> str:
        s = str(canon(path))
        if s.startswith(below):
            rel = s[len(below):]
            return rel if os.sep == "/" else rel.replace(os.sep, "/")
        return display_name(path, cwd)
    return shown


class _MappedResolver:
    """A SchemaResolver whose schema paths go through a mapping (see validate's schema_paths)."""

    def __init__(self, resolver: SchemaResolver, mapping):
        self.resolver, self.mapping = resolver, mapping

    def for_file(self, src: SourceFile) -> list[SchemaRef]:
        return [replace(r, path=self.mapping(r.path)) if r.path is not None else r
                for r in self.resolver.for_file(src)]


def _pointers_needed(config: Config, resolver: SchemaResolver, sources: list[SourceFile]) -> bool:
    """Whether checking these files may look into other files: cross-file references, duplicate
    ids, or Schematron rules that read $edition-context (judged as _check does, erring on yes)."""
    if config.references != "off" and config.path is not None:
        return True
    from .schematron import uses_edition_context
    for src in sources:
        if not src.ok:
            continue
        has_sch = False
        for ref in resolver.for_file(src):
            if ref.kind == "sch" and ref.path is not None and ref.path.exists():
                has_sch = True
                if uses_edition_context(ref.path):
                    return True
        if config.references == "on" or (config.references == "auto" and not has_sch):
            return True
    return False


def _schema_label(ref: SchemaRef) -> str:
    """How a schema applied to a file is named in the report: its file name (a TEI schema with
    its version), and its kind."""
    name = ref.tei.name + (f" {ref.tei.version}" if ref.tei.version else "") if ref.tei else \
        (Path(ref.location).name if "://" not in ref.location else ref.location)
    return f"{name} ({kind_label(ref.kind)})"


def _tei_schema(config: Config, src: SourceFile, ref: SchemaRef, warned: set[str],
                diags: list[Diagnostic]) -> Path | None:
    """The cached copy of one of the TEI's published schemas, fetched now when [schemas] fetch
    is auto; None (with one warning per run) when it is not to be had."""
    from .schema_cache import FetchError, check_cached, fetch, note
    tei = ref.tei
    key = f"tei:{tei.name}:{tei.version}"
    if key in warned:
        return None
    _, why = check_cached(tei)
    if config.schema_fetch == "auto":
        try:
            path, new = fetch(tei)
        except FetchError as e:
            reason = f"it could not be downloaded: {e}"
        else:
            if new:
                note(f"fetched {tei.label} from {tei.url()} into the schema cache"
                     + (f" ({why})" if why else ""))
            return path
    else:
        reason = (why + "; " if why else "") + "[schemas] fetch = \"never\" in edition.toml"
    warned.add(key)
    diags.append(Diagnostic(src.display, ref.line, 1, WARNING,
                            f"the TEI schema '{ref.location}' is not in the toolkit's schema cache, so "
                            f"it was not checked ({reason})", "schema.not-cached",
                            f"run `{tei.fetch_command()}` to make it available"))
    return None


def _check(config: Config, targets: list[Path], all_targets: list[Path], schema, schematron,
           authority, progress, split: bool, schema_paths=None,
           known_ids=None, whole=frozenset()) -> tuple[list[Diagnostic], dict]:
    """Diagnostics for `targets`, and the schemas applied to each; the rest of the edition (and,
    when the job is split across processes, the other chunks' files) is read only as far as
    pointers need it. `whole`: files read whole all the same (a validation shard's: those its
    files point into, so that one that cannot be read is known as such, validate/shard.py)."""
    parsed: dict[Path, SourceFile] = {}
    shown = _display_names(Path.cwd())
    edition_files = config.source_files()
    auth_files = {canon(a) for a in config.authority_files() + list(authority or [])}
    # When only some files are checked and none of them is an authority file, the rest of the
    # edition is needed only for its ids (pointer targets): scan those instead of parsing them.
    light = (bool(config.authority) and len(targets) < len(edition_files)
             and not {canon(t) for t in targets} & auth_files)
    resolver = SchemaResolver(config, schema, schematron)
    if schema_paths is not None:
        resolver = _MappedResolver(resolver, schema_paths)
    # No process holds the trees of all its documents (issue #18): each is kept as a compact
    # record, with what the model needs when this process checks an authority file (its
    # mentions, for the unused-entry warnings), else its ids; a file checked here is read
    # again, whole, when its turn comes.
    records = not split and (bool({canon(t) for t in targets} & auth_files) or not config.authority)
    compact = _Compactor(config, auth_files, records, lean=True)
    # The other chunks' files are read only for what points into them (references, the
    # Schematron context, duplicate ids): not at all when nothing checked here reads them.
    needed = not split
    for p in targets:
        src = parse_file(p, display=shown(p))
        roots = roots_for(config, p)
        if src.ok:  # validated as expanded, as the editors' schema expects
            expand_includes(src, roots)
        needed = needed or _pointers_needed(config, resolver, [src])
        parsed[canon(p)] = compact(src, roots)
    extra = all_targets if needed else targets
    # A worker of a split job finds the files it does not check in the table made before the
    # fork, not as stand-ins of its own (those that could not be read: read here, for their error)
    table = _id_table if split and needed and known_ids is None else None
    for p in table.unreadable() if table is not None else ():
        if p not in parsed:
            parsed[p] = parse_file(p, display=shown(p))
    for p in edition_files + [t for t in extra if split]:
        key = canon(p)
        if key not in parsed:
            if (light or split) and key not in auth_files and key not in whole:
                if table is not None:
                    continue
                flat = known_ids(key) if known_ids is not None else None
                parsed[key] = _stand_in(p, shown(p), flat) if flat is not None \
                    else index_ids_only(p, display=shown(p))
            else:  # read whole for the model (no check here needs its tree)
                parsed[key] = compact(parse_file(p, display=shown(p)))
    loaded: list[Edition] = []
    in_hand: dict[Path, SourceFile] = {}  # the file being checked, whole

    def edition() -> Edition:
        """The model, made when first needed (checks that look at no other file never need it),
        with the file being checked whole."""
        if not loaded:
            ed = Edition.load(config, extra_files=[p for p in extra if p.exists()],
                              authority=authority or [], parsed=parsed, parsed_only=table is not None)
            if table is not None:
                ed.ids = IdsView(ed.ids, ed.files, table, shown)
            loaded.append(ed)
        loaded[0].files.update(in_hand)
        return loaded[0]

    diags: list[Diagnostic] = []
    applied: dict[str, list[str]] = {}
    remote_warned: set[str] = set()
    contexts: dict[bool, object] = {}
    claims = _claims if split else None
    index = {canon(t): n for n, t in enumerate(all_targets)} if claims is not None else {}
    good_rng: set[Path] = set()  # RELAX NG schemas this process has used without error
    checked: list[Path] = []

    def check_one(p: Path, src: SourceFile):
        nonlocal diags
        diags += src.diagnostics
        if not src.ok:
            return
        if not src.light:
            diags += _duplicate_ids_in(src)
        refs = resolver.for_file(src)
        has_sch = False
        used: list[str] = []
        for ref in refs:
            if ref.refused:
                diags.append(Diagnostic(src.display, ref.line, 1, ERROR,
                                        f"schema '{ref.location}' is not read: {ref.refused}",
                                        "schema.refused", "keep the edition's schemas inside its folder"))
                continue
            if ref.tei is not None and ref.path is None:
                ref.path = _tei_schema(config, src, ref, remote_warned, diags)
                if ref.path is None:
                    continue
            if ref.path is None:
                if ref.location not in remote_warned:
                    remote_warned.add(ref.location)
                    diags.append(Diagnostic(
                        src.display, ref.line, 1, WARNING,
                        f"the {kind_label(ref.kind)} schema "
                        f"'{ref.location}' is remote and no local copy is configured, so it was "
                        f"not checked (the toolkit downloads only the TEI's own published schemas)",
                        "schema.remote",
                        "map it to a local file in edition.toml: [schemas.map] "
                        f"\"{ref.location}\" = \"path/to/local/copy\" (or use an XML catalog)"))
                continue
            if not ref.path.exists():
                diags.append(Diagnostic(src.display, ref.line, 1, ERROR,
                                        f"schema '{ref.location}' not found (looked for {ref.path})",
                                        "schema.missing"))
                continue
            key = f"schema-error:{ref.path}"
            if key in remote_warned:
                continue  # broken: said once, and no use trying it on every file
            try:
                if ref.kind == "odd" and config.schema_fetch == "auto":
                    from .odd import ensure_base  # an ODD compiles against tei_all: fetch it once
                    ensure_base()
                if ref.grammar:
                    diags += grammar_checker(ref.kind)(src, ref.path)
                elif ref.kind == "sch":
                    has_sch = True
                    # The edition's pointers only matter for authority files (unused-entry
                    # warnings: each way a pointer resolves, once); any other file gets the
                    # slice of the context it can need, which Saxon indexes far faster.
                    from .. import context as ctx
                    from ..saxon import to_xdm
                    from .schematron import uses_edition_context
                    if not uses_edition_context(ref.path):
                        context = None  # the rules never read it: building it is wasted work
                    elif light or split or edition().role(p) != "authority":
                        context = to_xdm(ctx.for_file(edition(), p))
                    else:
                        if "authority" not in contexts:  # (its lxml tree goes before Saxon's copy)
                            from ..xmlsafe import serialize_for_saxon
                            text = serialize_for_saxon(ctx.for_authority(edition()))
                            contexts["authority"] = to_xdm(text)
                        context = contexts["authority"]
                    diags += _check_schematron(src, ref, context)
                used.append(_schema_label(ref))
            except SchemaError as e:
                remote_warned.add(key)
                diags.append(Diagnostic(display_name(ref.path, Path.cwd()), getattr(e, "line", 1), 1, ERROR,
                                        str(e), "schema.invalid"))
        applied[src.display] = used
        if not used:
            why = ("its schemas could not be used (see above)" if refs else
                   "it names none (no <?xml-model?>, xsi:schemaLocation or [edition] schema)")
            diags.append(Diagnostic(src.display, 1, 1, WARNING,
                                    "no schema applied: only well-formedness"
                                    + (" and references were" if config.references != "off" else " was")
                                    + f" checked, because {why}", "schema.none",
                                    "add an <?xml-model?> naming the schema, or set [edition] schema in edition.toml"))
        refs_on = config.references == "on" or (config.references == "auto" and not has_sch)
        if refs_on and edition().role(p) != "authority":
            diags += references.check_file(edition(), p)
        checked.append(p)
        for ref in refs:
            if ref.kind == "rng" and ref.path is not None and f"schema-error:{ref.path}" not in remote_warned:
                good_rng.add(ref.path)

    for i, p in enumerate(targets):
        if claims is not None and not _claim(index[canon(p)]):
            continue  # another process, done with its own files, has taken this one
        src = parsed[canon(p)]
        if progress:
            progress(i + 1, len(targets), src.display)
        if isinstance(src, CompactFile):
            src = in_hand[canon(p)] = compact.whole(src)
        check_one(p, src)
        if table is not None and loaded:
            # the model's memo of resolved pointers is keyed by the pointing file: of no use
            # after that file's check, and it grew by every pointer of the worker's chunk
            loaded[0]._resolved.clear()
        if in_hand:
            in_hand.clear()
            if loaded:
                loaded[0].files[canon(p)] = parsed[canon(p)]
    if claims is not None and extra is targets:
        # Done with this chunk: take files the other processes have not reached, last first.
        # Only files that look nowhere else, whose schemas are local and already in use here
        # (so that no schema-level message depends on which process checked a file).
        own = {canon(t) for t in targets}
        for p in reversed(all_targets):
            n = index[canon(p)]
            if canon(p) in own or claims[n]:
                continue
            src = parse_file(p, display=shown(p))
            if src.ok:
                expand_includes(src, roots_for(config, p))
                refs = resolver.for_file(src)
                if not refs or any(r.path is None or r.refused or r.kind not in ("rng", "sch") or not r.path.exists()
                                   or (r.kind == "rng" and r.path not in good_rng) for r in refs) \
                        or _pointers_needed(config, resolver, [src]):
                    continue
            if not _claim(n):
                continue
            check_one(p, src)
    if config.references != "off" and config.path is not None and not paths_outside(config, targets):
        # Duplicate ids across the files of an edition (one with edition.toml): an ad hoc set of
        # files is not an edition, and corpora often repeat ids from file to file by design.
        diags += references.duplicate_ids(edition(), targets)
    # (a file deleted yet still named is not broken: each document pointing into it is told)
    broken = {k: src for k, src in parsed.items()
              if not src.ok and not any(d.rule == "file.missing" for d in src.diagnostics)}
    if broken:
        diags = _pointers_into_broken_files(diags, broken, parsed, targets,
                                            [] if table is None else table.paths, shown)
    return diags, applied


class _Compactor:
    """Keeps a document that is read only for the model (not checked here) as a CompactFile:
    the process that checks the authority files then holds no document's tree (issue #18)."""

    def __init__(self, config: Config, auth_files: set[Path], records: bool = True, lean: bool = False):
        """`lean`: records without the mentions and page facts, which validate never reads."""
        from ..model import conventions, date_style
        self.config, self.auth = config, auth_files
        self.edition_file = canon(config.resolve(config.edition_file)) if config.edition_file else None
        self.conventions = conventions(config) if records else None
        self.style = date_style(config.language)
        self.lean = lean

    def __call__(self, src: SourceFile, roots: list | None = None) -> SourceFile:
        """`roots`: where its xi:includes read (xinclude.roots_for), when already known."""
        from ..model import compact_document, compactable, is_authority_tree
        key = canon(src.path)
        if not src.ok or key in self.auth or key == self.edition_file:
            return src
        roots = roots_for(self.config, src.path) if roots is None else roots
        expand_includes(src, roots)
        if not compactable(src) or (not self.config.authority and is_authority_tree(src.tree)):
            return src
        kept = compact_document(src, self.conventions, self.style, roots)
        if kept.record is not None and self.lean:
            # what validate reads of a record is its pointers and register entries (the
            # authority files' context, the entities); its mentions and page facts went unread,
            # kept for every document (1.7 KB each): not kept (issue #18)
            kept.record = replace(kept.record, mentions=[], page_facts=[])
        return kept

    def whole(self, kept: CompactFile) -> SourceFile:
        """A file kept compact, read again whole (and expanded as before) to be checked."""
        src = parse_file(kept.path, display=kept.display)
        if src.ok:
            expand_includes(src, list(kept.roots))
        return src


def _stand_in(path: Path, display: str, flat: list[str]) -> SourceFile:
    """The id-only stand-in that xmlsafe.index_ids_only makes, from the (element, id) pairs the
    reference index keeps for the file (flattened) instead of a scan of its bytes."""
    from lxml import etree
    from ..xmlsafe import TEI_NS, XML_NS
    src = SourceFile(path=path, display=display, light=True)
    root = etree.Element(f"{{{TEI_NS}}}TEI")
    xml_id = f"{{{XML_NS}}}id"
    for name, value in zip(flat[::2], flat[1::2]):
        if name == "TEI" and root.get(xml_id) is None and len(root) == 0:
            root.set(xml_id, value)
        else:
            etree.SubElement(root, f"{{{TEI_NS}}}{name}", {xml_id: value})
    src.tree = etree.ElementTree(root)
    return src


_UNRESOLVED = re.compile(r"/@[\w:.-]+ '([^']*)' points to nothing")


def _pointers_into_broken_files(diags: list[Diagnostic], broken: dict, parsed: dict,
                                targets: list[Path], tabled=(), shown=None) -> list[Diagnostic]:
    """Pointers into a file that could not be read are not each an error ("no file X in the
    edition", once per pointer): they go, and the broken file's own error stands for them,
    shown even when that file is not among those checked, with one note counting them."""
    from urllib.parse import unquote
    from .schema_cache import note
    by_display = {shown(k): k for k in tabled if k not in parsed}  # (a worker's table's files)
    by_display.update({src.display: k for k, src in parsed.items()})
    skipped: dict[Path, int] = {}
    out = []
    for d in diags:
        m = _UNRESOLVED.search(d.message) if d.rule == "ref.resolves" else None
        here = by_display.get(d.path)
        if m and here is not None and "#" in m.group(1):
            file_part = unquote(m.group(1).split("#", 1)[0])
            into = canon(here.parent / file_part) if file_part else None
            if into in broken:
                skipped[into] = skipped.get(into, 0) + 1
                continue
        out.append(d)
    checked = {canon(t) for t in targets}
    for into, n in skipped.items():
        src = broken[into]
        if into not in checked:
            out += src.diagnostics  # the reason, once, where it is
        note(f"{n} reference{'s' if n != 1 else ''} into {src.display} "
             f"{'were' if n != 1 else 'was'} not checked: that file could not be read (see its error)")
    return out
