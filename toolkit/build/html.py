"""The HTML edition: a static site from XSLT 3.0 (xslt/html/), orchestrated here.

Flow (docs/html.md): the Edition model → the context document (plus page addresses) → a plan
(fingerprints, toolkit/build/plan.py) → document pages (xslt/html/document.xsl, in parallel
worker processes when there are many) → site pages (xslt/html/site.xsl: listings, indices,
entity pages, map, chronology, search, home, data for the facets; one transform writing every
page that changed) → static assets → Pagefind index → manifest → atomic swap of output/html.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from xml.sax.saxutils import quoteattr

from lxml import etree

from .. import saxon
from ..model import Edition, T, XML_ID, canon, local, norm_space, text_of
from ..xmlsafe import TEI_NS, serialize_for_saxon
from .plan import MANIFEST, Plan, digest, tree_digest
from .publish import staged_output, write_file
from .runner import BuildError, BuildResult

XSLT_HTML = saxon.XSLT_DIR / "html"
DOCUMENT_XSL = XSLT_HTML / "document.xsl"
SITE_XSL = XSLT_HTML / "site.xsl"
ASSETS = XSLT_HTML / "assets"
PER_PAGE = 10
# Authority files with more entries than this (a project-wide register) get pages only for the
# entities the documents mention; smaller ones get a page for every entry.
ALL_ENTITY_PAGES_UP_TO = 500

# The same rule as xslt/html/text/ids.xsl: elements that get a stable id inside tei:text.
CITABLE = ("div", "p", "ab", "head", "item", "l", "lg", "sp", "note", "closer", "opener", "list",
           "table", "quote", "signed", "salute", "dateline", "postscript", "figure")
# The passage a mention belongs to: its nearest ancestor among these (else any citable one).
PASSAGE = ("p", "ab", "head", "item", "l", "note", "signed", "salute", "dateline", "postscript")
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
NAME_TAGS = tuple(T + n for n in ("persName", "placeName", "orgName", "name", "rs"))  # as the model's mentions
CACHE = ".edition-cache.json"

# Documents are transformed in worker processes when there is enough work to pay for them.
PARALLEL_MIN_DOCS = 12
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


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


# -- worker processes --------------------------------------------------------------------------
_worker = {}


def _worker_init(edition_xml: str | None, base_uris: tuple[str, str | None]):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    exe = saxon.compile_stylesheet(DOCUMENT_XSL)
    if edition_xml is not None:
        exe.set_parameter("edition-file", saxon.to_xdm(edition_xml, base_uris[1]))
    _worker["ctx_uri"] = base_uris[0]
    exe.set_parameter("root", saxon.processor().make_string_value("../"))
    _worker["exe"] = exe


def _worker_run(job: tuple[str, str, str, str]) -> tuple[str, str | None]:
    out, text, uri, context = job
    try:
        _worker["exe"].set_parameter("edition-context", saxon.to_xdm(context, _worker["ctx_uri"]))
        node = saxon.to_xdm(text, uri)
        html = _worker["exe"].transform_to_string(xdm_node=node)
        write_file(Path(out), html or "")
        return out, None
    except Exception as e:  # reported by the parent with the file name
        return out, str(e) or type(e).__name__


# -- the builder -------------------------------------------------------------------------------
class HtmlBuild:
    def __init__(self, edition: Edition, target: Path, full: bool, interactive: bool):
        self.ed = edition
        self.target = Path(target)
        self.full = full
        self.interactive = interactive
        self.plan = Plan.load(self.target, full)
        self.progress = None
        self.cache: dict[str, list] = {}
        self.cache_prev: dict[str, list] = {}
        if not full:
            try:
                self.cache_prev = json.loads((self.target / CACHE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.cache_prev = {}
        self.entities_key = digest(*(f"{eid}@{e.file}" for eid, e in sorted(edition.entities.items())))

    # addresses ------------------------------------------------------------------------------
    def assign_pages(self):
        self.doc_page: dict[str, str] = {}
        self.doc_source: dict[str, str] = {}
        used: set[str] = set()
        used_src: set[str] = set()
        for d in self.ed.documents:
            name = safe_name(d.id)
            while name.lower() in used:
                name += "-x"
            used.add(name.lower())
            self.doc_page[d.id] = f"doc/{name}.html"
            src = "/".join(safe_name(p) for p in d.href.split("/") if p not in ("", ".", ".."))
            while src.lower() in used_src:
                src = src[:-4] + "-x.xml"
            used_src.add(src.lower())
            self.doc_source[d.id] = f"tei/{src}"
        self.ent_page: dict[str, str] = {}
        used = set()
        entities = self.ed.entities
        if len(entities) > ALL_ENTITY_PAGES_UP_TO:
            mentioned = {eid for d in self.ed.documents for eid, _, _ in self.doc_mentions(d)}
            entities = {e: v for e, v in entities.items() if e in mentioned}
        for eid in sorted(entities):
            name = safe_name(eid)
            while name.lower() in used:
                name += "-x"
            used.add(name.lower())
            self.ent_page[eid] = f"entity/{name}.html"

    def context(self) -> etree._ElementTree:
        """The model's context document (lean: files, ids, entities) plus the documents with
        their page addresses; mentions are not needed by the stylesheets."""
        ctx = self.ed.context_document(lean=True)
        root = ctx.getroot()
        first_entity = root.find("entity")
        for d in self.ed.documents:
            e = etree.Element("document", id=d.id, href=d.href, uri=canon(d.file).as_uri(), when=d.when,
                              title=d.title, transcribed=str(d.transcribed).lower(),
                              page=self.doc_page[d.id], source=self.doc_source[d.id])
            etree.SubElement(e, "date").text = d.date_label
            etree.SubElement(e, "summary").text = d.summary
            if first_entity is not None:
                first_entity.addprevious(e)
            else:
                root.append(e)
        for e in root.iter("entity"):
            if e.get("id") in self.ent_page:
                e.set("page", self.ent_page[e.get("id")])
        return ctx

    def context_slice(self, ctx_root, d) -> str:
        """What document.xsl needs of the context for one document: the document and its
        neighbours (as siblings, in date order), the documents it points to (in <refs>) and the
        entities it names. Saxon indexes a context anew for every transform, so a small slice
        keeps each transform independent of the edition's size."""
        if not hasattr(self, "_ctx_parts"):
            self._ctx_docs = {e.get("id"): etree.tostring(e, encoding="unicode") for e in ctx_root.iter("document")}
            self._ctx_ents = {e.get("id"): etree.tostring(e, encoding="unicode") for e in ctx_root.iter("entity")}
            self._doc_index = {x.id: i for i, x in enumerate(self.ed.documents)}
            self._doc_by_name: dict[str, list[str]] = {}
            for x in self.ed.documents:
                self._doc_by_name.setdefault(x.file.name, []).append(x.id)
            self._ctx_head = "<edition" + "".join(f" {k}={quoteattr(v)}" for k, v in ctx_root.attrib.items()) + ">"
            self._ctx_parts = True
        docs = self.ed.documents
        i = self._doc_index[d.id]
        near = [docs[n].id for n in (i - 1, i, i + 1) if 0 <= n < len(docs)]
        refs, files = self.doc_refs.get(d.id, (set(), set()))
        linked = sorted({o for f in files for o in self._doc_by_name.get(f, ())} - set(near))
        parts = [self._ctx_head, *(self._ctx_docs[x] for x in near), "<refs>",
                 *(self._ctx_docs[x] for x in linked), "</refs>",
                 *(self._ctx_ents[r] for r in sorted(refs) if r in self._ctx_ents), "</edition>"]
        return "".join(parts)

    def doc_mentions(self, d) -> list[tuple[str, str, str]]:
        """[(entity id, passage id, snippet)] for one document, in document order, once per
        entity and passage. Cached across builds by the document's bytes and the entity ids."""
        if d.id in self.cache:
            return [tuple(x) for x in self.cache[d.id][1]]
        src = self.ed.files[canon(d.file)]
        key = digest(src.data, self.entities_key)
        hit = self.cache_prev.get(d.id)
        if hit and hit[0] == key:
            self.cache[d.id] = hit
            return [tuple(x) for x in hit[1]]
        ids = cite_ids(src.root)
        texts: dict = {}
        out, seen = [], set()
        for el in src.root.iter(*NAME_TAGS):
            for pointer in (el.get("ref") or "").split():
                target = self.ed.resolve(pointer, d.file)
                eid = target[1] if target and target[1] in self.ed.entities else None
                if eid is None:
                    continue
                pid, passage = passage_of(el, ids)
                if (eid, pid) in seen:
                    continue
                seen.add((eid, pid))
                if passage is not None and passage not in texts:
                    texts[passage] = text_of(passage)
                out.append((eid, pid, snippet(texts.get(passage, ""), el)))
        self.cache[d.id] = [key, out]
        return out

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

    def run(self) -> BuildResult:
        t0 = time.perf_counter()
        result = BuildResult("html", self.target)
        ed = self.ed
        if not ed.documents:
            raise BuildError("no TEI documents to build (authority files alone make no site)")
        self.assign_pages()
        self.doc_refs: dict[str, tuple[set, set]] = {}
        from . import search
        self.searchable = [self.doc_page[d.id] for d in ed.documents] + sorted(self.ent_page.values())
        self.shards = search.shard_count(len(self.searchable),
                                         sum(len(ed.files[canon(d.file)].data) for d in ed.documents))
        self.by_shard: dict[int, list[str]] = {}
        for rel in self.searchable:
            self.by_shard.setdefault(search.shard_of(rel, self.shards), []).append(rel)
        styles = tree_digest(XSLT_HTML, saxon.XSLT_DIR / "lib" / "common.xsl")
        edition_src = ed.files.get(ed.edition_path) if ed.edition_path else None
        edition_bytes = edition_src.data if edition_src is not None and edition_src.ok else b""
        site_hash = digest(styles, ed.config.title, edition_bytes, str(PER_PAGE))
        docmap = digest(*(f"{d.id}\x1f{self.doc_page[d.id]}\x1f{canon(d.file).as_uri()}"
                          for d in ed.documents))
        base = digest(site_hash, docmap)

        # document pages
        docs = ed.documents
        todo_docs = []
        for i, d in enumerate(docs):
            src = ed.files[canon(d.file)]
            refs, files = set(), set()
            for v in src.root.xpath("//@ref | //@key | //@target | //@corresp"):
                for tok in str(v).split():
                    refs.add(tok.rsplit("#", 1)[-1])
                    f = tok.split("#", 1)[0].rsplit("/", 1)[-1]
                    if f.endswith(".xml"):
                        files.add(f)
            self.doc_refs[d.id] = (refs, files)
            ents = [self.entity_record(r) for r in sorted(refs) if r in ed.entities]
            prev_next = [f"{n.id}\x1f{n.title}\x1f{n.date_label}\x1f{n.when}"
                         for n in (docs[i - 1] if i > 0 else None, docs[i + 1] if i + 1 < len(docs) else None)
                         if n is not None]
            fp = digest(base, src.data, d.id, d.title, d.when, d.date_label, *ents, "|", *prev_next)
            page = self.doc_page[d.id]
            if self.plan.add(page, fp):
                todo_docs.append(d)
            source = self.doc_source[d.id]
            if self.plan.add(source, digest(src.data)):
                todo_docs.append(("source", d))

        # site pages: built as XML slices; each slice's bytes are its fingerprint
        site_pages = self.site_pages()
        todo_site = []
        for el in site_pages:
            if self.plan.add(el.get("href"), digest(base, etree.tostring(el))):
                todo_site.append(el)
        asset_files = sorted(p for p in ASSETS.rglob("*") if p.is_file())
        todo_assets = [p for p in asset_files
                       if self.plan.add("assets/" + p.relative_to(ASSETS).as_posix(), digest(p.read_bytes()))]
        todo_shards = {}
        for k in sorted(self.by_shard):  # empty shards are not made
            pages_k = sorted(self.by_shard[k])
            sig = digest(*(f"{rel}\x1f{self.plan.current[rel]}" for rel in pages_k))
            if self.plan.add(f"pagefind/shard-{k}/pagefind-entry.json", sig):
                todo_shards[k] = pages_k
        stale = self.plan.stale()
        changed_pages = len(todo_docs) + len(todo_site)
        if not (changed_pages or todo_assets or stale or todo_shards) and (self.target / MANIFEST).exists():
            if self.cache != self.cache_prev:  # derived data only: no page depends on the file
                write_file(self.target / CACHE, json.dumps(self.cache, ensure_ascii=False))
            result.skipped = len(self.plan.current)
            result.seconds = time.perf_counter() - t0
            return result

        ctx = self.context()
        try:
            with staged_output(self.target, seed_from_previous=not self.full) as stage:
                for rel in stale:
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
                self._progress_start(len([d for d in todo_docs if not isinstance(d, tuple)]) + 2)
                # site pages are written by the main process while the workers transform documents
                site_written = []
                written = self.build_documents(
                    stage, ctx, todo_docs, edition_src,
                    during=lambda: site_written.append(self.build_site(stage, ctx, todo_site, edition_src)))
                written += sum(site_written)
                for p in todo_assets:
                    dest = stage / "assets" / p.relative_to(ASSETS)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    write_file(dest, p.read_bytes())
                    written += 1
                self._progress_step("search index")
                if todo_shards:
                    try:
                        search.index_shards(stage, todo_shards, ed.config.language)
                        written += len(todo_shards)
                    except search.SearchIndexError as e:
                        raise BuildError(f"search index: {e}") from None
                write_file(stage / CACHE, json.dumps(self.cache, ensure_ascii=False))
                write_file(stage / MANIFEST, self.plan.manifest())
        finally:
            self._progress_stop()
        result.written = written
        result.skipped = len(self.plan.current) - written
        result.seconds = time.perf_counter() - t0
        return result

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
    def build_documents(self, stage: Path, ctx, todo, edition_src, during=lambda: None) -> int:
        written = 0
        jobs: list[DocJob] = []
        for item in todo:
            if isinstance(item, tuple):  # the TEI source offered for download: the file's own bytes
                d = item[1]
                write_file(stage / self.doc_source[d.id], self.ed.files[canon(d.file)].data)
                written += 1
                continue
            src = self.ed.files[canon(item.file)]
            jobs.append(DocJob(item.file, self.doc_page[item.id], serialize_for_saxon(src.tree),
                               canon(item.file).as_uri(), self.context_slice(ctx.getroot(), item)))
        if not jobs:
            during()
            return written
        ctx_uri = (self.target / "context.xml").resolve().as_uri()
        ed_uri = canon(edition_src.path).as_uri() if edition_src is not None and edition_src.ok else None
        total_bytes = sum(len(j.text) for j in jobs)
        workers = min(os.cpu_count() or 1, len(jobs))
        if workers > 1 and (len(jobs) >= PARALLEL_MIN_DOCS or total_bytes >= PARALLEL_MIN_BYTES):
            ed_xml = serialize_for_saxon(edition_src.tree) if ed_uri else None
            mp = multiprocessing.get_context("spawn")
            by_out = {str(stage / j.page): j for j in jobs}
            # biggest first, so one large file does not finish last
            order = sorted(jobs, key=lambda j: -len(j.text))
            with mp.Pool(workers, initializer=_worker_init, initargs=(ed_xml, (ctx_uri, ed_uri))) as pool:
                results = pool.imap_unordered(
                    _worker_run, [(str(stage / j.page), j.text, j.uri, j.context) for j in order], chunksize=1)
                during()
                for out, err in results:
                    if err:
                        pool.terminate()
                        raise BuildError(f"{self._display(by_out[out].path)}: cannot render the page: {err}")
                    written += 1
                    self._progress_step(Path(out).name)
            return written
        exe = compile_or_fail(DOCUMENT_XSL)
        params = {"root": "../"}
        if ed_uri:
            params["edition-file"] = saxon.to_xdm(edition_src.tree, ed_uri)
        for j in jobs:
            params["edition-context"] = saxon.to_xdm(j.context, ctx_uri)
            try:
                html = saxon.transform(exe, saxon.to_xdm(j.text, j.uri), params)
            except saxon.XsltError as e:
                raise BuildError(f"{self._display(j.path)}: cannot render the page: {e}") from None
            write_file(stage / j.page, html)
            written += 1
            self._progress_step(Path(j.page).name)
        during()
        return written

    def _display(self, path: Path) -> str:
        src = self.ed.files.get(canon(path))
        return src.display if src is not None else str(path)

    # site pages -----------------------------------------------------------------------------
    def site_pages(self) -> list[etree._Element]:
        ed = self.ed
        docs = ed.documents
        pages: list[etree._Element] = []

        def page(kind, href, **attrs):
            el = etree.Element("page", kind=kind, href=href, root="../" * href.count("/"), **attrs)
            pages.append(el)
            return el

        doc_ents: dict[str, set[str]] = {d.id: {eid for eid, _, _ in self.doc_mentions(d)} for d in docs}
        ent_docs: dict[str, set[str]] = {}
        for did, ents in doc_ents.items():
            for e in ents:
                ent_docs.setdefault(e, set()).add(did)

        def doc_el(parent, d, tag="doc"):
            return etree.SubElement(parent, tag, id=d.id, page=self.doc_page[d.id], when=d.when,
                                    date=d.date_label, title=d.title, summary=d.summary,
                                    transcribed=str(d.transcribed).lower())

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
                              key=lambda e: (ed.entities[e].preferred.lower(), e)):
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
                el.append(etree.fromstring(etree.tostring(facets)))

        # facet data for the listing's filters (assets/data.js)
        data = page("data", "assets/data.js")
        for d in docs:
            doc_el(data, d).set("entities", " ".join(sorted(doc_ents.get(d.id, ()))))

        # indices and entity pages
        passages = self.passages()
        doc_by_id = {d.id: d for d in docs}
        for kind, href in (("person", "persons.html"), ("place", "places.html"), ("org", "orgs.html")):
            idx = page("index", href, **{"entity-kind": kind})
            for eid, e in sorted(ed.entities.items(), key=lambda kv: (kv[1].preferred.lower(), kv[0])):
                if e.kind != kind or eid not in self.ent_page:
                    continue
                x = etree.SubElement(idx, "entity", id=eid, page=self.ent_page[eid], name=e.preferred,
                                     documents=str(len(ent_docs.get(eid, ()))))
                for v in e.variants:
                    etree.SubElement(x, "variant").text = v
        for eid, e in sorted(ed.entities.items()):
            if eid not in self.ent_page:
                continue
            el = page("entity", self.ent_page[eid], id=eid, name=e.preferred, **{"entity-kind": e.kind})
            for v in e.variants:
                etree.SubElement(el, "variant").text = v
            geo = entity_geo(e.element)
            if geo:
                etree.SubElement(el, "geo", lat=f"{geo[0]:.5g}", long=f"{geo[1]:.5g}")
            tei = etree.SubElement(el, "tei")
            copy = etree.fromstring(etree.tostring(e.element))
            copy.set(XML_BASE, canon(e.file).as_uri())
            tei.append(copy)
            grouped: dict[str, list] = {}
            for did, pid, snip in passages.get(eid, []):
                grouped.setdefault(did, []).append((pid, snip))
            for d in docs:
                if d.id in grouped:
                    x = doc_el(el, d)
                    for pid, snip in grouped[d.id]:
                        etree.SubElement(x, "passage", id=pid).text = snip

        # map and chronology
        mp = page("map", "map.html")
        for eid, e in sorted(ed.entities.items(), key=lambda kv: (kv[1].preferred.lower(), kv[0])):
            geo = entity_geo(e.element) if e.kind == "place" and eid in self.ent_page else None
            if geo:
                etree.SubElement(mp, "place", id=eid, page=self.ent_page[eid], name=e.preferred,
                                 lat=f"{geo[0]:.5g}", long=f"{geo[1]:.5g}",
                                 documents=str(len(ent_docs.get(eid, ()))))
        chron = page("chronology", "chronology.html")
        for d in docs:
            doc_el(chron, d)
        _ = doc_by_id
        return pages

    def build_site(self, stage: Path, ctx, todo: list[etree._Element], edition_src) -> int:
        if not todo:
            self._progress_step("site pages")
            return 0
        site = etree.Element("site")
        for el in todo:
            site.append(el)
        exe = compile_or_fail(SITE_XSL)
        ctx_uri = (self.target / "context.xml").resolve().as_uri()
        params = {"edition-context": saxon.to_xdm(etree.tostring(ctx.getroot(), encoding="unicode"), ctx_uri)}
        if edition_src is not None and edition_src.ok:
            params["edition-file"] = saxon.to_xdm(edition_src.tree, canon(edition_src.path).as_uri())
        # Saxon writes the pages itself (xsl:result-document, serialised by each page's
        # xsl:output); old hard-linked copies are unlinked first so the previous output is
        # never modified in place.
        for el in todo:
            try:
                (stage / el.get("href")).unlink()
            except FileNotFoundError:
                pass
        base_out = stage.resolve().as_uri() + "/"
        proc = saxon.processor()
        exe.clear_parameters()
        for k, v in params.items():
            exe.set_parameter(k, v)
        exe.set_base_output_uri(base_out)
        try:
            exe.transform_to_string(xdm_node=saxon.to_xdm(etree.tostring(site, encoding="unicode"),
                                                          base_out + "site.xml"))
        except Exception as e:
            raise BuildError(f"site pages: {e}") from None
        del proc
        written = len(todo)
        self._progress_step("site pages")
        return written


def compile_or_fail(path: Path):
    try:
        return saxon.compile_stylesheet(path)
    except saxon.XsltError as e:
        raise BuildError(str(e)) from None


# -- helpers shared with tests ------------------------------------------------------------------
def cite_ids(root: etree._Element) -> dict:
    """element → stable id, exactly as xslt/html/text/ids.xsl computes them."""
    ids = {}
    counts: dict[str, int] = {}
    texts = [t for t in root.iter(T + "text") if not any(a.tag == T + "text" for a in t.iterancestors())]
    for t in texts:
        for el in t.iterdescendants():
            if not isinstance(el.tag, str) or not el.tag.startswith(T):
                continue
            name = el.tag[len(T):]
            if name in CITABLE:
                counts[name] = counts.get(name, 0) + 1
                ids[el] = el.get(XML_ID) or f"{name}-{counts[name]}"
    return ids


def passage_of(node: etree._Element, ids: dict) -> tuple[str, etree._Element | None]:
    fallback = None
    for a in node.iterancestors():
        if a in ids:
            if local(a.tag) in PASSAGE:
                return ids[a], a
            fallback = fallback if fallback is not None else a
        name = local(a.tag)
        if name == "abstract":
            return "summary", a
        if name == "titleStmt":
            return "title", a
        if name == "teiHeader":
            return "doc-info", a
    if fallback is not None:
        return ids[fallback], fallback
    return "main", None


def snippet(text: str, node, width: int = 220) -> str:
    if len(text) <= width:
        return text
    name = text_of(node)
    at = text.find(name) if name else -1
    start = max(0, (at if at >= 0 else 0) - width // 3)
    cut = text[start:start + width]
    return ("… " if start > 0 else "") + cut.strip() + (" …" if start + width < len(text) else "")


def entity_geo(el) -> tuple[float, float] | None:
    """Latitude, longitude of an authority entry (decimal points or commas: "48,2 16,37")."""
    g = el.find(f"{T}location/{T}geo")
    if g is None:
        g = next(el.iter(T + "geo"), None) if local(el.tag) == "place" else None
    if g is None or not (g.text or "").strip():
        return None
    parts = g.text.split()
    if len(parts) != 2:
        parts = [p for p in re.split(r"[\s;]+|,\s+", g.text.strip()) if p]
    try:
        lat, lon = (float(p.replace(",", ".")) for p in parts[:2])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def build_html(edition: Edition, target: Path, full: bool = False, interactive: bool = False) -> BuildResult:
    return HtmlBuild(edition, target, full, interactive).run()
