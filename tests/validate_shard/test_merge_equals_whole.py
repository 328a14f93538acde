"""Validation in shards (toolkit/validate/shard.py, issue #18): `validate --shard i/n` ×n then
`validate --merge` prints the whole-edition validate's report, byte for byte, in every format,
with its exit status, for a replicated edition with errors of every kind (per file, across
files, and the authority files' that need the whole edition)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from toolkit.outputs.shard import in_shard
from toolkit.validate.shard import SHARD_FILE

sys.path.insert(0, str(REPO / "bench"))
from _common import replicate_edition  # noqa: E402

N = 3


def shard_of(rel: str, n: int = N) -> int:
    return next(i for i in range(1, n + 1) if in_shard(rel, i, n))


def edit(p: Path, old: str, new: str) -> None:
    text = p.read_text(encoding="utf-8")
    assert old in text, (p, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> dict:
    """A 240-document edition with a bad pointer, an id used in two files of different shards,
    an unused authority entry, RELAX NG errors and a Schematron error."""
    ed = replicate_edition(tmp_path_factory.mktemp("shards") / "ed", 240)
    docs = sorted((ed / "tei").glob("doc-*.xml"))
    rel = [d.relative_to(ed).as_posix() for d in docs]
    a = 5
    b = next(k for k in range(6, len(docs)) if shard_of(rel[k]) != shard_of(rel[a]))
    edit(docs[a], 'ref="places.xml#', 'ref="places.xml#nowhere-')
    edit(docs[a], "<p>", '<p xml:id="twice">')
    edit(docs[b], "<p>", '<p xml:id="twice">')
    edit(docs[9], "<p>", '<p bogus="1">')
    edit(docs[12], 'when="19', 'when="1x')
    # a value two of the schema's attribute patterns describe (their order once depended on
    # what the process had checked before)
    edit(docs[40], "<p>", f'<p><ref target="{docs[41].name}#{docs[41].stem}">x</ref>')
    edit(ed / "tei" / "persons.xml", '<person xml:id="smirnov">',
         '<person xml:id="nobody"><persName type="preferred">Nobody</persName></person>\n<person xml:id="smirnov">')
    dirs = []
    for i in range(1, N + 1):
        d = ed.parent / f"shard-{i}"
        r = run_cli("validate", "--shard", f"{i}/{N}", "--out", str(d), cwd=ed)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert r.stdout.startswith(f"shard {i}/{N}: ")
        dirs.append(d)
    return {"ed": ed, "dirs": dirs, "a": rel[a], "b": rel[b], "rng": rel[9], "sch": rel[12], "target": rel[40],
            "merge": [x for d in dirs for x in ("--merge", str(d))]}


@pytest.mark.parametrize("fmt", ["json", "text", "github"])
def test_merged_report_is_the_whole_validate(broken, fmt):
    whole = run_cli("validate", "--format", fmt, cwd=broken["ed"])
    merged = run_cli("validate", "--format", fmt, *broken["merge"], cwd=broken["ed"])
    assert "Traceback" not in merged.stderr
    assert whole.returncode == merged.returncode == 1
    assert merged.stdout == whole.stdout
    assert merged.stderr == whole.stderr  # the notes (text: the schemas applied)


def test_the_injected_errors_are_all_reported(broken):
    """(so that the comparison above is not of two empty reports)"""
    out = json.loads(run_cli("validate", "--format", "json", *broken["merge"], cwd=broken["ed"]).stdout)
    found = {(d["path"], d["rule"]) for d in out["diagnostics"]}
    a, b = broken["a"], broken["b"]
    assert {(a, "ref.resolves"), (a, "id.unique"), (b, "id.unique"), (broken["rng"], "rng"),
            (broken["sch"], "date.iso"), ("tei/persons.xml", "authority.unused"), (broken["target"], "rng")} <= found
    assert out["files"] == 240 + 4  # the documents, three authority files and the edition file
    assert len(out["schemas"]) == out["files"]


def test_each_document_is_checked_by_one_shard(broken):
    recs = [json.loads((d / SHARD_FILE).read_text(encoding="utf-8")) for d in broken["dirs"]]
    shares = [set(r["files"]) for r in recs]
    assert all(shares) and sum(map(len, shares)) == len(set().union(*shares)) == 241  # with edition.xml
    for i, share in enumerate(shares, 1):
        assert all(shard_of(f) == i for f in share)
    assert not {"tei/persons.xml", "tei/places.xml", "tei/orgs.xml"} & set().union(*shares)  # the merge's
    # the duplicate id is found by each of the two shards, in its own file
    for rec in recs:
        dup = {d[0] for d in rec["diagnostics"] if d[5] == "id.unique"}
        assert dup <= {broken["a"], broken["b"]} and all(shard_of(p) == rec["shard"][0] for p in dup)


def test_quiet_shard_and_merge(broken):
    whole = run_cli("validate", "-q", cwd=broken["ed"])
    merged = run_cli("validate", "-q", *broken["merge"], cwd=broken["ed"])
    assert (merged.returncode, merged.stdout, merged.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    d = broken["ed"].parent / "quiet-shard"
    r = run_cli("-q", "validate", "--shard", "1/3", "--out", str(d), cwd=broken["ed"])
    assert (r.returncode, r.stdout) == (0, "")
    assert (d / SHARD_FILE).read_bytes() == (broken["dirs"][0] / SHARD_FILE).read_bytes()


def test_edition_without_authority_files(tmp_path):
    """No authority files: the merge checks nothing itself; two shards, as the whole
    validate (errors in one file, a pointer resolved across files)."""
    from test_validate_cli import make_edition
    ed = make_edition(tmp_path)
    for n in (2,):
        dirs = [tmp_path / f"s{n}-{i}" for i in range(1, n + 1)]
        for i, d in enumerate(dirs, 1):
            assert run_cli("validate", "--shard", f"{i}/{n}", "--out", str(d), cwd=ed).returncode == 0
        for fmt in ("json", "text"):
            whole = run_cli("validate", "--format", fmt, cwd=ed)
            merged = run_cli("validate", "--format", fmt, *[x for d in dirs for x in ("--merge", str(d))], cwd=ed)
            assert (merged.returncode, merged.stdout, merged.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    out = json.loads(merged.stdout if fmt == "json" else run_cli("validate", "--format", "json", cwd=ed).stdout)
    assert (out["files"], out["errors"]) == (2, 2)


def test_pointers_into_a_broken_authority_file(tmp_path):
    """Every document's pointers into an authority file that cannot be read are left out, the
    file's own error standing for them: one note counting them all, as the whole validate says
    it (each shard counts its own)."""
    from conftest import edition_copy
    ed = edition_copy(tmp_path)
    edit(ed / "tei" / "persons.xml", '<person xml:id="smirnov">', '<person xml:id="smirnov"><broken>')
    dirs = [tmp_path / f"s{i}" for i in (1, 2, 3)]
    for i, d in enumerate(dirs, 1):
        assert run_cli("validate", "--shard", f"{i}/3", "--out", str(d), cwd=ed).returncode == 0
    whole = run_cli("validate", cwd=ed)
    merged = run_cli("validate", *[x for d in dirs for x in ("--merge", str(d))], cwd=ed)
    assert (merged.returncode, merged.stdout, merged.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    notes = [n for n in merged.stderr.splitlines() if "not checked: that file could not be read" in n]
    assert len(notes) == 1 and notes[0].startswith("note: ") and "into tei/persons.xml" in notes[0]
    assert "[xml.well-formed]" in merged.stdout


def test_a_shard_in_worker_processes(tmp_path):
    """A large share is checked in one process per core, as a whole-edition validate's job is
    (here forced at any size): the same report, the workers' notes kept."""
    import os
    import re
    import subprocess
    from conftest import edition_copy
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: a shard is checked in one process")
    ed = edition_copy(tmp_path)
    edit(ed / "tei" / "persons.xml", '<person xml:id="smirnov">', '<person xml:id="smirnov"><broken>')
    docs = sorted((ed / "tei").glob("doc-*.xml"))
    edit(docs[3], "<p>", '<p bogus="1">')
    forced = ("import sys; from toolkit.validate import validator; validator.PARALLEL_MIN_BYTES = 0; "
              "real = validator._chunks_for_processes; "
              "validator._chunks_for_processes = lambda t: print('chunks', len(real(t)), file=sys.stderr) "
              "or real(t); from toolkit.cli import main; sys.argv = ['edition'] + sys.argv[1:]; main()")
    dirs = [tmp_path / f"s{i}" for i in (1, 2)]
    for i, d in enumerate(dirs, 1):
        r = subprocess.run([sys.executable, "-c", forced, "validate", "--shard", f"{i}/2", "--out", str(d)],
                           cwd=ed, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert re.search(r"^chunks [2-9]$", r.stderr, re.M), r.stderr
    merged = run_cli("validate", *[x for d in dirs for x in ("--merge", str(d))], cwd=ed)
    whole = run_cli("validate", cwd=ed)
    assert (merged.returncode, merged.stdout, merged.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    assert "[rng]" in merged.stdout and "references into tei/persons.xml were not checked" in merged.stderr


def test_pointers_into_a_broken_document_of_another_shard(tmp_path):
    """A shard reads the files its documents point into whole (the others as their ids only), so
    that a document that cannot be read is known as such there too: the pointers into it are
    left out with one note, not checked against the ids its bytes seem to hold."""
    from conftest import edition_copy
    ed = edition_copy(tmp_path)
    docs = sorted((ed / "tei").glob("doc-*.xml"))
    rel = [d.relative_to(ed).as_posix() for d in docs]
    a = 0
    b = next(k for k in range(1, len(docs)) if shard_of(rel[k]) != shard_of(rel[a]))
    edit(docs[a], "<p>", f'<p><ref target="{docs[b].name}#{docs[b].stem}">x</ref>'
                         f'<ref target="{docs[b].name}#no-such-id">y</ref>')
    edit(docs[b], "</body>", "<p></body>")  # not well-formed
    dirs = [tmp_path / f"s{i}" for i in (1, 2, 3)]
    for i, d in enumerate(dirs, 1):
        assert run_cli("validate", "--shard", f"{i}/3", "--out", str(d), cwd=ed).returncode == 0
    whole = run_cli("validate", cwd=ed)
    merged = run_cli("validate", *[x for d in dirs for x in ("--merge", str(d))], cwd=ed)
    assert (merged.returncode, merged.stdout, merged.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    assert f"references into {rel[b]} were not checked" in merged.stderr
    assert "no-such-id" not in merged.stdout.replace(f"@target=\"{docs[b].name}#no-such-id\"", "")
