"""The HTML build's state in an SQLite store (html/store.py, #18): an entity page reads its own
passages from it, an incremental build writes only the rows of what changed, and a damaged or
forged store costs speed only: the same site, no traceback."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from conftest import REPO
from toolkit.config import load_config
from toolkit.outputs.html import store as html_store
from toolkit.outputs.runner import build
from toolkit.outputs import state as build_state
from toolkit.outputs.state import state_file


def _edition(tmp_path: Path) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    return root


def _build(root: Path, out: Path, full: bool = False):
    [r] = build(load_config(root / "edition.toml"), ["html"], out=out, full=full, search_index=False)
    assert r.ok, r.summary()
    return r


def _site(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".edition")}


def _store(out: Path) -> Path:
    return state_file(out, html_store.NAME)


def test_the_state_is_a_store_with_the_passages_by_entity(tmp_path):
    root = _edition(tmp_path)
    out = tmp_path / "out"
    _build(root, out, full=True)
    with sqlite3.connect(_store(out)) as conn:
        files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        docs = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        rows = conn.execute("SELECT doc, pid, snip FROM passages WHERE eid = 'voltaire'").fetchall() \
            or conn.execute("SELECT doc, pid, snip FROM passages WHERE eid = "
                            "(SELECT eid FROM passages LIMIT 1)").fetchall()
    assert files == docs == len(list((root / "tei").glob("doc-*.xml")))
    assert rows and all(snip for _, _, snip in rows)
    assert not (state_file(out, "html.json")).exists()


def test_one_edit_rewrites_only_its_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(build_state, "RACY_NS", 0)  # (the copies' times are fresh: see test_unchanged_files)
    root = _edition(tmp_path)
    out = tmp_path / "out"
    _build(root, out, full=True)
    doc = sorted((root / "tei").glob("doc-*.xml"))[0]
    with sqlite3.connect(_store(out)) as conn:
        before = dict(conn.execute("SELECT path, facts FROM files"))
    doc.write_text(doc.read_text(encoding="utf-8").replace("<p>", "<p>Edited. ", 1), encoding="utf-8")
    r = _build(root, out)
    assert r.written >= 1
    with sqlite3.connect(_store(out)) as conn:
        after = dict(conn.execute("SELECT path, facts FROM files"))
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed == {str(doc.resolve())}


def _damage(path: Path, how: str) -> None:
    if how == "garbage":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    elif how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif how == "wrong shapes":  # rows of the wrong shape: ignored, their files read again
        with sqlite3.connect(path) as conn:
            # a document's id changed in its facts (its page would move)
            conn.execute("UPDATE files SET facts = replace(facts, '\"doc\": [\"', '\"doc\": [\"x') "
                         "WHERE rowid % 3 = 0")
            conn.execute("UPDATE files SET facts = '[1, 2]' WHERE rowid % 3 = 1")
            conn.execute("UPDATE files SET facts = '{\"hash\": 3, \"ids\": \"x\", \"doc\": []}' "
                         "WHERE rowid % 3 = 2")
            conn.execute("UPDATE mentions SET registered = 7 WHERE rowid % 2 = 0")
            # another real entity's id in a document's entities (a page it would get)
            conn.execute("UPDATE mentions SET ents = ents || char(31) || "
                         "(SELECT eid FROM passages ORDER BY eid DESC LIMIT 1) WHERE rowid % 2 = 1")
            conn.execute("UPDATE meta SET value = '{\"not\": \"a list\"' WHERE key = 'media'")
            conn.execute("UPDATE meta SET value = '[]' WHERE key = 'site'")
    elif how == "other code":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = 'someone else' WHERE key = 'code'")
            conn.execute("DELETE FROM passages")
    elif how == "others may write":
        os.chmod(path, 0o666)
        with sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM passages")
    elif how == "a directory":
        path.unlink()
        path.mkdir()


def test_a_damaged_or_forged_store_costs_speed_only(tmp_path):
    root = _edition(tmp_path)
    ref = tmp_path / "ref"
    _build(root, ref, full=True)
    expected = _site(ref)
    doc = sorted((root / "tei").glob("doc-*.xml"))[1]
    for n, how in enumerate(("garbage", "truncated", "wrong shapes", "other code", "others may write",
                             "a directory")):
        out = tmp_path / f"out-{n}"
        _build(root, out, full=True)
        _damage(_store(out), how)
        _build(root, out)  # nothing changed: the same site
        assert _site(out) == expected, how
        # an edit after the damage: the site of a full build of the edited edition
        text = doc.read_text(encoding="utf-8")
        doc.write_text(text.replace("<p>", "<p>Edited. ", 1), encoding="utf-8")
        try:
            _build(root, out)
            _build(root, ref, full=True)
            assert _site(out) == _site(ref), how
        finally:
            doc.write_text(text, encoding="utf-8")
            _build(root, ref, full=True)
        if _store(out).is_dir():
            _store(out).rmdir()


def test_a_store_damaged_while_in_use_stops_the_build_with_a_message(tmp_path, monkeypatch):
    """Damage under a running build (its queries fail): a BuildError naming the state, the
    store removed, the previous output intact; the next build is whole again."""
    from toolkit.outputs.base import BuildError
    root = _edition(tmp_path)
    out = tmp_path / "out"
    _build(root, out, full=True)
    before = _site(out)
    real = html_store.HtmlStore.passage_counts

    def failing(self, eid):
        _store(out).write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
        self.conn.execute("PRAGMA cache_size = 0")
        raise html_store.StoreDamaged(self._damaged(sqlite3.DatabaseError("database disk image is malformed")))
    monkeypatch.setattr(html_store.HtmlStore, "passage_counts", failing)
    try:
        _build(root, out, full=True)
    except BuildError as e:
        assert "state" in str(e) and "damaged" in str(e) and "build again" in str(e)
    else:
        raise AssertionError("the build went on with a damaged state")
    assert not _store(out).exists() and _site(out) == before
    monkeypatch.setattr(html_store.HtmlStore, "passage_counts", real)
    _build(root, out)
    assert _site(out) == before


def test_a_state_in_use_by_another_build_is_not_removed(tmp_path):
    st = html_store.HtmlStore._create(tmp_path / "s.sqlite", "code")
    other = sqlite3.connect(tmp_path / "s.sqlite", timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    st.conn.execute("PRAGMA busy_timeout = 0")
    try:
        st.put_json("site", {"key": "k"})
    except html_store.StoreDamaged as e:
        assert "in use by another build" in str(e)
    else:
        raise AssertionError("no lock met")
    other.rollback()
    assert (tmp_path / "s.sqlite").exists()
