"""Text structures of other editors' TEI (issue #12, items 4, 10, 11): embedded transcriptions
(sourceDoc/surface/zone/line), the critical apparatus in every shape (inline, empty readings,
witDetail, double-end-point and location-referenced), drama and verse (speaker, stage, line
numbers and the passage ids they give). Every fixture is written by the tests; the HTML page is
parsed and the PDF's text read back (pdftotext)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import build_site, classes, html_page, norm_text
from toolkit.config import Config
from toolkit.outputs.runner import build

REPO = Path(__file__).resolve().parents[1]
TEI = "http://www.tei-c.org/ns/1.0"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is absent")


def tei(xml_id: str, body: str = "", title: str = "A test document", after_text: str = "",
        text: bool = True, back: str = "", extra_header: str = "") -> str:
    text_el = f"<text><body>{body}</body>{back}</text>" if text else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI}" xml:id="{xml_id}"><teiHeader><fileDesc>'
            f"<titleStmt><title>{title}</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>"
            f"<sourceDesc>{extra_header or '<p>Test</p>'}</sourceDesc></fileDesc></teiHeader>{text_el}{after_text}</TEI>\n")


def write(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(content, encoding="utf-8")
    return p


def build_pdf(paths: list[Path], out: Path) -> Path:
    [r] = build(Config(root=REPO), ["pdf"], paths=paths, out=out)
    assert r.ok, r.summary()
    return out


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_of(out: Path, stem: str) -> Path:
    found = [p for p in out.rglob("*.pdf") if p.stem == stem]
    assert found, f"no PDF {stem} in {sorted(p.name for p in out.rglob('*.pdf'))}"
    return found[0]


def cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# 4 -- embedded transcriptions -----------------------------------------------------------------
SOURCEDOC = """<sourceDoc>
  <surfaceGrp n="quire 1">
    <surface n="1r">
      <zone type="main">
        <line>First line of the page</line>
        <line>second <persName>Anna Weber</persName> line</line>
        <zone type="addition" rotate="90"><line>an added note</line><line>written sideways</line></zone>
        <line>third line<lb/>broken here</line>
      </zone>
    </surface>
    <surface>
      <label>Verso page</label>
      <line n="L1">a line directly on the surface</line>
      <zone><line>zone two first</line><line>zone two second</line></zone>
    </surface>
  </surfaceGrp>
</sourceDoc>"""
SOURCE_LINES = ["First line of the page", "second Anna Weber line", "an added note", "written sideways",
                "third line broken here", "a line directly on the surface", "zone two first", "zone two second"]


def japanese_manuscript(lines: int = 864, per_surface: int = 24) -> str:
    """A Japanese manuscript transcribed line by line: `lines` lines on surfaces of `per_surface`."""
    surfaces = []
    for s in range(0, lines, per_surface):
        body = "".join(f"<line>第{k:04d}行 春の夜の夢のごとし</line>" for k in range(s + 1, min(lines, s + per_surface) + 1))
        surfaces.append(f'<surface n="{s // per_surface + 1}"><zone type="main">{body}</zone></surface>')
    return tei("Genji", title="源氏物語写本", text=False,
               after_text=f'<sourceDoc xml:lang="ja">{"".join(surfaces)}</sourceDoc>').replace(
        "<TEI ", '<TEI xml:lang="ja" ', 1)


@pytest.fixture(scope="module")
def transcriptions(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sourcedoc")
    write(d, "only.xml", tei("OnlySource", text=False, after_text=SOURCEDOC))
    write(d, "both.xml", tei("Both", body="<p>The edited text.</p>", after_text=SOURCEDOC))
    write(d, "genji.xml", japanese_manuscript())
    return d


@pytest.fixture(scope="module")
def transcription_site(transcriptions, tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("sourcedoc-site") / "site", sorted(transcriptions.glob("*.xml")), search=False)


@pytest.fixture(scope="module")
def transcription_pdfs(transcriptions, tmp_path_factory) -> Path:
    return build_pdf(sorted(transcriptions.glob("*.xml")), tmp_path_factory.mktemp("sourcedoc-pdf"))


def test_sourcedoc_renders_line_by_line_in_document_order(transcription_site):
    page = html_page(transcription_site / "doc" / "OnlySource.html")
    [section] = page.xpath("//section[@class='transcription-section']")
    lines = section.xpath(f".//*[{cls('tei-line')}]")
    assert [norm_text(x.xpath(f".//*[{cls('line-text')}]")[0]) for x in lines] == SOURCE_LINES
    # numbers: the place on the surface, or the line's own @n
    assert [norm_text(x.xpath(f"./*[{cls('line-n')}]")[0]) for x in lines] == ["1", "2", "3", "4", "5", "L1", "2", "3"]
    # surfaces as sections with their labels; the nested zone inside its zone, labelled
    labels = [norm_text(h) for h in section.xpath(f".//*[{cls('surface-label')}]")]
    assert labels == ["Surfaces quire 1", "Surface 1r", "Verso page"]
    [added] = section.xpath(f".//div[{cls('tei-zone')}]//div[{cls('tei-zone')}]")
    assert norm_text(added.xpath(f"./*[{cls('zone-label')}]")[0]) == "Zone: addition, rotated 90°"
    # the name in a line links as anywhere else (an unresolved name still shows)
    assert section.xpath(".//*[contains(@class, 'entity')]")[0].text_content() == "Anna Weber"
    # no empty "Text" section for a document that has only a transcription
    assert not page.xpath("//section[@class='text-section']")


def test_sourcedoc_next_to_a_text(transcription_site):
    page = html_page(transcription_site / "doc" / "Both.html")
    assert "The edited text." in norm_text(page.xpath("//section[@class='text-section']")[0])
    section = page.xpath("//section[@class='transcription-section']")[0]
    assert len(section.xpath(f".//*[{cls('tei-line')}]")) == len(SOURCE_LINES)


def test_a_manuscript_keeps_every_line(transcription_site):
    page = html_page(transcription_site / "doc" / "Genji.html")
    lines = page.xpath(f"//*[{cls('tei-line')}]")
    assert len(lines) == 864
    texts = [norm_text(x.xpath(f".//*[{cls('line-text')}]")[0]) for x in lines]
    assert texts == [f"第{k:04d}行 春の夜の夢のごとし" for k in range(1, 865)]
    assert page.xpath("//div[contains(@class, 'transcription')]/@lang") == ["ja"]


@needs_pdftotext
def test_sourcedoc_in_the_pdf(transcription_pdfs):
    text = pdf_text(pdf_of(transcription_pdfs, "OnlySource"))
    flat = " ".join(text.split())
    at = [flat.find(x) for x in SOURCE_LINES]
    assert -1 not in at and at == sorted(at), (at, flat)
    assert "Zone: addition, rotated 90°" in flat and "Verso page" in flat
    text = pdf_text(pdf_of(transcription_pdfs, "Genji"))
    found = [int(m) for m in re.findall(r"第\s*(\d{4})\s*行", text)]
    assert found == list(range(1, 865))


def test_surface_root_renders_through_the_same_templates(tmp_path):
    """The stylesheets match the elements, not a path from TEI: a surface as the input's root."""
    from toolkit import saxon
    exe = saxon.compile_stylesheet(Path(saxon.XSLT_DIR) / "html" / "document.xsl")
    src = (f'<surface xmlns="{TEI}" n="7v"><zone type="margin"><line>alpha</line>'
           "<line>beta</line></zone><line>gamma</line></surface>")
    out = saxon.transform(exe, src)
    from lxml import html as lhtml
    page = lhtml.fromstring(out)
    assert [norm_text(x) for x in page.xpath(f"//*[{cls('line-text')}]")] == ["alpha", "beta", "gamma"]
    assert norm_text(page.xpath(f"//*[{cls('surface-label')}]")[0]) == "Surface 7v"
