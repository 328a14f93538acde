"""What an entity's popover and index show besides its names, read from its authority entry once:
its dates (birth–death, else floruit; for an organisation its event dates), its roles
(occupation, roleName, affiliation, a place's or organisation's type), its authority
identifiers (idno: GND, VIAF, Wikidata, GeoNames … as labelled links), and, for persons, the
heading an index shows ("Stalin, I. V.") and the key it sorts by (by surname)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from . import T, norm_space
from .facts import date_label
from .names import index_heading, sort_key
from .reading import text_of

WEB = "Web"  # the label of a plain web address: a word of the interface (context.py translates it)
# authority identifiers: a label for the idno's @type (case-insensitive), or for its URL's host
_AUTHORITIES = {"gnd": "GND", "viaf": "VIAF", "wikidata": "Wikidata", "wd": "Wikidata",
                "geonames": "GeoNames", "orcid": "ORCID", "isni": "ISNI", "lccn": "LCCN",
                "loc": "Library of Congress", "pleiades": "Pleiades", "tgn": "Getty TGN",
                "ulan": "Getty ULAN", "pmb": "PMB", "wikipedia": "Wikipedia", "url": WEB}
_HOSTS = (("d-nb.info", "GND"), ("viaf.org", "VIAF"), ("wikidata.org", "Wikidata"),
          ("geonames.org", "GeoNames"), ("orcid.org", "ORCID"), ("isni.org", "ISNI"),
          ("id.loc.gov", "Library of Congress"), ("pleiades.stoa.org", "Pleiades"),
          ("vocab.getty.edu", "Getty"), ("wikipedia.org", "Wikipedia"))
# URLs made of an identifier of a known type (an idno that gives the number only)
_URL_OF = {"GND": "https://d-nb.info/gnd/{}", "VIAF": "https://viaf.org/viaf/{}",
           "Wikidata": "https://www.wikidata.org/wiki/{}", "GeoNames": "https://www.geonames.org/{}",
           "ORCID": "https://orcid.org/{}"}
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:/-]+$")


def idnos(el) -> list[tuple[str, str, str]]:
    """[(label, value, url)] of an entry's idnos, in order: the label from @type (else the URL's
    host, else "Identifier"), the url an http(s) value, or one made for a known type; "" when
    none."""
    out = []
    for i in el.iterchildren(T + "idno"):
        value = norm_space("".join(i.itertext()))
        if not value:
            continue
        typ = (i.get("type") or "").strip()
        label = _AUTHORITIES.get(typ.lower(), "")
        url = value if re.match(r"^https?://", value, re.I) else ""
        if url and not label:
            host = urlsplit(url).hostname or ""
            label = next((lab for h, lab in _HOSTS if host == h or host.endswith("." + h)), "")
        if not url and label in _URL_OF and _SAFE_ID.match(value):
            url = _URL_OF[label].format(value)
        out.append((label or typ or "Identifier", value, url))
    return out


def dates(el) -> str:
    """"1878–1953": birth–death (as date labels; one of them alone as "born …"/"died …"), else
    floruit, else an organisation's event dates; "" when the entry gives none."""
    def label(tag):
        d = el.find(T + tag)
        if d is None:
            return ""
        inner = d.find(T + "date")
        return date_label(inner if inner is not None and not any(d.get(a) for a in ("when", "notBefore", "from")) else d)
    born, died = label("birth"), label("death")
    if born and died:
        return f"{born} – {died}" if " " in born + died else f"{born}–{died}"
    if born or died:
        return f"born {born}" if born else f"died {died}"
    return label("floruit") or label("event")


def roles(el) -> list[str]:
    """The entry's occupations, roles and affiliations as written (white space collapsed)."""
    out = [text_of(c) for c in el if isinstance(c.tag, str)
           and c.tag in (T + "occupation", T + "roleName", T + "affiliation", T + "faith")]
    return [r for r in dict.fromkeys(out) if r]


def _preferred_persname(el):
    names = el.findall(T + "persName")
    return next((n for n in names if n.get("type") in ("preferred", "pref", "main", "reg")),
                names[0] if names else None)


def person_heading(el, preferred: str) -> str:
    """A person's index heading: "Surname, Forenames" when the preferred persName marks its
    surname, or when it starts with initials ("I. V. Stalin" → "Stalin, I. V."); else the name as
    written ("Ma Hushan": no rule can tell its surname)."""
    name = _preferred_persname(el)
    if name is not None:
        sur = name.find(T + "surname")
        if sur is not None:
            rest = " ".join(text_of(c) for c in name if isinstance(c.tag, str)
                            and c.tag in (T + "forename", T + "addName", T + "nameLink", T + "roleName"))
            surname = text_of(sur)
            if surname:
                return f"{surname}, {rest}" if rest.strip() else surname
    return index_heading(preferred)  # leading initials after the rest (toolkit/tei/names.py)


def person_sort_key(el, preferred: str) -> str:
    """A person's sort key: @sortKey (of the preferred persName, else of the person), else the
    key (names.sort_key) of its heading, so that persons sort by surname."""
    name = _preferred_persname(el)
    explicit = (name.get("sortKey") if name is not None else None) or el.get("sortKey")
    if explicit and explicit.strip():
        return sort_key(explicit)
    return sort_key(person_heading(el, preferred).replace(",", ""))


def heading(kind: str, el, preferred: str) -> str:
    """An entity's heading in every index and filter: a person's person_heading, any other's
    preferred name."""
    return person_heading(el, preferred) if kind == "person" and el is not None else preferred
