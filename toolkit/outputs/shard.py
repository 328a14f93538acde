"""Shards of the HTML build, for CI matrices: `edition build html --shard i/n` makes the pages of
the documents whose address falls in shard i of n (a stable hash, the same on every machine) and
records them (SHARD_FILE: each page's fingerprint, the pages the stylesheet failed on);
`edition build html --merge DIR…` is an ordinary build whose document pages come from those
shard results (MergeEngine) instead of the stylesheet, and which makes everything else — TEI
copies, site pages, assets, search index — itself. Its output is the single build's, byte for
byte. A shard's page is taken only when its fingerprint is the one the merge plans (same
sources, toolkit and settings); the merge refuses the rest, naming the shard."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from .. import __version__
from ..model import canon
from .base import BuildError, BuildResult
from .engine import Running, Work
from .publish import staged_output, write_file
from ..xmlsafe import read_regular

SHARD_FILE = ".edition-shard.json"
FORMAT = 1


def in_shard(page: str, i: int, n: int) -> bool:
    """Whether the page at this address is shard i's (1-based) of n: blake2b of the address,
    never Python's hash() (salted per process)."""
    h = int.from_bytes(hashlib.blake2b(page.encode("utf-8"), digest_size=8).digest(), "big")
    return h % n == i - 1


def build_shard(b) -> BuildResult:
    """The document pages of shard job.dist.shard, and its record, into the shard folder (`b`:
    an html.build.HtmlBuild planned as a full build)."""
    from . import search
    from .html.documents import DocumentPages
    from .html.incremental import whole
    t0 = time.perf_counter()
    ed = b.ed
    if not ed.documents:
        raise BuildError("no TEI documents to build (authority files alone make no site)")
    i, n = b.job.dist.shard
    a = b.assign_pages()
    edition_src = ed.files.get(ed.edition_path) if ed.edition_path else None
    shards = search.Shards([], 0, False)  # no search copies: the merge makes them from the pages
    documents = DocumentPages(ed, b.target, b.plan, a, b.sources, b.mentions, b.media, shards,
                              b.info_fields, b.progress, b.job, b.facsimiles)
    documents.plan_all(b._base(edition_src))
    documents.todo = [d for d in documents.pages_to_make if in_shard(a.doc_page[d.id], i, n)]
    pages = {a.doc_page[d.id]: b.plan.current[a.doc_page[d.id]] for d in documents.todo}
    result = BuildResult("html", b.target)
    with staged_output(b.target) as stage:
        b.progress.start(len(documents.todo))
        try:
            result.written = documents.write(stage, edition_src) if documents.todo else 0
        finally:
            b.progress.stop()
        # the compact records of its documents (the HTML build state's): the merge takes their
        # facts and mentions from them instead of parsing the documents (verified by hash)
        paths = sorted(str(canon(d.file)) for d in documents.todo)
        record = {"format": FORMAT, "toolkit": __version__, "shard": [i, n], "pages": dict(sorted(pages.items())),
                  "render_failed": {p: d.message for p, d in sorted(documents.render_failed.items())},
                  "files": {p: f for p in paths if p in b.sources.facts
                            and (f := whole(b.mentions.store, p, b.sources.facts[p])) is not None},
                  "mentions": {d.id: b.mentions.full(d) for d in documents.todo}}
        write_file(stage / SHARD_FILE, json.dumps(record, indent=0, ensure_ascii=False))
    result.messages.append(f"shard {i}/{n}: {len(pages)} of {len(ed.documents)} document pages; "
                           f"merge the shards with `edition build html --merge DIR …`")
    result.seconds = time.perf_counter() - t0
    return result


RECORD_CAP = 2 * 2**30  # a shard's record: its documents' compact records (≈ 2 KB each)


def read_records(dirs, builder: str = "html") -> list[tuple[Path, dict, int, int]]:
    """(folder, record, i, n) of every shard result given; BuildError when one is not a shard
    result of this toolkit and builder, or they are not the n shards of one split. The HTML
    and PDF merges both check their shards here."""
    out = []
    seen: dict[int, Path] = {}
    count = None
    for d in dirs:
        d = Path(d)
        try:
            # a regular file only (a FIFO would hang the merge), of bounded size
            rec = json.loads(read_regular(d / SHARD_FILE, RECORD_CAP, with_stat=False)[0].decode("utf-8"))
            i, n = (int(x) for x in rec["shard"])
            if rec.get("format") != FORMAT or not isinstance(rec, dict) or not 1 <= i <= n:
                raise ValueError("format")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise BuildError(f"--merge {d}: not a shard result of this toolkit (no readable {SHARD_FILE}); "
                             f"make it with `edition build {builder} --shard i/n --out {d}`") from None
        made_by = rec.get("builder", "html")
        if made_by != builder:
            raise BuildError(f"--merge {d}: a shard of the {made_by} build, not of the {builder} build; "
                             f"make it with `edition build {builder} --shard i/n --out {d}`")
        if rec.get("toolkit") != __version__:
            raise BuildError(f"--merge {d}: made by toolkit {rec.get('toolkit')}, this is {__version__}; "
                             f"build the shards and the merge with the same toolkit")
        if count is not None and n != count:
            raise BuildError(f"--merge {d}: shard {i}/{n}, the others are of {count}")
        if i in seen:
            raise BuildError(f"--merge {d}: shard {i}/{n} is given twice ({seen[i]})")
        count, seen[i] = n, d
        out.append((d, rec, i, n))
    if count is not None and len(seen) < count:
        # the first few missing, without counting to a forged n of 10^12
        missing = [k for k in range(1, min(count, len(seen) + 5) + 1) if k not in seen][:5]
        more = " …" if count - len(seen) > len(missing) else ""
        raise BuildError(f"--merge: shard{'s' if count - len(seen) > 1 else ''} "
                         f"{', '.join(f'{k}/{count}' for k in missing)}{more} not given; give every shard's folder")
    return out


def read_shards(dirs) -> dict[str, tuple[Path, str, str | None]]:
    """page → (shard folder, fingerprint, the stylesheet's error or None), from every shard result
    given; BuildError when one is not a shard result, or they are not the n shards of one split."""
    pages: dict = {}
    for d, rec, _, _ in read_records(dirs, "html"):
        own, failed = rec.get("pages"), rec.get("render_failed", {})
        if not isinstance(own, dict) or not isinstance(failed, dict):
            raise BuildError(f"--merge {d}: not a shard result of this toolkit (no readable {SHARD_FILE}); "
                             f"make it with `edition build html --shard i/n --out {d}`")
        for page, fp in own.items():
            pages[str(page)] = (d, str(fp), failed.get(page))
    return pages


def records(dirs) -> tuple[dict, dict]:
    """The shards' compact records, merged: (canonical path → file facts, document id →
    mentions), as an HTML build state holds them (html/incremental.py). A merge loads the
    edition with them as its last build's (runner.load_for_build, HtmlBuild): documents whose
    bytes have the recorded hash are not parsed; anything else is worked out anew."""
    files: dict = {}
    mentions: dict = {}
    for d in dirs:
        try:
            rec = json.loads((Path(d) / SHARD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # (read_shards has refused it already)
        f, m = rec.get("files"), rec.get("mentions")
        if isinstance(f, dict) and all(isinstance(v, dict) for v in f.values()):
            files.update(f)
        if isinstance(m, dict):
            mentions.update(m)
    return files, mentions


class MergeEngine:
    """The document pages of a merge: read from the shard results, never transformed here."""
    name = "merge"

    def __init__(self, dirs):
        self.pages = read_shards(dirs)

    def takes(self, docs: int, size: int) -> bool:
        return True

    def start(self, work: Work) -> Running:
        run = Running()
        run.results = self._results(work)
        return run

    def _results(self, work: Work):
        for d in work.docs:
            page = work.page(d)
            out = work.out(d)
            got = self.pages.get(page)
            if got is None:
                yield out, f"no shard made its page {page}: give every shard's folder to --merge", "build"
                continue
            folder, fp, failed = got
            if fp != work.fingerprint(d):
                yield out, (f"shard {folder} made its page {page} from other inputs (sources, settings or "
                            f"toolkit differ): build the shards and the merge from the same commit"), "build"
                continue
            if failed is not None:  # made again here: the plain page, the error reported
                yield out, failed.removeprefix("cannot render the page: "), "render"
                continue
            try:
                html = (folder / page).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                yield out, f"cannot read its page from shard {folder}: {e}", "build"
                continue
            work.write(out, html, work.search_out(d))
            yield out, None, ""


__all__ = ["MergeEngine", "SHARD_FILE", "build_shard", "in_shard", "read_records", "read_shards", "records"]
