"""Entity pages' passages (toolkit/outputs/html/passages.py: passage_of, snippet), a document the stylesheet
cannot render, and authority files that give no entity."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

from conftest import REPO, run_cli, shared_path
from toolkit.outputs.html import pool, stylesheets
from toolkit.outputs.html import cite_ids, passage_of, passage_text, snippet
from toolkit.outputs.runner import build
from toolkit.config import load_config
from toolkit.model import text_of
from toolkit.xmlsafe import TEI_NS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "model_facts"
T = "{%s}" % TEI_NS
DOCS = [FIXTURES / n for n in ("letter.xml", "frus.xml", "dateline.xml")]
AUTHORITY = [FIXTURES / "persons.xml"]


def adhoc(out: Path, paths=DOCS, authority=AUTHORITY, report=None):
    cfg = load_config(REPO / "edition.toml")
    diags = []
    [r] = build(cfg, ["html"], paths=list(paths), out=out, authority=list(authority),
                search_index=False, report=report or diags.extend)
    return r, diags


def passages(site: Path, eid: str) -> list[tuple[str, str, str]]:
    """(href, label, snippet) of every passage listed on an entity page."""
    page = lhtml.parse(str(site / "entity" / f"{eid}.html")).getroot()
    out = []
    for li in page.xpath("//ul[@class='passages']/li"):
        a = li.find("a")
        q = li.find("q")
        out.append((a.get("href"), a.text_content().strip(),
                    re.sub(r"\s+", " ", q.text_content()).strip() if q is not None else ""))
    return out


def unresolved_passage_links(site: Path) -> list[str]:
    """Passage links whose #fragment is no id of the document page: the ids passages.py computes
    must be those xslt/html/text/ids.xsl gives the page."""
    ids: dict[Path, set] = {}
    bad = []
    for f in sorted(site.glob("entity/*.html")):
        for a in lhtml.parse(str(f)).getroot().xpath("//a[@class='passage-link']"):
            page, _, frag = a.get("href").partition("#")
            target = (f.parent / page).resolve()
            if target not in ids:
                ids[target] = set(lhtml.parse(str(target)).getroot().xpath("//@id"))
            if frag not in ids[target]:
                bad.append(f"{f.name}: {a.get('href')}")
    return bad


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("passages") / "site"
    r, diags = adhoc(out)
    assert r.ok and not diags, diags
    return out


# -- snippets -----------------------------------------------------------------------------------
def test_mention_in_a_note_has_the_notes_text(site):
    assert ("../doc/letter-1.html#note-1", "Note 1", "Her brother Ben lived in Graz.") in passages(site, "ben")


def test_words_apart_at_space_and_line_breaks(site):
    snip = {h: s for h, _, s in passages(site, "vienna")}["../doc/letter-1.html#p-1"]
    assert snip == "Hier sind wir in Wien, und morgen fahren wir weiter."


def test_register_entry_in_back_is_not_a_passage(site):
    """A letter's back-matter register (listPlace …) lists the places it names; an entry there
    is not a passage that mentions the place (nor is it linked as "Text", #main)."""
    items = passages(site, "vienna")
    assert items, "the place is mentioned elsewhere"
    assert not [x for x in items if x[0].endswith("#vienna-entry") or x[0].endswith("#main")], items


def test_header_mentions_get_the_nearest_meaningful_element(site):
    anna = passages(site, "anna")
    # in the title: the title, not the whole titleStmt (its respStmt)
    assert ("../doc/frus-1.html#title", "Title", "Memorandum From Anna Adler to Ben Berg, March 1957") in anna
    # in correspDesc: the sending action's fields, apart
    assert ("../doc/letter-1.html#doc-info", "Document information", "Anna Wien 20. 7. 1894") in anna
    # in a long header paragraph: that paragraph, cut to the snippet width around the name
    [(_, label, snip)] = [x for x in passages(site, "vienna") if x[0] == "../doc/frus-1.html#doc-info"]
    assert label == "Document information" and "filed by the office in Vienna" in snip
    assert len(snip) <= 220 + 4 and snip.endswith("…")
    assert "Boilerplate" not in snip and "Transcriber" not in snip and "1957" not in snip


def test_passage_links_land_on_ids_of_the_page(site):
    assert not unresolved_passage_links(site)


def test_passage_of_and_snippet_units():
    root = etree.parse(str(FIXTURES / "letter.xml")).getroot()
    ids = cite_ids(root)
    names = {(el.getparent().tag.split("}")[1], el.get("ref")): el
             for el in root.iter(T + "persName", T + "placeName")}
    pid, el = passage_of(names[("note", "persons.xml#ben")], ids)
    assert pid == "note-1" and passage_text(el) == "Her brother Ben lived in Graz."
    pid, el = passage_of(names[("place", "persons.xml#vienna")], ids)
    assert pid == "vienna-entry"
    pid, el = passage_of(names[("correspAction", "persons.xml#ben")], ids)
    assert pid == "doc-info" and passage_text(el) == "Ben 23. 7. 1894"
    long = "word " * 100 + "Vienna " + "word " * 100
    cut = snippet(long, etree.fromstring("<x>Vienna</x>"))
    assert "Vienna" in cut and cut.startswith("… ") and cut.endswith(" …") and len(cut) <= 224
    assert text_of(None) == ""


def test_letters_passages_resolve_and_have_snippets(tmp_path):
    letters = shared_path("corpora", "letters")
    idx = letters / "indices"
    out = tmp_path / "site"
    r, diags = adhoc(out, [letters / "editions"],
                     [idx / "listperson.xml", idx / "listplace.xml", idx / "listorg.xml"])
    assert r.ok and not diags, diags
    assert not unresolved_passage_links(out)
    empty, main, whole_header = [], [], []
    for f in sorted(out.glob("entity/*.html")):
        for href, _label, snip in passages(out, f.stem):
            if not snip:
                empty.append((f.name, href))
            if href.endswith("#main"):
                main.append((f.name, href))
            if len(snip) > 224:
                whole_header.append((f.name, href))
    assert not empty and not main and not whole_header, (empty[:5], main[:5], whole_header[:5])
    # the listing shows the letters' own titles, not their bare dates
    listing = lhtml.parse(str(out / "documents.html")).getroot()
    titles = [re.sub(r"\s+", " ", a.text_content()) for a in listing.xpath("//main//li//a")]
    assert not [t for t in titles if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.strip())]


# -- a document the stylesheet cannot render -----------------------------------------------------
FAILING_XSL = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:import href="{href}"/>
  <xsl:template match="/">
    <xsl:if test="/tei:TEI/@xml:id = 'broken'">
      <xsl:sequence select="error(QName('urn:x-test', 'test:BOOM'), 'this document breaks the stylesheet')"/>
    </xsl:if>
    <xsl:apply-imports/>
  </xsl:template>
</xsl:stylesheet>
"""


def failing_stylesheet(folder: Path) -> Path:
    p = folder / "failing-document.xsl"
    p.write_text(FAILING_XSL.format(href=stylesheets.DOCUMENT_XSL.resolve().as_uri()), encoding="utf-8")
    return p


def check_plain_page(out: Path):
    page = lhtml.parse(str(out / "doc" / "broken.html")).getroot()
    text = re.sub(r"\s+", " ", page.text_content())
    assert "The document that breaks the stylesheet" in text
    assert "Its first paragraph names Anna." in text and "with a note about Ben" in text
    # the other documents are rendered by the stylesheet as usual
    assert lhtml.parse(str(out / "doc" / "letter-1.html")).getroot().xpath("//a[contains(@class, 'entity')]")
    # passages of the plain page are linked from the entity pages, and land
    assert ("../doc/broken.html#p-1", "Paragraph 1", "Its first paragraph names Anna.") in passages(out, "anna")
    assert not unresolved_passage_links(out)


def test_render_failure_gives_a_plain_page_and_a_diagnostic(tmp_path, monkeypatch):
    monkeypatch.setattr(stylesheets, "DOCUMENT_XSL", failing_stylesheet(tmp_path))
    out = tmp_path / "site"
    r, diags = adhoc(out, [*DOCS, FIXTURES / "broken.xml"])
    assert r.ok  # as for a malformed file: reported, the rest of the site made
    [d] = diags
    assert d.path.endswith("broken.xml") and d.severity == "error"
    assert "this document breaks the stylesheet" in d.message
    assert r.diagnostics == [d] and any("broken.xml" in m for m in r.messages)
    check_plain_page(out)
    # the page is not remembered as done: the next build tries it again and says so again
    manifest = json.loads((out / ".edition-build.json").read_text(encoding="utf-8"))
    assert manifest["pages"]["doc/broken.html"] == "render-failed"
    r2, diags2 = adhoc(out, [*DOCS, FIXTURES / "broken.xml"])
    assert [x.message for x in diags2] == [d.message] and r2.written >= 1
    # with the stylesheet fine again, the real page replaces the plain one
    monkeypatch.setattr(stylesheets, "DOCUMENT_XSL", stylesheets.XSLT_HTML / "document.xsl")
    r3, diags3 = adhoc(out, [*DOCS, FIXTURES / "broken.xml"])
    assert not diags3
    page = lhtml.parse(str(out / "doc" / "broken.html")).getroot()
    assert not page.xpath("//*[contains(@class, 'render-failed')]")


CLI_SCRIPT = """
import sys
from pathlib import Path
from toolkit.outputs.html import pool, stylesheets
stylesheets.DOCUMENT_XSL = Path(sys.argv[1])
pool.PARALLEL_MIN_DOCS = 1  # worker processes, forked: they inherit the stylesheet's path
sys.argv = ["edition", *sys.argv[2:]]
from toolkit.cli import run
run()
"""


def test_render_failure_in_workers_from_the_command_line(tmp_path):
    """The worker pool's path, through the real command: the failing file and Saxon's message
    on stderr, the whole site built, and the exit status a skipped malformed file gives."""
    xsl = failing_stylesheet(tmp_path)
    out = tmp_path / "site"
    args = ["build", "html", *map(str, DOCS), str(FIXTURES / "broken.xml"),
            "--authority", str(AUTHORITY[0]), "--out", str(out), "--no-search"]
    r = subprocess.run([sys.executable, "-c", CLI_SCRIPT, str(xsl), *args], cwd=REPO,
                       capture_output=True, text=True, timeout=300)
    assert "Traceback" not in r.stderr, r.stderr
    assert re.search(r"broken\.xml: error: cannot render the page: .*this document breaks the stylesheet", r.stderr), r.stderr
    check_plain_page(out)
    # the exit status of a build that skips a malformed file, whatever the convention is
    bad = tmp_path / "malformed.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>unclosed</body></text></TEI>')
    conv = run_cli("build", "html", *map(str, DOCS), str(bad), "--authority", str(AUTHORITY[0]),
                   "--out", str(tmp_path / "site2"), "--no-search")
    assert "malformed.xml" in conv.stdout + conv.stderr
    assert r.returncode == conv.returncode == 1, (r.returncode, conv.returncode)  # bad input: status 1
    assert "built with errors" in r.stdout and "built with errors" in conv.stdout
    assert (out / "index.html").is_file() and (tmp_path / "site2" / "index.html").is_file()  # published


# -- authority files that give no entity ---------------------------------------------------------
def test_authority_without_lists_is_named_in_a_warning(tmp_path):
    r = run_cli("build", "html", *map(str, DOCS), "--authority", str(AUTHORITY[0]),
                "--authority", str(FIXTURES / "sigla.xml"), "--out", str(tmp_path / "site"), "--no-search")
    assert r.returncode == 0, r.stderr
    [line] = [x for x in r.stderr.splitlines() if "sigla.xml" in x]
    assert "warning" in line and "listPerson" in line
    assert "persons.xml" not in r.stderr  # a real authority file gives no warning


def test_authority_warning_in_the_build_result(tmp_path):
    r, diags = adhoc(tmp_path / "site", authority=[*AUTHORITY, FIXTURES / "sigla.xml"])
    assert [(Path(d.path).name, d.severity, d.rule) for d in diags] == [("sigla.xml", "warning", "build.authority")]
    assert r.diagnostics == diags


def test_letters_siglen_is_named_in_a_warning(tmp_path):
    idx = shared_path("corpora", "letters", "indices")
    editions = shared_path("corpora", "letters", "editions")
    r, diags = adhoc(tmp_path / "site", [editions / "L00357.xml"],
                     [idx / "listperson.xml", idx / "listplace.xml", idx / "siglen.xml"])
    assert r.ok
    assert [Path(d.path).name for d in diags] == ["siglen.xml"]


def test_authority_with_lists_but_no_ids_is_named_too(tmp_path):
    from toolkit.outputs.runner import authority_warnings
    from toolkit.config import Config
    from toolkit.model import Edition
    f = tmp_path / "unnamed.xml"
    f.write_text(f'<TEI xmlns="{TEI_NS}"><text><body><listPerson><person><persName>X</persName>'
                 '</person></listPerson></body></text></TEI>', encoding="utf-8")
    ed = Edition.load(Config(root=tmp_path, title="t", sources=[], authority=[str(f)]))
    [d] = authority_warnings(ed, [f])
    assert d.path == "unnamed.xml" and "xml:id" in d.message
    fine = Edition.load(Config(root=FIXTURES, title="t", sources=[], authority=[str(AUTHORITY[0])]))
    assert authority_warnings(fine, AUTHORITY) == []


def test_a_page_that_cannot_be_written_stops_the_build(tmp_path, monkeypatch):
    """Only Saxon's errors on a document give a plain page; any other failure while making a
    page (here: writing it, as on a full disk) stops the build with the file's name."""
    from toolkit.outputs.runner import BuildError
    real = stylesheets.write_file

    def failing(path, data):
        if Path(path).parent.name == "doc":  # every document page
            raise OSError(28, "No space left on device")
        return real(path, data)
    monkeypatch.setattr(stylesheets, "write_file", failing)
    monkeypatch.setattr(pool, "PARALLEL_MIN_DOCS", 10**6)  # this process
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 10**12)
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("previous output")
    from toolkit.outputs.publish import write_manifest
    write_manifest(out, {"old.html": ""})  # a previous build's output
    with pytest.raises(BuildError, match=r"\.xml: cannot write its page: .*No space left"):
        adhoc(out)
    assert (out / "old.html").read_text() == "previous output"  # the previous output is intact


WRITE_FAILS_SCRIPT = """
import sys
from pathlib import Path
from toolkit.outputs.html import pool, stylesheets
real = stylesheets.write_file
def failing(path, data):
    if Path(path).parent.name == "doc":
        raise OSError(28, "No space left on device")
    return real(path, data)
stylesheets.write_file = failing
pool.PARALLEL_MIN_DOCS = 1  # worker processes, forked: they inherit the failing write
sys.argv = ["edition", *sys.argv[1:]]
from toolkit.cli import run
run()
"""


def test_a_page_that_cannot_be_written_in_a_worker_stops_the_build(tmp_path):
    """The same in the worker processes (forked by a fresh command): not a plain page."""
    out = tmp_path / "site"
    args = ["build", "html", *map(str, DOCS), "--authority", str(AUTHORITY[0]), "--out", str(out), "--no-search"]
    r = subprocess.run([sys.executable, "-c", WRITE_FAILS_SCRIPT, *args], cwd=REPO,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert re.search(r"\.xml: cannot make its page: .*No space left on device", r.stderr), r.stderr
    assert "cannot render the page" not in r.stderr
    assert not out.exists()  # nothing published


def test_authority_file_without_a_list_but_with_entities_gets_no_warning(tmp_path):
    """The model takes person/place/org entries with an xml:id anywhere in an authority file
    (<particDesc><person xml:id>): such a file gives entities, so no warning says it gives none."""
    auth = tmp_path / "partic.xml"
    auth.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>P</title>'
                    '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>'
                    '</fileDesc><profileDesc><particDesc><person xml:id="pp1"><persName>Anna</persName></person>'
                    '</particDesc></profileDesc></teiHeader><text><body><p>x</p></body></text></TEI>', encoding="utf-8")
    r, diags = adhoc(tmp_path / "site", DOCS, [auth])
    assert r.ok and not [d for d in diags if "partic.xml" in d.path], diags
    assert (tmp_path / "site" / "entity").is_dir()


def test_authority_warning_for_a_file_given_through_a_symlink(tmp_path):
    """An ad hoc build knows its files by their resolved paths; a file given through a
    symlinked folder (../shared linked beside a clone) still gets its warning."""
    link = tmp_path / "linked"
    link.symlink_to(FIXTURES, target_is_directory=True)
    r, diags = adhoc(tmp_path / "site", [link / d.name for d in DOCS], [*AUTHORITY, link / "sigla.xml"])
    assert [Path(d.path).name for d in diags] == ["sigla.xml"], diags
