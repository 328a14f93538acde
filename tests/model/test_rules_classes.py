"""The element classes in one data file (issue #11, item 1): xslt/lib/tei-classes.xml, read by
Python (toolkit/tei/classes.py) and by the stylesheets (xslt/lib/classes.xsl, at compile time);
the lists that had drifted apart now have one value each."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from lxml import html as lhtml

from conftest import REPO
from toolkit.config import load_config
from toolkit.outputs.runner import build
from toolkit.tei.classes import CLASSES
from xslt_support import xpath

TEI_NS = "http://www.tei-c.org/ns/1.0"
CLASS_NAMES = CLASSES.names()


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_python_and_xslt_read_the_same_class(name):
    assert xpath(f"string-join(${'c:' + name}, ' ')") == " ".join(CLASSES.ordered(name))


@pytest.mark.parametrize("name", ["entity-kinds", "iso639-3to1", "language-names", "char-classes"])
def test_python_and_xslt_read_the_same_map(name):
    got = xpath(f"string-join(for $k in sort(map:keys($c:{name})) return $k || '=' || $c:{name}($k), ' ')")
    assert got == " ".join(f"{k}={v}" for k, v in sorted(CLASSES.map(name).items()))


def test_the_stylesheets_read_the_data_file_when_they_compile():
    """A transform may read no file (Saxon's file access is off once the toolkit's stylesheets are
    compiled): the classes are constants made at compile time — also for a stylesheet compiled
    after the door closed, whose modules Saxon gets as data: URIs."""
    script = textwrap.dedent(f"""
        import sys, tempfile
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from toolkit import saxon
        saxon.compile_stylesheet(saxon.XSLT_DIR / "html" / "document.xsl")  # closes file access
        assert saxon._closed
        d = Path(tempfile.mkdtemp())
        (d / "t.xsl").write_text('''<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
          xmlns:c="urn:x-tei-edition:classes"><xsl:import href="{(REPO / 'xslt' / 'lib' / 'classes.xsl').as_uri()}"/>
          <xsl:output method="text"/><xsl:template match="/"><xsl:value-of select="count($c:not-rendered)"/></xsl:template>
          </xsl:stylesheet>''')
        print(saxon.transform(saxon.compile_stylesheet(d / "t.xsl"), "<x/>"))
        """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(len(CLASSES.not_rendered))


# -- the lists that had drifted ------------------------------------------------------------------
PERSONS = f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<text><body><listPerson>
  <person xml:id="stalin"><persName>I. V. Stalin</persName></person>
  <person xml:id="beria"><persName>L. Beria</persName></person>
</listPerson></body></text></TEI>"""

DOC = f"""<TEI xmlns="{TEI_NS}" xml:id="d"><teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<text><front><titlePage><docTitle><titlePart>A <sic xml:id="s1">letter by
  <persName ref="persons.xml#stalin">Stalin</persName></sic></titlePart></docTitle></titlePage></front>
<body><p>x <span xml:id="sp"><persName ref="persons.xml#beria">Beria</persName></span> y</p>
<p>Beria<interp xml:id="i1">a <persName ref="persons.xml#stalin">Stalin</persName> reading</interp> z</p></body></text></TEI>"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drift")
    (folder / "persons.xml").write_text(PERSONS, encoding="utf-8")
    (folder / "d.xml").write_text(DOC, encoding="utf-8")
    out = folder / "out"
    results = build(load_config(REPO / "edition.toml"), ["html", "pdf"], paths=[folder / "d.xml"], out=out,
                    authority=[folder / "persons.xml"], search_index=False, report=lambda d: None)
    assert all(r.ok for r in results), [r.summary() for r in results]
    return out


def test_no_passage_link_to_an_id_the_page_does_not_write(built):
    """A name inside <sic xml:id> (whose template writes no id: class no-anchor, which had 37
    names in the stylesheet and 31 in Python) is linked to its passage, not to #s1."""
    site = built / "html"
    page = lhtml.parse(str(site / "entity" / "stalin.html")).getroot()
    links = [a.get("href") for a in page.xpath("//a[@class='passage-link']")]
    assert links and not any(h.endswith("#s1") for h in links)
    ids = set(lhtml.parse(str(site / "doc" / "d.html")).getroot().xpath("//@id"))
    assert all(h.partition("#")[2] in ids for h in links), links


def test_names_in_parts_that_are_not_rendered_are_no_mentions(built):
    """<span>, <interp> (class not-rendered: 18 names in one stylesheet, 13 in the other and
    in Python) are not shown: their names are no mentions, their text in no snippet, and the PDF
    does not print them either."""
    site = built / "html"
    doc = lhtml.parse(str(site / "doc" / "d.html")).getroot()
    text = " ".join(doc.xpath("string(//div[@class='text'])").split())
    assert "Beria" in text and "reading" not in text  # the span's and the interp's content are not shown
    beria = lhtml.parse(str(site / "entity" / "beria.html")).getroot()
    assert beria.xpath("//a[@class='passage-link']") == []
    assert "Not mentioned in the documents" in beria.text_content()
    stalin = lhtml.parse(str(site / "entity" / "stalin.html")).getroot()
    snippets = " ".join(q.text_content() for q in stalin.xpath("//q[@class='snippet']"))
    assert "reading" not in snippets
    from pypdf import PdfReader
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(built / "pdf" / "d.pdf")).pages)
    assert "x y" in pdf and "Beria z" in pdf and "reading" not in pdf
