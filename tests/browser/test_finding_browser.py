"""Issue #14 in Chromium: the search page (quality, highlighting, filters, sort, links to the
paragraph), the listing's filters and paging, the chronology and map at desktop and mobile
widths, the reader pages, print and dark mode (axe-core clean)."""
from __future__ import annotations


import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, REPO, axe_violations, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from toolkit.config import load_config
    from toolkit.outputs.runner import build
    out = tmp_path_factory.mktemp("finding-browser") / "site"
    [r] = build(load_config(REPO / "edition.toml"), ["html"], out=out)
    assert r.ok
    server, url = serve(out)
    yield out, url
    server.shutdown()


def search(page, url: str, q: str, extra: str = "") -> list[dict]:
    """The results the search page shows for q: href, title, meta line, excerpt HTML."""
    from urllib.parse import quote
    page.goto(url + "search.html?q=" + quote(q) + extra)
    page.wait_for_function("document.getElementById('search-status').textContent.includes('result')",
                           timeout=15000)
    return page.eval_on_selector_all("#search-results li", """els => els.map(li => ({
        href: li.querySelector('.result-title a').getAttribute('href'),
        title: li.querySelector('.result-title').textContent,
        meta: (li.querySelector('.result-meta') || {}).textContent || '',
        excerpt: li.querySelector('.result-excerpt').innerHTML}))""")


# -- 11. search: the pages that must come first ---------------------------------------------------
QUALITY = [
    # (query, the page that must be the first result, the most results allowed)
    ("air squadron", "doc/doc-1937-06-14.html", None),
    ("classified storage", "doc/doc-1937-06-14.html", 1),
    ("Soong", "doc/doc-1945-07-09.html", None),  # the record of his meeting, by its title
    ("Ili District", "entity/ili-district.html", None),
    ("Outer Mongolia", "entity/outer-mongolia.html", None),  # a name: its page first
]


@pytest.mark.parametrize("q,first,most", QUALITY)
def test_search_quality(site, page, q, first, most):
    _, url = site
    res = search(page, url, q)
    assert res, q
    assert res[0]["href"].split("#")[0].lstrip("/") == first, [r["href"] for r in res[:5]]
    if most is not None:
        assert len(res) <= most, [r["href"] for r in res]
    assert page.errors == []


def test_result_shows_type_date_highlight_and_paragraph(site, page):
    _, url = site
    [top, *_] = search(page, url, "air squadron")
    assert top["meta"] == "Document · 14 June 1937"
    assert "<mark>air</mark> <mark>squadron</mark>" in top["excerpt"]
    assert top["excerpt"].count("<") == top["excerpt"].count("<mark>") * 2  # no other markup
    assert top["href"].endswith("doc-1937-06-14.html#p-9")
    page.click("#search-results li .result-title a")
    page.wait_for_url("**/doc-1937-06-14.html#p-9")
    assert "air squadron" in page.inner_text("#p-9")
    assert page.evaluate("document.getElementById('p-9').getBoundingClientRect().top") >= 0


def test_search_filters_and_sort(site, page):
    _, url = site
    res = search(page, url, "Xinjiang")
    assert len(res) > 5
    kinds = {r["meta"].split(" · ")[0] for r in res}
    assert {"Document", "Place"} <= kinds
    # filters come from the index, with counts; choosing one narrows the results
    page.select_option("#search-filter-type", "Document")
    # not vacuously true on the empty list the results are cleared to while they are found
    page.wait_for_function("(ms => ms.length > 0 && ms.every(m => m.textContent.startsWith('Document')))"
                           "([...document.querySelectorAll('#search-results .result-meta')])", timeout=15000)
    assert "type=Document" in page.url
    page.select_option("#search-sort", "asc")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 2", timeout=15000)
    page.wait_for_timeout(300)
    dates = page.eval_on_selector_all("#search-results .result-meta", "els => els.map(e => e.textContent)")
    years = [int(d.rsplit(" ", 1)[-1]) for d in dates]
    assert years == sorted(years) and years[0] < years[-1]
    page.select_option("#search-sort", "desc")
    page.wait_for_timeout(500)
    dates = page.eval_on_selector_all("#search-results .result-meta", "els => els.map(e => e.textContent)")
    years = [int(d.rsplit(" ", 1)[-1]) for d in dates]
    assert years == sorted(years, reverse=True)
    # the person filter lists the names the documents name
    options = page.eval_on_selector_all("#search-filter-person option", "els => els.map(e => e.value)")
    assert "I. V. Stalin" in options
    assert page.errors == []
    assert axe_violations(page) == []


# -- 12. listing: transcription and date-range filters, orders -------------------------------------
def test_listing_filters_by_text_and_years(site, page):
    _, url = site
    page.goto(url + "documents-newest.html")
    page.select_option("#facet-text", "full")
    titles = page.locator(".filtered-list .doc-item-title").all_inner_texts()
    assert titles == ["Concerning the 36th Division of the NRA's Appeals to the Soviet Government"]
    assert "text=full" in page.url
    page.select_option("#facet-text", "summary")
    page.select_option("#facet-from", "1945")
    dates = page.eval_on_selector_all(".filtered-list .doc-item-date", "els => els.map(e => e.textContent)")
    assert len(dates) == 5 and all(d.endswith("1945") for d in dates)
    assert page.locator(".filtered-list .badge").first.inner_text() == "Summary only"
    page.select_option("#facet-from", "1936")
    page.select_option("#facet-to", "1937")
    page.select_option("#facet-text", "")
    dates = page.eval_on_selector_all(".filtered-list .doc-item-date", "els => els.map(e => e.textContent)")
    assert dates == ["10 November 1937", "14 June 1937", "7 February 1936"]  # newest first
    assert axe_violations(page) == []
    assert page.errors == []


# -- 15. map at 390 px: no label over another label or a graticule label; the table fits ----------
@pytest.mark.parametrize("width", [390, 1366])
def test_map_labels_apart_and_table_readable(site, page, width):
    _, url = site
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(url + "map.html")
    page.wait_for_timeout(400)  # the script's layout after the first resize
    boxes = page.evaluate("""() => {
        const shown = el => getComputedStyle(el).visibility !== 'hidden' && el.style.visibility !== 'hidden';
        const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, el.textContent]; };
        return {labels: [...document.querySelectorAll('.map-label')].filter(shown).map(box),
                grat: [...document.querySelectorAll('.graticule-label')].filter(shown).map(box)}; }""")
    over = lambda a, b: a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]  # noqa: E731
    labels, grat = boxes["labels"], boxes["grat"]
    assert len(labels) >= 3
    for i, a in enumerate(labels):
        for b in labels[i + 1:] + grat:
            assert not over(a, b), (a[4], b[4])
    from toolkit.outputs.html import outline
    if outline.installed():
        assert page.locator("path.map-land").count() == 1 and page.locator("path.map-border").count() == 1
    wrap = page.evaluate("(() => { const w = document.getElementById('places-table'); "
                         "return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] <= wrap[1], wrap  # no sideways scrolling of the table
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []


# -- 16. a readable measure --------------------------------------------------------------------------
def test_running_text_keeps_a_readable_measure(site, page):
    _, url = site
    page.set_viewport_size({"width": 1366, "height": 900})
    for rel in ("index.html", "principles.html", "doc/doc-1937-06-14.html", "entity/stalin.html"):
        page.goto(url + rel)
        # characters per line of the widest paragraph: its width over the mean glyph width
        cpl = page.evaluate("""() => Math.max(...[...document.querySelectorAll('main p')].map(p => {
            const r = document.createRange(); r.selectNodeContents(p);
            const text = p.textContent.replace(/\\s+/g, ' ').trim();
            const lines = [...r.getClientRects()].reduce((s, b) => s.add(Math.round(b.top)), new Set()).size;
            return lines > 1 ? text.length / lines : 0; }))""")
        assert 0 < cpl <= 90, (rel, cpl)


# -- 17. print and dark mode ---------------------------------------------------------------------------
def test_print_drops_colours_backlinks_and_numbers_pages(site, page):
    _, url = site
    page.goto(url + "doc/doc-1937-06-14.html")
    page.emulate_media(media="print")
    colours = page.eval_on_selector_all(".text a.entity", "els => [...new Set(els.map(e => getComputedStyle(e).color))]")
    assert colours == ["rgb(0, 0, 0)"]
    assert page.eval_on_selector_all("a.entity", "els => els.every(e => getComputedStyle(e).borderBottomStyle === 'none' "
                                                 "|| getComputedStyle(e).borderBottomWidth === '0px')")
    assert page.locator(".backlink").count() >= 1 and not page.locator(".backlink").first.is_visible()
    assert not page.locator(".site-header").is_visible() and not page.locator(".site-footer").is_visible()
    rules = page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
        .filter(r => r instanceof CSSPageRule).map(r => r.cssText)""")
    assert any("margin" in r for r in rules) and any("counter(page)" in r for r in rules), rules
    pdf = page.pdf(format="A4")  # prints without an error
    assert pdf[:4] == b"%PDF"
    assert page.errors == []


def test_dark_mode_is_dark_and_axe_clean(site, browser):
    out, url = site
    ctx = browser.new_context(color_scheme="dark")
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    problems = []
    pages = ["index.html", "principles.html", "documents.html", "chronology.html", "map.html", "persons.html",
             "entity/stalin.html", "doc/doc-1937-06-14.html", "doc/doc-1936-02-07.html", "search.html?q=Kashgar"]
    for rel in pages:
        pg.goto(url + rel)
        if rel.startswith("search"):
            pg.wait_for_selector("#search-results li", timeout=15000)
        bg = pg.evaluate("getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(21, 23, 26)", (rel, bg)
        problems += [f"{rel}: {v}" for v in axe_violations(pg)]
    # a popover and the diplomatic view, shown, in dark mode
    pg.goto(url + "doc/doc-1937-06-14.html")
    pg.get_by_role("button", name="Diplomatic view").click()
    pg.locator(".text a.entity-person").first.focus()
    problems += [f"popover: {v}" for v in axe_violations(pg)]
    ctx.close()
    assert problems == []
    assert errors == []


# -- 14. chronology: the date never runs into the title ------------------------------------------------
@pytest.mark.parametrize("width", [390, 1366])
def test_chronology_date_and_title_apart(site, page, width):
    _, url = site
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url + "chronology.html")
    rows = page.eval_on_selector_all(".timeline li", """els => els.map(li => {
        const d = li.querySelector('.timeline-date').getBoundingClientRect();
        const t = li.querySelector('.timeline-title').getBoundingClientRect();
        return [d.left, d.top, d.right, d.bottom, t.left, t.top, t.right, t.bottom]; })""")
    assert len(rows) == 11
    for dl, dt, dr, db, tl, tt, tr, tb in rows:
        apart = dr <= tl or db <= tt  # beside it (with a gap) or above it
        assert apart, (dl, dt, dr, db, tl, tt, tr, tb)
        if width > 800:
            assert tl - dr >= 12 and abs(dt - tt) < 8  # a column of its own, on the title's line
    assert page.evaluate("document.documentElement.scrollWidth") <= width
