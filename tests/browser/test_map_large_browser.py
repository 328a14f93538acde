"""The map of a large edition (#18) in a real browser (Playwright with Debian's Chromium, as in
test_map_scale.py), on a generated edition of 5,000 places (tests/html/map_large_support.py):
the overview's circles and dots stand for every place, choosing a circle zooms in and loads only
the data files of that part, zooming on reaches single dots that link to their places' pages, a
group of places at one point lists them, and an entity page's link to its dot (map.html#place-…)
finds it in the data files."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, axe_violations, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "html"))
from map_large_support import built_site, coords, name  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
N = 5000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out, _, _ = built_site(tmp_path_factory, N)
    server, url = serve(out)
    yield out, url
    server.shutdown()


# what the map shows: circles (with the number of places each stands for) and dots
SHOWN = """() => {
  const svg = document.querySelector('figure.map-large svg');
  const groups = [...svg.querySelectorAll('.map-cluster')];
  const dots = [...svg.querySelectorAll('a.map-place')];
  return {groups: groups.length, dots: dots.length,
          places: groups.reduce((s, g) => s + +g.getAttribute('data-count'), 0) + dots.length,
          viewBox: svg.getAttribute('viewBox'),
          loaded: performance.getEntriesByType('resource').map(r => r.name.split('/').pop())
                    .filter(n => /^places(-\\d+)?\\.js$/.test(n))};
}"""


def test_overview_zoom_and_a_dot_that_links(site, page):
    out, url = site
    chunks = len(list((out / "assets").glob("places*.js")))
    assert chunks >= 2
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url + "map.html")
    first = page.evaluate(SHOWN)
    # the overview: every place counted once, in a bounded number of shapes, no data loaded
    assert first["places"] == N and first["groups"] > 0 and first["groups"] + first["dots"] < 1000
    assert first["loaded"] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    whole = page.get_by_role("button", name="Whole map")
    assert not whole.is_visible()
    # the largest group, by keyboard: the map zooms in around it and loads some data files
    big = page.evaluate("""() => { const gs = [...document.querySelectorAll('.map-overview .map-cluster')];
        gs.sort((a, b) => b.getAttribute('data-count') - a.getAttribute('data-count'));
        gs[0].id = 'biggest'; return +gs[0].getAttribute('data-count'); }""")
    assert big > 1
    page.locator("#biggest").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.map-zoomed > *').length > 0")
    zoomed = page.evaluate(SHOWN)
    assert zoomed["viewBox"] != first["viewBox"] and whole.is_visible()
    assert 1 <= len(zoomed["loaded"]) <= chunks
    assert 0 < zoomed["groups"] + zoomed["dots"] < 1000
    # zoom on until there are single dots; one of them leads to its place's page
    for _ in range(8):
        if page.locator(".map-zoomed a.map-place").count():
            break
        page.locator(".map-zoomed .map-cluster").first.click()
        page.wait_for_function("document.querySelectorAll('.map-zoomed > *').length > 0")
    dot = page.locator(".map-zoomed a.map-place").first
    title = dot.locator("title").text_content()
    href = dot.get_attribute("href")
    assert (out / href).is_file()
    dot.focus()
    hover = page.locator("text.map-label-hover")
    label = hover.text_content()
    assert hover.is_visible() and title.startswith(label + " (")
    dot.click()
    page.wait_for_url("**/entity/*.html")
    assert page.url.endswith(href) and page.locator("h1").first.text_content() == label
    # a step out, and back to the whole map
    page.goto(url + "map.html")
    page.locator(".map-overview .map-cluster").first.click()
    page.wait_for_function("document.querySelectorAll('.map-zoomed > *').length > 0")
    one = page.evaluate(SHOWN)["viewBox"]
    page.locator(".map-zoomed .map-cluster").first.click()
    page.wait_for_function(f"document.querySelector('figure.map-large svg').getAttribute('viewBox') !== '{one}'")
    page.get_by_role("button", name="Zoom out").click()
    page.wait_for_function(f"document.querySelector('figure.map-large svg').getAttribute('viewBox') === '{one}'")
    page.get_by_role("button", name="Whole map").click()
    assert page.evaluate(SHOWN)["viewBox"] == first["viewBox"]
    assert page.evaluate("document.activeElement.closest('.map-overview') !== null")
    assert not page.get_by_role("button", name="Zoom out").is_visible()
    assert axe_violations(page) == []
    assert page.errors == []


def test_places_at_one_point_are_listed(site, page):
    _, url = site
    page.set_viewport_size({"width": 1280, "height": 800})
    # pl1 shares pl0's point (map_large_support.coords): the link to its dot zooms in until
    # only the two are grouped, and a group no zoom separates lists its places
    assert coords(1) == coords(0)
    page.goto(url + "map.html#place-pl1")
    page.wait_for_function("document.activeElement && document.activeElement.closest('.map-here')")
    links = page.locator(".map-here a")
    assert sorted(links.all_text_contents()) == sorted([name(0), name(1)])
    assert page.evaluate("document.activeElement.textContent") == name(1)
    assert page.evaluate("document.activeElement.getAttribute('href')") == "entity/pl1.html"
    assert page.errors == []


def test_an_entity_pages_link_finds_its_dot(site, page):
    _, url = site
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url + "entity/pl4321.html")
    page.locator("a[href$='map.html#place-pl4321']").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'place-pl4321'")
    assert page.evaluate("document.activeElement.querySelector('title').textContent").startswith(name(4321) + " (")
    assert page.errors == []
