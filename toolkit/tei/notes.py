"""Notes and hands: whether a note stands in the margin, and how a hand is labelled. The XSLT
twins are f:is-marginal and f:hand-label in xslt/lib/tei.xsl."""
from __future__ import annotations

import re

from . import T, XML_ID
from .classes import CLASSES


def is_marginal(note) -> bool:
    """Whether a note stands beside the text rather than as a numbered note: by its @type
    (handwritten, marginal, gloss), any @hand, or a token of its @place (margin, top, left …:
    the classes marginal-types and marginal-places of xslt/lib/tei-classes.xml)."""
    return note.get("type") in CLASSES.marginal_types or note.get("hand") is not None \
        or any(t in CLASSES.marginal_places for t in re.split(r"[ \t\r\n]+", note.get("place") or ""))


def _hand_id(pointer: str | None) -> str:
    """The id a hand pointer names: its first token, after the last "#"."""
    tokens = (pointer or "").split()
    return tokens[0].rsplit("#", 1)[-1] if tokens else ""


def hand_note(pointer: str | None, root):
    """The handNote a hand pointer names ("#h2", "hands.xml#h2", "h2") in the document of `root`
    (an element of it), or None."""
    hid = _hand_id(pointer)
    if not hid:
        return None
    return next((n for n in root.getroottree().iter(T + "handNote") if n.get(XML_ID) == hid), None)


def hand_note_label(note) -> str:
    """A handNote's label: its @n; else the scribe's name (its persName, @scribe, or the id
    @scribeRef points at); else its id without a leading "hand-"; else ""."""
    name = note.find(T + "persName")
    candidates = (note.get("n"), "".join(name.itertext()) if name is not None else "",
                  note.get("scribe"), _hand_id(note.get("scribeRef")),
                  re.sub(r"^hand-", "", _xml_space(note.get(XML_ID))))
    return next((c for c in map(_xml_space, candidates) if c), "")


def _xml_space(text: str | None) -> str:
    """normalize-space(): XML white space only (a no-break space is kept, as in XSLT)."""
    return re.sub(r"[ \t\r\n]+", " ", text or "").strip(" ")


def hand_label(pointer: str | None, root) -> str | None:
    """The label of the hand a pointer names, as both outputs print it ("hand: archive"): its
    handNote's label; a pointer that names no handNote of the document by its id without a
    leading "hand-"; None for an empty pointer. The XSLT twin is f:hand-label."""
    note = hand_note(pointer, root)
    if note is not None:
        return hand_note_label(note)
    return re.sub(r"^hand-", "", _hand_id(pointer)) or None


def _letters(i: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" …"""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def hand_sigla(root) -> list[tuple[object, str]]:
    """[(handNote, siglum)] of the document of `root`, in document order: a handNote's @n when
    it has one, else the next of A, B, C … (in handDesc order) that no @n uses. One siglum per
    hand for every output: the HTML page's labels and its list of hands, the PDF."""
    # hands are described in the header (handDesc, profileDesc/handNotes): the text (the bulk
    # of a novel) is not walked
    # (the document's own TEI: a member of a teiCorpus has its own header)
    top = root if root.tag == T + "TEI" else next(root.iterancestors(T + "TEI"), None)
    if top is None:
        top = root.getroottree().getroot()
    header = top.find(T + "teiHeader")
    notes = list((header if header is not None else top).iter(T + "handNote"))
    taken = {_xml_space(n.get("n")) for n in notes} - {""}
    out, i = [], 0
    for n in notes:
        siglum = _xml_space(n.get("n"))
        if not siglum:
            while _letters(i) in taken:
                i += 1
            siglum = _letters(i)
            i += 1
        out.append((n, siglum))
    return out


def hand_siglum(pointer: str | None, root) -> str | None:
    """The siglum (hand_sigla) of the hand a pointer names in the document of `root`; None when
    it names no handNote of it."""
    note = hand_note(pointer, root)
    return next((s for n, s in hand_sigla(root) if n is note), None) if note is not None else None


def hand_name(pointer: str | None, root) -> str | None:
    """How every output names the hand a pointer names ("hand A"): its siglum (hand_sigla);
    a pointer that names no handNote of the document by its label (hand_label)."""
    return hand_siglum(pointer, root) or hand_label(pointer, root)
