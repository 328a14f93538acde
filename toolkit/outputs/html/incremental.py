"""Incremental builds: what the HTML build keeps between builds (its state, in the toolkit's
cache folder: toolkit/outputs/state.py) and how an unchanged or unreadable file stands in.

- The state (store.py: an SQLite file in the cache folder): each document file's facts (its bytes' hash and stat, its xml:ids, its
  document facts, what it points to, its graphics, its page), each document's mentions, the site
  pages' key and each copied image's hash. It is reused only when written by this very code
  (code_key): facts derived by other code are derived again.
- Stand-ins (stand_ins): a document file whose bytes are those of the previous build is not
  parsed; the model gets an id-only tree and the recorded facts.
- Recovery (recover_from): a document file that cannot be read now keeps its last good version's
  facts, page and TEI copy (Edition.stale).
- Sources: this build's view of each document file (hash, full tree, the facts to record).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...model import T, XML_ID, canon
from ...saxon import XSLT_DIR
from ...tei.entities import dates as entity_dates, idnos, roles as entity_roles
from ...xmlsafe import SourceFile, parse_file, read_regular, stat_key
from ..base import BuildError
from ..plan import digest
from ..state import TRUST_STAT, trusted_stat
from .facsimiles import facsimile_facts
from .media import graphic_refs

CACHE_FORMAT = 8  # bump when what is cached (or how the model derives document facts) changes
_code: dict = {}
_TOOLKIT = Path(__file__).resolve().parents[2]


def state_store(target: Path):
    """The store (store.HtmlStore) of the last build of this output folder, when made by this
    very code (code_key); else an empty one."""
    from . import store
    return store.for_target(target, f"{CACHE_FORMAT}:{code_key()}")


def read_state(target: Path) -> dict:
    """What the last build of this output folder recorded: {"files": canonical path → file
    facts, "site": the site pages' key, "media": image path → [stat key, hash]} ({} of each
    when there is none)."""
    st = state_store(target)
    return {"files": st.files(), "site": st.get_json("site") or {}, "media": _media(st.get_json("media"))}


def read_media(target: Path) -> dict:
    """The images the last build of this output folder copied (image path → [stat key, hash]):
    what `edition serve` watches, without reading every file's facts."""
    return _media(state_store(target).get_json("media"))


def _media(value) -> dict:
    """The images' hashes as recorded, those of the right shape ([stat key or None, hash])."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, list) and len(v) == 2 and isinstance(v[1], str)
            and (v[0] is None or isinstance(v[0], list))}


def code_key() -> str:
    """One hash of the toolkit's Python modules and of the TEI rules' data (the element classes,
    xslt/lib/tei-classes.xml): the state's facts are derived by them (the model's document facts,
    the mentions, the file facts), wherever a rule lives."""
    if "code" not in _code:
        rules = sorted((XSLT_DIR / "lib").glob("*.xml"))
        _code["code"] = digest(*(p.read_bytes() for p in (*sorted(_TOOLKIT.rglob("*.py")), *rules)))
    return _code["code"]


def load_known(target: Path) -> dict:
    """canonical path → facts of each document file of the previous build (its bytes' hash, its
    xml:ids, its document facts, what it points to), for runner.load_for_build."""
    return state_store(target).files()


@dataclass
class Previous:
    """What the last build recorded, as this build may use it (the documents' mentions are
    read from the store by passages.Mentions; `mentions` holds those known besides: a merge's
    shards')."""
    mentions: dict = field(default_factory=dict)   # document id → [key, mentions, registered]
    files: dict = field(default_factory=dict)      # canonical path → file facts
    site: dict = field(default_factory=dict)       # {"key": …, "pages": [addresses]}
    media: dict = field(default_factory=dict)      # image path → [stat key or None, hash]


def previous_state(target: Path, full: bool, edition) -> Previous:
    """The last build's state; a full build uses none of it, except what it knew of documents
    it cannot read now (their last good facts; their mentions: passages.Mentions)."""
    if not full:
        prev = read_state(target)
        site = prev["site"] if isinstance(prev["site"], dict) else {}
        return Previous({}, prev["files"], site, prev["media"])
    if edition.stale:
        files = load_known(target)
        return Previous({}, {k: v for k, v in files.items() if Path(k) in edition.stale})
    return Previous()


def save_state(target: Path, previous: Previous, files: dict, site: dict, media: dict, documents) -> None:
    """Record this build's state (store.HtmlStore: the mentions are there already): the rows of
    the files whose facts changed, the site's key and the images' hashes; rows of files and
    documents no longer in the edition removed. Committed at once (the output is complete)."""
    st = state_store(target)
    for path, facts in files.items():
        if facts != previous.files.get(path) or path in _stat_refreshed:
            facts = whole(st, path, facts)
            if facts is not None:
                st.put_file(path, facts)
    st.keep_files(set(files))
    st.keep_documents({d.id for d in documents})
    st.put_json("site", site)
    st.put_json("media", media)
    st.save()


def slim(facts: dict) -> dict:
    """A file's facts without its ids: what memory keeps once its id-only stand-in is made
    (the store has them; `whole` puts them back)."""
    return {k: v for k, v in facts.items() if k != "ids"}


def whole(st, path: str, facts: dict) -> dict | None:
    """A file's facts with its ids (from the store's row when memory kept them `slim`), or
    None when the store no longer has them (the next build reads the file again)."""
    if "ids" in facts:
        return facts
    row = st.file(path)
    return {**row, **facts} if row is not None else None


class LazySourceFile(SourceFile):
    """An id-only stand-in whose file is known unchanged by its size, times, inode and device
    (or was read into a record by this build: records.py): its bytes are read only if asked for
    (the TEI copy offered for download, when that must be written), and must still be those
    recorded. They are not kept: a full build writes every TEI copy, and the edition's bytes
    would stay in memory."""
    known_size = 0
    expected_hash = ""

    @property
    def data(self) -> bytes:
        if self.__dict__.get("_bytes") is not None:
            return self.__dict__["_bytes"]
        data = Path(self.path).read_bytes()
        if digest(data) != self.expected_hash:
            raise BuildError(f"{self.display}: changed while building")
        return data

    @data.setter
    def data(self, value: bytes) -> None:
        self.__dict__["_bytes"] = value or None


def _ids_tree(ids) -> etree._ElementTree:
    """The id-only tree of a file whose ids are recorded ([[element name, id]]): one element
    per id, under a TEI root."""
    root = etree.Element(T + "TEI")
    for tag, i in ids:
        etree.SubElement(root, tag, {XML_ID: i})
    return etree.ElementTree(root)


def id_stand_in(path: Path, display: str, ids, size: int, expected_hash: str) -> LazySourceFile:
    """The id-only stand-in of a document file whose ids and hash are recorded (the last build's
    state, or this build's record: records.py); its bytes are read when asked for."""
    src = LazySourceFile(path=Path(path), display=display, tree=_ids_tree(ids), light=True)
    src.known_size, src.expected_hash = size, expected_hash
    return src


def file_size(src) -> int:
    """A document file's size, without reading a LazySourceFile's bytes."""
    return src.known_size if isinstance(src, LazySourceFile) else len(src.data)


# Files whose record got a (fresh) stat while this process read them (stand_ins): the cache is
# written even by a build that changes nothing else.
_stat_refreshed: set[str] = set()


def not_documents(config, authority: list[Path]) -> set[Path]:
    """The canonical paths of the edition's files that are no documents: its authority files
    (configured or given) and its edition file."""
    skip = {canon(Path(p)) for p in (*config.authority_files(), *authority)}
    if config.edition_file:
        skip.add(canon(config.resolve(config.edition_file)))
    return skip


def stand_ins(config, authority: list[Path], known: dict) -> tuple[dict, dict]:
    """Id-only stand-ins (no parse) for the document files whose bytes are those of the previous
    build, and their document facts: ({path: SourceFile}, {path: facts}) for Edition.load."""
    from ...model import display_name
    from ...tei.facts import date_style
    skip = not_documents(config, authority)
    parsed, docs = {}, {}
    root_dir = config.root
    style = date_style(config.language).key()  # facts labelled in another date style are read again
    root_s = os.path.abspath(root_dir) + os.sep
    for name, f in known.items():  # Edition.load takes those of its files that are here
        p = Path(name)
        rp = canon(p)
        if rp in skip or f.get("included") or f.get("style") != style:
            continue  # (a file with includes is read again: an included file may have changed)
        # the file as recorded (size, times, inode: file_facts) is not even read: its bytes are
        # read when asked for (LazySourceFile); else read, and taken when its hash is the same
        src_kw: dict = {}
        stat_rec = f.get("stat")
        if stat_rec and TRUST_STAT:
            try:
                st = os.stat(name)
            except OSError:
                continue
            if list(stat_key(st)) == stat_rec:
                src_kw = {"known_size": st.st_size}
        if not src_kw:
            try:
                data, read_stat = read_regular(name)
            except OSError:
                continue
            if digest(data) != f["hash"]:
                continue
            fresh = trusted_stat(read_stat)  # (a file saved just before its last read, touched …)
            if fresh is not None and fresh != stat_rec:
                f["stat"] = fresh
                _stat_refreshed.add(name)
        # display_name's answer, without its path arithmetic, for a file below the root
        display = name[len(root_s):] if name.startswith(root_s) and os.sep == "/" else display_name(p, root_dir)
        if src_kw:
            src = id_stand_in(p, display, f["ids"], src_kw["known_size"], f["hash"])
        else:
            src = SourceFile(path=p, display=display, data=data, tree=_ids_tree(f["ids"]), light=True)
        parsed[rp] = src
        docs[rp] = tuple(f["doc"])
        del f["ids"]  # (in its stand-in now, and in the store: save_state puts them back)
    return parsed, docs


def recover_from(target: Path, known: dict | None = None):
    """Edition.load's `recover` for an output folder: a document file that cannot be read now,
    whose last good version this output published (the build state records its ids, facts and
    page, and the page is still there), stands in with that version's ids and facts; its page
    and TEI copy stay as they are (documents.DocumentPages.keep_stale). Its bytes are never read again."""

    state = [known]  # None: read on the first document that cannot be read (a full build)

    def recover(path: Path, failed: SourceFile):
        if state[0] is None:
            state[0] = load_known(target)
        f = state[0].get(str(path))
        if not f or not f.get("page") or not f.get("doc") or not os.path.isfile(os.path.join(target, f["page"])):
            return None
        return id_stand_in(path, failed.display, f["ids"], 0, f["hash"]), tuple(f["doc"])
    return recover



def pointed_to(root) -> tuple[set[str], set[str]]:
    """The ids and the file names a document's pointers (@ref, @key, @target, @corresp) name:
    what its page depends on."""
    refs: set[str] = set()
    files: set[str] = set()
    for v in root.xpath("//@ref | //@key | //@target | //@corresp"):
        for tok in str(v).split():
            refs.add(tok.rsplit("#", 1)[-1])
            f = tok.split("#", 1)[0].rsplit("/", 1)[-1]
            if f.endswith(".xml"):
                files.add(f)
    return refs, files


def entity_record(edition, ent_page: dict[str, str], eid: str) -> str:
    """What a page shows of an entity it names (its popover): part of the page's fingerprint."""
    e = edition.entities[eid]
    facts = [] if e.element is None else [entity_dates(e.element), *entity_roles(e.element),
                                          *("\x1e".join(i) for i in idnos(e.element))]
    return "\x1f".join([eid, e.kind, ent_page.get(eid, ""), e.preferred, *e.variants, "|", e.note, "|", *facts])


def _included_bytes(src) -> list[bytes]:
    """The bytes of the files a document includes (xi:include): part of its fingerprint, so that
    a changed issue rebuilds its volume."""
    out = []
    for p in src.included or ():
        try:
            out.append(read_regular(p, with_stat=False)[0])
        except OSError:
            out.append(b"")
    return out


class Sources:
    """This build's view of each document file: the hash of its bytes, its parsed tree (parsed
    now when the model holds a stand-in), and the facts recorded for the next build (`facts`,
    canonical path → facts: file_facts, or the last good ones of a stale file)."""

    def __init__(self, edition, previous: dict, fresh: dict | None = None):
        self.ed = edition
        # the facts of files whose stand-in the model holds: the last build's, or this build's
        # of the documents it read into records (records.py)
        self.previous: dict[str, dict] = {**previous, **fresh} if fresh else previous
        self.facts: dict[str, dict] = {}
        self._hashes: dict[Path, str] = {}
        # the last stand-in parsed whole (its page and, should the stylesheet fail on it, its
        # plain page): one at a time, so that a worker's memory does not grow with its share
        self._full_tree: tuple[Path, etree._ElementTree] | None = None

    def data_hash(self, d) -> str:
        """The hash of a document file's bytes (computed once per build)."""
        path = canon(d.file)
        h = self._hashes.get(path)
        if h is None:
            src = self.ed.files[path]
            prev = self.previous.get(str(path)) if src.light else None  # verified by stand_ins
            h = self._hashes[path] = prev["hash"] if prev else digest(src.data, *_included_bytes(src))
        return h

    def full_tree(self, d) -> etree._ElementTree:
        """The parsed tree of a document, parsing it now if the model holds an id-only stand-in
        (its bytes were unchanged since the last build)."""
        src = self.ed.files[canon(d.file)]
        if not src.light:
            return src.tree
        path = canon(d.file)
        if self._full_tree is None or self._full_tree[0] != path:
            self._full_tree = None
            full = parse_file(src.path, src.display)
            prev = self.previous.get(str(path))
            if not full.ok or (prev is not None and digest(full.data) != prev["hash"]):
                raise BuildError(f"{src.display}: changed while building")
            self._full_tree = (path, full.tree)
        return self._full_tree[1]

    def file_facts(self, d, page: str, source: str) -> dict | None:
        """What the next build needs to know of this document's file without parsing it."""
        path = canon(d.file)
        src = self.ed.files[path]
        if src.light:
            prev = self.previous.get(str(path))
            if prev is not None and path not in self.ed.stale:
                prev = {**prev, "page": page, "source": source}
            return prev
        if src.diagnostics:
            return None
        refs, files = pointed_to(src.root)
        facts = {"hash": self.data_hash(d), "ids": [[el.tag, i] for i, el in self.ed.ids.get(path, {}).items()],
                 "doc": [d.source_id, d.title, d.when, d.date_label, d.summary, d.transcribed, d.fields,
                         d.date_written, d.doc_type],
                 "refs": sorted(refs), "files": sorted(files), "graphics": graphic_refs(src.root),
                 "facsimile": facsimile_facts(src.root, self.ed.config),
                 "page": page, "source": source, "style": self.ed.date_style.key()}
        if src.included:
            facts["included"] = [str(p) for p in src.included]
        stat = trusted_stat(src.read_stat)  # see stand_ins and RACY_NS
        if stat is not None:
            facts["stat"] = stat
        return facts

    def size(self, d) -> int:
        return file_size(self.ed.files[canon(d.file)])

    def display(self, path: Path) -> str:
        src = self.ed.files.get(canon(path))
        return src.display if src is not None else str(path)
