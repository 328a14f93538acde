"""An edition's own conventions, from edition.toml: the optional fields of "Document information"
([document_info]) and the marker of a text that is not transcribed ([text] not_transcribed).

Generic defaults suit any TEI edition: no optional fields (each header element shows as what it
is), and every document counts as transcribed. The bundled edition sets its own (the Digital
Archive's record fields; <gap reason="not-transcribed"/>) in its edition.toml; docs/encoding.md,
"Edition conventions", documents both.

A field is a label and where a teiHeader gives it, as space-separated selectors:
    resp:PREFIX   a respStmt (titleStmt, editionStmt) whose resp starts with PREFIX (any case)
    NAME          any element NAME of the header
    NAME:TYPE     any element NAME of the header with @type TYPE
xslt/html/pages/document-info.xsl applies the same selectors (the context's <info-field>s).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import T, norm_space


@dataclass(frozen=True)
class InfoField:
    name: str                  # the label as a token ("Record ID" → "record-id")
    label: str
    find: tuple[str, ...]      # selectors

    @property
    def is_resp(self) -> bool:
        """Given by respStmts: shown among the header's responsibilities."""
        return bool(self.find) and self.find[0].startswith("resp:")


@dataclass(frozen=True)
class Conventions:
    info_fields: tuple[InfoField, ...] = ()
    # a notesStmt/note of this @type says the source names every field (without values)
    all_fields_note: str = ""
    # the @reason of a <gap> directly in <body> that stands for a text not transcribed
    not_transcribed: frozenset[str] = frozenset()


GENERIC = Conventions()
# the tables of edition.toml the conventions come from
CONVENTION_TABLES = ("document_info", "text")


def field_name(label: str) -> str:
    return re.sub(r"[^\w]+", "-", label.lower()).strip("-") or "field"


def conventions(config) -> Conventions:
    """The conventions edition.toml sets (its [document_info] and [text] option sets, checked by
    toolkit/config.py)."""
    if not hasattr(config, "options"):
        return GENERIC
    info, text = (config.options(t) for t in CONVENTION_TABLES)
    fields = tuple(InfoField(field_name(label), label, tuple(find.split())) for label, find in info.fields.items())
    return Conventions(fields, info.all_fields_note, frozenset(text.not_transcribed))


def field_nodes(field: InfoField, header) -> list:
    """The header's elements that give a field (respStmts for resp: selectors), in the order of
    the selectors."""
    out: list = []
    for sel in field.find:
        kind, _, value = sel.partition(":")
        if kind == "resp":
            prefix = value.lower()
            for stmt in header.xpath("tei:fileDesc/tei:titleStmt/tei:respStmt | tei:fileDesc/tei:editionStmt/tei:respStmt",
                                     namespaces={"tei": T[1:-1]}):
                if any(norm_space("".join(r.itertext())).lower().startswith(prefix)
                       for r in stmt.iterchildren(T + "resp")):
                    out.append(stmt)
        else:
            out.extend(e for e in header.iter(T + kind) if not value or e.get("type") == value)
    return out


def info_fields(header, conv: Conventions) -> str:
    """The names of the fields a teiHeader gives (space-separated, in the configured order)."""
    if header is None or not conv.info_fields:
        return ""
    if conv.all_fields_note and header.xpath("tei:fileDesc/tei:notesStmt/tei:note[@type = $t]",
                                             namespaces={"tei": T[1:-1]}, t=conv.all_fields_note):
        return " ".join(f.name for f in conv.info_fields)
    return " ".join(f.name for f in conv.info_fields if field_nodes(f, header))


def transcribed(root, conv: Conventions) -> bool:
    """Whether a document's text is transcribed: not when its <body> holds a <gap> whose @reason
    is one of the edition's markers (none by default)."""
    if not conv.not_transcribed:
        return True
    body = root.find(f"{T}text/{T}body")
    return body is None or not any(g.get("reason") in conv.not_transcribed for g in body.iterchildren(T + "gap"))
