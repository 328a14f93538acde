"""ODD customisations: what the compiler does with each feature, its errors (file, line, the
feature), the cache, `edition validate` with an ODD from --schema, edition.toml and xml-model,
and `edition schema build`."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli, shared_path
from toolkit.validate import rng_derivative
from toolkit.validate.odd import OddError, cached_compile, compile_odd, serialise

TEI_NS = "http://www.tei-c.org/ns/1.0"


def odd(body: str, attrs: str = 'ident="test" start="TEI"') -> str:
    return (f'<TEI xmlns="{TEI_NS}" xmlns:sch="http://purl.oclc.org/dsdl/schematron" '
            f'xmlns:rng="http://relaxng.org/ns/structure/1.0"><teiHeader/><text><body>\n'
            f'<schemaSpec {attrs}>\n<moduleRef key="tei"/>\n'
            f'<moduleRef key="core" include="p hi title"/>\n'
            f'<moduleRef key="header" include="teiHeader fileDesc titleStmt publicationStmt sourceDesc"/>\n'
            f'<moduleRef key="textstructure" include="TEI text body"/>\n{body}\n'
            f'</schemaSpec></body></text></TEI>')


def doc(body: str, root_attrs: str = "") -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(
        f'<TEI xmlns="{TEI_NS}" {root_attrs}><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        f'<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>'
        f'</teiHeader><text><body>{body}</body></text></TEI>'))


@pytest.fixture
def tei_all():
    return shared_path("schemas", "tei_all.rng")


def compiled(tmp_path: Path, body: str, tei_all: Path, **kw) -> Path:
    src = tmp_path / "my.odd"
    src.write_text(odd(body, **kw))
    c = compile_odd(src, tei_all)
    rng = tmp_path / "my.rng"
    rng.write_bytes(serialise(c.rng_tree))
    (tmp_path / "my.sch").write_bytes(serialise(c.schematron_tree))
    return rng


def valid(rng: Path, body: str, root_attrs: str = "") -> bool:
    return rng_derivative.is_valid(doc(body, root_attrs), rng)


def test_module_include_selects_elements(tmp_path, tei_all):
    rng = compiled(tmp_path, "", tei_all)
    assert valid(rng, "<p>a <hi>b</hi></p>")
    assert not valid(rng, "<p>a <emph>b</emph></p>")      # core, not included
    assert not valid(rng, "<div><p>x</p></div>")           # textstructure, not included


def test_element_delete_and_elementref(tmp_path, tei_all):
    rng = compiled(tmp_path, '<elementSpec ident="hi" mode="delete"/><elementRef key="emph"/>', tei_all)
    assert not valid(rng, "<p><hi>b</hi></p>")
    assert valid(rng, "<p><emph>b</emph></p>")


def test_attdef_delete_change_and_closed_vallist(tmp_path, tei_all):
    rng = compiled(tmp_path, """
      <elementSpec ident="hi" mode="change"><attList>
        <attDef ident="rend" mode="change" usage="req">
          <valList type="closed" mode="replace"><valItem ident="bold"/><valItem ident="italic"/></valList>
        </attDef>
        <attDef ident="n" mode="delete"/>
      </attList></elementSpec>
      <classSpec ident="att.global.rendition" type="atts" mode="change"><attList>
        <attDef ident="style" mode="delete"/></attList></classSpec>""", tei_all)
    assert valid(rng, '<p><hi rend="bold">b</hi></p>')
    assert valid(rng, '<p><hi rend="bold italic">b</hi></p>')       # @rend stays a list of values…
    assert not valid(rng, '<p><hi rend="bold red">b</hi></p>')      # …each from the closed list
    assert not valid(rng, '<p><hi rend="red">b</hi></p>')
    assert not valid(rng, "<p><hi>b</hi></p>")                      # usage="req"
    assert not valid(rng, '<p><hi rend="bold" n="1">b</hi></p>')    # deleted on hi only
    assert valid(rng, '<p n="1">x</p>')
    assert not valid(rng, '<p style="color:red">x</p>')             # deleted from the class


def test_new_element_in_own_namespace_with_pure_odd_content(tmp_path, tei_all):
    rng = compiled(tmp_path, """
      <elementSpec ident="rating" mode="add" ns="http://example.org/ns">
        <classes><memberOf key="model.phrase"/></classes>
        <content><sequence><elementRef key="hi" minOccurs="1" maxOccurs="2"/>
          <alternate minOccurs="0"><textNode/><elementRef key="title"/></alternate></sequence></content>
        <attList><attDef ident="stars" mode="add" usage="req"><datatype><dataRef key="teidata.count"/></datatype>
        </attDef></attList>
      </elementSpec>""", tei_all)
    ns = 'xmlns:x="http://example.org/ns"'
    assert valid(rng, f'<p {ns}><x:rating stars="3"><hi>a</hi><hi>b</hi><title>t</title></x:rating></p>')
    assert not valid(rng, f'<p {ns}><x:rating stars="3"><hi>a</hi><hi>b</hi><hi>c</hi></x:rating></p>')
    assert not valid(rng, f'<p {ns}><x:rating stars="many"><hi>a</hi></x:rating></p>')
    assert not valid(rng, '<p><rating stars="3"><hi>a</hi></rating></p>')   # not in the TEI namespace


def test_constraint_spec_goes_to_the_schematron(tmp_path, tei_all):
    compiled(tmp_path, """
      <elementSpec ident="p" mode="change"><constraintSpec ident="noEmpty" scheme="schematron">
        <constraint><sch:assert test="normalize-space()">empty paragraph</sch:assert></constraint>
      </constraintSpec></elementSpec>""", tei_all)
    sch = etree.parse(str(tmp_path / "my.sch"))
    S = "{http://purl.oclc.org/dsdl/schematron}"
    rules = {r.get("context"): r for r in sch.iter(S + "rule")}
    assert rules["tei:p"].find(S + "assert").text == "empty paragraph"
    # the TEI's own constraints for the elements kept come along; those of elements left out do not
    ids = [p.get("id") for p in sch.iter(S + "pattern")]
    assert any("-p-abstractModel-structure-p-in-ab-or-p-" in i for i in ids)
    assert not any("-div-abstractModel" in i for i in ids)
    assert all(el.tag.startswith(S) for el in sch.iter() if isinstance(el.tag, str))


def test_schematron_runs_in_validate(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    (tmp_path / "my.odd").write_text(odd("""
      <elementSpec ident="p" mode="change"><constraintSpec ident="noEmpty" scheme="schematron">
        <constraint><sch:assert test="normalize-space()">empty paragraph</sch:assert></constraint>
      </constraintSpec></elementSpec>"""))
    f = tmp_path / "a.xml"
    f.write_text(etree.tostring(doc("<p/>"), encoding="unicode"))
    res = run_cli("validate", "--schema", "my.odd", "a.xml", cwd=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "a.xml:1:" in res.stdout and "empty paragraph" in res.stdout


UNSUPPORTED = [
    ('<moduleRef key="figures" url="http://example.org/x.rng"/>', "moduleRef/@url"),
    ('<elementSpec ident="p" mode="change"><attList org="choice"><attDef ident="a"/></attList></elementSpec>',
     "org='choice'"),
    ('<elementSpec ident="p" mode="change"><constraintSpec ident="c" scheme="xsd"><constraint/></constraintSpec>'
     '</elementSpec>', "scheme='xsd'"),
    ('<elementSpec ident="p" mode="change"><content><rng:notAllowed/><frob/></content></elementSpec>',
     "<frob> in a content model"),
    ('<elementSpec ident="nosuch" mode="change"/>', "'nosuch' mode='change'"),
    ('<elementRef key="nosuch"/>', "elementRef: the TEI has no element 'nosuch'"),
    ('<moduleRef key="nosuchmodule"/>', "no module 'nosuchmodule'"),
    ('<elementSpec ident="p" mode="change"><attList><attDef ident="a" mode="add"><datatype>'
     '<dataRef key="teidata.nosuch"/></datatype></attDef></attList></elementSpec>', "teidata.nosuch"),
]


@pytest.mark.parametrize("body,feature", UNSUPPORTED)
def test_unsupported_features_are_named_with_file_and_line(tmp_path, tei_all, body, feature):
    src = tmp_path / "my.odd"
    src.write_text(odd(body))
    with pytest.raises(OddError) as e:
        compile_odd(src, tei_all)
    assert e.value.path == str(src) and e.value.line == 7     # the line of the feature
    assert feature in str(e.value)


def test_broken_odds(tmp_path, tei_all):
    bad = tmp_path / "bad.odd"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<oops></TEI>")
    with pytest.raises(OddError, match="not well-formed"):
        compile_odd(bad, tei_all)
    plain = tmp_path / "plain.odd"
    plain.write_text(f"<TEI xmlns='{TEI_NS}'><text/></TEI>")
    with pytest.raises(OddError, match="no <schemaSpec>"):
        compile_odd(plain, tei_all)
    src = tmp_path / "src.odd"
    src.write_text(odd("", attrs='ident="x" source="missing.odd"'))
    with pytest.raises(OddError, match="'missing.odd' not found"):
        compile_odd(src, tei_all)
    url = tmp_path / "url.odd"
    url.write_text(odd("", attrs='ident="x" source="https://example.org/lib.odd"'))
    with pytest.raises(OddError, match="only a local ODD file"):
        compile_odd(url, tei_all)


def test_source_odd_is_the_library(tmp_path, tei_all):
    (tmp_path / "lib.odd").write_text(odd('<elementSpec ident="hi" mode="change"><attList>'
                                          '<attDef ident="rend" mode="delete"/></attList></elementSpec>'))
    (tmp_path / "my.odd").write_text(odd("", attrs='ident="child" source="lib.odd"'))
    c = compile_odd(tmp_path / "my.odd", tei_all)
    rng = tmp_path / "child.rng"
    rng.write_bytes(serialise(c.rng_tree))
    assert valid(rng, "<p><hi>x</hi></p>") and not valid(rng, '<p><hi rend="b">x</hi></p>')
    assert [p.name for p in c.sources] == ["my.odd", "lib.odd"]


# -- cache ---------------------------------------------------------------------------------------

def test_compiled_once_then_from_the_cache(tmp_path, tei_all, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "lib.odd").write_text(odd(""))
    src = tmp_path / "my.odd"
    src.write_text(odd("", attrs='ident="mine" source="lib.odd"'))
    rng, sch, fresh = cached_compile(src, tei_all)
    assert fresh is not None and rng.name == "mine.rng" and sch.name == "mine.sch"
    assert str(rng).startswith(str(tmp_path / "cache" / "tei-edition-toolkit" / "odd"))
    again = cached_compile(src, tei_all)
    assert again[:2] == (rng, sch) and again[2] is None                  # from the cache
    (tmp_path / "lib.odd").write_text(odd('<elementSpec ident="hi" mode="delete"/>'))
    assert cached_compile(src, tei_all)[2] is not None                   # its source changed
    src.write_text(odd('<elementSpec ident="title" mode="delete"/>', attrs='ident="mine" source="lib.odd"'))
    assert cached_compile(src, tei_all)[2] is not None                   # the ODD changed


# -- edition validate ----------------------------------------------------------------------------

def _seed_tei_all(tmp_path, monkeypatch, tei_all):
    """tei_all.rng in a fresh schema cache, as `edition schemas fetch tei_all` leaves it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from toolkit.validate import schema_cache
    path = schema_cache.cached_path(schema_cache.known_file("tei_all"))
    path.parent.mkdir(parents=True)
    data = tei_all.read_bytes()
    path.write_bytes(data)
    path.with_name(path.name + ".json").write_text(json.dumps({"sha256": hashlib.sha256(data).hexdigest()}))


def _lite_edition(tmp_path: Path, schema: str | None = None, extra: str = "") -> Path:
    lite = shared_path("corpora", "teic", "odd", "tei_lite.odd")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "tei_lite.odd").write_bytes(lite.read_bytes())
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\n'
                                           + (f'schema = "{schema}"\n' if schema else "") + extra)
    good = etree.tostring(doc("<p>fine</p>"), encoding="unicode")
    (tmp_path / "good.xml").write_text(good)
    (tmp_path / "bad.xml").write_text(good.replace("<p>fine</p>", "<p>x</p>\n<ab>not in Lite</ab>"))
    return tmp_path


def test_validate_with_schema_option(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    ed = _lite_edition(tmp_path)
    res = run_cli("validate", "--schema", "schema/tei_lite.odd", "good.xml", "bad.xml", cwd=ed)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "bad.xml:2:1: error: element <ab> is not allowed" in res.stdout
    assert "good.xml" not in res.stdout and "Traceback" not in res.stderr
    assert "tei_lite.odd (TEI ODD): 2 files" in res.stderr


def test_validate_with_config_schema(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    ed = _lite_edition(tmp_path, "schema/tei_lite.odd")
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1 and "bad.xml:2:1: error: element <ab>" in res.stdout, res.stdout + res.stderr


def test_validate_with_xml_model(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    ed = _lite_edition(tmp_path)
    pi = '<?xml-model href="schema/tei_lite.odd" type="application/tei+xml" ?>\n'
    for name in ("good.xml", "bad.xml"):
        (ed / name).write_text(pi + (ed / name).read_text())
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1 and "bad.xml:3:1: error: element <ab>" in res.stdout, res.stdout + res.stderr


def test_no_tei_all_names_the_fetch_command(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ed = _lite_edition(tmp_path, "schema/tei_lite.odd", '[schemas]\nfetch = "never"\n')
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "edition schemas fetch tei_all" in res.stdout, res.stdout
    assert "[schema.invalid]" in res.stdout


def test_odd_that_does_not_compile_is_one_error_at_its_line(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    ed = _lite_edition(tmp_path, "schema/broken.odd")
    (ed / "schema" / "broken.odd").write_text(odd('<moduleRef key="figures" url="x.rng"/>'))
    (ed / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><oops></TEI>")
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1
    lines = [x for x in res.stdout.splitlines() if "[schema.invalid]" in x]
    assert lines == ["schema/broken.odd:7:1: error: moduleRef/@url (an external RELAX NG module) is not "
                     "supported [schema.invalid]"], res.stdout
    assert "broken.xml:1:" in res.stdout       # the other files are still checked


# -- edition schema build ------------------------------------------------------------------------

def test_schema_build_writes_and_guards(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    ed = _lite_edition(tmp_path)
    res = run_cli("schema", "build", "schema/tei_lite.odd", "-o", "out", cwd=ed)
    assert res.returncode == 0, res.stderr
    rng, sch = ed / "out" / "tei_lite.rng", ed / "out" / "tei_lite.sch"
    assert res.stdout.splitlines()[:2] == ["wrote out/tei_lite.rng", "wrote out/tei_lite.sch"]
    assert all("[schema.note]" in ln for ln in res.stdout.splitlines()[2:])  # (tests/test_odd_notes.py)
    assert rng_derivative.is_valid(etree.parse(str(ed / "good.xml")), rng)
    assert not rng_derivative.is_valid(etree.parse(str(ed / "bad.xml")), rng)
    assert etree.parse(str(sch)).getroot().tag == "{http://purl.oclc.org/dsdl/schematron}schema"
    # again: its own files are replaced
    assert run_cli("schema", "build", "schema/tei_lite.odd", "-o", "out", cwd=ed).returncode == 0
    # a file the toolkit did not write is not
    sch.write_text("<mine/>")
    res = run_cli("schema", "build", "schema/tei_lite.odd", "-o", "out", cwd=ed)
    assert res.returncode == 2 and "did not write it" in res.stderr and "--force" in res.stderr
    assert sch.read_text() == "<mine/>"
    assert run_cli("schema", "build", "schema/tei_lite.odd", "-o", "out", "--force", cwd=ed).returncode == 0
    assert "Generated by tei-edition-toolkit" in sch.read_text()
    # a symbolic link is never written through
    sch.unlink()
    target = tmp_path / "elsewhere.sch"
    target.write_text("<precious/>")
    os.symlink(target, sch)
    res = run_cli("schema", "build", "schema/tei_lite.odd", "-o", "out", "--force", cwd=ed)
    assert res.returncode == 2 and "symbolic link" in res.stderr and target.read_text() == "<precious/>"


def test_schema_build_bad_odd_exit_1(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    (tmp_path / "bad.odd").write_text(odd('<elementRef key="nosuch"/>'))
    res = run_cli("schema", "build", "bad.odd", "-o", "out", cwd=tmp_path)
    assert res.returncode == 1 and "bad.odd:7: elementRef: the TEI has no element 'nosuch'" in res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "out").exists()
