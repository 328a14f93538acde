"""The HTML build's state on disk (#18): an indexed SQLite file in the toolkit's cache folder
(outputs/state.py: one folder per output folder, never in the site), so that the build holds
neither the edition's mentions nor its whole state in memory, and an incremental build writes
only the rows of what changed.

Tables: `files` (canonical path → the file's facts, incremental.Sources.file_facts), `mentions`
(document id → the key they were derived under, the entities they name, those its registers
name, a digest of them), `passages` (entity → each passage of a document that names it, with
its snippet: an entity page reads its own with one query) and `meta` (the writer, the format,
the code that derived the facts: incremental.code_key; the site pages' key, the images' hashes).
A build changes the rows in one transaction, committed when its output is complete (`save`):
a build that stops half way leaves the last build's state.

Derived data, read defensively: a store that is not the toolkit's own file (another user's, or
writable by others) is not opened; a damaged one, or one written by other code, is made anew;
a row of the wrong shape is ignored (its file is read again). Any trouble costs speed (the
facts are derived again), never a wrong page. When the cache folder cannot be used at all, the
store is kept in memory for the build (nothing then persists).
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat as statmod
from pathlib import Path

from ..state import _prune, state_dir

NAME = "html.sqlite"
FORMAT = 3
_WRITER = "tei-edition-toolkit html build state"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, facts TEXT, checked TEXT);"
    "CREATE TABLE IF NOT EXISTS mentions(doc TEXT PRIMARY KEY, key TEXT, ents TEXT, registered TEXT,"
    " digest TEXT, checked TEXT);"
    "CREATE TABLE IF NOT EXISTS passages(eid TEXT, doc TEXT, n INTEGER, pid TEXT, snip TEXT,"
    " PRIMARY KEY(eid, doc, n)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc);")


class StoreDamaged(Exception):
    """The store failed while a build was using it (damaged under it): the build stops with a
    clear message, and the next one starts afresh."""


def _own(st: os.stat_result) -> bool:
    """A regular file of this user that no one else may write (what the toolkit writes)."""
    return statmod.S_ISREG(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid()) \
        and not st.st_mode & 0o022


def _uri(path: Path) -> str:
    from urllib.parse import quote
    return "file:" + quote(str(path)) + "?mode=rw"


def _connect(target: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=10,
                           uri=isinstance(target, str) and target.startswith("file:"))
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class HtmlStore:
    """One output folder's state (see the module). Made by `open`; every build works in one
    transaction (`begin` … `save`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, code: str):
        self.conn = conn
        self.path = path  # None: in memory
        self.code = code
        self.changed = False
        self._in_tx = False
        self._files: dict | None = None
        self.stamp = _stamp(path)

    # opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, target: Path, code: str) -> "HtmlStore":
        """The store of the output folder `target`, holding the state of the last build made by
        this code (else empty); in memory when the cache folder cannot hold it."""
        path = state_dir(target) / NAME
        try:
            made = not path.parent.exists()
            store = cls._open_file(path, code)
            if made:  # (which output folder it is the state of: for people reading the cache)
                (path.parent / "target").write_text(os.path.abspath(target), encoding="utf-8",
                                                    errors="surrogateescape")
            return store
        except (OSError, sqlite3.Error):
            return cls.memory(code)

    @classmethod
    def memory(cls, code: str = "") -> "HtmlStore":
        conn = _connect(":memory:")
        conn.executescript(_SCHEMA)
        return cls(conn, None, code)

    @classmethod
    def _open_file(cls, path: Path, code: str) -> "HtmlStore":
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return cls._create(path, code)
        if not _own(st):
            return cls.memory(code)  # not ours to trust, nor to replace
        try:
            conn = _connect(_uri(path))
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('writer', 'format', 'code')"))
            conn.execute("SELECT count(*) FROM (SELECT 1 FROM files LIMIT 1)").fetchone()
            conn.execute("SELECT count(*) FROM (SELECT 1 FROM passages LIMIT 1)").fetchone()
        except (sqlite3.Error, ValueError, TypeError):
            return cls._create(path, code)  # damaged: ours (checked above), so made anew
        if meta.get("writer") != _WRITER or meta.get("format") != str(FORMAT) or meta.get("code") != code:
            conn.close()
            return cls._create(path, code)  # written by other code: its facts are not reused
        return cls(conn, path, code)

    @classmethod
    def _create(cls, path: Path, code: str) -> "HtmlStore":
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
        conn = _connect(str(tmp))
        conn.executescript(_SCHEMA)
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("writer", _WRITER), ("format", str(FORMAT)), ("code", code)])
        conn.close()
        os.replace(tmp, path)
        try:  # the state as earlier versions kept it (a JSON file): no longer read
            os.unlink(path.parent / "html.json")
        except OSError:
            pass
        _prune(path.parent.parent)
        return cls(_connect(_uri(path)), path, code)

    # the build's transaction ----------------------------------------------------------------
    def begin(self) -> None:
        if not self._in_tx:
            self._run("BEGIN")
            self._in_tx = True

    def save(self) -> None:
        """Commit the build's changes (its output is complete)."""
        if self._in_tx:
            self._in_tx = False
            self._run("COMMIT")

    def close(self) -> None:
        """Let go of the file; changes not saved are dropped (rolled back)."""
        try:
            self.conn.close()
        except sqlite3.Error:
            pass
        self._in_tx = False

    def _run(self, sql: str, args=()):
        try:
            return self.conn.execute(sql, args)
        except sqlite3.Error as e:
            raise StoreDamaged(self._damaged(e)) from None

    def _many(self, sql: str, rows) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as e:
            raise StoreDamaged(self._damaged(e)) from None

    def _damaged(self, e: Exception) -> str:
        """Why the build stops; a damaged file is removed so that the next build starts afresh
        (one another build holds locked is left to it)."""
        self.close()
        if isinstance(e, sqlite3.OperationalError) and ("locked" in str(e) or "busy" in str(e)):
            return f"the HTML build's state ({self.path}) is in use by another build of this output folder"
        if self.path is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass
        return f"the HTML build's state ({self.path}) is damaged ({e}); it has been removed: build again"

    # meta ---------------------------------------------------------------------------------------
    def get_json(self, key: str):
        row = self._run("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if not row or not isinstance(row[0], str):
            return None
        try:
            return json.loads(row[0])
        except (ValueError, RecursionError):
            return None

    def put_json(self, key: str, value) -> None:
        text = json.dumps(value, ensure_ascii=False)
        row = self._run("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] != text:
            self.begin()
            self._run("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, text))
            self.changed = True

    # files ----------------------------------------------------------------------------------------
    def files(self) -> dict[str, dict]:
        """canonical path → facts of every file recorded (rows of the right shape); read once
        (the runner, then the builder)."""
        if self._files is None:
            out = {}
            for path, text, checked in self._run("SELECT path, facts, checked FROM files"):
                facts = _facts(path, text, checked)
                if facts is not None:
                    out[path] = facts
            self._files = out
        return self._files

    def file(self, path: str) -> dict | None:
        row = self._run("SELECT facts, checked FROM files WHERE path = ?", (path,)).fetchone()
        return _facts(path, *row) if row else None

    def put_file(self, path: str, facts: dict) -> None:
        self.begin()
        text = json.dumps(facts, ensure_ascii=False)
        self._run("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (path, text, _check(path, text)))
        self.changed = True

    def keep_files(self, paths: set[str]) -> None:
        """Remove the rows of files not in `paths` (no longer documents of the edition)."""
        gone = [(p,) for (p,) in self._run("SELECT path FROM files") if p not in paths]
        if gone:
            self.begin()
            self._many("DELETE FROM files WHERE path = ?", gone)
            self.changed = True

    # mentions -----------------------------------------------------------------------------------
    def mention_rows(self) -> dict:
        """document → its raw mentions row (mention_row checks it): every row in one query,
        cheaper than a query per document."""
        return {r[0]: r[1:] for r in self._run("SELECT doc, key, ents, registered, digest, checked FROM mentions")}

    def mention_row(self, doc: str, row=None):
        """(key, entities, registered, digest) recorded for a document (or given: a row of
        mention_rows), or None."""
        if row is None:
            row = self._run("SELECT key, ents, registered, digest, checked FROM mentions WHERE doc = ?",
                            (doc,)).fetchone()
        if row is None or len(row) != 5 or not all(isinstance(x, str) for x in row) \
                or _check(doc, *row[:4]) != row[4]:  # (damaged in place)
            return None
        return row[0], _split(row[1]), _split(row[2]), row[3]

    def passages_of_doc(self, doc: str) -> list[tuple[str, str, str]] | None:
        """[(entity, passage id, snippet)] of a document, in its order; None when damaged."""
        rows = self._run("SELECT eid, pid, snip, n FROM passages WHERE doc = ? ORDER BY n", (doc,)).fetchall()
        if not all(isinstance(a, str) and isinstance(b, str) and isinstance(c, str) for a, b, c, _ in rows):
            return None
        return [(a, b, c) for a, b, c, _ in rows]

    def put_mentions(self, doc: str, key: str, mentions: list, registered: list, digest: str) -> None:
        ents = list(dict.fromkeys(eid for eid, _, _ in mentions))
        self.begin()
        row = (key, _SEP.join(ents), _SEP.join(registered), digest)
        self._run("INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?, ?, ?)", (doc, *row, _check(doc, *row)))
        self._run("DELETE FROM passages WHERE doc = ?", (doc,))
        self._many("INSERT INTO passages VALUES (?, ?, ?, ?, ?)",
                   [(eid, doc, n, pid, snip) for n, (eid, pid, snip) in enumerate(mentions)])
        self.changed = True

    def passages_of(self, eid: str) -> list[tuple[str, int, str, str]]:
        """[(document, its order, passage id, snippet)] of the passages naming an entity (rows
        of the wrong shape left out: their documents' rows are checked by mention_row)."""
        rows = self._run("SELECT doc, n, pid, snip FROM passages WHERE eid = ?", (eid,)).fetchall()
        return [r for r in rows if isinstance(r[0], str) and isinstance(r[1], int)
                and isinstance(r[2], str) and isinstance(r[3], str)]

    def passage_counts(self, eid: str) -> list[tuple[str, int]]:
        """[(document, number of its passages)] naming an entity."""
        rows = self._run("SELECT doc, count(*) FROM passages WHERE eid = ? GROUP BY doc", (eid,)).fetchall()
        return [r for r in rows if isinstance(r[0], str)]

    def keep_documents(self, ids: set[str]) -> None:
        """Remove the mentions of documents not in `ids`."""
        gone = [(d,) for (d,) in self._run("SELECT doc FROM mentions") if d not in ids]
        if gone:
            self.begin()
            self._many("DELETE FROM mentions WHERE doc = ?", gone)
            self._many("DELETE FROM passages WHERE doc = ?", gone)
            self.changed = True


# The entity ids of a mentions row, joined by a character no XML text holds (no JSON to parse:
# a one-edit build reads every document's row)
_SEP = "\x1f"


def _check(*parts: str) -> str:
    """A row's check: a row damaged in place (not a forged one) is not believed."""
    import hashlib
    return hashlib.blake2b("\x1e".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _split(text: str) -> list[str]:
    return text.split(_SEP) if text else []


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


_FACT_KEYS = {"hash": str, "ids": list, "doc": list}


def _facts(path, text, checked) -> dict | None:
    """A file's facts as recorded, or None when the row is damaged or has not their shape."""
    if not (isinstance(path, str) and isinstance(text, str)) or checked != _check(path, text):
        return None
    try:
        facts = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(facts, dict) or not all(isinstance(facts.get(k), t) for k, t in _FACT_KEYS.items()):
        return None
    ids = facts["ids"]
    if not all(isinstance(x, list) and len(x) == 2 and all(isinstance(s, str) for s in x) for x in ids):
        return None
    for k in ("refs", "files", "included"):
        if k in facts and not _strings(facts[k]):
            return None
    for k in ("page", "source", "style"):
        if k in facts and not isinstance(facts[k], str):
            return None
    if "stat" in facts and not (isinstance(facts["stat"], list) and all(isinstance(x, int) for x in facts["stat"])):
        return None
    return facts


# One open store per output folder and process: the runner reads the file facts, the builder
# the rest, in one transaction.
_open: dict[str, HtmlStore] = {}


def _stamp(path: Path | None):
    try:
        st = os.stat(path) if path is not None else None
    except OSError:
        return None
    return st and (st.st_ino, st.st_mtime_ns, st.st_size)


def for_target(target: Path, code: str) -> HtmlStore:
    """The open store of an output folder (opened anew when its file changed since, outside a
    build's transaction)."""
    key = os.path.abspath(target)
    s = _open.get(key)
    if s is not None and (s.code != code or (not s._in_tx and s.path is not None and _stamp(s.path) != s.stamp)):
        s.close()
        s = None
    if s is None:
        s = _open[key] = HtmlStore.open(Path(key), code)
    return s


def release(target: Path) -> None:
    """Close the store of an output folder (the build is over: saved, or dropped)."""
    s = _open.pop(os.path.abspath(target), None)
    if s is not None:
        s.close()


def release_all() -> None:
    """Close every open store (a run of the builders is over)."""
    for s in list(_open.values()):
        s.close()
    _open.clear()
