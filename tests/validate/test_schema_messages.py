"""Messages of #13 item 5: a duplicate xml:id inside one file is an error, with or without a schema."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_cli

MINI = Path(__file__).parents[1] / "fixtures" / "rng" / "mini.rng"
DOC = ('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n'
       '<text><body><p xml:id="a">x</p>\n<p xml:id="b">y</p>\n  <p xml:id="a">z</p></body></text>\n</TEI>\n')


def test_duplicate_xml_id_in_one_file_is_an_error_without_a_schema(tmp_path):
    (tmp_path / "d.xml").write_text(DOC)
    res = run_cli("validate", "d.xml", cwd=tmp_path)
    assert res.returncode == 1
    assert "d.xml:5:3: error: xml:id 'a' is used twice in this file (first on line 3) [id.duplicate]" in res.stdout


def test_duplicate_xml_id_is_said_once_with_a_schema(tmp_path):
    shutil.copy(MINI, tmp_path / "mini.rng")
    (tmp_path / "d.xml").write_text('<?xml-model href="mini.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + DOC)
    res = run_cli("validate", "d.xml", cwd=tmp_path)
    assert res.stdout.count("xml:id 'a'") == 1 and "d.xml:6:3: error: xml:id 'a' is used twice" in res.stdout
