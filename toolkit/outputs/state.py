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
# A file modified (or its status changed) less than this before it was read might change again
# within the same tick of a coarse clock: its size and times are not trusted to stand for its
# bytes (git's "racy" rule). Nor are they on Windows, whose st_ctime is the creation time.
RACY_NS = 2_000_000_000
TRUST_STAT = os.name != "nt"


def trusted_stat(read_stat: tuple | None) -> list | None:
    """The stat key (xmlsafe.stat_key) of a file as read, when it can stand for its bytes: the
    state may then record it, and a later build take an unchanged stat for unchanged bytes."""
    if not TRUST_STAT or read_stat is None:
        return None
    *key, t0 = read_stat
    return list(key) if max(key[1], key[2]) < t0 - RACY_NS else None


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
