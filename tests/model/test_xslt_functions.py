"""Direct unit tests of the stylesheets' shared functions (xslt/lib/tei.xsl, common.xsl), called
through the harness of tests/xslt_support.py — no site build needed. The rules that Python shares
are also in tests/model/test_rules_parity.py; here are the cases only XSLT has."""
from __future__ import annotations

from xslt_support import xpath, xpath_each

TEI_NS = "http://www.tei-c.org/ns/1.0"


def edition(titles: str) -> str:
    return (f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt>{titles}</titleStmt></fileDesc>'
            "</teiHeader></TEI>")


def test_edition_title_by_the_document_title_rule():
    got = xpath_each("f:edition-title(root(.), ())", [
        edition("<title>My <orig>Edition</orig></title>"),
        edition("<title type='sub'>Sub</title><title type='main'>Main</title>"),
        edition("<title><note>only a note</note></title>"),
    ])
    assert got == ["My Edition", "Main", "TEI edition"]


def test_edition_title_falls_back_to_the_configured_one():
    assert xpath("f:edition-title((), root(.))", '<edition title="Config title"/>') == "Config title"
    assert xpath("f:edition-title(root(.), root(.))", '<edition title="Config title"/>') == "Config title"


def test_choice_and_app_readings():
    t = f'xmlns="{TEI_NS}"'
    got = xpath_each("local-name(f:choice-reading(.)) || ':' || string(f:choice-reading(.))", [
        f"<choice {t}><orig>a</orig><reg>b</reg></choice>",
        f"<choice {t}><unclear>a</unclear><unclear>b</unclear></choice>",
        f"<choice {t}><corr>c</corr><sic>s</sic></choice>",
    ])
    assert got == ["reg:b", "unclear:a", "corr:c"]
    got = xpath_each("string(f:app-reading(.))", [
        f"<app {t}><rdg>1</rdg><lem>L</lem></app>",
        f"<app {t}><witDetail>w</witDetail><rdgGrp><rdg>G</rdg></rdgGrp><rdg>2</rdg></app>",
        f"<app {t}><note>n</note></app>",
    ])
    assert got == ["L", "G", ""]


def test_hand_note_labels():
    t = f'xmlns="{TEI_NS}"'
    got = xpath_each("f:hand-note-label(.)", [
        f'<handNote {t} xml:id="hand-archive">Notes.</handNote>',
        f'<handNote {t} xml:id="h1" n=" A ">Siglum.</handNote>',
        f'<handNote {t} xml:id="h2"><persName>Molotov</persName></handNote>',
        f'<handNote {t}>No id, no name.</handNote>',  # still a label (empty), the PDF's list needs one
    ])
    assert got == ["archive", "A", "Molotov", ""]
    assert xpath("string(f:hand-label('', .))", f"<p {t}/>") == ""


def test_reading_text():
    t = f'xmlns="{TEI_NS}"'
    got = xpath_each("f:reading-text(.)", [
        f"<p {t}>A letter about <orig>Hotan</orig></p>",
        f"<p {t}>Sp<lb break='no'/>lit and<lb/>joined<note>not read</note></p>",
        f"<p {t}><choice><sic>Smirnof</sic><corr>Smirnov</corr></choice> <del>x</del>wrote</p>",
    ])
    assert got == ["A letter about Hotan", "Split and joined", "Smirnov wrote"]


def test_title_element():
    header = (f'<teiHeader xmlns="{TEI_NS}"><fileDesc><titleStmt>{{}}</titleStmt></fileDesc></teiHeader>')
    got = xpath_each("f:reading-text(f:title-element(.))", [
        header.format("<title type='iso-date'>1937-06-14</title><title>The letter</title>"),
        header.format("<title type='sub'>Sub</title><title type='main'>Main</title>"),
        header.format("<title><note>only a note</note></title><title>Real</title>"),
    ])
    assert got == ["The letter", "Main", "Real"]


def test_date_labels():
    assert xpath_each("f:date-label(.)", ["1937-06-14", "1945-07", "0030", "-0044", "1937-02-30", "spring"],
                      strings=True) == ["14 June 1937", "July 1945", "30", "44 BC", "1937-02-30", "spring"]
    t = f'xmlns="{TEI_NS}"'
    got = xpath_each("f:date-element-label(.)", [
        f'<date {t} when="1937-06-14">the 14th of June, 1937</date>',
        f'<date {t} notBefore="1930-01-01" notAfter="1931">c. 1930</date>',
        f'<date {t} notBefore="1930">after</date>',
        f'<date {t} from="1930" to="1935"/>',
        f"<date {t}>summer 1937</date>",
    ])
    assert got == ["14 June 1937", "1 January 1930 – 1931", "after 1930", "1930–1935", "summer 1937"]


def test_is_marginal():
    t = f'xmlns="{TEI_NS}"'
    got = xpath_each("string(f:is-marginal(.))", [
        f'<note {t} hand="#h1">a</note>', f'<note {t} place="margin">a</note>',
        f'<note {t} type="gloss">a</note>', f'<note {t} place="inline">a</note>', f"<note {t}>a</note>",
    ])
    assert got == ["true", "true", "true", "false", "false"]


def test_hand_label_of_a_pointer():
    doc = (f'<TEI xmlns="{TEI_NS}"><teiHeader><handNote xml:id="hand-archive"/>'
           '<handNote xml:id="h2" n="B"/></teiHeader><text><p/></text></TEI>')
    got = [xpath(f"string(f:hand-label('{p}', .))", doc) for p in ("#hand-archive", "#h2", "x.xml#h2", "#hand-gone")]
    assert got == ["archive", "B", "B", "gone"]


def test_lang_and_sort_key():
    assert xpath_each("string(f:lang(.))", ["fra", "de-AT", "grc", "und"], strings=True) == ["fr", "de-AT", "grc", ""]
    assert xpath_each("f:sort-key(.)", ["I. V. Stalin", "The Emperor", "Émile"], strings=True) \
        == ["stalin", "emperor", "emile"]
