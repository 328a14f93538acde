"""The `[html]` table of edition.toml: the HTML builder's options (see toolkit/options.py).

Kept apart from the html package so that reading edition.toml does not import the HTML build
(Saxon, the worker pool).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..options import option

_BASE_URL = re.compile(r"^https?://[^\s/?#\"'<>\\]+(/[^\s?#\"'<>\\]*)?$", re.I)


def _base_url(value: str) -> str | None:
    if value and not _BASE_URL.match(value):
        return "not an http(s) address without query or fragment"
    return None


def _pdf_url(value: str) -> str | None:
    if not value:
        return None
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        return _base_url(value)
    if re.search(r"[\s?#\"'<>\\]", value) or value.startswith("//"):
        return "not a relative address of a folder (no spaces, query or fragment)"
    return None


@dataclass
class HtmlOptions:
    """The HTML site (`edition build html`, docs/html.md)."""

    search_index: bool = option(
        True, "Build the Pagefind search index. false leaves it out (a quicker build; the search "
        "page then says so); `edition build html --no-search` does the same for one build, and the "
        "next build with the index indexes every page.", example=False)
    base_url: str = option(
        "", "The address where the site is published. Every page then names its permanent "
        "address in `<link rel=\"canonical\">`, the suggested citation and the citation exports "
        "give absolute links, and the document pages' metadata (Highwire, Dublin Core, JSON-LD) "
        "carries them. Empty: the pages give relative addresses only, and the citation takes the "
        "address the reader opened (with JavaScript).", check=_base_url,
        rule="an http(s) address without query or fragment (a final / is added)",
        example="https://edition.example.org/xinjiang/", default_doc="not set")

    pdf_url: str = option(
        "", "Where the PDFs of `edition build pdf` are published: an address relative to the "
        "site's root (\"../pdf/\" when output/html and output/pdf are published side by side, as "
        "`edition build` writes them) or an absolute one. Each document page then links its PDF "
        "beside the TEI download and names it in its metadata (citation_pdf_url); the home page "
        "links the volume (edition.pdf, or each of its parts as the last PDF build named them, "
        "[pdf] part_pages; `edition build` typesets the PDFs first). Empty: no PDF links.", check=_pdf_url,
        rule="a relative or http(s) address of a folder, without query or fragment",
        example="../pdf/", default_doc="not set")

    page_size: int = option(
        10, "Documents on a page of the listing (documents.html). The documents are spread evenly "
        "over the pages, so no page holds a small remainder alone: 11 documents at 10 a page are "
        "one page, 25 are two pages of 13 and 12.", example=20, min=1, max=1000)

    def __post_init__(self):
        if self.base_url and not self.base_url.endswith("/"):
            self.base_url += "/"
        if self.pdf_url and not self.pdf_url.endswith("/"):
            self.pdf_url += "/"
