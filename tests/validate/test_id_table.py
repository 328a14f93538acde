"""Issue #18: a split whole-edition validate reads every file's ids once, before its workers
fork (toolkit/validate/id_table.py); the workers look the files they do not check up there
instead of making an id-only stand-in of each, and find what one process finds."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import edition_copy
from toolkit.model import canon
from toolkit.validate.id_table import IdsView, IdTable

# mode "one": one process; "split": split across processes, with xmlsafe.index_ids_only (the
# stand-in each worker made of every file it did not check) refused in every process
_RUN = r"""
import json, sys
from pathlib import Path
from toolkit.config import load_config
from toolkit.validate import validator
validator.PARALLEL_MIN_BYTES = 0
if sys.argv[1] == "one":
    validator._chunks_for_processes = lambda targets: [targets]
else:
    def refused(path, display=None):
        raise RuntimeError(f"a stand-in was made for {path}")
    validator.index_ids_only = refused
report = validator.validate(load_config(start=Path.cwd()))
print(json.dumps([[d.path, d.line, d.column, d.severity, d.message, d.rule] for d in report.diagnostics]))
"""


def _with_findings(tmp_path: Path) -> Path:
    """The bundled edition with pointers across files: a bare pointer to another document's
    id (the wrong kind for a persName), one to nothing, an id three documents give."""
    ed = edition_copy(tmp_path)
    tei = ed / "tei"

    def edit(name, old, new):
        p = tei / name
        text = p.read_text(encoding="utf-8")
        assert old in text
        p.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("doc-1935-10-03.xml", '<orgName ref="orgs.xml#politburo">Politburo</orgName> orders',
         '<orgName ref="orgs.xml#politburo">Politburo</orgName> <persName ref="#doc-1945-07">Y</persName>'
         ' <persName ref="#ghost">X</persName> orders')
    for name in ("doc-1935-09-13.xml", "doc-1939-01-10.xml", "doc-1945-08-27.xml"):
        edit(name, "<p>", '<p xml:id="dup-x">')
    return ed


def test_a_split_validate_makes_no_stand_ins_and_finds_what_one_process_finds(tmp_path):
    ed = _with_findings(tmp_path)
    runs = {}
    for mode in ("one", "split"):
        res = subprocess.run([sys.executable, "-c", _RUN, mode], capture_output=True, text=True, cwd=ed)
        assert res.returncode == 0, res.stderr[-2000:]
        runs[mode] = json.loads(res.stdout)
    assert runs["split"] == runs["one"]
    found = {(d[0], d[1], d[5], d[4]) for d in runs["split"]}
    assert ("tei/doc-1935-10-03.xml", 40, "ref.kind",
            "persName/@ref '#doc-1945-07' points to a TEI in doc-1945-07.xml, but persName/@ref must "
            "point to a person (an entry of persons.xml)") in found
    assert any(d[:3] == ("tei/doc-1935-10-03.xml", 40, "ref.resolves") and "'#ghost'" in d[3]
               for d in found), found
    dup = sorted((d[0], d[1], d[3]) for d in found if d[2] == "id.unique")
    assert dup == [
        ("tei/doc-1935-09-13.xml", 14, "xml:id 'dup-x' is also used in tei/doc-1939-01-10.xml, "
         "tei/doc-1945-08-27.xml; ids must be unique across the edition"),
        ("tei/doc-1939-01-10.xml", 13, "xml:id 'dup-x' is also used in tei/doc-1935-09-13.xml, "
         "tei/doc-1945-08-27.xml; ids must be unique across the edition"),
        ("tei/doc-1945-08-27.xml", 14, "xml:id 'dup-x' is also used in tei/doc-1935-09-13.xml, "
         "tei/doc-1939-01-10.xml; ids must be unique across the edition"),
    ]


def test_the_table_answers_as_the_stand_ins_did(tmp_path):
    """A file's ids as xmlsafe.index_ids_only's stand-in gives them (the first of a repeated
    id, with its element's name), the files giving an id in the model's order, and the files
    the worker's model holds itself before the table's."""
    a, b, c, auth = (tmp_path / n for n in ("a.xml", "b.xml", "c.xml", "auth.xml"))
    ns = 'xmlns="http://www.tei-c.org/ns/1.0"'
    a.write_text(f'<TEI {ns} xml:id="A"><text><body><p xml:id="x">1</p><ab xml:id="x">2</ab>'
                 f'<div xml:id="y"/></body></text></TEI>', encoding="utf-8")
    b.write_text(f'<TEI {ns}><text><body><p xml:id="y"/></body></text></TEI>', encoding="utf-8")
    c.write_text("<TEI", encoding="utf-8")
    auth.write_text(f'<TEI {ns}><person xml:id="y"/></TEI>', encoding="utf-8")
    missing = tmp_path / "gone.xml"
    table = IdTable([c, b, a, missing, auth, b], whole={canon(auth)})
    assert table.paths == [canon(p) for p in (c, b, a, missing, auth)]
    assert table.unreadable() == [canon(missing)]
    assert {i: el.tag.split("}")[1] for i, el in table.ids_of(2).items()} == {"A": "TEI", "x": "p", "y": "div"}
    assert table.ids_of(0) == {} and table.ids_of(4) is None
    # the worker holds b itself (it checks it), with ids of its own parse; auth parsed whole
    own = {canon(b): {"z": object()}, canon(auth): {"y": object()}}
    files = {canon(b): object(), canon(auth): object()}
    view = IdsView(own, files, table, shown=lambda p: Path(p).name)
    assert view.owners("y") == [canon(a), canon(auth)]  # b's own parse no longer gives y
    assert view.first_owner("z") == canon(b)
    assert "x" in view[canon(a)] and view.get(canon(missing)) is None
    assert [k for k, _ in view.items()] == [canon(p) for p in (c, b, a, auth)]
    assert view.display(canon(a)) == "a.xml"
