"""The PDF edition as a book (issue #15, typesetting): the PDFs are read back — text with
positions (pdftotext -bbox), fonts (pdffonts), outline (pypdf) — and checked against the TEI
and against the HTML edition.

The bundled edition is built once per session (PDF, and the HTML site for the index order).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from toolkit.config import load_config
from toolkit.outputs.runner import build

from conftest import REPO, build_site, html_page

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


# -- reading a PDF back ---------------------------------------------------------------------------

class Word:
    __slots__ = ("page", "text", "x0", "y0", "x1", "y1", "font")

    def __init__(self, page, text, x0, y0, x1, y1):
        self.page, self.text, self.x0, self.y0, self.x1, self.y1 = page, text, x0, y0, x1, y1

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def __repr__(self):
        return f"Word(p{self.page} {self.text!r} x={self.x0:.1f} y={self.y0:.1f}-{self.y1:.1f})"


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page (1-based) and box (points, y downwards), in the order
    of the text layer (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    out = []
    for n, page in enumerate(root.iter("page"), 1):
        for w in page.iter("word"):
            out.append(Word(n, (w.text or "").replace("\xad", ""), *(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax"))))
    return out


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, reading order), soft hyphens read as nothing."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    return [t.replace("\xad", "") for t in text.split("\f")]


def find(ws: list[Word], text: str, page: int | None = None) -> Word:
    for w in ws:
        if w.text == text and (page is None or w.page == page):
            return w
    raise AssertionError(f"{text!r} not found" + (f" on page {page}" if page else ""))


# -- builds -----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf-book")
    [result] = build(load_config(REPO / "edition.toml"), ["pdf"], out=out)
    assert result.ok, result.messages
    return out


@pytest.fixture(scope="session")
def book_words(book) -> list[Word]:
    return words(book / "edition.pdf")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("pdf-book-html"), search=False)


# -- 3. the index ------------------------------------------------------------------------------------

def test_index_headings_invert_initials():
    from toolkit.tei.names import index_heading, index_variants
    assert index_heading("I. V. Stalin") == "Stalin, I. V."
    assert index_heading("L. Beria") == "Beria, L."
    assert index_heading("Ma Hushan") == "Ma Hushan"            # no initials: as written
    assert index_heading("A. B.") == "A. B."                     # nothing but initials
    assert index_heading("U. S. Army", "org") == "U. S. Army"    # persons only
    assert index_variants("I. V. Stalin", ["I.V. Stalin", "Stalin", "Koba"]) == ["Koba"]


def index_entries(ws: list[Word], head: str) -> str:
    """The text of one index, its two columns read one after the other (page by page)."""
    first = head.split()[0]
    starts = [w for w in ws if w.text == first and w.height > 12]   # the heading, not the contents
    start = next(w for w in starts if head in " ".join(x.text for x in ws if x.page == w.page
                                                         and abs(x.y0 - w.y0) < 1))
    nxt = [w for w in ws if w.height > 12 and (w.page, w.y0) > (start.page, start.y0 + 1)]
    end = (nxt[0].page, nxt[0].y0) if nxt else (10**6, 0)
    body = [w for w in ws if (start.page, start.y0 + 1) < (w.page, w.y0) < end and w.y1 < 780]
    # the middle of the text column on each page (the words span both columns)
    mid = {p: (min(w.x0 for w in body if w.page == p) + max(w.x1 for w in body if w.page == p)) / 2
           for p in {w.page for w in body}}
    body.sort(key=lambda w: (w.page, w.x0 > mid[w.page], w.y0, w.x0))
    return " ".join(w.text for w in body)


def test_index_of_persons_is_inverted_with_ranges(book_words):
    persons = index_entries(book_words, "Index of persons")
    pages = r", \d+(?:–\d+)?(?:, \d+(?:–\d+)?)*"
    assert re.search(r"Beria, L\." + pages, persons)
    assert re.search(r"Stalin, I\. V\." + pages, persons)
    assert re.search(r"\d–\d", persons)                       # consecutive pages as a range
    assert "L. Beria" not in persons and "(Beria)" not in persons
    assert re.search(r"Chiang Kai-Shek \(Chiang\), \d", persons)   # a variant that sorts otherwise stays


def test_index_in_two_columns(book_words):
    # the entries stand in two columns, side by side on one page: many lines begin at each
    # column's left edge, the right one beside the left one
    head = next(w for w in book_words if w.text == "persons" and w.height > 12)
    starts = [ln[0] for ln in lines(book_words, head.page) if ln[0].y0 > head.y1 and ln[0].y1 < 780]
    cols = sorted({round(w.x0) for w in starts}, key=lambda x: -sum(round(w.x0) == x for w in starts))[:2]
    assert all(sum(round(w.x0) == x for w in starts) >= 8 for x in cols)
    assert abs(cols[0] - cols[1]) > 150
    lines_with_two = [ln for ln in lines(book_words, head.page)
                      if any(round(w.x0) == max(cols) for w in ln) and any(round(w.x0) == min(cols) for w in ln)]
    assert len(lines_with_two) >= 8


def test_index_order_is_the_html_index_order(book_words, site):
    from toolkit.model import Edition
    from toolkit.tei.names import index_heading
    ed = Edition.load(load_config(REPO / "edition.toml"))
    by_anchor = {ed.entity_names()[eid]: eid for eid in ed.entities}
    for kind, page, head in (("person", "persons.html", "Index of persons"),
                             ("place", "places.html", "Index of places"),
                             ("org", "orgs.html", "Index of organisations")):
        html_ids = [a.get("href").rsplit("/", 1)[-1].removesuffix(".html")
                    for a in html_page(site / page).iterfind(".//ul[@class='entity-list']/li/a")]
        html_order = [by_anchor[a] for a in html_ids if a in by_anchor]
        entries = index_entries(book_words, head)
        # an entry begins the index or follows the last page number of the one before
        pos = {eid: next((m.start() for m in re.finditer(r"(?:^|(?<=\d ))" + re.escape(index_heading(ed.entities[eid].preferred, ed.entities[eid].kind))
                                                          + r"[ ,]", entries)), -1)
               for eid in html_order}
        pdf_order = [eid for _, eid in sorted((p, eid) for eid, p in pos.items() if p >= 0)]
        assert len(pdf_order) > 10, kind
        assert pdf_order == [eid for eid in html_order if pos[eid] >= 0], kind


# -- a long document, ad hoc --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def long_doc(tmp_path_factory) -> Path:
    """A document of several pages with footnotes and margin notes (test_pdf.placement_tei),
    built ad hoc: its own PDF and a volume of it."""
    from test_pdf import placement_tei
    from toolkit.config import Config
    base = tmp_path_factory.mktemp("pdf-book-long")
    (base / "placement.xml").write_text(placement_tei(), encoding="utf-8")
    [res] = build(Config(root=REPO), ["pdf"], paths=[base / "placement.xml"], out=base / "out")
    assert res.ok, res.messages
    return base / "out"


def head_line(ws: list[Word], page: int) -> str:
    """The running head: the words above the text block (top 2.6 cm, less the head's rule)."""
    return " ".join(w.text for w in ws if w.page == page and w.y1 < 2.6 * 28.35 - 6)


# -- 8. running heads ---------------------------------------------------------------------------------

def test_running_heads_verso_edition_recto_document(long_doc):
    ws = words(long_doc / "placement.pdf")
    pages = max(w.page for w in ws)
    assert pages >= 4
    assert head_line(ws, 1) == ""                        # the document opens the page
    for p in range(2, pages + 1):
        if p % 2:   # recto: the document's date and short title
            assert head_line(ws, p) == "1 January 1950 — Placement of notes", p
        else:       # verso: the edition's title (the PDF's title: here the document's)
            assert head_line(ws, p) and "—" not in head_line(ws, p), p


def test_running_heads_of_the_volume(book_words):
    # the index pages: "Indices and sources" on a recto, the edition's title on a verso
    index = next(w.page for w in book_words if w.text == "persons" and w.height > 12)
    heads = {p: head_line(book_words, p) for p in range(index, max(w.page for w in book_words) + 1)}
    assert heads[index] == ""
    for p, head in heads.items():
        if p > index:
            assert head == ("Indices and sources" if p % 2 else "Soviet Decisions on Xinjiang, 1935–1945"), p


# -- 9. bookmarks -------------------------------------------------------------------------------------

def test_bookmarks_keep_date_and_title_apart(book):
    from pypdf import PdfReader
    titles = [o.title for o in PdfReader(str(book / "edition.pdf")).outline if not isinstance(o, list)]
    assert "13 September 1935 Politburo Decisions of 13 September 1935 Concerning Xinjiang" in titles
    assert not any(re.search(r"\d{4}[A-Z]", t) for t in titles), titles


# -- an ad hoc document with long notes and lists ------------------------------------------------------

LONG_NOTE = ("This note runs over several lines of the foot of the page, so that the place of its "
             "second and third lines shows whether they hang beside the number or run back under it "
             "as they did before. ") * 2
ITEM = ("The command of the division should settle the question of the occupation of the district "
        "by appealing to the government and concluding agreements with it on the conditions proposed.")


def book_tei() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="bookfix" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Notes and lists</title></titleStmt>
    <publicationStmt><p>Generated by the tests.</p></publicationStmt>
    <sourceDesc><p>None.</p></sourceDesc>
  </fileDesc><profileDesc><creation><date when="1951-02-03"/></creation></profileDesc></teiHeader>
  <text><body>
    <p>A paragraph of running text long enough to fill the measure of the text column twice over,
      so that its lines show where the right edge of the text block lies on this page, as every
      justified line of the text should end there.<note>{LONG_NOTE}</note></p>
    <list>
      <item>a) {ITEM}</item>
      <item>b) {ITEM} And more words, to make a longer item than the first one is.</item>
    </list>
    <list rend="bulleted">
      <item>{ITEM}</item>
    </list>
  </body></text>
</TEI>"""


@pytest.fixture(scope="session")
def notes_lists(tmp_path_factory) -> list[Word]:
    from toolkit.config import Config
    base = tmp_path_factory.mktemp("pdf-book-notes")
    (base / "bookfix.xml").write_text(book_tei(), encoding="utf-8")
    [res] = build(Config(root=REPO), ["pdf"], paths=[base / "bookfix.xml"], out=base / "out")
    assert res.ok, res.messages
    return words(base / "out" / "bookfix.pdf")


def lines(ws: list[Word], page: int = 1) -> list[list[Word]]:
    """The words of a page grouped into lines (by baseline), top to bottom."""
    out: list[list[Word]] = []
    for w in sorted((w for w in ws if w.page == page), key=lambda w: (round(w.y1), w.x0)):
        if out and abs(out[-1][0].y1 - w.y1) < 1.5:
            out[-1].append(w)
        else:
            out.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in out]


# -- 5. footnotes -------------------------------------------------------------------------------------

def test_footnote_number_hangs_with_a_space_after_it(notes_lists):
    foot = [ln for ln in lines(notes_lists) if any(w.text == "This" for w in ln) and ln[0].text == "1"]
    assert foot, "the footnote's first line"
    number, first = foot[0][0], foot[0][1]
    assert first.x0 - number.x1 > 3             # a space after the number
    rest = [ln for ln in lines(notes_lists) if ln[0].y0 > number.y0 and ln[0].height < 10
            and ln[0].y0 < number.y0 + 40]
    assert len(rest) >= 2
    for ln in rest:                              # the next lines hang beside the number
        assert abs(ln[0].x0 - first.x0) < 1, ln


# -- 6. lists -----------------------------------------------------------------------------------------

def test_list_items_end_at_the_right_edge(notes_lists):
    ls = lines(notes_lists)
    para = next(ln for ln in ls if ln[0].text == "A")
    right = para[-1].x1
    items = [i for i, ln in enumerate(ls) if ln[0].text in ("a)", "b)", "•")]
    assert len(items) == 3
    for i in items:   # every line of an item but its last is justified to the text's edge
        assert abs(ls[i][-1].x1 - right) < 1.5, ls[i]
        assert abs(ls[i + 1][-1].x1 - right) < 1.5, ls[i + 1]
    bullet = ls[items[2]]
    assert abs(ls[items[2] + 1][0].x0 - bullet[1].x0) < 1   # the bullet hangs


def baseline(w: Word) -> float:
    """A word's baseline, for text in Libertinus Serif (ascender 0.894, descender 0.246 em: the
    box pdftotext gives spans both)."""
    return w.y0 + w.height * 0.894 / 1.14


# -- 4. margin notes -----------------------------------------------------------------------------------

def test_margin_notes_on_their_anchor_line_with_the_siglum(long_doc):
    ws = words(long_doc / "placement.pdf")
    checked = 0
    for i in range(0, 60, 3):
        anchor = next(w for w in ws if w.text.startswith(f"MA{i}Z"))
        note = next(w for w in ws if w.text.startswith(f"MN{i}Z"))
        assert note.page == anchor.page, i
        # the label line, above the note's text: the hand's siglum (A: the document's only
        # handNote, without @n) and the place
        first = next(w for w in ws if w.page == note.page and abs(w.x0 - note.x0) < 1
                     and note.y0 - 15 < w.y0 < note.y0 - 3)
        label = [w for w in ws if w.page == note.page and abs(w.y0 - first.y0) < 0.5 and w.x0 >= first.x0]
        assert [w.text for w in label][:4] == ["A,", "top", "of", "page"], i
        if abs(note.y0 - anchor.y0) < 60:   # not pushed down by the note before it
            assert abs(baseline(label[0]) - baseline(anchor)) < 0.6, (i, label[0], anchor)
            checked += 1
    assert checked >= 10


def test_margin_notes_in_the_text_family(book):
    fonts = subprocess.run(["pdffonts", str(book / "doc-1937-06-14.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "LibertinusSerif-Italic" in fonts         # the labels
    assert "DejaVuSans" not in fonts                  # no sans-serif notes any more


def test_hand_sigla_with_their_key(book):
    text = page_texts(book / "doc-1937-06-14.pdf")
    first = re.sub(r"\s+", " ", text[0])
    assert re.search(r"hands\. A \(archive\): Handwritten notes", first, re.I)
    assert re.search(r"B \(signature\): The signature", first)
    assert "A, top of page" in first and "hand: archive" not in first
    assert re.search(r"signed \(B\)\s+I\. Stalin", re.sub(r"\s+", " ", "".join(text)))


def test_hand_sigla_rule():
    from toolkit.tei.notes import hand_sigla
    root = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><handDesc>'
        '<handNote xml:id="h1"/><handNote xml:id="h2" n="A"/><handNote xml:id="h3"/>'
        '<handNote xml:id="hand-sec"><persName>Secretary</persName></handNote></handDesc></teiHeader></TEI>')
    # @n wins; the others take the letters in order, skipping those an @n took
    assert [s for _, s in hand_sigla(root)] == ["B", "A", "C", "D"]


# -- 7. one order: summary, hands, text, source ---------------------------------------------------------

def test_summary_first_and_a_source_section(book):
    ws = words(book / "doc-1937-06-14.pdf")
    summary = find(ws, "summary.") if any(w.text == "summary." for w in ws) else find(ws, "SUMMARY.")
    minutes = find(ws, "MINUTES")
    assert (summary.page, summary.y0) < (minutes.page, minutes.y0)   # before the text, as in HTML
    source = next(w for w in ws if w.text == "Source" and w.x1 - w.x0 > 10)
    closer = find(ws, "SECRETARY")
    assert (source.page, source.y0) > (closer.page, closer.y0)        # after it, under a heading
    rgaspi = next(w for w in ws if w.text == "RGASPI" and (w.page, w.y0) > (source.page, source.y0))
    assert rgaspi


# -- 11. summary-only documents run on ---------------------------------------------------------------

def doc_openings(ws: list[Word]) -> dict[str, int]:
    """The page each document's heading stands on, by its date (the heading's first line)."""
    out = {}
    for w in ws:
        if w.height > 15 and re.fullmatch(r"\d{4}", w.text):   # the year ending a heading's date line
            line = " ".join(x.text for x in ws if x.page == w.page and abs(x.y0 - w.y0) < 1)
            if re.fullmatch(r"(?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4}", line):
                out[line] = w.page
    return out


def test_summary_only_documents_run_on(book_words):
    pages = doc_openings(book_words)
    assert pages["13 September 1935"] == pages["3 October 1935"] == pages["7 February 1936"]
    # a transcribed document opens a page of its own; the one after it runs on after it
    assert pages["14 June 1937"] > pages["7 February 1936"]
    opening = [w for w in book_words if w.page == pages["14 June 1937"] and w.text == "June"][0]
    assert not any(w.page == opening.page and w.y1 < opening.y0 - 5 and w.y0 > 2.6 * 28.35
                   for w in book_words)


def test_run_on_can_be_turned_off(tmp_path, book_words):
    from conftest import edition_copy
    ed = edition_copy(tmp_path)
    (ed / "edition.toml").write_text((ed / "edition.toml").read_text(encoding="utf-8")
                                     + "\n[pdf]\nrun_on_untranscribed = false\n", encoding="utf-8")
    [res] = build(load_config(ed / "edition.toml"), ["pdf"], out=tmp_path / "out")
    assert res.ok, res.messages
    pages = doc_openings(words(tmp_path / "out" / "edition.pdf"))
    assert len(set(pages.values())) == len(pages) == 11       # a page each
    ran_on = doc_openings(book_words)
    assert len(set(ran_on.values())) < 6


# -- 10. front matter ------------------------------------------------------------------------------------

def test_imprint_and_rights_on_the_back_of_the_title_page(book):
    texts = [re.sub(r"\s+", " ", t) for t in page_texts(book / "edition.pdf")]
    assert "Soviet Decisions on Xinjiang" in texts[0] and "Published by" not in texts[0]
    verso = texts[1]
    assert "Published by The TEI edition toolkit project" in verso
    # the licence refers to "the … rights statement above": the statement stands above it
    rights, licence = verso.index("welcomes reuse"), verso.index("licensed under the")
    assert rights < licence and "rights statement above" in verso[licence:]
    assert texts[2].lstrip().startswith("Contents")


def test_contents_unhyphenated_with_hanging_lines(book):
    ws = [w for w in words(book / "edition.pdf") if w.page == 3]
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(book / "edition.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "\xad" not in text and "Govern-" not in text
    ls = lines(ws, 3)
    first = next(i for i, ln in enumerate(ls) if ln[0].text == "3" and ln[1].text == "October")
    assert ls[first + 1][0].text == "Army)"
    assert ls[first + 1][0].x0 > ls[first][0].x0 + 10          # the wrapped line hangs


# -- 12. per-document PDFs name their edition ---------------------------------------------------------

def test_document_pdf_names_edition_citation(book):
    first = re.sub(r"\s+", " ", page_texts(book / "doc-1937-06-14.pdf")[0])
    assert "From: Soviet Decisions on Xinjiang, 1935–1945, The TEI edition toolkit project" in first
    assert ("Cite as: 14 June 1937, “Concerning the 36th Division of the NRA's Appeals to the Soviet "
            "Government”, RGASPI f. 17, op. 162, d. 20, l. 62-63, in Soviet Decisions on Xinjiang") in first
    volume = re.sub(r"\s+", " ", " ".join(page_texts(book / "edition.pdf")))
    assert "Cite as" not in volume                   # the volume's documents need none


def test_document_pdf_gives_the_permalink(tmp_path, monkeypatch):
    from types import SimpleNamespace
    from toolkit.outputs import pdf
    # [html] base_url (when the edition sets it) makes the address of the document's page
    ed = SimpleNamespace(config=SimpleNamespace(options=lambda t: SimpleNamespace(base_url="https://ed.example.org/x/")))
    assert pdf.permalink(ed, "doc-1937-06-14") == "https://ed.example.org/x/doc/doc-1937-06-14.html"
    ed = SimpleNamespace(config=SimpleNamespace(options=lambda t: SimpleNamespace()))
    assert pdf.permalink(ed, "doc-1937-06-14") == ""
    monkeypatch.setattr(pdf, "permalink", lambda edition, key: f"https://ed.example.org/x/doc/{key}.html")
    [res] = build(load_config(REPO / "edition.toml"), ["pdf"], out=tmp_path / "out")
    assert res.ok, res.messages
    first = re.sub(r"\s+", "", page_texts(tmp_path / "out" / "doc-1945-07-09.pdf")[0])
    assert "https://ed.example.org/x/doc/doc-1945-07-09.html" in first


# -- 13. Arabic verse ---------------------------------------------------------------------------------

ARABIC_VERSE = ["ان بان منزله وشطت داره قامت مقام عيانه أخباره", "قسم زمانك عبرة أو غبرة هذا تراه وهذه أثاره",
                "بعدناوان جاورتنا البيوت وجئنا بوعظ ونحن صموت", "وانفاسنا سكنت دفعة كجهر الصلاة تلاه القنوت"]


def test_arabic_verse_lines_do_not_touch(tmp_path):
    from toolkit.config import Config
    lines_xml = "".join(f"<l>{v}</l>" for v in ARABIC_VERSE)
    (tmp_path / "verse.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="verse" xml:lang="ar">
  <teiHeader><fileDesc><titleStmt><title>قصيدة</title></titleStmt>
    <publicationStmt><p>Generated by the tests.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text xml:lang="ar"><body><p>{"هذا نص نثري يسبق الأبيات في الصفحة " * 6}</p><lg>{lines_xml}</lg></body></text>
</TEI>""", encoding="utf-8")
    [res] = build(Config(root=REPO), ["pdf"], paths=[tmp_path / "verse.xml"], out=tmp_path / "out")
    assert res.ok, res.messages
    ws = words(tmp_path / "out" / "verse.pdf")
    # the verse lines, found by their first word (pdftotext gives Arabic words in visual order,
    # letters reversed; its boxes span the font's ascender and descender)
    body = [ln for ln in lines(ws) if ln[0].y0 > 2.6 * 28.35 and ln[0].y1 < 780]
    verse = [next(ln for ln in body if any(w.text == v.split()[0][::-1] for w in ln)) for v in ARABIC_VERSE]
    assert len(verse) == 4 and all(len(ln) >= 7 for ln in verse)
    for upper, lower in zip(verse, verse[1:]):
        assert max(w.y1 for w in upper) <= min(w.y0 for w in lower) + 0.5, (upper[0], lower[0])
    left = min(w.x0 for w in ws if w.y0 > 2.6 * 28.35)
    assert all(w.x0 >= left - 0.5 for ln in verse for w in ln)    # nothing in the margin
