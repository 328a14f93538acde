"""Coordinates of places (TEI <geo>): the one parser, for the model, the context and the map."""
from __future__ import annotations

import re

from . import T, local

# one coordinate: an optional hemisphere letter before or after, degrees (decimal point or comma),
# optional minutes and seconds
_COORD = re.compile(r"([NSEW]?)(-?\d+(?:[.,]\d+)?)(?:°(?:(\d+(?:[.,]\d+)?)['′](?:(\d+(?:[.,]\d+)?)(?:\"|″|''))?)?)?([NSEW]?)",
                    re.IGNORECASE)


def parse_geo(text: str | None) -> tuple[float, float] | None:
    """(latitude, longitude) of a <geo>: "lat long" as TEI writes it, also "48.3, 14.2",
    "48.3,14.2", decimal commas ("48,3 14,28333", "48,3; 14,2"), hemisphere letters ("N48.3
    E14.2", "33.9°S 18.4°E": south and west are negative; "14.2 E 48.3 N" is read as latitude
    first) and degrees with minutes and seconds ("48°18′N"); a third number (altitude) is
    ignored. None when it is none of these ("48,3,14,2" is ambiguous) or out of range."""
    t = (text or "").strip()
    # hemisphere letters written apart: before the numbers ("N 48.3") when the text starts with
    # one, else after them ("48.3 N", "48.3 °N")
    if re.match(r"(?i)[NSEW]\b", t):
        t = re.sub(r"(?i)\b([NSEW])\s+(?=[-\d])", r"\1", t)
    else:
        t = re.sub(r"(?i)(?<=[\d°′'″\"])\s+(?=[NSEW]\b|[°′'″\"])", "", t)
    if ";" in t:
        chunks = t.split(";")
    elif re.search(r",\s", t):
        chunks = re.split(r",\s+", t)
    else:
        chunks = t.split() if len(t.split()) > 1 else t.split(",")
    chunks = [c.strip() for c in chunks if c.strip()]
    if len(chunks) == 3 and re.fullmatch(r"-?\d+(?:\.\d+)?", chunks[2]):
        chunks = chunks[:2]
    if len(chunks) != 2:
        return None
    parsed = [_coordinate(c) for c in chunks]
    if None in parsed:
        return None
    (a, ha), (b, hb) = parsed
    lat_first = ha in ("N", "S") or hb in ("E", "W")
    long_first = ha in ("E", "W") or hb in ("N", "S")
    if lat_first and long_first:  # "N48 N14", "E48 E14"
        return None
    if long_first:
        a, b = b, a
    return (a, b) if -90 <= a <= 90 and -180 <= b <= 180 else None


def _coordinate(chunk: str) -> tuple[float, str] | None:
    """(value, hemisphere letter or "") of one coordinate."""
    m = _COORD.fullmatch(chunk)
    if not m or (m.group(1) and m.group(5)):
        return None
    deg, mins, secs = (float(x.replace(",", ".")) if x else 0.0 for x in m.group(2, 3, 4))
    if mins >= 60 or secs >= 60:
        return None
    value = abs(deg) + mins / 60 + secs / 3600
    hemisphere = (m.group(1) or m.group(5)).upper()
    negative = deg < 0 or m.group(2).startswith("-") or hemisphere in ("S", "W")
    return (-value if negative else value), hemisphere


def entity_geo(el) -> tuple[float, float] | None:
    """Where an authority entry lies: its location/geo, or for a place any <geo> inside it (a
    place without <location>); parse_geo of the first."""
    g = el.find(f"{T}location/{T}geo")
    if g is None and local(el.tag) == "place":
        g = next(el.iter(T + "geo"), None)
    return parse_geo(g.text) if g is not None else None
