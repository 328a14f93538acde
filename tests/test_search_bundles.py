"""Placing the Pagefind bundles in the site (search._place_bundle): Pagefind writes each shard's
bundle in memory, and the site gets it without the ready-made interfaces Pagefind adds to every
bundle, with the runtime files (the same in every shard) hard-linked to the first shard's."""
from __future__ import annotations

import os
from pathlib import Path

from toolkit.build import search


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
    from toolkit.build.runner import build
    from toolkit.config import load_config
    [r] = build(load_config(REPO / "edition.toml"), ["html"], out=tmp_path / "site")
    assert r.ok, r.summary()
    shards = sorted((tmp_path / "site" / "pagefind").glob("shard-*"))
    assert shards
    for shard in shards:
        names = {p.name for p in shard.iterdir()}
        assert not names & set(search.UNUSED_UI), shard
        assert {"pagefind.js", "pagefind-entry.json", "fragment", "index"} <= names, shard
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):  # bundles written in memory, then placed
        assert len(shards) > 1
        assert len({os.stat(s / "wasm.en.pagefind").st_ino for s in shards}) == 1
