"""`edition hooks install` and the pre-commit entry (issue #10, item 6), tried with real
`git commit`s: the hook finds the toolkit it was installed with, keeps a hook already there,
never writes through a symlink, respects core.hooksPath."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from staged_support import bundled_edition, doc, git, init_repo, make_edition, write
from toolkit.hooks import MARKER, hook_script

# What a commit from a GUI client or a plain terminal has: no virtualenv, no `edition` on PATH.
BARE_ENV = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}


@pytest.fixture
def ed(tmp_path):
    return init_repo(make_edition(tmp_path / "ed"))


def commit(repo: Path, message: str = "c"):
    """A real `git commit` of everything, from an environment without the toolkit on PATH; its
    stdout holds all it printed (git gives the hook's output on stderr)."""
    git(repo, "add", "-A")
    env = {**BARE_ENV, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],  # the tests' cache folder
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "commit", "-qm", message], cwd=repo, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=env)


def install(repo: Path, *args: str):
    return run_cli("hooks", "install", *args, cwd=repo)


def hooks_dir(repo: Path) -> Path:
    return repo / ".git" / "hooks"


def test_the_hook_runs_the_toolkit_it_was_installed_with_and_blocks_bad_commits(ed):
    res = install(ed)
    assert res.returncode == 0, res.stderr
    hook = hooks_dir(ed) / "pre-commit"
    assert res.stdout.strip() == f"installed {hook}"
    text = hook.read_text()
    assert MARKER in text and f"python={shlex.quote(sys.executable)}" in text
    assert 'exec "$python" -I -m toolkit validate --staged' in text and hook.stat().st_mode & 0o111
    write(ed / "tei" / "a.xml", doc('<persName ref="#nobody">N</persName>'))
    res = commit(ed)
    assert res.returncode != 0
    assert "tei/a.xml:4:4: error: persName/@ref '#nobody' points to nothing" in res.stdout
    write(ed / "tei" / "a.xml", doc('<persName ref="#anna">A</persName>'))
    res = commit(ed)
    assert res.returncode == 0, res.stdout
    assert "1 file checked: no problems." in res.stdout


def test_a_hook_whose_interpreter_is_gone_says_so_and_blocks_the_commit(ed):
    write(hooks_dir(ed) / "pre-commit", hook_script("/nowhere/bin/python3", None)).chmod(0o755)
    write(ed / "tei" / "a.xml", doc("edited"))
    res = commit(ed)
    assert res.returncode != 0
    assert "/nowhere/bin/python3, the Python it was installed with, is gone" in res.stdout
    assert "edition hooks install" in res.stdout


def test_an_existing_hook_is_kept_and_runs_first(ed):
    mine = write(hooks_dir(ed) / "pre-commit", "#!/bin/sh\necho mine ran >&2\nexit 0\n")
    mine.chmod(0o755)
    res = install(ed)
    assert res.returncode == 0, res.stderr
    kept = hooks_dir(ed) / "pre-commit.local"
    assert f"kept the hook that was there as {kept}; it runs first" in res.stdout
    assert kept.read_text() == "#!/bin/sh\necho mine ran >&2\nexit 0\n"
    write(ed / "tei" / "a.xml", doc('<persName ref="#nobody">N</persName>'))
    res = commit(ed)
    assert res.returncode != 0 and "mine ran" in res.stdout and "'#nobody'" in res.stdout
    # its failure stops the commit before the validation runs
    write(kept, "#!/bin/sh\necho mine refuses >&2\nexit 3\n")
    write(ed / "tei" / "a.xml", doc("fine"))
    res = commit(ed)
    assert res.returncode != 0 and "mine refuses" in res.stdout and "checked" not in res.stdout
    write(kept, "#!/bin/sh\nexit 0\n")
    assert commit(ed).returncode == 0


def test_our_hook_edited_by_the_user_is_theirs(ed):
    assert install(ed).returncode == 0
    hook = hooks_dir(ed) / "pre-commit"
    edited = hook.read_text().replace("#!/bin/sh\n", "#!/bin/sh\necho my addition >&2\n")
    hook.write_text(edited)
    res = install(ed)
    assert res.returncode == 0 and "kept the hook that was there" in res.stdout
    assert (hooks_dir(ed) / "pre-commit.local").read_text() == edited


def test_reinstalling_replaces_our_own_hook_and_keeps_its_chain(ed):
    write(hooks_dir(ed) / "pre-commit", "#!/bin/sh\nexit 0\n").chmod(0o755)
    assert install(ed).returncode == 0
    first = (hooks_dir(ed) / "pre-commit").read_text()
    res = install(ed)
    assert res.returncode == 0 and res.stdout.strip() == f"installed {hooks_dir(ed) / 'pre-commit'}"
    assert (hooks_dir(ed) / "pre-commit").read_text() == first  # still chains pre-commit.local
    assert sorted(p.name for p in hooks_dir(ed).glob("pre-commit*") if p.suffix != ".sample") == [
        "pre-commit", "pre-commit.local"]


def test_the_hook_of_an_earlier_version_is_replaced(ed):
    old = ("#!/bin/sh\n# installed by `edition hooks install`\n# Validates the TEI files staged for "
           "this commit (references resolve against the whole edition).\n# Skip once with: git "
           "commit --no-verify\nexec edition validate --staged\n")
    write(hooks_dir(ed) / "pre-commit", old)
    res = install(ed)
    assert res.returncode == 0 and "kept" not in res.stdout
    assert not (hooks_dir(ed) / "pre-commit.local").exists()


def test_a_kept_hook_never_replaces_another_file(ed):
    write(hooks_dir(ed) / "pre-commit", "#!/bin/sh\necho second >&2\n").chmod(0o755)
    write(hooks_dir(ed) / "pre-commit.local", "#!/bin/sh\necho first >&2\n").chmod(0o755)
    res = install(ed)
    assert res.returncode == 0
    assert (hooks_dir(ed) / "pre-commit.local").read_text() == "#!/bin/sh\necho first >&2\n"
    assert (hooks_dir(ed) / "pre-commit.local.1").read_text() == "#!/bin/sh\necho second >&2\n"
    write(ed / "tei" / "a.xml", doc("fine"))
    res = commit(ed)
    assert res.returncode == 0 and "second" in res.stdout and "first" not in res.stdout


def test_a_dangling_symlink_is_refused_and_its_target_not_created(ed, tmp_path):
    target = tmp_path / "nowhere" / "my-hook"
    hook = hooks_dir(ed) / "pre-commit"
    os.symlink(target, hook)
    res = install(ed)
    assert res.returncode == 2
    assert f"{hook} is a symbolic link to {target}, which does not exist" in res.stderr
    assert not target.exists() and not target.parent.exists()
    assert os.readlink(hook) == str(target)
    assert not any(p.name.startswith(("pre-commit.", ".pre-commit")) for p in hooks_dir(ed).iterdir()
                   if p.name != "pre-commit.sample")


def test_a_symlinked_hook_is_kept_as_a_link_and_runs_first(ed, tmp_path):
    script = write(tmp_path / "scripts" / "check.sh", "#!/bin/sh\necho linked ran >&2\n")
    script.chmod(0o755)
    os.symlink(script, hooks_dir(ed) / "pre-commit")
    res = install(ed)
    assert res.returncode == 0, res.stderr
    kept = hooks_dir(ed) / "pre-commit.local"
    assert kept.is_symlink() and os.readlink(kept) == str(script)
    assert script.read_text() == "#!/bin/sh\necho linked ran >&2\n"  # not written through
    assert not (hooks_dir(ed) / "pre-commit").is_symlink()
    write(ed / "tei" / "a.xml", doc("fine"))
    res = commit(ed)
    assert res.returncode == 0 and "linked ran" in res.stdout


def test_force_keeps_the_old_hook_but_no_longer_runs_it(ed):
    write(hooks_dir(ed) / "pre-commit", "#!/bin/sh\nexit 1\n").chmod(0o755)
    res = install(ed, "--force")
    assert res.returncode == 0 and "it no longer runs (--force)" in res.stdout
    assert (hooks_dir(ed) / "pre-commit.local").read_text() == "#!/bin/sh\nexit 1\n"
    write(ed / "tei" / "a.xml", doc("fine"))
    assert commit(ed).returncode == 0


def test_core_hooks_path_is_respected(ed):
    git(ed, "config", "core.hooksPath", "githooks")
    res = install(ed)
    assert res.returncode == 0, res.stderr
    assert (ed / "githooks" / "pre-commit").is_file()
    assert not (hooks_dir(ed) / "pre-commit").exists()
    write(ed / "tei" / "a.xml", doc('<persName ref="#nobody">N</persName>'))
    git(ed, "add", "tei/a.xml")
    res = commit(ed)
    assert res.returncode != 0 and "'#nobody'" in res.stdout


def test_a_commit_in_a_subfolder_edition_with_non_tei_xml_and_fixtures(tmp_path):
    top = tmp_path / "repo"
    bundled_edition(top / "edition")
    config = top / "edition" / "edition.toml"
    write(config, config.read_text() + '\n[validate]\nexclude = ["tei/fixtures"]\n')
    init_repo(top)
    assert install(top).returncode == 0
    write(top / "pom.xml", '<project xmlns="http://maven.apache.org/POM/4.0.0"/>\n')
    write(top / "edition" / "tei" / "fixtures" / "broken.xml", "<TEI><unclosed></TEI>")
    d = top / "edition" / "tei" / "doc-1937-06-14.xml"
    write(d, d.read_text(encoding="utf-8") + "<!-- reviewed -->\n")
    res = commit(top)
    assert res.returncode == 0, res.stdout
    assert "1 file checked: no problems." in res.stdout
    assert "pom.xml" in res.stdout  # the note about what was not checked


def test_python_dash_m_toolkit_is_the_edition_command(tmp_path):
    res = subprocess.run([sys.executable, "-I", "-m", "toolkit", "--version"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.startswith("edition, version ")


# -- the pre-commit framework's entry -------------------------------------------------------------

def _hook_entry() -> dict[str, str]:
    """The edition-validate entry of .pre-commit-hooks.yaml (flat keys: no YAML library needed)."""
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    block = text[text.index("- id: edition-validate"):]
    return dict(re.findall(r"^\s*-?\s*(\w+):\s*(.+?)\s*$", block, re.M))


def test_the_pre_commit_entry_checks_what_is_staged_in_any_layout(tmp_path):
    entry = _hook_entry()
    # the framework passes the staged file names (not deletions) and runs only when one matches
    # `files`: the entry takes none and always runs, so that a deletion or a rename is checked
    assert entry["entry"] == "edition validate --staged"
    assert entry["pass_filenames"] == "false" and entry["always_run"] == "true"
    assert entry["language"] == "python"
    top = tmp_path / "repo"
    bundled_edition(top / "edition")
    init_repo(top)
    git(top, "rm", "-q", "edition/tei/persons.xml")
    args = shlex.split(entry["entry"])
    assert args[0] == "edition"
    res = run_cli(*args[1:], cwd=top)  # from the top, as the framework runs it
    assert res.returncode == 1
    assert res.stdout.splitlines()[-1] == "11 files checked: 71 errors, 0 warnings."


def test_commit_a_and_a_partial_commit_check_what_those_commits_hold(ed):
    """git commit -a and git commit PATH hand the hook an index of their own (GIT_INDEX_FILE)."""
    assert install(ed).returncode == 0
    env = {**BARE_ENV, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],  # the tests' cache folder
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run(*args):
        return subprocess.run(["git", "commit", "-q", *args], cwd=ed, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env)
    write(ed / "tei" / "a.xml", doc('<persName ref="#nobody">N</persName>'))  # not staged
    res = run("-am", "all")
    assert res.returncode != 0 and "tei/a.xml:4:4: error" in res.stdout
    # b.xml staged broken, but only a.xml (fixed) is committed: b.xml is not part of it
    write(ed / "tei" / "b.xml", "<TEI>")
    git(ed, "add", "tei/b.xml")
    write(ed / "tei" / "a.xml", doc('<persName ref="#anna">A</persName>'))
    res = run("-m", "only a", "tei/a.xml")
    assert res.returncode == 0, res.stdout
    assert git(ed, "show", "--stat", "--format=", "HEAD").stdout.split()[0] == "tei/a.xml"
