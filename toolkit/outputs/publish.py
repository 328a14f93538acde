"""Atomic publication: build into a staging folder, then swap it in place of the old output.

A build that fails or is interrupted leaves the previous output untouched: the staging folder is
removed and the old folder never moved. The swap is two renames on the same filesystem.
An incremental build's staging folder starts as hard links to the current output, made by
`cp -al` in its own process while the build plans (start_seed), and the old output is removed
in the background after the swap (remove_later).

An output folder is replaced only when the toolkit made it (it holds a manifest,
`.edition-build.json`, listing the files a build wrote), when it is empty, or when it does not
exist (check_output). Files in it that no build wrote (a `CNAME`, a `.nojekyll`) are the user's:
every build carries them into the new output unchanged, and a build that would write a file of
the same name stops instead (OutputError), so nothing of the user's is ever deleted or replaced.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


MANIFEST = ".edition-build.json"
# Names the toolkit writes (or wrote in earlier versions) beside the pages: never the user's.
_OWN_PREFIX = ".edition-"


class OutputError(Exception):
    """The output folder cannot be used as it is (a usage error): nothing was written or deleted."""


def read_manifest(target: Path) -> dict | None:
    """The manifest of an output folder the toolkit made (any format), or None."""
    try:
        data = json.loads((Path(target) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("pages", {}), dict) else None


def write_manifest(stage: Path, pages: dict[str, str], folders: tuple[str, ...] = (),
                   extra: dict | None = None) -> None:
    """Record what a build wrote: its files (path → fingerprint) and the folders it owns whole
    (every file below them is the toolkit's, e.g. the search index)."""
    data = {**(extra or {}), "pages": dict(sorted(pages.items()))}
    if folders:
        data["folders"] = sorted(folders)
    write_file(Path(stage) / MANIFEST, json.dumps(data, indent=0, ensure_ascii=False))


def _is_ancestor(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def _describe(entries: list[str], total: int) -> str:
    shown = ", ".join(entries[:3])
    return shown + (f" and {total - 3} more" if total > 3 else "")


def check_output(target: Path, protect: list[Path] = ()) -> Path:
    """The output folder as an absolute path, when a build may replace it: it does not exist,
    is empty, or holds a toolkit manifest — and it contains none of the `protect` paths (the
    edition's root and source files) nor a git repository. Else OutputError, saying why and
    what to do; nothing is touched."""
    target = Path(os.path.abspath(target))
    real = Path(os.path.realpath(target))
    for p in protect:
        rp = Path(os.path.realpath(p))
        if _is_ancestor(real, rp):
            raise OutputError(f"the output folder {target} contains the edition's own files ({p}); "
                              f"choose a folder outside them, e.g. --out {target / 'site'}")
    for p in protect:
        for folder in (Path(os.path.realpath(p)), *Path(os.path.realpath(p)).parents):
            if (folder / ".git").exists():
                if _is_ancestor(real, folder):
                    raise OutputError(f"the output folder {target} contains the git repository "
                                      f"{folder}; choose a folder of its own, e.g. --out {target / 'site'}")
                break
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError(f"the output folder {target} is a file, not a folder; choose another --out")
    if target.is_dir():
        if (target / ".git").exists():
            raise OutputError(f"the output folder {target} is a git repository; choose a folder "
                              f"of its own")
        if read_manifest(target) is None:
            try:
                names = sorted(os.listdir(target))
            except OSError as e:
                raise OutputError(f"cannot read the output folder {target}: {e.strerror or e}") from None
            if names:
                raise OutputError(
                    f"the output folder {target} already holds files the toolkit did not write "
                    f"({_describe(names, len(names))}) and has no {MANIFEST}; nothing was deleted. "
                    f"Give --out a new or empty folder, or move those files away yourself")
    return target


def user_files(target: Path, manifest: dict | None) -> list[str]:
    """The files (and symbolic links) of an output folder that no build wrote, as paths
    relative to it: what the user put there (CNAME, .nojekyll, a README)."""
    if manifest is None:
        return []
    pages = manifest.get("pages", {})
    folders = tuple(f.rstrip("/") + "/" for f in manifest.get("folders", ()) if isinstance(f, str))
    out = []
    root = str(target)
    for folder, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(folder, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        if prefix and prefix.startswith(folders):
            dirs[:] = []
            continue
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            rel = prefix + name
            if rel in pages or (not prefix and name.startswith(_OWN_PREFIX)):
                continue
            out.append(rel)
    return sorted(out)


def _carry_user_files(target: Path, staging: Path, kept: list[str]) -> None:
    """Put the user's files of the old output into the new one, unchanged (hard links); a file
    the build wrote at the same place stops the swap."""
    clash = []
    for rel in kept:
        old, new = target / rel, staging / rel
        if os.path.lexists(new):
            try:
                if os.path.samestat(os.lstat(old), os.lstat(new)):
                    continue  # the seed's hard link, untouched by the build
            except OSError:
                pass
            clash.append(rel)
            continue
        new.parent.mkdir(parents=True, exist_ok=True)
        if old.is_symlink():
            os.symlink(os.readlink(old), new)
        else:
            try:
                os.link(old, new)
            except OSError:
                shutil.copy2(old, new)
    if clash:
        raise OutputError(
            f"{target} holds files the toolkit did not write where this build makes pages of the same "
            f"name ({_describe(clash, len(clash))}); nothing was changed. Move or rename those files "
            f"and build again")


def _new_staging(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    # the pid in the name lets a later build remove the folder of a build that was killed
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes 0700; a published site must be readable
    return staging


def alive(pid: int) -> bool:
    """Whether a process with this id runs (a build that left a staging folder or search copies)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_abandoned(target: Path) -> None:
    """Remove the staging folders that builds of this output left when they were killed (their
    process is gone); a running build's folder is left alone."""
    pattern = re.compile(r"\.%s\.staging-(\d+)-" % re.escape(target.name))
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        m = pattern.match(name)
        if m and int(m.group(1)) != os.getpid() and not alive(int(m.group(1))):
            remove_later(target.parent / name)


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
    target = Path(os.path.abspath(target))
    check_output(target)  # the builder's own guard; the runner has checked more (check_output)
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
        if not (staging / MANIFEST).exists():  # a builder that keeps no manifest of its own
            write_manifest(staging, {rel: "" for rel in _all_files(staging)})
        if target.is_dir():
            _carry_user_files(target, staging, user_files(target, read_manifest(target)))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        remove_later(old)


def _all_files(root: Path) -> list[str]:
    out = []
    for folder, _, files in os.walk(root):
        rel_dir = os.path.relpath(folder, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        out += [prefix + f for f in files if prefix or not f.startswith(_OWN_PREFIX)]
    return out


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
