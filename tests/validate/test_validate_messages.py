"""Messages of #13 item 5: names in other namespaces with their prefix, hints that say when only
text (or nothing) is allowed, no cascade from a malformed file, files outside the edition."""
from __future__ import annotations

from pathlib import Path

from conftest import run_cli

TEI = "http://www.tei-c.org/ns/1.0"
SCHEMA = f"""<?xml version="1.0" encoding="UTF-8"?>
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="{TEI}">
  <start><element name="TEI"><element name="text"><ref name="body"/></element></element></start>
  <define name="body"><element name="body"><oneOrMore><choice><ref name="div"/><ref name="p"/></choice></oneOrMore></element></define>
  <define name="div"><element name="div"><oneOrMore><ref name="p"/></oneOrMore></element></define>
  <define name="p">
    <element name="p">
      <optional><attribute name="href" ns="http://www.w3.org/1999/xlink"/></optional>
      <zeroOrMore><choice><text/><element name="title"><text/></element><element name="lb"><empty/></element>
        <element name="math" ns="http://www.w3.org/1998/Math/MathML"><text/></element></choice></zeroOrMore>
    </element>
  </define>
</grammar>
"""
MODEL = '<?xml-model href="s.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'


def _validate(tmp_path: Path, body: str, decl: str = "") -> list[str]:
    (tmp_path / "s.rng").write_text(SCHEMA)
    (tmp_path / "d.xml").write_text(MODEL + f'<TEI xmlns="{TEI}"{decl}>\n<text><body>\n{body}\n</body></text></TEI>\n')
    res = run_cli("validate", "d.xml", cwd=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    return _with_hints(res.stdout)


def _with_hints(out: str) -> list[str]:
    """The diagnostics' lines, each with its hint (printed on the next line) appended."""
    lines: list[str] = []
    for ln in out.splitlines():
        if ln.startswith("    hint: ") and lines:
            lines[-1] += " | hint: " + ln[len("    hint: "):]
        elif ":" in ln and not ln.startswith(" "):
            lines.append(ln)
    return lines


def test_an_element_in_another_namespace_is_named_with_its_prefix(tmp_path):
    lines = _validate(tmp_path, "<cb:div><p>x</p></cb:div>", ' xmlns:cb="http://example.org/cb"')
    text = "\n".join(lines)
    assert "d.xml:4:1: error: element <cb:div> is not allowed inside <body>" in text
    assert "did you mean <div>" not in text and "<div> is not allowed" not in text


def test_an_unexpanded_xinclude_is_named_xi_include(tmp_path):
    # the include cannot be resolved (no such file, no fallback): it is reported as xi:include at
    # its own line, and no message calls it a bare <include>
    lines = _validate(tmp_path, '<xi:include href="other.xml"/>', ' xmlns:xi="http://www.w3.org/2001/XInclude"')
    assert any(ln.startswith("d.xml:4:1: warning: xi:include of 'other.xml'") for ln in lines), lines
    assert not any("<include>" in ln for ln in lines), lines


def test_expected_names_in_another_namespace_use_the_documents_prefix(tmp_path):
    lines = _validate(tmp_path, "<p><foo/></p>", ' xmlns:m="http://www.w3.org/1998/Math/MathML"')
    assert any("element <foo> is not allowed inside <p>" in ln and "<m:math>" in ln for ln in lines), lines


def test_expected_names_in_an_undeclared_namespace_are_written_with_their_uri(tmp_path):
    lines = _validate(tmp_path, "<p><foo/></p>")
    assert any("{http://www.w3.org/1998/Math/MathML}math" in ln for ln in lines), lines
    assert not any("<math>" in ln for ln in lines), lines


def test_an_attribute_in_another_namespace_is_named_with_its_prefix(tmp_path):
    lines = _validate(tmp_path, '<p rend="x">a</p>', ' xmlns:xl="http://www.w3.org/1999/xlink"')
    assert any("@rend not allowed on <p>" in ln and "allows: @xl:href" in ln for ln in lines), lines


def test_where_only_text_is_allowed_the_hint_says_so(tmp_path):
    lines = _validate(tmp_path, "<p><title><lb/></title></p>")
    hit = [ln for ln in lines if "element <lb> is not allowed inside <title>" in ln]
    assert hit and hit[0].endswith("hint: only text is allowed here"), lines
    assert not any("allowed here: nothing" in ln for ln in lines)


def test_where_nothing_is_allowed_the_hint_says_so(tmp_path):
    lines = _validate(tmp_path, "<p><lb><title>t</title></lb></p>")
    hit = [ln for ln in lines if "element <title> is not allowed inside <lb>" in ln]
    assert hit and "no content is allowed here" in hit[0], lines
    assert not any("nothing" in ln for ln in lines), lines


def test_text_where_nothing_is_allowed_says_so(tmp_path):
    lines = _validate(tmp_path, "<p><lb>words</lb></p>")
    hit = [ln for ln in lines if "text is not allowed inside <lb>" in ln]
    assert hit and "no content is allowed here" in hit[0], lines


# ---------------------------------------------------------------- (c) no cascade from a broken file

REPO = Path(__file__).resolve().parents[2]


def _bundled_edition_with_broken_persons(tmp_path: Path) -> Path:
    import shutil
    ed = tmp_path / "ed"
    ed.mkdir()
    shutil.copy(REPO / "edition.toml", ed)
    for folder in ("tei", "schema"):
        shutil.copytree(REPO / folder, ed / folder)
    (ed / "tei" / "persons.xml").write_text(f'<TEI xmlns="{TEI}">\n<broken>\n')
    return ed


def test_pointers_into_a_malformed_file_do_not_cascade(tmp_path):
    ed = _bundled_edition_with_broken_persons(tmp_path)
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1
    assert "there is no file" not in res.stdout and "persons.xml#" not in res.stdout, res.stdout
    assert res.stdout.count("tei/persons.xml:3:1: error:") == 1, res.stdout
    assert "15 files checked: 1 error" in res.stdout
    assert "references into tei/persons.xml were not checked" in res.stdout + res.stderr


def test_a_malformed_file_pointed_to_is_shown_when_only_others_are_checked(tmp_path):
    ed = _bundled_edition_with_broken_persons(tmp_path)
    res = run_cli("validate", "tei/doc-1945-08-27.xml", cwd=ed)
    assert res.returncode == 1
    lines = _with_hints(res.stdout)
    assert [ln for ln in lines if "error" in ln and not ln.startswith("1 file")] == \
        ["tei/persons.xml:3:1: error: the file ends before all elements are closed "
         "(Premature end of data in tag broken line 2) [xml.well-formed]"], lines
    assert "5 references into tei/persons.xml were not checked" in res.stdout + res.stderr


def test_model_reference_check_skips_pointers_into_a_malformed_file(tmp_path):
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\n')
    (tmp_path / "a.xml").write_text(f'<TEI xmlns="{TEI}"><text><body><p>\n')
    (tmp_path / "b.xml").write_text(
        f'<TEI xmlns="{TEI}"><text><body>\n<p><persName ref="a.xml#x">X</persName></p>\n'
        '<p><persName ref="a.xml#y">Y</persName> <persName ref="#nowhere">Z</persName></p>\n'
        '</body></text></TEI>\n')
    res = run_cli("validate", cwd=tmp_path)
    out = res.stdout + res.stderr
    assert res.returncode == 1
    assert "a.xml#" not in res.stdout, res.stdout
    assert "b.xml:3:41: error: persName/@ref '#nowhere' points to nothing" in res.stdout  # still checked
    assert "2 references into a.xml were not checked" in out


# ------------------------------------------------ (d) files named outside the edition: their own schema

ACCEPTS_TEI = f"""<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="{TEI}">
  <start><element name="TEI"><zeroOrMore><element><anyName/><text/></element></zeroOrMore></element></start>
</grammar>
"""
REJECTS_TEI = ACCEPTS_TEI.replace('name="TEI"', 'name="somethingElse"')


def _edition_and_outside_file(tmp_path: Path, href: str) -> tuple[Path, Path]:
    ed = tmp_path / "ed"
    (ed / "schema").mkdir(parents=True)
    (ed / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\nschema = "schema/ed.rng"\n'
                                     'schematron = ["schema/ed.sch"]\n')
    (ed / "schema" / "ed.rng").write_text(REJECTS_TEI)
    (ed / "schema" / "ed.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><pattern><rule context="*">'
        '<report test="true()">edition rule ran</report></rule></pattern></schema>\n')
    out = tmp_path / "elsewhere" / "deep"
    out.mkdir(parents=True)
    (out / "d.xml").write_text(f'<?xml-model href="{href}" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
                               f'<TEI xmlns="{TEI}"><p>x</p></TEI>\n')
    return ed, out / "d.xml"


def test_a_file_outside_the_edition_is_checked_against_its_own_schema(tmp_path):
    ed, doc = _edition_and_outside_file(tmp_path, "own.rng")
    (doc.parent / "own.rng").write_text(ACCEPTS_TEI)
    res = run_cli("validate", str(doc), cwd=ed)
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    assert "1 file checked: no problems." in res.stdout
    assert "own.rng (RELAX NG): 1 file" in out and "ed.rng" not in out and "edition rule ran" not in out


def test_the_editions_files_still_get_the_editions_schema_beside_an_outside_file(tmp_path):
    ed, doc = _edition_and_outside_file(tmp_path, "own.rng")
    (doc.parent / "own.rng").write_text(ACCEPTS_TEI)
    (ed / "in.xml").write_text(f'<TEI xmlns="{TEI}"><p>x</p></TEI>\n')
    res = run_cli("validate", str(doc), "in.xml", cwd=ed)
    assert res.returncode == 1
    errors = [ln for ln in res.stdout.splitlines() if ": error: " in ln]
    assert errors and all(ln.startswith("in.xml:") for ln in errors), res.stdout


def test_an_outside_files_schema_above_its_folder_is_refused(tmp_path):
    ed, doc = _edition_and_outside_file(tmp_path, "../secret.rng")
    (doc.parent.parent / "secret.rng").write_text(ACCEPTS_TEI)
    res = run_cli("validate", str(doc), cwd=ed)
    assert res.returncode == 1
    assert "deep/d.xml:1:1: error: schema '../secret.rng' is not read: it lies outside" in res.stdout, res.stdout
    assert "[schema.refused]" in res.stdout


def test_an_outside_files_schema_by_dot_dot_into_etc_is_refused(tmp_path):
    depth = len(Path(tmp_path).resolve().parts) + 2
    href = "../" * depth + "etc/passwd"
    ed, doc = _edition_and_outside_file(tmp_path, href)
    res = run_cli("validate", str(doc), cwd=ed)
    assert res.returncode == 1
    assert f"schema '{href}' is not read: it lies outside" in res.stdout, res.stdout
    assert "root:" not in res.stdout + res.stderr and "schema.invalid" not in res.stdout


def test_an_outside_files_schema_by_absolute_path_is_refused(tmp_path):
    secret = tmp_path / "secret.rng"
    secret.write_text(ACCEPTS_TEI)
    ed, doc = _edition_and_outside_file(tmp_path, str(secret))
    res = run_cli("validate", str(doc), cwd=ed)
    assert res.returncode == 1
    assert f"schema '{secret}' is not read: it lies outside" in res.stdout, res.stdout


def test_an_outside_files_schema_through_a_symbolic_link_out_of_its_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.rng"
    secret.write_text(ACCEPTS_TEI)
    ed, doc = _edition_and_outside_file(tmp_path, "link.rng")
    (doc.parent / "link.rng").symlink_to(secret)
    res = run_cli("validate", str(doc), cwd=ed)
    assert res.returncode == 1
    assert "schema 'link.rng' is not read: it lies outside" in res.stdout, res.stdout


def test_an_outside_folder_is_the_root_of_its_files_schemas(tmp_path):
    ed, doc = _edition_and_outside_file(tmp_path, "../shared.rng")
    (doc.parent.parent / "shared.rng").write_text(ACCEPTS_TEI)
    res = run_cli("validate", str(doc.parent.parent), cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 file checked: no problems." in res.stdout
