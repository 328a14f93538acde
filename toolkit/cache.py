"""The toolkit's one cache folder, `$XDG_CACHE_HOME/tei-edition-toolkit/` (default ~/.cache).

It holds derived data that is slow to make and the same from run to run: the XSLT generated from
each Schematron schema, the Unicode category table that XML Schema regular expressions need, and
the staged check's reference index (validate/ref_index.py).
Every entry is checked or keyed so that a stale one is never used; any problem reading or
writing it means no cache, with the same result.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path


def cache_dir(*parts: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "tei-edition-toolkit", *parts)


def read_json(path: Path):
    """The JSON value stored at path, or None."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# Entries of schemas that were moved or deleted are never read again: a folder keeps its most
# recently written entries only.
KEEP = 256


def write_json(path: Path, value) -> None:
    """Store a JSON value atomically (a reader never sees half a file); errors are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        pass


def _prune(folder: Path, keep: int | None = None, suffix: str = ".json") -> None:
    """Only the `keep` (default KEEP) most recently written files of a folder with this suffix stay."""
    keep = KEEP if keep is None else keep
    entries = []
    with os.scandir(folder) as it:
        for e in it:
            if e.name.endswith(suffix) and e.is_file(follow_symlinks=False):
                entries.append((e.stat().st_mtime, e.path))
    if len(entries) > keep:
        for _, old in sorted(entries)[:len(entries) - keep]:
            try:
                os.unlink(old)
            except OSError:
                pass
