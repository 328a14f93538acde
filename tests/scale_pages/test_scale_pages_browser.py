"""Issue #18 in a real browser: the listing's filters over filter data in many chunks (loaded
only once a filter is chosen, in order), and the filtered pager's window of links."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401 (the fixtures, by import)
from scale_pages_support import N_DOCS, NAMES, PAGE_SIZE, site  # noqa: E402,F401 (the fixture)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)

DATA_SCRIPTS = "[...document.scripts].filter(s => /assets\\/data(-\\d+)?\\.js$/.test(s.src)).length"


@pytest.fixture(scope="module")
def served(site):
    server, url = serve(site)
    yield site, url
    server.shutdown()


def test_filters_load_every_chunk_on_demand(served, page):
    site, url = served
    chunks = len(list((site / "assets").glob("data*.js")))
    assert chunks > 3
    page.goto(url + "documents.html")
    page.wait_for_selector("form.facets", state="visible")
    assert page.evaluate(DATA_SCRIPTS) == 0  # the listing alone loads no filter data
    page.select_option("#facet-person", "p0")  # named by every document
    page.wait_for_selector(".listing-filtered", state="visible")
    assert page.evaluate(DATA_SCRIPTS) == chunks
    assert page.evaluate("window.EDITION_DOCUMENTS.length") == N_DOCS
    assert page.inner_text(".filtered-count") == f"1 - {PAGE_SIZE} of {N_DOCS}"
    # 20 pages of results: the first, the last, five either side of the current, prev and next
    numbered = page.locator("nav.filtered-pager a:not([rel])")
    assert numbered.count() == 7
    page.locator("nav.filtered-pager").get_by_role("link", name="20", exact=True).click()
    assert page.inner_text(".filtered-count") == f"{N_DOCS - PAGE_SIZE + 1} - {N_DOCS} of {N_DOCS}"
    assert numbered.count() == 7 and page.locator("nav.filtered-pager .pager-gap").count() == 1
    # a person of a few documents: the documents from every chunk, in date order
    page.select_option("#facet-person", "p1")
    page.wait_for_function("document.querySelector('.filtered-count').textContent.startsWith('1 - ')")
    titles = page.locator(".filtered-list .doc-item-title").all_inner_texts()
    expected = [f"Generated letter {n:03d}" for n in range(N_DOCS) if 1 + n % (len(NAMES) - 1) == 1]
    assert titles == expected[:PAGE_SIZE] and len(expected) > 1
    # a shared address opens the filtered listing straight away (the data loaded first)
    page.goto(url + "documents.html?person=p0&page=2")
    page.wait_for_selector(".listing-filtered", state="visible")
    assert page.inner_text(".filtered-count") == f"{PAGE_SIZE + 1} - {2 * PAGE_SIZE} of {N_DOCS}"
    assert page.errors == []


def test_filter_data_that_cannot_be_loaded_is_said(served, page):
    _, url = served
    page.route("**/assets/data-3.js", lambda route: route.abort())
    page.goto(url + "documents.html?person=p0")
    page.wait_for_selector(".listing-filtered", state="visible")
    assert page.inner_text(".filtered-count") == "The filters could not be loaded"
    assert page.locator(".filtered-list > li").count() == 0
