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

REPO = Path(__file__).resolve().parents[2]
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


# 11 -- drama and verse ------------------------------------------------------------------------
PLAY = """<div type="act"><head>Act one</head>
<stage type="setting">Night. A watchman on the roof.</stage>
<sp who="#watch"><speaker>Watchman</speaker>
<l n="1">I ask the gods release</l><l>from these long toils</l><l>a year of watching</l><l>on the roof</l>
<l n="5">like a dog <stage>he sighs</stage> I lie</l><l>and know the stars</l><l>the bright lords</l>
<l>that bring winter</l><l>and summer</l><l n="10">to <persName ref="#Zeus">Zeus</persName> and men</l>
</sp>
<stage type="exit">Exit Watchman.</stage>
<sp><speaker>Chorus</speaker><l n="40">the tenth year</l><l>since the great</l></sp>
<sp><speaker>First</speaker><l n="42" part="I">a split</l></sp>
<sp><speaker>Second</speaker><l part="F">line</l></sp>
</div>"""
PLAY_IDS = ["l-1", "l-2", "l-3", "l-4", "l-5", "l-6", "l-7", "l-8", "l-9", "l-10", "l-40", "l-41", "l-42", "l-42-2"]
POEM = "".join(f'<l n="{n}">verse {n}</l>' for n in [*range(1, 13), 20, 21, 22])
LETTER = "<p>He wrote:</p><lg><l>an unnumbered</l><l>little poem</l></lg><lg><l>its second</l><l>stanza</l></lg>"


@pytest.fixture(scope="module")
def verse(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("verse")
    write(d, "play.xml", tei("Play", body=PLAY))
    write(d, "poem.xml", tei("Poem", body=f"<lg>{POEM}</lg>"))
    write(d, "letter.xml", tei("Letter", body=LETTER))
    return d


@pytest.fixture(scope="module")
def verse_site(verse, tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("verse-site") / "site", sorted(verse.glob("*.xml")), search=False)


def _lines(page):
    return page.xpath(f"//*[{cls('tei-l')}]")


def _shown(page) -> dict[str, str]:
    return {x.get("id"): norm_text(x.xpath(f"./*[{cls('line-n')}]")[0]) for x in _lines(page)
            if x.xpath(f"./*[{cls('line-n')}]")}


def test_line_ids_follow_the_canonical_numbers(verse_site):
    page = html_page(verse_site / "doc" / "Play.html")
    assert [x.get("id") for x in _lines(page)] == PLAY_IDS
    # the editor numbered some lines only: every number given is shown, no counted ones
    assert _shown(page) == {"l-1": "1", "l-5": "5", "l-10": "10", "l-40": "40", "l-42": "42"}
    # the number is outside the search index and after the line's words
    n = page.xpath("//*[@id='l-5']/*[contains(@class, 'line-n')]")[0]
    assert n.get("data-pagefind-ignore") is not None and n.getnext() is None


def test_regular_numbering_shows_every_fifth_and_jumps(verse_site):
    page = html_page(verse_site / "doc" / "Poem.html")
    assert [x.get("id") for x in _lines(page)] == [f"l-{n}" for n in [*range(1, 13), 20, 21, 22]]
    assert list(_shown(page).values()) == ["5", "10", "20"]


def test_unnumbered_verse_keeps_counting_ids_and_shows_no_numbers(verse_site):
    page = html_page(verse_site / "doc" / "Letter.html")
    assert [x.get("id") for x in _lines(page)] == ["l-1", "l-2", "l-3", "l-4"]
    assert _shown(page) == {}


def test_speaker_and_stage_presentation(verse_site):
    page = html_page(verse_site / "doc" / "Play.html")
    speakers = page.xpath(f"//div[{cls('tei-sp')}]/p[{cls('tei-speaker')}]")
    assert [norm_text(s) for s in speakers] == ["Watchman", "Chorus", "First", "Second"]
    assert all(s.getparent().index(s) == 0 for s in speakers)  # the label opens its speech
    blocks = page.xpath(f"//p[{cls('tei-stage')}]")
    assert [norm_text(b) for b in blocks] == ["Night. A watchman on the roof.", "Exit Watchman."]
    assert {"type-setting", "stage"} <= classes(blocks[0])
    [inline] = page.xpath(f"//*[@id='l-5']/span[{cls('tei-stage')}]")
    assert norm_text(inline) == "he sighs" and "tei-unknown" not in classes(inline)
    css = (verse_site / "assets" / "edition.css").read_text(encoding="utf-8")
    assert re.search(r"\.tei-stage\s*\{[^}]*font-style:\s*italic", css)


def test_python_passage_ids_match_the_page(verse, verse_site):
    from lxml import etree
    from toolkit.outputs.html import cite_ids
    for name, doc in (("play.xml", "Play"), ("poem.xml", "Poem"), ("letter.xml", "Letter")):
        root = etree.parse(str(verse / name)).getroot()
        want = [i for e, i in cite_ids(root).items() if etree.QName(e).localname == "l"]
        assert want == [x.get("id") for x in _lines(html_page(verse_site / "doc" / f"{doc}.html"))], name


def test_a_mention_in_a_numbered_line_cites_its_number(verse_site):
    page = html_page(verse_site / "doc" / "Play.html")
    assert norm_text(page.xpath("//*[@id='l-10']")[0]).startswith("to Zeus and men")


@needs_pdftotext
def test_verse_numbers_in_the_pdf(verse, tmp_path):
    out = build_pdf([verse / "play.xml", verse / "poem.xml"], tmp_path / "pdf")
    rows = [" ".join(r.split()) for r in pdf_text(pdf_of(out, "Play")).splitlines()]
    assert any(r.startswith("like a dog he sighs I lie") and r.endswith(" 5") for r in rows), rows
    assert any(r.startswith("to Zeus and men") and r.endswith(" 10") for r in rows)
    assert any(r == "and know the stars" for r in rows)
    rows = [" ".join(r.split()) for r in pdf_text(pdf_of(out, "Poem")).splitlines()]
    assert [r for r in rows if r.startswith("verse ")] == [
        f"verse {n}" + (f" {n}" if n in (5, 10, 20) else "") for n in [*range(1, 13), 20, 21, 22]]


# 10 -- critical apparatus in every shape ------------------------------------------------------
WITNESSES = ('<listWit><witness xml:id="A" n="A">Codex A</witness><witness xml:id="B" n="B">Codex B</witness>'
             '<witness xml:id="C" n="C">Codex C</witness></listWit>')
CRIT_BODY = """<p>Inline: the <app><lem wit="#A">quick</lem><rdg wit="#B"/></app> fox
<app><lem>brown</lem><rdg wit="#B" xml:id="r2">browne</rdg><witDetail wit="#B" target="#r2">fol. 3r, in margin</witDetail></app> jumps.</p>
<p>Spanned: here <anchor xml:id="a1"/>over the lazy<anchor xml:id="a2"/> dog, and there<anchor xml:id="a3"/> too.
A noted word<anchor xml:id="n1"/> here.<note n="0848002">First same-n note.</note> And<note n="0848002">Second same-n note.</note></p>"""
CRIT_BACK = """<back><listApp><app from="#a1" to="#a2"><rdg wit="#B">across the sleepy</rdg></app>
<app loc="a3"><lem>there</lem><rdg wit="#C">thither</rdg></app></listApp>
<noteGrp><note target="#n1">A note attached to the anchor.</note></noteGrp></back>"""


@pytest.fixture(scope="module")
def critical(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("critical")
    write(d, "crit.xml", tei("Crit", body=CRIT_BODY, back=CRIT_BACK, extra_header=WITNESSES))
    return d


@pytest.fixture(scope="module")
def critical_page(critical, tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("critical-site") / "site", [critical / "crit.xml"], search=False)
    return html_page(site / "doc" / "Crit.html")


def test_empty_reading_and_wit_detail_in_html(critical_page):
    apps = critical_page.xpath(f"//p//span[{cls('app')}]")
    readings = [norm_text(a.xpath(f"./span[{cls('app-readings')}]")[0]) for a in apps]
    assert readings == ["[om. B]", "[browne B (fol. 3r, in margin)]"]
    # the detail is a note of its reading, apart from the reading's words
    [detail] = apps[1].xpath(f".//span[{cls('rdg')}]/span[{cls('wit-detail')}]")
    assert norm_text(detail) == "(fol. 3r, in margin)"
    assert not critical_page.xpath(f"//*[{cls('tei-witDetail')}]")


def test_attached_apparatus_and_notes_are_marked_at_their_anchors(critical_page):
    for anchor, label in (("a2", "1"), ("a3", "2"), ("n1", "3")):
        [a] = critical_page.xpath(f"//span[@id='{anchor}']")
        sup = a.getnext()
        assert sup.tag == "sup" and norm_text(sup) == label, anchor
        target = sup.xpath("./a/@href")[0][1:]
        [entry] = critical_page.xpath(f"//ol[@class='note-list']/li[@id='{target}']")
        assert norm_text(entry.xpath("./span[@class='note-label']")[0]) == f"{label}."
    entries = [norm_text(li) for li in critical_page.xpath("//ol[@class='note-list']/li")]
    assert entries == ["1. over the lazy] across the sleepy B ↩", "2. there] thither C ↩",
                       "3. A note attached to the anchor. ↩", "4. First same-n note. ↩", "5. Second same-n note. ↩"]
    # nothing twice: the back matter no longer repeats what the notes show
    text = norm_text(critical_page)
    assert text.count("across the sleepy") == 1 and text.count("A note attached") == 1 and text.count("thither") == 1


def test_note_labels_are_unique_running_numbers(critical_page):
    labels = [norm_text(s) for s in critical_page.xpath("//sup[@class='note-ref']")]
    assert labels == ["1", "2", "3", "4", "5"]
    ids = critical_page.xpath("//@id")
    assert len(ids) == len(set(ids))


@needs_pdftotext
def test_apparatus_in_the_pdf(critical, tmp_path):
    out = build_pdf([critical / "crit.xml"], tmp_path / "pdf")
    text = " ".join(pdf_text(pdf_of(out, "Crit")).split())
    assert "Variant" not in text
    assert "quick] om. B" in text
    assert "brown] browne B (fol. 3r, in margin)" in text
    assert "over the lazy] across the sleepy B" in text and "there] thither C" in text
    assert text.count("across the sleepy") == 1 and text.count("A note attached to the anchor.") == 1


def test_apparatus_rules_shared_by_both_outputs():
    from xslt_support import xpath_each
    libs = ("lib/common.xsl", "lib/apparatus.xsl")
    t = f'xmlns="{TEI}"'
    app = (f'<app {t}><lem wit="#A">x</lem><rdg wit="#B #C" xml:id="r1"/><rdgGrp><rdg wit="#D">y</rdg></rdgGrp>'
           '<witDetail target="#r1">f. 2</witDetail><witDetail wit="#D">f. 9</witDetail><witDetail wit="#Z">lost?</witDetail></app>')
    got = xpath_each("string-join(f:app-variants(.) ! ((if (f:reading-omitted(.)) then 'om.' else string(.)) "
                     "|| ' ' || string-join(f:reading-sigla(.), ',') || ' ' || string-join(f:reading-details(.), ',')), '; ')"
                     " || ' / ' || string-join(f:app-other-details(.), ',')", [app], imports=libs)
    assert got == ["om. B,C f. 2; y D f. 9 / lost?"]
    doc = (f'<TEI {t}><text><body><p>a<anchor xml:id="s"/>b c<anchor xml:id="e"/><anchor n="7"/></p></body><back>'
           '<app from="#s" to="#e"><rdg>z</rdg></app><app loc="7"><rdg>q</rdg></app><app from="#nowhere"><rdg>k</rdg></app>'
           '<note target="#s">n</note><note target="#p">stays</note></back></text></TEI>')
    got = xpath_each("string-join(//(tei:app | tei:note) ! (string(f:attachment-point(.)/(@xml:id, @n)[1]) || ':' || f:spanned-text(.)), ' ')",
                     [doc], imports=libs)
    assert got == ["e:b c 7: : s: :"]


def test_line_number_rules():
    from xslt_support import xpath_each
    libs = ("lib/common.xsl", "lib/lines.xsl")
    t = f'xmlns="{TEI}"'
    regular = f'<lg {t}>' + "".join(f'<l n="{n}">x</l>' for n in ["1", "2", "5", "6", "6", "7", "9a", "12", "13"]) + "</lg>"
    partial = f'<lg {t}><l>x</l><l n="3">x</l><l>x</l><l n="7">x</l></lg>'
    got = xpath_each("string-join(//tei:l ! (f:verse-number-shown(.), '-')[1], ' ')", [regular, partial], imports=libs)
    assert got == ["- - 5 - - - 9a 12 -", "- 3 - 7"]
    src = f'<surface {t}><zone><line>a</line><line n="x">b</line></zone><line>c</line><surface><line>d</line></surface></surface>'
    assert xpath_each("string-join(//tei:line ! f:source-line-number(.), ' ')", [src], imports=libs) == ["1 x 3 1"]


WORDS = """<p n="1.1"><w xml:id="w1">ahiia</w> <w xml:id="w2">thwa</w> <w xml:id="w3">athro</w><note target="#p2">A note on the paragraph it stands in stays.</note></p>"""
WORDS_BACK = """<back><listApp><app from="#w1"><rdg wit="#A">ahiia</rdg></app>
<app from="#w2" to="#w3"><rdg wit="#B">thwo athroi</rdg></app></listApp></back>"""


def test_apparatus_attached_to_words(tmp_path):
    """Double end-point attachment to words (as TEI-C's testapp2.xml): each app's marker follows
    its last word, its note has the words as lemma; a note targeting its own paragraph stays."""
    write(tmp_path / "src", "words.xml", tei("Words", body=WORDS.replace('<p n="1.1">', '<p n="1.1" xml:id="p2">'),
                                              back=WORDS_BACK, extra_header=WITNESSES))
    site = build_site(tmp_path / "site", [tmp_path / "src" / "words.xml"], search=False)
    page = html_page(site / "doc" / "Words.html")
    for word, label in (("w1", "1"), ("w3", "2")):
        sup = page.xpath(f"//*[@id='{word}']")[0].getnext()
        assert sup.tag == "sup" and norm_text(sup) == label, word
    entries = [norm_text(li) for li in page.xpath("//ol[@class='note-list']/li")]
    assert entries == ["1. ahiia] ahiia A ↩", "2. thwa athro] thwo athroi B ↩",
                       "3. A note on the paragraph it stands in stays. ↩"]
    out = build_pdf([tmp_path / "src" / "words.xml"], tmp_path / "pdf")
    text = " ".join(pdf_text(pdf_of(out, "Words")).split())
    assert "thwa athro] thwo athroi B" in text and text.count("thwo athroi") == 1


def test_incremental_build_equals_full_build(tmp_path):
    """Edits to verse numbers, a transcription's names and an attached apparatus: the
    incremental build gives the same site as a fresh full build (the entity pages' passage links
    to #l-… and to the transcription included)."""
    from test_html import _site_files, build_edition
    root = tmp_path / "ed"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    tei_dir = root / "tei"
    write(tei_dir, "doc-play.xml", tei("Play", body=PLAY.replace('ref="#Zeus"', 'ref="persons.xml#stalin"')))
    write(tei_dir, "doc-crit.xml", tei("Crit", body=CRIT_BODY, back=CRIT_BACK, extra_header=WITNESSES))
    write(tei_dir, "doc-source.xml", tei("Source", text=False, after_text=SOURCEDOC))
    out = root / "output" / "html"
    assert build_edition(out, root).ok

    def edit(name, old, new):
        f = tei_dir / name
        s = f.read_text(encoding="utf-8")
        assert old in s, (name, old)
        f.write_text(s.replace(old, new, 1), encoding="utf-8")

    steps = [
        ("renumbered line", lambda: edit("doc-play.xml", '<l n="10">', '<l n="12">')),
        ("name in a transcription", lambda: edit("doc-source.xml", "<persName>Anna Weber</persName>",
                                                 '<persName ref="persons.xml#smirnov">Smirnov</persName>')),
        ("attached reading", lambda: edit("doc-crit.xml", "across the sleepy", "across the drowsy")),
    ]
    for i, (what, step) in enumerate(steps):
        step()
        assert build_edition(out, root).ok, what
        fresh = tmp_path / f"fresh-{i}"
        assert build_edition(fresh, root, full=True).ok
        a, b = _site_files(out), _site_files(fresh)
        assert sorted(a) == sorted(b), what
        assert [k for k in a if a[k] != b[k]] == [], what
    entity = next((out / "entity").glob("stalin*.html")).read_text(encoding="utf-8")
    assert "Play.html#l-12" in entity, re.findall(r'href="[^"]*Play[^"]*"', entity)
    entity = next((out / "entity").glob("smirnov*.html")).read_text(encoding="utf-8")
    assert "Source.html" in entity
