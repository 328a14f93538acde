"""Passages: the stable ids of a document page's citable elements (cite_ids, as
xslt/html/text/ids.xsl makes them), the passage each mention of an entity belongs to (passage_of)
with its snippet, and each document's mentions (Mentions), which the entity pages, the facet data,
the document pages' fingerprints and the JSON output list."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from lxml import etree

from ...model import LIST_ELEMENTS, T, XML_ID, canon, local, norm_space, text_of
from ...tei.classes import CLASSES, not_rendered
from ..plan import digest

# The element classes (xslt/lib/tei-classes.xml): elements that get a stable id inside tei:text
# (as xslt/html/text/ids.xsl gives them), and the passage a mention belongs to: its nearest
# ancestor among PASSAGE (else any citable one).
CITABLE = CLASSES.citable
PASSAGE = CLASSES.passage
NAME_TAGS = tuple(T + n for n in CLASSES.ordered("name-elements"))  # as the model's mentions


# The ids the document page writes itself (xslt/html/text/ids.xsl, f:reserved-ids): a TEI xml:id
# equal to one of them, starting with a prefix the page uses ("wit-", "pop-") or with "tei-", or
# no valid HTML id (empty, with white space) gets "tei-" + it on the page.
RESERVED_PAGE_IDS = CLASSES.reserved_page_ids
_NEEDS_PREFIX = re.compile(r"^(wit|pop|tei)-")


def page_id(xml_id: str) -> str:
    """The HTML id of a TEI xml:id on the document page, exactly as f:html-id in ids.xsl."""
    # XPath's \s is space, tab, CR and LF only (not Python's Unicode white space)
    if xml_id in RESERVED_PAGE_IDS or _NEEDS_PREFIX.match(xml_id) or not re.fullmatch(r"[^ \t\n\r]+", xml_id):
        return "tei-" + re.sub(r"[ \t\n\r]", "_", xml_id)
    return xml_id


def cite_ids(root: etree._Element) -> dict:
    """element → stable id, exactly as xslt/html/text/ids.xsl computes them."""
    ids = {}
    counts: dict[str, int] = {}
    lines: dict = {}  # the verse lines' numbering (_line_id)
    # a generated id that an element's own xml:id already gives on the page gets "-n"
    taken = {page_id(x) for x in root.xpath("//@xml:id")}
    texts = [t for t in root.iter(T + "text") if not any(a.tag == T + "text" for a in t.iterancestors())]
    for t in texts:
        for el in t.iterdescendants():
            if not isinstance(el.tag, str) or not el.tag.startswith(T):
                continue
            name = el.tag[len(T):]
            if name in CITABLE:
                counts[name] = counts.get(name, 0) + 1
                xid = el.get(XML_ID)
                gen = _line_id(el, lines) if name == "l" else f"{name}-{counts[name]}"
                if xid is not None:
                    ids[el] = page_id(xid)
                else:
                    ids[el] = gen + "-n" if gen in taken else gen
    return ids


def _line_id(el, state: dict) -> str:
    """A verse line's id, "l-" + its number (ids.xsl, fp:count-line, states the rule): its @n,
    else numbered on from the last integer number; split lines' later parts keep the number;
    the second line with the same number gets "-2"."""
    n = re.sub(r"[ \t\r\n]+", " ", el.get("n") or "").strip(" ")  # XPath's normalize-space
    continued = not n and (el.get("part") or "").strip(" \t\r\n") in ("M", "F") and "#last" in state
    last = state.get("#last", 0)
    number = n or str(last if continued else last + 1)
    if re.fullmatch(r"[+-]?[0-9]+", n):
        state["#last"] = int(n)
    elif not n and not continued:
        state["#last"] = last + 1
    token = re.sub(r"[^A-Za-z0-9._-]+", "_", number)
    occ = state[token] = state.get(token, 0) + 1
    return f"l-{token}" + (f"-{occ}" if occ > 1 else "")


# In the teiHeader, the element whose text is a mention's snippet: the nearest of these (the
# page's anchor stays #title, #summary or #doc-info), never the whole header.
HEADER_PASSAGE = CLASSES.header_passage
# Inline elements whose templates do not render their xml:id as an HTML id (names, dates,
# pointers): never a mention's passage.
INLINE_NO_ID = CLASSES.no_anchor
# Parts of a TEI file the page does not render (xslt/html/text/fallback.xsl): no anchors there.
NOT_RENDERED = CLASSES.not_rendered


_REGISTER_LISTS = tuple(T + n for n in LIST_ELEMENTS)


def in_register(node: etree._Element) -> bool:
    """Whether a name stands in a register of the text's back matter (a letter's listPerson,
    listPlace … repeating the entities it names, with their dates, places, coordinates): such
    names are not mentions of the document, and their entries are not passages."""
    lists = False
    for a in node.iterancestors():
        if a.tag in _REGISTER_LISTS:
            lists = True
        elif a.tag == T + "back":
            return lists
        elif a.tag == T + "text" or a.tag == T + "teiHeader":
            return False
    return False


def passage_of(node: etree._Element, ids: dict) -> tuple[str, etree._Element | None]:
    """(passage id, element whose text is the snippet) of a mention.

    In the text: the nearest citable passage (PASSAGE), else the nearest citable element, else
    (lists in <front>, or in <body> as in TEI-C's testplace.xml; those of <back> are registers,
    not passages: in_register) the nearest element with an xml:id that the page renders as its
    id, else the whole text ("main", snippet from the nearest element with more text than the
    name). In the header: #title, #summary or #doc-info,
    with the nearest meaningful element (HEADER_PASSAGE) as snippet."""
    fallback = None
    with_id = None
    for a in node.iterancestors():
        name = local(a.tag)
        if a in ids:
            if name in PASSAGE:
                return ids[a], a
            fallback = fallback if fallback is not None else a
        elif with_id is None and fallback is None and a.get(XML_ID) and a.tag.startswith(T) \
                and name not in INLINE_NO_ID:
            with_id = a
        if name in NOT_RENDERED:
            with_id = None  # its ids are not on the page
        if name == "teiHeader":
            return _header_passage(node, a)
    if fallback is not None:
        return ids[fallback], fallback
    if with_id is not None and any(x.tag == T + "text" for x in with_id.iterancestors()):
        return page_id(with_id.get(XML_ID)), with_id
    return "main", _wordier_ancestor(node)


def _header_passage(node, header) -> tuple[str, etree._Element]:
    pid, el = "doc-info", None
    for a in node.iterancestors():
        if a is header:
            break
        name = local(a.tag)
        if el is None and name in HEADER_PASSAGE:
            el = a
        if name == "abstract":
            pid = "summary"
        elif name == "titleStmt":
            pid = "title"
    return pid, el if el is not None else _wordier_ancestor(node, stop=header)


def _wordier_ancestor(node, stop=None):
    """The nearest ancestor (below `stop`) with more text than the name itself: some context."""
    own = len(text_of(node))
    for a in node.iterancestors():
        if a is stop or local(a.tag) in ("teiHeader", "text", "TEI"):
            break
        if len(text_of(a, fields=True)) > own:
            return a
    return node


def passage_text(passage: etree._Element | None) -> str:
    """The snippet text of a passage: header elements and register entries are fields, not
    running text (<correspAction><persName/><settlement/><date/>), so their children are kept
    apart; text passages are read as the reading text."""
    if passage is None:
        return ""
    in_text = any(a.tag == T + "text" for a in passage.iterancestors()) or passage.tag == T + "text"
    return text_of(passage, fields=not in_text or local(passage.tag) not in CITABLE)


def snippet(text: str, node, width: int = 220) -> str:
    """About `width` characters of a passage around the name `node` holds (a third of them
    before it), cut at word boundaries only (#14): the lead-in starts at the sentence that holds
    the name when that sentence starts within it, else at a word; the end is the last whole word.
    "…" marks each cut."""
    text = norm_space(text)
    if len(text) <= width:
        return text
    name = text_of(node)
    at = max(text.find(name) if name else -1, 0)
    start = max(0, at - width // 3)
    if start > 0:
        sentence = text.rfind(". ", start - 1, at)
        if sentence >= 0:
            start = sentence + 2
        elif not text[start - 1].isspace():
            space = text.find(" ", start, at)
            start = space + 1 if space >= 0 else at
    end = start + width
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", start, end)
        if space > at + len(name):
            end = space
    return ("… " if start > 0 else "") + text[start:end].strip() + (" …" if end < len(text) else "")


class Mentions:
    """Each document's mentions: [(entity id, passage id, snippet)] in document order, once per
    entity and passage, and the entities its back-matter registers name. Kept in the build's
    store (store.HtmlStore: "mentions" and "passages"), keyed by the document's bytes and the
    edition's entity ids, so that memory holds only each document's entity ids and a digest
    of its mentions; an entity page reads its passages from the store (passages_of). A stale
    document (Edition.stale) keeps its last good ones.

    `previous`: document id → [key, mentions, registered] known besides the store (a merge's
    shards); `reuse`: whether the store's rows of the last build may stand (not in a full
    build, but for stale documents)."""

    def __init__(self, edition, sources, previous: dict, names: dict | None = None, store=None,
                 reuse: bool = True):
        self.ed = edition
        self.sources = sources  # incremental.Sources: each document's hash and parsed tree
        self.previous: dict[str, list] = previous
        self.reuse = reuse
        self._store = store
        # canonical path → the names of a document this build read into a record (records.py),
        # whose tree it did not keep: their pointers are resolved here
        self.names: dict[str, list] = names if names is not None else {}
        # document id → (key, entity ids in order, registered, digest of the mentions)
        self.cache: dict[str, tuple] = {}
        self.entities_key = digest(*(f"{eid}@{e.file}" for eid, e in sorted(edition.entities.items())))
        self._resolved: dict[tuple, str | None] = {}
        self._last_entity: tuple[str, list] | None = None
        self._rows: dict | None = None  # (_entry)

    @property
    def store(self):
        if self._store is None:
            from .store import HtmlStore
            self._store = HtmlStore.memory()
        return self._store

    def of(self, d) -> list[tuple[str, str, str]]:
        """[(entity id, passage id, snippet)] for one document (from the store)."""
        self._entry(d)
        return self.store.passages_of_doc(d.id) or []

    def raw(self, d) -> list:
        """As `of`, as lists (as a shard's record holds them)."""
        return [list(x) for x in self.of(d)]

    def full(self, d) -> list:
        """[key, mentions, registered]: what a shard's record holds of a document."""
        key, _, registered, _ = self._entry(d)
        return [key, self.raw(d), list(registered)]

    def entities(self, d) -> tuple[str, ...]:
        """The entities a document's mentions name, each once, in document order."""
        return self._entry(d)[1]

    def registered(self, d) -> list[str]:
        """The entities a document's back-matter registers name (no passages: in_register)."""
        return self._entry(d)[2]

    def digest_of(self, d) -> str:
        """A digest of a document's mentions (what the site's key holds of them)."""
        return self._entry(d)[3]

    def _entry(self, d) -> tuple:
        if d.id in self.cache:
            return self.cache[d.id]
        store = self.store
        stale = canon(d.file) in self.ed.stale
        key = "" if stale else digest(self.sources.data_hash(d), self.entities_key)
        hit = self.previous.get(d.id)
        hit = hit if _mentions_shape(hit) and (stale or hit[0] == key) else None
        if hit is None and (self.reuse or stale):
            if self._rows is None:  # the last build's rows, read at once (then one by one)
                self._rows = store.mention_rows() if self.reuse else {}
            row = store.mention_row(d.id, self._rows.pop(d.id, None))
            if row is not None and (stale or row[0] == key):
                self.cache[d.id] = (row[0], tuple(row[1]), row[2], row[3])
                return self.cache[d.id]
        if hit is not None:
            return self._keep(d, hit[0], [tuple(m) for m in hit[1]], list(hit[2]))
        if stale:  # (its bytes cannot be read now, and nothing was recorded)
            return self._keep(d, "", [], [])
        out, seen = [], set()
        registered: set[str] = set()
        recorded = self.names.pop(str(canon(d.file)), None)  # (read once: the store keeps the result)
        if recorded is not None:
            for ref, register, pid, snip in recorded:
                for pointer in ref.split():
                    eid = self._entity_of(pointer, d.file)
                    if eid is None:
                        continue
                    if register:
                        registered.add(eid)
                    elif (eid, pid) not in seen:
                        seen.add((eid, pid))
                        out.append((eid, pid, snip))
            return self._keep(d, key, out, sorted(registered))
        root = self.sources.full_tree(d).getroot()
        ids = cite_ids(root)
        texts: dict = {}
        for el, eid, register in self.names_in(root, d.file):
            if register:  # a register entry of the back matter describes, it does not mention
                registered.add(eid)
                continue
            pid, passage = passage_of(el, ids)
            if (eid, pid) in seen:
                continue
            seen.add((eid, pid))
            if passage is not None and passage not in texts:
                texts[passage] = passage_text(passage)
            out.append((eid, pid, snippet(texts.get(passage, ""), el)))
        return self._keep(d, key, out, sorted(registered))

    def _keep(self, d, key: str, mentions: list, registered: list) -> tuple:
        """Record a document's mentions in the store; memory keeps the compact entry."""
        dig = digest(json.dumps(mentions, ensure_ascii=False))
        self.store.put_mentions(d.id, key, mentions, registered, dig)
        entry = self.cache[d.id] = (key, tuple(dict.fromkeys(eid for eid, _, _ in mentions)), registered, dig)
        return entry

    def passages_of(self, eid: str, order: dict[str, int]) -> list[tuple[str, list]]:
        """[(document id, [(passage id, snippet)])] of the passages naming an entity, in the
        documents' order (`order`: document id → position; other documents' rows left out).
        The last entity's are remembered: its pages are made one after the other."""
        if self._last_entity is not None and self._last_entity[0] == eid:
            return self._last_entity[1]
        rows = sorted((r for r in self.store.passages_of(eid) if r[0] in order),
                      key=lambda r: (order[r[0]], r[1]))
        grouped: list[tuple[str, list]] = []
        for did, _, pid, snip in rows:
            if not grouped or grouped[-1][0] != did:
                grouped.append((did, []))
            grouped[-1][1].append((pid, snip))
        self._last_entity = (eid, grouped)
        return grouped

    def counts_of(self, eid: str, order: dict[str, int]) -> list[tuple[str, int]]:
        """[(document id, number of passages)] naming an entity, in the documents' order."""
        return sorted(((did, n) for did, n in self.store.passage_counts(eid) if did in order),
                      key=lambda r: order[r[0]])

    def names_in(self, root, file: Path):
        """Each (name element, entity id, whether it stands in a register) of a document's tree,
        in document order: one for each pointer of a name's @ref that designates an entity."""
        src = self.ed.files.get(canon(file))
        # an included part's pointers resolve against its own file (SourceFile.written_in)
        origins = src.origins if src is not None and src.ok and src.tree.getroot() is root else None
        for el in root.iter(*NAME_TAGS):
            if not_rendered(el):  # the page does not show it: no mention
                continue
            register = None
            here = file
            if origins and el in origins:
                here = origins[el][0].path
            for pointer in (el.get("ref") or "").split():
                eid = self._entity_of(pointer, here)
                if eid is not None:
                    register = in_register(el) if register is None else register
                    yield el, eid, register

    def by_entity(self) -> dict[str, list[tuple[str, str, str]]]:
        """entity id → [(document id, passage id, snippet)], in document order (the whole
        edition's: for tests and small editions; the site reads passages_of)."""
        out: dict[str, list[tuple[str, str, str]]] = {}
        for d in self.ed.documents:
            for eid, pid, snip in self.of(d):
                out.setdefault(eid, []).append((d.id, pid, snip))
        return out

    def _entity_of(self, pointer: str, file: Path) -> str | None:
        """The entity id a pointer in `file` designates (Edition.resolve), remembered per folder
        for pointers with a file part ("persons.xml#x" means the same in every file of a folder)
        and per file for the others."""
        where = str(file)
        if "#" in pointer and pointer.strip().split("#", 1)[0]:
            where = os.path.dirname(where)
        key = (pointer, where)
        if key not in self._resolved:
            target = self.ed.resolve(pointer, file)
            self._resolved[key] = target[1] if target and target[1] in self.ed.entities else None
        return self._resolved[key]


def _mentions_shape(hit) -> bool:
    """Whether a document's mentions from a shard's record have their shape."""
    return isinstance(hit, list) and len(hit) == 3 and isinstance(hit[0], str) \
        and isinstance(hit[1], list) and isinstance(hit[2], list) \
        and all(isinstance(m, list) and len(m) == 3 and all(isinstance(x, str) for x in m) for m in hit[1]) \
        and all(isinstance(x, str) for x in hit[2])
