"""Document facts read from a TEI header: the title element, the date, the optional fields of
"Document information"."""
from __future__ import annotations

import re

from lxml import etree

from ..xmlsafe import TEI_NS
from . import T, norm_space
from .reading import text_of

# Optional fields of "Document information" (xslt/html/pages/document-info.xsl, which looks for
# them the same way): a respStmt whose resp starts with "obtain" or "translat" (titleStmt,
# editionStmt), a record idno, an original classification.
INFO_FIELDS = ("obtained", "translated", "record", "classification")
_RESP_FIELDS = etree.XPath("tei:fileDesc/tei:titleStmt/tei:respStmt/tei:resp | "
                           "tei:fileDesc/tei:editionStmt/tei:respStmt/tei:resp", namespaces={"tei": TEI_NS})
_RECORD_FIELD = etree.XPath(".//tei:idno[@type = 'record' or @type = 'recordId' or @type = 'record-id' "
                            "or @type = 'RecordID']", namespaces={"tei": TEI_NS})
_CLASS_FIELD = etree.XPath(".//tei:note[@type = 'classification' or @type = 'original-classification'] | "
                           ".//tei:classCode | .//tei:term[@type = 'classification']", namespaces={"tei": TEI_NS})
# A header whose source names the archive's fields, even without values (this edition's
# notesStmt/note[@type='source-fields'], docs/encoding.md), has all of them.
_SOURCE_FIELDS = etree.XPath("tei:fileDesc/tei:notesStmt/tei:note[@type = 'source-fields']",
                             namespaces={"tei": TEI_NS})


def info_fields(header) -> str:
    """Which INFO_FIELDS a teiHeader gives (space-separated)."""
    if header is None:
        return ""
    if _SOURCE_FIELDS(header):
        return " ".join(INFO_FIELDS)
    resps = [norm_space("".join(r.itertext())).lower() for r in _RESP_FIELDS(header)]
    have = {"obtained": any(r.startswith("obtain") for r in resps),
            "translated": any(r.startswith("translat") for r in resps),
            "record": bool(_RECORD_FIELD(header)), "classification": bool(_CLASS_FIELD(header))}
    return " ".join(f for f in INFO_FIELDS if have[f])


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
_DATE_ATTRS = ("when", "when-iso", "notBefore", "notBefore-iso", "from", "from-iso")
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


def document_date(root) -> tuple[str, str]:
    """(ISO date, date as written) of a document, from the first place of _DATE_PLACES that has a
    dated <date>; ("", "") when none has."""
    for find in _DATE_PLACES:
        for d in find(root):
            when = date_value(d)
            if when:
                return when, norm_space("".join(d.itertext()))
    return "", ""


