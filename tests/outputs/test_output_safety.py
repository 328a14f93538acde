"""The output folder: the toolkit replaces only a folder it made (its manifest), an empty one or a
missing one; it never deletes the user's files, never takes the edition's own folder or a git
repository as output, and keeps files the user added to its output (CNAME, .nojekyll)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TEI

DOC = TEI / "doc-1935-09-13.xml"
DOC2 = TEI / "doc-1937-06-14.xml"
AUTH = [TEI / "persons.xml", TEI / "places.xml", TEI / "orgs.xml"]


def edition(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def adhoc_args(*docs: Path) -> list[str]:
    out = [str(d) for d in docs]
    for a in AUTH:
        out += ["--authority", str(a)]
    return out


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def make_edition(tmp_path: Path) -> Path:
    """A copy of the bundled edition in a git repository of its own."""
    ed = tmp_path / "ed"
    shutil.copytree(REPO / "tei", ed / "tei")
    shutil.copytree(REPO / "schema", ed / "schema")
    shutil.copy(REPO / "edition.toml", ed / "edition.toml")
    subprocess.run(["git", "init", "-q", str(ed)], check=True)
    return ed


def test_out_with_the_users_files_is_refused_and_nothing_deleted(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.docx").write_bytes(b"four years of work")
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", str(victim), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert str(victim) in r.stderr and "thesis.docx" in r.stderr and "nothing was deleted" in r.stderr
    assert files_under(victim) == {"thesis.docx": b"four years of work"}
    # and no staging folder is left beside it
    assert [p.name for p in tmp_path.iterdir()] == ["victim"]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_the_project_root_is_never_an_output(tmp_path, fmt):
    ed = make_edition(tmp_path)
    before = files_under(ed)
    for out in (str(ed), "."):
        r = edition("build", fmt, "--out", out, cwd=ed)
        assert r.returncode == 2, (out, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
        assert "contains the edition's own files" in r.stderr
    assert files_under(ed) == before
    assert sorted(p.name for p in ed.iterdir()) == [".git", "edition.toml", "schema", "tei"]


def test_a_folder_holding_a_repository_or_sources_is_refused(tmp_path):
    ed = make_edition(tmp_path)
    # the folder above the repository (it contains .git), and the TEI folder itself
    for out in (tmp_path, ed / "tei"):
        r = edition("build", "html", "--out", str(out), cwd=ed)
        assert r.returncode == 2, r.stderr
        assert "nothing" in r.stderr or "contains" in r.stderr
    assert (ed / ".git").is_dir() and (ed / "tei" / "persons.xml").is_file()


def test_out_dot_in_an_empty_folder_builds_there(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", ".", cwd=site)
    assert r.returncode == 0, r.stderr
    assert (site / "index.html").is_file() and (site / ".edition-build.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


def test_users_files_survive_full_and_incremental_builds(tmp_path):
    out = tmp_path / "site"
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (out / "CNAME").write_text("edition.example.org\n")
    (out / ".nojekyll").write_text("")
    (out / "extra").mkdir()
    (out / "extra" / "notes.txt").write_text("mine")
    for extra in (["--full"], [], ["--full"]):
        r = edition("build", "html", "--no-search", *adhoc_args(DOC, DOC2), "--out", str(out), *extra,
                    cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert (out / "CNAME").read_text() == "edition.example.org\n"
        assert (out / ".nojekyll").exists()
        assert (out / "extra" / "notes.txt").read_text() == "mine"
    manifest = json.loads((out / ".edition-build.json").read_text())
    assert "CNAME" not in manifest["pages"] and "doc/doc-1937-06-14.html" in manifest["pages"]


def test_a_users_file_where_a_page_would_go_stops_the_build(tmp_path):
    out = tmp_path / "site"
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    index_before = (out / "index.html").read_bytes()
    mine = out / "doc" / "doc-1937-06-14.html"
    mine.write_text("my own page")
    for extra in ([], ["--full"]):
        r = edition("build", "html", "--no-search", *adhoc_args(DOC, DOC2), "--out", str(out), *extra,
                    cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert "doc/doc-1937-06-14.html" in r.stderr and "Traceback" not in r.stderr
        assert mine.read_text() == "my own page"
        assert (out / "index.html").read_bytes() == index_before  # the old output is untouched
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


def test_build_state_is_not_published(tmp_path):
    out = tmp_path / "site"
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    local = str(TEI).encode()
    for rel, data in files_under(out).items():
        assert local not in data, f"{rel} shows a local path"
    assert not (out / ".edition-cache.json").exists()


def test_pdf_output_has_a_manifest_and_keeps_users_files(tmp_path):
    out = tmp_path / "pdf"
    r = edition("build", "pdf", *adhoc_args(DOC), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / ".edition-build.json").read_text())
    assert set(manifest["pages"]) == {p.name for p in out.glob("*.pdf")}
    (out / "README.txt").write_text("printed copies: ask the editors")
    r = edition("build", "pdf", *adhoc_args(DOC), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (out / "README.txt").read_text() == "printed copies: ask the editors"


def test_stale_staging_folders_of_killed_builds_are_removed(tmp_path):
    out = tmp_path / "site"
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # a build killed with SIGKILL leaves its staging folder; its pid is gone
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f".site.staging-{dead.pid}-abc123"
    (left / "doc").mkdir(parents=True)
    (left / "doc" / "x.html").write_text("half a build")
    alive = tmp_path / f".site.staging-{os.getpid()}-def456"  # a running build's: kept
    alive.mkdir()
    r = edition("build", "html", "--no-search", *adhoc_args(DOC), "--out", str(out), "--full", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import time
    for _ in range(100):
        if not left.exists():
            break
        time.sleep(0.05)
    assert not left.exists()
    assert alive.exists()
