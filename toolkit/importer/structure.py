"""Page structure: blocks of a document page → `Page` (title, date, heading, points, items,
lettered items, distribution lists, closer, summary, Document Information).

Only structure is decided here; names, dates and inline remarks are left to `markup`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from . import docinfo, remarks
from .dates import parse_document_date
from .reader import Block, _join

CHROME = {"skip to content", "skip to main content", "skip to navigation", "menu", "search",
          "back to top", "print", "share"}
_NUMBERED = re.compile(r"^(?P<n>\d{1,4})\.\s+\S")
_LETTERED = re.compile(r"^\(?(?P<n>[a-z])\)\s+\S")
# "Excerpts have been sent:" — the colon is found first, then "sent" before it: one regex with
# two open runs ([^.:]* sent [^.:]*:) backtracked quadratically over "Excerpts sent sent sent …"
_DISTRIBUTION_HEAD = re.compile(r"(?:Excerpts?|Extracts?|Copies)\b[^.:]*:", re.I)
_SENT = re.compile(r"\bsent\b", re.I)
_HEADING_WORD = re.compile(r"^[A-ZА-Я][A-ZА-Я]+\b")
_POINT_HEAD = re.compile(r"^(?:Concerning|On|About|Regarding|Question|Issue|An?|The)\b")


@dataclass
class HandNote:
    place: str
    phrase: str
    text: Block


@dataclass
class Lettered:
    items: list[tuple[str, Block]] = field(default_factory=list)


@dataclass
class Item:
    n: str
    content: list = field(default_factory=list)     # Block (a paragraph) | Lettered


@dataclass
class Distribution:
    head: Block
    paras: list[Block] = field(default_factory=list)


@dataclass
class Point:
    n: str
    head: Block
    notes: list[HandNote] = field(default_factory=list)
    verbatim: list[HandNote] = field(default_factory=list)   # place unknown: kept as text
    items: list[Item] = field(default_factory=list)
    distribution: Distribution | None = None
    stray: list[Block] = field(default_factory=list)  # text between head and first item


@dataclass
class Closer:
    seal: Block | None = None           # the remark's content ("CC seal")
    role: Block | None = None           # "CC SECRETARY"
    signatory: Block | None = None      # "I. Stalin"
    signed_phrase: str = ""
    other: list[Block] = field(default_factory=list)


@dataclass
class Page:
    date: tuple[str, Block] | None = None         # (ISO, block with the source's wording)
    title: Block | None = None
    heading: list[Block] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    closer: Closer | None = None
    summary: list[Block] = field(default_factory=list)
    info: docinfo.DocInfo = field(default_factory=docinfo.DocInfo)
    chrome: list[Block] = field(default_factory=list)
    unplaced: list[Block] = field(default_factory=list)
    leftover_notes: list[HandNote] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def _split_leading_remarks(blocks: list[Block]) -> list[Block]:
    """A handwritten remark at the start or end of a paragraph is a block of its own
    ("[handwritten at the top of the page: …] 541. Concerning …")."""
    out = []
    for b in blocks:
        rs, _ = remarks.find(b.text)
        hand = [r for r in rs if r.kind == "handwritten"]
        if not hand or remarks.whole_block(b.text, rs):
            out.append(b)
            continue
        cuts = sorted({0, len(b.text)} | {x for r in hand if r.start == 0 or r.end == len(b.text)
                                          or _digit_follows(b.text, r.end)
                                          for x in (r.start, r.end)})
        for a, z in zip(cuts, cuts[1:]):
            if b.text[a:z].strip():
                out.append(b.slice(a, z))
    return out


def _digit_follows(text: str, pos: int) -> bool:
    """Whether the first non-blank character from pos on is a digit (looking no further: a copy
    of the rest of the block per remark was quadratic)."""
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos < n and text[pos].isdigit()


def _distribution(text: str) -> int | None:
    """End of an "Excerpts have been sent:" head at the start of `text`, or None."""
    m = _DISTRIBUTION_HEAD.match(text)
    if m and _SENT.search(text, 0, m.end()):
        return m.end()
    return None


def _is_heading(b: Block) -> bool:
    return bool(_HEADING_WORD.match(b.text)) and not _NUMBERED.match(b.text)


def _closer_kinds(b: Block) -> set[str]:
    rs, _ = remarks.find(b.text)
    return {r.kind for r in rs if r.kind in ("seal", "signed")}


def _caps_line(b: Block) -> bool:
    letters = [c for c in b.text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(b.text) < 80


def parse(blocks: list[Block]) -> Page:
    page = Page()
    blocks = _split_leading_remarks(blocks)
    # Document Information: everything from its heading on
    info_at = next((i for i, b in enumerate(blocks)
                    if " ".join(b.text.lower().split()) == "document information"), None)
    if info_at is not None:
        page.info = docinfo.parse(blocks[info_at + 1:])
        blocks = blocks[:info_at]
    else:
        page.warnings.append(blocks[-1].diag(0, "no “Document Information” block found: the header "
                                               "has no citation, translator or rights statement "
                                               "from the source", "import.structure.no-docinfo"))

    i = 0
    # -- top of the page: chrome, date, title, heading lines
    while i < len(blocks):
        b = blocks[i]
        low = " ".join(b.text.lower().split())
        rs, _ = remarks.find(b.text)
        if low in CHROME:
            page.chrome.append(b)
        elif page.date is None and parse_document_date(b.text):
            page.date = (parse_document_date(b.text)[0], b)
        elif _is_heading(b) and (page.title is not None or page.heading):
            page.heading.append(b)
        elif page.title is None and not page.heading and not _NUMBERED.match(b.text) \
                and not remarks.whole_block(b.text, rs):
            page.title = b
        else:
            break
        i += 1

    pending: list[HandNote] = []
    pending_verbatim: list[HandNote] = []
    point: Point | None = None
    item: Item | None = None
    distribution: Distribution | None = None
    after_closer = False
    last_paragraph: tuple[list, Block] | None = None

    def new_point(n: str, head: Block):
        nonlocal point, item, distribution, pending, pending_verbatim
        point = Point(n, head, pending, pending_verbatim)
        page.points.append(point)
        pending, pending_verbatim = [], []
        item = None
        distribution = None

    while i < len(blocks):
        b = blocks[i]
        rs, _ = remarks.find(b.text)
        whole = remarks.whole_block(b.text, rs)
        if after_closer:
            page.summary.append(b)
            i += 1
            continue
        # closer: a block with a seal or [signed], with adjacent role lines in capitals
        if _closer_kinds(b) or (_caps_line(b) and i + 1 < len(blocks) and _closer_kinds(blocks[i + 1])
                                and not _NUMBERED.match(b.text)):
            parts = [b]
            j = i + 1
            while "signed" not in _closer_kinds(parts[-1]) and j < len(blocks) \
                    and (_closer_kinds(blocks[j]) or _caps_line(blocks[j])) \
                    and not _NUMBERED.match(blocks[j].text):
                parts.append(blocks[j])
                j += 1
            page.closer = _parse_closer(_join(parts), page)
            after_closer = True
            i = j
            continue
        if whole is not None and whole.kind == "handwritten":
            for part in whole.parts:
                if part.place:
                    pending.append(HandNote(part.place, part.phrase, b.slice(part.start, part.end)))
                else:
                    page.warnings.append(b.diag(part.start, f"handwritten note “{part.phrase or '(no position)'}”"
                                         f" has a position the schema has no value for (top, before-entry): "
                                         f"kept verbatim as an editorial note", "import.remark.hand-place"))
                    pending_verbatim.append(HandNote("", part.phrase, b.slice(part.start, part.end)))
            i += 1
            continue
        m = _NUMBERED.match(b.text)
        if m:
            n = int(m.group("n"))
            last_item = int(item.n) if item else 0
            if point is None:
                new_point(str(n), b)
            elif distribution is not None or pending or pending_verbatim:
                new_point(str(n), b)
            elif n == last_item + 1 and not (n == int(point.n) + 1 and len(b.text) < 60
                                             and _POINT_HEAD.match(b.text[m.end() - 1:])):
                item = Item(str(n), [b])
                point.items.append(item)
                last_paragraph = (item.content, b)
            elif n > int(point.n):
                new_point(str(n), b)
            else:
                page.warnings.append(b.diag(0, f"numbered paragraph “{n}.” follows item {last_item} of "
                                               f"point {point.n}: taken as an item; check the numbering",
                                            "import.structure.numbering"))
                item = Item(str(n), [b])
                point.items.append(item)
            i += 1
            continue
        lm = _LETTERED.match(b.text)
        if lm and item is not None:
            if not item.content or not isinstance(item.content[-1], Lettered):
                item.content.append(Lettered())
            item.content[-1].items.append((lm.group("n"), b))
            i += 1
            continue
        dm = _distribution(b.text)
        if dm is not None and point is not None:
            head = b.slice(0, dm)
            distribution = Distribution(head)
            point.distribution = distribution
            if b.text[dm:].strip():
                distribution.paras.append(b.slice(dm, len(b.text)))
            i += 1
            continue
        # a plain paragraph
        if distribution is not None:
            distribution.paras.append(b)
            last_paragraph = (distribution.paras, b)
        elif item is not None:
            item.content.append(b)
            last_paragraph = (item.content, b)
        elif point is not None:
            point.stray.append(b)
            page.warnings.append(b.diag(0, f"paragraph between the heading of point {point.n} and its "
                                           f"first numbered item: the schema has no place for it "
                                           f"(put it in an item or the heading)", "import.structure.stray"))
        else:
            page.unplaced.append(b)
            page.warnings.append(b.diag(0, "paragraph before the first numbered point: the schema has no "
                                           "place for it; kept as a line of the minutes heading, move it",
                                        "import.structure.unplaced"))
        i += 1

    if pending or pending_verbatim:
        page.leftover_notes = pending
        for hn in pending:
            page.warnings.append(hn.text.diag(0, "handwritten note after the last point: no point follows "
                                                 "to hold it; not in the draft", "import.remark.unplaced"))
        for hn in pending_verbatim:
            page.warnings.append(hn.text.diag(0, "handwritten note after the last point: not in the draft",
                                              "import.remark.unplaced"))
    if page.closer is None and info_at is not None and not page.summary and last_paragraph:
        container, b = last_paragraph
        container.remove(b)
        page.summary.append(b)
        page.warnings.append(b.diag(0, "no closer ([signed] …) found: the last paragraph before "
                                       "“Document Information” is taken as the summary",
                                    "import.structure.summary"))
    if page.date is None:
        page.warnings.append(blocks[0].diag(0, "no date line (such as “June 14, 1937”) at the top of the "
                                               "page", "import.structure.no-date") if blocks else None)
        page.warnings = [w for w in page.warnings if w]
    if not page.points:
        at = blocks[0] if blocks else None
        if at is not None:
            page.warnings.append(at.diag(0, "no numbered points (“539. Concerning …”) found: the "
                                            "draft's body will not validate", "import.structure.no-points"))
    for p in page.points:
        if not p.items:
            page.warnings.append(p.head.diag(0, f"point {p.n} has no numbered items (“1. …”): the schema "
                                                f"requires at least one", "import.structure.no-items"))
    if not page.heading and page.points:
        page.warnings.append(page.points[0].head.diag(0, "no heading of the minutes (“MINUTES Nº …”) "
                                                         "before the first point", "import.structure.no-heading"))
    return page


def _parse_closer(b: Block, page: Page) -> Closer:
    closer = Closer()
    rs, _ = remarks.find(b.text)
    pos = 0
    for r in rs:
        between = b.text[pos:r.start].strip()
        if r.kind == "seal" and closer.seal is None:
            if between:
                closer.other.append(b.slice(pos, r.start))
            closer.seal = b.slice(r.start + 1, r.end - 1)
        elif r.kind == "signed" and closer.signatory is None:
            if between:
                closer.role = b.slice(pos, r.start)
            closer.signed_phrase = r.content.strip()
            nxt = next((x for x in rs if x.start >= r.end), None)
            stop = nxt.start if nxt else len(b.text)
            if b.text[r.end:stop].strip():
                closer.signatory = b.slice(r.end, stop)
            pos = stop
            continue
        else:
            if between:
                closer.other.append(b.slice(pos, r.start))
            closer.other.append(b.slice(r.start, r.end))
        pos = r.end
    if b.text[pos:].strip():
        if closer.signatory is None and closer.role is None:
            closer.role = b.slice(pos, len(b.text))
        else:
            closer.other.append(b.slice(pos, len(b.text)))
    if closer.signatory is None:
        page.warnings.append(b.diag(0, "closer without “[signed] Name”: the schema requires a "
                                       "signature in the closer", "import.closer.unsigned"))
    for o in closer.other:
        page.warnings.append(o.diag(0, f"“{o.text}” in the closer is not understood (the closer holds "
                                       f"seal, role words and signature only); not in the draft",
                                    "import.closer.other"))
    return closer
