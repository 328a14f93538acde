"""Document pages: each document's page (document.xsl) and TEI copy, planned by fingerprint,
made in this process or by the worker pool; a document the stylesheet fails on gets the
fallback page and an error diagnostic; a document whose file cannot be read now keeps its last
good page and copy (Edition.stale)."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ... import saxon
from ...diagnostics import ERROR, Diagnostic
from ...model import canon, norm_space
from ...xmlsafe import serialize_for_saxon
from ..base import BuildError
from ..plan import digest
from ..publish import write_file
from .. import engine as engines
from . import pool as workers, stylesheets
from .contexts import Links, PageContext
from .fallback import plain_page
from .incremental import entity_record, pointed_to
from .facsimiles import page_facsimile
from .media import graphic_refs


@dataclass
class DocJob:
    path: Path
    page: str
    text: str          # the safely parsed tree, serialised for Saxon (no DOCTYPE)
    uri: str
    context: str       # this page's slice of the context (contexts.PageContext)
    search_out: str | None = None  # where the page's search copy goes (search.write_search_copy)


class DocumentPages:
    """The document pages and TEI copies of one build: `plan` registers them (and decides which
    to make), `write` makes them."""

    def __init__(self, edition, target: Path, plan, addresses, sources, mentions, media, shards,
                 info_fields: str, progress, job, facsimiles=None):
        self.ed = edition
        self.target = target
        self.plan = plan
        self.addresses = addresses
        self.sources = sources
        self.mentions = mentions
        self.media = media
        self.shards = shards        # search.Shards: where each page's search copy goes
        self.info_fields = info_fields
        self.progress = progress
        self.job = job  # base.Job: pages that could not be rendered are its problems (and --strict)
        self.facsimiles = facsimiles  # facsimiles.Facsimiles: page images, tiles, manifests
        self.facs: dict = {}  # document id → its facsimile context element (or None)
        self.links = Links(edition)
        self.contexts = PageContext(edition, addresses, info_fields, links=self.links)
        self.refs: dict[str, tuple[set, set]] = {}  # document id → (ids, file names) it points to
        self.todo: list = []  # documents whose page to make, ("source", document) for TEI copies
        self.stale_pages: list[tuple[str, str, object]] = []  # (old page, new page, document) kept
        self.render_failed: dict[str, Diagnostic] = {}  # page → why the stylesheet failed on it
        self.search_work: Path | None = None  # search copies written by the document workers
        self._precompile: threading.Thread | None = None
        self._ent_records: dict[str, str] = {}  # (_entity_record)
        self.engine = None  # outputs/engine.py: where the pages are made (None: the job's)

    # -- planning ------------------------------------------------------------------------------
    def plan_all(self, base: str) -> None:
        """Register every document's page and TEI copy in the plan, by fingerprint: the page's
        inputs are the document's bytes and facts, the records of the entities it names, its
        neighbours' and linked documents' facts, the edition's info fields and its images."""
        ed, a = self.ed, self.addresses
        for d in ed.documents:
            if canon(d.file) in ed.stale:
                self._plan_stale(d)
                continue
            src = ed.files[canon(d.file)]
            facts = self.sources.file_facts(d, a.doc_page[d.id], a.doc_source[d.id])
            if facts is not None:
                self.sources.facts[str(canon(d.file))] = facts
                refs, files = set(facts["refs"]), set(facts["files"])
            else:
                refs, files = pointed_to(src.root)
            self.refs[d.id] = (refs, files)
            graphics = facts.get("graphics") if facts is not None else None
            if graphics is None:
                graphics = graphic_refs(self.sources.full_tree(d).getroot())
            media = self.media.of(d, graphics)
            facs = self.facs[d.id] = page_facsimile(self.facsimiles, d, facts, a.doc_page[d.id],
                                                    lambda d=d: self.sources.full_tree(d).getroot())
            ents = [self._entity_record(r) for r in sorted(refs) if r in ed.entities]
            prev_next = [f"{n.id}\x1f{n.title}\x1f{n.date_label}\x1f{n.when}" for n in self.links.neighbours(d)]
            # documents it links by file name or by id (a letter's previous/next letter): the page
            # shows their titles and dates (as its context gives them)
            by_id = self.links.by_id
            linked_facts = [f"{x}\x1f{by_id[x].title}\x1f{by_id[x].date_label}\x1f{by_id[x].when}"
                            for x in self.links.linked(d, refs, files)]
            data_hash = self.sources.data_hash(d)
            fp = digest(base, data_hash, d.id, d.title, d.when, d.date_label, *ents, "|", *prev_next,
                        "|", self.info_fields, "|", *linked_facts, "|", *("\x1f".join(m) for m in media), "|", facs[1] if facs else "")
            if self.plan.add(a.doc_page[d.id], fp):
                self.todo.append(d)
            if self.plan.add(a.doc_source[d.id], data_hash):
                self.todo.append(("source", d))

    def _entity_record(self, eid: str) -> str:
        """entity_record, once per entity and build (the documents name the same entities:
        88,000 records for 10,000 documents took 1.8 s of a one-edit build)."""
        rec = self._ent_records.get(eid)
        if rec is None:
            rec = self._ent_records[eid] = entity_record(self.ed, self.addresses.ent_page, eid)
        return rec

    def _plan_stale(self, d) -> None:
        """A document whose file cannot be read now keeps the page and TEI copy of its last good
        version (incremental.recover_from): they are carried into the new output as they are,
        under its current addresses, and stay in the state, so the next build keeps them too
        until the file is mended."""
        path = canon(d.file)
        prev = self.sources.previous.get(str(path)) or {}
        self.sources.facts[str(path)] = prev
        self.refs[d.id] = (set(prev.get("refs", ())), set(prev.get("files", ())))
        self.media.of_document[d.id] = []
        page, source = self.addresses.doc_page[d.id], self.addresses.doc_source[d.id]
        for old, new in ((prev.get("page"), page), (prev.get("source"), source)):
            if old:
                self.stale_pages.append((old, new, d))
                self.plan.add(new, (self.plan.previous.get(old) if old == new else None) or f"stale:{old}")

    def keep_stale(self, stage: Path) -> None:
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

    @property
    def pages_to_make(self) -> list:
        return [d for d in self.todo if not isinstance(d, tuple)]

    def precompile_if_alone(self) -> None:
        """A few pages, surely transformed in this process (no worker pool to fork): start
        Saxon and compile document.xsl in a thread — saxonche lets Python run meanwhile — while
        the staging folder is made and the rest is planned."""
        docs = self.pages_to_make
        if docs and len(docs) < workers.PARALLEL_MIN_DOCS \
                and 2 * sum(self.sources.size(d) for d in docs) < workers.PARALLEL_MIN_BYTES:
            self._precompile = threading.Thread(target=self._compile_document_xsl, daemon=True)
            self._precompile.start()

    @staticmethod
    def _compile_document_xsl():
        try:  # (a rebuild of a few pages: site.xsl, if needed at all, is compiled when it is)
            saxon.compile_stylesheet(stylesheets.DOCUMENT_XSL, family=False)
        except Exception:
            pass  # compile_or_fail reports it

    # -- making --------------------------------------------------------------------------------
    def _search_out(self, page: str) -> str | None:
        if self.search_work is None:  # else its shard is re-indexed: its fingerprint changed
            return None
        return str(self.search_work / f"shard-{self.shards.of(page)}" / page)

    def _job(self, d) -> DocJob:
        page = self.addresses.doc_page[d.id]
        refs, files = self.refs.get(d.id, (set(), set()))
        tree = self.sources.full_tree(d)
        return DocJob(d.file, page, serialize_for_saxon(tree), canon(d.file).as_uri(),
                      self.contexts.of(d, refs, files, self.media.of_document.get(d.id, ()), tree.getroot(),
                                       (self.facs.get(d.id) or (None,))[0]),
                      self._search_out(page))

    def _lazy_job(self, stage: Path, d) -> workers.LazyJob:
        def make():
            j = self._job(d)
            return str(stage / j.page), j.text, j.uri, j.context, j.search_out
        return workers.LazyJob(str(stage / self.addresses.doc_page[d.id]), make)

    def _render_failed(self, stage: Path, d, err: str) -> int:
        """A document the stylesheet fails on (a Saxon dynamic error in a well-formed file) does
        not stop the build: its page is a plain one with the document's text (plain_page), the
        file and the error are reported, and the page is made again by the next build."""
        page = self.addresses.doc_page[d.id]
        err = norm_space(err) or "unknown error"
        diag = Diagnostic(self.sources.display(d.file), 0, 0, ERROR, f"cannot render the page: {err}",
                          "build.render", f"{page} shows the document's text only, without its markup")
        self.render_failed[page] = diag
        self.job.problem(diag)
        self.job.check_strict("the site")
        try:
            tree = self.sources.full_tree(d)
        except BuildError:
            tree = None
        html = plain_page(tree, d, self.ed.config.title, self.addresses.doc_source[d.id], self.ed.config.language)
        stylesheets.write_page(stage / page, html, self._search_out(page))
        return 1

    def forget_failed(self) -> None:
        """Pages that stand in for a failed rendering are not remembered as done: the next build
        makes them again (and says why), and re-indexes their search shard."""
        for page in self.render_failed:
            self.plan.current[page] = "render-failed"
            entry = f"pagefind/shard-{self.shards.of(page)}/pagefind-entry.json"
            if entry in self.plan.current:
                self.plan.current[entry] = "render-failed"

    def write(self, stage: Path, edition_src, during=lambda pool=None: None) -> int:
        """Make the planned pages and TEI copies; `during(pool)` runs meanwhile (the rest of the
        build: site pages, given the pool to queue them to when there is one)."""
        written = 0
        sources = [item[1] for item in self.todo if isinstance(item, tuple)]  # TEI offered for download
        docs = self.pages_to_make

        def write_sources():  # the file's own bytes
            for d in sources:
                write_file(stage / self.addresses.doc_source[d.id], self.ed.files[canon(d.file)].data)
            return len(sources)
        if not docs:
            written += write_sources()
            during()
            return written
        ctx_uri = (self.target / "context.xml").resolve().as_uri()
        ed_uri = canon(edition_src.path).as_uri() if edition_src is not None and edition_src.ok else None
        size = {d.id: self.sources.size(d) for d in docs}
        engine = self.engine if self.engine is not None else engines.for_job(self.job)
        if engine.takes(len(docs), sum(size.values())):
            # biggest first, so one large file does not finish last
            order = sorted(docs, key=lambda d: -size[d.id])
            by_out = {str(stage / self.addresses.doc_page[d.id]): d for d in order}

            def job(d):
                j = self._job(d)
                return str(stage / j.page), j.text, j.uri, j.context, j.search_out
            work = engines.Work(
                order, job, lambda d: self._lazy_job(stage, d),
                lambda: serialize_for_saxon(edition_src.tree) if ed_uri else None, (ctx_uri, ed_uri),
                page=lambda d: self.addresses.doc_page[d.id],
                out=lambda d: str(stage / self.addresses.doc_page[d.id]),
                search_out=lambda d: self._search_out(self.addresses.doc_page[d.id]),
                fingerprint=lambda d: self.plan.current.get(self.addresses.doc_page[d.id]),
                write=lambda out, html, search_out: stylesheets.write_page(Path(out), html, search_out),
                progress_shown=self.progress.shown)
            with engine.start(work) as pool:
                written += write_sources()  # file creation, while the workers transform
                during(pool if pool.shares_site else None)
                for out, err, kind in pool.results:
                    if err and kind != "render":
                        pool.terminate()
                        raise BuildError(f"{self.sources.display(by_out[out].file)}: cannot make its page: {err}")
                    if err:
                        self._render_failed(stage, by_out[out], err)
                    written += 1
                    self.progress.step(Path(out).name)
                for err in pool.site_results():
                    if err:
                        pool.terminate()
                        raise BuildError(stylesheets.site_error(err, stage))
                if pool.queued_site:
                    self.progress.step("site pages")
            return written
        written += write_sources()
        jobs = [self._job(d) for d in docs]
        if self._precompile is not None:
            self._precompile.join()
        exe = stylesheets.compile_or_fail(stylesheets.DOCUMENT_XSL)
        params = {"root": "../"}
        if ed_uri:
            params["edition-file"] = saxon.to_xdm(edition_src.tree, ed_uri)
        for d, j in zip(docs, jobs):
            params["edition-context"] = saxon.to_xdm(j.context, ctx_uri)
            try:
                html = saxon.transform(exe, saxon.to_xdm(j.text, j.uri), params)
            except saxon.XsltError as e:
                written += self._render_failed(stage, d, str(e))
                self.progress.step(Path(j.page).name)
                continue
            try:
                stylesheets.write_page(stage / j.page, html, j.search_out)
            except OSError as e:  # a full disk, a read-only folder: the build stops, as in the workers
                raise BuildError(f"{self.sources.display(j.path)}: cannot write its page: {e}") from None
            written += 1
            self.progress.step(Path(j.page).name)
        during()
        return written
