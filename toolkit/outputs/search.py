"""Full-text search with Pagefind (PyPI `pagefind[bin]`), run once per build, never per file.

The searchable pages (documents and entity pages: their `data-pagefind-body`) are split into
shards of at most PAGES_PER_SHARD pages by a binary trie over a stable hash of their path
(`Shards`): as many shards as the pages need, and a page added or removed moves the pages of its
own shard only. Each shard is one Pagefind bundle in `pagefind/shard-N/`, and the search page
merges them in the browser (Pagefind's mergeIndex). A build re-indexes only the shards whose
pages changed (so one edited document re-indexes one shard of at most PAGES_PER_SHARD pages,
whatever the edition's size: Pagefind has no incremental update), and runs the shards' Pagefind
processes side by side on the available cores. Search works when the site is served over
http(s) (`edition serve` or any static web server); browsers refuse module loading from file://
pages, which the search page explains.

Pagefind reads a *search copy* of each page (`search_copy`), not the page itself: only the
elements marked `data-pagefind-body` (inside the page's own `<html>`, `<head>` and `<body>`
tags), without the subtrees marked `data-pagefind-ignore="all"` (an entity page's list of
passages) and without the `id` attributes of block elements (paragraphs, divisions, list items
…). Pagefind turns every element with an id into an "anchor" that repeats the element's text
in the index; our search page uses none of them (it shows title, address and excerpt), and the
ids of headings, which Pagefind's sub-results are made from, are kept, as are the ids of inline
elements (Pagefind breaks words at them). The copy also gets a space wherever Pagefind would run
the words of two adjacent blocks together (`_separate_words`: it breaks words only at a few
elements, not at `<dt>`/`<dd>`, `<th>`, `<blockquote>`, spans shown as blocks …). Apart from those
words, the words, their positions, the excerpts, the filters and the metadata Pagefind records are
those of the page itself (`tests/html/test_html.py::test_search_copy_indexes_like_the_page` compares
them); Pagefind has less to read (a third of the bytes for the bundled edition) and less to write.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

# Pagefind writes its ready-made search interfaces into every bundle; the search page uses its
# own (xslt/html/assets/edition.js, through pagefind.js), so these are removed from the site.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
             "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
# The labels the text templates write inside the text (a marginal note's "Handwritten note, at
# the top of the page", a seal's "Seal", note numbers): words of the edition, not of the document,
# never indexed (#14). Pagefind's own exclude_selectors, so the pages and their search copies
# are indexed alike.
EXCLUDED_LABELS = (".marginal-label", ".set-apart-label", ".note-ref", ".note-label", ".note-kind",
                   ".hand-shift", ".line-n")
EXCLUDE_ARGS = ("--exclude-selectors", ", ".join(EXCLUDED_LABELS))
# A shard holds at most PAGES_PER_SHARD pages and BYTES_PER_SHARD bytes of TEI sources (a page
# larger than that alone): one edit re-indexes at most that much, and one Pagefind process holds
# at most that much in memory (≈ 150 KB a page plus ≈ 25 bytes per byte of text it indexes:
# 176 MB for 1,000 pages, 4.4 GB for 30,000, 0.6 GB for 27 MB of text; bench/RESULTS.md).
# But every shard costs the browser one index chunk (≈ 40 KB) per word searched, so shards start
# small and grow with the edition: a node of the trie (see Shards) at depth d is split when it
# holds more than SMALL_PAGES · 4^(d - GROW_FROM) pages (or SMALL_BYTES · 4^(d - GROW_FROM)
# bytes), within those bounds: 16 shards of up to 48 pages at 768 pages, 32 of up to 192 at
# 6,000, 64 of up to 768 at 49,000, 128 of up to 1,000 at 100,000 (the count grows as the cube
# root of the pages until the bound, then as the pages).
PAGES_PER_SHARD = 1000
BYTES_PER_SHARD = 16 * 1024 * 1024
SMALL_PAGES = 48
SMALL_BYTES = 2 * 1024 * 1024
GROW_FROM = 4
HASH_BITS = 32


class SearchIndexError(Exception):
    pass


_REVERSED_BYTE = [int(f"{b:08b}"[::-1], 2) for b in range(256)]


def page_hash(page: str) -> int:
    """A page's place in the trie, its path read from the top bit down: the bits of the hash the
    shards were chosen by before the trie (blake2b, 4 bytes, little-endian, modulo the number of
    shards) from the lowest up, so that an edition of 2 or 4 shards keeps the same shards, whose
    statistics Pagefind ranks each shard's results by."""
    digest = hashlib.blake2b(page.encode(), digest_size=HASH_BITS // 8).digest()
    return int.from_bytes(bytes(_REVERSED_BYTE[b] for b in digest), "big")


class Shards:
    """The search index of one build: its shards and the searchable pages of each (none when
    the index is left out: --no-search). `sizes`: page → bytes of its source (pages left out
    count as 0).

    The shards are the leaves of a binary trie over the pages' hashes: a node is split in two
    (by the next bit of the hash) while it holds more pages or bytes than its depth allows (see
    PAGES_PER_SHARD). Shard numbers are the nodes' numbers (root 1, children of n: 2n and
    2n + 1). The shards depend on the set of pages (and their sizes) only, so a full and an
    incremental build make the same; a page added, removed or resized changes the counts along
    its own path only: at most its own shard is split in two, or the subtree of one of its
    ancestors joined into one shard. Every other shard keeps its pages, and is not re-indexed."""

    def __init__(self, searchable: list[str], sizes: Mapping[str, int] | None = None, indexed: bool = True):
        pages = list(searchable) if indexed else []
        hashes = [page_hash(rel) for rel in pages]
        order = sorted(range(len(pages)), key=hashes.__getitem__)
        self._hashes = [hashes[i] for i in order]
        self._pages = [pages[i] for i in order]
        self._bytes = [0, *itertools.accumulate(sizes.get(p, 0) for p in self._pages)] if sizes else None
        self.pages: dict[int, list[str]] = {}
        self._split(0, len(pages), 1, 0, 0)
        del self._hashes, self._pages, self._bytes

    def _small(self, lo: int, hi: int, depth: int) -> bool:
        grow = 4 ** max(0, depth - GROW_FROM)
        if hi - lo > min(PAGES_PER_SHARD, SMALL_PAGES * grow):
            return False
        return self._bytes is None or self._bytes[hi] - self._bytes[lo] <= min(BYTES_PER_SHARD, SMALL_BYTES * grow)

    def _split(self, lo: int, hi: int, node: int, depth: int, base: int) -> None:
        if lo == hi:
            return  # no empty shards
        if depth == HASH_BITS or hi - lo == 1 or self._small(lo, hi, depth):
            self.pages[node] = self._pages[lo:hi]
            return
        half = base + (1 << (HASH_BITS - 1 - depth))
        mid = bisect.bisect_left(self._hashes, half, lo, hi)
        self._split(lo, mid, 2 * node, depth + 1, base)
        self._split(mid, hi, 2 * node + 1, depth + 1, half)

    def of(self, page: str) -> int:
        """The shard of a searchable page: the leaf its hash leads to."""
        h, node = page_hash(page), 1
        for depth in range(HASH_BITS):
            if node in self.pages:
                break
            node = 2 * node + (h >> (HASH_BITS - 1 - depth) & 1)
        return node


# Block elements: Pagefind separates their words anyway, so their ids can go. (The id of an inline
# element also marks a word boundary for Pagefind: "1937<a id=…>1</a>" is two words, and stays so.)
_BLOCKS = ("p|div|section|aside|article|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|"
           "blockquote|figure|figcaption|nav|header|footer|main|pre|address|details|summary")
_BLOCK_ID = re.compile(r'(<(?:%s)(?=[\s/>]))([^<>]*?)\s+id="[^"]*"' % _BLOCKS)
# A paragraph's start tag with an id (the id moves to an empty <a> at the paragraph's start, so
# Pagefind records where the paragraph begins, an anchor the search page links a result to,
# without repeating the paragraph's text in the index as it does for an element with an id).
_PARAGRAPH_ID = re.compile(r'<p(?=[\s>])([^<>]*?)\s+id="([^"]*)"([^<>]*)>')
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_BODY_TAG = re.compile(r"<body(?=[\s>])[^>]*>")
# The attributes inside a start tag (text content cannot match: its "<" is always escaped, and
# no "<" or ">" stands between a tag's name and its attributes in Saxon's serialisation).
_BODY_ATTR = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*\s[^<>]*?data-pagefind-body(?=[\s=/>])")
_IGNORE_ALL = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*\s[^<>]*?data-pagefind-ignore=\"all\"")


def _element_span(html: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the element whose start tag begins at `start`; None when unsure. A
    "<name" inside an attribute value (the HTML serialisation leaves "<" unescaped there) is
    not taken for a tag: the last "<" or ">" before a real tag is a ">"."""
    m = _TAG_NAME.match(html, start)
    if m is None:
        return None
    depth = 0
    for t in re.compile(r"<(/?)%s(?=[\s/>])" % re.escape(m.group(1))).finditer(html, start):
        at = t.start()
        if at > start and html[max(html.rfind("<", 0, at), html.rfind(">", 0, at))] != ">":
            continue  # inside another tag's attribute value
        depth += -1 if t.group(1) else 1
        if depth == 0:
            end = html.find(">", t.end())
            return (start, end + 1) if end >= 0 else None
    return None


# Pagefind ends a word (and a sentence) at these elements' tags only: <p>, <div>, <section>, <li>,
# <td>, <h1>-<h6>, <ul>, <article> (and at <br>, and around the elements it does not index). At
# the tags of other elements a browser shows as blocks or cells (<dt>/<dd>, <th>, <caption>,
# <blockquote>, <ol>, <table> …), and of the spans edition.css shows as blocks, it runs the text
# of both sides together: "<dt>Kind</dt><dd>Place</dd>" was the one word "KindPlace". The search
# copy gets a space there (only where a word would otherwise be glued to the next).
_GLUE = ("address|aside|blockquote|caption|dd|details|dialog|dl|dt|fieldset|figcaption|figure|"
         "header|hgroup|hr|legend|main|menu|ol|pre|search|summary|table|tbody|tfoot|thead|tr|th")
_GLUE_CLASSES = ("as-block", "marginal", "marginal-label", "set-apart", "set-apart-label", "rights-p")
_GLUE_TAG = re.compile(r"<(/?)(?:%s)(?=[\s/>])" % _GLUE)
_GLUE_CLASS = re.compile(r'class="(?:[^"]*\s)?(?:%s)[\s"]' % "|".join(map(re.escape, _GLUE_CLASSES)))
_SEPARATING_TAG = re.compile(r"</?(?:p|div|section|li|td|h[1-6]|ul|article|br|script|style|template|svg|"
                             r"math|noscript|iframe|nav|footer|form|label)(?=[\s/>])", re.I)
_NBSP = ("&nbsp;", "&#160;", "&#xa0;", "&#xA0;")


def _separate_words(part: str) -> str:
    """The part with a space after every run of tags that Pagefind would read as no break at all
    but that contains a tag of a block (see _GLUE), between two characters of text."""
    tags = []
    for m in _GLUE_TAG.finditer(part):
        if part.rfind(">", 0, m.start()) < part.rfind("<", 0, m.start()):
            continue  # inside another tag's attribute value
        end = part.find(">", m.end())
        if end >= 0:
            tags.append((m.start(), end + 1))
    for m in _GLUE_CLASS.finditer(part):
        lt = part.rfind("<", 0, m.start())
        gt = part.rfind(">", 0, m.start())
        # a class attribute: inside the start tag that begins at the last "<" before it
        if lt < 0 or gt > lt or _TAG_NAME.match(part, lt) is None:
            continue
        end = part.find(">", m.end() - 1)
        if end < 0:
            continue
        tags.append((lt, end + 1))
        span = _element_span(part, lt)
        if span is not None:
            end_tag = part.rfind("<", end + 1, span[1])
            if end_tag > end:
                tags.append((end_tag, span[1]))
    if not tags:
        return part
    inserts = set()
    for a, b in tags:
        # the whole run of tags around this one (a run ends where text begins)
        while a > 0 and part[a - 1] == ">":
            lt = part.rfind("<", 0, a - 1)
            if lt < 0:
                break
            a = lt
        while b < len(part) and part[b] == "<":
            gt = part.find(">", b)
            if gt < 0:
                break
            b = gt + 1
        if a == 0 or b >= len(part) or b in inserts:
            continue
        before, after = part[a - 1], part[b]
        if before.isspace() or after.isspace() or after == "<" or part.startswith(_NBSP, b) \
                or any(part.endswith(n, 0, a) for n in _NBSP):
            continue
        if _SEPARATING_TAG.search(part, a, b):
            continue
        inserts.add(b)
    if not inserts:
        return part
    out, last = [], 0
    for at in sorted(inserts):
        out += [part[last:at], " "]
        last = at
    out.append(part[last:])
    return "".join(out)


def search_copy(html: str) -> str:
    """What Pagefind reads for a page (see the module's docstring); the page itself when it has
    no data-pagefind-body element or cannot be cut safely."""
    body = _BODY_TAG.search(html)
    if body is None:
        return html
    parts = []
    pos = body.end()
    while (b := _BODY_ATTR.search(html, pos)) is not None:
        span = _element_span(html, b.start())
        if span is None:
            return html
        part = html[span[0]:span[1]]
        while (m := _IGNORE_ALL.search(part)) is not None:
            cut = _element_span(part, m.start())
            if cut is None:
                return html
            part = part[:cut[0]] + part[cut[1]:]
        part = _PARAGRAPH_ID.sub(r'<p\1\3><a id="\2"></a>', part)
        parts.append(_separate_words(_BLOCK_ID.sub(r"\1\2", part)))
        pos = span[1]
    if not parts:
        return html
    return html[:body.end()] + "\n".join(parts) + "</body></html>\n"


def work_folder(site: Path, estimate: int) -> Path:
    """A new folder for the search copies: in /dev/shm (memory) when it has room for them —
    they are written once and read once, and creating thousands of small files costs far more
    on a journalled disk —, else beside the site. `estimate`: an upper bound of their bytes."""
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK):
            _remove_abandoned(shm)
            if shutil.disk_usage(shm).free > 2 * estimate + (64 << 20):
                # the pid in the name lets a later build remove the folder of a killed build
                return Path(tempfile.mkdtemp(prefix=f"edition-pagefind-{os.getpid()}-", dir=shm))
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))


_WORK = re.compile(r"edition-pagefind-(\d+)-")


def _remove_abandoned(shm: Path) -> None:
    """Remove the search copies that killed builds left in memory (their process is gone)."""
    from .publish import alive
    for name in os.listdir(shm):
        m = _WORK.match(name)
        if m and int(m.group(1)) != os.getpid() and not alive(int(m.group(1))):
            shutil.rmtree(shm / name, ignore_errors=True)


def write_search_copy(html: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(search_copy(html), encoding="utf-8")


def _place_bundle(bundle: Path, out: Path, placed: dict) -> None:
    """Copy a Pagefind bundle written elsewhere (in memory) to `out` in the site, leaving out
    UNUSED_UI; a top-level file identical to one placed before (Pagefind's runtime:
    pagefind.js, its worker, the wasm files — the same in every shard) becomes a hard link to
    it. `placed`: (name, digest) → the first such file, shared by the shards of one build."""
    for folder, _, names in os.walk(bundle):
        rel = os.path.relpath(folder, bundle)
        dest = out if rel == "." else out / rel
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            if rel != ".":  # fragments, index chunks, filters: this shard's own
                shutil.copyfile(os.path.join(folder, name), dest / name)
                continue
            if name in UNUSED_UI:
                continue
            data = Path(folder, name).read_bytes()
            key = (name, hashlib.blake2b(data, digest_size=16).digest())
            first = placed.get(key)
            if first is not None:
                try:
                    os.link(first, dest / name)
                    continue
                except OSError:
                    pass
            (dest / name).write_bytes(data)
            placed[key] = dest / name


def _binary() -> list[str]:
    try:
        from pagefind_bin import get_executable  # type: ignore
        return [str(get_executable())]
    except Exception:
        pass
    found = shutil.which("pagefind")
    if found:
        return [found]
    return [sys.executable, "-m", "pagefind_bin"]


def index_shards(site: Path, shards: dict[int, list[str]], language: str = "en", during=None,
                 work: Path | None = None) -> None:
    """(Re)write pagefind/shard-K for each K given, from the listed pages (paths under site).
    Search copies already written under work/shard-K/ (by the document workers) are used; the
    others are made here, shard by shard, each shard's Pagefind starting as soon as its copies
    are there. `during` (optional) is called once the first Pagefind processes run, to overlap
    other work."""
    if work is None:
        estimate = sum((site / rel).stat().st_size for pages in shards.values() for rel in pages)
        work = work_folder(site, estimate)
    try:
        running: list[subprocess.Popen] = []
        limit = max(1, os.cpu_count() or 1)
        failures = []

        # Pagefind writes each bundle into memory when the copies are there (work in /dev/shm),
        # and the bundle is then placed in the site without the interfaces Pagefind adds to
        # every bundle and with its runtime files hard-linked to the first shard's: two thirds
        # of what Pagefind writes per shard are those (≈ 600 KB), written to disk and deleted.
        # (A rebuild re-indexing a shard or two writes it in place: copying it costs more than
        # the interfaces' few files.)
        in_memory = work.parent == Path("/dev/shm") and len(shards) > 2
        placed: dict = {}
        bundle_of: dict = {}

        def reap(p):
            _, err = p.communicate(timeout=900)
            if p.returncode != 0:
                failures.append((err or "").strip().splitlines()[-1:] or [f"exit {p.returncode}"])
            elif p in bundle_of:
                _place_bundle(*bundle_of.pop(p), placed)
        try:
            items = sorted(shards.items())
            for k, pages in items:
                src = work / f"shard-{k}"
                for rel in pages:
                    dest = src / rel
                    if not dest.exists():
                        write_search_copy((site / rel).read_text(encoding="utf-8"), dest)
                out = site / "pagefind" / f"shard-{k}"
                shutil.rmtree(out, ignore_errors=True)
                src.mkdir(parents=True, exist_ok=True)
                while len(running) >= limit:
                    reap(running.pop(0))
                write_to = work / f"bundle-{k}" if in_memory else out
                proc = subprocess.Popen(
                    [*_binary(), "--site", str(src), "--output-path", str(write_to), "--silent",
                     "--force-language", language or "en", *EXCLUDE_ARGS],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                running.append(proc)
                if in_memory:
                    bundle_of[proc] = (write_to, out)
                if during is not None and len(running) >= min(limit, len(items)):
                    during()
                    during = None
            if during is not None:
                during()
            while running:
                reap(running.pop(0))
            for k in (() if in_memory else shards):
                for name in UNUSED_UI:
                    try:
                        os.unlink(site / "pagefind" / f"shard-{k}" / name)
                    except FileNotFoundError:
                        pass
        except FileNotFoundError:
            raise SearchIndexError("pagefind is not installed (pip install 'pagefind[bin]')") from None
        except subprocess.TimeoutExpired:
            for p in running:
                p.kill()
            raise SearchIndexError("pagefind did not finish within 15 minutes") from None
        finally:
            for p in running:  # an error above: no Pagefind outlives the build
                if p.poll() is None:
                    p.kill()
                    p.wait()
        if failures:
            raise SearchIndexError("search index failed: " + failures[0][0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
