"""[pdf] font settings (issue #11, item 6): the font families of the house style and the system
font folders come from edition.toml, with defaults; the advice for a missing glyph follows them."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from toolkit.config import load_config
from toolkit.outputs.pdf import build_pdf
from toolkit.outputs.runner import load_for_build

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d1" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Fonts</title></titleStmt>
    <publicationStmt><p>Made by the tests.</p></publicationStmt>
    <sourceDesc><p>Test.</p></sourceDesc></fileDesc>
    <profileDesc><creation><date when="1950-01-01"/></creation></profileDesc>
  </teiHeader>
  <text><body><p>Plain text {extra}</p></body></text>
</TEI>
"""


def edition(tmp_path: Path, pdf_table: str, extra: str = "") -> Path:
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "d1.xml").write_text(DOC.format(extra=extra), encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\n\n' + pdf_table,
                                           encoding="utf-8")
    return tmp_path


def build(root: Path):
    diags = []
    ed = load_for_build(load_config(root / "edition.toml"), [], [])
    result = build_pdf(ed, root / "out", report=diags.extend)
    return result, diags


def fonts_of(pdf: Path) -> set[str]:
    """The base font names in a PDF, without the subset prefix (ABCDEF+)."""
    out = set()
    for page in PdfReader(str(pdf)).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            out.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return out


def test_the_text_font_is_the_one_edition_toml_names(tmp_path):
    root = edition(tmp_path, '[pdf]\nfonts = ["DejaVu Sans"]\nstandards = []\n')
    build(root)
    used = fonts_of(root / "out" / "d1.pdf")
    assert any(f.startswith("DejaVuSans") for f in used), used
    assert not any(f.startswith("LibertinusSerif") for f in used), used


def test_without_fonts_the_house_style_decides(tmp_path):
    root = edition(tmp_path, "[pdf]\nstandards = []\n")
    build(root)
    assert any(f.startswith("LibertinusSerif") for f in fonts_of(root / "out" / "d1.pdf"))


def test_font_dirs_decide_which_system_fonts_are_read(tmp_path):
    # no system folder: the CJK character has no font, and the advice names the setting, not a
    # package of a system the edition did not choose
    root = edition(tmp_path, "[pdf]\nfont_dirs = []\nstandards = []\n", extra="\u4e2d")
    _, diags = build(root)
    glyph = [d for d in diags if d.rule == "pdf.glyph"]
    assert len(glyph) == 1 and "U+4E2D" in glyph[0].message
    assert "fonts-noto-cjk" not in glyph[0].hint and "[pdf] font_dirs" in glyph[0].hint
