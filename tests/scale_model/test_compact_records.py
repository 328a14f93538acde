"""Issue #18: a model whose documents are kept as compact records (model.CompactFile) instead of
parsed trees tells the checks exactly what the model of the whole trees tells them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lxml import etree

from conftest import edition_copy
from toolkit import context as ctx
from toolkit.config import load_config
from toolkit.model import CompactFile, Edition, canon
from toolkit.validate.validator import _Compactor
from toolkit.xmlsafe import parse_file

TEI_NS = "http://www.tei-c.org/ns/1.0"


def _richer(tmp_path: Path) -> Path:
    """The bundled edition with what a record must carry: a register in a document's back
    matter, an xi:include bringing in names and ids, an id given twice, a teiCorpus."""
    ed = edition_copy(tmp_path)
    tei = ed / "tei"
    (ed / "parts").mkdir()
    (ed / "parts" / "part.xml").write_text(
        f'<div xmlns="{TEI_NS}" xml:id="inc-part"><p>Included: <persName ref="#stalin">Stalin</persName>'
        ' and <placeName ref="../tei/places.xml#kashgar">Kashgar</placeName>.</p></div>\n', encoding="utf-8")
    doc = tei / "doc-1935-09-13.xml"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("</body>", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                        'href="../parts/part.xml"/>\n<p xml:id="twice">a</p><p xml:id="twice">b</p></body>', 1)
    text = text.replace("</text>", '<back><listPerson><person xml:id="local-clerk"><persName>'
                        '<forename>Ivan</forename> <surname>Clerk</surname></persName><note>A clerk.</note>'
                        '</person></listPerson></back></text>', 1)
    at = text.index("</p>", text.index("<body>"))
    text = text[:at] + ' <persName ref="#local-clerk">the clerk</persName>' \
        + text[at:]
    doc.write_text(text, encoding="utf-8")
    (tei / "doc-corpus.xml").write_text(
        f'<teiCorpus xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>C</title></titleStmt>'
        '</fileDesc></teiHeader><TEI xml:id="c1"><teiHeader><fileDesc><titleStmt><title>One</title>'
        '</titleStmt></fileDesc></teiHeader><text><body><p><persName ref="persons.xml#stalin">S</persName>'
        '</p></body></text></TEI></teiCorpus>\n', encoding="utf-8")
    return ed


def _models(ed: Path) -> tuple[Edition, Edition]:
    config = load_config(start=ed)
    whole = Edition.load(config)
    compact = _Compactor(config, {canon(a) for a in config.authority_files()})
    parsed = {canon(p): compact(parse_file(p, display=p.name)) for p in config.source_files()}
    assert sum(isinstance(s, CompactFile) for s in parsed.values()) == 11  # the corpus stays whole
    return whole, Edition.load(config, parsed=parsed)


def _facts(ed: Edition) -> dict:
    return {
        "documents": [vars(d) for d in ed.documents],
        "mentions": [(m.entity_id, m.pointer, m.element, m.file, m.line) for m in ed.mentions],
        "entities": [(e.id, e.kind, e.file, e.preferred, e.variants, e.note, e.geo, e.line, e.sort_key)
                     for e in ed.entities.values()],
        "ids": {p: [(i, el.tag, el.sourceline) for i, el in ids.items()] for p, ids in ed.ids.items()},
        "info_fields": ed.info_fields(),
    }


def test_a_compact_model_tells_what_the_whole_trees_tell(tmp_path):
    whole, compact = _models(_richer(tmp_path))
    assert _facts(compact) == _facts(whole)
    ids = _facts(whole)["ids"][canon(tmp_path / "ed" / "tei" / "doc-1935-09-13.xml")]
    assert ("twice", f"{{{TEI_NS}}}p", ids[[i for i, *_ in ids].index("twice")][2]) in ids
    assert "inc-part" not in [i for i, *_ in ids]  # the included file's id, not the document's
    assert any(m[0] == "local-clerk" for m in _facts(whole)["mentions"])
    # the Schematron's contexts: the whole one (authority files) and a document's slice
    assert etree.tostring(ctx.full(compact)) == etree.tostring(ctx.full(whole))
    for name in ("persons.xml", "doc-1935-09-13.xml"):
        p = canon(tmp_path / "ed" / "tei" / name)
        assert etree.tostring(ctx.for_file(compact, p)) == etree.tostring(ctx.for_file(whole, p))


def test_a_compact_model_holds_no_documents_tree(tmp_path):
    ed = _richer(tmp_path)
    config = load_config(start=ed)
    compact = _Compactor(config, {canon(a) for a in config.authority_files()})
    src = parse_file(ed / "tei" / "doc-1935-09-13.xml", display="d")
    root = src.root
    kept = compact(src)
    rec = kept.record
    elements = [kept.root, *rec.page_facts, *(el for _, _, el in rec.entries)]
    assert elements[1:] and all(el.getroottree().getroot() is not root for el in elements)
    plain = (str, int, type(None), Path)
    assert all(isinstance(v, plain) for row in rec.mentions + rec.pointers for v in row)
    assert all(isinstance(v, plain + (bool,)) for v in rec.facts)
    assert len(kept.root) + 1 < sum(1 for _ in root.iter()) // 10  # one element per id


_RUN = """
import json, sys
from pathlib import Path
from toolkit.config import load_config
from toolkit.validate import validator
validator.PARALLEL_MIN_BYTES = 0
if sys.argv[1] == "one":
    validator._chunks_for_processes = lambda targets: [targets]
report = validator.validate(load_config(start=Path.cwd()))
print(json.dumps([[d.path, d.line, d.column, d.severity, d.message, d.rule] for d in report.diagnostics]))
"""


def test_a_split_validate_with_compact_records_reports_what_one_process_reports(tmp_path):
    ed = _richer(tmp_path)
    persons = ed / "tei" / "persons.xml"  # an unused entry: the authority check reads every mention
    persons.write_text(persons.read_text(encoding="utf-8").replace(
        "</listPerson>", '<person xml:id="unused-one"><persName>Nobody Used</persName></person></listPerson>', 1),
        encoding="utf-8")
    runs = {}
    for mode in ("one", "split"):
        res = subprocess.run([sys.executable, "-c", _RUN, mode], capture_output=True, text=True, cwd=ed)
        assert res.returncode == 0, res.stderr
        runs[mode] = json.loads(res.stdout)
    assert runs["split"] == runs["one"]
    found = {(Path(d[0]).name, d[5]) for d in runs["one"]}
    assert ("doc-1935-09-13.xml", "id.duplicate") in found
    assert any(d[4].find("unused-one") >= 0 for d in runs["one"]), runs["one"]


def test_an_id_used_in_two_files_is_placed_by_line_and_column_though_kept_compact(tmp_path):
    """Files checked are kept compact between their checks (the id-only stand-in): the place of
    an id another file repeats is that of the element in the file as read whole."""
    ed = tmp_path / "ids"
    ed.mkdir()
    (ed / "edition.toml").write_text('[edition]\ntitle = "t"\nsources = ["*.xml"]\n', encoding="utf-8")
    head = f'<TEI xmlns="{TEI_NS}">\n<teiHeader/>\n<text><body>\n'
    (ed / "a.xml").write_text(head + '<p>x</p>   <p n="1"\n     xml:id="same">a</p>\n</body></text></TEI>\n')
    (ed / "b.xml").write_text(head + '<div><p xml:id="same">b</p></div>\n</body></text></TEI>\n')
    config = load_config(start=ed)
    from toolkit.validate.validator import validate
    found = sorted((Path(d.path).name, d.line, d.column) for d in validate(config).diagnostics
                   if d.rule == "id.unique")
    assert found == [("a.xml", 4, 12), ("b.xml", 4, 6)]


def test_records_share_the_strings_every_document_repeats(tmp_path):
    """The pointers and names every document repeats ("persons.xml#stalin", "persName", "ref")
    are one string each, not one per pointer: they were most of a record (8 of its 12 KB at
    10,000 documents, issue #18)."""
    ed = edition_copy(tmp_path)
    config = load_config(start=ed)
    compact = _Compactor(config, {canon(a) for a in config.authority_files()})
    records = [compact(parse_file(p, display=p.name)).record for p in sorted((ed / "tei").glob("doc-*.xml"))]
    by_text: dict[str, set[int]] = {}
    for rec in records:
        for row in rec.pointers + [m[:2] for m in rec.mentions]:
            for s in row:
                by_text.setdefault(s, set()).add(id(s))
    repeated = [s for s in by_text if sum(s in row for rec in records for row in rec.pointers) > 1]
    assert {"persName", "ref", "edition.xml#rights-hppp"} <= set(repeated)
    assert all(len(by_text[s]) == 1 for s in repeated)
