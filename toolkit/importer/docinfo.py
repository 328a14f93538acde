"""The "Document Information" block: archival citation, who obtained and translated the text,
rights statement, record fields."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .reader import Block

# "RGASPI f. 17, op. 162, d. 20, l. 62-63": repository, fonds, inventory (opis), file (delo),
# optionally a folder (papka, kept only in the citation) and leaves.
CITATION = re.compile(
    r"^(?P<repo>[A-Z][A-Za-z .-]*?[A-Za-z])\s*,?\s+"
    r"f(?:ond)?\.\s*(?P<fonds>[\w-]+)\s*,\s*"
    r"op\.\s*(?P<inventory>[\w-]+)\s*,\s*"
    r"(?:(?:p|papka|por)\.\s*[\w-]+\s*,\s*)?"
    r"d\.\s*(?P<file>[\w-]+)"
    r"(?:\s*,\s*(?P<leaves>ll?\.\s*[0-9][0-9a-z ]*(?:\s*[-–]\s*[0-9][0-9a-z ]*)?))?")
_PEOPLE = re.compile(
    r"(?:(?P<both>Obtained and translated by)\s+(?P<b>[^.]+(?:\.[A-Z][^.]*)*?)"
    r"|Obtained by\s+(?P<o>.+?)(?:,?\s+and\s+translated\s+by\s+(?P<t>.+?))?"
    r"|Translated by\s+(?P<t2>.+?))\s*\.?\s*$")
_RIGHTS = re.compile(r"\b(rights?|copyright|permission|reuse)\b", re.I)
FIELD_NAMES = {"original uploaded date", "record id", "original classification", "original language",
               "language", "original archive", "contributed by", "record type", "source",
               "document type", "classification", "uploaded date"}


@dataclass
class Citation:
    text: str                 # as given, without the final period
    repository: str
    fonds: str
    inventory: str
    file: str
    leaves: str | None        # "l. 62-63"
    leaf_from: str | None
    leaf_to: str | None


@dataclass
class Person:
    name: str
    block: Block
    start: int                # position of the name in the block


@dataclass
class DocInfo:
    statement: Block | None = None        # the block with citation and people, as given
    citation: Citation | None = None
    obtained: Person | None = None
    translated: Person | None = None
    rights: list[Block] = field(default_factory=list)
    fields: list[tuple[str, str | None, Block]] = field(default_factory=list)
    other: list[Block] = field(default_factory=list)


def parse_citation(text: str) -> Citation | None:
    m = CITATION.match(text.strip())
    if not m:
        return None
    leaves = m.group("leaves")
    lf = lt = None
    if leaves:
        leaves = leaves.strip()
        nums = re.findall(r"\d+", leaves)
        if nums:
            lf, lt = nums[0], nums[-1]
    cited = text.strip()[:m.end()].rstrip(" .")
    return Citation(cited, m.group("repo").strip(), m.group("fonds"), m.group("inventory"),
                    m.group("file"), leaves, lf, lt)


def parse(blocks: list[Block]) -> DocInfo:
    info = DocInfo()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        key = " ".join(b.text.lower().split()).rstrip(":")
        if key in FIELD_NAMES:
            value = None
            if i + 1 < len(blocks):
                nxt = blocks[i + 1]
                nkey = " ".join(nxt.text.lower().split()).rstrip(":")
                if nkey not in FIELD_NAMES and not _RIGHTS.search(nxt.text) and len(nxt.text) < 200:
                    value = nxt.text
                    i += 1
            info.fields.append((b.text.rstrip(":"), value, b))
            i += 1
            continue
        cit = parse_citation(b.text)
        people = _people(b)
        if cit or people:
            info.statement = info.statement or b
            info.citation = info.citation or cit
            for role, person in people:
                setattr(info, role, getattr(info, role) or person)
        elif _RIGHTS.search(b.text):
            info.rights.append(b)
        else:
            info.other.append(b)
        i += 1
    return info


def _people(b: Block) -> list[tuple[str, Person]]:
    out = []
    for sentence in re.finditer(r"(?:Obtained|Translated)\b[^\n]*", b.text):
        m = _PEOPLE.match(sentence.group())
        if not m:
            continue
        base = sentence.start()
        if m.group("both"):
            p = Person(m.group("b").strip(), b, base + m.start("b"))
            out += [("obtained", p), ("translated", p)]
            continue
        if m.group("o"):
            out.append(("obtained", Person(m.group("o").strip(), b, base + m.start("o"))))
        if m.group("t"):
            out.append(("translated", Person(m.group("t").strip(), b, base + m.start("t"))))
        if m.group("t2"):
            out.append(("translated", Person(m.group("t2").strip(), b, base + m.start("t2"))))
        break
    return out
