"""Document facts read from a TEI document: the title element, the date and its label. (The
optional fields of "Document information" and the transcription marker are the edition's
conventions: toolkit/tei/conventions.py.)"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from ..xmlsafe import TEI_NS
from . import T, norm_space
from .lang import lang_tag
from .reading import text_of

# Titles that only date a document (the letters' <title type="iso-date">1894-07-20</title>): never
# the document's title when it has another one.
DATE_TITLE_TYPES = frozenset(("iso-date", "isodate", "date", "when", "dating"))
_ISO_DATE = re.compile(r"-?\d{4}(?:-\d{2}(?:-\d{2})?)?(?:\s*(?:/|–|-{1,2})\s*-?\d{4}(?:-\d{2}(?:-\d{2})?)?)?")


def title_element(titles: list) -> etree._Element | None:
    """The document's title among the <title>s of its titleStmt: the main title (@type='main'),
    else the analytic one (@level='a'), else the first that is not a series/journal/monograph
    title nor a subtitle, alternative or short title, else the first. Titles that are only a date
    (a date-ish @type, or text that is only an ISO date) and empty titles are left out when any
    other title exists. (xslt/lib/common.xsl, f:title-element, follows the same rule.)"""
    if not titles:
        return None
    def dated(t):
        return (t.get("type") or "").lower() in DATE_TITLE_TYPES or bool(_ISO_DATE.fullmatch(text_of(t)))
    real = [t for t in titles if text_of(t) and not dated(t)] or [t for t in titles if text_of(t)] or titles
    return next((t for t in real if t.get("type") == "main"),
                next((t for t in real if t.get("level") == "a"),
                     next((t for t in real if t.get("level") not in ("s", "j", "m")
                           and t.get("type") not in ("sub", "alt", "short")), real[0])))


# Where a document's date is looked for, in this order; the first <date> with @when (or
# @notBefore, @from, or their -iso forms) wins:
#  1. the creation date (profileDesc/creation);
#  2. a letter's date of sending (correspDesc/correspAction[@type='sent']);
#  3. a date in the header's publicationStmt typed as the document's creation (@type 'created' or
#     'origin': FRUS); an untyped or other date there is when the *edition* was published;
#  4. the date in a dateline of the text;
#  5. any other date of the correspDesc (received, …: a letter with no sent action);
#  6. a date in the sourceDesc (the source's date): that of a first edition (ELTeC's
#     bibl[@type='firstEdition']) first, those of a digital copy (bibl[@type='digitalSource'],
#     dated when it was digitised) last.
# A <date> is dated by @when (or @notBefore, @from, or their -iso forms), else by its text when
# that is only a year or an ISO date (ELTeC's <date>1847</date>; "[1897]" too).
_DATE_PLACES = tuple(etree.XPath(xp, namespaces={"tei": TEI_NS}) for xp in (
    "tei:teiHeader/tei:profileDesc/tei:creation//tei:date",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']//tei:date",
    "tei:teiHeader/tei:fileDesc/tei:publicationStmt//tei:date[@type='created' or @type='origin']",
    "tei:text//tei:dateline//tei:date",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc//tei:date",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date[ancestor::tei:bibl[@type = 'firstEdition' "
    "or @type = 'first-edition']]",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date[not(ancestor::tei:bibl[starts-with(@type, 'digital')])]",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date"))
_DATE_ATTRS = ("when", "when-iso", "notBefore", "notBefore-iso", "from", "from-iso", "notAfter",
               "notAfter-iso", "to", "to-iso")
_DATE_TEXT = re.compile(r"\[?(\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)\]?")


# Where a date's text says nothing of the document's date: works cited in a bibliography, the
# description of a manuscript's items (TEI-C's testms.xml: <listBibl><bibl>…<date>1821</date>).
_NOT_THE_SOURCE = frozenset((T + "listBibl", T + "msDesc"))


def date_value(d) -> str:
    """The ISO date a <date> gives: its @when (or …, _DATE_ATTRS), else its text when that is
    only a year or an ISO date (optionally in square brackets) and it is not in a bibliography
    or manuscript description (_NOT_THE_SOURCE); "" when it gives none."""
    when = next((d.get(a) for a in _DATE_ATTRS if (d.get(a) or "").strip()), None)
    if when:
        return when.strip()
    m = _DATE_TEXT.fullmatch(norm_space("".join(d.itertext())))
    if not m or any(a.tag in _NOT_THE_SOURCE for a in d.iterancestors()):
        return ""
    return m.group(1)


def document_date_element(root):
    """The <date> that dates a document: the first dated one (date_value) of the first place of
    _DATE_PLACES that has one; None when none has."""
    for find in _DATE_PLACES:
        for d in find(root):
            if date_value(d):
                return d
    return None


def document_date(root) -> tuple[str, str]:
    """(ISO date, date as written) of a document (document_date_element); ("", "") when it has
    none."""
    d = document_date_element(root)
    return (date_value(d), written(d)) if d is not None else ("", "")


def written(d) -> str:
    """A <date> as written: its text, (XML) white space collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", "".join(d.itertext())).strip(" ")


# -- date labels: "14 June 1937", "June 1937", "1937", "1930–1935", "after 1930" -------------------
# The date style of the edition's language ([edition] language): the one way every output writes
# a date (#14). The contexts hand it to the stylesheets (toolkit/context.py, edition_element:
# the edition's date-* attributes), which f:date-label (xslt/lib/tei.xsl) reads; a language
# without a style of its own is written in English.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class DateStyle:
    day: str                      # a day: "{d} {m} {y}" ({m}: the month as in `months`)
    month: str                    # a month of a year: "{m} {y}" ({m}: as in `months_alone`)
    months: tuple[str, ...]       # the months' names with a day ("14 июня 1937")
    months_alone: tuple[str, ...]  # … without one ("июнь 1937")
    bc: str = "{y} BC"            # a year before the common era
    # the words of a range: "after 1930", "before 1935", "from 1930", "until 1935" (the message
    # catalogue's date.after … in the edition's language: date_style fills them in)
    words: tuple[str, str, str, str] = ("after", "before", "from", "until")

    def key(self) -> str:
        """A short name of the style: facts labelled in another style are not reused."""
        return hashlib.blake2b(repr(self).encode(), digest_size=6).hexdigest()


def _style(day: str, month: str, months: str, alone: str | None = None, bc: str = "{y} BC") -> DateStyle:
    return DateStyle(day, month, tuple(months.split()), tuple((alone or months).split()), bc)


DATE_STYLES = {
    "en": DateStyle("{d} {m} {y}", "{m} {y}", MONTHS, MONTHS),
    "en-US": DateStyle("{m} {d}, {y}", "{m} {y}", MONTHS, MONTHS),
    "de": _style("{d}. {m} {y}", "{m} {y}", "Januar Februar März April Mai Juni Juli August September "
                 "Oktober November Dezember", bc="{y} v. Chr."),
    "fr": _style("{d} {m} {y}", "{m} {y}", "janvier février mars avril mai juin juillet août septembre "
                 "octobre novembre décembre", bc="{y} av. J.-C."),
    "it": _style("{d} {m} {y}", "{m} {y}", "gennaio febbraio marzo aprile maggio giugno luglio agosto "
                 "settembre ottobre novembre dicembre", bc="{y} a.C."),
    "es": _style("{d} de {m} de {y}", "{m} de {y}", "enero febrero marzo abril mayo junio julio agosto "
                 "septiembre octubre noviembre diciembre", bc="{y} a. C."),
    "ru": _style("{d} {m} {y} г.", "{m} {y} г.", "января февраля марта апреля мая июня июля августа "
                 "сентября октября ноября декабря", "январь февраль март апрель май июнь июль август "
                 "сентябрь октябрь ноябрь декабрь", bc="{y} г. до н. э."),
    # Chinese: 1937年3月5日, 1937年3月; the months are numbers (1月 … 12月)
    "zh": _style("{y}年{m}{d}日", "{y}年{m}", " ".join(f"{i}月" for i in range(1, 13)), bc="公元前{y}"),
    # Arabic: 5 مارس 1937, with the month names of Egypt and the Gulf (CLDR's "ar") and Western
    # digits, as the sources and the ISO dates beside them have them (docs/i18n.md)
    "ar": _style("{d} {m} {y}", "{m} {y}", "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر "
                 "أكتوبر نوفمبر ديسمبر", bc="{y} ق.م"),
}
ENGLISH = DATE_STYLES["en"]


def date_style(language: str | None) -> DateStyle:
    """The date style of a language tag ("en-US", "de-AT", "ru"): its own, else its primary
    language's, else English; with the words of a range in the interface language."""
    from dataclasses import replace
    from .. import messages
    tag = lang_tag(language) or "en"
    style = DATE_STYLES.get(tag) or DATE_STYLES.get(tag.split("-")[0]) or ENGLISH
    words = tuple(messages.message(language, "date." + w) for w in ("after", "before", "from", "until"))
    return style if words == style.words else replace(style, words=words)


_ISO_VALUE = re.compile(r"(-?)(\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?")
_RANGES = (("notBefore", "notAfter", 0, 1), ("from", "to", 2, 3))  # the bounds, their words (DateStyle.words)


def _days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def iso_label(value: str | None, style: DateStyle = ENGLISH) -> str | None:
    """The display label of an ISO date in a date style: "1937-06-14" → "14 June 1937",
    "1945-07" → "July 1945", "1935" → "1935" (English; a dateTime by its date; a year BCE as
    "44 BC"); None when it is no valid ISO date. The XSLT twin is f:date-label
    (xslt/lib/tei.xsl)."""
    m = _ISO_VALUE.fullmatch((value or "").strip(" \t\r\n"))
    if not m:
        return None
    neg, year, month, day = m.group(1), int(m.group(2)), m.group(3), m.group(4)
    if month is not None and not 1 <= int(month) <= 12:
        return None
    if day is not None and not 1 <= int(day) <= _days(-year if neg else year, int(month)):
        return None
    y = style.bc.format(y=year) if neg else str(year)
    if day is not None:
        return style.day.format(d=int(day), m=style.months[int(month) - 1], y=y)
    return style.month.format(m=style.months_alone[int(month) - 1], y=y) if month is not None else y


def _attr(d, name: str) -> str:
    """@name, else @name-iso (the first that is not blank), trimmed."""
    return next((v for v in ((d.get(a) or "").strip(" \t\r\n") for a in (name, name + "-iso")) if v), "")


def range_label(start: str, end: str, after: str, before: str, style: DateStyle = ENGLISH) -> str | None:
    """"1930–1935", "after 1930", "before 1935" (with the words given); None when a bound is no
    ISO date."""
    a, b = iso_label(start, style) if start else "", iso_label(end, style) if end else ""
    if a is None or b is None or not (a or b):
        return None
    if a and b:
        return a if a == b else (f"{a}–{b}" if " " not in a + b else f"{a} – {b}")
    return f"{after} {a}" if a else f"{before} {b}"


def date_label(d, style: DateStyle = ENGLISH) -> str:
    """The display label of a <date> (docs/encoding.md, "Dates"): its @when (or @when-iso) as
    iso_label gives it; else its @notBefore/@notAfter as a range ("1930–1935", "after 1930",
    "before 1935"), else its @from/@to ("from 1930", "until 1935"); else its text when that is an
    ISO date; else — a date that cannot be read — as written. The XSLT twin is
    f:date-element-label (xslt/lib/tei.xsl)."""
    text = written(d)
    when = _attr(d, "when")
    if when:
        return iso_label(when, style) or text or when
    for lo, hi, after, before in _RANGES:
        start, end = _attr(d, lo), _attr(d, hi)
        if start or end:
            return range_label(start, end, style.words[after], style.words[before], style) or text or "–".join(x for x in (start, end) if x)
    return iso_label(text, style) or text


def document_type(root) -> str | None:
    """The document's type as editors encode it, the first found winning: the first non-empty
    profileDesc/textClass/keywords/term, then textClass/classCode, text/@type, the first
    msContents/msItem/@class (a pointer's "#" dropped). None when it gives none."""
    header = root.find(T + "teiHeader")
    if header is not None:
        for el in header.iterfind(f"{T}profileDesc/{T}textClass/{T}keywords/{T}term"):
            if value := norm_space("".join(el.itertext())):
                return value
        for el in header.iterfind(f"{T}profileDesc/{T}textClass/{T}classCode"):
            if value := norm_space("".join(el.itertext())):
                return value
    text = root.find(T + "text")
    if text is not None and (value := norm_space(text.get("type") or "")):
        return value
    if header is not None:
        for el in header.iterfind(f".//{T}msContents/{T}msItem[@class]"):
            if value := norm_space(el.get("class")).split(" ")[0].lstrip("#"):
                return value
    return None
