"""Placing the Pagefind bundles in the site (search._place_bundle): Pagefind writes each shard's
bundle in memory, and the site gets it without the ready-made interfaces Pagefind adds to every
bundle, with the runtime files (the same in every shard) hard-linked to the first shard's."""
from __future__ import annotations

import os
from pathlib import Path

from toolkit.outputs import search


def _bundle(folder, entry: str, runtime: bytes):
    (folder / "fragment").mkdir(parents=True)
    (folder / "fragment" / "en_1.pf_fragment").write_bytes(entry.encode() * 3)
    (folder / "pagefind-entry.json").write_text(entry)
    (folder / "wasm.en.pagefind").write_bytes(runtime)
    for name in search.UNUSED_UI:
        (folder / name).write_text("ui")
    return folder


def test_bundles_placed_without_interfaces_and_with_shared_runtime(tmp_path):
    placed: dict = {}
    one = _bundle(tmp_path / "mem" / "bundle-0", '{"shard": 0}', b"\0asm-runtime")
    two = _bundle(tmp_path / "mem" / "bundle-1", '{"shard": 1}', b"\0asm-runtime")
    three = _bundle(tmp_path / "mem" / "bundle-2", '{"shard": 2}', b"\0asm-other-version")
    site = tmp_path / "site" / "pagefind"
    for k, b in enumerate((one, two, three)):
        search._place_bundle(b, site / f"shard-{k}", placed)
    for k in range(3):
        names = {p.name for p in (site / f"shard-{k}").iterdir()}
        assert names == {"fragment", "pagefind-entry.json", "wasm.en.pagefind"}
        assert (site / f"shard-{k}" / "pagefind-entry.json").read_text() == f'{{"shard": {k}}}'
        assert (site / f"shard-{k}" / "fragment" / "en_1.pf_fragment").read_text() == f'{{"shard": {k}}}' * 3
    ino = [os.stat(site / f"shard-{k}" / "wasm.en.pagefind").st_ino for k in range(3)]
    assert ino[0] == ino[1] != ino[2]  # the same runtime is one file; another one is its own
    assert (site / "shard-2" / "wasm.en.pagefind").read_bytes() == b"\0asm-other-version"
    # the entry files differ: never linked
    assert os.stat(site / "shard-0" / "pagefind-entry.json").st_ino != os.stat(site / "shard-1" / "pagefind-entry.json").st_ino


def test_built_site_has_no_unused_interfaces(tmp_path):
    from conftest import REPO
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    [r] = build(load_config(REPO / "edition.toml"), ["html"], out=tmp_path / "site")
    assert r.ok, r.summary()
    shards = sorted((tmp_path / "site" / "pagefind").glob("shard-*"))
    assert shards
    for shard in shards:
        names = {p.name for p in shard.iterdir()}
        assert not names & set(search.UNUSED_UI), shard
        assert {"pagefind.js", "pagefind-entry.json", "fragment", "index"} <= names, shard


def _pages(site: Path, n: int) -> list[str]:
    rels = []
    for i in range(n):
        rel = f"doc/p{i}.html"
        (site / "doc").mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(f'<!DOCTYPE html><html lang="en"><head><title>P{i}</title></head><body>'
                                f'<main data-pagefind-body=""><h1>Page {i}</h1><p>word{i} text</p></main></body></html>',
                                encoding="utf-8")
        rels.append(rel)
    return rels


def test_many_shards_are_placed_from_memory_with_shared_runtime(tmp_path, monkeypatch):
    """Three or more shards to index: Pagefind writes them in memory (when /dev/shm has room)
    and they are placed without the interfaces, the runtime files linked across shards; one or
    two shards (an incremental rebuild) are written in place, also without the interfaces."""
    site = tmp_path / "site"
    rels = _pages(site, 6)
    shm = Path("/dev/shm")
    placed = []
    real_place = search._place_bundle
    monkeypatch.setattr(search, "_place_bundle", lambda *a: (placed.append(a[1].name), real_place(*a)))
    for shards in ({0: rels[:2], 1: rels[2:4], 2: rels[4:]}, {3: rels[:3]}):
        placed.clear()
        work = search.work_folder(site, 10_000)
        search.index_shards(site, shards, work=work)
        in_memory = work.parent == shm and len(shards) > 2
        assert sorted(placed) == (sorted(f"shard-{k}" for k in shards) if in_memory else [])
        dirs = [site / "pagefind" / f"shard-{k}" for k in shards]
        for d in dirs:
            names = {p.name for p in d.iterdir()}
            assert not names & set(search.UNUSED_UI), d
            assert {"pagefind.js", "pagefind-entry.json", "wasm.en.pagefind", "fragment"} <= names, d
        if len(shards) > 2 and shm.is_dir() and os.access(shm, os.W_OK):
            assert len({os.stat(d / "wasm.en.pagefind").st_ino for d in dirs}) == 1
