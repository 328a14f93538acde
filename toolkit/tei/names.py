"""Names: the key a name sorts by in every index, and what a page is called."""
from __future__ import annotations

import re
import unicodedata

# leading initials ("I. V. Stalin") and English articles ("The Emperor") do not decide the order
_LEADING = re.compile(r"^(?:(?:[^\W\d_]\.\s*)+|(?:the|an?)\s+)")


def sort_key(name: str) -> str:
    """The key a name sorts by in every index (HTML and PDF): without accents (NFKD, marks
    dropped), case-folded, white space collapsed, leading initials and articles dropped ("I. V.
    Stalin" → "stalin", "The Emperor" → "emperor", "Émile" → "emile"); a name that is nothing
    but these keeps them. The XSLT twin is f:sort-key (xslt/lib/tei.xsl)."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.category(c).startswith("M"))
    s = re.sub(r"[ \t\r\n]+", " ", s.casefold()).strip(" ")
    return _LEADING.sub("", s) or s


# the leading initials of a personal name, as sort_key passes over them ("I. V. ", "I.V. ")
# initials: one or two letters and a full stop ("I.", "Yu.")
_INITIALS = re.compile(r"^((?:[^\W\d_]{1,2}\.[ \t\r\n]*)+)(?=[^\W\d_])")
_INITIALS_ONLY = re.compile(r"(?:[^\W\d_]{1,2}\.[ \t\r\n]*)+")


def index_heading(name: str, kind: str = "person") -> str:
    """A name as an index heading (HTML and PDF): a person's leading initials after the rest,
    the surname that sort_key sorts by first ("I. V. Stalin" → "Stalin, I. V.", "L. Beria" →
    "Beria, L."); any other name as written: a name without initials does not say which word is
    the surname ("Ma Hushan", "Chiang Kai-Shek" begin with it)."""
    name = re.sub(r"[ \t\r\n]+", " ", name).strip(" ")
    m = _INITIALS.match(name) if kind == "person" else None
    if m is None or _INITIALS_ONLY.fullmatch(name):
        return name
    return f"{name[m.end():]}, {m.group(1).strip()}"


def index_variants(preferred: str, variants: list[str]) -> list[str]:
    """The variant names an index entry shows: those that sort otherwise than the preferred
    name ("L. Beria" needs no "(Beria)", "I. V. Stalin" no "(I.V. Stalin)")."""
    key = sort_key(preferred)
    return [v for v in variants if sort_key(v) != key]


# what a page name keeps: letters and digits of any script, . _ -; the rest becomes "-"
_UNSAFE = re.compile(r"[^\w.-]+")
_MAX_BYTES = 120  # well inside every file system's 255 bytes, with a suffix and ".html"


def page_name(text: str) -> str:
    """A file name (without suffix) for a page made from an id: NFC, letters and digits of any
    script kept ("Ämter", "日本"), any other run of characters as "-", no leading or trailing
    "-" or "." (no hidden files), at most 120 UTF-8 bytes; "x" when nothing is left. The HTML
    page, the PDF file and the TEI copy of a document share it (unique_names)."""
    s = _UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip("-.")
    while len(s.encode("utf-8")) > _MAX_BYTES:
        s = s[:-1].rstrip("-.")
    return s or "x"


def unique_names(ids) -> dict[str, str]:
    """page_name for each id, unique without regard to case (two names that differ only in case
    would be one file on a case-insensitive file system): the first in the order of the names
    (case-folded, then as written) keeps its name, the others get "-2", "-3" …; so the names are
    decided by the ids alone, not by their order."""
    names = {i: page_name(i) for i in ids}
    out: dict[str, str] = {}
    used: set[str] = set()
    for i in sorted(names, key=lambda i: (names[i].casefold(), names[i], i)):
        name, n = names[i], 2
        while name.casefold() in used:
            name, n = f"{names[i]}-{n}", n + 1
        used.add(name.casefold())
        out[i] = name
    return out
