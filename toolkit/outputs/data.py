"""The `json` builder: the edition as data (output/json), for other programs — a search engine,
a network graph, a map, a citation tool. Three files, each an object with the data's format
number and one sorted list (docs/extending.md describes every field):

- documents.json: each document's id, title, date label and ISO date, summary, transcription
  status, source file, and its addresses in the other outputs (HTML page, TEI copy, PDF);
- entities.json: each person, place and organisation: kind, preferred name, variants, the
  identifiers of its idno elements with their type, note, coordinates, its HTML page;
- mentions.json: each mention of an entity in a document, once per passage: the entity, the
  document, the passage id (the anchor on the document's HTML page) and the snippet.

The same rules as the other outputs make the facts: the model's document and entity facts, the
HTML build's page addresses and passages (html/addresses.py, html/passages.py), the PDF build's
file names (pdf.document_keys). Incremental: each document's mentions are kept in the build
state, keyed by its bytes (as the HTML build keeps them), and files whose bytes would not change
are not written again; a build that changes nothing writes nothing."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..model import T
from ..xmlsafe import read_regular
from .base import Builder, BuildResult, Job
from .json_options import JsonOptions
from .html.addresses import assign
from .html.incremental import Sources, code_key
from .html.passages import Mentions
from .pdf import document_keys
from .publish import read_manifest, staged_output, write_file, write_manifest
from .state import state_file, write_state

FORMAT = 1  # the data's format: bumped when a field changes meaning or goes (docs/extending.md)
STATE = "json.json"
FILES = ("documents.json", "entities.json", "mentions.json")


@dataclass
class JsonPlan:
    texts: dict[str, str]   # file name → its text
    state: dict             # what the next build reuses (each document's mentions)
    state_changed: bool


class JsonBuilder(Builder):
    name = "json"
    description = ("The edition as data: documents, entities and mentions as JSON (output/json). "
                   "PATHS: ad hoc, as for html.")
    options = JsonOptions
    incremental = True
    default = True

    def plan(self, job: Job) -> JsonPlan:
        """The files' text (build writes those that differ from the output folder's)."""
        ed = job.edition
        previous = {} if job.full else _read_state(job.target)
        sources = Sources(ed, {})
        mentions = Mentions(ed, sources, previous)
        addresses = assign(ed, lambda: {eid for d in ed.documents for eid, _, _ in mentions.of(d)}
                           | {eid for d in ed.documents for eid in mentions.registered(d)})
        data = {"documents.json": {"format": FORMAT, "documents": documents(ed, addresses)},
                "entities.json": {"format": FORMAT, "entities": entities(ed, addresses)},
                "mentions.json": {"format": FORMAT, "mentions": mention_records(ed, mentions, job.options.snippets)}}
        indent = job.options.indent or None
        texts = {name: json.dumps(value, ensure_ascii=False, indent=indent) + "\n" for name, value in data.items()}
        state = {"format": FORMAT, "code": code_key(), "mentions": mentions.cache}
        return JsonPlan(texts, state, mentions.cache != previous)

    def build(self, job: Job, plan: JsonPlan) -> BuildResult:
        result = BuildResult(self.name, job.target)
        texts = plan.texts
        changed = [n for n in FILES if job.full or not _same(job.target / n, texts[n])]
        if plan.state_changed:
            write_state(job.target, STATE, json.dumps(plan.state, ensure_ascii=False))
        if not changed and read_manifest(job.target) is not None:
            result.skipped = len(FILES)
            return result
        with staged_output(job.target, seed_from_previous=True) as stage:
            for name in changed:
                write_file(stage / name, texts[name])
            write_manifest(stage, {n: "" for n in FILES}, extra={"builder": self.name, "format": FORMAT})
        result.written, result.skipped = len(changed), len(FILES) - len(changed)
        return result


def documents(ed, addresses) -> list[dict]:
    """Every document, sorted by id."""
    pdf = dict(zip((d.id for d in ed.documents), document_keys(ed)))
    return [{"id": d.id, "title": d.title, "date": d.date_label, "when": d.when or None,
             "summary": d.summary, "transcribed": d.transcribed, "source": d.href,
             "html": addresses.doc_page[d.id], "tei": addresses.doc_source[d.id], "pdf": f"{pdf[d.id]}.pdf"}
            for d in sorted(ed.documents, key=lambda d: d.id)]


def entities(ed, addresses) -> list[dict]:
    """Every entity of the authority files, sorted by id."""
    out = []
    for eid, e in sorted(ed.entities.items()):
        ids = [{"type": i.get("type") or None, "value": " ".join("".join(i.itertext()).split())}
               for i in e.element.findall(T + "idno")]
        out.append({"id": eid, "kind": e.kind, "name": e.preferred, "variants": list(e.variants),
                    "identifiers": [i for i in ids if i["value"]], "note": e.note or None,
                    "coordinates": {"lat": e.geo[0], "long": e.geo[1]} if e.geo else None,
                    "source": ed.href(e.file), "html": addresses.ent_page.get(eid)})
    return out


def mention_records(ed, mentions: Mentions, snippets: bool) -> list[dict]:
    """Every mention, by document (sorted by id), in the document's order; once per entity and
    passage."""
    out = []
    for d in sorted(ed.documents, key=lambda d: d.id):
        for eid, pid, snip in mentions.of(d):
            rec = {"entity": eid, "document": d.id, "passage": pid}
            if snippets:
                rec["snippet"] = snip
            out.append(rec)
    return out


def _same(path: Path, text: str) -> bool:
    try:
        data, _ = read_regular(str(path))
    except OSError:
        return False
    return data == text.encode("utf-8")


def _read_state(target: Path) -> dict:
    """The last build's mentions (document id → [key, mentions, registered]), when written by
    this code."""
    try:
        data = json.loads(state_file(target, STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("format") == FORMAT and data.get("code") == code_key()
    return data.get("mentions", {}) if ok else {}

