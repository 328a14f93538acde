"""`validate --staged` keeps a reference index in the toolkit's cache folder (issue #18, item 2):
records of each file's ids, pointers and includes by git blob, so that finding the files a commit
can break reads only what changed. It must answer as the scan does, and a damaged or hostile
index file must change nothing but the speed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from staged_support import found, git, init_repo, make_edition, persons, staged, write
from toolkit.validate.dependents import FileChange, dependents
from toolkit.validate.ref_index import RefIndex, index_path, record_of


def _index_files() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"], "tei-edition-toolkit", "staged-index")
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


@pytest.fixture
def ed(tmp_path):
    for f in _index_files():
        f.unlink()
    return init_repo(make_edition(tmp_path / "ed"))


def _rename_anna(ed: Path):
    write(ed / "tei" / "persons.xml", persons("anya", "boris"))
    git(ed, "add", "tei/persons.xml")


def test_dependents_answer_from_records_without_reading_the_files(tmp_path):
    persons_xml = tmp_path / "persons.xml"
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"  # never written: only the records know them
    records = {a: record_of(b'<persName ref="persons.xml#anna">A</persName>'),
               b: record_of(b'<persName ref="#boris">B</persName>')}
    change = {persons_xml: FileChange(persons_xml, ids={"anna"})}
    assert dependents([a, b], change, None, records.get) == [a]


def test_a_staged_run_writes_the_index_and_a_second_run_answers_alike(ed):
    _rename_anna(ed)
    first = staged(ed)
    [index] = _index_files()
    lines = index.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"format": 1}'
    blob_b = git(ed, "rev-parse", ":tei/b.xml").stdout.strip()
    assert any(blob_b in ln and "#boris" in ln for ln in lines[1:])
    second = staged(ed)
    assert first[0] == second[0] == 1
    assert found(first[1]) == found(second[1]) == {("tei/a.xml", 4, "ref.resolves")}


HOSTILE = [
    b"",
    b"\x00\xff garbage \x80",
    b'{"format": 1}\n[',
    b'{"format": 1}\n' + b"[" * 200000 + b"\n",
    b'{"format": 1}\n["not-a-sha", [[], [], []]]\n[1, 2]\n{"a": 1}\n',
    b'{"format": 1}\n' + b'["%s", [["x"], [5], "s"]]\n',     # wrong shapes under a real blob
    b'{"format": 1}\n' + b'["%s", [[], [], []]]\n',          # forged: "points nowhere"
    b'{"format": 2}\n' + b'["%s", [[], [], []]]\n',          # another format
]


@pytest.mark.parametrize("content", HOSTILE)
def test_a_damaged_or_hostile_index_changes_no_finding(ed, content):
    _rename_anna(ed)
    staged(ed)
    [index] = _index_files()
    blob_a = git(ed, "rev-parse", ":tei/a.xml").stdout.strip().encode()
    if b"%s" in content:
        content = content.replace(b"%s", blob_a)
    index.write_bytes(content)
    forged = content.startswith(b'{"format": 1}') and content.endswith(b'", [[], [], []]]\n')
    if forged:  # a record of the right shape is believed only from a file no one else may write
        index.chmod(0o666)
    code, data, err = staged(ed)
    assert code == 1 and "Traceback" not in err
    assert found(data) == {("tei/a.xml", 4, "ref.resolves")}


def test_the_index_is_written_for_its_owner_alone(ed):
    _rename_anna(ed)
    staged(ed)
    [index] = _index_files()
    assert index.stat().st_mode & 0o077 == 0


def test_an_index_in_the_way_as_a_folder_is_ignored(ed):
    _rename_anna(ed)
    staged(ed)
    [index] = _index_files()
    index.unlink()
    index.mkdir()
    code, data, err = staged(ed)
    assert code == 1 and found(data) == {("tei/a.xml", 4, "ref.resolves")}


def test_the_index_is_another_for_another_edition_toml_or_toolkit_version(tmp_path, monkeypatch):
    one = index_path(tmp_path, b"[edition]\n")
    assert index_path(tmp_path, b"[edition]\n") == one
    assert index_path(tmp_path, b"[edition]\nsources = []\n") != one
    assert index_path(tmp_path / "other", b"[edition]\n") != one
    monkeypatch.setattr("toolkit.validate.ref_index.__version__", "99.0")
    assert index_path(tmp_path, b"[edition]\n") != one


def test_records_are_appended_and_stale_ones_dropped_on_rewrite(tmp_path):
    path = tmp_path / "i.jsonl"
    idx = RefIndex(path)
    idx.put("a" * 40, record_of(b'<p xml:id="x"/>'))
    idx.save({"a" * 40})
    idx = RefIndex(path)
    assert idx.get("a" * 40) == (["p", "x"], [], [])
    idx.put("b" * 40, record_of(b'<p xml:id="y"/>'))
    idx.save({"a" * 40, "b" * 40})
    assert len(path.read_text().splitlines()) == 3
    assert RefIndex(path).get("b" * 40) == (["p", "y"], [], [])


def test_only_the_latest_indexes_stay(tmp_path):
    import time
    from toolkit.validate import ref_index
    folder = tmp_path / "staged-index"
    folder.mkdir()
    for n in range(ref_index.KEEP + 3):
        f = folder / f"{n:02d}.jsonl"
        f.write_text('{"format": 1}\n')
        os.utime(f, (time.time() - 1000 + n, time.time() - 1000 + n))
    idx = RefIndex(folder / "new.jsonl")
    idx.put("c" * 40, record_of(b"<p/>"))
    idx.save({"c" * 40})
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == ref_index.KEEP and "new.jsonl" in left and "00.jsonl" not in left
