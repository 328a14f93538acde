"""The Edition model: every document, entity, identifier and mention, read once.

Validation, HTML, PDF and import all work from this model (and the trees it holds); none of them
re-reads authority files. toolkit/context.py renders it as the small XML documents that the
stylesheets (and the compiled Schematron) receive as a parameter.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .config import Config
from .xmlsafe import TEI_NS, XML_NS, SourceFile, parse_file

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
ENTITY_KINDS = {"person": "person", "personGrp": "person", "place": "place", "org": "org"}
NAME_OF_KIND = {"person": "persName", "place": "placeName", "org": "orgName"}
KIND_OF_NAME = {"persName": "person", "placeName": "place", "orgName": "org"}
LIST_ELEMENTS = {"listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym",
                 "listObject", "listRelation"}
POINTER_ATTRS = ("ref", "hand", "corresp", "target", "who", "scribeRef", "sameAs")


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def norm_space(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


# Elements whose content is not part of the reading text (a note's text is, when the note itself
# is asked for: see text_of).
SKIPPED_IN_TEXT = frozenset(("note", "orig", "sic", "abbr", "del", "gap", "figDesc"))
# Empty elements that stand between words: a space in the reading text, unless break="no" says
# the word goes on (lb, pb, cb, gb, milestone carry att.breaking; space is a space).
WORD_BREAKS = frozenset(("lb", "pb", "cb", "gb", "milestone", "space"))
# Block and line elements never continue a word: a space before and after them (an <address> of
# <addrLine>s, a <closer> of <salute> and <signed>, a list of items, lines of verse).
BLOCK_BREAKS = frozenset(("p", "ab", "l", "lg", "head", "item", "list", "div", "addrLine",
                          "address", "row", "cell", "table", "salute", "signed", "dateline",
                          "opener", "closer", "postscript", "byline", "docTitle", "titlePart",
                          "docImprint", "argument", "epigraph", "trailer", "sp", "speaker", "figure"))


# Pointers that show their @target as their text when they have no content (xslt/html/text/
# names.xsl: a ptr, an empty ref, an empty licence).
POINTERS_SHOWING_TARGET = frozenset(("ref", "ptr", "licence"))
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


@dataclass
class Entity:
    id: str
    kind: str                    # person | place | org
    file: Path
    element: etree._Element = field(repr=False)
    preferred: str = ""
    variants: list[str] = field(default_factory=list)
    note: str = ""
    geo: tuple[float, float] | None = None
    line: int = 0


@dataclass
class Mention:
    entity_id: str | None        # None when the pointer resolves to nothing
    pointer: str
    element: str                 # persName, placeName, …
    file: Path
    line: int
    node: etree._Element = field(repr=False, default=None)


@dataclass
class Document:
    id: str
    file: Path
    href: str
    title: str
    when: str = ""
    date_label: str = ""
    summary: str = ""
    transcribed: bool = True
    # which of the archive's optional fields (INFO_FIELDS) the header gives, space-separated:
    # "Document information" shows a field's "Not given in the source" row only in editions
    # where some document gives it
    fields: str = ""
    # the id the file gives (its root's xml:id, else its name); `id` differs only where several
    # documents give the same one (Edition.documents makes ids unique)
    source_id: str = ""

    def __post_init__(self):
        self.source_id = self.source_id or self.id


class Edition:
    """All files of an edition, parsed once, with what the checks and transforms need."""

    def __init__(self, config: Config, files: list[SourceFile], authority: set[Path],
                 edition_file: Path | None, base: Path,
                 known_documents: dict[Path, tuple] | None = None):
        self.config = config
        # Documents whose facts a caller already knows (the HTML build's cache, keyed by the
        # file's bytes): (id, title, when, date label, summary, transcribed, fields) per canonical path.
        # Their SourceFile may then be an id-only stand-in (light); see `documents`.
        self.known_documents: dict[Path, tuple] = dict(known_documents or {})
        self.base = base
        self.files: dict[Path, SourceFile] = {canon(f.path): f for f in files}
        self.authority_paths = {canon(p) for p in authority}
        self.edition_path = canon(edition_file) if edition_file else None
        self.ids: dict[Path, dict[str, etree._Element]] = {}
        self.entities: dict[str, Entity] = {}
        self._documents: list[Document] | None = None
        self._mentions: list[Mention] | None = None
        # documents that several files give the same id: [(id, [paths])] (see documents)
        self.id_clashes: list[tuple[str, list[Path]]] = []
        # document files that could not be read this time and stand in with the facts of their
        # last good version (Edition.load's `recover`): path → why they could not be read
        self.stale: dict[Path, list] = {}
        self._resolved: dict[tuple, tuple[Path, str] | None] = {}
        self._index()

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, config: Config, extra_files: list[Path] | None = None,
             authority: list[Path] | None = None, parsed: dict[Path, SourceFile] | None = None,
             known_documents: dict[Path, tuple] | None = None, recover=None) -> "Edition":
        """`recover(path, failed SourceFile)`, when given, may return (stand-in SourceFile,
        document facts) for a document file that cannot be read: the last good version's ids
        and facts (the HTML build's state), so that an editor's typo does not unpublish the
        document; the edition lists such files in `stale`."""
        paths = list(dict.fromkeys([*(config.source_files()), *(extra_files or []),
                                    *(authority or [])]))
        parsed = parsed or {}
        known_documents = dict(known_documents or {})
        files = []
        stale: dict[Path, list] = {}
        auth = set(config.authority_files()) | set(authority or [])
        edition_file = config.resolve(config.edition_file) if config.edition_file else None
        not_documents = {canon(a) for a in auth} | ({canon(edition_file)} if edition_file else set())
        for p in paths:
            rp = canon(p)
            src = parsed.get(rp) or parse_file(p, display=display_name(p, config.root))
            if not src.ok and recover is not None and rp not in not_documents:
                found = recover(rp, src)
                if found is not None:
                    stale[rp] = src.diagnostics
                    src, known_documents[rp] = found
            files.append(src)
        for d in config.refused_diagnostics():  # links out of the edition: reported, never read
            files.append(SourceFile(path=config.resolve(d.path), display=d.path, diagnostics=[d]))
        if not config.authority:
            auth |= {f.path for f in files if f.ok and is_authority_tree(f.tree)}
        base = config.resolve(config.sources[0]).parent if config.sources else config.root
        while glob_magic(str(base)):
            base = base.parent
        ed = cls(config, files, auth, edition_file, base, known_documents=known_documents)
        ed.stale = stale
        return ed

    def role(self, path: Path) -> str:
        path = canon(path)
        if path == self.edition_path:
            return "edition"
        if path in self.authority_paths:
            return "authority"
        return "document"

    def href(self, path: Path) -> str:
        """Path of a file relative to the edition's TEI folder (posix), for links and ids."""
        try:
            return canon(path).relative_to(canon(self.base)).as_posix()
        except ValueError:
            return path.name

    # -- indexing --------------------------------------------------------------------------
    def _index(self):
        for path, src in self.files.items():
            if not src.ok:
                continue
            ids = {}
            for el in _with_xml_id(src.root):
                i = el.get(XML_ID)
                if i not in ids:
                    ids[i] = el
            self.ids[path] = ids
        for path in sorted(self.authority_paths):
            src = self.files.get(path)
            if src is None or not src.ok:
                continue
            for el in src.root.iter(*(T + k for k in ENTITY_KINDS)):
                eid = el.get(XML_ID)
                if not eid:
                    continue
                kind = ENTITY_KINDS[local(el.tag)]
                self.entities.setdefault(eid, self._entity(eid, kind, path, el))

    def _document_files(self, allow_known: bool = False):
        for path, src in sorted(self.files.items()):
            if src.ok and self.role(path) == "document" and src.root.tag == T + "TEI":
                if src.light and not (allow_known and path in self.known_documents):
                    if path in self.stale:
                        continue  # unreadable now: its mentions are those of its last good page
                    raise RuntimeError(f"{path}: indexed by ids only; documents and mentions "
                                       f"need every file parsed")
                yield path, src

    # Documents and mentions are computed on first use: validating one staged file needs only
    # the ids and entities of the rest of the edition.
    @property
    def documents(self) -> list[Document]:
        if self._documents is None:
            docs = [Document(k[0], path, self.href(path), *k[1:]) if (k := self.known_documents.get(path))
                    else self._document(path, src) for path, src in self._document_files(allow_known=True)]
            self.id_clashes = _unique_ids(docs)
            self._documents = sorted(docs, key=lambda d: (d.when or "9999", d.title, d.id))
        return self._documents

    @property
    def mentions(self) -> list[Mention]:
        if self._mentions is None:
            self._mentions = []
            for path, src in self._document_files():
                for el in src.root.iter(T + "persName", T + "placeName", T + "orgName",
                                        T + "name", T + "rs"):
                    ref = el.get("ref")
                    if not ref:
                        continue
                    for pointer in ref.split():
                        target = self.resolve(pointer, path)
                        eid = target[1] if target and target[1] in self.entities else None
                        self._mentions.append(Mention(eid, pointer, local(el.tag), path,
                                                      el.sourceline or 0, el))
        return self._mentions

    def _entity(self, eid, kind, path, el) -> Entity:
        name_tag = NAME_OF_KIND.get(kind, "persName")
        names = [n for n in el if local(n.tag) in (name_tag, "name", "persName", "placeName",
                                                   "orgName", "geogName")]
        preferred = next((n for n in names if n.get("type") in ("preferred", "pref", "main",
                                                                 "reg")), names[0] if names else None)
        def name_text(n):
            parts = [norm_space(x.text_content() if hasattr(x, "text_content") else "".join(x.itertext()))
                     for x in n if local(x.tag) in ("forename", "surname", "roleName", "addName", "nameLink")]
            return " ".join(p for p in parts if p) if parts else norm_space("".join(n.itertext()))
        pref_text = name_text(preferred) if preferred is not None else eid
        if preferred is not None and local(preferred.tag) == "persName":
            sur = preferred.find(T + "surname")
            fore = preferred.find(T + "forename")
            if sur is not None and fore is not None and not (preferred.text or "").strip():
                pref_text = norm_space(f"{''.join(fore.itertext())} {''.join(sur.itertext())}")
        variants = []
        for n in names:
            t = name_text(n)
            if n is not preferred and t and t != pref_text and t not in variants:
                variants.append(t)
        note_el = el.find(T + "note")
        geo = None
        g = el.find(f"{T}location/{T}geo")
        if g is not None and g.text:
            geo = parse_geo(g.text)
        return Entity(eid, kind, path, el, pref_text or eid, variants,
                      norm_space("".join(note_el.itertext())) if note_el is not None else "",
                      geo, el.sourceline or 0)

    def _document(self, path: Path, src: SourceFile) -> Document:
        root = src.root
        header = root.find(T + "teiHeader")
        titles = root.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
        title = text_of(title_element(titles)) or path.stem
        when, label = document_date(root)
        abstract = header.find(f"{T}profileDesc/{T}abstract") if header is not None else None
        summary = text_of(abstract) if abstract is not None else ""
        body = root.find(f"{T}text/{T}body")
        transcribed = not (body is not None and body.find(f"{T}gap[@reason='not-transcribed']") is not None)
        doc_id = root.get(XML_ID) or path.stem
        return Document(doc_id, path, self.href(path), title, when, label, summary, transcribed,
                        info_fields(header))

    def info_fields(self) -> str:
        """The optional fields of "Document information" that some document of the edition
        gives (INFO_FIELDS order, space-separated): only these get a "Not given in the source"
        row on the pages of the documents that lack them."""
        present = {f for d in self.documents for f in d.fields.split()}
        return " ".join(f for f in INFO_FIELDS if f in present)

    # -- pointers --------------------------------------------------------------------------
    def resolve(self, pointer: str, from_file: Path) -> tuple[Path, str] | None:
        # memoized per edition (a cache on the method would keep every Edition alive: serve makes
        # one per rebuild)
        key = (pointer, canon(from_file))
        if key not in self._resolved:
            self._resolved[key] = self._resolve(*key)
        return self._resolved[key]

    def _resolve(self, pointer: str, from_file: Path) -> tuple[Path, str] | None:
        """(file, id) a pointer designates, if that id exists; None otherwise.

        "persons.xml#x" is relative to the pointing file; "#x" is looked up in the same file,
        then anywhere in the edition (projects often keep entities elsewhere).
        """
        pointer = pointer.strip()
        if "#" not in pointer:
            # Some projects write bare ids ("pmb429"); accept them when they name an entity.
            return (self.entities[pointer].file, pointer) if pointer in self.entities else None
        file_part, frag = pointer.split("#", 1)
        frag = unquote(frag)
        if not file_part:
            here = canon(from_file)
            if frag in self.ids.get(here, {}):
                return (here, frag)
            if frag in self.entities:
                return (self.entities[frag].file, frag)
            for path, ids in self.ids.items():
                if frag in ids:
                    return (path, frag)
            return None
        if urlsplit(file_part).scheme:
            return None
        target = canon(Path(os.path.normpath(canon(from_file).parent / unquote(file_part))))
        if frag in self.ids.get(target, {}):
            return (target, frag)
        return None

    def document_for(self, path: Path) -> Document | None:
        if not hasattr(self, "_doc_by_path"):
            self._doc_by_path = {canon(d.file): d for d in self.documents}
        return self._doc_by_path.get(canon(path))


# Optional fields of "Document information" (xslt/html/pages/document-info.xsl, which looks for
# them the same way): a respStmt whose resp starts with "obtain" or "translat" (titleStmt,
# editionStmt), a record idno, an original classification.
INFO_FIELDS = ("obtained", "translated", "record", "classification")
_RESP_FIELDS = etree.XPath("tei:fileDesc/tei:titleStmt/tei:respStmt/tei:resp | "
                           "tei:fileDesc/tei:editionStmt/tei:respStmt/tei:resp", namespaces={"tei": TEI_NS})
_RECORD_FIELD = etree.XPath(".//tei:idno[@type = 'record' or @type = 'recordId' or @type = 'record-id' "
                            "or @type = 'RecordID']", namespaces={"tei": TEI_NS})
_CLASS_FIELD = etree.XPath(".//tei:note[@type = 'classification' or @type = 'original-classification'] | "
                           ".//tei:classCode | .//tei:term[@type = 'classification']", namespaces={"tei": TEI_NS})
# A header whose source names the archive's fields, even without values (this edition's
# notesStmt/note[@type='source-fields'], docs/encoding.md), has all of them.
_SOURCE_FIELDS = etree.XPath("tei:fileDesc/tei:notesStmt/tei:note[@type = 'source-fields']",
                             namespaces={"tei": TEI_NS})


def _unique_ids(docs: list[Document]) -> list[tuple[str, list[Path]]]:
    """Give every document an id of its own: documents whose files give the same id (all
    Russian ELTeC novels are "R1") each take their file's name instead (its path below the TEI
    folder where names repeat, then a number), so that none replaces another's page. Decided by
    the files alone, not by their order: adding a file never renames another unless it clashes.
    Returns the clashes [(id, [paths])] for a warning."""
    groups: dict[str, list[Document]] = {}
    for d in docs:
        groups.setdefault(d.id, []).append(d)
    clashes = [(i, sorted(g, key=lambda d: d.href)) for i, g in groups.items() if len(g) > 1]
    if not clashes:
        return []
    taken = {i for i, g in groups.items() if len(g) == 1}
    renamed = [d for _, g in clashes for d in g]
    stems: dict[str, int] = {}
    for d in renamed:
        stems[d.file.stem] = stems.get(d.file.stem, 0) + 1
    for d in sorted(renamed, key=lambda d: d.href):
        name = d.file.stem if stems[d.file.stem] == 1 else d.href.rsplit(".", 1)[0].replace("/", "-")
        candidate, n = name, 2
        while candidate in taken:
            candidate = f"{name}-{n}"
            n += 1
        taken.add(candidate)
        d.id = candidate
    return [(i, [d.file for d in g]) for i, g in clashes]


def info_fields(header) -> str:
    """Which INFO_FIELDS a teiHeader gives (space-separated)."""
    if header is None:
        return ""
    if _SOURCE_FIELDS(header):
        return " ".join(INFO_FIELDS)
    resps = [norm_space("".join(r.itertext())).lower() for r in _RESP_FIELDS(header)]
    have = {"obtained": any(r.startswith("obtain") for r in resps),
            "translated": any(r.startswith("translat") for r in resps),
            "record": bool(_RECORD_FIELD(header)), "classification": bool(_CLASS_FIELD(header))}
    return " ".join(f for f in INFO_FIELDS if have[f])


# Titles that only date a document (the letters' <title type="iso-date">1894-07-20</title>): never
# the document's title when it has another one.
DATE_TITLE_TYPES = frozenset(("iso-date", "isodate", "date", "when", "dating"))
_ISO_DATE = re.compile(r"-?\d{4}(?:-\d{2}(?:-\d{2})?)?(?:\s*(?:/|–|-{1,2})\s*-?\d{4}(?:-\d{2}(?:-\d{2})?)?)?")


def title_element(titles: list) -> etree._Element | None:
    """The document's title among the <title>s of its titleStmt: the main title (@type='main'),
    else the analytic one (@level='a'), else the first that is not a series/journal/monograph
    title nor a subtitle, alternative or short title, else the first. Titles that are only a date
    (a date-ish @type, or text that is only an ISO date) and empty titles are left out when any
    other title exists. (xslt/lib/common.xsl, f:title-element, follows the same rule.)"""
    if not titles:
        return None
    def dated(t):
        return (t.get("type") or "").lower() in DATE_TITLE_TYPES or bool(_ISO_DATE.fullmatch(text_of(t)))
    real = [t for t in titles if text_of(t) and not dated(t)] or [t for t in titles if text_of(t)] or titles
    return next((t for t in real if t.get("type") == "main"),
                next((t for t in real if t.get("level") == "a"),
                     next((t for t in real if t.get("level") not in ("s", "j", "m")
                           and t.get("type") not in ("sub", "alt", "short")), real[0])))


# Where a document's date is looked for, in this order; the first <date> with @when (or
# @notBefore, @from, or their -iso forms) wins:
#  1. the creation date (profileDesc/creation);
#  2. a letter's date of sending (correspDesc/correspAction[@type='sent']);
#  3. a date in the header's publicationStmt typed as the document's creation (@type 'created' or
#     'origin': FRUS); an untyped or other date there is when the *edition* was published;
#  4. the date in a dateline of the text;
#  5. any other date of the correspDesc (received, …: a letter with no sent action);
#  6. a date in the sourceDesc (the source's date): that of a first edition (ELTeC's
#     bibl[@type='firstEdition']) first, those of a digital copy (bibl[@type='digitalSource'],
#     dated when it was digitised) last.
# A <date> is dated by @when (or @notBefore, @from, or their -iso forms), else by its text when
# that is only a year or an ISO date (ELTeC's <date>1847</date>; "[1897]" too).
_DATE_PLACES = tuple(etree.XPath(xp, namespaces={"tei": TEI_NS}) for xp in (
    "tei:teiHeader/tei:profileDesc/tei:creation//tei:date",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']//tei:date",
    "tei:teiHeader/tei:fileDesc/tei:publicationStmt//tei:date[@type='created' or @type='origin']",
    "tei:text//tei:dateline//tei:date",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc//tei:date",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date[ancestor::tei:bibl[@type = 'firstEdition' "
    "or @type = 'first-edition']]",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date[not(ancestor::tei:bibl[starts-with(@type, 'digital')])]",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date"))
_DATE_ATTRS = ("when", "when-iso", "notBefore", "notBefore-iso", "from", "from-iso")
_DATE_TEXT = re.compile(r"\[?(\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)\]?")


# Where a date's text says nothing of the document's date: works cited in a bibliography, the
# description of a manuscript's items (TEI-C's testms.xml: <listBibl><bibl>…<date>1821</date>).
_NOT_THE_SOURCE = frozenset((T + "listBibl", T + "msDesc"))


def date_value(d) -> str:
    """The ISO date a <date> gives: its @when (or …, _DATE_ATTRS), else its text when that is
    only a year or an ISO date (optionally in square brackets) and it is not in a bibliography
    or manuscript description (_NOT_THE_SOURCE); "" when it gives none."""
    when = next((d.get(a) for a in _DATE_ATTRS if (d.get(a) or "").strip()), None)
    if when:
        return when.strip()
    m = _DATE_TEXT.fullmatch(norm_space("".join(d.itertext())))
    if not m or any(a.tag in _NOT_THE_SOURCE for a in d.iterancestors()):
        return ""
    return m.group(1)


def document_date(root) -> tuple[str, str]:
    """(ISO date, date as written) of a document, from the first place of _DATE_PLACES that has a
    dated <date>; ("", "") when none has."""
    for find in _DATE_PLACES:
        for d in find(root):
            when = date_value(d)
            if when:
                return when, norm_space("".join(d.itertext()))
    return "", ""


_with_xml_id = etree.XPath("descendant-or-self::*[@xml:id]")


@lru_cache(maxsize=65536)
def canon(path: Path) -> Path:
    """The absolute, normalised form of a path: the key under which the model knows a file.
    (Not Path.resolve(): following symlinks costs syscalls per file, and editions don't need it.)"""
    return Path(os.path.normpath(os.path.abspath(path)))


def glob_magic(s: str) -> bool:
    return any(c in s for c in "*?[")


def display_name(path: Path, root: Path) -> str:
    """The path as the user should see it: relative to root when below it."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if rel.startswith(".."):
        return Path(path).as_posix()
    return rel if os.sep == "/" else rel.replace(os.sep, "/")  # relpath's result is normalised


def parse_geo(text: str) -> tuple[float, float] | None:
    """'lat long' as TEI writes it; also '48,3 14,28333' (decimal commas) and '48.3, 14.2'."""
    parts = text.split()
    if len(parts) == 2 and all(re.fullmatch(r"-?\d+(?:,\d+)?", p) for p in parts):
        parts = [p.replace(",", ".") for p in parts]
    else:
        parts = re.findall(r"-?\d+(?:\.\d+)?", text)
    if len(parts) < 2:
        return None
    lat, long = float(parts[0]), float(parts[1])
    return (lat, long) if -90 <= lat <= 90 and -180 <= long <= 180 else None


def is_authority_tree(tree) -> bool:
    """A file whose body holds only lists (of persons, places, …) and headings is an authority file."""
    root = tree.getroot()
    body = root.find(f"{T}text/{T}body")
    if body is None:
        return local(root.tag) in LIST_ELEMENTS
    kids = [local(c.tag) for c in body if isinstance(c.tag, str)]
    while kids == ["div"]:  # lists wrapped in a single div
        body = body.find(T + "div")
        kids = [local(c.tag) for c in body if isinstance(c.tag, str)]
    # recognised by their listPerson/listPlace/listOrg: a body of only listBibl (a catalogue of
    # manuscripts, a bibliography) is a document to publish, not an authority file
    return any(k in ("listPerson", "listPlace", "listOrg") for k in kids) \
        and all(k in LIST_ELEMENTS or k == "head" for k in kids)
