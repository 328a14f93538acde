"""An edition's own conventions are configuration (issue #11, item 6): the optional fields of
"Document information" ([document_info]) and the marker of a text that is not transcribed
([text] not_transcribed). Generic defaults: no special field, every document transcribed."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import run_cli
from toolkit.config import load_config
from toolkit.outputs.runner import build

TEI_NS = "http://www.tei-c.org/ns/1.0"


def doc(did: str, body: str, header: str = "") -> str:
    return (f'<TEI xmlns="{TEI_NS}" xml:id="{did}"><teiHeader><fileDesc><titleStmt><title>Doc {did}</title>'
            f"</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>{header}"
            f"</teiHeader><text><body>{body}</body></text></TEI>")


DOCS = {
    "a": doc("a", '<gap reason="not-transcribed"/><p>Not available.</p>'),
    "b": doc("b", '<div><gap reason="not-transcribed"/></div><p>Partly transcribed.</p>',
             '<profileDesc><textClass><classCode scheme="x">secret</classCode></textClass></profileDesc>'),
    "c": doc("c", '<gap reason="untranscribed"/><p>Another marker.</p>'),
    "d": doc("d", "<p>A full text.</p>"),
}
HEADER_FIELDS = ('<fileDesc><titleStmt><title>Doc e</title><respStmt><resp>Catalogued by</resp>'
                 '<name>Cat</name></respStmt></titleStmt><publicationStmt><p/></publicationStmt>'
                 '<sourceDesc><msDesc><msIdentifier><idno type="shelfmark">MS 1</idno></msIdentifier>'
                 '</msDesc></sourceDesc></fileDesc>')


def edition(folder: Path, toml: str = "") -> Path:
    (folder / "tei").mkdir(parents=True)
    for name, text in DOCS.items():
        (folder / "tei" / f"{name}.xml").write_text(text, encoding="utf-8")
    e = doc("e", "<p>With fields.</p>").replace(
        '<fileDesc><titleStmt><title>Doc e</title></titleStmt><publicationStmt><p/></publicationStmt>'
        '<sourceDesc><p/></sourceDesc></fileDesc>', HEADER_FIELDS)
    (folder / "tei" / "e.xml").write_text(e, encoding="utf-8")
    (folder / "edition.toml").write_text('[edition]\ntitle = "Conventions"\nsources = ["tei/*.xml"]\n' + toml,
                                         encoding="utf-8")
    return folder


def built(folder: Path, formats=("html",)):
    results = build(load_config(folder / "edition.toml"), list(formats), search_index=False,
                    report=lambda d: None)
    assert all(r.ok for r in results), [r.summary() for r in results]
    return folder / "output"


def text(path: Path) -> str:
    return " ".join(lhtml.parse(str(path)).getroot().text_content().split())


def info(path: Path) -> dict[str, str]:
    page = lhtml.parse(str(path)).getroot()
    return {" ".join(r.find("dt").text_content().split()): " ".join(r.find("dd").text_content().split())
            for r in page.xpath("//section[@id='doc-info']//div[contains(@class, 'info-row')]")}


NOTICE = "The text of this document is not transcribed in this edition."


def test_generic_defaults_every_document_is_transcribed(tmp_path):
    out = built(edition(tmp_path / "ed"))
    assert NOTICE not in text(out / "html" / "doc" / "a.html")  # a gap like any other: […]
    assert "[…]" in text(out / "html" / "doc" / "a.html")
    chrono = text(out / "html" / "chronology.html")
    assert "full text" not in chrono  # no badge where every document is transcribed
    # no field of the Digital Archive is special: no "Not given in the source" rows
    assert "Not given in the source" not in text(out / "html" / "doc" / "d.html")


def test_the_configured_marker_decides_in_every_output(tmp_path):
    out = built(edition(tmp_path / "ed", '[text]\nnot_transcribed = ["not-transcribed", "untranscribed"]\n'),
                ("html", "pdf"))
    assert NOTICE in text(out / "html" / "doc" / "a.html")
    assert NOTICE in text(out / "html" / "doc" / "c.html")  # the edition's other marker
    # a marker inside a division does not make the document untranscribed (the model's rule):
    # the page no longer says it is
    assert NOTICE not in text(out / "html" / "doc" / "b.html")
    chrono = lhtml.parse(str(out / "html" / "chronology.html")).getroot()
    badges = {a.text_content().strip(): bool(a.getparent().xpath(".//span[contains(@class, 'badge')]"))
              for a in chrono.xpath("//ol[@class='timeline']/li//a")}
    assert badges == {"Doc a": False, "Doc b": True, "Doc c": False, "Doc d": True, "Doc e": True}
    from pypdf import PdfReader
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out / "pdf" / "c.pdf")).pages)
    assert "NOT TRANSCRIBED" in pdf.upper()


def test_configured_fields_of_document_information(tmp_path):
    toml = ('[document_info.fields]\n"Catalogued by" = "resp:catalog"\n"Shelfmark" = "idno:shelfmark"\n'
            '"Classification" = "classCode"\n')
    out = built(edition(tmp_path / "ed", toml))
    e = info(out / "html" / "doc" / "e.html")
    assert e["Catalogued by"] == "Cat" and e["Shelfmark"] == "MS 1"
    assert e["Classification"] == "Not given in the source"
    d = info(out / "html" / "doc" / "d.html")
    assert d["Shelfmark"] == "Not given in the source" and d["Catalogued by"] == "Not given in the source"
    assert info(out / "html" / "doc" / "b.html")["Classification"] == "secret"


@pytest.mark.parametrize("toml,key", [
    ('[document_info]\nfields = "Record ID"\n', "fields"),
    ('[document_info.fields]\n"Record ID" = 3\n', "fields"),
    ('[text]\nnot_transcribed = 3\n', "not_transcribed"),
    ('[text]\nnot_transcibed = "x"\n', "not_transcibed"),
])
def test_a_bad_convention_is_a_configuration_error(tmp_path, toml, key):
    ed = edition(tmp_path / "ed", toml)
    r = run_cli("build", "html", "--no-search", cwd=ed)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "edition.toml:" in r.stderr and key in r.stderr, r.stderr
