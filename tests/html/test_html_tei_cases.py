"""TEI cases an audit found the HTML pages getting wrong: bad URIs in pointers, elements that
should be empty but are not, links and ARIA references on every page, the view switch and search
for titles and summaries, the text's language, and the document information block.
Small fixtures in tests/fixtures/tei_cases/; the letters corpus from ../shared when present."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, SHARED, shared_path
from conftest import build_site as _build, classes as _classes, html_page as _page, norm_text as _text
from toolkit.config import load_config

CASES = REPO / "tests" / "fixtures" / "tei_cases"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent: the letters corpus is not available")


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("cases") / "site", [CASES / "cases.xml"])


@pytest.fixture(scope="module")
def bad_uri(tmp_path_factory) -> Path:
    """Built on its own: before the fix, this file aborted the whole build (FORG0002)."""
    return _build(tmp_path_factory.mktemp("bad-uri") / "site", [CASES / "bad-uri.xml", CASES / "cases.xml"])


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("bundled") / "site")


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> Path:
    corpus = shared_path("corpora", "letters")
    auth = [corpus / "indices" / n for n in ("listperson.xml", "listplace.xml", "listorg.xml")]
    return _build(tmp_path_factory.mktemp("letters") / "site", [corpus / "editions"], auth)


def _site_problems(site: Path) -> list[tuple]:
    """Relative hrefs that lead to no file, fragments and ARIA ids that name nothing on the page."""
    problems = []
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site)
        if rel.parts[0] == "pagefind":
            continue
        root = _page(p)
        ids = set(root.xpath("//@id"))
        for el in root.xpath("//*[@href]"):
            href = el.get("href")
            u = urlsplit(href)
            if u.scheme or u.netloc:
                continue
            if u.path:
                target = (p.parent / unquote(u.path)).resolve()
                if not target.is_relative_to(site.resolve()):
                    continue  # beside the site: the PDFs ([html] pdf_url, tests/html/test_pdf_links.py)
                if "pagefind" not in target.relative_to(site.resolve()).parts and not target.is_file():
                    problems.append((str(rel), "href", href))
            elif u.fragment and unquote(u.fragment) not in ids:
                problems.append((str(rel), "fragment", href))
        for attr in ("aria-describedby", "aria-labelledby"):
            for el in root.xpath(f"//*[@{attr}]"):
                problems += [(str(rel), attr, i) for i in el.get(attr).split() if i not in ids]
    return problems


# 1 -- a pointer that is no valid URI is text, never an error ---------------------------------
def test_bad_uri_targets_render_as_text(bad_uri):
    doc = _page(bad_uri / "doc" / "bad-uri.html")
    refs = doc.xpath("//*[contains(@class, 'tei-ref') or contains(@class, 'tei-ptr')]")
    by_text = {_text(r): r for r in refs}
    for label in ("braced target", "no-break space", "space", "bad escape", "x{y}.xml#z"):
        assert by_text[label].tag == "span" and by_text[label].get("href") is None, label
    name = doc.xpath("//*[contains(@class, 'tei-persName')]")[0]
    assert name.tag == "span" and _text(name) == "name"


# 2 -- anchor, milestone, caesura with content keep it --------------------------------------------
def test_anchor_milestone_caesura_keep_their_content(cases):
    doc = _page(cases / "doc" / "Case01.html")
    anchor = doc.xpath("//*[@id='LL1-1']")[0]
    assert _text(anchor) == "Postscript words inside an anchor."
    assert doc.xpath("//*[@id='empty-anchor']")[0].text_content() == ""
    text = _text(doc.xpath("//div[@class='text']")[0])
    for words in ("section milestone text", "line milestone text", "caesura text"):
        assert words in text
    assert _text(doc.xpath("//*[@id='ms-1']")[0]) == "section milestone text"


@needs_shared
def test_letters_postscript_anchor_is_not_empty(letters):
    doc = _page(letters / "doc" / "L00358.html")
    [ps] = doc.xpath("//*[@id='LL171-1']")
    assert "schreibt mir heute" in _text(ps) and ps.xpath(".//a[contains(@class, 'entity')]")


# 3 -- every link and ARIA reference on every page leads somewhere --------------------------------
def test_bundled_edition_links_and_aria_references_resolve(bundled):
    assert _site_problems(bundled) == []
    home = _page(bundled / "index.html")
    hrefs = [a.get("href") for a in home.xpath("//a[contains(@class, 'entity')]")]
    assert hrefs and all(h.startswith("entity/") for h in hrefs)
    # an entity link's popover is on the page that has the link
    ids = set(home.xpath("//div[@role='tooltip']/@id"))
    assert {a.get("aria-describedby") for a in home.xpath("//a[@aria-describedby]")} <= ids


@needs_shared
def test_letters_links_and_aria_references_resolve(letters):
    assert _site_problems(letters) == []


def test_fixture_site_links_and_aria_references_resolve(bad_uri):
    assert _site_problems(bad_uri) == []


# 4 -- the view switch for a title or a summary with interventions -------------------------------
@pytest.mark.parametrize("name, where", [("doc-1936-02-07", "h1"), ("doc-1945-07-18", "section[@id='summary']")])
def test_view_switch_for_title_and_summary(bundled, name, where):
    doc = _page(bundled / "doc" / f"{name}.html")
    assert doc.xpath("//div[contains(@class, 'view-switch')]"), name
    part = doc.xpath(f"//{where}")[0]
    dipl = part.xpath(".//*[contains(concat(' ', @class, ' '), ' dipl ')]")
    read = part.xpath(".//*[contains(concat(' ', @class, ' '), ' read ')]")
    assert dipl and read
    # the same markup as in a text: a tei-choice holding one span per reading
    assert all("tei-choice" in _classes(e.getparent()) for e in dipl + read)


def test_view_switch_in_fixture_title(cases):
    doc = _page(cases / "doc" / "Case01.html")
    assert doc.xpath("//div[contains(@class, 'view-switch')]")
    assert {e.text for e in doc.xpath("//h1//*[contains(@class, 'dipl')]")} == {"Devision", "Hotan"}


# 5 -- search: one reading, a plain title, labels apart from values -------------------------------
def _records(site: Path) -> dict[str, dict]:
    out = {}
    for f in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        rec = json.loads(data[len(b"pagefind_dcd"):])
        out[rec["url"]] = rec
    return out


def test_search_index_holds_the_reading_view(bundled):
    recs = _records(bundled)
    assert recs, "no search index"
    doc = _page(bundled / "doc" / "doc-1936-02-07.html")
    page_title = doc.findtext(".//title").split(" · ")[0]
    h1 = doc.xpath("//h1")[0]
    assert h1.get("data-pagefind-meta") == "title[data-title]" and h1.get("data-title") == page_title
    # the as-written forms are kept out of the index
    for el in doc.xpath("//*[contains(concat(' ', @class, ' '), ' dipl ')]"):
        assert el.get("data-pagefind-ignore") is not None
    rec = next(r for u, r in recs.items() if "doc-1936-02-07" in u)
    assert rec["meta"]["title"] == page_title == (
        "Concerning Negotiations with Ma Zhongying of the 36th Division of the National Revolutionary Army")
    assert "DevisionDivision" not in rec["content"] and "Devision" not in rec["content"]
    rec = next(r for u, r in recs.items() if "doc-1945-07-18" in u)
    assert "TarbagataiTacheng" not in rec["content"] and "Tacheng" in rec["content"]
    # entity pages: "Kind Place", not "KindPlace"; every document's labels apart from values
    for url, rec in recs.items():
        assert not re.search(r"Kind(Person|Place|Organisation)|Other names\S|Obtained by\S", rec["content"]), url


# 6 -- the text's language from langUsage --------------------------------------------------------
def test_text_language_falls_back_to_lang_usage(cases):
    doc = _page(cases / "doc" / "Case01.html")
    assert doc.xpath("//div[@class='text']")[0].get("lang") == "de-AT"  # the tag kept whole


@needs_shared
def test_letters_text_language(letters):
    doc = _page(letters / "doc" / "L00358.html")
    assert doc.xpath("//div[@class='text']")[0].get("lang") == "de-AT"


# 7 -- smaller cases ------------------------------------------------------------------------------
def _info(doc) -> dict[str, str]:
    rows = {}
    for row in doc.xpath("//section[@id='doc-info']//div[contains(@class, 'info-row')]"):
        rows.setdefault(_text(row.xpath("dt")[0]), _text(row.xpath("dd")[0]))
    return rows


def test_obtained_and_translated_rows_always_shown(bundled):
    info = _info(_page(bundled / "doc" / "doc-1936-02-07.html"))
    assert info["Obtained by"] == "Not given in the source"
    assert info["Translated by"] == "Not given in the source"
    info = _info(_page(bundled / "doc" / "doc-1937-06-14.html"))
    assert info["Obtained by"] == "Jamil Hasanli" and info["Translated by"] == "Gary Goldberg"
    for label in ("Archival source", "Rights", "Record ID", "Original classification"):
        assert label in info


def test_empty_ref_shows_its_target(cases):
    doc = _page(cases / "doc" / "Case01.html")
    [ext] = doc.xpath("//a[@href='https://example.org/page']")
    assert _text(ext) == "https://example.org/page"
    [local] = doc.xpath("//p[@id='p-2']/a[@href='../doc/Case01.html']")
    assert _text(local) == "cases.xml"
    hostile = [e for e in doc.xpath("//*[contains(@class, 'tei-ref')]") if "javascript" in _text(e)]
    assert hostile and all(e.tag == "span" for e in hostile)
    assert not doc.xpath("//@href[contains(., 'javascript')]")


def test_letterhead_segs_are_lines(cases):
    doc = _page(cases / "doc" / "Case01.html")
    opener = doc.xpath("//*[@id='opener-1']")[0]
    lines = opener.xpath("./*[contains(@class, 'tei-seg')]")
    assert [_text(p) for p in lines] == ["Dr. jur. Paul Goldmann", "Correspondant de la Gazette"]
    assert all(p.tag == "p" for p in lines)
    assert "Goldmann Correspondant" in _text(opener)


@needs_shared
def test_letters_letterhead_and_article_id(letters):
    doc = _page(letters / "doc" / "L02669.html")
    assert doc.xpath("//article/@id") == ["L02669"]
    assert "Goldmann Correspondant" in _text(doc.xpath("//*[contains(@class, 'tei-opener')]")[0])


def test_article_id_keeps_the_xml_id_case(cases):
    assert _page(cases / "doc" / "Case01.html").xpath("//article/@id") == ["Case01"]


def test_back_is_its_own_section(cases):
    doc = _page(cases / "doc" / "Case01.html")
    text = doc.xpath("//section[contains(@class, 'text-section')]")[0]
    assert "Wien" not in _text(text) and not text.xpath(".//*[contains(@class, 'tei-back')]")
    [back] = doc.xpath("//section[contains(@class, 'back-section')]")
    assert _text(back.xpath(".//h2")[0]) == "Back matter" and "Wien" in _text(back)
    # after the text, before the document information
    sections = [s.get("class") for s in doc.xpath("//article/section")]
    assert sections.index("back-section") == sections.index("text-section") + 1


@needs_shared
def test_letters_back_lists_outside_the_text(letters):
    doc = _page(letters / "doc" / "L00358.html")
    text = doc.xpath("//section[contains(@class, 'text-section')]")[0]
    assert not text.xpath(".//*[contains(@class, 'tei-back')]")
    assert doc.xpath("//section[contains(@class, 'back-section')]//*[contains(@class, 'register-listPerson')]")


def test_fixture_pages_are_valid_html(bad_uri):
    from test_html_corpora import vnu_errors
    assert vnu_errors(bad_uri) == []


@pytest.fixture(scope="module")
def inpage(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("inpage") / "site", [CASES / "inpage.xml"])


def test_date_only_title_is_not_the_page_title(inpage):
    """The page's heading and <title> follow the model's title rule (toolkit/model.py,
    title_element): a title that is only a date gives way to the analytic title."""
    page = _page(inpage / "doc" / "InPage01.html")
    assert _text(page.find(".//h1")) == "A letter about Zion"
    assert page.findtext(".//title").startswith("A letter about Zion")
    listing = _page(inpage / "documents.html")
    assert "A letter about Zion" in _text(listing.find(".//main"))


def test_pointer_to_an_element_of_the_same_text_is_an_in_page_link(inpage):
    page = _page(inpage / "doc" / "InPage01.html")
    [link] = page.xpath("//a[contains(concat(' ', @class, ' '), ' entity-in-page ')]")
    assert link.get("href") == "#zion" and _text(link) == "Zion"
    assert "entity-unresolved" not in _classes(link)
    assert page.xpath("//*[@id='zion']"), "the target is on the page"
    lost = page.xpath("//span[contains(concat(' ', @class, ' '), ' entity-unresolved ')]")
    # a pointer to nothing, and pointers to elements the page writes without their id (a date,
    # a name, a running head that is not rendered) stay text: no link to a missing anchor
    assert {(_text(x), x.get("data-ref")) for x in lost} == {
        ("Atlantis", "#nowhere"), ("the date", "#d1"), ("the writer", "#writer"), ("the running head", "#fw1")}
    ids = set(page.xpath("//@id"))
    for a in page.xpath("//a[starts-with(@href, '#')]"):
        assert a.get("href")[1:] in ids, a.get("href")


def test_adhoc_title(tmp_path):
    from toolkit.outputs.runner import adhoc_title
    from toolkit.config import Config
    inside = REPO / "tei"
    edition = load_config(REPO / "edition.toml")
    assert adhoc_title(edition, [inside]) == edition.title
    folder = tmp_path / "letters"
    folder.mkdir()
    assert adhoc_title(edition, [folder]) == "letters"  # another corpus: not the edition's title
    assert adhoc_title(Config(root=tmp_path), [folder, CASES / "cases.xml"]) == "TEI documents"


def test_phrase_elements_carry_their_rend_classes(inpage):
    """<seg rend="superscript"> (and any phrase-level element) gets rend-* classes, which
    edition.css styles; before, only hi and block elements had them."""
    page = _page(inpage / "doc" / "InPage01.html")
    [sup] = page.xpath("//span[contains(concat(' ', @class, ' '), ' tei-seg ')]")
    assert "rend-superscript" in _classes(sup) and _text(sup) == "3"
    css = (REPO / "xslt" / "html" / "assets" / "edition.css").read_text(encoding="utf-8")
    assert re.search(r"\.rend-superscript\b[^{]*\{[^}]*vertical-align:\s*super", css)


def test_title_in_another_language_is_marked(tmp_path):
    """A German letter's heading carries lang="de-AT" (the site around it is English); an English
    title carries none."""
    head = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc><titleStmt><title>{t}</title>'
            '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>'
            '<profileDesc><langUsage><language ident="{lang}"/></langUsage></profileDesc></teiHeader>'
            '<text><body><p>{t}</p></body></text></TEI>')
    (tmp_path / "de.xml").write_text(head.format(id="De", t="Hermann Bahr an Arthur Schnitzler", lang="de-AT"), encoding="utf-8")
    (tmp_path / "en.xml").write_text(head.format(id="En", t="A letter", lang="en"), encoding="utf-8")
    site = _build(tmp_path / "site", [tmp_path / "de.xml", tmp_path / "en.xml"])
    assert _page(site / "doc" / "De.html").find(".//h1").get("lang") == "de-AT"
    assert _page(site / "doc" / "En.html").find(".//h1").get("lang") is None
