"""Validation in shards, for CI matrices: `edition validate --shard i/n --out DIR` checks the
files of shard i of n (the HTML shards' rule, outputs.shard.in_shard, applied to each file's
path in the edition) and writes its findings to DIR (SHARD_FILE); `edition validate --merge
DIR …` checks what needs the whole edition and prints the report a whole-edition validate
prints, byte for byte, with its exit status.

The split is the one a whole-edition validate makes across processes (validator._validate):
each shard is a worker, checking its documents whole (RELAX NG, Schematron, their pointers and
ids against every file's ids, read as id-only stand-ins); the merge is the main process,
checking the authority files against every document (the unused-entry rules read every
document's pointers) and putting the findings together as that process does. The authority
files are in no shard.

A shard's record is untrusted input: the merge checks its shape, that the shards are the n of
one split, and that each was made from the inputs the merge sees (toolkit, checkout path,
edition.toml, options, every source file's bytes), and refuses anything else naming the shard.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..config import Config
from ..xmlsafe import UnreadableFile, read_regular
from ..diagnostics import ERROR, INFO, RELOCATED_BASE, WARNING, Diagnostic, sort_diagnostics
from ..model import canon
from .validator import Report, UsageError

SHARD_FILE = "edition-validate-shard.json"  # not hidden: CI artifact uploads leave those out
FORMAT = 1
MAX_BYTES = 1 << 31  # a record larger than this is not read whole
_SEVERITIES = (ERROR, WARNING, INFO)


class ShardError(UsageError):
    """A shard that cannot be written, or shards that cannot be merged (exit status 2)."""


@dataclass
class ShardResult:
    shard: tuple[int, int]
    files: int          # files this shard checked
    total: int          # files of the edition
    errors: int
    warnings: int
    record: Path


def _relative(config: Config, path: Path) -> str:
    """The file's address for the hash rule: its path from the edition's folder, with "/"
    (the same on every machine and checkout)."""
    return os.path.relpath(canon(path), canon(config.root)).replace(os.sep, "/")


def _plan(config: Config, authority) -> tuple[list[Path], set[Path]]:
    """The files a whole-edition validate checks, and those among them that are authority
    files (the merge's)."""
    from .validator import without_excluded
    targets = without_excluded(config, config.source_files())
    auth = {canon(a) for a in config.authority_files() + list(authority or [])}
    return targets, auth


def share(config: Config, targets: list[Path], auth: set[Path], i: int, n: int) -> list[Path]:
    """The files shard i of n checks: the documents (not authority files) whose path falls in it."""
    from ..outputs.shard import in_shard
    return [t for t in targets if canon(t) not in auth and in_shard(_relative(config, t), i, n)]


def _digest(parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def _file_bytes(path: Path | None) -> bytes:
    try:
        return read_regular(path, with_stat=False)[0] if path is not None else b"<none>"
    except OSError:
        return b"<unreadable>"


def inputs(config: Config, targets: list[Path], schema, schematron, authority) -> dict[str, str]:
    """What a shard's findings depend on, each part apart so that the merge can say which
    differs: the checkout path and working folder (messages name files from there), the
    edition.toml, the options given, and every file of the edition (path and bytes)."""
    files = sorted({canon(p) for p in config.source_files() + config.authority_files()
                    + list(authority or []) + targets})
    sources = hashlib.blake2b(digest_size=16)
    for p in files:
        sources.update(os.fsencode(_relative(config, p)) + b"\0" + hashlib.blake2b(_file_bytes(p)).digest())
    chosen = [schema, *(schematron or []), None, *(authority or [])]
    return {
        "toolkit": __version__,
        "root": str(canon(config.root)),
        "cwd": str(canon(Path.cwd())),
        "config": _digest([config.path or "", _file_bytes(config.path)]),
        "options": _digest(x for c in chosen for x in ((canon(c), _file_bytes(c)) if c is not None else ("|",))),
        "sources": sources.hexdigest(),
    }


def _body_digest(body: dict) -> str:
    return _digest([json.dumps(body, sort_keys=True, ensure_ascii=False)])


def validate_shard(config: Config, shard: tuple[int, int], out: Path, schema=None, schematron=None,
                   authority=None, progress=None) -> ShardResult:
    """Check shard i of n's files and write its record into `out` (made if missing)."""
    from .schema_cache import take_notes
    from .validator import _drop_restatements, confined_reads
    i, n = shard
    record_path = _writable(out)
    targets, auth = _plan(config, authority)
    mine = share(config, targets, auth, i, n)
    diags: list[Diagnostic] = []
    schemas: dict = {}
    notes: list[str] = []
    if mine:
        with confined_reads(config, None, [schema, *(schematron or [])]):
            diags, schemas, notes = _check_share(config, mine, targets, schema, schematron, authority, progress)
        diags = sort_diagnostics(_drop_restatements(diags))
    body = {
        "format": FORMAT, "shard": [i, n], "inputs": inputs(config, targets, schema, schematron, authority),
        "files": [_relative(config, p) for p in mine],
        "diagnostics": [[d.path, d.line, d.column, d.severity, d.message, d.rule, d.hint]
                        for d in diags],
        "schemas": dict(sorted(schemas.items())),
        "notes": notes + take_notes(),
    }
    record = {**body, "digest": _body_digest(body)}
    _write(record_path, json.dumps(record, ensure_ascii=False, indent=0))
    return ShardResult((i, n), len(mine), len(targets), sum(d.is_error for d in diags),
                       sum(d.severity == WARNING for d in diags), record_path)


def _check_share(config, mine, targets, schema, schematron, authority, progress):
    """(diagnostics, schemas applied, notes) of the shard's files: each checked as a worker of a
    whole-edition validate checks its chunk (split=True), in one process per core when the
    share is large enough (validator._chunks_for_processes), each process's notes kept."""
    from .validator import _check, _chunks_for_processes
    chunks = _chunks_for_processes(mine)
    options = dict(schema=schema, schematron=schematron, authority=authority, split=True,
                   whole=_pointed_into(config, mine, targets))
    if len(chunks) == 1:
        diags, schemas = _check(config, mine, targets, progress=progress, **options)
        return diags, schemas, []
    import multiprocessing
    from .schema_cache import take_notes
    from .validator import _prefetch
    if config.schema_fetch == "auto":
        _prefetch(mine)  # here, once, not in every worker process
    diags, schemas = [], {}
    with multiprocessing.get_context("fork").Pool(len(chunks) - 1) as pool:
        others = [pool.apply_async(_check_chunk, (config, chunk, targets, options)) for chunk in chunks[1:]]
        more, applied = _check(config, chunks[0], targets, progress=progress, **options)
        diags += more
        schemas.update(applied)
        notes = take_notes()
        for r in others:
            more, applied, said = r.get()
            diags += more
            schemas.update(applied)
            notes += said
    return diags, schemas, notes


def _pointed_into(config: Config, mine: list[Path], targets: list[Path]) -> frozenset[Path]:
    """The other files of the edition that the shard's files point into (`file.xml#id`, found
    by a scan of their bytes): read whole, not as their ids only, so that one that cannot be read
    is known as such, and the pointers into it are left out with a note, as in a whole-edition
    validate (where every file is read whole), not checked against the ids its bytes seem to hold."""
    from urllib.parse import unquote, urlsplit
    from .dependents import pointer_tokens
    edition = {canon(p) for p in config.source_files() + targets}
    own = {canon(p) for p in mine}
    out: set[Path] = set()
    for p in mine:
        try:
            data, _ = read_regular(p, with_stat=False)
        except OSError:
            continue  # (its check says why)
        for token in set(pointer_tokens(data)):
            file_part = token.split("#", 1)[0]
            if "#" not in token or not file_part or urlsplit(file_part).scheme:
                continue
            key = canon(p.parent / unquote(file_part))
            if key in edition and key not in own:
                out.add(key)
    return frozenset(out)


def _check_chunk(config, chunk, targets, options):
    """A worker process's part of a shard, with the notes it said (they are not the parent's)."""
    from .schema_cache import take_notes
    from .validator import _check
    diags, schemas = _check(config, chunk, targets, progress=None, **options)
    return diags, schemas, take_notes()


def _writable(out: Path) -> Path:
    """Where the record goes: refused when something else is in the way (the toolkit replaces
    only a record of its own)."""
    path = out / SHARD_FILE
    if out.exists() and not out.is_dir():
        raise ShardError(f"--out {out}: not a folder")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise ShardError(f"--out {out}: {SHARD_FILE} there is not a file the toolkit wrote; remove it or choose another folder")
    if path.exists():
        try:
            data = _read_regular(path)
            old = json.loads(data.decode("utf-8")) if data is not None else None
            ours = isinstance(old, dict) and old.get("format") == FORMAT and "shard" in old
        except (OSError, ValueError, RecursionError):
            ours = False
        if not ours:
            raise ShardError(f"--out {out}: {SHARD_FILE} there is not a validation shard's record; "
                             "remove it or choose another folder")
    return path


def _write(path: Path, text: str) -> None:
    """Written whole or not at all (a new temporary file, then renamed over the old record)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".shard-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as e:
        raise ShardError(f"cannot write the shard's record {path}: {e.strerror or e}") from None


# ---- the merge ----------------------------------------------------------------------------

def _refuse(d: Path, why: str) -> ShardError:
    return ShardError(f"--merge {d}: {why}")


def read_record(d: Path) -> dict:
    """A shard's record, its shape checked: ShardError naming the folder otherwise."""
    path = Path(d) / SHARD_FILE
    hint = f"make it with `edition validate --shard I/N --out {d}`"
    try:
        data = _read_regular(path)
    except OSError as e:
        raise _refuse(d, f"no readable {SHARD_FILE} ({e.strerror or e}): not a validation shard; {hint}") from None
    if data is None:
        raise _refuse(d, f"{SHARD_FILE} is not a regular file of at most {MAX_BYTES >> 30} GB: not a shard's record")
    try:
        rec = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(d, f"{SHARD_FILE} is not valid JSON (damaged or edited); {hint}") from None
    if not isinstance(rec, dict) or rec.get("format") != FORMAT:
        raise _refuse(d, f"{SHARD_FILE} is not a validation shard's record of this toolkit; {hint}")
    problem = _shape_problem(rec)
    if problem:
        raise _refuse(d, f"{SHARD_FILE} is damaged or edited ({problem}); {hint}")
    body = {k: v for k, v in rec.items() if k != "digest"}
    if rec["digest"] != _body_digest(body):
        raise _refuse(d, f"{SHARD_FILE} does not match its digest (damaged or edited); {hint}")
    return rec


def _read_regular(path: Path) -> bytes | None:
    """A regular file's bytes (xmlsafe.read_regular), or None for anything else (a FIFO is not
    waited on, a device not read) or a file too large to be a record."""
    try:
        return read_regular(path, MAX_BYTES, with_stat=False)[0]
    except UnreadableFile:
        return None


# characters no XML 1.0 text has, nor so any finding: in a record, a forger's terminal escapes
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(strings) -> bool:
    return not any(_CONTROL.search(x) for x in strings)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _strs(v) -> bool:
    return isinstance(v, list) and all(isinstance(s, str) for s in v)


def _shape_problem(rec: dict) -> str | None:
    """What is wrong with a record's shape, or None."""
    keys = {"format", "shard", "inputs", "files", "diagnostics", "schemas", "notes", "digest"}
    if set(rec) != keys:
        return "unexpected or missing fields"
    s = rec["shard"]
    if not (isinstance(s, list) and len(s) == 2 and all(_is_int(x) for x in s) and 1 <= s[0] <= s[1]):
        return "no shard i/n"
    if not (isinstance(rec["inputs"], dict) and set(rec["inputs"]) == set(_INPUT_WHAT)
            and all(isinstance(v, str) for v in rec["inputs"].values()) and _clean(rec["inputs"].values())):
        return "inputs"
    if not _strs(rec["files"]) or not _strs(rec["notes"]) or not isinstance(rec["digest"], str):
        return "files, notes or digest"
    if not (isinstance(rec["schemas"], dict) and all(_strs(v) for v in rec["schemas"].values())):
        return "schemas"
    if not _clean([*rec["files"], *rec["notes"], *rec["schemas"], *(x for v in rec["schemas"].values() for x in v)]):
        return "a control character"
    if not isinstance(rec["diagnostics"], list):
        return "diagnostics"
    for n, d in enumerate(rec["diagnostics"]):
        if not (isinstance(d, list) and len(d) == 7 and all(_is_int(x) for x in d[1:3])
                and all(isinstance(x, str) for x in d[:1] + d[3:]) and d[3] in _SEVERITIES
                and 0 <= d[1] < RELOCATED_BASE and 0 <= d[2] < RELOCATED_BASE and _clean(d[:1] + d[3:])):
            return f"diagnostic {n + 1}"
    return None


_INPUT_WHAT = {
    "toolkit": "made by toolkit {theirs}, this is {ours}: validate the shards and merge them with the same toolkit",
    "root": "made for the edition in {theirs}, this is {ours}: run the shards and the merge in the same checkout path",
    "cwd": "made from the folder {theirs}, this merge runs in {ours}: run the shards and the merge from the same folder",
    "config": "made with another edition.toml: validate the shards and merge them from the same commit",
    "options": "made with other --schema, --schematron or --authority options: give the shards and the merge the same",
    "sources": "made from other source files (their paths or bytes differ): validate the shards and merge them "
               "from the same commit",
}


def read_shards(config: Config, dirs, targets: list[Path], auth: set[Path], expected: dict) -> list[dict]:
    """The records of the n shards of one split, each checked against what the merge sees."""
    records: list[dict] = []
    seen: dict[int, Path] = {}
    count = None
    for d in dirs:
        d = Path(d)
        rec = read_record(d)
        i, n = rec["shard"]
        for key, why in _INPUT_WHAT.items():
            theirs = rec["inputs"].get(key)
            if theirs != expected[key]:
                raise _refuse(d, f"shard {i}/{n} was " + why.format(theirs=theirs, ours=expected[key]))
        if count is not None and n != count:
            raise _refuse(d, f"shard {i}/{n}, the others are of {count}: give the shards of one split")
        if i in seen:
            raise _refuse(d, f"shard {i}/{n} is given twice (also {seen[i]})")
        if rec["files"] != [_relative(config, p) for p in share(config, targets, auth, i, n)]:
            raise _refuse(d, f"shard {i}/{n} names other files than its share of the edition (damaged or edited)")
        count, seen[i] = n, d
        records.append(rec)
    if count is not None and len(seen) < count:
        raise ShardError(f"--merge: {_missing(seen, count)} not given; give every shard's folder")
    return records


def _missing(seen: dict, count: int, shown: int = 5) -> str:
    """The shards not given, the first few named: a forged n of 10**12 costs no more than a
    real one (only len(seen) + shown numbers are looked at)."""
    names = []
    for k in range(1, count + 1):
        if k not in seen:
            names.append(f"{k}/{count}")
            if len(names) == shown:
                break
    more = count - len(seen) - len(names)
    return (f"shard{'s' if len(names) > 1 else ''} {', '.join(names)}"
            + (f" and {more} more" if more else ""))


def merge(config: Config, dirs, schema=None, schematron=None, authority=None, progress=None) -> Report:
    """The report of a whole-edition validate, from the shards' records and the checks that
    need the whole edition (the authority files'), done here."""
    from .schema_cache import take_notes
    from .validator import _check, _drop_restatements, confined_reads
    if not dirs:
        raise ShardError("--merge: give every shard's folder")
    targets, auth = _plan(config, authority)
    expected = inputs(config, targets, schema, schematron, authority)
    records = read_shards(config, dirs, targets, auth, expected)
    report = Report(files=len(targets))
    refused = config.refused_diagnostics(Path.cwd())
    if not targets:
        report.diagnostics = refused
        return report
    diags: list[Diagnostic] = []
    notes: list[str] = []
    for rec in records:
        diags += [Diagnostic(*d) for d in rec["diagnostics"]]
        report.schemas.update(rec["schemas"])
        notes += rec["notes"]
    auth_targets = [t for t in targets if canon(t) in auth]
    if auth_targets:
        with confined_reads(config, None, [schema, *(schematron or [])]):
            # as the main process of a whole-edition validate checks them (split=False)
            more, applied = _check(config, auth_targets, targets, schema=schema, schematron=schematron,
                                   authority=authority, progress=progress, split=False)
        diags += more
        report.schemas.update(applied)
    # each shard warns once about a remote or uncached schema: keep the first (validator._validate)
    seen: set[str] = set()
    diags = [d for d in sort_diagnostics(diags) if d.rule not in ("schema.remote", "schema.not-cached")
             or not (d.message in seen or seen.add(d.message))]
    report.notes = _merged_notes(notes + take_notes())
    report.schemas = dict(sorted(report.schemas.items()))
    report.diagnostics = sort_diagnostics(_drop_restatements(diags) + refused)
    return report


# validator._pointers_into_broken_files's note, said by each shard for its own files
_SKIPPED = re.compile(r"(\d+) references? into (.+) (?:were|was) not checked: (that file could not be read .*)")


def _merged_notes(notes: list[str]) -> list[str]:
    """The shards' notes as one process says them: each once, and the references not checked
    because the file they point into is broken counted together, one note per file."""
    out: dict[str, list] = {}
    for note in notes:
        m = _SKIPPED.fullmatch(note)
        if m is None:
            out.setdefault(note, [note])
            continue
        key = f"skipped:{m.group(2)}:{m.group(3)}"
        counted = out.setdefault(key, [0, m.group(2), m.group(3)])
        counted[0] += int(m.group(1))
    return [v[0] if len(v) == 1 else
            f"{v[0]} reference{'s' if v[0] != 1 else ''} into {v[1]} {'were' if v[0] != 1 else 'was'} not checked: {v[2]}"
            for v in out.values()]


__all__ = ["SHARD_FILE", "ShardError", "ShardResult", "merge", "read_record", "read_shards", "share",
           "validate_shard"]
