"""Schematron rules evaluated by lxml on the tree already parsed, when that gives what Saxon gives.

Running a schema with Saxon means parsing each file a second time (Saxon cannot read lxml's
tree): for the 93 ELTeC novels that parse costs more than the rules and the RELAX NG check
together. Many schemas, ODD-generated ones above all, use only the part of XPath in which 1.0
(libxml2, on the tree lxml already has) and 3.1 (Saxon) agree: paths, predicates, `=`,
`and`/`or`, `not()`, `count()`, string functions on single nodes. For such a schema this module
makes a plan once and evaluates it per file, giving the same diagnostics as the Saxon path
(tests/validate/test_schematron_lite.py compares both on every schema and file the suite knows).

A schema qualifies only when every construct is understood here and every query passes a
conservative check (`translate`): anything else — XPath 2+ syntax, arithmetic, ordering
comparisons, functions outside a short list, phases, abstract patterns, includes, diagnostics,
@subject, variables from elsewhere ($edition-context) — makes `plan()` return None and the
caller uses Saxon. Three XPath 2 forms are rewritten: `*:name` → `*[local-name()='name']`,
`@a eq 'x'` → `@a = 'x'` (one attribute: the same test), and `current()` → the rule's context
node. When a file brings a case the plan cannot answer alike (a rule context matching a
non-element, a number in a message), `Fallback` is raised and the caller uses Saxon for it.

A schema whose structure qualifies but some of whose patterns use queries outside the subset
(tei_all's embedded rules) gets a partial plan: those patterns keep only guards telling whether
one of their rules can match in a file (the context by lxml where it translates, else the
element names its steps need), and a file they can match raises `Fallback` before anything
runs — Saxon then checks it with the whole schema. Not for schemas reading $edition-context.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, severity_of_role
from ..xmlsafe import SourceFile, parse_file

SCH = "http://purl.oclc.org/dsdl/schematron"
RNG = "http://relaxng.org/ns/structure/1.0"
_S = "{%s}" % SCH
CURRENT = "schx-current"  # the variable that stands for current()


class Fallback(Exception):
    """This file needs the Saxon path."""


class _Reject(Exception):
    """The schema needs the Saxon path."""


# ------------------------------------------------------------------------------ XPath subset

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"[^"]*"|'[^']*')
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<var>\$[A-Za-z_][\w.-]*)
  | (?P<nswild>\*:[A-Za-z_][\w.-]*)
  | (?P<name>[A-Za-z_][\w.-]*(?::(?:[A-Za-z_][\w.-]*|\*))?)
  | (?P<op>//|::|!=|<=|>=|\.\.|[/\[\]()@,|=<>.*+-])
  | (?P<bad>.)
""", re.X | re.S)

# functions whose results are the same in XPath 1.0 and 3.1 (given single-node arguments)
_STRING_FUNCS = {"string", "normalize-space", "string-length", "contains", "starts-with",
                 "substring", "substring-before", "substring-after", "translate", "concat",
                 "local-name", "name", "namespace-uri"}
_ANY_ARG_FUNCS = {"not", "count", "boolean"}
_NO_ARG_FUNCS = {"true", "false", "last", "position"}
_NODE_TESTS = {"node", "text", "comment", "processing-instruction"}
_AXES = {"child", "descendant", "parent", "ancestor", "following-sibling", "preceding-sibling",
         "following", "preceding", "attribute", "self", "descendant-or-self", "ancestor-or-self"}
_OPERAND_END = {"name", "str", "num", "var", ")", "]", ".", "..", "*"}
# functions returning a number in both versions: compared with a number literal, 1.0 and 3.1 agree
_NUMBER_FUNCS = {"count", "string-length"}
_ORDER_WORDS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def _tokens(expr: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(expr):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "bad":
            raise _Reject(expr)
        text = m.group()
        out.append((text if kind == "op" else kind, text))
    # current() is the rule's context node: the variable the plan binds to it
    i = 0
    while i + 2 < len(out):
        if out[i] == ("name", "current") and out[i + 1][0] == "(" and out[i + 2][0] == ")":
            out[i:i + 3] = [("var", f"${CURRENT}")]
        i += 1
    return out


def _safe_arg(toks: list[tuple[str, str]]) -> bool:
    """An argument that is surely a single item or empty (a string function of XPath 2 fails on
    several nodes where 1.0 takes the first)."""
    kinds = [k for k, _ in toks]
    if kinds in (["str"], ["num"], ["."], ["@", "name"], ["var"]):
        return kinds != ["var"] or toks[0][1] == f"${CURRENT}"
    # a call of a function of the subset, taking the whole argument
    return len(toks) >= 3 and kinds[0] == "name" and kinds[1] == "(" and kinds[-1] == ")" \
        and toks[0][1] in (_STRING_FUNCS | _ANY_ARG_FUNCS | _NO_ARG_FUNCS)


def translate(expr: str, prefixes: set[str], variables: set[str]) -> str:
    """The query in XPath 1.0 with the same meaning, or _Reject."""
    toks = _tokens(expr)
    out: list[str] = []
    stack: list[list] = []  # open parentheses: [kind, function name, args: list of token lists]
    prev = None
    closed = None  # the function whose call the previous token closed
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        nxt = toks[i + 1][0] if i + 1 < len(toks) else None
        emit = text
        numeric_order = prev == ")" and closed in _NUMBER_FUNCS and nxt == "num"
        closed = None
        if kind == "name" and text in _ORDER_WORDS and numeric_order:
            emit, kind = _ORDER_WORDS[text], "="  # count(x) gt 1: a number against a number
        elif kind == "name":
            if nxt == "(":
                if text not in _STRING_FUNCS | _ANY_ARG_FUNCS | _NO_ARG_FUNCS | _NODE_TESTS:
                    raise _Reject(text)
            elif nxt == "::":
                if text not in _AXES:
                    raise _Reject(text)
            elif text in ("and", "or"):
                kind = "operator"  # (what follows is an operand, not an operator)
            elif text in ("eq", "ne"):
                # '@a eq "x"' at the start of a test or predicate: one attribute, so '=' is equal
                ok = (i >= 2 and toks[i - 2][0] == "@" and toks[i - 1][0] == "name"
                      and (i < 3 or toks[i - 3][1] in ("[", "(", "and", "or")) and nxt == "str")
                if not ok:
                    raise _Reject(text)
                emit, kind = ("=" if text == "eq" else "!="), "="
            elif prev in _OPERAND_END:
                raise _Reject(text)  # an operator word (div, mod, eq, instance of, to, ...)
            else:
                prefix = text.split(":", 1)[0] if ":" in text else None
                if prefix is not None and prefix not in prefixes:
                    raise _Reject(text)
        elif kind == "nswild":
            emit = f"*[local-name()='{text[2:]}']"
            kind = "name"
        elif kind == "var":
            if text[1:] not in variables and text[1:] != CURRENT:
                raise _Reject(text)
        elif kind in ("<", ">", "<=", ">=") and numeric_order:
            kind = "="
        elif kind in ("<", ">", "<=", ">=", "+", "-"):
            raise _Reject(text)
        elif kind in ("=", "!="):
            # against a number or a boolean, 3.1 casts the node's text and fails where 1.0
            # quietly compares NaN or a truth value
            after = toks[i + 1][1] if i + 1 < len(toks) else ""
            if prev == "num" or nxt == "num" or after in ("true", "false") \
                    or (i > 0 and toks[i - 1][1] == ")" and i > 2 and toks[i - 3][1] in ("true", "false")):
                raise _Reject(text)
        elif kind == "*" and prev in _OPERAND_END:
            raise _Reject("*")  # multiplication
        elif kind == "(":
            fn = toks[i - 1][1] if i > 0 and toks[i - 1][0] == "name" else None
            if stack:
                stack[-1][2][-1].append((kind, text))
            stack.append(["call" if fn else "group", fn, [[]]])
            out.append(emit)
            prev = kind
            i += 1
            continue
        elif kind == ")":
            if not stack:
                raise _Reject(expr)
            _, fn, args = stack.pop()
            closed = fn
            args = [a for a in args if a] if args != [[]] else []
            if fn in _STRING_FUNCS and not all(_safe_arg(a) for a in args):
                raise _Reject(expr)
            if fn in _NO_ARG_FUNCS and args:
                raise _Reject(expr)
        elif kind == ",":
            if not stack or stack[-1][0] != "call":
                raise _Reject(",")  # a sequence
            stack[-1][2].append([])
            out.append(emit)
            prev = kind
            i += 1
            continue
        if stack:
            stack[-1][2][-1].append((kind, text))
        out.append(emit)
        prev = kind
        i += 1
    if stack:
        raise _Reject(expr)
    return " ".join(out)


def _pattern_xpath(context: str, prefixes: set[str]) -> str:
    """An XSLT pattern as a query selecting every node it matches."""
    if "current" in context or "$" in context:
        raise _Reject(context)
    xp = translate(context, prefixes, set())
    alts, depth, start = [], 0, 0
    for j, ch in enumerate(xp):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            alts.append(xp[start:j].strip())
            start = j + 1
    alts.append(xp[start:].strip())
    out = []
    for a in alts:
        if not a or a == "/":
            raise _Reject(context)
        out.append(a if a.startswith("/") else "//" + a)
    return " | ".join(out)


# ------------------------------------------------------------------------------ the plan

@dataclass
class _Assertion:
    is_assert: bool
    test: etree.XPath
    message: list  # str | ("name",) | ("value", XPath) | nested list
    test_text: str
    role: str | None
    rule_id: str


@dataclass
class _Rule:
    context: etree.XPath
    lets: list[tuple[str, etree.XPath]]
    assertions: list[_Assertion]
    # the common contexts `p:name` and `p:*[@att]`, answered from one walk over the tree (one
    # XPath query per rule walks the whole tree each time, and most rules are of these forms)
    by_tag: str | None = None          # Clark name, for `p:name` and `p:name[@att]`
    by_namespace: str | None = None    # namespace URI, for `p:*[@att]`
    with_attribute: str | None = None  # the attribute (no namespace) that must be present

    def nodes(self, tree, index: "_Index", variables: dict) -> list:
        att = self.with_attribute
        if self.by_tag is not None:
            found = index.tags().get(self.by_tag, [])
            return [e for e in found if att in e.attrib] if att else found
        if self.by_namespace is not None:
            prefix = "{%s}" % self.by_namespace
            return [e for e in index.with_attributes() if att in e.attrib and e.tag.startswith(prefix)]
        return self.context(tree, **variables)


class _Index:
    """Elements by Clark name and the elements with attributes, in document order, made once
    per file when a rule first asks."""

    def __init__(self, root):
        self.root = root
        self._tags: dict | None = None
        self._attributed: list | None = None

    def _walk(self):
        tags: dict = {}
        attributed = []
        for e in self.root.iter():
            tag = e.tag
            if isinstance(tag, str):
                tags.setdefault(tag, []).append(e)
                if e.attrib:
                    attributed.append(e)
        self._tags, self._attributed = tags, attributed

    def tags(self) -> dict:
        if self._tags is None:
            self._walk()
        return self._tags

    def with_attributes(self) -> list:
        if self._attributed is None:
            self._walk()
        return self._attributed


@dataclass
class _Pattern:
    lets: list[tuple[str, etree.XPath]]
    rules: list[_Rule] = field(default_factory=list)
    # a pattern whose queries lxml cannot answer alike: only its rule contexts are kept, each
    # as a _Rule (exact) or a _Guard (element names); a file one of them may match needs Saxon
    saxon_only: bool = False
    guards: list = field(default_factory=list)

    def may_fire(self, tree, index: "_Index") -> bool:
        """Whether any rule of this (Saxon-only) pattern can match a node of the file."""
        for g in self.guards:
            if isinstance(g, _Rule):
                if g.nodes(tree, index, {}):
                    return True
            elif g.may_match(index):
                return True
        return False


@dataclass
class _Guard:
    """A rule context lxml cannot evaluate, reduced to the element names a match needs: per
    alternative, a list of name sets, each of which must meet the file's names (None: any
    node may match)."""
    alternatives: list | None

    def may_match(self, index: "_Index") -> bool:
        if self.alternatives is None:
            return True
        tags = index.tags()
        return any(all(any(t in tags for t in need) for need in alt) for alt in self.alternatives)


@dataclass
class Plan:
    path: Path
    lets: list[tuple[str, etree.XPath]]
    patterns: list[_Pattern]
    compiles: bool = False  # (partial plans) Saxon compiled the whole schema as it is now

    def check(self, src: SourceFile) -> list[Diagnostic]:
        """The diagnostics the Saxon path would give for this file (or Fallback)."""
        with _run_lock:  # compiled lxml XPath objects are not documented as thread-safe
            if not self.compiles and any(p.saxon_only for p in self.patterns):
                # a Saxon-only rule that does not compile is an error for every file: only a
                # schema Saxon has compiled may skip its rules
                from .schematron import compiled_before
                if not compiled_before(self.path):
                    raise Fallback("the whole schema has not been compiled by Saxon yet")
                self.compiles = True
            return self._check(src)

    def _check(self, src: SourceFile) -> list[Diagnostic]:
        tree = src.tree
        root = tree.getroot()
        out: list[Diagnostic] = []
        index = _Index(root)
        try:
            if any(p.saxon_only and p.may_fire(tree, index) for p in self.patterns):
                raise Fallback("a rule that lxml cannot answer alike applies to this file")
            variables: dict = {}
            for name, xp in self.lets:
                variables[name] = _variable(xp(tree, **variables))
            for pattern in self.patterns:
                pvars = dict(variables)
                for name, xp in pattern.lets:
                    pvars[name] = _variable(xp(tree, **pvars))
                fired: dict = {}
                if pattern.saxon_only:
                    continue  # (checked above: no rule of it matches in this file)
                for rule in pattern.rules:
                    for node in rule.nodes(tree, index, pvars):
                        if not isinstance(node, etree._Element) or not isinstance(node.tag, str):
                            raise Fallback("a rule context matched a node that is not an element")
                        fired.setdefault(node, rule)
                if not fired:
                    continue
                order = fired if len(pattern.rules) == 1 else \
                    sorted(fired, key={el: n for n, el in enumerate(root.iter())}.__getitem__)
                for node in order:
                    rule = fired[node]
                    rvars = dict(pvars)
                    rvars[CURRENT] = node
                    for name, xp in rule.lets:
                        rvars[name] = _variable(xp(node, **rvars))
                    for a in rule.assertions:
                        hit = bool(a.test(node, **rvars))
                        if hit == a.is_assert:  # an assert holds, a report is silent
                            continue
                        message = " ".join(_message(a.message, node, rvars).split())
                        if not message:
                            message = ("assertion failed: " if a.is_assert else "report: ") + a.test_text
                        line, col = src.position(node)
                        out.append(Diagnostic(src.display, line, col, severity_of_role(a.role), message,
                                              a.rule_id, ""))
        except Fallback:
            raise
        except Exception as e:  # noqa: BLE001 - whatever lxml could not answer, Saxon will
            raise Fallback(f"{type(e).__name__}: {e}") from None
        return out


_NAME = etree.XPath("name(.)")


def _variable(v):
    """A let's value as lxml takes it back: elements as they are; one attribute or text as its
    string (a query that then needs it as a node fails in lxml, which means Fallback)."""
    if isinstance(v, list) and v and not all(isinstance(x, etree._Element) for x in v):
        if len(v) == 1 and isinstance(v[0], str):
            return str(v[0])
        raise Fallback("a variable holding several attributes or text nodes")
    return v


def _message(parts: list, node, variables: dict) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p[0] == "name":
            out.append(_NAME(node))
        elif p[0] == "value":
            out.append(_string(p[1](node, **variables)))
        else:
            out.append(_message(p[1], node, variables))
    return "".join(out)


def _string(v) -> str:
    """A value as xsl:value-of writes it in XSLT 3.0 (items joined by a space)."""
    if isinstance(v, list):
        return " ".join(_string_value(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        raise Fallback("a number in a message")  # 1.0 and 3.1 format numbers differently
    return str(v)


def _string_value(x) -> str:
    if isinstance(x, etree._Element):
        return "".join(x.itertext()) if isinstance(x.tag, str) else (x.text or "")
    return str(x)


# ------------------------------------------------------------------------------ making plans

_SIMPLE_CONTEXT = re.compile(
    r"^\s*(?:(?P<prefix>[A-Za-z_][\w.-]*):)?(?P<local>[A-Za-z_][\w.-]*|\*)"
    r"(?:\[\s*@(?P<att>[A-Za-z_][\w.-]*)\s*\])?\s*$")
_ALLOWED = {"schema", "ns", "pattern", "rule", "assert", "report", "let", "name", "value-of",
            "emph", "dir", "span", "title", "p"}
_lock = threading.Lock()
_run_lock = threading.Lock()
_plans: dict[tuple[str, float], Plan | None] = {}


def plan(schema_path: str | Path) -> Plan | None:
    """The lxml plan of a Schematron schema (or the rules embedded in a RELAX NG), or None when
    the schema needs Saxon. Cached per process by path and modification time."""
    path = Path(schema_path).resolve()
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError:
        return None
    with _lock:
        if key in _plans:
            return _plans[key]
    try:
        made = _make(path)
    except (_Reject, etree.XPathSyntaxError, etree.XPathEvalError):
        made = None
    with _lock:
        _plans[key] = made
    return made


def _make(path: Path) -> Plan:
    src = parse_file(path)
    if not src.ok:
        raise _Reject("not well-formed")
    root = src.root
    sch_els = list(root.iter(f"{_S}*"))
    if root.tag == f"{_S}schema":
        if root.get("defaultPhase"):
            raise _Reject("phases")
        top = root
    elif root.tag.startswith("{%s}" % RNG):
        if next(root.iter(f"{{{RNG}}}include", f"{{{RNG}}}externalRef"), None) is not None:
            raise _Reject("an included RELAX NG may embed rules too")
        if any(e.tag == f"{_S}schema" for e in sch_els):
            raise _Reject("a whole schema embedded")
        top = None
    else:
        raise _Reject("not a schema")
    for e in sch_els:
        local = e.tag[len(_S):]
        if local not in _ALLOWED:
            raise _Reject(local)
        if any(a in e.attrib for a in ("abstract", "is-a", "subject", "diagnostics", "properties",
                                       "documents")):
            raise _Reject(local)
    # foreign top-level elements of a .sch (xsl:function, xsl:key) may be used by the queries
    if top is not None and any(isinstance(c.tag, str) and not c.tag.startswith(_S) for c in top):
        raise _Reject("foreign top-level elements")
    ns = {e.get("prefix"): e.get("uri") for e in sch_els if e.tag == f"{_S}ns"}
    if None in ns or any(v is None for v in ns.values()):
        raise _Reject("sch:ns")
    prefixes = set(ns) | {"xml"}
    patterns = [e for e in sch_els if e.tag == f"{_S}pattern"]
    for e in sch_els:  # every rule in a pattern, every assertion in a rule
        local = e.tag[len(_S):]
        parent = e.getparent()
        if local == "rule" and parent.tag != f"{_S}pattern":
            raise _Reject("rule outside a pattern")
        if local in ("assert", "report") and parent.tag != f"{_S}rule":
            raise _Reject("assertion outside a rule")
        if local == "let" and parent.tag not in (f"{_S}schema", f"{_S}pattern", f"{_S}rule"):
            raise _Reject("let")
        if local == "let" and parent.tag == f"{_S}schema" and parent is not top:
            raise _Reject("let")
        if local == "let" and (e.get("value") is None or e.get("name") == "edition-context"):
            raise _Reject("let")

    def compile_(expr: str, variables: set[str]) -> etree.XPath:
        return etree.XPath(translate(expr, prefixes, variables | {CURRENT}), namespaces=ns)

    known: set[str] = set()
    lets = []
    if top is not None:
        for e in top.findall(f"{_S}let"):
            lets.append((e.get("name"), compile_(e.get("value"), known)))
            known.add(e.get("name"))
    # rules lxml cannot answer are left to Saxon pattern by pattern, unless the schema reads
    # $edition-context (uses_edition_context() then needs the compiled schema anyway)
    partial = not any("$edition-context" in v for e in sch_els for v in e.attrib.values())
    out = []
    for pe in patterns:
        try:
            out.append(_make_pattern(pe, known, prefixes, ns, compile_))
        except (_Reject, etree.XPathError):
            if not partial:
                raise
            out.append(_saxon_only(pe, prefixes, ns))
    return Plan(path, lets, out)


def _make_pattern(pe, known: set[str], prefixes: set[str], ns: dict, compile_) -> _Pattern:
    """The lxml plan of one sch:pattern, or _Reject."""
    pvars = set(known)
    p = _Pattern([])
    for e in pe.findall(f"{_S}let"):
        p.lets.append((e.get("name"), compile_(e.get("value"), pvars)))
        pvars.add(e.get("name"))
    for re_ in pe.findall(f"{_S}rule"):
        if not re_.get("context"):
            raise _Reject("rule without context")
        rule = _rule_for_context(re_.get("context"), prefixes, ns)
        rvars = set(pvars)
        for c in re_:
            if not isinstance(c.tag, str):
                continue
            local = c.tag[len(_S):] if c.tag.startswith(_S) else None
            if local == "let":
                rule.lets.append((c.get("name"), compile_(c.get("value"), rvars)))
                rvars.add(c.get("name"))
            elif local in ("assert", "report"):
                if c.get("test") is None:
                    raise _Reject("no test")
                rule.assertions.append(_Assertion(
                    local == "assert", compile_(c.get("test"), rvars),
                    _message_parts(c, lambda x, v=rvars: compile_(x, v)), c.get("test"),
                    c.get("role") if c.get("role") is not None else re_.get("role"),
                    c.get("id") or re_.get("id") or pe.get("id") or "schematron"))
            elif local not in ("title", "p", None):
                raise _Reject(local)
        p.rules.append(rule)
    return p


def _rule_for_context(context: str, prefixes: set[str], ns: dict) -> _Rule:
    """A rule with only its context: the nodes it matches, by the index where the form allows."""
    rule = _Rule(etree.XPath(_pattern_xpath(context, prefixes), namespaces=ns), [], [])
    m = _SIMPLE_CONTEXT.match(context)
    if m and (m["prefix"] is None or m["prefix"] in ns):
        uri = ns.get(m["prefix"], "") if m["prefix"] else ""
        if m["local"] != "*":
            rule.by_tag = f"{{{uri}}}{m['local']}" if uri else m["local"]
            rule.with_attribute = m["att"]
        elif m["att"] and uri:
            rule.by_namespace, rule.with_attribute = uri, m["att"]
    return rule


def _saxon_only(pe, prefixes: set[str], ns: dict) -> _Pattern:
    """A pattern left to Saxon, with a guard per rule telling whether it may fire in a file."""
    p = _Pattern([], saxon_only=True)
    if pe.find(f"{_S}let") is not None:
        p.guards.append(_Guard(None))  # its lets run once per document: always Saxon's
        return p
    for re_ in pe.findall(f"{_S}rule"):
        context = re_.get("context") or ""
        try:
            p.guards.append(_rule_for_context(context, prefixes, ns))
        except (_Reject, etree.XPathError):
            p.guards.append(_Guard(_context_names(context, ns)))
    return p


def _context_names(context: str, ns: dict) -> list | None:
    """What a match of an XSLT pattern needs (see _Guard): for each alternative, the names of
    its steps, since a matched element has the last one and its ancestors the others
    (predicates only narrow a step). None when an alternative may match another kind of node,
    or an element of any name."""
    try:
        toks = _tokens(context)
    except _Reject:
        return None
    out = []
    for alt in _split_top(toks, ("|",)):
        steps = [_strip_predicates(st) for st in _split_top(alt, ("/", "//"))]
        needs = [_step_names(st, ns) for st in steps if st]
        if not needs or needs[-1] is None or not steps[-1]:
            return None
        out.append([n for n in needs if n is not None])
    return out


def _split_top(toks: list, seps: tuple) -> list[list]:
    """Token lists between separators outside brackets and parentheses."""
    parts, depth, cur = [], 0, []
    for t in toks:
        if t[0] in ("[", "("):
            depth += 1
        elif t[0] in ("]", ")"):
            depth -= 1
        if t[0] in seps and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


def _strip_predicates(toks: list) -> list:
    """A step without its predicates ([...] at its end); [] when they do not balance."""
    while toks and toks[-1][0] == "]":
        depth = 0
        for j in range(len(toks) - 1, -1, -1):
            depth += {"]": 1, "[": -1}.get(toks[j][0], 0)
            if depth == 0:
                toks = toks[:j]
                break
        else:
            return []
    return toks


def _step_names(toks: list, ns: dict) -> frozenset | None:
    """The Clark names one step can match: a prefixed name, or a group of alternatives each
    ending in one; None for anything else."""
    if len(toks) >= 2 and toks[0][0] == "(" and toks[-1][0] == ")":
        names: set[str] = set()
        for alt in _split_top(toks[1:-1], ("|",)):
            last = _strip_predicates(_split_top(alt, ("/", "//"))[-1])
            found = _step_names(last, ns) if last else None
            if found is None:
                return None
            names |= found
        return frozenset(names)
    if len(toks) != 1 or toks[0][0] != "name":
        return None
    prefix, _, local = toks[0][1].rpartition(":")
    if not prefix or prefix not in ns or local == "*":
        return None
    return frozenset({f"{{{ns[prefix]}}}{local}"})

def _message_parts(el, compile_) -> list:
    parts: list = [el.text] if el.text else []
    for c in el:
        if isinstance(c.tag, str):
            local = c.tag[len(_S):] if c.tag.startswith(_S) else None
            if local == "name":
                if c.get("path"):
                    raise _Reject("name/@path")
                parts.append(("name",))
            elif local == "value-of":
                parts.append(("value", compile_(c.get("select") or "")))
            else:  # emph, dir, span and foreign markup: their content
                parts.append(("inline", _message_parts(c, compile_)))
        if c.tail:
            parts.append(c.tail)
    return parts
