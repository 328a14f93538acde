"""Issue #18: pages that stay usable at any size. A generated edition built with small limits
(paging.py patched) splits every page that lists things; the tests follow the links as a reader
would and check that nothing is lost and no page grows with the edition."""
from __future__ import annotations

import json
import re

from scale_pages_support import N_DOCS, NAMES, PAGE_SIZE, SMALL, crawl, links, page, site  # noqa: F401 (fixture)

from toolkit.outputs.html import paging


def doc_pages(site):
    return {f"doc/{p.name}" for p in (site / "doc").glob("*.html")}


# -- 1. the listing's pager: a window -----------------------------------------------------------
def test_pager_window_is_bounded_whatever_the_number_of_pages():
    for total in range(1, 60):
        for current in range(1, total + 1):
            w = paging.window(current, total, 5)
            assert len(w) <= 2 * 5 + 3 and {1, total, current} <= set(w)
            assert all(abs(n - current) <= 5 for n in w if n not in (1, total))


def test_listing_links_a_window_and_reaches_every_document(site):
    assert N_DOCS // PAGE_SIZE == 20
    pages = crawl(site, "documents.html", "//nav[@class='pager']//a/@href")
    assert len(pages) == 20 and pages[0] == "documents.html"
    found = []
    for href in pages:
        numbered = page(site, href).xpath("//nav[@class='pager']//a[not(@rel)]")
        # first, last, current and PAGER_WINDOW (2) either side: at most 7, at 20 pages as at 5
        assert len(numbered) <= 2 * SMALL["PAGER_WINDOW"] + 3, href
        assert len(page(site, href).xpath("//nav[@class='pager']//a[@aria-current='page']")) == 1
        found += links(site, href, "//div[@class='listing-static']//p[@class='doc-item-title']/a/@href")
    assert sorted(found) == sorted(doc_pages(site)) and len(found) == N_DOCS
    # the gaps are marked, prev and next link the neighbours
    mid = page(site, "documents-10.html")
    assert mid.xpath("//nav[@class='pager']//li[@class='pager-gap']")
    assert mid.xpath("//a[@rel='prev']/@href") == ["documents-9.html"]
    assert mid.xpath("//a[@rel='next']/@href") == ["documents-11.html"]


# -- 2. an entity's mentions, the index by initial -----------------------------------------------
def test_every_mention_is_reachable_from_the_entity_page(site):
    start = "entity/p0.html"
    pages = crawl(site, start, "//section[@class='mentions']//nav[@class='pager']//a/@href")
    # 60 documents, 2 passages each, at 7 passages a page (a document not cut when it fits on
    # one): 20 pages of 3 documents (page 2 on in entity/p0/)
    assert len(pages) == 20 and all(p == start or p.startswith("entity/p0/") for p in pages)
    passages, docs = set(), set()
    for href in pages:
        passages |= set(links(site, href, "//a[@class='passage-link']/@href"))
        docs |= set(links(site, href, "//ol[@class='mention-list']/li/p[@class='doc-item-title']/a/@href"))
        count = " ".join(page(site, href).xpath("//section[@class='mentions']/p[@class='result-count']//text()"))
        assert re.sub(r"\s+", " ", count).startswith(f"{N_DOCS} documents, {2 * N_DOCS} passages; page"), count
    assert len(passages) == 2 * N_DOCS and docs == doc_pages(site)
    # page 1 keeps what the entity is; the further pages lead back to it
    assert page(site, start).xpath("//dl[@class='info-list']")
    assert links(site, "entity/p0/2.html", "//h1/a/@href") == [start]


def test_large_index_has_a_page_per_initial(site):
    pages = crawl(site, "persons.html", "//ul[@class='index-letters']//a/@href")
    labels = page(site, "persons.html").xpath("//ul[@class='index-letters']//a/text()")
    assert len(labels) == len(pages)
    # Latin (accents dropped by the sort key: Émile under E), Cyrillic, Arabic, CJK ideographs one
    # each (hamza dropped with the marks: أحمد under ا); digits and symbols together; a large
    # initial on several pages (3 a page)
    assert labels == ["#", "A", "A 2", "B", "C", "D", "E", "Б", "В", "Г", "ا", "ب", "张", "李", "王"], labels
    listed = []
    for href in pages:
        heads = page(site, href).xpath("//section[@class='index-group']/h2/text()")
        assert len(heads) >= 1
        listed += page(site, href).xpath("//ul[@class='entity-list']/li/a/text()")
    assert len(listed) == len(NAMES) and len(set(listed)) == len(NAMES)
    other = page(site, pages[labels.index("#")]).xpath("//ul[@class='entity-list']/li/a/text()")
    assert sorted(other) == sorted(["7 Samurai", "1812 Committee", "@home"])
    e_page = page(site, pages[labels.index("E")]).xpath("//ul[@class='entity-list']/li/a/text()")
    assert "Émile" in e_page
    total = page(site, "persons.html").xpath("//p[@class='result-count']/text()")
    assert total == [f"{len(NAMES)} entries"]


def test_initials_of_sort_keys():
    assert [paging.initial(k) for k in ("adams", "борис", "أحمد", "王", "7 samurai", "@home", "", "émile")] == \
        ["A", "Б", "أ", "王", "#", "#", "#", "É"]  # sort keys have lost their marks: "ahmad" → "ا"


def test_hangul_names_group_under_letters_a_font_draws_alone():
    """A Korean name's sort key begins with a conjoining jamo (NFKD); its initial is the
    compatibility letter, which renders on its own in the index's heading and pager."""
    from toolkit.tei.names import sort_key
    got = [paging.initial(sort_key(n)) for n in ("한국", "김철수", "꽃", "이순신", "ㅎ")]
    assert got == ["ㅎ", "ㄱ", "ㄲ", "ㅇ", "ㅎ"]
    assert all(0x3131 <= ord(c) <= 0x318E for c in got)  # Hangul Compatibility Jamo


def test_small_index_stays_one_page(tmp_path):
    entries = [("x", k) for k in ("abel", "борис", "王", "7")]
    assert paging.index_pages(entries, lambda e: e[1]) == [[("A", [entries[0]]), ("Б", [entries[1]]),
                                                            ("王", [entries[2]]), ("#", [entries[3]])]]


def test_many_ideographic_initials_share_pages(monkeypatch):
    monkeypatch.setattr(paging, "INDEX_ONE_PAGE_UP_TO", 10)
    entries = [chr(0x4E00 + i) for i in range(500)]
    pages = paging.index_pages(entries, lambda e: e)
    assert len(pages) == 1  # 500 initials of one entry each, 2,000 a page
    monkeypatch.setattr(paging, "INDEX_PER_PAGE", 100)
    pages = paging.index_pages(entries, lambda e: e)
    assert len(pages) == 5 and [e for p in pages for _, g in p for e in g] == entries


# -- 3. the chronology ---------------------------------------------------------------------------
def test_chronology_covers_every_document_in_whole_years(site):
    pages = crawl(site, "chronology.html", "//ul[@class='index-letters']//a/@href")
    assert len(pages) > 3
    found, years = [], []
    for href in pages:
        found += links(site, href, "//span[@class='timeline-title']/a/@href")
        years += page(site, href).xpath("//section[@class='year']/h2/text()")
    assert sorted(found) == sorted(doc_pages(site)) and len(found) == N_DOCS
    assert "Undated" in years and "1900" in years
    labels = page(site, "chronology.html").xpath("//ul[@class='index-letters']//a/text()")
    assert labels[0] == "1900–1901"


# -- 4. the filter data in chunks ----------------------------------------------------------------
def test_filter_data_in_chunks_that_cover_every_document(site):
    form = page(site, "documents.html").xpath("//form[@class='facets']")[0]
    n = int(form.get("data-chunks"))
    assert n > 3
    files = [site / "assets" / ("data.js" if k == 1 else f"data-{k}.js") for k in range(1, n + 1)]
    assert not (site / "assets" / f"data-{n + 1}.js").exists()
    docs = []
    for k, f in enumerate(files, 1):
        text = f.read_text(encoding="utf-8")
        assert len(text.encode()) <= 2 * SMALL["DATA_CHUNK_BYTES"], f
        m = re.fullmatch(r"window\.EDITION_DOCUMENTS = (?:\(window\.EDITION_DOCUMENTS \|\| \[\]\)\.concat\()?(.*?)\)?;\n",
                         text, re.S)
        assert m and (k == 1) == (not text.startswith("window.EDITION_DOCUMENTS = (")), f
        docs += json.loads(m.group(1))
    assert len(docs) == N_DOCS and {d["page"] for d in docs} == doc_pages(site)
    # no listing page loads the data itself (only when a filter is chosen: edition.js)
    for href in ("documents.html", "documents-2.html", "documents-by-title.html"):
        assert not page(site, href).xpath("//script[contains(@src, 'data')]")


def test_long_filter_lists_keep_the_entities_named_most(site):
    options = page(site, "documents-7.html").xpath("//select[@id='facet-person']/option")
    values = [o.get("value") for o in options]
    # "Any person", the 10 named most often (p0 by all, then by the sort key among the 3-document
    # ones), and a note on the others
    assert values[0] == "" and "p0" in values and "p1" in values and len(values) == 12
    assert options[-1].get("disabled") is not None and options[-1].text == f"… {len(NAMES) - 10} more: see the index"


# -- 6. no page grows with the edition -----------------------------------------------------------
def test_no_site_page_over_the_scaled_limit(site):
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")
             if not p.relative_to(site).as_posix().startswith("doc/")}
    big = max(sizes, key=sizes.get)
    # unsplit (paging.py limits not patched), entity/p0.html alone (120 passages) is 30 KB
    assert sizes[big] < 20_000, (big, sizes[big])


def test_every_top_level_page_has_a_name_custom_pages_may_not_take(site):
    """The names an edition's own page may not take (outputs/custom.site_page) cover every page
    the site writes at its top level, its numbered pages too."""
    from toolkit.outputs.custom import site_page
    tops = sorted(p.stem for p in site.glob("*.html"))
    assert any(s[-1].isdigit() for s in tops), tops  # the fixture's site is paged
    assert [s for s in tops if not site_page(s)] == []


def test_home_page_names_the_first_transcribed_documents(tmp_path, monkeypatch):
    from conftest import build_site
    monkeypatch.setattr(paging, "HOME_FEATURED", 0)  # the bundled edition has one
    out = build_site(tmp_path / "site", search=False)
    home = page(out, "index.html")
    assert home.xpath("//li[@class='home-featured']//a/@href") == ["documents.html?text=full"]
    assert " ".join(home.xpath("//li[@class='home-featured']//text()")).split() == \
        "And 1 more fully transcribed document".split()  # one: singular (home.more-transcribed.one)
