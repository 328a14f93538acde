"""Language tags: what an xml:lang (or the configured language) becomes in the outputs."""
from __future__ import annotations

import re

from .classes import CLASSES


def lang_tag(tag: str | None) -> str | None:
    """The language tag the outputs write for an xml:lang: its primary subtag as an ISO 639-1 code
    ("fra", "fre", "fr-CA" → "fr"), a three-letter code kept only when 639-1 has none ("grc");
    None for anything else ("und", "x-klingon", ""): HTML checkers and Typst accept what this
    gives. The XSLT twin is f:lang (xslt/lib/tei.xsl)."""
    parts = re.split(r"[-_]", re.sub(r"[ \t\r\n]+", " ", tag or "").strip(" "))
    primary = parts[0].lower()
    if len(primary) == 3:
        return CLASSES.map("iso639-3to1").get(primary) or (primary if primary in CLASSES.iso639_3_only else None)
    return primary if primary in CLASSES.iso639_1 else None
