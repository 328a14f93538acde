"""The map's page and data file sizes at 100 … 100,000 places (#18, item 3), cheaply: the places
are generated (tests/html/map_large_support.py) and go through the site's own steps for the map
(site.map_pages, mapdata.py, outline.py, site.xsl) without the rest of an edition.

    .venv/bin/python bench/map_sizes.py [N …]     (default: 100 1000 1700 10000 100000)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "html"))
from map_large_support import coords, name  # noqa: E402

from toolkit import saxon  # noqa: E402
from toolkit.outputs.html import mapdata  # noqa: E402
from toolkit.outputs.html.site import map_pages  # noqa: E402
from toolkit.outputs.html.stylesheets import SITE_XSL  # noqa: E402


def site_pages(n: int) -> tuple[list[etree._Element], int]:
    """The map's <page> elements for n generated places; the outline's size."""
    places = sorted((mapdata.Place(f"pl{i}", f"entity/pl{i}.html", name(i), f"pl{i}", f"{coords(i)[0]:.5g}",
                                   f"{coords(i)[1]:.5g}", i % 7, name(i).lower()) for i in range(n)),
                    key=lambda p: (p.sort_key, p.id))

    def new_page(kind, href, **attrs):
        return etree.Element("page", kind=kind, href=href, root="../" * href.count("/"), **attrs)

    pages = [make() for make in map_pages(places, new_page)]
    drawn = pages[0].find("outline")
    return pages, 0 if drawn is None else len(drawn.get("land")) + len(drawn.get("borders"))


def main(sizes: list[int]) -> None:
    exe = saxon.compile_stylesheet(SITE_XSL)
    print("| places | map.html | table pages (largest) | data files (largest, all) | outline | s |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        t = time.perf_counter()
        pages, drawn = site_pages(n)
        with tempfile.TemporaryDirectory(prefix="map-sizes-") as tmp:
            out = Path(tmp)
            site = etree.Element("site")
            site.extend(pages)
            exe.set_base_output_uri(out.as_uri() + "/")
            exe.transform_to_string(xdm_node=saxon.to_xdm(etree.tostring(site, encoding="unicode"),
                                                          out.as_uri() + "/site.xml"))
            maps = [p.stat().st_size for p in out.glob("map*.html")]
            data = [p.stat().st_size for p in out.glob("assets/places*.js")]
            first = (out / "map.html").stat().st_size
        files = f"{len(data)} ({max(data) / 1000:.0f} KB, {sum(data) / 1e6:.1f} MB)" if data else "0"
        print(f"| {n:,} | {first / 1000:.0f} KB | {len(maps)} ({max(maps) / 1000:.0f} KB) | {files} "
              f"| {drawn / 1000:.0f} KB | {time.perf_counter() - t:.1f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 1700, 10000, 100000])
