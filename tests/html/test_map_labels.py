"""The map's label placement at build time (xslt/html/pages/map.xsl), without a browser: the
grid-based placement gives exactly the labels of the plain rule (each place in turn, the first of
right, left, above, below its dot that lies inside the plot and overlaps no label placed before
and no other dot), recomputed here by brute force; above 400 places no static label is drawn."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from toolkit import saxon

REPO = Path(__file__).resolve().parents[2]
SITE_XSL = REPO / "xslt" / "html" / "site.xsl"
SVG = "{http://www.w3.org/2000/svg}"


def _map_page(tmp_path: Path, n: int) -> etree._Element:
    from toolkit.outputs.html.outline import Frame
    rows, points = [], []
    for i in range(n):
        lat = 30 + (i * 7919 % 2003) / 2003 * 20
        lon = 60 + (i * 104729 % 4001) / 4001 * 40
        rows.append(f'<place id="pl{i}" page="entity/pl{i}.html" name="Ort {i}{"x" * (i % 7)}" '
                    f'lat="{lat:.5g}" long="{lon:.5g}" documents="{i % 5}"/>')
        points.append((float(f"{lat:.5g}"), float(f"{lon:.5g}")))
    # the frame the site's build gives the map page (toolkit/outputs/html/outline.py)
    frame = " ".join(f'{k}="{v}"' for k, v in Frame.of(points).attributes().items())
    site = f'<site><page kind="map" href="map.html" root="" {frame}>{"".join(rows)}</page></site>'
    exe = saxon.compile_stylesheet(SITE_XSL)
    exe.set_base_output_uri(tmp_path.resolve().as_uri() + "/")
    exe.transform_to_string(xdm_node=saxon.to_xdm(site, tmp_path.resolve().as_uri() + "/site.xml"))
    return html.fromstring((tmp_path / "map.html").read_bytes())


def _svg(root):
    [svg] = [e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "svg"]
    return svg


def _local(e) -> str:
    return e.tag.rsplit("}", 1)[-1] if isinstance(e.tag, str) else ""


def _places(svg):
    out = []
    for a in svg.iter():
        if _local(a) != "a":
            continue
        circle = next(e for e in a if _local(e) == "circle")
        text = next(e for e in a if _local(e) == "text")
        out.append({"x": float(circle.get("cx")), "y": float(circle.get("cy")), "name": text.text,
                    "tx": float(text.get("x")), "ty": float(text.get("y")), "anchor": text.get("text-anchor"),
                    "on": "map-label-on" in text.get("class").split()})
    return out


def _reference(places, W, H):
    """The plain, quadratic rule (what map.xsl did before the grid)."""
    fs, g = 15, 10
    overlap = lambda a, b: a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]
    dots = [(p["x"] - 7, p["x"] + 7, p["y"] - 7, p["y"] + 7) for p in places]
    placed, result = [], []
    for i, p in enumerate(places):
        x, y, w = p["x"], p["y"], len(p["name"]) * 9.2 + 2
        cands = [(x + g, y + 0.35 * fs, "start", (x + g, x + g + w, y - 0.5 * fs, y + 0.55 * fs)),
                 (x - g, y + 0.35 * fs, "end", (x - g - w, x - g, y - 0.5 * fs, y + 0.55 * fs)),
                 (x, y - g - 0.25 * fs, "middle", (x - w / 2, x + w / 2, y - g - 1.05 * fs, y - g)),
                 (x, y + g + 0.8 * fs, "middle", (x - w / 2, x + w / 2, y + g, y + g + 1.05 * fs))]
        inside = [c for c in cands if c[3][0] >= 2 and c[3][1] <= W - 2 and c[3][2] >= 2 and c[3][3] <= H - 2]
        free = next((c for c in inside if not any(overlap(c[3], q) for q in placed)
                     and not any(overlap(c[3], d) for j, d in enumerate(dots) if j != i)), None)
        if free:
            placed.append(free[3])
        c = free or (inside + cands)[0]
        result.append((round(c[0], 6), round(c[1], 6), c[2], free is not None))
    return result


@pytest.mark.parametrize("n", [60, 400])
def test_grid_placement_equals_the_plain_rule(tmp_path, n):
    svg = _svg(_map_page(tmp_path, n))
    W, H = map(float, (svg.get("viewBox") or svg.get("viewbox")).split()[2:])
    places = _places(svg)
    assert len(places) == n
    got = [(round(p["tx"], 6), round(p["ty"], 6), p["anchor"], p["on"]) for p in places]
    want = _reference(places, W, H)
    # the page writes coordinates rounded to what XPath's double output gives; compare loosely
    assert len(got) == len(want)
    for g, w, p in zip(got, want, places):
        assert g[2:] == w[2:], (p["name"], g, w)
        assert abs(g[0] - w[0]) < 1e-6 and abs(g[1] - w[1]) < 1e-6, (p["name"], g, w)
    assert sum(p["on"] for p in places) > 10
    assert "map-hover-labels" not in svg.get("class")


def test_no_static_labels_above_400_places(tmp_path):
    svg = _svg(_map_page(tmp_path, 401))
    places = _places(svg)
    assert len(places) == 401
    assert not any(p["on"] for p in places)
    assert "map-hover-labels" in svg.get("class").split()
    W, H = map(float, (svg.get("viewBox") or svg.get("viewbox")).split()[2:])
    # each label still has a position inside the plot for hover and focus (when one exists)
    assert all(0 <= p["tx"] <= W and 0 <= p["ty"] <= H for p in places)
