"""Atomic publication: build into a staging folder, then swap it in place of the old output.

A build that fails or is interrupted leaves the previous output untouched: the staging folder is
removed and the old folder never moved. The swap is two renames on the same filesystem.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_output(target: Path, seed_from_previous: bool = False):
    """Yield a fresh staging folder beside `target`; on success it replaces `target`.

    With seed_from_previous, the staging folder starts as a copy of the current output (hard links
    where possible, so it is cheap) — incremental builds then rewrite only what changed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes 0700; a published site must be readable
    try:
        if seed_from_previous and target.is_dir():
            _link_copy(target, staging)
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _link_copy(src: Path | str, dst: Path | str):
    """Fill the (existing, empty) folder dst with the tree src, using hard links for files (new
    files are written, never modified in place). Folders get src's permissions. Symbolic links
    are copied as links. One scandir per folder, no per-file stat beyond it (shutil.copytree
    takes twice as long for the thousands of files of a large site)."""
    with os.scandir(src) as it:
        entries = list(it)
    for e in entries:
        d = os.path.join(dst, e.name)
        if e.is_symlink():
            os.symlink(os.readlink(e.path), d)
        elif e.is_dir():
            os.mkdir(d)
            _link_copy(e.path, d)
            shutil.copymode(e.path, d)
        else:
            try:
                os.link(e.path, d)
            except OSError:
                shutil.copy2(e.path, d)


def write_file(path: Path, data: str | bytes):
    """Write a file in the staging tree, replacing (not modifying) any hard-linked old copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)
