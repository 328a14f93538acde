"""Bad configuration values and a hostile machine (issue #10, item 15): each a clear message that
names the cause (file, line and key for edition.toml), exit 1 or 2 — never "internal error"."""
from __future__ import annotations

import subprocess
import re
import sys
from pathlib import Path

import pytest

from conftest import REPO, edition_copy


def edition(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


CASES = [
    # (what to append or replace, command, the message's key words)
    ('\n[pdf]\nmax_volume_pages = "lots"\n', ["build", "pdf"], "[pdf] max_volume_pages must be a whole number"),
    ('\n[pdf]\nmax_volume_pages = 0\n', ["build", "pdf"], "[pdf] max_volume_pages must be a whole number above 0"),
    ('\n[htlm]\ntheme = "dark"\n', ["build", "html"], "unknown table [htlm]"),
    ('\n[pdf]\nfont_path = ["fonts"]\n', ["build", "pdf"], "unknown key(s) in [pdf]: font_path"),
    ("output = 7", ["build", "html"], "[edition] output must be a string (it is 7)"),
    ('sources = [1, 2]', ["validate"], "[edition] sources must be a string or a list of strings"),
]


@pytest.mark.parametrize("change,command,words", CASES, ids=[c[2][:30] for c in CASES])
def test_a_bad_configuration_value_is_a_clear_error(tmp_path, change, command, words):
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    text = toml.read_text()
    if change.startswith("\n"):
        text += change
        key_line = text.splitlines().index(change.strip().splitlines()[-1]) + 1
    else:
        key = change.split(" =")[0]
        lines = text.splitlines()
        n = next(i for i, ln in enumerate(lines) if ln.startswith(key + " ="))
        lines[n] = change
        text = "\n".join(lines) + "\n"
        key_line = n + 1
    toml.write_text(text)
    res = edition(ed, *command)
    assert res.returncode == 2, res.stderr
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr
    assert words in res.stderr, res.stderr
    if "unknown table" in words:
        key_line -= 1  # the table's header line
    assert f"edition.toml:{key_line}:" in res.stderr, res.stderr


def test_an_unwritable_output_is_a_clear_error(tmp_path, monkeypatch):
    from toolkit.outputs import publish
    from toolkit.outputs.runner import BuildError, build
    from toolkit.config import load_config
    ed = edition_copy(tmp_path)

    def refuse(target):
        raise PermissionError(1, "Operation not permitted", str(target.parent / ".html.staging-1-x"))
    monkeypatch.setattr(publish, "_new_staging", refuse)
    with pytest.raises(BuildError) as e:
        build(load_config(ed / "edition.toml"), ["html"], search_index=False)
    msg = str(e.value)
    assert msg.startswith(f"cannot write the output {ed / 'output' / 'html'}: Operation not permitted")
    assert "previous output is unchanged" in msg and "hint:" in msg


def test_an_immutable_output_folder_through_the_cli(tmp_path):
    ed = edition_copy(tmp_path)
    assert edition(ed, "build", "html", "--no-search").returncode == 0
    if subprocess.run(["chattr", "+i", str(ed / "output")], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        with (ed / "tei" / "doc-1937-06-14.xml").open("a") as f:
            f.write("<!-- edited -->\n")
        res = edition(ed, "build", "html", "--no-search")
    finally:
        subprocess.run(["chattr", "-i", str(ed / "output")])
    assert res.returncode == 1 and "internal error" not in res.stderr
    assert "cannot write the output" in res.stderr and "previous output is unchanged" in res.stderr


BIG_PERSON = ('<person xml:id="bigperson"><persName>Big Person</persName><note>'
              + "word " * 14000 + "</note></person>\n")


def _with_big_person(ed: Path) -> None:
    p = ed / "tei" / "persons.xml"
    t = p.read_text()
    i = t.index("</listPerson>")
    p.write_text(t[:i] + BIG_PERSON + t[i:])


def _limited(limit: int):
    import resource
    import signal

    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("docs", [11, 40], ids=["one process", "workers"])
def test_a_site_page_the_disk_refuses_is_a_clear_error(tmp_path, docs):
    """A write Saxon cannot make (here: past the file size limit, as on a full disk) names the
    page and the cause in one message; Saxon's Java report never reaches the terminal."""
    sys.path.insert(0, str(REPO / "bench"))
    from _common import replicate_edition
    ed = replicate_edition(tmp_path / "ed", docs) if docs > 11 else edition_copy(tmp_path)
    _with_big_person(ed)
    res = subprocess.run([sys.executable, "-m", "toolkit.cli", "build", "html", "--no-search"], cwd=ed,
                         capture_output=True, text=True, timeout=600, preexec_fn=_limited(60_000))
    assert res.returncode == 1, res.stderr
    if docs > 11:  # the workers get the site pages in work files: the first too large is named
        assert re.search(r"cannot write the site pages' work file \S+/(context|site-\d+)\.xml: "
                         r"File too large", res.stderr), res.stderr
    else:
        assert "cannot write the site page entity/bigperson.html: File too large" in res.stderr, res.stderr
    assert "previous output is unchanged" in res.stderr and "ulimit -f" in res.stderr
    for noise in ("java.", "Caused by", "xsl:", "Traceback", "internal error"):
        assert noise not in res.stderr, res.stderr
