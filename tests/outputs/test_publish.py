"""Atomic publication (toolkit/outputs/publish.py): seeded staging folders and background removal."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from toolkit.outputs import publish


def make_site(root: Path) -> Path:
    site = root / "html"
    (site / "doc" / "deep").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "doc" / "a.html").write_text("a")
    (site / "doc" / "deep" / "b.html").write_text("b")
    os.chmod(site / "doc", 0o750)
    (site / "latest.html").symlink_to("index.html")
    publish.write_manifest(site, {"index.html": "", "doc/a.html": "", "doc/deep/b.html": "",
                                  "latest.html": ""})
    return site


def tree(root: Path) -> dict:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_dir():
            out[rel] = ("dir", p.stat().st_mode & 0o777)
        else:
            out[rel] = ("file", p.read_text())
    return out


def eventually(check, seconds=10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.mark.parametrize("with_cp", [True, False], ids=["cp", "python"])
def test_seed_is_a_hard_link_copy(tmp_path, monkeypatch, with_cp):
    site = make_site(tmp_path)
    if not with_cp:
        monkeypatch.setattr(publish, "_CP", None)
    elif publish._CP is None:
        pytest.skip("GNU cp is used on Linux only")
    staging = publish.start_seed(site).wait()
    assert tree(staging) == tree(site)
    # files are the same inodes (no data copied), folders are new
    assert (staging / "doc" / "a.html").stat().st_ino == (site / "doc" / "a.html").stat().st_ino
    assert (staging / "doc").stat().st_ino != (site / "doc").stat().st_ino


def test_seeded_build_replaces_output_and_old_copy_goes(tmp_path):
    site = make_site(tmp_path)
    seed = publish.start_seed(site)
    with publish.staged_output(site, seed=seed) as stage:
        publish.write_file(stage / "doc" / "a.html", "new a")
    assert (site / "doc" / "a.html").read_text() == "new a"
    assert (site / "doc" / "deep" / "b.html").read_text() == "b"
    assert eventually(lambda: not [p for p in tmp_path.iterdir() if p.name.startswith(".html.")])


def test_failed_seeded_build_keeps_output(tmp_path):
    site = make_site(tmp_path)
    before = tree(site)
    with pytest.raises(RuntimeError):
        with publish.staged_output(site, seed=publish.start_seed(site)) as stage:
            publish.write_file(stage / "doc" / "a.html", "half-built")
            raise RuntimeError("interrupted")
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".html.staging")]


def test_cancelled_seed_is_removed(tmp_path):
    site = make_site(tmp_path)
    seed = publish.start_seed(site)
    seed.cancel()
    assert eventually(lambda: not seed.staging.exists())
    assert (site / "index.html").read_text() == "home"


def test_leftover_old_output_is_removed_by_the_next_build(tmp_path):
    site = make_site(tmp_path)
    left = tmp_path / ".html.old-123-456"
    (left / "doc").mkdir(parents=True)
    (left / "doc" / "x.html").write_text("x")
    with publish.staged_output(site, seed_from_previous=True):
        pass
    assert eventually(lambda: not left.exists())
