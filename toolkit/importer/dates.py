"""Dates in running text → ISO 8601, only where unambiguous.

Recognised: "15 July 1936", "June 14, 1937", "June 1937", "4 and 6 June" (each day its own
date), "17 April - 15 June 1937" (a range), "14 June" (year from the document date when the
day lies within two months of it; otherwise left untagged and reported).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
          "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = r"(?P<{}>(?:January|February|March|April|May|June|July|August|September|October|" \
         r"November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.))"
_DAY = r"(?P<{}>[0-3]?\d)"
_YEAR = r"(?P<{}>1[6-9]\d\d|20\d\d)"
_DASH = r"\s*(?:-|–|—|to|through|until)\s*"


def _m(name):
    return _MONTH.format(name)


def _d(name):
    return _DAY.format(name)


def _y(name):
    return _YEAR.format(name)


# order matters: longest forms first. A list of days is bounded (a month has 31) and possessive
# (giving back a day can never let "and" match): unbounded, it was retried from every number of
# a long "1, 2, 3, …" to its end (quadratic).
PATTERNS = [
    ("range", re.compile(rf"\b{_d('d1')}(?:\s+{_m('m1')}(?:\s+{_y('y1')})?)?{_DASH}{_d('d2')}\s+{_m('m2')}(?:,?\s+{_y('y2')})?\b", re.I)),
    ("us_range", re.compile(rf"\b{_m('m1')}\s+{_d('d1')}(?:,\s+{_y('y1')})?{_DASH}(?:{_m('m2')}\s+)?{_d('d2')},\s+{_y('y2')}\b", re.I)),
    ("list", re.compile(rf"\b(?P<days>[0-3]?\d(?:\s*,\s*[0-3]?\d){{0,31}}+)\s*,?\s+and\s+{_d('d2')}\s+{_m('m2')}(?:,?\s+{_y('y2')})?\b", re.I)),
    ("dmy", re.compile(rf"\b{_d('d')}\s+{_m('m')}(?:,?\s+{_y('y')})?\b", re.I)),
    ("mdy", re.compile(rf"\b{_m('m')}\s+{_d('d')}(?:st|nd|rd|th)?(?:,\s+{_y('y')})?\b(?!\s*(?:-|–))", re.I)),
    ("my", re.compile(rf"\b{_m('m')}\s+{_y('y')}\b", re.I)),
]


@dataclass
class DateMatch:
    start: int
    end: int
    when: str | None = None
    from_: str | None = None
    to: str | None = None
    inferred_year: bool = False


@dataclass
class DateProblem:
    start: int
    text: str
    message: str


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _iso(y: int, m: int, d: int | None = None) -> str | None:
    try:
        if d is None:
            return f"{y:04d}-{m:02d}"
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


# A day and month without a year is dated only this close to the document's date ("4 and 6
# June" in a decision of 14 June); further away it may be the past or the future.
NEAR_DAYS = 62


def _infer_year(m: int, d: int, ref: dt.date | None) -> int | None:
    """The year of a day-month without year: the one nearest the document date, if within
    NEAR_DAYS of it and clearly nearer than any other ("20 December" in a decision of 3 March is
    either past or future: left alone)."""
    if ref is None:
        return None
    dists = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            dists.append((abs((dt.date(y, m, d) - ref).days), y))
        except ValueError:
            continue
    dists.sort()
    if not dists or dists[0][0] > NEAR_DAYS:
        return None
    if len(dists) > 1 and dists[1][0] < 2 * dists[0][0]:
        return None
    return dists[0][1]


def find_dates(text: str, ref: dt.date | None) -> tuple[list[DateMatch], list[DateProblem]]:
    """Dates in `text` (positions in it), and the date-like phrases that could not be resolved."""
    found: list[DateMatch] = []
    problems: list[DateProblem] = []
    taken = [False] * (len(text) + 1)

    def free(a, b):
        return not any(taken[a:b])

    def take(a, b):
        for k in range(a, b):
            taken[k] = True

    for kind, rx in PATTERNS:
        for mt in rx.finditer(text):
            a, b = mt.span()
            if not free(a, b):
                continue
            g = mt.groupdict()
            out: list[DateMatch] = []
            bad = None
            if kind in ("range", "us_range"):
                m2 = _month(g["m2"])
                m1 = _month(g["m1"]) if g.get("m1") else m2
                y2 = int(g["y2"]) if g.get("y2") else None
                inferred = False
                if y2 is None:
                    y2 = _infer_year(m2, int(g["d2"]), ref)
                    inferred = True
                y1 = int(g["y1"]) if g.get("y1") else y2
                if y1 is not None and y2 is not None and g.get("y1") is None and (m1, int(g["d1"])) > (m2, int(g["d2"])):
                    y1 = y2 - 1          # "20 December - 5 January 1937"
                f = _iso(y1, m1, int(g["d1"])) if y1 else None
                t = _iso(y2, m2, int(g["d2"])) if y2 else None
                if f and t and f <= t:
                    out.append(DateMatch(a, b, from_=f, to=t, inferred_year=inferred))
                else:
                    bad = "a range without a year that the document date can settle" if not (y1 and y2) \
                        else "not a valid range of dates"
            elif kind == "list":
                m2 = _month(g["m2"])
                d2 = int(g["d2"])
                y = int(g["y2"]) if g.get("y2") else _infer_year(m2, d2, ref)
                if y is None:
                    bad = "days without a year that the document date can settle"
                else:
                    days = [(mm.start(), mm.end(), int(mm.group())) for mm in re.finditer(r"\d+", g["days"])]
                    base = mt.start("days")
                    isos = [_iso(y, m2, d) for _, _, d in days] + [_iso(y, m2, d2)]
                    if None in isos:
                        bad = "not a valid day of the month"
                    else:
                        for (s, e, _), iso in zip(days, isos):
                            out.append(DateMatch(base + s, base + e, when=iso, inferred_year=not g.get("y2")))
                        out.append(DateMatch(mt.start("d2"), b, when=isos[-1], inferred_year=not g.get("y2")))
            elif kind in ("dmy", "mdy"):
                m = _month(g["m"])
                d = int(g["d"])
                y = int(g["y"]) if g.get("y") else _infer_year(m, d, ref)
                iso = _iso(y, m, d) if y else None
                if iso:
                    out.append(DateMatch(a, b, when=iso, inferred_year=not g.get("y")))
                elif y:
                    bad = "not a valid day of the month"
                else:
                    bad = "a day without a year that the document date can settle"
            elif kind == "my":
                out.append(DateMatch(a, b, when=_iso(int(g["y"]), _month(g["m"]))))
            if bad:
                problems.append(DateProblem(a, text[a:b], bad))
                take(a, b)
                continue
            take(a, b)
            found += out
    return sorted(found, key=lambda x: x.start), problems


def parse_document_date(text: str) -> tuple[str, dt.date | None] | None:
    """A date line on its own ("June 14, 1937", "14 June 1937", "July 1945", "1945") → (ISO,
    date for year inference); None when the line is not just a date."""
    s = text.strip().rstrip(".")
    for kind, rx in PATTERNS:
        if kind not in ("dmy", "mdy", "my"):
            continue
        mt = rx.fullmatch(s)
        if mt and mt.group("y"):
            g = mt.groupdict()
            m = _month(g["m"])
            if kind == "my":
                iso = _iso(int(g["y"]), m)
                return (iso, dt.date(int(g["y"]), m, 15)) if iso else None
            iso = _iso(int(g["y"]), m, int(g["d"]))
            return (iso, dt.date.fromisoformat(iso)) if iso else None
    if re.fullmatch(r"1[6-9]\d\d|20\d\d", s):
        return s, dt.date(int(s), 7, 1)
    return None
