"""Search at scale: Pagefind's indexing time and peak memory per shard size, and what one search
costs the browser for a given number of shards, on generated pages shaped like the search copies
of document pages (a title, the filters and metadata layout.xsl writes, a few paragraphs of
words drawn from a Zipf-like vocabulary, one word found on that page only).

    python bench/search_scale.py index --pages 100000 --sizes 1000,2000,4000,30000
    python bench/search_scale.py compare --pages 100000 --designs trie,32 [--mbit 20]
    python bench/search_scale.py site --pages 100000 --design trie   (or: 32, one)
    python bench/search_scale.py browser --site DIR [--query W1,W2] [--mbit 20]

`index` times one Pagefind run over the first N pages for each size N (wall, CPU, peak RSS of
the Pagefind process). `compare` runs `site` and `browser` for each design. `site` indexes all pages as the toolkit would (trie: search.Shards as it
is now; 32: the former 32 shards by hash; one: one Pagefind run) and times the whole index and
one edited page's re-index. `browser` loads the search page of such a site in Debian's
Chromium and counts the requests and bytes one search costs (first search, then a second
query), as xslt/html/assets/edition.js does it (the same script, on a minimal search page),
optionally over an emulated network of --mbit Mbit/s with 40 ms of latency.
Generated pages go under --dir (default /work/scratch-search): delete it afterwards.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from toolkit.outputs import search  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TYPES = ("Letter", "Telegram", "Memorandum", "Report", "Minutes")
PERSONS = tuple(f"Person {i}" for i in range(40))


def _vocabulary(n: int, rng: random.Random) -> list[str]:
    syll = ["ka", "lo", "mi", "sen", "tar", "qu", "dro", "vel", "ish", "an", "or", "ut", "ber", "gal", "nim"]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def page_html(i: int, vocab: list[str], cum: list[float], rng: random.Random) -> str:
    year = 1900 + i % 80
    when = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    paras = []
    for _ in range(rng.randint(3, 6)):
        words = rng.choices(vocab, cum_weights=cum, k=rng.randint(30, 90))
        paras.append("<p>" + " ".join(words).capitalize() + ".</p>")
    paras.insert(1, f"<p>Reference uniq{i}x of this page.</p>")
    person = PERSONS[i % len(PERSONS)]
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Document {i}</title></head>'
            f'<body><main data-pagefind-body=""><h1 id="title" data-pagefind-meta="title">Document {i}, {when}</h1>'
            f'<span data-pagefind-filter="type[data-value]" data-value="Document"></span>'
            f'<span data-pagefind-filter="year[data-value]" data-value="{year}"></span>'
            f'<span data-pagefind-sort="date[data-value]" data-pagefind-meta="when[data-value]" data-value="{when}"></span>'
            f'<span data-pagefind-filter="doctype[data-value]" data-value="{TYPES[i % len(TYPES)]}"></span>'
            f'<span data-pagefind-filter="person[data-value]" data-value="{person}"></span>'
            f'<div class="text">{"".join(paras)}</div></main></body></html>\n')


def generate(folder: Path, pages: int) -> list[str]:
    """doc/NNNNN/dN.html for N < pages (made once: kept when already there)."""
    rels = [f"doc/{i // 1000:03d}/d{i}.html" for i in range(pages)]
    stamp = folder / f".made-{pages}"
    if stamp.exists():
        return rels
    rng = random.Random(18)
    vocab = _vocabulary(40_000, rng)
    cum = list(itertools.accumulate(1 / (r + 1) for r in range(len(vocab))))
    for i, rel in enumerate(rels):
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(page_html(i, vocab, cum, rng), encoding="utf-8")
    stamp.write_text("")
    return rels


def run_pagefind(src: Path, out: Path) -> dict:
    """One Pagefind run over `src`: wall and CPU seconds, peak RSS (MB)."""
    t = time.perf_counter()
    p = subprocess.Popen([*search._binary(), "--site", str(src), "--output-path", str(out), "--silent",
                          "--force-language", "en"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        sys.exit(f"pagefind failed: {p.stderr.read().decode()[-500:]}")
    p.stderr.close()
    return {"wall": time.perf_counter() - t, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}


def _link_pages(site: Path, rels: list[str], dest: Path) -> None:
    for rel in rels:
        d = dest / rel
        d.parent.mkdir(parents=True, exist_ok=True)
        os.link(site / rel, d)


def cmd_index(args) -> None:
    folder = Path(args.dir) / "pages"
    rels = generate(folder, args.pages)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'pages':>7} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'ms/page (CPU)':>13}")
    for n in (int(s) for s in args.sizes.split(",")):
        work = Path(args.dir) / f"run-{n}"
        shutil.rmtree(work, ignore_errors=True)
        _link_pages(folder, rels[:n], work / "src")
        r = run_pagefind(work / "src", work / "out")
        print(f"{n:>7} {r['wall']:>7.1f} {r['cpu']:>7.1f} {r['rss_mb']:>8.0f} {1000 * r['cpu'] / n:>13.2f}")
        shutil.rmtree(work, ignore_errors=True)


def _old_shards(rels: list[str]) -> dict:
    """The design before #18: 32 shards by hash (at most 32, of 48 pages each below that)."""
    n = min(max(-(-len(rels) // 48), 1), 32)
    out: dict = {}
    for rel in rels:
        k = int.from_bytes(hashlib.blake2b(rel.encode(), digest_size=4).digest(), "little") % n
        out.setdefault(k, []).append(rel)
    return out


def shards_for(design: str, rels: list[str]) -> dict:
    if design == "one":
        return {0: rels}
    if design == "32":
        return _old_shards(rels)
    return search.Shards(rels).pages


def cmd_site(args) -> None:
    folder = Path(args.dir) / "pages"
    rels = generate(folder, args.pages)
    site = Path(args.dir) / f"site-{args.design}-{args.pages}"
    shutil.rmtree(site, ignore_errors=True)
    _link_pages(folder, rels, site)
    shards = shards_for(args.design, rels)
    sizes = sorted(len(v) for v in shards.values())
    print(f"load average {os.getloadavg()[0]:.2f}; design {args.design}: {len(shards)} shards, "
          f"{sizes[0]}-{sizes[-1]} pages each")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    search.index_shards(site, shards)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"full index: {time.perf_counter() - t:.1f} s wall, "
          f"{after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.1f} s CPU, "
          f"peak RSS of the largest Pagefind {after.ru_maxrss / 1024:.0f} MB")
    # one edited page: its shard only
    edited = rels[len(rels) // 2]
    k = next(k for k, v in shards.items() if edited in v)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    search.index_shards(site, {k: shards[k]})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"one edit: {len(shards[k])} pages re-indexed, {time.perf_counter() - t:.1f} s wall, "
          f"{after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.1f} s CPU")
    bundles = " ".join(f"pagefind/shard-{k}" for k in sorted(shards))
    messages = json.dumps({"results.other": "{n} results", "results.one": "{n} result"})
    (site / "search.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Search</title></head>'
        f'<body data-root="./"><span id="edition-messages" data-messages=\'{messages}\'></span>'
        f'<form data-bundles="{bundles}"><input type="search" id="search-input" name="q">'
        '<button type="submit">Search</button></form><div id="search-options" hidden="hidden">'
        '<select id="search-sort"><option value=""></option></select><div id="search-filters"></div></div>'
        '<p id="search-status"></p><ol id="search-results"></ol>'
        '<script src="edition.js"></script></body></html>', encoding="utf-8")
    shutil.copyfile(REPO / "xslt" / "html" / "assets" / "edition.js", site / "edition.js")
    size = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    print(f"index size {size / 1e6:.1f} MB; site {site}")


def cmd_browser(args) -> None:
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from browser_support import ARGS, CHROMIUM, serve
    from playwright.sync_api import sync_playwright
    site = Path(args.site)
    server, url = serve(site)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = b.new_page()
            if args.mbit:  # a slower network: bandwidth (Mbit/s) and 40 ms of latency
                cdp = page.context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", {
                    "offline": False, "latency": 40, "downloadThroughput": args.mbit * 125_000,
                    "uploadThroughput": args.mbit * 125_000})
            log: list = []

            def done(req):
                sizes = req.sizes()
                log.append((req.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
            page.on("requestfinished", done)
            page.goto(url + "search.html")
            for q in args.query.split(","):
                log.clear()
                t = time.perf_counter()
                page.fill("#search-input", q)
                page.keyboard.press("Enter")
                page.wait_for_function("document.getElementById('search-status').textContent.match(/\\d/)",
                                       timeout=300_000)
                ms = 1000 * (time.perf_counter() - t)
                n = page.locator("#search-results li").count()
                print(f"query {q!r}: {n} shown after {ms:.0f} ms: {_costs(log)}")
                if not page.locator("#search-filters[data-built]").count():
                    page.wait_for_selector("#search-filters[data-built]", state="attached", timeout=300_000)
                    ms = 1000 * (time.perf_counter() - t)
                    print(f"  and the filters after {ms:.0f} ms: {_costs(log)}")
            b.close()
    finally:
        server.shutdown()


def _costs(log: list) -> str:
    kinds: dict = {}
    for u, size in log:
        parts = u.split("/pagefind/", 1)[-1].split("/")
        kind = "page" if "/pagefind/" not in u else parts[1] if len(parts) > 2 else "entry+meta+runtime"
        n, b = kinds.get(kind, (0, 0))
        kinds[kind] = (n + 1, b + size)
    detail = ", ".join(f"{k} {n} ({b / 1e3:.0f} kB)" for k, (n, b) in sorted(kinds.items()))
    return f"{len(log)} requests, {sum(s for _, s in log) / 1e3:.0f} kB [{detail}]"


def cmd_compare(args) -> None:
    """`site` then `browser` for each design, each in its own process (so that each peak RSS is
    that design's), the current design first; the sites are removed afterwards."""
    me = [sys.executable, str(Path(__file__).resolve()), "--dir", args.dir]
    for design in args.designs.split(","):
        print(f"== {design} ==", flush=True)
        subprocess.run([*me, "site", "--pages", str(args.pages), "--design", design], check=True)
        site = Path(args.dir) / f"site-{design}-{args.pages}"
        cmd = [*me, "browser", "--site", str(site)]
        subprocess.run(cmd + (["--mbit", str(args.mbit)] if args.mbit else []), check=True)
        if not args.keep:
            shutil.rmtree(site, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default="/work/scratch-search")
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("index")
    i.add_argument("--pages", type=int, default=30_000)
    i.add_argument("--sizes", default="1000,3000,10000,30000")
    s = sub.add_parser("site")
    s.add_argument("--pages", type=int, default=100_000)
    s.add_argument("--design", choices=("trie", "32", "one"), default="trie")
    b = sub.add_parser("browser")
    b.add_argument("--site", required=True)
    b.add_argument("--query", default="uniq77x,kalo,uniq5x")
    b.add_argument("--mbit", type=float, default=0, help="emulate a network of this many Mbit/s")
    c = sub.add_parser("compare")
    c.add_argument("--pages", type=int, default=100_000)
    c.add_argument("--designs", default="trie,32", help="also: one (one Pagefind run: ≈ 150 KB a page)")
    c.add_argument("--mbit", type=float, default=20)
    c.add_argument("--keep", action="store_true", help="keep the sites")
    args = ap.parse_args()
    {"index": cmd_index, "site": cmd_site, "browser": cmd_browser, "compare": cmd_compare}[args.cmd](args)


if __name__ == "__main__":
    main()
