"""The PDF stylesheets in a child process (issue #15 item 14): Saxon keeps its memory until its
process ends, so a build whose process has not started Saxon runs the stylesheets in a forked
child. What the child makes must be what the build would make itself: the fragments, each
document's preamble, each volume part's matter, and the findings (with their lines)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO, edition_copy

SCRIPT = r'''
import json, sys
from pathlib import Path
from toolkit import saxon
from toolkit.config import load_config
from toolkit.model import Edition
from toolkit.outputs import pdf

root = Path(sys.argv[1])

def made(apart):
    build = pdf.PdfBuild(Edition.load(load_config(root / "edition.toml")))
    if not apart:
        build._may_fork = lambda: False
    volume, frags = build.prepare()
    return build, {
        "volume": [volume.preamble.typst, volume.front.typst, volume.back.typst],
        "docs": {f.key: [f.typst, f.degraded] for f in frags},
        "diagnostics": [[d.path, d.line, d.column, d.rule, d.message] for d in build.diagnostics],
    }

child, a = made(True)
started = saxon.processor_started()          # (before the in-process run starts it)
here, b = made(False)
a["matter"] = sorted([list(k), v] for k, v in child.made.matter.items())
b["matter"] = sorted([[n, l], pdf.volume_part(here.edition, here.context, n, here.build_date, volume_part=l)]
                     for n, l in child.made.matter)
a["preambles"] = child.made.preambles
b["preambles"] = {k: pdf.volume_part(here.edition, here.context, "preamble", here.build_date,
                                     pdf_title=(f"{d.date_label or d.when}: {d.title}" if (d.date_label or d.when) else d.title),
                                     permalink=pdf.permalink(here.edition, k))
                  for d, k in zip(here.edition.documents, pdf.document_keys(here.edition))}
print(json.dumps({"started": started, "a": a, "b": b}))
'''


def test_the_stylesheets_run_apart_and_make_the_same(tmp_path):
    ed = edition_copy(tmp_path)
    (ed / "edition.toml").write_text((ed / "edition.toml").read_text(encoding="utf-8")
                                     + "\n[pdf]\npart_pages = 8\n", encoding="utf-8")
    # a document with a table span the PDF bounds: a warning from the stylesheet's input, with
    # its line, found in the child and reported by the build
    (ed / "tei" / "doc-1950-01-01.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doc-1950-01-01"><teiHeader><fileDesc>'
        '<titleStmt><title>Wide</title></titleStmt><publicationStmt><p>x</p></publicationStmt>'
        '<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>\n<text><body><table>\n'
        '<row><cell>A</cell><cell cols="100000000">B</cell></row></table></body></text></TEI>',
        encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(ed)], capture_output=True, text=True,
                       cwd=REPO, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["started"] is False          # Saxon never started in the build's process
    a, b = out["a"], out["b"]
    assert a["volume"] == b["volume"] and a["docs"] == b["docs"]
    assert a["diagnostics"] == b["diagnostics"]
    [table] = [d for d in a["diagnostics"] if d[3] == "pdf.table"]
    assert table[0].endswith("doc-1950-01-01.xml") and table[1] == 3 and "100000000 columns" in table[4]
    assert len(a["matter"]) >= 4 and a["matter"] == b["matter"]   # parts: a preamble and front each
    assert a["preambles"] == b["preambles"] and len(a["preambles"]) == 12
