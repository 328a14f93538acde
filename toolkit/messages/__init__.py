"""The interface languages: one message catalogue per language (toolkit/messages/<code>.json, a
flat object of key → text), read by Python here and by the stylesheets through f:msg
(xslt/lib/messages.xsl), which get every catalogue at compile time (xml_document, passed by
toolkit/saxon.py as the static parameter messages-href). docs/i18n.md says how to add a language.

A key missing from a catalogue falls back to English; a language with no catalogue is English
throughout (the build warns once, language_warnings). "{name}" in a text is a placeholder;
a count's text has one key per plural category (key.one, key.other; Russian key.few,
key.many; Arabic key.zero, key.two …) and f:msg-n / message_n pick by plural_category."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..tei.lang import lang_tag

FOLDER = Path(__file__).resolve().parent
ENGLISH = "en"
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")


def languages() -> tuple[str, ...]:
    """The languages with a catalogue (English first)."""
    found = sorted(p.stem for p in FOLDER.glob("*.json"))
    return (ENGLISH, *(c for c in found if c != ENGLISH))


@lru_cache(maxsize=None)
def catalogue(code: str) -> dict[str, str]:
    """The messages of one language as its file gives them ({} for a language with none)."""
    path = FOLDER / f"{code}.json"
    if not re.fullmatch(r"[a-z]{2,3}", code) or not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items() if not str(k).startswith("_")}


def interface_language(language: str | None) -> str:
    """The catalogue a configured language uses: its primary subtag ("de-CH" → "de") when that
    has a catalogue, else English."""
    tag = lang_tag(language) or ENGLISH
    primary = tag.split("-")[0]
    return primary if catalogue(primary) else ENGLISH


def has_catalogue(language: str | None) -> bool:
    tag = lang_tag(language) or ENGLISH
    return bool(catalogue(tag.split("-")[0]))


def message(language: str | None, key: str, **params) -> str:
    """The text of a key in a language (English where the language lacks it; the key itself
    when English lacks it too), placeholders filled."""
    code = interface_language(language)
    text = catalogue(code).get(key, catalogue(ENGLISH).get(key, key))
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)


def plural_category(language: str | None, n: int) -> str:
    """The CLDR plural category of a whole number in the interface language (the twin of
    fp:plural in xslt/lib/messages.xsl)."""
    code, n = interface_language(language), abs(int(n))
    if code == "fr":
        return "one" if n in (0, 1) else "other"
    if code == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        return "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    if code == "ar":
        return {0: "zero", 1: "one", 2: "two"}.get(n) or ("few" if 3 <= n % 100 <= 10 else
                                                       "many" if 11 <= n % 100 <= 99 else "other")
    if code in ("zh", "ja", "ko"):
        return "other"
    return "one" if n == 1 else "other"


def message_n(language: str | None, key: str, n: int, **params) -> str:
    """A count's text ("{n} documents"): the key of n's plural category, else key.other."""
    code = interface_language(language)
    own, english = catalogue(code), catalogue(ENGLISH)
    cat = f"{key}.{plural_category(code, n)}"
    text = own.get(cat) or own.get(f"{key}.other") or english.get(f"{key}.{plural_category(ENGLISH, n)}") \
        or english.get(f"{key}.other", key)
    return _PLACEHOLDER.sub(lambda m: str({**params, "n": n}.get(m.group(1), m.group(0))), text)


# -- checks ----------------------------------------------------------------------------------
def missing(code: str) -> list[str]:
    """The keys of the English catalogue a language's catalogue lacks (plural forms: a count
    needs the categories of its own language only, so key.one/key.other of English are asked
    as the language's categories)."""
    own, english = catalogue(code), catalogue(ENGLISH)
    needed = set()
    for key in english:
        stem, _, cat = key.rpartition(".")
        if cat in _CATEGORIES and stem:
            needed.update(f"{stem}.{c}" for c in _categories(code))
        else:
            needed.add(key)
    return sorted(k for k in needed if k not in own)


_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _categories(code: str) -> tuple[str, ...]:
    return {"ru": ("one", "few", "many"), "ar": ("zero", "one", "two", "few", "many", "other"),
            "zh": ("other",), "ja": ("other",), "ko": ("other",)}.get(code, ("one", "other"))


# a key named literally: f:msg('key') / f:msg-n / f:msg-opt / f:msg-nodes in XSLT, msg("key") /
# msgN("key") in the scripts (their keys are js.*), messages.message(lang, "key") in Python; a
# key that ends in "." or "-" is the prefix of keys made at run time (f:msg('toc.' || $kind))
_USE = (("*.xsl", re.compile(r"""f:msg(?:-n|-opt|-nodes)?\(\s*'([A-Za-z0-9_.:+-]+)'"""), ""),
        ("*.js", re.compile(r"""\bmsgN?\(\s*["']([A-Za-z0-9_.:+-]+)["']"""), "js."),
        ("*.py", re.compile(r"""\bmessages\.message(?:_n)?\([^,()]*,\s*["']([A-Za-z0-9_.:+-]+)["']"""), ""))


def used_keys(roots=None) -> dict[str, list[str]]:
    """Every key the stylesheets, the scripts and the toolkit's Python name literally (_USE),
    with the files that name it (prefixes of keys made at run time left out)."""
    from ..saxon import XSLT_DIR
    roots = roots or (XSLT_DIR, FOLDER.parent)
    found: dict[str, list[str]] = {}
    for root in roots:
        for pattern, use, prefix in _USE:
            for path in sorted(Path(root).rglob(pattern)):
                if "node_modules" in path.parts or path.name == "messages.xsl" or FOLDER in path.parents:
                    continue
                for m in use.finditer(path.read_text(encoding="utf-8", errors="replace")):
                    if not m.group(1).endswith((".", "-")):
                        found.setdefault(prefix + m.group(1), []).append(path.name)
    return found


def unknown_keys() -> dict[str, list[str]]:
    """Keys used (used_keys) that the English catalogue lacks (a count: lacks key.other)."""
    english = catalogue(ENGLISH)
    return {k: v for k, v in used_keys().items() if k not in english and f"{k}.other" not in english}


# -- for the stylesheets -----------------------------------------------------------------------
@lru_cache(maxsize=1)
def xml_document() -> str:
    """Every catalogue as one XML document: <messages><catalogue lang><m key>text</m>…</…>."""
    from lxml import etree
    root = etree.Element("messages")
    for code in languages():
        cat = etree.SubElement(root, "catalogue", lang=code)
        for key, text in catalogue(code).items():
            etree.SubElement(cat, "m", key=key).text = text
    return etree.tostring(root, encoding="unicode")


def language_warnings(language: str | None, where: str = "edition.toml"):
    """A warning (one per build) when the configured language has no catalogue: the interface
    is then in English."""
    from ..diagnostics import WARNING, Diagnostic
    if has_catalogue(language):
        return []
    return [Diagnostic(where, 0, 0, WARNING,
                       f"no interface messages for the language '{language}': the interface is in English",
                       "build.language", f"languages with messages: {', '.join(languages())} "
                       "(docs/i18n.md says how to add one)")]


def typst_words(language: str | None) -> list[str]:
    """The PDF house style's words (xslt/pdf/edition.typ, style.words) in the interface language,
    as its sys.inputs "ed-words" reads them: a line per word, key and text tab-separated. None
    for English: edition.typ's own words stand (an editor may reword them there)."""
    code = interface_language(language)
    if code == ENGLISH:
        return []
    english, own = catalogue(ENGLISH), catalogue(code)
    return [key[4:] + "\t" + _ONE_LINE.sub(" ", own.get(key, text))
            for key, text in english.items() if key.startswith("pdf.")]


_ONE_LINE = re.compile(r"[\t\r\n]+")


# -- the check command (edition messages) ------------------------------------------------------
def check(tags: list[str]) -> tuple[list[str], bool]:
    """Lines saying, for each language (a tag: "de-CH" is checked as de), which keys of the
    English catalogue its catalogue lacks, and which keys the stylesheets, scripts and Python
    use that the English catalogue lacks; and whether all is complete."""
    lines, ok = [], True
    for key, files in sorted(unknown_keys().items()):
        lines.append(f"en: '{key}' is used ({', '.join(sorted(set(files)))}) but has no English text")
        ok = False
    for language in tags:
        tag = lang_tag(language) or language
        code = (tag or "").split("-")[0]
        if not has_catalogue(tag):
            lines.append(f"{language}: no catalogue: the interface is in English "
                         f"(catalogues: {', '.join(languages())})")
            ok = False
            continue
        gaps = missing(code)
        if gaps:
            ok = False
            lines.append(f"{code}: {len(gaps)} missing (English shown instead):")
            lines.extend(f"  {k}: {catalogue(ENGLISH).get(k) or catalogue(ENGLISH).get(k.rpartition('.')[0] + '.other', '')}"
                         for k in gaps)
        else:
            lines.append(f"{code}: complete ({len(catalogue(code))} messages)")
    return lines, ok
