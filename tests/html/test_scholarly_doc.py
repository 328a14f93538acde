"""The document page as scholars use it (issue #14, items 1–10): its apparatus (hands, seal,
signature, interventions, notes), what makes it citable (permalinks, the citation and its
exports, metadata for reference managers, paragraph anchors, the PDF) and the entity layer
(popovers, indexes) — on the bundled edition's built pages, parsed."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, add_options, build_site, edition_copy, html_page, norm_text

DOC = "doc/doc-1937-06-14.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("scholarly") / "site", search=False)


@pytest.fixture(scope="module")
def doc(site):
    return html_page(site / DOC)


def first(el, xpath: str):
    found = el.xpath(xpath)
    assert found, xpath
    return found[0]


def cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# -- 1. hands, seal, signature -------------------------------------------------------------------
def test_hands_have_sigla_listed_in_document_information(doc):
    row = first(doc, f"//section[@id='doc-info']//div[{cls('info-hands')}]")
    items = row.xpath(".//li")
    assert [i.get("id") for i in items] == ["hand-note-1", "hand-note-2"]
    assert [norm_text(first(i, f".//span[{cls('hand-siglum')}]")) for i in items] == ["A", "B"]
    assert "The source does not say who wrote them" in norm_text(items[0])


def test_notes_and_signature_link_their_hand_by_siglum_not_by_id(doc):
    labels = doc.xpath(f"//aside[{cls('marginal')}]/span[{cls('marginal-label')}]")
    assert [norm_text(x) for x in labels] == [
        "Handwritten note, at the top of the page, hand A",
        "Handwritten note, before the previous entry, hand A",
        "Handwritten note, at the top of the page, hand A"]
    for x in labels:
        a = first(x, "a[@class='hand-ref']")
        assert a.get("href") == "#hand-note-1" and a.get("title") is None
    sig = first(doc, f"//*[{cls('tei-signed')}]")
    assert norm_text(first(sig, f"span[{cls('set-apart-label')}]")) == "signed, hand B"
    assert first(sig, ".//a[@class='hand-ref']").get("href") == "#hand-note-2"
    article = norm_text(first(doc, "//article"))
    for internal in ("hand: archive", "hand-archive", "HAND", "hand: signature", "Signature (hand"):
        assert internal not in article


def test_closer_is_seal_then_role_with_signature(doc):
    closer = first(doc, f"//div[{cls('tei-closer')}]")
    kids = [c.get("class").split()[0] for c in closer if isinstance(c.tag, str)]
    assert kids == ["tei-stamp", "tei-roleName", "tei-signed"]
    css = (REPO / "xslt/html/assets/edition.css").read_text()
    # the seal takes a line of its own; role and signature follow on one line
    assert re.search(r"\.tei-closer > \.tei-stamp \{[^}]*flex-basis: 100%", css)


def test_hand_sigla_rule():
    from toolkit.tei.notes import hand_sigla, hand_siglum
    tei = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><handDesc>'
        '<handNote xml:id="h1"/><handNote xml:id="h2" n="B"/><handNote xml:id="h3"/>'
        '<handNote xml:id="h4"/></handDesc></teiHeader><text/></TEI>')
    # @n when given; else A, B, C … in handDesc order, skipping a letter some @n uses
    assert [s for _, s in hand_sigla(tei)] == ["A", "B", "C", "D"][:1] + ["B", "C", "D"]
    assert hand_siglum("#h3", tei) == "C" and hand_siglum("#nothing", tei) is None


# -- 3. notes numbered once ----------------------------------------------------------------------
def test_notes_are_numbered_once(doc):
    item = first(doc, "//ol[@class='note-list']/li")
    assert norm_text(item).startswith("1. Editorial note:")
    css = (REPO / "xslt/html/assets/edition.css").read_text()
    assert re.search(r"\.note-list \{[^}]*list-style: none", css)


# -- 2. interventions ----------------------------------------------------------------------------
def test_interventions_have_a_legend_and_a_list_instead_of_titles(doc):
    ivs = doc.xpath(f"//div[@class='text']//span[{cls('intervention')}]")
    assert [x.get("class").split()[0] for x in ivs] == ["tei-reg", "tei-supplied"]
    assert all(x.get("title") is None for x in ivs)
    legend = first(doc, "//div[@class='iv-legend']")
    key = norm_text(first(legend, "p[@class='iv-key']"))
    assert "regularised, corrected or expanded" in key and "supplied by the editor" in key
    items = legend.xpath(".//ol[@class='iv-list']/li")
    assert [norm_text(i) for i in items] == ["Hetian: regularised; the source has: Hotan",
                                             "District: supplied by the editor (translator)"]
    for item, iv in zip(items, ivs):
        assert first(item, "a").get("href") == "#" + iv.get("id")
        assert item.get("id") == "ivn-" + iv.get("id")[3:]
    # the help for a switch that needs JavaScript is not all a reader without it gets
    assert legend.xpath(".//p[contains(@class, 'view-help-nojs')]")


# -- 4. permalinks (a configured base_url), 5. the citation, 7. the PDF --------------------------
BASE = "https://edition.example.org/xinjiang/"
HOSTILE = "Concerning </script><!-- the 36th & {Division}"


@pytest.fixture(scope="module")
def configured(tmp_path_factory) -> Path:
    """The bundled edition with [html] base_url and pdf_url set, and a title that would end a
    <script> element early if the JSON-LD were not escaped."""
    from toolkit.config import load_config
    from toolkit.outputs.runner import build
    ed = edition_copy(tmp_path_factory.mktemp("configured"))
    toml = ed / "edition.toml"
    add_options(toml, "html", f'base_url = "{BASE[:-1]}"\nsearch_index = false\n')
    doc = ed / "tei" / "doc-1937-06-14.xml"
    doc.write_text(doc.read_text().replace("<title>Concerning the <orgName",
                                           "<title>Concerning &lt;/script&gt;&lt;!-- the <orgName", 1))
    # an authority entry with dates, an occupation and identifiers; names marked up by parts or
    # given a sort key
    persons = ed / "tei" / "persons.xml"
    persons.write_text(persons.read_text().replace(
        '<persName type="variant">Stalin</persName>',
        '<persName type="variant">Stalin</persName><birth when="1878-12-18"/><death when="1953-03-05"/>'
        '<occupation>General Secretary</occupation><idno type="VIAF">101787139</idno>'
        '<idno type="wikidata">Q855</idno><idno>https://d-nb.info/gnd/118642499</idno>'
        '<idno type="local">javascript:alert(1)</idno>', 1).replace(
        '<persName type="preferred">Jamil Hasanli</persName>',
        '<persName type="preferred"><forename>Jamil</forename> <surname>Hasanli</surname></persName>', 1).replace(
        '<persName type="preferred">Gary Goldberg</persName>',
        '<persName type="preferred" sortKey="Goldberg Gary">Gary Goldberg</persName>', 1))
    out = ed / "site"
    [r] = build(load_config(toml), ["html"], out=out)
    assert r.ok, r.summary()
    return out


def test_without_base_url_no_canonical_and_a_relative_address(doc, site):
    assert not doc.xpath("//link[@rel='canonical']")
    assert first(doc, "//span[@class='cite-url']").get("data-permalink") == ""
    assert not html_page(site / "persons.html").xpath("//link[@rel='canonical']")


def test_base_url_gives_canonical_links_on_every_page(configured):
    for rel in ("index.html", "persons.html", "documents.html", "entity/stalin.html", DOC, "map.html"):
        root = html_page(configured / rel)
        [link] = root.xpath("//head/link[@rel='canonical']")
        want = BASE if rel == "index.html" else BASE + rel
        assert link.get("href") == want, rel
    cite = first(html_page(configured / DOC), "//span[@class='cite-url']")
    # without JavaScript the citation already names the permalink
    assert norm_text(cite) == cite.get("data-permalink") == BASE + DOC


def test_suggested_citation_names_editors_source_and_access(doc):
    cite = norm_text(first(doc, "//p[@class='cite-text']"))
    assert cite.startswith("“Concerning the 36th Division of the NRA's Appeals to the Soviet Government,” "
                           "14 June 1937, RGASPI f. 17, op. 162, d. 20, l. 62-63, in Soviet Decisions on "
                           "Xinjiang, 1935–1945, ed. The TEI edition toolkit project,")
    assert cite.endswith("(accessed [date]).")  # the script writes the day of access
    assert first(doc, "//button[@class='cite-copy']").get("hidden") is not None  # shown by the script


def exports(root) -> dict[str, str]:
    from urllib.parse import unquote
    out = {}
    for a in root.xpath("//span[@class='cite-exports']/a"):
        head, _, data = a.get("href").partition(",")
        assert head.startswith("data:") and a.get("download")
        out[norm_text(a)] = unquote(data)
    return out


def test_citation_exports_bibtex_ris_csl_json(doc):
    ex = exports(doc)
    assert set(ex) == {"BibTeX", "RIS", "CSL-JSON"}
    bib = ex["BibTeX"]
    assert bib.startswith("@incollection{doc-1937-06-14,") and "date = {1937-06-14}" in bib
    assert "note = {RGASPI f. 17, op. 162, d. 20, l. 62-63}" in bib
    assert "booktitle = {Soviet Decisions on Xinjiang, 1935–1945}" in bib
    ris = ex["RIS"].split("\r\n")
    assert ris[0] == "TY  - MANSCPT" and "DA  - 1937/06/14" in ris and ris[-2] == "ER  - "
    assert "CN  - RGASPI f. 17, op. 162, d. 20, l. 62-63" in ris
    [item] = json.loads(ex["CSL-JSON"])
    assert item["issued"] == {"date-parts": [[1937, 6, 14]]}
    assert item["archive_location"] == "RGASPI f. 17, op. 162, d. 20, l. 62-63"
    assert item["editor"] == [{"literal": "The TEI edition toolkit project"}]


def meta(root, name: str) -> list[str]:
    return root.xpath(f"//head/meta[@name='{name}']/@content")


def test_head_metadata_for_reference_managers(doc):
    assert meta(doc, "citation_title") == ["Concerning the 36th Division of the NRA's Appeals to the Soviet Government"]
    assert meta(doc, "citation_date") == ["1937/06/14"]
    assert meta(doc, "citation_inbook_title") == ["Soviet Decisions on Xinjiang, 1935–1945"]
    assert meta(doc, "DC.source") == ["RGASPI f. 17, op. 162, d. 20, l. 62-63"]
    assert meta(doc, "DC.date") == ["1937-06-14"]
    [script] = doc.xpath("//head/script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "ArchiveComponent" and data["dateCreated"] == "1937-06-14"
    assert data["isPartOf"]["name"] == "Soviet Decisions on Xinjiang, 1935–1945"


def test_json_ld_is_escaped_for_its_script_element(configured):
    raw = (configured / DOC).read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = raw[start:raw.index("</script>", start)]
    assert "<" not in body  # no "</script" nor "<!--" can end or confuse the element
    data = json.loads(body)
    assert data["name"].startswith(HOSTILE.split(" the")[0]) and "</script><!--" in data["name"]
    assert data["url"] == BASE + DOC and data["@id"] == BASE + DOC
    page = html_page(configured / DOC)
    assert meta(page, "citation_public_url") == [BASE + DOC]
    bib = exports(page)["BibTeX"]
    assert r"title = {Concerning </script><!-- the 36th Division" in bib


def test_pdf_linked_beside_the_tei_when_configured(configured):
    # (without [html] pdf_url: no PDF links, tests/html/test_pdf_links.py)
    page = html_page(configured / DOC)
    [a] = page.xpath("//ul[@class='doc-tools']//a[@type='application/pdf']")
    assert a.get("href") == "../../pdf/doc-1937-06-14.pdf"
    assert meta(page, "citation_pdf_url") == ["https://edition.example.org/pdf/doc-1937-06-14.pdf"]


def test_home_page_offers_the_volume_when_configured(configured):
    [a] = html_page(configured / "index.html").xpath("//a[@type='application/pdf']")
    assert a.get("href") == "../pdf/edition.pdf" and norm_text(a) == "The whole edition as one PDF"


def test_bad_base_url_is_a_configuration_error(tmp_path):
    from toolkit.options import ConfigError
    from toolkit.config import load_config
    toml = tmp_path / "edition.toml"
    toml.write_text('[edition]\ntitle = "x"\n\n[html]\nbase_url = "javascript:alert(1)"\n')
    with pytest.raises(ConfigError, match=r"edition.toml:5.*base_url.*http\(s\) address"):
        load_config(toml).options("html")


# -- 6. paragraph anchors (made by the script: tests/browser) -----------------------------------
def test_paragraphs_have_ids_for_their_anchors(doc):
    paras = doc.xpath(f"//div[@class='text']//p[{cls('tei-p')}]")
    assert len(paras) >= 8 and all(re.fullmatch(r"p-\d+", p.get("id")) for p in paras)
    # the ¶ links are the script's: no markup per paragraph in the page (its weight, the build's time)
    assert not doc.xpath(f"//a[{cls('para-anchor')}]")
    js = (REPO / "xslt/html/assets/edition.js").read_text()
    assert ".text p.tei-p[id]" in js and "para-anchor" in js


# -- 8. the entity layer: no links in the heading, a key and a switch ----------------------------
def test_no_links_in_the_heading(doc):
    h1 = first(doc, "//h1")
    assert not h1.xpath(".//a") and norm_text(h1).startswith("Concerning the 36th Division")


def test_names_have_a_key_and_a_switch(doc):
    switch = first(doc, f"//div[{cls('name-switch')}]")
    assert norm_text(first(switch, "span[@class='name-key']")) == "Names: person place organisation"
    button = first(switch, "button")
    assert button.get("aria-pressed") == "true" and button.get("hidden") is not None  # the script shows it


# -- 9. popovers: dates, roles, identifiers, a way on; notes not cut mid-sentence ------------------
def test_popover_has_dates_roles_identifiers_and_more(configured):
    page = html_page(configured / DOC)
    pop = page.get_element_by_id("pop-stalin")
    assert norm_text(first(pop, "span[@class='popover-kind']")) == \
        "Person · 18 December 1878 – 5 March 1953 · General Secretary"
    ids = [(norm_text(a), a.get("href")) for a in pop.xpath("span[@class='popover-ids']/a")]
    assert ids == [("VIAF", "https://viaf.org/viaf/101787139"), ("Wikidata", "https://www.wikidata.org/wiki/Q855"),
                   ("GND", "https://d-nb.info/gnd/118642499")]  # no javascript: identifier as a link
    more = first(pop, "a[@class='popover-more']")
    assert more.get("href") == "../entity/stalin.html"


def test_popover_notes_end_at_a_sentence(doc):
    for note in doc.xpath("//span[@class='popover-note']"):
        t = norm_text(note)
        assert re.search(r"[.!?”)]( …)?$", t), t
    stalin = norm_text(first(doc, "//div[@id='pop-stalin']/span[@class='popover-note']"))
    assert stalin.endswith("(9 July 1945). …")  # whole sentences, then the mark that more follows


def test_entity_facts_rules():
    from toolkit.tei.entities import dates, heading, idnos, person_sort_key
    T = 'xmlns="http://www.tei-c.org/ns/1.0"'
    p = etree.fromstring(f'<person {T}><persName>I. V. Stalin</persName><floruit from="1917" to="1953"/>'
                         '<idno type="GND">118642499</idno></person>')
    assert heading("person", p, "I. V. Stalin") == "Stalin, I. V."
    assert person_sort_key(p, "I. V. Stalin") == "stalin i. v."
    assert dates(p) == "1917–1953"
    assert idnos(p) == [("GND", "118642499", "https://d-nb.info/gnd/118642499")]
    q = etree.fromstring(f'<person {T}><persName><forename>Émile</forename> <surname>Zola</surname></persName></person>')
    assert heading("person", q, "Émile Zola") == "Zola, Émile" and person_sort_key(q, "Émile Zola") == "zola emile"
    # no rule can tell the surname of a name without markup and without initials
    assert heading("person", etree.fromstring(f'<person {T}><persName>Ma Hushan</persName></person>'), "Ma Hushan") == "Ma Hushan"
    assert heading("place", q, "Kashgar") == "Kashgar"


# -- 10. indexes: by surname, inverted headings, as the filters ----------------------------------
def index_entries(root) -> list[str]:
    return [norm_text(a) for a in root.xpath("//div[@class='index-groups']//ul[@class='entity-list']/li/a")]


def test_person_index_by_surname_with_inverted_headings(site, configured):
    names = index_entries(html_page(site / "persons.html"))
    assert "Stalin, I. V." in names and "Molotov, V. M." in names and "I. V. Stalin" not in names
    assert names.index("Smirnov") < names.index("Stalin, I. V.") < names.index("Voroshilov")
    names = index_entries(html_page(configured / "persons.html"))
    # surname markup and @sortKey: Goldberg under G, Hasanli, Jamil under H
    assert names.index("Gary Goldberg") < names.index("Hasanli, Jamil") < names.index("Kruchinkin")
    assert names.index("Firsov") < names.index("Gary Goldberg")
    page = html_page(configured / "persons.html")
    letters = [norm_text(a) for a in page.xpath("//ul[@class='index-letters']/li/a")]
    assert letters == [norm_text(h) for h in page.xpath("//section[@class='index-group']/h2")]


def test_filters_use_the_same_order_and_headings(site):
    listing = html_page(site / "documents.html")
    [select] = listing.xpath("//select[@data-facet='person']")
    labels = [norm_text(o) for o in select.xpath("option[@value != '']")]
    assert any(label.startswith("Stalin, I. V.") for label in labels)
    index = [n for n in index_entries(html_page(site / "persons.html"))]
    order = [next(n for n in index if label.startswith(n)) for label in labels]
    assert order == [n for n in index if n in order]
