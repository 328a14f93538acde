"""The `[html]` table of edition.toml: the HTML builder's options (see toolkit/options.py).

Kept apart from the html package so that reading edition.toml does not import the HTML build
(Saxon, the worker pool).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..options import option
from .custom_paths import edition_path, edition_paths

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

    # -- customisation (docs/customizing.md): files of the edition's own, inside its folder
    css: list[str] = option(
        [], "Style sheets of the edition's own, linked on every page after the toolkit's "
        "(assets/edition.css), so their rules win. Copied into the site under names holding "
        "their content's hash (assets/custom/extra.1a2b3c4d.css): a changed file gets a new "
        "address, no browser keeps the old one. They may not load anything from another site "
        "(`@import` or `url()` of an http(s) address).", check=edition_paths(".css"),
        rule="files ending in .css inside the edition's folder", example=["style/extra.css"])
    logo: str = option(
        "", "An image shown before the site's title in every page's banner (.svg, .png, .jpg, "
        ".jpeg, .webp, .gif), copied into the site under a name holding its hash.",
        check=edition_path(".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"),
        rule="an image file inside the edition's folder", example="img/logo.svg",
        default_doc="not set")
    header: str = option(
        "", "An HTML fragment (well-formed XML: XHTML elements, no DOCTYPE, no entities but "
        "the five of XML and character references) shown in every page's banner, after the "
        "site's navigation. Relative addresses in it are relative to the site's root.",
        check=edition_path(".html", ".xhtml", ".xml"), rule="a .html, .xhtml or .xml file inside "
        "the edition's folder", example="fragments/header.html", default_doc="not set")
    footer: str = option(
        "", "An HTML fragment, as `header`, shown at the end of every page's footer.",
        check=edition_path(".html", ".xhtml", ".xml"), rule="a .html, .xhtml or .xml file inside "
        "the edition's folder", example="fragments/footer.html", default_doc="not set")
    pages: list[str] = option(
        [], "Pages of the edition's own (an \"About\" page): each an HTML fragment, as `header`, "
        "made into a page of the site with its banner and footer, named after the file "
        "(pages/about.html becomes about.html) and linked in the site's navigation under the "
        "text of its first `<h1>` (else its name).", check=edition_paths(".html", ".xhtml", ".xml"),
        rule=".html, .xhtml or .xml files inside the edition's folder, whose names are not the "
        "site's own pages'", example=["pages/about.html"])
    xslt: str = option(
        "", "A customisation layer: an XSLT 3.0 stylesheet module imported after the toolkit's "
        "own by the stylesheets of the document pages and of the site pages, so its templates, "
        "functions, variables and parameters override theirs (the public ones are listed in "
        "docs/xslt-api.md). It may include or import modules of its own inside the edition's "
        "folder, never the toolkit's files or anything outside.", check=edition_path(".xsl", ".xslt"),
        rule="a .xsl or .xslt file inside the edition's folder", example="xslt/custom.xsl",
        default_doc="not set")

    def __post_init__(self):
        if self.base_url and not self.base_url.endswith("/"):
            self.base_url += "/"
        if self.pdf_url and not self.pdf_url.endswith("/"):
            self.pdf_url += "/"
