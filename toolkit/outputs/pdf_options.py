"""The `[pdf]` table of edition.toml: the PDF builder's options (see toolkit/options.py).

Kept apart from pdf.py so that reading edition.toml does not import the PDF machinery.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..options import option

# Fonts from installed Debian packages (fonts-dejavu-core, fonts-noto-cjk); Typst itself bundles
# Libertinus Serif, New Computer Modern and DejaVu Sans Mono. System fonts are not scanned, so
# the result does not depend on what else happens to be installed.
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/noto"]
DEFAULT_STANDARDS = ["a-2b", "ua-1"]
# A volume estimated above this many pages is not built (Typst holds ~2.4 MB per page while
# laying out); the per-document PDFs still are.
MAX_VOLUME_PAGES = 2000
# A document estimated above this many pages gets no PDF and stays out of the volume (a 9 M
# character paragraph would take minutes and gigabytes). The longest ELTeC novel makes ~700.
MAX_DOCUMENT_PAGES = 1000


@dataclass
class PdfOptions:
    """The PDF edition (`edition build pdf`, docs/pdf.md)."""

    standards: list[str] = option(
        DEFAULT_STANDARDS, "PDF standards every file conforms to (Typst's names: a-2b, a-3b, ua-1, …); "
        "an empty list gives a plain PDF.", example=["a-2b"])
    font_paths: list[str] = option(
        [], "Font folders of the edition's own, relative to edition.toml, read besides the "
        "system's font folders.",
        rule="inside the edition's folder or the git repository holding it (checked when the PDF "
        "is built)", example=["fonts"])
    max_volume_pages: int = option(
        MAX_VOLUME_PAGES, "A volume estimated above this many pages (2,600 characters a page) is not "
        "built; the per-document PDFs still are. Typst needs up to 2.4 MB a page while laying out.",
        min=1, example=500)
    max_document_pages: int = option(
        MAX_DOCUMENT_PAGES, "A document estimated above this many pages gets no PDF and stays out of "
        "the volume (an error diagnostic says so).", min=1, example=300)
