"""Notes and hands: whether a note stands in the margin, and how a hand is labelled. The XSLT
twins are f:is-marginal and f:hand-label in xslt/lib/tei.xsl."""
from __future__ import annotations

import re

from .classes import CLASSES


def is_marginal(note) -> bool:
    """Whether a note stands beside the text rather than as a numbered note: by its @type
    (handwritten, marginal, gloss), any @hand, or a token of its @place (margin, top, left …:
    the classes marginal-types and marginal-places of xslt/lib/tei-classes.xml)."""
    return note.get("type") in CLASSES.marginal_types or note.get("hand") is not None \
        or any(t in CLASSES.marginal_places for t in re.split(r"[ \t\r\n]+", note.get("place") or ""))
