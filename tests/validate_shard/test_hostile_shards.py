"""A shard's record is untrusted input: `validate --merge` refuses, naming the shard, shards that
are missing, of another split, given twice, made from other inputs (sources, edition.toml,
options, toolkit, checkout path) or damaged/edited, with exit status 2 and no traceback; and
`validate --shard` never overwrites a file it did not write."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import edition_copy, run_cli

from toolkit.validate.shard import SHARD_FILE, _body_digest


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("hostile")
    ed = edition_copy(base)
    dirs = []
    for i in (1, 2, 3):
        d = base / f"shard-{i}"
        r = run_cli("validate", "--shard", f"{i}/3", "--out", str(d), cwd=ed)
        assert r.returncode == 0, r.stderr
        dirs.append(d)
    return {"ed": ed, "dirs": dirs}


@pytest.fixture
def shards(made, tmp_path) -> tuple[Path, list[Path]]:
    """Fresh copies of the three shard folders (the edition stays where the shards were made)."""
    dirs = []
    for d in made["dirs"]:
        shutil.copytree(d, tmp_path / d.name)
        dirs.append(tmp_path / d.name)
    return made["ed"], dirs


def merge(ed, dirs, *extra):
    return run_cli("validate", *extra, *[x for d in dirs for x in ("--merge", str(d))], cwd=ed)


def refused(r, *words):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert r.stderr.startswith("error: "), r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    return r.stderr


def rewrite(d: Path, change) -> None:
    """Edit a record as a forger would: its digest made to fit."""
    rec = json.loads((d / SHARD_FILE).read_text(encoding="utf-8"))
    change(rec)
    rec.pop("digest", None)
    rec["digest"] = _body_digest(rec)
    (d / SHARD_FILE).write_text(json.dumps(rec), encoding="utf-8")


def test_the_three_shards_merge(shards):
    ed, dirs = shards
    r = merge(ed, dirs, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == json.loads(run_cli("validate", "--format", "json", cwd=ed).stdout)


def test_missing_shard(shards):
    ed, dirs = shards
    refused(merge(ed, [dirs[0], dirs[2]]), "shard 2/3 not given")
    refused(merge(ed, dirs[:1]), "shards 2/3, 3/3 not given")


def test_forged_count_of_shards(shards):
    """A record claiming to be shard 1 of 10**12 (with its share: no file) is refused at once."""
    ed, dirs = shards
    one = dirs[0]
    rewrite(one, lambda rec: rec.update(shard=[1, 10**12], files=[]))
    err = refused(merge(ed, [one]), "shards 2/1000000000000, 3/1000000000000, 4/1000000000000, "
                  "5/1000000000000, 6/1000000000000 and 999999999994 more not given")
    assert len(err) < 300


def test_shard_of_another_split(shards, tmp_path):
    ed, dirs = shards
    other = tmp_path / "of-two"
    assert run_cli("validate", "--shard", "1/2", "--out", str(other), cwd=ed).returncode == 0
    refused(merge(ed, [*dirs, other]), str(other), "shard 1/2, the others are of 3")


def test_duplicate_shard(shards, tmp_path):
    ed, dirs = shards
    refused(merge(ed, [dirs[0], dirs[0], dirs[1], dirs[2]]), "shard 1/3 is given twice")
    again = tmp_path / "again"
    shutil.copytree(dirs[1], again)
    refused(merge(ed, [*dirs, again]), str(again), "shard 2/3 is given twice", str(dirs[1]))


def test_sources_changed_after_the_shards(made, shards):
    ed, dirs = shards
    doc = sorted((ed / "tei").glob("doc-*.xml"))[0]
    old = doc.read_bytes()
    try:
        doc.write_bytes(old.replace(b"</TEI>", b"<!-- edited --></TEI>"))
        refused(merge(ed, dirs), str(dirs[0]), "other source files", "same commit")
    finally:
        doc.write_bytes(old)
    assert merge(ed, dirs).returncode == 0


def test_edition_toml_changed(shards):
    ed, dirs = shards
    toml = ed / "edition.toml"
    old = toml.read_bytes()
    try:
        toml.write_bytes(old + b"\n# another setting\n")
        refused(merge(ed, dirs), "another edition.toml")
    finally:
        toml.write_bytes(old)


def test_other_options(shards):
    ed, dirs = shards
    refused(merge(ed, dirs, "--authority", str(ed / "tei" / "persons.xml")), "--authority")


def test_other_checkout_path(shards, tmp_path):
    """The same files in another folder: messages name files from there, so refused."""
    ed, dirs = shards
    moved = tmp_path / "elsewhere"
    shutil.copytree(ed, moved)
    refused(merge(moved, dirs), str(dirs[0]), "same checkout path")


def test_other_toolkit(shards):
    ed, dirs = shards
    rewrite(dirs[1], lambda rec: rec["inputs"].update(toolkit="0.0.1"))
    refused(merge(ed, dirs), str(dirs[1]), "toolkit 0.0.1", "same toolkit")


def test_not_a_shard(shards, tmp_path):
    ed, dirs = shards
    empty = tmp_path / "empty"
    empty.mkdir()
    refused(merge(ed, [empty, *dirs[1:]]), str(empty), "not a validation shard", "--shard I/N --out")
    folder = tmp_path / "folder"
    (folder / SHARD_FILE).mkdir(parents=True)
    refused(merge(ed, [folder, *dirs[1:]]), str(folder))
    # the HTML build's shard record is not one
    html = tmp_path / "html"
    html.mkdir()
    (html / SHARD_FILE).write_text(json.dumps({"format": 1, "shard": [1, 3], "pages": {}}))
    refused(merge(ed, [html, *dirs[1:]]), str(html), "damaged or edited")


@pytest.mark.parametrize("data", [
    b"", b"{not json", b"[1, 2, 3]", b'"a string"', b"\xff\xfe\x00", b"[" * 100000 + b"]" * 100000,
    b'{"format": 2}', b"null",
])
def test_unreadable_records(shards, data):
    ed, dirs = shards
    (dirs[2] / SHARD_FILE).write_bytes(data)
    refused(merge(ed, dirs), str(dirs[2]))


def test_edited_without_the_digest(shards):
    ed, dirs = shards
    rec = json.loads((dirs[0] / SHARD_FILE).read_text(encoding="utf-8"))
    rec["diagnostics"].append(["tei/x.xml", 1, 1, "error", "forged", "forged", ""])
    (dirs[0] / SHARD_FILE).write_text(json.dumps(rec), encoding="utf-8")
    refused(merge(ed, dirs), str(dirs[0]), "does not match its digest")


@pytest.mark.parametrize("change", [
    lambda rec: rec.update(shard=[4, 3]),
    lambda rec: rec.update(shard=[0, 3]),
    lambda rec: rec.update(shard=["1", "3"]),
    lambda rec: rec.update(shard=[True, 3]),
    lambda rec: rec.pop("files"),
    lambda rec: rec.update(extra=1),
    lambda rec: rec.update(files="tei/doc.xml"),
    lambda rec: rec.update(schemas={"a": "b"}),
    lambda rec: rec.update(notes=[1]),
    lambda rec: rec.update(inputs=[]),
    lambda rec: rec["inputs"].pop("toolkit"),
    lambda rec: rec["inputs"].update(toolkit=1),
    lambda rec: rec.update(diagnostics={}),
    lambda rec: rec["diagnostics"].append(["a.xml", 1 << 40, 1, "error", "m", "r", ""]),  # a relocation ticket
    lambda rec: rec["diagnostics"].append(["a.xml", -1, 1, "error", "m", "r", ""]),
    lambda rec: rec["diagnostics"].append(["a.xml", 1, 1, "fatal", "m", "r", ""]),
    lambda rec: rec["diagnostics"].append(["a.xml", 1, 1, "error", "m", "r"]),
    lambda rec: rec["diagnostics"].append(["a.xml", 1.5, 1, "error", "m", "r", ""]),
    lambda rec: rec["diagnostics"].append(["a.xml", 1, 1, "error", None, "r", ""]),
    lambda rec: rec["diagnostics"].append("a.xml:1:1"),
    # terminal escapes (no XML text has them, so no true finding)
    lambda rec: rec["diagnostics"].append(["a.xml", 1, 1, "error", "\x1b]0;owned\x07\x1b[2J", "r", ""]),
    lambda rec: rec["notes"].append("\x1b[31mred"),
    lambda rec: rec["inputs"].update(cwd="/tmp/\x1b[2J"),
])
def test_forged_shapes(shards, change):
    ed, dirs = shards
    rewrite(dirs[1], change)
    refused(merge(ed, dirs), str(dirs[1]))


def test_forged_share(shards):
    """A record claiming files of another shard (or fewer than its share): refused."""
    ed, dirs = shards
    other = json.loads((dirs[0] / SHARD_FILE).read_text(encoding="utf-8"))["files"]
    rewrite(dirs[1], lambda rec: rec["files"].extend(other))
    refused(merge(ed, dirs), str(dirs[1]), "other files than its share")


def test_not_a_regular_file(shards, tmp_path):
    """A FIFO is not waited on, a device not read."""
    ed, dirs = shards
    (dirs[0] / SHARD_FILE).unlink()
    os.mkfifo(dirs[0] / SHARD_FILE)
    refused(merge(ed, dirs), str(dirs[0]), "not a regular file")
    (dirs[0] / SHARD_FILE).unlink()
    os.symlink("/dev/zero", dirs[0] / SHARD_FILE)
    refused(merge(ed, dirs), str(dirs[0]), "not a regular file")
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / SHARD_FILE)
    refused(run_cli("validate", "--shard", "1/3", "--out", str(out), cwd=ed), str(out))


def test_too_large_record(shards):
    ed, dirs = shards
    with open(dirs[0] / SHARD_FILE, "r+b") as f:
        f.truncate((1 << 31) + 1)  # sparse: no disk used
    refused(merge(ed, dirs), str(dirs[0]), "at most 2 GB")


def test_shard_never_overwrites_a_foreign_file(made, tmp_path):
    ed = made["ed"]
    out = tmp_path / "out"
    out.mkdir()
    (out / SHARD_FILE).write_text("my notes\n")
    r = run_cli("validate", "--shard", "1/3", "--out", str(out), cwd=ed)
    refused(r, str(out), "not a validation shard's record")
    assert (out / SHARD_FILE).read_text() == "my notes\n"
    # a symbolic link there (to a file of the user's) is neither followed nor replaced
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / SHARD_FILE).unlink()
    os.symlink(victim, out / SHARD_FILE)
    refused(run_cli("validate", "--shard", "1/3", "--out", str(out), cwd=ed), str(out))
    assert victim.read_text() == "precious\n" and (out / SHARD_FILE).is_symlink()
    # --out a file
    r = run_cli("validate", "--shard", "1/3", "--out", str(victim), cwd=ed)
    assert r.returncode == 2 and "is a file" in r.stderr and "Traceback" not in r.stderr
    assert victim.read_text() == "precious\n"
    # its own record is replaced, and nothing else is left in the folder
    own = tmp_path / "own"
    for _ in range(2):
        assert run_cli("validate", "--shard", "2/3", "--out", str(own), cwd=ed).returncode == 0
    assert [p.name for p in own.iterdir()] == [SHARD_FILE]
    assert (own / SHARD_FILE).read_bytes() == (made["dirs"][1] / SHARD_FILE).read_bytes()


@pytest.mark.parametrize("args, words", [
    (["--shard", "1/3"], ["--shard needs --out"]),
    (["--out", "x"], ["--out is for --shard"]),
    (["--shard", "1/3", "--out", "x", "--staged"], ["no PATHS and no --staged"]),
    (["--shard", "1/3", "--out", "x", "tei"], ["no PATHS"]),
    (["--shard", "1/3", "--out", "x", "--merge", "tei"], ["either --shard", "or --merge"]),
    (["--merge", "tei", "tei/persons.xml"], ["no PATHS"]),
    (["--shard", "4/3", "--out", "x"], ["between 1 and n"]),
    (["--shard", "one", "--out", "x"], ["expected i/n"]),
])
def test_usage_errors(made, args, words):
    r = run_cli("validate", *args, cwd=made["ed"])
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr
    assert not (made["ed"] / "x").exists()
