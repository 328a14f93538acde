"""Shared by the tests of `validate --staged` and of the git hook: small editions in real git
repositories made in tmp folders."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, run_cli

MINI = Path(__file__).parent / "fixtures" / "rng" / "mini.rng"
HEAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n<text><body>\n'
TAIL = "</body></text>\n</TEI>\n"
CONFIG = ('[edition]\ntitle = "Mini"\nsources = ["tei/*.xml"]\nauthority = ["tei/persons.xml"]\n'
          'schema = "mini.rng"\nreferences = "on"\n')


def doc(*paragraphs: str) -> str:
    """A document of the mini schema, one <p> per argument (line 4 onwards)."""
    return HEAD + "".join(f"<p>{p}</p>\n" for p in paragraphs) + TAIL


def persons(*ids: str) -> str:
    return HEAD + "<listPerson>" + "".join(f'<person xml:id="{i}">{i}</person>' for i in ids) \
        + "</listPerson>\n" + TAIL


def make_edition(folder: Path, config: str = CONFIG) -> Path:
    """A valid mini edition: persons.xml (ids anna, boris) and documents pointing into it —
    a.xml by file (persons.xml#anna), b.xml by bare id (#boris), c.xml to the whole of a.xml."""
    (folder / "tei").mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI, folder / "mini.rng")
    (folder / "edition.toml").write_text(config)
    write(folder / "tei" / "persons.xml", persons("anna", "boris"))
    write(folder / "tei" / "a.xml", doc('<persName ref="persons.xml#anna">A</persName>'))
    write(folder / "tei" / "b.xml", doc('<persName ref="#boris">B</persName>'))
    write(folder / "tei" / "c.xml", doc('see <persName ref="a.xml">the letter</persName>'))
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(cwd: Path, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check,
                          env={**os.environ, **env} if env else None)


def init_repo(top: Path) -> Path:
    """A git repository at top with everything in it committed."""
    top.mkdir(parents=True, exist_ok=True)
    git(top, "init", "-q")
    git(top, "config", "user.email", "t@example.org")
    git(top, "config", "user.name", "t")
    git(top, "config", "commit.gpgsign", "false")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "start", "--allow-empty")
    return top


def staged(cwd: Path, *args: str):
    """`edition validate --staged --format json` run in cwd: (exit code, parsed report, stderr)."""
    res = run_cli("validate", "--staged", "--format", "json", *args, cwd=cwd)
    assert "Traceback" not in res.stderr, res.stderr
    try:
        data = json.loads(res.stdout)
    except ValueError:
        data = None
    return res.returncode, data, res.stderr


def found(data: dict) -> set[tuple[str, int, str]]:
    """(path, line, rule) of every error."""
    return {(d["path"], d["line"], d["rule"]) for d in data["diagnostics"] if d["severity"] == "error"}


def snapshot_left(top: Path) -> bool:
    return (top / ".git" / "tei-edition-staged").exists()


def bundled_edition(folder: Path) -> Path:
    """A copy of the project's own edition (documents, authority files, schemas)."""
    shutil.copytree(REPO / "tei", folder / "tei")
    shutil.copytree(REPO / "schema", folder / "schema")
    shutil.copy(REPO / "edition.toml", folder / "edition.toml")
    return folder
