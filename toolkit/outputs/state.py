"""Where a builder keeps what it knows between builds (facts of unchanged files, mentions, image
hashes): in the toolkit's cache folder, never in the site. The state holds absolute local paths,
which a published site must not show, and it is derived data: deleting it only makes the next
build slower. One folder per output folder (keyed by its absolute path); the folders of outputs
not built for a long time are removed (KEEP newest)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..cache import cache_dir

KEEP = 32


def state_dir(target: Path) -> Path:
    key = hashlib.blake2b(os.path.abspath(target).encode("utf-8", "surrogateescape"),
                          digest_size=10).hexdigest()
    return cache_dir("builds", key)


def state_file(target: Path, name: str) -> Path:
    return state_dir(target) / name


def write_state(target: Path, name: str, text: str) -> None:
    """Store a builder's state atomically; a failure to write it costs speed, not correctness."""
    folder = state_dir(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / name)
        (folder / "target").write_text(os.path.abspath(target), encoding="utf-8", errors="surrogateescape")
    except OSError:
        return
    _prune(folder.parent)


def _prune(builds: Path) -> None:
    try:
        entries = sorted(((e.stat().st_mtime, e.path) for e in os.scandir(builds) if e.is_dir()),
                         reverse=True)
    except OSError:
        return
    import shutil
    for _, old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
