"""The map at scale and pages with long unbroken strings, in a real browser (Playwright with
Debian's Chromium and axe-core, as in test_audit_ui.py), on editions generated ad hoc:

* 1,000 places with coordinates (the most a map draws one by one, mapdata.INLINE_PLACES; more:
  test_map_large_browser.py): the map page has a focusable dot link, named, for every place;
  no static labels (map.xsl draws none above 400 places), a label on focus, inside the plot, and
  no two drawn labels overlap;
* 300 places (below that threshold): labels placed by edition.js without overlaps, also after the
  window was resized (the placement is redone once the resizing stops);
* a document with a 300-character URL in a note, in the document information and in a place's
  note, and a wide table: no horizontal scrolling at 360 px, the table scrolls in its own box.

Timing belongs in no test here (see the benchmark figures in the commit that added this file)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest


playwright_sync = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, NO_CHROMIUM, REPO, axe_violations, serve  # noqa: E402
from browser_support import browser, page  # noqa: E402,F401,F811 (the fixtures, by import)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)




TEI = "http://www.tei-c.org/ns/1.0"
LONG_URL = "https://example.org/archive/" + "x" * 272  # 300 characters, no place to break
assert len(LONG_URL) == 300


def _header(title: str, extra_file_desc: str = "", source: str = "<p>generated</p>") -> str:
    return (f'<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
            f'<publicationStmt><p>generated</p></publicationStmt>{extra_file_desc}'
            f'<sourceDesc>{source}</sourceDesc></fileDesc>'
            '<profileDesc><creation><date when="1900-01-01"/></creation></profileDesc></teiHeader>')


def _places_xml(n: int, note_place: int | None = None) -> str:
    rows = []
    for i in range(n):
        # a 20 x 40 degree box; a fixed pseudo-random spread, some places close together
        lat = 30 + (i * 7919 % 2003) / 2003 * 20
        lon = 60 + (i * 104729 % 4001) / 4001 * 40
        note = f'<note>See <ref target="{LONG_URL}">{LONG_URL}</ref></note>' if i == note_place else ""
        rows.append(f'<place xml:id="pl{i}"><placeName>Ort {i}</placeName>'
                    f'<location><geo>{lat:.4f} {lon:.4f}</geo></location>{note}</place>')
    return (f'<TEI xmlns="{TEI}">{_header("Places")}'
            f'<text><body><listPlace>{"".join(rows)}</listPlace></body></text></TEI>')


def _names(ids) -> str:
    return ", ".join(f'<placeName ref="places.xml#pl{i}">Ort {i}</placeName>' for i in ids)


def _edition(src: Path, n_places: int, n_docs: int, note_place: int | None = None) -> list[Path]:
    """places.xml and n_docs documents that together name every place (with more than 500
    entities, only those the documents name get pages and dots)."""
    (src / "places.xml").write_text(_places_xml(n_places, note_place), encoding="utf-8")
    docs = []
    for d in range(n_docs):
        f = src / f"gen-{d:02d}.xml"
        ids = range(d, n_places, n_docs)
        f.write_text(f'<TEI xmlns="{TEI}" xml:id="gen-{d:02d}">{_header(f"Generated letter {d:02d}")}'
                     f'<text><body><p>Letter {d} names {_names(ids)}.</p></body></text></TEI>', encoding="utf-8")
        docs.append(f)
    return docs


def _long_doc() -> str:
    notes_stmt = f'<notesStmt><note>Digitised copy: {LONG_URL}</note></notesStmt>'
    source = (f'<bibl>Archive copy, {LONG_URL}</bibl>'
              f'<bibl type="digital-archive"><ref target="{LONG_URL}">{LONG_URL}</ref></bibl>'
              '<listWit><witness xml:id="A" n="A">Autograph, Vienna</witness>'
              '<witness xml:id="B" n="B">Copy, Berlin</witness></listWit>')
    cells = "".join(f"<cell>column{c}heading</cell>" for c in range(12))
    row = "".join(f"<cell>{c * 1000}</cell>" for c in range(12))
    text = (f'<p>A report naming <placeName ref="places.xml#pl0">Ort 0</placeName>.'
            f'<note>Published at {LONG_URL} and elsewhere.</note></p>'
            f'<p>The <app><lem wit="#A">first</lem><rdg wit="#B">earliest</rdg></app> reading; '
            f'<handShift new="#h2"/>a later hand adds this.</p>'
            f'<table><row role="label">{cells}</row><row>{row}</row></table>'
            f'<p>An address in the text: {LONG_URL}</p>')
    return (f'<TEI xmlns="{TEI}" xml:id="long-strings">'
            f'{_header("Long strings", notes_stmt, source)}'
            f'<text><body>{text}</body></text></TEI>')


def _build(out: Path, paths: list[Path], authority: list[Path]):
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    [r] = build(load_config(REPO / "edition.toml"), ["html"], paths=paths, authority=authority, out=out,
                search_index=False)
    assert r.ok, r.diagnostics


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    src = tmp_path_factory.mktemp("huge-src")
    docs = _edition(src, 1000, 10)
    out = tmp_path_factory.mktemp("huge") / "site"
    _build(out, docs, [src / "places.xml"])
    server, url = serve(out)
    yield out, url
    server.shutdown()


@pytest.fixture(scope="module")
def mid(tmp_path_factory):
    """300 places (static labels) and the document with long strings."""
    src = tmp_path_factory.mktemp("mid-src")
    docs = _edition(src, 300, 4, note_place=0)
    (src / "long-strings.xml").write_text(_long_doc(), encoding="utf-8")
    out = tmp_path_factory.mktemp("mid") / "site"
    _build(out, docs + [src / "long-strings.xml"], [src / "places.xml"])
    server, url = serve(out)
    yield out, url
    server.shutdown()


# The labels drawn (visible) on the map, as boxes on screen, and the pairs of them that overlap
# (by more than a pixel either way); every label inside the plot.
DRAWN = """() => {
  const svg = document.querySelector('svg.map-svg');
  const s = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
  const k = Math.min(s.width / vb.width, s.height / vb.height);  // the plot's scale (it keeps its aspect)
  const labels = [...svg.querySelectorAll('text.map-label')]
    .filter(t => getComputedStyle(t).visibility === 'visible' && getComputedStyle(t).display !== 'none')
    .map(t => { const r = t.getBoundingClientRect();
                return {name: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                        px: parseFloat(getComputedStyle(t).fontSize) * k}; });
  const overlaps = [];
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i], b = labels[j];
    if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 1)
      overlaps.push([a.name, b.name]);
  }
  const outside = labels.filter(l => l.x0 < s.left - .5 || l.x1 > s.right + .5 || l.y0 < s.top - .5 || l.y1 > s.bottom + .5)
    .map(l => l.name);
  return {labels, overlaps, outside};
}"""

# Every dot: a link with an address, a name (its <title>), focusable; the ones that are not.
DOTS = """() => {
  const bad = [];
  const links = [...document.querySelectorAll('svg.map-svg a.map-place')];
  for (const a of links) {
    const name = (a.querySelector('title') || {}).textContent || '';
    a.focus();
    if (!a.getAttribute('href') || !name.trim() || document.activeElement !== a || a.tabIndex < 0)
      bad.push(a.id || a.outerHTML.slice(0, 80));
  }
  document.activeElement.blur();
  return {count: links.length, bad, hrefs: links.map(a => a.getAttribute('href'))};
}"""


def test_map_of_1000_places(huge, page):
    out, url = huge
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url + "map.html")
        dots = page.evaluate(DOTS)
        assert dots["count"] == 1000
        assert dots["bad"] == []
        assert len(set(dots["hrefs"])) == 1000
        assert all((out / h).is_file() for h in dots["hrefs"])
        drawn = page.evaluate(DRAWN)
        assert drawn["labels"] == [], "a map of 1,000 places draws labels on hover and focus only"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # one dot by keyboard: its label shows, inside the plot, on top of the others
        target = page.locator("svg.map-svg a.map-place").nth(567)
        name = target.locator("text.map-label").text_content()
        assert page.get_by_role("link", name=re.compile("^" + re.escape(name) + r" \(")).count() == 1
        target.focus()
        hover = page.locator("svg.map-svg text.map-label-hover")
        assert hover.is_visible() and hover.text_content() == name
        drawn = page.evaluate(DRAWN)
        assert [l["name"] for l in drawn["labels"]] == [name]
        assert drawn["outside"] == []
        assert drawn["labels"][0]["px"] == pytest.approx(13, abs=0.5)
        target.blur()
        assert not hover.is_visible()
    # without the script the static labels are all hidden (no label-on class)
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "map-label-on" not in html and "map-hover-labels" in html
    assert page.locator("table.places-table tbody tr").count() == 1000
    assert page.errors == []


def test_map_of_300_places_after_resize(mid, page):
    _, url = mid
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url + "map.html")
    dots = page.evaluate(DOTS)
    assert dots["count"] == 300 and dots["bad"] == []
    first = page.evaluate(DRAWN)
    assert len(first["labels"]) >= 20
    assert first["overlaps"] == [] and first["outside"] == []
    assert all(l["px"] == pytest.approx(13, abs=0.5) for l in first["labels"])
    for width in (700, 360, 1000):
        page.set_viewport_size({"width": width, "height": 800})
        # the placement is redone once the resizing has stopped (≈ 200 ms later)
        page.wait_for_timeout(600)
        state = page.evaluate(DRAWN)
        assert len(state["labels"]) >= 3, width
        assert state["overlaps"] == [], (width, state["overlaps"][:5])
        assert state["outside"] == [], width
        assert all(l["px"] == pytest.approx(13, abs=0.5) for l in state["labels"]), width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    assert page.errors == []


@pytest.mark.parametrize("address", ["doc/long-strings.html", "entity/pl0.html"])
def test_long_strings_do_not_widen_the_page(mid, page, address):
    out, url = mid
    assert LONG_URL in (out / address).read_text(encoding="utf-8")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url + address)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if address.startswith("doc/"):
        # the URL in the document information and in the note is there, broken over lines
        info = page.locator("#doc-info")
        assert LONG_URL in info.inner_text().replace("\n", "")
        assert info.bounding_box()["width"] <= 360
        notes = page.locator(".note-list")
        assert LONG_URL in notes.inner_text().replace("\n", "")
        # the wide table scrolls in its own box, which keyboard users can reach
        box = page.evaluate("""() => { const t = document.querySelector('.text table');
            const b = t.closest('.table-wrap') || t;
            return {scrolls: b.scrollWidth > b.clientWidth, tab: b.tabIndex, right: b.getBoundingClientRect().right}; }""")
        assert box["scrolls"] and box["tab"] == 0 and box["right"] <= 360
        # apparatus: readings smaller and grey, sigla in italics; the hand marker is smaller
        style = lambda sel, prop: page.evaluate(f"getComputedStyle(document.querySelector({sel!r})).{prop}")
        if page.locator(".app-readings .wit").count():
            assert style(".app-readings .wit", "fontStyle") == "italic"
            assert float(style(".app-readings", "fontSize")[:-2]) < float(style(".text p", "fontSize")[:-2])
    assert axe_violations(page) == []
    assert page.errors == []
    # and wide: still no horizontal scrolling
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
