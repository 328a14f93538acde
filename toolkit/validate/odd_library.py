"""The TEI read back from a schema the TEI's own tools compiled (tei_all.rng): its elements,
classes and macros as specifications an ODD can select and change (toolkit.validate.odd).

The compiled schema names its patterns after the specifications (`p`, `model.pLike`,
`att.global.attributes`, `att.global.attribute.xmlid`, `macro.paraContent`), so class
memberships, attribute lists and content models can be recovered from it. What it does not
record is the module each specification belongs to: an element's module is the chapter of the
Guidelines its documentation cites first (chapter n documents module n, as tei_all.odd's
moduleRef/@n numbers them), corrected where that is not its home; a class's module is `tei`
unless listed in CLASS_MODULES.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = "{%s}" % RNG_NS
A_DOC = "{http://relaxng.org/ns/compatibility/annotations/1.0}documentation"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
TEI_NS = "http://www.tei-c.org/ns/1.0"

# Chapter n of the Guidelines documents module n (tei_all.odd's moduleRef/@n).
CHAPTER_MODULES = {
    1: "tei", 2: "header", 3: "core", 4: "textstructure", 5: "gaiji", 6: "verse", 7: "drama",
    8: "spoken", 9: "cmc", 10: "dictionaries", 11: "msdescription", 12: "transcr",
    13: "textcrit", 14: "namesdates", 15: "figures", 16: "corpus", 17: "linking",
    18: "analysis", 19: "iso-fs", 20: "nets", 22: "certainty", 23: "tagdocs",
}

# Elements whose first cited chapter is not the one of their module.
ELEMENT_MODULES = {
    "datatype": "tagdocs", "schemaSpec": "tagdocs", "equiv": "tagdocs", "altIdent": "tagdocs",
    "anchor": "linking", "head": "core", "teiCorpus": "core", "unclear": "core", "rs": "core",
    "desc": "core", "idno": "header", "handNote": "header", "scriptNote": "header",
    "biblFull": "header", "citeStructure": "header", "citeData": "header",
    "listPlace": "namesdates", "affiliation": "namesdates", "birth": "namesdates",
    "death": "namesdates", "education": "namesdates", "langKnown": "namesdates",
    "nationality": "namesdates", "occupation": "namesdates", "personGrp": "namesdates",
    "residence": "namesdates", "socecStatus": "namesdates",
}

# Classes defined outside the infrastructure module `tei`: left out with their module.
CLASS_MODULES = {
    "linking": "att.global.linking att.pointing.group",
    "analysis": "att.global.analytic att.linguistic att.lexicographic.normalized",
    "transcr": "att.global.facs att.global.change att.coordinated att.damaged model.linePart",
    "verse": "att.metrical att.enjamb",
    "msdescription": "att.msExcerpt att.msClass model.dimLike",
    "textcrit": "att.textCritical att.rdgPart att.witnessed model.rdgLike model.rdgPart",
    "dictionaries": "att.lexicographic att.entryLike att.partials model.entryPart.top "
                    "model.formPart model.gramPart model.lexicalRefinement model.morphLike "
                    "model.ptrLike.form",
    "tagdocs": "att.combinable att.deprecated att.identified att.namespaceable att.predicate "
               "att.repeatable model.contentPart model.oddRef model.identEquiv model.identSynonyms",
    "spoken": "att.duration model.global.spoken model.divPart.spoken model.recordingPart",
    "namesdates": "att.datable.custom att.datable.iso",
    "certainty": "att.scoping",
    "drama": "att.performed model.castItemPart",
    "iso-fs": "model.featureVal model.featureVal.complex model.featureVal.single model.fsdDeclPart",
    "gaiji": "att.gaijiProp",
    "cmc": "att.cmc att.indentation model.cmc",
    "header": "att.citeStructurePart att.styleDef att.handFeatures",
}
_CLASS_MODULE = {c: m for m, names in CLASS_MODULES.items() for c in names.split()}

MODEL_VARIANTS = ("alternation", "sequence", "sequenceOptional", "sequenceOptionalRepeatable",
                  "sequenceRepeatable")


@dataclass
class AttDef:
    name: str                     # as written on elements: "xml:id", "type"
    required: bool
    value: list                   # RNG patterns for the value (none: text)
    doc: etree._Element | None = None
    constraints: list = field(default_factory=list)   # Schematron patterns
    ns: str | None = None
    values_closed: list[str] | None = None   # the closed value list, when the value is one


@dataclass
class ElementDef:
    ident: str
    name: str
    ns: str | None
    module: str
    content: list                 # RNG patterns
    classes: list[str]            # model and attribute class memberships
    att_refs: list[tuple[str, str]]   # single inherited attributes: (class, attribute name)
    attributes: dict[str, AttDef]
    constraints: list             # Schematron patterns
    doc: etree._Element | None = None
    removed: set[str] = field(default_factory=set)   # inherited attributes deleted here


@dataclass
class ClassDef:
    ident: str
    type: str                     # atts | model
    module: str
    classes: list[str]            # its own memberships
    attributes: dict[str, AttDef] = field(default_factory=dict)
    constraints: list = field(default_factory=list)   # Schematron patterns of the class itself
    removed: set[str] = field(default_factory=set)    # inherited attributes deleted here


@dataclass
class MacroDef:
    ident: str
    module: str
    content: list


@dataclass
class Library:
    elements: dict[str, ElementDef]
    classes: dict[str, ClassDef]
    macros: dict[str, MacroDef]
    extra: dict[str, etree._Element]    # other defines (anyElement patterns), kept as they are
    datatypes: dict[str, list]          # teidata.* (from dataSpecs of ODDs; built-ins in odd.py)
    sch_ns: list                        # top-level sch:ns declarations
    root_nsmap: dict

    def copy(self) -> "Library":
        return copy.deepcopy(self)


def _patterns(node) -> list:
    return [c for c in node if isinstance(c.tag, str) and c.tag != A_DOC]


def _is_sch(el) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith("{%s}" % SCH_NS)


def _chapter_module(doc) -> str | None:
    if doc is None:
        return None
    text = "".join(doc.itertext())
    if "[" not in text:
        return None
    m = re.search(r"(?:\[|\s)(\d+)\.(?:\d+\.)*\s", text[text.rfind("["):])
    return CHAPTER_MODULES.get(int(m.group(1))) if m else None


def read_attribute(pattern) -> AttDef | None:
    """An attribute of a compiled schema: <optional><attribute>…</attribute></optional> or
    <attribute>…</attribute> (required)."""
    required = pattern.tag == R + "attribute"
    att = pattern if required else None
    if pattern.tag == R + "optional":
        kids = _patterns(pattern)
        if len(kids) == 1 and kids[0].tag == R + "attribute":
            att = kids[0]
    if att is None or not att.get("name"):
        return None
    doc = att.find(A_DOC)
    value = [c for c in _patterns(att)]
    closed = None
    if len(value) == 1 and value[0].tag == R + "choice" and all(
            c.tag == R + "value" for c in _patterns(value[0])):
        closed = [c.text or "" for c in _patterns(value[0])]
    elif len(value) == 1 and value[0].tag == R + "value":
        closed = [value[0].text or ""]
    return AttDef(att.get("name"), required, value, doc, [], att.get("ns"), closed)


def _class_ident(ref: str) -> str | None:
    if ref.startswith("att.") and ref.endswith(".attributes"):
        return ref[: -len(".attributes")]
    return None


def read_library(tree: etree._ElementTree) -> Library:
    root = tree.getroot()
    defines = {d.get("name"): d for d in root.iter(R + "define")}
    elements: dict[str, ElementDef] = {}
    classes: dict[str, ClassDef] = {}
    macros: dict[str, MacroDef] = {}
    extra: dict[str, etree._Element] = {}
    att_defs: dict[str, AttDef] = {}

    for name, d in defines.items():
        if name.startswith("att.") and ".attribute." in name:
            kids = _patterns(d)
            att = read_attribute(kids[0]) if kids else None
            if att is not None:
                att.constraints = [c for c in d.iter() if _is_sch(c) and c.tag.endswith("}pattern")]
                att_defs[name] = att
    for name, d in defines.items():
        if name.startswith("att.") and name.endswith(".attributes"):
            ident = _class_ident(name)
            c = classes.setdefault(ident, ClassDef(ident, "atts", _CLASS_MODULE.get(ident, "tei"), []))
            for r in d.iter(R + "ref"):
                sup = _class_ident(r.get("name"))
                if sup:
                    c.classes.append(sup)
                elif r.get("name") in att_defs:
                    a = att_defs[r.get("name")]
                    c.attributes[a.name] = a
        elif name.startswith("model.") and "_" not in name:
            classes.setdefault(name, ClassDef(name, "model", _CLASS_MODULE.get(name, "tei"), []))
        elif name.startswith("macro."):
            macros[name] = MacroDef(name, "tei", _patterns(d))
    for name, d in defines.items():  # model memberships are recorded on the class: invert them
        if name.startswith("model.") and "_" not in name:
            for r in d.iter(R + "ref"):
                member = r.get("name")
                if member in classes:
                    classes[member].classes.append(name)
    for name, d in defines.items():
        el = d.find(R + "element")
        if el is None or not el.get("name") or len(_patterns(d)) != 1:
            if not (name.startswith(("att.", "model.", "macro."))):
                extra[name] = d
            continue
        e = _read_element(name, el, att_defs)
        elements[name] = e
    for cname, c in classes.items():
        if c.type != "model":
            continue
        for r in defines[cname].iter(R + "ref"):
            if r.get("name") in elements:
                elements[r.get("name")].classes.append(cname)
    _attach_class_constraints(root, classes)
    sch_ns = [c for c in root if _is_sch(c) and c.tag.endswith("}ns")]
    return Library(elements, classes, macros, extra, {}, sch_ns, dict(root.nsmap))


def _read_element(name: str, el, att_defs: dict) -> ElementDef:
    doc = el.find(A_DOC)
    kids = [c for c in el if isinstance(c.tag, str) and c.tag != A_DOC]
    constraints = [c for c in kids if _is_sch(c)]
    kids = [c for c in kids if not _is_sch(c)]
    content = kids[:1]
    rest = kids[1:]
    if rest and rest[-1].tag == R + "empty":
        rest = rest[:-1]
    classes: list[str] = []
    att_refs: list[str] = []
    attributes: dict[str, AttDef] = {}
    for c in rest:
        if c.tag == R + "ref":
            n = c.get("name")
            if _class_ident(n):
                classes.append(_class_ident(n))
            elif n in att_defs:
                att_refs.append((n.rpartition(".attribute.")[0], att_defs[n].name))
            else:
                content.append(c)
            continue
        a = read_attribute(c)
        if a is None:
            content.append(c)  # (not an attribute: part of the content after all)
            continue
        attributes[a.name] = a
    for a in attributes.values():
        a.constraints = []
    module = ELEMENT_MODULES.get(name) or _chapter_module(doc) or "tei"
    return ElementDef(name, el.get("name"), el.get("ns"), module, content, classes, att_refs,
                      attributes, constraints, doc)


def _attach_class_constraints(root, classes: dict[str, ClassDef]) -> None:
    """The grammar's top-level Schematron patterns are the classes' constraints; their ids say
    whose ("tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2"): attach each to
    its class, and to its attribute when the id names one, so that deleting either drops it."""
    by_length = sorted(classes, key=len, reverse=True)
    for p in root:
        if not (_is_sch(p) and p.tag.endswith("}pattern")):
            continue
        pid = p.get("id") or ""
        for ident in by_length:
            at = pid.find(f"-{ident}-")
            if at < 0:
                continue
            c = classes[ident]
            tokens = set(pid[at + len(ident) + 2:].split("-"))
            owner = next((a for n, a in c.attributes.items() if n.replace(":", "") in tokens), None)
            (owner.constraints if owner is not None else c.constraints).append(p)
            break
