"""Full-text search: one Pagefind run over the built site (never per file).

Pagefind (PyPI `pagefind[bin]`) indexes the pages' `data-pagefind-body` regions (documents and
entity pages) and writes its index and client script into `pagefind/` inside the site. The
search page (xslt/html/pages/site.xsl) loads `pagefind/pagefind.js` itself: search works when
the site is served over http(s) (`edition serve` or any static web server); browsers refuse
module loading from file:// pages, which the search page explains.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


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


def index_site(site: Path, language: str = "en") -> None:
    """(Re)write site/pagefind from the HTML pages under site."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    cmd = [*_binary(), "--site", str(site), "--output-subdir", "pagefind", "--silent",
           "--force-language", language or "en"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except FileNotFoundError:
        raise SearchIndexError("pagefind is not installed (pip install 'pagefind[bin]')") from None
    except subprocess.TimeoutExpired:
        raise SearchIndexError("pagefind did not finish within 15 minutes") from None
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise SearchIndexError("search index failed: " + (msg[-1] if msg else f"exit {proc.returncode}"))
