"""#16: the letters corpus built with language = "de" reads German throughout, with "ar" Arabic
and right to left: no English interface string on any page (the list of English strings is the
English catalogue's, wherever the language says something else), <html lang dir> set, the
interface mirrored in Chromium; the bundled edition's PDF in German."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

from conftest import edition_copy, html_page, norm_text, shared_path
from toolkit import messages
from toolkit.config import load_config
from toolkit.outputs.runner import build

playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_-]*\}")


def letters_site(root: Path, language: str) -> Path:
    """The letters corpus (30 letters, their indices) as an edition in `language`, built."""
    letters = shared_path("corpora", "letters")
    ed = root / f"letters-{language}"
    shutil.copytree(letters / "editions", ed / "editions")
    shutil.copytree(letters / "indices", ed / "indices")
    (ed / "edition.toml").write_text(
        '[edition]\ntitle = "Schnitzler"\nsources = ["editions/*.xml"]\n'
        'authority = ["indices/listperson.xml", "indices/listplace.xml", "indices/listorg.xml"]\n'
        f'language = "{language}"\n', encoding="utf-8")
    [r] = build(load_config(ed / "edition.toml"), ["html"], search_index=False)
    assert r.ok, r.summary()
    assert not [d for d in r.diagnostics if d.rule == "build.language"]
    return ed


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    return letters_site(tmp_path_factory.mktemp("i18n"), "de")


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    return letters_site(tmp_path_factory.mktemp("i18n"), "ar")


def english_patterns(language: str) -> list[tuple[str, re.Pattern]]:
    """Every English catalogue text the language says otherwise, as a pattern matching a whole
    text ("{n} documents" matches "3 documents"). Left out: texts with no word of their own
    ("{first} - {last} of {total}" keeps "of") and the PDF's."""
    english, own = messages.catalogue("en"), messages.catalogue(language)
    out = []
    for key, text in english.items():
        if key.startswith("pdf.") or own.get(key, text) == text:
            continue
        parts = _PLACEHOLDER.split(text)
        if not re.search(r"[A-Za-z]{2}", "".join(parts)):
            continue
        body = ".+?".join(re.escape(p) for p in parts)
        out.append((key, re.compile(r"\s*" + body.strip() + r"\s*", re.S)))
    return out


def tei_text(ed: Path) -> str:
    """All the text of the edition's TEI (white space collapsed): what the edition says itself
    is no interface string, whichever language it is in (a letter's "In", the <language> its
    header names "German")."""
    parts = []
    for f in sorted(ed.glob("*/*.xml")):
        parts.append(" ".join(" ".join(etree.parse(str(f)).getroot().itertext()).split()))
    return " ".join(parts)


def interface_texts(page_root) -> list[str]:
    """The page's text nodes and the attributes people read (title, aria-label, placeholder,
    alt), white space collapsed, scripts and styles left out."""
    found = page_root.xpath("//text()[not(ancestor::script) and not(ancestor::style)]"
                            " | //@title | //@aria-label | //@placeholder | //@alt")
    return [s for s in (" ".join(str(t).split()) for t in found) if s]


def english_left(ed: Path, language: str) -> dict[str, set[str]]:
    """English catalogue texts found on the built site's pages (key → text as found)."""
    patterns, own_text = english_patterns(language), tei_text(ed)
    found: dict[str, set[str]] = {}
    pages = sorted((ed / "output" / "html").rglob("*.html"))
    assert len(pages) > 100
    for p in pages:
        for text in set(interface_texts(lhtml.parse(str(p)).getroot())):
            for key, pattern in patterns:
                if pattern.fullmatch(text) and text not in own_text:
                    found.setdefault(key, set()).add(f"{text!r} in {p.name}")
    return found


def css(root, cls: str, tag: str = "*") -> list:
    """The elements of a class (no cssselect needed)."""
    return root.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")


def test_the_english_strings_are_found_where_they_are(tmp_path):
    """The check finds English when there is English: the bundled edition's pages (English)
    hold many of the English catalogue's texts that German says otherwise."""
    from conftest import build_site
    patterns = english_patterns("de")
    texts = set()
    site = build_site(tmp_path / "site", search=False)
    for p in [site / "index.html", *sorted((site / "doc").glob("*.html"))[:2]]:
        texts |= set(interface_texts(html_page(p)))
    hits = {k for k, pat in patterns for t in texts if pat.fullmatch(t)}
    assert {"nav.persons", "nav.documents", "layout.skip", "cite.heading"} <= hits


def test_the_german_letters_have_no_english_interface_string(german):
    assert english_left(german, "de") == {}


def test_the_german_letters_read_german(german):
    site = german / "output" / "html"
    home = html_page(site / "index.html")
    assert home.get("lang") == "de" and home.get("dir") is None
    nav = [norm_text(a) for a in css(home, "site-nav", "nav")[0].iter("a")]
    assert nav == ["Dokumente", "Personen", "Orte", "Körperschaften", "Karte", "Chronologie", "Suche",
                   "Editionsrichtlinien"]
    letter = html_page(site / "doc" / "L00358.html")  # (a letter with notes)
    headings = [norm_text(h) for h in letter.xpath("//main//h2")]
    assert "Anmerkungen" in headings and "Zitiervorschlag" in headings and "Angaben zum Dokument" in headings
    assert "Mehr über" in norm_text(css(letter, "popover-more")[0])
    # dates in German, as the model writes them
    assert re.search(r"\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober"
                     r"|November|Dezember) 1[89]\d\d\b", norm_text(css(letter, "doc-date")[0]))
    persons = html_page(site / "persons.html")
    assert norm_text(persons.xpath("//h1")[0]) == "Personen"
    assert re.fullmatch(r"\d+ Einträge", norm_text(css(persons, "result-count")[0]))
    # the script's words are in the page, in German
    blob = letter.xpath("//*[@id = 'edition-messages']/@data-messages")[0]
    assert '"searching":"Suche läuft …"' in blob and "Oktober" in blob


def test_the_arabic_letters_have_no_english_interface_string(arabic):
    assert english_left(arabic, "ar") == {}


def test_the_arabic_letters_are_right_to_left(arabic):
    site = arabic / "output" / "html"
    for name in ("index.html", "persons.html", "doc/L00357.html"):
        root = html_page(site / name)
        assert (root.get("lang"), root.get("dir")) == ("ar", "rtl"), name
    letter = html_page(site / "doc" / "L00357.html")
    # Arabic month names, Western digits
    assert re.search(r"\d{1,2} (يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر) 1[89]\d\d",
                     norm_text(css(letter, "doc-date")[0]))
    # the letter's own text keeps its language and direction
    assert css(letter, "text")[0].get("lang", "").startswith("de")


# -- in Chromium ---------------------------------------------------------------------------------
def visible_english(page, language: str) -> list[str]:
    """English catalogue texts among the page's visible text (innerText) and the labels of
    its links and buttons, as the reader and a screen reader meet them."""
    texts = page.evaluate("""() => {
        const out = document.body.innerText.split('\\n');
        document.querySelectorAll('[aria-label], [title], [placeholder]').forEach(e => {
            for (const a of ['aria-label', 'title', 'placeholder']) if (e.getAttribute(a)) out.push(e.getAttribute(a));
        });
        return out.map(t => t.replace(/\\s+/g, ' ').trim()).filter(Boolean);
    }""")
    patterns = english_patterns(language)
    return sorted({t for t in texts for _, p in patterns if p.fullmatch(t)})


@needs_chromium
def test_german_and_arabic_pages_show_no_english_in_chromium(german, arabic, page):
    for ed, language in ((german, "de"), (arabic, "ar")):
        server, url = serve(ed / "output" / "html")
        try:
            own_text = tei_text(ed)
            for path in ("index.html", "documents.html", "persons.html", "doc/L00357.html", "search.html"):
                page.goto(url + path)
                page.wait_for_load_state("load")
                left = [t for t in visible_english(page, language) if t not in own_text]
                assert left == [], (language, path, left)
            # the listing's filters, made by the script, speak the language too
            page.goto(url + "documents.html")
            page.select_option("#facet-from", index=1)
            count = page.locator(".filtered-count").inner_text()
            assert " of " not in count and count.strip()
        finally:
            server.shutdown()
    assert page.errors == []


@needs_chromium
def test_the_arabic_interface_is_mirrored_in_chromium(arabic, german, page):
    def nav_boxes(ed):
        server, url = serve(ed / "output" / "html")
        try:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(url + "doc/L00357.html")
            items = page.locator("nav.site-nav li")
            first, last = items.first.bounding_box(), items.last.bounding_box()
            body = page.locator("main").bounding_box()
            direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
            heading = page.locator("main h2").first.bounding_box()
            # an entity's popover, opened by focus, starts at its link's start edge
            link = page.locator(".text a.entity[aria-describedby]").first
            link.focus()
            pop = page.locator("#" + link.get_attribute("aria-describedby"))
            pop.wait_for(state="visible")
            edges = (link.bounding_box(), pop.bounding_box())
            return first, last, body, direction, heading, edges
        finally:
            server.shutdown()
    first, last, main, direction, heading, (link, pop) = nav_boxes(arabic)
    assert direction == "rtl"
    # the navigation runs from the right: its first item is right of its last
    assert first["x"] > last["x"]
    # headings start at the right edge of the text column
    assert heading["x"] + heading["width"] > main["x"] + main["width"] * 0.6
    # the popover's right edge is its link's (unless the window's edge is nearer)
    assert abs((pop["x"] + pop["width"]) - (link["x"] + link["width"])) < 2 or pop["x"] <= 9
    first, last, main, direction, heading, (link, pop) = nav_boxes(german)
    assert direction == "ltr" and first["x"] < last["x"]
    assert abs(pop["x"] - link["x"]) < 2
    assert page.errors == []


# -- the PDF -------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_of_a_german_edition_has_german_words(tmp_path):
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    toml.write_text(re.sub(r'(?m)^language = "en"$', 'language = "de"', toml.read_text(encoding="utf-8")),
                    encoding="utf-8")
    [r] = build(load_config(toml), ["pdf"], out=tmp_path / "pdf")
    assert r.ok, r.summary()
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / "edition.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = {line.strip() for line in text.splitlines()}
    assert "Inhalt" in lines and "Editorische Notiz" in lines
    assert any(line.startswith("Personenregister") for line in lines)
    assert "Contents" not in lines and "Editorial note" not in lines
    assert not any(line.startswith("Index of persons") for line in lines)
    assert "Jedes Dokument beginnt mit Datum und Titel" in " ".join(text.split())
    # a document's own PDF too: the heading of its source
    doc = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / "doc-1937-06-14.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Quelle" in {line.strip() for line in doc.splitlines()}
    assert "14. Juni 1937" in doc
