"""Document pages: the list of witnesses the apparatus's sigla link to (reachable without a
tooltip), and TEI xml:ids that would take one of the page's own ids (title, summary,
toc-heading, citation …, "wit-…", "pop-…") or are no valid HTML id: they get "tei-" on the page,
in the stylesheets (f:html-id) and in toolkit/outputs/html/passages.py (page_id, cite_ids) alike. Fixtures in
tests/fixtures/ids_witnesses/; the TEI-C apparatus files from ../shared when present."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, SHARED, shared_path
from conftest import build_site, html_page as _page, norm_text as _text
from toolkit.outputs.html import RESERVED_PAGE_IDS, cite_ids, page_id


def _build(out: Path, paths, authority=()) -> Path:
    return build_site(out, paths, authority, search=False)


CASES = REPO / "tests" / "fixtures" / "ids_witnesses"
VNU = REPO / "tests" / ".node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent: the corpora are not available")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("ids") / "site", [CASES / "ids.xml", CASES / "plain.xml"],
                  [CASES / "persons.xml"])


@pytest.fixture(scope="module")
def doc(site):
    return _page(site / "doc" / "ids-doc.html")


def _by_id(page, i: str):
    found = page.xpath("//*[@id=$i]", i=i)
    assert len(found) == 1, (i, len(found))
    return found[0]


# 1 -- witnesses ---------------------------------------------------------------------------------
def test_witness_list_after_the_notes_before_the_document_information(doc):
    [sec] = doc.xpath("//section[@id='witnesses']")
    assert sec.get("class") == "witnesses" and sec.get("aria-labelledby") == "witnesses-heading"
    [h] = sec.xpath("./h2")
    assert h.get("id") == "witnesses-heading" and _text(h) == "Witnesses"
    headings = [_text(x) for x in doc.xpath("//article//h2")]
    i = headings.index("Witnesses")
    assert headings[i - 1] == "Notes" and headings[i + 1] == "Document information", headings
    [dl] = sec.xpath("./dl")
    assert [c.tag for c in dl] == ["dt", "dd"] * 4
    entries = [(dt.get("id"), _text(dt), _text(dd)) for dt, dd in zip(dl[::2], dl[1::2])]
    assert entries == [
        ("wit-a", "A", "Autograph, 1891, Vienna"),
        # same slug as "A": numbered; the siglum element is not repeated in the description
        ("wit-a-2", "a²", "A fair copy by the secretary"),
        ("wit-wlong", "wLong", "The first printing in the weekly paper, 1892"),
        ("wit-wbare", "B", "No description given."),
    ]


def test_sigla_link_to_their_witness(doc):
    [app] = doc.xpath("//span[@class='app']")
    [readings] = app.xpath("./span[@class='app-readings']")
    assert readings.get("data-pagefind-ignore") is not None
    assert _text(readings) == "[wort a² wLong missing; om. B]"
    links = readings.xpath(".//a")
    assert [(a.get("class"), a.get("href"), _text(a)) for a in links] == [
        ("wit", "#wit-a-2", "a²"), ("wit", "#wit-wlong", "wLong"), ("wit", "#wit-wbare", "B")]
    for a in links:  # each lands on its witness's entry, the siglum as term
        target = _by_id(doc, a.get("href")[1:])
        assert target.tag == "dt" and _text(target) == _text(a)
        assert target.getnext().tag == "dd"
    # a pointer to no witness stays text; the tooltip is an extra
    [first] = readings.xpath("./span[@class='rdg'][1]/span[@class='wit']")
    assert first.get("title") == ("a²: A fair copy by the secretary; "
                                  "wLong: The first printing in the weekly paper, 1892")


def test_no_witness_list_without_witnesses(site):
    page = _page(site / "doc" / "plain-doc.html")
    assert not page.xpath("//*[@id='witnesses' or @class='witnesses']")
    assert not page.xpath("//a[@class='wit']")
    assert "[two]" in _text(page)


def test_headings_in_order(doc):
    levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


# 2 -- ids ---------------------------------------------------------------------------------------
def test_no_duplicate_ids_and_every_reference_resolves(doc):
    ids = doc.xpath("//@id")
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    have = set(ids)
    assert [h for h in doc.xpath("//@href[starts-with(., '#')]") if h[1:] not in have] == []
    refs = [r for v in doc.xpath("//@aria-labelledby | //@aria-describedby | //@aria-controls") for r in v.split()]
    assert refs and [r for r in refs if r not in have] == []


def test_page_ids_keep_their_elements(doc):
    assert _by_id(doc, "title").tag == "h1"
    assert _by_id(doc, "summary").get("class") == "summary"
    assert _by_id(doc, "toc-heading").tag == "h2"
    assert _by_id(doc, "text-heading").tag == "h2" and _by_id(doc, "notes-heading").tag == "h2"
    assert _by_id(doc, "citation").get("class") == "citation"
    assert _by_id(doc, "doc-info").get("class") == "doc-info"
    assert _by_id(doc, "main").tag == "main"
    assert _by_id(doc, "wit-a").tag == "dt"


def test_tei_ids_that_collide_get_the_prefix(doc):
    assert _text(_by_id(doc, "tei-title")) == "First part"
    assert _by_id(doc, "tei-toc-heading").get("class").startswith("tei-div")
    assert _text(_by_id(doc, "tei-summary")) == "Here Anna writes."
    assert _text(_by_id(doc, "tei-citation")) == "word"  # the lemma
    assert _by_id(doc, "tei-witnesses").get("class") == "rdg"
    assert _by_id(doc, "tei-notes-heading").tag == "li"
    assert _by_id(doc, "tei-notes-heading-ref").get("href") == "#tei-notes-heading"
    assert _by_id(doc, "tei-main").get("class") == "tei-anchor"
    assert _text(_by_id(doc, "tei-wit-a")).startswith("A paragraph whose id")
    assert _text(_by_id(doc, "tei-pop-anna")).startswith("Again Anna")
    assert _text(_by_id(doc, "tei-doc-info")) == "a segment"
    assert _text(_by_id(doc, "tei-tei-summary")).startswith("A block whose id")  # "tei-" itself: one-to-one
    assert _by_id(doc, "tei-doc-info-heading") is not None  # the milestone
    # the contents and same-document pointers lead to the renamed elements
    toc = [a.get("href") for a in doc.xpath("//nav[@class='toc']//a")]
    assert toc[0] == "#tei-toc-heading"
    assert {a.get("href") for a in doc.xpath("//a[contains(@class, 'tei-ref')]")} == {"#tei-summary", "#tei-title"}


def test_page_id_rule():
    assert page_id("p12") == "p12" and page_id("L02669") == "L02669"
    for i in RESERVED_PAGE_IDS:
        assert page_id(i) == "tei-" + i
    assert page_id("wit-A") == "tei-wit-A" and page_id("pop-x") == "tei-pop-x" and page_id("tei-x") == "tei-tei-x"
    assert page_id("a b") == "tei-a_b" and page_id("") == "tei-"


def test_cite_ids_are_the_pages_ids(doc):
    root = etree.parse(str(CASES / "ids.xml")).getroot()
    ids = cite_ids(root)
    have = set(doc.xpath("//@id"))
    assert [v for v in ids.values() if v not in have] == []
    by_xml_id = {e.get(XML_ID): v for e, v in ids.items() if e.get(XML_ID)}
    assert by_xml_id["summary"] == "tei-summary" and by_xml_id["title"] == "tei-title"
    assert by_xml_id["toc-heading"] == "tei-toc-heading" and by_xml_id["wit-a"] == "tei-wit-a"


def test_entity_passage_links_land_on_the_renamed_elements(site, doc):
    def links(eid):
        page = _page(site / "entity" / f"{eid}.html")
        return [a.get("href") for a in page.xpath("//a[@class='passage-link']")]
    assert links("anna") == ["../doc/ids-doc.html#tei-summary", "../doc/ids-doc.html#tei-pop-anna"]
    assert links("ben") == ["../doc/ids-doc.html#tei-citation-heading"]  # castList: its xml:id
    for href in links("anna") + links("ben"):
        target = _by_id(doc, href.partition("#")[2])
        assert "Anna" in _text(target) or "Ben" in _text(target)


def test_pages_are_valid_html5(site):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip("vnu.jar or java missing: run scripts/install-system-deps.sh")
    pages = [str(site / "doc" / n) for n in ("ids-doc.html", "plain-doc.html")]
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"] == []


# the TEI-C apparatus files ----------------------------------------------------------------------
@needs_shared
def test_teic_apparatus_sigla_link_to_the_witnesses(tmp_path):
    teic = shared_path("corpora", "teic")
    site = _build(tmp_path / "site", [teic / "testapp.xml", teic / "testapp2.xml"])
    page = _page(site / "doc" / "testapp.html")
    [a] = page.xpath("//span[@class='app-readings']//a[@class='wit']")
    assert a.get("href") == "#wit-fr" and _text(a) == "FR"
    assert [(_text(dt), _text(dt.getnext())) for dt in page.xpath("//section[@id='witnesses']/dl/dt")] == [
        ("FR", "Les Mystères de Paris"), ("GP", "The Mysteries of Paris, George Peirce")]
    page2 = _page(site / "doc" / "testapp2.html")
    ids = set(page2.xpath("//@id"))
    hrefs = page2.xpath("//a[@class='wit']/@href")
    assert len(hrefs) >= 50 and all(h[1:] in ids for h in hrefs)
    assert [_text(dt) for dt in page2.xpath("//section[@id='witnesses']/dl/dt")] == ["Pt4", "F2", "J2", "M1"]


def test_link_to_a_fragment_of_another_document_follows_the_id_rule(tmp_path):
    """'a.xml#summary' names the TEI element with xml:id 'summary', which page a shows as
    'tei-summary' (the page's own #summary is its summary block): the link goes there."""
    from lxml import html as lhtml
    from toolkit.outputs.runner import build
    from toolkit.config import Config
    head = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc><titleStmt>'
            '<title>{id}</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>'
            '</sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>')
    (tmp_path / "a.xml").write_text(head.format(id="a", body='<p xml:id="summary">The part.</p>'), encoding="utf-8")
    (tmp_path / "b.xml").write_text(head.format(id="b", body='<p>See <ref target="a.xml#summary">there</ref>.</p>'),
                                    encoding="utf-8")
    [r] = build(Config(root=tmp_path), ["html"], paths=[tmp_path / "a.xml", tmp_path / "b.xml"],
                out=tmp_path / "site", search_index=False)
    assert r.ok, r.summary()
    b = lhtml.parse(str(tmp_path / "site" / "doc" / "b.html")).getroot()
    [link] = [a for a in b.iter("a") if a.text_content() == "there"]
    assert link.get("href") == "../doc/a.html#tei-summary"
    a = lhtml.parse(str(tmp_path / "site" / "doc" / "a.html")).getroot()
    assert a.get_element_by_id("tei-summary").text_content().strip() == "The part."


def test_generated_id_gives_way_to_an_xml_id(tmp_path):
    """The second paragraph would be #p-2, but the third has xml:id="p-2": the generated one
    becomes #p-2-n, on the page and in the entity page's passage link (html.cite_ids)."""
    from lxml import html as lhtml
    from toolkit.outputs.runner import build
    from toolkit.config import Config
    head = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc><titleStmt>'
            '<title>{id}</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>'
            '</sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>')
    (tmp_path / "doc.xml").write_text(head.format(id="GenId", body=(
        '<p>First.</p><p>Second, naming <persName ref="persons.xml#anna">Anna</persName>.</p>'
        '<p xml:id="p-2">Third, whose own id is p-2.</p>')), encoding="utf-8")
    (tmp_path / "persons.xml").write_text(head.format(id="persons", body=(
        '<listPerson><person xml:id="anna"><persName>Anna</persName></person></listPerson>')), encoding="utf-8")
    [r] = build(Config(root=tmp_path), ["html"], paths=[tmp_path / "doc.xml"], authority=[tmp_path / "persons.xml"],
                out=tmp_path / "site", search_index=False)
    assert r.ok, r.summary()
    page = lhtml.parse(str(tmp_path / "site" / "doc" / "GenId.html")).getroot()
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert page.get_element_by_id("p-2").text_content().startswith("Third")
    assert page.get_element_by_id("p-2-n").text_content().startswith("Second")
    ent = lhtml.parse(str(tmp_path / "site" / "entity" / "anna.html")).getroot()
    assert [a.get("href") for a in ent.xpath("//a[contains(@class, 'passage-link')]")] == ["../doc/GenId.html#p-2-n"]
