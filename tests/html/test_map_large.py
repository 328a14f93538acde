"""The map of a large edition (#18, item 3): on a generated edition of 5,000 places
(map_large_support.py) no map page reaches 1 MB and no data file 200 KB, every place is in
exactly one data file and linked from the table's pages (the map without JavaScript), the
overview counts every place once, and the data files are planned (fingerprinted) like the other
site pages. Below mapdata.INLINE_PLACES the map is drawn as before (one page, every dot)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html

from map_large_support import build, built_site, coords, write_edition
from toolkit.outputs.html import mapdata
from toolkit.outputs.html.outline import Frame

N = 5000
MB = 1_000_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory, N)


def chunk_rows(path: Path, k: int) -> list[list]:
    text = path.read_text(encoding="utf-8")
    prefix = f"(window.EDITION_PLACES = window.EDITION_PLACES || {{}})[{k}] = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix):-2])


def test_pages_and_data_files_stay_small(site):
    out, _, _ = site
    pages = sorted(out.glob("map*.html"))
    assert len(pages) > 1
    for p in pages:
        assert p.stat().st_size < MB, p.name
    assert (out / "map.html").stat().st_size < 250_000  # the overview is bounded, not the places
    files = sorted((out / "assets").glob("places*.js"))
    assert len(files) >= 2
    for f in files:
        assert f.stat().st_size < 200_000, f.name
    assert (out / "assets" / "map.js").stat().st_size < 200_000


def test_every_place_is_in_exactly_one_data_file(site):
    out, _, _ = site
    root = html.fromstring((out / "map.html").read_bytes())
    [fig] = root.xpath("//figure[contains(@class, 'map-large')]")
    conf = json.loads(fig.get("data-map"))
    seen = []
    for k, (href, x0, y0, x1, y1, count) in enumerate(conf["chunks"], start=1):
        assert href == mapdata.chunk_href(k)
        rows = chunk_rows(out / href, k)
        assert len(rows) == count
        lat0, lat1, lon0, lon1, w, h = conf["frame"]
        for name, page, anchor, lat, lon, _docs in rows:
            # inside the box the page gives for its file (map.js loads by these boxes)
            x, y = (lon - lon0) / (lon1 - lon0) * w, (lat1 - lat) / (lat1 - lat0) * h
            assert x0 <= x <= x1 and y0 <= y <= y1, (name, href)
            assert page == f"entity/{anchor}.html" and (out / page).is_file()
            seen.append(anchor)
    assert sorted(seen) == sorted(f"pl{i}" for i in range(N))
    # the files are neighbourhoods: together their boxes cover little more than the plot
    area = sum((c[3] - c[1]) * (c[4] - c[2]) for c in conf["chunks"])
    assert area < 1.5 * conf["frame"][4] * conf["frame"][5]


def test_the_table_pages_link_every_place(site):
    out, _, _ = site
    first = html.fromstring((out / "map.html").read_bytes())
    pages = first.xpath("//nav//ul[@class='index-letters']//a/@href")
    assert pages[0] == "map.html" and len(pages) == len(set(pages)) == len(list(out.glob("map*.html")))
    linked = []
    for href in pages:
        root = html.fromstring((out / href).read_bytes())
        assert root.xpath("//ul[@class='index-letters']//a[@aria-current='page']/@href") == [href]
        linked += root.xpath("//table[@class='places-table']//td/a/@href")
        # the plot and its script on the first page only
        assert bool(root.xpath("//figure[contains(@class, 'map-large')]")) == (href == "map.html")
        assert bool(root.xpath("//script[contains(@src, 'map.js')]")) == (href == "map.html")
    assert sorted(linked) == sorted(f"entity/pl{i}.html" for i in range(N))


def test_the_overview_counts_every_place_once(site):
    out, _, _ = site
    root = html.fromstring((out / "map.html").read_bytes())
    svg = root.xpath("//figure[contains(@class, 'map-large')]//*[local-name() = 'svg']")[0]
    groups = svg.xpath(".//*[local-name() = 'g'][@class = 'map-cluster']")
    dots = svg.xpath(".//*[local-name() = 'a'][@class = 'map-place']")
    assert sum(int(g.get("data-count")) for g in groups) + len(dots) == N
    assert len(groups) + len(dots) <= (900 // mapdata.OVERVIEW_CELL + 1) ** 2
    assert all(d.get("id", "").startswith("place-") for d in dots)
    # the words map.js shows come with the figure, not with every page
    fig = root.xpath("//figure[contains(@class, 'map-large')]")[0]
    words = json.loads(fig.get("data-messages"))
    assert words["whole"] == "Whole map" and words["zoom.other"] == "{n} places: zoom in"
    assert "map-whole" not in (out / "index.html").read_text(encoding="utf-8")


def test_the_data_files_are_planned_like_the_other_pages(site):
    out, docs, places = site
    plan = json.loads((out / ".edition-build.json").read_text(encoding="utf-8"))["pages"]
    files = sorted(p.name for p in (out / "assets").glob("places*.js"))
    assert {f"assets/{f}" for f in files} <= set(plan)
    stamps = {f: (out / "assets" / f).stat().st_mtime_ns for f in files}
    # one place moved a little: the file of its square changes, the others stay
    text = places.read_text(encoding="utf-8")
    lat, lon = coords(17)
    places.write_text(text.replace(f"<geo>{lat} {lon}</geo>", f"<geo>{lat + 0.01} {lon}</geo>"), encoding="utf-8")
    try:
        build(out, docs, places)
    finally:
        places.write_text(text, encoding="utf-8")
    changed = [f for f in files if (out / "assets" / f).stat().st_mtime_ns != stamps[f]]
    assert len(changed) == 1 and len(files) > 2
    after = json.loads((out / ".edition-build.json").read_text(encoding="utf-8"))["pages"]
    assert [f for f in files if after[f"assets/{f}"] != plan[f"assets/{f}"]] == changed


def test_small_maps_are_drawn_as_before(tmp_path, monkeypatch):
    """At INLINE_PLACES places one page with every dot; one more, the large map. The same
    site rebuilt small again loses the large map's files (they are the build's own pages)."""
    monkeypatch.setattr(mapdata, "INLINE_PLACES", 30)
    src = tmp_path / "src"
    src.mkdir()
    out = tmp_path / "site"
    for n, large in ((31, True), (30, False)):
        for old in src.glob("*.xml"):
            old.unlink()
        docs, places = write_edition(src, n, 2)
        build(out, docs, places)
        root = html.fromstring((out / "map.html").read_bytes())
        assert (out / "assets" / "places.js").exists() == large
        assert bool(root.xpath("//figure[contains(@class, 'map-large')]")) == large
        dots = root.xpath("//*[local-name() = 'a'][@class = 'map-place']")
        if not large:
            assert len(dots) == n and len(root.xpath("//table[@class='places-table']//tr/td/a")) == n
            assert not list((out / "assets").glob("places*.js"))


def test_grid_and_chunks_by_hand():
    places = [mapdata.Place(f"p{i}", f"entity/p{i}.html", f"P {i}", f"p{i}", *map(str, coords(i)), 1, f"p {i}")
              for i in range(3000)]
    frame = Frame.of([(float(p.lat), float(p.long)) for p in places])
    cells = mapdata.overview(frame, places)
    assert sum(c.count for c in cells) == 3000
    assert all((c.only is not None) == (c.count == 1) for c in cells)
    parts = mapdata.chunks(frame, places, budget=20_000)
    assert sorted(p.id for part in parts for p in part) == sorted(p.id for p in places)
    assert all(sum(mapdata.row_bytes(p) for p in part) <= 20_000 for part in parts)
    # a place added changes one file (its square's), whatever comes after it on the curve
    extra = mapdata.Place("new", "entity/new.html", "New", "new", "48.2", "16.4", 1, "new")
    again = mapdata.chunks(frame, places + [extra], budget=20_000)
    before = {tuple(p.id for p in part) for part in parts}
    after = {tuple(p.id for p in part) for part in again}
    assert len(after - before) == 1 and len(before - after) == 1
    # many places at one point: cut by size
    crowd = [mapdata.Place(f"c{i}", f"entity/c{i}.html", f"C {i}", f"c{i}", "48.2", "16.4", 1, f"c {i}")
             for i in range(2000)]
    parts = mapdata.chunks(frame, crowd, budget=20_000)
    assert len(parts) > 1 and sum(map(len, parts)) == 2000
    assert re.fullmatch(r"assets/places(-\d+)?\.js", mapdata.chunk_href(3))


def test_names_cannot_close_the_data_files_script(tmp_path, monkeypatch):
    """A place's name is data in the data file (JSON, "<" escaped), never markup or code."""
    from lxml import etree

    from toolkit import saxon
    from toolkit.outputs.html.site import map_pages
    from toolkit.outputs.html.stylesheets import SITE_XSL
    monkeypatch.setattr(mapdata, "INLINE_PLACES", 1)
    hostile = '</script><script>alert("x")</script>\u2028'
    places = [mapdata.Place(f"p{i}", f"entity/p{i}.html", hostile if i == 0 else f"P {i}", f"p{i}",
                            *map(str, coords(i)), 1, f"p {i}") for i in range(3)]

    def new_page(kind, href, **attrs):
        return etree.Element("page", kind=kind, href=href, root="", **attrs)
    site = etree.Element("site")
    site.extend(make() for make in map_pages(places, new_page))
    exe = saxon.compile_stylesheet(SITE_XSL)
    exe.set_base_output_uri(tmp_path.as_uri() + "/")
    exe.transform_to_string(xdm_node=saxon.to_xdm(etree.tostring(site, encoding="unicode"), tmp_path.as_uri() + "/s.xml"))
    text = (tmp_path / "assets" / "places.js").read_text(encoding="utf-8")
    assert "<" not in text
    rows = chunk_rows(tmp_path / "assets" / "places.js", 1)
    assert hostile in [r[0] for r in rows]
    page = html.fromstring((tmp_path / "map.html").read_bytes())
    assert not page.xpath("//script[contains(., 'alert')]")
    assert hostile in page.xpath("//table[@class='places-table']//td/a/text()")
