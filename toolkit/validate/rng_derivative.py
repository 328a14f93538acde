"""RELAX NG validation by derivatives: the toolkit's validator, with precise diagnostics.

libxml2 validates too but, whenever the schema has a <choice> between patterns, it reports the
failure of the *last* alternative it tried, far from the real error. This module implements the
derivative algorithm described by James Clark ("An algorithm for RELAX NG validation", 2002):
the state of validation is a pattern, and every event (start tag, attribute, end of start tag,
text, end tag) turns it into the pattern that the rest of the document must match. All
alternatives of a choice advance together, so an error is found exactly where no alternative
can go on, and the state at that point says what would have been allowed.

`is_valid(tree, schema_path)` decides validity (the path most files take: no problems are
collected, transitions are memoized by tag and by attribute value); for an invalid file,
`diagnose(tree, schema_path)` returns the problems with their elements, what the schema expected
there, and recovers after each one so that later independent errors are found too.

Patterns are interned (structurally equal patterns are the same object), so derivatives,
nullability and the "what is expected here" sets are memoized per pattern.
"""
from __future__ import annotations

import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from lxml import etree

from ..xmlsafe import parse_schema_file

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSD_LIB = "http://www.w3.org/2001/XMLSchema-datatypes"
_R = "{%s}" % RNG_NS

# problem kinds
ELEMENT_NOT_ALLOWED = "element-not-allowed"
ELEMENT_INCOMPLETE = "element-incomplete"
ATTRIBUTE_NOT_ALLOWED = "attribute-not-allowed"
ATTRIBUTE_MISSING = "attribute-missing"
ATTRIBUTE_VALUE = "attribute-value"
TEXT_VALUE = "text-value"
TEXT_NOT_ALLOWED = "text-not-allowed"


class RngSchemaError(Exception):
    """The schema cannot be loaded by this validator (message names the file)."""


@dataclass
class Problem:
    node: etree._Element            # the element concerned (for text: the element containing it)
    attribute: str | None           # attribute label ("when", "xml:id") for attribute problems
    kind: str
    expected: list[str] = field(default_factory=list)   # names (elements / attributes) or values
    value: str | None = None        # the offending attribute value or text
    detail: str = ""                # a short plain-English summary
    text_allowed: bool = False      # element-not-allowed / incomplete: text would be allowed here
    end_allowed: bool = False       # element-not-allowed: the element could end here
    missing: list[str] = field(default_factory=list)  # element-not-allowed: required before it
    anywhere: bool = False          # element-not-allowed: the schema defines no element of that name
    at: etree._Element | None = None  # text problems: the element just after the text (where jing
    #                                   reports it), None when the text ends the element


# ============================================================================================
# Name classes: tuples, hashable
#   ("any", except|None)  ("ns", uri, except|None)  ("name", uri, local)  ("or", a, b)
# ============================================================================================

def nc_contains(nc, ns: str, local: str) -> bool:
    k = nc[0]
    if k == "name":
        return nc[1] == ns and nc[2] == local
    if k == "any":
        return nc[1] is None or not nc_contains(nc[1], ns, local)
    if k == "ns":
        return nc[1] == ns and (nc[2] is None or not nc_contains(nc[2], ns, local))
    if k == "or":
        return nc_contains(nc[1], ns, local) or nc_contains(nc[2], ns, local)
    return False


def _label(ns: str, local: str, attribute: bool = False) -> str:
    """A name as messages need it: xml:id, a local name in no namespace, else {uri}local (the
    message writes it with the document's own prefix for that namespace: relaxng.Names)."""
    if ns == XML_NS:
        return "xml:" + local
    return f"{{{ns}}}{local}" if ns else local


def nc_labels(nc, attribute: bool = False) -> list[str]:
    k = nc[0]
    if k == "name":
        return [_label(nc[1], nc[2], attribute)]
    if k == "or":
        return nc_labels(nc[1], attribute) + nc_labels(nc[2], attribute)
    if k == "any":
        return ["(any attribute)" if attribute else "(any element)"]
    return [f"(any {'attribute' if attribute else 'element'} in namespace {nc[1] or 'none'})"]


# ============================================================================================
# Patterns
# ============================================================================================

NA, EMPTY, TEXT, CHOICE, GROUP, INTERLEAVE, ONE_OR_MORE, LIST, DATA, VALUE, ATTRIBUTE, ELEMENT, \
    AFTER = range(13)


class P:
    __slots__ = ("kind", "a", "b", "nullable", "members", "info", "__weakref__")

    def __init__(self, kind, a=None, b=None, nullable=False, members=None, info=None):
        self.kind = kind
        self.a = a
        self.b = b
        self.nullable = nullable
        self.members = members
        self.info = info

    def __repr__(self):  # for debugging only
        names = ["NA", "EMPTY", "TEXT", "CHOICE", "GROUP", "INTERLEAVE", "ONE", "LIST", "DATA",
                 "VALUE", "ATTR", "ELEM", "AFTER"]
        if self.kind == ELEMENT:
            return f"ELEM({nc_labels(self.a)})"
        if self.kind == ATTRIBUTE:
            return f"ATTR({nc_labels(self.a, True)})"
        if self.kind == CHOICE:
            return "(" + " | ".join(map(repr, self.members)) + ")"
        if self.kind in (GROUP, INTERLEAVE, AFTER):
            sep = {GROUP: ", ", INTERLEAVE: " & ", AFTER: " ~> "}[self.kind]
            return f"({self.a!r}{sep}{self.b!r})"
        if self.kind == ONE_OR_MORE:
            return f"{self.a!r}+"
        if self.kind in (DATA, VALUE):
            return f"{names[self.kind]}{self.info[:3]}"
        return names[self.kind]


class Patterns:
    """The intern table and all derivative functions of one compiled schema."""

    def __init__(self):
        self.table: dict = {}
        self.not_allowed = P(NA)
        self.empty = P(EMPTY, nullable=True)
        self.text = P(TEXT, nullable=True)
        self.elements: list[P] = []
        self._m_stod: dict = {}
        self._m_att: dict = {}
        self._m_attmatch: dict = {}
        self._m_vmatch: dict = {}
        self._m_stcd: dict = {}
        self._m_stcd_l: dict = {}
        self._m_end: dict = {}
        self._m_end_l: dict = {}
        self._m_text: dict = {}
        self._m_firsts: dict = {}
        self._m_atts: dict = {}
        self._m_skip: dict = {}
        self._m_req: dict = {}
        self._m_tag: dict = {}      # (pattern, Clark tag) -> startTagOpenDeriv (the fast check)
        self._m_attv: dict = {}     # (pattern, Clark name, value) -> attDeriv (the fast check)

    def clear_memos_if_large(self, limit=400_000):
        if len(self.table) > limit * 2 or len(self._m_text) + len(self._m_vmatch) > limit:
            for m in (self._m_stod, self._m_att, self._m_attmatch, self._m_vmatch, self._m_stcd,
                      self._m_stcd_l, self._m_end, self._m_end_l, self._m_text, self._m_firsts,
                      self._m_atts, self._m_skip, self._m_req, self._m_tag, self._m_attv):
                m.clear()
            # keep the patterns reachable from the schema: the table is rebuilt lazily
            self.table = {k: v for k, v in self.table.items() if k[0] in ("data", "value", "attr")}

    # ---- constructors ---------------------------------------------------------------------

    def _intern(self, key, make):
        p = self.table.get(key)
        if p is None:
            p = make()
            self.table[key] = p
        return p

    def choice(self, a: P, b: P) -> P:
        if a.kind == NA:
            return b
        if b.kind == NA or a is b:
            return a
        return self.choice_of((a, b))

    def choice_of(self, items) -> P:
        ms = set()
        for p in items:
            if p.kind == CHOICE:
                ms.update(p.members)
            elif p.kind != NA:
                ms.add(p)
        if not ms:
            return self.not_allowed
        if len(ms) == 1:
            return next(iter(ms))
        fs = frozenset(ms)
        return self._intern(("choice", fs), lambda: P(CHOICE, nullable=any(m.nullable for m in fs),
                                                     members=fs))

    def group(self, a: P, b: P) -> P:
        if a.kind == NA or b.kind == NA:
            return self.not_allowed
        if a.kind == EMPTY:
            return b
        if b.kind == EMPTY:
            return a
        return self._intern(("group", a, b), lambda: P(GROUP, a, b, a.nullable and b.nullable))

    def interleave(self, a: P, b: P) -> P:
        if a.kind == NA or b.kind == NA:
            return self.not_allowed
        if a.kind == EMPTY:
            return b
        if b.kind == EMPTY:
            return a
        return self._intern(("interleave", a, b),
                            lambda: P(INTERLEAVE, a, b, a.nullable and b.nullable))

    def after(self, a: P, b: P) -> P:
        if a.kind == NA or b.kind == NA:
            return self.not_allowed
        return self._intern(("after", a, b), lambda: P(AFTER, a, b, False))

    def one_or_more(self, a: P) -> P:
        if a.kind in (NA, EMPTY):
            return a
        if a.kind == ONE_OR_MORE:
            return a
        return self._intern(("one", a), lambda: P(ONE_OR_MORE, a, None, a.nullable))

    def list_(self, a: P) -> P:
        if a.kind == NA:
            return a
        return self._intern(("list", a), lambda: P(LIST, a))

    def data(self, lib, typ, params, exc: P | None) -> P:
        if exc is not None and exc.kind == NA:
            exc = None
        info = (lib, typ, params, exc)
        return self._intern(("data",) + info, lambda: P(DATA, info=info))

    def value(self, lib, typ, val) -> P:
        info = (lib, typ, val)
        return self._intern(("value",) + info, lambda: P(VALUE, info=info))

    def attribute(self, nc, content: P) -> P:
        if content.kind == NA:
            return self.not_allowed
        return self._intern(("attr", nc, content), lambda: P(ATTRIBUTE, nc, content))

    def new_element(self, nc) -> P:
        p = P(ELEMENT, nc, None)   # content filled in later (recursion)
        self.elements.append(p)
        return p

    # ---- derivatives ----------------------------------------------------------------------

    def _apply_after(self, p: P, f) -> P:
        if p.kind == AFTER:
            return self.after(p.a, f(p.b))
        if p.kind == CHOICE:
            return self.choice_of([self._apply_after(m, f) for m in p.members])
        return self.not_allowed

    def stod(self, p: P, ns: str, local: str) -> P:
        """startTagOpenDeriv"""
        key = (p, ns, local)
        r = self._m_stod.get(key)
        if r is not None:
            return r
        k = p.kind
        if k == CHOICE:
            r = self.choice_of([self.stod(m, ns, local) for m in p.members])
        elif k == ELEMENT:
            r = self.after(p.b, self.empty) if nc_contains(p.a, ns, local) else self.not_allowed
        elif k == INTERLEAVE:
            a, b = p.a, p.b
            r = self.choice(self._apply_after(self.stod(a, ns, local), lambda x: self.interleave(x, b)),
                            self._apply_after(self.stod(b, ns, local), lambda x: self.interleave(a, x)))
        elif k == ONE_OR_MORE:
            rest = self.choice(p, self.empty)
            r = self._apply_after(self.stod(p.a, ns, local), lambda x: self.group(x, rest))
        elif k == GROUP:
            b = p.b
            r = self._apply_after(self.stod(p.a, ns, local), lambda x: self.group(x, b))
            if p.a.nullable:
                r = self.choice(r, self.stod(b, ns, local))
        elif k == AFTER:
            b = p.b
            r = self._apply_after(self.stod(p.a, ns, local), lambda x: self.after(x, b))
        else:
            r = self.not_allowed
        self._m_stod[key] = r
        return r

    def att_matches(self, p: P, ns: str, local: str) -> tuple:
        """Attribute patterns in the current attribute position of p whose name class matches."""
        key = (p, ns, local)
        r = self._m_attmatch.get(key)
        if r is None:
            out = []
            for a in self.attributes(p):
                if nc_contains(a.a, ns, local):
                    out.append(a)
            r = tuple(out)
            self._m_attmatch[key] = r
        return r

    def value_match(self, p: P, s: str) -> bool:
        key = (p, s)
        r = self._m_vmatch.get(key)
        if r is None:
            r = (p.nullable and _is_ws(s)) or self.text_deriv(p, s).nullable
            self._m_vmatch[key] = r
        return r

    def att_deriv(self, p: P, ns: str, local: str, value: str | None) -> P:
        """attDeriv; value None means: any value is accepted (for recovery)."""
        cands = self.att_matches(p, ns, local)
        if not cands:
            return self.not_allowed
        ok = frozenset(a for a in cands if value is None or self.value_match(a.b, value))
        if not ok:
            return self.not_allowed
        return self._att(p, ok)

    def _att(self, p: P, ok: frozenset) -> P:
        key = (p, ok)
        r = self._m_att.get(key)
        if r is not None:
            return r
        k = p.kind
        if k == AFTER:
            r = self.after(self._att(p.a, ok), p.b)
        elif k == CHOICE:
            r = self.choice_of([self._att(m, ok) for m in p.members])
        elif k == GROUP:
            r = self.choice(self.group(self._att(p.a, ok), p.b), self.group(p.a, self._att(p.b, ok)))
        elif k == INTERLEAVE:
            r = self.choice(self.interleave(self._att(p.a, ok), p.b),
                            self.interleave(p.a, self._att(p.b, ok)))
        elif k == ONE_OR_MORE:
            r = self.group(self._att(p.a, ok), self.choice(p, self.empty))
        elif k == ATTRIBUTE:
            r = self.empty if p in ok else self.not_allowed
        else:
            r = self.not_allowed
        self._m_att[key] = r
        return r

    def stcd(self, p: P, lenient: bool = False) -> P:
        """startTagCloseDeriv; lenient: missing attributes are forgiven."""
        memo = self._m_stcd_l if lenient else self._m_stcd
        r = memo.get(p)
        if r is not None:
            return r
        k = p.kind
        if k == AFTER:
            r = self.after(self.stcd(p.a, lenient), p.b)
        elif k == CHOICE:
            r = self.choice_of([self.stcd(m, lenient) for m in p.members])
        elif k == GROUP:
            r = self.group(self.stcd(p.a, lenient), self.stcd(p.b, lenient))
        elif k == INTERLEAVE:
            r = self.interleave(self.stcd(p.a, lenient), self.stcd(p.b, lenient))
        elif k == ONE_OR_MORE:
            r = self.one_or_more(self.stcd(p.a, lenient))
        elif k == ATTRIBUTE:
            r = self.empty if lenient else self.not_allowed
        else:
            r = p
        memo[p] = r
        return r

    def text_deriv(self, p: P, s: str) -> P:
        if not self.firsts(p)[2]:
            s = "x"   # no datatype reachable: the text's content does not matter
        key = (p, s)
        r = self._m_text.get(key)
        if r is not None:
            return r
        k = p.kind
        if k == CHOICE:
            r = self.choice_of([self.text_deriv(m, s) for m in p.members])
        elif k == INTERLEAVE:
            r = self.choice(self.interleave(self.text_deriv(p.a, s), p.b),
                            self.interleave(p.a, self.text_deriv(p.b, s)))
        elif k == GROUP:
            r = self.group(self.text_deriv(p.a, s), p.b)
            if p.a.nullable:
                r = self.choice(r, self.text_deriv(p.b, s))
        elif k == AFTER:
            r = self.after(self.text_deriv(p.a, s), p.b)
        elif k == ONE_OR_MORE:
            r = self.group(self.text_deriv(p.a, s), self.choice(p, self.empty))
        elif k == TEXT:
            r = p
        elif k == VALUE:
            lib, typ, val = p.info
            r = self.empty if datatype_equal(lib, typ, val, s) else self.not_allowed
        elif k == DATA:
            lib, typ, params, exc = p.info
            ok = datatype_allows(lib, typ, params, s)
            if ok and exc is not None:
                ok = not self.text_deriv(exc, s).nullable
            r = self.empty if ok else self.not_allowed
        elif k == LIST:
            q = p.a
            for tok in s.split():
                q = self.text_deriv(q, tok)
                if q.kind == NA:
                    break
            r = self.empty if q.nullable else self.not_allowed
        else:
            r = self.not_allowed
        if len(s) < 200:
            self._m_text[key] = r
        return r

    def end(self, p: P, lenient: bool = False) -> P:
        memo = self._m_end_l if lenient else self._m_end
        r = memo.get(p)
        if r is not None:
            return r
        if p.kind == CHOICE:
            r = self.choice_of([self.end(m, lenient) for m in p.members])
        elif p.kind == AFTER:
            r = p.b if (lenient or p.a.nullable) else self.not_allowed
        else:
            r = self.not_allowed
        memo[p] = r
        return r

    def skip_element(self, p: P) -> P:
        """Derivative by 'some element, whatever it is, valid': used to resynchronise after a
        missing required element."""
        r = self._m_skip.get(p)
        if r is not None:
            return r
        k = p.kind
        if k == CHOICE:
            r = self.choice_of([self.skip_element(m) for m in p.members])
        elif k == ELEMENT:
            r = self.empty
        elif k == INTERLEAVE:
            r = self.choice(self.interleave(self.skip_element(p.a), p.b),
                            self.interleave(p.a, self.skip_element(p.b)))
        elif k == GROUP:
            r = self.group(self.skip_element(p.a), p.b)
            if p.a.nullable:
                r = self.choice(r, self.skip_element(p.b))
        elif k == AFTER:
            r = self.after(self.skip_element(p.a), p.b)
        elif k == ONE_OR_MORE:
            r = self.group(self.skip_element(p.a), self.choice(p, self.empty))
        else:
            r = self.not_allowed
        self._m_skip[p] = r
        return r

    # ---- what is expected -----------------------------------------------------------------

    def firsts(self, p: P) -> tuple:
        """(element patterns, text allowed, data/value/list patterns) that may come next."""
        r = self._m_firsts.get(p)
        if r is not None:
            return r
        self._m_firsts[p] = (frozenset(), False, ())   # guard (patterns are acyclic anyway)
        k = p.kind
        if k == ELEMENT:
            r = (frozenset((p,)), False, ())
        elif k == TEXT:
            r = (frozenset(), True, ())
        elif k in (DATA, VALUE, LIST):
            r = (frozenset(), False, (p,))
        elif k == CHOICE or k == INTERLEAVE or (k == GROUP and p.a.nullable):
            parts = [self.firsts(m) for m in (p.members if k == CHOICE else (p.a, p.b))]
            r = (frozenset().union(*[x[0] for x in parts]), any(x[1] for x in parts),
                 tuple(dict.fromkeys(d for x in parts for d in x[2])))
        elif k in (GROUP, ONE_OR_MORE, AFTER):
            r = self.firsts(p.a)
        else:
            r = (frozenset(), False, ())
        self._m_firsts[p] = r
        return r

    def attributes(self, p: P) -> tuple:
        """Attribute patterns available at the attribute position of p."""
        r = self._m_atts.get(p)
        if r is not None:
            return r
        k = p.kind
        if k == ATTRIBUTE:
            r = (p,)
        elif k == CHOICE or k in (GROUP, INTERLEAVE):
            ms = p.members if k == CHOICE else (p.a, p.b)
            r = tuple(dict.fromkeys(a for m in ms for a in self.attributes(m)))
        elif k in (ONE_OR_MORE, AFTER):
            r = self.attributes(p.a)
        else:
            r = ()
        self._m_atts[p] = r
        return r

    def required_attributes(self, p: P) -> tuple:
        """Attribute patterns that must still be given (the cause of a failing start-tag close)."""
        r = self._m_req.get(p)
        if r is not None:
            return r
        k = p.kind
        if k == ATTRIBUTE:
            r = (p,)
        elif k == CHOICE:
            if any(self.stcd(m).kind != NA for m in p.members):
                r = ()
            else:
                r = tuple(dict.fromkeys(a for m in p.members for a in self.required_attributes(m)))
        elif k in (GROUP, INTERLEAVE):
            r = self.required_attributes(p.a) + tuple(
                a for a in self.required_attributes(p.b) if a not in self.required_attributes(p.a))
        elif k in (ONE_OR_MORE, AFTER):
            r = self.required_attributes(p.a)
        else:
            r = ()
        self._m_req[p] = r
        return r


def _is_ws(s: str) -> bool:
    return not s.strip(" \t\r\n")


def describe_value_patterns(pats, ps: Patterns, depth=0) -> list[str]:
    """Plain descriptions of what a value may be: '"main"', 'date', 'any text'."""
    out: list[str] = []
    for p in pats:
        k = p.kind
        if k == VALUE:
            out.append(f'"{p.info[2]}"')
        elif k == DATA:
            lib, typ, params, exc = p.info
            pat = [v for n, v in params if n == "pattern"]
            label = _TYPE_LABELS.get(typ) if lib == XSD_LIB else None
            if label and (typ in _DATE_TYPES or not pat):
                out.append(label)     # (patterns on dates only restate the format)
            else:
                out.append((label or typ) + (f" matching {pat[0]}" if pat else ""))
        elif k == TEXT:
            out.append("any text")
        elif k == EMPTY:
            out.append('""')
        elif k == LIST:
            inner = describe_value_patterns([p.a], ps, depth + 1)
            out.append("a list of " + " or ".join(inner) if inner else "a list")
        elif k == CHOICE and depth < 5:
            out += describe_value_patterns(sorted(p.members, key=_sort_key), ps, depth + 1)
        elif k in (GROUP, INTERLEAVE, ONE_OR_MORE) and depth < 5:
            f = ps.firsts(p)
            out += describe_value_patterns(f[2], ps, depth + 1)
            if f[1]:
                out.append("any text")
    return list(dict.fromkeys(out))


def describe_in_order(pats, ps: Patterns) -> list[str]:
    """describe_value_patterns of each pattern, in an order of their descriptions: patterns
    gathered from a choice come in its frozenset's order, which follows their addresses and so
    what the process checked before (a file alone, or in a shard, read otherwise)."""
    groups = sorted(describe_value_patterns([p], ps) for p in pats)
    return list(dict.fromkeys(d for g in groups for d in g))


_TYPE_LABELS = {
    "date": "a date YYYY-MM-DD", "gYearMonth": "a year and month YYYY-MM", "gYear": "a year YYYY",
    "dateTime": "a date and time YYYY-MM-DDThh:mm:ss", "time": "a time hh:mm:ss",
    "gMonth": "a month --MM", "gDay": "a day ---DD", "gMonthDay": "a month and day --MM-DD",
    "duration": "a duration (P1Y2M3D, PT4H)", "boolean": "true or false",
    "integer": "a whole number", "nonNegativeInteger": "a whole number (0 or more)",
    "positiveInteger": "a whole number (1 or more)", "decimal": "a decimal number",
    "double": "a number", "float": "a number", "anyURI": "a URI", "language": "a language code (en, de-AT)",
    "NCName": "a name (no spaces or colons)", "Name": "an XML name", "ID": "an identifier (an XML name)",
    "IDREF": "a reference to an identifier", "IDREFS": "references to identifiers",
    "NMTOKEN": "a single token (no spaces)", "NMTOKENS": "tokens separated by spaces",
    "token": "text", "string": "text", "normalizedString": "text",
}


def _sort_key(p: P):
    if p.kind == VALUE:
        return (0, str(p.info[2]))
    if p.kind == DATA:
        return (1, p.info[1])
    return (2, "")


# ============================================================================================
# Loading and simplifying the RELAX NG XML syntax
# ============================================================================================

class _Scope:
    def __init__(self, parent: "_Scope | None"):
        self.parent = parent
        self.starts: list = []             # (node, ns, dl, base, combine)
        self.defines: dict[str, list] = {}
        self.built: dict[str, P] = {}
        self.building: set[str] = set()


def _parse_xml(path: Path) -> etree._ElementTree:
    try:
        return parse_schema_file(path, etree.XMLParser(no_network=True, resolve_entities=False,
                                                       remove_comments=True, remove_pis=True))
    except (OSError, etree.XMLSyntaxError) as e:
        raise RngSchemaError(f"{path}: cannot read schema: {e}") from None


def _rng_children(node):
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]


def _local(node) -> str:
    return node.tag[len(_R):]


class Schema:
    """A RELAX NG schema compiled into an interned start pattern."""

    def __init__(self, path: Path):
        self.path = path
        self.ps = Patterns()
        self.lock = threading.RLock()
        self._pending: list = []
        self._docs: dict[Path, etree._Element] = {}
        root = self._load_root(path)
        ns = root.get("ns", "")
        self.start = self._pattern(root, ns, "", path, None)
        while self._pending:
            el, nodes, ns2, dl2, base, scope = self._pending.pop()
            el.b = self._group_of(nodes, ns2, dl2, base, scope)
        self.by_name: dict[tuple[str, str], list[P]] = {}
        for e in self.ps.elements:
            for nm in self._names(e.a):
                self.by_name.setdefault(nm, []).append(e)

    @staticmethod
    def _names(nc):
        if nc[0] == "name":
            return [(nc[1], nc[2])]
        if nc[0] == "or":
            return Schema._names(nc[1]) + Schema._names(nc[2])
        return []

    def _load_root(self, path: Path) -> etree._Element:
        path = path.resolve()
        root = self._docs.get(path)
        if root is None:
            root = _parse_xml(path).getroot()
            if not isinstance(root.tag, str) or not root.tag.startswith(_R):
                raise RngSchemaError(f"{path}: not a RELAX NG schema (XML syntax)")
            self._docs[path] = root
        return root

    def _href(self, node, base: Path) -> Path:
        href = (node.get("href") or "").strip()
        if not href or "://" in href or href.startswith("//"):
            raise RngSchemaError(f"{base}: only relative local hrefs are supported ({href!r})")
        return (base.parent / href.split("#")[0]).resolve()

    # ---- grammar collection (start/define/div/include) ------------------------------------

    def _collect(self, grammar, scope: _Scope, ns: str, dl: str, base: Path, skip_start=False,
                 skip_defines=frozenset()):
        for c in _rng_children(grammar):
            t = _local(c)
            cns = c.get("ns", ns)
            cdl = c.get("datatypeLibrary", dl)
            if t == "start":
                if not skip_start:
                    scope.starts.append((c, cns, cdl, base, c.get("combine")))
            elif t == "define":
                name = c.get("name", "").strip()
                if name not in skip_defines:
                    scope.defines.setdefault(name, []).append((c, cns, cdl, base, c.get("combine")))
            elif t == "div":
                self._collect(c, scope, cns, cdl, base, skip_start, skip_defines)
            elif t == "include":
                target = self._href(c, base)
                sub = self._load_root(target)
                if _local(sub) != "grammar":
                    raise RngSchemaError(f"{target}: an included schema must be a <grammar>")
                over_start, over_defs = self._overrides(c)
                self._collect(sub, scope, sub.get("ns", cns), sub.get("datatypeLibrary", ""),
                              target, skip_start or over_start, skip_defines | over_defs)
                self._collect(c, scope, cns, cdl, base, skip_start, skip_defines)

    def _overrides(self, node) -> tuple[bool, frozenset]:
        start = False
        defs = set()
        for c in _rng_children(node):
            t = _local(c)
            if t == "start":
                start = True
            elif t == "define":
                defs.add(c.get("name", "").strip())
            elif t == "div":
                s, d = self._overrides(c)
                start = start or s
                defs |= d
        return start, frozenset(defs)

    def _combine(self, comps, scope: _Scope) -> P:
        parts = []
        method = "choice"
        for node, ns, dl, base, combine in comps:
            if combine:
                method = combine
            parts.append(self._group_of(_rng_children(node), ns, dl, base, scope))
        r = parts[0]
        for q in parts[1:]:
            r = self.ps.interleave(r, q) if method == "interleave" else self.ps.choice(r, q)
        return r

    def _ref(self, scope: _Scope | None, name: str) -> P:
        if scope is None:
            raise RngSchemaError(f"{self.path}: parentRef outside a nested grammar ({name})")
        p = scope.built.get(name)
        if p is not None:
            return p
        comps = scope.defines.get(name)
        if not comps:
            raise RngSchemaError(f"{self.path}: reference to undefined pattern {name!r}")
        if name in scope.building:
            raise RngSchemaError(f"{self.path}: pattern {name!r} refers to itself outside an element")
        scope.building.add(name)
        p = self._combine(comps, scope)
        scope.building.discard(name)
        scope.built[name] = p
        return p

    # ---- patterns -------------------------------------------------------------------------

    def _group_of(self, nodes, ns, dl, base, scope) -> P:
        ps = self.ps
        r = ps.empty
        pats = [self._pattern(n, ns, dl, base, scope) for n in nodes]
        if not pats:
            return ps.empty
        r = pats[-1]
        for q in reversed(pats[:-1]):
            r = ps.group(q, r)
        return r

    def _pattern(self, node, ns: str, dl: str, base: Path, scope: _Scope | None) -> P:
        ps = self.ps
        t = _local(node)
        ns = node.get("ns", ns)
        dl = node.get("datatypeLibrary", dl)
        kids = _rng_children(node)
        if t == "element":
            if node.get("name") is not None:
                nc = self._qname_nc(node, node.get("name"), ns)
                content = kids
            else:
                nc = self._nameclass(kids[0], ns)
                content = kids[1:]
            el = ps.new_element(nc)
            self._pending.append((el, content, ns, dl, base, scope))
            return el
        if t == "attribute":
            if node.get("name") is not None:
                nc = self._qname_nc(node, node.get("name"), node.get("ns", ""), attribute=True)
                content = kids
            else:
                nc = self._nameclass(kids[0], ns)
                content = kids[1:]
            inner = self._group_of(content, ns, dl, base, scope) if content else ps.text
            return ps.attribute(nc, inner)
        if t in ("group", "define", "start"):
            return self._group_of(kids, ns, dl, base, scope)
        if t == "choice":
            return ps.choice_of([self._pattern(k, ns, dl, base, scope) for k in kids])
        if t == "interleave":
            pats = [self._pattern(k, ns, dl, base, scope) for k in kids]
            r = pats[0] if pats else ps.empty
            for q in pats[1:]:
                r = ps.interleave(r, q)
            return r
        if t == "optional":
            return ps.choice(self._group_of(kids, ns, dl, base, scope), ps.empty)
        if t == "zeroOrMore":
            return ps.choice(ps.one_or_more(self._group_of(kids, ns, dl, base, scope)), ps.empty)
        if t == "oneOrMore":
            return ps.one_or_more(self._group_of(kids, ns, dl, base, scope))
        if t == "mixed":
            return ps.interleave(self._group_of(kids, ns, dl, base, scope), ps.text)
        if t == "list":
            return ps.list_(self._group_of(kids, ns, dl, base, scope))
        if t == "text":
            return ps.text
        if t == "empty":
            return ps.empty
        if t == "notAllowed":
            return ps.not_allowed
        if t == "ref":
            return self._ref(scope, node.get("name", "").strip())
        if t == "parentRef":
            return self._ref(scope.parent if scope else None, node.get("name", "").strip())
        if t == "grammar":
            sub = _Scope(scope)
            self._collect(node, sub, ns, dl, base)
            if not sub.starts:
                raise RngSchemaError(f"{base}: a <grammar> without <start>")
            return self._combine(sub.starts, sub)
        if t == "externalRef":
            target = self._href(node, base)
            root = self._load_root(target)
            return self._pattern(root, root.get("ns", ns), "", target, scope)
        if t == "data":
            params = tuple((k.get("name", "").strip(), k.text or "") for k in kids
                           if _local(k) == "param")
            exc = [k for k in kids if _local(k) == "except"]
            excp = ps.choice_of([self._pattern(x, ns, dl, base, scope) for x in _rng_children(exc[0])]) \
                if exc else None
            return ps.data(dl, (node.get("type") or "").strip(), params, excp)
        if t == "value":
            if node.get("type") is None:
                return ps.value("", "token", node.text or "")
            return ps.value(dl, node.get("type").strip(), node.text or "")
        if t == "except":   # only reached through data (handled above)
            return ps.choice_of([self._pattern(k, ns, dl, base, scope) for k in kids])
        raise RngSchemaError(f"{base}: unsupported RELAX NG element <{t}>")

    def _qname_nc(self, node, qname: str, ns: str, attribute=False):
        qname = qname.strip()
        if ":" in qname:
            prefix, local = qname.split(":", 1)
            uri = XML_NS if prefix == "xml" else node.nsmap.get(prefix)
            if uri is None:
                raise RngSchemaError(f"{self.path}: unknown prefix in name {qname!r}")
            return ("name", uri, local)
        return ("name", ns, qname)

    def _nameclass(self, node, ns: str):
        t = _local(node)
        ns = node.get("ns", ns)
        if t == "name":
            return self._qname_nc(node, node.text or "", ns)
        if t == "choice":
            ncs = [self._nameclass(k, ns) for k in _rng_children(node)]
            r = ncs[0]
            for n in ncs[1:]:
                r = ("or", r, n)
            return r
        if t in ("anyName", "nsName"):
            exc = None
            ex = [k for k in _rng_children(node) if _local(k) == "except"]
            if ex:
                ncs = [self._nameclass(k, ns) for k in _rng_children(ex[0])]
                exc = ncs[0]
                for n in ncs[1:]:
                    exc = ("or", exc, n)
            return ("any", exc) if t == "anyName" else ("ns", ns, exc)
        raise RngSchemaError(f"{self.path}: unsupported name class <{t}>")


_cache: dict[tuple[str, float], Schema] = {}
_cache_lock = threading.Lock()
_failed: dict[tuple[str, float], RngSchemaError] = {}


def load(schema_path: Path) -> Schema:
    """The compiled schema, once per process per (path, mtime)."""
    path = Path(schema_path).resolve()
    key = (str(path), path.stat().st_mtime)
    with _cache_lock:
        s = _cache.get(key)
        if s is None:
            if key in _failed:  # (a schema this validator cannot load is not read again per file)
                raise _failed[key]
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(max(old, 20000))
            try:
                s = Schema(path)
            except RngSchemaError as e:
                _failed[key] = e
                raise
            _cache[key] = s
    return s


# ============================================================================================
# Validation with diagnostics
# ============================================================================================

def _split(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _items(el):
    """Children as a list of text strings (adjacent text merged across comments/PIs) and elements."""
    out = []
    buf = [el.text] if el.text else []
    for c in el:
        if isinstance(c.tag, str):
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(c)
        if c.tail:
            buf.append(c.tail)
    if buf:
        out.append("".join(buf))
    return out


class _Run:
    def __init__(self, schema: Schema):
        self.s = schema
        self.ps = schema.ps
        self.problems: list[Problem] = []

    def _elem_names(self, p: P) -> tuple[list[str], bool]:
        els, text, data = self.ps.firsts(p)
        names = sorted({n for e in els for n in nc_labels(e.a)}, key=str.lower)
        return names, text or bool(data)

    def element(self, state: P, el) -> P:
        ps = self.ps
        ns, local = _split(el.tag)
        p = ps.stod(state, ns, local)
        if p.kind == NA:
            names, text_ok = self._elem_names(state)
            end_ok = ps.end(state).kind != NA if state.kind in (AFTER, CHOICE) else state.nullable
            prob = Problem(el, None, ELEMENT_NOT_ALLOWED, names, detail=f"element {local!r} not allowed here",
                           text_allowed=text_ok, end_allowed=end_ok)
            # resynchronise: one or two required elements may be missing before this one
            s = state
            for _ in range(2):
                s = ps.skip_element(s)
                if s.kind == NA:
                    break
                q = ps.stod(s, ns, local)
                if q.kind != NA:
                    prob.missing = [n for n in names]
                    prob.detail = f"element {local!r} not allowed yet; missing a required element before it"
                    p = q
                    break
            self.problems.append(prob)
            if p.kind == NA:
                # skip it: check its inside against the schema's definitions of that name
                self._lenient(el, ns, local, prob)
                return state
        return self._inside(p, el, local)

    def _lenient(self, el, ns: str, local: str, prob: Problem | None = None):
        """An element out of place: check its inside against the schema's definitions of that
        name; an element the schema never defines is reported, and its children checked alike."""
        ps = self.ps
        defs = self.s.by_name.get((ns, local))
        if defs:
            self._inside(ps.choice_of([ps.after(d.b, ps.empty) for d in defs]), el, local)
            return
        if prob is not None:   # (unknown elements inside an unknown element: reported once)
            prob.anywhere = True
            prob.detail = f"element {local!r} not allowed anywhere in the schema"
        for c in el:
            if isinstance(c.tag, str):
                self._lenient(c, *_split(c.tag))

    def _inside(self, p: P, el, local: str) -> P:
        ps = self.ps
        opened = p
        for name, value in el.attrib.items():
            ans, alocal = _split(name)
            q = ps.att_deriv(p, ans, alocal, value)
            if q.kind == NA:
                label = _label(ans, alocal, True)
                if ans and ans != XML_NS:
                    prefix = next((k for k, v in el.nsmap.items() if v == ans and k), None)
                    label = f"{prefix}:{alocal}" if prefix else label
                q = ps.att_deriv(p, ans, alocal, None)
                if q.kind == NA:
                    allowed = sorted({n for a in ps.attributes(opened) for n in nc_labels(a.a, True)},
                                     key=str.lower)
                    self.problems.append(Problem(el, label, ATTRIBUTE_NOT_ALLOWED, allowed, value,
                                                 f"attribute {label!r} not allowed here"))
                    continue
                exp = describe_in_order([a.b for a in ps.att_matches(p, ans, alocal)], ps)
                self.problems.append(Problem(el, label, ATTRIBUTE_VALUE, exp, value,
                                             f"value of attribute {label!r} is invalid"))
            p = q
        q = ps.stcd(p)
        if q.kind == NA:
            req = sorted({n for a in ps.required_attributes(p) for n in nc_labels(a.a, True)},
                         key=str.lower)
            self.problems.append(Problem(el, req[0] if len(req) == 1 else None, ATTRIBUTE_MISSING, req,
                                         detail="required attribute missing"))
            q = ps.stcd(p, lenient=True)
        p = q
        items = _items(el)
        reported = False
        if not any(not isinstance(i, str) for i in items):
            text = items[0] if items else ""
            q = ps.text_deriv(p, text)
            if _is_ws(text):
                q = ps.choice(p, q)
            if q.kind == NA:
                self._text_problem(p, el, text)
                reported = True
            else:
                p = q
        else:
            for i, it in enumerate(items):
                if isinstance(it, str):
                    if _is_ws(it):
                        continue
                    q = ps.text_deriv(p, it)
                    if q.kind == NA:
                        self._text_problem(p, el, it, items[i + 1] if i + 1 < len(items) else None)
                    else:
                        p = q
                else:
                    p = self.element(p, it)
        q = ps.end(p)
        if q.kind == NA and not reported:
            els, text_ok, data = ps.firsts(p)
            if data and not els:
                self._text_problem(p, el, el.text or "")
            else:
                names, text_ok = self._elem_names(p)
                self.problems.append(Problem(el, None, ELEMENT_INCOMPLETE, names,
                                             detail=f"element {local!r} incomplete",
                                             text_allowed=text_ok))
        if q.kind == NA:
            q = ps.end(p, lenient=True)
        return q

    def _text_problem(self, p: P, el, text: str, following=None):
        els, text_ok, data = self.ps.firsts(p)
        if data:
            exp = describe_in_order(data, self.ps)
            self.problems.append(Problem(el, None, TEXT_VALUE, exp, text.strip(),
                                         "character content is invalid", at=following))
        else:
            names, _ = self._elem_names(p)
            self.problems.append(Problem(el, None, TEXT_NOT_ALLOWED, names, text.strip(),
                                         "text not allowed here", at=following))


def diagnose(tree, schema_path: Path) -> list[Problem]:
    """Problems of one parsed document against a RELAX NG schema (XML syntax), in document order."""
    schema = load(schema_path)
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    with schema.lock:
        run = _Run(schema)
        p = run.element(schema.start, root)
        if p.kind != NA and not p.nullable:
            pass  # the document element was consumed; nothing else can be missing at top level
        schema.ps.clear_memos_if_large()
    return run.problems


def is_valid(tree, schema_path: Path) -> bool:
    """Whether the document matches the schema: the same verdict as `not diagnose(...)`, reached
    without collecting problems (most files are valid, so this is the path that runs)."""
    schema = load(schema_path)
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    with schema.lock:
        ps = schema.ps
        ok = _valid_element(ps, schema.start, root, ps._m_tag, ps._m_attv) is not None
        ps.clear_memos_if_large()
    return ok


def _valid_element(ps: Patterns, state: P, el, m_tag: dict, m_attv: dict):
    """The pattern after `el` (None when it does not match): _Run.element and _inside without
    the diagnostics, with transitions memoized by Clark name so that no name is split twice."""
    tag = el.tag
    p = m_tag.get((state, tag))
    if p is None:
        p = ps.stod(state, *_split(tag))
        m_tag[(state, tag)] = p
    if p.kind == NA:
        return None
    if len(el.attrib):
        for name, value in el.items():
            key = (p, name, value)
            q = m_attv.get(key)
            if q is None:
                q = ps.att_deriv(p, *_split(name), value)
                if len(value) < 80:
                    m_attv[key] = q
            if q.kind == NA:
                return None
            p = q
    p = ps.stcd(p)
    if p.kind == NA:
        return None
    buf = el.text   # text since the last child element, merged across comments and PIs
    has_elements = False
    for c in el:
        if isinstance(c.tag, str):
            if buf and not _is_ws(buf):
                p = ps.text_deriv(p, buf)
                if p.kind == NA:
                    return None
            p = _valid_element(ps, p, c, m_tag, m_attv)
            if p is None:
                return None
            has_elements = True
            buf = c.tail
        elif c.tail:
            buf = (buf or "") + c.tail
    if not has_elements:
        text = buf or ""
        q = ps.text_deriv(p, text)
        if _is_ws(text):
            q = ps.choice(p, q)
        p = q
    elif buf and not _is_ws(buf):
        p = ps.text_deriv(p, buf)
    if p.kind == NA:
        return None
    p = ps.end(p)
    return None if p.kind == NA else p


# ============================================================================================
# Datatypes: the built-in library and the XML Schema subset used by TEI schemas
# ============================================================================================

_ws_re = re.compile(r"[ \t\r\n]+")


def _collapse(s: str) -> str:
    return _ws_re.sub(" ", s).strip(" ")


_TZ = r"(Z|[+-](\d\d):(\d\d))?"
_YEAR = r"(-?(?:[1-9]\d{4,}|\d{4}))"
_RX = {
    "boolean": re.compile(r"true|false|1|0"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "integer": re.compile(r"[+-]?\d+"),
    "double": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    "date": re.compile(_YEAR + r"-(\d\d)-(\d\d)" + _TZ),
    "dateTime": re.compile(_YEAR + r"-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ),
    "time": re.compile(r"(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ),
    "gYear": re.compile(_YEAR + _TZ),
    "gYearMonth": re.compile(_YEAR + r"-(\d\d)" + _TZ),
    "gMonth": re.compile(r"--(\d\d)" + _TZ),
    "gDay": re.compile(r"---(\d\d)" + _TZ),
    "gMonthDay": re.compile(r"--(\d\d)-(\d\d)" + _TZ),
    "duration": re.compile(r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"),
    "language": re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*"),
    "hexBinary": re.compile(r"([0-9a-fA-F]{2})*"),
    "base64Binary": re.compile(r"[A-Za-z0-9+/= ]*"),
}
_NAME_START = (":A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
               "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
               "\U00010000-\U000EFFFF")
_NAME_CHAR = _NAME_START + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"
_NAME_PATTERNS = {  # compiled when first needed: together they take 20 ms to compile
    "Name": f"[{_NAME_START}][{_NAME_CHAR}]*",
    "NCName": f"[{_NAME_START.replace(':', '')}][{_NAME_CHAR.replace(':', '')}]*",
    "NMTOKEN": f"[{_NAME_CHAR}]+",
}


@lru_cache(maxsize=None)
def _name_rx(kind: str) -> re.Pattern:
    return re.compile(_NAME_PATTERNS[kind])
_INT_RANGES = {
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-2 ** 63, 2 ** 63 - 1), "int": (-2 ** 31, 2 ** 31 - 1), "short": (-2 ** 15, 2 ** 15 - 1),
    "byte": (-128, 127), "unsignedLong": (0, 2 ** 64 - 1), "unsignedInt": (0, 2 ** 32 - 1),
    "unsignedShort": (0, 65535), "unsignedByte": (0, 255), "integer": (None, None),
}
_LIST_TYPES = {"NMTOKENS": "NMTOKEN", "IDREFS": "IDREF", "ENTITIES": "ENTITY"}
_DATE_TYPES = {"date", "dateTime", "time", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay",
               "duration"}


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _tz_ok(hh, mm) -> bool:
    if hh is None:
        return True
    h, m = int(hh), int(mm)
    return m < 60 and (h < 14 or (h == 14 and m == 0))


def _time_ok(h, mi, sec) -> bool:
    h, mi, s = int(h), int(mi), float(sec)
    if h == 24:
        return mi == 0 and s == 0
    return h < 24 and mi < 60 and s < 60


def _lexical_ok(typ: str, v: str) -> bool:
    """v already whitespace-normalized for typ."""
    if typ in ("string", "normalizedString", "token", "anyURI"):
        return True
    if typ in ("Name",):
        return bool(_name_rx("Name").fullmatch(v))
    if typ in ("NCName", "ID", "IDREF", "ENTITY"):
        return bool(_name_rx("NCName").fullmatch(v))
    if typ == "QName":
        parts = v.split(":")
        return 1 <= len(parts) <= 2 and all(_name_rx("NCName").fullmatch(x) for x in parts)
    if typ == "NMTOKEN":
        return bool(_name_rx("NMTOKEN").fullmatch(v))
    if typ in _LIST_TYPES:
        items = v.split()
        return bool(items) and all(_lexical_ok(_LIST_TYPES[typ], x) for x in items)
    if typ in _INT_RANGES:
        if not _RX["integer"].fullmatch(v):
            return False
        lo, hi = _INT_RANGES[typ]
        n = int(v)
        return (lo is None or n >= lo) and (hi is None or n <= hi)
    if typ in ("double", "float"):
        return bool(_RX["double"].fullmatch(v))
    if typ in ("decimal", "boolean", "language", "hexBinary", "base64Binary", "duration"):
        return bool(_RX[typ].fullmatch(v))
    if typ in _DATE_TYPES:
        m = _RX[typ].fullmatch(v)
        if not m:
            return False
        g = m.groups()
        if typ == "date":
            y, mo, d = int(g[0]), int(g[1]), int(g[2])
            return 1 <= mo <= 12 and 1 <= d <= _days_in_month(y, mo) and _tz_ok(g[4], g[5])
        if typ == "dateTime":
            y, mo, d = int(g[0]), int(g[1]), int(g[2])
            return (1 <= mo <= 12 and 1 <= d <= _days_in_month(y, mo)
                    and _time_ok(g[3], g[4], g[5] + (g[6] or "")) and _tz_ok(g[8], g[9]))
        if typ == "time":
            return _time_ok(g[0], g[1], g[2] + (g[3] or "")) and _tz_ok(g[5], g[6])
        if typ == "gYear":
            return _tz_ok(g[2], g[3])
        if typ == "gYearMonth":
            return 1 <= int(g[1]) <= 12 and _tz_ok(g[3], g[4])
        if typ == "gMonth":
            return 1 <= int(g[0]) <= 12 and _tz_ok(g[2], g[3])
        if typ == "gDay":
            return 1 <= int(g[0]) <= 31 and _tz_ok(g[2], g[3])
        if typ == "gMonthDay":
            mo, d = int(g[0]), int(g[1])
            return 1 <= mo <= 12 and 1 <= d <= _days_in_month(2000, mo) and _tz_ok(g[3], g[4])
        return True   # duration
    return True       # a type we do not know: accept


def _normalize(typ: str, s: str) -> str:
    if typ == "string":
        return s
    if typ == "normalizedString":
        return re.sub(r"[\t\r\n]", " ", s)
    return _collapse(s)


def _number(typ: str, v: str):
    try:
        if typ in ("double", "float"):
            return float(v.replace("INF", "inf"))
        return Decimal(v)
    except (InvalidOperation, ValueError):
        return None


def _facets_ok(typ: str, v: str, params) -> bool:
    for name, pv in params:
        try:
            if name == "pattern":
                rx = xsd_regex(pv)
                if rx is not None and not rx.fullmatch(v):
                    return False
            elif name in ("length", "minLength", "maxLength"):
                n = len(v.split()) if typ in _LIST_TYPES else (
                    len(v) // 2 if typ == "hexBinary" else len(v))
                lim = int(pv.strip())
                if (name == "length" and n != lim) or (name == "minLength" and n < lim) or \
                        (name == "maxLength" and n > lim):
                    return False
            elif name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
                if typ in _DATE_TYPES or typ not in set(_INT_RANGES) | {"decimal", "double", "float"}:
                    continue
                x, lim = _number(typ, v), _number(typ, pv.strip())
                if x is None or lim is None:
                    continue
                if (name == "minInclusive" and not x >= lim) or (name == "maxInclusive" and not x <= lim) \
                        or (name == "minExclusive" and not x > lim) or \
                        (name == "maxExclusive" and not x < lim):
                    return False
            elif name in ("totalDigits", "fractionDigits") and typ in set(_INT_RANGES) | {"decimal"}:
                digits = v.lstrip("+-")
                intpart, _, frac = digits.partition(".")
                frac = frac.rstrip("0")
                intpart = intpart.lstrip("0")
                lim = int(pv.strip())
                if name == "totalDigits" and len(intpart) + len(frac) > lim:
                    return False
                if name == "fractionDigits" and len(frac) > lim:
                    return False
        except ValueError:
            continue
    return True


def datatype_allows(lib: str, typ: str, params, s: str) -> bool:
    if lib == "":
        return True   # string, token: anything
    if lib != XSD_LIB:
        return True   # unknown library: accept
    v = _normalize(typ, s)
    return _lexical_ok(typ, v) and _facets_ok(typ, v, params)


def datatype_equal(lib: str, typ: str, val: str, s: str) -> bool:
    if lib == "":
        return val == s if typ == "string" else _collapse(val) == _collapse(s)
    if lib != XSD_LIB:
        return _collapse(val) == _collapse(s)
    a, b = _normalize(typ, val), _normalize(typ, s)
    if not _lexical_ok(typ, b):
        return False
    if typ in set(_INT_RANGES) | {"decimal", "double", "float"}:
        x, y = _number(typ, a), _number(typ, b)
        return x is not None and x == y
    if typ == "boolean":
        return (a in ("true", "1")) == (b in ("true", "1"))
    if typ in _LIST_TYPES:
        return a.split() == b.split()
    return a == b


# ---- XML Schema regular expressions -> Python -----------------------------------------------

_cat_ranges: dict[str, list[tuple[int, int]]] = {}
_cat_lock = threading.Lock()


def _category_ranges(cat: str) -> list[tuple[int, int]]:
    """Code point ranges of a Unicode general category ('L', 'Lu', 'C', ...)."""
    with _cat_lock:
        if not _cat_ranges:
            # The table takes 0.15 s to make, in every process that meets \p{..}: it is kept in
            # the cache folder, keyed by the Unicode version of this Python.
            from ..cache import cache_dir, read_json, write_json
            stored = cache_dir() / f"unicode-categories-{unicodedata.unidata_version}.json"
            table = read_json(stored)
            if isinstance(table, dict) and table.get("L"):
                _cat_ranges.update({k: [tuple(r) for r in v] for k, v in table.items()})
                return _cat_ranges.get(cat, [])
            # runs of one category, found by C-level iteration (a few thousand runs)
            start = 0
            for c, run in groupby(map(unicodedata.category, map(chr, range(0x110000)))):
                end = start + len(list(run))
                for key in (c, c[0]):
                    lst = _cat_ranges.setdefault(key, [])
                    if lst and lst[-1][1] == start - 1:
                        lst[-1] = (lst[-1][0], end - 1)
                    else:
                        lst.append((start, end - 1))
                start = end
            write_json(stored, _cat_ranges)
    return _cat_ranges.get(cat, [])


def _complement(ranges):
    out, prev = [], 0
    for a, b in sorted(ranges):
        if a > prev:
            out.append((prev, a - 1))
        prev = max(prev, b + 1)
    if prev <= 0x10FFFF:
        out.append((prev, 0x10FFFF))
    return out


def _merge(ranges):
    out = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _ranges_of_class(body: str) -> list[tuple[int, int]]:
    """Ranges of a Python class body written with \\uXXXX escapes / literal chars (name chars)."""
    out = []
    i = 0
    chars = body.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    while i < len(chars):
        c = chars[i]
        if c == "\\":
            c = chars[i + 1]
            i += 1
        if i + 2 < len(chars) and chars[i + 1] == "-":
            d = chars[i + 2]
            if d == "\\":
                d = chars[i + 3]
                i += 1
            out.append((ord(c), ord(d)))
            i += 3
        else:
            out.append((ord(c), ord(c)))
            i += 1
    return _merge(out)


def _fmt_ranges(ranges) -> str:
    def esc(n):
        return "\\U%08x" % n
    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges)


_XSD_ESC_SETS = {
    "s": [(0x20, 0x20), (0x9, 0x9), (0xA, 0xA), (0xD, 0xD)],
    "d": None,   # filled lazily (Nd)
}


def _escape_ranges(ch: str, name: str | None) -> list[tuple[int, int]]:
    if ch in "pP":
        cat = name or ""
        if cat.startswith("Is"):
            raise ValueError("block escapes not supported")
        r = _category_ranges(cat) if cat else []
        if not r and cat not in ("Cn", "Co", "Cs"):
            raise ValueError(f"unknown category {cat}")
        return r if ch == "p" else _complement(r)
    if ch in "sS":
        r = _merge(_XSD_ESC_SETS["s"])
    elif ch in "iI":
        r = _ranges_of_class(_NAME_START)
    elif ch in "cC":
        r = _ranges_of_class(_NAME_CHAR)
    elif ch in "dD":
        r = _category_ranges("Nd")
    elif ch in "wW":
        r = _complement(_merge(_category_ranges("P") + _category_ranges("Z") + _category_ranges("C")))
    else:
        raise ValueError(ch)
    return r if ch.islower() else _complement(r)


_SINGLE_ESC = {"n": "\n", "r": "\r", "t": "\t"}
_rx_cache: dict[str, re.Pattern | None] = {}


def xsd_regex(pattern: str) -> re.Pattern | None:
    """A compiled Python regex equivalent to an XML Schema pattern (match with fullmatch);
    None when the pattern cannot be translated (then the facet is not checked)."""
    try:
        return _rx_cache[pattern]
    except KeyError:
        pass
    try:
        rx = re.compile(_translate(pattern), re.DOTALL if False else 0)
    except (ValueError, re.error, IndexError):
        rx = None
    _rx_cache[pattern] = rx
    return rx


def _translate(p: str) -> str:
    out = []
    i = 0
    n = len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            i, frag = _escape_outside(p, i)
            out.append(frag)
            continue
        if c == "[":
            i, frag = _char_class(p, i)
            out.append(frag)
            continue
        if c in "^$":
            out.append("\\" + c)
        elif c == ".":
            out.append("[^\\n\\r]")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _read_escape(p: str, i: int):
    """At p[i] == '\\': returns (next index, kind, value) with kind 'char' or 'set'."""
    ch = p[i + 1]
    if ch in "pP":
        assert p[i + 2] == "{"
        j = p.index("}", i + 3)
        return j + 1, "set", _escape_ranges(ch, p[i + 3:j])
    if ch in "sSiIcCdDwW":
        return i + 2, "set", _escape_ranges(ch, None)
    if ch in _SINGLE_ESC:
        return i + 2, "char", _SINGLE_ESC[ch]
    return i + 2, "char", ch


def _escape_outside(p: str, i: int):
    j, kind, val = _read_escape(p, i)
    if kind == "char":
        return j, re.escape(val)
    return j, "[" + _fmt_ranges(val) + "]"


def _char_class(p: str, i: int):
    """At p[i] == '[': returns (next index, python fragment). Handles negation and subtraction."""
    i += 1
    neg = False
    if p[i] == "^":
        neg = True
        i += 1
    ranges: list[tuple[int, int]] = []
    first = True
    sub = None
    while True:
        c = p[i]
        if c == "]" and not first:
            i += 1
            break
        if c == "-" and p[i + 1] == "[":
            i, sub = _char_class(p, i + 1)
            if p[i] != "]":
                raise ValueError("bad subtraction")
            i += 1
            break
        first = False
        if c == "\\":
            i, kind, val = _read_escape(p, i)
            if kind == "set":
                ranges += val
                continue
            lo = val
        else:
            lo = c
            i += 1
        if p[i] == "-" and p[i + 1] not in "[]":
            i += 1
            if p[i] == "\\":
                i, kind, hi = _read_escape(p, i)
                if kind != "char":
                    raise ValueError("range to a set")
            else:
                hi = p[i]
                i += 1
            ranges.append((ord(lo), ord(hi)))
        else:
            ranges.append((ord(lo), ord(lo)))
    body = _fmt_ranges(_merge(ranges)) or "\\U0010ffff-\\U0010ffff"
    frag = f"[{'^' if neg else ''}{body}]" if ranges else ("[\\s\\S]" if neg else "(?!)")
    if sub is not None:
        frag = f"(?:(?!{sub}){frag})"
    return i, frag
