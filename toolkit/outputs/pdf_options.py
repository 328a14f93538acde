"""The `[pdf]` table of edition.toml: the PDF builder's options (see toolkit/options.py).

Kept apart from pdf.py so that reading edition.toml does not import the PDF machinery.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..options import option

# Where the fonts of the house style are looked for by default: the folders of the Debian (and
# Ubuntu) packages fonts-dejavu-core and fonts-noto-cjk, which scripts/install-system-deps.sh
# installs. Typst itself bundles Libertinus Serif, New Computer Modern and DejaVu Sans Mono.
# Other systems keep fonts elsewhere: [pdf] font_dirs names their folders.
FONT_PACKAGES = {
    "/usr/share/fonts/truetype/dejavu": "fonts-dejavu-core",
    "/usr/share/fonts/opentype/noto": "fonts-noto-cjk",
}
FONT_DIRS = list(FONT_PACKAGES)
# The system's font folders: [pdf] font_dirs may name folders inside these only, so that an
# edition.toml (untrusted input) cannot make Typst scan the rest of the disk. Fonts of the
# edition's own go in its folder ([pdf] font_paths).
SYSTEM_FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts",
                     "/System/Library/Fonts")
DEFAULT_STANDARDS = ["a-2b", "ua-1"]
# A volume estimated above this many pages is not built (Typst holds ~2.4 MB per page while
# laying out); the per-document PDFs still are.
MAX_VOLUME_PAGES = 2000
# A document estimated above this many pages gets no PDF and stays out of the volume (a 9 M
# character paragraph would take minutes and gigabytes). The longest ELTeC novel makes ~700.
MAX_DOCUMENT_PAGES = 1000
# The house style's font families (xslt/pdf/edition.typ `style.font`, `style.sans`): what the
# PDF uses when edition.toml names none.
HOUSE_FONTS = ["Libertinus Serif", "Noto Serif CJK SC", "DejaVu Sans"]
HOUSE_SANS_FONTS = ["DejaVu Sans", "Noto Sans CJK SC"]


def _system_font_folders(dirs: list[str]) -> str | None:
    for d in dirs:
        if not os.path.isabs(d):
            return (f"must name absolute folders ({d!r} is not); fonts in the edition's folder "
                    f"go in font_paths")
        real = os.path.realpath(d)   # a link inside a font folder may lead anywhere
        roots = {*SYSTEM_FONT_ROOTS, *map(os.path.realpath, SYSTEM_FONT_ROOTS)}
        if not any(real == r or real.startswith(r + os.sep) for r in roots):
            return (f"names {d}, which is not in a system font folder ({', '.join(SYSTEM_FONT_ROOTS)}); "
                    f"copy the fonts into the edition and list their folder in font_paths")
    return None


def _family_names(names: list[str] | None) -> str | None:
    for n in names or []:
        if not n.strip() or any(ord(c) < 32 for c in n):
            return f"must name font families ({n!r} is not one)"
    return None


@dataclass
class PdfOptions:
    """The PDF edition (`edition build pdf`, docs/pdf.md)."""

    standards: list[str] = option(
        DEFAULT_STANDARDS, "PDF standards every file conforms to (Typst's names: a-2b, a-3b, ua-1, …); "
        "an empty list gives a plain PDF.", example=["a-2b"])
    font_paths: list[str] = option(
        [], "Font folders of the edition's own, relative to edition.toml, read besides font_dirs.",
        rule="inside the edition's folder or the git repository holding it (checked when the PDF "
        "is built)", example=["fonts"])
    font_dirs: list[str] = option(
        FONT_DIRS, "System font folders read besides font_paths; nothing else of the system's fonts "
        "is scanned, so the PDF does not depend on what else is installed. The default is where "
        "Debian and Ubuntu put the fonts of the house style (packages fonts-dejavu-core and "
        "fonts-noto-cjk, which scripts/install-system-deps.sh installs); on other systems name "
        "the folders holding DejaVu Sans and Noto CJK (or the families named in `fonts` and "
        "`sans_fonts`). Folders that do not exist are skipped; a character no font has is "
        "reported with advice.", check=_system_font_folders,
        rule="absolute folders inside " + ", ".join(SYSTEM_FONT_ROOTS) + " (an edition.toml "
        "cannot make the build scan the rest of the disk)",
        example=["/usr/share/fonts/google-noto-serif-cjk-fonts", "/usr/share/fonts/dejavu-sans-fonts"])
    fonts: list[str] | None = option(
        None, "Font families of the text, first choice first (Typst falls back along the list "
        "for characters a font lacks). The families must be in the font folders (or bundled "
        "with Typst: Libertinus Serif, New Computer Modern, DejaVu Sans Mono).",
        check=_family_names, rule="family names, not empty",
        default_doc="the house style's: " + ", ".join(HOUSE_FONTS) + " (xslt/pdf/edition.typ)",
        example=["Libertinus Serif", "Noto Serif CJK TC"])
    sans_fonts: list[str] | None = option(
        None, "Font families of the small print (margin notes, signatures, labels).",
        check=_family_names, rule="family names, not empty", default_doc="the house style's: " + ", ".join(HOUSE_SANS_FONTS),
        example=["DejaVu Sans", "Noto Sans CJK TC"])
    max_volume_pages: int = option(
        MAX_VOLUME_PAGES, "A volume estimated above this many pages (2,600 characters a page) is not "
        "built; the per-document PDFs still are. Typst needs up to 2.4 MB a page while laying out.",
        min=1, example=500)
    max_document_pages: int = option(
        MAX_DOCUMENT_PAGES, "A document estimated above this many pages gets no PDF and stays out of "
        "the volume (an error diagnostic says so).", min=1, example=300)
