"""`validate --staged` finds the edition of each staged file (issue #10, item 6): editions in
subfolders, several editions in one repository, XML that is not part of an edition, and
[validate] exclude."""
from __future__ import annotations

import pytest

from conftest import run_cli
from staged_support import (CONFIG, bundled_edition, doc, found, git, init_repo, make_edition, persons,
                            staged, write)

POM = '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>\n'


def test_an_edition_in_a_subfolder_gives_only_its_real_problems(tmp_path):
    top = tmp_path / "repo"
    bundled_edition(top / "editions" / "xinjiang")
    write(top / "README.md", "a repository with an edition in a subfolder\n")
    init_repo(top)
    doc_path = top / "editions" / "xinjiang" / "tei" / "doc-1937-06-14.xml"
    lines = doc_path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if 'ref="persons.xml#smirnov"' in line)
    lines[i] = lines[i].replace('ref="persons.xml#smirnov"', 'ref="persons.xml#smirnof"', 1)
    write(doc_path, "".join(lines))
    git(top, "add", "-A")
    code, data, err = staged(top)
    assert code == 1, err
    assert found(data) == {("editions/xinjiang/tei/doc-1937-06-14.xml", i + 1, "ref.resolves")}
    assert data["files"] == 1
    # from inside the edition, paths are relative to it, as for any other validation
    code, data, _ = staged(top / "editions" / "xinjiang")
    assert found(data) == {("tei/doc-1937-06-14.xml", i + 1, "ref.resolves")}


def test_a_valid_commit_in_a_subfolder_edition_passes(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "ed")
    init_repo(top)
    write(top / "ed" / "tei" / "d.xml", doc('<persName ref="#anna">A</persName>'))
    write(top / "ed" / "tei" / "persons.xml", (top / "ed" / "tei" / "persons.xml").read_text()
          .replace("</listPerson>", '<person xml:id="zoe">Z</person></listPerson>'))
    git(top, "add", "-A")
    code, data, err = staged(top)
    assert (code, data["errors"], data["warnings"]) == (0, 0, 0), data
    assert data["files"] == 2


def test_staged_xml_outside_the_sources_is_not_checked_and_a_note_says_so(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "ed", config=CONFIG + '\n[validate]\nexclude = ["tei/fixtures/**"]\n')
    init_repo(top)
    write(top / "pom.xml", POM)
    write(top / "ed" / "tei" / "fixtures" / "broken.xml", "<TEI><unclosed></TEI>")  # on purpose
    config = (top / "ed" / "edition.toml")
    write(config, config.read_text().replace('"tei/*.xml"', '"tei/**/*.xml"'))
    git(top, "add", "-A")
    code, data, err = staged(top)
    assert code == 0, data
    assert data["files"] == 4  # edition.toml changed: the whole edition, less the fixture
    assert err.strip() == ("note: 2 staged XML files not checked (not among an edition's sources, "
                           "or excluded by [validate] exclude): ed/tei/fixtures/broken.xml, pom.xml")


def test_without_any_edition_toml_the_default_sources_apply_from_the_top(tmp_path):
    top = tmp_path / "repo"
    init_repo(top)
    write(top / "pom.xml", POM)
    write(top / "tei" / "a.xml", doc("fine"))
    write(top / "tei" / "sub" / "b.xml", "<TEI><p></TEI>")
    git(top, "add", "-A")
    code, data, err = staged(top)
    assert code == 1
    assert {p for p, _, _ in found(data)} == {"tei/sub/b.xml"} and data["files"] == 2
    assert "pom.xml" in err


def test_each_edition_of_a_repository_is_checked_with_its_own_configuration(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "one")
    make_edition(top / "two", config=CONFIG.replace('references = "on"', 'references = "off"'))
    init_repo(top)
    for ed in ("one", "two"):
        write(top / ed / "tei" / "d.xml", doc('<persName ref="#nobody">N</persName>'))
    git(top, "add", "-A")
    code, data, _ = staged(top)
    assert code == 1 and data["files"] == 2
    assert found(data) == {("one/tei/d.xml", 4, "ref.resolves")}  # two has references off


def test_an_edition_given_with_config_checks_that_edition_only(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "one")
    make_edition(top / "two")
    init_repo(top)
    for ed in ("one", "two"):
        write(top / ed / "tei" / "d.xml", doc('<persName ref="#nobody">N</persName>'))
    git(top, "add", "-A")
    res = run_cli("-c", "two/edition.toml", "validate", "--staged", "--format", "json", cwd=top)
    import json
    data = json.loads(res.stdout)
    assert res.returncode == 1 and found(data) == {("two/tei/d.xml", 4, "ref.resolves")}
    assert "one/tei/d.xml" in res.stderr  # not checked: the note names it
    write(tmp_path / "elsewhere.toml", CONFIG)
    write(top / "three" / "edition.toml", CONFIG)  # not added
    for other in (tmp_path / "elsewhere.toml", top / "three" / "edition.toml"):
        res = run_cli("-c", str(other), "validate", "--staged", cwd=top)
        assert res.returncode == 2 and "not in this repository, or not added" in res.stderr


def test_a_broken_staged_edition_toml_is_reported(tmp_path):
    top = init_repo(make_edition(tmp_path / "ed"))
    write(top / "edition.toml", "[edition\n")
    git(top, "add", "edition.toml")
    res = run_cli("validate", "--staged", cwd=top)
    assert res.returncode == 2
    assert f"{top / 'edition.toml'}: " in res.stderr and "tei-edition-staged" not in res.stderr


# -- [validate] exclude ---------------------------------------------------------------------------

@pytest.mark.parametrize("pattern", ["tei/fixtures", "tei/fixtures/", "tei/fixtures/**",
                                     "tei/fixtures/*.xml", "**/broken.xml", "tei/**/bro?en.xml",
                                     "tei/fixtures/[ab]roken.xml"])
def test_exclude_removes_files_from_a_whole_edition_check(tmp_path, pattern):
    ed = make_edition(tmp_path / "ed", config=CONFIG.replace('"tei/*.xml"', '"tei/**/*.xml"')
                      + f'\n[validate]\nexclude = ["{pattern}"]\n')
    write(ed / "tei" / "fixtures" / "broken.xml", "<TEI><unclosed></TEI>")
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 0 and res.stdout.strip() == "4 files checked: no problems."
    # a file named on the command line is checked all the same
    res = run_cli("validate", "tei/fixtures/broken.xml", cwd=ed)
    assert res.returncode == 1


def test_exclude_must_be_a_list_of_strings(tmp_path):
    ed = make_edition(tmp_path / "ed", config=CONFIG + "\n[validate]\nexclude = 3\n")
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 2 and "[validate] exclude must be a string or a list of strings" in res.stderr
    write(ed / "edition.toml", CONFIG + "\n[validate]\nexcluded = []\n")
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 2 and "[validate]" in res.stderr and "exclude" in res.stderr


def test_an_authority_file_shared_from_outside_the_edition_folder(tmp_path):
    top = tmp_path / "repo"
    make_edition(top / "editions" / "a", config=CONFIG.replace('"tei/persons.xml"', '"../../common/persons.xml"'))
    (top / "common").mkdir()
    (top / "editions" / "a" / "tei" / "persons.xml").rename(top / "common" / "persons.xml")
    write(top / "editions" / "a" / "tei" / "a.xml", doc('<persName ref="../../../common/persons.xml#anna">A</persName>'))
    init_repo(top)
    write(top / "common" / "persons.xml", persons("anya", "boris"))
    git(top, "add", "-A")
    write(top / "README.md", "an unrelated change, not staged\n")
    code, data, err = staged(top)
    assert code == 1, err
    assert found(data) == {("editions/a/tei/a.xml", 4, "ref.resolves")}
    assert data["files"] == 2 and err == ""  # persons.xml is the edition's: no note
