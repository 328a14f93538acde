"""Document facts the model derives (toolkit/model.py): the title among several <title>s, the date
from the places projects put it (in a documented order), and the reading text (text_of)."""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from conftest import shared_path
from toolkit.config import Config
from toolkit.model import Edition, document_date, text_of, title_element
from toolkit.xmlsafe import TEI_NS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "model_facts"
T = "{%s}" % TEI_NS
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def load(*paths: Path, authority=()) -> Edition:
    cfg = Config(root=FIXTURES, title="Test", sources=[str(p) for p in paths],
                 authority=[str(a) for a in authority])
    return Edition.load(cfg)


def docs_by_id(ed: Edition) -> dict:
    return {d.id: d for d in ed.documents}


def tei(xml: str) -> etree._Element:
    return etree.fromstring(f'<TEI xmlns="{TEI_NS}">{xml}</TEI>')


def titles(*xml: str) -> list:
    root = tei("<teiHeader><fileDesc><titleStmt>" + "".join(xml) + "</titleStmt></fileDesc></teiHeader>")
    return root.findall(f".//{T}title")


# -- titles -------------------------------------------------------------------------------------
def test_title_is_the_letters_own_title_not_its_bare_date():
    d = docs_by_id(load(FIXTURES / "letter.xml", FIXTURES / "frus.xml", FIXTURES / "dateline.xml"))
    assert d["letter-1"].title == "Anna to Ben, 20 July 1894"  # not "1894-07-20", not the series
    assert d["frus-1"].title == "Memorandum From Anna Adler to Ben Berg, March 1957"
    # a bare date is still the title when the document has no other
    assert d["dateline-1"].title == "1901-05-02"


def test_title_rule_main_then_analytic_then_first_real_title():
    pick = lambda *xml: text_of(title_element(titles(*xml)))  # noqa: E731
    assert pick('<title level="a">Analytic</title>', '<title type="main">Main</title>') == "Main"
    assert pick('<title>Plain</title>', '<title level="a">Analytic</title>') == "Analytic"
    assert pick('<title level="s">Series</title>', '<title type="sub">Sub</title>',
                '<title>Plain</title>') == "Plain"
    # titles that are only a date, by type or by text, are passed over
    assert pick('<title type="iso-date">1894-07-20</title>', '<title>Letter</title>') == "Letter"
    assert pick('<title type="date">20 July</title>', '<title level="m">Book</title>') == "Book"
    assert pick('<title>1894-07-20</title>', '<title type="alt">Other</title>') == "Other"
    assert pick('<title type="main">1894-07-20</title>', '<title>Letter</title>') == "Letter"
    assert pick('<title/>', '<title>Letter</title>') == "Letter"
    assert title_element([]) is None


# -- dates --------------------------------------------------------------------------------------
def test_date_lookup_order():
    ed = load(FIXTURES / "letter.xml", FIXTURES / "frus.xml", FIXTURES / "dateline.xml",
              FIXTURES / "broken.xml")
    d = docs_by_id(ed)
    # correspDesc: the sent action's date, though the received one comes first and the
    # sourceDesc has a postmark date
    assert (d["letter-1"].when, d["letter-1"].date_written) == ("1894-07-20", "20. 7. 1894")
    assert d["letter-1"].date_label == "20 July 1894"  # the display label (date_label)
    # FRUS: publicationStmt/date[@type='created'], not the date it was posted
    assert (d["frus-1"].when, d["frus-1"].date_written) == ("1957-03-21", "March 21, 1957")
    assert d["frus-1"].date_label == "21 March 1957"
    # the text's dateline, before the source's date of publication
    assert (d["dateline-1"].when, d["dateline-1"].date_written) == ("1901-05-02", "2 May 1901")
    # the creation date first of all
    assert d["broken"].when == "1930-01-01"
    # the listing and the chronology take the model's order: by date
    assert [x.id for x in ed.documents] == ["letter-1", "dateline-1", "broken", "frus-1"]


def test_date_places_in_order():
    def when(header="", text=""):
        return document_date(tei(f"<teiHeader>{header}</teiHeader><text>{text}</text>"))[0]
    creation = '<profileDesc><creation><date when="1900-01-01"/></creation></profileDesc>'
    sent = ('<profileDesc><correspDesc><correspAction type="received"><date when="1900-02-03"/>'
            '</correspAction><correspAction type="sent"><date when="1900-02-02"/></correspAction>'
            '</correspDesc></profileDesc>')
    received = ('<profileDesc><correspDesc><correspAction type="received"><date when="1900-02-03"/>'
                '</correspAction></correspDesc></profileDesc>')
    published = ('<fileDesc><publicationStmt><date when="2020-01-01"/><date type="origin" '
                 'when="1900-03-03"/></publicationStmt>{}</fileDesc>')
    source = '<sourceDesc><bibl><date when="1950"/></bibl></sourceDesc>'
    dateline = '<body><dateline><date when="1900-04-04">4 April</date></dateline></body>'
    assert when(creation + sent) == "1900-01-01"
    assert when(sent, dateline) == "1900-02-02"
    assert when(published.format(source), dateline) == "1900-03-03"
    assert when(published.replace(' type="origin"', "").format(source), dateline) == "1900-04-04"
    assert when(received, dateline) == "1900-04-04"  # a dateline before a date of receipt
    assert when(received) == "1900-02-03"
    assert when(published.replace(' type="origin"', "").format(source)) == "1950"
    assert when(published.replace(' type="origin"', "").format("")) == ""  # the edition's date: no
    assert document_date(tei('<teiHeader><profileDesc><creation><date when-iso="1899-12-31">'
                             'Silvester</date></creation></profileDesc></teiHeader>')) \
        == ("1899-12-31", "Silvester")


def test_frus_documents_are_dated():
    frus = shared_path("corpora", "frus-history")
    ed = load(*sorted(frus.glob("*.xml")))
    assert len(ed.documents) == 63
    undated = [d.id for d in ed.documents if not d.when]
    assert not undated
    for d in ed.documents:
        root = etree.parse(str(d.file)).getroot()
        created = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date[@type='created']")
        assert (d.when, d.date_written) == (created.get("when"), " ".join(created.text.split()))


def test_letters_titled_and_dated_by_the_letter():
    letters = shared_path("corpora", "letters")
    ed = load(*sorted((letters / "editions").glob("*.xml")))
    assert len(ed.documents) == 30
    for d in ed.documents:
        assert not ISO.fullmatch(d.title), d.title
        assert " an " in d.title, d.title  # "Hermann Bahr an Arthur Schnitzler, 20. 7. 1894"
        root = etree.parse(str(d.file)).getroot()
        sent = root.find(f".//{T}correspAction[@type='sent']/{T}date")
        assert d.when == sent.get("when"), d.id


# -- reading text -------------------------------------------------------------------------------
def test_text_of_separates_words_at_empty_elements():
    p = tei("<text><body><p>Hier<space/>sind wir, und<lb/>morgen fahren wir wei<lb break='no'/>ter"
            "<pb/>nach<cb/>Graz<milestone unit='x'/>und Linz.</p></body></text>").find(f".//{T}p")
    assert text_of(p) == "Hier sind wir, und morgen fahren wir weiter nach Graz und Linz."


def test_text_of_a_note_is_its_own_text():
    p = tei("<text><body><p>Text<note>A note with <note>a nested note</note> inside.</note> goes on."
            "</p></body></text>").find(f".//{T}p")
    assert text_of(p) == "Text goes on."
    assert text_of(p.find(f"{T}note")) == "A note with inside."


def test_text_of_blocks_and_fields():
    closer = tei("<text><body><closer><address><addrLine>Herrn Dr</addrLine><addrLine>Wien</addrLine>"
                 "</address><salute>Dein</salute><signed>Paul</signed></closer></body></text>")
    assert text_of(closer.find(f".//{T}closer")) == "Herrn Dr Wien Dein Paul"
    action = tei('<teiHeader><profileDesc><correspDesc><correspAction type="sent"><persName>Bahr'
                 '</persName><settlement>Ischl</settlement><date>20. 7.</date></correspAction>'
                 '</correspDesc></profileDesc></teiHeader>').find(f".//{T}correspAction")
    assert text_of(action, fields=True) == "Bahr Ischl 20. 7."
    # mixed content is never split: <choice> inside a word stays one word
    word = tei("<text><body><p>Ha<choice><orig>ſ</orig><reg>s</reg></choice>e</p></body></text>")
    assert text_of(word.find(f".//{T}p"), fields=True) == "Hase"
    assert text_of(word.find(f".//{T}choice"), fields=True) == "s"
