"""The text a tagged PDF encodes, read in its logical structure (bench/coverage.py
--pdf-text structure).

pdftotext rebuilds words from where the glyphs stand: it starts a new word where two glyphs are
further apart than a share of the font size, which splits Devanagari words at a vowel sign the
font moves back ("सुकृ त") and Latin ones at a kerned combining mark ("ayu ktam"), and it joins
a word ending a line with a hyphen to the next line's first word. A tagged PDF also says what
its text is without looking at positions: every glyph's Unicode text (the font's ToUnicode map,
or an /ActualText span that replaces a run of glyphs), grouped in marked-content sequences
(MCIDs) that the structure tree orders into paragraphs, headings, notes, table cells. Typst
draws every space it sets as a glyph (line-end spaces too) and marks the hyphen it adds at a line
end as U+00AD, so this reading has exactly the words Typst set: no space is guessed, none lost.

What is read: the structure tree from its root; an element of a block role (P, H1, TD, …) is a
line of its own; a Note (a footnote) follows the block it stands in; content marked as
/Artifact (running heads, page numbers) is in no element and is left out. Runs marked
/ReversedChars (Typst's right-to-left text, drawn in visual order) are put back in logical
order. Only fonts with a ToUnicode map are read (Typst writes one for every font).

A PDF without a structure tree gives no text here (coverage.py then reports it as empty).
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject

BLOCK = frozenset(
    "/Document /DocumentFragment /Part /Art /Sect /Div /BlockQuote /Caption /TOC /TOCI /Index "
    "/NonStruct /P /H /H1 /H2 /H3 /H4 /H5 /H6 /L /LI /LBody /Table /THead /TBody /TFoot /TR /TH "
    "/TD /Figure /Formula /Aside /Title /Bibliography /BibEntry".split())
NOTES = frozenset({"/Note", "/FENote"})

_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_BLOCKS = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)


def _utf16(hexbytes: bytes) -> str:
    raw = bytes.fromhex(re.sub(rb"\s", b"", hexbytes).decode("ascii"))
    return raw.decode("utf-16-be", errors="replace")


def to_unicode(font: DictionaryObject) -> dict[int, str]:
    """A font's ToUnicode map: character code → text."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data()
    out: dict[int, str] = {}
    for kind, body in _BLOCKS.findall(data):
        if kind == b"bfchar":
            items = _HEX.findall(body)
            for src, dst in zip(items[::2], items[1::2]):
                out[int(src, 16)] = _utf16(dst)
            continue
        # bfrange: <lo> <hi> <dst> (consecutive code points) or <lo> <hi> [<d1> <d2> …]
        for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", body):
            lo, hi, dst = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
            if dst.startswith(b"["):
                for code, d in zip(range(lo, hi + 1), _HEX.findall(dst)):
                    out[code] = _utf16(d)
            else:
                first = _utf16(dst[1:-1])
                for i, code in enumerate(range(lo, hi + 1)):
                    out[code] = first[:-1] + chr(ord(first[-1]) + i) if first else ""
    return out


class _Font:
    def __init__(self, font: DictionaryObject):
        self.width = 2 if font.get("/Subtype") == "/Type0" else 1
        self.map = to_unicode(font)

    def decode(self, data: bytes) -> list[str]:
        w = self.width
        return [self.map.get(int.from_bytes(data[i:i + w], "big"), "") for i in range(0, len(data) - w + 1, w)]


def _bytes(s) -> bytes:
    return s.original_bytes if hasattr(s, "original_bytes") else bytes(s)


def marked_text(page, reader: PdfReader, cache: dict) -> dict[int, str]:
    """The text of each marked-content sequence (MCID) of a page, in the order drawn."""
    resources = page.get("/Resources") or {}
    fonts = resources.get("/Font") or {}
    props = resources.get("/Properties") or {}
    out: dict[int, list[str]] = defaultdict(list)
    stack: list[dict] = []
    font = None
    contents = page.get_contents()
    if contents is None:
        return {}
    for operands, op in ContentStream(contents, reader).operations:
        if op == b"Tf":
            ref = fonts.get(operands[0])
            if ref is None:
                font = None
                continue
            key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
            if key not in cache:
                cache[key] = _Font(ref.get_object())
            font = cache[key]
        elif op in (b"Tj", b"'", b'"', b"TJ"):
            if font is None or not stack:
                continue
            items = operands[0] if op == b"TJ" else [operands[-1]]
            for item in items if isinstance(items, (list, ArrayObject)) else [items]:
                if not isinstance(item, (int, float)) and hasattr(item, "__len__"):
                    stack[-1]["parts"].extend(font.decode(_bytes(item)))
        elif op in (b"BDC", b"BMC"):
            p = operands[1] if op == b"BDC" and len(operands) > 1 else None
            if isinstance(p, NameObject):
                p = props.get(p)
            p = p.get_object() if p is not None else {}
            p = p if isinstance(p, dict) else {}
            stack.append({"tag": operands[0], "mcid": p.get("/MCID"), "actual": p.get("/ActualText"),
                          "parts": []})
        elif op == b"EMC" and stack:
            f = stack.pop()
            if f["actual"] is not None:
                text = str(f["actual"])
            elif f["tag"] == "/ReversedChars":
                text = "".join(reversed(f["parts"]))
            else:
                text = "".join(f["parts"])
            if f["mcid"] is not None:
                out[int(f["mcid"])].append(text)
            elif stack:
                stack[-1]["parts"].append(text)
    return {k: "".join(v) for k, v in out.items()}


def structure_text(path: Path) -> str:
    """The text of a tagged PDF in its logical order (see the module's docstring)."""
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        return ""
    root = root.get_object()
    roles = root.get("/RoleMap") or {}
    pages = {p.indirect_reference.idnum: p for p in reader.pages}
    cache: dict = {}
    marked: dict[int, dict[int, str]] = {}

    def mcid_text(pg, mcid) -> str:
        if pg is None:
            return ""
        key = pg.idnum if isinstance(pg, IndirectObject) else None
        if key not in marked:
            page = pages.get(key)
            marked[key] = marked_text(page, reader, cache) if page is not None else {}
        return marked[key].get(int(mcid), "")

    def role(s):
        seen = 0
        while s in roles and seen < 10:  # a role map may chain; never loop
            s, seen = roles[s], seen + 1
        return s

    def inline(node, pg, notes: list[str]) -> str:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, int):
            return mcid_text(pg, node)
        if isinstance(node, (list, ArrayObject)):
            return "".join(inline(k, pg, notes) for k in node)
        if not isinstance(node, dict):
            return ""
        pg = node.get("/Pg", pg)
        if node.get("/Type") == "/MCR":
            return mcid_text(pg, node.get("/MCID", -1))
        if node.get("/Type") == "/OBJR":
            return ""
        kids = node.get("/K")
        s = role(node.get("/S"))
        if s in NOTES:
            notes.append(block(kids, pg))
            return ""
        if s in BLOCK:
            return "\n" + block(kids, pg) + "\n"
        return inline(kids, pg, notes) if kids is not None else ""

    def block(kids, pg) -> str:
        notes: list[str] = []
        text = inline(kids, pg, notes) if kids is not None else ""
        return "\n".join([text] + notes)

    return re.sub(r"\n{2,}", "\n", block(root.get("/K"), None)).strip() + "\n"
