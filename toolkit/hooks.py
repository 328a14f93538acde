"""Commit integration: a plain git pre-commit hook that validates the staged TEI files."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

MARKER = "# installed by `edition hooks install`"

HOOK = f"""#!/bin/sh
{MARKER}
# Validates the TEI files staged for this commit (references resolve against the whole edition).
# Skip once with: git commit --no-verify
exec edition validate --staged
"""


class HookError(Exception):
    pass


def git_hooks_dir(start: Path) -> Path:
    try:
        out = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=start, check=True,
                             capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise HookError(f"{start} is not inside a git repository") from None
    p = Path(out)
    return p if p.is_absolute() else (start / p)


def install_hook(start: Path, force: bool = False) -> Path:
    hooks = git_hooks_dir(start)
    hooks.mkdir(parents=True, exist_ok=True)
    target = hooks / "pre-commit"
    if target.exists() and MARKER not in target.read_text(errors="replace") and not force:
        raise HookError(f"{target} already exists and was not written by this toolkit; "
                        f"use --force to replace it (or add 'edition validate --staged' to it)")
    target.write_text(HOOK)
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return target
