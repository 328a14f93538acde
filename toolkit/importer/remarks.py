"""The translator's bracketed remarks: find them in a block and say what each one is.

Kinds (docs/encoding.md):
  handwritten  "[handwritten at the top of the page: …; handwritten before the previous entry: …]"
  seal         "[CC seal]"
  signed       "[signed]"
  alternative  "Hotan [Hetian]", "Hotan [District]" (a capitalised word right after a word;
               whether it is an alternative name or a supplied word is decided by name matching)
  editorial    anything else ("[illegible]", "[sic]", "[text missing]")
Brackets that do not pair up are not remarks: they stay text and are reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# The translator's wording of where a handwritten note is → note/@place. Phrasings the schema
# has no value for (margin, bottom, …) are not guessed.
HAND_PLACES = [
    (re.compile(r"^(?:at|on)?\s*(?:the\s+)?top(?:\s+of\s+(?:the\s+)?page)?$", re.I), "top"),
    (re.compile(r"^before\s+the\s+previous\s+entry$", re.I), "before-entry"),
]
_HAND = re.compile(r"(?:^|;\s*)handwritten\b(?P<where>[^:;\]]*):\s*", re.I)
_ALT = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}$")
_SEAL = re.compile(r"\bseal\b", re.I)
_SIGNED = re.compile(r"^\s*(?:signed|signature)\s*$", re.I)
# "word [" or "word[": a word character right before the bracket, with at most one space between
_WORD_BEFORE = re.compile(r"\w\s?$")


@dataclass
class HandPart:
    phrase: str              # the translator's wording, e.g. "at the top of the page"
    place: str | None        # top | before-entry | None (no schema value)
    start: int               # span of the note's text in the block
    end: int


@dataclass
class Remark:
    start: int               # span in the block text, brackets included
    end: int
    content: str
    kind: str
    parts: list[HandPart] = field(default_factory=list)

    @property
    def inner_start(self) -> int:
        return self.start + 1


def find(text: str) -> tuple[list[Remark], list[int]]:
    """Remarks in `text`, and the positions of brackets that do not pair up."""
    remarks: list[Remark] = []
    unpaired: list[int] = []
    open_at = None
    for i, c in enumerate(text):
        if c == "[":
            if open_at is not None:
                unpaired.append(open_at)   # "[ … [ … ]": the first one never closes
            open_at = i
        elif c == "]":
            if open_at is None:
                unpaired.append(i)
            else:
                remarks.append(_classify(text, open_at, i + 1))
                open_at = None
    if open_at is not None:
        unpaired.append(open_at)
    return remarks, unpaired


def _classify(text: str, start: int, end: int) -> Remark:
    content = text[start + 1:end - 1]
    stripped = content.strip()
    if _HAND.match(stripped):
        r = Remark(start, end, content, "handwritten")
        heads = list(_HAND.finditer(content))
        for k, h in enumerate(heads):
            body_end = heads[k + 1].start() if k + 1 < len(heads) else len(content)
            body = content[h.end():body_end]
            lead = len(body) - len(body.lstrip())
            body_s = body.strip().rstrip(";").rstrip()
            where = " ".join(h.group("where").split())
            place = next((v for rx, v in HAND_PLACES if rx.match(where)), None)
            a = start + 1 + h.end() + lead
            r.parts.append(HandPart(where, place, a, a + len(body_s)))
        return r
    if _SIGNED.match(stripped):
        return Remark(start, end, content, "signed")
    if _SEAL.search(stripped) and len(stripped.split()) <= 6:
        return Remark(start, end, content, "seal")
    # only the last three characters can take part in the match ($ may stand before a final
    # newline): looking at the whole text before the bracket made many remarks quadratic
    if _ALT.match(stripped) and _WORD_BEFORE.search(text, max(start - 3, 0), start):
        return Remark(start, end, content, "alternative")
    return Remark(start, end, content, "editorial")


def whole_block(text: str, remarks: list[Remark]) -> Remark | None:
    """The remark that makes up the whole block, if any."""
    if len(remarks) == 1 and remarks[0].start == 0 and remarks[0].end == len(text):
        return remarks[0]
    return None
