"""What XSLT run by the toolkit may read (issue #10, item 7): hostile Schematron schemas, named by
a document's <?xml-model?> as in a pull request, try every way XPath/XSLT has to read a file,
an environment variable or a URL. Each runs through `edition validate` (a new process, with a
secret in its environment) and must get nothing: the secrets never reach the output, the
loopback server counts no request, and the refusal is reported."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REPO

FILE_SECRET = "file-secret-4c1d9a"
MODULE_SECRET = "module-secret-0b7e52"
ENV_SECRET = "env-secret-93ab7f"
HTTP_SECRET = "http-secret-5e2c11"
ENV_NAME = "EDITION_TEST_SECRET"

SPY = textwrap.dedent('''\
    import http.server, sys, time
    log = open(sys.argv[1], "a", buffering=1)
    class Spy(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            log.write(self.path + "\\n")
            body = b'<?xml version="1.0"?><r>%s</r>' % sys.argv[2].encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Spy)
    server.timeout = 0.5
    print(server.server_address[1], flush=True)
    end = time.time() + 600  # stops by itself
    while time.time() < end:
        server.handle_request()
    ''')


@pytest.fixture(scope="module")
def spy_server(tmp_path_factory):
    """A loopback HTTP server (its own process: Saxon holds the GIL) logging every request."""
    folder = tmp_path_factory.mktemp("spy")
    (folder / "spy.py").write_text(SPY)
    log = folder / "requests.log"
    log.write_text("")
    proc = subprocess.Popen([sys.executable, str(folder / "spy.py"), str(log), HTTP_SECRET],
                            stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    yield f"http://127.0.0.1:{port}", log
    proc.kill()
    proc.wait()


@pytest.fixture
def spy(spy_server):
    """The server's URL and its log, emptied for this test."""
    spy_server[1].write_text("")
    return spy_server


@pytest.fixture
def place(tmp_path):
    """An edition folder and, beside it, a folder of secrets the edition must not reach."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(FILE_SECRET + "\n")
    (outside / "secret.xml").write_text(f"<s>{FILE_SECRET}</s>")
    (outside / "secret.json").write_text(json.dumps({"s": FILE_SECRET}))
    (outside / "evil.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
        f'<xsl:function name="e:f"><xsl:sequence select="\'{MODULE_SECRET}\'"/></xsl:function>'
        '</xsl:stylesheet>')
    (outside / "evil.sch").write_text(
        '<sch:pattern xmlns:sch="http://purl.oclc.org/dsdl/schematron"><sch:rule context="/*">'
        f'<sch:report test="true()" id="leak">{MODULE_SECRET}</sch:report></sch:rule></sch:pattern>')
    ed = tmp_path / "ed"
    (ed / "tei").mkdir(parents=True)
    (ed / "edition.toml").write_text('[edition]\ntitle = "t"\nsources = ["tei/*.xml"]\n')
    (ed / "tei" / "a.xml").write_text(
        '<?xml-model href="../evil.sch" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>text</p></body></text></TEI>\n')
    return ed, outside


def schema(body: str, top: str = "") -> str:
    return ('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3"\n'
            '    xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">\n'
            f'  {top}\n'
            '  <sch:pattern><sch:rule context="/*">\n'
            f'    {body}\n'
            '  </sch:rule></sch:pattern>\n</sch:schema>\n')


def leak(expr: str) -> str:
    """A report that fires on the root and writes what the expression gave."""
    return f'<sch:report test="true()" id="leak">LEAK[<sch:value-of select="{expr}"/>]</sch:report>'


def validate(ed: Path) -> tuple[subprocess.CompletedProcess, dict]:
    env = {**os.environ, ENV_NAME: ENV_SECRET}
    res = subprocess.run([sys.executable, "-m", "toolkit.cli", "validate", "--format", "json"],
                         cwd=ed, env=env, capture_output=True, text=True, timeout=600)
    try:
        data = json.loads(res.stdout)
    except ValueError:
        pytest.fail(f"no JSON report (exit {res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res, data


def assert_nothing_leaked(res, spy_log: Path):
    out = res.stdout + res.stderr
    for secret in (FILE_SECRET, MODULE_SECRET, ENV_SECRET, HTTP_SECRET):
        assert secret not in out, f"{secret} reached the output:\n{out}"
    assert "Traceback" not in res.stderr
    time.sleep(0.2)  # (a request in flight is logged by then)
    assert spy_log.read_text() == "", f"Saxon made HTTP requests: {spy_log.read_text()}"


# ------------------------------------------------------------------------ functions at run time

RUNTIME_CASES = {
    # function: (expression; where the secret lives)
    "doc": "doc('{outside}/secret.xml')",
    "document": "document('{outside}/secret.xml')",
    "unparsed-text": "unparsed-text('{outside}/secret.txt')",
    "unparsed-text-lines": "unparsed-text-lines('{outside}/secret.txt')",
    "json-doc": "json-doc('{outside}/secret.json')?s",
    "collection": "collection('{outside}/?select=*.xml')",
    "doc-http": "doc('{http}/doc')",
    "unparsed-text-http": "unparsed-text('{http}/text')",
    "json-doc-http": "json-doc('{http}/json')",
    "source-document": None,  # an instruction: see below
}


@pytest.mark.parametrize("case", sorted(RUNTIME_CASES))
def test_reading_functions_are_refused(place, spy, case):
    ed, outside = place
    http, log = spy
    if case == "source-document":
        body = ('<sch:report test="true()" id="leak">LEAK[<sch:value-of select="e:read()"/>]</sch:report>')
        top = ('<xsl:function name="e:read"><xsl:source-document href="' + outside.as_uri()
               + '/secret.xml"><xsl:value-of select="."/></xsl:source-document></xsl:function>')
    else:
        body, top = leak(RUNTIME_CASES[case].format(outside=outside.as_uri(), http=http)), ""
    (ed / "evil.sch").write_text(schema(body, top))
    res, data = validate(ed)
    assert_nothing_leaked(res, log)
    assert res.returncode == 1
    d, = data["diagnostics"]
    assert (d["path"], d["line"], d["rule"]) == ("tei/a.xml", 2, "schematron.refused"), d
    assert "which was refused" in d["message"] and "evil.sch:5" in d["message"], d["message"]
    if case != "collection":  # (Saxon names the scheme only)
        assert (outside.as_uri() in d["message"]) or (http in d["message"])


@pytest.mark.parametrize("expr", [
    "environment-variable('" + ENV_NAME + "')",
    "string-join(available-environment-variables(), ',')",
    "string-join(available-environment-variables() ! environment-variable(.), ',')",
    "system-property('user.home') || system-property('user.name') || system-property('user.dir')",
])
def test_the_environment_is_empty(place, spy, expr):
    ed, _ = place
    (ed / "evil.sch").write_text(schema(leak(expr)))
    res, data = validate(ed)
    assert_nothing_leaked(res, spy[1])
    assert [(d["rule"], d["message"]) for d in data["diagnostics"]] == [("leak", "LEAK[]")]


def test_availability_checks_answer_false_without_asking(place, spy):
    ed, outside = place
    http, log = spy
    expr = (f"doc-available('{http}/x?d=secret'), unparsed-text-available('{http}/y'), "
            f"doc-available('{outside.as_uri()}/secret.xml'), "
            f"unparsed-text-available('{outside.as_uri()}/secret.txt')")
    (ed / "evil.sch").write_text(schema(leak(expr)))
    res, data = validate(ed)
    assert_nothing_leaked(res, log)
    assert [(d["rule"], d["message"]) for d in data["diagnostics"]] == [("leak", "LEAK[false false false false]")]


# ------------------------------------------------------------------------ what a schema includes

def include_cases(outside: Path, http: str) -> dict[str, tuple[str, str]]:
    """(top-level markup of the schema, the URI the diagnostic must name)"""
    return {
        "xsl:include relative": ('<xsl:include href="../outside/evil.xsl"/>', (outside / "evil.xsl").as_uri()),
        "xsl:include absolute path": (f'<xsl:include href="{outside}/evil.xsl"/>', (outside / "evil.xsl").as_uri()),
        "xsl:include file URI": (f'<xsl:include href="{(outside / "evil.xsl").as_uri()}"/>', (outside / "evil.xsl").as_uri()),
        "xsl:include remote": (f'<xsl:include href="{http}/evil.xsl"/>', f"{http}/evil.xsl"),
        "xsl:import absolute path": (f'<xsl:import href="{outside}/evil.xsl"/>', (outside / "evil.xsl").as_uri()),
        "xsl:import remote": (f'<xsl:import href="{http}/evil.xsl"/>', f"{http}/evil.xsl"),
        "sch:include outside": ('<sch:include href="../outside/evil.sch"/>', (outside / "evil.sch").as_uri()),
        "sch:include remote": (f'<sch:include href="{http}/evil.sch"/>', f"{http}/evil.sch"),
    }


@pytest.mark.parametrize("case", list(include_cases(Path("/x"), "http://h")))
def test_includes_outside_the_edition_are_refused(place, spy, case):
    ed, outside = place
    http, log = spy
    top, uri = include_cases(outside, http)[case]
    body = leak("e:f()") if case.startswith("xsl:") else '<sch:assert test="true()">fine</sch:assert>'
    (ed / "evil.sch").write_text(schema(body, top))
    res, data = validate(ed)
    assert_nothing_leaked(res, log)
    assert res.returncode == 1
    d, = data["diagnostics"]
    assert (d["path"], d["line"], d["column"], d["rule"]) == ("evil.sch", 3, 3, "schematron.schema"), d
    assert f"refused to read {uri}" in d["message"], d["message"]
    assert str(ed) in d["message"]  # names the folder that is allowed


def test_a_symbolic_link_out_of_the_edition_is_refused(place, spy):
    ed, outside = place
    (ed / "lib.xsl").symlink_to(outside / "evil.xsl")
    (ed / "evil.sch").write_text(schema(leak("e:f()"), '<xsl:include href="lib.xsl"/>'))
    res, data = validate(ed)
    assert_nothing_leaked(res, spy[1])
    d, = data["diagnostics"]
    assert d["rule"] == "schematron.schema" and "refused to read" in d["message"] and "lib.xsl" in d["message"]


def test_a_module_inside_the_edition_may_not_include_one_outside(place, spy):
    ed, outside = place
    (ed / "lib.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n'
        f'\n<xsl:import href="{outside}/evil.xsl"/>\n</xsl:stylesheet>')
    (ed / "evil.sch").write_text(schema(leak("e:f()"), '<xsl:include href="lib.xsl"/>'))
    res, data = validate(ed)
    assert_nothing_leaked(res, spy[1])
    d, = data["diagnostics"]
    assert (d["path"], d["line"], d["rule"]) == ("evil.sch", 3, "schematron.schema")
    assert f"refused to read {(outside / 'evil.xsl').as_uri()}" in d["message"] and "(in lib.xsl, line 3)" in d["message"]


def test_includes_inside_the_edition_still_work(place, spy):
    ed, _ = place
    (ed / "rules").mkdir()
    (ed / "rules" / "lib.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
        '<xsl:import href="more.xsl"/>'
        '<xsl:function name="e:f"><xsl:sequence select="\'from lib \' || e:g()"/></xsl:function></xsl:stylesheet>')
    (ed / "rules" / "more.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
        '<xsl:function name="e:g"><xsl:sequence select="\'and more\'"/></xsl:function></xsl:stylesheet>')
    (ed / "rules" / "p.sch").write_text(
        '<sch:pattern xmlns:sch="http://purl.oclc.org/dsdl/schematron"><sch:rule context="/*">'
        '<sch:report test="true()" id="included">included pattern</sch:report></sch:rule></sch:pattern>')
    (ed / "evil.sch").write_text(schema(leak("e:f()"), '<xsl:include href="rules/lib.xsl"/>\n'
                                        '  <sch:include href="rules/p.sch"/>'))
    res, data = validate(ed)
    assert_nothing_leaked(res, spy[1])
    assert sorted((d["rule"], d["message"]) for d in data["diagnostics"]) == [
        ("included", "included pattern"), ("leak", "LEAK[from lib and more]")]


def test_a_module_whose_markup_the_rewrite_cannot_follow_still_works(place, spy):
    """An include inside a comment, another with single quotes, a DOCTYPE: the module is then
    serialised by lxml instead of rewritten in place."""
    ed, outside = place
    (ed / "lib.xsl").write_text(
        '<!DOCTYPE xsl:stylesheet [<!ENTITY word "from lib">]>\n'
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">\n'
        f'<!-- <xsl:include href="{outside}/evil.xsl"/> -->\n'
        "<xsl:include href='more.xsl'/>\n"
        '<xsl:function name="e:f"><xsl:sequence select="\'&word; \' || e:g()"/></xsl:function></xsl:stylesheet>')
    (ed / "more.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
        '<xsl:function name="e:g"><xsl:sequence select="\'and more\'"/></xsl:function></xsl:stylesheet>')
    (ed / "evil.sch").write_text(schema(leak("e:f()"), '<xsl:include href="lib.xsl"/>'))
    res, data = validate(ed)
    assert_nothing_leaked(res, spy[1])
    assert [(d["rule"], d["message"]) for d in data["diagnostics"]] == [("leak", "LEAK[from lib and more]")]


def test_doc_of_a_file_inside_the_edition_is_refused_too(place, spy):
    """Saxon's control is by protocol, not by folder: rules get the edition's files through
    $edition-context, and doc() on any file, even one of the edition, is refused (documented
    in docs/validation.md, "What XSLT may read")."""
    ed, _ = place
    (ed / "tei" / "b.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>\n')
    (ed / "evil.sch").write_text(schema(leak("doc(resolve-uri('b.xml', base-uri(/)))")))
    res, data = validate(ed)
    d, = [x for x in data["diagnostics"] if x["rule"] != "schema.none"]  # (b.xml names no schema)
    assert d["rule"] == "schematron.refused" and str(ed / "tei" / "b.xml") in d["message"]


def test_edition_rules_without_a_context_say_so_instead_of_reading():
    """edition.sch builds its context with doc() when none is passed (XML editors); under the
    toolkit's processor it says that it cannot, instead of reporting every pointer broken."""
    from toolkit import saxon
    from toolkit.validate import schematron as S
    from toolkit.xmlsafe import parse_file
    src = parse_file(REPO / "tests" / "fixtures" / "schematron" / "valid" / "doc-1937-06-14.xml")
    compiled = S.compile_schematron(REPO / "schema" / "edition.sch")
    try:
        messages = [d.message for d in S.svrl_diagnostics(S.run_svrl(src, compiled, None), src)]
    except saxon.XsltError as e:
        messages = [str(e)]
    assert messages and all("no edition context was passed" in m for m in messages), messages
    assert S.check(src, REPO / "schema" / "edition.sch") == []  # check() passes the folder's


# ------------------------------------------------------------------------ writing

def test_result_documents_are_never_written(place, spy):
    ed, outside = place
    target = outside / "written.txt"
    (ed / "w.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/" priority="100"><xsl:result-document href="{target.as_uri()}" method="text">'
        'overwritten</xsl:result-document></xsl:template></xsl:stylesheet>')
    (ed / "evil.sch").write_text(schema(leak("1"), '<xsl:import href="w.xsl"/>'))
    res, data = validate(ed)
    assert not target.exists()
    assert res.returncode == 1
    d, = data["diagnostics"]
    assert d["path"] == "evil.sch" and "xsl:result-document is disabled" in d["message"]


# ------------------------------------------------------------------------ in process

def test_the_processor_sees_no_environment_and_reads_nothing():
    """The processor itself, as the HTML and PDF builds use it."""
    from toolkit import saxon
    proc = saxon.processor()
    xp = proc.new_xpath_processor()
    assert str(xp.evaluate_single("count(available-environment-variables())")) == "0"
    assert str(xp.evaluate_single(f"doc-available('{(REPO / 'tei' / 'persons.xml').as_uri()}')")) == "false"
    assert str(xp.evaluate_single(f"unparsed-text-available('{(REPO / 'README.md').as_uri()}')")) == "false"


def test_a_stylesheet_compiled_once_saxon_is_closed_reads_its_modules_from_allowed_folders(tmp_path):
    """(After the first document, Saxon reads no file: a toolkit stylesheet compiled then gets its
    modules from Python, from its own folder and xslt/ only.)"""
    from toolkit import saxon
    saxon.processor()  # closed from here on
    (tmp_path / "own").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "own" / "lib.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
        '<xsl:function name="e:f"><xsl:sequence select="\'own\'"/></xsl:function></xsl:stylesheet>')
    (tmp_path / "other" / "x.xsl").write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>')
    good = tmp_path / "own" / "good.xsl"
    good.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:e="urn:e">'
                    f'<xsl:import href="{(REPO / "xslt" / "lib" / "common.xsl").as_uri()}"/><xsl:include href="lib.xsl"/>'
                    '<xsl:template match="/"><r><xsl:value-of select="e:f()"/></r></xsl:template></xsl:stylesheet>')
    assert ">own</r>" in saxon.transform(good, "<a/>")
    bad = tmp_path / "own" / "bad.xsl"
    bad.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                   '<xsl:include href="../other/x.xsl"/></xsl:stylesheet>')
    with pytest.raises(saxon.XsltError, match="bad.xsl: stylesheet does not compile: .*refused to read .*other/x.xsl"):
        saxon.compile_stylesheet(bad)


def test_a_processor_made_before_the_toolkits_is_refused(tmp_path):
    """Saxon copies the environment once per process: had something else made a processor
    first, the toolkit's would see the environment. It then refuses to run anything."""
    code = ("import os; os.environ['EDITION_TEST_SECRET'] = 'x'\n"
            "from saxonche import PySaxonProcessor; early = PySaxonProcessor(license=False)\n"
            "from toolkit import saxon\n"
            "try:\n    saxon.processor()\nexcept saxon.XsltError as e:\n    print('refused:', e)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.stdout.startswith("refused: refusing to run XSLT: Saxon can read this process's environment"), res
