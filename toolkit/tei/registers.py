"""Registers in a document's back matter as authority data for that document.

A letter of the Schnitzler edition carries in `<text><back>` the persons, places, organisations
(and works, events) it names: `<listPerson><person xml:id="pmb10815">…`. Its names point there
(`persName ref="#pmb10815"`). These entries are the document's own authority data: the model
(toolkit/model.py, Edition._index) makes entities of its persons, places and organisations,
after those of the edition's authority files — an authority file's entry with the same id wins,
and of several documents that give the same id the first (in file order) does. The outputs show
the registers compactly (a line of linked names), not as their raw text.
"""
from __future__ import annotations

from lxml import etree

from ..xmlsafe import TEI_NS
from . import T, XML_ID, local
from .classes import CLASSES

ENTITY_KINDS = CLASSES.map("entity-kinds")
_ENTRY_TAGS = tuple(T + k for k in ENTITY_KINDS)
_AUTHORITY_LISTS = frozenset(T + n for n in CLASSES.authority_lists)
# the back of the text, and of the texts of a group (a collection of letters in one file)
_BACKS = etree.XPath("tei:text/tei:back | tei:text/tei:group//tei:text/tei:back",
                     namespaces={"tei": TEI_NS})


def local_entries(root: etree._Element) -> list[tuple[str, str, etree._Element]]:
    """[(kind, id, element)] of the entries of the persons, places and organisations that the
    registers (listPerson, listPlace, listOrg) of a document's back matter give, in document
    order; entries without an xml:id are left out (nothing can point to them)."""
    out = []
    for back in _BACKS(root):
        for lst in back.iter(*_AUTHORITY_LISTS):
            if any(a.tag in _AUTHORITY_LISTS for a in lst.iterancestors()):
                continue  # a list inside a list: reached from the outer one
            for el in lst.iter(*_ENTRY_TAGS):
                eid = el.get(XML_ID)
                if eid:
                    out.append((ENTITY_KINDS[local(el.tag)], eid, el))
    return out


def may_have_entries(stand_in_root: etree._Element) -> bool:
    """Whether an id-only stand-in (the HTML build's unchanged files, html.stand_ins: one child
    per element with an xml:id) records an element that could be a register entry."""
    return any(c.tag in _ENTRY_TAGS for c in stand_in_root)
