"""Where the per-document work of a build runs: the engine. The local process pool (html/pool.py)
is the default; a Dask cluster (`--engine dask`, the optional extra `[dask]`) takes the same jobs
when an edition outgrows one machine; a merge of shard results (shard.py) answers them with the
pages the shards made. Every engine hands the pages back to the main process, which writes them:
what the toolkit may write (publish.py) is decided in one place.

An engine's `start` gets the documents to make and returns a running pool whose `results` yield
(page path, error or None, kind) as the HTML pool's do (kind "render": the stylesheet failed on
the document, the page falls back to its text; "build": the build stops)."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

ENGINES = ("local", "dask")
DASK_MISSING = ("the engine 'dask' is not installed: install it with "
                "pip install 'tei-edition-toolkit[dask]' (or leave out --engine dask)")


class EngineError(Exception):
    """The engine chosen cannot run (not installed, its scheduler out of reach): nothing written."""


@dataclass(frozen=True)
class Distribution:
    """How a build spreads its documents: the engine and its scheduler, the shard of the
    documents this run makes (i, n), or the shard results a merge takes its pages from. Given
    on the command line only: an edition's configuration is untrusted, and a scheduler is where
    its documents are sent and whose answers are unpickled."""
    engine: str = "local"
    scheduler: str | None = None     # tcp://host:8786; none: a cluster on this machine
    workers: int | None = None       # the workers of that local cluster (default: one per core)
    shard: tuple[int, int] | None = None
    merge: tuple[Path, ...] = field(default_factory=tuple)


def parse_shard(text: str) -> tuple[int, int]:
    """"i/n" (1 ≤ i ≤ n) as (i, n); ValueError saying what is expected."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard {text!r}: expected i/n, such as 1/4") from None
    if not 1 <= i <= n:
        raise ValueError(f"--shard {text!r}: i must be between 1 and n")
    return i, n


class Running:
    """A started engine: `results` (page, error, kind) in any order; site page shares only where
    the engine writes into this machine's staging folder itself (the local pool)."""
    shares_site = False
    results: object = ()

    def site_results(self) -> list:
        return []

    @property
    def queued_site(self) -> bool:
        return False

    def terminate(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.terminate()
        return False


class LocalEngine:
    """Today's pool: worker processes on this machine, used when there is enough work."""
    name = "local"

    def takes(self, docs: int, size: int) -> bool:
        from .html import pool
        return min(os.cpu_count() or 1, docs) > 1 and pool.wanted(docs, size)

    def start(self, work: "Work") -> Running:
        from .html import pool
        fork = pool.Pool.can_fork(work.progress_shown)
        jobs = [work.lazy_job(d) for d in work.docs] if fork else [work.job(d) for d in work.docs]
        return pool.Pool(min(os.cpu_count() or 1, len(work.docs)), fork, jobs, work.edition_xml(), work.base_uris)


@dataclass
class Work:
    """The documents an engine is to make, and how: each document's job (its page path, its
    serialised tree, URI, context slice and search copy's path) made on request."""
    docs: list
    job: object            # document → (out, text, uri, context, search_out)
    lazy_job: object       # document → html.pool.LazyJob (made in a forked worker)
    edition_xml: object    # () → the edition file serialised for Saxon, or None
    base_uris: tuple       # (the context's base URI, the edition file's or None)
    page: object           # document → its page's address (relative)
    out: object            # document → its page's path in the staging folder
    search_out: object     # document → its search copy's path, or None
    fingerprint: object    # document → its page's fingerprint (the plan's)
    write: object          # (out, html, search_out) → None: writes the page (main process)
    progress_shown: bool = False


def for_job(job):
    """The engine of a build (base.Job.dist): the local pool unless another is chosen (each
    engine has `takes(docs, size)` and `start(work) -> Running`)."""
    dist = getattr(job, "dist", None)
    if dist is None:
        return LocalEngine()
    if dist.merge:
        from .shard import MergeEngine
        return MergeEngine(dist.merge)
    if dist.engine == "dask":
        return DaskEngine(dist.scheduler, dist.workers)
    return LocalEngine()


# -- Dask ------------------------------------------------------------------------------------
def check_dask() -> None:
    """EngineError when the Dask extra is missing (before any work)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise EngineError(DASK_MISSING) from None


# Per worker process: the compiled document stylesheet of each build (by key), with its
# parameters; one transform at a time on it (an executable's parameters are its state).
_dask_state: dict = {}
_dask_lock = threading.Lock()


def _dask_setup(key: str, edition_xml: str | None, base_uris: tuple) -> None:
    """A worker's set-up for one build: document.xsl compiled once (Saxon's objects are not
    picklable: each worker makes its own), the edition file as a parameter."""
    from .. import saxon
    from .html import stylesheets
    with _dask_lock:
        if key in _dask_state:
            return
        exe = saxon.compile_stylesheet(stylesheets.DOCUMENT_XSL)
        if edition_xml is not None:
            exe.set_parameter("edition-file", saxon.to_xdm(edition_xml, base_uris[1]))
        exe.set_parameter("root", saxon.processor().make_string_value("../"))
        _dask_state.clear()  # one build's at a time: the last build's executable goes
        _dask_state[key] = (exe, base_uris[0])


def _dask_render(key: str, text: str, uri: str, context: str) -> tuple[str | None, str | None]:
    """(page's HTML, None), or (None, Saxon's error): run in a Dask worker, set up by the
    worker plugin (which also runs in every worker that joins later)."""
    from .. import saxon
    with _dask_lock:
        exe, ctx_uri = _dask_state[key]
        try:
            exe.set_parameter("edition-context", saxon.to_xdm(context, ctx_uri))
            return saxon.run(exe, xdm_node=saxon.to_xdm(text, uri)), None
        except Exception as e:  # saxonche's errors: the main process reports them with the file
            return None, str(e) or type(e).__name__


def _plugin(key: str, setup: tuple):
    from distributed import WorkerPlugin

    class CompileStylesheets(WorkerPlugin):
        """Run once in each worker (and in each that joins later): compile the stylesheet."""
        name = f"edition-toolkit-{key}"

        def setup(self, worker):
            _dask_setup(key, *setup)
    return CompileStylesheets()


class DaskEngine:
    """A Dask cluster: the scheduler at `scheduler`, or one started on this machine. The jobs
    carry the documents' serialised trees and context slices (the workers need no copy of the
    edition's files, only the toolkit); the pages come back as text."""
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        self.scheduler, self.workers = scheduler, workers
        check_dask()

    def takes(self, docs: int, size: int) -> bool:
        return True  # chosen on purpose: every document goes to the cluster

    def start(self, work: Work) -> Running:
        return DaskRun(self, work)


def dask_connect(engine: DaskEngine):
    """(client, cluster or None): a client of the scheduler at engine.scheduler, or of a cluster
    started on this machine (its workers processes on 127.0.0.1); EngineError when out of reach.
    Used by the HTML build (DaskRun) and the PDF build (pdf_engine.DaskTypesetting)."""
    import logging
    from distributed import Client, LocalCluster
    for name in ("distributed", "tornado"):  # its info lines are not the build's
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    try:
        if engine.scheduler:
            return Client(engine.scheduler, timeout="20s"), None
        cluster = LocalCluster(n_workers=engine.workers or os.cpu_count() or 1,
                               threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        return Client(cluster), cluster
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        where = engine.scheduler or "on this machine"
        raise EngineError(f"cannot reach the Dask scheduler {where}: {e}") from None


class DaskRun(Running):
    def __init__(self, engine: DaskEngine, work: Work):
        import uuid
        self.work, self._cluster = work, None
        self.client, self._cluster = dask_connect(engine)
        edition_xml = work.edition_xml()
        key = uuid.uuid4().hex  # this build's, in workers that may serve several
        self.client.register_plugin(_plugin(key, (edition_xml, work.base_uris)))
        self._futures = {}
        for d in work.docs:
            out, text, uri, context, search_out = work.job(d)
            f = self.client.submit(_dask_render, key, text, uri, context, pure=False)
            self._futures[f] = (out, search_out)
        self.results = self._results()

    def _results(self):
        from distributed import as_completed
        for f in as_completed(list(self._futures)):
            out, search_out = self._futures.pop(f)
            try:
                html, err = f.result()
            except Exception as e:  # the worker failed (not the stylesheet): the build stops
                yield out, f"a Dask worker failed: {e or type(e).__name__}", "build"
                continue
            if err is not None:
                yield out, err, "render"
                continue
            try:
                self.work.write(out, html, search_out)
            except OSError as e:
                yield out, str(e) or type(e).__name__, "build"
                continue
            yield out, None, ""

    def terminate(self) -> None:
        for f in list(getattr(self, "_futures", {})):
            f.cancel()
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
