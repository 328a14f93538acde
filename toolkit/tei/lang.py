"""Language tags: what an xml:lang (or the configured language) becomes in the outputs."""
from __future__ import annotations

import re

from .classes import CLASSES

_PRIVATE = re.compile(r"[a-z0-9]{1,8}")
_EXTENSION = re.compile(r"[a-z0-9]{2,8}")
_VARIANT = re.compile(r"[a-z0-9]{5,8}|[0-9][a-z0-9]{3}")


def lang_tag(tag: str | None) -> str | None:
    """The language tag the outputs write for an xml:lang, kept whole as far as it is a
    well-formed BCP 47 tag: language, script, region, variant, extension and private-use subtags
    ("ar-Latn-x-ijmes", "sa-Latn", "de-CH-1996", "en-u-ca-gregory"; "_" read as "-"), in the
    conventional case ("zh-hant-tw" → "zh-Hant-TW"). A three-letter primary subtag with an ISO
    639-1 code becomes that code ("fra-CA" → "fr-CA", "geo" → "ka"), other three-letter codes
    stay ("grc"); an extended-language subtag stands for its language ("zh-yue" → "yue").
    Left out: a script not in ISO 15924 ("sr-Cryl"), a region not in ISO 3166 ("en-UK"), a
    subtag out of its place or of no subtag's form, a repeated variant or singleton, a
    singleton with no subtag. None for no language ("xx", "und", ""). The XSLT twin is f:lang
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
    rest = parts[1:]
    if language != "x" and rest and re.fullmatch(r"[a-z]{3}", rest[0]):
        language, rest = rest[0], rest[1:]
    kept = [language]
    # state: "main" (script, region, variants), "ext" (an extension), "skip" (a repeated
    # singleton's subtags), "x" (private use); stage: 0 script next, 1 region, 2 variants only
    state, stage, open_singleton = ("x" if language == "x" else "main"), 0, False
    for p in rest:
        if state == "x":
            if not _PRIVATE.fullmatch(p):
                break
            kept.append(p)
            open_singleton = False
        elif re.fullmatch(r"[a-z0-9]", p):
            if open_singleton:
                kept.pop()  # the previous singleton had no subtag
            open_singleton = p not in kept
            state = "skip" if not open_singleton else ("x" if p == "x" else "ext")
            if open_singleton:
                kept.append(p)
        elif state == "ext":
            if _EXTENSION.fullmatch(p):
                kept.append(p)
                open_singleton = False
        elif state == "main":
            if stage == 0 and len(p) == 4 and p.title() in CLASSES.iso15924:
                kept.append(p.title())
                stage = 1
            elif stage <= 1 and p.upper() in CLASSES.iso3166:
                kept.append(p.upper())
                stage = 2
            elif _VARIANT.fullmatch(p) and p not in kept:
                kept.append(p)
                stage = 2
    if open_singleton:
        kept.pop()
    return None if kept == ["x"] else "-".join(kept)
