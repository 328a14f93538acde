"""`validate --staged` re-checks the files that a commit can break without touching them (issue
#10, item 5): those pointing into a deleted, renamed or changed file, and the whole edition when
its edition.toml or a schema changes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from staged_support import (bundled_edition, found, git, init_repo, make_edition, persons,
                            staged, write)
from toolkit.validate.dependents import FileChange, changed_ids, dependents, pointer_tokens


def full_check(ed: Path) -> dict:
    """`edition validate` of the whole edition (the working tree, which is the index here)."""
    res = run_cli("validate", "--format", "json", cwd=ed)
    return json.loads(res.stdout)


@pytest.fixture
def ed(tmp_path):
    return init_repo(make_edition(tmp_path / "ed"))


def test_git_rm_of_the_authority_file_reports_every_document_pointing_into_it(tmp_path):
    ed = init_repo(bundled_edition(tmp_path / "ed"))
    git(ed, "rm", "-q", "tei/persons.xml")
    code, data, _ = staged(ed)
    everything = full_check(ed)
    assert code == 1 and everything["errors"] == 71
    assert data["errors"] == everything["errors"]
    assert found(data) == found(everything)


def test_a_renamed_id_in_the_authority_file_reports_the_documents_using_the_old_one(ed):
    write(ed / "tei" / "persons.xml", persons("anna", "borys"))
    git(ed, "add", "tei/persons.xml")
    code, data, _ = staged(ed)
    assert code == 1
    assert found(data) == {("tei/b.xml", 4, "ref.resolves")}  # '#boris', a bare id
    write(ed / "tei" / "persons.xml", persons("anya", "boris"))
    git(ed, "add", "tei/persons.xml")
    code, data, _ = staged(ed)
    assert found(data) == {("tei/a.xml", 4, "ref.resolves")}  # 'persons.xml#anna'


def test_an_edit_that_keeps_every_id_rechecks_nothing_else(ed):
    write(ed / "tei" / "persons.xml", persons("anna", "boris").replace(">anna<", ">Anna K.<"))
    git(ed, "add", "tei/persons.xml")
    code, data, _ = staged(ed)
    assert (code, data["files"]) == (0, 1)


def test_git_mv_of_a_document_that_others_point_to(tmp_path):
    ed = init_repo(bundled_edition(tmp_path / "ed"))
    git(ed, "mv", "tei/doc-1937-06-14.xml", "tei/doc-1937-06-15.xml")
    code, data, _ = staged(ed)
    assert code == 1
    assert found(data) == found(full_check(ed))  # the working tree is the index here
    pointing = {p for p, _, r in found(data) if r == "ref.resolves"}
    assert pointing == {"tei/places.xml", "tei/persons.xml", "tei/orgs.xml", "tei/edition.xml"}
    assert all("doc-1937-06-14.xml" in d["message"] for d in data["diagnostics"]
               if d["rule"] == "ref.resolves")


def test_git_mv_of_the_authority_file(ed):
    git(ed, "mv", "tei/persons.xml", "tei/people.xml")
    write(ed / "edition.toml", (ed / "edition.toml").read_text().replace("persons.xml", "people.xml"))
    git(ed, "add", "edition.toml")
    code, data, _ = staged(ed)
    assert code == 1
    assert found(data) == {("tei/a.xml", 4, "ref.resolves")}  # persons.xml#anna; #boris resolves


def test_a_staged_edition_toml_checks_the_whole_edition(ed):
    write(ed / "edition.toml", (ed / "edition.toml").read_text().replace('title = "Mini"', 'title = "M"'))
    git(ed, "add", "edition.toml")
    code, data, _ = staged(ed)
    assert (code, data["files"]) == (0, 4)


def test_a_staged_schema_checks_the_whole_edition(ed):
    write(ed / "mini.rng", (ed / "mini.rng").read_text().replace('<optional><attribute name="n"/></optional>',
                                                                  '<attribute name="n"/>'))
    git(ed, "add", "mini.rng")
    code, data, _ = staged(ed)
    assert code == 1 and data["files"] == 4
    assert {p for p, _, _ in found(data)} == {"tei/a.xml", "tei/b.xml", "tei/c.xml"}


def test_a_schema_named_only_by_xml_model_outside_the_edition_folder(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "ed", config='[edition]\nsources = ["tei/*.xml"]\nreferences = "on"\n')
    (top / "ed" / "mini.rng").rename(top / "schemas.rng")
    for f in (top / "ed" / "tei").glob("*.xml"):
        f.write_text('<?xml-model href="../../schemas.rng" '
                     'schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + f.read_text())
    init_repo(top)
    write(top / "schemas.rng", (top / "schemas.rng").read_text().replace(
        '<optional><attribute name="n"/></optional>', '<attribute name="n"/>'))
    git(top, "add", "schemas.rng")
    code, data, _ = staged(top)
    assert code == 1 and data["files"] == 4
    assert {p for p, _, _ in found(data)} == {"ed/tei/a.xml", "ed/tei/b.xml", "ed/tei/c.xml"}
    # that edition alone: its snapshot must hold the schema, though it is outside its folder
    res = run_cli("-c", "ed/edition.toml", "validate", "--staged", "--format", "json", cwd=top)
    data = json.loads(res.stdout)
    assert res.returncode == 1 and data["files"] == 4
    assert {(p, r) for p, _, r in found(data)} == {(f"ed/tei/{n}.xml", "rng") for n in "abc"}


# -- the scan itself ------------------------------------------------------------------------------

def test_changed_ids_are_those_added_removed_or_moved_to_another_element():
    before = b'<listPerson><person xml:id="a"/><person xml:id="b"/><place xml:id="c"/></listPerson>'
    after = b'<listPerson><person xml:id="a"/><person xml:id="c"/><person xml:id="d"/></listPerson>'
    assert changed_ids(before, after) == {"b", "c", "d"}
    assert changed_ids(None, after) == {"a", "c", "d"}


def test_pointer_tokens_read_every_pointer_attribute_with_references_decoded():
    data = (b'<p><persName ref="persons.xml#a #b"/><handShift scribeRef="#h&#x31;"/>'
            b"<sp who='#w'/><ref target=\"x.xml\"/><rs key=\"#k\" corresp=\"a&amp;b\"/>"
            b'<note target-uri="#not" sameAs="#s"/></p>')
    assert list(pointer_tokens(data)) == ["persons.xml#a", "#b", "#h1", "#w", "x.xml", "a&b", "#s"]


def test_dependents_follow_file_pointers_bare_ids_and_encoded_names(tmp_path):
    folder = tmp_path / "tei"
    files = {
        "by-file.xml": '<p><persName ref="my%20persons.xml#x"/></p>',
        "by-other-id.xml": '<p><persName ref="my%20persons.xml#kept"/></p>',
        "by-bare-id.xml": '<p><persName ref="#x"/></p>',
        "by-bare-entity.xml": '<p><persName ref="x"/></p>',
        "by-external.xml": '<p><persName ref="https://example.org/my%20persons.xml#x"/></p>',
        "elsewhere.xml": '<p><persName ref="../my persons.xml#x"/></p>',
        "unrelated.xml": "<p>x</p>",
    }
    paths = [write(folder / n, t) for n, t in files.items()]
    changed = folder / "my persons.xml"
    out = dependents(paths, {changed: FileChange(changed, ids={"x"})})
    assert sorted(p.name for p in out) == ["by-bare-entity.xml", "by-bare-id.xml", "by-file.xml"]
    gone = dependents(paths, {changed: FileChange(changed, deleted=True)})
    assert sorted(p.name for p in gone) == ["by-file.xml", "by-other-id.xml"]
    assert dependents(paths, {changed: FileChange(changed)}) == []
