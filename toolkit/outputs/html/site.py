"""Site pages: everything but the document pages — home, search, listings by date and title,
indices, entity pages, map, chronology, the facet data — as <page> elements that site.xsl
renders (one transform writing every page that changed, or a share per worker), planned by
their fingerprints and skipped whole when nothing they show has changed (SitePages.key)."""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from lxml import etree

from ... import context, saxon
from ...model import canon
from ...tei.entities import heading
from ..base import BuildError
from ..plan import digest
from .incremental import entity_record
from . import mapdata, paging
from .outline import Frame, installed, outline
from .stylesheets import DISK_ADVICE, SITE_XSL, compile_or_fail, site_error

PER_PAGE = 10  # the listing's page size unless [html] page_size says otherwise
# The site pages go to site.xsl in blocks of about this many characters: few enough transforms
# (each indexes the site context anew), and no more than a block of pages in memory at a time.
BLOCK_CHARS = 8_000_000
# the listing's orders: (key, label, file stem); the first is the model's (date) order
ORDERS = (("date", "oldest first", "documents"), ("date-desc", "newest first", "documents-newest"),
          ("title", "title", "documents-by-title"))


def page_bounds(total: int, size: int) -> list[tuple[int, int]]:
    """The listing's pages as (start, end) slices: about `size` documents each, the documents
    spread evenly, so that no page holds a remainder alone (11 documents at 10 a page are one
    page, 25 are two of 13 and 12). At most half a page more than `size` on a page."""
    pages = max(1, round(total / max(1, size)))
    base, extra = divmod(total, pages)
    bounds, start = [], 0
    for i in range(pages):
        end = start + base + (1 if i < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def data_href(k: int) -> str:
    """The k-th file of the listing's filter data (edition.js derives the same names)."""
    return "assets/data.js" if k == 1 else f"assets/data-{k}.js"


class SitePages:
    """The site pages of one build. `bundles`: the search index's shard numbers (the search page
    names them); `previous`: the last build's site state ({"key", "pages"}); `state`: this one's."""

    def __init__(self, edition, addresses, mentions, bundles: list[int], previous: dict, progress,
                 page_size: int = PER_PAGE):
        self.ed = edition
        self.page_size = page_size
        self.addresses = addresses
        self.mentions = mentions
        self.bundles = bundles
        self.previous = previous
        self.progress = progress
        self.state: dict = {}
        self.facets: etree._Element | None = None  # the listing pages' filters (pages)
        self.work: list[Path] = []  # the work folders of the site blocks given to workers (queue)

    def plan(self, plan, base: str) -> list[tuple]:
        """Register every site page in the plan; the pages to (re)write, as (address, page or a
        function making it): they are made again when written, in blocks (`blocks`), so that
        no more than a block of them is in memory at a time."""
        todo = []
        key = self.key(base)
        prev = self.previous
        if prev.get("key") == key and all(h in plan.previous for h in prev.get("pages", ())):
            # nothing any site page shows changed: their fingerprints are the previous ones
            for href in prev["pages"]:
                plan.add(href, plan.previous[href])
            self.state = prev
            return todo
        hrefs = []
        for href, data, make in self.pages():
            hrefs.append(href)
            if plan.add(href, digest(base, data() if callable(data) else data)):
                todo.append((href, make))
        self.state = {"key": key, "pages": hrefs}
        return todo

    def key(self, base: str) -> str:
        """One hash of everything `pages` reads (the documents' facts and order, their
        mentions, the entities with pages, the search bundles), so an edit that changes none of
        it needs no site page made, not even to compute its fingerprint."""
        ed = self.ed
        docs = [[d.id, self.addresses.doc_page[d.id], d.when, d.date_label, d.title, d.summary, d.transcribed,
                 self.mentions.digest_of(d), d.doc_type] for d in ed.documents]
        ents = [[eid, page, ed.entities[eid].preferred, ed.entities[eid].kind, ed.entities[eid].variants,
                 canon(ed.entities[eid].file).as_uri(),
                 etree.tostring(ed.entities[eid].element, encoding="unicode", with_tail=False)]
                for eid, page in sorted(self.addresses.ent_page.items())]
        return digest(base, str(self.page_size), str(installed()),
                      json.dumps([docs, ents, self.bundles], ensure_ascii=False))

    def pages(self):
        """Each site page as (address, fingerprint data, page): the data is text or a function
        giving it, the page a function making the <page> element site.xsl renders. One at a
        time (#18: at 100,000 documents the site pages are gigabytes as elements): a page is
        made for its fingerprint and let go, and made again only if it is to be written. The
        listing pages share one <facets> (self.facets, put once into the site document); it is
        part of their fingerprint data."""
        ed = self.ed
        docs = ed.documents
        lazy: list[tuple] = []

        def new_page(kind, href, **attrs):
            return etree.Element("page", kind=kind, href=href, root="../" * href.count("/"), **attrs)

        def made(make, extra=b""):
            """(address, data, maker) of a page whose fingerprint data is the page itself."""
            el = make()
            return el.get("href"), etree.tostring(el) + extra, make

        doc_ents: dict[str, set[str]] = {d.id: set(self.mentions.entities(d)) for d in docs}
        ent_docs: dict[str, set[str]] = {}
        for did, ents in doc_ents.items():
            for e in ents:
                ent_docs.setdefault(e, set()).add(did)

        doc_attrs = {d.id: {"id": d.id, "page": self.addresses.doc_page[d.id], "when": d.when, "date": d.date_label,
                            "title": d.title, "summary": d.summary,
                            "transcribed": str(d.transcribed).lower(),
                            **({"type": d.doc_type} if d.doc_type else {})} for d in docs}
        doc_order = {d.id: i for i, d in enumerate(docs)}

        def doc_el(parent, d, tag="doc"):
            return etree.SubElement(parent, tag, doc_attrs[d.id])

        # the home page shows edition.xml's texts, whose names get popovers: their records
        edition_src = ed.files.get(ed.edition_path) if ed.edition_path else None
        home_names = self.named_records(edition_src.root) if edition_src is not None and edition_src.ok else []
        home_key = json.dumps(home_names, ensure_ascii=False).encode()

        # the home page and the search page
        kind_counts = {kind + "s": str(sum(1 for e in self.addresses.ent_page if ed.entities[e].kind == kind))
                       for kind in ("person", "place", "org")}
        full = [d for d in docs if d.transcribed] if any(not d.transcribed for d in docs) else None

        def home_page():
            home = new_page("home", "index.html", documents=str(len(docs)), entities=str(len(self.addresses.ent_page)))
            for k, v in kind_counts.items():
                home.set(k, v)
            # #14: the home page leads to the fully transcribed documents, where some are not
            if full is not None:
                for d in full[:paging.HOME_FEATURED]:  # #18: the first few; the listing filters the rest
                    doc_el(home, d)
                if len(full) > paging.HOME_FEATURED:
                    home.set("more-transcribed", str(len(full) - paging.HOME_FEATURED))
            return home
        yield made(home_page, home_key)
        yield made(lambda: new_page("principles", "principles.html"), home_key)
        yield made(lambda: new_page("search", "search.html",
                                    bundles=" ".join(f"pagefind/shard-{k}" for k in self.bundles)))

        # listings: by date (the model's order), newest first and by title; page_size a page
        partly = any(not d.transcribed for d in docs)
        facets = etree.Element("facets", partly=str(partly).lower())
        for kind in ("person", "place", "org"):
            f = etree.SubElement(facets, "facet", kind=kind)
            named = [e for e in ent_docs if ed.entities[e].kind == kind]
            # #18: every listing page carries the options: a long list keeps the entities named
            # most often (their pages list the documents of the others)
            if len(named) > paging.FACET_OPTIONS:
                named = sorted(named, key=lambda e: (-len(ent_docs[e]), ed.entities[e].sort_key, e))[:paging.FACET_OPTIONS]
                f.set("more", str(sum(1 for e in ent_docs if ed.entities[e].kind == kind) - len(named)))
            for eid in sorted(named, key=lambda e: (ed.entities[e].sort_key, e)):
                etree.SubElement(f, "option", id=eid, name=heading(ed.entities[eid].kind, ed.entities[eid].element, ed.entities[eid].preferred),
                                 count=str(len(ent_docs[eid])))
        for year in sorted({d.when[:4] for d in docs if d.when[:4].isdigit()}):
            etree.SubElement(facets, "year", value=year)
        for doc_type in sorted({d.doc_type for d in docs if d.doc_type}):  # #14: the Type filter
            etree.SubElement(facets, "doctype", value=doc_type)
        # facet data for the listing's filters: assets/data.js, data-2.js … (#18: in chunks of
        # at most DATA_CHUNK_BYTES, loaded by the listing only when a filter is chosen)
        def weight(d):
            return 120 + len(json.dumps(doc_attrs[d.id], ensure_ascii=False).encode()) + \
                sum(3 + len(e.encode()) for e in doc_ents.get(d.id, ()))
        chunks = paging.chunks_by_bytes(docs, weight)
        facets.set("chunks", str(len(chunks)))
        self.facets = facets
        facets_key = etree.tostring(facets)

        by_title = sorted(docs, key=lambda d: (d.title.lower(), d.when, d.id))
        newest = sorted(docs, key=lambda d: (d.when or "", doc_order[d.id]), reverse=True)
        newest = [d for d in newest if d.when] + [d for d in docs if not d.when]  # undated last
        bounds = page_bounds(len(docs), self.page_size)

        def listing_page(sort, seq, hrefs, i, a, b):
            el = new_page("listing", hrefs[i], sort=sort, number=str(i + 1), pages=str(len(bounds)),
                          total=str(len(seq)), first=str(a + 1), last=str(b), partly=str(partly).lower(),
                          **{"page-size": str(self.page_size)})
            for j in paging.window(i + 1, len(hrefs)):  # #18: a window, not every page
                etree.SubElement(el, "link", number=str(j), href=hrefs[j - 1])
            for key, text, other in ORDERS:
                etree.SubElement(el, "order", key=key, label=text, href=f"{other}.html")
            for d in seq[a:b]:
                doc_el(el, d)
            return el
        for sort, _label, stem in ORDERS:
            seq = {"date": docs, "date-desc": newest, "title": by_title}[sort]
            hrefs = [f"{stem}.html" if i == 0 else f"{stem}-{i + 1}.html" for i in range(len(bounds))]
            for i, (a, b) in enumerate(bounds):
                yield made(lambda sort=sort, seq=seq, hrefs=hrefs, i=i, a=a, b=b:
                           listing_page(sort, seq, hrefs, i, a, b), facets_key)

        def data_page(k, chunk):
            data = new_page("data", data_href(k + 1), chunk=str(k + 1))
            for d in chunk:
                doc_el(data, d).set("entities", " ".join(sorted(doc_ents.get(d.id, ()))))
            return data
        for k, chunk in enumerate(chunks):
            yield made(lambda k=k, chunk=chunk: data_page(k, chunk))

        # indices and entity pages
        for kind, href in (("person", "persons.html"), ("place", "places.html"), ("org", "orgs.html")):
            entries = [(eid, e) for eid, e in sorted(ed.entities.items(), key=lambda kv: (kv[1].sort_key, kv[0]))
                       if e.kind == kind and eid in self.addresses.ent_page]
            # #18: a large index gets a page per initial (paging.index_pages)
            parts = paging.index_pages(entries, lambda kv: kv[1].sort_key)
            hrefs = [href if k == 0 else f"{href[:-5]}-{k + 1}.html" for k in range(len(parts))]
            labels = _part_labels(parts)

            def index_page(kind, entries, parts, hrefs, labels, k):
                part = parts[k]
                idx = new_page("index", hrefs[k], **{"entity-kind": kind, "total": str(len(entries)),
                                                     "number": str(k + 1), "pages": str(len(parts))})
                if len(parts) > 1:
                    for j, label in enumerate(labels):
                        etree.SubElement(idx, "link", number=str(j + 1), href=hrefs[j], label=label)
                for letter, group in part:
                    for eid, e in group:
                        x = etree.SubElement(idx, "entity", id=eid, page=self.addresses.ent_page[eid], name=e.preferred,
                                             heading=heading(e.kind, e.element, e.preferred), sort=e.sort_key,
                                             initial=letter, documents=str(len(ent_docs.get(eid, ()))))
                        for v in e.variants:
                            etree.SubElement(x, "variant").text = v
                return idx
            for k in range(len(parts)):
                yield made(lambda kind=kind, entries=entries, parts=parts, hrefs=hrefs, labels=labels, k=k:
                           index_page(kind, entries, parts, hrefs, labels, k))

        def entity_doc_attrs(did):
            a = doc_attrs[did]
            return {k: a[k] for k in ("id", "page", "when", "date", "title")}

        def mention_docs(el, part):
            for did, items in part:  # entity.xsl shows each document's title, date, address
                x = etree.SubElement(el, "doc", entity_doc_attrs(did))
                for pid, snip in items:
                    etree.SubElement(x, "passage", id=pid).text = snip

        def mention_links(el, number, hrefs):
            el.set("number", str(number))
            el.set("pages", str(len(hrefs)))
            if len(hrefs) > 1:
                for j in paging.window(number, len(hrefs)):
                    etree.SubElement(el, "link", number=str(j), href=hrefs[j - 1])

        def entity_page(eid, e, geo, parts, hrefs, counts):
            el = new_page("entity", self.addresses.ent_page[eid], id=eid, name=e.preferred, anchor=ed.entity_names()[eid],
                          **{"entity-kind": e.kind, **counts})
            for v in e.variants:
                etree.SubElement(el, "variant").text = v
            if geo:
                g = etree.SubElement(el, "geo", lat=f"{geo[0]:.5g}", long=f"{geo[1]:.5g}")
                if e.kind == "place":  # the map plots places only (site_pages: map)
                    g.set("on-map", "true")
            tei = etree.SubElement(el, "tei")
            copy = etree.fromstring(etree.tostring(e.element))
            copy.set(XML_BASE, canon(e.file).as_uri())
            tei.append(copy)
            mention_links(el, 1, hrefs)
            mention_docs(el, parts[0])
            return el

        def more_mentions(eid, e, k, parts, hrefs, counts):
            """Page k (2, 3 …) of an entity's mentions (#18): entity/<name>/<k>.html."""
            el = new_page("mentions", hrefs[k - 1], id=eid, name=e.preferred, entity=self.addresses.ent_page[eid],
                          **{"entity-kind": e.kind, **counts})
            mention_links(el, k, hrefs)
            mention_docs(el, parts[k - 1])
            return el

        for eid, e in sorted(ed.entities.items()):
            if eid not in self.addresses.ent_page:
                continue
            geo = e.geo  # the model's (toolkit/tei/geo.py)
            # #18: at most MENTIONS_PER_PAGE passages a page; page 2 on in entity/<name>/. The
            # pages are laid out from the passages' numbers; the passages themselves are read
            # from the store when a page is made (parts), not held for every entity at once
            sizes = self.mentions.counts_of(eid, doc_order)
            layout = paging.mention_pages([(did, [None] * n) for did, n in sizes])
            own = self.addresses.ent_page[eid]
            hrefs = [own] + [f"{own[:-5]}/{k}.html" for k in range(2, len(layout) + 1)]
            counts = {"documents": str(len(sizes)), "passages": str(sum(n for _, n in sizes))}
            n_parts = len(layout)
            del layout

            def parts(eid=eid):
                return paging.mention_pages(self.mentions.passages_of(eid, doc_order))
            # the fingerprint data: exactly what entity_page puts into the element, and the
            # records of the entities its own TEI names (their popovers are on the page)
            # (made when the page's fingerprint is worked out, and let go: see `pages`)
            lazy.append((own, lambda eid=eid, e=e, geo=geo, own=own, parts=parts, n_parts=n_parts, counts=counts: json.dumps(
                ["entity", eid, own, e.preferred, e.kind, e.variants,
                 geo and [f"{geo[0]:.5g}", f"{geo[1]:.5g}", e.kind == "place"], canon(e.file).as_uri(),
                 etree.tostring(e.element, encoding="unicode", with_tail=False),
                 [(entity_doc_attrs(did), items) for did, items in parts()[0]], n_parts, counts,
                 self.named_records(e.element)], ensure_ascii=False),
                lambda eid=eid, e=e, geo=geo, parts=parts, hrefs=hrefs, counts=counts:
                entity_page(eid, e, geo, parts(), hrefs, counts)))
            for k in range(2, n_parts + 1):
                lazy.append((hrefs[k - 1], lambda eid=eid, e=e, own=own, k=k, parts=parts, n_parts=n_parts, counts=counts: json.dumps(
                    ["mentions", eid, own, e.preferred, e.kind, k, n_parts, counts,
                     [(entity_doc_attrs(did), items) for did, items in parts()[k - 1]]], ensure_ascii=False),
                    lambda eid=eid, e=e, k=k, parts=parts, hrefs=hrefs, counts=counts:
                    more_mentions(eid, e, k, parts(), hrefs, counts)))

        # map and chronology
        for make in self._map_pages(new_page, ent_docs):
            yield made(make)

        # #18: a large chronology on pages of whole years (CHRONOLOGY_PER_PAGE documents)
        years = paging.group_adjacent(docs, _year)
        parts = [years] if len(docs) <= paging.CHRONOLOGY_PER_PAGE else paging.pack(years, paging.CHRONOLOGY_PER_PAGE)
        hrefs = ["chronology.html" if k == 0 else f"chronology-{k + 1}.html" for k in range(len(parts))]
        labels = _part_labels(parts)

        def chronology_page(k, parts=parts, hrefs=hrefs, labels=labels):
            chron = new_page("chronology", hrefs[k], number=str(k + 1), pages=str(len(parts)), total=str(len(docs)),
                             partly=str(partly).lower())
            if len(parts) > 1:
                for j, label in enumerate(labels):
                    etree.SubElement(chron, "link", number=str(j + 1), href=hrefs[j], label=label)
            for _, group in parts[k]:
                for d in group:
                    doc_el(chron, d)
            return chron
        for k in range(len(parts)):
            yield made(lambda k=k: chronology_page(k))
        yield from lazy

    def _map_pages(self, new_page, ent_docs) -> list:
        """The map's pages (map_pages) from the places with coordinates that have pages."""
        ed = self.ed
        places = []
        for eid, e in sorted(ed.entities.items(), key=lambda kv: (kv[1].sort_key, kv[0])):
            geo = e.geo if e.kind == "place" and eid in self.addresses.ent_page else None
            if geo:
                places.append(mapdata.Place(eid, self.addresses.ent_page[eid], e.preferred, ed.entity_names()[eid],
                                            f"{geo[0]:.5g}", f"{geo[1]:.5g}", len(ent_docs.get(eid, ())), e.sort_key))
        return map_pages(places, new_page)

    def named_records(self, el) -> list[str]:
        """The records (entity_record) of the entities the pointers in an element and its
        descendants name: a page that renders the element shows their popovers."""
        refs = {tok.rsplit("#", 1)[-1] for v in el.xpath("descendant-or-self::*/@*[local-name() = 'ref' or "
                                                         "local-name() = 'key' or local-name() = 'corresp']")
                for tok in str(v).split()}
        return [entity_record(self.ed, self.addresses.ent_page, r) for r in sorted(refs) if r in self.ed.entities]

    def blocks(self, todo: list[tuple], shares: int = 1, limit: int | None = None):
        """The <site> documents to render the pages `todo` (plan's pairs): the pages made one by
        one and dealt round-robin into `shares` blocks, each given out as soon as it holds
        `limit` characters (BLOCK_CHARS), the rest at the end; a block with listing pages
        carries the facets they show. Yields (site document's text, number of pages)."""
        limit = BLOCK_CHARS if limit is None else limit
        facets = etree.tostring(self.facets, encoding="unicode") if self.facets is not None else ""
        open_blocks = [[[], 0, False] for _ in range(max(1, shares))]

        def close(block):
            parts, _, listing = block
            return context.site_input(parts, facets if listing else ""), len(parts)
        for n, (_href, make) in enumerate(todo):
            el = make() if callable(make) else make
            block = open_blocks[n % len(open_blocks)]
            text = etree.tostring(el, encoding="unicode")
            block[0].append(text)
            block[1] += len(text)
            block[2] = block[2] or el.get("kind") == "listing"
            if block[1] >= limit:
                yield close(block)
                block[:] = [[], 0, False]
        for block in open_blocks:
            if block[0]:
                yield close(block)

    def queue(self, pool, stage: Path, ctx, todo: list[tuple]) -> int:
        """Hand the site pages to the worker pool: in blocks of bounded size (one per worker at
        least; pages are independent), written to a work folder beside the context, which each
        worker reads once; the document pages' step collects the results."""
        _unlink_old(stage, todo)
        work = Path(tempfile.mkdtemp(prefix="edition-site-"))
        self.work.append(work)
        ctx_file = work / "context.xml"
        _write_work(ctx_file, etree.tostring(ctx.getroot(), encoding="utf-8"))
        base_out = stage.resolve().as_uri() + "/"
        for k, (text, _) in enumerate(self.blocks(todo, pool.workers)):
            block = work / f"site-{k + 1}.xml"
            _write_work(block, text.encode("utf-8"))
            pool.queue_site(str(block), str(ctx_file), base_out)
        return len(todo)

    def cleanup(self) -> None:
        """Remove the work folders of `queue` (after the workers are done with them)."""
        for work in self.work:
            shutil.rmtree(work, ignore_errors=True)
        self.work.clear()

    def write(self, stage: Path, ctx, todo: list[tuple], edition_src, ctx_uri: str) -> int:
        """Write the pages in this process: a transform per block of pages (`blocks`)."""
        if not todo:
            self.progress.step("site pages")
            return 0
        # site.xsl alone: were document.xsl needed in this process, it would have been compiled
        # first (with site.xsl); when it was not, the workers made the pages (0.1 s of CPU saved)
        exe = compile_or_fail(SITE_XSL, family=False)
        params = {"edition-context": saxon.to_xdm(etree.tostring(ctx.getroot(), encoding="unicode"), ctx_uri)}
        if edition_src is not None and edition_src.ok:
            params["edition-file"] = saxon.to_xdm(edition_src.tree, canon(edition_src.path).as_uri())
        _unlink_old(stage, todo)
        base_out = stage.resolve().as_uri() + "/"
        proc = saxon.processor()
        exe.clear_parameters()
        for k, v in params.items():
            exe.set_parameter(k, v)
        exe.set_base_output_uri(base_out)
        for text, _ in self.blocks(todo):
            try:
                saxon.run(exe, xdm_node=saxon.to_xdm(text, base_out + "site.xml"))
            except saxon.XsltError as e:
                raise BuildError(site_error(str(e), stage)) from None
        del proc
        self.progress.step("site pages")
        return len(todo)



def map_pages(places: list, new_page) -> list:
    """map.html: every place (mapdata.Place, by name) as a dot, as many as mapdata.INLINE_PLACES;
    more (#18): an overview by grid cell, the places in data files of bounded size
    (assets/places*.js) and the table on pages by initial (mapdata.py). Functions making each
    page's <page> (new_page(kind, href, **attributes) makes one); the frame, the outline, the
    overview and the data files are worked out once."""
    def place_el(parent, p):
        return etree.SubElement(parent, "place", id=p.id, page=p.page, name=p.name, anchor=p.anchor,
                                lat=p.lat, long=p.long, documents=str(p.documents))
    # #14: the map's frame (outline.py decides it) and its coastlines and borders
    frame = Frame.of([(float(p.lat), float(p.long)) for p in places]) if places else None
    drawn = outline(frame) if frame is not None else None

    def framed(el):
        if frame is not None:
            for k, v in frame.attributes().items():
                el.set(k, v)
            if drawn is not None:
                etree.SubElement(el, "outline", land=drawn[0], borders=drawn[1])
        return el

    if len(places) <= mapdata.INLINE_PLACES:
        def map_page():
            el = new_page("map", "map.html")
            for p in places:
                place_el(el, p)
            return framed(el)
        return [map_page]

    parts = mapdata.list_pages(places)
    hrefs = [mapdata.list_href(k + 1) for k in range(len(parts))]
    labels = _part_labels(parts)
    files = mapdata.chunks(frame, places)
    cells = mapdata.overview(frame, places)

    def table_page(k):
        """Page k + 1 of the table; the first also has the overview, the data files' boxes and
        the frame."""
        el = new_page("map", hrefs[k], number=str(k + 1), pages=str(len(parts)), total=str(len(places)))
        for j, label in enumerate(labels):
            etree.SubElement(el, "link", number=str(j + 1), href=hrefs[j], label=label)
        for _, group in parts[k]:
            for p in group:
                place_el(el, p)
        if k > 0:
            return el
        for c in cells:
            cl = etree.SubElement(el, "cluster", x=f"{c.x:g}", y=f"{c.y:g}", count=str(c.count))
            if c.only is not None:
                place_el(cl, c.only)
        for n, part in enumerate(files):
            x0, y0, x1, y1 = mapdata.box(frame, part)
            etree.SubElement(el, "chunk", href=mapdata.chunk_href(n + 1), count=str(len(part)),
                             x0=f"{x0:g}", y0=f"{y0:g}", x1=f"{x1:g}", y1=f"{y1:g}")
        return framed(el)

    def data_page(k):
        el = new_page("map-data", mapdata.chunk_href(k + 1), chunk=str(k + 1))
        for p in files[k]:
            place_el(el, p)
        return el
    return [lambda k=k: table_page(k) for k in range(len(parts))] + \
        [lambda k=k: data_page(k) for k in range(len(files))]


def _year(d) -> str:
    """The chronology's heading for a document: its year, or Undated (as misc.xsl groups)."""
    m = re.match(r"-?\d{4}", d.when or "")
    return m.group(0) if m else "Undated"


def _part_labels(parts: list[list[tuple[str, list]]]) -> list[str]:
    """The names of the pages of a split index or chronology in their navigation: the heading
    of a page's one group ("S", "1937"), numbered when the group goes on over several pages
    ("S 2"), or the first and the last ("A–C", "1935–1939")."""
    labels, seen = [], {}
    for part in parts:
        if not part:
            labels.append("")
            continue
        first, last = part[0][0], part[-1][0]
        seen[first] = seen.get(first, 0) + 1
        if first == last:
            labels.append(first if seen[first] == 1 else f"{first} {seen[first]}")
        else:
            labels.append(f"{first}–{last}")
        if last != first:
            seen[last] = seen.get(last, 0) + 1
    return labels


def _write_work(path: Path, data: bytes) -> None:
    """Write a work file of the site pages (a block, the context), or stop the build saying why
    (a full disk, a file size limit)."""
    try:
        path.write_bytes(data)
    except OSError as e:
        why = e.strerror or str(e)
        advice = next((a for k, a in DISK_ADVICE if k.lower() in why.lower()), "")
        raise BuildError(f"cannot write the site pages' work file {path}: {why}; the previous output "
                         f"is unchanged" + (f"\n    hint: {advice}" if advice else "")) from None


def _unlink_old(stage: Path, todo: list[tuple]) -> None:
    # Saxon writes the pages itself (xsl:result-document, serialised by each page's
    # xsl:output); old hard-linked copies are unlinked first so the previous output is
    # never modified in place.
    for href, _ in todo:
        try:
            (stage / href).unlink()
        except FileNotFoundError:
            pass

