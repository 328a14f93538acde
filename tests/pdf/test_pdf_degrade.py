"""PDF edition: a bad document degrades or drops out, the others are built, the build says why.

Control characters, noncharacters and glyphs no font has become framed code points (read back
from the PDFs' text) and are reported once per character and file with their place; a document
the stylesheet or Typst fails on is typeset as plain text; one too large for the page bound is
left out (its previous PDF kept); `strict` writes nothing. Fixtures are made in tmp folders.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tei_doc as tei

from toolkit.outputs.publish import write_manifest
from pypdf import PdfReader

from toolkit.outputs import pdf as pdfmod
from toolkit.outputs import pdf_chars
from toolkit.outputs.pdf import build_pdf
from toolkit.outputs.runner import BuildError, load_for_build
from toolkit.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]


# -- helpers ------------------------------------------------------------------------------------

def place(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of needle in a file's text."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def build_adhoc(paths: list[Path], out: Path, strict: bool = False, config: Config | None = None):
    """build_pdf on the given files (ad hoc) or an edition; returns (result, diagnostics)."""
    diags = []
    cfg = config or Config(root=REPO)
    edition = load_for_build(cfg, paths, [])
    result = build_pdf(edition, out, strict=strict, report=diags.extend)
    return result, diags


def text_of(pdf: Path) -> str:
    # Typst maps the hyphen glyph back to U+00AD once hyphenation has used it (docs/pdf.md,
    # Known limits): read it as "-", as test_pdf.py does
    return " ".join(" ".join((p.extract_text() or "").replace("\xad", "-").split())
                    for p in PdfReader(str(pdf)).pages)


def by_file(diags, name: str):
    return [d for d in diags if Path(d.path).name == name]


GOOD = "<p>The good document is printed in full.</p>"
C1_BODY = ("<p>Before \u0093quoted\u0094 after, and a DEL \u007f here.</p>\n"
           "<p>Again \u0093 and a reference &#x90; too.</p>")
NONCHAR_BODY = "<p>A noncharacter \ufdd0 and a plane-one \U0001FFFE here.</p>"
# characters no installed font has (Unicode 13–14 scripts newer than the Noto packages; CJK
# Extension G, which neither Noto CJK nor HanaMin covers)
GLYPH_BODY = ("<p>Vithkuqi \U00010570 and a Toto letter \U0001E290 here.</p>\n"
              "<p>Vithkuqi again \U00010570, and CJK Extension G \U00030000.</p>")
DEEP_HI = "<p>" + "<hi rend='italic'>" * 90 + "DEEP-TEXT" + "</hi>" * 90 + " after the hi.</p>"
DEEP_XML = "<p>Shallow first.</p>" + "<quote>" * 110 + "VERY-DEEP" + "</quote>" * 110


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Seven documents, five of them bad in one way each, built ad hoc in one build."""
    base = tmp_path_factory.mktemp("pdf-degrade")
    src = base / "src"
    files = {
        "good": tei("good", GOOD),
        "c1": tei("c1", C1_BODY),
        "nonchar": tei("nonchar", NONCHAR_BODY),
        "glyph": tei("glyph", GLYPH_BODY, title="Title with \U00010570 Vithkuqi"),
        "deephi": tei("deephi", DEEP_HI),
        "deepxml": tei("deepxml", DEEP_XML),
    }
    paths = [write(src, f"{k}.xml", v) for k, v in files.items()]
    # (Saxon reads whatever lxml does, so nothing in a file makes our stylesheet fail any more:
    # the failure of a stylesheet on one document is made here)
    from toolkit.outputs import pdf as pdf_module
    real = pdf_module.document_typst

    def failing(edition, context, src, key, warn=None):
        if key == "deepxml":
            raise pdf_module.XsltError("XPTY0004: an error made by the test")
        return real(edition, context, src, key, warn)
    pdf_module.document_typst = failing
    try:
        result, diags = build_adhoc(paths, base / "out")
    finally:
        pdf_module.document_typst = real
    return {"out": base / "out", "src": src, "files": files, "result": result, "diags": diags,
            "paths": paths}


# -- characters -----------------------------------------------------------------------------------

def test_every_document_and_the_volume_are_built(mixed):
    names = {p.name for p in mixed["out"].glob("*.pdf")}
    assert names == {"edition.pdf", "good.pdf", "c1.pdf", "nonchar.pdf", "glyph.pdf", "deephi.pdf",
                     "deepxml.pdf"}
    assert mixed["result"].has_errors
    assert "built with errors" in mixed["result"].summary()
    assert "The good document is printed in full." in text_of(mixed["out"] / "good.pdf")


def test_bad_characters_show_as_their_code_points(mixed):
    out = mixed["out"]
    c1 = text_of(out / "c1.pdf")
    assert re.search(r"Before U\+0093 ?quoted ?U\+0094 ?after, and a DEL U\+007F ?here", c1)
    assert re.search(r"Again U\+0093 ?and a reference U\+0090 ?too", c1)
    non = text_of(out / "nonchar.pdf")
    assert re.search(r"noncharacter U\+FDD0 ?and a plane-one U\+1FFFE ?here", non)
    glyph = text_of(out / "glyph.pdf")
    assert re.search(r"Vithkuqi U\+10570 ?and a Toto letter U\+1E290 ?here", glyph)
    assert re.search(r"CJK Extension G U\+30000", glyph)
    # the title too (heading, running head, contents of the volume)
    assert re.search(r"Title with U\+10570 ?Vithkuqi", glyph)
    volume = text_of(out / "edition.pdf")
    for s in ("U+0093", "U+FDD0", "U+1E290"):
        assert s in volume, s
    # a placeholder is a framed box in the monospaced font, not the character itself
    assert "\u0093" not in c1 and "\U00010570" not in glyph


def test_each_character_reported_once_per_file_with_its_place(mixed):
    text = mixed["files"]["c1"]
    diags = by_file(mixed["diags"], "c1.xml")
    got = {(d.rule, d.line, d.column, d.message.split("(U+")[1][:4]) for d in diags}
    # U+0093 occurs twice in the file: one finding, at the first place
    assert got == {("pdf.control-char", *place(text, "\u0093quoted"), "0093"),
                   ("pdf.control-char", *place(text, "\u0094"), "0094"),
                   ("pdf.control-char", *place(text, "\u007f"), "007F"),
                   ("pdf.control-char", *place(text, "&#x90;"), "0090")}
    assert all(d.is_error for d in diags)
    non = by_file(mixed["diags"], "nonchar.xml")
    ntext = mixed["files"]["nonchar"]
    assert {(d.rule, d.line, d.column) for d in non} == {
        ("pdf.noncharacter", *place(ntext, "\ufdd0")), ("pdf.noncharacter", *place(ntext, "\U0001FFFE"))}
    glyph = by_file(mixed["diags"], "glyph.xml")
    gtext = mixed["files"]["glyph"]
    # U+10570 first occurs in the title, which the PDF prints: that place is reported
    assert {(d.rule, d.line, d.column, d.message.split("(U+")[1][:5]) for d in glyph} == {
        ("pdf.glyph", *place(gtext, "\U00010570 Vithkuqi"), "10570"),
        ("pdf.glyph", *place(gtext, "\U0001E290"), "1E290"),
        ("pdf.glyph", *place(gtext, "\U00030000"), "30000")}


def test_advice_fits_the_character(mixed):
    diags = mixed["diags"]
    control = [d for d in by_file(diags, "c1.xml")]
    for d in control:
        assert "encoding problem" in d.hint and "not a font problem" in d.hint
        assert "font_paths" not in d.hint
    quote = next(d for d in control if "U+0093" in d.message)
    assert "'“', U+201C, if the text came from Windows-1252" in quote.hint
    non = by_file(diags, "nonchar.xml")[0]
    assert "noncharacter" in non.message and "remove it" in non.hint
    glyph = {d.message.split("(U+")[1][:5]: d for d in by_file(diags, "glyph.xml")}
    assert "install a font covering Vithkuqi" in glyph["10570"].hint
    assert "[pdf] font_paths" in glyph["10570"].hint
    assert "Toto" in glyph["1E290"].hint
    cjk = glyph["30000"].hint
    if any(Path("/usr/share/fonts/truetype/hanazono").glob("*")):
        # fonts-hanazono (the Han package for other planes) is installed: advising it would not help
        assert "install the package" not in cjk and "fonts-hanazono found lack it" in cjk


@pytest.mark.parametrize("ch,package,folder", [
    ("\u4e2d", "fonts-noto-cjk", "/usr/share/fonts/opentype/noto"),
    ("\U00020000", "fonts-hanazono", "/usr/share/fonts/truetype/hanazono"),
    ("\u0710", "fonts-noto-core", "/usr/share/fonts/truetype/noto"),
    ("\u0915", "fonts-noto-core", "/usr/share/fonts/truetype/noto"),
])
def test_advice_names_the_package_only_when_its_fonts_are_not_there(tmp_path, ch, package, folder):
    """The package whose fonts have a script is advised when its folder is not read (not
    installed); when its fonts are read and still lack the character, never."""
    (tmp_path / "empty").mkdir()
    _, hint = pdf_chars.advice(ch, pdf_chars.GLYPH, [str(tmp_path / "empty")])
    assert f"install the package {package}" in hint and folder in hint
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "Some-Regular.ttf").write_bytes(b"")
    fake = {**pdf_chars.FONT_PACKAGES, str(tmp_path / "fonts"): package}
    fake.pop(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf_chars, "FONT_PACKAGES", fake)
        _, hint = pdf_chars.advice(ch, pdf_chars.GLYPH, [str(tmp_path / "fonts")], [str(tmp_path / "fonts")])
    assert "install the package" not in hint and f"the fonts of {package} found lack it" in hint


def test_character_classes():
    assert pdf_chars.intrinsic("\u0085") == pdf_chars.CONTROL
    assert pdf_chars.intrinsic("\x7f") == pdf_chars.CONTROL
    assert pdf_chars.intrinsic("\t") is None and pdf_chars.intrinsic("\n") is None
    for c in ("\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0010FFFF", "\U0001FFFE"):
        assert pdf_chars.intrinsic(c) == pdf_chars.NONCHARACTER, hex(ord(c))
    assert pdf_chars.intrinsic("\ud800") == pdf_chars.NONCHARACTER
    assert pdf_chars.intrinsic("\ufdcf") is None and pdf_chars.intrinsic("é") is None
    assert pdf_chars.candidates("plain ASCII\ttext\n") == set()
    assert pdf_chars.candidates("a\x7fbéé") == {"\x7f", "é"}


def test_nel_is_a_control_character_too(tmp_path):
    """U+0085 (NEL) used to be escaped for Typst and printed as a line break unreported."""
    text = tei("nel", "<p>Next\u0085line.</p>")
    result, diags = build_adhoc([write(tmp_path, "nel.xml", text)], tmp_path / "out")
    [d] = diags
    assert (d.rule, d.line, d.column) == ("pdf.control-char", *place(text, "\u0085"))
    assert re.search(r"Next ?U\+0085 ?line", text_of(tmp_path / "out" / "nel.pdf"))


def test_cli_exits_1_with_the_reasons_and_publishes(mixed, tmp_path):
    r = subprocess.run([sys.executable, "-m", "toolkit.cli", "build", "pdf",
                        *(str(p) for p in mixed["paths"]), "--out", str(tmp_path / "o")],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "built with errors 7 files" in r.stdout
    line, col = place(mixed["files"]["c1"], "\u0093quoted")
    assert f"c1.xml:{line}:{col}: error: a control character (U+0093) in the text" in r.stderr
    assert "[pdf.control-char]" in r.stderr and "[pdf.glyph]" in r.stderr
    assert len(list((tmp_path / "o").glob("*.pdf"))) == 7


def test_glyph_missed_by_the_probe_is_caught_when_typesetting(tmp_path, monkeypatch):
    """A character the probe let through (a glyph lost only in context) still becomes a
    placeholder: the compile's own PDF/A error names it and the compile runs again."""
    monkeypatch.setattr(pdfmod.Typesetter, "uncovered", lambda self, chars: set())
    text = tei("late", "<p>Late \U00010570 glyph.</p>")
    result, diags = build_adhoc([write(tmp_path, "late.xml", text)], tmp_path / "out")
    assert [(d.rule, d.line, d.column) for d in diags] == [("pdf.glyph", *place(text, "\U00010570"))]
    assert re.search(r"Late U\+10570 ?glyph", text_of(tmp_path / "out" / "late.pdf"))
    assert (tmp_path / "out" / "edition.pdf").exists()


def test_a_missing_cluster_never_blames_its_ascii_base():
    """Typst names the whole cluster it has no glyph for ("a" + a combining mark): the base
    letter, which every font has, must not become a placeholder everywhere."""
    job = pdfmod.PdfBuild.__new__(pdfmod.PdfBuild)
    job.bad = {}
    job.setter = type("Setter", (), {"uncovered": lambda self, chars: set()})()
    assert job._missed(("a\u0301",)) == {"\u0301"}
    job.setter = type("Setter", (), {"uncovered": lambda self, chars: {c for c in chars if c == "\u0710"}})()
    assert job._missed(("\u0710\u0301", "x")) == {"\u0710"}


def test_characters_of_authority_files_are_reported_there(tmp_path):
    persons = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><body><listPerson>
  <person xml:id="p1"><persName type="preferred">Ivan\u0090Petrov</persName></person>
</listPerson></body></text></TEI>
"""
    doc = tei("withname", '<p>A letter to <persName ref="persons.xml#p1">Petrov</persName>.</p>')
    edition_with(tmp_path, "", {"withname.xml": doc})
    write(tmp_path / "tei", "persons.xml", persons)
    text = (tmp_path / "edition.toml").read_text().replace('sources = ["tei/*.xml"]',
                                                          'sources = ["tei/*.xml"]\nauthority = ["tei/persons.xml"]')
    (tmp_path / "edition.toml").write_text(text)
    result, diags = build_adhoc([], tmp_path / "out", config=load_config(tmp_path / "edition.toml"))
    [d] = diags
    assert (Path(d.path).name, d.line, d.column, d.rule) == ("persons.xml", *place(persons, "\u0090"),
                                                           "pdf.control-char")
    assert re.search(r"Ivan ?U\+0090 ?Petrov", text_of(tmp_path / "out" / "edition.pdf"))  # the index
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["edition.pdf", "withname.pdf"]


# -- documents the stylesheet or Typst fails on ---------------------------------------------------

def test_typst_failure_gives_a_plain_text_pdf(mixed):
    [d] = by_file(mixed["diags"], "deephi.xml")
    assert d.rule == "pdf.typeset" and d.is_error
    assert "maximum show rule depth exceeded" in d.message
    assert "deephi.pdf and the volume show its text without markup" in d.hint
    text = text_of(mixed["out"] / "deephi.pdf")
    assert "Shown as plain text: Typst could not typeset this document." in text
    assert "DEEP-TEXT after the hi." in text
    assert "DEEP-TEXT after the hi." in text_of(mixed["out"] / "edition.pdf")
    assert any("plain-text deephi.pdf" in m for m in mixed["result"].messages)


def test_stylesheet_failure_gives_a_plain_text_pdf(mixed):
    [d] = by_file(mixed["diags"], "deepxml.xml")
    assert d.rule == "pdf.transform" and "an error made by the test" in d.message
    pdf_text = text_of(mixed["out"] / "deepxml.pdf")
    assert "Shown as plain text: the PDF stylesheet failed on this document." in pdf_text
    assert "Shallow first." in pdf_text and "VERY-DEEP" in pdf_text


def test_volume_failure_leaves_that_document_out(tmp_path, monkeypatch):
    """A document that typesets alone but not in the volume: the volume is made without it."""
    paths = [write(tmp_path / "src", f"{k}.xml", tei(k, f"<p>Text of {k}.</p>")) for k in ("aa", "bbb")]
    real = pdfmod.Typesetter.compile
    calls = []

    def compile(self, source, parts):
        if len(parts) > 1 and not calls:  # the first volume compile: blame document 2 (bbb)
            calls.append(1)
            raise pdfmod.TypesetError(parts[2].display, 7, "simulated failure", 2)
        return real(self, source, parts)
    monkeypatch.setattr(pdfmod.Typesetter, "compile", compile)
    result, diags = build_adhoc(paths, tmp_path / "out")
    [d] = diags
    assert (Path(d.path).name, d.line, d.rule) == ("bbb.xml", 7, "pdf.typeset")
    assert "left out of the volume" in d.hint
    volume = text_of(tmp_path / "out" / "edition.pdf")
    assert "Text of aa." in volume and "Text of bbb." not in volume
    assert "Text of bbb." in text_of(tmp_path / "out" / "bbb.pdf")


def test_broken_house_style_stops_the_build(tmp_path, monkeypatch):
    style = tmp_path / "style"
    style.mkdir()
    good = (pdfmod.TEMPLATE).read_text(encoding="utf-8")
    (style / "edition.typ").write_text(good.replace("#let ed-p(body) = par(body)",
                                                    "#let ed-p(body) = par(body"), encoding="utf-8")
    monkeypatch.setattr(pdfmod, "PDF_DIR", style)
    monkeypatch.setattr(pdfmod, "TEMPLATE", style / "edition.typ")
    src = write(tmp_path / "src", "plain.xml", tei("plain", "<p>ASCII only.</p>"))
    with pytest.raises(BuildError) as e:
        build_adhoc([src], tmp_path / "out")
    assert "house style" in str(e.value) and "edition.typ" in str(e.value)
    assert not (tmp_path / "out").exists()


# -- strict -----------------------------------------------------------------------------------------

def test_strict_turns_degradations_into_a_failure(mixed, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.pdf").write_bytes(b"%PDF- previous build")
    write_manifest(out, {"previous.pdf": ""})  # a previous build's output
    diags = []
    edition = load_for_build(Config(root=REPO), mixed["paths"], [])
    with pytest.raises(BuildError) as e:
        build_pdf(edition, out, strict=True, report=diags.extend)
    assert "--strict" in str(e.value) and "nothing written" in str(e.value)
    assert sorted(p.name for p in out.iterdir()) == [".edition-build.json", "previous.pdf"]
    assert {d.rule for d in diags} >= {"pdf.control-char", "pdf.noncharacter", "pdf.glyph"}


def test_strict_fails_on_a_typesetting_failure_too(tmp_path):
    src = write(tmp_path / "src", "deephi.xml", tei("deephi", DEEP_HI))
    with pytest.raises(BuildError):
        build_adhoc([src], tmp_path / "out", strict=True)
    assert not (tmp_path / "out").exists()


def test_strict_builds_a_clean_edition(tmp_path):
    src = write(tmp_path / "src", "good.xml", tei("good", GOOD))
    result, diags = build_adhoc([src], tmp_path / "out", strict=True)
    assert diags == [] and result.written == 2 and not result.has_errors


# -- size -------------------------------------------------------------------------------------------

# The child's own peak: VmHWM of its memory map (ru_maxrss would include the RSS of the pytest
# process it was forked from, which Linux keeps across exec).
PEAK_MB = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) // 1024"

HUGE_SCRIPT = """
import sys, time
from pathlib import Path
from toolkit.outputs.pdf import build_pdf
from toolkit.outputs.runner import load_for_build
from toolkit.config import Config
t = time.perf_counter()
ed = load_for_build(Config(root=Path.cwd()), [Path(p) for p in sys.argv[2:]], [])
# a bound below the document (the default, 20,000 pages, typesets it in parts: minutes)
ed.config.options("pdf").max_document_pages = 1000
diags = []
r = build_pdf(ed, Path(sys.argv[1]), report=diags.extend)
print(round(time.perf_counter() - t, 2), %s,
      r.written, "|".join(f"{d.path}:{d.line}:{d.rule}" for d in diags))
""" % PEAK_MB


def test_a_9m_character_paragraph_does_not_stop_the_others(tmp_path):
    words = ("The committee considered the report of the commission at length and resolved "
             "that the matter be referred back. ")
    huge = tei("huge", "<p>" + words * (9_000_000 // len(words)) + "</p>")
    src = tmp_path / "src"
    paths = [write(src, "huge.xml", huge), write(src, "good.xml", tei("good", GOOD))]
    out = tmp_path / "out"
    out.mkdir()
    (out / "huge.pdf").write_bytes(b"%PDF- the previous build's huge.pdf")
    write_manifest(out, {"huge.pdf": ""})  # a previous build's output
    r = subprocess.run([sys.executable, "-c", HUGE_SCRIPT, str(out), *map(str, paths)], cwd=REPO,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    seconds, peak_mb, written, diags = r.stdout.split(" ", 3)
    assert diags.strip().endswith("huge.xml:0:pdf.too-large") and "|" not in diags
    assert written == "2"   # good.pdf and the volume
    assert float(seconds) < 60 and int(peak_mb) < 800, (seconds, peak_mb)
    assert "The good document is printed in full." in text_of(out / "edition.pdf")
    # not typeset, and the previous build's file is not lost
    assert (out / "huge.pdf").read_bytes() == b"%PDF- the previous build's huge.pdf"


def edition_with(tmp_path: Path, pdf_settings: str, docs: dict[str, str]) -> Config:
    (tmp_path / "tei").mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        write(tmp_path / "tei", name, text)
    (tmp_path / "edition.toml").write_text(
        f'[edition]\ntitle = "Test edition"\nsources = ["tei/*.xml"]\n\n[pdf]\n{pdf_settings}\n',
        encoding="utf-8")
    return load_config(tmp_path / "edition.toml")


def test_max_document_pages_leaves_a_long_document_out(tmp_path):
    long = tei("long", "\n".join(f"<p>Paragraph {i} " + "of a rather long document. " * 20 + "</p>"
                                 for i in range(100)))
    cfg = edition_with(tmp_path, "max_document_pages = 8", {"long.xml": long,
                                                          "short.xml": tei("short", GOOD)})
    result, diags = build_adhoc([], tmp_path / "out", config=cfg)
    [d] = diags
    assert (Path(d.path).name, d.rule) == ("long.xml", "pdf.too-large")
    assert "more than the limit of 8 pages per document" in d.message
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["edition.pdf", "short.pdf"]


def test_a_bad_page_limit_is_a_clear_error(tmp_path):
    from toolkit.config import ConfigError
    with pytest.raises(ConfigError) as e:  # (edition.toml's values are checked when it is read)
        edition_with(tmp_path, 'max_document_pages = "many"', {"short.xml": tei("short", GOOD)})
    assert "[pdf] max_document_pages must be a whole number above 0 (it is 'many')" in str(e.value)
