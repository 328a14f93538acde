"""The `[pdf]` table of edition.toml: the PDF builder's options (see toolkit/options.py).

Kept apart from pdf.py so that reading edition.toml does not import the PDF machinery.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from ..options import option
from .custom_paths import edition_path

# Where the fonts of the house style are looked for by default: the folders of the Debian (and
# Ubuntu) packages fonts-dejavu-core, fonts-noto-cjk (CJK), fonts-noto-core (Indic, Hebrew,
# Arabic, Syriac and most other scripts) and fonts-hanazono (Han characters outside the BMP),
# which scripts/install-system-deps.sh installs. Typst itself bundles Libertinus Serif, New
# Computer Modern and DejaVu Sans Mono. Other systems keep fonts elsewhere: [pdf] font_dirs
# names their folders.
FONT_PACKAGES = {
    "/usr/share/fonts/truetype/dejavu": "fonts-dejavu-core",
    "/usr/share/fonts/opentype/noto": "fonts-noto-cjk",
    "/usr/share/fonts/truetype/noto": "fonts-noto-core",
    "/usr/share/fonts/truetype/hanazono": "fonts-hanazono",
}
FONT_DIRS = list(FONT_PACKAGES)
# The system's font folders: [pdf] font_dirs may name folders inside these only, so that an
# edition.toml (untrusted input) cannot make Typst scan the rest of the disk. Fonts of the
# edition's own go in its folder ([pdf] font_paths).
SYSTEM_FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts",
                     "/System/Library/Fonts")
DEFAULT_STANDARDS = ["a-2b", "ua-1"]
# A volume estimated above this many pages is not built (a warning says so); the per-document
# PDFs still are. Since volumes are typeset in parts, this bounds time and files, not memory.
MAX_VOLUME_PAGES = 2000
# A volume estimated above this many pages is published as several part files, each a volume of
# its own: Typst holds about 2 MB a page while laying out, so memory follows the part.
PART_PAGES = 150
# A document estimated above this many pages is typeset in parts of about this size, its PDF
# joined from theirs (pdf_split.py): Typst's memory follows the part (about 1.1 GB for 450
# pages of text with notes). The longest ELTeC novel makes ~700 pages, Ward's 408 stay whole.
DOCUMENT_PART_PAGES = 500
# A document estimated above this many pages gets no PDF and stays out of the volume: a safety
# limit for pathological input (time, not memory: about 6 s per 500 pages). 20,000 pages are
# some 60 MB of text; a 20 MB document makes about 6,000.
MAX_DOCUMENT_PAGES = 20000
# The house style's font families (xslt/pdf/edition.typ `style.font`, `style.sans`): what the
# PDF uses when edition.toml names none.
HOUSE_FONTS = ["Libertinus Serif", "Noto Serif CJK SC"]
HOUSE_SANS_FONTS = ["DejaVu Sans", "Noto Sans CJK SC"]

# The scripts the PDF sets in fonts of their own: ISO 15924 code → (its characters, a regular
# expression class in Typst's (Rust) syntax; the default families, first choice first; the
# Debian package that has them). The text fonts come first (Libertinus Serif, Noto Serif CJK
# SC), which lack these scripts, then these families, then edition.typ's fallback list: so
# Devanagari gets a Devanagari face and not whatever has a glyph, Arabic Noto Naskh rather than
# DejaVu Sans. [pdf] script_fonts replaces the families of a script. The character classes
# serve Han by language (ja, ko, zh-Hant: edition.typ ed-lang, one `covers` entry) and the
# advice for a missing glyph; the house style tests no others (a `covers` entry costs a
# regular-expression test per character: fifty of them made a Latin PDF six times slower).
# Devanagari is set in Noto Sans first: with Noto Serif Devanagari, Typst 0.15 copies a cluster
# whose marks the font shifts vertically once per piece ("सर्गः" as "सर्गःर्गःर्गः"; typst#4225).
_CORE = "fonts-noto-core"
SCRIPTS: dict[str, tuple[str, list[str], str]] = {
    "Arab": (r"[\x{0600}-\x{06FF}\x{0750}-\x{077F}\x{0870}-\x{08FF}\x{FB50}-\x{FDFF}\x{FE70}-\x{FEFF}]",
             ["Noto Naskh Arabic", "Noto Sans Arabic"], _CORE),
    "Hebr": (r"[\x{0591}-\x{05FF}\x{FB1D}-\x{FB4F}]", ["Noto Serif Hebrew", "Noto Sans Hebrew"], _CORE),
    "Syrc": (r"[\x{0700}-\x{074F}\x{0860}-\x{086F}]", ["Noto Sans Syriac"], _CORE),
    "Thaa": (r"[\x{0780}-\x{07BF}]", ["Noto Sans Thaana"], _CORE),
    "Nkoo": (r"[\x{07C0}-\x{07FF}]", ["Noto Sans NKo"], _CORE),
    "Samr": (r"[\x{0800}-\x{083F}]", ["Noto Sans Samaritan"], _CORE),
    "Mand": (r"[\x{0840}-\x{085F}]", ["Noto Sans Mandaic"], _CORE),
    "Deva": (r"[\x{0900}-\x{097F}\x{A8E0}-\x{A8FF}\x{1CD0}-\x{1CFF}]",
             ["Noto Sans Devanagari", "Noto Serif Devanagari"], _CORE),
    "Beng": (r"[\x{0980}-\x{09FF}]", ["Noto Serif Bengali", "Noto Sans Bengali"], _CORE),
    "Guru": (r"[\x{0A00}-\x{0A7F}]", ["Noto Serif Gurmukhi", "Noto Sans Gurmukhi"], _CORE),
    "Gujr": (r"[\x{0A80}-\x{0AFF}]", ["Noto Serif Gujarati", "Noto Sans Gujarati"], _CORE),
    "Orya": (r"[\x{0B00}-\x{0B7F}]", ["Noto Sans Oriya"], _CORE),
    "Taml": (r"[\x{0B80}-\x{0BFF}\x{11FC0}-\x{11FFF}]", ["Noto Serif Tamil", "Noto Sans Tamil"], _CORE),
    "Telu": (r"[\x{0C00}-\x{0C7F}]", ["Noto Serif Telugu", "Noto Sans Telugu"], _CORE),
    "Knda": (r"[\x{0C80}-\x{0CFF}]", ["Noto Serif Kannada", "Noto Sans Kannada"], _CORE),
    "Mlym": (r"[\x{0D00}-\x{0D7F}]", ["Noto Serif Malayalam", "Noto Sans Malayalam"], _CORE),
    "Sinh": (r"[\x{0D80}-\x{0DFF}]", ["Noto Serif Sinhala", "Noto Sans Sinhala"], _CORE),
    "Thai": (r"[\x{0E00}-\x{0E7F}]", ["Noto Serif Thai", "Noto Sans Thai"], _CORE),
    "Laoo": (r"[\x{0E80}-\x{0EFF}]", ["Noto Serif Lao", "Noto Sans Lao"], _CORE),
    "Tibt": (r"[\x{0F00}-\x{0FFF}]", ["Noto Serif Tibetan"], _CORE),
    "Mymr": (r"[\x{1000}-\x{109F}\x{A9E0}-\x{A9FF}\x{AA60}-\x{AA7F}]", ["Noto Serif Myanmar", "Noto Sans Myanmar"], _CORE),
    "Geor": (r"[\x{10A0}-\x{10FF}\x{1C90}-\x{1CBF}\x{2D00}-\x{2D2F}]", ["Noto Serif Georgian", "Noto Sans Georgian"], _CORE),
    "Ethi": (r"[\x{1200}-\x{139F}\x{2D80}-\x{2DDF}\x{AB00}-\x{AB2F}]", ["Noto Serif Ethiopic", "Noto Sans Ethiopic"], _CORE),
    "Khmr": (r"[\x{1780}-\x{17FF}\x{19E0}-\x{19FF}]", ["Noto Serif Khmer", "Noto Sans Khmer"], _CORE),
    "Mong": (r"[\x{1800}-\x{18AF}]", ["Noto Sans Mongolian"], _CORE),
    "Armn": (r"[\x{0530}-\x{058F}\x{FB13}-\x{FB17}]", ["Noto Serif Armenian", "Noto Sans Armenian"], _CORE),
    "Copt": (r"[\x{2C80}-\x{2CFF}]", ["Noto Sans Coptic"], _CORE),
    "Runr": (r"[\x{16A0}-\x{16FF}]", ["Noto Sans Runic"], _CORE),
    "Brah": (r"[\x{11000}-\x{1107F}]", ["Noto Sans Brahmi"], _CORE),
    "Egyp": (r"[\x{13000}-\x{1345F}]", ["Noto Sans EgyptHiero"], _CORE),
    "Xsux": (r"[\x{12000}-\x{1254F}]", ["Noto Sans Cuneiform"], _CORE),
    "Hani": (r"[\x{2E80}-\x{2FDF}\x{3000}-\x{303F}\x{3040}-\x{30FF}\x{3100}-\x{312F}\x{3190}-\x{31FF}"
             r"\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}\x{FE30}-\x{FE4F}\x{FF00}-\x{FFEF}"
             r"\x{20000}-\x{323AF}]",
             ["Noto Serif CJK SC", "HanaMinA", "HanaMinB"], "fonts-noto-cjk"),
}
# Han characters outside the Basic Multilingual Plane (extensions B–H) are in fonts-hanazono.
HAN_SUPPLEMENT_PACKAGE = "fonts-hanazono"


def _script_fonts(table: dict[str, list[str]] | None) -> str | None:
    for code, names in (table or {}).items():
        if code not in SCRIPTS:
            return f"names the script {code!r}, which the PDF does not know; known: {', '.join(sorted(SCRIPTS))}"
        problem = _family_names(names) or (None if names else f"gives no family for {code}")
        if problem:
            return problem
    return None


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
        "Debian and Ubuntu put the fonts of the house style (packages fonts-dejavu-core, "
        "fonts-noto-cjk, fonts-noto-core and fonts-hanazono, which scripts/install-system-deps.sh "
        "installs); on other systems name the folders holding DejaVu Sans, Noto CJK and Noto (or "
        "the families named in `fonts`, `sans_fonts` and `script_fonts`). Folders that do not exist are skipped; a character no font has is "
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
    script_fonts: dict[str, list[str]] = option(
        {code: list(fams) for code, (_, fams, _) in SCRIPTS.items()},
        "Font families per script (ISO 15924 code), first choice first: a character of the script "
        "is set in the first of them that has it, before `fonts` is tried; a table here replaces "
        "the families of the scripts it names and keeps the others. Han text in Japanese, "
        "Korean or traditional Chinese (xml:lang ja, ko, zh-Hant) takes the Noto CJK face of "
        "its language first. A character no listed font has is drawn as a framed code point "
        "and reported.", check=_script_fonts, merge=True,
        rule="known script codes (" + ", ".join(sorted(SCRIPTS)) + "), each with family names",
        example={"Deva": ["Noto Sans Devanagari"], "Hebr": ["Noto Rashi Hebrew"]})
    run_on_untranscribed: bool = option(
        True, "In the volume, a document without a transcription (its summary only: the model's "
        "status, [text] not_transcribed) follows the one before it on the same page, under its own "
        "heading, instead of opening a new page; false gives every document a page of its own. "
        "Per-document PDFs are not affected.", example=False)
    max_volume_pages: int = option(
        MAX_VOLUME_PAGES, "A volume estimated above this many pages is not built (a warning says "
        "so); the per-document PDFs still are.", min=1, example=500)
    part_pages: int = option(
        PART_PAGES, "A volume estimated above this many pages is published in parts of about "
        "this size (edition-1.pdf, edition-2.pdf, …), each with its own title page, contents "
        "and indices, and typeset one after the other: Typst needs about 2 MB a page while "
        "laying out, so the build's memory follows the part, not the volume. A document longer "
        "than this is cut between its paragraphs (or inside a paragraph longer than a part) "
        "and goes on in the next part.", min=1, example=400)
    document_part_pages: int = option(
        DOCUMENT_PART_PAGES, "A document estimated above this many pages is typeset in parts of "
        "about this size, with page and note numbers going on, and its PDF joined from theirs "
        "(a warning says so): memory follows the part, not the document. Each part but the last "
        "ends its last page early, and the joined PDF is not PDF/A or PDF/UA (the parts' tags "
        "are not joined).", min=1, example=1000)
    max_document_pages: int = option(
        MAX_DOCUMENT_PAGES, "A document estimated above this many pages gets no PDF and stays out of "
        "the volume (an error diagnostic says so): a safety limit for pathological input; "
        "long documents are typeset in parts ([pdf] document_part_pages).", min=1, example=5000)
    facsimiles: Literal["none", "plates", "facing"] = option(
        "none", "Page images (docs/facsimiles.md) in the PDF, from the edition's local images: "
        "`plates` after each document's text, one a page; `facing` each on the left-hand page "
        "facing its text; `none` leaves them out. Remote images are never fetched.",
        example="plates")
    template: str = option(
        "", "A Typst template of the edition's own, used instead of the house style "
        "(xslt/pdf/edition.typ): it starts with `#import \"/edition.typ\": *` and redefines the "
        "functions it wants otherwise (`ed-volume` for the page and the fonts, `ed-hi`, "
        "`ed-note`, …; docs/customizing.md). It is read alone: it cannot import or read other "
        "files of the edition.", check=edition_path(".typ"), rule="a .typ file inside the "
        "edition's folder", example="typst/custom.typ", default_doc="not set")
    xslt: str = option(
        "", "A customisation layer for the PDF, as [html] xslt: an XSLT 3.0 module imported after "
        "the toolkit's stylesheets that write the Typst source (xslt/pdf/document.xsl and "
        "volume.xsl).", check=edition_path(".xsl", ".xslt"), rule="a .xsl or .xslt file inside "
        "the edition's folder", example="xslt/pdf-custom.xsl", default_doc="not set")
