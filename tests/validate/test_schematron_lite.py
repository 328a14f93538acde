"""Schematron on lxml's tree (schematron_lite): the same diagnostics as the Saxon path, or no plan.

Every comparison runs both engines on the same parsed file: `plan(schema).check(src)` against
compile.xsl's XSLT run by Saxon (run_svrl + svrl_diagnostics)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.validate import schematron, schematron_lite as sl
from toolkit.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ELTEC = SHARED / "corpora" / "eltec"


def by_saxon(src, schema: Path):
    return schematron.svrl_diagnostics(schematron.run_svrl(src, schematron.compile_schematron(schema)), src)


def by_lxml(src, schema: Path):
    plan = sl.plan(schema)
    assert plan is not None, f"{schema.name}: no lxml plan"
    return plan.check(src)


# ---- which queries are taken, and how they are rewritten -----------------------------------

@pytest.mark.parametrize("expr,expected", [
    ("@notBefore|@notAfter|@from|@to", "@ notBefore | @ notAfter | @ from | @ to"),
    ("child::tei:measure[@unit eq 'words']", "child :: tei:measure [ @ unit = 'words' ]"),
    ("child::*:canonicity", "child :: *[local-name()='canonicity']"),
    ("ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]",
     "ancestor :: tei:l [ not ( . // tei:note // tei:l [ . = $schx-current ] ) ]"),
    ("child::* or child::text()[normalize-space()]", "child :: * or child :: text ( ) [ normalize-space ( ) ]"),
    ("normalize-space(.) != ''", "normalize-space ( . ) != ''"),
    ("count(tei:p) = count(tei:head)", "count ( tei:p ) = count ( tei:head )"),
    # refused: 3.1 answers otherwise, or fails where 1.0 answers
    ("tei:p > 1", None),                   # ordering comparisons: 3.1 casts the node's text
    ("@n = 1", None),                      # 3.1 casts @n and fails on "abc"
    ("normalize-space(tei:p)", None),      # 3.1 fails on two <p>
    ("tei:a eq 'x'", None),                # eq on a path of several nodes
    ("matches(@when, '^\\d{4}$')", None),  # not in 1.0
    ("(tei:a, tei:b)", None),              # a sequence
    ("tei:p[1] div 2", None),              # arithmetic: decimal vs double
    ("if (@a) then 1 else 2", None),
    ("$edition-context//tei:person", None),
    ("unknown:p", None),                   # an undeclared prefix
    ("tei:a * 2", None),
])
def test_translate(expr, expected):
    if expected is None:
        with pytest.raises(sl._Reject):
            sl.translate(expr, {"tei"}, set())
    else:
        assert sl.translate(expr, {"tei"}, set()) == expected


def test_the_editions_own_rules_stay_with_saxon():
    # XPath 3.1 (regular expressions, dates) and $edition-context: no plan
    assert sl.plan(REPO / "schema" / "edition.sch") is None


# ---- same diagnostics as Saxon ---------------------------------------------------------------

SCHEMA = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>
  <let name="min" value="'a'"/>
  <pattern id="p-order">
    <let name="heads" value="//t:head"/>
    <rule context="t:div[@type]" id="typed-div">
      <let name="kind" value="@type"/>
      <assert test="t:head" role="warning">A <name/> of type <value-of select="$kind"/> has
        no <emph>head</emph> (<value-of select="boolean($heads)"/>).</assert>
    </rule>
    <rule context="t:div">
      <report test="true()" id="untyped">untyped <name/></report>
    </rule>
  </pattern>
  <pattern>
    <rule context="t:*[@rend]">
      <report test="@rend eq 'bold' and ancestor::t:head">bold in <value-of select="../@n | @rend"/></report>
    </rule>
    <rule context="t:p">
      <assert test="normalize-space(.) != '' or t:*">empty paragraph</assert>
      <report test="following-sibling::t:p[. = current()]" role="info">repeated: <value-of select="."/></report>
    </rule>
  </pattern>
  <pattern id="p3">
    <rule context="t:head | t:label">
      <assert test="string-length(normalize-space(.)) and $min = 'a'"/>
      <report test="*:seg">a seg in a <name/></report>
    </rule>
  </pattern>
</schema>
"""

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x"><text><body>
<div type="chapter"><p>One</p><p>One</p>
  <p>  </p>
  <div><head rend="bold" n="7">Head <hi rend="bold">b</hi></head><p><seg>s</seg></p></div>
</div>
<div type="letter" rend="bold"><head/><p>Two <x:seg/></p><label><x:seg>y</x:seg></label></div>
</body></text></TEI>
"""


def test_same_diagnostics_as_saxon_on_a_schema_using_the_whole_subset(tmp_path):
    schema = tmp_path / "rules.sch"
    schema.write_text(SCHEMA, encoding="utf-8")
    doc = tmp_path / "doc.xml"
    doc.write_text(DOC, encoding="utf-8")
    src = parse_file(doc)
    ours, theirs = by_lxml(src, schema), by_saxon(src, schema)
    assert ours == theirs
    rules = {d.rule for d in ours}
    assert {"typed-div", "untyped", "schematron", "p3"} <= rules, rules
    assert len(ours) >= 7
    assert any(d.severity == "warning" for d in ours) and any(d.severity == "error" for d in ours)


def test_rule_matching_an_attribute_goes_to_saxon(tmp_path):
    schema = tmp_path / "attr.sch"
    schema.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron">
      <ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>
      <pattern><rule context="@rend"><assert test=". != 'bold'">no bold</assert></rule></pattern>
    </schema>""", encoding="utf-8")
    doc = tmp_path / "doc.xml"
    doc.write_text(DOC, encoding="utf-8")
    src = parse_file(doc)
    with pytest.raises(sl.Fallback):
        sl.plan(schema).check(src)
    # check() takes the Saxon path then, with its answer
    assert schematron.check(src, schema) == by_saxon(src, schema) != []


def _eltec_with_violations(tmp_path: Path) -> Path:
    novel = ELTEC / "ELTeC-eng" / "level1" / "ENG18400_Trollope.xml"
    if not novel.exists():
        pytest.skip(f"{novel} is absent (the ELTeC corpus comes from ../shared)")
    text = novel.read_text(encoding="utf-8")
    text = text.replace('<change when="2019-11-09">', '<change when="2019-11-09" notBefore="2019-01-01">', 1)
    text = text.replace("<measure unit=\"words\"", "<measure unit=\"pages\"", 1)
    text = re.sub(r'(<div type="chapter"[^>]*>)', r'\1<div type="chapter"><p>inner</p></div>', text, count=2)
    text = text.replace("<p>", '<p><date>1840</date><note>n</note><title/><term> </term>', 3)
    text = text.replace("</textDesc>", "<canonicity xmlns='urn:x'/></textDesc>", 1)
    out = tmp_path / "ENG18400_Trollope.xml"
    out.write_text(text, encoding="utf-8")
    return out


def test_same_diagnostics_as_saxon_on_eltec_rules(tmp_path):
    doc = _eltec_with_violations(tmp_path)
    schema = ELTEC / "Schemas" / "eltec-1.rng"
    src = parse_file(doc)
    ours, theirs = by_lxml(src, schema), by_saxon(src, schema)
    assert ours == theirs
    rules = {d.rule.rsplit("-constraint-", 1)[0] for d in ours}
    assert len(rules) >= 6, rules  # the violations above reach most of ELTeC's rules


def test_every_eltec_novel_alike():
    schema = ELTEC / "Schemas" / "eltec-1.rng"
    if not schema.exists():
        pytest.skip(f"{schema} is absent (the ELTeC corpus comes from ../shared)")
    for novel in sorted((ELTEC / "ELTeC-eng" / "level1").glob("*.xml"))[::9]:
        src = parse_file(novel)
        assert by_lxml(src, schema) == by_saxon(src, schema), novel.name

