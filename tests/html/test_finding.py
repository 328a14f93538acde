"""Issue #14, "Finding" and "Pages for readers": what the search index holds, the listing's
filters and paging, entity-page snippets, the chronology, the date style, the map outline, the
reader pages, print and dark styles — checked on the built bundled edition (parsed HTML, the
search bundle's own records)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import build_site, html_page, norm_text

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("finding") / "site")


def records(site: Path) -> dict[str, dict]:
    """Pagefind's record of every indexed page (content, filters, meta, sort, anchors)."""
    out = {}
    for f in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        rec = json.loads(data[len(b"pagefind_dcd"):])
        out[rec["url"]] = rec
    return out


# -- 11. search ----------------------------------------------------------------------------------
def test_index_holds_the_text_not_the_furniture(site):
    recs = records(site)
    doc = recs["/doc/doc-1937-06-14.html"]["content"]
    assert "point 539 is in classified storage" in doc
    assert "also one air squadron on our border" in doc
    # labels, tools, information, citation and the site's words are not indexed
    for furniture in ("Handwritten note", "Document information", "Suggested citation", "Download the TEI",
                      "Reading view", "Archival source", "Summary. ", "Text. ", "Obtained by"):
        assert furniture not in doc, furniture
    ent = recs["/entity/ma-hushan.html"]["content"]
    assert ent.startswith("Ma Hushan.")
    for furniture in ("Persons", "Kind", "Person Kind"):
        assert furniture not in ent.split(".")[0:2][-1] and not ent.startswith(furniture), furniture
    assert "Kind" not in ent.split()


def test_index_filters_meta_and_sort(site):
    rec = records(site)["/doc/doc-1937-06-14.html"]
    f = rec["filters"]
    assert f["type"] == ["Document"] and f["year"] == ["1937"] and f["language"] == ["English"]
    assert f["text"] == ["Full text"]
    assert "I. V. Stalin" in f["person"] and "Kashgar" in f["place"] and "NKVD" in f["org"]
    assert rec["meta"]["date"] == "14 June 1937"
    # the sort key (kept in the index's metadata file, not in the fragment): the ISO date
    [sort] = html_page(site / "doc/doc-1937-06-14.html").xpath("//*[@data-pagefind-sort]")
    assert (sort.get("data-pagefind-sort"), sort.get("data-value")) == ("date[data-value]", "1937-06-14")
    summary_only = records(site)["/doc/doc-1945-07.html"]
    assert summary_only["filters"]["text"] == ["Summary only"]
    assert records(site)["/entity/kashgar.html"]["filters"]["type"] == ["Place"]


def test_index_anchors_each_paragraph_without_its_text(site):
    """Every paragraph of the text is an anchor (the search page links a result to it), an
    empty one: its text is not stored twice."""
    rec = records(site)["/doc/doc-1937-06-14.html"]
    paras = [a for a in rec["anchors"] if a["id"].startswith("p-")]
    assert len(paras) >= 5 and all(a["text"] == "" for a in paras)
    words = rec["content"].split()
    p9 = next(a for a in paras if a["id"] == "p-9")
    assert "squadron" in " ".join(words[p9["location"]:p9["location"] + 60])


def test_search_page_has_sort_and_filter_slots(site):
    root = html_page(site / "search.html")
    sort = root.get_element_by_id("search-sort")
    assert [o.get("value") for o in sort.iter("option")] == ["", "asc", "desc"]
    assert root.get_element_by_id("search-filters") is not None


# -- 12. listing ---------------------------------------------------------------------------------
def test_page_bounds_leave_no_remainder_alone():
    from toolkit.outputs.html.site import page_bounds
    assert page_bounds(11, 10) == [(0, 11)]
    assert page_bounds(25, 10) == [(0, 13), (13, 25)]
    assert page_bounds(30, 10) == [(0, 10), (10, 20), (20, 30)]
    assert page_bounds(0, 10) == [(0, 0)]
    for n in range(1, 200):
        sizes = [b - a for a, b in page_bounds(n, 10)]
        assert sum(sizes) == n and max(sizes) - min(sizes) <= 1 and max(sizes) <= 15


def test_listing_orders_status_and_filters(site):
    newest = html_page(site / "documents-newest.html")
    dates = [t.get("datetime") for t in newest.xpath("//div[@class='listing-static']//time")]
    assert len(dates) == 11 and dates == sorted(dates, reverse=True)
    assert [norm_text(x) for x in newest.xpath("//p[@class='sort-links']/*")] == \
        ["oldest first", "newest first", "title"]
    assert newest.xpath("//p[@class='sort-links']/strong/text()") == ["newest first"]
    listing = html_page(site / "documents.html")
    status = {norm_text(i.xpath(".//p[@class='doc-item-title']")[0]): norm_text(i.xpath(".//p[@class='doc-item-status']")[0])
              for i in listing.xpath("//li[@class='doc-item']")}
    assert status["Concerning the 36th Division of the NRA's Appeals to the Soviet Government"] == "Full text"
    assert list(status.values()).count("Full text") == 1 and list(status.values()).count("Summary only") == 10
    form = listing.xpath("//form[@class='facets']")[0]
    assert form.get("data-page-size") == "10"
    years = listing.xpath("//select[@id='facet-from']/option/@value")
    assert years == ["", "1935", "1936", "1937", "1939", "1945"]
    assert listing.xpath("//select[@id='facet-text']/option/@value") == ["", "full", "summary"]
    data = (site / "assets" / "data.js").read_text(encoding="utf-8")
    assert '"transcribed":true' in data.replace(" ", "") and '"transcribed":false' in data.replace(" ", "")


def test_listing_page_size_is_configurable(tmp_path):
    from conftest import add_options, edition_copy
    from toolkit.config import load_config
    from toolkit.outputs.runner import build
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    add_options(toml, "html", "page_size = 4\nsearch_index = false\n")
    [r] = build(load_config(toml), ["html"], out=ed / "output" / "html")
    assert r.ok, r.summary()
    out = ed / "output" / "html"
    counts = [len(html_page(out / f).xpath("//div[@class='listing-static']//li[@class='doc-item']"))
              for f in ("documents.html", "documents-2.html", "documents-3.html")]
    assert counts == [4, 4, 3] and not (out / "documents-4.html").exists()
    assert html_page(out / "documents.html").xpath("//form/@data-page-size") == ["4"]


def test_listing_page_size_must_be_positive(tmp_path):
    from conftest import add_options, edition_copy, run_cli
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    add_options(toml, "html", "page_size = 0\n")
    r = run_cli("build", "html", cwd=ed)
    assert r.returncode != 0 and "page_size" in r.stderr + r.stdout and "Traceback" not in r.stderr


# -- 13. entity-page snippets: whole words ---------------------------------------------------------
def test_snippet_cuts_at_word_boundaries():
    from lxml import etree
    from toolkit.outputs.html.passages import snippet
    text = ("The Soviet government, having discussed the written appeals to it by Ma Hushan, and also "
            "the verbal appeals of the latter to the Soviet consul general in Kashgar, expresses readiness "
            "to meet the wishes of the command of the 36th Division on the following conditions and more "
            "words that go on for a while after the name until the snippet must end somewhere.")
    cut = snippet(text, etree.fromstring("<x>Kashgar</x>"))
    words = set(text.replace(",", " ").replace(".", " ").split())
    body = cut.removeprefix("… ").removesuffix(" …")
    assert "Kashgar" in body and cut.startswith("… ") and cut.endswith(" …")
    for w in body.replace(",", " ").replace(".", " ").split():
        assert w in words, w  # no word cut in two ("nd also")
    # a sentence that starts within the lead-in is shown from its start
    two = "lead words " * 8 + "end of it. " + "Second sentence names Kashgar and " + "goes on " * 40
    assert snippet(two, etree.fromstring("<x>Kashgar</x>")).startswith("… Second sentence names Kashgar")


def test_entity_page_snippets_are_whole_words(site):
    words = set()
    for f in (REPO / "tei").glob("doc-*.xml"):
        words |= set(f.read_text(encoding="utf-8").split())
    snippets = [norm_text(s) for f in site.glob("entity/*.html") for s in html_page(f).xpath("//*[@class='snippet']")]
    assert snippets
    for s in snippets:
        body = s.removeprefix("… ").removesuffix(" …").split()
        if s.startswith("… "):
            first = body[0].strip("“”\"'(),.;:")
            assert any(first in w for w in words), s
        assert not s.startswith("… nd ")


# -- 14. chronology and one date style -------------------------------------------------------------
def test_chronology_keeps_date_and_title_apart(site):
    root = html_page(site / "chronology.html")
    rows = root.xpath("//ol[@class='timeline']/li")
    assert len(rows) == 11
    for li in rows:
        assert [c.get("class") for c in li] == ["timeline-date", "timeline-title"]
    assert norm_text(rows[0].xpath("*[1]")[0]) == "13 September 1935"
    assert norm_text(rows[0].xpath("*[2]")[0]).startswith("Politburo Decisions of 13 September 1935")


def test_document_information_date_in_the_edition_style(site):
    root = html_page(site / "doc/doc-1937-06-14.html")
    [dd] = root.xpath("//div[contains(@class, 'info-date')]/dd")
    assert norm_text(dd) == "14 June 1937"  # the header writes "June 14, 1937"
    assert norm_text(root.xpath("//p[@class='doc-date']")[0]) == "14 June 1937"


STYLES = [("en", "14 June 1937", "June 1937", "44 BC"), ("en-GB", "14 June 1937", "June 1937", "44 BC"),
          ("en-US", "June 14, 1937", "June 1937", "44 BC"), ("de-AT", "14. Juni 1937", "Juni 1937", "44 v. Chr."),
          ("fr", "14 juin 1937", "juin 1937", "44 av. J.-C."),
          ("ru", "14 июня 1937 г.", "июнь 1937 г.", "44 г. до н. э."), ("xx", "14 June 1937", "June 1937", "44 BC")]


@pytest.mark.parametrize("lang,day,month,bc", STYLES, ids=[s[0] for s in STYLES])
def test_date_style_one_rule_for_python_and_xslt(lang, day, month, bc):
    """The model's label (toolkit/tei/facts.py) and f:date-label given the context's date style
    (as the HTML and the PDF get it) agree, for each language."""
    from lxml import etree
    from toolkit import context, saxon
    from toolkit.tei.facts import date_style, iso_label
    from xslt_support import _stylesheet
    style = date_style(lang)
    assert [iso_label(v, style) for v in ("1937-06-14", "1937-06", "-0044")] == [day, month, bc]
    root = etree.Element("edition", title="t", lang=lang)
    context._date_style(root, style)
    exe = _stylesheet("string-join(('1937-06-14', '1937-06', '-0044') ! f:date-label(.), '|')", ("lib/common.xsl",))
    got = saxon.transform(exe, "<x/>", {"edition-context": saxon.to_xdm(etree.tostring(root, encoding="unicode"))})
    assert got.split("|")[0:3] == [day, month, bc]


def test_edition_language_sets_the_date_style_everywhere(tmp_path):
    """[edition] language = "en-US": the model's labels, the site's pages and the context the
    PDF is made from all write "June 14, 1937"."""
    from conftest import edition_copy
    from toolkit.config import load_config
    from toolkit.context import full
    from toolkit.model import Edition
    from toolkit.outputs.runner import build
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "en-US"'), encoding="utf-8")
    cfg = load_config(toml)
    model = Edition.load(cfg)
    assert {d.id: d.date_label for d in model.documents}["doc-1937-06-14"] == "June 14, 1937"
    assert full(model).getroot().get("date-day") == "{m} {d}, {y}"  # the PDF's context
    [r] = build(cfg, ["html"], out=ed / "output" / "html", search_index=False)
    assert r.ok, r.summary()
    out = ed / "output" / "html"
    chron = html_page(out / "chronology.html")
    assert norm_text(chron.xpath("//span[@class='timeline-date']")[0]) == "September 13, 1935"
    doc = html_page(out / "doc/doc-1937-06-14.html")
    assert norm_text(doc.xpath("//div[contains(@class, 'info-date')]/dd")[0]) == "June 14, 1937"


# -- 15. map: a real outline, drawn at build time -------------------------------------------------
def test_map_has_coastlines_and_borders_from_natural_earth(site):
    from toolkit.outputs.html import outline
    if not outline.installed():
        pytest.skip("world-atlas missing: run scripts/install-system-deps.sh")
    root = html_page(site / "map.html")
    svg = root.xpath("//*[local-name()='svg'][contains(@class, 'map-svg')]")[0]
    [land] = svg.xpath(".//*[local-name()='path'][@class='map-land']")
    [borders] = svg.xpath(".//*[local-name()='path'][@class='map-border']")
    assert land.get("d").count("M") >= 1 and borders.get("d").count("M") >= 5
    assert len(borders.get("d")) > 2000  # the borders of Xinjiang's neighbours, not a few strokes
    # the plot is 900 units wide; the outline stays within its frame plus a small margin
    nums = [float(v) for d in (land.get("d"), borders.get("d"))
            for pair in d.replace("M", " ").replace("Z", " ").split() for v in pair.split(",")]
    assert -13 <= min(nums) and max(nums) <= 913
    # the places are plotted in the same frame: Dairen lies on the land, by the Yellow Sea
    assert "Natural Earth" in norm_text(root.xpath("//figcaption")[0])
    # offline: nothing the page loads comes from a server (no tiles, no CDN), and the SVG names none
    assert not root.xpath("//*[@src[contains(., '//')]] | //link[contains(@href, '//')]")
    svg_text = lhtml.tostring(svg, encoding="unicode")
    assert "https://" not in svg_text and "http://" not in svg_text.replace("http://www.w3.org/2000/svg", "")


def test_map_frame_is_decided_once(site):
    from toolkit.outputs.html.outline import Frame
    root = html_page(site / "map.html")
    rows = root.xpath("//table[contains(@class, 'places-table')]/tbody/tr")
    points = [tuple(float(v) for v in norm_text(r.xpath("td[2]")[0]).split(", ")) for r in rows]
    frame = Frame.of(points)
    svg = root.xpath("//*[local-name()='svg'][contains(@class, 'map-svg')]")[0]
    assert svg.get("viewbox") == f"0 0 {frame.width} {frame.height}"  # (lxml.html lower-cases names)
    dots = {c.getparent().get("id"): (float(c.get("cx")), float(c.get("cy")))
            for c in svg.xpath(".//*[local-name()='circle']")}
    lat, lon = points[[norm_text(r.xpath("td[1]")[0]) for r in rows].index("Kashgar")]
    assert dots["place-kashgar"] == pytest.approx((frame.x(lon), frame.y(lat)), abs=0.06)


def test_map_without_the_atlas_has_no_outline(tmp_path, monkeypatch):
    from toolkit.outputs.html import outline
    monkeypatch.setattr(outline, "ATLAS", tmp_path / "nowhere")
    outline._topology.cache_clear()
    try:
        out = build_site(tmp_path / "site", search=False)
    finally:
        outline._topology.cache_clear()
    root = html_page(out / "map.html")
    assert not root.xpath("//*[local-name()='path']")
    assert len(root.xpath("//*[local-name()='circle']")) == 5
    assert "Natural Earth" not in norm_text(root.xpath("//figcaption")[0])


def test_outline_clips_to_the_frame():
    from toolkit.outputs.html.outline import _clip
    square = [(-10, -10), (50, -10), (50, 50), (-10, 50)]
    clipped = _clip(square, 0, 0, 40, 40)
    assert sorted(set(clipped)) == [(0, 0), (0, 40), (40, 0), (40, 40)]
    assert _clip([(100, 100), (120, 100), (120, 120)], 0, 0, 40, 40) == []


# -- 16. pages for readers -------------------------------------------------------------------------
def test_home_page_leads_to_the_edition(site):
    root = html_page(site / "index.html")
    headings = [norm_text(h) for h in root.xpath("//main//h2")]
    assert headings == ["About this edition", "Start reading", "How to cite", "Responsibilities"]
    [featured] = root.xpath("//li[@class='home-featured']/a")
    assert featured.get("href") == "doc/doc-1937-06-14.html"
    assert norm_text(root.xpath("//section[@aria-labelledby='cite-heading']//p[@class='cite-text']")[0]) == \
        "Soviet Decisions on Xinjiang, 1935–1945. The TEI edition toolkit project."
    assert "principles.html" in root.xpath("//main//a/@href")


def test_editorial_principles_are_for_readers(site):
    root = html_page(site / "principles.html")
    main = root.xpath("//main")[0]
    text = norm_text(main)
    assert norm_text(main.xpath(".//h1")[0]) == "Editorial principles"
    assert [norm_text(h) for h in main.xpath(".//h2")] == ["Normalisation", "Corrections", "Interpretation",
                                                         "Notes on the sources", "Licence"]
    assert "reading view shows the bracketed form" in text
    # no element names, attributes or paths: those are in docs/encoding.md
    assert not main.xpath(".//code")
    for term in ("profileDesc", "@when", "div type", "persName", "msDesc", "handNote", "xml"):
        assert term not in text, term
    encoding = (REPO / "docs" / "encoding.md").read_text(encoding="utf-8")
    for term in ("profileDesc/creation/date/@when", 'note type="handwritten"', 'div type="distribution"'):
        assert term in encoding, term
    nav = [norm_text(a) for a in root.xpath("//nav[@class='site-nav']//a")]
    assert nav[-1] == "Editorial principles"


def test_footer_whole_and_for_readers(site):
    for rel in ("index.html", "documents.html", "doc/doc-1937-06-14.html", "entity/stalin.html"):
        footer = html_page(site / rel).xpath("//footer[@class='site-footer']")[0]
        text = norm_text(footer)
        assert "…" not in text and "rights statement above." in text, rel
        assert "edition serve" not in text and "Static edition" not in text, rel
        assert footer.xpath(".//a[@rel='license']/@href") == ["https://creativecommons.org/licenses/by/4.0/"]


def test_changing_the_language_relabels_an_incremental_build(tmp_path):
    """The previous build's document facts hold labels in its date style: after a change of
    [edition] language they are not reused (the next build is not a full one)."""
    from conftest import edition_copy
    from toolkit.config import load_config
    from toolkit.outputs.runner import build
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    out = ed / "output" / "html"
    [r] = build(load_config(toml), ["html"], out=out, search_index=False)
    assert r.ok
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "de"'), encoding="utf-8")
    [r] = build(load_config(toml), ["html"], out=out, search_index=False)
    assert r.ok
    chron = html_page(out / "chronology.html")
    assert norm_text(chron.xpath("//span[@class='timeline-date']")[0]) == "13. September 1935"
    listing = html_page(out / "documents.html")
    assert "14. Juni 1937" in [norm_text(t) for t in listing.xpath("//time")]
