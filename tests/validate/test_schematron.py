"""Schematron: the compiler (xslt/schematron/compile.xsl), the edition's rules (schema/edition.sch)
and the Python API (toolkit/validate/schematron.py), all checked on real output."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

from toolkit.diagnostics import sort_diagnostics
from toolkit.validate import schematron as S
from toolkit.xmlsafe import parse_bytes, parse_file

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
FIX = REPO / "tests" / "fixtures" / "schematron"
SCH = REPO / "schema" / "edition.sch"
TEI = REPO / "tei"
DOC = "doc-1937-06-14.xml"


# ================================================================= helpers

def model_context(folder: Path):
    """The edition context as toolkit.model builds it, or None when the model is unavailable."""
    try:
        from toolkit import context
        from toolkit.config import Config
        from toolkit.model import Edition
    except ImportError:
        return None
    edition_file = "edition.xml" if (folder / "edition.xml").exists() else None
    cfg = Config(root=folder, sources=["*.xml"], edition_file=edition_file)
    return context.full(Edition.load(cfg))


def context_for(folder: Path, kind: str):
    if kind == "folder":
        return S.folder_context(folder)
    if kind == "model":
        ctx = model_context(folder)
        if ctx is None:
            pytest.skip("toolkit.model is not available")
        return ctx
    raise ValueError(kind)


def check_folder(folder: Path, kind: str = "folder") -> list:
    """Every file of a fixture edition against edition.sch. (Without a context the rules would
    build one with doc(), as in an XML editor; Saxon as the toolkit runs it reads no file:
    tests/safety/test_saxon_confinement.py.)"""
    diags = []
    ctx = context_for(folder, kind)
    for p in sorted(folder.glob("*.xml")):
        diags += S.check(parse_file(p, display=p.name), SCH, context_node=ctx)
    return sort_diagnostics(diags)


def run_schema(tmp_path: Path, schema: str, doc: str, phase: str | None = None) -> list:
    sch = tmp_path / "test.sch"
    sch.write_text(schema, encoding="utf-8")
    d = tmp_path / "doc.xml"
    d.write_text(doc, encoding="utf-8")
    return S.check(parse_file(d, display="doc.xml"), sch, phase=phase)


def sch(body: str, extra_ns: str = "", attrs: str = "") -> str:
    return (f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3" '
            f'xmlns:xsl="http://www.w3.org/1999/XSL/Transform" {extra_ns} {attrs}>\n'
            f'{body}\n</schema>\n')


def brief(diags):
    return [(d.line, d.column, d.severity, d.rule, d.message) for d in diags]


# ================================================================= edition.sch: one fixture per rule

# folder -> [(file, line, column, severity, rule, words in the message, words in the hint)]
EXPECTED = {
    "ref.resolves": [(DOC, 29, 14, "error", "ref.resolves",
                      ["persName/@ref 'persons.xml#stalinn' points to nothing",
                       "no xml:id 'stalinn' in persons.xml"], ["did you mean 'persons.xml#stalin'?"])],
    "ref.resolves-file": [(DOC, 29, 14, "error", "ref.resolves",
                           ["persName/@ref 'persns.xml#stalin'", "there is no file persns.xml in the edition"], [])],
    "ref.resolves-bare": [(DOC, 28, 9, "error", "ref.resolves",
                           ["placeName/@ref '#kashgaar' points to nothing",
                            "no xml:id 'kashgaar' in this file or anywhere else in the edition"],
                           ["did you mean '#kashgar' (in places.xml)?"])],
    "ref.kind": [(DOC, 29, 14, "error", "ref.kind",
                  ["persName/@ref 'places.xml#kashgar' points to a place in places.xml",
                   "but persName/@ref must point to a person (an entry of persons.xml)"], [])],
    "ref.kind-hand": [(DOC, 26, 7, "error", "ref.kind",
                       ["note/@hand '#ma-zhongying' points to a person in persons.xml",
                        "but note/@hand must point to a handNote"], [])],
    "hand.declared": [(DOC, 26, 7, "error", "hand.declared",
                       ["note/@hand '#hand-archiv'", "not declared", "no xml:id 'hand-archiv'", "handNote"],
                       ["did you mean '#hand-archive'?"])],
    "id.unique": [("persons.xml", 17, 11, "error", "id.unique",
                   ["xml:id 'stalin' on persName is not unique", "an earlier person in this file"], [])],
    "id.unique-across": [
        (DOC, 27, 7, "error", "id.unique", ["xml:id 'kashgar' on p", "also used on a place in places.xml"], []),
        ("places.xml", 13, 9, "error", "id.unique",
         ["xml:id 'kashgar' on place", "also used on a p in doc-1937-06-14.xml"], [])],
    "id.filename": [(DOC, 2, 1, "error", "id.filename",
                     ["TEI/@xml:id 'doc-1937-06-15'", "file name doc-1937-06-14.xml",
                      'expected xml:id="doc-1937-06-14"'], [])],
    "date.iso": [(DOC, 20, 17, "error", "date.iso",
                  ["date/@when '1937-02-30' is not a real date", "February 1937 has 28 days"], [])],
    "date.iso-format": [(DOC, 28, 68, "error", "date.iso",
                         ["date/@when 'July 1937' is not an ISO date", "YYYY, YYYY-MM or YYYY-MM-DD"], [])],
    "date.range": [(DOC, 28, 68, "error", "date.range",
                    ["date/@from '1937-07' is later than @to '1937-06-30'"], [])],
    "header.summary": [(DOC, 19, 5, "error", "header.summary",
                        ["no summary", "profileDesc/abstract"], [])],
    "header.source": [(DOC, 12, 7, "error", "header.source",
                       ["no source", "sourceDesc/msDesc", "sourceDesc/bibl"], [])],
    "header.rights": [(DOC, 8, 7, "error", "header.rights",
                       ["no rights statement", "publicationStmt/availability"], [])],
    "header.date": [(DOC, 19, 5, "error", "header.date",
                     ["no date", "profileDesc/creation/date", "@when"], [])],
    "authority.preferred": [("persons.xml", 16, 9, "error", "authority.preferred",
                             ["person 'ma-zhongying' has 2 preferred names",
                              'exactly one persName with type="preferred"'], [])],
    "authority.unused": [("places.xml", 16, 9, "warning", "authority.unused",
                          ["place 'urumqi' (Urumqi) is not mentioned anywhere in the edition",
                           "places.xml#urumqi"], [])],
    "valid": [],
}


def test_every_rule_of_edition_sch_has_a_fixture():
    tree = etree.parse(str(SCH))
    ids = set(tree.xpath("//sch:assert/@id | //sch:report/@id",
                         namespaces={"sch": "http://purl.oclc.org/dsdl/schematron"}))
    covered = {e[4] for cases in EXPECTED.values() for e in cases}
    assert ids == covered
    assert {p.name for p in FIX.iterdir() if p.is_dir() and p.name != "compiler"} == set(EXPECTED)


@pytest.mark.parametrize("kind", ["folder", "model"])
@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_gives_exactly_the_expected_diagnostics(folder, kind):
    diags = check_folder(FIX / folder, kind)
    expected = EXPECTED[folder]
    got = [(d.path, d.line, d.column, d.severity, d.rule) for d in diags]
    assert got == [e[:5] for e in expected], "\n".join(f"{d.path}:{d.line}:{d.column}: {d.message} [{d.rule}]"
                                                       for d in diags)
    for d, e in zip(diags, expected):
        for words in e[5]:
            assert words in d.message, (words, d.message)
        for words in e[6]:
            assert words in d.hint, (words, d.hint)
        if not e[6]:
            assert d.hint == ""


def test_check_without_context_builds_one_from_the_folder():
    src = parse_file(FIX / "ref.resolves" / DOC, display=DOC)
    diags = S.check(src, SCH)
    assert [(d.rule, d.line, d.column) for d in diags] == [("ref.resolves", 29, 14)]
    assert S.check(parse_file(FIX / "valid" / DOC), SCH) == []


@pytest.mark.parametrize("value,problem", [
    ("1937", ""), ("1937-06", ""), ("1937-06-14", ""), ("2000-02-29", ""), ("1936-02-29", ""),
    ("1900-02-29", "February 1900 has 28 days"), ("1937-06-31", "June 1937 has 30 days"),
    ("1937-13", "there is no month 13"), ("1937-00-10", "there is no month 00"),
    ("1937-6-1", "is not an ISO date"), ("37-06-14", "is not an ISO date"),
    ("1937-06-14T10:00", "is not an ISO date"), ("", "is not an ISO date"),
])
def test_date_values(tmp_path, value, problem):
    folder = tmp_path / "ed"
    shutil.copytree(FIX / "valid", folder)
    doc = folder / DOC
    doc.write_text(doc.read_text().replace('<date when="1937-07">', f'<date when="{value}">'))
    diags = check_folder(folder)
    if not problem:
        assert diags == []
    else:
        assert [(d.rule, d.line, d.column) for d in diags] == [("date.iso", 28, 68)]
        assert f"date/@when '{value}'" in diags[0].message and problem in diags[0].message


@pytest.mark.parametrize("attrs,ok", [
    ('from="1937-06" to="1937-06-15"', True),      # June 1937 may start before the 15th
    ('from="1937" to="1937-01"', True),
    ('from="1937-06-15" to="1937-06"', True),      # ... and end after it
    ('from="1937-07-01" to="1937-06-30"', False),
    ('notBefore="1938" notAfter="1937-12-31"', False),
    ('from="1937-07-01" to="1937-13"', None),      # invalid date: reported by date.iso only
])
def test_date_ranges(tmp_path, attrs, ok):
    folder = tmp_path / "ed"
    shutil.copytree(FIX / "valid", folder)
    doc = folder / DOC
    doc.write_text(doc.read_text().replace('<date when="1937-07">', f"<date {attrs}>"))
    rules = [d.rule for d in check_folder(folder)]
    assert rules == ([] if ok else ["date.iso"] if ok is None else ["date.range"])


def test_locus_from_to_are_not_dates(tmp_path):
    folder = tmp_path / "ed"
    shutil.copytree(FIX / "valid", folder)
    doc = folder / DOC
    doc.write_text(doc.read_text().replace(
        "<physDesc>", '<msContents><msItem><locus from="63" to="62">l. 62-63</locus></msItem></msContents><physDesc>'))
    assert check_folder(folder) == []


def test_external_pointers_are_not_checked(tmp_path):
    folder = tmp_path / "ed"
    shutil.copytree(FIX / "valid", folder)
    doc = folder / DOC
    doc.write_text(doc.read_text().replace(
        '<ref target="edition.xml">', '<ref target="https://example.org/nothing.xml#x edition.xml">'))
    assert check_folder(folder) == []


def test_files_reached_through_a_symlinked_folder(tmp_path):
    real = tmp_path / "real"
    shutil.copytree(FIX / "ref.resolves", real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    for kind in ("folder", "model"):
        diags = check_folder(link, kind)
        assert [(d.path, d.rule, d.line) for d in diags] == [(DOC, "ref.resolves", 29)], kind


def test_phases_of_edition_sch():
    folder = FIX / "date.iso"
    src = parse_file(folder / DOC, display=DOC)
    ctx = S.folder_context(folder)
    assert [d.rule for d in S.check(src, SCH, ctx, phase="dates-only")] == ["date.iso"]
    assert S.check(src, SCH, ctx, phase="pointers-only") == []


# ================================================================= the bundled edition

def _bundled_files():
    files = sorted(TEI.glob("*.xml")) if TEI.is_dir() else []
    names = {p.name for p in files}
    if not ({"edition.xml", "persons.xml", "places.xml", "orgs.xml"} <= names
            and any(n.startswith("doc-") for n in names)):
        pytest.skip("tei/ is not complete yet")
    return files


@pytest.mark.parametrize("kind", ["model", "folder"])
def test_bundled_edition_has_no_schematron_errors(kind):
    files = _bundled_files()
    ctx = context_for(TEI, kind)
    diags = []
    for p in files:
        diags += S.check(parse_file(p, display=p.name), SCH, context_node=ctx)
    errors = [f"{d.path}:{d.line}:{d.column}: {d.message} [{d.rule}]" for d in diags if d.is_error]
    assert errors == []
    if kind == "folder":  # every pointer counts as a mention: no unused entries either
        assert [d.message for d in diags] == []


# ================================================================= the compiler

DOC_A = """<?xml version="1.0"?>
<root xmlns:x="urn:x">
  <item n="1" kind="a">one</item>
  <item n="2">two</item>
  <x:thing ref="r1"/>
  <item n="3" kind="b">three</item>
</root>
"""


def test_assert_and_report_with_value_of_name_and_emph(tmp_path):
    schema = sch("""
  <pattern id="p1">
    <rule context="item" id="r-item">
      <assert test="@kind" id="item.kind" role="warning"><name/> <value-of select="@n"/> has no <emph>kind</emph></assert>
      <report test="@kind = 'b'" role="error">item <value-of select="@n"/> is of kind <value-of select="@kind"/> (in <name path=".."/>)</report>
    </rule>
  </pattern>""")
    diags = run_schema(tmp_path, schema, DOC_A)
    assert brief(diags) == [
        (4, 3, "warning", "item.kind", "item 2 has no kind"),
        (6, 3, "error", "r-item", "item 3 is of kind b (in root)"),
    ]


def test_rule_id_falls_back_to_pattern_id_then_schematron(tmp_path):
    schema = sch("""
  <pattern id="pat"><rule context="item[@n = '1']"><assert test="false()">a</assert></rule></pattern>
  <pattern><rule context="item[@n = '2']"><assert test="false()">b</assert></rule></pattern>""")
    assert [(d.rule, d.message) for d in run_schema(tmp_path, schema, DOC_A)] == [("pat", "a"), ("schematron", "b")]


@pytest.mark.parametrize("role,severity", [
    ("error", "error"), ("FATAL", "error"), ("missing", "error"), ("warning", "warning"),
    ("warn", "warning"), ("info", "warning"), ("information", "warning"), ("", "error"),
    ("something-else", "error"),
])
def test_roles_map_to_severities(tmp_path, role, severity):
    schema = sch(f'<pattern><rule context="root"><report test="true()" role="{role}">r</report></rule></pattern>')
    assert [d.severity for d in run_schema(tmp_path, schema, DOC_A)] == [severity]


def test_first_matching_rule_per_pattern(tmp_path):
    schema = sch("""
  <pattern id="p">
    <rule context="item[@kind]"><report test="true()">with kind <value-of select="@n"/></report></rule>
    <rule context="item"><report test="true()">plain <value-of select="@n"/></report></rule>
  </pattern>
  <pattern id="q">
    <rule context="item"><report test="@n = '1'">second pattern sees item 1 too</report></rule>
  </pattern>""")
    msgs = [d.message for d in run_schema(tmp_path, schema, DOC_A)]
    # (in SVRL order: pattern by pattern, each in document order)
    assert msgs == ["with kind 1", "plain 2", "with kind 3", "second pattern sees item 1 too"]


def test_lets_at_schema_phase_pattern_and_rule_level(tmp_path):
    schema = sch("""
  <let name="total" value="count(//item)"/>
  <phase id="ph"><active pattern="p"/><let name="label" value="'phase-label'"/></phase>
  <pattern id="p">
    <let name="first" value="string((//item)[1]/@n)"/>
    <rule context="item[@n = '3']">
      <let name="double" value="xs:integer(@n) * 2"/>
      <let name="plus" value="$double + $total"/>
      <report test="true()"><value-of select="$label"/> total=<value-of select="$total"/> first=<value-of
        select="$first"/> double=<value-of select="$double"/> plus=<value-of select="$plus"/></report>
    </rule>
  </pattern>""", extra_ns='xmlns:xs="http://www.w3.org/2001/XMLSchema"')
    schema = schema.replace("<phase", '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>\n  <phase')
    msgs = [d.message for d in run_schema(tmp_path, schema, DOC_A, phase="ph")]
    assert msgs == ["phase-label total=3 first=1 double=6 plus=9"]


PHASED = sch("""
  <phase id="one"><active pattern="a"/></phase>
  <phase id="two"><active pattern="b c"/></phase>
  <pattern id="a"><rule context="root"><report test="true()">A</report></rule></pattern>
  <pattern id="b"><rule context="root"><report test="true()">B</report></rule></pattern>
  <pattern id="c"><rule context="root"><report test="true()">C</report></rule></pattern>""")


@pytest.mark.parametrize("phase,expected", [
    (None, ["A", "B", "C"]), ("#ALL", ["A", "B", "C"]), ("one", ["A"]), ("two", ["B", "C"]),
])
def test_phases(tmp_path, phase, expected):
    assert sorted(d.message for d in run_schema(tmp_path, PHASED, DOC_A, phase=phase)) == expected


def test_default_phase(tmp_path):
    schema = PHASED.replace('queryBinding="xslt3"', 'queryBinding="xslt3" defaultPhase="two"')
    assert sorted(d.message for d in run_schema(tmp_path, schema, DOC_A)) == ["B", "C"]
    assert sorted(d.message for d in run_schema(tmp_path, schema, DOC_A, phase="#ALL")) == ["A", "B", "C"]


def test_unknown_phase_is_a_diagnostic_naming_the_schema(tmp_path):
    diags = run_schema(tmp_path, PHASED, DOC_A, phase="three")
    assert len(diags) == 1
    d = diags[0]
    assert d.path.endswith("test.sch") and d.rule == "schematron.schema" and d.severity == "error"
    assert 'phase "three" is not defined' in d.message and "one, two, #ALL" in d.message


def test_abstract_pattern_with_params(tmp_path):
    schema = sch("""
  <pattern abstract="true" id="required">
    <rule context="$element">
      <assert test="$attribute" id="req"><name/> <value-of select="@n"/> lacks $attribute (<value-of select="'$what'"/>)</assert>
    </rule>
  </pattern>
  <pattern is-a="required" id="item-kind">
    <param name="element" value="item"/>
    <param name="attribute" value="@kind"/>
    <param name="what" value="a kind"/>
  </pattern>
  <pattern is-a="required" id="thing-ref">
    <param name="element" value="x:thing"/>
    <param name="attribute" value="@nope"/>
    <param name="what" value="nothing"/>
  </pattern>""", extra_ns='xmlns:x="urn:x"').replace("<pattern abstract", '<ns prefix="x" uri="urn:x"/>\n  <pattern abstract')
    diags = run_schema(tmp_path, schema, DOC_A)
    assert [(d.line, d.message) for d in diags] == [
        (4, "item 2 lacks $attribute (a kind)"),   # text is not substituted, queries are
        (5, "x:thing lacks $attribute (nothing)"),
    ]


def test_abstract_rules_and_nested_extends(tmp_path):
    schema = sch("""
  <pattern>
    <rule abstract="true" id="has-n"><assert test="@n" id="n">no n</assert></rule>
    <rule abstract="true" id="numbered">
      <extends rule="has-n"/>
      <let name="n" value="number(@n)"/>
      <assert test="$n lt 3" id="small">item <value-of select="$n"/> is too big</assert>
    </rule>
    <rule context="item"><extends rule="numbered"/></rule>
  </pattern>""")
    assert [(d.rule, d.line, d.message) for d in run_schema(tmp_path, schema, DOC_A)] == [
        ("small", 6, "item 3 is too big")]


def test_namespaces_and_attribute_contexts(tmp_path):
    schema = sch("""
  <ns prefix="y" uri="urn:x"/>
  <pattern><rule context="y:thing/@ref">
    <report test=". = 'r1'" id="ref.seen">@<name/> on <name path=".."/> is <value-of select="."/></report>
  </rule></pattern>""")
    diags = run_schema(tmp_path, schema, DOC_A)
    assert brief(diags) == [(5, 3, "error", "ref.seen", "@ref on x:thing is r1")]


def test_prefixes_declared_on_the_schema_element_are_accepted(tmp_path):
    schema = sch('<pattern><rule context="y:thing"><report test="true()" id="y">found</report></rule></pattern>',
                 extra_ns='xmlns:y="urn:x"')
    assert [(d.rule, d.line) for d in run_schema(tmp_path, schema, DOC_A)] == [("y", 5)]


def test_location_and_subject(tmp_path):
    schema = sch("""
  <pattern><rule context="root">
    <assert test="count(item) = 2" subject="item[3]" id="three">three items</assert>
    <report test="true()" subject="x:thing" id="thing">thing</report>
  </rule></pattern>""").replace("<pattern>", '<ns prefix="x" uri="urn:x"/><pattern>')
    sch_path = tmp_path / "test.sch"
    sch_path.write_text(schema)
    (tmp_path / "doc.xml").write_text(DOC_A)
    src = parse_file(tmp_path / "doc.xml", display="doc.xml")
    svrl = S.run_svrl(src, S.compile_schematron(sch_path))
    locations = etree.fromstring(svrl.encode()).xpath("//@location")
    assert locations == ["/Q{}root[1]/Q{}item[3]", "/Q{}root[1]/Q{urn:x}thing[1]"]
    assert [(d.rule, d.line) for d in S.svrl_diagnostics(svrl, src)] == [("three", 6), ("thing", 5)]


def test_diagnostics_become_hints_and_svrl_carries_ids_role_flag(tmp_path):
    schema = sch("""
  <pattern id="pp"><rule context="item[not(@kind)]" id="rr" role="warning" flag="fl">
    <assert test="@kind" id="aa" diagnostics="d1 d2">item <value-of select="@n"/> has no kind</assert>
  </rule></pattern>
  <diagnostics>
    <diagnostic id="d1">add kind="a" to item <value-of select="@n"/></diagnostic>
    <diagnostic id="d2">or remove it</diagnostic>
  </diagnostics>""")
    sch_path = tmp_path / "test.sch"
    sch_path.write_text(schema)
    (tmp_path / "doc.xml").write_text(DOC_A)
    src = parse_file(tmp_path / "doc.xml", display="doc.xml")
    svrl = etree.fromstring(S.run_svrl(src, S.compile_schematron(sch_path)).encode())
    ns = {"svrl": S.SVRL_NS, "schx": S.SCHX_NS}
    fa = svrl.xpath("//svrl:failed-assert", namespaces=ns)
    assert len(fa) == 1
    assert (fa[0].get("id"), fa[0].get("role"), fa[0].get("flag"), fa[0].get("test")) == ("aa", "warning", "fl", "@kind")
    assert fa[0].get(f"{{{S.SCHX_NS}}}rule") == "rr" and fa[0].get(f"{{{S.SCHX_NS}}}pattern") == "pp"
    assert svrl.xpath("//svrl:diagnostic-reference/@diagnostic", namespaces=ns) == ["d1", "d2"]
    diags = S.check(src, sch_path)
    assert [(d.rule, d.severity, d.message, d.hint) for d in diags] == [
        ("aa", "warning", "item 2 has no kind", 'add kind="a" to item 2 or remove it')]


def test_foreign_functions_and_keys_are_copied(tmp_path):
    schema = sch("""
  <ns prefix="f" uri="urn:f"/>
  <xsl:key name="by-n" match="item" use="@n"/>
  <xsl:function name="f:twice" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="$s || $s"/>
  </xsl:function>
  <pattern><rule context="x:thing">
    <report test="key('by-n', '2')" id="k"><value-of select="f:twice(key('by-n', '2'))"/></report>
  </rule></pattern>""", extra_ns='xmlns:f="urn:f" xmlns:xs="http://www.w3.org/2001/XMLSchema"').replace(
        "<pattern>", '<ns prefix="x" uri="urn:x"/><pattern>')
    assert [d.message for d in run_schema(tmp_path, schema, DOC_A)] == ["twotwo"]


def test_include(tmp_path):
    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "items.sch").write_text(
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="inc">'
        '<rule context="item[@n=\'2\']"><report test="true()" id="included">from the include</report></rule>'
        '</pattern>')
    (tmp_path / "patterns" / "lib.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern id="lib">'
        '<rule context="root"><report test="true()" id="lib">lib <value-of select="$answer"/></report></rule>'
        '</pattern><let name="answer" value="42"/></schema>')
    schema = sch('<include href="patterns/items.sch"/>\n<include href="patterns/lib.sch"/>')
    diags = run_schema(tmp_path, schema, DOC_A)
    assert sorted((d.rule, d.message) for d in diags) == [("included", "from the include"), ("lib", "lib 42")]
    compiled = S.compile_schematron(tmp_path / "test.sch")
    assert {p.name for p, _ in compiled.dependencies} == {"test.sch", "items.sch", "lib.sch"}


def test_schematron_1_5_namespace_is_read_as_iso(tmp_path):
    schema = ('<sch:schema xmlns:sch="http://www.ascc.net/xml/schematron">\n'
              '<sch:pattern name="old"><sch:rule context="item[@n = \'2\']">'
              '<sch:assert test="@kind" id="k">item <sch:value-of select="@n"/> needs a kind</sch:assert>'
              '</sch:rule></sch:pattern>\n</sch:schema>')
    assert brief(run_schema(tmp_path, schema, DOC_A)) == [(4, 3, "error", "k", "item 2 needs a kind")]


def test_edition_sch_is_valid_iso_schematron():
    grammar = Path(etree.__file__).parent / "isoschematron" / "resources" / "rng" / "iso-schematron.rng"
    if not grammar.exists():
        pytest.skip("lxml ships no ISO Schematron grammar here")
    rng = etree.RelaxNG(etree.parse(str(grammar)))
    assert rng.validate(etree.parse(str(SCH))), rng.error_log


def test_every_compiled_stylesheet_declares_the_context_parameter(tmp_path):
    schema = sch('<pattern><rule context="root"><report test="exists($edition-context)">ctx '
                 '<value-of select="$edition-context/*/@v"/></report></rule></pattern>')
    sch_path = tmp_path / "test.sch"
    sch_path.write_text(schema)
    (tmp_path / "doc.xml").write_text(DOC_A)
    compiled = S.compile_schematron(sch_path)
    xslt = etree.fromstring(compiled.xslt.encode())
    params = xslt.xpath("/xsl:stylesheet/xsl:param[@name='edition-context']",
                        namespaces={"xsl": "http://www.w3.org/1999/XSL/Transform"})
    assert len(params) == 1 and params[0].get("as") == "document-node()?"
    assert compiled.uses_context
    src = parse_file(tmp_path / "doc.xml")
    assert [d.message for d in S.check(src, sch_path, context_node=etree.fromstring('<edition v="7"/>'))] == ["ctx 7"]


def test_compiled_once_and_reused(tmp_path):
    schema = sch('<pattern><rule context="item"><assert test="@kind">k</assert></rule></pattern>')
    sch_path = tmp_path / "test.sch"
    sch_path.write_text(schema)
    first = S.compile_schematron(sch_path)
    assert S.compile_schematron(sch_path) is first
    (tmp_path / "doc.xml").write_text(DOC_A)
    src = parse_file(tmp_path / "doc.xml")
    assert len(S.check(src, sch_path)) == 1 and S.compile_schematron(sch_path) is first
    # a changed schema is compiled again
    sch_path.write_text(schema.replace('test="@kind"', 'test="@n"'))
    st = sch_path.stat()
    os.utime(sch_path, (st.st_atime, st.st_mtime + 5))
    second = S.compile_schematron(sch_path)
    assert second is not first and S.check(src, sch_path) == []


# ================================================================= schema errors are diagnostics

def test_malformed_schematron(tmp_path):
    diags = run_schema(tmp_path, sch('<pattern><rule context="item"></pattern>'), DOC_A)
    assert len(diags) == 1 and diags[0].path.endswith("test.sch") and diags[0].rule == "xml.well-formed"
    assert (diags[0].line, diags[0].column) == (2, 41)


def test_bad_xpath_points_at_the_assert(tmp_path):
    schema = sch("""
  <pattern>
    <rule context="item">
      <assert test="@kind = ">oops</assert>
    </rule>
  </pattern>""")
    diags = run_schema(tmp_path, schema, DOC_A)
    assert len(diags) == 1
    d = diags[0]
    assert d.path.endswith("test.sch") and (d.line, d.column) == (5, 7)
    assert d.rule == "schematron.compile" and d.message.startswith('assert/@test "@kind = " does not compile')
    assert "XPST0003" in d.message


def test_bad_rule_context_points_at_the_rule(tmp_path):
    schema = sch("""
  <pattern>
    <rule context="item[[">
      <assert test="true()">x</assert>
    </rule>
  </pattern>""")
    d, = run_schema(tmp_path, schema, DOC_A)
    assert d.path.endswith("test.sch") and (d.line, d.column) == (4, 5) and d.rule == "schematron.compile"
    assert d.message.startswith('rule/@context "item[[" does not compile')


def test_undeclared_prefix_gets_a_hint(tmp_path):
    d, = run_schema(tmp_path, sch('<pattern><rule context="foo:item"><report test="1">x</report></rule></pattern>'), DOC_A)
    assert "XPST0081" in d.message and '<sch:ns prefix="foo"' in d.hint and d.line == 2


def test_missing_abstract_rule_and_pattern(tmp_path):
    d, = run_schema(tmp_path, sch('<pattern>\n<rule context="item"><extends rule="nope"/></rule></pattern>'), DOC_A)
    assert d.path.endswith("test.sch") and (d.line, d.column) == (3, 22) and 'rule="nope"' in d.message
    assert "no abstract rule" in d.message
    (tmp_path / "b").mkdir()
    d, = run_schema(tmp_path / "b", sch('<pattern is-a="ghost" id="g"/>'), DOC_A)
    assert 'is-a="ghost"' in d.message and d.line == 2


def test_missing_include(tmp_path):
    d, = run_schema(tmp_path, sch('<include href="nowhere.sch"/>'), DOC_A)
    assert d.path.endswith("test.sch") and d.line == 2 and "nowhere.sch" in d.message and "cannot read" in d.message


def test_runtime_error_is_a_diagnostic(tmp_path):
    schema = sch('<pattern><rule context="item"><assert test="xs:integer(@kind) gt 0">k</assert></rule></pattern>',
                 extra_ns='xmlns:xs="http://www.w3.org/2001/XMLSchema"')
    schema = schema.replace("<pattern>", '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/><pattern>')
    diags = run_schema(tmp_path, schema, DOC_A)
    # item 1 (kind "a") and item 3 (kind "b") cannot be cast; item 2 has no kind: assert fails
    assert [(d.rule, d.line, d.column) for d in diags] == [
        ("schematron.runtime", 3, 3), ("schematron", 4, 3), ("schematron.runtime", 6, 3)]
    d = diags[0]
    assert d.path == "doc.xml" and "test.sch:2:" in d.message and "FORG0001" in d.message
    assert 'Cannot convert string "a"' in d.message


def test_not_a_schematron_file(tmp_path):
    d, = run_schema(tmp_path, "<nothing/>", DOC_A)
    assert d.path.endswith("test.sch") and "no Schematron rules found" in d.message


def test_missing_schema_file(tmp_path):
    (tmp_path / "doc.xml").write_text(DOC_A)
    d, = S.check(parse_file(tmp_path / "doc.xml"), tmp_path / "absent.sch")
    assert d.rule == "schematron.missing" and d.path.endswith("absent.sch")


# ================================================================= locations

def test_locate_reads_eqname_paths():
    src = parse_bytes(b'<a xmlns="urn:a"><b/><b><c x="1"/>text<c/></b></a>')
    root = src.root
    assert S.locate(src.tree, "/") is root
    assert S.locate(src.tree, "/Q{urn:a}a[1]/Q{urn:a}b[2]") is root[1]
    assert S.locate(src.tree, "/Q{urn:a}a[1]/Q{urn:a}b[2]/Q{urn:a}c[1]/@Q{}x") is root[1][0]
    assert S.locate(src.tree, "/Q{urn:a}a[1]/Q{urn:a}b[2]/text()[1]") is root[1]
    assert S.locate(src.tree, "/Q{urn:a}a[1]/Q{urn:a}b[9]") is root      # deepest match
    assert S.locate(src.tree, "/Q{}a[1]") is None


# ================================================================= embedded rules (ELTeC)

def _eltec():
    rng = SHARED / "corpora" / "eltec" / "Schemas" / "eltec-1.rng"
    if not rng.exists():
        pytest.skip(f"{rng} is absent (../shared not available)")
    novels = sorted((SHARED / "corpora" / "eltec" / "ELTeC-eng" / "level1").glob("*.xml"))
    if not novels:
        pytest.skip("no ELTeC-eng level1 file in ../shared")
    return rng, novels[0]


def test_eltec_embedded_rules_are_extracted():
    rng, _ = _eltec()
    compiled = S.compile_schematron(rng)
    xslt = etree.fromstring(compiled.xslt.encode())
    ns = {"xsl": "http://www.w3.org/1999/XSL/Transform"}
    source = etree.parse(str(rng))
    n_patterns = len(source.xpath("//sch:pattern", namespaces={"sch": S.SCH_NS}))
    assert n_patterns > 10
    assert len(xslt.xpath("/xsl:stylesheet/xsl:template[starts-with(@name, 'schx:pattern-')]",
                          namespaces=ns)) == n_patterns
    assert xslt.nsmap.get("tei") == "http://www.tei-c.org/ns/1.0"  # from the embedded sch:ns


def test_eltec_rules_extracted_as_a_schematron_schema(tmp_path):
    rng, novel = _eltec()
    schema = etree.fromstring(S.extract_schematron(rng).encode())
    ns = {"sch": S.SCH_NS}
    assert schema.tag == f"{{{S.SCH_NS}}}schema"
    source = etree.parse(str(rng))
    assert len(schema.xpath("sch:pattern", namespaces=ns)) == len(source.xpath("//sch:pattern", namespaces=ns))
    assert schema.xpath("sch:ns[@prefix = 'tei']/@uri", namespaces=ns) == ["http://www.tei-c.org/ns/1.0"]
    assert not schema.xpath("//@*[namespace-uri() = 'urn:x-toolkit:schematron:compiler']")
    # the extracted schema is itself a schema the compiler accepts, with the same rules
    extracted = tmp_path / "eltec-1.sch"
    extracted.write_bytes(etree.tostring(schema))
    compiled = S.compile_schematron(extracted)
    assert compiled.xslt.count("<xsl:template match=") == S.compile_schematron(rng).xslt.count("<xsl:template match=")
    assert [d for d in S.check(parse_file(novel), extracted) if d.is_error] == []


def test_eltec_file_and_a_broken_copy(tmp_path):
    rng, novel = _eltec()
    src = parse_file(novel, display=novel.name)
    assert [d for d in S.check(src, rng) if d.is_error] == []
    data = novel.read_bytes()
    broken = etree.fromstring(data)
    tei = "{http://www.tei-c.org/ns/1.0}"
    title = broken.find(f"{tei}teiHeader/{tei}fileDesc/{tei}titleStmt/{tei}title")
    for child in list(title):
        title.remove(child)
    title.text = ""
    for m in broken.iter(f"{tei}measure"):
        if m.get("unit") == "words":
            m.set("unit", "chapters")
    path = tmp_path / novel.name
    path.write_bytes(etree.tostring(broken, xml_declaration=True, encoding="UTF-8"))
    src = parse_file(path, display=novel.name)
    diags = [d for d in S.check(src, rng) if d.is_error]
    rules = sorted(d.rule for d in diags)
    assert rules == ["eltec-1-extent-wordCountMandatory-constraint-assert-2",
                     "eltec-1-title-noEmptyTitle-constraint-assert-9"]
    by_rule = {d.rule: d for d in diags}
    assert "word count" in by_rule["eltec-1-extent-wordCountMandatory-constraint-assert-2"].message
    t = by_rule["eltec-1-title-noEmptyTitle-constraint-assert-9"]
    written = etree.parse(str(path)).find(f"{tei}teiHeader/{tei}fileDesc/{tei}titleStmt/{tei}title")
    assert "provide a title" in t.message and t.line == written.sourceline


# ================================================================= one walk for all patterns

def _svrl(tmp_path: Path, schema: str, doc: str, fired: bool = False) -> etree._Element:
    (tmp_path / "walk.sch").write_text(schema, encoding="utf-8")
    (tmp_path / "walk.xml").write_text(doc, encoding="utf-8")
    src = parse_file(tmp_path / "walk.xml")
    if fired:
        from toolkit import saxon
        xslt = S._run_compiler(tmp_path / "walk.sch", {"fired-rules": True})
        exe = saxon.compile_stylesheet_text(xslt, f"walk-test:{xslt.__hash__()}")
        return etree.fromstring(S._run(exe, saxon.source_to_xdm(src), {}).encode())
    return etree.fromstring(S.run_svrl(src, S.compile_schematron(tmp_path / "walk.sch")).encode())


def _results(svrl: etree._Element) -> list[tuple[str, str]]:
    """(kind, text or location) of the SVRL children in order."""
    out = []
    for el in svrl:
        kind = etree.QName(el).localname
        if kind == "active-pattern":
            out.append((kind, el.get("id") or ""))
        elif kind in ("failed-assert", "successful-report"):
            out.append((kind, "".join(el.itertext()).strip() + " @ " + el.get("location")))
        elif kind == "fired-rule":
            out.append((kind, el.get("context")))
    return out


def test_walk_keeps_svrl_grouped_by_pattern_in_document_order(tmp_path):
    schema = sch("""
  <pattern id="a"><rule context="item"><report test="true()">a<value-of select="@n"/></report></rule></pattern>
  <pattern id="b"><rule context="item[@kind]"><report test="true()">b<value-of select="@n"/></report></rule>
                  <rule context="item"><report test="true()">b-other<value-of select="@n"/></report></rule></pattern>
  <pattern id="c"><rule context="@kind"><report test="true()">c<value-of select="."/></report></rule></pattern>
  <pattern id="d"><rule context="/"><report test="true()">d</report></rule></pattern>
  <pattern id="e"><rule context="text()[normalize-space()]"><report test="true()">e<value-of select="."/></report></rule></pattern>""")
    got = _results(_svrl(tmp_path, schema, DOC_A))
    texts = [t.split(" @ ")[0] for k, t in got if k != "active-pattern"]
    assert [t for k, t in got if k == "active-pattern"] == ["a", "b", "c", "d", "e"]
    # each pattern's results follow its svrl:active-pattern, in document order; first rule wins
    assert texts == ["a1", "a2", "a3", "b1", "b-other2", "b3", "ca", "cb", "d", "eone", "etwo", "ethree"]
    assert [k for k, _ in got][:4] == ["active-pattern", "successful-report", "successful-report",
                                       "successful-report"]


def test_walk_fired_rules_stay_with_their_pattern(tmp_path):
    schema = sch("""
  <pattern id="a"><rule context="x:thing"><assert test="false()">t</assert></rule></pattern>
  <pattern id="b"><rule context="root"/><rule context="item"/></pattern>""", 'xmlns:x="urn:x"')
    got = _results(_svrl(tmp_path, schema, DOC_A, fired=True))
    assert got == [("active-pattern", "a"), ("fired-rule", "x:thing"),
                   ("failed-assert", "t @ /Q{}root[1]/Q{urn:x}thing[1]"),
                   ("active-pattern", "b"), ("fired-rule", "root"), ("fired-rule", "item"),
                   ("fired-rule", "item"), ("fired-rule", "item")]


def test_pattern_lets_of_the_same_name_stay_apart(tmp_path):
    schema = sch("""
  <pattern id="a"><let name="v" value="'A'"/><let name="w" value="$v || count(//item)"/>
    <rule context="root"><report test="true()"><value-of select="$w"/></report></rule></pattern>
  <pattern id="b"><let name="v" value="'B'"/>
    <rule context="root"><report test="true()"><value-of select="$v"/></report></rule></pattern>""")
    assert [d.message for d in run_schema(tmp_path, schema, DOC_A)] == ["A3", "B"]


def test_walk_name_guards_see_through_prefixes(tmp_path):
    # two prefixes for one namespace, a wildcard and a name, predicates and paths
    schema = sch("""
  <ns prefix="p" uri="urn:x"/><ns prefix="q" uri="urn:x"/>
  <pattern id="w"><rule context="p:*[@ref]"><report test="true()">w</report></rule></pattern>
  <pattern id="n"><rule context="q:thing"><report test="true()">n</report></rule></pattern>
  <pattern id="path"><rule context="root//item[@kind = 'b'] | /root/q:thing[1]"><report test="true()">path</report></rule></pattern>
  <pattern id="none"><rule context="p:nothing"><report test="true()">none</report></rule></pattern>""")
    assert sorted(d.message for d in run_schema(tmp_path, schema, DOC_A)) == ["n", "path", "path", "w"]


def test_generated_xslt_is_kept_on_disk_until_a_schema_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    inc = tmp_path / "inc.sch"
    inc.write_text('<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="p">'
                   '<rule context="item"><report test="@kind">k1</report></rule></pattern>')
    main = tmp_path / "main.sch"
    main.write_text(sch('<include href="inc.sch"/>'))
    doc = tmp_path / "doc.xml"
    doc.write_text(DOC_A)
    src = parse_file(doc)
    assert [d.message for d in S.check(src, main)] == ["k1", "k1"]
    assert list((tmp_path / "cache").rglob("*.json"))
    S._cache.clear()  # a new process: only the disk cache is left
    real = S.generate_xslt
    monkeypatch.setattr(S, "generate_xslt", lambda *a, **k: pytest.fail("compiled again"))
    assert [d.message for d in S.check(src, main)] == ["k1", "k1"]
    S._cache.clear()
    inc.write_text(inc.read_text().replace("k1", "k2"))  # an included file changes
    calls = []
    monkeypatch.setattr(S, "generate_xslt", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert [d.message for d in S.check(src, main)] == ["k2", "k2"]
    assert calls == [1]


def test_cache_folder_keeps_its_newest_entries(tmp_path, monkeypatch):
    """Entries of schemas that moved or were deleted are dropped, oldest first."""
    import os
    from toolkit import cache
    monkeypatch.setattr(cache, "KEEP", 5)
    folder = tmp_path / "c"
    for i in range(8):
        cache.write_json(folder / f"e{i}.json", {"i": i})
        os.utime(folder / f"e{i}.json", (1000 + i, 1000 + i))
    cache.write_json(folder / "last.json", {"i": 99})
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["e4.json", "e5.json", "e6.json", "e7.json", "last.json"]
    assert cache.read_json(folder / "last.json") == {"i": 99}
