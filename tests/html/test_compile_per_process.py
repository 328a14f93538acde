"""Which stylesheets each process of an HTML build compiles: when worker processes make the
document pages, the main process (which makes the site pages) compiles site.xsl only — compiling
document.xsl as well cost it 0.1–0.2 s of CPU for nothing (bench/eltec_html.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d{i}"><teiHeader><fileDesc>
<titleStmt><title>Document {i}</title></titleStmt><publicationStmt><p>x</p></publicationStmt>
<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Text of document {i}.</p></body></text></TEI>"""

# the build in this process; each compile reported with the process it ran in
SPY = """
import os, sys
from toolkit import saxon
from toolkit.cli import main
orig = saxon._compile_trusted
def spy(path, file):
    print(f"COMPILE {os.getpid()} {path.name}", file=sys.stderr, flush=True)
    return orig(path, file)
saxon._compile_trusted = spy
print(f"MAIN {os.getpid()}", file=sys.stderr, flush=True)
main(["build", "html", sys.argv[1], "--no-search", "--out", sys.argv[2]])
"""


def test_main_process_compiles_only_site_xsl_when_workers_make_the_documents(tmp_path: Path):
    src = tmp_path / "docs"
    src.mkdir()
    for i in range(12):  # enough documents for the worker pool (PARALLEL_MIN_DOCS)
        (src / f"d{i}.xml").write_text(TEI.format(i=i), encoding="utf-8")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-c", SPY, str(src), str(out)], capture_output=True, text=True,
                         timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    main_pid = next(line.split()[1] for line in lines if line.startswith("MAIN "))
    compiles = [line.split()[1:] for line in lines if line.startswith("COMPILE ")]
    in_main = sorted(name for pid, name in compiles if pid == main_pid)
    in_workers = [name for pid, name in compiles if pid != main_pid]
    assert "document.xsl" in in_workers  # the pool made the document pages
    assert in_main == ["site.xsl"]
    assert len(list((out / "doc").glob("*.html"))) == 12
