"""A long document typeset in parts (issue #18 item 4): above [pdf] document_part_pages its own
PDF is joined from parts typeset one at a time, and above [pdf] part_pages it goes on across
the volume's parts; a paragraph longer than a part is cut after a sentence.

Documents made by bench/pdf_huge.py (paragraphs numbered P1, P2, …, a note on every third
paragraph saying "Note <n>"; or one paragraph of sentences S1, S2, …) are built ad hoc with low
limits and read back: the whole text in order, page and note numbers going on, the index of
each volume part naming its own pages.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from toolkit.outputs import pdf_split

from conftest import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from pdf_huge import write_paragraph, write_paragraphs  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    return [t.replace("\xad", "").replace("\u2060", "") for t in text.split("\f")][:-1]


def numbers(pattern: str, text: str) -> list[int]:
    return [int(n) for n in re.findall(pattern, text)]


def build(tmp: Path, doc: Path, options: str):
    cwd = tmp / "cwd"
    cwd.mkdir()
    (cwd / "edition.toml").write_text(f"[pdf]\n{options}\n", encoding="utf-8")
    r = run_cli("build", "pdf", str(doc), "--out", str(tmp / "out"), cwd=cwd)
    assert r.returncode == 0, r.stderr
    return r, tmp / "out"


@pytest.fixture(scope="module")
def paragraphs(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("pdf-split")
    doc = tmp / "long.xml"
    write_paragraphs(doc, 0.05)
    source = doc.read_text(encoding="utf-8")
    r, out = build(tmp, doc, "document_part_pages = 4\npart_pages = 6")
    return {"r": r, "out": out, "paras": len(re.findall(r"<p>P\d+\.", source)),
            "notes": source.count("<note ")}


def test_a_long_document_is_typeset_in_parts_and_joined(paragraphs):
    said = paragraphs["r"].stderr
    warning = next(line for line in said.splitlines() if "pdf.document-split" in line and "joined" in line)
    assert "warning" in warning and re.search(r"typeset in \d+ parts of about 4 pages", warning)
    pdf = paragraphs["out"] / "huge.pdf"
    texts = page_texts(pdf)
    # the whole text, in order, once
    found = numbers(r"\bP(\d+)\.\s", "\n".join(texts))
    assert found == list(range(1, paragraphs["paras"] + 1))
    # page numbers go on across the parts: each page's footer is its place in the file
    for n, text in enumerate(texts, 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        assert lines[-1] == str(n), (n, lines[-1])
    # so do the note numbers: the n-th footnote is the note of paragraph 3n
    entries = re.findall(r"^\s*(\d+)\s+Note (\d+):", "\n".join(texts), re.M)
    assert len(entries) == paragraphs["notes"]
    assert [int(k) for k, _ in entries] == list(range(1, len(entries) + 1))
    assert all(int(p) == 3 * int(k) for k, p in entries)
    # the document's bookmark leads to its first page
    r = PdfReader(str(pdf))
    assert [r.get_destination_page_number(o) + 1 for o in r.outline] == [1]


def test_a_long_document_goes_on_across_the_volume_parts(paragraphs):
    out = paragraphs["out"]
    parts = sorted(out.glob("edition-*.pdf"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(parts) >= 3
    assert any("the volume has it in" in line and "pdf.document-split" in line
               for line in paragraphs["r"].stderr.splitlines())
    joined = []
    for part in parts:
        texts = page_texts(part)
        joined += numbers(r"\bP(\d+)\.\s", "\n".join(texts))
        # notes go on from the parts before (note n is paragraph 3n's)
        for k, p in re.findall(r"^\s*(\d+)\s+Note (\d+):", "\n".join(texts), re.M):
            assert int(p) == 3 * int(k), part.name
        # the part's index names pages of this part on which the name stands
        index_at = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Index of persons"))
        index = texts[index_at].split("Index of persons", 1)[1]
        checked = 0
        for name, pages in re.findall(r"([A-Z][a-z]+ [A-Z][a-z]+), ([\d, –]+\d)", index):
            for span in pages.split(", "):
                lo, _, hi = span.partition("–")
                for page in range(int(lo), int(hi or lo) + 1):
                    assert name.split()[-1] in texts[page - 1], (part.name, name, page)
                    checked += 1
        assert checked >= 3, part.name
    assert joined == list(range(1, paragraphs["paras"] + 1))


def test_a_paragraph_longer_than_a_part_is_cut_after_a_sentence(tmp_path):
    doc = tmp_path / "para.xml"
    write_paragraph(doc, 0.06)
    count = len(re.findall(r"\bS\d+\. ", doc.read_text(encoding="utf-8")))
    r, out = build(tmp_path, doc, "document_part_pages = 5\npart_pages = 8")
    assert "a paragraph longer than a part is cut after a sentence" in r.stderr
    texts = page_texts(out / "huge.pdf")
    assert numbers(r"\bS(\d+)\.\s", "\n".join(texts)) == list(range(1, count + 1))
    assert [t.split()[-1] for t in texts] == [str(n) for n in range(1, len(texts) + 1)]
    parts = sorted(out.glob("edition-*.pdf"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(parts) >= 2
    volume = "\n".join("\n".join(page_texts(p)) for p in parts)
    assert numbers(r"\bS(\d+)\.\s", volume) == list(range(1, count + 1))
    # cut after a sentence: the last sentence of text in each part is whole
    for p in parts[:-1]:
        text = "\n".join(page_texts(p)).split("List of sources\n")[0]
        last = text[[m.start() for m in re.finditer(r"\bS\d+\.\s", text)][-1]:]
        assert re.match(r"S\d+\.[^.]+\.", last), last[:200]


def test_a_short_document_is_typeset_whole(tmp_path):
    doc = tmp_path / "short.xml"
    write_paragraphs(doc, 0.02)
    r, out = build(tmp_path, doc, "")
    assert "pdf.document-split" not in r.stderr
    root = PdfReader(str(out / "huge.pdf")).trailer["/Root"]
    assert "/StructTreeRoot" in root   # one Typst run: tagged, as PDF/UA wants


def test_the_cut_never_falls_inside_a_string_or_a_call():
    tricky = '#"a [b] \\"c\\" (d"; '
    body = "".join(f' #ed-head(level: 3)[#"H{i}";] /*@L{i}*/#ed-p[#"P{i}. Words."; {tricky}#ed-note[#"n ]";]]'
                   f' #ed-pb(n: "{i}")' for i in range(40)) + " #ed-after[#ed-source[]]"
    chunks, cut_para = pdf_split.chunks(body, 300)
    assert len(chunks) > 5 and not cut_para
    assert "".join(chunks) == body
    for c in chunks:
        assert not c.lstrip().startswith("["), c[:40]   # never between a call's brackets
        stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', c)
        assert stripped.count("[") == stripped.count("]") and stripped.count("(") == stripped.count(")")
    assert pdf_split.notes_in(body) == 40   # the "]" inside a literal is no call's end


def test_a_sequel_continues_the_numbers():
    split = pdf_split.parse('/*@L2*/#ed-document(key: "k", title: "T \\"[x]\\"")[#ed-p[#"a"; #ed-note[#"n";]]]\n')
    assert split.body == '#ed-p[#"a"; #ed-note[#"n";]]'
    piece = split.piece("#ed-p[#\"b\";]", first=False, notes=3, page=12)
    assert piece.startswith('/*@L2*/#ed-continued(notes: 3, first-page: 12, key: "k"')
    assert piece.endswith('[#ed-p[#"b";]]\n')


def test_a_part_may_begin_inside_a_section(tmp_path):
    # a book of chapters (headings of level 3): a volume part that begins inside the book opens
    # with a chapter's heading, which PDF/UA (a first heading of level 1, no level skipped)
    # refuses; such a part is typeset without PDF/UA, the others keep it
    para = "Words of a chapter that go on for a while and then some more. " * 14
    chapters = "".join(f'<div><head>Chapter {n}</head>' + "".join(f"<p>C{n}.{k}. {para}</p>" for k in range(3))
                       + "</div>" for n in range(1, 41))
    doc = tmp_path / "book.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="book"><teiHeader><fileDesc><titleStmt>'
                   '<title>A book</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc>'
                   f'<p>x</p></sourceDesc></fileDesc></teiHeader><text><body><div><head>Book one</head>'
                   f'{chapters}</div></body></text></TEI>', encoding="utf-8")
    r, out = build(tmp_path, doc, "part_pages = 6")
    assert "error" not in r.stderr, r.stderr
    parts = sorted(out.glob("edition-*.pdf"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(parts) >= 3
    volume = "\n".join("\n".join(page_texts(p)) for p in parts)
    assert numbers(r"\bC(\d+)\.0\.", volume) == list(range(1, 41))
    first = PdfReader(str(parts[0])).trailer["/Root"]
    assert "/StructTreeRoot" in first   # the part that opens with the document: PDF/UA as before
