"""The context documents Python hands to the stylesheets (their $edition-context parameter, and the
<site> input of site.xsl), every one made here as an lxml tree.

One function per element kind (`file_element`, `document_element`, `entity_element`,
`mention_element`): a fact added to the context is added there, and to xslt/lib/context.rng,
which describes every context below. The contexts:

- `full(edition)`: files with their ids, documents (with their hands' sigla), entities (with
  where they are mentioned) and every pointer (`mention`): the PDF.
- `for_authority(edition)`: files with their ids and the edition's pointers, each way a pointer
  can resolve once (`distinct_pointers`): the Schematron of authority files (unused entries).
- `for_file(edition, path)`: the files checking one file can need (the Schematron of any other
  file); small, because Saxon indexes a context anew for every run.
- `site(edition, addresses, info_fields)`: the site pages' context (documents and entities with
  their page addresses).
- `PageContexts`: the context of one document page (document.xsl): the document, its
  neighbours, the documents it links to and the entities it names.
- `folder(folder)`: the context of a folder of files (the Schematron without an edition).
- `site_input(pages, facets)`: the <site> document site.xsl renders (as text, from the pages'
  text).

`check`, when set (tests/conftest.py sets it to the RELAX NG schema for the whole test session),
is called with every tree made here.
"""
from __future__ import annotations

import copy
import os
import re
import weakref
from pathlib import Path
from urllib.parse import unquote, urljoin

from lxml import etree

from .model import POINTER_ATTRS, CompactFile, canon, local
from .tei.names import index_variants
from .saxon import XSLT_DIR
from .tei.citation import call_number, edition_citation
from .tei.entities import WEB, dates as entity_dates, heading, idnos, roles as entity_roles
from . import messages
from .tei.notes import hand_sigla
from .xmlsafe import TEI_NS, XML_NS, parse_file

SCHEMA = XSLT_DIR / "lib" / "context.rng"
XML_ID_ATTR = f"{{{XML_NS}}}id"

# Called with every context tree made here (tests validate each against SCHEMA); None: nothing.
check = None

_with_pointer = etree.XPath("descendant-or-self::*[" + " or ".join(f"@{a}" for a in POINTER_ATTRS) + "]")


def _made(tree: etree._ElementTree) -> etree._ElementTree:
    if check is not None:
        check(tree)
    return tree


# -- one function per element kind ---------------------------------------------------------------
def edition_element(edition, info_fields: str | None = None) -> etree._Element:
    """The root: the edition's title and language ([edition] language as written: f:lang makes
    the tag); for HTML pages the optional "Document information" fields some document gives
    (Edition.info_fields), and the fields themselves as the edition configures them
    (toolkit/tei/conventions.py), as the first children: <info-field name label find/>."""
    root = etree.Element("edition", title=edition.config.title, lang=edition.config.language or "")
    _date_style(root, edition.date_style)
    if info_fields is not None:
        root.set("info-fields", info_fields)
        base_url = _html_option(edition, "base_url")
        if base_url:
            root.set("base-url", base_url)
        pdf_url = _html_option(edition, "pdf_url")
        if pdf_url:
            root.set("pdf-url", pdf_url)
            # the volume's files as the last PDF build named them (edition.pdf, or its parts)
            from .outputs.pdf_volumes import DEFAULT
            root.set("pdf-volumes", " ".join(getattr(edition, "pdf_volumes", DEFAULT)))
        for f in edition.conventions.info_fields:
            etree.SubElement(root, "info-field", name=f.name, label=f.label, find=" ".join(f.find))
        root.append(citation_element(edition))
    return root


def _html_option(edition, name: str):
    """An option of the [html] table (None when the configuration has no tables)."""
    options = getattr(edition.config, "options", None)
    return getattr(options("html"), name, None) if options is not None else None


def citation_element(edition) -> etree._Element:
    """What a citation names of the edition (toolkit/tei/citation.py): its editors, version,
    date and publisher, from edition.xml."""
    src = edition.files.get(edition.edition_path) if edition.edition_path else None
    c = edition_citation(src.root if src is not None and src.ok and not src.light else None)
    el = etree.Element("citation", version=c.version, date=c.date, publisher=c.publisher)
    for name in c.editors:
        etree.SubElement(el, "editor").text = name
    return el


def _date_style(root: etree._Element, style) -> None:
    """The edition's date style (toolkit/tei/facts.py, DateStyle) as attributes of the root, for
    f:date-label (xslt/lib/tei.xsl): the HTML and the PDF write dates as the model does."""
    root.set("date-day", style.day)
    root.set("date-month", style.month)
    root.set("date-months", "|".join(style.months))
    root.set("date-months-alone", "|".join(style.months_alone))
    root.set("date-bc", style.bc)


def file_element(edition, path: Path) -> etree._Element:
    """A file of the edition and the xml:ids it gives (with the element that carries each)."""
    f = etree.Element("file", href=edition.href(path), uri=path.as_uri(), role=edition.role(path))
    for i, el in edition.ids.get(path, {}).items():
        etree.SubElement(f, "id", value=i, element=local(el.tag))
    return f


def document_element(edition, d, page: str | None = None, source: str | None = None,
                     media=()) -> etree._Element:
    """A document's facts (the model's: title, date, summary, transcription), with its page
    and TEI copy in the HTML site when given, the images of it that the site copies
    ((url, xml:base values, address) each: structure.xsl shows them); page_facts adds its hands'
    sigla and call number where its tree is at hand."""
    e = etree.Element("document", id=d.id, href=d.href, uri=canon(d.file).as_uri(), when=d.when,
                      title=d.title, transcribed=str(d.transcribed).lower())
    if d.doc_type:  # toolkit/tei/facts.py, document_type
        e.set("type", d.doc_type)
    if page is not None:
        e.set("page", page)
        # its PDF's file name (the PDF is called as the page is: Edition.page_names)
        e.set("pdf", edition.page_names()[d.id] + ".pdf")
    if source is not None:
        e.set("source", source)
    etree.SubElement(e, "date", written=d.date_written).text = d.date_label
    etree.SubElement(e, "summary").text = d.summary
    for title, corpus in d.collection:  # the teiCorpus headers it stands in, outermost first
        etree.SubElement(e, "collection", title=title, href=corpus)
    for url, bases, href in media:
        etree.SubElement(e, "media", src=url, base=bases, href=href)
    return e


def facsimile_element(views, targets: dict, manifest: str | None, viewer: str,
                      base_url: str = "") -> etree._Element:
    """A document's page images (toolkit/outputs/html/facsimiles.py: SurfaceView), the @facs
    tokens of its text with the surface and zone each names, its IIIF manifest's address (and
    its absolute URL, with [html] base_url) and the viewer library's folder ("" when it is
    not installed): xslt/html/facsimile.xsl."""
    e = etree.Element("facsimile", viewer=viewer)
    if manifest:
        e.set("manifest", manifest)
        if base_url:
            e.set("manifest-url", base_url + manifest)
    for v in views:
        s = v.surface
        el = etree.SubElement(e, "surface", id=s.id, label=s.label, kind=v.kind, src=v.src, link=v.link,
                              width=_n(v.width), height=_n(v.height), x=_n(s.origin[0]), y=_n(s.origin[1]))
        if v.tiles is not None:
            el.set("image-width", str(v.tiles.width))
            el.set("image-height", str(v.tiles.height))
            el.set("tile", str(v.tiles.tile))
            el.set("scales", " ".join(map(str, v.tiles.scales)))
        for z in s.zones:
            etree.SubElement(el, "zone", id=z.id, x=_n(z.box[0]), y=_n(z.box[1]), w=_n(z.box[2]), h=_n(z.box[3]))
    for token, (sid, zid) in targets.items():
        etree.SubElement(e, "target", token=token, surface=sid, zone=zid)
    return e


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def entity_element(edition, eid: str, ent, page: str | None = None,
                   mentioned: dict[str, int] | None = None) -> etree._Element:
    """An entity: the key it sorts by and its heading in every index (Entity.sort_key,
    entities.heading; variants an index leaves out marked indexed="false"), its name for
    pages and anchors (Edition.entity_names), its names (the preferred first), note, coordinates, its page
    in the HTML site when it has one, and how often each document mentions it (the PDF's indices)."""
    e = etree.Element("entity", id=eid, kind=ent.kind, href=edition.href(ent.file), uri=canon(ent.file).as_uri(),
                      sort=ent.sort_key, anchor=edition.entity_names()[eid])
    if page is not None:
        e.set("page", page)
    el = ent.element
    # the index heading ("Stalin, I. V."), the dates, roles and authority identifiers (popovers,
    # indexes): toolkit/tei/entities.py
    e.set("heading", heading(ent.kind, el, ent.preferred))
    etree.SubElement(e, "name", type="preferred").text = ent.preferred
    shown = set(index_variants(ent.preferred, ent.variants))
    for v in ent.variants:
        n = etree.SubElement(e, "name", type="variant")
        n.text = v
        if v not in shown:  # sorts as the preferred name: an index does not repeat it
            n.set("indexed", "false")
    if ent.note:
        etree.SubElement(e, "note").text = ent.note
    if ent.geo:
        etree.SubElement(e, "geo", lat=str(ent.geo[0]), long=str(ent.geo[1]))
    if el is not None:
        if (d := entity_dates(el)):
            etree.SubElement(e, "dates").text = d
        for r in entity_roles(el):
            etree.SubElement(e, "role").text = r
        for label, value, url in idnos(el):
            if label == WEB:
                label = messages.message(edition.config.language, "entity.web")
            etree.SubElement(e, "idno", label=label, href=url).text = value
    for doc_id, n in sorted((mentioned or {}).items()):
        etree.SubElement(e, "mentioned", doc=doc_id, count=str(n))
    return e


def mention_element(ref: str, element: str | None, file_uri: str, target_uri: str, target_id: str,
                    attribute: str | None = None) -> etree._Element:
    """A pointer: its token, the element and attribute carrying it (None: a mention standing for
    all the pointers that resolve alike, see distinct_pointers), its file, and what it resolves
    to ("" when nothing)."""
    attrs = {"ref": ref}
    if element is not None:
        attrs["element"] = element
    if attribute is not None:
        attrs["attribute"] = attribute
    attrs.update({"file-uri": file_uri, "target-uri": target_uri, "target-id": target_id})
    return etree.Element("mention", attrs)


# -- the model's contexts ------------------------------------------------------------------------
def full(edition) -> etree._ElementTree:
    """Everything: files, documents, entities with their mentions per document, and every pointer
    in every file (the Schematron warns about authority entries nothing points to, wherever the
    pointer stands)."""
    root = edition_element(edition)
    _files(edition, root)
    for d in edition.documents:
        el = document_element(edition, d)
        src = edition.files.get(canon(d.file))
        if isinstance(src, CompactFile) and src.record is not None:
            el.extend(copy.deepcopy(f) for f in src.record.page_facts)
        elif src is not None and src.ok and not src.light:  # its hands' sigla, its call number
            page_facts(el, src.root)
        root.append(el)
    counts: dict[str, dict[str, int]] = {}
    for m in edition.mentions:
        if m.entity_id:
            doc = edition.document_for(m.file)
            if doc:
                counts.setdefault(m.entity_id, {}).setdefault(doc.id, 0)
                counts[m.entity_id][doc.id] += 1
    for eid, ent in sorted(edition.entities.items()):
        root.append(entity_element(edition, eid, ent, mentioned=counts.get(eid)))
    for path, pointers in _pointers_by_file(edition):
        uri = path.as_uri()
        for pointer, element, attr in pointers:
            root.append(_mention(edition, pointer, path, uri, element, attr))
    return _made(etree.ElementTree(root))


def _mention(edition, pointer: str, path: Path, uri: str, element: str | None = None,
             attr: str | None = None) -> etree._Element:
    target = edition.resolve(pointer, path)
    return mention_element(pointer, element, uri, target[0].as_uri() if target else "",
                           target[1] if target else "", attribute=attr)


def _pointers_by_file(edition):
    """(path, its pointer tokens as pointer_tokens gives them) of every readable file, in path
    order: a compact record's, else its tree's."""
    for path, src in sorted(edition.files.items()):
        if isinstance(src, CompactFile) and src.record is not None:
            yield path, src.record.pointers
        elif src.ok and not src.light:
            yield path, pointer_tokens(src.root)


def for_authority(edition) -> etree._ElementTree:
    """The Schematron of authority files: every file with its ids, and one mention for each way
    a pointer of the edition can resolve (distinct_pointers) instead of one per pointer, so that
    its size grows with the files and their ids, not with the pointers (issue #18: Saxon's copy
    of one mention per pointer took about 35 KB a document). edition.sch reads the mentions
    only to find the authority entries something points to, and whether anything points
    anywhere at all ($ed-used, $ed-has-mentions)."""
    root = edition_element(edition)
    _files(edition, root)
    for path, pointer in distinct_pointers(edition):
        root.append(_mention(edition, pointer, path, path.as_uri()))
    return _made(etree.ElementTree(root))


# edition.sch's ed:is-external: a pointer with a URI scheme, which its rules skip
_EXTERNAL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")


def distinct_pointers(edition):
    """(file, pointer token): of the pointers full() gives, in its order, one for each way they
    can resolve as edition.sch resolves them (ed:resolve, the one place of that rule; nothing is
    resolved here). The first pointer of the edition is always kept (the rules check unused
    entries only when the edition has a pointer at all); after it, a pointer that resolves as
    one already kept is left out:
    - "persons.xml#x" (a file part): resolved against its file's folder, so once per folder
      (a file part that is only a query, "?q#x", keeps the file's name, but names no file of
      the edition wherever it stands: file URIs escape "?");
    - a bare "#x" in a file that gives no xml:id x: looked up across the edition, so once;
    - a bare "#x" in a file that gives x points there: kept only for the authority files (the
      files checked with this context: a pointer into another file makes no entry used);
    - a pointer with a URI scheme ("https://…"): skipped by the rules."""
    seen: set[tuple[str, str]] = set()
    first = True
    for path, pointers in _pointers_by_file(edition):
        uri = path.as_uri()
        folder = uri.rsplit("/", 1)[0]
        ids = edition.ids.get(path, {})
        own = path in edition.authority_paths
        for pointer, _, _ in pointers:
            file_part, _, frag = pointer.partition("#")
            if _EXTERNAL.match(pointer):
                key = None
            elif not file_part:
                key = (uri, pointer) if frag in ids else ("", pointer)
                if frag in ids and not own:
                    key = None
            else:
                key = (folder, pointer)
            if first or (key is not None and key not in seen):
                first = False
                if key is not None:
                    seen.add(key)
                yield path, pointer


def pointer_tokens(root) -> list[tuple[str, str, str]]:
    """Every pointer token of a tree in document order: (token, element, attribute)."""
    return [(pointer, local(el.tag), attr) for el in _with_pointer(root) for attr in POINTER_ATTRS
            for pointer in (el.get(attr) or "").split()]


def _files(edition, root) -> None:
    for path, src in sorted(edition.files.items()):
        if src.ok:
            root.append(file_element(edition, path))


class _FileSlices:
    """What `for_file` keeps of an edition between calls: which files give each id, and the
    <file> element of each file asked for (copied into each slice)."""

    def __init__(self, edition):
        self.elements: dict[Path, etree._Element] = {}
        if hasattr(edition.ids, "by_id"):  # validate's IdsView (validate/id_table.py): looked up
            self.owners = edition.ids.by_id
            return
        self.owners: dict[str, list[Path]] = {}
        for p, ids in edition.ids.items():
            for i in ids:
                self.owners.setdefault(i, []).append(p)


_file_slices: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def for_file(edition, path: Path) -> etree._ElementTree:
    """The files checking one file can need: the file itself, the authority and edition files,
    the files its pointers lead to, and the files that reuse one of its ids."""
    path = canon(path)
    slices = _file_slices.get(edition)
    if slices is None:
        slices = _file_slices[edition] = _FileSlices(edition)
    owners = slices.owners
    keep = {path} | edition.authority_paths | ({edition.edition_path} if edition.edition_path else set())
    src = edition.files.get(path)
    if src is not None and src.ok:
        folder = str(path.parent)
        pointers = pointer_tokens(src.root) if not isinstance(src, CompactFile) \
            else src.record.pointers if src.record is not None else ()
        for pointer, _, _ in pointers:
            file_part = pointer.split("#", 1)[0]
            if file_part and "://" not in file_part:
                keep.add(Path(os.path.normpath(os.path.join(folder, unquote(file_part)))))
            elif not file_part:
                keep.update(owners.get(unquote(pointer[1:]), ()))
        for i in edition.ids.get(path, {}):
            keep.update(owners.get(i, ()))
    root = edition_element(edition)
    for p in sorted(keep):
        if p not in edition.ids:  # not a file of the edition, or one that could not be read
            continue
        el = slices.elements.get(p)
        if el is None:
            el = slices.elements[p] = file_element(edition, p)
        root.append(copy.deepcopy(el))
    return _made(etree.ElementTree(root))


# -- the HTML site's contexts --------------------------------------------------------------------
def site(edition, addresses, info_fields: str) -> etree._ElementTree:
    """The site pages' context: files, the documents with their page and TEI copy, the entities
    with their page (those that have one). `addresses` has doc_page, doc_source, ent_page."""
    root = edition_element(edition, info_fields)
    _files(edition, root)
    for d in edition.documents:
        root.append(document_element(edition, d, addresses.doc_page[d.id], addresses.doc_source[d.id]))
    for eid, ent in sorted(edition.entities.items()):
        root.append(entity_element(edition, eid, ent, addresses.ent_page.get(eid)))
    return _made(etree.ElementTree(root))


class PageContexts:
    """The context of each document page: the document and its neighbours in date order (as
    siblings: the page's previous and next links), the documents it links to (in <refs>, off the
    sibling axis) and the entities it names. Each document's and entity's element is made once
    and copied into the pages that need it."""

    def __init__(self, edition, addresses, info_fields: str):
        self.edition = edition
        self.addresses = addresses
        self.info_fields = info_fields
        self._docs_by_id = {d.id: d for d in edition.documents}
        self._documents: dict[str, etree._Element] = {}
        self._entities: dict[str, etree._Element] = {}

    def _document(self, doc_id: str) -> etree._Element:
        el = self._documents.get(doc_id)
        if el is None:
            a = self.addresses
            el = self._documents[doc_id] = document_element(self.edition, self._docs_by_id[doc_id],
                                                            a.doc_page[doc_id], a.doc_source[doc_id])
        return el

    def _entity(self, eid: str) -> etree._Element:
        el = self._entities.get(eid)
        if el is None:
            ent = self.edition.entities[eid]
            el = self._entities[eid] = entity_element(self.edition, eid, ent, self.addresses.ent_page.get(eid))
        return el

    def page(self, doc_id: str, near: list[str], linked: list[str], entities: list[str],
             media=(), tei=None, facsimile: etree._Element | None = None) -> etree._ElementTree:
        """`near`: the document and its neighbours, in order; `linked`: the other documents
        it links to; `entities`: the ids of the entities it names; `media`: its copied images;
        `tei`: the document's root element, for the facts only its page shows (page_facts);
        `facsimile`: its page images (facsimile_element)."""
        root = edition_element(self.edition, self.info_fields)
        for x in near:
            el = copy.deepcopy(self._document(x))
            if x == doc_id:
                for url, bases, href in media:
                    etree.SubElement(el, "media", src=url, base=bases, href=href)
                if tei is not None:
                    page_facts(el, tei)
                if facsimile is not None:
                    el.append(facsimile)
            root.append(el)
        refs = etree.SubElement(root, "refs")
        for x in linked:
            refs.append(copy.deepcopy(self._document(x)))
        for eid in entities:
            root.append(copy.deepcopy(self._entity(eid)))
        return _made(etree.ElementTree(root))


def page_facts(el: etree._Element, tei) -> None:
    """The facts only a document's own page shows, added to its <document>: the sigla of its
    hands (toolkit/tei/notes.py: <hand ref="hand-archive" siglum="A" n="1"/>, n its place in
    the list of hands) and the call number of its source (toolkit/tei/citation.py)."""
    for n, (note, siglum) in enumerate(hand_sigla(tei), 1):
        etree.SubElement(el, "hand", ref=note.get(XML_ID_ATTR) or "", siglum=siglum, n=str(n))
    number = call_number(tei)
    if number:
        etree.SubElement(el, "call-number").text = number


def site_input(pages: list[str], facets: str = "") -> str:
    """The <site> document site.xsl renders, as text: the pages to write (each a <page>
    element, serialised), after the listing pages' shared <facets> (serialised) when given. Made
    from text: the site pages are serialised one by one as they are made (site.SitePages.blocks),
    never held together as elements."""
    text = "<site>" + facets + "".join(pages) + "</site>"
    if check is not None:
        check(etree.ElementTree(etree.fromstring(text)))
    return text


# -- a folder without an edition -----------------------------------------------------------------
def folder(path: str | Path) -> etree._ElementTree:
    """The context of the *.xml files of one folder (see schema/edition.sch), for checking a file
    without an edition: the files next to it, parsed with the safe parser (so Saxon never opens
    them). Roles: a file whose body holds listPerson/listPlace/listOrg is an authority file,
    edition.xml the edition file, any other TEI a document. Mentions: every pointer token of @ref,
    @corresp, @target and @hand."""
    path = Path(os.path.normpath(os.path.abspath(path)))
    files = []
    for p in sorted(path.glob("*.xml")):
        src = parse_file(p)
        if src.ok:
            files.append((p, src))
    root = etree.Element("edition")
    ids_by_uri: dict[str, dict[str, str]] = {}
    xml_id = f"{{{XML_NS}}}id"
    for p, src in files:
        uri = canon(p).as_uri()  # symbolic links kept: the rules compare these strings
        body = src.root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
        lists = body is not None and any(body.find(f"{{{TEI_NS}}}{k}") is not None
                                         for k in ("listPerson", "listPlace", "listOrg"))
        role = "authority" if lists else "edition" if p.name == "edition.xml" else "document"
        f = etree.SubElement(root, "file", href=p.name, uri=uri, role=role)
        ids = ids_by_uri.setdefault(uri, {})
        for el in src.root.iter():
            i = el.get(xml_id) if isinstance(el.tag, str) else None
            if i:
                etree.SubElement(f, "id", value=i, element=etree.QName(el).localname)
                ids.setdefault(i, etree.QName(el).localname)
    for p, src in files:
        uri = canon(p).as_uri()  # symbolic links kept: the rules compare these strings
        for el in src.root.iter():
            if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{TEI_NS}}}"):
                continue
            for attr in ("ref", "corresp", "target", "hand"):
                for tok in (el.get(attr) or "").split():
                    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", tok):
                        continue
                    file_part, _, frag = tok.partition("#")
                    target = urljoin(uri, file_part) if file_part else uri
                    if not file_part and frag not in ids_by_uri.get(uri, {}):
                        target = next((u for u, ids in ids_by_uri.items() if frag in ids), uri)
                    root.append(mention_element(tok, etree.QName(el).localname, uri, target, frag))
    return _made(etree.ElementTree(root))
