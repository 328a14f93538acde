"""What a citation of a document names, read from the TEI once (the HTML page's suggested
citation, its BibTeX/RIS/CSL-JSON exports and its <head> metadata take these fields from the
context, never from the TEI again):

- of the edition (edition.xml): its editors (titleStmt/editor, else the names of the
  titleStmt's respStmts whose resp speaks of editing or encoding), its version
  (editionStmt/edition: @n, else its text), its date (publicationStmt/date: @when, else its
  text) and its publisher (publicationStmt/publisher, else authority);
- of a document: the archival call number of its source (msIdentifier: an altIdentifier of
  @type "citation", else its settlement, repository, collections and idno joined by commas).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import T
from .reading import text_of

_EDITING = ("edit", "encod")


@dataclass(frozen=True)
class EditionCitation:
    editors: tuple[str, ...] = ()
    version: str = ""
    date: str = ""
    publisher: str = ""


def edition_citation(root) -> EditionCitation:
    """The citation fields of edition.xml's header (module text); empty when `root` is None."""
    if root is None:
        return EditionCitation()
    stmt = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt")
    editors: list[str] = []
    if stmt is not None:
        editors = [text_of(e, fields=True) for e in stmt.iterchildren(T + "editor")]
        if not editors:
            for resp_stmt in stmt.iterchildren(T + "respStmt"):
                resp = " ".join(text_of(r) for r in resp_stmt.iterchildren(T + "resp")).lower()
                if any(w in resp for w in _EDITING):
                    editors += [text_of(n) for n in resp_stmt
                                if isinstance(n.tag, str) and n.tag != T + "resp"]
    ed = root.find(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition")
    version = ((ed.get("n") or "").strip() or text_of(ed)) if ed is not None else ""
    pub = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt")
    date = publisher = ""
    if pub is not None:
        d = pub.find(T + "date")
        if d is not None:
            date = (d.get("when") or "").strip() or text_of(d)
        p = pub.find(T + "publisher")
        if p is None:
            p = pub.find(T + "authority")
        publisher = text_of(p, fields=True) if p is not None else ""
    return EditionCitation(tuple(dict.fromkeys(e for e in editors if e)), version, date, publisher)


def call_number(root) -> str:
    """The archival call number of a document's source (module text); "" when it has none."""
    header = root.getroottree().getroot().find(T + "teiHeader")
    ident = header.find(f".//{T}sourceDesc//{T}msIdentifier") if header is not None else None
    if ident is None:
        return ""
    for alt in ident.iterchildren(T + "altIdentifier"):
        if alt.get("type") == "citation":
            text = text_of(alt, fields=True)
            if text:
                return text
    parts = [text_of(c) for c in ident if isinstance(c.tag, str)
             and c.tag in (T + "settlement", T + "repository", T + "collection", T + "idno")]
    return ", ".join(p for p in parts if p)
