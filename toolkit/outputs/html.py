"""The HTML edition: a static site from XSLT 3.0 (xslt/html/), orchestrated here.

Flow (docs/html.md): the Edition model → the context document (plus page addresses) → a plan
(fingerprints, toolkit/outputs/plan.py) → document pages (xslt/html/document.xsl, in parallel
worker processes when there are many) → site pages (xslt/html/site.xsl: listings, indices,
entity pages, map, chronology, search, home, data for the facets; one transform writing every
page that changed) → static assets → Pagefind index → manifest → atomic swap of output/html.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from .. import saxon
from . import search
from ..diagnostics import ERROR, Diagnostic
from ..model import LIST_ELEMENTS, Edition, T, XML_ID, canon, local, norm_space, text_of
from ..tei.classes import CLASSES, not_rendered
from ..tei.lang import lang_tag
from ..tei.names import page_name
from ..tei.reading import reading_blocks
from ..xmlsafe import SourceFile, parse_file, read_regular, serialize_for_saxon, stat_key
from .plan import MANIFEST, Plan, digest, tree_digest
from .publish import staged_output, start_seed, write_file
from .state import state_file, write_state
from .runner import BuildError, BuildResult

XSLT_HTML = saxon.XSLT_DIR / "html"
DOCUMENT_XSL = XSLT_HTML / "document.xsl"
SITE_XSL = XSLT_HTML / "site.xsl"
ASSETS = XSLT_HTML / "assets"
PER_PAGE = 10
# Authority files with more entries than this (a project-wide register) get pages only for the
# entities the documents mention; smaller ones get a page for every entry.
ALL_ENTITY_PAGES_UP_TO = 500

# The element classes (xslt/lib/tei-classes.xml): elements that get a stable id inside tei:text
# (as xslt/html/text/ids.xsl gives them), and the passage a mention belongs to: its nearest
# ancestor among PASSAGE (else any citable one).
CITABLE = CLASSES.citable
PASSAGE = CLASSES.passage
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
NAME_TAGS = tuple(T + n for n in CLASSES.ordered("name-elements"))  # as the model's mentions
CACHE = "html.json"  # the build's state (toolkit/outputs/state.py), outside the site
CACHE_FORMAT = 7  # bump when what is cached (or how the model derives document facts) changes

# Documents are transformed in worker processes when there is enough work to pay for them.
PARALLEL_MIN_DOCS = 12
PARALLEL_MIN_SITE_PAGES = 24  # fewer site pages are written in the main process
PARALLEL_MIN_BYTES = 4 * 1024 * 1024

# Local images a graphic/media @url points to are copied into the site (media/<hash>-<name>) when
# they are of a type browsers show in <img> and not larger than this (HtmlBuild.media_of).
# (Not SVG: a copy opened by its own address would run any script in it, on the site's origin.)
MEDIA_TYPES = frozenset((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"))
MEDIA_MAX_BYTES = 50 * 1024 * 1024
GRAPHIC_TAGS = (T + "graphic", T + "media")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def quoteattr(data: str) -> str:
    """xml.sax.saxutils.quoteattr, without importing it (it imports urllib.request: 15 ms)."""
    data = data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    data = data.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            return '"%s"' % data.replace('"', "&quot;")
        return "'%s'" % data
    return '"%s"' % data


def safe_name(s: str) -> str:
    t = re.sub(r"[^A-Za-z0-9._-]+", "-", s).strip("-.")
    return t or "x"


@dataclass
class DocJob:
    path: Path
    page: str
    text: str          # the safely parsed tree, serialised for Saxon (no DOCTYPE)
    uri: str
    context: str       # this page's slice of the context (see HtmlBuild.context_slice)
    search_out: str | None = None  # where the page's search copy goes (search.write_search_copy)


# -- facts of unchanged files (the cache of the previous build) -----------------------------------
_cache_read: dict = {}


def _read_cache(target: Path) -> dict:
    path = state_file(target, CACHE)
    try:
        st = path.stat()
        key = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)
        if _cache_read.get("key") == key:  # read once per build (runner, then the builder)
            return _cache_read["data"]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # facts derived by code that has changed since (the model, this module) are not reused
    data = data if isinstance(data, dict) and data.get("format") == CACHE_FORMAT \
        and data.get("code") == _code_key() else {}
    _cache_read.update(key=key, data=data)
    return data


def _code_key() -> str:
    from .. import model, tei, xmlsafe
    if "code" not in _cache_read:
        # the model and the TEI rules it derives document facts by (toolkit/tei/, and the element
        # classes in xslt/lib/tei-classes.xml)
        rules = sorted(Path(tei.__file__).parent.glob("*.py")) + sorted((saxon.XSLT_DIR / "lib").glob("*.xml"))
        _cache_read["code"] = digest(*(Path(f).read_bytes() for f in (model.__file__, xmlsafe.__file__, __file__, *rules)))
    return _cache_read["code"]


def load_known(target: Path) -> dict:
    """canonical path → facts of each document file of the previous build (its bytes' hash, its
    xml:ids, its document facts, what it points to), for runner.load_for_build."""
    return _read_cache(target).get("files", {})


class LazySourceFile(SourceFile):
    """An id-only stand-in whose file is known unchanged by its size, times, inode and device:
    its bytes are read only if asked for (the TEI copy offered for download, when that must be
    written), and must still be those the previous build recorded."""
    known_size = 0
    expected_hash = ""

    @property
    def data(self) -> bytes:
        if self.__dict__.get("_bytes") is None:
            data = Path(self.path).read_bytes()
            if digest(data) != self.expected_hash:
                raise BuildError(f"{self.display}: changed while building")
            self.__dict__["_bytes"] = data
        return self.__dict__["_bytes"]

    @data.setter
    def data(self, value: bytes) -> None:
        self.__dict__["_bytes"] = value or None


def file_size(src) -> int:
    """A document file's size, without reading a LazySourceFile's bytes."""
    return src.known_size if isinstance(src, LazySourceFile) else len(src.data)


# A file modified (or its status changed) less than this before it was read might change again
# within the same tick of a coarse clock: its size and times are not trusted to stand for its
# bytes (git's "racy" rule). Nor are they on Windows, whose st_ctime is the creation time.
RACY_NS = 2_000_000_000
TRUST_STAT = os.name != "nt"
# Files whose record got a (fresh) stat while this process read them (stand_ins): the cache is
# written even by a build that changes nothing else.
_stat_refreshed: set[str] = set()


def trusted_stat(read_stat: tuple | None) -> list | None:
    """The stat key (xmlsafe.stat_key) of a file as read, when it can stand for its bytes."""
    if not TRUST_STAT or read_stat is None:
        return None
    *key, t0 = read_stat
    return list(key) if max(key[1], key[2]) < t0 - RACY_NS else None


def stand_ins(config, authority: list[Path], known: dict) -> tuple[dict, dict]:
    """Id-only stand-ins (no parse) for the document files whose bytes are those of the previous
    build, and their document facts: ({path: SourceFile}, {path: facts}) for Edition.load."""
    from ..model import display_name
    skip = {canon(Path(p)) for p in config.authority_files()} | {canon(Path(a)) for a in authority}
    if config.edition_file:
        skip.add(canon(config.resolve(config.edition_file)))
    parsed, docs = {}, {}
    root_dir = config.root
    root_s = os.path.abspath(root_dir) + os.sep
    for name, f in known.items():  # Edition.load takes those of its files that are here
        p = Path(name)
        rp = canon(p)
        if rp in skip:
            continue
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
        root = etree.Element(T + "TEI")
        for tag, i in f["ids"]:
            etree.SubElement(root, tag, {XML_ID: i})
        # display_name's answer, without its path arithmetic, for a file below the root
        display = name[len(root_s):] if name.startswith(root_s) and os.sep == "/" else display_name(p, root_dir)
        if src_kw:
            src = LazySourceFile(path=p, display=display, tree=etree.ElementTree(root), light=True)
            src.known_size, src.expected_hash = src_kw["known_size"], f["hash"]
        else:
            src = SourceFile(path=p, display=display, data=data, tree=etree.ElementTree(root), light=True)
        parsed[rp] = src
        docs[rp] = tuple(f["doc"])
    return parsed, docs


def recover_from(target: Path, known: dict):
    """Edition.load's `recover` for an output folder: a document file that cannot be read now,
    whose last good version this output published (the build state records its ids, facts and
    page, and the page is still there), stands in with that version's ids and facts; its page
    and TEI copy stay as they are (HtmlBuild._keep_stale). Its bytes are never read again."""

    def recover(path: Path, failed: SourceFile):
        f = known.get(str(path))
        if not f or not f.get("page") or not f.get("doc") or not os.path.isfile(os.path.join(target, f["page"])):
            return None
        root = etree.Element(T + "TEI")
        for tag, i in f["ids"]:
            etree.SubElement(root, tag, {XML_ID: i})
        src = LazySourceFile(path=path, display=failed.display, tree=etree.ElementTree(root), light=True)
        src.known_size, src.expected_hash = 0, f["hash"]
        return src, tuple(f["doc"])
    return recover


# -- worker processes --------------------------------------------------------------------------
_worker = {}


def _worker_init(edition_xml: str | None, base_uris: tuple[str, str | None]):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    exe = saxon.compile_stylesheet(DOCUMENT_XSL)
    _worker["edition"] = saxon.to_xdm(edition_xml, base_uris[1]) if edition_xml is not None else None
    if _worker["edition"] is not None:
        exe.set_parameter("edition-file", _worker["edition"])
    _worker["ctx_uri"] = base_uris[0]
    exe.set_parameter("root", saxon.processor().make_string_value("../"))
    _worker["exe"] = exe


# A forked worker's jobs, inherited from the parent (no pickling): each a function that makes
# the job's arguments, so that serialising the document and slicing the context happen in the
# workers, side by side, instead of in the parent before any worker starts.
_fork_jobs: list = []


def _worker_run(job) -> tuple[str, str | None, str]:
    """(page path, error or None, kind): kind "render" for Saxon's errors on the document (the
    parent makes a plain page instead, as the single-process path does), "build" for anything
    else (a bug, a full disk): those stop the build."""
    try:
        out, text, uri, context, search_out = _fork_jobs[job]() if isinstance(job, int) else job
    except Exception as e:  # reported by the parent with the file name
        return (_fork_jobs[job].out if isinstance(job, int) else job[0]), str(e) or type(e).__name__, "build"
    try:
        _worker["exe"].set_parameter("edition-context", saxon.to_xdm(context, _worker["ctx_uri"]))
        node = saxon.to_xdm(text, uri)
        html = saxon.run(_worker["exe"], xdm_node=node)
    except Exception as e:  # saxonche's errors: reported by the parent with the file name
        return out, str(e) or type(e).__name__, "render"
    try:
        write_file(Path(out), html)
        if search_out:
            search.write_search_copy(html, Path(search_out))
        return out, None, ""
    except Exception as e:
        return out, str(e) or type(e).__name__, "build"


def _site_run(job) -> tuple[str, str | None]:
    """Write a share of the site pages (site.xsl, compiled once per worker)."""
    site_xml, ctx_xml, base_out = job
    try:
        exe = _worker.get("site")
        if exe is None:
            exe = saxon.compile_stylesheet(SITE_XSL)
            if _worker.get("edition") is not None:
                exe.set_parameter("edition-file", _worker["edition"])
            _worker["site"] = exe
        exe.set_parameter("edition-context", saxon.to_xdm(ctx_xml, _worker["ctx_uri"]))
        exe.set_base_output_uri(base_out)
        saxon.run(exe, xdm_node=saxon.to_xdm(site_xml, base_out + "site.xml"))
        return "site pages", None
    except Exception as e:  # reported by the parent
        return "site pages", str(e) or type(e).__name__


class _LazyJob:
    """A forked worker's job: made in the worker, from the builder it inherited."""

    def __init__(self, builder, stage: Path, ctx, d):
        self.builder, self.stage, self.ctx, self.d = builder, stage, ctx, d
        self.out = str(stage / builder.doc_page[d.id])

    def __call__(self):
        j = self.builder._doc_job(self.stage, self.ctx, self.d)
        return self.out, j.text, j.uri, j.context, j.search_out


# -- the builder -------------------------------------------------------------------------------
class HtmlBuild:
    def __init__(self, edition: Edition, target: Path, full: bool, interactive: bool,
                 search_index: bool = True, report=None):
        self.ed = edition
        self.report = report  # called with the diagnostics of pages that could not be rendered
        self.render_failed: dict[str, Diagnostic] = {}  # page → why the stylesheet failed on it
        self.target = Path(target)
        self.full = full
        self.interactive = interactive
        self.search_index = search_index  # False: --no-search, the site without the Pagefind index
        self.search_work: Path | None = None  # search copies written by the document workers
        self._site_async: list = []  # site page shares queued to the worker pool (queue_site)
        self._pool_workers = 1
        self.plan = Plan.load(self.target, full)
        self.progress = None
        self.cache: dict[str, list] = {}
        self.cache_prev: dict[str, list] = {}
        self.files_cache: dict[str, dict] = {}
        self.files_prev: dict[str, dict] = {}
        self.site_prev: dict = {}
        self.site_cache: dict = {}
        self._full_trees: dict[Path, etree._ElementTree] = {}
        self._hashes: dict[Path, str] = {}
        self.media_prev: dict[str, list] = {}   # image path → [stat key or None (trusted_stat), hash]
        self.media_cache: dict[str, list] = {}
        self.doc_media: dict[str, list[tuple[str, str, str]]] = {}  # document id → [(url, bases, href)]
        self.media_files: dict[str, tuple[str, str]] = {}  # media/<name> → (image path, content hash)
        if not full:
            prev = _read_cache(self.target)
            self.cache_prev = prev.get("mentions", {})
            self.files_prev = prev.get("files", {})
            self.site_prev = prev.get("site", {})
            self.media_prev = prev.get("media", {})
        elif edition.stale:  # a full build still keeps what it knew of documents it cannot read
            prev = _read_cache(self.target)
            stale_ids = {d.id for d in edition.documents if canon(d.file) in edition.stale}
            self.files_prev = {k: v for k, v in prev.get("files", {}).items() if Path(k) in edition.stale}
            self.cache_prev = {k: v for k, v in prev.get("mentions", {}).items() if k in stale_ids}
        self.entities_key = digest(*(f"{eid}@{e.file}" for eid, e in sorted(edition.entities.items())))

    # addresses ------------------------------------------------------------------------------
    def assign_pages(self):
        self.doc_page: dict[str, str] = {}
        self.doc_source: dict[str, str] = {}
        # one name per document for its page, TEI copy and PDF (Edition.page_names); the copy keeps
        # the folders of its source
        names = self.ed.page_names()
        for d in self.ed.documents:
            self.doc_page[d.id] = f"doc/{names[d.id]}.html"
            folders = [page_name(p) for p in d.href.split("/")[:-1] if p not in ("", ".", "..")]
            self.doc_source[d.id] = "/".join(["tei", *folders, names[d.id] + ".xml"])
        self.ent_page: dict[str, str] = {}
        entities = self.ed.entities
        if len(entities) > ALL_ENTITY_PAGES_UP_TO:
            # those its registers name too: the register entries of its page link to them
            mentioned = {eid for d in self.ed.documents for eid, _, _ in self.doc_mentions(d)} \
                | {eid for d in self.ed.documents for eid in self.doc_registered(d)}
            entities = {e: v for e, v in entities.items() if e in mentioned}
        names = self.ed.entity_names()
        for eid in sorted(entities):
            self.ent_page[eid] = f"entity/{names[eid]}.html"

    def context(self) -> etree._ElementTree:
        """The model's context document (lean: files, ids, entities) plus the documents with
        their page addresses; mentions are not needed by the stylesheets."""
        ctx = self.ed.context_document(lean=True)
        root = ctx.getroot()
        self._edition_attrs(root)
        first_entity = root.find("entity")
        for d in self.ed.documents:
            e = self._doc_ctx_el(d)
            if first_entity is not None:
                first_entity.addprevious(e)
            else:
                root.append(e)
        for e in root.iter("entity"):
            if e.get("id") in self.ent_page:
                e.set("page", self.ent_page[e.get("id")])
        return ctx

    @functools.cached_property
    def info_fields(self) -> str:
        """The optional information fields some document of the edition has (Edition.info_fields)."""
        return self.ed.info_fields()

    def _edition_attrs(self, root) -> None:
        """Facts of the whole edition that document pages show, as attributes of <edition>:
        info-fields, the optional fields of "Document information" some document gives
        (Edition.info_fields; part of every document page's fingerprint); and the fields
        themselves, as the edition configures them (toolkit/tei/conventions.py), as the first
        children: <info-field name label find/>."""
        root.set("info-fields", self.info_fields)
        for f in reversed(self.ed.conventions.info_fields):
            root.insert(0, etree.Element("info-field", name=f.name, label=f.label, find=" ".join(f.find)))

    def _doc_ctx_el(self, d) -> etree._Element:
        e = etree.Element("document", id=d.id, href=d.href, uri=canon(d.file).as_uri(), when=d.when,
                          title=d.title, transcribed=str(d.transcribed).lower(),
                          page=self.doc_page[d.id], source=self.doc_source[d.id])
        etree.SubElement(e, "date", written=d.date_written).text = d.date_label
        etree.SubElement(e, "summary").text = d.summary
        return e

    def context_slice(self, ctx_root, d) -> str:
        """What document.xsl needs of the context for one document: the document and its
        neighbours (as siblings, in date order), the documents it points to (in <refs>) and the
        entities it names. Saxon indexes a context anew for every transform, so a small slice
        keeps each transform independent of the edition's size."""
        if not hasattr(self, "_ctx_parts"):
            if ctx_root is None:  # no whole context needed: the same parts, made directly
                ctx_root = self.ed.context_document(lean=True, files=False).getroot()
                self._edition_attrs(ctx_root)
                for e in ctx_root.iter("entity"):
                    if e.get("id") in self.ent_page:
                        e.set("page", self.ent_page[e.get("id")])
                self._ctx_docs = {}
            else:
                self._ctx_docs = {e.get("id"): etree.tostring(e, encoding="unicode") for e in ctx_root.iter("document")}
            self._ctx_ents = {e.get("id"): etree.tostring(e, encoding="unicode") for e in ctx_root.iter("entity")}
            self._doc_index = {x.id: i for i, x in enumerate(self.ed.documents)}
            self._docs_by_id = {x.id: x for x in self.ed.documents}
            self._doc_by_name: dict[str, list[str]] = {}
            for x in self.ed.documents:
                self._doc_by_name.setdefault(x.file.name, []).append(x.id)
            self._ctx_head = "<edition" + "".join(f" {k}={quoteattr(v)}" for k, v in ctx_root.attrib.items()) + ">" \
                + "".join(etree.tostring(f, encoding="unicode") for f in ctx_root.iterchildren("info-field"))
            self._ctx_parts = True
        docs = self.ed.documents
        i = self._doc_index[d.id]
        near = [docs[n].id for n in (i - 1, i, i + 1) if 0 <= n < len(docs)]
        refs, files = self.doc_refs.get(d.id, (set(), set()))
        # documents it points to by file name, or by id (a letter's correspContext/ref)
        linked = sorted(({o for f in files for o in self._doc_by_name.get(f, ())}
                         | {r for r in refs if r in self._docs_by_id}) - set(near))
        for x in (*near, *linked):
            if x not in self._ctx_docs:
                self._ctx_docs[x] = etree.tostring(self._doc_ctx_el(self._docs_by_id[x]), encoding="unicode")
        own = self._ctx_docs[d.id]
        if self.doc_media.get(d.id):  # its copied images (structure.xsl shows them)
            cut = own.rindex("</document>")
            own = own[:cut] + "".join(f"<media src={quoteattr(u)} base={quoteattr(b)} href={quoteattr(h)}/>"
                                      for u, b, h in self.doc_media[d.id]) + own[cut:]
        parts = [self._ctx_head, *(own if x == d.id else self._ctx_docs[x] for x in near), "<refs>",
                 *(self._ctx_docs[x] for x in linked), "</refs>",
                 *(self._ctx_ents[r] for r in sorted(refs) if r in self._ctx_ents), "</edition>"]
        return "".join(parts)

    def doc_mentions(self, d) -> list[tuple[str, str, str]]:
        """[(entity id, passage id, snippet)] for one document, in document order, once per
        entity and passage. Cached across builds by the document's bytes and the entity ids."""
        return [tuple(x) for x in self._mentions_raw(d)]

    def _mentions_raw(self, d) -> list:
        if d.id in self.cache:
            return self.cache[d.id][1]
        key = digest(self.data_hash(d), self.entities_key)
        hit = self.cache_prev.get(d.id)
        if hit and len(hit) == 3 and (hit[0] == key or canon(d.file) in self.ed.stale):
            self.cache[d.id] = hit  # (a stale document's last good mentions, whatever changed)
            return hit[1]
        if canon(d.file) in self.ed.stale:
            self.cache[d.id] = [key, [], []]
            return []
        root = self.full_tree(d).getroot()
        ids = cite_ids(root)
        texts: dict = {}
        out, seen = [], set()
        registered: set[str] = set()
        for el in root.iter(*NAME_TAGS):
            if not_rendered(el):  # the page does not show it: no mention
                continue
            register = in_register(el)
            for pointer in (el.get("ref") or "").split():
                eid = self._entity_of(pointer, d.file)
                if eid is None:
                    continue
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
        self.cache[d.id] = [key, out, sorted(registered)]
        return out

    def doc_registered(self, d) -> list[str]:
        """The entities a document's back-matter registers name (no passages: in_register)."""
        self._mentions_raw(d)
        return self.cache[d.id][2]

    def _entity_of(self, pointer: str, file: Path) -> str | None:
        """The entity id a pointer in `file` designates (Edition.resolve), remembered per folder
        for pointers with a file part ("persons.xml#x" means the same in every file of a folder)
        and per file for the others."""
        if not hasattr(self, "_resolved"):
            self._resolved: dict[tuple, str | None] = {}
        where = str(file)
        if "#" in pointer and pointer.strip().split("#", 1)[0]:
            where = os.path.dirname(where)
        key = (pointer, where)
        if key not in self._resolved:
            target = self.ed.resolve(pointer, file)
            self._resolved[key] = target[1] if target and target[1] in self.ed.entities else None
        return self._resolved[key]

    def data_hash(self, d) -> str:
        """The hash of a document file's bytes (computed once per build)."""
        path = canon(d.file)
        h = self._hashes.get(path)
        if h is None:
            src = self.ed.files[path]
            prev = self.files_prev.get(str(path)) if src.light else None  # verified by stand_ins
            h = self._hashes[path] = prev["hash"] if prev else digest(src.data)
        return h

    def full_tree(self, d) -> etree._ElementTree:
        """The parsed tree of a document, parsing it now if the model holds an id-only stand-in
        (its bytes were unchanged since the last build)."""
        src = self.ed.files[canon(d.file)]
        if not src.light:
            return src.tree
        path = canon(d.file)
        if path not in self._full_trees:
            full = parse_file(src.path, src.display)
            prev = self.files_prev.get(str(path))
            if not full.ok or (prev is not None and digest(full.data) != prev["hash"]):
                raise BuildError(f"{src.display}: changed while building")
            self._full_trees[path] = full.tree
        return self._full_trees[path]

    def file_facts(self, d) -> dict | None:
        """What the next build needs to know of this document's file without parsing it."""
        path = canon(d.file)
        src = self.ed.files[path]
        if src.light:
            prev = self.files_prev.get(str(path))
            if prev is not None and path not in self.ed.stale:
                prev = {**prev, "page": self.doc_page[d.id], "source": self.doc_source[d.id]}
            return prev
        if src.diagnostics:
            return None
        refs, files = pointed_to(src.root)
        facts = {"hash": self.data_hash(d), "ids": [[el.tag, i] for i, el in self.ed.ids.get(path, {}).items()],
                "doc": [d.source_id, d.title, d.when, d.date_label, d.summary, d.transcribed, d.fields,
                        d.date_written],
                "refs": sorted(refs), "files": sorted(files), "graphics": graphic_refs(src.root),
                "page": self.doc_page[d.id], "source": self.doc_source[d.id]}
        stat = trusted_stat(src.read_stat)  # see stand_ins and RACY_NS
        if stat is not None:
            facts["stat"] = stat
        return facts

    # local images ---------------------------------------------------------------------------
    def media_of(self, d, graphics: list) -> list[tuple[str, str, str]]:
        """[(url, bases, href)]: the graphics of a document whose image the site gets a copy of,
        href its address in the site (media/<12 hex of the content hash>-<safe name>); each copy
        is registered in the plan (so a changed image is copied anew and a removed one deleted).
        An image qualifies when its @url is relative, it resolves (against the file and the
        xml:base in effect) to a regular file inside the edition's root folder (an ad hoc build:
        inside the TEI file's folder), symbolic links followed, with an extension in MEDIA_TYPES,
        of at most MEDIA_MAX_BYTES. Any other graphic keeps its link (structure.xsl)."""
        out = []
        if not graphics:
            return out
        file_uri = canon(d.file).as_uri()
        cfg = self.ed.config
        top = os.path.realpath(cfg.root if cfg.path is not None else canon(d.file).parent)
        for url, bases in graphics:
            real = _local_image(file_uri, bases, url, top)
            if real is None:
                continue
            try:
                st = os.stat(real)
            except (OSError, ValueError):
                continue
            if not stat.S_ISREG(st.st_mode) or st.st_size > MEDIA_MAX_BYTES:
                continue
            try:
                h = self._media_hash(real, st)
            except OSError:
                continue
            href = f"media/{h[:12]}-{safe_name(os.path.basename(real))}"
            if href not in self.media_files:
                self.media_files[href] = (real, h)
                self.plan.add(href, h)
            out.append((url, bases, href))
        return out

    def _media_hash(self, real: str, st) -> str:
        """The SHA-256 of an image, from the previous build's cache when the file's stat is the
        one recorded — recorded only when it could stand for the bytes (trusted_stat, the rule
        of the document files) —, else read and hashed."""
        key = list(stat_key(st))
        hit = self.media_prev.get(real)
        if TRUST_STAT and hit and len(hit) == 2 and hit[0] == key:
            self.media_cache[real] = hit
            return hit[1]
        t0 = time.time_ns()
        h = hashlib.sha256()
        with open(real, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        self.media_cache[real] = [trusted_stat((*key, t0)), h.hexdigest()]
        return h.hexdigest()

    def copy_media(self, stage: Path, href: str) -> None:
        """Copy an image into the staging folder (a copy, never a link to the editor's file)."""
        real, h = self.media_files[href]
        data = Path(real).read_bytes()
        if hashlib.sha256(data).hexdigest() != h:
            raise BuildError(f"{real}: changed while building")
        write_file(stage / href, data)

    def passages(self) -> dict[str, list[tuple[str, str, str]]]:
        """entity id → [(document id, passage id, snippet)], in document order."""
        out: dict[str, list[tuple[str, str, str]]] = {}
        for d in self.ed.documents:
            for eid, pid, snip in self.doc_mentions(d):
                out.setdefault(eid, []).append((d.id, pid, snip))
        return out

    # fingerprints ---------------------------------------------------------------------------
    def entity_record(self, eid: str) -> str:
        e = self.ed.entities[eid]
        return "\x1f".join([eid, e.kind, self.ent_page.get(eid, ""), e.preferred, *e.variants, "|", e.note])

    seed = None

    def run(self) -> BuildResult:
        try:
            return self._run()
        except BaseException:
            if self.seed is not None:  # not used, or already removed: either way, gone
                self.seed.cancel()
            raise

    def _run(self) -> BuildResult:
        t0 = time.perf_counter()
        result = BuildResult("html", self.target)
        ed = self.ed
        if not ed.documents:
            raise BuildError("no TEI documents to build (authority files alone make no site)")
        # an incremental build starts copying the current output (hard links) at once, beside
        # the planning below
        self.seed = start_seed(self.target) if not self.full and (self.target / MANIFEST).exists() else None
        self.assign_pages()
        self.doc_refs: dict[str, tuple[set, set]] = {}
        self.searchable = [self.doc_page[d.id] for d in ed.documents] + sorted(self.ent_page.values())
        self.source_bytes = sum(file_size(ed.files[canon(d.file)]) for d in ed.documents)
        self.shards = search.shard_count(len(self.searchable), self.source_bytes)
        self.by_shard: dict[int, list[str]] = {}
        for rel in (self.searchable if self.search_index else ()):
            self.by_shard.setdefault(search.shard_of(rel, self.shards), []).append(rel)
        # the stylesheets, and the shared library with its data (the element classes)
        styles = tree_digest(XSLT_HTML, saxon.XSLT_DIR / "lib",
                             suffixes=(".xsl", ".xml", ".css", ".js", ".svg"))
        edition_src = ed.files.get(ed.edition_path) if ed.edition_path else None
        edition_bytes = edition_src.data if edition_src is not None and edition_src.ok else b""
        # (the edition's conventions: its fields of "Document information", its transcription marker)
        site_hash = digest(styles, ed.config.title, ed.config.language, edition_bytes, str(PER_PAGE), repr(ed.conventions))
        docmap = digest(*(f"{d.id}\x1f{self.doc_page[d.id]}\x1f{canon(d.file).as_uri()}"
                          for d in ed.documents))
        base = digest(site_hash, docmap)

        # document pages
        docs = ed.documents
        by_id = {x.id: x for x in docs}
        by_name: dict[str, list[str]] = {}
        for x in docs:
            by_name.setdefault(x.file.name, []).append(x.id)
        todo_docs = []
        self.stale_pages: list[tuple[str, str, object]] = []  # (old page, new page, document) kept
        for i, d in enumerate(docs):
            src = ed.files[canon(d.file)]
            if canon(d.file) in ed.stale:
                self._plan_stale(d)
                continue
            facts = self.file_facts(d)
            if facts is not None:
                self.files_cache[str(canon(d.file))] = facts
                refs, files = set(facts["refs"]), set(facts["files"])
            else:
                refs, files = pointed_to(src.root)
            self.doc_refs[d.id] = (refs, files)
            graphics = facts.get("graphics") if facts is not None else None
            if graphics is None:
                graphics = graphic_refs(self.full_tree(d).getroot())
            media = self.doc_media[d.id] = self.media_of(d, graphics)
            ents = [self.entity_record(r) for r in sorted(refs) if r in ed.entities]
            prev_next = [f"{n.id}\x1f{n.title}\x1f{n.date_label}\x1f{n.when}"
                         for n in (docs[i - 1] if i > 0 else None, docs[i + 1] if i + 1 < len(docs) else None)
                         if n is not None]
            # documents it links by file name or by id (a letter's previous/next letter): the page
            # shows their titles and dates (as context_slice gives them)
            linked = sorted(({o for f in files for o in by_name.get(f, ())}
                             | {r for r in refs if r in by_id}) - {d.id})
            linked_facts = [f"{x}\x1f{by_id[x].title}\x1f{by_id[x].date_label}\x1f{by_id[x].when}" for x in linked]
            fp = digest(base, self.data_hash(d), d.id, d.title, d.when, d.date_label, *ents, "|", *prev_next,
                        "|", self.info_fields, "|", *linked_facts, "|", *("\x1f".join(m) for m in media))
            page = self.doc_page[d.id]
            if self.plan.add(page, fp):
                todo_docs.append(d)
            source = self.doc_source[d.id]
            if self.plan.add(source, self.data_hash(d)):
                todo_docs.append(("source", d))

        # The rest of the plan (site pages, assets, search shards, stale pages). When document
        # pages are to be made, it is worked out while the workers transform them (the staging
        # folder is needed anyway); otherwise first, since it decides whether anything is written.
        rest: dict = {}

        def plan_rest():
            if rest:
                return rest
            todo_site = []
            site_key = self.site_key(base)
            prev_site = self.site_prev
            if prev_site.get("key") == site_key and all(h in self.plan.previous for h in prev_site.get("pages", ())):
                # nothing any site page shows changed: their fingerprints are the previous ones
                for href in prev_site["pages"]:
                    self.plan.add(href, self.plan.previous[href])
                self.site_cache = prev_site
            else:
                hrefs = []
                for href, key, make in self.site_pages():
                    hrefs.append(href)
                    if self.plan.add(href, digest(base, key)):
                        todo_site.append(make() if callable(make) else make)
                self.site_cache = {"key": site_key, "pages": hrefs}
            asset_files = sorted(p for p in ASSETS.rglob("*") if p.is_file())
            todo_assets = [p for p in asset_files
                           if self.plan.add("assets/" + p.relative_to(ASSETS).as_posix(), digest(p.read_bytes()))]
            todo_shards = {}
            for k in sorted(self.by_shard):  # empty shards are not made
                pages_k = sorted(self.by_shard[k])
                sig = digest(*(f"{rel}\x1f{self.plan.current[rel]}" for rel in pages_k))
                if self.plan.add(f"pagefind/shard-{k}/pagefind-entry.json", sig):
                    todo_shards[k] = pages_k
            todo_media = [href for href, (_, h) in sorted(self.media_files.items())
                          if self.plan.previous.get(href) != h]
            rest.update(site=todo_site, assets=todo_assets, shards=todo_shards, media=todo_media,
                        stale=self.plan.stale())
            return rest

        doc_pages = [d for d in todo_docs if not isinstance(d, tuple)]
        if doc_pages and len(doc_pages) < PARALLEL_MIN_DOCS \
                and 2 * sum(file_size(ed.files[canon(d.file)]) for d in doc_pages) < PARALLEL_MIN_BYTES:
            # surely transformed in this process (no worker pool to fork): start Saxon and compile
            # document.xsl in a thread — saxonche lets Python run meanwhile — while the staging
            # folder is made and the rest is planned
            self._precompile = threading.Thread(target=self._compile_document_xsl, daemon=True)
            self._precompile.start()
        if not doc_pages:
            plan_rest()
            if not (todo_docs or rest["site"] or rest["assets"] or rest["stale"] or rest["shards"] or rest["media"]) \
                    and (self.target / MANIFEST).exists():
                if self.seed is not None:
                    self.seed.cancel()
                if self.cache != self.cache_prev or self.files_cache != self.files_prev \
                        or self.site_cache != self.site_prev or self.media_cache != self.media_prev \
                        or _stat_refreshed:
                    # derived data only: no page depends on the file
                    write_state(self.target, CACHE, self.cache_json())
                result.skipped = len(self.plan.current)
                result.seconds = time.perf_counter() - t0
                return result

        try:
            with staged_output(self.target, seed=self.seed) as stage:
                self._keep_stale(stage)
                if self.by_shard and doc_pages:  # the workers write the pages' search copies here
                    self.search_work = search.work_folder(stage, 4 * self.source_bytes)
                self._progress_start(len(doc_pages) + 2)
                site_written = []

                def during(pool=None):
                    # in the main process while the workers transform documents: the rest of the
                    # plan, stale pages removed, the site pages written (by the workers too, when
                    # there are workers: queued after the documents, in one share per worker)
                    plan_rest()
                    for rel in rest["stale"]:
                        if rel.startswith("pagefind/"):
                            shutil.rmtree((stage / rel).parent, ignore_errors=True)
                            continue
                        try:
                            (stage / rel).unlink()
                        except FileNotFoundError:
                            pass
                    if (stage / "pagefind").is_dir():  # anything but the current shards is stale
                        keep = {f"shard-{k}" for k in self.by_shard}
                        for old in (stage / "pagefind").iterdir():
                            if old.name not in keep:
                                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
                    ctx = self.context() if rest["site"] else None  # the whole context only for site pages
                    if pool is not None and len(rest["site"]) >= PARALLEL_MIN_SITE_PAGES:
                        site_written.append(self.queue_site(pool, stage, ctx, rest["site"]))
                    else:
                        site_written.append(self.build_site(stage, ctx, rest["site"], edition_src))

                written = self.build_documents(stage, None, todo_docs, edition_src, during=during)
                written += sum(site_written)
                for p in rest["assets"]:
                    dest = stage / "assets" / p.relative_to(ASSETS)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    write_file(dest, p.read_bytes())
                    written += 1
                for href in rest["media"]:
                    self.copy_media(stage, href)
                    written += 1
                try:  # no image left: no folder either (as in a full build)
                    (stage / "media").rmdir()
                except OSError:
                    pass
                self._progress_step("search index")

                def bookkeeping():
                    self._forget_failed()
                    write_state(self.target, CACHE, self.cache_json())
                    write_file(stage / MANIFEST, self.plan.manifest())
                if rest["shards"]:
                    try:  # the cache and manifest are written while Pagefind runs
                        search.index_shards(stage, rest["shards"], ed.config.language, during=bookkeeping,
                                            work=self.search_work)
                        written += len(rest["shards"])
                    except search.SearchIndexError as e:
                        raise BuildError(f"search index: {e}") from None
                else:
                    bookkeeping()
        finally:
            self._progress_stop()
            if self.search_work is not None:  # (in /dev/shm it is not removed with the staging)
                shutil.rmtree(self.search_work, ignore_errors=True)
        result.written = written
        result.skipped = len(self.plan.current) - written
        for page, diag in self.render_failed.items():
            result.diagnostics.append(diag)
            result.messages.append(f"plain-text page {page} for {diag.path}: the stylesheet failed on it")
        result.seconds = time.perf_counter() - t0
        return result

    def _plan_stale(self, d) -> None:
        """A document whose file cannot be read now keeps the page and TEI copy of its last good
        version (recover_from): they are carried into the new output as they are, under its
        current addresses, and stay in the state, so the next build keeps them too until the
        file is mended."""
        path = canon(d.file)
        prev = self.files_prev.get(str(path)) or {}
        self.files_cache[str(path)] = prev
        self.doc_refs[d.id] = (set(prev.get("refs", ())), set(prev.get("files", ())))
        self.doc_media[d.id] = []
        page, source = self.doc_page[d.id], self.doc_source[d.id]
        for old, new in ((prev.get("page"), page), (prev.get("source"), source)):
            if old:
                self.stale_pages.append((old, new, d))
                self.plan.add(new, (self.plan.previous.get(old) if old == new else None) or f"stale:{old}")

    def _keep_stale(self, stage: Path) -> None:
        """Put the kept pages of stale documents into the staging folder (it may start empty, or
        as a copy of the old output in which the addresses have changed)."""
        for old, new, _ in self.stale_pages:
            src, dest = self.target / old, stage / new
            if old == new and dest.exists():
                continue
            try:
                data = src.read_bytes()
            except OSError:
                continue  # no longer there: the page goes (reported as not built)
            write_file(dest, data)

    def cache_json(self) -> str:
        return json.dumps({"format": CACHE_FORMAT, "code": _code_key(), "mentions": self.cache, "files": self.files_cache,
                           "site": self.site_cache, "media": self.media_cache},
                          ensure_ascii=False)

    # progress ---------------------------------------------------------------------------
    def _progress_start(self, total: int):
        if not self.interactive:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        self.progress = Progress(TextColumn("html"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(), transient=True)
        self.progress.start()
        self.task = self.progress.add_task("", total=total)

    def _progress_step(self, what: str, n: int = 1):
        if self.progress is not None:
            self.progress.update(self.task, advance=n, description=what)

    def _progress_stop(self):
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    # documents ------------------------------------------------------------------------------
    def _search_out(self, page: str) -> str | None:
        if self.search_work is None:  # else its shard is re-indexed: its fingerprint changed
            return None
        return str(self.search_work / f"shard-{search.shard_of(page, self.shards)}" / page)

    def _doc_job(self, stage: Path, ctx, d) -> DocJob:
        page = self.doc_page[d.id]
        return DocJob(d.file, page, serialize_for_saxon(self.full_tree(d)), canon(d.file).as_uri(),
                      self.context_slice(ctx.getroot() if ctx is not None else None, d),
                      self._search_out(page))

    def _render_failed(self, stage: Path, d, err: str) -> int:
        """A document the stylesheet fails on (a Saxon dynamic error in a well-formed file) does
        not stop the build: its page is a plain one with the document's text (plain_page), the
        file and the error are reported, and the page is made again by the next build."""
        page = self.doc_page[d.id]
        err = norm_space(err) or "unknown error"
        display = self._display(d.file)
        diag = Diagnostic(display, 0, 0, ERROR, f"cannot render the page: {err}", "build.render",
                          f"{page} shows the document's text only, without its markup")
        self.render_failed[page] = diag
        if self.report:
            self.report([diag])
        try:
            tree = self.full_tree(d)
        except BuildError:
            tree = None
        html = plain_page(tree, d, self.ed.config.title, self.doc_source[d.id], self.ed.config.language)
        write_file(stage / page, html)
        if (out := self._search_out(page)) is not None:
            search.write_search_copy(html, Path(out))
        return 1

    def _forget_failed(self) -> None:
        """Pages that stand in for a failed rendering are not remembered as done: the next build
        makes them again (and says why), and re-indexes their search shard."""
        for page in self.render_failed:
            self.plan.current[page] = "render-failed"
            entry = f"pagefind/shard-{search.shard_of(page, self.shards)}/pagefind-entry.json"
            if entry in self.plan.current:
                self.plan.current[entry] = "render-failed"

    def build_documents(self, stage: Path, ctx, todo, edition_src, during=lambda: None) -> int:
        written = 0
        sources = [item[1] for item in todo if isinstance(item, tuple)]  # TEI offered for download
        docs = [item for item in todo if not isinstance(item, tuple)]

        def write_sources():  # the file's own bytes
            for d in sources:
                write_file(stage / self.doc_source[d.id], self.ed.files[canon(d.file)].data)
            return len(sources)
        if not docs:
            written += write_sources()
            during()
            return written
        ctx_uri = (self.target / "context.xml").resolve().as_uri()
        ed_uri = canon(edition_src.path).as_uri() if edition_src is not None and edition_src.ok else None
        size = {d.id: file_size(self.ed.files[canon(d.file)]) for d in docs}
        workers = min(os.cpu_count() or 1, len(docs))
        if workers > 1 and (len(docs) >= PARALLEL_MIN_DOCS or 2 * sum(size.values()) >= PARALLEL_MIN_BYTES):
            ed_xml = serialize_for_saxon(edition_src.tree) if ed_uri else None
            # fork (cheap: no new interpreter, no imports, the jobs inherited) while Saxon has not
            # started in this process — a forked GraalVM isolate is unusable — and no other
            # thread runs (progress bar, server); otherwise spawn
            fork = saxon._processor is None and self.progress is None and os.name == "posix" \
                and threading.active_count() == 1
            import multiprocessing  # here: 9 ms of imports a rebuild of a few pages does without
            mp = multiprocessing.get_context("fork" if fork else "spawn")
            # biggest first, so one large file does not finish last
            order = sorted(docs, key=lambda d: -size[d.id])
            by_out = {str(stage / self.doc_page[d.id]): d for d in order}
            global _fork_jobs
            if fork:  # each worker makes its jobs from what it inherited
                _fork_jobs = [_LazyJob(self, stage, ctx, d) for d in order]
                args = range(len(order))
            else:
                _fork_jobs = []
                args = []
                for d in order:
                    j = self._doc_job(stage, ctx, d)
                    args.append((str(stage / j.page), j.text, j.uri, j.context, j.search_out))
            with mp.Pool(workers, initializer=_worker_init, initargs=(ed_xml, (ctx_uri, ed_uri))) as pool:
                results = pool.imap_unordered(_worker_run, args, chunksize=1)
                self._site_async, self._pool_workers = [], workers
                written += write_sources()  # file creation, while the workers transform
                during(pool)
                for out, err, kind in results:
                    if err and kind != "render":
                        pool.terminate()
                        raise BuildError(f"{self._display(by_out[out].file)}: cannot make its page: {err}")
                    if err:
                        self._render_failed(stage, by_out[out], err)
                    written += 1
                    self._progress_step(Path(out).name)
                for r in self._site_async:
                    _, err = r.get()
                    if err:
                        pool.terminate()
                        raise BuildError(site_error(err, stage))
                if self._site_async:
                    self._progress_step("site pages")
            _fork_jobs = []
            return written
        written += write_sources()
        jobs = [self._doc_job(stage, ctx, d) for d in docs]
        if self._precompile is not None:
            self._precompile.join()
        exe = compile_or_fail(DOCUMENT_XSL)
        params = {"root": "../"}
        if ed_uri:
            params["edition-file"] = saxon.to_xdm(edition_src.tree, ed_uri)
        for d, j in zip(docs, jobs):
            params["edition-context"] = saxon.to_xdm(j.context, ctx_uri)
            try:
                html = saxon.transform(exe, saxon.to_xdm(j.text, j.uri), params)
            except saxon.XsltError as e:
                written += self._render_failed(stage, d, str(e))
                self._progress_step(Path(j.page).name)
                continue
            try:
                write_file(stage / j.page, html)
                if j.search_out:
                    search.write_search_copy(html, Path(j.search_out))
            except OSError as e:  # a full disk, a read-only folder: the build stops, as in the workers
                raise BuildError(f"{self._display(j.path)}: cannot write its page: {e}") from None
            written += 1
            self._progress_step(Path(j.page).name)
        during()
        return written

    _precompile = None

    def _compile_document_xsl(self):
        try:  # (a rebuild of a few pages: site.xsl, if needed at all, is compiled when it is)
            saxon.compile_stylesheet(DOCUMENT_XSL, family=False)
        except Exception:
            pass  # compile_or_fail reports it

    def _display(self, path: Path) -> str:
        src = self.ed.files.get(canon(path))
        return src.display if src is not None else str(path)

    # site pages -----------------------------------------------------------------------------
    def site_key(self, base: str) -> str:
        """One hash of everything site_pages reads (the documents' facts and order, their
        mentions, the entities with pages, the search bundles), so an edit that changes none of
        it needs no site page made, not even to compute its fingerprint."""
        ed = self.ed
        docs = [[d.id, self.doc_page[d.id], d.when, d.date_label, d.title, d.summary, d.transcribed,
                 self._mentions_raw(d)] for d in ed.documents]
        ents = [[eid, page, ed.entities[eid].preferred, ed.entities[eid].kind, ed.entities[eid].variants,
                 canon(ed.entities[eid].file).as_uri(),
                 etree.tostring(ed.entities[eid].element, encoding="unicode", with_tail=False)]
                for eid, page in sorted(self.ent_page.items())]
        return digest(base, str(PER_PAGE), json.dumps([docs, ents, sorted(self.by_shard)], ensure_ascii=False))

    def site_pages(self) -> list[tuple]:
        """[(address, fingerprint data, page)]: a page is the <page> element site.xsl renders, or
        a function making it (entity pages: only those to be rebuilt are made). The listing
        pages share one <facets> (self.facets, put once into the site document); it is part of
        their fingerprint data."""
        ed = self.ed
        docs = ed.documents
        pages: list[etree._Element] = []
        lazy: list[tuple] = []

        def new_page(kind, href, **attrs):
            return etree.Element("page", kind=kind, href=href, root="../" * href.count("/"), **attrs)

        def page(kind, href, **attrs):
            el = new_page(kind, href, **attrs)
            pages.append(el)
            return el

        doc_ents: dict[str, set[str]] = {d.id: {eid for eid, _, _ in self.doc_mentions(d)} for d in docs}
        ent_docs: dict[str, set[str]] = {}
        for did, ents in doc_ents.items():
            for e in ents:
                ent_docs.setdefault(e, set()).add(did)

        doc_attrs = {d.id: {"id": d.id, "page": self.doc_page[d.id], "when": d.when, "date": d.date_label,
                            "title": d.title, "summary": d.summary,
                            "transcribed": str(d.transcribed).lower()} for d in docs}
        doc_order = {d.id: i for i, d in enumerate(docs)}

        def doc_el(parent, d, tag="doc"):
            return etree.SubElement(parent, tag, doc_attrs[d.id])

        # the home page and the search page
        home = page("home", "index.html", documents=str(len(docs)), entities=str(len(self.ent_page)))
        for kind in ("person", "place", "org"):
            home.set(kind + "s", str(sum(1 for e in self.ent_page if ed.entities[e].kind == kind)))
        page("search", "search.html", bundles=" ".join(f"pagefind/shard-{k}" for k in sorted(self.by_shard)))

        # listings: by date (the model's order) and by title; 10 per page
        facets = etree.Element("facets")
        for kind in ("person", "place", "org"):
            f = etree.SubElement(facets, "facet", kind=kind)
            for eid in sorted((e for e in ent_docs if ed.entities[e].kind == kind),
                              key=lambda e: (ed.entities[e].sort_key, e)):
                etree.SubElement(f, "option", id=eid, name=ed.entities[eid].preferred,
                                 count=str(len(ent_docs[eid])))
        by_title = sorted(docs, key=lambda d: (d.title.lower(), d.when, d.id))
        for sort, seq, stem in (("date", docs, "documents"), ("title", by_title, "documents-by-title")):
            n_pages = max(1, -(-len(seq) // PER_PAGE))
            hrefs = [f"{stem}.html" if i == 0 else f"{stem}-{i + 1}.html" for i in range(n_pages)]
            for i in range(n_pages):
                chunk = seq[i * PER_PAGE:(i + 1) * PER_PAGE]
                el = page("listing", hrefs[i], sort=sort, number=str(i + 1), pages=str(n_pages),
                          total=str(len(seq)), first=str(i * PER_PAGE + 1),
                          last=str(i * PER_PAGE + len(chunk)))
                for j, h in enumerate(hrefs):
                    etree.SubElement(el, "link", number=str(j + 1), href=h)
                etree.SubElement(el, "alt", sort="title" if sort == "date" else "date",
                                 href="documents-by-title.html" if sort == "date" else "documents.html")
                for d in chunk:
                    doc_el(el, d)
        self.facets = facets
        facets_key = etree.tostring(facets)

        # facet data for the listing's filters (assets/data.js)
        data = page("data", "assets/data.js")
        for d in docs:
            doc_el(data, d).set("entities", " ".join(sorted(doc_ents.get(d.id, ()))))

        # indices and entity pages
        passages = self.passages()
        for kind, href in (("person", "persons.html"), ("place", "places.html"), ("org", "orgs.html")):
            idx = page("index", href, **{"entity-kind": kind})
            for eid, e in sorted(ed.entities.items(), key=lambda kv: (kv[1].sort_key, kv[0])):
                if e.kind != kind or eid not in self.ent_page:
                    continue
                x = etree.SubElement(idx, "entity", id=eid, page=self.ent_page[eid], name=e.preferred,
                                     sort=e.sort_key, documents=str(len(ent_docs.get(eid, ()))))
                for v in e.variants:
                    etree.SubElement(x, "variant").text = v
        def entity_doc_attrs(did):
            a = doc_attrs[did]
            return {k: a[k] for k in ("id", "page", "when", "date", "title")}

        def entity_page(eid, e, geo, grouped):
            el = new_page("entity", self.ent_page[eid], id=eid, name=e.preferred, anchor=ed.entity_names()[eid],
                          **{"entity-kind": e.kind})
            for v in e.variants:
                etree.SubElement(el, "variant").text = v
            if geo:
                g = etree.SubElement(el, "geo", lat=f"{geo[0]:.5g}", long=f"{geo[1]:.5g}")
                if e.kind == "place":  # the map plots places only (site_pages: map)
                    g.set("on-map", "true")
            tei = etree.SubElement(el, "tei")
            copy = etree.fromstring(etree.tostring(e.element))
            copy.set(XML_BASE, canon(e.file).as_uri())
            tei.append(copy)
            for did, items in grouped:  # entity.xsl shows each document's title, date, address
                x = etree.SubElement(el, "doc", entity_doc_attrs(did))
                for pid, snip in items:
                    etree.SubElement(x, "passage", id=pid).text = snip
            return el

        for eid, e in sorted(ed.entities.items()):
            if eid not in self.ent_page:
                continue
            geo = e.geo  # the model's (toolkit/tei/geo.py)
            by_doc: dict[str, list] = {}
            for did, pid, snip in passages.get(eid, []):
                by_doc.setdefault(did, []).append((pid, snip))
            grouped = [(did, by_doc[did]) for did in sorted(by_doc, key=doc_order.__getitem__)]
            # the fingerprint data: exactly what entity_page puts into the element, and the
            # records of the entities its own TEI names (their popovers are on the page)
            key = json.dumps(["entity", eid, self.ent_page[eid], e.preferred, e.kind, e.variants,
                              geo and [f"{geo[0]:.5g}", f"{geo[1]:.5g}", e.kind == "place"], canon(e.file).as_uri(),
                              etree.tostring(e.element, encoding="unicode", with_tail=False),
                              [(entity_doc_attrs(did), items) for did, items in grouped],
                              self.named_records(e.element)], ensure_ascii=False)
            lazy.append((self.ent_page[eid], key,
                         lambda eid=eid, e=e, geo=geo, grouped=grouped: entity_page(eid, e, geo, grouped)))

        # map and chronology
        mp = page("map", "map.html")
        for eid, e in sorted(ed.entities.items(), key=lambda kv: (kv[1].sort_key, kv[0])):
            geo = e.geo if e.kind == "place" and eid in self.ent_page else None
            if geo:
                etree.SubElement(mp, "place", id=eid, page=self.ent_page[eid], name=e.preferred,
                                 anchor=ed.entity_names()[eid],
                                 lat=f"{geo[0]:.5g}", long=f"{geo[1]:.5g}",
                                 documents=str(len(ent_docs.get(eid, ()))))
        chron = page("chronology", "chronology.html")
        for d in docs:
            doc_el(chron, d)
        # the home page shows edition.xml's texts, whose names get popovers: their records
        edition_src = ed.files.get(ed.edition_path) if ed.edition_path else None
        home_names = self.named_records(edition_src.root) if edition_src is not None and edition_src.ok else []
        out = []
        for el in pages:
            key = etree.tostring(el)
            if el.get("kind") == "listing":
                key += facets_key
            elif el.get("kind") == "home":
                key += json.dumps(home_names, ensure_ascii=False).encode()
            out.append((el.get("href"), key, el))
        return out + lazy

    def named_records(self, el) -> list[str]:
        """The records (entity_record) of the entities the pointers in an element and its
        descendants name: a page that renders the element shows their popovers."""
        refs = {tok.rsplit("#", 1)[-1] for v in el.xpath("descendant-or-self::*/@*[local-name() = 'ref' or "
                                                         "local-name() = 'key' or local-name() = 'corresp']")
                for tok in str(v).split()}
        return [self.entity_record(r) for r in sorted(refs) if r in self.ed.entities]

    def queue_site(self, pool, stage: Path, ctx, todo: list[etree._Element]) -> int:
        """Hand the site pages to the worker pool, one share per worker (pages are independent;
        a share with listing pages carries the facets they show); build_documents collects
        the results from self._site_async."""
        self._unlink_old(stage, todo)
        shares = max(1, min(self._pool_workers, len(todo)))
        ctx_xml = etree.tostring(ctx.getroot(), encoding="unicode")
        base_out = stage.resolve().as_uri() + "/"
        facets = etree.tostring(self.facets, encoding="unicode")
        for k in range(shares):
            part = todo[k::shares]
            body = "".join(etree.tostring(el, encoding="unicode") for el in part)
            if any(el.get("kind") == "listing" for el in part):
                body = facets + body
            self._site_async.append(pool.apply_async(_site_run, ((f"<site>{body}</site>", ctx_xml, base_out),)))
        return len(todo)

    @staticmethod
    def _unlink_old(stage: Path, todo: list[etree._Element]) -> None:
        # Saxon writes the pages itself (xsl:result-document, serialised by each page's
        # xsl:output); old hard-linked copies are unlinked first so the previous output is
        # never modified in place.
        for el in todo:
            try:
                (stage / el.get("href")).unlink()
            except FileNotFoundError:
                pass

    def build_site(self, stage: Path, ctx, todo: list[etree._Element], edition_src) -> int:
        if not todo:
            self._progress_step("site pages")
            return 0
        site = etree.Element("site")
        if any(el.get("kind") == "listing" for el in todo):
            site.append(self.facets)
        for el in todo:
            site.append(el)
        exe = compile_or_fail(SITE_XSL)
        ctx_uri = (self.target / "context.xml").resolve().as_uri()
        params = {"edition-context": saxon.to_xdm(etree.tostring(ctx.getroot(), encoding="unicode"), ctx_uri)}
        if edition_src is not None and edition_src.ok:
            params["edition-file"] = saxon.to_xdm(edition_src.tree, canon(edition_src.path).as_uri())
        self._unlink_old(stage, todo)
        base_out = stage.resolve().as_uri() + "/"
        proc = saxon.processor()
        exe.clear_parameters()
        for k, v in params.items():
            exe.set_parameter(k, v)
        exe.set_base_output_uri(base_out)
        try:
            saxon.run(exe, xdm_node=saxon.to_xdm(etree.tostring(site, encoding="unicode"), base_out + "site.xml"))
        except saxon.XsltError as e:
            raise BuildError(site_error(str(e), stage)) from None
        del proc
        written = len(todo)
        self._progress_step("site pages")
        return written


_WRITE_FAILED = re.compile(r"Failure writing to (file:\S+?)(?:\s*\((.+)\))?\s*$")
_DISK_ADVICE = (("No space left", "free some space on that disk, or build elsewhere with --out"),
                ("Disk quota", "free some space (disk quota), or build elsewhere with --out"),
                ("File too large", "a page is larger than this system allows (ulimit -f)"),
                ("Read-only file system", "build elsewhere with --out"),
                ("Permission denied", "the folder is not writable for you: build elsewhere with --out"))


def site_error(message: str, stage: Path) -> str:
    """Saxon's failure to write a site page, in words: which page, why, and what to do (the
    previous output is unchanged); any other stylesheet error as it is."""
    msg = norm_space(message)
    m = _WRITE_FAILED.search(msg)
    if not m:
        return f"site pages: {msg}"
    page = unquote(urlsplit(m.group(1)).path)
    try:
        page = Path(page).relative_to(stage.resolve()).as_posix()
    except ValueError:
        pass
    why = m.group(2) or "the file system refused it"
    advice = next((a for k, a in _DISK_ADVICE if k.lower() in why.lower()), "")
    return (f"cannot write the site page {page}: {why}; the previous output is unchanged"
            + (f"\n    hint: {advice}" if advice else ""))


def compile_or_fail(path: Path):
    try:
        return saxon.compile_stylesheet(path)
    except saxon.XsltError as e:
        raise BuildError(str(e)) from None


# -- helpers shared with tests ------------------------------------------------------------------
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
    text = norm_space(text)
    if len(text) <= width:
        return text
    name = text_of(node)
    at = text.find(name) if name else -1
    start = max(0, (at if at >= 0 else 0) - width // 3)
    cut = text[start:start + width]
    return ("… " if start > 0 else "") + cut.strip() + (" …" if start + width < len(text) else "")


def build_html(edition: Edition, target: Path, full: bool = False, interactive: bool = False,
               search_index: bool = True, report=None) -> BuildResult:
    return HtmlBuild(edition, target, full, interactive, search_index, report).run()


def plain_page(tree, d, site_title: str, source: str, lang: str = "en") -> str:
    """The page of a document the stylesheet could not render: its title, date and text (the
    reading text, without markup), with the citable elements' ids of xslt/html/text/ids.xsl
    (and the xml:ids passage_of may link to), so that links to its passages still land."""
    from lxml.html import builder as E
    root = tree.getroot() if tree is not None else None
    texts = [t for t in root.iter(T + "text") if not any(a.tag == T + "text" for a in t.iterancestors())] \
        if root is not None else []
    ids = cite_ids(root) if root is not None else {}
    body = E.DIV(E.CLASS("text"))

    def is_block(e) -> bool:
        return e in ids or (bool(e.get(XML_ID)) and e.tag.startswith(T) and local(e.tag) not in INLINE_NO_ID)

    def fill(blocks, box):  # the reading text (toolkit/tei/reading.py), its blocks as divs
        for b in blocks:
            if isinstance(b, str):
                etree.SubElement(box, "p").text = b
                continue
            c, inner = b
            block = etree.SubElement(box, "div", {"class": "tei-" + safe_name(local(c.tag))})
            if c in ids or c.get(XML_ID):
                block.set("id", ids.get(c) or page_id(c.get(XML_ID)))
            fill(inner, block)

    for t in texts:
        fill(reading_blocks(t, is_block), body)
    title = d.title or d.id
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"),
               E.META(name="viewport", content="width=device-width, initial-scale=1"),
               E.TITLE(f"{title} – {site_title}"),
               E.LINK(rel="stylesheet", href="../assets/edition.css")),
        E.BODY(
            E.HEADER(E.P(E.A(site_title, href="../index.html"), E.CLASS("site-title")), E.CLASS("site-header")),
            E.MAIN(E.ARTICLE(
                E.H1(title, id="title"),
                *([E.P(d.date_label or d.when, E.CLASS("doc-date"))] if (d.date_label or d.when) else []),
                E.P("This page shows the document's text without its markup: the full page could "
                    "not be made. ", E.A("TEI source", href="../" + source), E.CLASS("render-failed")),
                body, E.CLASS("document"), **{"data-pagefind-body": ""}), id="main")),
        lang=lang_tag(lang) or "en")  # the site's language, as layout.xsl writes it
    return "<!DOCTYPE html>\n" + etree.tostring(page, method="html", encoding="unicode")


def graphic_refs(root) -> list[list[str]]:
    """[[url, bases]] of the graphic and media elements with a relative @url, once each, in
    document order (not those of parts the page does not render, NOT_RENDERED): bases is the
    xml:base values in effect, outermost first, joined by spaces, as structure.xsl computes it
    (string-join(ancestor-or-self::*/@xml:base, ' ')) to find the element's copy."""
    out, seen = [], set()
    for el in root.iter(*GRAPHIC_TAGS):
        url = el.get("url")
        if not url or not url.strip() or _SCHEME.match(url.strip()) or url.strip().startswith(("/", "\\")):
            continue
        chain = [a for a in (*reversed(list(el.iterancestors())), el)]
        if any(local(a.tag) in NOT_RENDERED for a in chain if isinstance(a.tag, str)):
            continue
        bases = [a.get(XML_BASE) for a in chain if a.get(XML_BASE) is not None]
        if any(re.search(r"\s", b) for b in bases):  # no URI: the join would be ambiguous
            continue
        key = (url, " ".join(bases))
        if key not in seen:
            seen.add(key)
            out.append(list(key))
    return out


def _local_image(file_uri: str, bases: str, url: str, top: str) -> str | None:
    """The real path of the image a relative @url designates (resolved against the TEI file's
    URI and the xml:base values in effect, symbolic links followed), when it lies inside the
    folder `top` and has an image extension a browser shows; else None."""
    base = file_uri
    for b in bases.split():
        base = urljoin(base, b)
    target = urljoin(base, url.strip().split("#", 1)[0])
    parts = urlsplit(target)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = unquote(parts.path)
    if not path or "\x00" in path:
        return None
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return None
    if os.path.commonpath([real, top]) != top or real == top:
        return None
    if os.path.splitext(real)[1].lower() not in MEDIA_TYPES:
        return None
    return real


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
