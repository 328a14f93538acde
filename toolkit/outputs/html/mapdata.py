"""The map of a large edition (issue #18): what map.html and its data files hold when the places
are too many to draw one by one in the page. Pure functions on the places and the frame
(outline.py); site.py puts the results into <page> elements, map.xsl and assets/map.js draw them.

Up to INLINE_PLACES places the page draws every dot, as it always did. Above that:

* the page's plot shows an overview: the places aggregated in a grid of OVERVIEW_CELL units
  (at most (900 / 30)² cells whatever the number of places), a cell of one place as its dot;
* the places themselves are in data files (assets/places.js, places-2.js …) of at most about
  CHUNK_BYTES each, one square of a quadtree over the plot each (the largest squares whose
  places fit), and the page names each file's bounding box, so that map.js loads only the files
  of the part of the map the reader zooms into, and an edit rewrites one file;
* the places as a table (the map without JavaScript, and its accessible alternative) split into
  pages by initial, as the index of places is (paging.index_pages).
"""
from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import paging
from .outline import Frame

INLINE_PLACES = 1000   # up to this many places every dot is in the page (≈ 600 bytes each)
OVERVIEW_CELL = 30     # the overview's grid, in units of the 900-unit-wide plot
CHUNK_BYTES = 120_000  # estimated bytes of one data file (the limit for any asset: 200 KB)
Z_BITS = 10            # the Z-order curve's grid: 1024 × 1024 cells of the plot


@dataclass(frozen=True)
class Place:
    id: str
    page: str
    name: str
    anchor: str
    lat: str        # as written (5 significant digits)
    long: str
    documents: int
    sort_key: str


@dataclass(frozen=True)
class Cluster:
    """One cell of the overview: its places' count and mean position (units), and the place
    itself when it is alone."""
    x: float
    y: float
    count: int
    only: Place | None


def xy(frame: Frame, p: Place) -> tuple[float, float]:
    return frame.x(float(p.long)), frame.y(float(p.lat))


def overview(frame: Frame, places: Sequence[Place], cell: float = OVERVIEW_CELL) -> list[Cluster]:
    """The places aggregated by grid cell, in the order of the cells (rows, then columns)."""
    cells: dict[tuple[int, int], list] = {}
    for p in places:
        x, y = xy(frame, p)
        c = cells.setdefault((math.floor(y / cell), math.floor(x / cell)), [0, 0.0, 0.0, p])
        c[0] += 1
        c[1] += x
        c[2] += y
    return [Cluster(round(sx / n, 1), round(sy / n, 1), n, p if n == 1 else None)
            for _, (n, sx, sy, p) in sorted(cells.items())]


def _z(frame: Frame, p: Place) -> int:
    """The place's position on a Z-order curve over the plot: near on the curve, near on the map."""
    x, y = xy(frame, p)
    side = 1 << Z_BITS
    i = min(side - 1, max(0, int(x / frame.width * side)))
    j = min(side - 1, max(0, int(y / frame.height * side)))
    z = 0
    for b in range(Z_BITS):
        z |= ((i >> b) & 1) << (2 * b) | ((j >> b) & 1) << (2 * b + 1)
    return z


def row(p: Place) -> list:
    """A place as its data file holds it (map.js reads the same fields)."""
    return [p.name, p.page, p.anchor, float(p.lat), float(p.long), p.documents]


def row_bytes(p: Place) -> int:
    return len(json.dumps(row(p), ensure_ascii=False).encode()) + 1


def chunks(frame: Frame, places: Sequence[Place], budget: int = CHUNK_BYTES) -> list[list[Place]]:
    """The places in data files: the largest squares of a quadtree over the plot whose places
    fit the budget (estimated bytes), in Z-order (places by name within a square). The squares'
    bounds do not depend on the other squares' places, so an edit rewrites the file of the
    square it falls in (two or four when a square is split or joined), not all that follow.
    A point with more places than a file holds is cut by size."""
    keyed = sorted(((_z(frame, p), p.sort_key, p.id, p) for p in places), key=lambda t: t[:3])
    zs = [t[0] for t in keyed]
    weights = [0]
    for t in keyed:
        weights.append(weights[-1] + row_bytes(t[3]))
    out: list[list[Place]] = []

    def square(lo: int, hi: int, prefix: int, level: int) -> None:
        if lo == hi:
            return
        if weights[hi] - weights[lo] <= budget:
            out.append([t[3] for t in keyed[lo:hi]])
        elif level == Z_BITS:
            out.extend(paging.chunks_by_bytes([t[3] for t in keyed[lo:hi]], row_bytes, budget))
        else:
            shift = 2 * (Z_BITS - level - 1)
            for q in range(4):
                sub = (prefix << 2 | q) << shift
                a, b = bisect.bisect_left(zs, sub, lo, hi), bisect.bisect_left(zs, sub + (1 << shift), lo, hi)
                square(a, b, prefix << 2 | q, level + 1)

    square(0, len(keyed), 0, 0)
    return out


def box(frame: Frame, part: Sequence[Place]) -> tuple[float, float, float, float]:
    """A data file's bounding box in units (x0, y0, x1, y1), rounded outwards to 0.1."""
    pts = [xy(frame, p) for p in part]
    return (math.floor(min(x for x, _ in pts) * 10) / 10, math.floor(min(y for _, y in pts) * 10) / 10,
            math.ceil(max(x for x, _ in pts) * 10) / 10, math.ceil(max(y for _, y in pts) * 10) / 10)


def chunk_href(k: int) -> str:
    """The k-th data file (map.js derives the same names)."""
    return "assets/places.js" if k == 1 else f"assets/places-{k}.js"


def list_pages(places: Sequence[Place]) -> list[list[tuple[str, list[Place]]]]:
    """The table's pages: by initial, as the index of places (places sorted by name)."""
    return paging.index_pages(places, lambda p: p.sort_key)


def list_href(k: int) -> str:
    return "map.html" if k == 1 else f"map-{k}.html"
