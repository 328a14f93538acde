"""Coordinates of places (TEI <geo>)."""
from __future__ import annotations

import re


def parse_geo(text: str) -> tuple[float, float] | None:
    """'lat long' as TEI writes it; also '48,3 14,28333' (decimal commas) and '48.3, 14.2'."""
    parts = text.split()
    if len(parts) == 2 and all(re.fullmatch(r"-?\d+(?:,\d+)?", p) for p in parts):
        parts = [p.replace(",", ".") for p in parts]
    else:
        parts = re.findall(r"-?\d+(?:\.\d+)?", text)
    if len(parts) < 2:
        return None
    lat, long = float(parts[0]), float(parts[1])
    return (lat, long) if -90 <= lat <= 90 and -180 <= long <= 180 else None


