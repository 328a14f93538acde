"""Grammar kinds: how a schema is recognised, and which function checks a file against it.

One row per kind. A schema's kind comes from its file extension when the table knows it, else
from the xml-model's schematypens, else from its media type. The checker, "module:function", is
imported when first used (xmlschema costs 0.2 s to import: a run with no XSD never pays it) and
is called as check(src: SourceFile, schema: Path) -> list[Diagnostic]; it raises
relaxng.SchemaError for a schema that is missing, malformed or does not compile.

Schematron is not a grammar (its rules come on top of one) and is handled apart (validator.py).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"


@dataclass(frozen=True)
class Kind:
    name: str                     # short id: rng, rnc, xsd …
    label: str                    # in messages: "RELAX NG"
    extensions: tuple[str, ...]   # lower case, with the dot
    namespaces: tuple[str, ...]   # xml-model schematypens values
    media_types: tuple[str, ...]  # xml-model type values that name it (without a schematypens)
    checker: str                  # "module:function"


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("rng", "RELAX NG", (".rng",), (RNG_NS,), ("application/relax-ng+xml",),
         "toolkit.validate.relaxng:validate"),
    Kind("rnc", "RELAX NG compact syntax", (".rnc",), (),
         ("application/relax-ng-compact-syntax", "application/vnd.relax-ng.rnc"),
         "toolkit.validate.rnc:validate"),
    Kind("xsd", "XML Schema", (".xsd",), (XSD_NS,), ("application/xml-schema",),
         "toolkit.validate.xsd:validate"),
    Kind("odd", "TEI ODD", (".odd",), (), ("application/tei+xml+odd",),
         "toolkit.validate.odd:validate"),
)}


def kind_of(href: str, schematypens: str = "", media_type: str = "") -> str | None:
    """The grammar kind of a schema reference, or None (Schematron, or unknown)."""
    lower = href.lower().split("#")[0].split("?")[0]
    for k in KINDS.values():
        if any(lower.endswith(e) for e in k.extensions):
            return k.name
    for k in KINDS.values():
        if schematypens and schematypens in k.namespaces:
            return k.name
    for k in KINDS.values():
        if not schematypens and media_type in k.media_types:
            return k.name
    return None


def label(kind: str) -> str:
    k = KINDS.get(kind)
    return k.label if k else ("Schematron" if kind == "sch" else kind)


_checkers: dict[str, object] = {}


def checker(kind: str):
    """The check function of a kind."""
    fn = _checkers.get(kind)
    if fn is None:
        module, _, name = KINDS[kind].checker.partition(":")
        fn = _checkers[kind] = getattr(importlib.import_module(module), name)
    return fn
