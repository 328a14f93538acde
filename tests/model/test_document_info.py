"""Document information (xslt/html/pages/document-info.xsl) and what feeds it and the entity
pages: a letter's correspDesc, placeholder rows only for fields the edition has, ELTeC-style
headers (plain-year dates, ident-only languages, address-only licences, element-only source
descriptions), the map link of entity pages, and passages/snippets (register entries of the
back matter, letterhead lines, empty refs)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

from conftest import REPO
from toolkit.outputs.runner import build
from toolkit.config import load_config
from toolkit import model
from toolkit.xmlsafe import TEI_NS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "document_info"
T = "{%s}" % TEI_NS
LETTERS = ["letter-a.xml", "letter-b.xml", "letter-d.xml", "novel.xml"]
NOT_GIVEN = "Not given in the source"


def adhoc(out: Path, names=LETTERS, folder: Path = FIXTURES, full: bool = False):
    cfg = load_config(REPO / "edition.toml")
    [r] = build(cfg, ["html"], paths=[folder / n for n in names], out=out,
                authority=[folder / "persons.xml"], search_index=False, full=full)
    assert r.ok
    return r


def page(site: Path, rel: str):
    return lhtml.parse(str(site / rel)).getroot()


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def rows(doc) -> list[tuple[str, str, str, object]]:
    """(class, label, value, dd) of every row of the document information."""
    return [(r.get("class"), norm(r.find("dt").text_content()), norm(r.find("dd").text_content()), r.find("dd"))
            for r in doc.xpath("//section[@id='doc-info']//div[contains(@class, 'info-row')]")]


def info(doc) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, label, value, _ in rows(doc):
        out.setdefault(label, value)
    return out


def passages(site: Path, eid: str) -> list[tuple[str, str, str]]:
    p = page(site, f"entity/{eid}.html")
    out = []
    for li in p.xpath("//ul[@class='passages']/li"):
        q = li.find("q")
        out.append((li.find("a").get("href"), norm(li.find("a").text_content()),
                    norm(q.text_content()) if q is not None else ""))
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docinfo") / "site"
    adhoc(out)
    return out


@pytest.fixture(scope="module")
def with_archive(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docinfo-archive") / "site"
    adhoc(out, LETTERS + ["archive.xml"])
    return out


# 1 -- correspondence ---------------------------------------------------------------------------
def test_correspondence_rows_with_linked_names(site):
    doc = page(site, "doc/letter-a.html")
    corresp = [(label, value, dd) for cls, label, value, dd in rows(doc) if cls == "info-row info-corresp"]
    got = {label: value for label, value, _ in corresp}
    assert got["Sent by"] == "Adler, Anna"
    assert got["Sent from"] == "Wien"
    assert got["Date sent"] == "20. 7. 1894"
    assert got["Received by"] == "Gazette de Francfort"
    assert got["Received at"] == "Frankfurt am Main"
    assert got["Date received"] == "22 July 1894"  # an empty date: its @when as a label
    links = {label: [a.get("href") for a in dd.iter("a")] for label, _, dd in corresp}
    assert links["Sent by"] == ["../entity/anna.html"]
    assert links["Sent from"] == ["../entity/vienna.html"]
    assert links["Received by"] == ["../entity/gazette.html"]
    assert links["Received at"] == []
    # the names in the rows get the popovers of names in the text
    sent_by = [dd for label, _, dd in corresp if label == "Sent by"][0].find("a")
    assert doc.xpath(f"//*[@id='{sent_by.get('aria-describedby')}']")
    # rows in this order: sender, place, date; then the receiver's
    assert [label for label, _, _ in corresp][:6] == ["Sent by", "Sent from", "Date sent", "Received by",
                                                      "Received at", "Date received"]


def test_previous_and_next_letter(site):
    doc = page(site, "doc/letter-a.html")
    corresp = {label: (value, [a.get("href") for a in dd.iter("a")])
               for cls, label, value, dd in rows(doc) if cls == "info-row info-corresp"}
    # by file name: the page of that file
    assert corresp["Previous letter"] == ("Ben to Anna, 1 July 1894", ["../doc/letter-b.html"])
    # by bare id, not a neighbour in date order (the page's context must hold it)
    assert corresp["Previous letter in this correspondence"] == ("Anna to Ben, 1 June 1894", ["../doc/letter-d.html"])
    # a letter outside the edition: text
    assert corresp["Next letter"] == ("Anna to Carl, 1 August 1894", [])
    # a document without correspDesc has no such rows
    assert not [r for r in rows(page(site, "doc/letter-b.html")) if r[0] == "info-row info-corresp"]


# 2 -- placeholder rows only for fields some document has ----------------------------------------
OPTIONAL = ("Obtained by", "Translated by", "Record ID", "Original classification")


def test_no_placeholder_rows_when_no_document_has_the_field(site):
    for name in ("letter-a", "letter-b", "novel"):
        got = info(page(site, f"doc/{name}.html"))
        assert not [label for label in OPTIONAL if label in got], (name, got)
        assert NOT_GIVEN not in got.values()


def test_placeholder_rows_for_fields_another_document_has(with_archive):
    got = info(page(with_archive, "doc/letter-a.html"))
    assert got["Translated by"] == NOT_GIVEN and got["Record ID"] == NOT_GIVEN
    assert "Obtained by" not in got and "Original classification" not in got
    own = info(page(with_archive, "doc/archive.html"))
    assert own["Translated by"] == "Tess Translator" and own["Record ID"] == "R-17"


def test_info_fields_of_headers():
    from toolkit.tei.conventions import conventions, info_fields
    conv = conventions(load_config(REPO / "edition.toml"))  # the fields are this edition's

    def header(name):
        return etree.parse(str(FIXTURES / name)).getroot().find(T + "teiHeader")
    assert info_fields(header("archive.xml"), conv) == "translated-by record-id"
    assert info_fields(header("letter-a.xml"), conv) == ""
    # the bundled edition: its documents' notes say the source names the fields without values
    assert info_fields(etree.parse(str(REPO / "tei" / "doc-1936-02-07.xml")).getroot().find(T + "teiHeader"), conv) \
        == "obtained-by translated-by record-id original-classification"


def test_fields_change_rebuilds_the_other_pages(tmp_path):
    """Which fields the edition has is part of every document page's fingerprint, and of the
    facts cached for unchanged files: incremental builds equal full builds."""
    src = tmp_path / "src"
    shutil.copytree(FIXTURES, src)
    names = LETTERS + ["archive.xml"]
    out = tmp_path / "out"
    adhoc(out, names, src)
    assert info(page(out, "doc/letter-a.html"))["Translated by"] == NOT_GIVEN

    def same_as_full(step):
        fresh = tmp_path / f"fresh-{step}"
        adhoc(fresh, names, src, full=True)
        for f in sorted(fresh.glob("doc/*.html")):
            assert (out / "doc" / f.name).read_bytes() == f.read_bytes(), (step, f.name)

    # an unrelated edit: the unchanged archive's fields come from the cache
    letter_b = src / "letter-b.xml"
    letter_b.write_text(letter_b.read_text(encoding="utf-8").replace("all is well", "all is fine"), encoding="utf-8")
    adhoc(out, names, src)
    same_as_full("unrelated edit")
    assert info(page(out, "doc/letter-a.html"))["Translated by"] == NOT_GIVEN
    # the only translator goes: letter-a's page (its file unchanged) loses the row
    archive = src / "archive.xml"
    archive.write_text(archive.read_text(encoding="utf-8").replace(
        "<respStmt><resp>Translated by</resp><name>Tess Translator</name></respStmt>", ""), encoding="utf-8")
    adhoc(out, names, src)
    assert "Translated by" not in info(page(out, "doc/letter-a.html"))
    same_as_full("field removed")
    # a letter that letter-a links by id (not its neighbour in date order), by an empty ref
    # (the row then shows that letter's date and title), gets a new title: letter-a's page
    # is rebuilt
    letter_a = src / "letter-a.xml"
    letter_a.write_text(letter_a.read_text(encoding="utf-8").replace(
        'target="letter-d">Anna to Ben, 1 June 1894</ref>', 'target="letter-d"/>'), encoding="utf-8")
    adhoc(out, names, src)
    assert "Anna to Ben, 1 June 1894" in page(out, "doc/letter-a.html").text_content()
    letter_d = src / "letter-d.xml"
    letter_d.write_text(letter_d.read_text(encoding="utf-8").replace(
        "<title>Anna to Ben, 1 June 1894</title>", "<title>Anna to Ben, first of June 1894</title>"), encoding="utf-8")
    adhoc(out, names, src)
    assert "first of June" in page(out, "doc/letter-a.html").text_content()
    same_as_full("linked letter retitled")


def test_bundled_edition_keeps_its_rows(tmp_path):
    tei = REPO / "tei"
    cfg = load_config(REPO / "edition.toml")
    out = tmp_path / "site"
    [r] = build(cfg, ["html"], paths=[tei / "doc-1936-02-07.xml", tei / "doc-1937-06-14.xml"], out=out,
                authority=[tei / n for n in ("persons.xml", "places.xml", "orgs.xml")], search_index=False)
    assert r.ok
    got = info(page(out, "doc/doc-1936-02-07.html"))
    assert all(got[label] == NOT_GIVEN for label in OPTIONAL), got


# 3, 4 -- ELTeC-style headers -----------------------------------------------------------------------
def test_plain_year_dates_first_edition_before_digital_copy(site):
    root = etree.parse(str(FIXTURES / "novel.xml")).getroot()
    assert model.document_date(root) == ("1847", "1847")
    doc = page(site, "doc/novel.html")
    assert norm(doc.xpath("//p[@class='doc-date']")[0].text_content()) == "1847"
    assert doc.xpath("//p[@class='doc-date']/time/@datetime") == ["1847"]


def test_date_text_forms():
    def date_of(xml):
        return model.document_date(etree.fromstring(
            f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><sourceDesc>{xml}</sourceDesc></fileDesc></teiHeader></TEI>'))
    assert date_of("<bibl><date>1902-03-04</date></bibl>") == ("1902-03-04", "1902-03-04")
    assert date_of("<bibl><date>[1897]</date></bibl>") == ("1897", "[1897]")
    assert date_of("<bibl><date>Fri Dec 11 18:06:27 2015</date></bibl>") == ("", "")
    assert date_of("<bibl><date>1890s</date></bibl>") == ("", "")
    # a reprint before the first edition: the first edition's date (ELTeC's Miss Marjoribanks)
    assert date_of("<bibl type='printSource'><date>1969</date></bibl>"
                   "<bibl type='firstEdition'><date>1866</date></bibl>") == ("1866", "1866")
    # a work cited in a manuscript description (TEI-C's testms.xml): not the source's date
    assert date_of("<msDesc><msContents><msItem><listBibl><bibl><date>1821</date></bibl></listBibl>"
                   "</msItem></msContents></msDesc>") == ("", "")
    # only a digital copy's date: that one
    assert date_of("<bibl type='digitalSource'><date>2000</date></bibl>") == ("2000", "2000")


def test_language_by_ident(site):
    assert info(page(site, "doc/novel.html"))["Languages"] == "English"
    assert info(page(site, "doc/letter-a.html"))["Languages"] == "German"


def test_licence_by_its_address_only(site):
    doc = page(site, "doc/novel.html")
    [lic] = doc.xpath("//section[@id='doc-info']//a[@rel='license noopener']")
    assert lic.get("href") == "https://creativecommons.org/licenses/by/4.0/"
    assert norm(lic.text_content()) == "https://creativecommons.org/licenses/by/4.0/"


def test_source_parts_apart(site):
    assert info(page(site, "doc/novel.html"))["Archival source"] == "Wuthering Heights : wikisource edition, 2000"


def test_source_parts_apart_and_mixed_content_as_written(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(FIXTURES, src)
    novel = src / "novel.xml"
    s = novel.read_text(encoding="utf-8")
    novel.write_text(s.replace('<bibl type="digitalSource"><title>Wuthering Heights : wikisource edition</title><date>2000</date></bibl>', ""), encoding="utf-8")
    out = tmp_path / "out"
    adhoc(out, ["novel.xml"], src)
    assert info(page(out, "doc/novel.html"))["Archival source"] == "First edition, London: T. C. Newby, 1847"
    novel.write_text(s.replace('<bibl type="digitalSource"><title>Wuthering Heights : wikisource edition</title><date>2000</date></bibl>',
                               '<bibl><title>Sybil</title> by <author>B. Disraeli</author> (<date>1845</date>)</bibl>'), encoding="utf-8")
    adhoc(out, ["novel.xml"], src)
    assert info(page(out, "doc/novel.html"))["Archival source"] == "Sybil by B. Disraeli (1845)"


# 5 -- the map link ---------------------------------------------------------------------------------
def test_on_the_map_only_for_what_the_map_plots(site):
    org = page(site, "entity/gazette.html")
    assert "50.11, 8.68" in norm(org.text_content())
    assert not org.xpath("//a[contains(@href, 'map.html#')]")
    place = page(site, "entity/vienna.html")
    [a] = place.xpath("//a[contains(@href, 'map.html#')]")
    frag = a.get("href").split("#")[1]
    assert page(site, "map.html").xpath(f"//*[@id='{frag}']")


# 6 -- passages and snippets --------------------------------------------------------------------------
def test_register_entries_of_the_back_are_not_passages(site):
    anna = passages(site, "anna")
    assert not [p for p in anna if "anna-entry" in p[0] or p[1].startswith("§")], anna
    assert ("../doc/letter-b.html#p-1", "Paragraph 1", "Dear Anna, all is well.") in anna
    # named only in the register: no passage in the letter (and, a small register, an entity
    # page saying so)
    assert passages(site, "linz") == []


def test_letterhead_lines_apart_in_snippets(site):
    gazette = {label: snip for _, label, snip in passages(site, "gazette")}
    assert gazette["Opening 1"] == "Dr. Anna Adler Correspondent of the Gazette Wien, 20. 7. 1894"


def test_empty_ref_shows_its_target_in_snippets(site):
    ben = {label: snip for _, label, snip in passages(site, "ben")}
    assert ben["Paragraph 1"] == "Dear Ben, as I wrote on 1894-07-08 we are well."


def t(xml):
    return model.text_of(etree.fromstring(f'<x xmlns="{TEI_NS}">{xml}</x>'))


def test_text_of_letterhead_segs():
    assert t("<opener><seg>Paul Goldmann</seg><seg>Correspondant</seg></opener>") == "Paul Goldmann Correspondant"
    assert t("<ab type='letterhead'><seg>A</seg><seg>B</seg></ab>") == "A B"
    # forme work is page furniture, not text (class not-rendered)
    assert t("<p>text<fw type='letterhead'><seg>A</seg><seg>B</seg></fw> goes on</p>") == "text goes on"
    assert t("<p><seg>wo</seg><seg>rd</seg></p>") == "word"  # other segs: inline


def test_text_of_empty_pointers():
    assert t("<p>on <ref target='1895-09-08'/>, see <ptr target='#n1'/> and <ref target='x'>this</ref></p>") \
        == "on 1895-09-08, see #n1 and this"


def test_context_is_made_without_a_build(tmp_path):
    """bench/build.py writes the context for the peer without running a build."""
    from toolkit.outputs.html import HtmlBuild
    from toolkit.outputs.runner import load_for_build
    from toolkit.config import load_config
    from conftest import REPO
    ed = load_for_build(load_config(REPO / "edition.toml"), [], [])
    b = HtmlBuild(ed, tmp_path / "unused", False, False)
    b.assign_pages()
    root = b.context().getroot()
    assert root.get("info-fields") == ed.info_fields() and root.find("document") is not None
