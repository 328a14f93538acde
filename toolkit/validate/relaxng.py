"""RELAX NG validation with messages a new user understands.

rng_derivative (a validator by derivatives) decides whether a file is valid and, for an invalid
file, finds each error where it really is and what the schema expected there; its problems are
phrased here. libxml2 (through lxml) is the fallback, for schemas that validator cannot load:
its own messages ("Did not expect element foo there", a line, no column) are rewritten: we find
the element for an exact line and column and add what the schema allows, computed from the
grammar itself.
"""
from __future__ import annotations

import difflib
import re
import threading
from pathlib import Path

from lxml import etree

from ..diagnostics import ERROR, Diagnostic
from ..xmlsafe import SourceFile, UnreadableFile, parse_schema_file
from . import rng_derivative

RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = "{%s}" % RNG_NS
_lock = threading.Lock()
_cache: dict[tuple, object] = {}  # compiled libxml2 schemas and grammars, by path and mtime


class SchemaError(Exception):
    """The schema itself is broken; the message names the schema file."""


class Names:
    """Names as the document writes them: an element in another namespace with the document's
    own prefix for it (<cb:div>, <xi:include>), a name the schema expects in a namespace the
    document declares no prefix for as {uri}local; the default namespace needs none."""

    def __init__(self, root):
        self.root = root
        self._declared: dict[str, str] | None = None

    def of(self, el) -> str:
        """An element's own name."""
        q = etree.QName(el)
        return f"{el.prefix}:{q.localname}" if q.namespace and el.prefix else q.localname

    def label(self, name: str, context=None) -> str:
        """A schema label (rng_derivative: local, xml:local or {uri}local) as written where
        `context` (an element of the document) is."""
        if not name.startswith("{"):
            return name
        ns, local = name[1:].split("}", 1)
        prefix = self._prefix(ns, context)
        if prefix is None:
            return name
        return f"{prefix}:{local}" if prefix else local

    def labels(self, names, context=None) -> list[str]:
        return sorted((self.label(n, context) for n in names), key=str.lower)

    def _prefix(self, ns: str, context) -> str | None:
        """'' for the namespace in scope as the default, a prefix, or None when undeclared."""
        scope = (context if context is not None else self.root).nsmap
        if scope.get(None) == ns:
            return ""
        found = next((k for k, v in scope.items() if v == ns and k), None)
        if found is None:
            if self._declared is None:  # every prefix the document declares, anywhere
                self._declared = {}
                for prefix, uri in self.root.xpath("//namespace::*"):
                    if prefix and prefix != "xml":
                        self._declared.setdefault(uri, prefix)
            found = self._declared.get(ns)
        return found


def _content_hint(names: list[str], text_allowed: bool, lead: str = "allowed here: ") -> str:
    """What may come here: the elements, or that only text, or nothing at all, may."""
    if names:
        return lead + _fmt_list(names)
    return "only text is allowed here" if text_allowed else "no content is allowed here"


class Grammar:
    """Just enough of a RELAX NG grammar to say which elements and attributes an element allows."""

    def __init__(self, tree: etree._ElementTree, path: Path):
        self.path = path
        self._allowed: dict[str, tuple] = {}  # memo of allowed(): per grammar, freed with it
        self.defines: dict[str, list[etree._Element]] = {}
        self._starts = list(tree.getroot().iter(R + "start"))
        self._collect(tree.getroot(), path, set())
        self.elements: dict[str, list[etree._Element]] = {}
        for el in tree.getroot().iter(R + "element"):
            for name in self._names(el):
                self.elements.setdefault(name, []).append(el)
        for defs in self.defines.values():
            for d in defs:
                for el in d.iter(R + "element"):
                    for name in self._names(el):
                        if el not in self.elements.setdefault(name, []):
                            self.elements[name].append(el)

    def _collect(self, root, path: Path, seen: set):
        if path in seen:
            return
        seen.add(path)
        for d in root.iter(R + "define"):
            self.defines.setdefault(d.get("name"), []).append(d)
        for inc in root.iter(R + "include", R + "externalRef"):
            href = inc.get("href")
            if href and "://" not in href:
                sub = (path.parent / href)
                if sub.exists():
                    try:
                        t = parse_schema_file(sub, etree.XMLParser(no_network=True, resolve_entities=False))
                        self._collect(t.getroot(), sub, seen)
                    except (etree.XMLSyntaxError, OSError):
                        pass

    @staticmethod
    def _names(el) -> list[str]:
        if el.get("name"):
            n = el.get("name")
            return [n.split(":")[-1]]
        name = el.find(R + "name")
        if name is not None and name.text:
            return [name.text.strip().split(":")[-1]]
        ch = el.find(R + "choice")
        if ch is not None:
            return [n.text.strip().split(":")[-1] for n in ch.findall(R + "name") if n.text]
        return []

    def _walk(self, node, elems: set, attrs: set, seen: set):
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == R + "element":
                names = self._names(child)
                elems.update(names or ["(any element)"])
            elif tag == R + "attribute":
                n = child.get("name")
                if n is None:
                    nm = child.find(R + "name")
                    n = nm.text.strip() if nm is not None and nm.text else "(any attribute)"
                attrs.add(n)
            elif tag == R + "ref" or tag == R + "parentRef":
                name = child.get("name")
                if name not in seen:
                    seen.add(name)
                    for d in self.defines.get(name, []):
                        self._walk(d, elems, attrs, seen)
            elif tag in (R + "name", R + "anyName", R + "nsName", R + "data", R + "value",
                         R + "param", R + "except"):
                continue
            else:
                self._walk(child, elems, attrs, seen)

    def start_names(self) -> tuple[str, ...]:
        """Element names the grammar accepts as the document's root."""
        elems: set[str] = set()
        for st in self._starts:
            self._walk(list(st), elems, set(), set())
        return tuple(sorted(elems))

    def allowed(self, element: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(child element names, attribute names) the grammar allows inside `element`."""
        if element not in self._allowed:
            self._allowed[element] = self._allowed_now(element)
        return self._allowed[element]

    def _allowed_now(self, element: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        elems: set[str] = set()
        attrs: set[str] = set()
        for el in self.elements.get(element, []):
            # the first child of a nameless <element> is its name class, not content
            content = list(el) if el.get("name") else list(el)[1:]
            for c in content:
                self._walk([c], elems, attrs, set())
        return (tuple(sorted(elems, key=str.lower)), tuple(sorted(attrs, key=str.lower)))


class CompiledSchema:
    def __init__(self, path: Path):
        self.path = path
        try:
            tree = parse_schema_file(path, etree.XMLParser(no_network=True, resolve_entities=False))
        except UnreadableFile as e:
            raise SchemaError(f"{path}: {e}") from None
        except (etree.XMLSyntaxError, OSError) as e:
            raise SchemaError(f"{path}: the schema is not well-formed XML: {e}") from None
        try:
            self.rng = etree.RelaxNG(tree)
        except etree.RelaxNGParseError as e:
            raise SchemaError(f"{path}: the schema does not compile: {e}") from None
        self.grammar = load_grammar(path)


def load_grammar(path: Path) -> Grammar:
    """The schema's element and attribute names, for messages (no libxml2 compile)."""
    path = path.resolve()
    key = ("grammar", str(path), path.stat().st_mtime)
    with _lock:
        g = _cache.get(key)
    if g is None:
        try:
            tree = parse_schema_file(path, etree.XMLParser(no_network=True, resolve_entities=False))
        except UnreadableFile as e:
            raise SchemaError(f"{path}: {e}") from None
        except (etree.XMLSyntaxError, OSError) as e:
            raise SchemaError(f"{path}: the schema is not well-formed XML: {e}") from None
        g = Grammar(tree, path)
        with _lock:
            _cache[key] = g
    return g


def load_schema(path: Path) -> CompiledSchema:
    """Compiled once per process (libxml2 compiles tei_all in seconds; edition.rng in ms)."""
    path = path.resolve()
    key = (str(path), path.stat().st_mtime)
    with _lock:
        s = _cache.get(key)
    if s is None:
        s = CompiledSchema(path)
        with _lock:
            _cache[key] = s
    return s


def _fmt_list(names, limit=14) -> str:
    names = [n for n in names if n]
    if not names:
        return "no elements"
    shown = ", ".join(f"<{n}>" if not n.startswith("(") else n for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _fmt_attrs(names, limit=14) -> str:
    names = [n for n in names if n]
    if not names:
        return "none"
    shown = ", ".join(f"@{n}" if not n.startswith("(") else n for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _find_element(src: SourceFile, line: int, name: str | None, prefer=None):
    """The element a libxml2 message is about: by name on that line, else the first on it.
    `prefer` picks among several same-named elements on one line (e.g. the misplaced one)."""
    candidates = []
    later = []  # libxml2 sometimes reports the line before the element: look a little further
    for el in src.root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.sourceline == line:
            candidates.append(el)
        elif el.sourceline and line < el.sourceline <= line + 3:
            later.append(el)
        elif el.sourceline and el.sourceline > line + 3:
            break
    if name and not any(etree.QName(c).localname == name for c in candidates):
        candidates += [c for c in later if etree.QName(c).localname == name][:1]
    if name:
        named = [c for c in candidates if etree.QName(c).localname == name]
        if prefer is not None:
            preferred = [c for c in named if prefer(c)]
            named = preferred or named
        if named:
            return named[0]
    return candidates[0] if candidates else None


_MESSAGES = [
    (re.compile(r"Did not expect element (\S+) there"), "unexpected"),
    (re.compile(r"Element (\S+) has extra content: (\S+)"), "extra"),
    (re.compile(r"Expecting element (\S+), got (\S+)"), "expecting"),
    (re.compile(r"Expecting an element (\S+), got nothing"), "missing"),
    (re.compile(r"Expecting an element , got nothing"), "missing-any"),
    (re.compile(r"Element (\S+) failed to validate attributes"), "attributes"),
    (re.compile(r"Invalid attribute (\S+) for element (\S+)"), "bad-attr"),
    (re.compile(r"Element (\S+) failed to validate content"), "content"),
    (re.compile(r"Type (\S+) doesn't allow value '(.*)'"), "datatype"),
    (re.compile(r"Error validating datatype (\S+)"), "datatype2"),
    (re.compile(r"Element (\S+) Error validating value"), "value"),
    (re.compile(r"Expecting a namespace for element (\S+)"), "namespace"),
    (re.compile(r"Element (\S+) has wrong namespace: expecting (\S+)"), "wrong-ns"),
    (re.compile(r"Expecting no namespace for element (\S+)"), "no-ns"),
    (re.compile(r"Extra element (\S+) in interleave"), "unexpected"),
    (re.compile(r"Invalid sequence in interleave"), "interleave"),
]


def validate(src: SourceFile, schema_path: Path, rule: str = "rng") -> list[Diagnostic]:
    """RELAX NG diagnostics for one parsed file.

    The derivative validator (rng_derivative) decides: it is Clark's algorithm with every
    transition memoized, faster than libxml2 on TEI schemas (whose attribute classes keep
    libxml2 from compiling content models to automata) and it needs no compile step (libxml2
    takes seconds to compile tei_all). When it finds the file invalid, the same validator says
    precisely where and what. libxml2 is the fallback: for a schema the derivative validator
    cannot load (libxml2 then says what is wrong with it), or when it fails on a file.
    """
    try:
        if rng_derivative.is_valid(src.tree, schema_path):
            return []
        problems = rng_derivative.diagnose(src.tree, schema_path)
    except Exception:  # noqa: BLE001 - any failure there: libxml2 decides and speaks
        problems = []
    if problems:
        return _from_problems(src, load_grammar(schema_path), problems, rule)
    schema = load_schema(schema_path)
    with _lock:  # a libxml2 RelaxNG object keeps its error log: one validation at a time
        ok = schema.rng.validate(src.tree)
        entries = [(e.line, e.message, e.type_name) for e in schema.rng.error_log]
    if ok:
        return []
    return _from_libxml2(src, schema, entries, rule)


_DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter", "when-iso", "from-iso", "to-iso",
               "notBefore-iso", "notAfter-iso")


def _or_list(items, limit=8) -> str:
    items = list(items)
    shown = items[:limit]
    more = f" (and {len(items) - limit} more)" if len(items) > limit else ""
    if len(shown) <= 1:
        return "".join(shown) + more
    return ", ".join(shown[:-1]) + " or " + shown[-1] + more


def _from_problems(src: SourceFile, g: Grammar, problems, rule: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    nm = Names(src.root)
    merged: dict = {}   # (element, kind) -> problems, for several bad attributes on one element
    for p in problems:
        if p.kind == rng_derivative.ATTRIBUTE_NOT_ALLOWED:
            merged.setdefault(p.node, []).append(p)
    done_attr: set = set()
    ends = None
    for p in problems:
        el = p.node
        name = nm.of(el)
        parent = el.getparent()
        pname = nm.of(parent) if parent is not None else None
        expected = nm.labels(p.expected, el)
        hint = ""
        if p.kind == rng_derivative.ELEMENT_NOT_ALLOWED:
            if parent is None:
                text = f"the root element <{name}> is not one this schema accepts"
                hint = f"expected: {_fmt_list(expected)}"
            elif p.missing:
                text = (f"element <{name}> is not allowed yet inside <{pname}>: "
                        f"a required element is missing before it")
                hint = f"expected first: {_fmt_list(nm.labels(p.missing, el))}"
            elif not p.anywhere and etree.QName(el).namespace == etree.QName(parent).namespace \
                    and etree.QName(el).localname in g.allowed(etree.QName(parent).localname)[0]:
                text = (f"element <{name}> is not allowed at this position inside <{pname}> "
                        f"(wrong order or too many)")
                hint = _content_hint(expected, p.text_allowed, "allowed at this position: ")
                if p.end_allowed:
                    hint += f" (or nothing more: <{pname}> may end here)" if expected else \
                        f" (<{pname}> must end here)"
            else:
                text = f"element <{name}> is not allowed inside <{pname}>"
                close = [c for c in difflib.get_close_matches(name, expected, n=1, cutoff=0.75)
                         if c.split(":")[-1] != etree.QName(el).localname]
                hint = (f"did you mean <{close[0]}>? " if close else "") + \
                    _content_hint(expected, p.text_allowed)
        elif p.kind == rng_derivative.ELEMENT_INCOMPLETE:
            if len(expected) == 1:
                text = f"element <{expected[0]}> is required here but missing (inside <{name}>)"
            else:
                text = f"a required child element is missing (inside <{name}>)"
            hint = f"expected {'one of ' if len(expected) > 1 else ''}{_fmt_list(expected)}" + \
                (" or text" if p.text_allowed else "") + f" before the end of <{name}>"
        elif p.kind == rng_derivative.ATTRIBUTE_NOT_ALLOWED:
            if el in done_attr:
                continue
            done_attr.add(el)
            wrong = [q.attribute for q in merged[el]]
            text = (f"attribute{'s' if len(wrong) > 1 else ''} "
                    f"{', '.join('@' + w for w in wrong)} not allowed on <{name}>")
            close = difflib.get_close_matches(wrong[0], expected, n=1, cutoff=0.75)
            hint = (f"did you mean @{close[0]}? " if close else "") + \
                f"<{name}> allows: {_fmt_attrs(expected)}"
        elif p.kind == rng_derivative.ATTRIBUTE_MISSING:
            if len(expected) == 1:
                text = f"<{name}> lacks the required attribute @{expected[0]}"
            else:
                text = f"<{name}> lacks a required attribute"
            hint = f"add {_or_list(['@' + r for r in expected])}" if expected else \
                f"<{name}> allows: {_fmt_attrs(g.allowed(etree.QName(el).localname)[1])}"
        elif p.kind == rng_derivative.ATTRIBUTE_VALUE:
            text = f"attribute @{p.attribute}=\"{p.value}\" on <{name}> has a value the schema does not allow"
            allowed = f"allowed: {_or_list(p.expected)}" if p.expected else ""
            if p.attribute in _DATE_ATTRS:
                hint = ("check the value's format (dates: YYYY, YYYY-MM or YYYY-MM-DD) "
                        "and that it is a real calendar date")
                if re.fullmatch(r"-?\d{4}-\d{2}(-\d{2})?", p.value or ""):
                    text = (f"attribute @{p.attribute}=\"{p.value}\" on <{name}> is not a real "
                            f"calendar date (or not a form the schema allows)")
                hint += f"; {allowed}" if allowed else ""
            else:
                hint = allowed
        elif p.kind == rng_derivative.TEXT_VALUE:
            v = (p.value or "").strip()
            if v:
                text = f"the text \"{v[:40]}\" of <{name}> is not a value the schema allows"
            else:
                text = f"<{name}> must not be empty"
            hint = f"allowed: {_or_list(p.expected)}" if p.expected else ""
        elif p.kind == rng_derivative.TEXT_NOT_ALLOWED:
            v = " ".join((p.value or "").split())
            text = f"text is not allowed inside <{name}> (\"{v[:40]}{'…' if len(v) > 40 else ''}\")"
            hint = _content_hint(expected, False, f"<{name}> may contain only elements here: ")
        else:
            text = p.detail or p.kind
        if p.kind == rng_derivative.ELEMENT_INCOMPLETE:
            # where the missing child was due: at the end tag (as jing reports it)
            if ends is None:
                ends = _end_tag_positions(src)
            line, col = ends.get(el) or src.position(el)
        else:
            line, col = src.position(p.at if p.at is not None else el)
        out.append(Diagnostic(src.display, line, col, ERROR, text, rule, hint))
    return out


def _end_tag_positions(src: SourceFile) -> dict:
    """(line, column) of every element's end tag (of the start tag for an empty-element tag),
    from an expat pass over the file's bytes matched to lxml's elements in document order."""
    import xml.parsers.expat
    ends: list[tuple[int, int]] = []
    p = xml.parsers.expat.ParserCreate()
    p.EndElementHandler = lambda name: ends.append((p.CurrentLineNumber, p.CurrentColumnNumber + 1))
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        p.Parse(src.data, True)
    except xml.parsers.expat.ExpatError:
        return {}
    elements = [e for _, e in etree.iterwalk(src.root, events=("end",)) if isinstance(e.tag, str)]
    if len(elements) != len(ends):
        return {}
    return dict(zip(elements, ends))


def _from_libxml2(src: SourceFile, schema: "CompiledSchema", entries, rule: str) -> list[Diagnostic]:
    """Diagnostics from libxml2's messages (the fallback)."""
    out: list[Diagnostic] = []
    reported_unexpected: set[tuple[int, str]] = set()
    parsed = []
    for line, message, _type in entries:
        kind, m = "other", None
        for rx, k in _MESSAGES:
            m = rx.search(message)
            if m:
                kind = k
                break
        parsed.append((line, message, kind, m))
    for line, _message, kind, m in parsed:
        if kind == "unexpected":
            reported_unexpected.add((line, m.group(1)))
    attr_elements_done: set = set()
    nm = Names(src.root)
    for line, message, kind, m in parsed:
        g = schema.grammar
        hint = ""
        name = m.group(1) if m and m.groups() else None
        def misplaced(c, g=g):
            parent = c.getparent()
            return parent is None or etree.QName(c).localname not in g.allowed(etree.QName(parent).localname)[0]
        el = _find_element(src, line, name, misplaced if kind == "unexpected" else None)
        text = message
        if kind == "unexpected" and el is not None and el.getparent() is None:
            text = f"the root element <{name}> is not one this schema accepts"
            hint = f"expected: {_fmt_list(g.start_names())}"
        elif kind == "unexpected" and el is not None:
            parent = el.getparent()
            pname = etree.QName(parent).localname if parent is not None else "(document)"
            allowed = g.allowed(pname)[0] if parent is not None else ()
            label, plabel = nm.of(el), (nm.of(parent) if parent is not None else pname)
            same_ns = parent is not None and etree.QName(el).namespace == etree.QName(parent).namespace
            if name in allowed and same_ns:
                text = (f"element <{label}> is not allowed at this position inside <{plabel}> "
                        f"(wrong order or too many)")
                hint = f"<{plabel}> may contain: {_fmt_list(allowed)}"
            else:
                text = f"element <{label}> is not allowed inside <{plabel}>"
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75) if same_ns else []
                hint = (f"did you mean <{close[0]}>? " if close else "") + \
                    f"allowed here: {_fmt_list(allowed)}"
        elif kind == "extra":
            if any(ln >= line and n == m.group(2) for ln, n in reported_unexpected) or reported_unexpected:
                continue  # the "did not expect" message already says it, with position
            el = _find_element(src, line, m.group(1))
            text = f"element <{m.group(1)}> contains <{m.group(2)}>, which is not allowed there"
            hint = f"<{m.group(1)}> may contain: {_fmt_list(g.allowed(m.group(1))[0])}"
        elif kind == "expecting":
            want, got = m.group(1), m.group(2)
            parent = el.getparent() if el is not None else None
            pname = etree.QName(parent).localname if parent is not None else "?"
            text = f"element <{got}> found where <{want}> is required (inside <{pname}>)"
            hint = f"add <{want}> before <{got}>, or check the order of the children of <{pname}>"
        elif kind in ("missing", "missing-any"):
            want = m.group(1) if kind == "missing" else None
            text = (f"element <{want}> is required here but missing" if want else
                    "a required child element is missing")
            if el is not None:
                text += f" (inside <{etree.QName(el).localname}>)"
                allowed = g.allowed(etree.QName(el).localname)[0]
                hint = f"<{etree.QName(el).localname}> may contain: {_fmt_list(allowed)}"
        elif kind in ("attributes", "bad-attr"):
            ename = m.group(1) if kind == "attributes" else m.group(2)
            el = _find_element(src, line, ename)
            if el is None or el in attr_elements_done:
                continue
            attr_elements_done.add(el)
            allowed = g.allowed(ename)[1]
            wrong = []
            for a in el.attrib:
                q = etree.QName(a)
                label = f"xml:{q.localname}" if q.namespace == "http://www.w3.org/XML/1998/namespace" else q.localname
                if label not in allowed and q.localname not in allowed and "(any attribute)" not in allowed:
                    wrong.append(label)
            if kind == "bad-attr" and not wrong:
                attr = m.group(1)
                val = el.get(attr)
                if val is None and el.get("{http://www.w3.org/XML/1998/namespace}" + attr) is not None:
                    attr = "xml:" + attr
                    val = el.get("{http://www.w3.org/XML/1998/namespace}" + attr[4:])
                val = val or ""
                text = f"attribute @{attr}=\"{val}\" on <{ename}> has a value the schema does not allow"
                hint = "check the value's format (dates: YYYY, YYYY-MM or YYYY-MM-DD)" \
                    if attr in ("when", "from", "to", "notBefore", "notAfter") else ""
            elif wrong:
                text = (f"attribute{'s' if len(wrong) > 1 else ''} "
                        f"{', '.join('@' + w for w in wrong)} not allowed on <{ename}>")
                close = difflib.get_close_matches(wrong[0], allowed, n=1, cutoff=0.75)
                hint = (f"did you mean @{close[0]}? " if close else "") + \
                    f"<{ename}> allows: {_fmt_attrs(allowed)}"
            else:
                text = f"<{ename}> lacks a required attribute or has an invalid attribute value"
                hint = f"<{ename}> allows: {_fmt_attrs(allowed)}"
        elif kind == "content":
            # a summary libxml2 adds after the precise message; keep only when alone
            if any(p[0] >= line and p[2] in ("unexpected", "missing", "expecting", "datatype",
                                            "value", "datatype2") for p in parsed if p is not None):
                continue
            ename = m.group(1)
            el = _find_element(src, line, ename)
            text = f"the content of <{ename}> does not match the schema"
            hint = f"<{ename}> may contain: {_fmt_list(g.allowed(ename)[0])}"
        elif kind in ("datatype", "datatype2", "value"):
            text = f"invalid value: {message}"
            if el is not None and el.text and el.text.strip():
                text = f"the text \"{el.text.strip()[:40]}\" of <{etree.QName(el).localname}> is not a valid value ({message})"
        elif kind in ("namespace", "wrong-ns", "no-ns"):
            text = message
            hint = "TEI elements must be in the namespace http://www.tei-c.org/ns/1.0 " \
                   "(xmlns=\"http://www.tei-c.org/ns/1.0\" on the root element)"
        elif kind == "interleave":
            continue
        line_col = src.position(el) if el is not None else (line or 1, 1)
        out.append(Diagnostic(src.display, line_col[0], line_col[1], ERROR, text, rule, hint))
    if not out and parsed:
        line, message = parsed[0][0], parsed[0][1]
        out.append(Diagnostic(src.display, line or 1, 1, ERROR, message, rule))
    return out
