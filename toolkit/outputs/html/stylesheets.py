"""The HTML stylesheets (xslt/html/), compiling them, and writing the pages they make."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ... import saxon
from ...model import norm_space
from ..base import BuildError
from ..publish import write_file
from .. import search

XSLT_HTML = saxon.XSLT_DIR / "html"
DOCUMENT_XSL = XSLT_HTML / "document.xsl"
SITE_XSL = XSLT_HTML / "site.xsl"
ASSETS = XSLT_HTML / "assets"


def compile_or_fail(path: Path, family: bool = True):
    try:
        return saxon.compile_stylesheet(path, family=family)
    except saxon.XsltError as e:
        raise BuildError(str(e)) from None


def write_page(out: Path, html: str, search_out: str | None) -> None:
    """Write a document page, and its copy for the search index (search.write_search_copy)."""
    write_file(out, html)
    if search_out:
        search.write_search_copy(html, Path(search_out))


_WRITE_FAILED = re.compile(r"Failure writing to (file:\S+?)(?:\s*\((.+)\))?\s*$")
DISK_ADVICE = (("No space left", "free some space on that disk, or build elsewhere with --out"),
                ("Disk quota", "free some space (disk quota), or build elsewhere with --out"),
                ("File too large", "a page is larger than this system allows (ulimit -f)"),
                ("Read-only file system", "build elsewhere with --out"),
                ("Permission denied", "the folder is not writable for you: build elsewhere with --out"))


def site_error(message: str, stage: Path) -> str:
    """Saxon's failure to write a site page, in words: which page, why, and what to do (the
    previous output is unchanged); any other stylesheet error as it is."""
    msg = norm_space(message)
    m = _WRITE_FAILED.search(msg)
    if not m:
        return f"site pages: {msg}"
    page = unquote(urlsplit(m.group(1)).path)
    try:
        page = Path(page).relative_to(stage.resolve()).as_posix()
    except ValueError:
        pass
    why = m.group(2) or "the file system refused it"
    advice = next((a for k, a in DISK_ADVICE if k.lower() in why.lower()), "")
    return (f"cannot write the site page {page}: {why}; the previous output is unchanged"
            + (f"\n    hint: {advice}" if advice else ""))
