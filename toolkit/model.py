"""The Edition model: every document, entity, identifier and mention, read once.

Validation, HTML, PDF and import all work from this model (and the trees it holds); none of them
re-reads authority files. toolkit/context.py renders it as the small XML documents that the
stylesheets (and the compiled Schematron) receive as a parameter.
"""
from __future__ import annotations

import os
from copy import deepcopy
from sys import intern
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .config import Config
from .tei import T, XML_ID, local, norm_space
from .xmlsafe import XML_NS
from .tei.classes import CLASSES, not_rendered
from .tei.conventions import conventions, info_fields, transcribed
from .tei.facts import date_label, date_style, date_value, document_date_element, document_type, title_element
from .tei.facts import document_date  # noqa: F401  (re-exported: the tests' and callers' name)
from .tei.facts import written as written_date
from .tei.geo import entity_geo
from .tei.entities import person_sort_key
from .tei.names import sort_key, unique_names
from .tei.reading import text_of
from .tei.registers import local_entries, may_have_entries
from .xinclude import expand as expand_includes, roots_for
from .xmlsafe import SourceFile, parse_file


ENTITY_KINDS = CLASSES.map("entity-kinds")
NAME_OF_KIND = {"person": "persName", "place": "placeName", "org": "orgName"}
KIND_OF_NAME = {"persName": "person", "placeName": "place", "orgName": "org"}
LIST_ELEMENTS = CLASSES.register_lists
POINTER_ATTRS = CLASSES.ordered("pointer-attributes")
NAME_ELEMENTS = tuple(T + n for n in CLASSES.ordered("name-elements"))
XML_LANG = f"{{{XML_NS}}}lang"


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

    @property
    def sort_key(self) -> str:
        """The key it sorts by in every index: a person's by surname (toolkit/tei/entities.py),
        any other's by its preferred name (toolkit/tei/names.py)."""
        if self.kind == "person" and self.element is not None:
            return person_sort_key(self.element, self.preferred)
        return sort_key(self.preferred)


@dataclass
class Mention:
    entity_id: str | None        # None when the pointer resolves to nothing
    pointer: str
    element: str                 # persName, placeName, …
    file: Path
    line: int
    node: etree._Element = field(repr=False, default=None)


@dataclass
class Record:
    """What the model keeps of a document whose tree it let go (see compact_document): what the
    checks of other files and the Schematron's full context read of it."""
    facts: tuple                 # as Edition.known_documents holds them (document_facts)
    # the names pointing to entities, in document order: (pointer, element, line, the file it
    # was written in: an included part's own)
    mentions: list[tuple[str, str, int, Path]]
    # every pointer token, in document order: (pointer, element, attribute) (context.full)
    pointers: list[tuple[str, str, str]]
    page_facts: list              # the elements context.page_facts adds (copies)
    entries: list                 # (kind, id, element copy) of its back matter's registers


@dataclass
class CompactFile(SourceFile):
    """A document as its Record and an id-only stand-in tree (xmlsafe.index_ids_only's shape,
    its elements keeping the real ones' names and lines): a model of the whole edition then
    holds no document's parsed tree."""
    record: Record | None = None   # None: its ids only (the checks of other files need no more)
    roots: tuple = ()              # where its xi:includes read (position reads the file again)

    def position(self, node) -> tuple[int, int]:
        """An element of the stand-in: the (line, column) of the element giving its id in the
        file as read whole (xmlsafe.SourceFile.position): the file is read again, once."""
        if node is None or node.getroottree().getroot() is not self.root:
            return super().position(node)
        if self._positions is None:
            self._positions = {}
            from .xinclude import expand
            whole = parse_file(self.path, self.display)
            if whole.ok:
                expand(whole, list(self.roots))
                ids = own_ids(whole)
                for el in self.root.iter():
                    if (real := ids.get(el.get(XML_ID))) is not None:
                        self._positions[el] = whole.position(real)
        return self._positions.get(node) or (node.sourceline or 1, 1)


@dataclass
class Document:
    id: str
    file: Path
    href: str
    title: str
    when: str = ""
    date_label: str = ""         # the display label (toolkit/tei/facts.py, date_label)
    summary: str = ""
    transcribed: bool = True
    # which of the edition's optional fields of "Document information" (toolkit/tei/
    # conventions.py) the header gives, space-separated: a field's "Not given in the source" row
    # shows only in editions where some document gives it
    fields: str = ""
    date_written: str = ""       # the date as the source writes it
    doc_type: str = ""           # the document's type (toolkit/tei/facts.py, document_type)
    # the id the file gives (its root's xml:id, else its name); `id` differs only where several
    # documents give the same one (Edition.documents makes ids unique)
    source_id: str = ""
    # the teiCorpus headers a member of a corpus file stands in, outermost first: (title, the
    # corpus file's href) each
    collection: tuple = ()

    def __post_init__(self):
        self.source_id = self.source_id or self.id


class Edition:
    """All files of an edition, parsed once, with what the checks and transforms need."""

    def __init__(self, config: Config, files: list[SourceFile], authority: set[Path],
                 edition_file: Path | None, base: Path,
                 known_documents: dict[Path, tuple] | None = None):
        self.config = config
        self.conventions = conventions(config)  # the edition's own ([document_info], [text])
        self.date_style = date_style(config.language)  # how dates are written (toolkit/tei/facts.py)
        # Documents whose facts a caller already knows (the HTML build's cache, keyed by the
        # file's bytes): (id, title, when, date label, summary, transcribed, fields, date as
        # written, type) per canonical path.
        # Their SourceFile may then be an id-only stand-in (light); see `documents`.
        self.known_documents: dict[Path, tuple] = dict(known_documents or {})
        self.base = base
        self.files: dict[Path, SourceFile] = {canon(f.path): f for f in files}
        for path, f in self.files.items():
            if isinstance(f, CompactFile) and f.record is not None:
                self.known_documents[path] = f.record.facts
        self.authority_paths = {canon(p) for p in authority}
        self.edition_path = canon(edition_file) if edition_file else None
        self.ids: dict[Path, dict[str, etree._Element]] = {}
        self.entities: dict[str, Entity] = {}
        self._documents: list[Document] | None = None
        self._mentions: list[Mention] | None = None
        self._page_names: dict[str, str] | None = None
        self._entity_names: dict[str, str] | None = None
        # documents that several files give the same id: [(id, [paths])] (see documents)
        self.id_clashes: list[tuple[str, list[Path]]] = []
        # document files that could not be read this time and stand in with the facts of their
        # last good version (Edition.load's `recover`): path → why they could not be read
        self.stale: dict[Path, list] = {}
        self._resolved: dict[tuple, tuple[Path, str] | None] = {}
        # files whose root makes no document ((path, root's name): a warning at the build)
        self.unknown_roots: list[tuple[Path, str]] = []
        self._collections: dict[Path, tuple] = {}
        # what an output's loader kept of the documents it read without keeping their trees
        # (outputs/html/records.Records), for that output's builder; None: it kept the trees
        self.records = None
        self._split_corpora()
        self._index()

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, config: Config, extra_files: list[Path] | None = None,
             authority: list[Path] | None = None, parsed: dict[Path, SourceFile] | None = None,
             known_documents: dict[Path, tuple] | None = None, recover=None,
             parsed_only: bool = False) -> "Edition":
        """`recover(path, failed SourceFile)`, when given, may return (stand-in SourceFile,
        document facts) for a document file that cannot be read: the last good version's ids
        and facts (the HTML build's state), so that an editor's typo does not unpublish the
        document; the edition lists such files in `stale`. `parsed_only`: the files not in
        `parsed` are left out (validate's workers give their ids another way: id_table.py)."""
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
            if parsed_only and rp not in parsed:
                continue
            src = parsed.get(rp) or parse_file(p, display=display_name(p, config.root))
            if src.included is None and src.ok and not src.light:
                expand_includes(src, roots_for(config, p))
            if not src.ok and recover is not None and rp not in not_documents:
                found = recover(rp, src)
                if found is not None:
                    stale[rp] = src.diagnostics
                    src, known_documents[rp] = found
                else:  # a teiCorpus file: its members' last good versions (_split_corpora)
                    n = 1
                    while (member := recover(canon(Path(f"{rp}#{n}")), src)) is not None:
                        mp = canon(Path(f"{rp}#{n}"))
                        stale[mp] = src.diagnostics
                        member_src, known_documents[mp] = member
                        files.append(member_src)
                        n += 1
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
            if src.ok:
                self.ids[path] = own_ids(src)
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
        self._index_registers()

    def _index_registers(self):
        """Entities of the registers in documents' back matter (toolkit/tei/registers.py), after
        the authority files' (whose entry with the same id wins), the first document's first."""
        for path, src in sorted(self.files.items()):
            if not src.ok or self.role(path) != "document":
                continue
            root = src.root
            if isinstance(src, CompactFile) and src.record is not None:
                for kind, eid, el in src.record.entries:
                    if eid not in self.entities:
                        self.entities[eid] = self._entity(eid, kind, path, el)
                continue
            if src.light:
                # an output build's stand-in for an unchanged document (its facts are known): read
                # when it may have entries; a validator's stand-ins (files not being checked) never
                if path not in self.known_documents or not may_have_entries(root) \
                        or not (full := parse_file(src.path, src.display)).ok:
                    continue
                root = full.root
            for kind, eid, el in local_entries(root):
                if eid not in self.entities:
                    # a stand-in's entry is copied out of the tree read for it: the tree goes
                    self.entities[eid] = self._entity(eid, kind, path, deepcopy(el) if src.light else el)

    def _split_corpora(self) -> None:
        """Each TEI of a teiCorpus file (nested corpora too) becomes a document of its own: a
        SourceFile named `<corpus file>#<n>` holding a copy of that TEI, whose elements keep
        their place in the corpus file (SourceFile.origins) for every diagnostic."""
        for path, src in list(self.files.items()):
            if not (src.ok and not src.light and src.root.tag == T + "teiCorpus"
                    and self.role(path) == "document"):
                continue
            members = [el for el in src.root.iter(T + "TEI")
                       if all(a.tag == T + "teiCorpus" for a in el.iterancestors())]
            for n, el in enumerate(members, 1):
                member = corpus_member(src, el, n)
                self.files[canon(member.path)] = member
                self._collections[canon(member.path)] = tuple(
                    (text_of(title_element(c.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")))
                     or path.stem, self.href(path))
                    for c in reversed(list(el.iterancestors(T + "teiCorpus"))))

    def _document_files(self, allow_known: bool = False):
        for path, src in sorted(self.files.items()):
            if src.ok and self.role(path) == "document" and src.root.tag not in DOCUMENT_ROOTS:
                if src.root.tag != T + "teiCorpus" and not (path, local(src.root.tag)) in self.unknown_roots:
                    self.unknown_roots.append((path, local(src.root.tag)))
                continue
            if src.ok and self.role(path) == "document":
                if src.light and not (isinstance(src, CompactFile) and src.record is not None) \
                        and not (allow_known and path in self.known_documents):
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

    def page_names(self) -> dict[str, str]:
        """Each document's page name (id → name, toolkit/tei/names.py): its HTML page, PDF file
        and TEI copy are called so."""
        if self._page_names is None:
            self._page_names = unique_names([d.id for d in self.documents])
        return self._page_names

    def entity_names(self) -> dict[str, str]:
        """Each entity's name (id → name): its page, and the anchors of its popovers and map
        dot (the context's entity/@anchor); unique without regard to case."""
        if self._entity_names is None:
            self._entity_names = unique_names(self.entities)
        return self._entity_names

    @property
    def mentions(self) -> list[Mention]:
        if self._mentions is None:
            self._mentions = []
            for path, src in self._document_files():
                if isinstance(src, CompactFile) and src.record is not None:
                    for pointer, element, line, here in src.record.mentions:
                        target = self.resolve(pointer, here or path)
                        eid = target[1] if target and target[1] in self.entities else None
                        self._mentions.append(Mention(eid, pointer, element, path, line))
                    continue
                for el in src.root.iter(*NAME_ELEMENTS):
                    ref = el.get("ref")
                    if not ref or not_rendered(el):  # (no output shows such a name)
                        continue
                    here = src.written_in(el) if src.origins else path
                    for pointer in ref.split():
                        target = self.resolve(pointer, here)
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
        geo = entity_geo(el)
        return Entity(eid, kind, path, el, pref_text or eid, variants,
                      norm_space("".join(note_el.itertext())) if note_el is not None else "",
                      geo, el.sourceline or 0)

    def _document(self, path: Path, src: SourceFile) -> Document:
        facts = document_facts(path, src.root, self.conventions, self.date_style)
        return Document(facts[0], path, self.href(path), *facts[1:],
                        collection=self._collections.get(canon(path), ()))

    def info_fields(self) -> str:
        """The optional fields of "Document information" that some document of the edition
        gives (their configured order, space-separated): only these get a "Not given in the
        source" row on the pages of the documents that lack them."""
        present = {f for d in self.documents for f in d.fields.split()}
        return " ".join(f.name for f in self.conventions.info_fields if f.name in present)

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
            if hasattr(self.ids, "first_owner"):  # validate's IdsView: looked up, not scanned
                path = self.ids.first_owner(frag)
                return (path, frag) if path is not None else None
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


def document_facts(path: Path, root, convs, style) -> tuple:
    """A document's facts as Edition.known_documents holds them: (id, title, when, date label,
    summary, transcribed, fields, date as written, type)."""
    header = root.find(T + "teiHeader")
    titles = root.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    title = text_of(title_element(titles)) or _own_title(root) or _file_title(path)
    dated = document_date_element(root)
    when, label, written = (date_value(dated), date_label(dated, style), written_date(dated)) \
        if dated is not None else ("", "", "")
    abstract = header.find(f"{T}profileDesc/{T}abstract") if header is not None else None
    summary = text_of(abstract) if abstract is not None else ""
    doc_id = root.get(XML_ID) or _file_title(path).replace("#", "-")
    return (doc_id, title, when, label, summary, transcribed(root, convs), info_fields(header, convs),
            written, document_type(root) or "")


def own_ids(src: SourceFile) -> dict:
    """A file's xml:ids (id → the element giving it, the first where one repeats), in document
    order; those an xi:include brought in are the included file's, not this one's."""
    ids = {}
    for el in _with_xml_id(src.root):
        if src.origins and el in src.origins:
            continue
        i = el.get(XML_ID)
        if i not in ids:
            ids[i] = el
    return ids


def compactable(src: SourceFile) -> bool:
    """Whether a parsed (and expanded) file can be kept as a CompactFile: a document of one
    TEI (or documentary root), not a teiCorpus, not an id-only stand-in already."""
    return src.ok and not src.light and src.root.tag in DOCUMENT_ROOTS


def compact_document(src: SourceFile, convs, style, roots=()) -> CompactFile:
    """A parsed document file (its xi:includes expanded, from `roots`) as a CompactFile: its
    Record, and a stand-in tree of one element per xml:id (the real root's name, each element's
    name and line) from which the model finds the same ids as in the whole tree. `convs` None:
    its ids only, no Record."""
    if convs is None:
        return _compact(src, None, roots)
    from .context import page_facts, pointer_tokens  # (context imports this module)
    root = src.root
    path = canon(src.path)
    mentions = []
    for el in root.iter(*NAME_ELEMENTS):
        ref = el.get("ref")
        if ref and not not_rendered(el):
            here = src.written_in(el) if src.origins else None
            mentions += [(intern(pointer), intern(local(el.tag)), el.sourceline or 0, here)
                         for pointer in ref.split()]
    holder = etree.Element("facts")
    page_facts(holder, root)
    # (the same tokens and names recur in every document: one string each, not one a pointer;
    # at 10,000 documents the records' pointers and mentions took 8 KB a document, 2.6 after)
    pointers = [(intern(p), intern(e), intern(a)) for p, e, a in pointer_tokens(root)]
    record = Record(document_facts(path, root, convs, style), mentions, pointers,
                    list(holder), [(kind, eid, deepcopy(el)) for kind, eid, el in local_entries(root)])
    return _compact(src, record, roots)


def _compact(src: SourceFile, record: Record | None, roots) -> CompactFile:
    root = src.root
    stand_in = etree.Element(root.tag)
    for i, el in own_ids(src).items():
        if el is root:
            stand_in.set(XML_ID, i)
            stand_in.sourceline = root.sourceline
        else:
            child = etree.SubElement(stand_in, el.tag, {XML_ID: i})
            child.sourceline = el.sourceline
    return CompactFile(path=src.path, display=src.display, tree=etree.ElementTree(stand_in),
                       diagnostics=src.diagnostics, light=True, read_stat=src.read_stat,
                       included=src.included, record=record, roots=tuple(roots))


# Roots that make a document: a TEI, and the documentary ones (a page, a group of pages, a
# transcription of the source); a teiCorpus makes one per TEI in it (Edition._split_corpora).
DOCUMENT_ROOTS = frozenset(T + n for n in ("TEI", "surface", "surfaceGrp", "sourceDoc"))


def corpus_member(corpus: SourceFile, el, n: int) -> SourceFile:
    """The n-th TEI of a teiCorpus file as a SourceFile of its own (see Edition._split_corpora):
    its bytes are the member alone (its TEI copy); the corpus file counts as included, so that a
    change to its headers rebuilds the member's page."""
    copy = deepcopy(el)
    copy.tail = None
    lang = next((a.get(XML_LANG) for a in el.iterancestors() if a.get(XML_LANG) is not None), None)
    if lang is not None and copy.get(XML_LANG) is None:
        copy.set(XML_LANG, lang)
    tree = etree.ElementTree(copy)
    origins = {}
    for a, b in zip(copy.iter(), el.iter()):
        if isinstance(a.tag, str):
            origins[a] = (corpus.origins or {}).get(b) or (corpus, b)
    data = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
    member = SourceFile(path=Path(f"{corpus.path}#{n}"), display=corpus.display, data=data, tree=tree,
                        origins=origins, included=(canon(corpus.path), *(corpus.included or ())))
    return member


def _own_title(root) -> str:
    """The title a documentary root (surface, surfaceGrp, sourceDoc) gives itself: its label or
    head, else its @n."""
    for tag in ("label", "head", "desc"):
        el = root.find(T + tag)
        if el is not None and text_of(el):
            return text_of(el)
    return norm_space(root.get("n") or "")


def _file_title(path: Path) -> str:
    """A document's name from its file: the file's stem, and a corpus member's position."""
    name = path.name
    if "#" in name:
        base, n = name.rsplit("#", 1)
        return f"{Path(base).stem}#{n}" if n.isdigit() else Path(name).stem
    return path.stem


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


def is_authority_tree(tree) -> bool:
    """A file whose body holds only lists (of persons, places, …) and headings is an authority file."""
    root = tree.getroot()
    body = root.find(f"{T}text/{T}body")
    if body is None:
        return local(root.tag) in LIST_ELEMENTS
    kids = [local(c.tag) for c in body if isinstance(c.tag, str)]
    while kids == ["div"] and body.find(T + "div") is not None:  # lists wrapped in a single div
        body = body.find(T + "div")
        kids = [local(c.tag) for c in body if isinstance(c.tag, str)]
    # recognised by their listPerson/listPlace/listOrg: a body of only listBibl (a catalogue of
    # manuscripts, a bibliography) is a document to publish, not an authority file
    return any(k in CLASSES.authority_lists for k in kids) \
        and all(k in LIST_ELEMENTS or k == "head" for k in kids)
