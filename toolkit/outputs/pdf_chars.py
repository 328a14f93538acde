"""Characters the PDF edition cannot show, found before typesetting.

A control character, a noncharacter, a lone surrogate or a character no font of the edition
covers would stop Typst (PDF/A refuses a missing glyph) or print nothing. Each is decided once
per build and character (the font question by one probe compile for all new characters, see
Typesetter.uncovered), replaced in the generated Typst source by a marked code point that
edition.typ draws as a framed box (ed-placeholder), and reported once per character and file
with its place in the TEI and advice that fits what it is.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .pdf_options import FONT_DIRS, FONT_PACKAGES, HAN_SUPPLEMENT_PACKAGE, SCRIPTS

CONTROL = "pdf.control-char"
NONCHARACTER = "pdf.noncharacter"
GLYPH = "pdf.glyph"

# Everything but printable ASCII, tab and line ends: the characters worth a second look.
_CANDIDATE = re.compile(r"[^\t\n\r -~]")
# The stand-in inside a Typst string literal: WORD JOINER, "U+XXXX", WORD JOINER. edition.typ's
# show rule draws it as a box; where no show rule reaches (PDF metadata, bookmarks) it reads as
# plain "U+XXXX", and its characters are ones every font handles.
_STAND_IN = "\\u{2060}U+%04X\\u{2060}"
_MARK = re.compile(r"/\*@L(\d+)\*/")

# Words of a character's Unicode name that follow the name of its script.
_SCRIPT_END = re.compile(r" (?:CAPITAL |SMALL )?(?:LETTER|SIGN|SYLLABLE|HIEROGLYPH|DIGIT|NUMBER|"
                         r"IDEOGRAPH|CHARACTER|SYMBOL|MARK|VOWEL|CONSONANT|PUNCTUATION|LIGATURE|"
                         r"FRACTION|COMMA|FULL STOP|WORD|LOGOGRAM|GLYPH)\b")


def candidates(text: str) -> set[str]:
    """The distinct characters of a text that are not plain ASCII (cheap for ASCII text)."""
    if _CANDIDATE.search(text) is None:
        return set()
    return {c for c in set(text) if _CANDIDATE.match(c)}


def intrinsic(ch: str) -> str | None:
    """The rule a character breaks whatever the fonts: a control character (other than tab and
    line ends), a noncharacter or a lone surrogate; None when only a font can tell."""
    cp = ord(ch)
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return NONCHARACTER
    cat = unicodedata.category(ch)
    if cat == "Cs":
        return NONCHARACTER
    if cat == "Cc" and ch not in "\t\n\r":
        return CONTROL
    return None


def substitute(text: str, bad) -> str:
    """The Typst source with every bad character (raw, inside a string literal: the stylesheets
    write all TEI text as literals) replaced by its stand-in."""
    if not bad:
        return text
    pattern = "[" + "".join(re.escape(c) for c in sorted(bad)) + "]"
    if re.search(pattern, text) is None:
        return text
    return re.sub(pattern, lambda m: _STAND_IN % ord(m.group()), text)


def typst_string(s: str) -> str:
    """A Typst string literal for any text (the Python twin of ty:lit in typst.xsl)."""
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    s = s.replace("\u2028", "\\u{2028}").replace("\u2029", "\\u{2029}").replace("/*", "/\\u{2a}")
    return f'"{s}"'


# -- where ----------------------------------------------------------------------------------------

def _pattern(ch: str) -> re.Pattern:
    """The character in a file's bytes: as UTF-8 or as a character reference."""
    cp = ord(ch)
    raw = re.escape(ch.encode("utf-8", "surrogatepass"))
    return re.compile(raw + b"|&#[xX]0*" + f"{cp:x}".encode() + b";|&#0*" + str(cp).encode() + b";",
                      re.IGNORECASE)


def _line_start(data: bytes, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        pos = data.find(b"\n", pos) + 1
        if pos == 0:
            return len(data)
    return pos


def locate(ch: str, typst: str, data: bytes) -> tuple[int, int]:
    """(line, column) of the character in a TEI file, both 1-based: the first occurrence at or
    after the source line of the element the generated Typst shows it in (so the place printed,
    not one in a header part the PDF leaves out); else the first in the file; (0, 0) if absent."""
    pat = _pattern(ch)
    start = 0
    i = typst.find(ch)
    if i > 0:
        marks = _MARK.findall(typst, max(0, typst.rfind("/*@L", 0, i)), i)
        if marks:
            start = _line_start(data, int(marks[-1]))
    m = pat.search(data, start) or (pat.search(data) if start else None)
    if m is None:
        return (0, 0)
    pos = m.start()
    line = data.count(b"\n", 0, pos) + 1
    col = len(data[data.rfind(b"\n", 0, pos) + 1:pos].decode("utf-8", "replace")) + 1
    return (line, col)


# -- what to say ----------------------------------------------------------------------------------

def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    shown = f"'{ch}' " if ch.isprintable() else ""
    return f"{shown}(U+{ord(ch):04X}{' ' + name if name else ''})"


def script_of(ch: str) -> str:
    """The script a character belongs to, as its Unicode name tells it ("Syriac", "CJK")."""
    name = unicodedata.name(ch, "")
    m = _SCRIPT_END.search(name)
    head = name[:m.start()] if m else ""
    if not head:
        return ""
    if head.startswith("CJK"):
        return "CJK"
    return head.title() + (" hieroglyphs" if "HIEROGLYPH" in m.group() else "")


@lru_cache(maxsize=None)
def _script_ranges() -> list[tuple[str, re.Pattern]]:
    """The character classes of pdf_options.SCRIPTS (Typst's regex syntax) for Python."""
    return [(code, re.compile(re.sub(r"\\x\{([0-9A-Fa-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08X}", spec)))
            for code, (spec, _, _) in SCRIPTS.items()]


def script_code(ch: str) -> str | None:
    """The ISO 15924 code of the script fonts a character is set in ("Deva"), or None."""
    return next((code for code, rx in _script_ranges() if rx.match(ch)), None)


def _package(ch: str) -> str | None:
    """The Debian package whose fonts have the character, by its script (the house style's
    defaults), or None."""
    code = script_code(ch)
    if code is None:
        return None
    return HAN_SUPPLEMENT_PACKAGE if code == "Hani" and ord(ch) > 0xFFFF else SCRIPTS[code][2]


def _has_fonts(folder: str) -> bool:
    try:
        return any(Path(folder).iterdir())
    except OSError:
        return False


def advice(ch: str, rule: str, font_paths: list[str], font_dirs: list[str] = FONT_DIRS) -> tuple[str, str]:
    """(message, hint) for a character the PDF shows as a placeholder. font_paths: the font
    folders read; font_dirs: the system folders [pdf] names (read or not)."""
    what = describe(ch)
    if rule == CONTROL:
        guess = ""
        if 0x80 <= ord(ch) <= 0x9F:
            try:  # a C1 control in text is usually a Windows-1252 byte decoded as Latin-1
                meant = bytes([ord(ch)]).decode("cp1252")
                guess = f" ('{meant}', U+{ord(meant):04X}, if the text came from Windows-1252)"
            except UnicodeDecodeError:
                pass
        return (f"a control character {what} in the text: the PDF shows a placeholder box",
                f"an encoding problem in the source, not a font problem: remove it or replace it "
                f"with the character meant{guess}")
    if rule == NONCHARACTER:
        kind = "a lone surrogate" if unicodedata.category(ch) == "Cs" else "a noncharacter"
        return (f"{kind} {what} in the text: the PDF shows a placeholder box",
                f"{kind[2:]}s are not text (Unicode reserves them for internal use): an encoding "
                f"problem in the source; remove it or replace it with the character meant")
    script = script_of(ch)
    covering = f"a font covering {script}" if script else "a font that has this character"
    message = (f"the character {what} cannot be shown by any font of the PDF edition: the PDF shows "
               f"a placeholder box")
    # the package is advised only when its fonts are not there: installing it again would not help
    package = _package(ch)
    folder = next((d for d, p in FONT_PACKAGES.items() if p == package), None)
    if folder and folder in font_dirs and not (folder in font_paths and _has_fonts(folder)):
        return (message, f"install the package {package} (Debian, Ubuntu: it fills {folder}, which "
                         f"[pdf] font_dirs names), or list the folder of {covering} in edition.toml "
                         f"[pdf] font_paths (the edition's fonts) or [pdf] font_dirs (system fonts)")
    if package and folder in font_paths:
        covering += f" (the fonts of {package} found lack it)"
    return (message, f"install {covering} and list its folder in edition.toml [pdf] font_paths (the "
                     f"edition's fonts) or [pdf] font_dirs (system fonts), and its family in [pdf] "
                     f"script_fonts or fonts")
