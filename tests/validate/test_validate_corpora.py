"""Validation of other people's TEI (../shared/corpora): schemas from <?xml-model?>, remote
schemas mapped to local copies or warned about once, embedded Schematron, no crashes."""
from __future__ import annotations

import json
import shutil

from conftest import run_cli, shared_path

TEI_ALL_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"


def _json(res):
    assert "Traceback" not in res.stderr, res.stderr
    return json.loads(res.stdout)


def test_remote_schema_without_local_copy_gives_one_warning_and_no_request(tmp_path):
    """tei_all by URL, not in the schema cache and [schemas] fetch = "never": one warning naming
    the command that makes it available (tests/validate/test_schema_cache.py: the fetch itself)."""
    frus = shared_path("corpora", "frus-history")
    files = sorted(frus.glob("*.xml"))[:10]
    for f in files:
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\nreferences = "off"\n[schemas]\nfetch = "never"\n')
    res = run_cli("validate", "--format", "json", *[f.name for f in files], cwd=tmp_path)
    data = _json(res)
    remote = [d for d in data["diagnostics"] if d["rule"] == "schema.not-cached"]
    assert len(remote) == 1 and remote[0]["severity"] == "warning"
    assert TEI_ALL_URL in remote[0]["message"] and "edition schemas fetch tei_all.rng" in remote[0]["hint"]
    assert remote[0]["line"] == 2  # the <?xml-model?> line of the first file
    assert res.returncode == 0


def test_remote_schema_mapped_in_edition_toml_is_used(tmp_path):
    frus = shared_path("corpora", "frus-history")
    tei_all = shared_path("schemas", "tei_all.rng")
    f = sorted(frus.glob("*.xml"))[0]
    text = f.read_text(encoding="utf-8")
    # one invented element so we can see RELAX NG really ran
    broken = text.replace("</body>", "<notATeiElement>x</notATeiElement></body>", 1)
    (tmp_path / "doc.xml").write_text(broken, encoding="utf-8")
    (tmp_path / "schema").mkdir()
    shutil.copy(tei_all, tmp_path / "schema" / "tei_all.rng")  # the local copy lies in the edition
    (tmp_path / "edition.toml").write_text(f'[edition]\nsources = ["*.xml"]\n\n[schemas.map]\n"{TEI_ALL_URL}" = "schema/tei_all.rng"\n')
    data = _json(run_cli("validate", "--format", "json", "doc.xml", cwd=tmp_path))
    rng = [d for d in data["diagnostics"] if d["rule"] == "rng" and "notATeiElement" in d["message"]]
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if "notATeiElement" in l)
    assert [d["line"] for d in rng] == [line]
    assert not [d for d in data["diagnostics"] if d["rule"] == "schema.remote"]


def test_a_schema_mapped_outside_the_edition_is_not_read(tmp_path):
    """edition.toml is untrusted input too (a pull request may change it): a map to a file
    outside the edition is refused with a clear error at the xml-model line."""
    frus = shared_path("corpora", "frus-history")
    tei_all = shared_path("schemas", "tei_all.rng")
    f = sorted(frus.glob("*.xml"))[0]
    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "doc.xml").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (ed / "edition.toml").write_text(f'[edition]\nsources = ["*.xml"]\n\n[schemas.map]\n"{TEI_ALL_URL}" = "{tei_all}"\n')
    res = run_cli("validate", "--format", "json", cwd=ed)
    data = _json(res)
    refused = [d for d in data["diagnostics"] if d["rule"] == "schema.refused"]
    assert refused and refused[0]["line"] == 2 and "outside the edition" in refused[0]["message"]
    assert res.returncode == 1


def test_eltec_novel_validates_against_its_own_schema_and_embedded_rules(tmp_path):
    eltec = shared_path("corpora", "eltec", "ELTeC-eng", "level1")
    # run from the corpus's folder: a file named outside the folder run from reads its schemas
    # only from its own folder, and ELTeC's are in ../../Schemas
    top = eltec.parent.parent
    novel = eltec / "ENG18400_Trollope.xml"
    data = _json(run_cli("validate", "--format", "json", str(novel.relative_to(top)), cwd=top))
    assert data["errors"] == 0, data["diagnostics"][:5]


def test_eltec_invalid_novel_is_reported_with_positions(tmp_path):
    eltec = shared_path("corpora", "eltec", "ELTeC-eng", "level1")
    top = eltec.parent.parent
    data = _json(run_cli("validate", "--format", "json", str((eltec / "ENG18940_Dixon.xml").relative_to(top)),
                         cwd=top))
    rng = [d for d in data["diagnostics"] if d["rule"] == "rng"]
    assert rng and data["errors"] >= 1
    lines = (eltec / "ENG18940_Dixon.xml").read_text(encoding="utf-8").splitlines()
    for d in rng:  # every diagnostic points at the start tag of the element it names
        element = d["message"].split("<", 1)[1].split(">", 1)[0]
        assert lines[d["line"] - 1][d["column"] - 1:].startswith("<" + element), d


def test_letters_with_their_own_schematron_and_indices(tmp_path):
    letters = shared_path("corpora", "letters")
    work = tmp_path / "letters"
    shutil.copytree(letters, work)
    res = run_cli("validate", "--format", "json", "editions", "--authority", "indices/listperson.xml",
                  "--authority", "indices/listplace.xml", "--authority", "indices/listorg.xml", cwd=work)
    data = _json(res)
    assert data["files"] == 30
    for d in data["diagnostics"]:
        assert d["path"].startswith("editions/") or d["path"].startswith("meta/"), d
        assert d["line"] >= 1 and d["column"] >= 1
    assert not [d for d in data["diagnostics"] if d["rule"].startswith("xml.")]


def test_teic_files_all_parse_and_old_doctype_is_a_warning(tmp_path):
    teic = shared_path("corpora", "teic")
    data = _json(run_cli("validate", "--format", "json", str(teic), cwd=tmp_path))
    wf = [d for d in data["diagnostics"] if d["rule"].startswith("xml.") and d["severity"] == "error"]
    assert wf == []
    doctype = [d for d in data["diagnostics"] if d["rule"] == "xml.doctype"]
    assert len(doctype) == 1 and doctype[0]["path"].endswith("testdrama.xml") and doctype[0]["line"] == 2


def test_remote_schema_mapped_through_an_xml_catalog(tmp_path):
    frus = shared_path("corpora", "frus-history")
    tei_all = shared_path("schemas", "tei_all.rng")
    f = sorted(frus.glob("*.xml"))[0]
    broken = f.read_text(encoding="utf-8").replace("</body>", "<notATeiElement/></body>", 1)
    (tmp_path / "doc.xml").write_text(broken, encoding="utf-8")
    (tmp_path / "schemas").mkdir()
    shutil.copy(tei_all, tmp_path / "schemas" / "tei_all.rng")
    (tmp_path / "catalog.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        '  <rewriteURI uriStartString="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/" rewritePrefix="schemas/"/>\n'
        '</catalog>\n')
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\n\n[schemas]\ncatalogs = ["catalog.xml"]\n')
    data = _json(run_cli("validate", "--format", "json", "doc.xml", cwd=tmp_path))
    assert [d for d in data["diagnostics"] if d["rule"] == "rng" and "notATeiElement" in d["message"]]
    assert not [d for d in data["diagnostics"] if d["rule"] in ("schema.remote", "schema.missing")]


def test_missing_local_schema_is_an_error_at_the_processing_instruction(tmp_path):
    (tmp_path / "a.xml").write_text('<?xml version="1.0"?>\n<?xml-model href="nowhere.rng" '
                                    'schematypens="http://relaxng.org/ns/structure/1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n')
    res = run_cli("validate", "a.xml", cwd=tmp_path)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "\na.xml:2:1: error: schema 'nowhere.rng' not found" in res.stdout
