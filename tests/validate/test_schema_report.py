"""Say what was checked: the schemas applied to each file; a file with none is a warning
(schema.none), counted in the summary line and in the JSON output."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_cli

MINI = Path(__file__).parents[1] / "fixtures" / "rng" / "mini.rng"
DOC = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n<text><body><p>x</p></body></text>\n</TEI>\n'


def folder(tmp_path: Path) -> Path:
    d = tmp_path / "f"
    d.mkdir()
    shutil.copy(MINI, d / "mini.rng")
    (d / "with.xml").write_text('<?xml-model href="mini.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + DOC)
    (d / "bare.xml").write_text(DOC)
    return d


def test_a_file_with_no_schema_is_a_warning_counted_in_the_summary(tmp_path):
    d = folder(tmp_path)
    res = run_cli("validate", "with.xml", "bare.xml", cwd=d)
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("bare.xml:1:1: warning: no schema applied") and lines[0].endswith("[schema.none]")
    assert not any(line.startswith("with.xml") for line in lines)
    assert lines[-1] == "2 files checked (1 with no schema applied): 0 errors, 1 warning."
    assert "note: checked against mini.rng (RELAX NG): 1 file; no schema: 1 file" in res.stderr


def test_json_carries_the_schemas_of_each_file(tmp_path):
    d = folder(tmp_path)
    data = json.loads(run_cli("validate", "--format", "json", "with.xml", "bare.xml", cwd=d).stdout)
    assert data["schemas"] == {"bare.xml": [], "with.xml": ["mini.rng (RELAX NG)"]}
    assert data["without_schema"] == 1
    assert [x["rule"] for x in data["diagnostics"]] == ["schema.none"]


def test_a_schema_that_cannot_be_used_leaves_the_file_without_one(tmp_path):
    d = folder(tmp_path)
    (d / "broken.rng").write_text("<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start>")
    (d / "b1.xml").write_text('<?xml-model href="broken.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + DOC)
    (d / "b2.xml").write_text((d / "b1.xml").read_text())
    res = run_cli("validate", "--format", "json", "b1.xml", "b2.xml", "with.xml", cwd=d)
    assert res.returncode == 1
    data = json.loads(res.stdout)
    invalid = [x for x in data["diagnostics"] if x["rule"] == "schema.invalid"]
    assert len(invalid) == 1 and invalid[0]["path"] == "broken.rng" and "not well-formed" in invalid[0]["message"]
    none = {x["path"]: x["message"] for x in data["diagnostics"] if x["rule"] == "schema.none"}
    assert set(none) == {"b1.xml", "b2.xml"} and all("could not be used" in m for m in none.values())
    assert data["schemas"]["with.xml"] == ["mini.rng (RELAX NG)"]  # the other files are still checked
