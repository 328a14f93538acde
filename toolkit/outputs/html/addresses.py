"""Page addresses: where each document's page and TEI copy, and each entity's page, live in the
site (doc/<id>.html, tei/<path>, entity/<id>.html), as safe, unique (case-insensitively) names."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Authority files with more entries than this (a project-wide register) get pages only for the
# entities the documents mention; smaller ones get a page for every entry.
ALL_ENTITY_PAGES_UP_TO = 500


def safe_name(s: str) -> str:
    t = re.sub(r"[^A-Za-z0-9._-]+", "-", s).strip("-.")
    return t or "x"


@dataclass
class Addresses:
    doc_page: dict[str, str] = field(default_factory=dict)    # document id → doc/<name>.html
    doc_source: dict[str, str] = field(default_factory=dict)  # document id → tei/<path>
    ent_page: dict[str, str] = field(default_factory=dict)    # entity id → entity/<name>.html


def assign(edition, mentioned=None) -> Addresses:
    """Every page's address. `mentioned()`, asked only when the authority files are large
    (ALL_ENTITY_PAGES_UP_TO), gives the ids of the entities the documents name (in their text
    or their registers): only those get a page."""
    out = Addresses()
    used: set[str] = set()
    used_src: set[str] = set()
    for d in edition.documents:
        name = safe_name(d.id)
        while name.lower() in used:
            name += "-x"
        used.add(name.lower())
        out.doc_page[d.id] = f"doc/{name}.html"
        src = "/".join(safe_name(p) for p in d.href.split("/") if p not in ("", ".", ".."))
        while src.lower() in used_src:
            src = src[:-4] + "-x.xml"
        used_src.add(src.lower())
        out.doc_source[d.id] = f"tei/{src}"
    used = set()
    entities = edition.entities
    if len(entities) > ALL_ENTITY_PAGES_UP_TO and mentioned is not None:
        # those its registers name too: the register entries of its page link to them
        names = mentioned()
        entities = {e: v for e, v in entities.items() if e in names}
    for eid in sorted(entities):
        name = safe_name(eid)
        while name.lower() in used:
            name += "-x"
        used.add(name.lower())
        out.ent_page[eid] = f"entity/{name}.html"
    return out
