"""Shards of the PDF build (toolkit/outputs/pdf_shard.py): `--shard i/n` then `--merge` gives the
single build's PDFs byte for byte; the merge refuses shards that do not fit, naming the folder and
saying why, and writes nothing."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli, tree_files

from toolkit.config import load_config
from toolkit.outputs.base import BuildError
from toolkit.outputs.engine import Distribution
from toolkit.outputs.runner import build
from toolkit.outputs.shard import SHARD_FILE

EPOCH = "1700000000"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The bundled edition's PDFs built once as a whole and once as two shards."""
    base = tmp_path_factory.mktemp("pdf-shards")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        cfg = load_config(REPO / "edition.toml")
        [whole] = build(cfg, ["pdf"], out=base / "whole")
        shards = []
        for i in (1, 2):
            [r] = build(cfg, ["pdf"], out=base / f"s{i}", dist=Distribution(shard=(i, 2)))
            assert r.ok and not r.has_errors, r.summary()
            shards.append(base / f"s{i}")
    finally:
        mp.undo()
    assert whole.ok
    return base, shards


def merge(dirs, out: Path):
    return build(load_config(REPO / "edition.toml"), ["pdf"], out=out, dist=Distribution(merge=tuple(dirs)))


def copies(made, tmp_path) -> list[Path]:
    """The shards copied, for a test to spoil."""
    return [Path(shutil.copytree(s, tmp_path / s.name)) for s in made[1]]


def test_shards_merged_are_the_single_build(made, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    base, shards = made
    records = [json.loads((s / SHARD_FILE).read_text()) for s in shards]
    keys = [sorted(r["documents"]) for r in records]
    assert len(keys[0]) + len(keys[1]) == 11 and not set(keys[0]) & set(keys[1])  # a split of the documents
    assert not list(shards[0].glob("*.pdf"))  # no volume in a shard
    [r] = merge(shards, tmp_path / "merged")
    assert r.ok and not r.has_errors, r.summary()
    a, b = tree_files(base / "whole"), tree_files(tmp_path / "merged")
    assert sorted(a) == sorted(b) and [k for k in a if a[k] != b[k]] == []
    assert len([k for k in a if k.endswith(".pdf")]) == 12


def refused(dirs, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "merged"
    with pytest.raises(BuildError) as e:
        merge(dirs, out)
    assert not out.exists()  # nothing written
    return str(e.value)


def test_a_changed_pdf_is_refused(made, tmp_path, monkeypatch):
    s1, s2 = copies(made, tmp_path)
    victim = sorted((s2 / "typeset").glob("*.pdf"))[0]
    victim.write_bytes(victim.read_bytes().replace(b"%%EOF", b"%%EOF\n% changed"))
    msg = refused([s1, s2], tmp_path, monkeypatch)
    assert f"--merge {s2}: typeset/{victim.name} is not the PDF the shard recorded" in msg


def test_a_missing_pdf_is_refused(made, tmp_path, monkeypatch):
    s1, s2 = copies(made, tmp_path)
    victim = sorted((s1 / "typeset").glob("*.pdf"))[0]
    victim.unlink()
    assert f"--merge {s1}: cannot read typeset/{victim.name}" in refused([s1, s2], tmp_path, monkeypatch)


def edit_record(folder: Path, change) -> dict:
    rec = json.loads((folder / SHARD_FILE).read_text())
    change(rec)
    (folder / SHARD_FILE).write_text(json.dumps(rec))
    return rec


def test_a_document_from_other_inputs_is_refused(made, tmp_path, monkeypatch):
    s1, s2 = copies(made, tmp_path)
    key = sorted(json.loads((s2 / SHARD_FILE).read_text())["documents"])[0]
    edit_record(s2, lambda r: r["documents"].__setitem__(key, "0" * 64))
    assert (f"--merge {s2}: shard 2/2 typeset {key}.pdf from other inputs"
            in refused([s1, s2], tmp_path, monkeypatch))


def test_a_document_its_shard_left_out_is_refused(made, tmp_path, monkeypatch):
    s1, s2 = copies(made, tmp_path)
    key = sorted(json.loads((s1 / SHARD_FILE).read_text())["documents"])[0]
    edit_record(s1, lambda r: r["documents"].pop(key))
    assert f"--merge {s1}: shard 1/2 did not typeset {key}.pdf" in refused([s1, s2], tmp_path, monkeypatch)


def test_a_shard_of_other_settings_is_refused(made, tmp_path, monkeypatch):
    """A shard typeset on another date (or with other fonts, settings, Typst) than the merge."""
    s1, _ = copies(made, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    build(load_config(REPO / "edition.toml"), ["pdf"], out=tmp_path / "other", dist=Distribution(shard=(2, 2)))
    msg = refused([s1, tmp_path / "other"], tmp_path, monkeypatch)
    assert f"--merge {tmp_path / 'other'}: shard 2/2 was typeset with other settings" in msg


@pytest.mark.parametrize("spoil, expected", [
    (lambda r: r.__setitem__("compiles", {"../../../etc/passwd": {"sha256": "x"}}), "is not a PDF shard's record"),
    (lambda r: r.__setitem__("documents", ["a"]), "is not a PDF shard's record"),
    (lambda r: r.__setitem__("toolkit", "0.0.1"), "made by toolkit 0.0.1"),
    (lambda r: r.__setitem__("format", 99), "not a shard result of this toolkit"),
    (lambda r: r.pop("builder"), "a shard of the html build, not of the pdf build"),
])
def test_a_spoilt_record_is_refused(made, tmp_path, monkeypatch, spoil, expected):
    s1, s2 = copies(made, tmp_path)
    edit_record(s2, spoil)
    msg = refused([s1, s2], tmp_path, monkeypatch)
    assert msg.startswith(f"--merge {s2}: ") and expected in msg


def test_shards_that_are_not_one_split_are_refused(made, tmp_path, monkeypatch):
    s1, s2 = copies(made, tmp_path)
    assert "shard 2/2 not given" in refused([s1], tmp_path, monkeypatch)
    assert f"shard 1/2 is given twice ({s1})" in refused([s1, s1], tmp_path, monkeypatch)
    edit_record(s2, lambda r: r.__setitem__("shard", [2, 3]))
    assert f"--merge {s2}: shard 2/3, the others are of 2" in refused([s1, s2], tmp_path, monkeypatch)
    (tmp_path / "empty").mkdir()
    assert "not a shard result of this toolkit" in refused([tmp_path / "empty"], tmp_path, monkeypatch)


def test_cli_refusal_exits_1_without_traceback(made, tmp_path):
    s1, s2 = copies(made, tmp_path)
    (s1 / SHARD_FILE).write_text("{not json")
    out = tmp_path / "merged"
    r = run_cli("build", "pdf", "--merge", str(s1), "--merge", str(s2), "--out", str(out))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"--merge {s1}: not a shard result of this toolkit" in r.stderr
    assert not out.exists()
    r = run_cli("build", "pdf", "--shard", "3/2", "--out", str(out))
    assert r.returncode == 2 and "i must be between 1 and n" in r.stderr


def test_pdf_shards_are_not_html_shards(made, tmp_path):
    """Each merge takes its own builder's shards only (shard.read_records: one rule for both)."""
    with pytest.raises(BuildError) as e:
        build(load_config(REPO / "edition.toml"), ["html"], out=tmp_path / "site", search_index=False,
              dist=Distribution(merge=tuple(made[1])))
    assert str(e.value).startswith(f"--merge {made[1][0]}: a shard of the pdf build, not of the html build")
    assert not (tmp_path / "site").exists()


def test_shards_of_one_day_merge_without_a_date_set(tmp_path, monkeypatch):
    """An edition with no publication date and no SOURCE_DATE_EPOCH: the PDFs are dated by the
    day (midnight UTC), so the shards of a matrix and their merge, run minutes apart, fit."""
    from types import SimpleNamespace

    from toolkit.outputs import pdf as pdfmod
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(pdfmod, "_edition_tree", lambda edition: None)  # no publication date
    day = 1_765_152_000  # a midnight UTC
    clock = iter([day + 36_000, day + 36_300, day + 36_600])  # 10:00, 10:05, 10:10
    monkeypatch.setattr(pdfmod, "time", SimpleNamespace(time=lambda: next(clock, day + 37_000)))
    cfg = load_config(REPO / "edition.toml")
    for i in (1, 2):
        [r] = build(cfg, ["pdf"], out=tmp_path / f"s{i}", dist=Distribution(shard=(i, 2)))
        assert r.ok and not r.has_errors, r.summary()
    [r] = build(cfg, ["pdf"], out=tmp_path / "merged",
                dist=Distribution(merge=(tmp_path / "s1", tmp_path / "s2")))
    assert r.ok and not r.has_errors, r.summary()
    assert pdfmod._timestamp(None) == day
