"""Language tags: what an xml:lang (or the configured language) becomes in the outputs."""
from __future__ import annotations

import re

from .classes import CLASSES

# A well-formed BCP 47 tag (RFC 5646: language, extlang, script, region, variants, extensions,
# private use; or private use alone) at the start, then anything: the tag is cut before the
# first subtag that does not fit. The same pattern as fp:lang-pattern (xslt/lib/tei.xsl).
_TAG = re.compile(
    r"(([a-z]{2,3})(-[a-z]{3}){0,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(-[0-9a-wyz](-[a-z0-9]{2,8})+)*(-x(-[a-z0-9]{1,8})+)?|x(-[a-z0-9]{1,8})+)(-.*)?", re.I | re.S)


def lang_tag(tag: str | None) -> str | None:
    """The language tag the outputs write for an xml:lang: the tag kept whole as far as it is
    well-formed BCP 47 ("ar-Latn-x-ijmes", "sa-Latn"; "_" read as "-"), in the conventional case
    ("zh-hant-tw" → "zh-Hant-TW"); a three-letter primary subtag with an ISO 639-1 code becomes
    that code ("fra-CA" → "fr-CA", "geo" → "ka"), other three-letter codes stay ("grc"); None for
    no language ("xx", "und", ""). The XSLT twin is f:lang (xslt/lib/tei.xsl)."""
    t = re.sub(r"[ \t\r\n]+", " ", tag or "").strip(" ").replace("_", "-")
    m = _TAG.fullmatch(t)
    if not m:
        return None
    parts = m.group(1).lower().split("-")
    primary = parts[0]
    if len(primary) == 3:
        language = CLASSES.map("iso639-3to1").get(primary) or (primary if primary != "und" else None)
    else:
        language = primary if primary == "x" or primary in CLASSES.iso639_1 else None
    if language is None:
        return None
    singleton = next((i for i, p in enumerate(parts) if len(p) == 1), len(parts))
    out = [language]
    for i, p in enumerate(parts[1:], 1):
        if i < singleton and len(p) == 4 and p.isalpha():
            p = p.title()
        elif i < singleton and len(p) == 2:
            p = p.upper()
        out.append(p)
    return "-".join(out)
