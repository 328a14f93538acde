"""The staged check's reference store (ref_index.RefStore, SQLite in the build state): kept
up to date with HEAD incrementally, never trusted when stale or not the toolkit's own, and a
damaged or hostile store file changes nothing but the speed."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from staged_support import doc, found, git, init_repo, make_edition, staged, write
from toolkit.validate import staged_fast
from toolkit.validate.ref_index import RefStore, keys_of, record_of, store_path
from toolkit.validate.staged import validate_staged


@pytest.fixture
def ed(tmp_path):
    ed = init_repo(make_edition(tmp_path / "ed"))
    _clear(ed)
    return ed


def _clear(ed: Path):
    p = store_path(ed)
    if p.is_dir() and not p.is_symlink():
        p.rmdir()
    elif os.path.lexists(p):
        p.unlink()


def _fast(ed: Path, monkeypatch):
    """validate_staged in-process: (findings, whether the fast path answered)."""
    monkeypatch.chdir(ed)
    taken = []
    real = staged_fast.fast_check
    monkeypatch.setattr(staged_fast, "fast_check", lambda *a, **k: taken.append(real(*a, **k)) or taken[-1])
    report = validate_staged(ed)
    monkeypatch.setattr(staged_fast, "fast_check", real)
    return {(d.path, d.line, d.rule) for d in report.diagnostics if d.severity == "error"}, taken[0] is not None


def _rename_x_in_a(ed: Path):
    """a.xml gets an id, which d.xml points to; then the id is renamed and staged."""
    write(ed / "tei" / "a.xml", doc('<persName ref="persons.xml#anna">A</persName>', '<seg xml:id="x">s</seg>'))
    write(ed / "tei" / "d.xml", doc('<ref target="a.xml#x">see</ref>'))
    git(ed, "add", "-A")
    git(ed, "commit", "-qm", "x")
    write(ed / "tei" / "a.xml", doc('<persName ref="persons.xml#anna">A</persName>', '<seg xml:id="y">s</seg>'))
    git(ed, "add", "tei/a.xml")


def _head_tree(ed: Path) -> str:
    return git(ed, "rev-parse", "HEAD^{tree}").stdout.strip()


def test_the_store_is_written_for_its_owner_and_holds_head(ed, monkeypatch):
    _rename_x_in_a(ed)
    _, took = _fast(ed, monkeypatch)
    assert took
    path = store_path(ed)
    assert path.stat().st_mode & 0o077 == 0
    with sqlite3.connect(path) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta"))["tree"] == _head_tree(ed)
        assert {r[0] for r in conn.execute("SELECT path FROM keys WHERE key = 'n:a.xml'")} == {"tei/d.xml", "tei/c.xml"}


def test_a_store_behind_head_is_brought_up_to_date_and_hides_nothing(ed, monkeypatch):
    write(ed / "tei" / "a.xml", doc('<seg xml:id="x">s</seg>'))
    git(ed, "add", "-A")
    git(ed, "commit", "-qm", "x")
    write(ed / "tei" / "b.xml", doc("<p>staged</p>"))
    git(ed, "add", "-A")
    _fast(ed, monkeypatch)  # the store now holds this HEAD: no file points to a.xml#x
    git(ed, "reset", "-q", "--hard")
    write(ed / "tei" / "d.xml", doc('<ref target="a.xml#x">see</ref>'))  # committed behind its back
    git(ed, "add", "-A")
    git(ed, "commit", "-qm", "d")
    write(ed / "tei" / "a.xml", doc('<seg xml:id="y">s</seg>'))
    git(ed, "add", "tei/a.xml")
    errors, took = _fast(ed, monkeypatch)
    assert took and ("tei/d.xml", 4, "ref.resolves") in errors
    # and after a branch switch, to a tree where d.xml does not exist
    git(ed, "reset", "-q", "--hard")
    git(ed, "checkout", "-q", "HEAD~1")
    write(ed / "tei" / "a.xml", doc('<seg xml:id="y">s</seg>'))
    git(ed, "add", "tei/a.xml")
    errors, took = _fast(ed, monkeypatch)
    assert took and not any(p == "tei/d.xml" for p, _, _ in errors)


def test_a_store_naming_a_tree_git_does_not_have_is_made_anew(ed, monkeypatch):
    _rename_x_in_a(ed)
    _fast(ed, monkeypatch)
    with sqlite3.connect(store_path(ed)) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'tree'", ("1" * 40,))
        conn.execute("DELETE FROM keys")  # whatever it held is not believed
    errors, took = _fast(ed, monkeypatch)
    assert took and ("tei/d.xml", 4, "ref.resolves") in errors


def _corrupt(path: Path, how: str, ed: Path):
    if how == "garbage":
        path.write_bytes(b"\x00\xff not a database \x80" * 100)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "other-writer":
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('writer', 'someone else')")
        path.chmod(0o600)
    elif how == "bad-record":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE files SET rec = '[1, [2], \"x\"]' WHERE path = 'tei/d.xml'")
    elif how == "bad-json":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE files SET rec = '[[[[' WHERE path = 'tei/d.xml'")
    elif how == "bad-types":
        with sqlite3.connect(path) as conn:
            conn.execute("INSERT INTO keys VALUES ('n:a.xml', 12345)")
            conn.execute("UPDATE files SET blob = 'nope' WHERE path = 'tei/d.xml'")
    elif how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "writable-by-others":
        with sqlite3.connect(path) as conn:  # a forged answer: nothing points at a.xml
            conn.execute("DELETE FROM keys")
        path.chmod(0o666)
    elif how == "symlink":
        target = ed.parent / "elsewhere.sqlite"
        path.rename(target)
        path.symlink_to(target)
    elif how == "folder":
        path.unlink()
        path.mkdir()


HOW = ["garbage", "empty", "other-writer", "bad-record", "bad-json", "bad-types", "truncated",
       "writable-by-others", "symlink", "folder"]


@pytest.mark.parametrize("how", HOW)
def test_a_damaged_or_hostile_store_changes_no_finding(ed, how):
    _rename_x_in_a(ed)
    code, data, _ = staged(ed)
    first = found(data)
    assert code == 1 and ("tei/d.xml", 4, "ref.resolves") in first
    path = store_path(ed)
    _corrupt(path, how, ed)
    code, data, err = staged(ed)
    assert "Traceback" not in err
    assert code == 1 and found(data) == first
    if how in ("writable-by-others", "symlink"):  # not ours: left as it was
        assert os.path.lexists(path) and (path.is_symlink() or path.stat().st_mode & 0o022)
    _clear(ed)


def test_keys_name_what_a_pointer_can_reach():
    record = record_of(b'<TEI xml:id="t"><p xml:id="p1"><ref target="../other/b.xml#q %23z">x</ref>'
                       b'<ref corresp="#frag pmb42 https://x.org/a.xml#y"/>'
                       b'<include xmlns="http://www.w3.org/2001/XInclude" href="part%201.xml"/></p></TEI>')
    assert keys_of("tei/a.xml", record) == {
        "i:t", "i:p1", "n:b.xml", "b:%23z", "n:#z", "f:frag", "b:pmb42", "n:pmb42", "h:part 1.xml"}


def test_the_store_follows_commits_by_their_difference(ed, monkeypatch):
    _rename_x_in_a(ed)
    _fast(ed, monkeypatch)
    git(ed, "commit", "-qm", "renamed")
    calls = []
    real = RefStore._apply
    monkeypatch.setattr(RefStore, "_apply", lambda self, held, tree, g, b: calls.append(
        held) or real(self, held, tree, lambda a: calls.append(a[0]) or g(a), b))
    write(ed / "tei" / "b.xml", doc("<p>more</p>"))
    git(ed, "add", "tei/b.xml")
    _fast(ed, monkeypatch)
    assert "diff-tree" in calls and "ls-tree" not in calls
    with sqlite3.connect(store_path(ed)) as conn:
        rec = conn.execute("SELECT rec FROM files WHERE path = 'tei/a.xml'").fetchone()[0]
    assert '"y"' in rec and '"x"' not in rec


def test_a_cache_folder_with_uri_characters_in_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c?a#c%20he"))
    ed = init_repo(make_edition(tmp_path / "ed"))
    _rename_x_in_a(ed)
    errors, took = _fast(ed, monkeypatch)
    assert took and ("tei/d.xml", 4, "ref.resolves") in errors
    assert store_path(ed).is_file() and str(tmp_path / "c?a#c%20he") in str(store_path(ed))
    errors, took = _fast(ed, monkeypatch)  # opened again, not made anew
    assert took and ("tei/d.xml", 4, "ref.resolves") in errors


def test_a_new_store_keeps_only_the_latest_build_states(tmp_path, monkeypatch):
    import time
    from toolkit.outputs import state
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    builds = tmp_path / "cache" / "tei-edition-toolkit" / "builds"
    for n in range(state.KEEP + 5):
        (builds / f"old-{n:02d}").mkdir(parents=True)
        os.utime(builds / f"old-{n:02d}", (time.time() - 10000 + n, time.time() - 10000 + n))
    store = RefStore.open(tmp_path / "cache" / "tei-edition-toolkit" / "builds" / "mine" / "staged-refs.sqlite")
    store.close()
    left = sorted(p.name for p in builds.iterdir())
    assert len(left) == state.KEEP and "mine" in left and "old-00" not in left
