"""The worker pool: document pages (and shares of the site pages) transformed in worker
processes, side by side, when there is enough work to pay for them. Workers are forked where
that is safe (before Saxon starts in this process: a forked GraalVM isolate is unusable), and
then make their jobs themselves from what they inherited; otherwise spawned, with the jobs made
here."""
from __future__ import annotations

import gc
import os
import signal
import threading
from pathlib import Path

from ... import saxon
from . import stylesheets

# Documents are transformed in worker processes when there is enough work to pay for them.
PARALLEL_MIN_DOCS = 12
PARALLEL_MIN_SITE_PAGES = 24  # fewer site pages are written in the main process
PARALLEL_MIN_BYTES = 4 * 1024 * 1024

_worker = {}


def wanted(docs: int, size: int) -> bool:
    """Whether `docs` document pages of `size` source bytes are worth worker processes."""
    return docs >= PARALLEL_MIN_DOCS or 2 * size >= PARALLEL_MIN_BYTES


def _worker_init(edition_xml: str | None, base_uris: tuple[str, str | None]):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    exe = saxon.compile_stylesheet(stylesheets.DOCUMENT_XSL)
    _worker["edition"] = saxon.to_xdm(edition_xml, base_uris[1]) if edition_xml is not None else None
    if _worker["edition"] is not None:
        exe.set_parameter("edition-file", _worker["edition"])
    _worker["ctx_uri"] = base_uris[0]
    exe.set_parameter("root", saxon.processor().make_string_value("../"))
    _worker["exe"] = exe
    # Saxon's native runtime may install its own SIGTERM handler when it starts; a pool's
    # terminate() must end an idle worker at once, or the parent waits on it for ever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
        stylesheets.write_page(Path(out), html, search_out)
        return out, None, ""
    except Exception as e:
        return out, str(e) or type(e).__name__, "build"


def _site_run(job) -> tuple[str, str | None]:
    """Write a block of the site pages (site.xsl, compiled once per worker), read from the file
    the parent wrote it to; the site context, read from its file, is parsed once per worker."""
    site_file, ctx_file, base_out = job
    try:
        exe = _worker.get("site")
        if exe is None:
            exe = saxon.compile_stylesheet(stylesheets.SITE_XSL)
            if _worker.get("edition") is not None:
                exe.set_parameter("edition-file", _worker["edition"])
            _worker["site"] = exe
        if _worker.get("site-context") != ctx_file:
            ctx = saxon.to_xdm(Path(ctx_file).read_text(encoding="utf-8"), _worker["ctx_uri"])
            exe.set_parameter("edition-context", ctx)
            _worker["site-context"] = ctx_file
        exe.set_base_output_uri(base_out)
        saxon.run(exe, xdm_node=saxon.to_xdm(Path(site_file).read_text(encoding="utf-8"), base_out + "site.xml"))
        return "site pages", None
    except Exception as e:  # reported by the parent
        return "site pages", str(e) or type(e).__name__


class LazyJob:
    """A forked worker's job: made in the worker by `make` (inherited, with all it needs), whose
    result is (page path, document text, its URI, its context, its search copy's path)."""

    def __init__(self, out: str, make):
        self.out, self.make = out, make

    def __call__(self):
        return self.make()


class Pool:
    """Worker processes for one build: started with the jobs (forked: LazyJob each; spawned:
    their arguments, made here), the results in any order (`results`), shares of the site pages
    queued after the documents (`site`). The local engine of outputs/engine.py."""
    shares_site = True  # its workers write into this machine's staging folder

    def __init__(self, workers: int, fork: bool, jobs: list, edition_xml: str | None,
                 base_uris: tuple[str, str | None]):
        global _fork_jobs
        import multiprocessing  # here: 9 ms of imports a rebuild of a few pages does without
        mp = multiprocessing.get_context("fork" if fork else "spawn")
        if fork:  # each worker makes its jobs from what it inherited
            _fork_jobs = jobs
            args = range(len(jobs))
        else:
            _fork_jobs = []
            args = jobs
        self.workers = workers
        if fork:  # (#18) the collector of a forked worker would touch every object it inherited,
            gc.freeze()  # copying the parent's pages: they are left out of its collections
        try:
            self._pool = mp.Pool(workers, initializer=_worker_init, initargs=(edition_xml, base_uris))
        finally:
            if fork:
                gc.unfreeze()
        self.results = self._pool.imap_unordered(_worker_run, args, chunksize=1)
        self._site: list = []

    @staticmethod
    def can_fork(progress_shown: bool) -> bool:
        """Fork (cheap: no new interpreter, no imports, the jobs inherited) while Saxon has not
        started in this process — a forked GraalVM isolate is unusable — and no other thread
        runs (progress bar, server); otherwise spawn."""
        return not saxon.processor_started() and not progress_shown and os.name == "posix" \
            and threading.active_count() == 1

    def queue_site(self, site_file: str, ctx_file: str, base_out: str) -> None:
        """A block of site pages to write: the files of its <site> document and of the context."""
        self._site.append(self._pool.apply_async(_site_run, ((site_file, ctx_file, base_out),)))

    def site_results(self) -> list[str | None]:
        """The errors (or None) of the site page shares queued, once done."""
        return [r.get()[1] for r in self._site]

    @property
    def queued_site(self) -> bool:
        return bool(self._site)

    def terminate(self) -> None:
        self._pool.terminate()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        global _fork_jobs
        self._pool.__exit__(*exc)
        _fork_jobs = []
        return False
