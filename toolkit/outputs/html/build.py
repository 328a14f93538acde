"""The HTML build's orchestrator: addresses → plan (fingerprints of every page) → document pages
(in worker processes when there are many) beside the site pages → assets and images → search
index → state and manifest → atomic swap of the output folder. Each step's work is done by the
module named for it; this one decides their order and what runs beside what."""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ... import context, saxon
from ...model import Edition, canon
from ..base import Builder, BuildError, BuildResult, Flag, Job, run, with_overrides
from ..html_options import HtmlOptions
from ..plan import MANIFEST, Plan, digest, tree_digest
from ..progress import Progress
from ..publish import staged_output, start_seed, write_file
from .. import custom, search
from . import incremental, pool as workers
from .addresses import Addresses, assign
from .documents import DocumentPages
from .facsimiles import Facsimiles
from .media import Media
from .passages import Mentions
from .records import Records
from .site import PER_PAGE, SitePages
from .store import StoreDamaged, release
from .stylesheets import ASSETS, XSLT_HTML


@dataclass
class Rest:
    """What remains to be written beside the document pages (HtmlBuild._plan_rest)."""
    site: list = field(default_factory=list)     # <page> elements of site pages to write
    assets: list = field(default_factory=list)   # asset files to copy
    shards: dict = field(default_factory=dict)   # search shard → its pages, to index
    media: list = field(default_factory=list)    # images to copy
    stale: list = field(default_factory=list)    # files of the last build no longer made
    viewer: list = field(default_factory=list)   # (address, file) of the facsimile viewer to copy
    custom: list = field(default_factory=list)   # the edition's style sheets and logo to copy (Asset)

    def any(self) -> bool:
        return bool(self.site or self.assets or self.stale or self.shards or self.media or self.viewer
                    or self.custom)


class HtmlBuilder(Builder):
    name = "html"
    description = "Static HTML site (output/html). PATHS: build any TEI files or folders ad hoc (with --out)."
    options = HtmlOptions
    supports_incremental = True
    default = True
    reads_stand_ins = True  # it parses an unchanged document itself when a page needs it
    distributable = True    # --engine, --shard, --merge (outputs/engine.py, shard.py)
    flags = (Flag("--no-search", "search_index", False,
                  "Leave out the search index (a quicker preview: the search page then says so; the "
                  "next build without this flag indexes every page)."),)

    def plan(self, job: Job) -> HtmlBuild:
        """The build with the last build's plan and state loaded; the pages' fingerprints are
        worked out as it runs (the site pages' beside the document transforms)."""
        shard = job.dist is not None and job.dist.shard
        return HtmlBuild(job.edition, job.target, job.full or bool(shard), job.interactive,
                         job.options.search_index, job=job)

    def build(self, job: Job, plan: HtmlBuild) -> BuildResult:
        try:
            if job.dist is not None and job.dist.shard:
                from ..shard import build_shard
                return build_shard(plan)
            return plan.run()
        except StoreDamaged as e:
            raise BuildError(str(e)) from None
        finally:  # saved by a build that completed (HtmlBuild._write_state), else dropped
            release(plan.target)


class HtmlBuild:
    def __init__(self, edition: Edition, target: Path, full: bool, interactive: bool,
                 search_index: bool = True, job: Job | None = None):
        self.ed = edition
        self.target = Path(target)
        self.full = full
        self.search_index = search_index  # False: --no-search, the site without the Pagefind index
        # findings (pages the stylesheet could not render) go to the job (base.Job.problem)
        self.job = job if job is not None else Job(edition, self.target, HtmlOptions(search_index), full,
                                                   interactive, report=None)
        self.plan = Plan.load(self.target, full)
        self.previous = incremental.previous_state(self.target, full, edition)
        if self.job.dist is not None and self.job.dist.merge:  # the shards' records (shard.py)
            from ..shard import records
            files, mentions = records(self.job.dist.merge)
            self.previous.files.update(files)
            self.previous.mentions.update(mentions)
        # the documents this build read into records (records.py): their facts and names stand
        # for their trees, which the model did not keep
        read = edition.records if edition.records is not None else Records()
        self.sources = incremental.Sources(edition, self.previous.files, read.facts)
        self.mentions = Mentions(edition, self.sources, self.previous.mentions, read.names,
                                 store=incremental.state_store(self.target), reuse=not full)
        self.media = Media(edition, self.plan, self.previous.media)
        self.facsimiles = Facsimiles(edition, self.plan, self.media)  # page images: tiles, manifests
        self.progress = Progress("html", interactive)
        # the optional information fields some document has: part of every document page's context
        self.info_fields = edition.info_fields()
        self.addresses: Addresses | None = None  # assign_pages
        self.seed = None  # the staging folder being filled with the current output (run)
        self._rest: Rest | None = None  # _plan_rest
        # [html] css, logo, header, footer, pages, xslt (docs/customizing.md): read and checked
        # before anything is built; the stylesheets are compiled with the edition's layer
        self.custom = custom.html(edition.config)
        custom.install_html(self.custom)

    def assign_pages(self) -> Addresses:
        """Every page's address (addresses.assign)."""
        def mentioned() -> set[str]:
            docs = self.ed.documents
            return {eid for d in docs for eid in self.mentions.entities(d)} \
                | {eid for d in docs for eid in self.mentions.registered(d)}
        self.addresses = assign(self.ed, mentioned)
        return self.addresses

    def context(self):
        """The site pages' context (toolkit/context.py: site)."""
        return context.site(self.ed, self.addresses, self.info_fields)

    def run(self) -> BuildResult:
        try:
            return self._run()
        except BaseException:
            if self.seed is not None:  # not used, or already removed: either way, gone
                self.seed.cancel()
            raise
        finally:  # the state was saved by a build that completed (_write_state); else dropped
            release(self.target)

    def _base(self, edition_src) -> str:
        """The fingerprint part every page shares: the stylesheets and assets (and the shared
        library's data: the element classes), the site's title, language and edition file, the
        edition's conventions (its fields of "Document information", its transcription marker),
        the addresses of the site and of its PDFs (and the volume's file names), the edition's
        customisation (custom.py), and the map of documents to pages."""
        ed, a = self.ed, self.addresses
        styles = tree_digest(XSLT_HTML, saxon.XSLT_DIR / "lib", suffixes=(".xsl", ".xml", ".css", ".js", ".svg"))
        edition_bytes = edition_src.data if edition_src is not None and edition_src.ok else b""
        site_hash = digest(styles, ed.config.title, ed.config.language, edition_bytes, str(PER_PAGE),
                           repr(ed.conventions), getattr(self.job.options, "base_url", ""),
                           getattr(self.job.options, "pdf_url", ""), " ".join(getattr(ed, "pdf_volumes", ())),
                           *([self.custom.digest()] if self.custom.layer else []))
        docmap = digest(*(f"{d.id}\x1f{a.doc_page[d.id]}\x1f{canon(d.file).as_uri()}" for d in ed.documents))
        return digest(site_hash, docmap)

    def _run(self) -> BuildResult:
        t0 = time.perf_counter()
        result = BuildResult("html", self.target)
        ed = self.ed
        if not ed.documents:
            raise BuildError("no TEI documents to build (authority files alone make no site)")
        # an incremental build starts copying the current output (hard links) at once, beside
        # the planning below
        self.seed = start_seed(self.target) if not self.full and (self.target / MANIFEST).exists() else None
        a = self.assign_pages()
        searchable = [a.doc_page[d.id] for d in ed.documents] + sorted(a.ent_page.values())
        sizes = {a.doc_page[d.id]: self.sources.size(d) for d in ed.documents}
        source_bytes = sum(sizes.values())
        shards = search.Shards(searchable, sizes, self.search_index)
        edition_src = ed.files.get(ed.edition_path) if ed.edition_path else None
        base = self._base(edition_src)
        documents = DocumentPages(ed, self.target, self.plan, a, self.sources, self.mentions, self.media,
                                  shards, self.info_fields, self.progress, self.job, self.facsimiles)
        documents.plan_all(base)
        site = SitePages(ed, a, self.mentions, sorted(shards.pages), self.previous.site, self.progress,
                         page_size=self.job.options.page_size)

        # The rest of the plan (site pages, assets, search shards, stale pages). When document
        # pages are to be made, it is worked out while the workers transform them (the staging
        # folder is needed anyway); otherwise first, since it decides whether anything is written.
        doc_pages = documents.pages_to_make
        documents.precompile_if_alone()
        if not doc_pages:
            rest = self._plan_rest(site, shards, base)
            if not (documents.todo or rest.any()) and (self.target / MANIFEST).exists():
                if self.seed is not None:
                    self.seed.cancel()
                self._write_state(site)  # (what changed: a file's stat refreshed …)
                result.skipped = len(self.plan.current)
                result.seconds = time.perf_counter() - t0
                return result

        try:
            with staged_output(self.target, seed=self.seed) as stage:
                documents.keep_stale(stage)
                if shards.pages and doc_pages:  # the workers write the pages' search copies here
                    documents.search_work = search.work_folder(stage, 4 * source_bytes)
                self.progress.start(len(doc_pages) + 2)
                site_written = []

                def during(pool=None):
                    # in the main process while the workers transform documents: the rest of the
                    # plan, stale pages removed, the site pages written (by the workers too, when
                    # there are workers: queued after the documents, in one share per worker)
                    rest = self._plan_rest(site, shards, base)
                    _remove_stale(stage, rest.stale, shards)
                    ctx = self.context() if rest.site else None  # the whole context only for site pages
                    if pool is not None and len(rest.site) >= workers.PARALLEL_MIN_SITE_PAGES:
                        site_written.append(site.queue(pool, stage, ctx, rest.site))
                    else:
                        ctx_uri = (self.target / "context.xml").resolve().as_uri()
                        site_written.append(site.write(stage, ctx, rest.site, edition_src, ctx_uri))

                written = documents.write(stage, edition_src, during=during)
                written += sum(site_written)
                rest = self._rest
                for p in rest.assets:
                    dest = stage / "assets" / p.relative_to(ASSETS)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    write_file(dest, p.read_bytes())
                    written += 1
                for a in rest.custom:
                    (stage / a.href).parent.mkdir(parents=True, exist_ok=True)
                    write_file(stage / a.href, a.data)
                    written += 1
                for href in rest.media:
                    self.media.copy(stage, href)
                    written += 1
                for href, p in rest.viewer:
                    write_file(stage / href, p.read_bytes())
                    written += 1
                written += self.facsimiles.write(stage)
                try:  # no image left: no folder either (as in a full build)
                    (stage / "media").rmdir()
                except OSError:
                    pass
                self.progress.step("search index")

                def bookkeeping():
                    documents.forget_failed()
                    self._write_state(site)
                    write_file(stage / MANIFEST, self.plan.manifest())
                if rest.shards:
                    try:  # the state and manifest are written while Pagefind runs
                        search.index_shards(stage, rest.shards, ed.config.language, during=bookkeeping,
                                            work=documents.search_work)
                        written += len(rest.shards)
                    except search.SearchIndexError as e:
                        raise BuildError(f"search index: {e}") from None
                else:
                    bookkeeping()
        finally:
            self.progress.stop()
            site.cleanup()
            if documents.search_work is not None:  # (in /dev/shm it is not removed with the staging)
                shutil.rmtree(documents.search_work, ignore_errors=True)
        result.written = written
        result.skipped = len(self.plan.current) - written
        result.messages.extend(self.facsimiles.messages())
        for page, diag in documents.render_failed.items():
            result.messages.append(f"plain-text page {page} for {diag.path}: the stylesheet failed on it")
        result.seconds = time.perf_counter() - t0
        return result

    def _plan_rest(self, site: SitePages, shards: search.Shards, base: str) -> Rest:
        """Site pages, assets, search shards and images to write, files no longer made (once)."""
        if self._rest is not None:
            return self._rest
        todo_site = site.plan(self.plan, base)
        todo_site += [(el.get("href"), el) for el in self.custom.page_elements()
                      if self.plan.add(el.get("href"), digest(base, etree.tostring(el)))]
        todo_custom = [a for a in self.custom.assets if self.plan.add(a.href, digest(a.data))]
        asset_files = sorted(p for p in ASSETS.rglob("*") if p.is_file())
        todo_assets = [p for p in asset_files
                       if self.plan.add("assets/" + p.relative_to(ASSETS).as_posix(), digest(p.read_bytes()))]
        todo_shards = {}
        for k in sorted(shards.pages):  # empty shards are not made
            pages_k = sorted(shards.pages[k])
            sig = digest(*(f"{rel}\x1f{self.plan.current[rel]}" for rel in pages_k))
            if self.plan.add(f"pagefind/shard-{k}/pagefind-entry.json", sig):
                todo_shards[k] = pages_k
        viewer = [(href, p) for href, p in self.facsimiles.viewer_files() if self.plan.add(href, digest(p.read_bytes()))]
        self._rest = Rest(todo_site, todo_assets, todo_shards, self.media.to_copy(), self.plan.stale(), viewer,
                          todo_custom)
        return self._rest

    def _write_state(self, site: SitePages) -> None:
        incremental.save_state(self.target, self.previous, self.sources.facts, site.state, self.media.hashes,
                               self.ed.documents)


def _remove_stale(stage: Path, stale: list[str], shards: search.Shards) -> None:
    """Remove what the last build wrote and this one no longer makes, and old search shards."""
    for rel in stale:
        if rel.startswith("pagefind/"):
            shutil.rmtree((stage / rel).parent, ignore_errors=True)
            continue
        try:
            (stage / rel).unlink()
        except FileNotFoundError:
            pass
    if (stage / "pagefind").is_dir():  # anything but the current shards is stale
        keep = {f"shard-{k}" for k in shards.pages}
        for old in (stage / "pagefind").iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()


def build_html(edition: Edition, target: Path, full: bool = False, interactive: bool = False,
               search_index: bool = True, report=None, strict: bool = False) -> BuildResult:
    """Build the site (base.run: the shared policy)."""
    options = with_overrides(edition.config.options("html"), None if search_index else {"search_index": False})
    job = Job(edition, Path(target), options, full, interactive, strict, report)
    return run(HtmlBuilder(), job)
