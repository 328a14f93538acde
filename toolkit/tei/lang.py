"""Language tags: what an xml:lang (or the configured language) becomes in the outputs."""
from __future__ import annotations

import re

from .classes import CLASSES

_PRIVATE = re.compile(r"[a-z0-9]{1,8}")


def lang_tag(tag: str | None) -> str | None:
    """The language tag the outputs write for an xml:lang: its language, script, region and
    private-use subtags ("ar-Latn-x-ijmes", "sa-Latn", "de-AT"; "_" read as "-"), in the
    conventional case ("zh-hant-tw" → "zh-Hant-TW"); a three-letter primary subtag with an ISO
    639-1 code becomes that code ("fra-CA" → "fr-CA", "geo" → "ka"), other three-letter codes
    stay ("grc"). Subtags HTML checkers would reject are left out: a script not in ISO 15924
    ("sr-Cryl"), a region not in ISO 3166 ("en-UK"), extended-language, variant and extension
    subtags. None for no language ("xx", "und", ""). The XSLT twin is f:lang
    (xslt/lib/tei.xsl)."""
    parts = re.sub(r"[ \t\r\n]+", " ", tag or "").strip(" ").replace("_", "-").lower().split("-")
    primary = parts[0]
    if not re.fullmatch(r"[a-z]{2,3}|x", primary):
        return None
    if len(primary) == 3:
        language = CLASSES.map("iso639-3to1").get(primary) or (primary if primary != "und" else None)
    else:
        language = primary if primary == "x" or primary in CLASSES.iso639_1 else None
    if language is None:
        return None
    kept: list[str] = []
    state, script, region = ("x" if language == "x" else "main"), False, False
    for p in parts[1:]:
        if state == "x":
            if not _PRIVATE.fullmatch(p):
                break
            kept.append(p)
        elif p == "x":
            kept.append(p)
            state = "x"
        elif len(p) == 1:
            state = "ext"   # an extension: its subtags are left out
        elif state == "main" and not (script or region) and len(p) == 4 and p.title() in CLASSES.iso15924:
            kept.append(p.title())
            script = True
        elif state == "main" and not region and p.upper() in CLASSES.iso3166:
            kept.append(p.upper())
            region = True
    if kept and kept[-1] == "x" and kept.index("x") == len(kept) - 1:
        kept.pop()
    out = [language, *kept]
    return None if out == ["x"] else "-".join(out)
