"""The PDF volume at scale (issues #15 item 14, #18 item 4): a long volume is published in parts
of [pdf] part_pages, each a volume of its own typeset alone; the page estimate that decides the
parts holds; a volume that is not built is said to be so.

The parts are read back (pdftotext, pypdf): page numbers, the contents and the index against
the pages they name, the outline, every document once, in order.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from toolkit.config import load_config
from toolkit.model import Edition
from toolkit.outputs import pdf

from conftest import REPO, edition_copy, run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _common import replicate_edition  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

FIXED = ("Editorial note", "Index of ", "List of ")   # the volume's own outline entries


def set_pdf(ed: Path, **options) -> None:
    """Add [pdf] options to the edition's edition.toml."""
    toml = ed / "edition.toml"
    text = toml.read_text(encoding="utf-8")
    lines = "".join(f"{k} = {v}\n" for k, v in options.items())
    if re.search(r"^\[pdf\]\s*$", text, re.M):
        text = re.sub(r"^\[pdf\]\s*$", "[pdf]\n" + lines.rstrip("\n"), text, count=1, flags=re.M)
    else:
        text += "\n[pdf]\n" + lines
    toml.write_text(text, encoding="utf-8")


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    return [t.replace("\xad", "").replace("\u2060", "") for t in text.split("\f")][:-1]


def outline(path: Path) -> list[tuple[str, int]]:
    """The top-level bookmarks: (title, 1-based page)."""
    r = PdfReader(str(path))
    return [(" ".join(o.title.split()), r.get_destination_page_number(o) + 1)
            for o in r.outline if not isinstance(o, list)]


def documents(entries: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [e for e in entries if not e[0].startswith(FIXED)]


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> dict:
    """A 30-document edition built twice: with parts of 12 pages, and as one volume."""
    tmp = tmp_path_factory.mktemp("pdf-scale")
    ed = replicate_edition(tmp / "ed", 30)
    whole = run_cli("build", "pdf", "--out", str(tmp / "whole"), cwd=ed)
    assert whole.returncode == 0, whole.stderr
    set_pdf(ed, part_pages=12)
    r = run_cli("build", "pdf", "--out", str(tmp / "parts"), cwd=ed)
    assert r.returncode == 0, r.stderr
    parts = sorted((tmp / "parts").glob("edition*.pdf"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    return {"result": r, "parts": parts, "whole": tmp / "whole" / "edition.pdf", "out": tmp / "parts",
            "ed": ed}


def test_long_volume_is_published_in_parts(split):
    names = [p.name for p in split["parts"]]
    assert len(names) >= 3, names
    assert names == [f"edition-{i}.pdf" for i in range(1, len(names) + 1)]
    assert not (split["out"] / "edition.pdf").exists()
    assert f"the volume is published in {len(names)} parts" in split["result"].stdout
    # each part says which it is: on its title page and in its title
    for i, part in enumerate(split["parts"], 1):
        assert f"Part {i} of {len(names)}" in page_texts(part)[0]
        assert PdfReader(str(part)).metadata.title.endswith(f"({i}/{len(names)})")
    # every per-document PDF is still made
    assert len(list(split["out"].glob("doc-*.pdf"))) == 30


def test_each_part_keeps_the_standards_of_the_volume(split):
    # PDF/A-2b and PDF/UA-1 (tagged), as edition.toml's default [pdf] standards claim
    for part in split["parts"]:
        root = PdfReader(str(part)).trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert re.search(r"pdfaid:part>2<|pdfaid:part=\"2\"", xmp), part.name
        assert re.search(r"pdfuaid:part>1<|pdfuaid:part=\"1\"", xmp), part.name
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], part.name


def test_parts_hold_every_document_once_in_order(split):
    whole = documents(outline(split["whole"]))
    joined = [title for part in split["parts"] for title, _ in documents(outline(part))]
    assert len(whole) == 30
    assert joined == [title for title, _ in whole]


def test_each_part_has_its_outline_contents_and_page_numbers(split):
    for part in split["parts"]:
        entries = outline(part)
        assert documents(entries), part.name
        assert [t for t, _ in entries if t.startswith("Index of persons")], part.name
        texts = page_texts(part)
        # page numbers run on from 1: every numbered page's footer is its place in the file
        numbered = 0
        for n, text in enumerate(texts, 1):
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            if lines and lines[-1].isdigit():
                assert int(lines[-1]) == n, (part.name, n, lines[-1])
                numbered += 1
        assert numbered >= len(texts) - 3, part.name   # all but the title page and its back
        # the contents names, in order, the page each bookmark leads to
        contents = next(t for t in texts if t.lstrip().startswith("Contents"))
        listed = [int(m) for m in re.findall(r"\.\s*(\d+)\s*$", contents, re.M)]
        assert listed == [page for _, page in entries], part.name


def test_each_part_indexes_its_own_pages(split):
    for part in split["parts"]:
        texts = page_texts(part)
        entries = outline(part)
        first_doc = documents(entries)[0][1]
        index_page = next(p for t, p in entries if t.startswith("Index of persons"))
        sources = next(p for t, p in entries if t.startswith("List of"))
        index = "\n".join(texts[index_page - 1:sources])
        index = index.split("Index of persons", 1)[1].split("List of", 1)[0]
        checked = 0
        for line in index.splitlines():
            # two columns; an entry that fits its line: "Name (variants), 5, 7–8"
            for entry in re.split(r"\s{3,}", line.strip()):
                m = re.match(r"([A-Za-z][^,(]*?(?: \(.*\))?)((?:, \d+(?:–\d+)?)+)$", entry)
                if not m or entry.count("(") != entry.count(")"):   # (the end of a wrapped entry)
                    continue
                # the name or a variant form of it stands on the page
                names = [w for w in re.findall(r"\w+", m.group(1)) if len(w) > 2]
                for span in re.findall(r"\d+(?:–\d+)?", m.group(2)):
                    lo, _, hi = span.partition("–")
                    for page in range(int(lo), int(hi or lo) + 1):
                        assert first_doc <= page < index_page, (part.name, entry)
                        assert any(w in texts[page - 1] for w in names), (part.name, entry, page)
                        checked += 1
        assert checked >= 3, part.name


def test_part_names_never_take_a_documents_pdf(tmp_path):
    ed = edition_copy(tmp_path)
    doc = ed / "tei" / "doc-1935-09-13.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace('xml:id="doc-1935-09-13"', 'xml:id="edition-1"'),
                   encoding="utf-8")
    set_pdf(ed, part_pages=8)
    r = run_cli("build", "pdf", "--out", str(tmp_path / "out"), cwd=ed)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out"
    parts = sorted(p.name for p in out.glob("edition-part-*.pdf"))
    assert len(parts) >= 2 and "parts (edition-part-1.pdf" in r.stdout
    # edition-1.pdf is the document's own PDF, not a part of the volume
    first = page_texts(out / "edition-1.pdf")[0]
    assert "13 September 1935" in first and "Part 1 of" not in first


def _estimate_and_pages(root: Path) -> tuple[int, int]:
    edition = Edition.load(load_config(root / "edition.toml"))
    job = pdf.PdfBuild(edition)
    volume, frags = job.prepare()
    data = job.typeset_volume(volume, frags)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return pdf.volume_pages(frags, job.job.options.run_on_untranscribed), pages


@pytest.mark.parametrize("replicas", [0, 80])
def test_page_estimate_within_a_factor_of_one_and_a_half(tmp_path, replicas):
    root = REPO if not replicas else replicate_edition(tmp_path / "ed", replicas)
    estimate, pages = _estimate_and_pages(root)
    assert pages / 1.5 <= estimate <= pages * 1.5, (estimate, pages)


def test_a_volume_not_built_is_reported(tmp_path):
    ed = edition_copy(tmp_path)
    set_pdf(ed, max_volume_pages=5)
    r = run_cli("build", "pdf", "--out", str(tmp_path / "out"), cwd=ed)
    assert r.returncode == 0, r.stderr
    said = r.stdout + r.stderr
    warning = next(line for line in said.splitlines() if "pdf.volume-too-large" in line)
    assert "warning" in warning.lower() and "not built" in warning and "more than the limit of 5" in warning
    assert not (tmp_path / "out" / "edition.pdf").exists()
    assert len(list((tmp_path / "out").glob("doc-*.pdf"))) == 11


def test_home_page_links_every_part_the_pdf_build_named(split, tmp_path):
    """#14 item 7: the home page offers the volume as the PDF build published it, in parts here;
    the names come from the PDF output's manifest (pdf_volumes), not a second rule."""
    from toolkit.outputs.publish import read_manifest
    from toolkit.outputs.runner import build
    from conftest import html_page
    names = [p.name for p in split["parts"]]
    assert read_manifest(split["out"])["volumes"] == names
    site = tmp_path / "site"
    shutil.copytree(split["out"], site / "pdf")
    [r] = build(load_config(split["ed"] / "edition.toml"), ["html"], out=site / "html", search_index=False)
    assert r.ok, r.summary()
    links = html_page(site / "html" / "index.html").xpath("//li[@class='home-pdf']/a")
    assert [a.get("href") for a in links] == [f"../pdf/{n}" for n in names]
    assert [a.text for a in links] == [f"part {i}" for i in range(1, len(names) + 1)]
