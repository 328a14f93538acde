"""PDF text layer: what a reader gets when copying text out of the PDFs (issues #12, #15).

The PDFs of a small ad hoc edition are read back with pdftotext (poppler, which honours the
/ActualText spans Typst writes) and, where it matters, pypdf (which reads only the fonts'
ToUnicode maps). Where Typst cannot do better, a strict xfail shows the current state and names
the upstream issue: it starts failing, as a reminder, the day the engine is fixed.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from toolkit.config import Config
from toolkit.outputs.runner import build

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")

FILLER = ("The commission examined the incomprehensibilities of the administrative correspondence "
          "conscientiously and the representatives of the All-Union organisations responsibly "
          "acknowledged the extraordinarily circumstantial considerations. ")
DEVANAGARI = "तस्माद् विरुद्धधर्मसंसर्गः स्थूलोऽर्थ"
SYRIAC = "ܠܗ̇ ܘܐܡ̣ܪ ܗ̇ܘ"
ARABIC = "من اللازم أن لا يكون"


def tei(doc_id: str, lang: str, day: int, body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{doc_id}" xml:lang="{lang}">
  <teiHeader><fileDesc><titleStmt><title>Document {doc_id}</title></titleStmt>
    <publicationStmt><p>Made by the tests.</p></publicationStmt>
    <sourceDesc><p>Test.</p></sourceDesc></fileDesc>
    <profileDesc><creation><date when="1950-01-0{day}"/></creation></profileDesc>
  </teiHeader>
  <text><body>{body}</body></text>
</TEI>
"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("textlayer-src")
    docs = {
        "notes": tei("notes", "en", 1, "<p>Signed on 15 June 1937<note>A first note.</note> in "
                     "Hetian<note>A second note.</note> by both parties.</p>"
                     "<p>They upaj<choice><sic>ä</sic><corr>ā</corr></choice>yante the "
                     "treaty<note>A third note.</note><lb/>Kashgar.</p>"
                     '<p>Then taddharma<pb n="5r"/>taddharmas and gamāga<pb n="5v" break="no"/>'
                     "mapathātītaṃ.</p>"
                     "<p>Na tasya<lb/>tatra.</p>"
                     '<p>Resolved<note place="margin">seen by Molotov</note> unanimously.</p>'
                     '<p><expan><abbr><hi rend="supraline">Ἰ</hi></abbr><ex>ησοῦ</ex>'
                     '<abbr><hi rend="supraline">ς</hi></abbr></expan> Χριστός.</p>'
                     + "".join(f"<p>{FILLER * 6}</p>" for _ in range(3))),
        "deva": tei("deva", "sa", 2, f"<p>{DEVANAGARI}</p>"),
        "syrc": tei("syrc", "syc", 3, f"<p>{SYRIAC}</p>"),
        "arab": tei("arab", "ar", 4, f"<p>{ARABIC}</p>"),
    }
    paths = []
    for name, text in docs.items():
        p = src / f"{name}.xml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    out = tmp_path_factory.mktemp("textlayer-pdf")
    [result] = build(Config(root=REPO), ["pdf"], paths=paths, out=out)
    assert result.ok, result.messages
    return {name: out / f"{name}.pdf" for name in docs}


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def words(text: str) -> list[str]:
    return text.replace("\u202b", " ").replace("\u202c", " ").replace("\u202a", " ").split()


def body_words(pdf: Path) -> list[str]:
    """The words of the first line after the document's title and its citation block ("From: …",
    "Cite as: …", per-document PDFs: #15 item 12), a one-line body, in logical order."""
    lines = pdftotext(pdf).splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("Document ")) + 1
    while not lines[i].strip() or lines[i].startswith(("From: ", "Cite as: ")):
        i += 1
    return words(lines[i])


# -- #15 item 1: note numbers, hyphens --------------------------------------------------------

def test_note_numbers_stay_apart_from_the_word_before_them(pdfs):
    text = pdftotext(pdfs["notes"])
    assert "19371" not in text and "Hetian2" not in text
    assert {"1937", "Hetian"} <= set(words(text))
    # pypdf, which reads no layout, gets the narrow no-break space itself
    pages = "".join(p.extract_text() or "" for p in PdfReader(str(pdfs["notes"])).pages)
    assert "1937\u202f1" in pages and "Hetian\u202f2" in pages


def test_a_note_inside_a_word_leaves_the_word_whole(pdfs):
    # the number of a note on a letter stays where it is printed, with no space in the word;
    # one before a line break (<lb/>) is kept apart like the others
    text = pdftotext(pdfs["notes"])
    assert "upajā3yante" in text
    assert "treaty 4\n" in text


def test_hard_hyphens_copy_as_hyphens(pdfs):
    # a hard hyphen at a line end shares its glyph with hyphenation's: Typst maps it back with
    # /ActualText, which pdftotext honours (pypdf does not: "All\xadUnion")
    text = pdftotext(pdfs["notes"])
    assert text.count("All-") == 18
    assert "All\xad" not in text


def test_line_end_hyphenation_is_marked_as_soft_hyphen(pdfs):
    # Typst (since typst#6799) maps a hyphen it added at a line end to U+00AD, as PDF 1.7
    # 14.8.2.2.3 says, so a reader can drop it and join the word; here the paragraphs are
    # long enough for Typst to hyphenate some words
    text = pdftotext(pdfs["notes"])
    broken = [w for w in text.split("\xad\n")[:-1]]
    assert broken, "no word was hyphenated at a line end"
    assert "-\n" not in text.replace("All-\n", "")


@pytest.mark.xfail(strict=True, reason="pdftotext keeps the U+00AD of a line-end hyphenation "
                   "and the line break after it (poppler does not join the word)")
def test_copied_text_has_no_soft_hyphens(pdfs):
    assert "\xad" not in pdftotext(pdfs["notes"])


# -- #12: scripts whose clusters Typst splits --------------------------------------------------

def test_devanagari_clusters_copy_once(pdfs):
    # with Noto Serif Devanagari, "सर्गः" copied as "सर्गःर्गःर्गः" (typst#4225)
    assert body_words(pdfs["deva"]) == DEVANAGARI.split()


@pytest.mark.xfail(strict=True, reason="typst#4225: Typst sets a point the font shifts vertically "
                   "as a text run of its own (it groups glyphs by vertical offset), and each run "
                   "copies as the whole cluster: the point lands on the wrong letter or twice")
def test_syriac_points_copy_with_their_letters(pdfs):
    assert body_words(pdfs["syrc"]) == SYRIAC.split()


# -- #15 item 2: Arabic ligatures ---------------------------------------------------------------

def test_arabic_lam_alef_copies_in_logical_order(pdfs):
    assert body_words(pdfs["arab"]) == ARABIC.split()


# -- breaks that print nothing ------------------------------------------------------------------

def test_a_page_break_ends_a_word_unless_it_joins(pdfs):
    # as on the HTML page (where its marker stands): <pb/> without break="no" ends the word
    text = pdftotext(pdfs["notes"])
    assert "taddharma taddharmas" in text
    assert "gamāgamapathātītaṃ" in text


def test_a_supraline_is_a_stroke_not_a_superscript(pdfs):
    # rend="supraline" (EpiDoc: a stroke over an abbreviation) was set as a superscript, and the
    # raised letter came apart from its word ("Ἰ" on a line of its own)
    assert "Ἰησοῦς Χριστός." in pdftotext(pdfs["notes"])


# -- the text the tags encode (bench/_pdf_structure.py) ------------------------------------------

def structure(pdf: Path) -> str:
    sys.path.insert(0, str(REPO / "bench"))
    from _pdf_structure import structure_text
    return structure_text(pdf)


def test_the_tagged_text_has_every_word_whole_and_notes_after_their_paragraph(pdfs):
    text = structure(pdfs["notes"])
    lines = text.splitlines()
    signed = next(i for i, ln in enumerate(lines) if ln.startswith("Signed on"))
    assert lines[signed] == "Signed on 15 June 1937\u202f1 in Hetian\u202f2 by both parties."
    assert lines[signed + 1:signed + 3] == ["1A first note.", "2A second note."]
    # a hyphen Typst added is U+00AD (a reader drops it), a hard one is "-"
    assert "All-Union" in text and "All\xadUnion" not in text
    assert "\xad" in text


def test_a_forced_line_break_ends_a_word_in_the_tagged_text(pdfs):
    # a line break draws no glyph: without the space (in a box of no width) before it, a
    # reading of the tags (a screen reader, reflow) joined the words around it ("tasyatatra")
    assert "Na tasya tatra." in structure(pdfs["notes"])


def test_the_tagged_text_of_devanagari_is_what_the_source_says(pdfs):
    assert DEVANAGARI in structure(pdfs["deva"])


def test_margin_notes_keep_their_words_apart_in_the_tagged_text(pdfs):
    # a margin note is placed from its anchor, so its text stands there in the tags; its label
    # and its text end a word, so they never run into the text's words
    text = " ".join(structure(pdfs["notes"]).split())
    assert "Resolved margin seen by Molotov unanimously." in text


@pytest.mark.xfail(strict=True, reason="Typst's outline entry joins the dotted fill and the page "
                   "number with U+2060 WORD JOINER, which copies with the contents line")
def test_contents_lines_copy_without_word_joiners(pdfs):
    contents = pdftotext(pdfs["notes"].parent / "edition.pdf").split("Contents", 1)[1][:2000]
    assert "Document notes" in contents and "\u2060" not in contents
