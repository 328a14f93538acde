"""#14: the listing's Type filter (toolkit/tei/facts.py, document_type) in Chromium."""
from __future__ import annotations

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc>'
       '<titleStmt><title>{title}</title></titleStmt><publicationStmt><p/></publicationStmt>'
       '<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
       '<text{type}><body><p>Words.</p></body></text></TEI>')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import build_site
    src = tmp_path_factory.mktemp("doctype-browser-src")
    paths = []
    for did, title, kind in (("a", "First letter", "Letter"), ("b", "A diary", "Diary"),
                             ("c", "Second letter", "Letter"), ("d", "No type", "")):
        p = src / f"{did}.xml"
        p.write_text(TEI.format(id=did, title=title, type=f' type="{kind}"' if kind else ""), encoding="utf-8")
        paths.append(p)
    out = build_site(tmp_path_factory.mktemp("doctype-browser") / "site", paths=paths, search=False)
    server, url = serve(out)
    yield out, url
    server.shutdown()


def test_listing_filters_by_type(site, page):
    _, url = site
    page.goto(url + "documents.html")
    page.select_option("#facet-doctype", "Letter")
    titles = page.locator(".filtered-list .doc-item-title").all_inner_texts()
    assert sorted(titles) == ["First letter", "Second letter"]
    assert page.locator(".filtered-list .doc-item-type").all_inner_texts() == ["Letter", "Letter"]
    assert "doctype=Letter" in page.url
    page.select_option("#facet-doctype", "Diary")
    assert page.locator(".filtered-list .doc-item-title").all_inner_texts() == ["A diary"]
    assert page.errors == []
