"""Issue #12, items 6–8: right-to-left text and bidi, the scripts of the PDF, line breaks in
scripts written without spaces. Fixtures are written by the tests; HTML is parsed, PDF fonts and
text are read back (pdffonts, pdftotext). A few checks run on copies of ../shared/corpora/world
files and skip without them."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import REPO
from xslt_support import xpath, xpath_each

WORLD = REPO.parent / "shared" / "corpora" / "world"
HEADER = ('<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt><publicationStmt><p>x</p>'
          '</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>{profile}</teiHeader>')


def tei(doc_id: str, body: str, *, lang: str | None = "en", title: str = "A document", profile: str = "") -> str:
    text_lang = f' xml:lang="{lang}"' if lang else ""
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{doc_id}">'
            + HEADER.format(title=title, profile=profile)
            + f"<text{text_lang}><body>\n{body}\n</body></text></TEI>\n")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def build_html(src: Path, out: Path) -> Path:
    r = run("build", "html", str(src), "--out", str(out), "--no-search")
    assert r.returncode == 0, r.stderr
    return out


def page(site: Path, doc_id: str):
    return lhtml.parse(str(site / "doc" / f"{doc_id}.html")).getroot()


def is_rtl_char(ch: str) -> bool:
    import unicodedata
    return unicodedata.bidirectional(ch) in ("R", "AL")


def direction(el) -> str:
    """The direction an element's text is laid out in, as a browser resolves it: the nearest
    dir (auto and a <bdi> without dir by their first strong character)."""
    import unicodedata
    for a in [el, *el.iterancestors()]:
        d = (a.get("dir") or "").lower()
        if d in ("ltr", "rtl"):
            return d
        if d == "auto" or (a.tag == "bdi" and not d):
            for ch in a.text_content():
                b = unicodedata.bidirectional(ch)
                if b in ("R", "AL"):
                    return "rtl"
                if b == "L":
                    return "ltr"
            return "ltr"
    return "ltr"


def rtl_outside_rtl(root) -> list[str]:
    """Texts holding right-to-left characters that a browser lays out left to right."""
    bad = []
    body = root.find(".//body")
    for e in body.iter():
        if not isinstance(e.tag, str) or e.tag in ("script", "style", "template"):
            continue
        for text, holder in ((e.text, e), (e.tail, e.getparent())):
            if text and holder is not None and any(is_rtl_char(c) for c in text) and direction(holder) != "rtl":
                bad.append(text)
    return bad


# -- item 6: direction rule -------------------------------------------------------------------------

DIRS = [
    ("he", "rtl"), ("heb", "rtl"), ("hbo", "rtl"), ("arc", "rtl"), ("syc", "rtl"), ("syr", "rtl"),
    ("ar", "rtl"), ("ara", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("yi", "rtl"), ("dv", "rtl"),
    ("ar-Latn-x-ijmes", "ltr"), ("sa-Latn", "ltr"), ("tr-Arab", "rtl"), ("ku-Arab", "rtl"),
    ("ku", "ltr"), ("en", "ltr"), ("grc", "ltr"), ("zh-Hant", "ltr"), ("x-klingon", ""), ("und", ""), ("", ""),
]


@pytest.mark.parametrize("tag,want", DIRS, ids=[t or "(empty)" for t, _ in DIRS])
def test_direction_of_a_language_tag(tag, want):
    assert xpath_each("string(f:lang-dir(.))", [tag], strings=True) == [want]


def test_direction_of_a_text_by_its_first_letter():
    texts = ["  1950: שלום", "«محمد» and", "Syriac ܐ", "123 ...", "ܐܒܓ"]
    assert xpath_each("string(f:text-dir(.))", texts, strings=True) == ["rtl", "rtl", "ltr", "", "rtl"]


MIXED = """<p xml:lang="he">שלום עולם</p>
<p xml:lang="heb">עברית</p>
<p xml:lang="syc">ܐܠܗܐ</p>
<p xml:lang="arc">אבג</p>
<p xml:lang="ar-Latn-x-ijmes">al-Qāhira</p>
<p xml:lang="sa-Latn">dharmakṣetre</p>
<p>An English paragraph naming <persName>محمد بن علي</persName> in 1950, and <foreign>שלום</foreign> too.</p>
<p>Noted<note xml:lang="ar">حاشية عربية</note> here.</p>
<div xml:lang="ar"><head>عنوان</head>
  <table><row><cell>الأول</cell><cell>الثاني</cell><cell>3</cell></row></table>
  <list><item>بند</item></list>
  <p>نص عربي with an <foreign xml:lang="en">English</foreign> word.</p>
</div>"""


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory):
    src = tmp_path_factory.mktemp("rtl-src")
    (src / "mixed.xml").write_text(tei("Mixed", MIXED), encoding="utf-8")
    (src / "plain.xml").write_text(tei("Plain", "<p>نص عربي بلا لغة</p><p>ونص آخر</p>", lang=None), encoding="utf-8")
    (src / "heb.xml").write_text(tei("Heb", "<p>כתובת</p>", lang=None, title="כתובת עברית",
                                     profile='<profileDesc><langUsage><language ident="heb"/></langUsage></profileDesc>'),
                                 encoding="utf-8")
    (src / "toc.xml").write_text(tei("Toc", "".join(f"<div><head>باب {n}</head><p>نص</p></div>" for n in "١٢٣"),
                                     lang="ar", title="كتاب"), encoding="utf-8")
    return build_html(src, tmp_path_factory.mktemp("rtl-site") / "site")


def test_rtl_languages_get_dir_rtl_and_keep_their_tag(mixed_site):
    doc = page(mixed_site, "Mixed")
    ps = {p.text_content(): p for p in doc.xpath("//div[@class='text']//p")}
    for text, lang in (("שלום עולם", "he"), ("עברית", "he"), ("ܐܠܗܐ", "syc"), ("אבג", "arc")):
        assert (ps[text].get("lang"), ps[text].get("dir")) == (lang, "rtl"), text
    # Latin transliteration labelled Arabic: its tag whole, left to right
    assert (ps["al-Qāhira"].get("lang"), ps["al-Qāhira"].get("dir")) == ("ar-Latn-x-ijmes", None)
    assert ps["dharmakṣetre"].get("lang") == "sa-Latn"
    assert rtl_outside_rtl(doc) == []


def test_unlabelled_rtl_runs_are_isolated(mixed_site):
    doc = page(mixed_site, "Mixed")
    p = next(p for p in doc.xpath("//p") if "English paragraph" in p.text_content())
    assert direction(p) == "ltr"
    runs = [b.text_content() for b in p.iter("bdi")]
    assert runs == ["محمد بن علي", "שלום"]  # the run ends at its last RTL letter: " in 1950" stays LTR
    assert all(b.get("dir") == "rtl" for b in p.iter("bdi"))


def test_rtl_block_mirrors_with_its_table_list_and_notes(mixed_site):
    doc = page(mixed_site, "Mixed")
    div = doc.xpath("//div[@class='text']//*[@lang='ar']")[0]
    assert div.get("dir") == "rtl"
    # the table keeps its source column order (the browser mirrors it by dir)
    cells = [c.text_content() for c in div.xpath(".//tr[1]/*")]
    assert cells == ["الأول", "الثاني", "3"]
    assert direction(div.xpath(".//table")[0]) == "rtl" and direction(div.xpath(".//li")[0]) == "rtl"
    english = div.xpath(".//*[@lang='en']")[0]
    assert english.get("dir") == "ltr"
    note = doc.xpath("//section[@class='notes']//li")[0]
    assert (note.get("lang"), note.get("dir")) == ("ar", "rtl")


def test_unlabelled_and_langusage_documents_take_their_direction(mixed_site):
    plain = page(mixed_site, "Plain")
    assert plain.xpath("//div[@class='text']")[0].get("dir") == "rtl"  # by its first letter
    assert rtl_outside_rtl(plain) == []
    heb = page(mixed_site, "Heb")
    text = heb.xpath("//div[@class='text']")[0]
    assert (text.get("lang"), text.get("dir")) == ("he", "rtl")  # langUsage "heb"
    assert rtl_outside_rtl(heb) == []


def test_contents_and_neighbours_outside_the_text_keep_their_direction(mixed_site):
    toc = page(mixed_site, "Toc")
    links = toc.xpath("//nav[contains(@class, 'toc')]//a")
    assert len(links) == 3 and all((a.get("lang"), a.get("dir")) == ("ar", "rtl") for a in links)
    assert rtl_outside_rtl(toc) == []
    for doc_id in ("Heb", "Mixed", "Plain"):  # the neighbours' titles (Hebrew, Arabic) are isolated
        assert rtl_outside_rtl(page(mixed_site, doc_id)) == [], doc_id


def test_css_uses_logical_properties():
    css = (REPO / "xslt" / "html" / "assets" / "edition.css").read_text(encoding="utf-8")
    # the source's own alignment (rend="right") stays physical: the writer put it there
    css = re.sub(r"\.rend-(right|left)[^{]*\{[^}]*\}", "", css)
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:"
                          r"|text-align:\s*(?:left|right)|(?:float|clear):\s*(?:left|right)", css)
    assert physical == []
    assert "margin-inline-end" in css and "border-inline-start" in css


# -- item 6 in the PDF ------------------------------------------------------------------------------

def typst_of(xml: str, tmp_path: Path) -> str:
    from toolkit import context
    from toolkit.config import Config
    from toolkit.outputs.pdf import document_typst
    from toolkit.outputs.runner import load_for_build
    from toolkit.saxon import to_xdm
    from toolkit.xmlsafe import parse_file
    f = tmp_path / "d.xml"
    f.write_text(xml, encoding="utf-8")
    edition = load_for_build(Config(root=REPO), [f], [])
    return document_typst(edition, to_xdm(context.full(edition)), parse_file(f), "d")


def test_pdf_sets_rtl_explicitly(tmp_path):
    typ = typst_of(tei("P", MIXED), tmp_path)
    for lang in ("he", "syc", "arc", "ar"):
        assert f'#ed-lang("{lang}", dir: rtl)[' in typ, lang
    assert '#ed-lang("ar", dir: ltr)[' in typ      # ar-Latn-x-ijmes: Typst alone would say rtl
    assert '#ed-lang("en", dir: ltr)[' in typ
    heb = typst_of(tei("H", "<p>כתובת</p>", lang=None,
                       profile='<profileDesc><langUsage><language ident="heb"/></langUsage></profileDesc>'), tmp_path)
    assert re.search(r'#ed-document\([^\n]*lang: "he", dir: rtl', heb)
    plain = typst_of(tei("U", "<p>ܐܠܗܐ ܡܪܝܐ</p>", lang=None), tmp_path)
    assert re.search(r"#ed-document\([^\n]*dir: rtl", plain)


# -- item 7: fonts per script ---------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")


def fonts_used(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


SCRIPTS_BODY = """<p xml:lang="sa">क्षेत्रज्ञ इति</p>
<p xml:lang="syc">ܐܠܗܐ ܡܪܝܐ</p>
<p xml:lang="ar">مرحبا بالعالم</p>
<p xml:lang="zh">𠀀𠀁 and 中文</p>
<p xml:lang="zh-TW">國語</p>
<p xml:lang="ja">直す</p>
<p>A character no font has: &#x10570; here.</p>"""


@pytest.fixture(scope="module")
def scripts_pdf(tmp_path_factory):
    src = tmp_path_factory.mktemp("scripts-src")
    (src / "scripts.xml").write_text(tei("Scripts", SCRIPTS_BODY), encoding="utf-8")
    out = tmp_path_factory.mktemp("scripts-pdf")
    r = run("build", "pdf", str(src / "scripts.xml"), "--out", str(out))
    strict = run("build", "pdf", str(src / "scripts.xml"), "--out", str(tmp_path_factory.mktemp("strict")), "--strict")
    return out / "Scripts.pdf", r, strict, src / "scripts.xml"


@needs_poppler
def test_each_script_prints_in_its_own_font(scripts_pdf):
    pdf, r, _, _ = scripts_pdf
    used = fonts_used(pdf)
    # Arabic in Noto Naskh, not in DejaVu Sans (which has Arabic glyphs and came first)
    for face in ("NotoSansDevanagari-Regular", "NotoSansSyriac-Regular", "NotoNaskhArabic-Regular",
                 "HanaMinB"):
        assert face in used, (face, used)
    assert any(f.startswith("NotoSerifCJKjp") for f in used)  # Han in Japanese: the JP face
    assert any(f.startswith("NotoSerifCJKtc") for f in used)  # zh-TW: the traditional face
    assert not any(f.startswith("NewCM") for f in used), used   # never the math font
    text = pdf_text(pdf)
    for s in ("क्ष", "ܐܠܗܐ", "𠀀𠀁", "直す", "國語"):
        assert s in text, s


@needs_poppler
def test_a_character_no_font_has_is_a_box_reported_with_its_place(scripts_pdf):
    pdf, r, strict, src = scripts_pdf
    line = next(i for i, t in enumerate(src.read_text(encoding="utf-8").splitlines(), 1) if "&#x10570;" in t)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert re.search(rf"scripts\.xml:{line}:\d+: error: the character .*U\+10570 VITHKUQI", r.stderr)
    assert "[pdf.glyph]" in r.stderr and r.stderr.count("[pdf.glyph]") == 1  # only that one
    assert "install the package" not in r.stderr  # no package has it: none is advised
    assert "U+10570" in pdf_text(pdf)  # the PDF is made, the box shows the code point
    assert strict.returncode != 0


# -- item 8: line breaks in scripts written without spaces ------------------------------------------------

LB = """<p xml:lang="zh">育民者法
<lb/>其法也</p>
<p xml:lang="ja">ひらがな<lb/>カタカナ</p>
<p xml:lang="th">ภาษา<lb/>ไทย</p>
<p xml:lang="zh">其法也<lb/>，而民</p>
<p>Latin words<lb/>on two lines</p>
<p>hyphen<lb break="no"/>ated</p>"""


def test_reading_text_joins_spaceless_scripts():
    from lxml import etree

    from toolkit.tei.reading import text_of
    root = etree.fromstring(tei("R", LB).encode())
    ps = root.findall(".//{http://www.tei-c.org/ns/1.0}body/{http://www.tei-c.org/ns/1.0}p")
    want = ["育民者法其法也", "ひらがなカタカナ", "ภาษาไทย", "其法也，而民", "Latin words on two lines", "hyphenated"]
    assert [text_of(p) for p in ps] == want
    assert xpath("string-join(for $p in .//tei:body/tei:p return f:reading-text($p), '|')", tei("R", LB)) == "|".join(want)


def test_html_reading_view_adds_no_space_in_spaceless_scripts(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lb.xml").write_text(tei("Lb", LB), encoding="utf-8")
    doc = page(build_html(tmp_path / "src", tmp_path / "site"), "Lb")
    for dipl in doc.xpath("//br[@class='dipl']"):
        dipl.drop_tree()  # the diplomatic view's line breaks: the reading view is what is left
    texts = [p.text_content() for p in doc.xpath("//div[@class='text']//p")]
    assert texts == ["育民者法其法也", "ひらがなカタカナ", "ภาษาไทย", "其法也，而民", "Latin words on two lines",
                     "hyphenated"]


@needs_poppler
def test_pdf_adds_no_space_at_a_line_break_in_chinese(tmp_path):
    src = tmp_path / "lb.xml"
    src.write_text(tei("Lb", '<p xml:lang="zh">育民者法\n<lb/>其法也</p>'), encoding="utf-8")
    r = run("build", "pdf", str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    lines = [line.strip() for line in pdf_text(tmp_path / "out" / "Lb.pdf").splitlines()]
    assert "育民者法" in lines and "其法也" in lines  # the line as written, no space added


# -- the world corpora (copies; skip without ../shared) ------------------------------------------------------

needs_world = pytest.mark.skipif(not WORLD.is_dir(), reason="../shared/corpora/world is not here")


def _copy(tmp_path: Path, pattern: str, limit: int = 1) -> list[Path]:
    files = sorted(WORLD.glob(pattern))[:limit]
    if not files:
        pytest.skip(f"no {pattern} in ../shared/corpora/world")
    dest = tmp_path / "src"
    dest.mkdir(exist_ok=True)
    out = []
    for f in files:
        shutil.copy(f, dest / f.name)
        out.append(dest / f.name)
    return out


@needs_world
@needs_poppler
def test_world_devanagari_prints_in_a_devanagari_font(tmp_path):
    files = [f for f in sorted(WORLD.glob("sarit/**/*.xml")) if "ा" in f.read_text(encoding="utf-8")][:1]
    if not files:
        pytest.skip("no Devanagari sample in ../shared/corpora/world/sarit")
    shutil.copy(files[0], tmp_path / files[0].name)
    r = run("build", "pdf", str(tmp_path / files[0].name), "--out", str(tmp_path / "out"))
    assert "pdf.glyph" not in r.stderr, r.stderr[-2000:]
    pdf = next(p for p in (tmp_path / "out").glob("*.pdf") if p.name != "edition.pdf")
    used = fonts_used(pdf)
    assert any(f.startswith("NotoSansDevanagari") for f in used) and not any(f.startswith("NewCM") for f in used)


@needs_world
def test_world_hebrew_and_syriac_pages_are_rtl(tmp_path):
    files = [f for f in sorted(WORLD.glob("pta/**/*.xml"))
             if re.search("[\u0590-\u05ff\u0700-\u074f]", f.read_text(encoding="utf-8"))][:1]
    if not files:
        pytest.skip("no Hebrew or Syriac sample in ../shared/corpora/world/pta")
    (tmp_path / "src").mkdir()
    shutil.copy(files[0], tmp_path / "src" / files[0].name)
    site = build_html(tmp_path / "src", tmp_path / "site")
    for p in (site / "doc").glob("*.html"):
        assert rtl_outside_rtl(lhtml.parse(str(p)).getroot()) == [], p.name
