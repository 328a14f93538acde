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

# the build in this process; each process writes the stylesheets it compiles to a file of its
# own (named by its pid) in the folder given, the main process its pid to "main"
SPY = """
import os, sys
from pathlib import Path
from toolkit import saxon
from toolkit.cli import main
log = Path(sys.argv[3])
orig = saxon._compile_trusted
def spy(path, file):
    with open(log / str(os.getpid()), "a", encoding="utf-8") as f:
        f.write(path.name + "\\n")
    return orig(path, file)
saxon._compile_trusted = spy
(log / "main").write_text(str(os.getpid()), encoding="utf-8")
main(["build", "html", sys.argv[1], "--no-search", "--out", sys.argv[2]])
"""


def test_main_process_compiles_only_site_xsl_when_workers_make_the_documents(tmp_path: Path):
    src = tmp_path / "docs"
    src.mkdir()
    for i in range(12):  # enough documents for the worker pool (PARALLEL_MIN_DOCS)
        (src / f"d{i}.xml").write_text(TEI.format(i=i), encoding="utf-8")
    out, log = tmp_path / "out", tmp_path / "log"
    log.mkdir()
    res = subprocess.run([sys.executable, "-c", SPY, str(src), str(out), str(log)], capture_output=True,
                         text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert res.returncode == 0, res.stderr
    main_pid = (log / "main").read_text(encoding="utf-8")
    by_pid = {f.name: f.read_text(encoding="utf-8").split() for f in log.iterdir() if f.name != "main"}
    in_workers = [name for pid, names in by_pid.items() if pid != main_pid for name in names]
    assert "document.xsl" in in_workers  # the pool made the document pages
    assert sorted(by_pid.get(main_pid, [])) == ["site.xsl"]
    assert len(list((out / "doc").glob("*.html"))) == 12
