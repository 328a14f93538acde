"""Incremental builds know a document file unchanged by its size, modification and change times
and inode, as recorded when it was last read (html.file_facts, "stat"), without reading it
(html.stand_ins, LazySourceFile); a file modified less than RACY_NS before it was read is not
trusted that way. Any edit changes the file's times, so it is seen, same size or not."""
from __future__ import annotations

import builtins
import json
import os
import shutil
import time
from pathlib import Path

from conftest import REPO
from toolkit.build import html as html_build
from toolkit.build.runner import build
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
    return json.loads((root / "output" / "html" / html_build.CACHE).read_text(encoding="utf-8"))["files"]


def test_unchanged_files_are_not_read(tmp_path, monkeypatch):
    root = _edition(tmp_path)
    _build(root)
    facts = _facts(root)
    docs = [k for k in facts if Path(k).name.startswith("doc-")]
    assert docs and all(len(facts[k]["stat"]) == 4 for k in docs)
    reads = []
    real_open = builtins.open

    def counting_open(file, *a, **kw):
        if str(file).endswith(".xml") and "/tei/doc-" in str(file):
            reads.append(str(file))
        return real_open(file, *a, **kw)
    monkeypatch.setattr(html_build, "open", counting_open, raising=False)
    r = _build(root)
    assert r.written == 0 and reads == []  # no document file read, nothing rebuilt


def test_an_edit_of_the_same_size_is_seen(tmp_path):
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


def test_a_file_modified_just_before_it_was_read_is_not_trusted_by_its_times(tmp_path):
    root = _edition(tmp_path)
    now = time.time()
    young = root / "tei" / "doc-1935-09-13.xml"
    os.utime(young, (now, now))  # changed "just now": the same tick could hide another change
    _build(root)
    facts = _facts(root)
    assert "stat" not in facts[str(young)]
    assert "stat" in facts[str(root / "tei" / "doc-1937-06-14.xml")]
