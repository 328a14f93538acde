"""The HTML edition, checked on real output: the bundled edition's pages parsed with lxml."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lhtml

from toolkit.config import load_config
from toolkit.outputs.runner import build

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "html"


def build_edition(out: Path, root: Path = REPO, full: bool = False):
    cfg = load_config(root / "edition.toml")
    [result] = build(cfg, ["html"], out=out, full=full)
    return result


def page(site: Path, rel: str):
    return lhtml.parse(str(site / rel)).getroot()


_COMPOUND = re.compile(r"([a-zA-Z][\w-]*|\*)?((?:[#.][\w-]+|\[[^\]]+\])*)")


def css(selector: str) -> str:
    """XPath for the simple CSS selectors these tests use (descendant combinators, tag, #id,
    .class, [attr], [attr=value]); keeps the tests free of the cssselect package."""
    steps = []
    for part in selector.split():
        m = _COMPOUND.fullmatch(part)
        assert m, selector
        conds = []
        for tok in re.findall(r"[#.][\w-]+|\[[^\]]+\]", m.group(2) or ""):
            if tok[0] == "#":
                conds.append(f"@id='{tok[1:]}'")
            elif tok[0] == ".":
                conds.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {tok[1:]} ')")
            else:
                name, eq, value = tok[1:-1].partition("=")
                conds.append(f"@{name}='{value.strip(chr(39) + chr(34))}'" if eq else f"@{name}")
        steps.append((m.group(1) or "*") + "".join(f"[{c}]" for c in conds))
    return "descendant::" + "/descendant::".join(steps)


def sel(el, selector: str) -> list:
    return el.xpath(css(selector))


def text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "site"
    result = build_edition(out)
    assert result.ok and result.written > 50
    return out


# -- collection listing ----------------------------------------------------------------------
def test_listing_pages_in_date_order(site):
    # 11 documents at 10 a page: one page, not "10 + 1" (#14; tests/html/test_finding.py)
    p1 = page(site, "documents.html")
    assert text(sel(p1, ".result-count")[0]) == "1 - 11 of 11"
    items = sel(p1, ".listing-static .doc-item")
    assert len(items) == 11
    dates = [sel(i, "time")[0].get("datetime") for i in items]
    assert dates == sorted(dates) and dates[0] == "1935-09-13"
    assert text(sel(items[0], ".doc-item-title")[0]).startswith("Politburo Decisions of 13 September 1935")
    assert "Politburo directs manpower" in text(sel(items[0], ".doc-item-summary")[0])
    assert not sel(p1, "nav.pager") and not (site / "documents-2.html").exists()
    assert "Report from Cde. Yegnarov to Cde. Beria" in text(items[-1])


def test_listing_sorted_by_title_and_facets(site):
    t1 = page(site, "documents-by-title.html")
    titles = [text(a) for a in sel(t1, ".listing-static .doc-item-title a")]
    assert titles == sorted(titles, key=str.lower) and len(titles) == 11
    facets = {s.get("data-facet"): [o.get("value") for o in sel(s, "option")] for s in sel(t1, "select")}
    assert set(facets) == {"person", "place", "org", "text", "from", "to"}
    assert "stalin" in facets["person"] and "kashgar" in facets["place"] and "nkvd" in facets["org"]
    data = (site / "assets" / "data.js").read_text()
    assert data.startswith("window.EDITION_DOCUMENTS = [") and '"doc-1937-06-14"' in data


# -- the 14 June 1937 document -----------------------------------------------------------------
@pytest.fixture(scope="module")
def doc1937(site):
    return page(site, "doc/doc-1937-06-14.html")


def test_document_title_date_summary(doc1937):
    assert text(sel(doc1937, "h1")[0]) == "Concerning the 36th Division of the NRA's Appeals to the Soviet Government"
    assert sel(doc1937, ".doc-date time")[0].get("datetime") == "1937-06-14"
    assert "the Politburo resolves that it will provide assistance" in text(sel(doc1937, "#summary")[0])
    assert doc1937.get("lang") == "en"


def test_entity_links_resolve_and_have_popovers(site, doc1937):
    links = sel(doc1937, ".text a.entity")
    assert len(links) > 40
    for a in links:
        target = (site / "doc" / a.get("href")).resolve()
        assert target.is_file(), a.get("href")
        pop = doc1937.get_element_by_id(a.get("aria-describedby"))
        assert pop.get("role") == "tooltip"
    stalin = doc1937.get_element_by_id("pop-stalin")
    assert text(sel(stalin, ".popover-name")[0]) == "I. V. Stalin"
    assert "I. Stalin" in text(sel(stalin, ".popover-variants")[0])
    assert "Signs the Politburo decisions" in text(sel(stalin, ".popover-note")[0])


def test_marginalia_seal_signature(doc1937):
    notes = sel(doc1937, "aside.marginal")
    assert len(notes) == 3
    assert "at the top of the page" in text(sel(notes[0], ".marginal-label")[0])
    assert text(sel(notes[0], ".marginal-label")[0]).endswith(", hand A")
    assert text(sel(notes[0], ".marginal-body")[0]) == "point 539 is in classified storage"
    assert "before the previous entry" in text(notes[1])
    seal = sel(doc1937, ".tei-stamp.set-apart")[0]
    assert text(seal) == "seal CC seal"
    sig = sel(doc1937, ".tei-signed.set-apart")[0]
    assert "signed, hand B" in text(sig) and "I. Stalin" in text(sig)


def test_views_and_interventions(doc1937):
    choice = sel(doc1937, ".tei-choice")[0]
    assert text(sel(choice, ".dipl")[0]) == "Hotan"
    assert text(sel(choice, ".read")[0]) == "Hetian"
    assert sel(doc1937, ".view-switch button[data-set-view='diplomatic']")
    assert text(sel(doc1937, ".tei-supplied")[0]) == "[District]"
    body = sel(doc1937, "body")[0]
    assert body.get("data-view") == "reading"


def test_document_information_citation_download(site, doc1937):
    info = {text(sel(r, "dt")[0]): text(sel(r, "dd")[0]) for r in sel(doc1937, "#doc-info .info-row")}
    assert info["Archival source"] == "RGASPI f. 17, op. 162, d. 20, l. 62-63"
    assert info["Obtained by"] == "Jamil Hasanli"
    assert info["Translated by"] == "Gary Goldberg"
    assert "welcomes reuse of Digital Archive materials" in info["Rights"]
    assert "CC BY 4.0" in info["Rights"]
    assert info["Record ID"] == "Not given in the source"
    assert info["Original classification"] == "Not given in the source"
    cite = text(sel(doc1937, "#citation .cite-text")[0])
    assert "Concerning the 36th Division" in cite and "Soviet Decisions on Xinjiang" in cite
    dl = sel(doc1937, "a[download]")[0].get("href")
    assert (site / "doc" / dl).read_bytes() == (REPO / "tei" / "doc-1937-06-14.xml").read_bytes()


def test_stable_ids_and_prev_next(doc1937):
    ids = {e.get("id") for e in doc1937.iter() if e.get("id")}
    assert {"doc-1937-06-14", "p-1", "p-2", "note-1", "note-2", "head-1", "title", "summary"} <= ids
    assert sel(doc1937, "a[rel=prev]")[0].get("href") == "../doc/doc-1936-02-07.html"
    assert sel(doc1937, "a[rel=next]")[0].get("href") == "../doc/doc-1937-11-10.html"
    # the editorial note is a numbered note with a link back
    assert sel(doc1937, "#note-1 a.backlink")[0].get("href") == "#note-1-ref"


def test_untranscribed_document(site):
    d = page(site, "doc/doc-1945-07.html")
    assert "not transcribed" in text(sel(d, ".text")[0])
    assert sel(d, ".doc-date time")[0].get("datetime") == "1945-07"


# -- indices, entities, map, chronology ------------------------------------------------------
def test_indices_and_entity_pages(site):
    persons = page(site, "persons.html")
    names = [text(a) for a in sel(persons, ".entity-list a")]
    assert "Stalin, I. V." in names and "Ma Zhongying" in names  # inverted headings (#14)
    stalin = page(site, "entity/stalin.html")
    assert text(sel(stalin, "h1")[0]) == "I. V. Stalin"
    assert "I. Stalin" in text(sel(stalin, ".info-list")[0])
    note_links = [a.get("href") for a in sel(stalin, ".entity-note a")]
    assert "../doc/doc-1937-06-14.html" in note_links
    passages = sel(stalin, "a.passage-link")
    assert passages
    for a in passages:  # every passage link leads to an id that exists on the document page
        href, frag = a.get("href").split("#")
        target = page(site, "entity/" + href)
        assert target.get_element_by_id(frag) is not None, a.get("href")
    kashgar = page(site, "entity/kashgar.html")
    assert any("doc-1937-06-14.html#p-1" in a.get("href") for a in sel(kashgar, "a.passage-link"))


def test_map_and_chronology(site):
    m = page(site, "map.html")
    labels = [text(t) for t in m.iter("{http://www.w3.org/2000/svg}text", "text") if "map-label" in (t.get("class") or "")]
    assert {"Kashgar", "Urumqi", "Hotan"} <= set(labels)
    assert not sel(m, "img") and not sel(m, "iframe")
    c = page(site, "chronology.html")
    years = [text(h) for h in sel(c, "section.year h2")]
    assert years == ["1935", "1936", "1937", "1939", "1945"]


# -- security, unknown elements -----------------------------------------------------------------
@pytest.fixture(scope="module")
def adhoc(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("adhoc") / "site"
    cfg = load_config(REPO / "edition.toml")
    [r] = build(cfg, ["html"], paths=[FIXTURES / "hostile.xml", FIXTURES / "unknown.xml"], out=out)
    assert r.ok
    return out


CITATION_DATA = ("data:application/x-bibtex;", "data:application/x-research-info-systems;",
                 "data:application/vnd.citationstyles.csl+json;")


def test_hostile_input_cannot_inject(adhoc):
    for f in adhoc.rglob("*.html"):
        if "pagefind" in f.parts:
            continue
        root = page(adhoc, f.relative_to(adhoc).as_posix())
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag not in ("iframe", "object", "embed", "style", "img"), f
            if el.tag == "script" and el.get("type") == "application/ld+json":
                # the page's metadata (#14): data, escaped so that nothing can end the element
                assert "<" not in el.text and isinstance(json.loads(el.text), dict), f
            elif el.tag == "script":
                assert el.get("src", "").endswith(("assets/edition.js", "assets/data.js")) and not text(el), f
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (f, name)
                assert name.lower() not in ("style", "srcdoc", "formaction"), (f, name)
                if name.lower() in ("href", "src", "action", "xlink:href", "data"):
                    v = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                    # the citation's downloads (#14): data of three inert types, never markup
                    if el.tag == "a" and el.get("download") and v.startswith(CITATION_DATA):
                        continue
                    assert not v.startswith(("javascript:", "data:", "vbscript:")), (f, value)
    doc = page(adhoc, "doc/hostile.html")
    assert "<script>alert(15)</script>" in text(sel(doc, ".text")[0])
    assert sel(doc, "a[href='https://example.org/ok']")


def test_unknown_elements_are_kept_and_marked(adhoc):
    doc = page(adhoc, "doc/unknown-elements.html")
    widget = sel(doc, "[data-tei='x:widget']")[0]
    assert widget.tag == "span" and "tei-unknown" in widget.get("class")
    assert text(widget) == "custom inline content"
    block = sel(doc, "[data-tei='madeUpBlock']")[0]
    assert "paragraph inside a made-up block" in text(block) and "item in a made-up block" in text(block)
    body = text(sel(doc, ".text")[0])
    for s in ("nested list item", "cell text", "verse line", "custom title text", "made-up phrase"):
        assert s in body
    assert text(sel(doc, ".tei-abbr.dipl")[0]) == "Dr" and text(sel(doc, ".tei-expan.read")[0]) == "Doctor"


# -- incremental and atomic builds -----------------------------------------------------------------
@pytest.fixture
def edition_copy(tmp_path) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    return root


def test_incremental_rebuilds_only_what_changed(edition_copy):
    out = edition_copy / "output" / "html"
    first = build_edition(out, edition_copy)
    assert first.written > 50
    again = build_edition(out, edition_copy)
    assert again.written == 0
    # a text edit inside one paragraph: that page and the entity pages whose passages changed
    doc = edition_copy / "tei" / "doc-1937-06-14.xml"
    doc.write_text(doc.read_text().replace("Decline the governor's suggestion", "Decline the governor's proposal"))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html") if "pagefind" not in p.parts}
    edited = build_edition(out, edition_copy)
    changed = {p.relative_to(out).as_posix() for p in out.rglob("*.html")
               if "pagefind" not in p.parts and p.stat().st_mtime_ns != before.get(p)}
    assert changed == {"doc/doc-1937-06-14.html"}
    assert edited.written == 3  # the page, its TEI download and its search shard
    assert "Decline the governor's proposal" in text(page(out, "doc/doc-1937-06-14.html"))
    # an authority edit: the entity page and the documents naming it
    persons = edition_copy / "tei" / "persons.xml"
    persons.write_text(persons.read_text().replace(">Kruchinkin</persName>", ">Kruchinkin (edited)</persName>", 1))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html") if "pagefind" not in p.parts}
    build_edition(out, edition_copy)
    changed = {p.relative_to(out).as_posix() for p in out.rglob("*.html")
               if "pagefind" not in p.parts and p.stat().st_mtime_ns != before.get(p)}
    assert {"entity/kruchinkin.html", "doc/doc-1937-06-14.html", "persons.html"} <= changed
    assert "doc/doc-1945-07-09.html" not in changed and "entity/stalin.html" not in changed
    pop = page(out, "doc/doc-1937-06-14.html").get_element_by_id("pop-kruchinkin")
    assert "Kruchinkin (edited)" in text(pop)


def test_failed_build_leaves_previous_output(edition_copy, monkeypatch):
    out = edition_copy / "output" / "html"
    build_edition(out, edition_copy)
    before = (out / "doc" / "doc-1937-06-14.html").read_bytes()
    doc = edition_copy / "tei" / "doc-1937-06-14.xml"
    doc.write_text(doc.read_text().replace("Decline the governor's", "Refuse the governor's"))
    from toolkit.outputs.html.site import SitePages

    def boom(*a, **k):
        raise RuntimeError("interrupted")
    monkeypatch.setattr(SitePages, "write", boom)
    shm = Path("/dev/shm")
    copies_before = set(shm.glob("edition-pagefind-*")) if shm.is_dir() else set()
    with pytest.raises(RuntimeError):
        build_edition(out, edition_copy)
    assert (out / "doc" / "doc-1937-06-14.html").read_bytes() == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".html.staging")]
    # the search copies' folder is gone too (it may be in /dev/shm, outside the staging folder)
    assert (set(shm.glob("edition-pagefind-*")) if shm.is_dir() else set()) <= copies_before


def test_cli_bad_input_message(tmp_path, cli):
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>unclosed</body></text></TEI>')
    r = cli("build", "html", str(bad), "--out", str(tmp_path / "out"))
    assert r.returncode == 1
    assert "bad.xml:1:" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def _site_files(out: Path) -> dict[str, bytes]:
    """Every file of a built site but the derived-data cache and the search index; of each
    search shard, how many pages it indexes (Pagefind itself names its files differently from
    one run to the next over the same pages)."""
    import json
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and p.name != ".edition-cache.json" and "pagefind" not in p.relative_to(out).parts}
    for entry in sorted(out.glob("pagefind/*/pagefind-entry.json")):
        langs = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        files[entry.parent.name] = repr(sorted((k, v["page_count"]) for k, v in langs.items())).encode()
    return files


def test_incremental_build_equals_full_build(edition_copy, tmp_path):
    """After each kind of edit, the incremental build (unchanged files not even parsed: their
    facts come from the previous build's cache) gives the very same site, byte for byte and
    manifest included, as a fresh full build of the same sources."""
    out = edition_copy / "output" / "html"
    build_edition(out, edition_copy)
    tei = edition_copy / "tei"

    def edit(name, old, new, count=1):
        f = tei / name
        s = f.read_text(encoding="utf-8")
        assert old in s, (name, old)
        f.write_text(s.replace(old, new, count), encoding="utf-8")

    steps = [
        ("text", lambda: edit("doc-1937-06-14.xml", "Decline the governor's suggestion",
                              "Decline the governor's proposal")),
        ("title", lambda: edit("doc-1937-06-14.xml", "Concerning the <orgName", "About the <orgName")),
        ("date", lambda: edit("doc-1937-06-14.xml", '<date when="1937-06-14">June 14, 1937</date>',
                              '<date when="1938-01-02">January 2, 1938</date>')),
        ("mention", lambda: edit("doc-1945-07-09.xml", "</p>",
                                 ' <orgName ref="orgs.xml#politburo">Politburo</orgName></p>')),
        ("authority", lambda: edit("persons.xml", ">Kruchinkin</persName>", ">Kruchinkin (edited)</persName>")),
        # an entity named in another entity's note, and one named on the home page (edition.xml):
        # their popovers are on those pages too
        ("name in a note", lambda: edit("persons.xml", "in coordination with the NKID",
                                        'in coordination with the NKID in <placeName ref="places.xml#kashgar">Kashgar</placeName>')),
        ("entity named in a note", lambda: edit("places.xml", "Seat of the Soviet (acting) consul general",
                                                "Seat of the Soviet consul general")),
        ("entity named on the home page", lambda: edit("orgs.xml", "Publishes the Digital Archive",
                                                       "Runs the Digital Archive")),
        ("new document", lambda: (tei / "doc-1950-01-01.xml").write_text(
            (tei / "doc-1945-07-18.xml").read_text(encoding="utf-8").replace(
                'xml:id="doc-1945-07-18"', 'xml:id="doc-1950-01-01"'), encoding="utf-8")),
        ("removed document", lambda: (tei / "doc-1936-02-07.xml").unlink()),
    ]
    for i, (what, step) in enumerate(steps):
        step()
        incremental = build_edition(out, edition_copy)
        assert incremental.ok, what
        fresh = tmp_path / f"fresh-{i}"
        build_edition(fresh, edition_copy, full=True)
        a, b = _site_files(out), _site_files(fresh)
        assert sorted(a) == sorted(b), what
        differ = [rel for rel in a if a[rel] != b[rel]]
        assert not differ, (what, differ[:10])
        assert build_edition(out, edition_copy).written == 0, what


# -- search index ----------------------------------------------------------------------------------
def _fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's record of each page (url, content, word count, filters, metadata, anchors),
    read back from the bundle's gzipped fragment files."""
    import gzip
    import json
    out = {}
    for f in bundle.glob("fragment/*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        rec = json.loads(data[len(b"pagefind_dcd"):])
        out[rec["url"]] = rec
    return out


def test_search_copy_indexes_like_the_page(site, tmp_path):
    """Pagefind reads a cut-down copy of each page (search.search_copy). Indexing the copies
    records the same words, word counts, excerpts' content, filters and metadata as indexing the
    pages themselves; only the anchors of block elements (divisions, list items …) are gone,
    which our search page does not use; headings (Pagefind's sub-results) keep theirs, and a
    paragraph's becomes an empty one (the search page links a result to its paragraph)."""
    import subprocess
    from toolkit.outputs import search
    pages = ["doc/doc-1937-06-14.html", "doc/doc-1945-07-09.html", "entity/kruchinkin.html",
             "entity/kashgar.html"]
    pages = [p for p in pages if (site / p).exists()]
    assert len(pages) >= 3
    for name, make in (("pages", lambda h: h), ("copies", search.search_copy)):
        for rel in pages:
            dest = tmp_path / name / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(make((site / rel).read_text(encoding="utf-8")), encoding="utf-8")
        subprocess.run([*search._binary(), "--site", str(tmp_path / name), "--output-path",
                        str(tmp_path / f"{name}-index"), "--silent", "--force-language", "en"], check=True)
    whole, cut = _fragments(tmp_path / "pages-index"), _fragments(tmp_path / "copies-index")
    assert sorted(whole) == sorted(cut) and len(whole) == len(pages)
    blocks = set(search._BLOCKS.split("|"))
    for url, rec in whole.items():
        # a paragraph's anchor stays as an empty <a> at its start (the search page links there)
        expected = dict(rec, anchors=[dict(a, element="a", text="") if a["element"] == "p" else a
                                      for a in rec["anchors"] if a["element"] not in blocks - {"p"}])
        assert cut[url] == expected, url
        if url.startswith("/doc/"):  # paragraphs' anchors were left out, headings' kept
            assert any(a["element"] in blocks for a in rec["anchors"])
            assert any(a["element"] == "h1" for a in cut[url]["anchors"])
    # the copy is much smaller than the page for an entity page (its passages are not indexed)
    ent = next(p for p in pages if p.startswith("entity/"))
    assert len((tmp_path / "copies" / ent).read_bytes()) < len((site / ent).read_bytes()) / 2


def test_search_copy_keeps_pages_it_cannot_cut():
    from toolkit.outputs import search
    plain = "<html><body><p id='x'>no body marker</p></body></html>"
    assert search.search_copy(plain) == plain
    broken = '<html><body><div data-pagefind-body=""><p id="p-1">unclosed'
    assert search.search_copy(broken) == broken
    two = ('<html lang="en"><head><title>t</title></head><body><nav id="n">skip</nav>'
           '<div data-pagefind-body=""><p id="p-1" class="a">one <a id="r1" href="#x">1</a></p>'
           '<section data-pagefind-ignore="all"><h2 id="h">x</h2><div><p>gone</p></div></section>'
           '<h2 id="keep">Head</h2></div><footer>skip</footer></body></html>')
    assert search.search_copy(two) == (
        '<html lang="en"><head><title>t</title></head><body><div data-pagefind-body="">'
        '<p class="a"><a id="p-1"></a>one <a id="r1" href="#x">1</a></p><h2 id="keep">Head</h2></div></body></html>\n')
    # markup-like text and attribute values are not taken for tags or attributes
    tricky = ('<html><head></head><body><p>text: data-pagefind-body and data-pagefind-ignore="all"</p>'
              '<div class="x" data-pagefind-body=""><p id="p-1" title="a <div b">one '
              'data-pagefind-ignore="all"</p><div><span title="</div>">two</span></div></div>'
              '<div>after</div></body></html>')
    assert search.search_copy(tricky) == (
        '<html><head></head><body><div class="x" data-pagefind-body=""><p title="a <div b">one '
        'data-pagefind-ignore="all"</p><div><span title="</div>">two</span></div></div></body></html>\n')


def test_no_search_build_then_search_build(edition_copy):
    """--no-search leaves the index out and says so on the search page; the next ordinary
    build indexes every page (and equals a full build)."""
    cfg = load_config(edition_copy / "edition.toml")
    out = edition_copy / "output" / "html"
    [r] = build(cfg, ["html"], out=out, search_index=False)
    assert r.ok and not (out / "pagefind").exists()
    assert "no search index" in text(page(out, "search.html"))
    [r] = build(cfg, ["html"], out=out)
    shards = sorted(out.glob("pagefind/shard-*/pagefind-entry.json"))
    assert shards and r.written >= len(shards)
    assert "no search index" not in text(page(out, "search.html"))
    assert (page(out, "search.html").xpath("//form/@data-bundles") or [""])[0].strip()


def test_site_pages_written_by_the_workers_equal_those_of_one_transform(tmp_path, monkeypatch, cli):
    """With enough documents the workers write the site pages too, in shares: the pages are
    byte for byte those that one site.xsl run in the main process writes."""
    import sys
    sys.path.insert(0, str(REPO / "bench"))
    from _common import replicate_edition
    from toolkit.outputs.html import pool
    ed = replicate_edition(tmp_path / "ed", 40)
    r = cli("build", "html", "--no-search", cwd=ed)  # a fresh process: forked workers
    assert r.returncode == 0, r.stderr
    shared = ed / "output" / "html"
    monkeypatch.setattr(pool, "PARALLEL_MIN_SITE_PAGES", 10 ** 9)  # all in one transform
    cfg = load_config(ed / "edition.toml")
    [res] = build(cfg, ["html"], out=tmp_path / "one", full=True, search_index=False)
    assert res.ok
    pages = sorted(p.relative_to(shared) for p in shared.rglob("*.html") if "doc" not in p.parts)
    assert len(pages) > 60 and Path("entity") in {p.parent for p in pages}
    assert [p for p in pages if (shared / p).read_bytes() != (tmp_path / "one" / p).read_bytes()] == []
