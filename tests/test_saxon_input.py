"""What Saxon is given to read (issue #10, item 9): always the tree the safe parser made, never
the file."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from toolkit.validate import schematron as S
from toolkit.xmlsafe import parse_file


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
