"""Page addresses: where each document's page and TEI copy, and each entity's page, live in the
site (doc/<name>.html, tei/<folders>/<name>.xml, entity/<name>.html), named by the model's one
page-name rule (Edition.page_names, Edition.entity_names: toolkit/tei/names.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...tei.names import page_name

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
    # one name per document for its page, TEI copy and PDF (Edition.page_names); the copy keeps
    # the folders of its source
    names = edition.page_names()
    for d in edition.documents:
        out.doc_page[d.id] = f"doc/{names[d.id]}.html"
        folders = [page_name(p) for p in d.href.split("/")[:-1] if p not in ("", ".", "..")]
        out.doc_source[d.id] = "/".join(["tei", *folders, names[d.id] + ".xml"])
    entities = edition.entities
    if len(entities) > ALL_ENTITY_PAGES_UP_TO and mentioned is not None:
        # those its registers name too: the register entries of its page link to them
        named = mentioned()
        entities = {e: v for e, v in entities.items() if e in named}
    names = edition.entity_names()  # (Edition.entity_names: also the popovers' anchors)
    for eid in sorted(entities):
        out.ent_page[eid] = f"entity/{names[eid]}.html"
    return out
