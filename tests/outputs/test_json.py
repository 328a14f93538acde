"""The `json` builder (toolkit/outputs/data.py): the edition as data — documents, entities and
mentions — checked on the parsed files of the bundled edition and of an odd, hostile one built
here; rebuilds are byte-identical and write nothing; a broken document keeps its records."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import REPO, run_cli, edition_copy
from toolkit.config import load_config
from toolkit.model import Edition
from toolkit.outputs.runner import build, load_for_build

DOC = "doc-1937-06-14"


def read(out: Path) -> tuple[list, list, list]:
    files = [json.loads((out / n).read_text(encoding="utf-8")) for n in
             ("documents.json", "entities.json", "mentions.json")]
    assert all(f["format"] == 1 for f in files)
    return files[0]["documents"], files[1]["entities"], files[2]["mentions"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> tuple[Path, Path, Edition]:
    """The bundled edition built as JSON and as HTML (to hold the passage ids against)."""
    root = tmp_path_factory.mktemp("bundled")
    cfg = load_config(REPO / "edition.toml")
    [j] = build(cfg, ["json"], out=root / "json")
    [h] = build(cfg, ["html"], out=root / "html", search_index=False)
    assert j.ok and not j.has_errors and h.ok
    return root / "json", root / "html", load_for_build(cfg, [], [], reuse=False)


def test_documents_are_the_models_facts(bundled):
    out, _, ed = bundled
    docs, _, _ = read(out)
    model = {d.id: d for d in ed.documents}
    assert [d["id"] for d in docs] == sorted(model)
    for d in docs:
        m = model[d["id"]]
        assert (d["title"], d["date"]["label"], d["date"]["iso"], d["transcribed"]) == \
            (m.title, m.date_label or None, m.when or None, m.transcribed)
        assert d["file"] == m.href and d["html"].startswith("doc/")
    doc = next(d for d in docs if d["id"] == DOC)
    assert doc["languages"] == ["en", "ru"]
    assert {"field": "repository", "type": None, "value": "RGASPI"} in doc["archive"]
    assert {"field": "collection", "type": "fonds", "value": "17"} in doc["archive"]
    assert doc["html"] == f"doc/{DOC}.html" and doc["tei"] == f"tei/{DOC}.xml"


def test_entities_carry_names_variants_and_pages(bundled):
    out, site, ed = bundled
    _, ents, _ = read(out)
    assert [e["id"] for e in ents] == sorted(ed.entities)
    for e in ents:
        m = ed.entities[e["id"]]
        assert (e["kind"], e["name"], e["variants"]) == (m.kind, m.preferred, m.variants)
        if e["html"]:
            assert (site / e["html"]).is_file()
    aksu = next(e for e in ents if e["id"] == "bay-aksu")
    assert aksu["variants"] == ["Akesu"] and aksu["file"] == "places.xml"


def test_every_mention_lands_on_an_id_of_its_document_page(bundled):
    out, site, _ = bundled
    docs, ents, mentions = read(out)
    pages = {d["id"]: d["html"] for d in docs}
    known = {e["id"] for e in ents}
    assert len(mentions) > 100
    ids: dict[str, set] = {}
    for m in mentions:
        assert m["entity"] in known and m["text"]
        page = pages[m["document"]]
        if page not in ids:
            ids[page] = {el.get("id") for el in lhtml.parse(str(site / page)).getroot().iter() if el.get("id")}
        assert m["passage"] in ids[page], m
    # ordered: by document id, then as in the document
    assert [m["document"] for m in mentions] == sorted(m["document"] for m in mentions)
    first = [m for m in mentions if m["document"] == "doc-1935-09-13"][:2]
    assert [(m["entity"], m["passage"], m["text"]) for m in first] == \
        [("politburo", "title", "Politburo"), ("xinjiang", "title", "Xinjiang")]


def test_a_rebuild_is_byte_identical_and_writes_nothing(tmp_path):
    ed = edition_copy(tmp_path)
    r1 = run_cli("build", "json", cwd=ed)
    assert r1.returncode == 0, r1.stderr
    out = ed / "output" / "json"
    first = snapshot(out)
    r2 = run_cli("build", "json", cwd=ed)
    assert "built 0 files, 3 up to date" in r2.stdout
    assert snapshot(out) == first
    r3 = run_cli("build", "json", "--full", cwd=ed)
    assert r3.returncode == 0 and "built 3 files" in r3.stdout
    assert snapshot(out) == first
    # one document edited: its facts change, and an incremental build equals a full one
    doc = ed / "tei" / f"{DOC}.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Ma Hushan</persName>", "Ma Hu-shan</persName>", 1),
                   encoding="utf-8")
    run_cli("build", "json", cwd=ed)
    incremental = snapshot(out)
    assert incremental != first
    run_cli("build", "json", "--full", "--out", str(tmp_path / "full"), cwd=ed)
    assert {k: v for k, v in snapshot(tmp_path / "full").items() if k != ".edition-build.json"} == \
        {k: v for k, v in incremental.items() if k != ".edition-build.json"}


def test_json_options_from_edition_toml(tmp_path):
    ed = edition_copy(tmp_path)
    with (ed / "edition.toml").open("a", encoding="utf-8") as f:
        f.write("\n[json]\nindent = 0\nsnippets = false\n")
    r = run_cli("build", "json", cwd=ed)
    assert r.returncode == 0, r.stderr
    text = (ed / "output" / "json" / "mentions.json").read_text(encoding="utf-8")
    assert text.count("\n") == 1  # one line
    assert all("snippet" not in m for m in json.loads(text)["mentions"])
    with (ed / "edition.toml").open("a", encoding="utf-8") as f:
        f.write("colour = 1\n")
    r = run_cli("build", "json", cwd=ed)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unknown key(s) in [json]: colour; known: indent, snippets" in r.stderr


# -- an odd, hostile edition -------------------------------------------------------------------
TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'
PERSONS = f"""<TEI {TEI}><teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<text><body><listPerson>
  <person xml:id="smirnov" sameAs="https://viaf.org/viaf/123 not-a-uri">
    <persName type="preferred" ref="http://www.wikidata.org/entity/Q1"><forename>Ivan</forename> <surname>Smirnov</surname></persName>
    <persName>Smirnof</persName>
    <idno type="VIAF">123</idno><idno type="GND"> 4567-8 </idno><idno/>
    <note>Says "hi" &lt;/script&gt; — and \u2028 leaves.</note>
  </person>
  <person xml:id="zed"><persName>Anna Zed</persName></person>
</listPerson><listPlace><place xml:id="hotan"><placeName>Hotan</placeName>
  <location><geo>37.1 79.9</geo></location></place></listPlace></body></text></TEI>"""
LETTER = f"""<TEI {TEI} xml:id="letter.1"><teiHeader><fileDesc><titleStmt>
<title>A letter about <orig>Hotan</orig> from <persName ref="persons.xml#smirnov">Smirnov</persName></title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><msDesc><msIdentifier>
<!-- a comment --><settlement>Almaty</settlement><idno type="file">7</idno><idno>  </idno>
</msIdentifier></msDesc></sourceDesc></fileDesc>
<profileDesc><creation><date when="1937-06-14"/></creation></profileDesc></teiHeader>
<text xml:lang="de"><body>
<p xml:id="main">Letter from <persName ref="persons.xml#smirnov"><sic>Smirnof</sic></persName> to
<placeName ref="persons.xml#hotan persons.xml#nobody">Hotan</placeName> and
<rs ref="#missing">someone</rs>.</p>
<p>Again <persName ref="persons.xml#smirnov">Smirnov</persName> and
<persName ref="persons.xml#smirnov">Ivan</persName>.</p>
</body><back><listPerson><person><persName ref="persons.xml#zed">Anna Zed</persName></person></listPerson></back>
</text></TEI>"""
EMPTY = f"""<TEI {TEI}><teiHeader><fileDesc><titleStmt><title/></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<text><body><p>Nothing dated.</p></body></text></TEI>"""


def odd_edition(tmp_path: Path) -> Path:
    ed = tmp_path / "odd"
    (ed / "tei").mkdir(parents=True)
    (ed / "tei" / "persons.xml").write_text(PERSONS, encoding="utf-8")
    (ed / "tei" / "letter.xml").write_text(LETTER, encoding="utf-8")
    (ed / "tei" / "empty.xml").write_text(EMPTY, encoding="utf-8")
    (ed / "edition.toml").write_text('[edition]\ntitle = "Odd"\nsources = ["tei/letter.xml", "tei/empty.xml"]\n'
                                     'authority = ["tei/persons.xml"]\n', encoding="utf-8")
    return ed


def test_an_odd_edition(tmp_path):
    ed = odd_edition(tmp_path)
    r = run_cli("build", "json", cwd=ed)
    assert r.returncode == 0, r.stderr
    docs, ents, mentions = read(ed / "output" / "json")
    model = load_for_build(load_config(ed / "edition.toml"), [], [], reuse=False)
    by_id = {d["id"]: d for d in docs}
    assert sorted(by_id) == sorted(d.id for d in model.documents) == ["empty", "letter.1"]
    letter = by_id["letter.1"]
    m = next(d for d in model.documents if d.id == "letter.1")
    assert letter["title"] == m.title and letter["date"] == {"label": m.date_label or None, "iso": "1937-06-14"}
    assert letter["languages"] == ["de"]  # no langUsage: the text's language
    assert letter["archive"] == [{"field": "settlement", "type": None, "value": "Almaty"},
                                 {"field": "idno", "type": "file", "value": "7"}]
    empty = by_id["empty"]
    assert empty["date"] == {"label": None, "iso": None} and empty["archive"] is None
    assert empty["languages"] == [] and empty["title"] == next(d.title for d in model.documents if d.id == "empty")
    smirnov = next(e for e in ents if e["id"] == "smirnov")
    assert smirnov["name"] == "Ivan Smirnov" and smirnov["variants"] == ["Smirnof"]
    assert smirnov["identifiers"] == [{"type": "VIAF", "value": "123"}, {"type": "GND", "value": "4567-8"}]
    assert smirnov["links"] == ["https://viaf.org/viaf/123", "http://www.wikidata.org/entity/Q1"]
    assert smirnov["note"] == model.entities["smirnov"].note and '"hi" </script>' in smirnov["note"]
    hotan = next(e for e in ents if e["id"] == "hotan")
    assert hotan["coordinates"] == {"lat": 37.1, "long": 79.9} and hotan["kind"] == "place"
    # every name that points to an entity, in order; a pointer to nothing is no mention, nor
    # is a register entry of the back matter
    got = [(x["entity"], x["passage"], x["text"]) for x in mentions]
    assert got[0][:2] == ("smirnov", "title")
    assert got[1:] == [("smirnov", "tei-main", m_text(model, "Smirnof")), ("hotan", "tei-main", "Hotan"),
                       ("smirnov", "p-2", "Smirnov"), ("smirnov", "p-2", "Ivan")]
    assert "zed" not in {x["entity"] for x in mentions}
    # the files are valid JSON whatever the text holds, and nothing else is in the folder
    assert sorted(p.name for p in (ed / "output" / "json").iterdir()) == \
        [".edition-build.json", "documents.json", "entities.json", "mentions.json"]


def m_text(model, shown: str) -> str:
    """The text the model reads for a name holding only <sic> (its reading-text rule)."""
    from toolkit.model import T, text_of
    root = next(f.root for f in model.files.values() if f.root is not None and f.root.get(
        "{http://www.w3.org/XML/1998/namespace}id") == "letter.1")
    el = next(e for e in root.iter(T + "persName") if "".join(e.itertext()) == shown)
    return text_of(el)


def test_a_broken_document_keeps_its_records_and_strict_writes_nothing(tmp_path):
    ed = odd_edition(tmp_path)
    assert run_cli("build", "html", "--no-search", cwd=ed).returncode == 0  # the last good facts
    assert run_cli("build", "json", cwd=ed).returncode == 0
    out = ed / "output" / "json"
    before = snapshot(out)
    letter = ed / "tei" / "letter.xml"
    letter.write_text(LETTER.replace("</p>\n<p>", "</p>\n<p", 1), encoding="utf-8")  # malformed
    r = run_cli("build", "json", "--strict", cwd=ed)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "--strict" in r.stderr and "letter.xml:" in r.stderr
    assert snapshot(out) == before
    r = run_cli("build", "json", cwd=ed)
    assert r.returncode == 1, r.stderr  # built with errors: the document is stale
    assert "stale" in r.stdout and "letter.xml:" in r.stdout
    assert snapshot(out) == before  # its last good records stay, nothing else changed


def test_a_folder_that_is_not_ours_is_refused(tmp_path):
    ed = odd_edition(tmp_path)
    out = ed / "output" / "json"
    out.mkdir(parents=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    r = run_cli("build", "json", cwd=ed)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "documents.json").exists()
