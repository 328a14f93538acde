"""The reading text of a TEI element (text_of): what titles, summaries, snippets, search titles
and plain-text pages show. Its XSLT twin is f:reading-text in xslt/lib/tei.xsl."""
from __future__ import annotations

import re

from . import T, local, norm_space
from .classes import CLASSES

# Elements whose content is not part of the reading text (a note's text is, when the note itself
# is asked for: see text_of).
SKIPPED_IN_TEXT = CLASSES.reading_skip
# Empty elements that stand between words: a space in the reading text, unless break="no" says
# the word goes on (lb, pb, cb, gb, milestone carry att.breaking; space is a space).
WORD_BREAKS = CLASSES.word_break
# Block and line elements never continue a word: a space before and after them (an <address> of
# <addrLine>s, a <closer> of <salute> and <signed>, a list of items, lines of verse).
BLOCK_BREAKS = CLASSES.block_break


# Pointers that show their @target as their text when they have no content (xslt/html/text/
# names.xsl: a ptr, an empty ref, an empty licence).
POINTERS_SHOWING_TARGET = CLASSES.target_as_text
_LETTERHEAD_PARENTS = frozenset(("opener", "closer"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _seg_is_line(e) -> bool:
    """A seg that is a line of its own (xslt/html/text/structure.xsl): in an opener or closer, a
    letterhead, or a seg of a letterhead."""
    parent = e.getparent()
    return e.get("type") == "letterhead" or (parent is not None and (
        local(parent.tag) in _LETTERHEAD_PARENTS or parent.get("type") == "letterhead"))


def text_of(el, fields: bool = False) -> str:
    """The reading text of an element: regularised alternatives, no notes (but a note asked for
    itself gives its own text, without the notes inside it), a space where an empty element such
    as <lb/>, <pb/>, <cb/> or <space/> separates words (not where break="no") and around blocks
    and lines (BLOCK_BREAKS).

    fields=True also separates the children of element-only content (whitespace there is not
    text: <correspAction><persName>…</persName><settlement>…</settlement>) — for header
    elements, whose children are fields rather than running text."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(e, top=False, fields=fields):
        if not isinstance(e.tag, str):
            return  # comment, processing instruction: its tail is added by the caller
        name = local(e.tag)
        if name in WORD_BREAKS:
            if name == "space" or e.get("break") not in ("no", "false"):
                parts.append(" ")
            return
        if name in SKIPPED_IN_TEXT and not top:
            return  # skipped element: its tail is added by the caller
        if name == "app" and not top:
            # an apparatus reads as its lemma, else its first reading (the page shows the other
            # readings apart, in brackets, and keeps them out of search: transcription.xsl)
            reading = next(e.iter(T + "lem"), None)
            if reading is None:
                reading = next(e.iter(T + "rdg"), None)
            if reading is not None:
                walk(reading, fields=fields)
            return  # its tail is added by the caller
        block = (name in BLOCK_BREAKS or (name == "seg" and _seg_is_line(e))) and not top
        if block:
            parts.append(" ")
        if e.text:
            parts.append(e.text)
        if name in POINTERS_SHOWING_TARGET and e.get("target") is not None \
                and (name == "ptr" or (not (e.text or "").strip() and not any(isinstance(c.tag, str) for c in e))):
            # a pointer without content shows its target on the page (names.xsl,
            # fp:target-label): the same text here
            parts.append(norm_space(_CONTROL.sub("", e.get("target"))))
            return  # a ptr's content (none in TEI) is not shown either
        # fields: only in element-only content, and never below mixed content (a <choice> in a
        # word) nor between alternatives
        fields = fields and not (e.text or "").strip() and not any((c.tail or "").strip() for c in e)
        sep = fields and len(e) > 1 and name not in ("choice", "subst", "app")
        for c in e:
            walk(c, fields=fields)
            if sep:
                parts.append(" ")
            if c.tail:
                parts.append(c.tail)
        if block:
            parts.append(" ")
    walk(el, top=True)
    return norm_space("".join(parts))


