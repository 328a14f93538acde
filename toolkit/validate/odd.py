"""ODD customisations compiled to RELAX NG and Schematron.

An ODD's schemaSpec selects modules, elements, classes and macros from the TEI (moduleRef with
@include/@except, elementRef, classRef, macroRef, specGrpRef) and adds, changes, replaces or
deletes specifications (elementSpec, classSpec, macroSpec, dataSpec, attDef, valList,
constraintSpec). The TEI itself is read from a schema the TEI's tools compiled, tei_all.rng
(odd_library); the result is a grammar of the specifications kept, with references to what was
left out pruned as the TEI's ODD processor prunes them, and a Schematron schema of the
constraints of what was kept (the TEI's own included). Anything of an ODD this compiler does
not implement is an OddError naming the ODD file, the line and the feature: never skipped.

Compiled schemas are kept in the user cache folder, keyed by the content of the ODD, of every
ODD it names as its @source, of the TEI schema and of this compiler.
"""
from __future__ import annotations

import copy
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from ..files import write_atomic
from .odd_library import (A_DOC, MODEL_VARIANTS, R, RNG_NS, SCH_NS, TEI_NS, AttDef, ClassDef,
                          ElementDef, Library, MacroDef, read_library)

T = "{%s}" % TEI_NS
S = "{%s}" % SCH_NS
OLD_SCH_NS = "http://www.ascc.net/xml/schematron"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
COMPILER_VERSION = "1"

# Documentation and processing-model children of specifications: nothing for a schema.
DOC_CHILDREN = {"desc", "gloss", "remarks", "exemplum", "listRef", "equiv", "altIdent", "model",
                "modelSequence", "modelGrp", "defaultVal", "valDesc", "ptr", "ref", "note",
                "head", "p", "specList", "paramList"}


class OddError(Exception):
    """An ODD that cannot be compiled: the message names the file, the line and the reason."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.reason = str(path), line or 1, message
        super().__init__(f"{self.path}:{self.line}: {message}")


@dataclass
class CompiledOdd:
    rng_tree: etree._ElementTree
    schematron_tree: etree._ElementTree
    ident: str
    sources: list[Path] = field(default_factory=list)   # ODD files read (the ODD and its @source)
    notes: list["OddNote"] = field(default_factory=list)  # features compiled with a remark


class OddNote(NamedTuple):
    """A feature compiled with a remark (a moduleRef naming what the TEI lacks, a second
    schemaSpec): a schema.note at the ODD's line, of severity info (an editor using the TEI's
    own ODD cannot act on it)."""
    path: str
    line: int
    text: str

    def diagnostic(self):
        from ..diagnostics import INFO, Diagnostic
        from ..model import display_name
        return Diagnostic(display_name(Path(self.path), Path.cwd()), self.line, 1, INFO,
                          self.text, "schema.note")


def note_diagnostics(notes) -> list:
    """One diagnostic per line of the ODD (several notes there joined: one finding per place)."""
    by_line: dict[tuple, list[str]] = {}
    for n in notes:
        by_line.setdefault((n.path, n.line), []).append(n.text)
    return [OddNote(path, line, "; ".join(dict.fromkeys(texts))).diagnostic()
            for (path, line), texts in sorted(by_line.items())]


# --- the TEI's datatypes (teidata.*), which a compiled schema inlines -----------------------

_W = "[^\\p{C}\\p{Z}]+"
_DATATYPES = {
    "teidata.word": f'<data type="token"><param name="pattern">{_W}</param></data>',
    "teidata.enumerated": f'<data type="token"><param name="pattern">{_W}</param></data>',
    "teidata.sex": f'<data type="token"><param name="pattern">{_W}</param></data>',
    "teidata.gender": f'<data type="token"><param name="pattern">{_W}</param></data>',
    "teidata.text": '<data type="string"/>',
    "teidata.key": '<data type="string"/>',
    "teidata.replacement": '<text/>',
    "teidata.xpath": '<text/>',
    "teidata.pattern": '<data type="token"/>',
    "teidata.name": '<data type="Name"/>',
    "teidata.xmlName": '<data type="NCName"/>',
    "teidata.namespace": '<data type="anyURI"/>',
    "teidata.pointer": '<data type="anyURI"><param name="pattern">\\S+</param></data>',
    "teidata.count": '<data type="nonNegativeInteger"/>',
    "teidata.truthValue": '<data type="boolean"/>',
    "teidata.xTruthValue": '<choice><data type="boolean"/><value>unknown</value>'
                           '<value>inapplicable</value></choice>',
    "teidata.language": '<choice><data type="language"/><value/></choice>',
    "teidata.probability": '<data type="double"><param name="minInclusive">0</param>'
                           '<param name="maxInclusive">1</param></data>',
    "teidata.certainty": '<choice><value>high</value><value>medium</value><value>low</value>'
                         '<value>unknown</value></choice>',
    "teidata.numeric": '<choice><data type="double"/><data type="token"><param name="pattern">'
                       '(\\-?[\\d]+/\\-?[\\d]+)</param></data><data type="decimal"/></choice>',
    "teidata.version": '<data type="token"><param name="pattern">[\\d]+(\\.[\\d]+){0,2}</param></data>',
    "teidata.versionNumber": '<data type="token"><param name="pattern">[\\d]+[a-z]*[\\d]*'
                             '(\\.[\\d]+[a-z]*[\\d]*){0,3}</param></data>',
    "teidata.temporal.w3c": '<choice><data type="date"/><data type="gYear"/><data type="gMonth"/>'
                            '<data type="gDay"/><data type="gYearMonth"/><data type="gMonthDay"/>'
                            '<data type="time"/><data type="dateTime"/></choice>',
    "teidata.duration.w3c": '<data type="duration"/>',
    "teidata.outputMeasurement": '<data type="token"><param name="pattern">[\\-+]?\\d+(\\.\\d+)?'
                                 '(%|cm|mm|in|pt|pc|px|em|ex|gd|rem|vw|vh|vm)</param></data>',
    "teidata.point": '<data type="token"><param name="pattern">(\\-?[0-9]+(\\.[0-9]+)?,'
                     '\\-?[0-9]+(\\.[0-9]+)?)</param></data>',
    "teidata.unboundedInt": '<choice><data type="nonNegativeInteger"/><value>unbounded</value></choice>',
    "teidata.authority": '<choice><data type="NCName"/><data type="anyURI">'
                         '<param name="pattern">\\S+</param></data></choice>',
}


def builtin_datatype(key: str) -> list | None:
    text = _DATATYPES.get(key)
    if text is None:
        return None
    return [etree.fromstring(f'<wrap xmlns="{RNG_NS}" datatypeLibrary="{XSD_TYPES}">{text}</wrap>')[0]]


def _rng(tag: str, *children, **attrs) -> etree._Element:
    el = etree.Element(R + tag, {k.rstrip("_"): v for k, v in attrs.items()})
    for c in children:
        el.append(c)
    return el


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _is_tei(el, name: str | None = None) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith(T) and (name is None or _local(el) == name)


# --- reading an ODD ---------------------------------------------------------------------------

class _Odd:
    """One ODD file being compiled (and, through @source, the ODDs it builds on)."""

    def __init__(self, path: Path, base_rng: Path, chain: tuple = ()):
        self.path = path
        self.base_rng = base_rng
        self.chain = chain + (path.resolve(),)
        self.sources: list[Path] = [path]
        self.notes: list[str] = []
        self.extra_constraints: list = []
        self.extra_ns: list = []
        self.class_restrictions: dict[str, tuple[set | None, set]] = {}
        try:
            from ..xmlsafe import parse_schema_file
            self.tree = parse_schema_file(path, etree.XMLParser(
                no_network=True, resolve_entities=False, load_dtd=False, remove_comments=True,
                remove_pis=True))
        except etree.XMLSyntaxError as e:
            raise OddError(path, e.lineno, f"not well-formed XML: {e.msg}") from None
        except OSError as e:
            raise OddError(path, None, f"cannot be read: {e}") from None

    def error(self, el, message: str) -> OddError:
        return OddError(self.path, getattr(el, "sourceline", None), message)

    def note(self, el, text: str) -> None:
        self.notes.append(OddNote(str(self.path), getattr(el, "sourceline", None) or 1, text))

    def schema_spec(self):
        specs = list(self.tree.getroot().iter(T + "schemaSpec"))
        if not specs:
            if list(self.tree.getroot().iter("{http://www.w3.org/2001/XInclude}include")):
                raise self.error(self.tree.getroot(), "no <schemaSpec> here, and XInclude (which "
                                 "may bring one in) is not supported: put the schemaSpec in this file")
            raise self.error(self.tree.getroot(), "no <schemaSpec>: this is not an ODD customisation")
        if len(specs) > 1:
            self.note(specs[1], f"{len(specs)} schemaSpecs; compiled the first, "
                                f"'{specs[0].get('ident')}'")
        return specs[0]

    # the library the customisation starts from
    def base_library(self, spec) -> Library:
        source = spec.get("source")
        self.library_name = f"the source '{source}'" if source else "the TEI"
        if not source or source.startswith("tei:"):
            self.library_name = "the TEI"
            if source and source != "tei:current":
                self.note(spec, f"source '{source}' asks for a given TEI release; "
                                f"compiled against {self.base_rng.name}")
            return read_library(_parse_rng(self.base_rng))
        if "://" in source:
            raise self.error(spec, f"@source '{source}' is a URL: only a local ODD file can be a "
                             f"source (the toolkit never downloads)")
        src = (self.path.parent / source)
        if not src.exists():
            raise self.error(spec, f"@source '{source}' not found (looked for {src})")
        if src.resolve() in self.chain:
            raise self.error(spec, f"@source '{source}' leads back to this ODD (a cycle)")
        sub = _Odd(src, self.base_rng, self.chain)
        lib = sub.compile_library()
        self.sources += sub.sources
        self.notes += sub.notes
        self.extra_constraints += sub.extra_constraints
        self.extra_ns += sub.extra_ns
        return lib

    def compile_library(self) -> Library:
        """The library this ODD's schemaSpec makes: what it keeps, as it changes it."""
        spec = self.schema_spec()
        lib, keep = self.customise(spec)
        return _restrict(lib, keep)

    def customise(self, spec):
        lib = self.base_library(spec)
        self.ident = spec.get("ident") or self.path.stem
        self.default_ns = spec.get("ns")
        keep = _Keep(set(), set(), set())
        items = list(self._items(spec, set()))
        for el in items:
            self._select(lib, keep, el)
        for el in items:
            if _local(el) in ("elementSpec", "classSpec", "macroSpec", "dataSpec"):
                _Specs(self, lib, keep).apply(el)
            elif _local(el) == "constraintSpec":
                self.extra_constraints += _constraint_patterns(self, el, None, self.ident, "")
        for cls, (include, exclude) in self.class_restrictions.items():
            c = lib.classes.get(cls)
            if c is not None:
                c.attributes = {n: a for n, a in c.attributes.items()
                                if (include is None or n in include) and n not in exclude}
        return lib, keep

    def _items(self, container, seen: set):
        """The schemaSpec's children, specGrp contents and specGrpRef targets taken in place."""
        for el in container:
            if not isinstance(el.tag, str):
                continue
            name = _local(el)
            if not el.tag.startswith(T):
                if el.tag.startswith(S) and name == "ns":
                    self.extra_ns.append(el)
                    continue
                raise self.error(el, f"<{el.tag}> in a schemaSpec is not supported")
            if name == "specGrp":
                yield from self._items(el, seen)
            elif name == "specGrpRef":
                target = (el.get("target") or "").lstrip("#")
                grp = next((g for g in self.tree.getroot().iter(T + "specGrp")
                            if g.get("{http://www.w3.org/XML/1998/namespace}id") == target), None)
                if grp is None or "#" not in (el.get("target") or "#"):
                    raise self.error(el, f"specGrpRef target '{el.get('target')}' is not a "
                                     f"specGrp of this file (other files are not supported)")
                if target in seen:
                    continue
                seen.add(target)
                yield from self._items(grp, seen)
            elif name in DOC_CHILDREN or name in ("dataRef",):
                continue
            else:
                yield el

    def _select(self, lib: Library, keep: "_Keep", el):
        name = _local(el)
        if name == "moduleRef":
            if el.get("url"):
                raise self.error(el, "moduleRef/@url (an external RELAX NG module) is not supported")
            key = el.get("key")
            modules = {e.module for e in lib.elements.values()} | {c.module for c in lib.classes.values()}
            if key not in modules:
                raise self.error(el, f"moduleRef: the TEI has no module '{key}'")
            include = set((el.get("include") or "").split()) or None
            exclude = set((el.get("except") or "").split())
            for n in sorted((include or set()) | exclude):
                if n not in lib.elements:  # (the TEI's processor, too, goes on without it)
                    self.note(el, f"moduleRef key='{key}' names '{n}', which "
                                  f"{self.library_name} does not define: left out")
            for e in lib.elements.values():
                if include is not None:
                    if e.ident in include:
                        keep.elements.add(e.ident)
                elif e.module == key and e.ident not in exclude:
                    keep.elements.add(e.ident)
            keep.classes |= {c.ident for c in lib.classes.values() if c.module == key}
            keep.macros |= {m.ident for m in lib.macros.values() if m.module == key}
        elif name == "elementRef":
            if el.get("key") not in lib.elements:
                raise self.error(el, f"elementRef: the TEI has no element '{el.get('key')}'")
            keep.elements.add(el.get("key"))
        elif name == "classRef":
            if el.get("key") not in lib.classes:
                raise self.error(el, f"classRef: the TEI has no class '{el.get('key')}'")
            keep.classes.add(el.get("key"))
            if el.get("include") or el.get("except"):
                self.class_restrictions[el.get("key")] = (
                    set(el.get("include").split()) if el.get("include") else None,
                    set((el.get("except") or "").split()))
        elif name == "macroRef":
            if el.get("key") not in lib.macros:
                raise self.error(el, f"macroRef: the TEI has no macro '{el.get('key')}'")
            keep.macros.add(el.get("key"))
        elif name in ("elementSpec", "classSpec", "macroSpec", "dataSpec", "constraintSpec"):
            pass
        else:
            raise self.error(el, f"<{name}> in a schemaSpec is not supported")


@dataclass
class _Keep:
    elements: set
    classes: set
    macros: set


def _restrict(lib: Library, keep: _Keep) -> Library:
    lib.elements = {k: v for k, v in lib.elements.items() if k in keep.elements}
    lib.classes = {k: v for k, v in lib.classes.items() if k in keep.classes}
    lib.macros = {k: v for k, v in lib.macros.items() if k in keep.macros}
    return lib


def _parse_rng(path: Path) -> etree._ElementTree:
    try:
        from ..xmlsafe import parse_schema_file
        return parse_schema_file(path, etree.XMLParser(no_network=True, resolve_entities=False,
                                                       remove_comments=True, remove_blank_text=True,
                                                       huge_tree=True))
    except (etree.XMLSyntaxError, OSError) as e:
        raise OddError(path, getattr(e, "lineno", None), f"the TEI schema cannot be read: {e}") from None


# --- specifications ---------------------------------------------------------------------------

class _Specs:
    def __init__(self, odd: _Odd, lib: Library, keep: _Keep):
        self.odd, self.lib, self.keep = odd, lib, keep

    def error(self, el, msg):
        return self.odd.error(el, msg)

    def apply(self, spec):
        kind = _local(spec)
        ident = spec.get("ident")
        if not ident:
            raise self.error(spec, f"<{kind}> without @ident")
        mode = spec.get("mode") or "add"
        table = {"elementSpec": self.lib.elements, "classSpec": self.lib.classes,
                 "macroSpec": self.lib.macros, "dataSpec": self.lib.datatypes}[kind]
        chosen = {"elementSpec": self.keep.elements, "classSpec": self.keep.classes,
                  "macroSpec": self.keep.macros, "dataSpec": set()}[kind]
        if mode not in ("add", "replace", "change", "delete"):
            raise self.error(spec, f"{kind} mode='{mode}' is not an ODD mode")
        if mode == "delete":
            table.pop(ident, None)
            chosen.discard(ident)
            return
        if mode == "change" and ident not in table:
            if kind == "dataSpec" and builtin_datatype(ident) is not None:
                table[ident] = builtin_datatype(ident)
            else:
                raise self.error(spec, f"{kind} '{ident}' mode='change': the TEI has no {ident} "
                                 f"(or this schema leaves it out)")
        getattr(self, kind)(spec, ident, mode, table)
        chosen.add(ident)

    def _check_children(self, spec, allowed: set):
        for c in spec:
            if isinstance(c.tag, str) and not (_is_tei(c) and (_local(c) in allowed
                                                               or _local(c) in DOC_CHILDREN)):
                raise self.error(c, f"<{_local(c)}> in {_local(spec)} '{spec.get('ident')}' is "
                                 f"not supported")

    def elementSpec(self, spec, ident, mode, table):
        self._check_children(spec, {"content", "classes", "attList", "constraintSpec", "valList"})
        if spec.find(T + "valList") is not None:
            raise self.error(spec.find(T + "valList"), "a valList directly in an elementSpec is not supported")
        old = table.get(ident) if mode == "change" else None
        if old is None:
            alt = spec.find(T + "altIdent")
            e = ElementDef(ident, (alt.text or ident).strip() if alt is not None else ident,
                           spec.get("ns") or self.odd.default_ns, spec.get("module") or self.odd.ident,
                           [_rng("empty")], [], [], {}, [])
            if mode == "add" and ident in table:
                self.odd.note(spec, f"elementSpec '{ident}' without mode='change' or 'replace' "
                                    f"replaces the TEI's {ident}")
            table[ident] = e
        e = table[ident]
        if spec.get("ns") is not None:
            e.ns = spec.get("ns") or None
        alt = spec.find(T + "altIdent")
        if alt is not None and alt.text:
            e.name = alt.text.strip()
        content = spec.find(T + "content")
        if content is not None:
            e.content = _Content(self.odd, self.lib).patterns(content) or [_rng("empty")]
        classes = spec.find(T + "classes")
        if classes is not None:
            e.classes = self._classes(classes, e.classes)
        for al in spec.findall(T + "attList"):
            self._att_list(al, e, e.attributes, inherited=True)
        for cs in spec.findall(T + "constraintSpec"):
            e.constraints = self._constraint(cs, e.constraints, e.name, ident, e.ns)

    def classSpec(self, spec, ident, mode, table):
        self._check_children(spec, {"classes", "attList", "constraintSpec"})
        old = table.get(ident) if mode == "change" else None
        if old is None:
            typ = spec.get("type")
            if typ not in ("atts", "model"):
                raise self.error(spec, f"classSpec '{ident}' needs type='atts' or 'model'")
            table[ident] = ClassDef(ident, typ, spec.get("module") or self.odd.ident, [])
        c = table[ident]
        classes = spec.find(T + "classes")
        if classes is not None:
            c.classes = self._classes(classes, c.classes)
        for al in spec.findall(T + "attList"):
            if c.type != "atts":
                raise self.error(al, f"attList in the model class '{ident}'")
            self._att_list(al, c, c.attributes, inherited=False)
        for cs in spec.findall(T + "constraintSpec"):
            c.constraints = self._constraint(cs, c.constraints, None, ident, None, cls=c)

    def macroSpec(self, spec, ident, mode, table):
        self._check_children(spec, {"content"})
        content = spec.find(T + "content")
        if content is None:
            if mode == "change":
                return
            raise self.error(spec, f"macroSpec '{ident}' has no content")
        table[ident] = MacroDef(ident, spec.get("module") or self.odd.ident,
                                _Content(self.odd, self.lib).patterns(content) or [_rng("empty")])

    def dataSpec(self, spec, ident, mode, table):
        self._check_children(spec, {"content"})
        content = spec.find(T + "content")
        if content is None:
            raise self.error(spec, f"dataSpec '{ident}' has no content")
        table[ident] = _Content(self.odd, self.lib).patterns(content)

    def _classes(self, classes, current: list[str]) -> list[str]:
        mode = classes.get("mode") or "replace"
        out = [] if mode == "replace" else list(current)
        for m in classes:
            if not isinstance(m.tag, str):
                continue
            if not _is_tei(m, "memberOf"):
                raise self.error(m, f"<{_local(m)}> in classes is not supported")
            key = m.get("key")
            if m.get("mode") == "delete":
                out = [c for c in out if c != key]
            elif key not in out:
                out.append(key)
        return out

    def _att_list(self, al, owner, attrs: dict, inherited: bool):
        if al.get("org") == "choice":
            raise self.error(al, "attList org='choice' (alternative attributes) is not supported")
        for ad in al:
            if not isinstance(ad.tag, str):
                continue
            if _is_tei(ad, "attList"):
                self._att_list(ad, owner, attrs, inherited)
                continue
            if not _is_tei(ad, "attDef"):
                raise self.error(ad, f"<{_local(ad)}> in attList is not supported")
            name = ad.get("ident")
            mode = ad.get("mode") or "add"
            if mode == "delete":
                if name in attrs:
                    del attrs[name]
                elif self._inherited(owner, name) is not None:
                    owner.removed.add(name)
                else:
                    self.odd.note(ad, f"attDef '{name}' mode='delete': {owner.ident} has no "
                                      f"attribute {name}")
                continue
            old = attrs.get(name)
            if old is None and mode == "change" and isinstance(owner, ElementDef):
                old = self._inherited(owner, name)
                if old is None:
                    raise self.error(ad, f"attDef '{name}' mode='change': {owner.ident} has no "
                                     f"attribute {name}")
                old = copy.deepcopy(old)
                owner.removed.add(name)
            elif old is None and mode == "change":
                raise self.error(ad, f"attDef '{name}' mode='change': {owner.ident} has no "
                                 f"attribute {name} of its own (changing an inherited attribute "
                                 f"in a class is not supported)")
            element = owner if isinstance(owner, ElementDef) else None
            attrs[name] = self._att_def(ad, old if mode == "change" else None,
                                        element.name if element is not None else None,
                                        element.ns if element is not None else None)

    def _inherited(self, e, name: str) -> AttDef | None:
        """The attribute `name` an element or class inherits from its attribute classes."""
        seen: set = set()

        def find(cls: str):
            if cls in seen or cls not in self.lib.classes:
                return None
            seen.add(cls)
            c = self.lib.classes[cls]
            if name in c.attributes:
                return c.attributes[name]
            for sup in c.classes:
                found = find(sup)
                if found is not None:
                    return found
            return None
        for cls in e.classes:
            found = find(cls)
            if found is not None:
                return found
        for cls, att in getattr(e, "att_refs", []):
            if att == name and cls in self.lib.classes and name in self.lib.classes[cls].attributes:
                return self.lib.classes[cls].attributes[name]
        return None

    def _att_def(self, ad, old: AttDef | None, element_name, element_ns) -> AttDef:
        for c in ad:
            if isinstance(c.tag, str) and not (_is_tei(c) and (
                    _local(c) in ("datatype", "valList", "constraintSpec") or _local(c) in DOC_CHILDREN)):
                raise self.error(c, f"<{_local(c)}> in attDef '{ad.get('ident')}' is not supported")
        name = ad.get("ident")
        usage = ad.get("usage")
        required = (usage == "req") if usage else (old.required if old else False)
        att = AttDef(name, required, list(old.value) if old else [_rng("text")],
                     old.doc if old else None, list(old.constraints) if old else [],
                     ad.get("ns") if ad.get("ns") is not None else (old.ns if old else None),
                     old.values_closed if old else None)
        dt = ad.find(T + "datatype")
        is_list = bool(old and old.value and old.value[0].tag == R + "list")
        if dt is not None:
            att.value = _Content(self.odd, self.lib).datatype(dt)
            att.values_closed = None
            is_list = bool(att.value and att.value[0].tag == R + "list")
        vl = ad.find(T + "valList")
        if vl is not None:
            self._val_list(vl, att, old, is_list, dt)
        for cs in ad.findall(T + "constraintSpec"):
            ctx = f"{_prefixed(element_name, element_ns)}/@{name}" if element_name else None
            att.constraints = self._constraint(cs, att.constraints, ctx, name, None, attribute=True)
        return att

    def _val_list(self, vl, att: AttDef, old, is_list: bool, dt):
        typ = vl.get("type") or "open"
        mode = vl.get("mode") or "add"
        values = []
        if mode == "change" and old is not None and old.values_closed is not None:
            values = list(old.values_closed)
        for item in vl:
            if not isinstance(item.tag, str):
                continue
            if not _is_tei(item, "valItem"):
                if _local(item) in DOC_CHILDREN:
                    continue
                raise self.error(item, f"<{_local(item)}> in valList is not supported")
            ident = item.get("ident")
            if item.get("mode") == "delete":
                values = [v for v in values if v != ident]
            elif ident not in values:
                values.append(ident)
        if typ != "closed":
            if att.values_closed is not None and dt is None:
                # a closed list opened up: values of the TEI's default datatype
                att.value = builtin_datatype("teidata.enumerated")
                att.values_closed = None
            return
        att.values_closed = values
        choice = _rng("choice", *[_value(v) for v in values]) if values else _rng("notAllowed")
        if is_list:
            att.value = [_rng("list", _rng("oneOrMore", choice))]
        else:
            att.value = [choice]

    def _constraint(self, cs, current: list, context, owner: str, ns, attribute=False, cls=None):
        ident = cs.get("ident") or ""
        mode = cs.get("mode") or "add"
        if mode in ("delete", "replace", "change") and ident:
            current = [p for p in current if f"-{owner}-{ident}-" not in (p.get("id") or "")
                       and (p.get("id") or "") != f"{self.odd.ident}-{owner}-{ident}"]
        if mode == "delete":
            return current
        if context is None and cls is not None:
            members = [e for e in self.lib.elements.values() if cls.ident in e.classes]
            context = " | ".join(_prefixed(e.name, e.ns) for e in members) or "/.."
        elif context is None:
            context = _prefixed(owner, ns)
        elif not attribute:
            context = _prefixed(context, ns)
        return current + _constraint_patterns(self.odd, cs, context, self.odd.ident, owner)


def _prefixed(name: str, ns: str | None) -> str:
    if ns is None or ns == TEI_NS:
        return f"tei:{name}"
    if ns == "":
        return name
    return f"*[local-name() = '{name}' and namespace-uri() = '{ns}']"


def _value(v: str):
    el = _rng("value")
    el.text = v
    return el


def _constraint_patterns(odd: _Odd, cs, context: str | None, schema: str, owner: str) -> list:
    scheme = cs.get("scheme") or "schematron"
    if scheme not in ("schematron", "isoschematron"):
        raise odd.error(cs, f"constraintSpec scheme='{scheme}' is not supported (only Schematron)")
    out = []
    for constraint in cs.findall(T + "constraint"):
        kids = [c for c in constraint if isinstance(c.tag, str)]
        sch = []
        for c in kids:
            c = copy.deepcopy(c)
            if c.tag.startswith("{%s}" % OLD_SCH_NS):
                for x in c.iter():
                    if isinstance(x.tag, str) and x.tag.startswith("{%s}" % OLD_SCH_NS):
                        x.tag = S + _local(x)
            if not c.tag.startswith(S):
                raise odd.error(c, f"<{c.tag}> in a constraint is not Schematron: not supported")
            sch.append(c)
        for c in [c for c in sch if _local(c) == "ns"]:
            odd.extra_ns.append(c)
        sch = [c for c in sch if _local(c) != "ns"]
        if not sch:
            continue
        pid = f"{schema}-{owner}-{cs.get('ident') or 'constraint'}-{len(out) + 1}".replace(":", "")
        if any(_local(c) == "pattern" for c in sch):
            for c in sch:
                if _local(c) == "pattern":
                    c.set("id", c.get("id") or pid)
                    out.append(c)
            continue
        pattern = etree.Element(S + "pattern", id=pid)
        if any(_local(c) == "rule" for c in sch):
            for c in sch:
                pattern.append(c)
        else:
            if context is None:
                raise odd.error(cs, "a constraint outside any specification needs an sch:rule "
                                "(it has no element to apply to)")
            rule = etree.SubElement(pattern, S + "rule", context=context)
            for c in sch:
                rule.append(c)
        out.append(pattern)
    return out


# --- content models -------------------------------------------------------------------------

class _Content:
    """Pure ODD content (sequence, alternate, elementRef, classRef, dataRef…) and RELAX NG
    written in an ODD, as RELAX NG patterns."""

    def __init__(self, odd: _Odd, lib: Library):
        self.odd, self.lib = odd, lib

    def patterns(self, content) -> list:
        out = []
        for c in content:
            if isinstance(c.tag, str):
                out += self.pattern(c)
        if len(out) > 1 and _local(content) in ("content",):
            return [_rng("group", *out)]
        return out

    def pattern(self, el) -> list:
        if el.tag.startswith(R):
            return [_strip_docs(copy.deepcopy(el))]
        if not _is_tei(el):
            raise self.odd.error(el, f"<{el.tag}> in a content model is not supported")
        name = _local(el)
        if name in ("sequence", "alternate", "interleave"):
            kids = []
            for c in el:
                if isinstance(c.tag, str):
                    kids += self.pattern(c)
            if el.get("preserveOrder") == "false" and name == "sequence":
                name = "interleave"
            tag = {"sequence": "group", "alternate": "choice", "interleave": "interleave"}[name]
            base = _rng(tag, *kids) if kids else _rng("empty")
        elif name == "elementRef":
            base = _rng("ref", name=el.get("key"))
        elif name == "classRef":
            key = el.get("key")
            expand = el.get("expand")
            if expand and expand not in MODEL_VARIANTS:
                raise self.odd.error(el, f"classRef expand='{expand}' is not an ODD value")
            base = _rng("ref", name=f"{key}_{expand}" if expand else key)
        elif name == "macroRef":
            base = _rng("ref", name=el.get("key"))
        elif name == "dataRef":
            pats = self.data_ref(el)
            base = pats[0] if len(pats) == 1 else _rng("group", *pats)
        elif name == "textNode":
            base = _rng("text")
        elif name == "empty":
            base = _rng("empty")
        elif name == "anyElement":
            base = self.any_element(el)
        elif name == "valList":
            vals = [_value(v.get("ident")) for v in el.findall(T + "valItem")]
            base = _rng("choice", *vals) if vals else _rng("notAllowed")
        else:
            raise self.odd.error(el, f"<{name}> in a content model is not supported")
        return [self.occurs(el, base)]

    def occurs(self, el, base):
        lo = el.get("minOccurs") or "1"
        hi = el.get("maxOccurs") or "1"
        try:
            n = int(lo)
            m = None if hi == "unbounded" else int(hi)
        except ValueError:
            raise self.odd.error(el, f"minOccurs='{lo}' maxOccurs='{hi}' is not a number") from None
        if m is not None and m < n:
            raise self.odd.error(el, f"maxOccurs {m} is less than minOccurs {n}")
        if (n, m) == (1, 1):
            return base
        if (n, m) == (0, 1):
            return _rng("optional", base)
        if (n, m) == (0, None):
            return _rng("zeroOrMore", base)
        if (n, m) == (1, None):
            return _rng("oneOrMore", base)
        parts = [copy.deepcopy(base) for _ in range(max(n - (1 if m is None else 0), 0))]
        if m is None:
            parts.append(_rng("oneOrMore", copy.deepcopy(base)))
        else:
            parts += [_rng("optional", copy.deepcopy(base)) for _ in range(m - n)]
        return _rng("group", *parts) if parts else _rng("empty")

    def data_ref(self, el) -> list:
        key = el.get("key")
        if key:
            if key in self.lib.datatypes:
                return copy.deepcopy(self.lib.datatypes[key])
            found = builtin_datatype(key)
            if found is None:
                raise self.odd.error(el, f"dataRef key='{key}': the toolkit does not know this "
                                     f"TEI datatype; define it with a dataSpec")
            return found
        if el.get("ref"):
            raise self.odd.error(el, "dataRef/@ref (a datatype of another library) is not supported")
        name = el.get("name")
        if not name:
            raise self.odd.error(el, "dataRef without @key or @name")
        data = _rng("data", type=name, datatypeLibrary=XSD_TYPES)
        if el.get("restriction"):
            p = etree.SubElement(data, R + "param", name="pattern")
            p.text = el.get("restriction")
        for facet in el.findall(T + "dataFacet"):
            p = etree.SubElement(data, R + "param", name=facet.get("name"))
            p.text = facet.get("value")
        return [data]

    def datatype(self, dt) -> list:
        pats = []
        for c in dt:
            if isinstance(c.tag, str):
                pats += self.pattern(c) if not _is_tei(c, "dataRef") else self.data_ref(c)
        if not pats:
            pats = [_rng("text")]
        lo = dt.get("minOccurs") or "1"
        hi = dt.get("maxOccurs") or "1"
        if (lo, hi) == ("1", "1"):
            return pats
        inner = pats[0] if len(pats) == 1 else _rng("group", *pats)
        holder = etree.Element(T + "datatype", minOccurs=lo, maxOccurs=hi)
        holder.sourceline = dt.sourceline
        return [_rng("list", self.occurs(holder, inner))]

    def any_element(self, el):
        name_class = _rng("anyName")
        excepts = []
        for ns in (el.get("require") or "").split():
            name_class = _rng("nsName", ns=ns)
        for ns in (el.get("except") or "").split():
            excepts.append(_rng("nsName", ns=ns))
        if excepts:
            if name_class.tag != R + "anyName":
                raise self.odd.error(el, "anyElement with both @require and @except is not supported")
            name_class.append(_rng("except", *excepts))
        any_att = _rng("zeroOrMore", _rng("attribute", _rng("anyName")))
        el_ = _rng("element", name_class, _rng("zeroOrMore", _rng("choice", any_att, _rng("text"),
                                                                   _rng("ref", name="__any"))))
        return el_


def _strip_docs(el):
    for d in list(el.iter(A_DOC)):
        d.getparent().remove(d)
    return el


# --- writing the grammar ----------------------------------------------------------------------

class _Writer:
    def __init__(self, lib: Library, keep: _Keep, odd: _Odd):
        self.lib, self.keep, self.odd = lib, keep, odd
        self.elements = {k: v for k, v in lib.elements.items() if k in keep.elements}
        self.classes = {k: v for k, v in lib.classes.items() if k in keep.classes}
        self.macros = {k: v for k, v in lib.macros.items() if k in keep.macros}

    def grammar(self, start: list[str]) -> etree._Element:
        nsmap = {None: RNG_NS, "tei": TEI_NS, "a": "http://relaxng.org/ns/compatibility/annotations/1.0"}
        g = etree.Element(R + "grammar", nsmap=nsmap, ns=TEI_NS, datatypeLibrary=XSD_TYPES)
        defines: dict[str, etree._Element] = {}
        for m in self.macros.values():
            defines[m.ident] = _define(m.ident, [copy.deepcopy(p) for p in m.content])
        members = self._members()
        nonempty = self._nonempty(members)
        for c in self.classes.values():
            if c.type == "model":
                self._model_defines(c, [m for m in members.get(c.ident, []) if m in nonempty], defines)
            else:
                self._att_defines(c, defines)
        for e in self.elements.values():
            defines[e.ident] = self._element_define(e)
        for name, d in self.lib.extra.items():
            d = copy.deepcopy(d)
            for p in list(d.iter(S + "pattern")):
                p.getparent().remove(p)
            defines.setdefault(name, d)
        if any(d.find(".//" + R + "ref[@name='__any']") is not None for d in defines.values()):
            defines["__any"] = _any_element_define()
        _prune(defines)
        kept_start = [s for s in start if s in defines and s in self.elements]
        if not kept_start:
            raise OddError(self.odd.path, None, f"none of the start elements ({' '.join(start)}) "
                           f"is in the schema")
        st = etree.SubElement(g, R + "start")
        st.append(_rng("choice", *[_rng("ref", name=s) for s in kept_start])
                  if len(kept_start) > 1 else _rng("ref", name=kept_start[0]))
        for name in _reachable(defines, kept_start):
            g.append(defines[name])
        return g

    def _members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for c in self.classes.values():
            if c.type == "model":
                for sup in c.classes:
                    out.setdefault(sup, []).append(c.ident)
        for e in self.elements.values():
            for sup in e.classes:
                out.setdefault(sup, []).append(e.ident)
        return out

    def _nonempty(self, members) -> set:
        """Elements, and model classes with an element among their members (at any depth)."""
        ok = set(self.elements)
        changed = True
        while changed:
            changed = False
            for c in self.classes.values():
                if c.type == "model" and c.ident not in ok and any(
                        m in ok for m in members.get(c.ident, [])):
                    ok.add(c.ident)
                    changed = True
        return ok

    def _model_defines(self, c: ClassDef, members: list[str], defines):
        refs = lambda: [_rng("ref", name=m) for m in members]  # noqa: E731
        if not members:
            for suffix in ("", *(f"_{v}" for v in MODEL_VARIANTS)):
                defines[c.ident + suffix] = _define(c.ident + suffix, [
                    _rng("empty") if suffix.startswith("_sequenceOptional") else _rng("notAllowed")])
            return
        defines[c.ident] = _define(c.ident, [_rng("choice", *refs())])
        defines[c.ident + "_alternation"] = _define(c.ident + "_alternation", [_rng("choice", *refs())])
        defines[c.ident + "_sequence"] = _define(c.ident + "_sequence", refs())
        defines[c.ident + "_sequenceOptional"] = _define(
            c.ident + "_sequenceOptional", [_rng("optional", r) for r in refs()])
        defines[c.ident + "_sequenceOptionalRepeatable"] = _define(
            c.ident + "_sequenceOptionalRepeatable", [_rng("zeroOrMore", r) for r in refs()])
        defines[c.ident + "_sequenceRepeatable"] = _define(
            c.ident + "_sequenceRepeatable", [_rng("oneOrMore", r) for r in refs()])

    def _att_defines(self, c: ClassDef, defines):
        body: list = []
        seen: set = set()
        for sup in c.classes:
            body += self._class_refs(sup, c.removed, seen)
        for a in c.attributes.values():
            dname = _att_define_name(c.ident, a.name)
            defines[dname] = _define(dname, [_attribute(a)])
            body.append(_rng("ref", name=dname))
        defines[f"{c.ident}.attributes"] = _define(f"{c.ident}.attributes", body or [_rng("empty")])

    def _provides(self, cls: str, names: set, seen=None) -> bool:
        seen = seen if seen is not None else set()
        if cls in seen or cls not in self.classes:
            return False
        seen.add(cls)
        c = self.classes[cls]
        return bool(names & set(c.attributes)) or any(self._provides(s, names, seen) for s in c.classes)

    def _class_refs(self, cls: str, excluded: set, seen: set) -> list:
        if cls in seen or cls not in self.classes or self.classes[cls].type != "atts":
            return []
        seen.add(cls)
        if not self._provides(cls, excluded):
            return [_rng("ref", name=f"{cls}.attributes")]
        c = self.classes[cls]
        out = []
        for sup in c.classes:
            out += self._class_refs(sup, excluded, seen)
        out += [_rng("ref", name=_att_define_name(cls, a)) for a in c.attributes if a not in excluded]
        return out

    def _element_define(self, e: ElementDef):
        el = _rng("element", name=e.name)
        if e.ns is not None and e.ns != TEI_NS:
            el.set("ns", e.ns)
        for p in e.content:
            el.append(copy.deepcopy(p))
        excluded = set(e.attributes) | e.removed
        seen: set = set()
        for cls in e.classes:
            for r in self._class_refs(cls, excluded, seen):
                el.append(r)
        for cls, att in getattr(e, "att_refs", []):
            c = self.classes.get(cls)
            if c is not None and att in c.attributes and att not in excluded:
                el.append(_rng("ref", name=_att_define_name(cls, att)))
        for a in e.attributes.values():
            el.append(_attribute(a))
        el.append(_rng("empty"))
        return _define(e.ident, [el])

    def schematron(self, grammar) -> etree._Element:
        sch = etree.Element(S + "schema", nsmap={None: SCH_NS}, queryBinding="xslt2")
        prefixes = set()
        for ns in [*self.lib.sch_ns, *self.odd.extra_ns]:
            if ns.get("prefix") not in prefixes:
                prefixes.add(ns.get("prefix"))
                etree.SubElement(sch, S + "ns", prefix=ns.get("prefix"), uri=ns.get("uri"))
        for prefix, uri in (("tei", TEI_NS), ("xs", "http://www.w3.org/2001/XMLSchema")):
            if prefix not in prefixes:
                etree.SubElement(sch, S + "ns", prefix=prefix, uri=uri)
        kept_defs = {d.get("name") for d in grammar.iter(R + "define")}
        patterns = []
        for e in self.elements.values():
            if e.ident in kept_defs:
                patterns += e.constraints
                for a in e.attributes.values():
                    patterns += a.constraints
        for c in self.classes.values():
            if f"{c.ident}.attributes" in kept_defs or c.ident in kept_defs:
                patterns += c.constraints
                for a in c.attributes.values():
                    if _att_define_name(c.ident, a.name) in kept_defs:
                        patterns += a.constraints
        for name, d in self.lib.extra.items():
            if name in kept_defs:
                patterns += list(d.iter(S + "pattern"))
        patterns += self.odd.extra_constraints
        seen_ids = set()
        for p in patterns:
            if p.get("id") in seen_ids:
                continue
            seen_ids.add(p.get("id"))
            sch.append(_rebuilt(p))
        return sch


def _rebuilt(el):
    """A fresh copy of a Schematron element: copied as they are, elements that redeclare the
    default namespace (the TEI's own rules do) are written by lxml in the wrong namespace."""
    out = etree.Element(el.tag, dict(el.attrib), nsmap={None: SCH_NS} if el.tag.startswith(S) else None)
    out.text = el.text
    for c in el:
        if isinstance(c.tag, str):
            k = _rebuilt(c)
        else:
            k = copy.copy(c)
        k.tail = c.tail
        out.append(k)
    return out


def _att_define_name(cls: str, att: str) -> str:
    return f"{cls}.attribute.{att.replace(':', '')}"


def _attribute(a: AttDef):
    att = _rng("attribute", name=a.name)
    if a.ns:
        att.set("ns", a.ns)
    for p in a.value:
        att.append(copy.deepcopy(p))
    return att if a.required else _rng("optional", att)


def _define(name: str, body: list):
    d = _rng("define", name=name)
    for b in body:
        d.append(b)
    return d


def _any_element_define():
    any_att = _rng("zeroOrMore", _rng("attribute", _rng("anyName")))
    return _define("__any", [_rng("element", _rng("anyName"), _rng(
        "zeroOrMore", _rng("choice", any_att, _rng("text"), _rng("ref", name="__any"))))])


_CONTAINERS = {"group", "choice", "interleave", "optional", "zeroOrMore", "oneOrMore", "mixed", "list"}


def _prune(defines: dict) -> None:
    """Remove references to what was left out, and what holds nothing once they are gone (the
    TEI's processor does the same: a content model loses the elements the ODD deleted)."""
    for d in defines.values():
        for ref in list(d.iter(R + "ref")):
            if ref.get("name") not in defines:
                _remove(ref)
        for el in d.iter(R + "element"):
            named = el.get("name") is not None
            if len([c for c in el if isinstance(c.tag, str) and c.tag != A_DOC]) == (0 if named else 1):
                el.append(_rng("empty"))
        if not [c for c in d if isinstance(c.tag, str)]:
            d.append(_rng("empty"))


def _remove(node) -> None:
    parent = node.getparent()
    parent.remove(node)
    if _local(parent) in _CONTAINERS and not [c for c in parent if isinstance(c.tag, str)
                                               and c.tag != A_DOC]:
        _remove(parent)


def _reachable(defines: dict, start: list[str]) -> list[str]:
    seen: list[str] = []
    todo = list(start)
    found = set()
    while todo:
        n = todo.pop()
        if n in found or n not in defines:
            continue
        found.add(n)
        seen.append(n)
        todo += [r.get("name") for r in defines[n].iter(R + "ref")]
    return sorted(seen, key=list(defines).index)


# --- entry points -----------------------------------------------------------------------------

def compile_odd(odd: Path, base_rng: Path) -> CompiledOdd:
    """The RELAX NG grammar and Schematron schema the ODD's schemaSpec defines."""
    o = _Odd(Path(odd), Path(base_rng))
    spec = o.schema_spec()
    lib, keep = o.customise(spec)
    writer = _Writer(lib, keep, o)
    start = (spec.get("start") or "TEI").split()
    grammar = writer.grammar(start)
    sch = writer.schematron(grammar)
    return CompiledOdd(etree.ElementTree(grammar), etree.ElementTree(sch), o.ident,
                       list(dict.fromkeys(o.sources)), o.notes)


class NoBaseSchema(OddError):
    """No compiled tei_all is available to compile an ODD against."""


def find_base_rng() -> Path:
    """The TEI's compiled tei_all.rng from the schema cache (`edition schemas fetch tei_all`)."""
    from .schema_cache import tei_source
    found = tei_source("tei_all", None)
    if found is None:
        raise NoBaseSchema("tei_all.rng", None, "compiling an ODD needs the TEI's tei_all.rng, "
                           "which is not in the toolkit's schema cache: run `edition schemas fetch "
                           "tei_all` (or set [schemas] fetch = \"auto\")")
    return Path(found)


def ensure_base() -> None:
    """Fetch tei_all.rng into the schema cache when it is not there ([schemas] fetch = "auto":
    it is one of the TEI's own published files, the only kind the toolkit downloads)."""
    from .schema_cache import FetchError, check_cached, fetch, known_file, note
    tei = known_file("tei_all")
    if check_cached(tei)[0] is None:
        try:
            fetch(tei)
            note(f"fetched {tei.label} from {tei.url()} into the schema cache (to compile ODDs)")
        except FetchError:
            pass  # said by find_base_rng, with the command that fetches it


_compiled: dict[tuple, tuple[Path, Path, list]] = {}   # per process: ODD path and stat → compiled files, notes


def compiled_schema(odd: Path) -> tuple[Path, Path]:
    """(rng, sch) of an ODD, from this process's memo or the cache folder, compiled when needed."""
    return _compiled_entry(odd)[:2]


def _compiled_entry(odd: Path) -> tuple[Path, Path, list]:
    """(rng, sch, notes) of an ODD: the notes come from the cache entry when it was compiled before."""
    from ..cache import read_json
    try:
        st = os.stat(odd)
    except OSError as e:
        raise OddError(odd, None, f"cannot be read: {e.strerror}") from None
    key = (str(Path(odd).resolve()), st.st_size, st.st_mtime_ns)
    if key not in _compiled:
        rng, sch, fresh = cached_compile(Path(odd))
        if fresh is not None:
            notes = fresh.notes
        else:
            notes = [OddNote(str(p), int(n), str(t))
                     for p, n, t in (read_json(rng.parent / "entry.json") or {}).get("notes", [])]
        _compiled[key] = (rng, sch, notes)
    return _compiled[key]


def validate(src, odd: Path) -> list:
    """The grammar checker of the kind "odd" (kinds.py): the file against the ODD's RELAX NG and
    its Schematron. An ODD that cannot be compiled is a relaxng.SchemaError naming it."""
    from . import relaxng, schematron
    try:
        rng, sch, notes = _compiled_entry(Path(odd))
    except NoBaseSchema as e:
        raise relaxng.SchemaError(e.reason) from None
    except OddError as e:
        err = relaxng.SchemaError(e.reason if Path(e.path) == Path(odd) else f"{e.path}:{e.line}: {e.reason}")
        err.line = e.line if Path(e.path) == Path(odd) else 1
        raise err from None
    diags = relaxng.validate(src, rng)
    # (said with every file checked against the ODD: the same finding, shown once)
    return note_diagnostics(notes) + diags + schematron.check(src, sch)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _code_digest() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256(COMPILER_VERSION.encode())
    for f in ("odd.py", "odd_library.py"):
        h.update((here / f).read_bytes())
    return h.hexdigest()


def cached_compile(odd: Path, base_rng: Path | None = None) -> tuple[Path, Path, CompiledOdd | None]:
    """(rng, sch) files of the compiled ODD in the user cache folder, compiled now only when no
    entry matches the content of the ODD, its sources, the TEI schema and this compiler."""
    from ..cache import cache_dir, read_json
    from ..xmlsafe import read_regular
    base_rng = base_rng or find_base_rng()
    try:
        odd_bytes, _ = read_regular(odd)   # (a regular file, with the size cap)
    except OSError as e:
        raise OddError(odd, None, f"cannot be read: {e}") from None
    key = _digest(b"\0".join([odd_bytes, _digest(base_rng.read_bytes()).encode(),
                              _code_digest().encode(), str(Path(odd).resolve()).encode()]))
    folder = cache_dir("odd", key[:32])
    meta = read_json(folder / "entry.json")
    if meta and all(_file_digest(Path(p)) == h for p, h in meta.get("sources", [])):
        rng, sch = folder / meta["rng"], folder / meta["sch"]
        if rng.exists() and sch.exists():
            return rng, sch, None
    compiled = compile_odd(Path(odd), base_rng)
    name = _safe_name(compiled.ident)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        rng, sch = folder / f"{name}.rng", folder / f"{name}.sch"
        _write_atomic(rng, compiled.rng_tree)
        _write_atomic(sch, compiled.schematron_tree)
        from ..cache import write_json
        write_json(folder / "entry.json", {
            "rng": rng.name, "sch": sch.name,
            "sources": [[str(p), _file_digest(p)] for p in compiled.sources],
            "notes": [list(n) for n in compiled.notes]})
    except OSError as e:
        raise OddError(odd, None, f"the compiled schema cannot be stored in {folder}: {e}") from None
    return rng, sch, compiled


def _file_digest(p: Path) -> str | None:
    try:
        return _digest(p.read_bytes())
    except OSError:
        return None


def _safe_name(ident: str) -> str:
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in ident).strip(".")
    return name or "schema"


def _write_atomic(path: Path, tree) -> None:
    write_atomic(path, etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# First line of every file `edition schema build` writes: a file without it is the user's.
GENERATED = "Generated by tei-edition-toolkit from the ODD"


def _generated_comment(odd: Path):
    return etree.Comment(f" {GENERATED} {odd.name}: edit the ODD and run `edition schema build` "
                         f"again rather than this file. ")


def _ours(path: Path) -> bool:
    """Whether an existing file is one `edition schema build` wrote (its first comment says so)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return GENERATED in head


class BuildRefused(Exception):
    """An output file that is the user's, or an output path that is not a plain folder."""


def build(odd: Path, out_dir: Path, base_rng: Path | None = None, force: bool = False,
          notes: list | None = None) -> list[Path]:
    """Write the ODD's compiled .rng and .sch into out_dir (named by the schemaSpec's @ident).
    A file there that the toolkit did not write is replaced only with force; a symbolic link
    is never written through. The compiler's notes are added to `notes`."""
    compiled = compile_odd(Path(odd), base_rng or find_base_rng())
    if notes is not None:
        notes += compiled.notes
    name = _safe_name(compiled.ident)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildRefused(f"{out_dir} is not a folder")
    targets = {out_dir / f"{name}.rng": compiled.rng_tree, out_dir / f"{name}.sch": compiled.schematron_tree}
    for path in targets:
        if path.is_symlink():
            raise BuildRefused(f"{path} is a symbolic link: not written through (remove it first)")
        if path.exists() and not path.is_file():
            raise BuildRefused(f"{path} is not a regular file")
        if path.exists() and not force and not _ours(path):
            raise BuildRefused(f"{path} exists and the toolkit did not write it: not replaced "
                               f"(use --force to replace it, or choose another folder with -o)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, tree in targets.items():
        root = copy.deepcopy(tree.getroot())
        data = etree.tostring(root, encoding="UTF-8", pretty_print=True)
        comment = etree.tostring(_generated_comment(Path(odd)), encoding="UTF-8")
        write_atomic(path, b"<?xml version='1.0' encoding='UTF-8'?>\n" + comment + b"\n" + data)
    return list(targets)


def serialise(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


__all__ = ["CompiledOdd", "OddNote", "note_diagnostics", "OddError", "NoBaseSchema", "compile_odd", "cached_compile",
           "compiled_schema", "ensure_base", "find_base_rng", "serialise", "validate", "build",
           "BuildRefused"]
