"""The reading text of a TEI element (text_of): what titles, summaries, snippets, search titles
and plain-text pages show. Its XSLT twin is f:reading-text in xslt/lib/tei.xsl; the two are
held against each other by tests/model/test_rules_parity.py.

The rule (docs/encoding.md, "The reading text"):
- the text as the reading view shows it: of a <choice>, its reading (reg, corr or expan, else its
  first alternative: of two <unclear>s or <seg>s the first); a standalone sic, orig or abbr is
  the text and stays; an <app> reads as its own lem, else its first own rdg (readings inside an
  rdgGrp count as its own; witDetail, wit and note do not);
- no deletions (del, surplus), no notes (a note asked for itself gives its own text), nothing of
  a gap or a figDesc, nothing of the parts that are not rendered (tei-classes.xml);
- supplied text without brackets (brackets are rendering);
- lb, pb, cb, gb, milestone and space separate words, unless break="no" (or "false") joins them;
  between two characters of scripts written without spaces (Chinese, Japanese, Thai …) a line
  or page break adds no space;
- block and line elements are set off by spaces; an empty ref or ptr reads as its target;
- white space collapsed (XML white space: a no-break space is text).
"""
from __future__ import annotations

import functools
import re

from . import local
from .classes import CLASSES

# Elements whose content is not part of the reading text (a note's text is, when the note itself
# is asked for: see text_of).
SKIPPED_IN_TEXT = CLASSES.reading_skip | CLASSES.not_rendered | {"teiHeader"}
# Empty elements that stand between words: a space in the reading text, unless break="no" says
# the word goes on (lb, pb, cb, gb, milestone carry att.breaking; space is a space).
WORD_BREAKS = CLASSES.word_break
# Block and line elements never continue a word: a space before and after them (an <address> of
# <addrLine>s, a <closer> of <salute> and <signed>, a list of items, lines of verse).
BLOCK_BREAKS = CLASSES.block_break
# Pointers that show their @target as their text when they have no content (xslt/html/text/
# names.xsl: a ptr, an empty ref, an empty licence).
POINTERS_SHOWING_TARGET = CLASSES.target_as_text
# The alternatives of a <choice> that are its reading, when it has one of them.
READING_ALTERNATIVES = ("reg", "corr", "expan")
_LETTERHEAD_PARENTS = frozenset(("opener", "closer"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A break between words, decided once the text around it is known (no space between two CJK
# characters). U+FDD0 is a noncharacter: no text of the edition should hold it (f:reading-text
# uses the same one, so that both sides agree even then).
BREAK = "\ufdd0"
_WS = "[ \t\r\n]"
_BREAKS = re.compile(f"{_WS}*{BREAK}[ \t\r\n{BREAK}]*")
# Scripts written without spaces between words (Han, kana, Thai, Tibetan …: the class
# "spaceless" of tei-classes.xml, which f:spaceless-char in xslt/lib/script.xsl reads too): a
# break between two of their characters is no space.
_SPACELESS = CLASSES.map("char-classes")["spaceless"]


@functools.cache
def _spaceless_edges() -> tuple[re.Pattern, re.Pattern]:
    """The patterns of a text ending and starting with a spaceless character, compiled on first
    use: the class is long (5 ms to compile), and most commands never join lines."""
    return re.compile(f"{_SPACELESS}$"), re.compile(f"^{_SPACELESS}")
_SPACES = re.compile(f"{_WS}+")


def _seg_is_line(e) -> bool:
    """A seg that is a line of its own (xslt/html/text/structure.xsl): in an opener or closer, a
    letterhead, or a seg of a letterhead."""
    parent = e.getparent()
    return e.get("type") == "letterhead" or (parent is not None and (
        local(parent.tag) in _LETTERHEAD_PARENTS or parent.get("type") == "letterhead"))


def choice_reading(choice):
    """The alternative of a <choice> that is its reading: reg, corr or expan, else the first
    (xslt/lib/tei.xsl, f:choice-reading)."""
    alternatives = [c for c in choice if isinstance(c.tag, str)]
    return next((c for c in alternatives if local(c.tag) in READING_ALTERNATIVES),
                alternatives[0] if alternatives else None)


def app_reading(app):
    """The reading an <app> shows in the text: its own lem, else its first own rdg (those inside
    an rdgGrp are its own; not those of an app inside it). f:app-reading in xslt/lib/tei.xsl."""
    first: dict[str, object] = {}

    def look(e):
        for c in e:
            if not isinstance(c.tag, str):
                continue
            name = local(c.tag)
            if name in ("lem", "rdg"):
                first.setdefault(name, c)
            elif name == "rdgGrp":
                look(c)
    look(app)
    return first.get("lem", first.get("rdg"))


def _empty(e) -> bool:
    return not "".join(e.xpath(".//text()")).strip(" \t\r\n") and not any(isinstance(c.tag, str) for c in e)


def finish(text: str) -> str:
    """Breaks resolved (a space, or nothing between characters of scripts written without spaces)
    and white space collapsed."""
    if BREAK in text:
        pieces = _BREAKS.split(text)
        out = [pieces[0]]
        end, start = _spaceless_edges()
        for before, after in zip(pieces, pieces[1:]):
            out.append("" if end.search(before) and start.search(after) else " ")
            out.append(after)
        text = "".join(out)
    return _SPACES.sub(" ", text).strip(" ")


class _Block:
    """A descendant the caller wants apart (reading_blocks), with its own parts."""

    def __init__(self, element, parts):
        self.element, self.parts = element, parts


def _walk(e, parts: list, top: bool, fields: bool, split=None) -> None:
    if not isinstance(e.tag, str):
        return  # comment, processing instruction: its tail is added by the caller
    name = local(e.tag)
    if name in WORD_BREAKS:
        if name == "space":
            parts.append(" ")
        elif e.get("break") not in ("no", "false"):
            parts.append(BREAK)
        return
    if name in SKIPPED_IN_TEXT and not top:
        return  # skipped element: its tail is added by the caller
    if name == "choice" or name == "app":
        reading = choice_reading(e) if name == "choice" else app_reading(e)
        if reading is not None:  # (its content: a choice's orig is the reading when alone)
            _walk(reading, parts, True, fields, split)
        return
    if name in POINTERS_SHOWING_TARGET and e.get("target") is not None and (name == "ptr" or _empty(e)):
        # a pointer without content shows its target on the page (names.xsl, fp:target-label);
        # a ptr's content (none in TEI) is not shown either
        parts.append(_SPACES.sub(" ", _CONTROL.sub("", e.get("target"))).strip(" "))
        return
    block = (name in BLOCK_BREAKS or (name == "seg" and _seg_is_line(e))) and not top
    if block:
        parts.append(" ")
    if e.text:
        parts.append(e.text)
    # fields: only in element-only content, and never below mixed content (a <choice> in a
    # word) nor between alternatives
    fields = fields and not (e.text or "").strip() and not any((c.tail or "").strip() for c in e)
    sep = fields and len(e) > 1 and name not in ("choice", "subst", "app")
    for c in e:
        if split is not None and isinstance(c.tag, str) and local(c.tag) not in CLASSES.not_rendered \
                and split(c):
            sub: list = []
            _walk(c, sub, True, fields, split)
            parts.append(_Block(c, sub))
        else:
            _walk(c, parts, False, fields, split)
        if sep:
            parts.append(" ")
        if c.tail:
            parts.append(c.tail)
    if block:
        parts.append(" ")


def text_of(el, fields: bool = False) -> str:
    """The reading text of an element (the module's rule); an element in a skipped class (a
    note) asked for itself gives its own text, without the notes inside it.

    fields=True also separates the children of element-only content (whitespace there is not
    text: <correspAction><persName>…</persName><settlement>…</settlement>) — for header
    elements, whose children are fields rather than running text."""
    if el is None:
        return ""
    parts: list[str] = []
    _walk(el, parts, True, fields)
    return finish("".join(parts))


def reading_blocks(el, split) -> list:
    """The reading text of an element cut where the caller wants blocks: a list of texts (each
    finished, none empty) and (element, list) pairs for each descendant for which split(element)
    is true, in document order; a block's own list is made the same way (it is read as asked for
    itself). For pages that show a document's text without its markup."""
    parts: list = []
    _walk(el, parts, True, False, split)
    return _blocks(parts)


def _blocks(parts: list) -> list:
    out: list = []
    run: list[str] = []

    def flush():
        text = finish("".join(run))
        run.clear()
        if text:
            out.append(text)
    for p in parts:
        if isinstance(p, _Block):
            flush()
            out.append((p.element, _blocks(p.parts)))
        else:
            run.append(p)
    flush()
    return out

