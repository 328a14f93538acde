"""Atomic publication: build into a staging folder, then swap it in place of the old output.

A build that fails or is interrupted leaves the previous output untouched: the staging folder is
removed and the old folder never moved. The swap is two renames on the same filesystem.
An incremental build's staging folder starts as hard links to the current output, made by
`cp -al` in its own process while the build plans (start_seed), and the old output is removed
in the background after the swap (remove_later).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


def _new_staging(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes 0700; a published site must be readable
    return staging


# GNU cp makes the hard-link copy in C, in its own process: started before the build plans
# anything, it runs beside the Python work instead of before it (a site of 3,500 files: 0.1 s).
_CP = shutil.which("cp") if sys.platform.startswith("linux") else None


class Seed:
    """A staging folder being filled with hard links to the current output (see staged_output)."""

    def __init__(self, target: Path):
        self.target = Path(target)
        self.staging = _new_staging(self.target)
        self.proc = None
        if _CP:
            try:
                self.proc = subprocess.Popen([_CP, "-al", "--", f"{self.target}/.", f"{self.staging}/"],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError:
                self.proc = None

    def wait(self) -> Path:
        """The staging folder, once complete (copied in Python when cp is absent or failed)."""
        if self.proc is not None:
            ok = self.proc.wait() == 0
            self.proc = None
            if ok:
                return self.staging
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = _new_staging(self.target)
        _link_copy(self.target, self.staging)
        return self.staging

    def cancel(self) -> None:
        """Not needed after all (nothing to build): stop and remove it."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
        remove_later(self.staging)


def start_seed(target: Path) -> Seed | None:
    """Begin a seeded staging folder for an incremental build of an existing output."""
    return Seed(target) if Path(target).is_dir() else None


def remove_later(folder: Path) -> None:
    """Remove a folder nobody reads any more without waiting for it: by a detached `rm -rf`
    where there is one (the command need not wait for thousands of unlinks), else now."""
    if _CP and shutil.which("rm"):
        try:
            subprocess.Popen(["rm", "-rf", "--", str(folder)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def staged_output(target: Path, seed_from_previous: bool = False, seed: Seed | None = None):
    """Yield a fresh staging folder beside `target`; on success it replaces `target`.

    With seed_from_previous (or a Seed started earlier by start_seed), the staging folder starts
    as a copy of the current output (hard links where possible, so it is cheap) — incremental
    builds then rewrite only what changed. The old output is removed after the swap, in the
    background; leftovers of an interrupted removal are removed by the next build.
    """
    target = Path(target)
    for stale in target.parent.glob(f".{target.name}.old-*"):
        remove_later(stale)
    try:
        if seed is not None:
            staging = seed.wait()
        else:
            staging = _new_staging(target)
            if seed_from_previous and target.is_dir():
                _link_copy(target, staging)
    except BaseException:
        if seed is not None:
            seed.cancel()
        raise
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        remove_later(old)


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
