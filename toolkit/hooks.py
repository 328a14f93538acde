"""Commit integration: a git pre-commit hook that validates what the commit holds.

The hook runs `<python> -I -m toolkit validate --staged` with the interpreter the toolkit was
installed in (recorded when the hook is written: no `edition` looked up on PATH, which a GUI
client or another virtualenv may not have, and -I so that a `toolkit` folder in the repository
is never imported). A pre-commit hook that is already there and not ours (or ours, edited since)
is kept under a new name and run first; a symlink there is never written through.
"""
from __future__ import annotations

import hashlib
import os
import re
import shlex
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = "# installed by `edition hooks install`"
_SEAL = "# edition-hook-sha256: "
# The hook that earlier versions wrote (a bare `edition` on PATH): ours, replaced silently.
_OLD_HOOK = f"""#!/bin/sh
{MARKER}
# Validates the TEI files staged for this commit (references resolve against the whole edition).
# Skip once with: git commit --no-verify
exec edition validate --staged
"""


class HookError(Exception):
    pass


@dataclass
class Installed:
    path: Path                  # the hook written
    kept: Path | None = None    # the previous hook, under its new name
    chained: bool = False       # whether the previous hook runs first


def hook_script(python: str, previous: str | None) -> str:
    """The hook's text; its last line seals the rest, so that an edit is recognised."""
    body = f"""#!/bin/sh
{MARKER}
# Validates what this commit holds (git's index), with the toolkit this hook was installed from.
# Skip once with: git commit --no-verify
python={shlex.quote(python)}
"""
    if previous:
        body += f"""# The pre-commit hook that was here before runs first; if it fails, the commit stops.
previous="$(dirname "$0")"/{shlex.quote(previous)}
if [ -x "$previous" ]; then
    "$previous" "$@" || exit $?
fi
"""
    body += """if [ ! -x "$python" ]; then
    echo "edition pre-commit hook: $python, the Python it was installed with, is gone." >&2
    echo "Run 'edition hooks install' again with the toolkit you use now (or commit with --no-verify)." >&2
    exit 1
fi
exec "$python" -I -m toolkit validate --staged
"""
    return body + _SEAL + _digest(body) + "\n"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ours_unchanged(text: str) -> tuple[bool, str | None]:
    """Whether a hook is one this module wrote, unedited; and the hook it chains, if any."""
    if text == _OLD_HOOK:
        return True, None
    body, sep, seal = text.rpartition(_SEAL)
    if not sep or MARKER not in body or seal.strip() != _digest(body):
        return False, None
    m = re.search(r'^previous="\$\(dirname "\$0"\)"/(.+)$', body, re.M)
    return True, (shlex.split(m.group(1))[0] if m else None)


def git_hooks_dir(start: Path) -> Path:
    """The hooks folder git uses here (core.hooksPath respected)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=start, check=True,
                             capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise HookError(f"{start} is not inside a git repository") from None
    p = Path(out)
    return p if p.is_absolute() else (start / p)


def _check_interpreter(python: str) -> None:
    """The hook will run `python -I -m toolkit`: make sure that finds this toolkit."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run([python, "-I", "-c", "import toolkit; print(toolkit.__file__)"],
                             capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    if not out or Path(out).resolve().parent != here:
        raise HookError(f"{python} does not import this toolkit ({here}) on its own (is it on "
                        f"PYTHONPATH rather than installed?); install it with pip, then run "
                        f"'edition hooks install' again")


def _keep(hook: Path) -> Path:
    """Move an existing hook (file or symlink, as it is) to the first free name
    pre-commit.local, pre-commit.local.1, …: another file is never replaced."""
    n = 0
    while True:
        dest = hook.with_name(hook.name + ".local" + (f".{n}" if n else ""))
        n += 1
        if os.path.lexists(dest):
            continue
        try:
            os.link(hook, dest, follow_symlinks=False)  # fails if dest appeared meanwhile
        except FileExistsError:
            continue
        except (OSError, NotImplementedError):  # no hard links here: rename (dest was free)
            os.rename(hook, dest)
            return dest
        os.unlink(hook)
        return dest


def _write(hook: Path, text: str) -> None:
    """Write the hook as a new file, then move it into place (a symlink there is replaced,
    never followed)."""
    tmp = hook.with_name(f".{hook.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o755)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, os.stat(tmp).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(tmp, hook)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def install_hook(start: Path, force: bool = False, python: str | None = None) -> Installed:
    """Write the pre-commit hook. An existing hook that is not ours unedited is kept (see
    _keep) and run first; with force, kept but not run."""
    python = python or sys.executable
    _check_interpreter(python)
    hooks = git_hooks_dir(start)
    hooks.mkdir(parents=True, exist_ok=True)
    hook = hooks / "pre-commit"
    kept, previous = None, None
    if os.path.islink(hook):
        if not hook.exists():
            raise HookError(f"{hook} is a symbolic link to {os.readlink(hook)}, which does not "
                            f"exist; nothing was written through it. Remove the link (or make it "
                            f"point to your hook) and run 'edition hooks install' again")
        kept = _keep(hook)
    elif os.path.lexists(hook):
        if not hook.is_file():
            raise HookError(f"{hook} is not a file; remove it and run 'edition hooks install' again")
        ours, previous = _ours_unchanged(hook.read_text(encoding="utf-8", errors="replace"))
        if not ours:
            kept = _keep(hook)
    if kept is not None:
        previous = None if force else kept.name
    _write(hook, hook_script(python, previous))
    return Installed(hook, kept, chained=previous is not None)
