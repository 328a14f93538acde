"""A long document typeset in parts (issue #18 item 4): its Typst fragment cut at block
boundaries into pieces of about a given size, each a fragment Typst can compile on its own.

Typst holds the layout of every page of a compile (about 1–2 MB a page), so a document of
thousands of pages cannot be typeset in one go on an ordinary machine. The stylesheet writes a
document as `#ed-document(…)[ blocks ]`; the blocks inside the brackets (paragraphs,
headings, page breaks, the source after the text) are cut between two of them. A piece after
the first opens with `#ed-continued(…)` (xslt/pdf/edition.typ): the same document, without
its heading, its footnote numbers going on from the pieces before and, in a PDF of its own,
its page numbers too. A paragraph longer than a piece (a 4 MB <p>) is cut too, after a
sentence (else after a word) of its text, and goes on as `#ed-p-cont[…]`, a paragraph
without indent: the one place where the reader sees the cut, as a paragraph break.

The cut points are found with a scanner of the markup the stylesheets write: string literals
(`#"…";`, where all text is), comments (/*@L12*/ markers), escapes and brackets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# what the scanner steps over or counts: a string literal, a comment, an escape, a bracket
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|/\*.*?\*/|\\.|[\[\]()]', re.S)
_OPENING = "#ed-document("
# the calls of edition.typ that make a numbered footnote (ed-footnote)
_NOTE_CALL = re.compile(r"#ed-(?:note|choice|app|app-note)[(\[]")
_LITERAL = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
# where a long paragraph's text may be cut: after a sentence's end (a letter and a full stop,
# "S95." is no end; 。 and । need no space after them), else after a space. Neither is ever
# inside an escape of a string literal.
_SENTENCE = re.compile(r"(?:[^\W\d_][.!?…]|[。！？।])[\"”’»)]*(?:\s|(?<=[。！？।]))")


@dataclass
class Split:
    """A document's fragment taken apart: the opening call, the blocks' text, the rest."""
    head: str        # up to and with "#ed-document(…)" (the source-line marker before it too)
    body: str        # inside the call's content brackets
    tail: str        # after the closing bracket

    def piece(self, chunk: str, first: bool, notes: int = 0, page: int | None = None) -> str:
        """A fragment of `chunk` (some of the body's blocks): the document's opening for the
        first piece, else its continuation with `notes` footnotes before it and, if given, the
        page number it starts on."""
        head = self.head
        if not first:
            extra = f"notes: {notes}, " + (f"first-page: {page}, " if page is not None else "")
            head = head.replace(_OPENING, f"#ed-continued({extra}", 1)
        return f"{head}[{chunk}]{self.tail}"


def parse(typst: str) -> Split | None:
    """The fragment's parts, or None when it is not one ed-document call (it is then never cut)."""
    start = typst.find(_OPENING)
    if start < 0 or typst[:start].strip(" \n/*@L0123456789"):
        return None
    depth, open_at = 0, None
    for m in _TOKEN.finditer(typst, start):
        tok = m.group()
        if tok in "([":
            depth += 1
            if depth == 1 and tok == "[" and open_at is None:
                open_at = m.end()
        elif tok in ")]":
            depth -= 1
            if depth == 0 and open_at is not None:
                return Split(typst[:open_at - 1], typst[open_at:m.start()], typst[m.end():])
    return None


def notes_in(text: str) -> int:
    """How many numbered footnotes the markup makes (their calls outside string literals)."""
    return len(_NOTE_CALL.findall(_LITERAL.sub('""', text)))


def chunks(body: str, budget: int) -> tuple[list[str], bool]:
    """The body in chunks of about `budget` characters, cut between blocks (where a bracket
    of the top level closes); whether a paragraph longer than the room left had to be cut."""
    budget = max(budget, 1)
    out, size, cut_para = [""], 0, False
    for unit in _blocks(body):
        room = budget - size
        parts = [unit]
        if len(unit) > room:   # a long paragraph fills the chunk's room, unless little is left
            parts = _cut_paragraph(unit, budget, room if room > budget // 4 else budget)
            cut_para = cut_para or len(parts) > 1
        for k, part in enumerate(parts):
            if k > 0 or (size and size + len(part) > budget * 1.1):  # (a little over: no tiny last chunk)
                out.append("")
                size = 0
            out[-1] += part
            size += len(part)
    return [c for c in out if c.strip()] or [body], cut_para


def _blocks(body: str):
    """The body's top-level blocks, each with the white space and markers before it (a call
    ends where its last bracket closes: `#ed-head(level: 3)[…]` is one block)."""
    depth, start = 0, 0
    for m in _TOKEN.finditer(body):
        tok = m.group()
        if tok in "([":
            depth += 1
        elif tok in ")]":
            depth -= 1
            if depth == 0 and body[m.end():m.end() + 1] not in ("[", "("):
                yield body[start:m.end()]
                start = m.end()
    if start < len(body):
        yield body[start:]


_PARAGRAPH = re.compile(r"#ed-p(?:-cont)?\[")


def _cut_paragraph(unit: str, budget: int, first: int) -> list[str]:
    """A block `… #ed-p[…]` as several paragraphs, the first of about `first` characters, the
    others of `budget`: cut inside the string literals at the top of its content, after a
    sentence (else after a space); each sequel a `#ed-p-cont[…]`. Any other block comes back
    whole."""
    m = _PARAGRAPH.search(unit)
    if not m or not unit.endswith("]") or unit[:m.start()].strip(" \n/*@L0123456789"):
        return [unit]
    cuts: list[int] = []     # positions inside literals, just after a space
    last, span, depth = 0, first, 0
    for t in _TOKEN.finditer(unit, m.end(), len(unit) - 1):
        tok = t.group()
        if tok in "([":
            depth += 1
        elif tok in ")]":
            depth -= 1
        elif depth == 0 and tok.startswith('"'):
            lit_end = t.end() - 1
            while lit_end - last > span:
                limit = last + span
                lo = max(t.start() + 1, last)
                if limit <= lo:
                    break
                ends = [s.end() for s in _SENTENCE.finditer(unit, max(lo, limit - span // 2), limit)]
                cut = ends[-1] if ends else unit.rfind(" ", lo, limit) + 1
                if cut <= lo:
                    break
                cuts.append(cut)
                last, span = cut, budget
    if not cuts:
        return [unit]
    bounds = [0, *cuts, len(unit)]
    out = []
    for i in range(len(bounds) - 1):
        text = unit[bounds[i]:bounds[i + 1]]
        out.append(("" if i == 0 else '#ed-p-cont[#"') + text + ("" if i == len(bounds) - 2 else '";]'))
    return out


def plan(typst: str, pages: float, pages_each: int) -> tuple[Split, list[tuple[str, int]], bool] | None:
    """A fragment of about `pages` pages cut into chunks of about `pages_each`, each with the
    footnotes before it; whether a paragraph was cut. None when it is not cut (one chunk)."""
    split = parse(typst)
    if split is None:
        return None
    count = -(-int(pages) // max(pages_each, 1))   # pieces of even size, none above pages_each
    parts, cut_para = chunks(split.body, -(-len(split.body) // max(count, 1)))
    if len(parts) < 2:
        return None
    out, notes = [], 0
    for chunk in parts:
        out.append((chunk, notes))
        notes += notes_in(chunk)
    return split, out, cut_para


def regroup(pieces: list[tuple[str, int]], count: int) -> list[tuple[str, int]]:
    """`pieces` as exactly `count` (consecutive ones joined, empty ones added), so that a
    document cut again (its plain-text stand-in) keeps its places in the volume's parts."""
    if len(pieces) <= count:
        notes = pieces[-1][1] + notes_in(pieces[-1][0]) if pieces else 0
        return pieces + [("", notes)] * (count - len(pieces))
    out = []
    for k in range(count):
        lo, hi = k * len(pieces) // count, (k + 1) * len(pieces) // count
        out.append(("".join(c for c, _ in pieces[lo:hi]), pieces[lo][1]))
    return out
