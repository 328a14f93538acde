"""`edition validate` end to end: output formats, exit codes, --staged, the git hook."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


from conftest import REPO, edition_copy, run_cli

MINI = Path(__file__).parents[1] / "fixtures" / "rng" / "mini.rng"


def make_edition(tmp_path: Path) -> Path:
    """A tiny edition: config, schema, two documents (one broken), all in tmp_path."""
    ed = tmp_path / "ed"
    (ed / "tei").mkdir(parents=True)
    shutil.copy(MINI, ed / "mini.rng")
    (ed / "edition.toml").write_text('[edition]\ntitle = "Mini"\nsources = ["tei/*.xml"]\n'
                                     'schema = "mini.rng"\nreferences = "on"\n')
    head = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n<text><body>\n'
    (ed / "tei" / "a.xml").write_text(head + '<p>ok <persName ref="#b1">B</persName></p>\n</body></text>\n</TEI>\n')
    (ed / "tei" / "b.xml").write_text(head + '<listPerson><person xml:id="b1">B</person></listPerson>\n<p>bad <date when="June">J</date></p>\n'
                                      '<p>dangling <persName ref="#nobody">N</persName></p>\n</body></text>\n</TEI>\n')
    return ed


def test_text_output_sorted_with_summary_and_exit_1(tmp_path):
    ed = make_edition(tmp_path)
    res = run_cli("validate", cwd=ed)
    assert res.returncode == 1, res.stdout + res.stderr
    lines = res.stdout.splitlines()
    diag_lines = [l for l in lines if l.startswith("tei/")]
    assert diag_lines == sorted(diag_lines, key=lambda l: (l.split(":")[0], int(l.split(":")[1]), int(l.split(":")[2])))
    assert any(l.startswith("tei/b.xml:5:8: error: attribute @when=\"June\"") for l in diag_lines)
    assert "tei/b.xml:6:13: error: persName/@ref '#nobody' points to nothing: no xml:id 'nobody' in this file or the edition [ref.resolves]" in lines
    assert not any(l.startswith("tei/a.xml") for l in diag_lines)  # '#b1' resolves across files
    assert lines[-1].startswith("2 files checked:") and "error" in lines[-1]
    assert "\x1b[" not in res.stdout  # piped: no colour


def test_json_and_github_formats(tmp_path):
    ed = make_edition(tmp_path)
    res = run_cli("validate", "--format", "json", cwd=ed)
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert data["files"] == 2 and data["errors"] == len([d for d in data["diagnostics"] if d["severity"] == "error"])
    ref = next(d for d in data["diagnostics"] if d["rule"] == "ref.resolves")
    assert (ref["path"], ref["line"], ref["column"]) == ("tei/b.xml", 6, 13)
    res = run_cli("validate", "--format", "github", cwd=ed)
    ann = [l for l in res.stdout.splitlines() if l.startswith("::error ")]
    assert "::error file=tei/b.xml,line=6,col=13,title=ref.resolves::persName/@ref '#nobody' points to nothing" in "\n".join(ann)


def test_clean_files_exit_0_and_colour_can_be_forced(tmp_path):
    ed = make_edition(tmp_path)
    res = run_cli("validate", "tei/a.xml", cwd=ed)
    assert res.returncode == 0 and res.stdout.strip() == "1 file checked: no problems."
    res = run_cli("validate", "--color", cwd=ed)
    assert "\x1b[1;31merror\x1b[0m" in res.stdout


def _git(cwd, *args):
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_staged_checks_only_staged_files_but_resolves_against_the_edition(tmp_path):
    ed = make_edition(tmp_path)
    _git(ed, "init", "-q")
    _git(ed, "add", "-A")
    _git(ed, "commit", "-qm", "init")
    a = ed / "tei" / "a.xml"
    a.write_text(a.read_text().replace("ok <persName", 'ok <persName ref="#b1">B</persName> <persName ref="#gone">G</persName> <persName'))
    _git(ed, "add", "tei/a.xml")
    res = run_cli("validate", "--staged", cwd=ed)
    assert res.returncode == 1
    diag_lines = [l for l in res.stdout.splitlines() if l.startswith("tei/")]
    assert len(diag_lines) == 1 and diag_lines[0].startswith("tei/a.xml:4:") and "'#gone'" in diag_lines[0]
    assert res.stdout.splitlines()[-1].startswith("1 file checked")


def test_hook_install_writes_a_pre_commit_hook_that_blocks_bad_commits(tmp_path):
    ed = make_edition(tmp_path)
    _git(ed, "init", "-q")
    res = run_cli("hooks", "install", cwd=ed)
    assert res.returncode == 0, res.stderr
    hook = ed / ".git" / "hooks" / "pre-commit"
    assert "-m toolkit validate --staged" in hook.read_text() and hook.stat().st_mode & 0o111
    # a foreign hook is never overwritten: it is kept, renamed, and runs first (tests/validate/test_hooks.py)
    hook.write_text("#!/bin/sh\necho mine\n")
    res = run_cli("hooks", "install", cwd=ed)
    assert res.returncode == 0 and "kept the hook that was there" in res.stdout
    assert (hook.parent / "pre-commit.local").read_text() == "#!/bin/sh\necho mine\n"


def test_validation_never_modifies_its_input(tmp_path):
    ed = make_edition(tmp_path)
    before = {p: p.read_bytes() for p in ed.rglob("*") if p.is_file()}
    run_cli("validate", "--format", "json", cwd=ed)
    after = {p: p.read_bytes() for p in ed.rglob("*") if p.is_file()}
    assert before == after


def test_staged_in_the_bundled_edition_reports_schematron_findings_at_their_lines(tmp_path):
    ed = tmp_path / "ed"
    shutil.copytree(REPO / "tei", ed / "tei")
    shutil.copytree(REPO / "schema", ed / "schema")
    shutil.copy(REPO / "edition.toml", ed / "edition.toml")
    _git(ed, "init", "-q")
    _git(ed, "add", "-A")
    _git(ed, "commit", "-qm", "init")
    doc = ed / "tei" / "doc-1937-06-14.xml"
    lines = doc.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, l in enumerate(lines) if 'ref="persons.xml#smirnov"' in l)
    lines[i] = lines[i].replace('ref="persons.xml#smirnov"', 'ref="persons.xml#smirnof"', 1)
    j = next(n for n, l in enumerate(lines) if 'ref="places.xml#kashgar"' in l and n != i)
    lines[j] = lines[j].replace('<placeName ref="places.xml#kashgar"', '<placeName ref="persons.xml#stalin"', 1)
    doc.write_text("".join(lines), encoding="utf-8")
    _git(ed, "add", "tei/doc-1937-06-14.xml")
    res = run_cli("validate", "--staged", "--format", "json", cwd=ed)
    data = json.loads(res.stdout)
    assert res.returncode == 1 and data["files"] == 1
    found = {(d["line"], d["rule"]) for d in data["diagnostics"] if d["severity"] == "error"}
    assert (i + 1, "ref.resolves") in found, data["diagnostics"]
    assert any(line == j + 1 and rule in ("ref.kind", "rng") for line, rule in found), data["diagnostics"]
    smirnof = next(d for d in data["diagnostics"] if d["line"] == i + 1 and d["rule"] == "ref.resolves")
    assert "smirnof" in smirnof["message"]
    assert smirnof["column"] == lines[i].index("<persName ref=\"persons.xml#smirnof\"") + 1


_SPLIT_RUN = """
import json, sys
from pathlib import Path
from toolkit.config import load_config
from toolkit.validate import validator
validator.PARALLEL_MIN_BYTES = 0
if sys.argv[1] == "one":
    validator._chunks_for_processes = lambda targets: [targets]
files = [Path(p) for p in sys.argv[2:]]
report = validator.validate(load_config(start=Path.cwd()), files)
print(json.dumps([[d.path, d.line, d.column, d.severity, d.message, d.rule, d.hint]
                  for d in report.diagnostics]))
"""


def test_a_job_split_across_processes_reports_what_one_process_reports(tmp_path):
    # files with a local RELAX NG and a Schematron that reads no context: the processes take
    # each other's files when done with their own; plus a broken file, a remote and a missing
    # schema, and pointers
    ed = tmp_path / "split"
    ed.mkdir()
    shutil.copy(MINI, ed / "mini.rng")
    (ed / "rules.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        '<pattern><rule context="tei:p"><report test="contains(., \'bad\')">bad p</report></rule></pattern>'
        '</schema>')
    pis = ('<?xml-model href="mini.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
           '<?xml-model href="rules.sch" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n')
    body = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n<text><body>\n'
    files = []
    for i in range(24):
        text = pis + body + "".join(f'<p>{"bad " if i % 3 == 0 else ""}text {j}</p>\n' for j in range(40 * (i + 1)))
        if i % 5 == 0:
            text += '<p>x <date when="June">J</date></p>\n'
        if i == 7:
            text = text.replace("mini.rng", "http://example.org/mini.rng")
        if i == 8:
            text = text.replace("rules.sch", "missing.sch")
        if i == 9:
            text += "<p>unclosed\n"
        if i == 10:
            text += '<p>to <persName ref="#nobody">N</persName></p>\n'
        f = ed / f"d{i:02d}.xml"
        f.write_text(text + "</body></text>\n</TEI>\n")
        files.append(str(f))
    runs = {}
    for mode in ("one", "split"):
        res = subprocess.run([str(Path(sys.executable)), "-c", _SPLIT_RUN, mode, *files],
                             capture_output=True, text=True, cwd=ed)
        assert res.returncode == 0, res.stderr
        runs[mode] = json.loads(res.stdout)
    assert runs["one"] and runs["split"] == runs["one"]
    rules = {d[5] for d in runs["one"]}
    assert {"schema.remote", "schema.missing", "xml.well-formed", "rng"} <= rules
    assert any(d[4] == "bad p" for d in runs["one"])


_SPLIT_EDITION_RUN = """
import json, os, sys
from pathlib import Path
from toolkit.config import load_config
from toolkit.validate import validator
validator.PARALLEL_MIN_BYTES = 0
if sys.argv[1] == "one":
    validator._chunks_for_processes = lambda targets: [targets]
check = validator._check
def counted(config, targets, *rest):
    with open(sys.argv[2], "a") as f:
        f.write(f"{os.getpid()} {len(targets)}\\n")
    return check(config, targets, *rest)
validator._check = counted
report = validator.validate(load_config(start=Path.cwd()))
print(json.dumps([[d.path, d.line, d.column, d.severity, d.message, d.rule, d.hint]
                  for d in report.diagnostics]))
"""


def test_the_whole_edition_with_authority_files_is_split_and_reports_the_same(tmp_path):
    """Issue #18: a whole-edition validate (authority files among the files) ran on one core.
    The authority files are checked whole in the main process, the documents by the workers:
    the same findings as one process gives, unused entries and ids across files included."""
    ed = edition_copy(tmp_path)
    doc = ed / "tei" / "doc-1937-06-14.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace('"persons.xml#', '"persons.xml#zz', 1)
                   .replace("</body>", '<p xml:id="stalin">same id as a person</p></body>', 1), encoding="utf-8")
    persons = ed / "tei" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace(
        "<person ", '<person xml:id="nobody-at-all"><persName type="preferred">Nobody</persName></person>\n<person ', 1),
        encoding="utf-8")
    runs, calls = {}, {}
    for mode in ("one", "split"):
        log = tmp_path / f"{mode}.log"
        res = subprocess.run([str(Path(sys.executable)), "-c", _SPLIT_EDITION_RUN, mode, str(log)],
                             capture_output=True, text=True, cwd=ed)
        assert res.returncode == 0, res.stderr
        runs[mode] = json.loads(res.stdout)
        calls[mode] = [line.split() for line in log.read_text().splitlines()]
    assert runs["split"] == runs["one"]
    messages = " ".join(d[4] for d in runs["one"])
    assert "zz" in messages and "nobody-at-all" in messages and "also used in" in messages
    assert len(calls["one"]) == 1
    # one process checks the three authority files, the others every other file
    [main_pid] = [pid for pid, n in calls["split"] if n == "3"]
    workers = [(pid, int(n)) for pid, n in calls["split"] if pid != main_pid]
    assert workers and sum(n for _, n in workers) == len(list((ed / "tei").glob("*.xml"))) - 3, calls["split"]
