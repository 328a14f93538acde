"""The fixes of the accessibility and usability audit, checked in a real browser (Playwright with
Debian's Chromium) on real DOM state: hoverable popovers (WCAG 1.4.13), all search results
reachable, filtered listings in the address and in pages of 10, a readable map (labels that do
not overlap, stay inside the plot and keep one size on a narrow screen), CSS for the common
`@rend` values. A generated edition (many documents naming many places) stands in for a large
corpus; the bundled edition for the rest."""
from __future__ import annotations

import re

import pytest


playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, REPO, axe_violations, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)




@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    out = tmp_path_factory.mktemp("audit") / "site"
    [r] = build(load_config(REPO / "edition.toml"), ["html"], out=out)
    assert r.ok
    server, url = serve(out)
    yield out, url
    server.shutdown()


# -- a generated edition: 24 documents, 170 places in a small area ------------------------------
TEI = "http://www.tei-c.org/ns/1.0"
N_DOCS, N_PLACES = 24, 170


def _places_xml() -> str:
    rows = []
    for i in range(N_PLACES):
        lat = 44 + (i * 37 % 100) / 25.0          # a 4 x 8 degree box, many places close together
        lon = 10 + (i * 53 % 170) / 21.0
        rows.append(f'<place xml:id="pl{i}"><placeName>Ort {i}</placeName>'
                    f'<location><geo>{lat:.3f} {lon:.3f}</geo></location></place>')
    return (f'<TEI xmlns="{TEI}"><teiHeader><fileDesc><titleStmt><title>Places</title></titleStmt>'
            '<publicationStmt><p>generated</p></publicationStmt><sourceDesc><p>generated</p></sourceDesc>'
            f'</fileDesc></teiHeader><text><body><listPlace>{"".join(rows)}</listPlace></body></text></TEI>')


def _doc_xml(n: int) -> str:
    names = "".join(f'<placeName ref="places.xml#pl{i}">Ort {i}</placeName>, '
                    for i in range(N_PLACES) if i % N_DOCS == n or i == 0)
    rends = ('<p rend="center">Centred line</p><p rend="right">Right line</p>'
             '<p>Some <hi rend="italic">italic</hi>, <hi rend="bold">bold</hi>, <hi rend="underline">under</hi>, '
             '<hi rend="smallcaps">small caps</hi> and <hi rend="superscript">sup</hi> text.</p>') if n == 0 else ""
    if n == 1:  # blocks whose words Pagefind would run together without the search copy's spaces
        # (lower case: Pagefind also indexes the parts of a camel-case word such as "QuaggaOkapi")
        rends = ('<list type="gloss"><label>quagga</label><item>okapi</item></list>'
                 '<table><row role="label"><cell>narwhal</cell><cell>ibex</cell></row></table>'
                 '<p>kiwi<note place="margin">zebu</note>yak</p><p>lemur<stamp type="seal">gecko</stamp>tapir</p>')
    return (f'<TEI xmlns="{TEI}" xml:id="gen-{n:02d}"><teiHeader><fileDesc><titleStmt>'
            f'<title>Generated letter {n:02d}</title></titleStmt><publicationStmt><p>generated</p>'
            f'</publicationStmt><sourceDesc><p>generated</p></sourceDesc></fileDesc><profileDesc>'
            f'<creation><date when="1900-01-{n + 1:02d}"/></creation></profileDesc></teiHeader>'
            f'<text><body><p>Committee letter {n} names {names}and ends.</p>{rends}</body></text></TEI>')


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    src = tmp_path_factory.mktemp("big-src")
    (src / "places.xml").write_text(_places_xml(), encoding="utf-8")
    for n in range(N_DOCS):
        (src / f"gen-{n:02d}.xml").write_text(_doc_xml(n), encoding="utf-8")
    out = tmp_path_factory.mktemp("big") / "site"
    [r] = build(load_config(REPO / "edition.toml"), ["html"], paths=[src / f"gen-{n:02d}.xml" for n in range(N_DOCS)],
                authority=[src / "places.xml"], out=out)
    assert r.ok, r.diagnostics
    server, url = serve(out)
    yield out, url
    server.shutdown()



# -- 1. popovers can be hovered ----------------------------------------------------------------
def test_popover_stays_open_while_the_pointer_moves_onto_it(site, page):
    _, url = site
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "doc/doc-1937-06-14.html")
    link = page.locator(".text a.entity-person[data-entity='smirnov']").first
    pop = page.locator("#pop-smirnov")
    link.scroll_into_view_if_needed()
    page.evaluate("y => window.scrollBy(0, y - 150)", link.bounding_box()["y"])  # room below it
    box = link.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert pop.is_visible()
    pbox = pop.bounding_box()
    # from the link down into the popover, in small steps (crossing the gap between them)
    page.mouse.move(pbox["x"] + 20, pbox["y"] + pbox["height"] / 2, steps=12)
    page.wait_for_timeout(700)  # longer than any grace delay
    assert pop.is_visible()
    # the popover's text can be selected / read with the pointer on it
    page.mouse.move(pbox["x"] + pbox["width"] - 10, pbox["y"] + pbox["height"] - 5, steps=5)
    page.wait_for_timeout(400)
    assert pop.is_visible()
    # Escape dismisses it while the pointer is still over it
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    # leaving both: it closes (after a short grace)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert pop.is_visible()
    page.mouse.move(5, 5, steps=4)
    page.wait_for_timeout(700)
    assert not pop.is_visible()
    # keyboard focus still opens it, and Escape closes it
    link.focus()
    assert pop.is_visible()
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    assert page.errors == []


# -- 2. every search result can be reached ------------------------------------------------------
def test_search_shows_count_and_more_results(big, page):
    _, url = big
    page.goto(url + "search.html")
    if "no search index" in page.inner_text("main"):
        pytest.skip("no search index")
    page.fill("#search-input", "committee")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0", timeout=15000)
    status = page.inner_text("#search-status")
    assert re.match(rf"{N_DOCS} results for “committee”", status), status
    shown = page.locator("#search-results li").count()
    assert 0 < shown < N_DOCS
    more = page.get_by_role("button", name=re.compile("Show more results"))
    assert more.is_visible()
    more.focus()
    page.keyboard.press("Enter")  # keyboard accessible
    page.wait_for_function(f"document.querySelectorAll('#search-results li').length === {N_DOCS}", timeout=15000)
    # focus moved to the first newly shown result; nothing left to show
    assert page.evaluate("document.activeElement.closest('#search-results li') !== null")
    idx = page.evaluate("[...document.querySelectorAll('#search-results li')].indexOf(document.activeElement.closest('li'))")
    assert idx == shown
    assert page.locator("button.search-more").count() == 0
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert len(set(hrefs)) == N_DOCS
    assert f"{N_DOCS} results" in page.inner_text("#search-status")
    assert axe_violations(page) == []
    assert page.errors == []


# -- 6. words of adjacent blocks are separate words in the index --------------------------------
def test_search_finds_words_after_block_boundaries(big, page):
    _, url = big
    page.goto(url + "search.html")
    if "no search index" in page.inner_text("main"):
        pytest.skip("no search index")
    for word in ("okapi", "ibex", "yak", "tapir"):
        page.fill("#search-input", word)
        page.keyboard.press("Enter")
        page.wait_for_function("w => document.getElementById('search-status').textContent.includes('for “' + w + '”')",
                               arg=word, timeout=15000)
        hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
        assert any(h.split("#")[0].endswith("doc/gen-01.html") for h in hrefs), (word, page.inner_text("#search-status"))
    assert page.errors == []


# -- 3. filtered listings: in the address, 10 a page ---------------------------------------------
def test_filtered_listing_is_paged_and_kept_in_the_address(big, page):
    _, url = big
    page.goto(url + "documents.html")
    page.select_option("#facet-place", "pl0")  # named by every document
    assert page.locator(".listing-filtered").is_visible()
    # 24 documents at 10 a page: two pages of 12, no remainder alone (#14)
    assert page.inner_text(".filtered-count") == f"1 - 12 of {N_DOCS}"
    assert page.locator(".filtered-list > li").count() == 12
    assert "place=pl0" in page.url
    pager = page.locator("nav.filtered-pager")
    assert pager.is_visible()
    pager.get_by_role("link", name="2", exact=True).click()
    assert page.inner_text(".filtered-count") == f"13 - 24 of {N_DOCS}"
    assert "page=2" in page.url
    first_on_2 = page.locator(".filtered-list .doc-item-title").first.inner_text()
    assert first_on_2 == "Generated letter 12"
    assert page.evaluate("document.querySelector('.filtered-list').start") == 13
    # reload: the same filter and page
    page.reload()
    page.wait_for_selector(".listing-filtered", state="visible")
    assert page.input_value("#facet-place") == "pl0"
    assert page.inner_text(".filtered-count") == f"13 - 24 of {N_DOCS}"
    # back: page 1 of the filter, then the unfiltered listing
    page.go_back()
    page.wait_for_function("document.querySelector('.filtered-count').textContent.startsWith('1 - 12')")
    assert page.input_value("#facet-place") == "pl0"
    page.go_back()
    page.wait_for_selector(".listing-static", state="visible")
    assert page.input_value("#facet-place") == ""
    assert page.locator(".listing-filtered").is_hidden()
    # a shared address opens the filtered listing; a page past the last shows the last
    page.goto(url + "documents.html?place=pl0&page=3")
    page.wait_for_selector(".listing-filtered", state="visible")
    assert page.inner_text(".filtered-count") == f"13 - {N_DOCS} of {N_DOCS}"
    assert axe_violations(page) == []  # with the filtered pager shown
    # a filter with fewer than 11 documents: one page, no pager; the sort links keep the filter
    page.select_option("#facet-place", "pl1")
    assert re.fullmatch(r"1 - \d of \d", page.inner_text(".filtered-count"))
    assert page.locator("nav.filtered-pager").is_hidden()
    assert "place=pl1" in page.locator(".sort-links a").last.get_attribute("href")
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_selector(".listing-static", state="visible")
    assert "place=" not in page.url
    assert axe_violations(page) == []
    assert page.errors == []


def test_filtered_listing_on_the_bundled_edition(site, page):
    _, url = site
    page.goto(url + "documents-by-title.html?person=stalin")
    page.wait_for_selector(".listing-filtered", state="visible")
    assert page.inner_text(".filtered-count") == "1 - 3 of 3"
    titles = page.locator(".filtered-list .doc-item-title").all_inner_texts()
    assert titles == sorted(titles)
    assert page.errors == []


# -- 4. the map ---------------------------------------------------------------------------------
MAP_STATE = """() => {
  const svg = document.querySelector('svg.map-svg').getBoundingClientRect();
  const labels = [...document.querySelectorAll('svg.map-svg text.map-label')]
    .filter(t => getComputedStyle(t).visibility === 'visible' && getComputedStyle(t).display !== 'none')
    .map(t => { const r = t.getBoundingClientRect();
                const a = t.closest('a.map-place'); const c = a && a.querySelector('circle').getBoundingClientRect();
                return {name: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                        font: parseFloat(getComputedStyle(t).fontSize) * (svg.width / document.querySelector('svg.map-svg').viewBox.baseVal.width),
                        dot: c && {x: c.left + c.width / 2, y: c.top + c.height / 2}}; });
  return {svg: {x0: svg.left, y0: svg.top, x1: svg.right, y1: svg.bottom}, labels};
}"""


def _check_map(state, min_labels: int):
    svg, labels = state["svg"], state["labels"]
    assert len(labels) >= min_labels, labels
    for l in labels:
        assert l["x0"] >= svg["x0"] - 0.5 and l["x1"] <= svg["x1"] + 0.5, ("clipped", l)
        assert l["y0"] >= svg["y0"] - 0.5 and l["y1"] <= svg["y1"] + 0.5, ("clipped", l)
        assert l["font"] >= 11, ("too small", l)
        if l["dot"]:  # beside its own dot
            cx = min(max(l["dot"]["x"], l["x0"]), l["x1"])
            cy = min(max(l["dot"]["y"], l["y0"]), l["y1"])
            assert ((cx - l["dot"]["x"]) ** 2 + (cy - l["dot"]["y"]) ** 2) ** 0.5 < 20, ("far from its dot", l)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ox = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            oy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            assert ox <= 1 or oy <= 1, ("overlap", a["name"], b["name"])


def test_map_of_many_places_is_readable(big, page):
    _, url = big
    for width, least in ((1280, 20), (360, 3)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url + "map.html")
        state = page.evaluate(MAP_STATE)
        _check_map(state, least)
        assert len(state["labels"]) < N_PLACES  # the ones that would overlap are not drawn
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        clipped = page.evaluate("""() => { const s = document.querySelector('svg.map-svg').getBoundingClientRect();
            return [...document.querySelectorAll('svg.map-svg .graticule-label')]
              .filter(t => getComputedStyle(t).visibility === 'visible')
              .map(t => [t.textContent, t.getBoundingClientRect()])
              .filter(([n, r]) => r.left < s.left - .5 || r.right > s.right + .5 || r.top < s.top - .5 || r.bottom > s.bottom + .5)
              .map(([n]) => n); }""")
        assert clipped == [], (width, clipped)
    # every dot is a link with a name; a dot whose label is hidden shows it on focus
    links = page.locator("svg.map-svg a.map-place")
    assert links.count() == N_PLACES
    hidden = page.evaluate("""() => [...document.querySelectorAll('svg.map-svg a.map-place')]
        .findIndex(a => getComputedStyle(a.querySelector('text.map-label')).visibility !== 'visible')""")
    assert hidden >= 0
    target = links.nth(hidden)
    name = target.locator("text.map-label").text_content()
    assert page.get_by_role("link", name=re.compile("^" + re.escape(name) + r" \(")).count() == 1
    target.focus()
    shown = page.locator("svg.map-svg text.map-label-hover")
    assert shown.is_visible() and shown.text_content() == name
    assert page.evaluate(MAP_STATE)["labels"][-1]["name"] == name  # drawn last: on top of the others
    target.blur()
    assert not shown.is_visible()
    # the places table is there for everyone, and reachable past the map
    assert page.locator("table.places-table tbody tr").count() == N_PLACES
    assert page.locator(".map-skip a").get_attribute("href") == "#places-table"
    assert axe_violations(page) == []
    assert page.errors == []


def test_bundled_map_legible_at_360(site, page):
    _, url = site
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url + "map.html")
    state = page.evaluate(MAP_STATE)
    _check_map(state, 3)
    names = {l["name"] for l in state["labels"]}
    assert {"Kashgar", "Urumqi", "Hotan"} <= names
    assert page.errors == []


# -- 5. @rend classes have styles ---------------------------------------------------------------
def test_rend_classes_are_styled(big, page):
    _, url = big
    page.goto(url + "doc/gen-00.html")
    style = lambda sel, prop: page.evaluate(
        f"getComputedStyle(document.querySelector({sel!r})).{prop}")
    assert style(".text .rend-center", "textAlign") == "center"
    assert style(".text .rend-right", "textAlign") == "right"
    assert style(".text .rend-italic", "fontStyle") == "italic"
    assert style(".text .rend-bold", "fontWeight") == "700"
    assert "underline" in style(".text .rend-underline", "textDecorationLine")
    assert "small-caps" in style(".text .rend-smallcaps", "fontVariantCaps")
    assert style(".text .rend-superscript", "verticalAlign") in ("super", "baseline")
    sup = page.locator(".text .rend-superscript").first
    text = page.locator(".text .rend-superscript").first.locator("xpath=ancestor::p[1]")
    assert sup.bounding_box()["y"] < text.bounding_box()["y"] + 4  # raised
    assert page.errors == []
