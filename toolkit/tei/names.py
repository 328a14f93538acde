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
