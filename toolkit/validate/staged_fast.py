"""`validate --staged` without reading the edition: the common case of a pre-commit hook (one
edition, a few documents staged, the working tree as the index has them) answered from the
reference store (ref_index.RefStore: HEAD's tree, kept in the build state and brought up to
date incrementally) with what the commit changes laid over it.

What the general path (staged.py) learns by listing and reading every file, this one asks the
store for: whether a file is a source (Config.source_match on git's paths instead of a glob of
the folders), which files point at what the commit changes (its inverted keys), and the xml:ids
of the few other files a check of the staged ones can look at (the files their pointers name,
those that give an id they point to or use). The validator then sees an edition of just those
files (Config.use_files), their ids from the store (known_ids): each check it makes finds the
same files and ids as over the whole edition, so the findings are the same.

The working tree is trusted for a file only when its bytes are the index's (their git blob id
is the one the index has): every file the check reads (the staged files, the documents
re-checked, the authority files, edition.toml, the schemas and the schema files beside them).
Anything this path does not cover returns None, and the general path checks as before: no
HEAD yet, several editions, a staged edition.toml or schema, a file the working tree has
otherwise, XInclude in a checked file, symbolic links or submodules in the tree, files outside
the repository, editions whose authority files are not named, a store that cannot be trusted.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import threading
import tomllib
from pathlib import Path
from urllib.parse import unquote

from ..config import CONFIG_NAME, ConfigError, load_config
from ..diagnostics import sort_diagnostics
from ..model import POINTER_ATTRS, canon
from .dependents import FileChange, _hrefs_changed, _needles, _tokens_reach, changed_ids
from .ref_index import RefStore, StoreUnusable, keys_of, record_of, store_path
from .validator import Report, UsageError, validate, without_excluded

ENABLED = True  # tests switch it off to compare with the general path


def blob_id(data: bytes, algorithm: str) -> str:
    """The name git gives a blob of these bytes."""
    h = hashlib.new(algorithm)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


class _Step(Exception):
    """This commit is not for the fast path: the general one checks it."""


def fast_check(start: Path, config_path: Path | None, options: dict, cwd: Path):
    """(report, staged paths checked, repository top, staged paths not deleted), or None."""
    if not ENABLED or options.get("authority"):
        return None
    from .staged import _git_all, _start
    env = {"GIT_OPTIONAL_LOCKS": "0"}
    try:  # what the commit changes: read when needed, the store and edition.toml meanwhile
        diff = _start(start, ["diff-index", "--cached", "-z", "--raw", "--no-renames", "HEAD"], env)
    except UsageError:
        return None
    try:
        try:
            [where] = _git_all(start, ["rev-parse", "--show-toplevel", "--absolute-git-dir", "HEAD^{tree}"],
                               env=env)
        except UsageError:
            return None  # no commit yet, or no repository: the general path says what is wrong
        lines = os.fsdecode(where).splitlines()
        if len(lines) != 3:
            return None

        def changes():
            out, _ = diff.communicate()
            if diff.returncode:
                raise _Step
            return _changes(out)
        run = _Run(Path(lines[0]), lines[2])
        try:
            return run.check(changes, config_path, options, cwd)
        except (_Step, StoreUnusable):
            return None
        finally:
            run.close()
    finally:
        if diff.poll() is None:
            diff.kill()
        diff.communicate()


def _changes(listing: bytes) -> dict[str, tuple[str, str, str | None, str | None]]:
    """path -> (status, new mode, blob at HEAD, blob in the index) of `git diff-index --raw -z`."""
    out = {}
    parts = listing.split(b"\0")
    for meta, path in zip(parts[0::2], parts[1::2]):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, old, new, status = meta[1:].decode("ascii").split()
        if status not in ("A", "M", "D") or {old_mode, new_mode} & {"120000", "160000"} \
                or (status != "D" and not new.strip("0")):
            raise _Step  # a type change, a link, a submodule, an intent-to-add entry
        out[os.fsdecode(path)] = (status, new_mode, None if status == "A" else old,
                                  None if status == "D" else new)
    return out


class _Run:
    def __init__(self, top: Path, tree: str):
        self.top, self.tree = top, tree
        self.algorithm = "sha256" if len(tree) == 64 else "sha1"
        self.store: RefStore | None = None
        self.overlay: dict[str, tuple | None] = {}   # staged path -> record (None: deleted)
        self.bytes: dict[str, bytes] = {}            # staged path -> its bytes (the index's)

    def close(self):
        if self.store is not None:
            self.store.close()

    # git -------------------------------------------------------------------------------
    def git(self, args: list[str]) -> bytes | None:
        try:
            res = subprocess.run(["git", *args], cwd=self.top, capture_output=True,
                                 env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        except OSError:
            return None
        return res.stdout if res.returncode == 0 else None

    def blobs(self, shas):
        """(sha, content) of each blob, streamed through one `git cat-file --batch`."""
        from .staged import _start, _stop
        shas = list(shas)
        if not shas:
            return
        proc = _start(self.top, ["cat-file", "--batch"], stdin=subprocess.PIPE)

        def feed():
            try:
                for s in shas:
                    proc.stdin.write(s.encode("ascii") + b"\n")
                proc.stdin.close()
            except (OSError, ValueError):
                pass
        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for _ in shas:
                header = proc.stdout.readline().split()
                if not header:
                    break
                if len(header) == 3:
                    yield header[0].decode("ascii"), proc.stdout.read(int(header[2]) + 1)[:-1]
        finally:
            _stop(proc)
            writer.join()

    # the index, from the store and the changes -------------------------------------------
    def exists(self, rel: str) -> bool:
        if rel in self.overlay:
            return self.overlay[rel] is not None
        return self.store.entry(rel) is not None

    def index_blob(self, rel: str) -> str | None:
        if rel in self.changes:
            return self.changes[rel][3]
        entry = self.store.entry(rel)
        return entry[1] if entry is not None else None

    def record(self, rel: str):
        if rel in self.overlay:
            return self.overlay[rel]
        entry = self.store.entry(rel)
        return entry[2] if entry is not None else None

    def paths(self, key: str) -> set[str]:
        """The files of the index with this lookup key (ref_index.keys_of)."""
        out = {p for p in self.store.paths(key) if p not in self.overlay}
        return out | {p for p, r in self.overlay.items() if r is not None and key in self.keys[p]}

    def rel(self, path) -> str | None:
        rel = os.path.relpath(canon(path), self.top).replace(os.sep, "/")
        return None if rel == ".." or rel.startswith("../") else rel

    def clean(self, rel: str, data: bytes | None = None) -> bytes | None:
        """The working copy's bytes, when they are the index's (else _Step)."""
        blob = self.index_blob(rel)
        if data is None:
            try:
                with open(self.top / rel, "rb") as fh:
                    data = fh.read()
            except FileNotFoundError:
                if blob is None:
                    return None  # in neither: as the index has it
                raise _Step from None
            except OSError:
                raise _Step from None
        if blob is None or blob_id(data, self.algorithm) != blob:
            raise _Step
        return data

    # the check -------------------------------------------------------------------------
    def check(self, read_changes, config_path: Path | None, options: dict, cwd: Path):
        """`read_changes()` gives what the commit changes (_changes), asked once the store and
        edition.toml are read."""
        from .staged import SCHEMA_SUFFIXES, _Edition, _add_config_paths, _under
        self.changes = {}
        self.store = RefStore.open(store_path(self.top))
        self.store.sync(self.tree, self.git, self.blobs)
        if self.store.paths("l:"):
            raise _Step  # links or submodules: source_files() follows them, the store does not
        configs = self.store.paths("c:")
        only = None
        if config_path is not None:
            only = self.rel(Path(config_path).parent)
            if only is None or (f"{only}/{CONFIG_NAME}" if only else CONFIG_NAME) not in configs:
                raise _Step
        elif len(configs) != 1:
            raise _Step
        e = _Edition(only if only is not None else os.path.dirname(next(iter(configs))), True)
        try:
            toml = (self.top / e.config_path).read_bytes()
            config = load_config(self.top / e.config_path)
        except (OSError, ConfigError):
            raise _Step from None
        self.changes = changes = read_changes()
        if any(os.path.splitext(p)[1].lower() in SCHEMA_SUFFIXES or os.path.basename(p) == CONFIG_NAME
               for p in changes):
            raise _Step  # the whole edition, or every edition, is checked
        self.clean(e.config_path, toml)
        try:
            _add_config_paths(e, tomllib.loads(toml.decode("utf-8")), self.top,
                              lambda rel: self.store.entry(rel) is not None)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            raise _Step from None
        if e.outside:
            raise _Step
        concern = {p: c for p, c in changes.items() if _under(p, e.root) or any(_under(p, f) for f in e.folders)}
        if only is None and len(concern) < len(changes) and e.root:
            raise _Step  # the default edition at the top takes the others
        match = config.source_match()
        if match is None or not config.authority:
            raise _Step
        for pattern in config.sources + config.authority + ([config.edition_file] if config.edition_file else []):
            rel = self.rel(config.resolve(pattern))
            if rel is None:
                raise _Step
            entry = self.store.entry(rel)
            if entry is not None and entry[2] is None:
                raise _Step  # a source that is not XML: the store has no record of it

        # what the commit changes, laid over the store
        self.keys = {}
        for path, (status, *_) in changes.items():
            if status == "D":
                self.overlay[path] = None
            elif path.endswith(".xml") or match(os.path.join(str(self.top), path), True):
                data = self.clean(path)
                self.bytes[path] = data
                self.overlay[path] = record_of(data)
                self.keys[path] = keys_of(path, self.overlay[path])

        def is_source(rel: str) -> bool:
            return match(os.path.join(str(self.top), rel) if rel else str(self.top), self.exists(rel))

        def w(rel: str) -> Path:
            return canon(self.top / rel)
        checked_staged = set(without_excluded(config, [w(p) for p in concern if is_source(p)]))
        targets = [w(p) for p in concern if w(p) in checked_staged]
        fcs = {w(p): FileChange(w(p), added=c[0] == "A", deleted=c[0] == "D")
               for p, c in concern.items() if p.endswith(".xml") or is_source(p)}
        olds = dict(self.blobs(c[2] for p, c in concern.items() if c[2] and w(p) in fcs))
        for p, c in concern.items():
            if w(p) in fcs:
                fcs[w(p)].ids = changed_ids(olds.get(c[2]) if c[2] else None, self.bytes.get(p))
        deps = self._dependents(e.root, config, fcs, set(targets), is_source)
        done = {p for p in concern if w(p) in checked_staged and concern[p][0] != "D"}
        all_targets = sorted(set(targets) | deps)
        staged = [p for p, c in changes.items() if c[0] != "D"]
        if set(all_targets) & {canon(a) for a in config.authority_files()}:
            raise _Step  # an authority file is checked against every document (unused entries)
        if not all_targets:
            return Report(), done, self.top, staged
        return self._validate(config, all_targets, is_source, options), done, self.top, staged

    def _dependents(self, root: str, config, fcs: dict, targets: set, is_source) -> set[Path]:
        """dependents.dependents over the whole edition, asked of the store's keys."""
        from ..xinclude import MAX_DEPTH
        ids = set().union(*(c.ids for c in fcs.values())) if fcs else set()
        needles = _needles(fcs)
        home = canon(self.top / root)

        def edition_file(p: str) -> bool:
            wp = canon(self.top / p)
            return wp not in targets and is_source(p) and bool(without_excluded(config, [wp]))
        reached = set(fcs)
        names = {p.name for p in reached}
        for _ in range(MAX_DEPTH):  # files including a changed one, also through other includes
            grown = set()
            for p in set().union(*(self.paths("h:" + n) for n in names)) if names else ():
                wp = canon(self.top / p)
                record = self.record(p)
                if wp in reached or not wp.is_relative_to(home) or record is None:
                    continue
                if _hrefs_changed(wp, record[2], reached):
                    grown.add(wp)
            if not grown:
                break
            reached |= grown
            names = {p.name for p in grown}
        keys = {"h:" + p.name for p in reached}
        if needles:
            keys |= {"n:" + c.path.name for c in fcs.values() if c.added or c.deleted or c.ids}
            keys |= {"f:" + i for i in ids} | {"b:" + i for i in ids}
        out = set()
        for p in set().union(*(self.paths(k) for k in keys)):
            if not edition_file(p):
                continue
            wp, record = canon(self.top / p), self.record(p)
            if record is None:
                raise _Step
            _, tokens, hrefs = record
            if (hrefs and _hrefs_changed(wp, hrefs, reached)) or (needles and _tokens_reach(wp, tokens, fcs, ids)):
                out.add(wp)
        return out

    def _validate(self, config, targets: list[Path], is_source, options: dict) -> Report:
        """The validator over the targets and the part of the edition their checks can read."""
        from ..xmlsafe import XML_NS, parse_bytes
        from .staged import WorkingTree, _schema_clean_by
        part: set[Path] = set(targets)
        for a in config.authority_files():  # read whole by the check
            rel = self.rel(a)
            if rel is not None and is_source(rel):
                part.add(canon(a))
                self.clean(rel)
        if config.edition_file:  # its ids from the store
            rel = self.rel(config.resolve(config.edition_file))
            if rel is not None and is_source(rel):
                part.add(canon(config.resolve(config.edition_file)))
        for t in targets:
            rel = self.rel(t)
            data = self.bytes.get(rel)
            data = self.clean(rel, data) if data is not None else self.clean(rel)
            if data is None:
                continue  # deleted: "file not found"
            if b"XInclude" in data:
                raise _Step  # checked as expanded: the included files are read too
            flat, tokens, _ = record_of(data)
            ids, tokens = set(flat[1::2]), set(tokens)
            src = parse_bytes(data)
            if src.ok:
                ids |= {str(v) for v in src.root.xpath("//@xml:id", namespaces={"xml": XML_NS})}
                for el in src.root.iter():
                    for attr in POINTER_ATTRS if isinstance(el.tag, str) else ():
                        tokens.update((el.get(attr) or "").split())
            folder = os.path.dirname(str(t))
            wanted = {"i:" + i for i in ids}
            for token in tokens:
                file_part, _, frag = token.partition("#")
                if file_part:
                    rel_to = self.rel(os.path.normpath(os.path.join(folder, unquote(file_part))))
                    if rel_to is not None and is_source(rel_to):
                        part.add(canon(self.top / rel_to))
                else:
                    wanted.add("i:" + unquote(frag))
            for key in wanted:
                part.update(canon(self.top / p) for p in self.paths(key) if is_source(p))
        config.use_files(list(part))
        target_set = set(targets)

        def known_ids(path: Path):
            if path in target_set:
                return None
            rel = self.rel(path)
            record = self.record(rel) if rel is not None else None
            return record[0] if record is not None else None
        place = WorkingTree()
        report = validate(config, paths=targets, schema_paths=place.schema_path, known_ids=known_ids, **options)
        given = {canon(p) for p in [options.get("schema"), *(options.get("schematron") or [])] if p}
        named = [config.resolve(c) for c in config.catalogs]
        for p in [*(place.schemas - given), *named]:
            if not _schema_clean_by(p, self._schema_clean):
                raise _Step
        return Report(files=report.files, diagnostics=sort_diagnostics(report.diagnostics))

    def _schema_clean(self, path: Path) -> bool:
        rel = self.rel(path)
        if rel is None:
            return True  # outside the repository: git has no version of it
        try:
            self.clean(rel)
        except _Step:
            return False
        return True
