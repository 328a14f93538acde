"""What Saxon is given to read (issue #10, items 9 and 10): always the tree the safe parser made,
never the file; and whatever that parser accepts — 256 levels of elements, hundreds of
attributes, long names — Saxon accepts too, or the file gets a clear error and the rest go on."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, build_site, html_page, norm_text
from toolkit import saxon
from toolkit.validate import schematron as S
from toolkit.xmlsafe import SourceFile, parse_file

DOC = REPO / "tests" / "fixtures" / "schematron" / "valid" / "doc-1937-06-14.xml"


def rules(tmp_path: Path, body: str) -> Path:
    """A schema Saxon has to run (xsl:function keeps it off the lxml path)."""
    sch = tmp_path / "rules.sch"
    sch.write_text('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3"'
                   ' xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
                   '<xsl:function name="e:id"><xsl:param name="x"/><xsl:sequence select="$x"/></xsl:function>'
                   f'<sch:pattern><sch:rule context="/*">{body}</sch:rule></sch:pattern></sch:schema>')
    return sch


# ------------------------------------------------------------------------ item 9: the tree

def test_saxon_gets_the_parsed_tree_not_the_file(tmp_path):
    """A DOCTYPE after 64 KB of comment once let Saxon read the file itself, and with it the
    DTD, which the safe parser never loads: its default attributes reached the rules."""
    (tmp_path / "x.dtd").write_text('<!ATTLIST root injected CDATA "from-the-dtd">')
    doc = tmp_path / "doc.xml"
    doc.write_text('<?xml version="1.0"?>\n<!--' + "x" * 70000 + '-->\n'
                   '<!DOCTYPE root SYSTEM "x.dtd">\n<root/>\n')
    src = parse_file(doc)
    assert src.ok and "injected" not in etree.tostring(src.root, encoding="unicode")
    sch = rules(tmp_path, '<sch:report test="e:id(true())" id="attributes">'
                          '[<sch:value-of select="@*"/>]</sch:report>')
    assert [d.message for d in S.check(src, sch)] == ["[]"]


def test_saxon_reads_what_was_parsed_even_when_the_file_changes(tmp_path):
    doc = tmp_path / "doc.xml"
    doc.write_text("<root><a/></root>")
    src = parse_file(doc)
    doc.write_text("<root><b/></root>")  # changed after the safe parse (and before Saxon's)
    sch = rules(tmp_path, '<sch:report test="e:id(true())" id="children">'
                          '<sch:value-of select="string-join(*/name(), \',\')"/></sch:report>')
    assert [d.message for d in S.check(src, sch)] == ["a"]


# ------------------------------------------------------------------------ item 10: limits

def nested(depth: int) -> str:
    """`depth` levels of hi."""
    return "<hi>" * depth + "deep text" + "</hi>" * depth


def deep_document(depth_below_p: int) -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.replace("<p>Ask", f"<p>{nested(depth_below_p)} Ask", 1)


def depth_of(tree) -> int:
    return max(len(list(e.iterancestors())) + 1 for e in tree.getroot().iter())


@pytest.fixture
def fixture_edition(tmp_path):
    ed = tmp_path / "ed"
    shutil.copytree(DOC.parent, ed)
    return ed


@pytest.mark.parametrize("levels", [101, 150, 256])
def test_deep_documents_validate(fixture_edition, levels):
    doc = fixture_edition / DOC.name
    doc.write_text(deep_document(1), encoding="utf-8")
    hi = next(e for e in parse_file(doc).root.iter("{*}hi") if e.text == "deep text")
    first = len(list(hi.iterancestors())) + 1  # the level of the first hi
    doc.write_text(deep_document(levels - first + 1), encoding="utf-8")
    parsed = parse_file(doc)
    assert parsed.ok and depth_of(parsed.tree) == levels
    diags = S.check(parsed, REPO / "schema" / "edition.sch")
    assert diags == []


def test_past_the_safe_parsers_limit_is_its_error(fixture_edition):
    doc = fixture_edition / DOC.name
    doc.write_text(deep_document(260), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "toolkit.cli", "validate", "--format", "json",
                          "--schematron", str(REPO / "schema" / "edition.sch"), DOC.name, "persons.xml"],
                         cwd=fixture_edition, capture_output=True, text=True, timeout=600)
    data = json.loads(res.stdout)
    assert res.returncode == 1 and "internal error" not in res.stderr
    assert [(d["path"], d["rule"]) for d in data["diagnostics"]] == [(DOC.name, "xml.well-formed")]
    assert "nested too deeply" in data["diagnostics"][0]["message"]


def test_a_deep_document_does_not_stop_validate_or_build(fixture_edition, tmp_path):
    """Element depth 101 ended `edition validate` with an internal error (Saxon's parser allowed
    100 levels); the HTML build must render the page too."""
    doc = fixture_edition / DOC.name
    doc.write_text(deep_document(120), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "toolkit.cli", "validate", "--format", "json",
                          "--schematron", str(REPO / "schema" / "edition.sch"),
                          *sorted(p.name for p in fixture_edition.glob("*.xml"))],
                         cwd=fixture_edition, capture_output=True, text=True, timeout=600)
    assert "internal error" not in res.stderr and res.returncode in (0, 1), res.stdout + res.stderr
    data = json.loads(res.stdout)
    assert data["files"] == 5 and not [d for d in data["diagnostics"] if d["path"] == DOC.name]
    out = build_site(tmp_path / "site", paths=[doc],
                     authority=[fixture_edition / n for n in ("persons.xml", "places.xml", "orgs.xml")])
    pages = [p for p in out.rglob("*.html") if "deep text" in p.read_text(encoding="utf-8")]
    assert pages, "the deep paragraph is on no page"
    page = html_page(pages[0])
    assert any("deep text" in norm_text(p) for p in page.iter("p"))


@pytest.mark.parametrize("what,markup", [
    ("300 attributes", "<x " + " ".join(f'a{i}="v"' for i in range(300)) + "/>"),
    ("250 namespace declarations", "<x " + " ".join(f'xmlns:p{i}="urn:p{i}"' for i in range(250)) + "/>"),
    ("a 2,000-character name", "<" + "n" * 2000 + "/>"),
])
def test_what_lxml_accepts_saxon_accepts(tmp_path, what, markup):
    doc = tmp_path / "doc.xml"
    doc.write_text(f"<root>{markup}</root>")
    src = parse_file(doc)
    assert src.ok, what
    sch = rules(tmp_path, '<sch:report test="e:id(true())" id="n">'
                          '<sch:value-of select="count(*/@*) + string-length(name(*[1]))"/></sch:report>')
    d, = S.check(src, sch)
    assert d.rule == "n"


def test_a_tree_saxon_cannot_take_is_one_files_clear_error(tmp_path):
    """Should a tree still exceed what Saxon's parser takes, that file gets an error naming the
    reason, and the caller goes on (no exception)."""
    root = etree.Element("root")
    el = root
    for _ in range(saxon.MAX_DEPTH + 10):
        el = etree.SubElement(el, "d")
    src = SourceFile(path=tmp_path / "made.xml", display="made.xml", data=b"<root/>",
                     tree=etree.ElementTree(root))
    sch = rules(tmp_path, '<sch:report test="e:id(true())" id="n">ran</sch:report>')
    d, = S.check(src, sch)
    assert (d.path, d.severity, d.rule) == ("made.xml", "error", "schematron.runtime")
    assert "Saxon cannot read the document" in d.message and "depth" in d.message
    with pytest.raises(saxon.XsltError, match="Saxon cannot read the document"):
        saxon.to_xdm(root)


# ------------------------------------------- issue #18: predefined entities are not a limit

def test_many_escaped_characters_reach_saxon(tmp_path):
    """Saxon's parser counted &amp; &lt; … against a 100,000 limit (JAXP00010003): a document
    (or a block of site pages) with more of them failed. A page with 150,000 is built."""
    body = "R&amp;D &lt;x&gt; " * 50_000
    doc = tmp_path / "amp.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                   '<title>Ampersands</title></titleStmt><publicationStmt><p>p</p></publicationStmt>'
                   '<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>'
                   f'<text><body><p>{body}</p></body></text></TEI>', encoding="utf-8")
    node = saxon.to_xdm(parse_file(doc).tree)
    assert str(node).count("R&amp;D") == 50_000
    out = build_site(tmp_path / "site", paths=[doc], search=False)
    page = next(p for p in out.rglob("*.html") if "Ampersands" in p.read_text(encoding="utf-8")
                and "R&amp;D" in p.read_text(encoding="utf-8"))
    text = " ".join(norm_text(p) for p in html_page(page).iter("p"))
    assert text.count("R&D <x>") == 50_000


def test_entity_expansion_is_still_bounded():
    """Lifting the size limits leaves the expansion limit: a billion laughs given as text is
    refused (Saxon only ever gets lxml's DOCTYPE-free output; this is the second guard)."""
    lol = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "a" * 50 + '">'
           + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
           + "]><r>&j;</r>")
    with pytest.raises(saxon.XsltError, match="entity expansions"):
        saxon.to_xdm(lol)
