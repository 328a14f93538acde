"""TEI cases from a second audit of the HTML pages: the critical apparatus (app/lem/rdg with
witnesses), hand shifts, bibliographic phrases inside notes and paragraphs, same-document ref
targets that do not exist, xml:lang on names, registers in back matter kept out of search, and a
table of contents for long texts. Small fixtures in tests/fixtures/tei_cases2/; the TEI-C test
files, ELTeC and the letters from ../shared when present."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import REPO, SHARED, shared_path
from conftest import build_site, classes as _classes, html_page as _page, norm_text as _text


def _build(out: Path, paths, authority=(), search=False) -> Path:
    return build_site(out, paths, authority, search)


CASES = REPO / "tests" / "fixtures" / "tei_cases2"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent: the corpora are not available")


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _ignored(el) -> bool:
    """Inside (or itself) an element kept out of the search index."""
    return any(a.get("data-pagefind-ignore") is not None for a in [el, *el.iterancestors()])


def _without(el, xpath: str) -> str:
    """The element's text without the subtrees xpath selects (a copy is changed)."""
    el = lhtml.fromstring(lhtml.tostring(el))
    for x in el.xpath(xpath):
        x.drop_tree()  # keeps the tail text
    return _text(el)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixtures, with the search index (small: Pagefind takes a fraction of a second)."""
    return _build(tmp_path_factory.mktemp("cases2") / "site", [CASES / "cases2.xml", CASES / "short.xml"], search=True)


@pytest.fixture(scope="module")
def doc(site):
    return _page(site / "doc" / "Cases2.html")


def _record(site: Path, name: str) -> dict:
    for f in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        rec = json.loads(data[len(b"pagefind_dcd"):])
        if name in rec["url"]:
            return rec
    raise AssertionError(f"no search record for {name}")


# 1 -- critical apparatus ---------------------------------------------------------------------------
def test_apparatus_lemma_inline_readings_with_witnesses(doc):
    [app] = doc.xpath("//span[@id='app1']")
    assert _classes(app) == {"app"}
    [lem] = app.xpath("./span[@class='lem']")
    assert lem.get("id") == "lem1" and _text(lem) == "butchery"
    [readings] = app.xpath("./span[@class='app-readings']")
    assert readings.get("data-pagefind-ignore") is not None
    # reads sensibly without CSS: brackets, "; " between readings, witnesses after each reading
    assert _text(readings) == "[bûchers fr; om. A wB]"
    rdgs = readings.xpath("./span[@class='rdg']")
    assert [r.get("id") for r in rdgs] == ["rdg1", None]
    assert [_text(r.xpath("./span[@class='wit']")[0]) for r in rdgs] == ["fr", "A wB"]
    # a witness resolved in the listWit: its siglum (@n), its description as a tooltip
    assert rdgs[1].xpath("./span[@class='wit']/@title") == ["A: Autograph, 1891, Vienna"]
    p = app.getparent()
    assert _text(p) == "By blood and butchery [bûchers fr; om. A wB] they lived."
    assert _without(p, "//*[@data-pagefind-ignore]") == "By blood and butchery they lived."


def test_apparatus_without_lemma_shows_the_first_reading(doc):
    apps = doc.xpath(f"//p[@id='p-2']/span[{_cls('app')}]")
    assert [_text(a.xpath("./span[@class='lem']")[0]) for a in apps] == ["ahiiā", "ϑβā"]
    # a witness whose description is long is shown by its id
    assert _text(apps[0].xpath("./span[@class='app-readings']")[0]) == "[ahiia wLong]"
    assert not apps[1].xpath("./span[@class='app-readings']")  # one reading: nothing to add


def test_search_index_holds_the_lemma_only(site):
    content = _record(site, "Cases2")["content"]
    assert "butchery" in content and "ahiiā" in content
    assert "bûchers" not in content and "ahiia " not in content and "om." not in content


# 2 -- hand shifts --------------------------------------------------------------------------------
def test_hand_shift_marker(doc):
    marks = doc.xpath(f"//span[{_cls('hand-shift')}]")
    assert [_text(m) for m in marks] == [
        "[hand: Anna Secretary]", "[hand: h3]", "[hand: pmbX]", "[hand change]"]
    assert all("tei-handShift" in _classes(m) and m.get("data-pagefind-ignore") is not None for m in marks)
    assert marks[0].get("title") == "Blue ink, a secretary's hand."
    assert "Written so far by one hand.[hand: Anna Secretary]Then the secretary wrote." in _text(marks[0].getparent())


# 3 -- bibliographic phrases stay inline ---------------------------------------------------------------
def test_bibl_inside_a_note_is_inline(doc):
    [note] = doc.xpath("//li[@id='note-2']")
    assert not note.xpath(".//div")
    [bibl] = note.xpath(f".//span[{_cls('tei-bibl')}]")
    assert bibl.xpath(f"./span[{_cls('tei-author')}]") and bibl.xpath(f"./span[{_cls('tei-biblScope')}]")
    assert "8. 10. 1891, S. 3: »Voilà qui nous mène«." in _text(note)


def test_bibl_inside_a_paragraph_is_inline(doc):
    [p] = doc.xpath("//p[@id='p-4']")
    assert not p.xpath(".//div")
    [bibl] = p.xpath(f"./span[{_cls('tei-bibl')}]")
    assert {e.get("class") for e in bibl} == {"tei-author", "tei-pubPlace", "tei-publisher", "tei-date"}
    assert _text(p).endswith("and in Bahr, Berlin: Fischer 1891 too.")


# 4 -- same-document ref targets must exist -------------------------------------------------------------
def test_ref_to_a_missing_id_is_text(doc):
    refs = {_text(r): r for r in doc.xpath(f"//*[{_cls('tei-ref')}]")}
    for label in ("stave one", "the date", "nothing"):  # a plain @id, a date (written without id), nothing
        assert refs[label].tag == "span" and "ref-unresolved" in _classes(refs[label]), label
    assert refs["chapter one"].tag == "a" and refs["chapter one"].get("href") == "#ch1"
    ids = set(doc.xpath("//@id"))
    assert all(h[1:] in ids for h in doc.xpath("//a/@href[starts-with(., '#')]"))


# 5 -- names keep their language ------------------------------------------------------------------------
def test_names_keep_xml_lang(doc):
    langs = {_text(e): e.get("lang") for e in doc.xpath(f"//*[{_cls('entity')}]")}
    assert langs["צִיּוֹן"] == "he-Hebr" and langs["Jean"] == "fr"  # the tag kept whole and langs["Wien"] == "de"
    assert langs["Vindobona"] == "la" and langs["the Society"] == "en"
    [entry] = doc.xpath(f"//*[@id='pl1'][{_cls('register-entry')}]")  # a back register's entry
    assert entry.get("lang") == "he"


# 6 -- registers in back matter are not searched ------------------------------------------------------
def test_back_registers_are_visible_but_not_indexed(site, doc):
    [back] = doc.xpath("//section[contains(@class, 'back-section')]")
    registers = back.xpath(f".//*[{_cls('register')}]")
    assert len(registers) == 7 and all(r.get("data-pagefind-ignore") is not None for r in registers)
    for word in ("Registerperson", "Registerbuch", "Registerverein", "Registerereignis",
                 "Registername", "Registerding"):
        assert word in _text(back), word
    # one line of names per register: an entry's details (a birth place) are its entity page's
    assert "Registerort" not in _text(back)
    [appendix] = back.xpath(".//p[contains(., 'Salzkammergut')]")
    assert not _ignored(appendix)
    content = _record(site, "Cases2")["content"]
    assert "Salzkammergut" in content and "Register" not in content


# 7 -- table of contents --------------------------------------------------------------------------------
def test_table_of_contents(doc):
    [toc] = doc.xpath("//nav[@class='toc']")
    assert toc.get("aria-labelledby") == "toc-heading" and toc.get("data-pagefind-ignore") is not None
    assert [(h.tag, h.get("id"), _text(h)) for h in toc.xpath("./h2")] == [("h2", "toc-heading", "Contents")]
    top = toc.xpath("./ol/li")
    # labels: the head's reading text (no note marker, the lemma of an apparatus only)
    assert [_text(li.xpath("./a")[0]) for li in top] == ["Chapter One", "Chapter Two", "Chapter Three", "Appendix"]
    assert [a.get("href") for a in top[0].xpath("./a") + top[1].xpath("./a")] == ["#ch1", "#ch2"]
    assert [_text(a) for a in top[1].xpath("./ol/li/a")] == ["A section", "Another section"]
    assert top[1].xpath("./ol/li/a/@href")[0] == "#ch2-1"
    ids = set(doc.xpath("//@id"))
    targets = [a.get("href")[1:] for a in toc.xpath(".//a")]
    assert all(t in ids for t in targets)
    assert all(doc.xpath(f"//*[@id='{t}']")[0].tag == "section" for t in targets)
    # before the text; headings in order: h1, then the h2 sections
    article = doc.xpath("//article")[0]
    kids = [k for k in article if k.tag in ("nav", "section")]
    assert kids[0] is toc and "text-section" in _classes(kids[1])
    levels = [int(h.tag[1]) for h in article.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6")]
    assert levels[:3] == [1, 2, 2] and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_no_table_of_contents_for_two_divisions(site):
    assert not _page(site / "doc" / "Short2.html").xpath("//nav[contains(@class, 'toc')]")


def test_fixture_pages_are_valid_html(site):
    from test_html_corpora import vnu_errors
    assert vnu_errors(site) == []


# the corpora -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> Path:
    teic = shared_path("corpora", "teic")
    eltec = shared_path("corpora", "eltec")
    files = [teic / n for n in ("testapp.xml", "testapp2.xml", "torture.xml", "testplace.xml")]
    files += sorted(eltec.rglob("ENG18471*.xml"))
    return _build(tmp_path_factory.mktemp("corpora2") / "site", files)


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> Path:
    corpus = shared_path("corpora", "letters")
    auth = [corpus / "indices" / n for n in ("listperson.xml", "listplace.xml", "listorg.xml")]
    files = [corpus / "editions" / n for n in ("L02669.xml", "L02406.xml", "L00844.xml")]
    return _build(tmp_path_factory.mktemp("letters2") / "site", files, auth)


@needs_shared
def test_teic_apparatus(corpora):
    p = _page(corpora / "doc" / "testapp.html").xpath(f"//span[{_cls('app')}]/..")[0]
    assert re.search(r"blood and butchery \[bûchers \S+\]\.", _text(p)), _text(p)
    assert _without(p, "//*[@data-pagefind-ignore]").endswith("by blood and butchery.")
    # its 72 apps are attached to words by @from (double end-point): each is a marker after its
    # word and a note "word] readings" (issue #12; tests/test_world_structures.py)
    page = _page(corpora / "doc" / "testapp2.html")
    entries = [_text(li) for li in page.xpath("//ol[@class='note-list']/li")]
    assert len(entries) == 72 and len(page.xpath("//sup[@class='note-ref']")) == 72
    assert all(len(li.xpath("./span[@class='lem']")) == 1 for li in page.xpath("//ol[@class='note-list']/li"))
    assert any("paouruiiē] paouruiiē Pt4; paouruiiō F2; paōiriiō J2; paouriiē M1" in e for e in entries)
    assert any("ϑβā] ϑβā Pt4; ϑβā F2 M1; om. J2" in e for e in entries)


@needs_shared
def test_teic_torture_refs_lead_somewhere(corpora):
    page = _page(corpora / "doc" / "torture.html")
    ids = set(page.xpath("//@id"))
    assert [h for h in page.xpath("//a/@href[starts-with(., '#')]") if h[1:] not in ids] == []
    assert len(page.xpath(f"//span[{_cls('ref-unresolved')}]")) >= 5


@needs_shared
def test_teic_place_name_language(corpora):
    page = _page(corpora / "doc" / "testplace.html")
    zion = [e for e in page.xpath(f"//*[{_cls('tei-placeName')}]") if _text(e) == "צִיּוֹן"]
    assert zion and all(e.get("lang") == "he-Hebr" for e in zion)


@needs_shared
def test_eltec_table_of_contents(corpora):
    page = _page(corpora / "doc" / "ENG18471.html")
    [toc] = page.xpath("//nav[@class='toc']")
    # the novel's two volumes (div type="group", no head) are groups of its chapters, whose
    # numbers start again in the second: "Part 1", "Part 2"
    groups = toc.xpath("./ol/li")
    assert [_text(li.xpath("./span[@class='toc-group']")[0]) for li in groups] == ["Part 1", "Part 2"]
    entries = toc.xpath("./ol/li/ol/li/a")
    assert len(entries) == 34 and _text(entries[0]) == "CHAPTER I."
    assert [_text(li.xpath("./ol/li/a")[0]) for li in groups] == ["CHAPTER I.", "CHAPTER I."]
    ids = set(page.xpath("//@id"))
    assert all(a.get("href")[1:] in ids for a in entries)


@needs_shared
def test_letters_note_bibl_and_registers(letters):
    page = _page(letters / "doc" / "L02669.html")
    [note] = [li for li in page.xpath("//li[contains(@class, 'note')]") if "Voilà" in _text(li)]
    assert not note.xpath(".//div") and "S. 3: »Voilà" in _text(note)
    registers = page.xpath(f"//section[contains(@class, 'back-section')]//*[{_cls('register')}]")
    assert registers and all(r.get("data-pagefind-ignore") is not None for r in registers)
    assert "Wien" in " ".join(_text(r) for r in registers)
    marks = _page(letters / "doc" / "L02406.html").xpath(f"//span[{_cls('hand-shift')}]")
    assert [_text(m) for m in marks] == ["[hand change]", "[hand: typewriter]", "[hand change]"]
    # handShift scribe="#pmb11740": the scribe's name from the authority file
    marks = _page(letters / "doc" / "L00844.html").xpath(f"//span[{_cls('hand-shift')}]")
    assert [_text(m) for m in marks] == ["[hand: Hugo von Hofmannsthal]", "[hand: Richard Beer-Hofmann]"]


def test_apparatus_reads_as_its_lemma_in_titles_and_contents(tmp_path):
    """The model's title (toolkit/model.py, text_of) and the stylesheet's reading text
    (fp:reading-text: the page title, the contents) take an apparatus's lemma, else its first
    reading — also when the other readings are grouped in rdgGrp."""
    from lxml import html as lhtml
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tei_cases2" / "app-reading.xml"
    [r] = build(load_config(Path(__file__).resolve().parents[2] / "edition.toml"), ["html"],
                paths=[fixture], out=tmp_path / "site", search_index=False)
    assert r.ok, r.summary()
    page = lhtml.parse(str(tmp_path / "site" / "doc" / "AppReading.html")).getroot()
    assert page.findtext(".//title").startswith("Edge café title ·")
    toc = [" ".join(a.text_content().split()) for a in page.xpath("//nav[contains(@class, 'toc')]//a")]
    assert toc == ["One x", "Two first", "Three"], toc
    listing = lhtml.parse(str(tmp_path / "site" / "documents.html")).getroot()
    assert "Edge café title" in listing.text_content() and "kaffee" not in listing.text_content()
