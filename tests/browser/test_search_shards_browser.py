"""The search page over many shards (#18): with one page a shard the bundled edition's index has
more than 32 shards (the former cap), and a word found on one document only, in a shard listed
past the 32nd, is found: the search page merges every shard."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from lxml import html as lhtml

playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from toolkit.config import load_config
    from toolkit.outputs import search
    from toolkit.outputs.runner import build
    from conftest import edition_copy
    root = edition_copy(tmp_path_factory.mktemp("shards"))
    for i, doc in enumerate(sorted((root / "tei").glob("doc-*.xml"))):  # a word of its own
        tei = doc.read_text(encoding="utf-8")
        at = tei.index("<p", tei.index("<body"))
        at = tei.index(">", at) + 1
        doc.write_text(tei[:at] + f"zq{chr(97 + i) * 2}vex " + tei[at:], encoding="utf-8")
    out = root / "site"
    saved = search.PAGES_PER_SHARD
    search.PAGES_PER_SHARD = 1
    try:
        [r] = build(load_config(root / "edition.toml"), ["html"], out=out)
    finally:
        search.PAGES_PER_SHARD = saved
    assert r.ok
    server, url = serve(out)
    yield out, url
    server.shutdown()


def _fragments(shard: Path) -> list[dict]:
    return [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
            for f in sorted((shard / "fragment").iterdir())]


def test_word_of_a_shard_past_the_32nd_is_found(site, page):
    out, url = site
    bundles = lhtml.parse(str(out / "search.html")).xpath("//form/@data-bundles")[0].split()
    assert len(bundles) > 32
    # the last shard listed that holds a document (each has a word of its own): past the 32nd
    pages = {b: [f["url"] for f in _fragments(out / b)] for b in bundles}
    last = [b for b in bundles if pages[b][0].startswith("/doc/")][-1]
    assert bundles.index(last) >= 32, bundles
    [url_of_last] = pages[last]
    word = re.search(r"\bzq([a-z])\1vex\b", _fragments(out / last)[0]["content"]).group(0)
    page.goto(url + "search.html")
    page.fill("#search-input", word)
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li a", timeout=30000)
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert [h.split("#")[0] for h in hrefs] == [url_of_last], (word, hrefs)
    assert page.errors == []


def test_results_do_not_wait_for_the_filters(site, page):
    """The filters' values take a request per filter and shard: the results come first (held
    filter requests do not hold them back), the filters once their requests are answered; a
    filter asked for in the address is applied to the first results."""
    _, url = site
    held, released = [], []
    page.route("**/pagefind/*/filter/**", lambda route: route.continue_() if released else held.append(route))
    page.goto(url + "search.html?q=Kashgar")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('result')",
                           timeout=15000)
    assert page.locator("#search-results li").count() > 1
    assert not page.locator("#search-filter-type").count()
    page.wait_for_timeout(300)
    assert held  # asked for, after the results
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_selector("#search-filter-type", state="attached", timeout=15000)
    page.select_option("#search-filter-type", "Document")
    # not vacuously true on the empty list the results are cleared to while they are found
    page.wait_for_function("(ms => ms.length > 0 && ms.every(m => m.textContent.startsWith('Document')))"
                           "([...document.querySelectorAll('#search-results .result-meta')])", timeout=15000)
    kinds = page.eval_on_selector_all("#search-results .result-meta", "els => els.map(e => e.textContent)")
    page.goto(url + "search.html?q=Kashgar&type=Document")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('result')",
                           timeout=15000)
    assert page.eval_on_selector_all("#search-results .result-meta", "els => els.map(e => e.textContent)") == kinds
    assert page.input_value("#search-filter-type") == "Document"
    assert page.errors == []
