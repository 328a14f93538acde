"""What the ODD compiler notes (a feature compiled with a remark) is shown: schema.note lines of
severity info at the ODD's line, in `edition validate --verbose` (also from the cache; without
--verbose only counted) and `edition schema build`; and the help of `edition schema` and
`edition schemas` names the other."""
from __future__ import annotations

import json

from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli, shared_path
from test_odd import _seed_tei_all, doc, odd


@pytest.fixture
def tei_all():
    return shared_path("schemas", "tei_all.rng")


def _noted_odd(tmp_path: Path) -> Path:
    # line 4 of odd(): the moduleRef of core; the second schemaSpec is on the last line
    text = odd("").replace('include="p hi title"', 'include="p hi title noSuchElement"')
    text = text.replace("</body>", '\n<schemaSpec ident="other"/></body>')
    (tmp_path / "my.odd").write_text(text)
    return tmp_path / "my.odd"


EXPECTED = ["my.odd:4:1: info: moduleRef key='core' names 'noSuchElement', which the TEI does not "
            "define: left out [schema.note]",
            "my.odd:9:1: info: 2 schemaSpecs; compiled the first, 'test' [schema.note]"]


def test_validate_shows_the_odds_notes_at_their_lines(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    _noted_odd(tmp_path)
    (tmp_path / "a.xml").write_text(etree.tostring(doc("<p>x</p>"), encoding="unicode"))
    (tmp_path / "b.xml").write_text(etree.tostring(doc("<p>y</p>"), encoding="unicode"))
    for _ in range(2):  # compiled, then from the cache: the same notes, once each
        res = run_cli("validate", "--verbose", "--schema", "my.odd", "a.xml", "b.xml", cwd=tmp_path)
        assert res.returncode == 0, res.stdout + res.stderr
        notes = [ln for ln in res.stdout.splitlines() if "[schema.note]" in ln]
        assert notes == EXPECTED, res.stdout
        assert res.stdout.splitlines()[-1] == "2 files checked: no problems (2 notes)."
    # without --verbose: counted, not listed
    res = run_cli("validate", "--schema", "my.odd", "a.xml", "b.xml", cwd=tmp_path)
    assert res.returncode == 0 and "[schema.note]" not in res.stdout, res.stdout
    assert res.stdout.splitlines()[-1] == \
        "2 files checked: no problems (2 notes, shown with --verbose)."
    # JSON always carries them, as info; they are neither errors nor warnings
    res = run_cli("validate", "--format", "json", "--schema", "my.odd", "a.xml", "b.xml", cwd=tmp_path)
    data = json.loads(res.stdout)
    assert res.returncode == 0
    assert (data["errors"], data["warnings"], data["notes"]) == (0, 0, 2), data
    assert {(d["rule"], d["severity"], d["line"]) for d in data["diagnostics"]} == \
        {("schema.note", "info", 4), ("schema.note", "info", 9)}
    # GitHub: notices
    res = run_cli("validate", "--format", "github", "--schema", "my.odd", "a.xml", "b.xml", cwd=tmp_path)
    assert res.returncode == 0
    assert [ln.split(" ", 1)[0] for ln in res.stdout.splitlines() if "schema.note" in ln] == \
        ["::notice", "::notice"], res.stdout


def test_schema_build_shows_the_odds_notes(tmp_path, tei_all, monkeypatch):
    _seed_tei_all(tmp_path, monkeypatch, tei_all)
    _noted_odd(tmp_path)
    res = run_cli("schema", "build", "my.odd", "-o", "out", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert [ln for ln in res.stdout.splitlines() if "[schema.note]" in ln] == EXPECTED, res.stdout
    assert (tmp_path / "out" / "test.rng").exists()


def test_schema_and_schemas_help_name_each_other():
    one = run_cli("schema", "--help").stdout
    other = run_cli("schemas", "--help").stdout
    assert "edition schemas" in one and "edition schema build" in other
