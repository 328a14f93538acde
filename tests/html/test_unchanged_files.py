"""Incremental builds know a document file unchanged by its size, modification and change times,
inode and device, as recorded when it was last read (html.file_facts, "stat"), without reading
it (html.stand_ins, LazySourceFile); a file modified or changed less than RACY_NS before it was
read is not trusted that way. Any edit changes the file's times, so it is seen, same size or not.
(Copies made by the tests have a fresh change time, so most tests set RACY_NS to 0.)"""
from __future__ import annotations

import builtins
import json
import os
import shutil
import time
from pathlib import Path

from conftest import REPO
from toolkit.outputs import state as build_state
from toolkit.outputs.html import incremental as html_build, store as html_store
from toolkit.outputs.runner import build
from toolkit.outputs.state import state_file
from toolkit.config import load_config


def _edition(tmp_path: Path, age: float = 3600) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    then = time.time() - age
    for f in (root / "tei").glob("*.xml"):
        os.utime(f, (then, then))
    return root


def _build(root: Path, full: bool = False):
    [r] = build(load_config(root / "edition.toml"), ["html"], out=root / "output" / "html", full=full,
                search_index=False)
    assert r.ok, r.summary()
    return r


def _facts(root: Path) -> dict:
    """The file facts the last build recorded (its store, html/store.py)."""
    import sqlite3
    path = state_file(root / "output" / "html", html_store.NAME)
    with sqlite3.connect(path) as conn:
        return {p: json.loads(f) for p, f in conn.execute("SELECT path, facts FROM files")}


def test_unchanged_files_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(build_state, "RACY_NS", 0)
    root = _edition(tmp_path)
    _build(root)
    facts = _facts(root)
    docs = [k for k in facts if Path(k).name.startswith("doc-")]
    assert docs and all(len(facts[k]["stat"]) == 5 for k in docs)  # size, mtime, ctime, inode, device
    reads = []
    real_open = builtins.open

    def counting_open(file, *a, **kw):
        if str(file).endswith(".xml") and "/tei/doc-" in str(file):
            reads.append(str(file))
        return real_open(file, *a, **kw)
    from toolkit import xmlsafe
    real_read_regular, real_read_bytes = xmlsafe.read_regular, Path.read_bytes

    def counting_read_regular(path, *a, **kw):
        counting_open(path)
        return real_read_regular(path, *a, **kw)

    def counting_read_bytes(self):
        counting_open(self)
        return real_read_bytes(self)
    monkeypatch.setattr(html_build, "open", counting_open, raising=False)
    # every read of a source goes through read_regular (the builder's, and the parser's)
    monkeypatch.setattr(html_build, "read_regular", counting_read_regular)
    monkeypatch.setattr(xmlsafe, "read_regular", counting_read_regular)
    monkeypatch.setattr(Path, "read_bytes", counting_read_bytes)
    r = _build(root)
    assert r.written == 0 and reads == []  # no document file read, nothing rebuilt


def test_an_edit_of_the_same_size_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(build_state, "RACY_NS", 0)
    root = _edition(tmp_path)
    _build(root)
    doc = root / "tei" / "doc-1937-06-14.xml"
    text = doc.read_text(encoding="utf-8")
    assert "Decline the governor" in text
    edited = text.replace("Decline the governor", "DECLINE the governor", 1)
    assert len(edited.encode()) == len(text.encode())
    doc.write_text(edited, encoding="utf-8")
    r = _build(root)
    assert r.written > 0
    page = (root / "output" / "html" / "doc" / "doc-1937-06-14.html").read_text(encoding="utf-8")
    assert "DECLINE the governor" in page
    fresh = tmp_path / "fresh"
    [f] = build(load_config(root / "edition.toml"), ["html"], out=fresh, full=True, search_index=False)
    assert (fresh / "doc" / "doc-1937-06-14.html").read_text(encoding="utf-8") == page


def test_racy_rule():
    """A stat stands for the bytes only when the file's modification and change times are both
    RACY_NS older than the read (and not on Windows)."""
    t0 = 10 * build_state.RACY_NS
    old = t0 - 2 * build_state.RACY_NS
    assert build_state.trusted_stat((5, old, old, 7, 9, t0)) == ([5, old, old, 7, 9] if build_state.TRUST_STAT else None)
    assert build_state.trusted_stat((5, t0 - 1, old, 7, 9, t0)) is None  # modified just before the read
    assert build_state.trusted_stat((5, old, t0 - 1, 7, 9, t0)) is None  # its status changed just before
    assert build_state.trusted_stat(None) is None  # the file changed during the read


def test_a_file_read_in_the_racy_window_gets_its_stat_on_a_later_build(tmp_path, monkeypatch):
    root = _edition(tmp_path)
    monkeypatch.setattr(build_state, "RACY_NS", 10**18)  # every file "just changed"
    _build(root)
    assert not any("stat" in f for f in _facts(root).values())
    monkeypatch.setattr(build_state, "RACY_NS", 0)  # later: the files are read again, and recorded
    r = _build(root)
    assert r.written == 0
    facts = _facts(root)
    assert all("stat" in facts[k] for k in facts if Path(k).name.startswith("doc-"))


def test_a_lazily_read_file_that_changed_stops_the_build(tmp_path):
    from toolkit.outputs.runner import BuildError
    f = tmp_path / "a.xml"
    f.write_bytes(b"<TEI/>")
    src = html_build.LazySourceFile(path=f, display="a.xml", light=True)
    src.expected_hash = html_build.digest(b"<TEI/>")
    assert src.data == b"<TEI/>"
    changed = html_build.LazySourceFile(path=f, display="a.xml", light=True)
    changed.expected_hash = html_build.digest(b"<TEI>other</TEI>")
    try:
        _ = changed.data  # reading it checks the bytes
    except BuildError as e:
        assert "a.xml: changed while building" in str(e)
    else:
        raise AssertionError("no error for a file that changed")
