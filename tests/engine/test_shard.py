"""Shards for CI matrices (toolkit/outputs/shard.py): `build html --shard i/n` makes the pages of
its documents; `build html --merge DIR…` makes the site from them, byte for byte the single
build's; a merge refuses shard results that do not fit, naming the shard."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, assert_same_files, edition_copy, run_cli, tree_files

from toolkit.outputs.shard import SHARD_FILE, in_shard


def shards(tmp_path, n=2, cwd=REPO, *extra):
    dirs = []
    for i in range(1, n + 1):
        d = tmp_path / f"shard-{i}"
        r = run_cli("build", "html", "--shard", f"{i}/{n}", "--out", str(d), *extra, cwd=cwd)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        dirs.append(d)
    return dirs


def merge_args(dirs):
    return [a for d in dirs for a in ("--merge", str(d))]


def test_two_shards_merged_are_the_single_build(tmp_path):
    single, merged = tmp_path / "single", tmp_path / "merged"
    assert run_cli("build", "html", "--out", str(single), "--no-search").returncode == 0
    dirs = shards(tmp_path)
    # each document page is in exactly one shard, and a shard holds nothing else of the site
    pages = [set(json.loads((d / SHARD_FILE).read_text())["pages"]) for d in dirs]
    assert pages[0] and pages[1] and not pages[0] & pages[1]
    doc_pages = {k for k in tree_files(single) if k.startswith("doc/") and k.endswith(".html")}
    assert pages[0] | pages[1] == doc_pages
    assert not (dirs[0] / "index.html").exists() and not (dirs[0] / "assets").exists()
    r = run_cli("build", "html", *merge_args(dirs), "--out", str(merged), "--no-search")
    assert r.returncode == 0, r.stderr
    assert_same_files(single, merged)


def test_merge_with_search_index(tmp_path):
    """With the search index: everything outside pagefind/ byte for byte (Pagefind's bundle
    differs between any two builds), and every page indexed."""
    single, merged = tmp_path / "single", tmp_path / "merged"
    assert run_cli("build", "html", "--out", str(single)).returncode == 0
    r = run_cli("build", "html", *merge_args(shards(tmp_path)), "--out", str(merged))
    assert r.returncode == 0, r.stderr
    fa, fb = tree_files(single), tree_files(merged)
    outside = [k for k in fa if not k.startswith("pagefind/")]
    assert outside == [k for k in fb if not k.startswith("pagefind/")]
    assert [k for k in outside if fa[k] != fb[k]] == []

    def counts(files):
        return {k: json.loads(v)["languages"]["en"]["page_count"] for k, v in files.items()
                if k.endswith("pagefind-entry.json")}
    assert counts(fa) == counts(fb) and sum(counts(fb).values()) > 11


def test_merge_takes_the_pages_from_the_shards(tmp_path):
    """The merge transforms nothing: a shard's page is what the site gets."""
    dirs = shards(tmp_path)
    page = sorted(json.loads((dirs[0] / SHARD_FILE).read_text())["pages"])[0]
    html = (dirs[0] / page).read_text(encoding="utf-8")
    (dirs[0] / page).write_text(html.replace("</body>", "<!--from shard 1--></body>"), encoding="utf-8")
    r = run_cli("build", "html", *merge_args(dirs), "--out", str(tmp_path / "m"), "--no-search")
    assert r.returncode == 0, r.stderr
    assert "<!--from shard 1-->" in (tmp_path / "m" / page).read_text(encoding="utf-8")


def test_merge_refuses_shards_that_do_not_fit(tmp_path):
    ed = edition_copy(tmp_path)
    dirs = shards(tmp_path, 2, ed)
    # a shard missing
    r = run_cli("build", "html", "--merge", str(dirs[0]), "--out", str(tmp_path / "m1"), cwd=ed)
    assert r.returncode == 1 and "shard 2/2 not given; give every shard's folder" in r.stderr, r.stderr
    # the same shard twice
    r = run_cli("build", "html", "--merge", str(dirs[0]), "--merge", str(dirs[0]), "--out", str(tmp_path / "m2"), cwd=ed)
    assert r.returncode == 1 and "shard 1/2 is given twice" in r.stderr, r.stderr
    # a folder that is no shard result
    other = tmp_path / "other"
    other.mkdir()
    r = run_cli("build", "html", "--merge", str(other), "--out", str(tmp_path / "m3"), cwd=ed)
    assert r.returncode == 1 and f"--merge {other}: not a shard result" in r.stderr, r.stderr
    # a source changed since the shards were made: its page is refused, the shard named
    rec = json.loads((dirs[0] / SHARD_FILE).read_text())
    page = sorted(rec["pages"])[0]
    src = next(p for p in (ed / "tei").glob("doc-*.xml") if f'xml:id="{page[4:-5]}"' in p.read_text())
    src.write_text(src.read_text().replace("</body>", "<p>added later</p></body>"))
    r = run_cli("build", "html", *merge_args(dirs), "--out", str(tmp_path / "m4"), cwd=ed)
    assert r.returncode == 1, r.stderr
    assert f"{src.name}: cannot make its page: shard {dirs[0]} made its page {page} from other inputs" in r.stderr
    assert "Traceback" not in r.stderr
    for m in ("m1", "m2", "m3", "m4"):
        assert not (tmp_path / m).exists()  # nothing written


def test_merge_refuses_forged_and_hostile_records(tmp_path):
    """A shard record is untrusted: a forged shard count of 10^12 is answered at once (not by
    counting to it), a shard number out of its split and a FIFO in the record's place are
    refused, naming the folder, without hanging or a traceback."""
    import os

    from toolkit.outputs.base import BuildError
    from toolkit.outputs.shard import read_records
    ed = edition_copy(tmp_path)
    [d] = shards(tmp_path, 1, ed)
    rec = json.loads((d / SHARD_FILE).read_text())
    forged = tmp_path / "forged"
    shutil.copytree(d, forged)
    (forged / SHARD_FILE).write_text(json.dumps({**rec, "shard": [1, 10**12]}))
    with pytest.raises(BuildError, match=r"shards 2/1000000000000, 3/1000000000000, .* … not given"):
        read_records([forged])
    (forged / SHARD_FILE).write_text(json.dumps({**rec, "shard": [3, 2]}))
    with pytest.raises(BuildError, match="not a shard result"):
        read_records([forged])
    (forged / SHARD_FILE).unlink()
    os.mkfifo(forged / SHARD_FILE)
    r = run_cli("build", "html", "--merge", str(forged), "--out", str(tmp_path / "m"), cwd=ed)
    assert r.returncode == 1 and f"--merge {forged}: not a shard result" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "m").exists()


def test_shard_of_a_page_is_stable():
    """blake2b of the address: the same in every process (Python's hash() is salted)."""
    pages = [f"doc/letter-{k}.html" for k in range(200)]
    here = [next(i for i in (1, 2, 3) if in_shard(p, i, 3)) for p in pages]
    code = ("from toolkit.outputs.shard import in_shard; import sys; "
            "print([next(i for i in (1, 2, 3) if in_shard(p, i, 3)) for p in sys.argv[1:]])")
    out = subprocess.run([sys.executable, "-c", code, *pages], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}, check=True).stdout
    assert out.strip() == str(here)
    assert {1, 2, 3} == set(here) and all(here.count(i) > 40 for i in (1, 2, 3))


def test_shard_option_errors(tmp_path):
    for value, msg in (("3/2", "i must be between 1 and n"), ("x", "expected i/n")):
        r = run_cli("build", "html", "--shard", value, "--out", str(tmp_path / "s"))
        assert r.returncode == 2 and msg in r.stderr and "Traceback" not in r.stderr, r.stderr
    d = tmp_path / "s1"
    d.mkdir()
    r = run_cli("build", "html", "--shard", "1/2", "--merge", str(d), "--out", str(tmp_path / "s"))
    assert r.returncode == 1 and "not both" in r.stderr
    assert not (tmp_path / "s").exists()


def test_shard_folder_default_and_rebuilt(tmp_path):
    """Without --out: output/html-shard-i-of-n, never output/html; a second run replaces it."""
    ed = edition_copy(tmp_path)
    for _ in range(2):
        r = run_cli("build", "html", "--shard", "2/3", cwd=ed)
        assert r.returncode == 0, r.stderr
    assert (ed / "output" / "html-shard-2-of-3" / SHARD_FILE).is_file()
    assert not (ed / "output" / "html").exists()
    shutil.rmtree(ed / "output")


def test_merge_parses_no_document(tmp_path, monkeypatch):
    """The merge makes the site from the shards' compact records (each document's facts and
    mentions, verified by the hash of its bytes): no document file is parsed; the authority
    files and the edition file are."""
    from toolkit import model
    from toolkit.config import load_config
    from toolkit.outputs import runner
    from toolkit.outputs.engine import Distribution
    from toolkit.outputs.html import incremental
    dirs = shards(tmp_path)
    parsed = []
    for mod in (model, incremental):
        real = mod.parse_file
        monkeypatch.setattr(mod, "parse_file", lambda p, *a, real=real, **k: parsed.append(p.name) or real(p, *a, **k))
    [r] = runner.build(load_config(REPO / "edition.toml"), ["html"], out=tmp_path / "merged", search_index=False,
                       dist=Distribution(merge=tuple(dirs)))
    assert r.ok and not r.has_errors
    assert parsed and not [n for n in parsed if n.startswith("doc-")], parsed
    single = tmp_path / "single"
    assert run_cli("build", "html", "--out", str(single), "--no-search").returncode == 0
    assert_same_files(single, tmp_path / "merged")
