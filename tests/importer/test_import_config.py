"""The importer's conventions come from edition.toml (issue #11, item 6): the draft's file name
([import] file_name), the hands' ids ([import] archive_hand, signature_hand) and the
<?xml-model?> of the schemas [edition] names (none when it names none)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from lxml import etree

from conftest import REPO, run_cli
from toolkit.config import load_config
from toolkit.importer import import_file

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ILI = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "ili-minutes.txt"   # dated 1945-08-02


def edition_copy(tmp_path: Path, toml_change=None) -> Path:
    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    text = (REPO / "edition.toml").read_text(encoding="utf-8")
    changed = toml_change(text) if toml_change else text
    assert toml_change is None or changed != text, "the change does not apply to edition.toml"
    (root / "edition.toml").write_text(changed, encoding="utf-8")
    return root


def models(path: Path) -> list[tuple[str, str]]:
    """(href, schematypens) of each <?xml-model?> of a file, in order."""
    tree = etree.parse(str(path))
    out = []
    node = tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            out.append((node.get("href"), node.get("schematypens")))
        node = node.getprevious()
    return out[::-1]


def hands(path: Path) -> tuple[list[str], set[str]]:
    tree = etree.parse(str(path))
    declared = [h.get(XML_ID) for h in tree.xpath("//t:handNote", namespaces=NS)]
    used = set(tree.xpath("//t:text//@hand", namespaces=NS))
    return declared, used


def test_the_draft_is_named_by_file_name(tmp_path):
    ed = edition_copy(tmp_path, lambda t: t.replace('file_name = "doc-{date}.xml"',
                                                    'file_name = "minutes-{year}-{date}.xml"'))
    import_file(load_config(ed / "edition.toml"), ILI, validate=False)
    draft = ed / "tei" / "minutes-1945-1945-08-02.xml"
    assert draft.is_file() and not (ed / "tei" / "doc-1945-08-02.xml").exists()
    assert etree.parse(str(draft)).getroot().get(XML_ID) == "minutes-1945-1945-08-02"


def test_the_hands_take_the_configured_ids(tmp_path):
    ed = edition_copy(tmp_path, lambda t: t.replace('[import]\n', '[import]\narchive_hand = "h-notes"\n'
                                                                 'signature_hand = "h-sig"\n'))
    import_file(load_config(ed / "edition.toml"), ILI, validate=False)
    declared, used = hands(ed / "tei" / "doc-1945-08-02.xml")
    assert declared == ["h-notes", "h-sig"] and used == {"#h-notes", "#h-sig"}


def test_a_hand_id_another_document_has_gets_the_documents_date(tmp_path):
    # doc-1937-06-14.xml declares hand-archive and hand-signature; the suffix leaves out the
    # fixed start of the file name, whatever it is
    ed = edition_copy(tmp_path, lambda t: t.replace('"doc-{date}.xml"', '"minutes-{date}.xml"'))
    import_file(load_config(ed / "edition.toml"), ILI, validate=False)
    declared, used = hands(ed / "tei" / "minutes-1945-08-02.xml")
    assert declared == ["hand-archive-1945-08-02", "hand-signature-1945-08-02"]
    assert used == {"#hand-archive-1945-08-02", "#hand-signature-1945-08-02"}


def test_the_draft_points_at_the_schemas_edition_toml_names(tmp_path):
    def elsewhere(text):
        return (text.replace('schema = "schema/edition.rng"', 'schema = "rng/my schema.rng"')
                    .replace('schematron = ["schema/edition.sch"]',
                             'schematron = ["rules/one.sch", "schema/edition.sch"]'))
    ed = edition_copy(tmp_path, elsewhere)
    (ed / "rng").mkdir()
    shutil.copy(ed / "schema" / "edition.rng", ed / "rng" / "my schema.rng")
    (ed / "rules").mkdir()
    shutil.copy(ed / "schema" / "edition.sch", ed / "rules" / "one.sch")
    res = run_cli("import", str(ILI), "--format", "json", cwd=ed)
    draft = ed / "tei" / "doc-1945-08-02.xml"
    assert models(draft) == [("../rng/my%20schema.rng", "http://relaxng.org/ns/structure/1.0"),
                             ("../rules/one.sch", "http://purl.oclc.org/dsdl/schematron"),
                             ("../schema/edition.sch", "http://purl.oclc.org/dsdl/schematron")]
    assert res.returncode == 0 and json.loads(res.stdout)["validation"]["errors"] == 0, res.stdout
    # the references resolve from where the draft is: validated by its own <?xml-model?> alone
    (ed / "edition.toml").write_text('[edition]\nsources = ["tei/doc-*.xml"]\nauthority = ["tei/persons.xml", '
                                     '"tei/places.xml", "tei/orgs.xml"]\nedition_file = "tei/edition.xml"\n',
                                     encoding="utf-8")
    val = run_cli("validate", "tei/doc-1945-08-02.xml", cwd=ed)
    assert val.returncode == 0 and "schema.missing" not in val.stdout, val.stdout


def test_no_schema_named_no_xml_model(tmp_path):
    def without(text):
        return "\n".join(line for line in text.splitlines()
                         if not line.startswith(("schema =", "schematron =")))
    ed = edition_copy(tmp_path, without)
    import_file(load_config(ed / "edition.toml"), ILI, validate=False)
    assert models(ed / "tei" / "doc-1945-08-02.xml") == []


def test_the_bundled_edition_keeps_its_conventions(tmp_path):
    ed = edition_copy(tmp_path)
    import_file(load_config(ed / "edition.toml"), ILI, validate=False)
    draft = ed / "tei" / "doc-1945-08-02.xml"
    assert models(draft) == [("../schema/edition.rng", "http://relaxng.org/ns/structure/1.0"),
                             ("../schema/edition.sch", "http://purl.oclc.org/dsdl/schematron")]
    assert hands(draft)[0] == ["hand-archive-1945-08-02", "hand-signature-1945-08-02"]
