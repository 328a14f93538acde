"""Full-text search with Pagefind (PyPI `pagefind[bin]`), run once per build, never per file.

The searchable pages (documents and entity pages: their `data-pagefind-body`) are split into
shards by a stable hash of their path; each shard is one Pagefind bundle in
`pagefind/shard-N/`, and the search page merges them in the browser (Pagefind's mergeIndex).
A build re-indexes only the shards whose pages changed (so one edited document re-indexes one
small shard, not the whole site), and runs the shards' Pagefind processes side by side on the
available cores. Search works when the site is served over http(s) (`edition serve` or any
static web server); browsers refuse module loading from file:// pages, which the search page
explains.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES_PER_SHARD = 48
BYTES_PER_SHARD = 2 * 1024 * 1024
MAX_SHARDS = 32


class SearchIndexError(Exception):
    pass


def shard_count(pages: int, total_bytes: int) -> int:
    n = max(-(-pages // PAGES_PER_SHARD), -(-total_bytes // BYTES_PER_SHARD), 1)
    return min(n, MAX_SHARDS)


def shard_of(page: str, shards: int) -> int:
    return int.from_bytes(hashlib.blake2b(page.encode(), digest_size=4).digest(), "little") % shards


def _binary() -> list[str]:
    try:
        from pagefind_bin import get_executable  # type: ignore
        return [str(get_executable())]
    except Exception:
        pass
    found = shutil.which("pagefind")
    if found:
        return [found]
    return [sys.executable, "-m", "pagefind_bin"]


def index_shards(site: Path, shards: dict[int, list[str]], language: str = "en", during=None) -> None:
    """(Re)write pagefind/shard-K for each K given, from the listed pages (paths under site).
    `during` (optional) is called once the first Pagefind processes run, to overlap other work."""
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))
    try:
        jobs = []
        for k, pages in sorted(shards.items()):
            src = work / f"shard-{k}"
            for rel in pages:
                dest = src / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(site / rel, dest)
                except OSError:
                    shutil.copy2(site / rel, dest)
            out = site / "pagefind" / f"shard-{k}"
            shutil.rmtree(out, ignore_errors=True)
            src.mkdir(parents=True, exist_ok=True)
            jobs.append([*_binary(), "--site", str(src), "--output-path", str(out), "--silent",
                         "--force-language", language or "en"])
        running: list[subprocess.Popen] = []
        limit = max(1, os.cpu_count() or 1)
        failures = []

        def reap(p):
            _, err = p.communicate(timeout=900)
            if p.returncode != 0:
                failures.append((err or "").strip().splitlines()[-1:] or [f"exit {p.returncode}"])
        try:
            for cmd in jobs:
                while len(running) >= limit:
                    reap(running.pop(0))
                running.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
                if during is not None and len(running) >= min(limit, len(jobs)):
                    during()
                    during = None
            if during is not None:
                during()
            while running:
                reap(running.pop(0))
        except FileNotFoundError:
            raise SearchIndexError("pagefind is not installed (pip install 'pagefind[bin]')") from None
        except subprocess.TimeoutExpired:
            for p in running:
                p.kill()
            raise SearchIndexError("pagefind did not finish within 15 minutes") from None
        if failures:
            raise SearchIndexError("search index failed: " + failures[0][0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
