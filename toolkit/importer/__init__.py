"""`edition import`: a plain-text transcription (a translated document page with the
translator's bracketed remarks) → a TEI draft in the edition, plus a report.

Data flows one way:

    reader (bytes → blocks) → structure (page parts) → markup (names, dates, remarks)
    → writer (TEI tree) → file → validate → report

`import_file` is the API; the CLI only formats its report. Bad input raises `ImportFailure`
carrying a Diagnostic (file, line, column); nothing here prints.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from pathlib import Path
from urllib.parse import quote

from ..config import REPOSITORIES, Config, ImportOptions
from ..diagnostics import ERROR, Diagnostic
from ..model import Edition, canon, norm_space
from ..xmlsafe import TEI_NS
from . import reader, structure
from .entities import Gazetteer
from .markup import Marker
from .reader import ImportFailure
from .report import FORMATS, ImportReport, display
from .writer import Context, Writer, serialize

__all__ = ["import_file", "ImportFailure", "ImportReport", "FORMATS", "REPOSITORIES"]

_DOC_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _fail(path: str, message: str, rule: str, hint: str = ""):
    raise ImportFailure(Diagnostic(path, 1, 1, ERROR, message, rule, hint))


def _repositories(options: ImportOptions) -> dict[str, dict]:
    """The known archives ([import] repositories: the defaults and the edition's)."""
    return {name: {"settlement": r.settlement, "language": r.language}
            for name, r in options.repositories.items()}


def draft_name(options: ImportOptions, date: str | None) -> str:
    """The file name of a draft dated `date` (ISO), from [import] file_name."""
    when = date or "undated"
    return options.file_name.format(date=when, year=when[:4] if date else when)


def _doc_id(options: ImportOptions, output: Path, date: str | None) -> str:
    """The document's xml:id: the draft's name without .xml; if that is no id, the default
    name's, else 'document'."""
    for stem in (output.stem, Path(draft_name(options, date)).stem):
        if _DOC_ID.fullmatch(stem):
            return stem
    return "document"


def _hand_ids(options: ImportOptions, doc_id: str, taken: set[str]) -> dict[str, str]:
    """The ids of the two hands ([import] archive_hand, signature_hand); ids are unique across
    the edition, so one another document has gets this document's id appended (without the
    file name's fixed start: hand-archive-1937-06-14, not hand-archive-doc-1937-06-14)."""
    prefix = options.file_name.split("{", 1)[0]
    suffix = doc_id[len(prefix):] if prefix and doc_id.startswith(prefix) and doc_id != prefix else doc_id
    ids = {"archive": options.archive_hand, "signature": options.signature_hand}
    return {k: (v if v not in taken else f"{v}-{suffix}") for k, v in ids.items()}


def _schema_refs(config: Config, folder: Path) -> list[tuple[str, str]]:
    """(kind, href) of the schemas edition.toml names ([edition] schema, schematron), as seen
    from the document folder; none when it names none. The href is a URI reference: a space or
    quote in a folder's name is %-escaped (so it cannot end the pseudo-attribute or the PI)."""
    def href(p: str) -> str:
        return quote(Path(os.path.relpath(canon(config.resolve(p)), folder)).as_posix())
    return ([("rng", href(config.schema))] if config.schema else []) + [("sch", href(s)) for s in config.schematron]


def _rights(edition: Edition) -> tuple[str | None, str | None, str | None]:
    """(availability xml:id, its text, licence target) of the edition file, if any."""
    if edition.edition_path is None or edition.edition_path not in edition.files:
        return None, None, None
    src = edition.files[edition.edition_path]
    if not src.ok:
        return None, None, None
    ns = {"t": TEI_NS}
    av = src.root.xpath("//t:publicationStmt/t:availability[@xml:id]", namespaces=ns)
    lic = src.root.xpath("//t:publicationStmt//t:licence/@target", namespaces=ns)
    rid = av[0].get("{http://www.w3.org/XML/1998/namespace}id") if av else None
    text = norm_space(" ".join("".join(p.itertext()) for p in av[0].findall(f"{{{TEI_NS}}}p"))) if av else None
    return rid, text, (str(lic[0]) if lic else None)


def default_folder(edition: Edition) -> Path:
    """Where documents live: the folder of the edition's document sources (tei/)."""
    return edition.base


def import_file(config: Config, source: Path, output: Path | None = None, force: bool = False,
                encoding: str | None = None, validate: bool = True,
                edition: Edition | None = None) -> ImportReport:
    """Import `source` into the edition described by `config`; return the report.

    The draft goes to `output`, or to the edition's document folder under the name [import]
    file_name gives (doc-<date>.xml by default). An existing file is never overwritten unless
    `force`; the input is never written.
    """
    src = reader.read(source, display(source), encoding)
    page = structure.parse(reader.blocks(src))
    report = ImportReport(display(source))
    for w in src.warnings + page.warnings:
        report.warn(w)

    options = config.options("import")
    date = page.date[0] if page.date else None
    edition = edition or Edition.load(config)
    if output is None:
        if date is None:
            _fail(report.input, "no document date found at the top of the page, so no file name "
                                "can be derived", "import.no-date", "give the output file with -o")
        output = default_folder(edition) / draft_name(options, date)
    output = Path(output)
    report.output = display(output)
    _check_output(output, source, force, report.output)

    doc_id = _doc_id(options, output, date)
    # Links are written as seen from the edition's document folder, where the draft belongs; a
    # draft written elsewhere (-o) becomes valid once moved there.
    folder = canon(default_folder(edition))
    inside = canon(output.parent) == folder
    hrefs = {eid: f"{Path(os.path.relpath(canon(ent.file), folder)).as_posix()}#{eid}"
             for eid, ent in edition.entities.items()}
    rights_id, rights_text, licence = _rights(edition)
    edition_href = (Path(os.path.relpath(edition.edition_path, folder)).as_posix()
                    if edition.edition_path else "edition.xml")
    taken = {i for path, ids in edition.ids.items() if path != canon(output) for i in ids}
    ctx = Context(doc_id, date, hrefs, config.title, edition_href, rights_id, rights_text, licence,
                  _schema_refs(config, folder), _repositories(options), _hand_ids(options, doc_id, taken))

    import datetime as dt
    ref_date = None
    if page.date:
        iso = page.date[0]
        ref_date = dt.date.fromisoformat(iso if len(iso) == 10 else (iso + "-15" if len(iso) == 7 else iso + "-07-01"))
    marker = Marker(Gazetteer(edition.entities.values()), ref_date, report)
    tree = Writer(page, marker, ctx, report).build()
    data = serialize(tree)
    _write(output, data, force)
    report.written = True

    if edition.edition_path is not None:
        report.todo.append(f"add {output.name} to the document list in "
                           f"{display(edition.edition_path)} (not changed by the importer)")
    if report.unknown:
        report.todo.append("add the unknown names that are names to the authority files, then "
                           "re-import with --force (or tag them by hand)")
    if not inside:
        report.todo.append(f"move the draft into {display(folder)}/: its links and schema references "
                           f"are written as from there; then run `edition validate` on it")
    elif validate:
        from ..validate.validator import validate as run_validate
        report.validation = run_validate(config, [output]).diagnostics
    return report


def _check_output(output: Path, source: Path, force: bool, shown: str):
    """Refuse, before any work, an output that is a folder, the input itself (by any path), an
    existing file without --force, or anything but a regular file with it (a symbolic link, a
    device): --force replaces a draft, never what a link points to or a special file."""
    try:
        st = os.lstat(output)
    except FileNotFoundError:
        st = None
    except OSError as e:
        _fail(shown, f"cannot use the output: {e.strerror or e}", "import.output")
    if st is not None and stat.S_ISDIR(st.st_mode):
        _fail(shown, "the output is a folder; give a file name", "import.output")
    if canon(output) == canon(source) or (st is not None and _same_file(output, source)):
        _fail(shown, "the output would overwrite the input file", "import.output")
    if st is not None and not force:
        _fail(shown, "the file exists already; it is not overwritten", "import.exists",
              "use --force to replace it, or -o to write elsewhere")
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        _fail(shown, f"the output is {what}; it is not replaced, even with --force", "import.output",
              "give the path of a regular file with -o")
    if not output.parent.is_dir():
        _fail(shown, f"the folder {output.parent} does not exist", "import.output")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _write(path: Path, data: bytes, force: bool):
    """Write the draft through a temporary file in the same folder, so that no reader ever sees
    half a draft. A new file gets the mode the user's umask gives (0644 with umask 022); a file
    replaced with --force keeps its mode (and, where allowed, its owner and group). Without
    --force the temporary file is hard-linked into place, which fails if the name is taken."""
    shown = display(path)
    existing = None
    if force:
        try:
            existing = os.lstat(path)
        except FileNotFoundError:
            pass
        except OSError as e:
            _fail(shown, f"cannot write the file: {e.strerror or e}", "import.output")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            _fail(shown, "the output is not a regular file; it is not replaced", "import.output")
    tmp = None
    try:
        fd, tmp = _temp_beside(path)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if existing is not None:
                _keep_mode(f.fileno(), existing)
            os.fsync(f.fileno())
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path, data, shown)
    except FileExistsError:
        _fail(shown, "the file exists already; it is not overwritten", "import.exists",
              "use --force to replace it")
    except OSError as e:
        _fail(shown, f"cannot write the file: {e.strerror or e}", "import.output")
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new, empty temporary file next to `path`, created with mode 0666 so that the umask
    decides (mkstemp would make it 0600, and the draft would keep that)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def _keep_mode(fd: int, st: os.stat_result):
    try:
        os.fchown(fd, st.st_uid, st.st_gid)   # first: a change of owner clears set-id bits
    except PermissionError:
        pass          # only root may give a file away; the mode is kept all the same
    os.fchmod(fd, stat.S_IMODE(st.st_mode))


def _link_new(tmp: str, path: Path, data: bytes, shown: str):
    """Put the finished temporary file at `path` unless something is there already."""
    try:
        os.link(tmp, path)
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EMLINK):
            raise
        # no hard links on this file system: create exclusively and write in place
        with open(path, "xb") as f:
            f.write(data)
