"""The `[html]` table of edition.toml: the HTML builder's options (see toolkit/options.py).

Kept apart from the html package so that reading edition.toml does not import the HTML build
(Saxon, the worker pool).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..options import option


@dataclass
class HtmlOptions:
    """The HTML site (`edition build html`, docs/html.md)."""

    search_index: bool = option(
        True, "Build the Pagefind search index. false leaves it out (a quicker build; the search "
        "page then says so); `edition build html --no-search` does the same for one build, and the "
        "next build with the index indexes every page.", example=False)

    page_size: int = option(
        10, "Documents on a page of the listing (documents.html). The documents are spread evenly "
        "over the pages, so no page holds a small remainder alone: 11 documents at 10 a page are "
        "one page, 25 are two pages of 13 and 12.", example=20, min=1, max=1000)
