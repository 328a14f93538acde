"""PDF tables: rows stay rows, cell spans are honoured, hostile spans are bounded.

The PDFs are read back twice: the tagged structure (Table/TR/TD with ColSpan and RowSpan, as
Typst writes it for PDF/UA) and the position of each cell's text on the page.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from toolkit.outputs.runner import build
from toolkit.config import Config

REPO = Path(__file__).resolve().parents[2]
TEI_NS = "http://www.tei-c.org/ns/1.0"


def tei(doc_id: str, body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}" xml:id="{doc_id}">
  <teiHeader><fileDesc><titleStmt><title>Tables {doc_id}</title></titleStmt>
    <publicationStmt><p>Made by the tests.</p></publicationStmt>
    <sourceDesc><p>Test.</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
{body}
  </body></text>
</TEI>
"""


def place(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def build_one(tmp_path: Path, doc_id: str, body: str):
    text = tei(doc_id, body)
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / f"{doc_id}.xml"
    src.write_text(text, encoding="utf-8")
    [result] = build(Config(root=REPO), ["pdf"], paths=[src], out=tmp_path / "out")
    return text, result, tmp_path / "out" / f"{doc_id}.pdf"


def table_rows(pdf: Path) -> list[list[list[dict]]]:
    """Per table of the tagged PDF: its rows, each a list of its cells' table attributes."""
    tables = []

    def attrs(td) -> dict:
        a = td.get("/A") or []
        a = [x.get_object() for x in (a if isinstance(a, list) else [a])]
        return {k: v for d in a if d.get("/O") == "/Table" for k, v in d.items() if k in ("/ColSpan", "/RowSpan")}

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for k in node:
                walk(k)
            return
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Table":
            rows = []
            for tr in _kids(node):
                if tr.get("/S") == "/TR":
                    rows.append([attrs(td) for td in _kids(tr) if td.get("/S") in ("/TD", "/TH")])
            tables.append(rows)
            return
        if node.get("/K") is not None:
            walk(node["/K"])
    walk(PdfReader(str(pdf)).trailer["/Root"]["/StructTreeRoot"])
    return tables


def _kids(node) -> list[dict]:
    k = node.get("/K")
    k = k.get_object() if k is not None else []
    k = k if isinstance(k, list) else [k]
    return [x.get_object() for x in k if isinstance(x.get_object(), dict)]


def positions(pdf: Path) -> dict[str, tuple[float, float]]:
    """Where each word is drawn on the first page (x, y), for words that occur once."""
    seen: dict[str, list] = {}

    def visit(text, cm, tm, font, size):
        t = text.strip()
        if t:
            seen.setdefault(t, []).append((round(tm[4] * cm[0] + cm[4], 1), round(tm[5] * cm[3] + cm[5], 1)))
    PdfReader(str(pdf)).pages[0].extract_text(visitor_text=visit)
    return {k: v[0] for k, v in seen.items() if len(v) == 1}


# -- rows and spans ---------------------------------------------------------------------------------

def test_a_two_by_two_table_has_two_rows(tmp_path):
    """The table's own @cols was read for each cell: a 2×2 table printed as one row of four."""
    _, result, pdf = build_one(tmp_path, "square", '<table rows="2" cols="2">'
                               "<row><cell>AA1</cell><cell>AA2</cell></row>"
                               "<row><cell>BB1</cell><cell>BB2</cell></row></table>")
    assert result.ok and not result.diagnostics
    assert table_rows(pdf) == [[[{}, {}], [{}, {}]]]
    p = positions(pdf)
    assert p["AA1"][1] == p["AA2"][1] > p["BB1"][1] == p["BB2"][1]
    assert p["AA1"][0] == p["BB1"][0] < p["AA2"][0] == p["BB2"][0]


def test_cell_spans_are_honoured(tmp_path):
    _, result, pdf = build_one(tmp_path, "spans", "<table>"
                               '<row><cell cols="2">WIDE</cell><cell>CC</cell></row>'
                               '<row><cell rows="2">TALL</cell><cell>MM</cell><cell>NN</cell></row>'
                               "<row><cell>OO</cell><cell>PP</cell></row></table>")
    assert result.ok and not result.diagnostics
    assert table_rows(pdf) == [[[{"/ColSpan": 2}, {}], [{"/RowSpan": 2}, {}, {}], [{}, {}]]]
    p = positions(pdf)
    # the tall cell holds the first column of the third row: OO stands under MM, PP under NN
    assert p["OO"][0] == p["MM"][0] and p["PP"][0] == p["NN"][0]
    assert p["TALL"][0] < p["MM"][0] < p["NN"][0] and p["CC"][0] == p["NN"][0]
    # a short row does not take the next row's cells (rows are placed, not flowed)
    _, _, pdf2 = build_one(tmp_path / "b", "short", "<table><row><cell>R1A</cell><cell>R1B</cell></row>"
                           "<row><cell>R2A</cell></row><row><cell>R3A</cell><cell>R3B</cell></row></table>")
    q = positions(pdf2)
    assert q["R1A"][1] > q["R2A"][1] > q["R3A"][1] == q["R3B"][1]


HOSTILE = """<table cols="100000000" rows="100000000">
<row><cell>H1</cell><cell cols="100000000">H2</cell></row>
<row><cell rows="100000000">H3</cell><cell>H4</cell></row>
<row><cell cols="99999999999999999999999999999">H5</cell></row>
</table>"""


def test_hostile_spans_are_bounded_and_warned(tmp_path):
    script = ("import sys, time; from pathlib import Path\n"
              "from toolkit.outputs.runner import build; from toolkit.config import Config\n"
              "t = time.perf_counter()\n"
              "[r] = build(Config(root=Path.cwd()), ['pdf'], paths=[Path(sys.argv[1])], out=Path(sys.argv[2]), report=None)\n"
              # the child's own peak (ru_maxrss would include the pytest process it was forked from)
              "print(round(time.perf_counter() - t, 2), int(next(l for l in open('/proc/self/status')"
              " if l.startswith('VmHWM')).split()[1]) // 1024)\n"
              "for d in r.diagnostics: print(f'{d.line}:{d.column}:{d.severity}:{d.rule}:{d.message}')\n")
    text = tei("hostile", HOSTILE)
    (tmp_path / "hostile.xml").write_text(text, encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", script, str(tmp_path / "hostile.xml"), str(tmp_path / "out")],
                       cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    first, *diags = r.stdout.strip().splitlines()
    seconds, peak_mb = first.split()
    assert float(seconds) < 30 and int(peak_mb) < 600, first
    l2, c2 = place(text, '<cell cols="100000000">')
    l3, c3 = place(text, '<cell rows="100000000">')
    l5, c5 = place(text, '<cell cols="9999')
    assert diags == [
        f"{l2}:{c2}:warning:pdf.table:a cell spanning 100000000 columns, more than a table of the PDF has: it spans one",
        f"{l3}:{c3}:warning:pdf.table:a cell spanning 100000000 rows, beyond the end of its table: it spans 2",
        f"{l5}:{c5}:warning:pdf.table:a cell spanning 999999999999… columns, more than a table of the PDF has: it spans one",
    ]
    pdf = tmp_path / "out" / "hostile.pdf"
    assert table_rows(pdf) == [[[{}, {}], [{"/RowSpan": 2}, {}], [{}]]]
    p = positions(pdf)
    assert p["H5"][0] == p["H4"][0]   # H3 holds the first column of the last row


def test_a_row_wider_than_the_bound_continues_on_a_new_line(tmp_path):
    cells = "".join(f"<cell>w{i}</cell>" for i in range(70))
    text, result, pdf = build_one(tmp_path, "wide", f"<table>\n<row>{cells}</row></table>")
    [d] = result.diagnostics
    assert (d.line, d.column, d.rule) == (*place(text, "<row>"), "pdf.table")
    assert "a table row 70 columns wide: a table of the PDF has at most 64" in d.message
    [rows] = table_rows(pdf)
    assert len(rows) == 2 and len(rows[0]) == 64
    p = positions(pdf)
    assert p["w64"][0] == p["w0"][0] and p["w64"][1] < p["w0"][1]
    assert p["w69"][1] == p["w64"][1]


# -- the layout itself ------------------------------------------------------------------------------

def table(xml: str):
    return etree.fromstring(f'<table xmlns="{TEI_NS}">{xml}</table>')


def layout(xml: str):
    from toolkit.outputs.pdf_tables import lay_out
    t = table(xml)
    columns, placed, notes = lay_out(t)
    cells = [c for c in t.iter(f"{{{TEI_NS}}}cell")]
    return columns, [(p.x, p.y, p.colspan, p.rowspan) for p in (placed[c] for c in cells)], \
        [m for _, m, _ in notes]


def test_layout_of_spans():
    assert layout("<row><cell/><cell/></row><row><cell/><cell/></row>") == \
        (2, [(0, 0, 1, 1), (1, 0, 1, 1), (0, 1, 1, 1), (1, 1, 1, 1)], [])
    # a rowspan holds its column in the rows below
    assert layout('<row><cell rows="2"/><cell/></row><row><cell/></row>') == \
        (2, [(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1)], [])
    # the width of a row counts the columns held from above
    assert layout('<row><cell rows="2"/><cell/></row><row><cell/><cell/></row>') == \
        (3, [(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1), (2, 1, 1, 1)], [])
    # a span that does not fit beside a held column spans what is free
    cols, placed, notes = layout('<row><cell/><cell rows="2"/><cell/></row><row><cell cols="2"/><cell/></row>')
    assert cols == 4 and placed[3] == (0, 1, 1, 1) and placed[4] == (2, 1, 1, 1)
    assert notes == ["a cell spanning 2 columns where its row has 1 free beside it: it spans 1"]


def test_layout_bounds():
    cols, placed, notes = layout('<row><cell cols="65"/><cell rows="9"/></row><row><cell cols="abc"/></row>')
    assert cols == 2 and placed == [(0, 0, 1, 1), (1, 0, 1, 2), (0, 1, 1, 1)]
    assert notes == ["a cell spanning 65 columns, more than a table of the PDF has: it spans one",
                     "a cell spanning 9 rows, beyond the end of its table: it spans 2"]
    cols, placed, _ = layout("<row>" + "<cell/>" * 130 + "</row><row><cell/></row>")
    assert cols == 64
    assert placed[63] == (63, 0, 1, 1) and placed[64] == (0, 1, 1, 1) and placed[129] == (1, 2, 1, 1)
    assert placed[130] == (0, 3, 1, 1)   # the next TEI row starts below the wrapped one


def test_layout_of_a_hostile_table_is_quick():
    rows = "".join(f'<row><cell rows="1000000">{i}</cell><cell cols="64"/></row>' for i in range(3000))
    t = time.perf_counter()
    cols, placed, _ = layout(rows)
    assert time.perf_counter() - t < 5
    assert cols == 64 and len(placed) == 6000
