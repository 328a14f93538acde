"""The built site in a real browser: Playwright driving Debian's Chromium (never a downloaded
one), the site served over http by a throwaway server. Checks keyboard popovers, the view switch,
search, the listing's pages and filters, console errors on every page, axe-core accessibility,
responsive layout and print styles."""
from __future__ import annotations

from pathlib import Path

import pytest


playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import AXE, CHROMIUM, NO_CHROMIUM, REPO, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    from toolkit.outputs import search
    out = tmp_path_factory.mktemp("browser") / "site"
    saved = search.PAGES_PER_SHARD
    search.PAGES_PER_SHARD = 8  # many small search shards: the search page must merge them
    try:
        [r] = build(load_config(REPO / "edition.toml"), ["html"], out=out)
    finally:
        search.PAGES_PER_SHARD = saved
    assert r.ok
    assert len(list((out / "pagefind").iterdir())) > 5
    server, url = serve(out)
    yield out, url
    server.shutdown()


def test_popover_on_keyboard_focus(site, page):
    _, url = site
    page.goto(url + "doc/doc-1937-06-14.html")
    pop = page.locator("#pop-smirnov")
    assert not pop.is_visible()
    # reach the first person link with the keyboard alone
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.entity-person')"):
            break
    else:
        pytest.fail("no person link reachable with Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert page.locator("#" + focused).is_visible()
    page.locator(".text a.entity-person[data-entity='smirnov']").first.focus()
    assert pop.is_visible()
    assert pop.locator(".popover-name").inner_text() == "Smirnov"
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    page.locator(".text a.entity-person[data-entity='stalin']").first.hover()
    assert page.locator("#pop-stalin .popover-name").inner_text() == "I. V. Stalin"
    assert page.errors == []


def test_view_switch(site, page):
    _, url = site
    page.goto(url + "doc/doc-1937-06-14.html")
    choice = page.locator(".tei-choice").first
    assert choice.inner_text().strip() == "Hetian"
    page.get_by_role("button", name="Diplomatic view").click()
    assert choice.inner_text().strip() == "Hotan"
    assert page.get_by_role("button", name="Diplomatic view").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Reading view").click()
    assert choice.inner_text().strip() == "Hetian"
    assert page.errors == []


def test_search_finds_kashgar(site, page):
    _, url = site
    page.goto(url + "search.html")
    page.fill("#search-input", "Kashgar")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li a", timeout=15000)
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("doc/doc-1937-06-14.html" in h for h in hrefs), hrefs
    assert any("entity/kashgar.html" in h for h in hrefs), hrefs  # entity pages, other shards
    assert "result" in page.inner_text("#search-status")
    target = [h for h in hrefs if "doc-1937-06-14" in h][0]
    page.goto(url.rstrip("/") + target if target.startswith("/") else url + target)
    assert "36th Division" in page.inner_text("h1")
    assert page.errors == []


def test_listing_pages_and_filters(site, page):
    _, url = site
    page.goto(url + "documents.html")
    assert page.inner_text(".listing-static .result-count") == "1 - 11 of 11"  # one page (#14)
    page.goto(url + "documents.html")
    page.select_option("#facet-person", "stalin")
    assert page.locator(".listing-filtered").is_visible()
    titles = page.locator(".filtered-list .doc-item-title").all_inner_texts()
    assert "Concerning the 36th Division of the NRA's Appeals to the Soviet Government" in titles
    assert len(titles) == 3
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_selector(".listing-static", state="visible")
    assert page.errors == []


def all_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts)


def test_no_console_errors_and_axe_clean(site, page):
    out, url = site
    if not AXE.is_file():
        pytest.skip("axe-core missing: run scripts/install-system-deps.sh")
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    for rel in all_pages(out):
        page.goto(url + rel)
        page.wait_for_load_state("load")
        page.add_script_tag(content=axe)
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
        for v in result["violations"]:
            problems.append(f"{rel}: {v['id']} ({v['impact']}): {v['help']} "
                            f"{[n['target'] for n in v['nodes'][:3]]}")
    assert page.errors == []
    assert problems == []


def test_responsive_and_print(site, page):
    _, url = site
    page.set_viewport_size({"width": 360, "height": 740})
    for rel in ("doc/doc-1937-06-14.html", "documents.html", "map.html", "entity/stalin.html"):
        page.goto(url + rel)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (rel, overflow)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "doc/doc-1937-06-14.html")
    note = page.locator("aside.marginal").first.bounding_box()
    text = page.locator(".text").bounding_box()
    assert note["x"] >= text["x"] + text["width"] - 5  # marginalia beside the text on wide screens
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".view-switch").is_visible()
    assert page.locator(".text").is_visible()
