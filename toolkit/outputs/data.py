"""The `json` builder: the edition as data (output/json), for other programs — a search engine,
a network graph, a map, a citation tool. Three files, each an object with the data's `format`
number and one sorted list; docs/extending.md describes every field, and this module is its
worked example of adding an output:

- documents.json: each document's id, page name, source file, title, date label and ISO date,
  summary, transcription status, languages, archival identifier, its notes (numbered and
  marginal) and the labels of the hands its text names, and its addresses in the HTML site;
- entities.json: each person, place and organisation: kind, preferred name, variants, sort
  key, identifiers (idno) and authority links (URIs of @ref, @sameAs, @corresp), note,
  coordinates, source file and HTML page;
- mentions.json: each name in a document that points to an entity: the entity, the document,
  the passage (the id of the citable passage on the document's HTML page), the name's text and
  the passage's snippet.

One rule, one place: titles, date labels, transcription status, page names, names, variants and
sort keys are the model's facts (toolkit/model.py), notes and hands are told apart and labelled
by the TEI rules every output follows (toolkit/tei/notes.py); page addresses and passages are the
HTML build's (html/addresses.py, html/passages.py), so a passage id here is an anchor that exists
on the page. (tests/model/test_consistency.py holds this output to the model, the HTML and the PDF.)
The output is a pure function of the sources: sorted, byte-identical on rebuild; a file whose
bytes would not change is not written again. A document whose file cannot be read now keeps
its last good records (kept in the build state), as its HTML page and PDF do."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import T, canon, local, norm_space, text_of
from ..tei.entities import heading
from ..tei.notes import hand_name, is_marginal
from ..xmlsafe import TEI_NS, read_regular
from .base import Builder, BuildResult, Job
from .html.addresses import Addresses, assign
from .html.incremental import Sources, code_key
from .html.passages import Mentions, cite_ids, passage_of, passage_text, snippet
from .json_options import JsonOptions
from .plan import digest
from .publish import read_manifest, staged_output, write_file, write_manifest
from .state import state_file, write_state

FORMAT = 1  # the data's format: bumped when a field changes meaning or goes (docs/extending.md)
STATE = "json.json"
FILES = ("documents.json", "entities.json", "mentions.json")
# an authority link: an absolute URI (a scheme, then anything but white space)
_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


@dataclass
class JsonPlan:
    texts: dict[str, str]   # file name → its text
    state: dict             # what the next build reuses (each document's records)
    state_changed: bool


class JsonBuilder(Builder):
    name = "json"
    description = ("The edition as data: documents, entities and mentions as JSON (output/json). "
                   "PATHS: ad hoc, as for html.")
    options = JsonOptions
    supports_incremental = True  # writes only the files whose bytes change; nothing when none does
    default = True

    def plan(self, job: Job) -> JsonPlan:
        """The files' text (build writes those that differ from the output folder's)."""
        ed = job.edition
        previous = _read_state(job.target)
        mentions = Mentions(ed, Sources(ed, {}), {})  # for its entity resolution (one rule)
        records = {d.id: _document_records(ed, d, mentions, previous.get(d.id), job.options)
                   for d in ed.documents}
        named = {m["entity"] for r in records.values() for m in r["mentions"]} \
            | {e for r in records.values() for e in r["registered"]}
        addresses = assign(ed, lambda: named)
        data = {"documents.json": {"format": FORMAT, "documents": documents(ed, addresses, records)},
                "entities.json": {"format": FORMAT, "entities": entities(ed, addresses)},
                "mentions.json": {"format": FORMAT, "mentions": mention_list(ed, records)}}
        indent = job.options.indent or None
        texts = {name: json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True) + "\n"
                 for name, value in data.items()}
        state = {"format": FORMAT, "code": code_key(), "documents": records}
        return JsonPlan(texts, state, state != {"format": FORMAT, "code": code_key(), "documents": previous})

    def build(self, job: Job, plan: JsonPlan) -> BuildResult:
        result = BuildResult(self.name, job.target)
        texts = plan.texts
        changed = [n for n in FILES if job.full or not _same(job.target / n, texts[n])]
        if plan.state_changed:
            write_state(job.target, STATE, json.dumps(plan.state, ensure_ascii=False, sort_keys=True))
        if not changed and read_manifest(job.target) is not None:
            result.skipped = len(FILES)
            return result
        with staged_output(job.target, seed_from_previous=True) as stage:
            for name in changed:
                write_file(stage / name, texts[name])
            write_manifest(stage, {n: digest(texts[n]) for n in FILES}, extra={"builder": self.name, "format": FORMAT})
        result.written, result.skipped = len(changed), len(FILES) - len(changed)
        return result


# -- documents ---------------------------------------------------------------------------------
def _document_records(ed, d, mentions: Mentions, previous: dict | None, options: JsonOptions) -> dict:
    """What the JSON gives of a document beyond the model's facts, read from its tree: its
    languages, archival identifier, mentions and the entities its registers name. A document
    whose file cannot be read now (Edition.stale) keeps those of its last good version."""
    if canon(d.file) in ed.stale:
        return previous or {"languages": [], "archive": None, "notes": _notes(None), "hands": [],
                            "mentions": [], "registered": []}
    root = ed.files[canon(d.file)].root
    ids = cite_ids(root)
    texts: dict = {}
    out, registered = [], set()
    for el, eid, register in mentions.names_in(root, d.file):
        if register:  # a register entry describes an entity; it is no mention (passages.py)
            registered.add(eid)
            continue
        pid, passage = passage_of(el, ids)
        rec = {"entity": eid, "passage": pid, "text": text_of(el)}
        if options.snippets:
            if passage is not None and passage not in texts:
                texts[passage] = passage_text(passage)
            rec["snippet"] = snippet(texts.get(passage, ""), el)
        out.append(rec)
    return {"languages": languages(root), "archive": archive(root), "notes": _notes(root),
            "hands": hands(root), "mentions": out, "registered": sorted(registered)}


def _notes(root) -> dict:
    """How many notes of the text (not those inside notes) are numbered and how many stand in
    the margin (is_marginal: the rule of the HTML page and the PDF)."""
    notes = root.xpath("t:text//t:note[not(ancestor::t:note)]", namespaces={"t": TEI_NS}) if root is not None else []
    marginal = sum(1 for n in notes if is_marginal(n))
    return {"numbered": len(notes) - marginal, "marginal": marginal}


def hands(root) -> list[str]:
    """The names of the hands the text's elements name (@hand), sorted, once each: as the HTML
    page and the PDF print them ("hand A", hand_name: a siglum)."""
    labels = {hand_name(el.get("hand"), el) for el in root.iterfind(f"{T}text//*[@hand]")}
    return sorted(x for x in labels if x)


def languages(root) -> list[str]:
    """The language tags the header's langUsage declares (as written, in order, once each);
    else the text's @xml:lang; else none."""
    tags = [norm_space(x.get("ident") or "") for x in root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language")]
    tags = list(dict.fromkeys(t for t in tags if t))
    if not tags:
        text = root.find(T + "text")
        lang = norm_space(text.get("{http://www.w3.org/XML/1998/namespace}lang") or "") if text is not None else ""
        tags = [lang] if lang else []
    return tags


def archive(root) -> list[dict] | None:
    """The archival identifier of the source (the first msDesc's msIdentifier) as written: each
    of its parts in order (settlement, repository, collection, idno, altIdentifier …) with its
    @type; None when the header has none."""
    ms = root.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc//{T}msDesc/{T}msIdentifier")
    if ms is None:
        return None
    out = []
    for el in ms:
        if not isinstance(el.tag, str) or not el.tag.startswith(T):
            continue  # comments, processing instructions, other vocabularies
        value = norm_space("".join(el.itertext()))
        if value:
            out.append({"field": local(el.tag), "type": el.get("type") or None, "value": value})
    return out or None


def documents(ed, addresses: Addresses, records: dict) -> list[dict]:
    """Every document, sorted by id: the model's facts (its page name: Edition.page_names), the
    HTML addresses, the records."""
    out = []
    names = ed.page_names()
    for d in sorted(ed.documents, key=lambda d: d.id):
        r = records[d.id]
        out.append({"id": d.id, "name": names[d.id], "file": d.href, "title": d.title,
                    "date": {"label": d.date_label or None, "iso": d.when or None},
                    "summary": d.summary or None, "transcribed": d.transcribed,
                    "languages": r["languages"], "archive": r["archive"],
                    "notes": r.get("notes", _notes(None)), "hands": r.get("hands", []),
                    "html": addresses.doc_page[d.id], "tei": addresses.doc_source[d.id]})
    return out


# -- entities ----------------------------------------------------------------------------------
def links(el) -> list[str]:
    """The authority links of an entity: the absolute URIs of @ref, @sameAs and @corresp on
    its element and its names (a VIAF, GND, Wikidata, GeoNames record …), once each, in order."""
    found = []
    for node in (el, *el):
        for attr in ("ref", "sameAs", "corresp"):
            found += [u for u in (node.get(attr) or "").split() if _URI.match(u)]
    return list(dict.fromkeys(found))


def entities(ed, addresses: Addresses) -> list[dict]:
    """Every entity of the authority files, sorted by id."""
    out = []
    for eid, e in sorted(ed.entities.items()):
        ids = [{"type": i.get("type") or None, "value": norm_space("".join(i.itertext()))}
               for i in e.element.findall(T + "idno")]
        out.append({"id": eid, "kind": e.kind, "name": e.preferred,
                    "heading": heading(e.kind, e.element, e.preferred), "variants": list(e.variants),
                    "sort": e.sort_key, "identifiers": [i for i in ids if i["value"]],
                    "links": links(e.element), "note": e.note or None,
                    "coordinates": {"lat": e.geo[0], "long": e.geo[1]} if e.geo else None,
                    "file": ed.href(e.file), "html": addresses.ent_page.get(eid)})
    return out


# -- mentions ----------------------------------------------------------------------------------
def mention_list(ed, records: dict) -> list[dict]:
    """Every mention, by document (sorted by id), in the document's order."""
    return [{"document": d.id, **m} for d in sorted(ed.documents, key=lambda d: d.id)
            for m in records[d.id]["mentions"]]


# -- files -------------------------------------------------------------------------------------
def _same(path: Path, text: str) -> bool:
    try:
        data, _ = read_regular(str(path))
    except OSError:
        return False
    return data == text.encode("utf-8")


def _read_state(target: Path) -> dict:
    """The last build's records of each document (document id → records), when written by this
    code: a stale document keeps them."""
    try:
        data = json.loads(state_file(target, STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("format") == FORMAT and data.get("code") == code_key()
    docs = data.get("documents") if ok else None
    return docs if isinstance(docs, dict) else {}
