"""Context slices: which documents and entities a document page's context holds (its
neighbours in date order, the documents it links to, the entities it names), the same choice
that the page's fingerprint records; the context itself is made by toolkit/context.py."""
from __future__ import annotations

from lxml import etree

from ... import context


class Links:
    """A document's neighbours and the documents it links to (by file name, or by id: a
    letter's correspContext/ref), in the edition's order."""

    def __init__(self, edition):
        self.docs = edition.documents
        self.index = {d.id: i for i, d in enumerate(self.docs)}
        self.by_id = {d.id: d for d in self.docs}
        self.by_name: dict[str, list[str]] = {}
        for d in self.docs:
            self.by_name.setdefault(d.file.name, []).append(d.id)

    def neighbours(self, d) -> list:
        """The documents before and after it (none at either end)."""
        i = self.index[d.id]
        return [self.docs[n] for n in (i - 1, i + 1) if 0 <= n < len(self.docs)]

    def near(self, d) -> list[str]:
        """It and its neighbours, in order: the siblings of its page's context."""
        i = self.index[d.id]
        return [self.docs[n].id for n in (i - 1, i, i + 1) if 0 <= n < len(self.docs)]

    def linked(self, d, refs: set[str], files: set[str]) -> list[str]:
        """The ids of the other documents its pointers name (`pointed_to`), sorted."""
        return sorted(({o for f in files for o in self.by_name.get(f, ())}
                       | {r for r in refs if r in self.by_id}) - {d.id})


class PageContext:
    """What document.xsl needs of the context for one document (context.PageContexts): the
    document and its neighbours (as siblings, in date order), the documents it points to (in
    <refs>) and the entities it names, serialised. Saxon indexes a context anew for every
    transform, so a small slice keeps each transform independent of the edition's size."""

    def __init__(self, edition, addresses, info_fields: str, links: Links):
        self.ed = edition
        self.links = links
        self.contexts = context.PageContexts(edition, addresses, info_fields)

    def of(self, d, refs: set[str], files: set[str], media, tei=None, facsimile=None) -> str:
        near = self.links.near(d)
        linked = [x for x in self.links.linked(d, refs, files) if x not in near]
        entities = [r for r in sorted(refs) if r in self.ed.entities]
        return etree.tostring(self.contexts.page(d.id, near, linked, entities, media, tei, facsimile),
                              encoding="unicode")
