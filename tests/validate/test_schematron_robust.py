"""Rules do not die on odd input (issue #10, item 15): a dynamic error in one rule — a pointer
that is no URI, a cast of a bad value — is reported for that rule on that element, and every
other rule still runs on the file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.validate import schematron as S
from toolkit.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[2]
SCH = REPO / "schema" / "edition.sch"
VALID = REPO / "tests" / "fixtures" / "schematron" / "valid"
DOC = "doc-1937-06-14.xml"


@pytest.fixture
def edition(tmp_path):
    ed = tmp_path / "ed"
    shutil.copytree(VALID, ed)
    return ed


def check_doc(ed: Path) -> list:
    return S.check(parse_file(ed / DOC, display=DOC), SCH, context_node=S.folder_context(ed))


@pytest.mark.parametrize("pointer,shown", [
    ("persons&#x7F;.xml#stalin", "persons\x7f.xml#stalin"),  # a control character (DEL)
    ("persons&#x85;.xml#stalin", "persons .xml#stalin"),  # NEL (white space in a message)
    ("persons{1}.xml#stalin", "persons{1}.xml#stalin"),
    ("persons%zz.xml#stalin", "persons%zz.xml#stalin"),
])
def test_a_pointer_that_is_no_uri_is_reported_and_the_other_rules_run(edition, pointer, shown):
    text = (edition / DOC).read_text(encoding="utf-8")
    # the first persName/@ref (line 21) gets the odd pointer; a broken date (line 26) and a
    # dangling pointer (line 28) must still be found by their own rules
    text = text.replace('ref="persons.xml#stalin"', f'ref="{pointer}"', 1)
    text = text.replace('<placeName ref="places.xml#kashgar">Kashgar</placeName>',
                        '<placeName ref="places.xml#nowhere">Kashgar</placeName>')
    text = text.replace('<date when="1937-06-14">', '<date when="1937-02-30">', 1)
    (edition / DOC).write_text(text, encoding="utf-8")
    diags = check_doc(edition)
    got = {(d.line, d.rule) for d in diags}
    assert not [d for d in diags if d.rule.startswith("schematron.")], [d.message for d in diags]
    bad = next(d for d in diags if d.line == 21 and d.rule == "ref.resolves")
    assert bad.column == 83 and f"'{shown}' points to nothing: it is not a valid URI reference" in bad.message
    assert {"ref.resolves", "date.iso"} <= {r for _, r in got} and len(diags) >= 3, diags


def schema(tmp_path: Path, body: str) -> Path:
    sch = tmp_path / "rules.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3"\n'
                   '    xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
                   '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>\n' + body + '\n</schema>\n')
    return sch


DOC_N = "<root>\n  <item n='1'/>\n  <item n='x'/>\n  <item n='3'/>\n  <other/>\n</root>\n"


def run(tmp_path: Path, body: str) -> list:
    doc = tmp_path / "doc.xml"
    doc.write_text(DOC_N)
    return [(d.line, d.rule, d.message) for d in S.check(parse_file(doc, display="doc.xml"), schema(tmp_path, body))]


def test_a_failing_rule_let_ends_that_rule_on_that_element_only(tmp_path):
    got = run(tmp_path, '''<pattern id="p">
  <rule context="item">
    <let name="n" value="xs:integer(@n)"/>
    <report test="$n gt 2" id="big">big <value-of select="$n"/></report>
  </rule>
</pattern>
<pattern id="q"><rule context="other"><report test="true()" id="other">other</report></rule></pattern>''')
    assert [(line, rule) for line, rule, _ in got] == [(3, "schematron.runtime"), (4, "big"), (5, "other")]
    assert "rules.sch:5:3 failed on this element: FORG0001" in got[0][2]


def test_a_failing_pattern_let_is_reported_once_and_the_other_patterns_run(tmp_path):
    got = run(tmp_path, '''<pattern id="p">
  <let name="total" value="sum(//item/@n ! xs:integer(.))"/>
  <rule context="item"><report test="$total gt 0" id="total">total</report></rule>
</pattern>
<pattern id="q"><rule context="other"><report test="true()" id="other">other</report></rule></pattern>''')
    assert [(line, rule) for line, rule, _ in got] == [(1, "schematron.runtime"), (5, "other")]
    assert "rules.sch:4:1 failed on this element: FORG0001" in got[0][2]


def test_a_rule_context_that_fails_on_a_node_does_not_match_it(tmp_path):
    """(XSLT 3.0: an error while matching a pattern means no match.) The other rules run."""
    got = run(tmp_path, '''<pattern id="p">
  <rule context="item[xs:integer(@n) gt 2]"><report test="true()" id="big">big</report></rule>
</pattern>
<pattern id="q"><rule context="item | other"><report test="true()" id="each">each</report></rule></pattern>''')
    assert sorted((line, rule) for line, rule, _ in got) == [(2, "each"), (3, "each"), (4, "big"), (4, "each"), (5, "each")]


def test_a_failing_global_let_fails_only_the_rules_that_use_it(tmp_path):
    got = run(tmp_path, '''<let name="bad" value="xs:integer('x')"/>
<pattern id="p"><rule context="item"><report test="$bad = 1" id="uses">uses</report></rule></pattern>
<pattern id="q"><rule context="other"><report test="true()" id="other">other</report></rule></pattern>''')
    assert [(line, rule) for line, rule, _ in got] == [
        (2, "schematron.runtime"), (3, "schematron.runtime"), (4, "schematron.runtime"), (5, "other")]
