"""Many failures in one file cost linear time (issue #10, item 11): an authority file of 12,500 /
25,000 / 50,000 entries validated in 13.5 s / 52.5 s / over 300 s, because every failure's
location was worked out by counting (in XSLT) and by listing (in Python) all the siblings
before it. bench/validate.py case (d) measures the 50,000-entry file."""
from __future__ import annotations

import time
from pathlib import Path

from toolkit.validate import schematron as S
from toolkit.xmlsafe import parse_file

TEI = "http://www.tei-c.org/ns/1.0"


def schema(tmp_path: Path, context: str, subject: str = "") -> Path:
    sch = tmp_path / "rules.sch"
    sch.write_text('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3"\n'
                   '    xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">\n'
                   f'<sch:ns prefix="tei" uri="{TEI}"/>\n'
                   '<xsl:function name="e:yes"><xsl:sequence select="true()"/></xsl:function>\n'
                   f'<sch:pattern><sch:rule context="{context}">\n'
                   f'<sch:report test="e:yes()" id="entry" {subject}><sch:value-of select="@xml:id"/></sch:report>\n'
                   '</sch:rule></sch:pattern></sch:schema>\n')
    return sch


def authority_file(tmp_path: Path, n: int) -> Path:
    """n persons, a note after every tenth (siblings of another name in between), one a line."""
    lines = [f'<TEI xmlns="{TEI}"><teiHeader/><text><body><listPerson>']
    for i in range(n):
        lines.append(f'<person xml:id="p{i}"><persName>P {i}</persName></person>')
        if i % 10 == 9:
            lines.append(f'<note>after p{i}</note>')
    lines.append("</listPerson></body></text></TEI>")
    doc = tmp_path / "persons.xml"
    doc.write_text("\n".join(lines) + "\n")
    return doc


def test_every_failure_of_a_long_list_is_placed_on_its_own_line(tmp_path):
    doc = authority_file(tmp_path, 300)
    diags = S.check(parse_file(doc, display="persons.xml"), schema(tmp_path, "tei:person"))
    expected = {f"p{i}": 2 + i + i // 10 for i in range(300)}  # the line of each person
    assert [(d.message, d.line, d.column) for d in diags] == [(k, v, 1) for k, v in expected.items()]


def test_a_subject_in_another_place_is_placed_too(tmp_path):
    """(the note after a person, found by the subject: a node that the map does not number when it
    is not the rule's context)"""
    doc = authority_file(tmp_path, 100)
    diags = S.check(parse_file(doc, display="persons.xml"),
                    schema(tmp_path, "tei:person[@xml:id = 'p89']", 'subject="following-sibling::tei:note[1]"'))
    assert [(d.message, d.line) for d in diags] == [("p89", 2 + 89 + 8 + 1)]


def test_twenty_thousand_failures_take_linear_time(tmp_path):
    doc = authority_file(tmp_path, 20000)
    src = parse_file(doc, display="persons.xml")
    sch = schema(tmp_path, "tei:person")
    S.compile_schematron(sch)
    start = time.perf_counter()
    diags = S.check(src, sch)
    took = time.perf_counter() - start
    assert len(diags) == 20000 and diags[-1].line == 2 + 19999 + 1999
    assert took < 30, f"{took:.1f} s for 20,000 failures (quadratic: minutes)"


def test_an_authority_file_of_20000_entries_validates_in_linear_time(tmp_path):
    """The whole of `edition validate` with the bundled edition's rules and the model's context
    (in which every entity is listed before the mentions: a rule that searched the context for a
    mention per entry was quadratic too)."""
    import json
    import shutil
    import subprocess
    import sys
    repo = Path(__file__).resolve().parents[2]
    ed = tmp_path / "ed"
    shutil.copytree(repo / "tei", ed / "tei")
    shutil.copytree(repo / "schema", ed / "schema")
    shutil.copy(repo / "edition.toml", ed / "edition.toml")
    persons = ed / "tei" / "persons.xml"
    entries = "".join(f'<person xml:id="many-{i}"><persName type="preferred">Person {i}</persName>'
                      "<note>An entry.</note></person>\n" for i in range(20000))
    persons.write_text(persons.read_text(encoding="utf-8").replace("<listPerson>", "<listPerson>\n" + entries, 1),
                       encoding="utf-8")
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "toolkit.cli", "validate", "--format", "json", "tei/persons.xml"],
                         cwd=ed, capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - start
    data = json.loads(res.stdout)
    unused = [d for d in data["diagnostics"] if d["rule"] == "authority.unused"]
    assert len(unused) == 20000 and data["errors"] == 0
    assert unused[-1]["line"] == 25 + 20000 and unused[-1]["message"].startswith("person 'many-19999'")
    assert took < 60, f"{took:.1f} s (quadratic: several minutes)"
