"""The command line's conventions (issue #16, item 4): colour by NO_COLOR and --color/--no-color,
-q/--quiet and -v/--verbose on every command, one exit-status scheme, `python -m toolkit`,
`edition build --full`, a hint to `edition new` where there is no edition, the wheel's metadata."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest

from conftest import REPO, edition_copy, run_cli

SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold (cursor moves of a progress bar are not colour)
BAD = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>
  <p>
</TEI>
"""


def _on_terminal(args, cwd: Path, env_extra: dict | None = None) -> str:
    """Run `edition ARGS` with stdout and stderr on a pseudo-terminal; what it wrote."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(env_extra or {})
    env["TERM"] = "xterm-256color"
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def bad_file(tmp_path):
    (tmp_path / "bad.xml").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_diagnostics_are_coloured_on_a_terminal(bad_file):
    out = _on_terminal(["validate", "bad.xml"], bad_file)
    assert "bad.xml:5:" in out and SGR.search(out), out


@pytest.mark.parametrize("how", [{"env": {"NO_COLOR": "1"}}, {"args": ["--no-color"]},
                                 {"args": ["--no-color"], "group": True}])
def test_no_color_is_honoured_on_a_terminal(bad_file, how):
    args = ["validate", "bad.xml"]
    extra = how.get("args", [])
    args = extra + args if how.get("group") else args + extra
    out = _on_terminal(args, bad_file, how.get("env"))
    assert "bad.xml:5:" in out and "error" in out, out
    assert not SGR.search(out), repr(out)


def test_no_color_also_for_usage_errors_and_empty_no_color_keeps_colour(tmp_path, bad_file):
    out = _on_terminal(["build", "html", "--out", str(tmp_path / "o"), str(bad_file / "bad.xml")],
                       bad_file, {"NO_COLOR": "1"})
    assert "error" in out and not SGR.search(out), repr(out)
    # no-color.org: an empty NO_COLOR does not count
    assert SGR.search(_on_terminal(["validate", "bad.xml"], bad_file, {"NO_COLOR": ""}))


def test_color_forces_colour_into_a_pipe(bad_file):
    res = run_cli("validate", "--color", "bad.xml", cwd=bad_file)
    assert SGR.search(res.stdout)
    assert not SGR.search(run_cli("validate", "bad.xml", cwd=bad_file).stdout)


def _commands(cmd: click.Command, path=()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            yield from _commands(cmd.get_command(ctx, name), path + (name,))


def test_every_command_takes_quiet_verbose_and_color():
    from toolkit.cli import main
    seen = []
    for path, cmd in _commands(main):
        opts = {o for p in cmd.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
        assert {"-q", "--quiet", "-v", "--verbose", "--color", "--no-color"} <= opts, (path, opts)
        seen.append(" ".join(path))
    assert {"validate", "build", "build html", "build pdf", "build json", "import", "serve",
            "schemas fetch", "schemas list", "schema build", "hooks install"} <= set(seen)


def test_quiet_prints_only_problems(tmp_path, bad_file):
    ed = edition_copy(tmp_path)
    loud = run_cli("validate", "tei/persons.xml", cwd=ed)
    assert "checked" in loud.stdout and "note: checked against" in loud.stderr
    clean = run_cli("validate", "-q", "tei/persons.xml", cwd=ed)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout == "" and clean.stderr == ""
    noisy = run_cli("validate", "bad.xml", cwd=bad_file)
    quiet = run_cli("-q", "validate", "bad.xml", cwd=bad_file)
    assert quiet.returncode == noisy.returncode == 1
    summary = noisy.stdout.strip().splitlines()[-1]
    assert "checked" in summary and summary not in quiet.stdout
    assert quiet.stdout.strip().splitlines() == noisy.stdout.strip().splitlines()[:-1]


def test_quiet_and_verbose_together_are_a_usage_error(bad_file):
    res = run_cli("validate", "-q", "-v", "bad.xml", cwd=bad_file)
    assert res.returncode == 2 and "not both" in res.stderr


def test_quiet_build_is_silent_and_full_is_accepted_by_the_group(tmp_path):
    ed = edition_copy(tmp_path)
    first = run_cli("build", "json", cwd=ed)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("json: built ")
    again = run_cli("build", "json", cwd=ed)
    assert "up to date" in again.stdout
    full = run_cli("build", "--full", "json", cwd=ed)  # as `build json --full`
    assert full.returncode == 0, full.stderr
    assert "up to date" not in full.stdout and full.stdout.startswith("json: built ")
    quiet = run_cli("build", "json", "-q", "--full", cwd=ed)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


@pytest.mark.parametrize("args", [["validate", "missing.xml"], ["build", "html", "missing.xml"],
                                  ["build", "pdf", "missing.xml"], ["import", "missing.txt"],
                                  ["serve", "missing.xml"], ["schema", "build", "missing.odd"]])
def test_a_missing_path_is_a_usage_error_for_every_command(tmp_path, args):
    res = run_cli(*args, cwd=tmp_path)
    assert res.returncode == 2, (args, res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    assert "does not exist" in res.stderr or "file not found" in res.stdout, (res.stdout, res.stderr)


def test_python_dash_m_toolkit_is_edition():
    res = subprocess.run([sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True)
    import toolkit
    assert res.returncode == 0 and res.stdout.strip() == f"edition, version {toolkit.__version__}"
    helped = subprocess.run([sys.executable, "-m", "toolkit", "--help"], capture_output=True, text=True)
    assert "validate" in helped.stdout and "build" in helped.stdout


def test_an_empty_folder_suggests_edition_new(tmp_path):
    for args in (["validate"], ["build"], ["build", "html"]):
        res = run_cli(*args, cwd=tmp_path)
        assert "edition new" in res.stderr, (args, res.stderr)
        assert "Traceback" not in res.stderr


def test_wheel_metadata():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" in meta["dynamic"]  # from toolkit.__version__, one place
    assert any(c.startswith("Topic :: Text Processing :: Markup :: XML") for c in meta["classifiers"])
    assert "TEI" in meta["keywords"]
    saxon = next(d for d in meta["dependencies"] if d.startswith("saxonche"))
    assert "<" in saxon.split(",", 1)[1], saxon  # an upper bound on the major version
    from importlib.metadata import version
    import toolkit
    assert version("tei-edition-toolkit") == toolkit.__version__
