"""Name matching, remarks and dates of the importer, on small invented authority lists (the rules,
not the bundled edition)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from toolkit.importer import remarks
from toolkit.importer.dates import find_dates, parse_document_date
from toolkit.importer.entities import Gazetteer, candidates, find_names, tokenize


@dataclass
class Ent:                     # the fields of toolkit.model.Entity the gazetteer reads
    id: str
    kind: str
    preferred: str
    variants: list[str] = field(default_factory=list)


GAZ = Gazetteer([
    Ent("kashgar", "place", "Kashgar"),
    Ent("kashgar-district", "place", "Kashgar District"),
    Ent("urumqi", "place", "Urumqi"),
    Ent("hotan-district", "place", "Hotan District"),
    Ent("hotan", "place", "Hotan", ["Hetian"]),
    Ent("south", "place", "South Xinjiang", ["south of Xinjiang"]),
    Ent("xinjiang", "place", "Xinjiang"),
    Ent("smirnov", "person", "Smirnov"),
    Ent("ma-hushan", "person", "Ma Hushan"),
    Ent("stalin", "person", "I. V. Stalin", ["I. Stalin", "Stalin"]),
    Ent("red-army", "org", "Red Army", ["RKKA"]),
    Ent("uzbek", "org", "Uzbek RKKA regiment"),
    Ent("kazakh", "org", "Kazakh RKKA regiment"),
    Ent("twin-a", "person", "Ivanov"),
    Ent("twin-b", "person", "Ivanov"),
])


def names(text: str) -> list[tuple[str, str]]:
    """(matched text, entity id) for every unambiguous name found."""
    out = []
    for m in find_names(GAZ, tokenize(text)):
        ident = m.ref.id if not m.ambiguous else "?"
        out.append((text[m.start:m.end], ident))
    return out


@pytest.mark.parametrize("text,expected", [
    ("occupation of Kashgar District by", [("Kashgar District", "kashgar-district")]),
    ("east of Kashgar.", [("Kashgar", "kashgar")]),
    ("the Kashgarian merchants", []),                                   # word boundary
    ("between ÜRÜMQI and Urümqi", [("ÜRÜMQI", "urumqi"), ("Urümqi", "urumqi")]),   # folding
    ("Charge Cde. Smirnov, the", [("Smirnov", "smirnov")]),             # title stays outside
    ("to Ma Hushan's request", [("Ma Hushan", "ma-hushan")]),           # possessive
    ("signed by Cde. I.V. Stalin", [("I.V. Stalin", "stalin")]),        # initials spacing
    ("peace in the south of Xinjiang ,", [("south of Xinjiang", "south")]),
    ("a red army detachment", []),                                      # lower case: not a name
    ("Cdes. Ivanov and Smirnov", [("Ivanov", "?"), ("Smirnov", "smirnov")]),  # ambiguous
])
def test_names(text, expected):
    assert names(text) == expected


def test_coordinated_names_are_split_and_the_shared_tail_tagged_once():
    text = "Concentrate the Uzbek and Kazakh RKKA regiments on the border."
    assert names(text) == [("Uzbek", "uzbek"), ("Kazakh", "kazakh"), ("RKKA", "red-army")]


def test_coordination_needs_both_conjuncts():
    # "Urumqi District" is not a name: "Hotan District" is tagged whole, Urumqi on its own
    assert names("between Urumqi and Hotan District") == [("Urumqi", "urumqi"),
                                                          ("Hotan District", "hotan-district")]


def _stream(text):
    """Tokens with alternative brackets marked, as markup builds them."""
    found, _ = remarks.find(text)
    stream, pos = [], 0
    from toolkit.importer.entities import Token
    for k, r in enumerate(found):
        stream += tokenize(text[pos:r.start], pos)
        if r.kind == "alternative":
            stream += [Token(t.start, t.end, t.text, t.key, k) for t in tokenize(r.content, r.start + 1)]
        pos = r.end
    return stream + tokenize(text[pos:], pos), found


def test_alternatives_and_supplied_words():
    stream, found = _stream("between Urumqi and Hotan [Hetian] also besides the Hotan [District] on")
    ms = find_names(GAZ, stream)
    assert [(m.ref.id, m.trailing, m.consumed) for m in ms] == [
        ("urumqi", None, []), ("hotan", 0, []), ("hotan-district", None, [1])]
    stream, found = _stream("from the Kashgar [Kashi] District to")
    (m,) = find_names(GAZ, stream)
    assert m.ref.id == "kashgar-district" and m.skipped == [0]


@pytest.mark.parametrize("text,kind", [
    ("[handwritten at the top of the page: point 539 is in classified storage]", "handwritten"),
    ("[CC seal]", "seal"),
    ("[signed]", "signed"),
    ("Hotan [Hetian]", "alternative"),
    ("[illegible]", "editorial"),
    ("Hotan [illegible]", "editorial"),
])
def test_remark_kinds(text, kind):
    found, unpaired = remarks.find(text)
    assert [r.kind for r in found] == [kind] and unpaired == []


def test_handwritten_parts_and_places():
    text = ("[handwritten at the top of the page: point 539 is in classified storage; handwritten "
            "before the previous entry: Politburo decision of 14 June 1937; handwritten in the margin: ok]")
    (r,) = remarks.find(text)[0]
    assert [(p.place, text[p.start:p.end]) for p in r.parts] == [
        ("top", "point 539 is in classified storage"),
        ("before-entry", "Politburo decision of 14 June 1937"),
        (None, "ok")]


def test_unpaired_brackets():
    text = "see [point 16) and ] here ] and [x] then ["
    found, unpaired = remarks.find(text)
    assert [r.content for r in found] == ["point 16) and ", "x"]
    assert [text[i] for i in unpaired] == ["]", "["] and unpaired == [26, len(text) - 1]
    found, unpaired = remarks.find("see [point 16 and [x]")
    assert [r.content for r in found] == ["x"] and unpaired == [4]


def test_unknown_name_candidates():
    text = "1. Charge Cde. Orlovsky with Soviet help to Kuldja. Later the Chinese Consul arrives."
    stream = tokenize(text)
    found = [(text[c.start:c.end], c.kind) for c in candidates(GAZ, stream, lambda i: False)]
    assert ("Orlovsky", "person") in found and ("Kuldja", "unknown") in found
    assert not any(t.startswith(("Charge", "Later")) for t, _ in found)   # sentence starts


JUNE_14 = dt.date(1937, 6, 14)


@pytest.mark.parametrize("text,expected", [
    ("appeals of 4 and 6 June in", [("4", "1937-06-04"), ("6 June", "1937-06-06")]),
    ("the 15 July 1936 peace agreement", [("15 July 1936", "1936-07-15")]),
    ("DECISIONS OF 17 April - 15 June 1937", [("17 April - 15 June 1937", "1937-04-17/1937-06-15")]),
    ("met on June 3, 1937 and", [("June 3, 1937", "1937-06-03")]),
    ("in May 1937", [("May 1937", "1937-05")]),
    ("from 20 December - 5 January 1938", [("20 December - 5 January 1938", "1937-12-20/1938-01-05")]),
    ("by 20 December", []),                       # past or future: not settled
    ("on 31 June 1937", []),                      # no such day
    ("the 19th Omsk regiment, 539 troops", []),
])
def test_dates(text, expected):
    found, _ = find_dates(text, JUNE_14)
    assert [(text[d.start:d.end], d.when or f"{d.from_}/{d.to}") for d in found] == expected


def test_unsettled_dates_are_reported():
    _, problems = find_dates("by 20 December and on 31 June 1937", JUNE_14)
    assert [p.text for p in problems] == ["20 December", "31 June 1937"]
    _, problems = find_dates("on 4 June", None)        # no document date: no year
    assert [p.text for p in problems] == ["4 June"]


@pytest.mark.parametrize("line,iso", [("June 14, 1937", "1937-06-14"), ("14 June 1937", "1937-06-14"),
                                      ("July 1945", "1945-07"), ("1945", "1945"),
                                      ("Concerning Xinjiang", None), ("June 31, 1937", None)])
def test_document_date(line, iso):
    got = parse_document_date(line)
    assert (got[0] if got else None) == iso
