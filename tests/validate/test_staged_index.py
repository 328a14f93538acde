"""`validate --staged` checks what the commit holds — git's index — not the working tree
(issue #10, item 4): staged content, staged edition.toml and schemas, no untracked files."""
from __future__ import annotations

import os
import shutil

import pytest

from staged_support import (MINI, doc, found, git, init_repo, make_edition, persons, snapshot_left,
                            staged, write)


@pytest.fixture
def ed(tmp_path):
    return init_repo(make_edition(tmp_path / "ed"))


def test_a_broken_staged_file_is_refused_though_its_working_copy_is_fixed(ed):
    a = ed / "tei" / "a.xml"
    good = a.read_text()
    write(a, good.replace("</teiHeader>", "</teiHeadr>"))
    git(ed, "add", "tei/a.xml")
    write(a, good)  # fixed, but not staged
    code, data, _ = staged(ed)
    assert code == 1
    assert found(data) == {("tei/a.xml", 2, "xml.well-formed")}
    assert "teiHeadr" in data["diagnostics"][0]["message"]
    assert not snapshot_left(ed)


def test_a_good_staged_file_is_accepted_though_its_working_copy_is_broken(ed):
    a = ed / "tei" / "a.xml"
    write(a, a.read_text().replace("</p>", " more</p>"))
    git(ed, "add", "tei/a.xml")
    write(a, "<TEI broken")  # not staged
    code, data, _ = staged(ed)
    assert (code, data["files"], data["diagnostics"]) == (0, 1, [])


def test_pointers_resolve_against_the_staged_authority_file_not_the_working_copy(ed):
    write(ed / "tei" / "persons.xml", persons("anna"))  # staged: boris is gone
    git(ed, "add", "tei/persons.xml")
    write(ed / "tei" / "persons.xml", persons("anna", "boris"))  # back in the working tree only
    code, data, _ = staged(ed)
    assert code == 1
    assert found(data) == {("tei/b.xml", 4, "ref.resolves")}


def test_an_untracked_file_is_not_part_of_what_is_committed(ed):
    # the staged document points to an id that only an untracked file holds
    write(ed / "tei" / "new-persons.xml", persons("clara"))
    write(ed / "tei" / "a.xml", doc('<persName ref="#clara">C</persName>'))
    git(ed, "add", "tei/a.xml")
    code, data, _ = staged(ed)
    assert code == 1 and found(data) == {("tei/a.xml", 4, "ref.resolves")}
    # staged as well: fine
    git(ed, "add", "tei/new-persons.xml")
    code, data, _ = staged(ed)
    assert code == 0, data


def test_a_file_removed_from_the_index_but_left_on_disk_is_gone_for_the_check(ed):
    git(ed, "rm", "-q", "--cached", "tei/persons.xml")
    assert (ed / "tei" / "persons.xml").exists()
    code, data, _ = staged(ed)
    assert code == 1
    assert found(data) == {("tei/persons.xml", 1, "file.missing"),  # edition.toml names it
                           ("tei/a.xml", 4, "ref.resolves"), ("tei/b.xml", 4, "ref.resolves")}


def test_the_staged_edition_toml_and_schema_are_used_not_the_working_copies(ed):
    # staged: a schema under which a.xml is wrong; working tree: the old, permissive one
    strict = MINI.read_text().replace('<optional><attribute name="n"/></optional>',
                                      '<attribute name="n"/>')
    write(ed / "strict.rng", strict)
    write(ed / "edition.toml", (ed / "edition.toml").read_text().replace("mini.rng", "strict.rng"))
    git(ed, "add", "strict.rng", "edition.toml")
    write(ed / "edition.toml", (ed / "edition.toml").read_text().replace("strict.rng", "mini.rng"))
    code, data, _ = staged(ed)
    assert code == 1 and data["files"] == 4  # the whole edition: its edition.toml is staged
    assert {(p, r) for p, _, r in found(data)} == {(f"tei/{n}.xml", "rng") for n in "abc"}


def test_a_staged_schema_edit_is_used_though_the_working_copy_differs(ed):
    schema = ed / "mini.rng"
    permissive = schema.read_text()
    write(schema, permissive.replace('<optional><attribute name="n"/></optional>', '<attribute name="n"/>'))
    git(ed, "add", "mini.rng")
    write(schema, permissive)
    code, data, _ = staged(ed)
    assert code == 1 and data["files"] == 4
    assert {p for p, _, _ in found(data)} == {"tei/a.xml", "tei/b.xml", "tei/c.xml"}


def test_paths_are_shown_relative_to_the_current_folder_and_messages_name_real_files(ed):
    write(ed / "tei" / "d.xml", doc('<persName ref="#nobody">N</persName>'))
    write(ed / "tei" / "e.xml", persons("anna"))  # anna is persons.xml's already
    write(ed / "tei" / "f.xml", '<?xml-model href="../missing.sch" '
          'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n' + doc("f"))
    git(ed, "add", "-A")
    write(ed / "tei" / "f.xml", "not staged")  # so that the check runs in the snapshot
    code, data, err = staged(ed / "tei")
    assert code == 1, err
    assert found(data) == {("d.xml", 4, "ref.resolves"), ("e.xml", 4, "id.unique"),
                           ("f.xml", 1, "schema.missing")}
    dup = next(d for d in data["diagnostics"] if d["rule"] == "id.unique")
    assert dup["message"] == ("xml:id 'anna' is also used in persons.xml; ids must be unique "
                              "across the edition")
    missing = next(d for d in data["diagnostics"] if d["rule"] == "schema.missing")
    assert missing["message"] == f"schema '../missing.sch' not found (looked for {ed / 'missing.sch'})"
    assert not snapshot_left(ed)


def test_output_formats_are_unchanged(ed):
    a = ed / "tei" / "a.xml"
    write(a, doc('<persName ref="persons.xml#nobody">N</persName>'))
    git(ed, "add", "tei/a.xml")
    write(a, "not staged")
    from conftest import run_cli
    text = run_cli("validate", "--staged", cwd=ed)
    assert text.returncode == 1
    assert text.stdout.splitlines() == [
        "tei/a.xml:4:4: error: persName/@ref 'persons.xml#nobody' points to nothing: no xml:id "
        "'nobody' in persons.xml [ref.resolves]",
        "1 file checked: 1 error, 0 warnings."]
    gh = run_cli("validate", "--staged", "--format", "github", cwd=ed)
    assert gh.stdout.splitlines()[0].startswith("::error file=tei/a.xml,line=4,col=4,title=ref.resolves::")


def test_the_snapshot_is_removed_when_the_check_is_interrupted(ed, monkeypatch):
    from toolkit.validate import staged as staged_module
    a = ed / "tei" / "a.xml"
    write(a, doc("edited"))
    git(ed, "add", "tei/a.xml")
    write(a, "not staged")  # so that the snapshot is needed

    def interrupted(*args, **kwargs):
        assert snapshot_left(ed)
        raise KeyboardInterrupt
    monkeypatch.setattr(staged_module, "validate", interrupted)
    monkeypatch.chdir(ed)
    with pytest.raises(KeyboardInterrupt):
        staged_module.validate_staged(ed)
    assert not snapshot_left(ed)
    assert os.getcwd() == str(ed)


def test_the_check_changes_nothing_in_the_working_tree(ed):
    a = ed / "tei" / "a.xml"
    write(a, doc("edited"))
    git(ed, "add", "tei/a.xml")
    write(a, "not staged")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_nlink)
              for p in ed.rglob("*") if p.is_file() and ".git" not in p.parts}
    staged(ed)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_nlink)
             for p in ed.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert before == after
    assert git(ed, "status", "--porcelain").stdout.splitlines() == ["MM tei/a.xml"]


def test_a_stale_snapshot_of_a_killed_run_is_removed(ed):
    stale = ed / ".git" / "tei-edition-staged" / "main"
    stale.mkdir(parents=True)
    (stale / ".owner").write_text("999999999")  # no such process
    write(stale / "x.xml", "left over")
    a = ed / "tei" / "a.xml"
    write(a, doc("edited"))
    git(ed, "add", "tei/a.xml")
    write(a, "not staged")
    code, data, _ = staged(ed)
    assert code == 0 and data["files"] == 1
    assert not snapshot_left(ed)


def test_outside_a_git_repository_is_a_usage_error(tmp_path):
    make_edition(tmp_path / "plain")
    code, data, err = staged(tmp_path / "plain")
    assert code == 2 and "needs a git repository" in err


def test_a_tracked_schema_outside_the_edition_folder_is_read_from_the_index(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "ed", config=(
        '[edition]\nsources = ["tei/*.xml"]\nauthority = ["tei/persons.xml"]\n'
        'schema = "../schemas/mini.rng"\nreferences = "on"\n'))
    (top / "schemas").mkdir()
    shutil.move(top / "ed" / "mini.rng", top / "schemas" / "mini.rng")
    init_repo(top)
    schema = top / "schemas" / "mini.rng"
    permissive = schema.read_text()
    write(schema, permissive.replace('<optional><attribute name="n"/></optional>', '<attribute name="n"/>'))
    git(top, "add", "-A")
    write(schema, permissive)
    write(top / "ed" / "tei" / "a.xml", doc("dirty, so that the snapshot is used"))
    code, data, _ = staged(top)
    assert code == 1 and data["files"] == 4
    assert {p for p, _, _ in found(data)} == {"ed/tei/a.xml", "ed/tei/b.xml", "ed/tei/c.xml"}


def test_files_git_is_told_not_to_look_at_are_read_from_the_index(ed):
    write(ed / "tei" / "more.xml", persons("clara"))
    git(ed, "add", "tei/more.xml")
    git(ed, "commit", "-qm", "more")
    # assume-unchanged: git does not see the edit on disk, the commit holds the index's copy
    git(ed, "update-index", "--assume-unchanged", "tei/persons.xml")
    write(ed / "tei" / "persons.xml", persons("anna"))  # boris gone, on disk only
    # skip-worktree (a sparse checkout): not on disk at all, but committed
    git(ed, "update-index", "--skip-worktree", "tei/more.xml")
    (ed / "tei" / "more.xml").unlink()
    write(ed / "tei" / "d.xml", doc('<persName ref="#boris">B</persName>', '<persName ref="#clara">C</persName>'))
    git(ed, "add", "tei/d.xml")
    code, data, _ = staged(ed)
    assert (code, data["files"], data["diagnostics"]) == (0, 1, [])


def test_a_snapshot_that_cannot_be_made_is_a_clear_usage_error(ed):
    a = ed / "tei" / "a.xml"
    write(a, doc("edited"))
    git(ed, "add", "tei/a.xml")
    write(a, "not staged")  # so that the snapshot is needed
    write(ed / ".git" / "tei-edition-staged", "a file of someone else's, in the way")
    code, data, err = staged(ed)
    assert code == 2 and f"cannot make a snapshot of git's index in {ed / '.git' / 'tei-edition-staged'}" in err
    assert (ed / ".git" / "tei-edition-staged").read_text() == "a file of someone else's, in the way"
