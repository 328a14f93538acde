"""The search index's shards (#18): as many as the pages need, each of at most
PAGES_PER_SHARD pages and BYTES_PER_SHARD bytes of sources, so one edit re-indexes one small
shard whatever the edition's size; a page added or removed moves the pages of one shard only;
a full and an incremental build make the same index."""
from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lhtml

from conftest import edition_copy
from toolkit.config import load_config
from toolkit.outputs import search
from toolkit.outputs.runner import build


def _changed(before: search.Shards, after: search.Shards) -> tuple[set[int], set[int]]:
    """The shards of `before` whose pages differ in `after`, and those of `after`."""
    keys = before.pages.keys() | after.pages.keys()
    diff = {k for k in keys if before.pages.get(k) != after.pages.get(k)}
    return diff & before.pages.keys(), diff & after.pages.keys()


def test_shards_grow_with_the_pages_and_stay_small(monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 4)
    pages = [f"doc/p{i}.html" for i in range(300)]
    s = search.Shards(pages)
    assert len(s.pages) > 32  # no cap on the number of shards
    assert all(1 <= len(v) <= 4 for v in s.pages.values())
    assert sorted(p for v in s.pages.values() for p in v) == sorted(pages)
    assert all(s.of(p) == k for k, v in s.pages.items() for p in v)
    # the pages' order does not matter
    assert search.Shards(pages[::-1]).pages == s.pages
    # under the limit: one shard
    assert list(search.Shards(pages[:4]).pages) == [1]


def test_shards_start_small_and_grow_with_the_edition():
    """Small editions keep the small shards of before (one edit re-indexes a few dozen pages);
    larger ones get larger shards, not more and more of them, up to PAGES_PER_SHARD."""
    def sizes(n):
        s = search.Shards([f"doc/p{i}.html" for i in range(n)])
        return len(s.pages), max(map(len, s.pages.values()))
    assert sizes(40) == (1, 40)
    count, largest = sizes(1000)
    assert count <= 32 and largest <= search.SMALL_PAGES
    count, largest = sizes(20_000)
    assert count == 64 and largest <= 768
    count, largest = sizes(100_000)
    assert count == 128 and largest <= search.PAGES_PER_SHARD == 1000


def test_one_page_more_or_less_moves_one_shard(monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 4)
    pages = [f"doc/p{i}.html" for i in range(300)]
    s = search.Shards(pages)
    for i in range(40):
        extra = f"doc/new{i}.html"
        t = search.Shards(pages + [extra])
        old, new = _changed(s, t)
        assert old == {s.of(extra)} if s.of(extra) in s.pages else len(old) <= 1
        # the new page's shard, split in two at most: the same pages plus the new one
        assert len(new) <= 2 and extra in {p for k in new for p in t.pages[k]}
        assert sorted(p for k in new for p in t.pages[k]) == sorted([*(p for k in old for p in s.pages[k]), extra])
    for gone in pages[::15]:
        t = search.Shards([p for p in pages if p != gone])
        old, new = _changed(s, t)
        # one shard left (the page's own, or the subtree it joins): at most PAGES_PER_SHARD pages
        assert len(new) == 1 and len(t.pages[next(iter(new))]) <= 4
        assert sorted(p for k in old for p in s.pages[k]) == sorted([*t.pages[next(iter(new))], gone])


def test_shards_bounded_by_bytes(monkeypatch):
    monkeypatch.setattr(search, "BYTES_PER_SHARD", 100)
    pages = [f"doc/p{i}.html" for i in range(60)]
    sizes = dict.fromkeys(pages, 30) | {"doc/p7.html": 1000}
    s = search.Shards(pages + ["entity/x.html"], sizes)
    assert s.pages[s.of("doc/p7.html")] == ["doc/p7.html"]  # a larger page: alone
    for v in s.pages.values():
        assert len(v) == 1 or sum(sizes.get(p, 0) for p in v) <= 100
    # resizing one page splits its own shard (or joins its ancestor's subtree): nothing else
    for size in (90, 1, 0, 500):
        t = search.Shards(pages + ["entity/x.html"], sizes | {"doc/p3.html": size})
        old, new = _changed(s, t)
        if not old | new:
            continue  # the same shards
        assert sorted(p for k in old for p in s.pages[k]) == sorted(p for k in new for p in t.pages[k])
        assert "doc/p3.html" in t.pages[t.of("doc/p3.html")] and t.of("doc/p3.html") in new | (t.pages.keys() & s.pages.keys())
        top = min(old | new)  # the subtree's root: every changed shard lies under it
        assert all(k >> (k.bit_length() - top.bit_length()) == top for k in old | new), (old, new)
        assert len(old) == 1 or len(new) == 1


def _entries(out: Path) -> dict[str, tuple]:
    """Each shard's pages count (Pagefind names its files differently from one run to the next
    over the same pages, so the files themselves are not compared) and the entry's mtime."""
    found = {}
    for entry in sorted(out.glob("pagefind/*/pagefind-entry.json")):
        langs = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        found[entry.parent.name] = (sum(v["page_count"] for v in langs.values()), entry.stat().st_mtime_ns)
    return found


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".edition-cache.json" and "pagefind" not in p.relative_to(out).parts}


def test_one_edit_reindexes_only_its_shard_past_32_shards(tmp_path, monkeypatch):
    """With one page a shard, the bundled edition's pages make more than 32 shards (the former
    cap); an edited document re-indexes its own shard only, and the result equals a full build."""
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 1)
    root = edition_copy(tmp_path)
    cfg = load_config(root / "edition.toml")
    out = root / "output" / "html"
    [r] = build(cfg, ["html"], out=out)
    assert r.ok, r.summary()
    first = _entries(out)
    assert len(first) > 32 and all(n == 1 for n, _ in first.values())
    bundles = lhtml.parse(str(out / "search.html")).xpath("//form/@data-bundles")[0].split()
    assert sorted(bundles) == sorted(f"pagefind/{k}" for k in first)
    doc = root / "tei" / "doc-1937-06-14.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Decline the governor's suggestion",
                                                           "Decline the governor's proposal"), encoding="utf-8")
    [r] = build(cfg, ["html"], out=out)
    assert r.ok and r.written == 3  # the page, its TEI download and its search shard
    after = _entries(out)
    own = f"shard-{_shard_of(out, 'doc/doc-1937-06-14.html')}"
    assert {k for k in after if after[k] != first[k]} == {own}
    full = tmp_path / "full"
    [r] = build(cfg, ["html"], out=full, full=True)
    assert r.ok
    assert {k: n for k, (n, _) in _entries(full).items()} == {k: n for k, (n, _) in after.items()}
    assert _files(full) == _files(out)


def _shard_of(out: Path, page: str) -> int:
    """The shard whose index finds the page (its pf_meta names no page: the fragment does)."""
    import gzip
    for frag in out.glob("pagefind/shard-*/fragment/*.pf_fragment"):
        if f'"url":"/{page}"'.encode() in gzip.decompress(frag.read_bytes()):
            return int(frag.parent.parent.name.removeprefix("shard-"))
    raise AssertionError(page)
