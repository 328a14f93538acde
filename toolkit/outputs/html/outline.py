"""The map's frame and outline (#14): which part of the earth map.html shows, and its coastlines
and borders as SVG path data, drawn at build time from Natural Earth's vector data (public
domain) as the npm package world-atlas (ISC) ships it in TopoJSON. The package is installed by
scripts/install-system-deps.sh into xslt/html/map/node_modules (the toolkit's own resources);
nothing is fetched, and without it the map is drawn without an outline.

The frame is decided here once: map.xsl plots the places in it (its x and y) and the outline
is projected with the same numbers (equirectangular, the width 900 units, the height from the
latitude span and the cosine of the middle latitude).
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ...saxon import XSLT_DIR

ATLAS = XSLT_DIR / "html" / "map" / "node_modules" / "world-atlas"
WIDTH = 900
MARGIN = 12        # units of the plot the outline reaches beyond its edges (hidden by the frame)
MIN_STEP = 0.8     # a point nearer than this (units) to the last one kept is left out


def _round(v: float) -> float:
    """XPath's round to one decimal (halves up), as map.xsl writes coordinates."""
    return math.floor(v * 10 + 0.5) / 10


@dataclass(frozen=True)
class Frame:
    lat0: float
    lat1: float
    lon0: float
    lon1: float
    width: int
    height: int

    @classmethod
    def of(cls, points: list[tuple[float, float]]) -> Frame:
        """The frame around (lat, long) points: a margin of 12 % of their span (at least 1.5°),
        half as much again east and west."""
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        pad = max(1.5, (max(lons) - min(lons)) * 0.12, (max(lats) - min(lats)) * 0.12)
        lat0, lat1 = max(-90.0, min(lats) - pad), min(90.0, max(lats) + pad)
        lon0, lon1 = max(-180.0, min(lons) - pad * 1.5), min(180.0, max(lons) + pad * 1.5)
        k = math.cos((lat0 + lat1) / 2 * math.pi / 180)
        height = max(240, min(900, math.floor(WIDTH * (lat1 - lat0) / ((lon1 - lon0) * k) + 0.5)))
        return cls(lat0, lat1, lon0, lon1, WIDTH, height)

    def x(self, lon: float) -> float:
        return (lon - self.lon0) / (self.lon1 - self.lon0) * self.width

    def y(self, lat: float) -> float:
        return (self.lat1 - lat) / (self.lat1 - self.lat0) * self.height

    def attributes(self) -> dict[str, str]:
        return {"lat0": repr(self.lat0), "lat1": repr(self.lat1), "lon0": repr(self.lon0),
                "lon1": repr(self.lon1), "width": str(self.width), "height": str(self.height)}


@functools.lru_cache(maxsize=4)
def _topology(name: str):
    """(land rings, border lines) of one world-atlas file, in degrees; None without the file."""
    path = ATLAS / name
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        line = []
        for dx, dy in arc:  # delta-encoded, quantized positions
            x += dx
            y += dy
            line.append((x * sx + tx, y * sy + ty))
        arcs.append(line)

    def ring(indexes):
        out: list = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    def polygons(geom):
        if geom.get("type") == "Polygon":
            return [geom["arcs"]]
        if geom.get("type") == "MultiPolygon":
            return geom["arcs"]
        return []

    land = [ring(r) for g in topo["objects"]["land"]["geometries"] for poly in polygons(g) for r in poly]
    owners: dict[int, set] = {}
    for n, g in enumerate(topo["objects"]["countries"]["geometries"]):
        for poly in polygons(g):
            for r in poly:
                for i in r:
                    owners.setdefault(i if i >= 0 else ~i, set()).add(n)
    borders = [arcs[i] for i, who in sorted(owners.items()) if len(who) > 1]
    return land, borders


def _clip(ring: list, x0: float, y0: float, x1: float, y1: float) -> list:
    """A closed ring clipped to a rectangle (Sutherland–Hodgman, one edge at a time)."""
    def cut(pts, inside, cross):
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        return out

    def at_x(x):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    for inside, cross in ((lambda p: p[0] >= x0, at_x(x0)), (lambda p: p[0] <= x1, at_x(x1)),
                          (lambda p: p[1] >= y0, at_y(y0)), (lambda p: p[1] <= y1, at_y(y1))):
        if not ring:
            break
        ring = cut(ring, inside, cross)
    return ring


def _thin(pts: list) -> list:
    out = []
    for p in pts:
        if not out or abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= MIN_STEP:
            out.append(p)
    return out


def _d(pts: list, close: bool) -> str:
    return "M" + " ".join(f"{_round(x):g},{_round(y):g}" for x, y in pts) + ("Z" if close else "")


def outline(frame: Frame) -> tuple[str, str] | None:
    """(land, borders): SVG path data of the coastlines (closed land areas) and of the borders
    between countries inside the frame; None when world-atlas is not installed. The 1:50m data
    for a frame under 40° across, else 1:110m."""
    wide = max(frame.lon1 - frame.lon0, frame.lat1 - frame.lat0) >= 40
    topo = _topology("countries-110m.json" if wide else "countries-50m.json")
    if topo is None:
        return None
    land, borders = topo
    x0, y0, x1, y1 = -MARGIN, -MARGIN, frame.width + MARGIN, frame.height + MARGIN
    # the rectangle in degrees, with the margin: what lies wholly outside is skipped unprojected
    lon_m = MARGIN / frame.width * (frame.lon1 - frame.lon0)
    lat_m = MARGIN / frame.height * (frame.lat1 - frame.lat0)
    box = (frame.lon0 - lon_m, frame.lat0 - lat_m, frame.lon1 + lon_m, frame.lat1 + lat_m)

    def near(pts):
        return not (max(p[0] for p in pts) < box[0] or min(p[0] for p in pts) > box[2]
                    or max(p[1] for p in pts) < box[1] or min(p[1] for p in pts) > box[3])

    def project(pts):
        return [(frame.x(lon), frame.y(lat)) for lon, lat in pts]

    land_d = []
    for ring in land:
        if len(ring) > 2 and near(ring):
            clipped = _thin(_clip(project(ring), x0, y0, x1, y1))
            if len(clipped) > 2:
                land_d.append(_d(clipped, True))
    border_d = []
    for line in borders:
        if len(line) < 2 or not near(line):
            continue
        run: list = []
        for x, y in project(line):
            if x0 <= x <= x1 and y0 <= y <= y1:
                run.append((x, y))
            else:
                if len(run) > 1:
                    border_d.append(_d(_thin(run), False))
                run = []
        if len(run) > 1:
            border_d.append(_d(_thin(run), False))
    return "".join(land_d), "".join(border_d)


def installed() -> bool:
    return (ATLAS / "countries-50m.json").is_file()


def atlas_path() -> Path:
    return ATLAS
