"""The staged check's reference index: what each file of an edition holds that another file's
change can concern (its xml:ids with their elements, its pointer tokens, its xi:include hrefs),
kept in the toolkit's cache folder so that `validate --staged` reads only the files that
changed, not all of them.

Records are keyed by git's blob name of the file's content: a record describes exactly the
bytes it was made from, so it cannot go stale. They are used only for files whose working copy
(or snapshot copy) git says is the index's. One index per edition, named by the edition's
folder, its edition.toml's bytes and the toolkit's version: a change of either starts afresh.

The file is toolkit-written data, read defensively: one record per line (JSON), appended as new
blobs are met; a line that does not parse or has the wrong shape is ignored (the file it would
describe is read instead), and the whole index is rewritten without stale records when they
outnumber the live ones. Any problem reading or writing it means no index, with the same result.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from .. import __version__
from ..cache import _prune, cache_dir
from ..xmlsafe import _ID_BEARING_TAG
from .dependents import _INCLUDE_HREF, pointer_tokens

FORMAT = 1
KEEP = 8  # indexes (one per edition): tens of MB each for the largest editions
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# A record: (id pairs as [element, id, element, id, ...], pointer tokens, include hrefs)
Record = tuple[list[str], list[str], list[str]]


def record_of(data: bytes) -> Record:
    """What the index keeps of a file's bytes."""
    flat = []  # in document order, as xmlsafe.index_ids_only finds them
    for m in _ID_BEARING_TAG.finditer(data):
        flat += [m.group(1).decode("ascii", "replace"), m.group(3).decode("utf-8", "replace")]
    includes = [m.group(2).decode("utf-8", "replace") for m in _INCLUDE_HREF.finditer(data)] \
        if b"XInclude" in data else []
    return flat, list(pointer_tokens(data)), includes


def _valid(value) -> Record | None:
    """A record read from the file, or None when it is not one (a damaged or forged line)."""
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, list) for v in value)):
        return None
    flat, tokens, includes = value
    if len(flat) % 2 or not all(isinstance(s, str) for part in value for s in part):
        return None
    return flat, tokens, includes


def _own(st: os.stat_result) -> bool:
    """A regular file of this user that no one else may write: what the toolkit writes (0600).
    The index is believed as the toolkit itself is (a record of the right shape cannot be told
    from a true one without reading the file it describes); one that others could have written
    is not read at all."""
    import stat
    return stat.S_ISREG(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid()) \
        and not st.st_mode & 0o022


def index_path(root: Path, config_bytes: bytes | None) -> Path:
    key = hashlib.sha256(b"\0".join([__version__.encode(), str(FORMAT).encode(),
                                     os.fsencode(str(root)), config_bytes or b"<none>"])).hexdigest()[:32]
    return cache_dir("staged-index", key + ".jsonl")


class RefIndex:
    """Records by blob name; `get` answers from the file, `put` remembers new ones for save()."""

    def __init__(self, path: Path):
        self.path = path
        self.records: dict[str, list] = {}     # blob -> raw value, checked when used
        self.new: dict[str, Record] = {}
        self.lines = 0
        self._load()

    def _load(self):
        try:
            with open(self.path, "rb") as fh:
                st = os.fstat(fh.fileno())
                if st.st_size > 2**31 or not _own(st):
                    return  # not ours to read whole, or another user could have written it
                data = fh.read()
        except OSError:
            return
        lines = data.split(b"\n")
        if not lines or lines[0] != b'{"format": %d}' % FORMAT:
            return
        body = [ln for ln in lines[1:] if ln]
        self.lines = len(body)
        try:
            entries = json.loads(b"[" + b",".join(body) + b"]")
        except (ValueError, RecursionError):
            entries = []
            for ln in body:  # a damaged line: keep the others
                try:
                    entries.append(json.loads(ln))
                except (ValueError, RecursionError):
                    continue
        for e in entries:
            if isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and _SHA.fullmatch(e[0]):
                self.records[e[0]] = e[1]

    def get(self, blob: str) -> Record | None:
        if blob in self.new:
            return self.new[blob]
        raw = self.records.get(blob)
        if raw is None or isinstance(raw, tuple):
            return raw
        checked = _valid(raw)
        if checked is None:
            del self.records[blob]
        else:
            self.records[blob] = checked  # checked once
        return checked

    def put(self, blob: str, record: Record):
        if _SHA.fullmatch(blob) and self.get(blob) != record:
            self.new[blob] = record

    def save(self, live: set[str]):
        """Append the new records; rewrite the whole file when most of it is stale."""
        stale = sum(1 for b in self.records if b not in live)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if stale > max(len(live), 1000) or not self.path.exists() or self.lines == 0:
                keep = {b: self.get(b) for b in [b for b in self.records if b in live]}
                keep = {b: r for b, r in keep.items() if r is not None}
                keep.update(self.new)
                tmp = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp")
                with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
                    fh.write('{"format": %d}\n' % FORMAT)
                    for b, r in keep.items():
                        fh.write(json.dumps([b, list(r)], ensure_ascii=False) + "\n")
                os.replace(tmp, self.path)
                _prune(self.path.parent, KEEP, ".jsonl")  # the indexes of editions not checked lately go
            elif self.new:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write("".join(json.dumps([b, list(r)], ensure_ascii=False) + "\n"
                                     for b, r in self.new.items()))
        except OSError:
            pass


# ------------------------------------------------------------------------------ the store
# The form used by the staged check's fast path (staged.py, _fast_check): a SQLite database in
# the repository's build state folder (outputs/state.py) holding the record of every XML file of
# one tree (HEAD's), with inverted tables from ids and pointer keys to files, so that a lookup
# costs the same at 100 or 100,000 documents. It is brought to HEAD's tree incrementally (git
# diff-tree between the tree it holds and HEAD's); what the commit changes on top of HEAD is
# never stored: the caller lays it over the answers (Overlay).

STORE_FORMAT = 1
STORE_NAME = "staged-refs.sqlite"
_STORE_WRITER = "tei-edition-toolkit staged reference store"
_SPECIAL_MODES = ("120000", "160000")  # symbolic links, submodules: the fast path steps aside


class StoreUnusable(Exception):
    """The store cannot answer (not ours, damaged, a record of the wrong shape): the caller
    takes the general path, which reads the files."""


def keys_of(rel: str, record: Record) -> set[str]:
    """The lookup keys of a file (its path from the repository's top, posix) and record:
    i:<id> for each xml:id; for each pointer token b:<token> when it has no '#', f:<fragment>
    for a '#fragment' without a file, n:<file name> for the file a token names; h:<file name>
    for each xi:include href; c: for an edition.toml."""
    from urllib.parse import unquote, urlsplit
    flat, tokens, hrefs = record
    out = {"i:" + i for i in flat[1::2]}
    folder = "/" + os.path.dirname(rel)
    for token in tokens:
        scheme = urlsplit(token).scheme
        if scheme and scheme != "file":
            continue
        file_part, hash_, frag = token.partition("#")
        if not hash_:
            out.add("b:" + token)
        if not file_part:
            out.add("f:" + unquote(frag))
        else:
            out.add("n:" + name_reached(folder, file_part))
    for href in hrefs:
        out.add("h:" + name_reached(folder, href))
    return out


def name_reached(folder: str, file_part: str) -> str:
    """The name of the file a relative reference from `folder` leads to (as dependents.py
    resolves it: unquoted, joined, normalised)."""
    from urllib.parse import unquote
    return os.path.basename(os.path.normpath(os.path.join(folder, unquote(file_part))))


def store_path(top: Path) -> Path:
    from ..outputs.state import state_file
    return state_file(top, STORE_NAME)


class RefStore:
    """The records of HEAD's tree for one repository (see above). Every method raises
    StoreUnusable rather than answer from a file it cannot trust."""

    def __init__(self, path: Path, conn):
        self.path, self.conn = path, conn

    # opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> "RefStore":
        """The store at path, made anew when absent, damaged or of another version; one that is
        not the toolkit's own (another user's, or writable by others) is never used."""
        import sqlite3
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return cls._create(path)
        except OSError as e:
            raise StoreUnusable(str(e)) from None
        if not _own(st):
            raise StoreUnusable(f"{path} is not the toolkit's own file")
        try:
            conn = sqlite3.connect(_uri(path), uri=True, timeout=10,
                                   isolation_level=None, check_same_thread=False)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except (sqlite3.Error, ValueError, TypeError):
            return cls._create(path)  # damaged: ours (checked above), so made anew
        if meta.get("writer") != _STORE_WRITER or meta.get("format") != str(STORE_FORMAT) \
                or meta.get("version") != __version__:
            conn.close()
            return cls._create(path)
        return cls(path, conn)

    @classmethod
    def _create(cls, path: Path) -> "RefStore":
        import sqlite3
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            if os.path.lexists(tmp):
                os.unlink(tmp)
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
            conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
            conn.executescript(
                "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE files(path TEXT PRIMARY KEY, mode TEXT, blob TEXT, rec TEXT);"
                "CREATE TABLE keys(key TEXT, path TEXT, PRIMARY KEY(key, path)) WITHOUT ROWID;")
            conn.executemany("INSERT INTO meta VALUES (?, ?)",
                             [("writer", _STORE_WRITER), ("format", str(STORE_FORMAT)),
                              ("version", __version__), ("tree", "")])
            conn.close()
            os.replace(tmp, path)
            from ..outputs.state import _prune as prune_states
            prune_states(path.parent.parent)  # as a build's state: only the latest folders stay
            conn = sqlite3.connect(_uri(path), uri=True, timeout=10,
                                   isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as e:
            raise StoreUnusable(str(e)) from None
        return cls(path, conn)

    def close(self):
        self.conn.close()

    # bringing it to a tree -------------------------------------------------------------
    def sync(self, tree: str, git, blobs) -> None:
        """Make the store hold `tree`: from the tree it holds by git's diff of the two trees,
        else every entry of the tree. `git(args) -> bytes` runs git (None when it failed);
        `blobs(shas)` yields (sha, content)."""
        import sqlite3
        try:
            if self._meta("tree") == tree:
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                held = self._meta("tree")  # again, inside the lock: another run may have done it
                if held != tree:
                    self._apply(held, tree, git, blobs)
                    self.conn.execute("UPDATE meta SET value = ? WHERE key = 'tree'", (tree,))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise StoreUnusable(str(e)) from None

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row and isinstance(row[0], str) else None

    def _apply(self, held: str | None, tree: str, git, blobs) -> None:
        listing = git(["diff-tree", "-r", "-z", "--raw", "--no-renames", held, tree]) \
            if held and _SHA.fullmatch(held) else None
        if listing is None:  # nothing held (or a tree git no longer has): everything
            self.conn.execute("DELETE FROM files")
            self.conn.execute("DELETE FROM keys")
            listing = git(["ls-tree", "-r", "-z", "--full-tree", tree])
            if listing is None:
                raise StoreUnusable(f"git cannot list tree {tree}")
            entries = _ls_tree_entries(listing)
        else:
            entries = _diff_tree_entries(listing)
        wanted = {}
        for path, mode, sha in entries:
            self._remove(path)
            if mode is None:
                continue
            self.conn.execute("INSERT INTO files VALUES (?, ?, ?, NULL)", (path, mode, sha))
            if mode in _SPECIAL_MODES:
                self.conn.execute("INSERT OR IGNORE INTO keys VALUES ('l:', ?)", (path,))
            elif path.endswith(".xml"):
                wanted.setdefault(sha, []).append(path)
            if path.rsplit("/", 1)[-1] == "edition.toml":
                self.conn.execute("INSERT OR IGNORE INTO keys VALUES ('c:', ?)", (path,))
        for sha, data in blobs(wanted):
            record = record_of(data)
            text = json.dumps(list(record), ensure_ascii=False)
            for path in wanted.pop(sha, ()):
                self.conn.execute("UPDATE files SET rec = ? WHERE path = ?", (text, path))
                self.conn.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)",
                                      [(k, path) for k in keys_of(path, record)])
        if wanted:
            raise StoreUnusable("git did not give every blob of the tree")

    def _remove(self, path: str) -> None:
        row = self.conn.execute("SELECT rec FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        self.conn.execute("DELETE FROM files WHERE path = ?", (path,))
        self.conn.execute("DELETE FROM keys WHERE path = ? AND key IN ('l:', 'c:')", (path,))
        if row[0] is not None:
            record = _parse_record(row[0])
            self.conn.executemany("DELETE FROM keys WHERE key = ? AND path = ?",
                                  [(k, path) for k in keys_of(path, record)])

    # answering -------------------------------------------------------------------------
    def paths(self, key: str) -> list[str]:
        """The files (paths from the top) that have this lookup key (keys_of)."""
        import sqlite3
        try:
            rows = self.conn.execute("SELECT path FROM keys WHERE key = ?", (key,)).fetchall()
        except sqlite3.Error as e:
            raise StoreUnusable(str(e)) from None
        out = [r[0] for r in rows]
        if not all(isinstance(p, str) for p in out):
            raise StoreUnusable("a damaged key")
        return out

    def entry(self, path: str) -> tuple[str, str, Record | None] | None:
        """(mode, blob, record or None for a file that is not XML) of a file of the tree."""
        import sqlite3
        try:
            row = self.conn.execute("SELECT mode, blob, rec FROM files WHERE path = ?", (path,)).fetchone()
        except sqlite3.Error as e:
            raise StoreUnusable(str(e)) from None
        if row is None:
            return None
        mode, blob, rec = row
        if not (isinstance(mode, str) and isinstance(blob, str) and _SHA.fullmatch(blob)):
            raise StoreUnusable(f"a damaged entry for {path}")
        return mode, blob, (_parse_record(rec) if rec is not None else None)


def _uri(path: Path) -> str:
    """An SQLite URI opening an existing file read-write (never creating one): the path quoted,
    so that a '?' or '#' in the cache folder's name stays part of it."""
    from urllib.parse import quote
    return "file:" + quote(str(path)) + "?mode=rw"


def _parse_record(text) -> Record:
    if not isinstance(text, str):
        raise StoreUnusable("a damaged record")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise StoreUnusable("a damaged record") from None
    record = _valid(value)
    if record is None:
        raise StoreUnusable("a record of the wrong shape")
    return record


def _ls_tree_entries(listing: bytes):
    """(path, mode, blob) of `git ls-tree -r -z` output."""
    for entry in listing.split(b"\0"):
        if entry:
            meta, path = entry.split(b"\t", 1)
            mode, _, sha = meta.decode("ascii").split()
            yield os.fsdecode(path), mode, sha


def _diff_tree_entries(listing: bytes):
    """(path, new mode or None when deleted, new blob) of `git diff-tree -r -z --raw` output."""
    parts = listing.split(b"\0")
    for meta, path in zip(parts[0::2], parts[1::2]):
        if not meta.startswith(b":"):
            continue
        _, new_mode, _, new_sha, status = meta[1:].decode("ascii").split()
        yield os.fsdecode(path), (None if status == "D" else new_mode), new_sha
