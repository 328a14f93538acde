"""The facsimile viewer in Chromium (issue #17): the page image of the page break scrolled to
is the one shown, its tiles load from the site, a zone highlights from the text and leads back
to it, and the viewer is operable from the keyboard."""
from __future__ import annotations

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
from facsimile_support import build, facsimile_edition  # noqa: E402
from toolkit.outputs.html.facsimiles import OSD  # noqa: E402

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
              pytest.mark.skipif(not (OSD / "build").is_dir(), reason="OpenSeadragon not installed (make install)")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = facsimile_edition(tmp_path_factory.mktemp("facs"))
    build(root)
    server, url = serve(root / "out")
    yield root / "out", url
    server.shutdown()


def _shown(page) -> str:
    page.wait_for_function("() => document.getElementById('facsimile').dataset.shown")
    return page.evaluate("() => document.getElementById('facsimile').dataset.shown")


def test_page_image_follows_the_page_break(site, page):
    _, url = site
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.set_viewport_size({"width": 1400, "height": 800})
    page.goto(url + "doc/d1.html")
    assert _shown(page) == "s1"
    # the tiles of the first image load from the site (IIIF level 0 files the build wrote)
    page.wait_for_function("() => document.getElementById('facsimile').osd.world.getItemAt(0)"
                           " && document.getElementById('facsimile').osd.world.getItemAt(0).getFullyLoaded()")
    page.evaluate("() => document.querySelector('a.facs-pb[data-surface=s2]').scrollIntoView({block: 'start'})")
    page.wait_for_function("() => document.getElementById('facsimile').dataset.shown === 's2'")
    assert page.evaluate("() => document.querySelector('#facs-s2').getAttribute('aria-current')") == "page"
    # the viewer stays in view beside the text
    box = page.locator(".facs-stage").bounding_box()
    assert box["y"] >= 0 and box["y"] < 800 and box["x"] > 600
    assert [u for u in failed if "/facs/" in u or "/assets/" in u] == []
    assert page.errors == []


def test_zone_highlights_both_ways(site, page):
    _, url = site
    page.set_viewport_size({"width": 1400, "height": 800})
    page.goto(url + "doc/d1.html")
    assert _shown(page) == "s1"
    page.wait_for_selector("button.facs-zone[data-zone=z1]", state="attached")
    page.focus(".facs-link[data-zone=z1]")
    assert page.evaluate("() => document.querySelector('button.facs-zone[data-zone=z1]').classList.contains('active')")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.evaluate("() => document.querySelector('a.facs-pb[data-surface=s1]').scrollIntoView()")
    page.wait_for_function("() => document.getElementById('facsimile').dataset.shown === 's1'")
    page.wait_for_selector("button.facs-zone[data-zone=z1]", state="attached")
    page.evaluate("() => document.querySelector('button.facs-zone[data-zone=z1]').click()")
    assert page.evaluate("() => document.activeElement.dataset.zone") == "z1"
    # (the third page's remote IIIF server does not exist: scrolling past it tried to load it)
    assert [e for e in page.errors if "iiif.example.org" not in e and "ERR_NAME_NOT_RESOLVED" not in e] == []


def test_keyboard_zoom(site, page):
    _, url = site
    page.set_viewport_size({"width": 1400, "height": 800})
    page.goto(url + "doc/d1.html")
    _shown(page)
    page.wait_for_function("() => document.getElementById('facsimile').osd.world.getItemAt(0)")
    before = page.evaluate("() => document.getElementById('facsimile').osd.viewport.getZoom(true)")
    page.focus(".facs-stage .openseadragon-canvas")
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.wait_for_timeout(1500)
    after = page.evaluate("() => document.getElementById('facsimile').osd.viewport.getZoom(true)")
    assert after > before * 1.05


def test_narrow_screen_image_above_text(site, page):
    _, url = site
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(url + "doc/d1.html")
    _shown(page)
    stage = page.locator(".facs-stage").bounding_box()
    text = page.locator(".text-section").bounding_box()
    assert stage["y"] + stage["height"] <= text["y"] + 1


def test_without_javascript_links_per_page(site, browser):
    _, url = site
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(url + "doc/d1.html")
    links = pg.eval_on_selector_all(".facs-pages a", "els => els.map(a => a.getAttribute('href'))")
    assert len(links) == 3 and links[0].startswith("../facs/") and links[2].startswith("https://iiif.example.org/")
    assert pg.locator(".facs-stage").is_hidden()
    r = pg.request.get(url + "doc/" + links[0])
    assert r.status == 200 and r.headers["content-type"] == "image/jpeg"
    ctx.close()
