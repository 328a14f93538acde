"""Issue #12, items 5, 12 and 13: manuscript descriptions in full, back-matter registers as
authority data, dates given only by bounds — read back from the built HTML (parsed) and PDF
(pdftotext). Fixtures are written by the tests; the Bodleian records are copied from ../shared."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import html_page, norm_text, shared_path
from toolkit.config import Config, load_config
from toolkit.outputs.runner import build

REPO = Path(__file__).resolve().parents[2]
TEI_NS = "http://www.tei-c.org/ns/1.0"


def tei(body: str, header_extra: str = "", source: str = "<p>Born digital.</p>", xml_id: str = "d1",
        title: str = "A document", back: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}" xml:id="{xml_id}"><teiHeader><fileDesc>
<titleStmt><title>{title}</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc>{source}</sourceDesc></fileDesc>{header_extra}</teiHeader>
<text><body>{body}</body>{back}</text></TEI>"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def build_adhoc(fmt: str, paths: list[Path], out: Path, authority=()):
    cfg = Config(root=REPO)
    [r] = build(cfg, [fmt], paths=paths, out=out, authority=list(authority), search_index=False,
                report=lambda *a, **k: None)
    assert r.ok, r.summary()
    return r


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace("\xad", "-")


def words(s: str) -> str:
    """Words only, one space apart (compares across line breaks and layout)."""
    return " ".join(re.findall(r"\w+", s.replace("-\n", "")))


def has_pdftotext():
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")


# -- item 5: a description with every part --------------------------------------------------------

FULL_MS = """
<msDesc xml:id="ms1" xml:lang="en">
  <msIdentifier><country>Utopia</country><settlement>Amaurot</settlement>
    <repository>Civic Library</repository><collection>Hythloday</collection>
    <idno type="shelfmark">MS 7</idno><altIdentifier type="former"><idno>Olim 12</idno></altIdentifier>
    <msName>Codex Raphaelis</msName></msIdentifier>
  <msContents>
    <summary>A miscellany of travellers' tales.</summary>
    <textLang mainLang="la" otherLangs="de"/>
    <msItem n="1" xml:id="item1"><locus from="1r" to="20v"/>
      <author>Raphael Hythlodaeus</author><title>Of the best state</title>
      <rubric>Here begins the book</rubric><incipit>Quum non exiguae</incipit>
      <explicit>optarim verius quam sperarim</explicit><finalRubric>Here ends the book</finalRubric>
      <colophon>Written by brother Anemolius</colophon><note>Copied in haste</note>
      <msItem n="1.1"><locus>fol. 3r</locus><title>Prefatory letter</title>
        <msItem n="1.1.1"><title>Postscript verses</title></msItem></msItem>
    </msItem>
    <msItem n="2"><locus from="21r" to="22v"/><title>Alphabet of the Utopians</title></msItem>
  </msContents>
  <physDesc>
    <objectDesc form="codex"><supportDesc material="perg"><support>Calfskin vellum</support>
      <extent>22 leaves <dimensions unit="mm"><height>310</height><width>220</width></dimensions></extent>
      <foliation>Foliated in pencil</foliation><collation>Quires of eight</collation>
      <condition>Waterstained margins</condition></supportDesc>
      <layoutDesc><layout columns="2" writtenLines="31"><p>Ruled in plummet</p></layout></layoutDesc></objectDesc>
    <handDesc><handNote xml:id="hA">Gothic bookhand</handNote><handNote xml:id="hB">Cursive glosses</handNote></handDesc>
    <decoDesc><decoNote>Initials in gold</decoNote></decoDesc>
    <additions>Marginalia by a <hi rend="italic">later</hi> reader</additions>
    <bindingDesc><binding notBefore="1600" notAfter="1650"><p>Limp vellum wrapper</p></binding></bindingDesc>
    <sealDesc><seal><p>Wax seal of the abbot</p></seal></sealDesc>
    <accMat>Loose slip with prices</accMat>
    <oddThing>Peculiar unlabelled remark</oddThing>
  </physDesc>
  <history>
    <origin><origDate notBefore="1440" notAfter="1460"/><origPlace>Anyder valley</origPlace></origin>
    <provenance>Owned by <persName ref="#morus">Thomas More</persName></provenance>
    <provenance type="found">Discovered under the abbey floor</provenance>
    <acquisition>Bought at auction in 1860</acquisition>
  </history>
  <additional>
    <adminInfo><recordHist><source>Catalogued from the original</source></recordHist>
      <availability><p>Readers by appointment</p></availability></adminInfo>
    <surrogates><bibl>Microfilm reel nine</bibl></surrogates>
    <listBibl><bibl>Giles, Utopian Letters</bibl><bibl>Peter, Island Studies</bibl></listBibl>
  </additional>
  <msPart><msIdentifier><idno>MS 7 part B</idno></msIdentifier>
    <msContents><msItem><title>Bound-in pamphlet</title></msItem></msContents>
    <physDesc><objectDesc><supportDesc><support>Rag paper</support></supportDesc></objectDesc></physDesc>
  </msPart>
  <msFrag><msIdentifier><idno>Fragment C</idno></msIdentifier>
    <history><origin>Detached leaf from Basel</origin></history></msFrag>
</msDesc>
<msDesc><msIdentifier><repository>Second Library</repository><idno>MS 8</idno></msIdentifier>
  <physDesc><objectDesc><supportDesc><support>Birch bark</support></supportDesc></objectDesc></physDesc></msDesc>
"""

# every word the description gives (its text, not its attributes)
FULL_MS_PHRASES = [
    "Utopia", "Amaurot", "Civic Library", "Hythloday", "MS 7", "Olim 12", "Codex Raphaelis",
    "A miscellany of travellers' tales", "Raphael Hythlodaeus", "Of the best state",
    "Here begins the book", "Quum non exiguae", "optarim verius quam sperarim", "Here ends the book",
    "Written by brother Anemolius", "Copied in haste", "fol. 3r", "Prefatory letter",
    "Postscript verses", "Alphabet of the Utopians", "Calfskin vellum", "22 leaves",
    "Foliated in pencil", "Quires of eight", "Waterstained margins", "Ruled in plummet",
    "Gothic bookhand", "Cursive glosses", "Initials in gold", "Marginalia by a later reader",
    "Limp vellum wrapper", "Wax seal of the abbot", "Loose slip with prices",
    "Peculiar unlabelled remark", "Anyder valley", "Owned by Thomas More",
    "Discovered under the abbey floor", "Bought at auction in 1860", "Catalogued from the original",
    "Readers by appointment", "Microfilm reel nine", "Giles, Utopian Letters", "Peter, Island Studies",
    "MS 7 part B", "Bound-in pamphlet", "Rag paper", "Fragment C", "Detached leaf from Basel",
    "Second Library", "MS 8", "Birch bark",
]
# what the description gives in attributes only, as the outputs print it
FULL_MS_COMPUTED = ["1r–20v", "21r–22v", "310 × 220 mm", "1440–1460", "Latin, German",
                    "2 columns, 31 written lines", "parchment", "codex"]

PERSONS = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>
<publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Test</p></sourceDesc></fileDesc></teiHeader>
<text><body><listPerson>
<person xml:id="morus"><persName type="preferred">More, Thomas</persName><note>Author of Utopia</note></person>
</listPerson></body></text></TEI>"""


@pytest.fixture(scope="module")
def ms_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ms")
    doc = write(tmp / "src", "ms.xml", tei("<p>Text of the manuscript.</p>", source=FULL_MS, xml_id="ms-doc",
                                          title="Codex Raphaelis"))
    persons = write(tmp / "src", "persons.xml", PERSONS)
    build_adhoc("html", [doc], tmp / "html", authority=[persons])
    build_adhoc("pdf", [doc], tmp / "pdf", authority=[persons])
    return tmp


def ms_section(site: Path, doc: str = "ms-doc"):
    page = html_page(site / "html" / "doc" / f"{doc}.html")
    [section] = page.xpath("//section[@id='ms-description']")
    return page, section


def test_html_description_has_every_part(ms_site):
    page, section = ms_section(ms_site)
    text = norm_text(section)
    missing = [p for p in FULL_MS_PHRASES + FULL_MS_COMPUTED if p not in text]
    assert not missing, missing
    assert norm_text(section.xpath("h2")[0]) == "Manuscript descriptions"  # two msDesc
    # each description, part and fragment is headed; its sections too
    headings = [norm_text(h) for h in section.xpath(".//h3 | .//h4 | .//h5")]
    assert headings[:5] == ["Amaurot, Civic Library, Hythloday, MS 7", "Contents", "Physical description",
                            "History", "Additional information"]
    assert "Part: MS 7 part B" in headings and "Fragment: Fragment C" in headings
    assert "Second Library, MS 8" in headings
    # fields are rows of definition lists, labelled
    labels = {norm_text(dt) for dt in section.xpath(".//dl/div/dt")}
    for label in ("Incipit", "Explicit", "Rubric", "Final rubric", "Colophon", "Folios", "Extent",
                  "Foliation", "Collation", "Condition", "Layout", "Hand", "Decoration", "Additions",
                  "Binding", "Seal", "Accompanying material", "Date of origin", "Place of origin",
                  "Provenance", "Findspot", "Acquisition", "Source", "Availability", "Surrogates",
                  "Bibliography", "Language", "Summary", "Form", "Material", "Other identifier", "Name",
                  "Odd thing"):
        assert label in labels, label


def test_html_items_nest_and_names_link(ms_site):
    page, section = ms_section(ms_site)
    [item1] = section.xpath(".//li[@id='item1']")
    # msItem inside msItem inside msItem: ordered lists two levels down
    assert item1.xpath("ol/li/ol/li[contains(., 'Postscript verses')]")
    assert item1.getparent().tag == "ol" and len(item1.getparent()) == 2
    # names link to their entity and get the popover; hi is rendered
    [link] = section.xpath(".//a[contains(@class, 'entity')]")
    assert norm_text(link) == "Thomas More" and link.get("href").startswith("../entity/")
    assert page.xpath(f"//*[@id='{link.get('aria-describedby')}']")
    assert section.xpath(".//*[contains(@class, 'rend-italic')][. = 'later']")


def test_pdf_description_has_every_part(ms_site):
    has_pdftotext()
    text = words(pdf_text(ms_site / "pdf" / "ms-doc.pdf")).lower()
    missing = [p for p in FULL_MS_PHRASES + ["1r 20v", "310 220 mm", "1440 1460", "Latin German",
                                             "Manuscript descriptions", "Incipit", "Findspot",
                                             "Physical description", "Part MS 7 part B"]
               if words(p).lower() not in text]
    assert not missing, missing


def test_description_labels_follow_the_site_language(tmp_path):
    write(tmp_path / "src", "ms.xml", tei("<p>Text.</p>", source=FULL_MS, xml_id="ms-doc"))
    write(tmp_path, "edition.toml", '[edition]\ntitle = "T"\nsources = ["src/*.xml"]\nlanguage = "de"\n')
    [r] = build(load_config(tmp_path / "edition.toml"), ["html"], out=tmp_path / "html", search_index=False,
                report=lambda *a, **k: None)
    assert r.ok, r.summary()
    _, section = ms_section(tmp_path)
    assert norm_text(section.xpath("h2")[0]) == "Handschriftenbeschreibungen"
    labels = {norm_text(dt) for dt in section.xpath(".//dt")}
    assert {"Einband", "Provenienz", "Fundort", "Blatt"} <= labels
    assert "Pergament" in norm_text(section)


EPIDOC = """<msDesc><msIdentifier><idno>caes9999</idno></msIdentifier>
  <msContents><textLang mainLang="grc"/><msItem><p>Marble plaque from the harbour.</p></msItem></msContents>
  <physDesc><objectDesc><supportDesc><support><objectType>plaque</objectType><material>marble</material>
    <dimensions type="surface" unit="cm"><height>20</height><width>23</width></dimensions></support></supportDesc>
    <layoutDesc><layout columns="1" writtenLines="4"><p/></layout></layoutDesc></objectDesc>
    <handDesc><handNote><dimensions type="letter" extent="height" unit="cm" atLeast="4" atMost="5"/></handNote></handDesc>
  </physDesc>
  <history><origin><date notBefore="0030" notAfter="0070"/><placeName>Caesarea</placeName></origin>
    <provenance type="found"><placeName>Harbour</placeName></provenance></history></msDesc>"""


def test_epidoc_object_description(tmp_path):
    """An EpiDoc object description: attribute-only facts (letter heights, bounds of a date) and
    element-only phrases (objectType, material) each readable, words never run together."""
    doc = write(tmp_path / "src", "insc.xml", tei("<div type='edition'><ab>ΚΟΤ</ab></div>", source=EPIDOC,
                                                  xml_id="insc"))
    build_adhoc("html", [doc], tmp_path / "html")
    build_adhoc("pdf", [doc], tmp_path / "pdf")
    _, section = ms_section(tmp_path, "insc")
    text = norm_text(section)
    for phrase in ("Ancient Greek", "Marble plaque from the harbour", "plaque; marble; 20 × 23 cm",
                   "height 4–5 cm", "1 columns, 4 written lines", "30–70", "Caesarea", "Findspot Harbour"):
        assert phrase in text, phrase
    assert "0030" not in text
    if shutil.which("pdftotext"):
        pdf = words(pdf_text(tmp_path / "pdf" / "insc.pdf"))
        for phrase in ("Ancient Greek", "plaque marble 20 23 cm", "height 4 5 cm", "30 70", "Findspot Harbour"):
            assert words(phrase) in pdf, phrase
        assert "0030" not in pdf


def test_header_without_description_gets_no_section(tmp_path):
    """A msDesc that only identifies the source is the "Archival source" row, not a section."""
    doc = write(tmp_path / "src", "a.xml", tei("<p>x</p>", source="<msDesc><msIdentifier><repository>R</repository>"
                                                "<idno>1</idno></msIdentifier></msDesc>", xml_id="a"))
    build_adhoc("html", [doc], tmp_path / "html")
    page = html_page(tmp_path / "html" / "doc" / "a.html")
    assert not page.xpath("//section[@id='ms-description']")


# -- item 5 on real catalogue records --------------------------------------------------------------

def tokens(s: str) -> Counter:
    return Counter(t.casefold() for t in re.findall(r"[^\W_]+", s))


def share(source: Counter, shown: Counter) -> float:
    return sum((source & shown).values()) / max(1, sum(source.values()))


def test_bodleian_records_keep_their_descriptions(tmp_path):
    src = shared_path("corpora", "world", "bodleian-manuscripts", "collections")
    folder = tmp_path / "bod"
    shutil.copytree(src, folder)
    files = sorted(folder.rglob("*.xml"))
    build_adhoc("html", files, tmp_path / "html")
    build_adhoc("pdf", files, tmp_path / "pdf")
    for f in files:
        root = etree.parse(str(f)).getroot()
        doc_id = root.get("{http://www.w3.org/XML/1998/namespace}id")
        ms = root.find(f".//{{{TEI_NS}}}sourceDesc/{{{TEI_NS}}}msDesc")
        source = tokens(" ".join(ms.itertext()))
        page = html_page(tmp_path / "html" / "doc" / f"{doc_id}.html")
        [section] = page.xpath("//section[@id='ms-description']")
        assert share(source, tokens(section.text_content())) >= 0.95, f.name
        if shutil.which("pdftotext"):
            assert share(source, tokens(pdf_text(tmp_path / "pdf" / f"{doc_id}.pdf"))) >= 0.95, f.name


# -- item 13: dates given only by their bounds ----------------------------------------------------

DATED_HEADER = ('<profileDesc><creation><date notBefore="0030" notAfter="0070"/></creation></profileDesc>')
DATED_BODY = ('<p>Written <date notBefore="1937-04" notAfter="1940"/>, sealed <date notAfter="-0044"/>, '
              'read <date notBefore="1937"/>, kept <date from="1930" to="1935"/>, '
              'sent <date when="0030-05-02"/>.</p>')


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dates")
    doc = write(tmp / "src", "dated.xml", tei(DATED_BODY, header_extra=DATED_HEADER, xml_id="dated"))
    build_adhoc("html", [doc], tmp / "html")
    build_adhoc("pdf", [doc], tmp / "pdf")
    return tmp


DATE_LABELS = ["April 1937 – 1940", "before 44 BC", "after 1937", "1930–1935", "2 May 30"]


def test_html_dates_print_their_range(dated):
    page = html_page(dated / "html" / "doc" / "dated.html")
    assert norm_text(page.xpath("//p[@class='doc-date']")[0]) == "30–70"
    body = norm_text(page.xpath("//div[@class='text']")[0])
    for label in DATE_LABELS:
        assert label in body, label
    assert "0030" not in norm_text(page.xpath("//main")[0])
    listing = html_page(dated / "html" / "documents.html")
    assert "0030" not in norm_text(listing) and "30–70" in norm_text(listing)


def test_pdf_dates_print_their_range(dated):
    has_pdftotext()
    text = pdf_text(dated / "pdf" / "dated.pdf")
    flat = " ".join(text.split())
    for label in ["30–70", *DATE_LABELS]:
        assert label in flat, label
    assert "0030" not in flat


# -- item 12: back-matter registers as the document's authority data ------------------------------

def letter(xml_id: str, note: str, extra_body: str = "") -> str:
    back = f"""<back>
  <listPerson><person xml:id="pmb1"><persName>Kreon of Thebes</persName><note>{note}</note></person>
    <person xml:id="pmb9"><persName>Haimon</persName></person></listPerson>
  <listPlace><place xml:id="pl1"><placeName>Thebes</placeName><location><geo>38.32 23.32</geo></location></place></listPlace>
  <listBibl><bibl xml:id="w1"><title type="main">Antigone</title><author>Sophocles</author></bibl></listBibl>
</back>"""
    body = (f'<p>Greetings to <persName ref="#pmb1">Kreon</persName> in <placeName ref="#pl1">Thebes</placeName>, '
            f'who read <rs type="work" ref="#w1">the play</rs>.{extra_body}</p>')
    return tei(body, xml_id=xml_id, title=f"Letter {xml_id}", back=back)


def build_letters(tmp: Path, authority=()):
    a = write(tmp / "src", "a.xml", letter("la", "King."))
    b = write(tmp / "src", "b.xml", letter("lb", "Regent."))
    build_adhoc("html", [a, b], tmp / "html", authority=authority)
    build_adhoc("pdf", [a, b], tmp / "pdf", authority=authority)
    return a, b


def test_back_registers_are_authority_data(tmp_path):
    build_letters(tmp_path)
    html = tmp_path / "html"
    # one entity page for the id both letters give, listing both; the first letter's entry
    ent = html_page(html / "entity" / "pmb1.html")
    text = norm_text(ent.xpath("//main")[0])
    assert "Kreon of Thebes" in text and "Letter la" in text and "Letter lb" in text
    assert "King." in text and "Regent." not in text
    # an entry the text never names still gets its page (a small edition: every entity has one)
    assert (html / "entity" / "pmb9.html").is_file() and (html / "entity" / "pl1.html").is_file()
    page = html_page(html / "doc" / "la.html")
    [name] = page.xpath("//div[@class='text']//a[contains(@class, 'entity')][. = 'Kreon']")
    assert name.get("href") == "../entity/pmb1.html"
    assert page.xpath(f"//*[@id='{name.get('aria-describedby')}']//*[contains(., 'Kreon of Thebes')]")
    # a work has no entity page: its name links to the register entry on the page
    [work] = page.xpath("//a[. = 'the play']")
    assert work.get("href") == "#w1" and page.xpath("//*[@id='w1'][. = 'Antigone']")
    # the back matter: one line per register, not the entries' raw text with their notes
    [back] = page.xpath("//section[contains(@class, 'back-section')]")
    assert [norm_text(p) for p in back.xpath(".//p[contains(@class, 'register')]")] == [
        "Persons named: Kreon of Thebes, Haimon", "Places named: Thebes", "Works named: Antigone"]
    assert "King." not in norm_text(back) and not back.xpath(".//sup") and "38.32" not in norm_text(back)
    assert not page.xpath("//section[contains(@class, 'notes')]//*[contains(., 'King.')]")


def test_back_registers_in_the_pdf(tmp_path):
    has_pdftotext()
    build_letters(tmp_path)
    text = " ".join(pdf_text(tmp_path / "pdf" / "la.pdf").split())
    assert "Persons named: Kreon of Thebes, Haimon" in text and "Works named: Antigone" in text
    assert "King." not in text and "38.32" not in text
    # the name is in the volume's index of persons under the entry's name
    volume = " ".join(pdf_text(tmp_path / "pdf" / "edition.pdf").split())
    assert re.search(r"Kreon of Thebes\W+\d", volume), volume[-600:]


def test_authority_file_wins_over_a_register(tmp_path):
    persons = write(tmp_path / "auth", "persons.xml", PERSONS.replace(
        '<person xml:id="morus">', '<person xml:id="pmb1"><persName type="preferred">Creon, King</persName></person>'
        '<person xml:id="morus">'))
    build_letters(tmp_path, authority=[persons])
    ent = html_page(tmp_path / "html" / "entity" / "pmb1.html")
    text = norm_text(ent.xpath("//main")[0])
    assert "Creon, King" in text and "Kreon of Thebes" not in text and "Letter la" in text
    page = html_page(tmp_path / "html" / "doc" / "la.html")
    assert page.xpath("//p[contains(@class, 'register')]/a[@href='../entity/pmb1.html'][. = 'Creon, King']")


def test_registers_survive_an_incremental_build(tmp_path):
    """Unchanged letters are id-only stand-ins in a rebuild: their registers are still read."""
    a, b = build_letters(tmp_path)
    html = tmp_path / "html"
    b.write_text(b.read_text(encoding="utf-8").replace("Greetings", "Regards"), encoding="utf-8")
    build_adhoc("html", [a, b], html)
    text = norm_text(html_page(html / "entity" / "pmb1.html").xpath("//main")[0])
    assert "Kreon of Thebes" in text and "King." in text and "Regards to Kreon" in text and "Letter la" in text
    assert (html / "entity" / "pmb9.html").is_file()
    page = html_page(html / "doc" / "la.html")
    assert page.xpath("//div[@class='text']//a[@href='../entity/pmb1.html']")
