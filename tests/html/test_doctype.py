"""#14 (items 11, 12): the document type (toolkit/tei/facts.py, document_type) in the listing
(an entry's type, a Type filter) and in the search index (the Pagefind filter "doctype")."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site, html_page, norm_text

HEADER = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc>'
          '<titleStmt><title>{title}</title></titleStmt><publicationStmt><p/></publicationStmt>'
          '<sourceDesc><p/></sourceDesc></fileDesc>{profile}</teiHeader>'
          '<text{text_type}><body><p>Some words.</p></body></text></TEI>')
DOCS = {
    "kw": ("Keyword letter", '<profileDesc><textClass><keywords><term/><term> Letter </term></keywords>'
                             '<classCode scheme="x">Report</classCode></textClass></profileDesc>', ""),
    "cc": ("Class code memo", '<profileDesc><textClass><classCode scheme="x">Memorandum</classCode>'
                              '</textClass></profileDesc>', ' type="diary"'),
    "tt": ("Text type diary", "", ' type="Diary"'),
    "none": ("Untyped note", "", ""),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("doctype-src")
    paths = []
    for did, (title, profile, text_type) in DOCS.items():
        p = src / f"{did}.xml"
        p.write_text(HEADER.format(id=did, title=title, profile=profile, text_type=text_type), encoding="utf-8")
        paths.append(p)
    return build_site(tmp_path_factory.mktemp("doctype") / "site", paths=paths, search=False)


def test_document_type_first_encoding_wins():
    from lxml import etree

    from toolkit.tei.facts import document_type
    for did, want in (("kw", "Letter"), ("cc", "Memorandum"), ("tt", "Diary"), ("none", None)):
        title, profile, text_type = DOCS[did]
        root = etree.fromstring(HEADER.format(id=did, title=title, profile=profile, text_type=text_type))
        assert document_type(root) == want
    item = etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc>'
                            '<msDesc><msContents><msItem class="#charter"/></msContents></msDesc>'
                            '</sourceDesc></fileDesc></teiHeader><text/></TEI>')
    assert document_type(item) == "charter"


def test_listing_shows_and_filters_types(site):
    listing = html_page(site / "documents.html")
    types = {norm_text(i.xpath(".//p[@class='doc-item-title']")[0]):
             [norm_text(t) for t in i.xpath(".//p[@class='doc-item-type']")]
             for i in listing.xpath("//div[@class='listing-static']//li[@class='doc-item']")}
    assert types == {"Keyword letter": ["Letter"], "Class code memo": ["Memorandum"],
                     "Text type diary": ["Diary"], "Untyped note": []}
    assert listing.xpath("//select[@id='facet-doctype']/option/@value") == ["", "Diary", "Letter", "Memorandum"]
    assert listing.xpath("//select[@id='facet-doctype']/@data-facet") == ["doctype"]
    data = (site / "assets" / "data.js").read_text(encoding="utf-8").replace(" ", "")
    assert '"type":"Letter"' in data and '"type":""' in data


def test_document_pages_carry_the_search_filter(site):
    found = {}
    for f in site.rglob("*.html"):
        page = html_page(f)
        title = page.xpath("//h1")
        values = page.xpath("//*[@data-pagefind-filter='doctype[data-value]']/@data-value")
        if values:
            found[norm_text(title[0])] = values
    assert sorted(v for vs in found.values() for v in vs) == ["Diary", "Letter", "Memorandum"]


def test_bundled_edition_has_no_type_filter(tmp_path):
    out = build_site(tmp_path / "site", search=False)
    listing = html_page(out / "documents.html")
    assert listing.xpath("//select[@id='facet-doctype']") == []
    assert listing.xpath("//p[@class='doc-item-type']") == []
    assert not any(html_page(f).xpath("//*[@data-pagefind-filter='doctype[data-value]']") for f in out.glob("*/*.html"))
