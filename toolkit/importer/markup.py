"""Inline markup of one block: names, dates and the translator's remarks → a list of nodes the
writer turns into TEI. Everything found or left unresolved is recorded in the report."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import remarks as rmk
from .dates import find_dates
from .entities import Gazetteer, NameMatch, Token, candidates, find_names, tokenize
from .reader import Block
from .report import ImportReport


@dataclass
class Choice:
    orig: str
    reg: str


@dataclass
class Supplied:
    text: str


@dataclass
class Name:
    kind: str                 # person | place | org
    ref: str                  # entity id
    parts: list               # str | Choice | Supplied


@dataclass
class Date:
    text: str
    when: str | None = None
    from_: str | None = None
    to: str | None = None


@dataclass
class Note:
    type: str                 # editorial
    content: list = field(default_factory=list)


ALL_KINDS = frozenset({"person", "place", "org"})
_INITIAL = re.compile(r"[A-Z]\.")


def _only_initials(text: str) -> bool:
    """Nothing but initials ("V. M."), white space allowed around each. One regex with a space
    on both sides of each initial backtracked exponentially when the test failed."""
    words = [w for w in re.split(r"(?<=\.)|\s+", text) if w]
    return (bool(words) or not text) and all(_INITIAL.fullmatch(w) for w in words)


class Marker:
    def __init__(self, gaz: Gazetteer, doc_date: dt.date | None, report: ImportReport):
        self.gaz = gaz
        self.doc_date = doc_date
        self.report = report

    def mark(self, block: Block, kinds=ALL_KINDS, dates: bool = True, notes: bool = True,
             section: str = "text", report_unknown: bool | str = True) -> list:
        text = block.text
        found, unpaired = rmk.find(text)
        for pos in unpaired:
            self.report.warn(block.diag(pos, f"bracket “{text[pos]}” has no partner: not a remark, "
                                             f"left as text", "import.remark.unpaired"))
        alts = {k: r for k, r in enumerate(found) if r.kind == "alternative"}
        others = [r for r in found if r.kind != "alternative"]

        # tokens outside remarks; the words of an alternative bracket carry its id
        stream: list[Token] = []
        pos = 0
        for k, r in sorted(enumerate(found), key=lambda x: x[1].start):
            stream += tokenize(text[pos:r.start], pos)
            if r.kind == "alternative":
                stream += [Token(t.start, t.end, t.text, t.key, k)
                           for t in tokenize(r.content, r.start + 1)]
            pos = r.end
        stream += tokenize(text[pos:], pos)

        spans: list[tuple[int, int, object]] = []
        used_alts: set[int] = set()
        if kinds:
            for m in find_names(self.gaz, stream):
                if m.ambiguous:
                    ids = ", ".join(sorted(r.id for r in m.refs))
                    self.report.warn(block.diag(m.start, f"“{text[m.start:m.end]}” is a name of several "
                                                         f"entries ({ids}): not tagged",
                                                "import.name.ambiguous"))
                    continue
                if m.ref.kind not in kinds:
                    continue
                end = max([m.end] + [alts[k].end for k in m.consumed] +
                          ([alts[m.trailing].end] if m.trailing is not None else []))
                name = self._name(block, m, alts, end)
                used_alts.update(m.skipped + m.consumed + ([m.trailing] if m.trailing is not None else []))
                spans.append((m.start, end, name))
                self.report.tag(m.ref.kind, m.ref.id, text[m.start:end], block.position(m.start)[0], section)
        if kinds:
            spans += self._named_by_alternative(block, stream, alts, used_alts, spans, kinds, section)
        for k, r in alts.items():
            if k not in used_alts:
                others.append(r)
                self.report.warn(block.diag(r.start, f"“[{r.content}]” looks like an alternative name, but "
                                                     f"the name before it is not in the authority files: "
                                                     f"left as text", "import.remark.alternative"))
        for r in others:
            line = block.position(r.start)[0]
            if r.kind == "editorial" and notes:
                inner = block.slice(r.start + 1, r.end - 1)
                content = self.mark(inner, kinds, dates, False, section, report_unknown) if inner.text else []
                spans.append((r.start, r.end, Note("editorial", content)))
                self.report.remark("editorial", r.content, line)
            else:
                spans.append((r.start, r.end, text[r.start:r.end]))
                if r.kind in ("handwritten", "seal", "signed"):
                    self.report.warn(block.diag(r.start, f"{r.kind} remark “[{r.content.strip()}]” where "
                                                          f"the schema has no place for it: left as text",
                                                "import.remark.misplaced"))
                elif r.kind == "editorial":
                    self.report.warn(block.diag(r.start, f"remark “[{r.content.strip()}]” cannot be a note "
                                                          f"here: left as text", "import.remark.misplaced"))

        covered = bytearray(len(text) + 1)
        for a, b, _ in spans:
            covered[a:b] = b"\x01" * (b - a)
        if dates:
            masked = "".join("\x00" if covered[i] else c for i, c in enumerate(text))
            found_dates, problems = find_dates(masked, self.doc_date)
            for d in found_dates:
                node = Date(text[d.start:d.end], d.when, d.from_, d.to)
                spans.append((d.start, d.end, node))
                covered[d.start:d.end] = b"\x01" * (d.end - d.start)
                self.report.tag("date", d.when or f"{d.from_}/{d.to}", node.text,
                                block.position(d.start)[0], section)
            for p in problems:
                self.report.warn(block.diag(p.start, f"date “{p.text}”: {p.message}; not tagged",
                                            "import.date.ambiguous"))
        if kinds and report_unknown:
            for c in candidates(self.gaz, stream, lambda i: bool(covered[i]),
                                titled_only=report_unknown == "titled"):
                self.report.candidate(text[c.start:c.end], c.kind, block.position(c.start)[0])

        nodes: list = []
        pos = 0
        for a, b, node in sorted(spans, key=lambda s: s[0]):
            if a < pos:
                continue
            if a > pos:
                nodes.append(text[pos:a])
            nodes.append(node)
            pos = b
        if pos < len(text):
            nodes.append(text[pos:])
        return nodes

    def _named_by_alternative(self, block, stream, alts, used_alts, spans, kinds, section) -> list:
        """"Khotan [Hetian]" where only the bracketed form is known: the capitalised word before
        the bracket is that entity's name in another spelling (tagged, and reported so the
        spelling can be added as a variant)."""
        out = []
        text = block.text
        first_token = {}                      # alternative bracket → index of its first token
        for i, t in enumerate(stream):
            if t.bracket is not None:
                first_token.setdefault(t.bracket, i)
        taken = bytearray(len(text) + 1)      # characters already inside a name
        for a, b, _ in spans:
            taken[a:b] = b"\x01" * (b - a)
        for k, r in alts.items():
            if k in used_alts:
                continue
            refs = {x for x in self.gaz.lookup(r.content.strip()) if x.kind in kinds}
            first = first_token.get(k)
            if len(refs) != 1 or first is None:
                continue
            run = []
            i = first - 1
            while i >= 0 and not run and stream[i].bracket is None and stream[i].is_word \
                    and stream[i].capitalised and not taken[stream[i].start]:
                run.insert(0, stream[i])
                i -= 1
            if not run or text[run[-1].end:r.start].strip():
                continue
            ref = next(iter(refs))
            orig = text[run[0].start:run[-1].end]
            out.append((run[0].start, r.end, Name(ref.kind, ref.id, [Choice(orig, r.content.strip())])))
            taken[run[0].start:r.end] = b"\x01" * (r.end - run[0].start)
            used_alts.add(k)
            line = block.position(r.start)[0]
            self.report.tag(ref.kind, ref.id, text[run[0].start:r.end], line, section)
            self.report.remark("alternative", f"{orig} [{r.content.strip()}]", line)
            self.report.warn(block.diag(run[0].start, f"“{orig}” tagged as “{ref.preferred}” ({ref.id}) "
                                                      f"through the bracketed “{r.content.strip()}”; add "
                                                      f"“{orig}” to the authority file if it is a variant",
                                        "import.name.variant"))
        return out

    def _name(self, block: Block, m: NameMatch, alts: dict[int, rmk.Remark], end: int) -> Name:
        text = block.text
        involved = sorted(set(m.skipped + m.consumed + ([m.trailing] if m.trailing is not None else [])),
                          key=lambda k: alts[k].start)
        parts: list = []
        cur = m.start
        for k in involved:
            r = alts[k]
            line = block.position(r.start)[0]
            if k in m.consumed:
                if text[cur:r.start]:
                    parts.append(text[cur:r.start])
                parts.append(Supplied(r.content.strip()))
                self.report.remark("supplied", f"{text[m.start:r.end]}", line)
            else:
                orig = text[cur:r.start].strip()
                reg = r.content.strip()
                parts.append(Choice(orig, reg))
                self.report.remark("alternative", f"{orig} [{reg}]", line)
                whole = text[m.start:cur] + reg + text[r.end:end]
                if m.ref not in self.gaz.lookup(whole) and m.ref not in self.gaz.lookup(reg):
                    self.report.warn(block.diag(r.start, f"alternative “{reg}” is not a variant of "
                                                         f"“{m.ref.preferred}” ({m.ref.id}) in the authority "
                                                         f"file; add it if it is one", "import.name.variant"))
            cur = r.end
        if cur < end and text[cur:end]:
            parts.append(text[cur:end])
        return Name(m.ref.kind, m.ref.id, parts)

    def signatory(self, block: Block, section: str = "text") -> Name | None:
        """The whole signatory as one person ("I. Stalin"), or None. A known surname with other
        initials ("V. Molotov" for "V. M. Molotov") is accepted with a warning."""
        refs = {r for r in self.gaz.lookup(block.text) if r.kind == "person"}
        if len(refs) != 1:
            stream = tokenize(block.text)
            found = [m for m in find_names(self.gaz, stream)
                     if not m.ambiguous and m.ref.kind == "person"]
            rest = block.text[:found[0].start] + block.text[found[0].end:] if len(found) == 1 else "x"
            if len(found) != 1 or not _only_initials(rest):
                return None
            refs = found[0].refs
            self.report.warn(block.diag(0, f"signatory “{block.text}” taken to be "
                                           f"“{found[0].ref.preferred}” ({found[0].ref.id}) by the "
                                           f"surname; check", "import.closer.signatory-guess"))
        ref = next(iter(refs))
        self.report.tag("person", ref.id, block.text, block.line, section)
        return Name("person", ref.id, [block.text])
