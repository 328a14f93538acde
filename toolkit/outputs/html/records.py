"""Document records: what the HTML build needs of a document without keeping its tree.

A build that must read a document (a full build, or a file changed since the last build) reads
it here, one document at a time — in worker processes when there are many — and keeps only its
record: the file facts the build state records (incremental.Sources.file_facts: hash, ids,
document facts, pointers, images, facsimile) and its names with their passages (the input of
passages.Mentions, before the pointers are resolved: the entities are known only once every
file is read). The model then holds an id-only stand-in for it, as for a file unchanged since
the last build, and the page's transform parses it again in the worker that makes the page: the
build's memory depends on the largest document, not on the edition.

A file that is not a plain document — malformed, with diagnostics, a teiCorpus, with
xi:includes, a root that makes no document — gets no record: the model reads it whole, as
before (it is reported, split or expanded there).
"""
from __future__ import annotations

import os
from pathlib import Path


from ...model import DOCUMENT_ROOTS, canon, display_name, document_facts, is_authority_tree, own_ids
from ...tei.classes import not_rendered
from ...tei.conventions import conventions
from ...tei.facts import date_style
from ...xinclude import expand as expand_includes, roots_for
from ...xmlsafe import parse_file
from ..plan import digest
from ..state import trusted_stat
from .facsimiles import facsimile_facts
from .incremental import id_stand_in, pointed_to, slim
from .media import graphic_refs
from .passages import NAME_TAGS, cite_ids, in_register, passage_of, passage_text, snippet
from . import pool as workers

# Documents read per task of a worker: enough to pay for the round trip, few enough to share
# the edition's documents evenly between the workers.
CHUNK = 32


class Reader:
    """Reads documents into records (`record`); made once per build, inherited by the workers."""

    def __init__(self, config):
        self.config = config
        self.convs = conventions(config)
        self.style = date_style(config.language)
        self.style_key = self.style.key()

    def record(self, path: str) -> dict | None:
        """The record of the document file at `path` (canonical), or None when the model must
        read it whole (see the module's docstring)."""
        p = Path(path)
        src = parse_file(p, display_name(p, self.config.root))
        if not src.ok or src.diagnostics or src.root.tag not in DOCUMENT_ROOTS \
                or is_authority_tree(src.tree):  # (an authority file found by its shape)
            return None
        expand_includes(src, roots_for(self.config, p))
        if src.included or src.diagnostics:
            return None
        root = src.root
        refs, files = pointed_to(root)
        facts = {"hash": digest(src.data),
                 "ids": [[el.tag, i] for i, el in own_ids(src).items()],
                 "doc": list(document_facts(canon(p), root, self.convs, self.style)),
                 "refs": sorted(refs), "files": sorted(files), "graphics": graphic_refs(root),
                 "facsimile": facsimile_facts(root, self.config), "style": self.style_key}
        stat = trusted_stat(src.read_stat)
        if stat is not None:
            facts["stat"] = stat
        return {"facts": facts, "size": len(src.data), "names": names(root)}


def names(root) -> list[list]:
    """Each name of a document that points somewhere ([its @ref, whether it stands in a
    register, its passage's id, the snippet]), in document order: passages.Mentions resolves
    the pointers once the entities are known. The same names, in the same order, as
    Mentions.names_in walks them."""
    ids = cite_ids(root)
    texts: dict = {}
    out = []
    for el in root.iter(*NAME_TAGS):
        ref = el.get("ref")
        if not ref or not ref.split() or not_rendered(el):
            continue
        if in_register(el):
            out.append([ref, True, "", ""])
            continue
        pid, passage = passage_of(el, ids)
        if passage is not None and passage not in texts:
            texts[passage] = passage_text(passage)
        out.append([ref, False, pid, snippet(texts.get(passage, ""), el)])
    return out


_reader: Reader | None = None


def _read_chunk(paths: list[str]) -> list:
    return [(p, _reader.record(p)) for p in paths]


def read_all(config, paths: list[str]):
    """(path, record or None) of each document file given, as they are read: in worker
    processes when there are many and forking is safe (pool.Pool.can_fork), else here."""
    global _reader
    _reader = Reader(config)
    try:
        size = 0
        for p in paths[:200]:  # enough to tell a few big files from many small ones
            try:
                size += os.stat(p).st_size
            except OSError:
                pass
        if not workers.wanted(len(paths), size) or not workers.Pool.can_fork(False) or len(paths) < 2 * CHUNK:
            for p in paths:
                yield p, _reader.record(p)
            return
        import multiprocessing
        chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
        with multiprocessing.get_context("fork").Pool(min(os.cpu_count() or 1, len(chunks))) as pool:
            for part in pool.imap(_read_chunk, chunks):
                yield from part
    finally:
        _reader = None


class Records:
    """The records of the documents this build read (path → facts; path → names), which the
    HTML build takes as this build's facts of those files (incremental.Sources, Mentions)."""

    def __init__(self, facts: dict | None = None, names: dict | None = None):
        self.facts: dict[str, dict] = facts or {}
        self.names: dict[str, list] = names or {}


def load(config, stand_ins: dict, known_docs: dict, skip: set, store=None) -> Records:
    """Read every document file of the edition that has no stand-in yet into a record:
    (stand-ins of those recorded, added to `stand_ins`; their document facts, added to
    `known_docs`; the Records). `skip`: canonical paths that are not documents (authority
    files, the edition file). With the build's `store` (store.HtmlStore), each record's facts
    go there as they come, and memory keeps them without the ids (incremental.slim)."""
    todo = []
    for p in dict.fromkeys(config.source_files()):
        rp = canon(p)
        if rp not in stand_ins and rp not in skip:
            todo.append(str(rp))
    records = Records()
    for path, rec in read_all(config, todo):
        if rec is None:
            continue
        p = Path(path)
        facts = rec["facts"]
        stand_ins[canon(p)] = id_stand_in(p, display_name(p, config.root), facts["ids"], rec["size"], facts["hash"])
        known_docs[canon(p)] = tuple(facts["doc"])
        if store is not None:
            store.put_file(path, facts)
            facts = slim(facts)
        records.facts[path] = facts
        records.names[path] = rec["names"]
    return records


__all__ = ["Reader", "Records", "load", "names", "read_all"]
