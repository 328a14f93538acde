"""Direct unit tests of the stylesheets' shared functions (xslt/lib/tei.xsl, common.xsl), called
through the harness of tests/xslt_support.py — no site build needed. The rules that Python shares
are also in tests/test_rules_parity.py; here are the cases only XSLT has."""
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
