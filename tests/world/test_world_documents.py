"""Other editors' TEI, whole (issue #12, items 2, 3 and 4-roots): volumes that pull their issues
in with xi:include, teiCorpus files (nested too) and files whose root is not TEI each give their
documents pages and PDFs; includes stay inside the edition."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from lxml import html as lhtml

from conftest import run_cli, shared_path

HEADER = ('<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
          '<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>'
          '</teiHeader>')
XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
 <start><ref name="TEI"/></start>
 <define name="attrs"><zeroOrMore><attribute><anyName/></attribute></zeroOrMore></define>
 <define name="any"><element><anyName/><ref name="attrs"/><zeroOrMore><choice><text/><ref name="any"/></choice></zeroOrMore></element></define>
 <define name="TEI"><element name="TEI"><ref name="attrs"/><element name="teiHeader"><ref name="attrs"/><zeroOrMore><ref name="any"/></zeroOrMore></element><ref name="text"/></element></define>
 <define name="text"><element name="text"><ref name="attrs"/><choice>
   <element name="body"><ref name="attrs"/><zeroOrMore><ref name="p"/></zeroOrMore></element>
   <element name="group"><ref name="attrs"/><zeroOrMore><choice><ref name="text"/><ref name="p"/></choice></zeroOrMore></element>
 </choice></element></define>
 <define name="p"><element name="p"><ref name="attrs"/><text/></element></define>
</grammar>
"""


def tei(title: str, body: str, ident: str = "", extra: str = "", model: str = "") -> str:
    i = f' xml:id="{ident}"' if ident else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{model}'
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" {extra}{i}>\n'
            f'{HEADER.format(title=title)}\n{body}\n</TEI>\n')


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edition_folder(tmp_path: Path) -> Path:
    ed = tmp_path / "ed"
    write(ed / "edition.toml", '[edition]\ntitle = "World"\nsources = ["tei/**/*.xml"]\n'
                               'references = "off"\n[schemas]\nfetch = "never"\n')
    return ed


def page_text(path: Path) -> str:
    return " ".join(lhtml.parse(str(path)).getroot().text_content().split())


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def diagnostics(res) -> list[dict]:
    return json.loads(res.stdout)["diagnostics"]


# -- XInclude ------------------------------------------------------------------------------------

def volume(ed: Path, includes: str, model: str = "") -> Path:
    return write(ed / "tei" / "vol.xml", tei("Volume", f"<text><group>\n{includes}\n</group></text>",
                                             "vol", XI, model))


def issue(ed: Path, name: str, words: str, ident: str) -> Path:
    return write(ed / "tei" / name, tei(f"Issue {ident}", f'<text xml:id="text" xml:lang="ar"><body>\n'
                                                          f'<p>{words}</p>\n</body></text>', ident))


def test_a_volume_builds_with_the_full_text_of_the_issues_it_includes(tmp_path):
    ed = edition_folder(tmp_path)
    issue(ed, "i1.xml", "Alpha issue words", "i1")
    issue(ed, "sub/i2.xml", "Beta issue words", "i2")
    volume(ed, '<xi:include href="i1.xml" xpointer="text"/>\n'
               '<xi:include href="sub/i2.xml" xpointer="element(/1/2)"/>')
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stderr
    res = run_cli("build", "pdf", cwd=ed)
    assert res.returncode == 0, res.stderr
    site = ed / "output" / "html"
    text = page_text(site / "doc" / "vol.html")
    assert "Alpha issue words" in text and "Beta issue words" in text
    # the issues stay documents of their own
    assert "Alpha issue words" in page_text(site / "doc" / "i1.html")
    pdf = pdf_text(ed / "output" / "pdf" / "vol.pdf")
    assert "Alpha issue words" in pdf and "Beta issue words" in pdf


def test_hostile_includes_are_reported_at_their_place_and_never_read(tmp_path):
    ed = edition_folder(tmp_path)
    write(tmp_path / "outside.xml", tei("Outside", "<text><body><p>SECRET-OUTSIDE</p></body></text>"))
    (ed / "links").mkdir(parents=True)
    (ed / "links" / "link.xml").symlink_to(tmp_path / "outside.xml")
    write(ed / "tei" / "loop-a.xml", tei("A", '<text><body><xi:include href="loop-b.xml"/></body></text>',
                                         "la", XI))
    write(ed / "tei" / "loop-b.xml", tei("B", '<text><body><xi:include href="loop-a.xml"/></body></text>',
                                         "lb", XI))
    volume(ed, '<xi:include href="/etc/passwd" parse="text"><xi:fallback><p>FALLBACK-SHOWN</p></xi:fallback></xi:include>\n'
               '<xi:include href="../../outside.xml"/>\n'
               '<xi:include href="../links/link.xml"/>\n'
               '<xi:include href="http://example.org/x.xml"/>\n'
               '<xi:include href="vol.xml"/>\n'
               '<xi:include href="nothing-here.xml"/>\n'
               '<xi:include href="loop-a.xml" xpointer="xpointer(//p)"/>')
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stderr
    text = page_text(ed / "output" / "html" / "doc" / "vol.html")
    assert "FALLBACK-SHOWN" in text
    assert "root:" not in text and "SECRET-OUTSIDE" not in text
    err = res.stdout + res.stderr
    for line, rule in [(5, "xinclude.absolute"), (6, "xinclude.outside"), (7, "xinclude.outside"),
                       (8, "xinclude.remote"), (9, "xinclude.cycle"), (10, "xinclude.missing"),
                       (11, "xinclude.xpointer-unsupported")]:
        assert f"tei/vol.xml:{line}:1: warning:" in err and f"[{rule}]" in err, (line, rule, err)
    # a cycle through two files is stopped, and said where it closes
    assert "tei/loop-b.xml:4:13:" in err and "includes itself" in err


def test_depth_and_size_limits(tmp_path, monkeypatch):
    from toolkit import xinclude
    from toolkit.xmlsafe import parse_file
    ed = tmp_path / "ed"
    for n in range(25):
        write(ed / f"d{n}.xml", f'<p xmlns="http://www.tei-c.org/ns/1.0" {XI}>level {n}'
                                f'<xi:include href="d{n + 1}.xml"/></p>')
    write(ed / "d25.xml", '<p xmlns="http://www.tei-c.org/ns/1.0">bottom</p>')
    src = parse_file(ed / "d0.xml", "d0.xml")
    xinclude.expand(src, [ed])
    rules = [d.rule for d in src.diagnostics]
    assert rules == ["xinclude.depth"]
    assert src.diagnostics[0].path == f"d{xinclude.MAX_DEPTH}.xml"
    assert "level 16" in "".join(src.root.itertext()) and "bottom" not in "".join(src.root.itertext())
    # the included files, together, stay under the size limit
    monkeypatch.setattr(xinclude, "MAX_TOTAL_BYTES", 3000)
    write(ed / "big.xml", '<p xmlns="http://www.tei-c.org/ns/1.0">' + "x" * 2000 + "</p>")
    write(ed / "two.xml", f'<div xmlns="http://www.tei-c.org/ns/1.0" {XI}><xi:include href="big.xml"/>'
                          f'\n<xi:include href="big.xml" parse="text"/></div>')
    src = parse_file(ed / "two.xml", "two.xml")
    xinclude.expand(src, [ed])
    assert [d.rule for d in src.diagnostics] == ["xinclude.unreadable"]
    assert src.diagnostics[0].line == 2 and "too large" in src.diagnostics[0].message


def test_validation_checks_the_expanded_volume_and_points_into_the_included_file(tmp_path):
    ed = edition_folder(tmp_path)
    write(ed / "small.rng", GRAMMAR)
    model = '<?xml-model href="../small.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    write(ed / "tei" / "i1.xml", tei("Issue", '<text xml:id="text"><body>\n<p>fine</p>\n'
                                              '<p>bad <hi>element</hi></p>\n</body></text>', "i1"))
    volume(ed, '<xi:include href="i1.xml" xpointer="text"/>', model)
    res = run_cli("validate", "--format", "json", "tei/vol.xml", cwd=ed)
    found = [(d["path"], d["line"], d["rule"]) for d in diagnostics(res)]
    # the error is inside the included part: named in the issue's file at its own line
    assert ("tei/i1.xml", 6, "rng") in found, found
    assert not any(p == "tei/vol.xml" and rule == "rng" for p, _, rule in found)
    assert res.returncode == 1


def test_a_changed_issue_rebuilds_the_volume_that_includes_it(tmp_path):
    ed = edition_folder(tmp_path)
    issue(ed, "i1.xml", "First wording", "i1")
    volume(ed, '<xi:include href="i1.xml" xpointer="text"/>')
    assert run_cli("build", "html", "--no-search", cwd=ed).returncode == 0
    page = ed / "output" / "html" / "doc" / "vol.html"
    assert "First wording" in page_text(page)
    issue(ed, "i1.xml", "Second wording", "i1")
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stderr
    incremental = page.read_bytes()
    assert "Second wording" in page_text(page)
    assert run_cli("build", "html", "--no-search", "--full", cwd=ed).returncode == 0
    assert page.read_bytes() == incremental


def test_staged_check_of_an_included_file_rechecks_the_volume(tmp_path):
    from toolkit.model import canon
    from toolkit.validate.dependents import FileChange, dependents
    ed = edition_folder(tmp_path)
    i1 = issue(ed, "i1.xml", "words", "i1")
    vol = volume(ed, '<xi:include href="i1.xml" xpointer="text"/>')
    other = issue(ed, "i2.xml", "other", "i2")
    changes = {canon(i1): FileChange(canon(i1))}
    assert dependents([vol, other], changes) == [vol]


def test_an_adhoc_build_includes_only_inside_the_folder_given(tmp_path):
    ed = edition_folder(tmp_path)
    issue(ed, "shared/i1.xml", "Shared words", "i1")
    write(ed / "tei" / "vols" / "vol.xml", tei("Volume", '<text><group><xi:include href="../shared/i1.xml" '
                                                         'xpointer="text"/></group></text>', "vol", XI))
    out = tmp_path / "site"
    res = run_cli("build", "html", "--no-search", "--out", str(out / "html"), str(ed / "tei" / "vols"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Shared words" not in page_text(out / "html" / "doc" / "vol.html")
    assert "xinclude.outside" in res.stdout + res.stderr
    res = run_cli("build", "html", "--no-search", "--out", str(out / "html"), str(ed / "tei"), cwd=tmp_path)
    assert "Shared words" in page_text(out / "html" / "doc" / "vol.html")


def test_the_arabic_periodical_volume_builds_with_its_issues(tmp_path):
    corpus = shared_path("corpora", "world", "arabic-periodical")
    ed = tmp_path / "ap"
    shutil.copytree(corpus / "tei", ed / "tei")
    vol = next((ed / "tei").glob("*-v_2.TEIP5.xml"))
    res = run_cli("build", "html", "--no-search", "--out", str(tmp_path / "out" / "html"), str(ed / "tei"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    pages = {p.name: p for p in (tmp_path / "out" / "html" / "doc").glob("*.html")}
    vol_page = next(p for n, p in pages.items() if n.startswith("TEI_1"))
    issue_page = next(p for n, p in pages.items() if "i_13" in n or n.startswith("TEI_") and p != vol_page)
    assert len(page_text(vol_page)) > 10 * len(page_text(issue_page)) // 2
    out = res.stdout + res.stderr
    assert "master_teiHeader" in out and "xinclude.missing" in out
    assert vol.exists()


# -- teiCorpus -------------------------------------------------------------------------------------

def member(title: str, words: str, ident: str = "") -> str:
    i = f' xml:id="{ident}"' if ident else ""
    return f'<TEI{i}>{HEADER.format(title=title)}<text><body><p>{words}</p></body></text></TEI>\n'


def corpus_edition(tmp_path: Path, second_id: str = "") -> Path:
    ed = edition_folder(tmp_path)
    write(ed / "edition.toml", '[edition]\ntitle = "World"\nsources = ["tei/*.xml"]\n'
                               'authority = ["tei/persons.xml"]\n[schemas]\nfetch = "never"\n')
    write(ed / "tei" / "persons.xml", tei("Persons", '<text><body><listPerson><person xml:id="anna">'
                                                     '<persName>Anna</persName></person></listPerson>'
                                                     '</body></text>', "persons"))
    write(ed / "tei" / "corpus.xml",
          '<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">\n'
          + HEADER.format(title="Outer Corpus") + "\n"
          + member("Member one", "First member words", "m1")
          + member("Member two", "Second member words", second_id)
          + "<teiCorpus>" + HEADER.format(title="Inner Corpus") + "\n"
          + member("Member three", 'Third <persName ref="persons.xml#anna">Anna</persName> words', "m3")
          + "</teiCorpus>\n</teiCorpus>\n")
    return ed


def test_each_tei_of_a_nested_corpus_is_a_document_with_its_collection(tmp_path):
    ed = corpus_edition(tmp_path)
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    site = ed / "output" / "html"
    pages = sorted(p.name for p in (site / "doc").glob("*.html"))
    assert pages == ["corpus-2.html", "m1.html", "m3.html"]  # the one without id: file + position
    assert sorted(p.name for p in (site / "tei").glob("*.xml")) == ["corpus-2.xml", "m1.xml", "m3.xml"]
    m3 = page_text(site / "doc" / "m3.html")
    assert "Third Anna words" in m3 and "First member words" not in m3
    collection = lhtml.parse(str(site / "doc" / "m3.html")).getroot().find_class("collection-path")
    assert [c.text_content() for c in collection] == ["Outer Corpus › Inner Corpus"]
    assert "Outer Corpus" in page_text(site / "doc" / "m1.html")
    assert "Inner Corpus" not in page_text(site / "doc" / "m1.html")
    # the entity page lists the member that names her, and only it
    anna = lhtml.parse(str(site / "entity" / "anna.html")).getroot()
    links = {a.get("href").split("#")[0] for a in anna.iter("a") if "doc/" in (a.get("href") or "")}
    assert links == {"../doc/m3.html"}
    # the TEI copy of a member is that member alone, a TEI document
    from lxml import etree
    copy = etree.parse(str(site / "tei" / "m3.xml")).getroot()
    assert copy.tag == "{http://www.tei-c.org/ns/1.0}TEI" and "Third" in "".join(copy.itertext())
    res = run_cli("build", "pdf", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    pdfs = sorted(p.name for p in (ed / "output" / "pdf").glob("*.pdf"))
    assert pdfs == ["corpus-2.pdf", "edition.pdf", "m1.pdf", "m3.pdf"]
    text = pdf_text(ed / "output" / "pdf" / "m3.pdf")
    assert "Collection: Outer Corpus › Inner Corpus" in text and "Third Anna words" in text
    volume_text = pdf_text(ed / "output" / "pdf" / "edition.pdf")
    assert all(w in volume_text for w in ("First member words", "Second member words", "Third Anna words"))


def test_corpus_members_sharing_an_id_each_get_a_page(tmp_path):
    ed = corpus_edition(tmp_path, second_id="m1")
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    assert len(list((ed / "output" / "html" / "doc").glob("*.html"))) == 3
    assert "build.duplicate-id" in res.stdout + res.stderr


def test_a_problem_in_a_corpus_member_is_reported_in_the_corpus_file_at_its_line(tmp_path):
    from toolkit.config import Config
    from toolkit.model import Edition
    ed = corpus_edition(tmp_path)
    edition = Edition.load(Config(root=ed, sources=["tei/*.xml"], authority=["tei/persons.xml"]))
    m3 = next(d for d in edition.documents if d.id == "m3")
    src = edition.files[m3.file.parent / m3.file.name]
    from toolkit.diagnostics import Diagnostic
    name = next(src.root.iter("{http://www.tei-c.org/ns/1.0}persName"))
    d = Diagnostic(src.display, *src.position(name), "warning", "x", "r")
    lines = (ed / "tei" / "corpus.xml").read_text().splitlines()
    assert d.path == "tei/corpus.xml" and 'ref="persons.xml#anna"' in lines[d.line - 1]
    assert [c[0] for c in m3.collection] == ["Outer Corpus", "Inner Corpus"]


# -- other roots ---------------------------------------------------------------------------------

def test_documentary_roots_are_documents_and_unknown_roots_are_named(tmp_path):
    ed = edition_folder(tmp_path)
    ns = 'xmlns="http://www.tei-c.org/ns/1.0"'
    write(ed / "tei" / "page.xml", f'<surface {ns} n="f. 12r"><zone><line>Line on the page</line></zone></surface>')
    write(ed / "tei" / "quire.xml", f'<surfaceGrp {ns}><surface><zone><line>Grouped line</line></zone>'
                                    f'</surface></surfaceGrp>')
    write(ed / "tei" / "trans.xml", f'<sourceDoc {ns} xml:id="trans"><surface><label>Folio one</label><zone>'
                                    f'<line>Transcribed line</line></zone></surface></sourceDoc>')
    write(ed / "tei" / "other.xml", '<?xml version="1.0"?>\n<foo><bar>x</bar></foo>')
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    doc = ed / "output" / "html" / "doc"
    assert sorted(p.name for p in doc.glob("*.html")) == ["page.html", "quire.html", "trans.html"]
    heading = lambda p: lhtml.parse(str(p)).getroot().find(".//h1").text_content().strip()  # noqa: E731
    assert heading(doc / "page.html") == "f. 12r"     # its @n
    assert heading(doc / "quire.html") == "quire"     # the file's name
    assert "Line on the page" in page_text(doc / "page.html")
    out = res.stdout + res.stderr
    assert "tei/other.xml:2:1: warning: the root element <foo> is not a document" in out
    res = run_cli("build", "pdf", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Line on the page" in pdf_text(ed / "output" / "pdf" / "page.pdf")


# -- items 1 and 9: every document, one name everywhere -------------------------------------------

def test_shared_ids_and_unicode_names_are_one_name_across_html_pdf_and_tei(tmp_path):
    ed = edition_folder(tmp_path)
    write(ed / "tei" / "a.xml", tei("A", "<text><body><p>a words</p></body></text>", "R1"))
    write(ed / "tei" / "b.xml", tei("B", "<text><body><p>b words</p></body></text>", "R1"))
    write(ed / "tei" / "nihon.xml", tei("日本書紀", "<text><body><p>c words</p></body></text>", "日本書紀"))
    write(ed / "tei" / "日本.xml", tei("日本", "<text><body><p>d words</p></body></text>"))
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "build.duplicate-id" in res.stdout + res.stderr and "tei/a.xml" in res.stdout + res.stderr
    assert run_cli("build", "pdf", cwd=ed).returncode == 0
    site = ed / "output" / "html"
    pages = {p.stem for p in (site / "doc").glob("*.html")}
    copies = {p.stem for p in (site / "tei").glob("*.xml")}
    pdfs = {p.stem for p in (ed / "output" / "pdf").glob("*.pdf")} - {"edition"}
    assert pages == copies == pdfs == {"a", "b", "日本書紀", "日本"}


def test_staged_change_to_an_included_file_revalidates_the_volume_in_git(tmp_path):
    from staged_support import found, git, init_repo, staged
    ed = edition_folder(tmp_path)
    write(ed / "small.rng", GRAMMAR)
    model = '<?xml-model href="../small.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    write(ed / "tei" / "i1.xml", tei("Issue", '<text xml:id="text"><body>\n<p>fine</p>\n</body></text>', "i1"))
    volume(ed, '<xi:include href="i1.xml" xpointer="text"/>', model)
    for n in range(3):
        issue(ed, f"other{n}.xml", "unrelated", f"o{n}")
    init_repo(ed)
    code, data, err = staged(ed)
    write(ed / "tei" / "i1.xml", tei("Issue", '<text xml:id="text"><body>\n<p>now <hi>bad</hi></p>\n'
                                              '</body></text>', "i1"))
    git(ed, "add", "tei/i1.xml")
    code, data, err = staged(ed)
    # i1.xml names no schema: the error comes from checking the volume that includes it
    assert ("tei/i1.xml", 5, "rng") in found(data), data
    assert code == 1


def test_staged_change_two_includes_deep_revalidates_the_volume(tmp_path):
    """vol.xml includes parts/one.xml, which includes parts/two.xml: staging a change of two.xml
    re-checks the volume (only direct includes were followed); a file elsewhere in the
    repository that includes two.xml too is no part of the edition and not checked."""
    from staged_support import found, git, init_repo, staged
    top = tmp_path / "repo"
    ed = top / "ed"
    write(ed / "edition.toml", '[edition]\ntitle = "World"\nsources = ["tei/vol.xml"]\n'
                               'references = "off"\n[schemas]\nfetch = "never"\n')
    write(ed / "small.rng", GRAMMAR)
    model = '<?xml-model href="../small.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    ns = 'xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"'
    write(ed / "tei" / "parts" / "two.xml", '<p xmlns="http://www.tei-c.org/ns/1.0">fine</p>\n')
    write(ed / "tei" / "parts" / "one.xml", f'<text {ns}><body>\n<xi:include href="two.xml"/>\n</body></text>\n')
    volume(ed, '<xi:include href="parts/one.xml"/>', model)
    write(top / "elsewhere" / "x.xml", '<r xmlns:xi="http://www.w3.org/2001/XInclude">'
                                       '<xi:include href="../ed/tei/parts/two.xml"/></r>\n')
    init_repo(top)
    write(ed / "tei" / "parts" / "two.xml", '<p xmlns="http://www.tei-c.org/ns/1.0">now <hi>bad</hi></p>\n')
    git(top, "add", "ed/tei/parts/two.xml")
    code, data, err = staged(ed)
    assert ("tei/parts/two.xml", 1, "rng") in found(data), (data, err)
    assert data["files"] == 1 and code == 1


def test_a_broken_corpus_file_keeps_its_members_pages(tmp_path):
    ed = corpus_edition(tmp_path)
    assert run_cli("build", "html", "--no-search", cwd=ed).returncode == 0
    doc = ed / "output" / "html" / "doc"
    before = {p.name: p.read_bytes() for p in doc.glob("*.html")}
    corpus = ed / "tei" / "corpus.xml"
    corpus.write_text(corpus.read_text().replace("</teiCorpus>\n</teiCorpus>", "</teiCorpus>"))
    res = run_cli("build", "html", "--no-search", cwd=ed)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "last good version stays published" in res.stdout + res.stderr
    assert {p.name: p.read_bytes() for p in doc.glob("*.html")} == before
