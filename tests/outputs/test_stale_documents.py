"""A broken source never unpublishes a document, and documents that share an id each keep their
own page (issue #10, items 2 and 3)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from lxml import html as lhtml

from conftest import REPO, edition_copy

DOC = "doc-1937-06-14"


def edition(ed: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=ed, capture_output=True,
                          text=True, timeout=600)


def listed(site: Path) -> set[str]:
    """The document pages the listing links to."""
    hrefs = set()
    for page in site.glob("documents*.html"):
        hrefs |= {a.get("href") for a in lhtml.parse(str(page)).getroot().iter("a")
                  if (a.get("href") or "").startswith("doc/")}
    return hrefs


def break_file(path: Path) -> tuple[int, int]:
    """Cut the file in the middle of an element; return the line and column libxml2 reports."""
    text = path.read_text(encoding="utf-8")
    cut = text.index("</p>", len(text) // 2)
    path.write_text(text[:cut] + "<hi>unclosed", encoding="utf-8")
    return text[:cut].count("\n") + 1, 0


def test_a_broken_document_keeps_its_last_good_page(tmp_path):
    ed = edition_copy(tmp_path)
    r = edition(ed, "build", "html", "--no-search")
    assert r.returncode == 0, r.stderr
    site = ed / "output" / "html"
    page = site / "doc" / f"{DOC}.html"
    before = page.read_bytes()
    tei_copy = (site / "tei" / f"{DOC}.xml").read_bytes()
    entity_pages = {p.name: p.read_text() for p in (site / "entity").glob("*.html")
                    if f"doc/{DOC}.html" in p.read_text()}
    assert entity_pages
    line, _ = break_file(ed / "tei" / f"{DOC}.xml")
    for extra in ([], ["--full"], [], ):
        r = edition(ed, "build", "html", "--no-search", *extra)
        assert r.returncode == 1, (extra, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        out = r.stdout + r.stderr
        m = re.search(rf"stale tei/{DOC}\.xml:(\d+):(\d+): .*last good version stays published", out)
        assert m, out
        assert int(m.group(1)) >= line
        assert page.read_bytes() == before, extra
        assert (site / "tei" / f"{DOC}.xml").read_bytes() == tei_copy
        assert f"doc/{DOC}.html" in listed(site)
        for name in entity_pages:  # its mentions stay on the entity pages
            assert f"doc/{DOC}.html" in (site / "entity" / name).read_text(), name
        assert not re.search(r"-\d+ up to date", out)
    # mended: built again from the file, exit 0
    shutil.copy(REPO / "tei" / f"{DOC}.xml", ed / "tei" / f"{DOC}.xml")
    r = edition(ed, "build", "html", "--no-search")
    assert r.returncode == 0, r.stderr
    assert "stale" not in r.stdout
    assert page.read_bytes() == before


def test_a_broken_document_never_published_gets_no_page_and_is_reported(tmp_path):
    ed = edition_copy(tmp_path)
    r = edition(ed, "build", "html", "--no-search")
    assert r.returncode == 0, r.stderr
    new = ed / "tei" / "doc-1938-01-01.xml"
    new.write_text((ed / "tei" / f"{DOC}.xml").read_text().replace(f'xml:id="{DOC}"', 'xml:id="doc-1938-01-01"'))
    break_file(new)
    r = edition(ed, "build", "html", "--no-search")
    assert r.returncode == 1
    assert re.search(r"skipped tei/doc-1938-01-01\.xml:\d+:\d+: .*no page", r.stdout), r.stdout
    assert not (ed / "output" / "html" / "doc" / "doc-1938-01-01.html").exists()


def test_documents_sharing_an_id_each_get_a_page_and_a_warning(tmp_path):
    ed = edition_copy(tmp_path)
    src = (ed / "tei" / f"{DOC}.xml").read_text()
    twin = ed / "tei" / "doc-1937-06-14-copy.xml"
    twin.write_text(src.replace("Politburo", "Twin Politburo", 1))
    r = edition(ed, "build", "html", "--no-search")
    assert r.returncode == 0, r.stderr
    warn = [ln for ln in r.stderr.splitlines() if "build.duplicate-id" in ln]
    assert len(warn) == 1 and f"tei/{DOC}.xml" in warn[0] and "doc-1937-06-14-copy.xml" in warn[0], r.stderr
    site = ed / "output" / "html"
    pages = sorted(p.name for p in (site / "doc").glob("doc-1937-06-14*.html"))
    assert pages == ["doc-1937-06-14-copy.html", "doc-1937-06-14.html"]
    assert {f"doc/{p}" for p in pages} <= listed(site)
    assert "Twin Politburo" in (site / "doc" / "doc-1937-06-14-copy.html").read_text() \
        or "Twin Politburo" in (site / "tei" / "doc-1937-06-14-copy.xml").read_text()
    # the summary counts are never negative
    assert not re.search(r"-\d+ up to date", r.stdout), r.stdout
    r = edition(ed, "build", "pdf")
    assert r.returncode == 0, r.stderr
    pdfs = sorted(p.name for p in (ed / "output" / "pdf").glob("doc-1937-06-14*.pdf"))
    assert pdfs == ["doc-1937-06-14-copy.pdf", "doc-1937-06-14.pdf"]


def test_a_broken_document_keeps_its_last_good_pdf(tmp_path):
    ed = edition_copy(tmp_path)
    r = edition(ed, "build")  # html (whose state knows the last good version) and pdf
    assert r.returncode == 0, r.stderr
    pdf = ed / "output" / "pdf" / f"{DOC}.pdf"
    before = pdf.read_bytes()
    break_file(ed / "tei" / f"{DOC}.xml")
    r = edition(ed, "build")
    assert r.returncode == 1, r.stderr
    assert pdf.read_bytes() == before
    assert re.search(rf"stale tei/{DOC}\.xml:\d+:\d+:", r.stdout), r.stdout
    assert "edition.pdf leaves out 1 document" in r.stdout
    assert (ed / "output" / "pdf" / "edition.pdf").is_file()
    assert (ed / "output" / "html" / "doc" / f"{DOC}.html").is_file()


def test_strict_pdf_build_writes_nothing_when_a_pdf_would_degrade(tmp_path):
    ed = edition_copy(tmp_path)
    doc = ed / "tei" / f"{DOC}.xml"
    doc.write_text(doc.read_text().replace("Politburo", "Polit&#x90;buro", 1))
    r = edition(ed, "build", "pdf", "--strict")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "--strict" in r.stderr and "pdf.control-char" in r.stderr
    assert not (ed / "output" / "pdf").exists()
    r = edition(ed, "build", "--strict")
    assert r.returncode == 1 and not (ed / "output" / "pdf").exists()
    r = edition(ed, "build", "pdf")  # without --strict: built, with the problem reported
    assert r.returncode == 1 and (ed / "output" / "pdf" / f"{DOC}.pdf").is_file()
