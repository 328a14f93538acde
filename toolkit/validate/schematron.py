"""Schematron: compile ISO Schematron (or rules embedded in RELAX NG) once, report SVRL as Diagnostics.

    compiled = compile_schematron("schema/edition.sch")         # once per process (cached)
    diags = check(source_file, "schema/edition.sch", context_node=ctx)

The schema is parsed with the safe parser and compiled to XSLT 3.0 by
xslt/schematron/compile.xsl; the generated stylesheet is compiled by Saxon once and reused for
every file. Saxon reads no file (toolkit/saxon.py): the files the schema includes are read here,
from the edition's folder and xslt/ only, and handed over (see "what a schema reads"). Each validated file is handed to Saxon as the lxml tree already parsed (never by
path), with its file URI as base URI, and the edition context document in the parameter
$edition-context. The SVRL is read back with lxml: each svrl:failed-assert and
svrl:successful-report becomes a Diagnostic, its @location (an EQName path such as
/Q{ns}TEI[1]/Q{ns}text[1]/@Q{}ref) evaluated on the lxml tree for the line and column.

A schema that is not well-formed, does not compile, or fails while running gives Diagnostics
naming the schema file (and, where the compiler can tell, the line of the offending rule) instead
of an exception.
"""
from __future__ import annotations

import copy
import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

if os.name == "nt":
    from nturl2path import url2pathname
else:  # what urllib.request does on POSIX, without importing it (with http.client: 20 ms)
    url2pathname = unquote

from .. import saxon
from ..cache import cache_dir, read_json, write_json
from ..diagnostics import ERROR, Diagnostic, display_path, severity_of_role
from ..xmlsafe import SourceFile, parse_file

COMPILER = saxon.XSLT_DIR / "schematron" / "compile.xsl"
RUNTIME = saxon.XSLT_DIR / "schematron" / "runtime.xsl"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
ASCC_NS = "http://www.ascc.net/xml/schematron"  # Schematron 1.5: read as ISO Schematron
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
SCHX_NS = "urn:x-toolkit:schematron"
CONTEXT_PARAM = "edition-context"


class SchematronError(Exception):
    """The schema cannot be used; `diagnostics` say where and why (they name the schema file)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(f"{d.path}:{d.line}:{d.column}: {d.message}" for d in diagnostics))


@dataclass
class CompiledSchematron:
    """A schema compiled for one phase: the generated XSLT and its Saxon executable."""

    path: Path
    phase: str
    xslt: str
    executable: object = field(repr=False)
    uses_context: bool = False
    dependencies: tuple[tuple[Path, float], ...] = ()

    def fresh(self) -> bool:
        try:
            return all(p.stat().st_mtime == m for p, m in self.dependencies)
        except OSError:
            return False


_lock = threading.Lock()
_cache: dict[tuple[str, str], CompiledSchematron | SchematronError] = {}


# ------------------------------------------------------------------------------ running XSLT

def _run(executable, node, params: dict) -> str:
    """Run a compiled stylesheet on an XdmNode with parameters.

    (saxon.transform takes the module lock and then converts parameter values, which asks for
    the processor under the same lock; with parameters it would wait forever. The values are
    converted first here, and only the run itself holds the lock.)
    """
    values = {k: saxon._value(v) for k, v in params.items() if v is not None}
    with saxon._lock:
        executable.clear_parameters()
        for k, v in values.items():
            executable.set_parameter(k, v)
        return saxon.run(executable, xdm_node=node)


# ------------------------------------------------------------------------------ locations

_STEP = re.compile(r"""/(?:
      Q\{(?P<ns>[^}]*)\}(?P<local>[^\[/]+)\[(?P<n>\d+)\]   # element
    | @[^/]+                                               # attribute
    | (?:text|comment|node)\(\)\[\d+\]                     # text, comment
    | processing-instruction\([^)]*\)\[\d+\]
    | namespace::[^/]*
    )""", re.X)


def locate(tree: etree._ElementTree | etree._Element, location: str):
    """The element an SVRL @location designates (an attribute's or text's parent element).

    Reads the EQName paths compile.xsl writes; any other XPath is tried with lxml. Returns the
    deepest element reached, or None when not even the root matches. (For many locations in
    one tree, use a Locator.)
    """
    return Locator(tree)(location)


class Locator:
    """locate() for the many locations of one report: each parent's children are grouped by
    name once, so that a step costs the same for the 50,000th entry of a list as for the first
    (grouping them again for every location made a long authority file quadratic)."""

    def __init__(self, tree: etree._ElementTree | etree._Element):
        self.root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        self._groups: dict = {}

    def _named(self, parent, tag: str) -> list:
        groups = self._groups.get(parent)
        if groups is None:
            groups = {}
            for child in parent:
                if isinstance(child.tag, str):
                    groups.setdefault(child.tag, []).append(child)
            self._groups[parent] = groups
        return groups.get(tag, [])

    def __call__(self, location: str):
        root = self.root
        location = (location or "").strip()
        if location in ("", "/"):
            return root
        pos, node, found = 0, None, None
        for m in _STEP.finditer(location):
            if m.start() != pos:
                break
            pos = m.end()
            if m.group("local") is None:  # attribute, text, ...: stop at the element
                return found
            tag = f"{{{m.group('ns')}}}{m.group('local')}" if m.group("ns") else m.group("local")
            n = int(m.group("n"))
            if node is None:
                candidates = [root] if root.tag == tag else []
            else:
                candidates = self._named(node, tag)
            if len(candidates) < n:
                return found
            node = found = candidates[n - 1]
        if pos == len(location):
            return found
        try:  # an XPath in another notation
            result = root.xpath(location)
        except etree.XPathError:
            return found
        for r in result if isinstance(result, list) else []:
            if isinstance(r, etree._Element):
                return r
            if hasattr(r, "getparent") and r.getparent() is not None:
                return r.getparent()
        return found


# ------------------------------------------------------------------------------ compiling

def _origin(origin: str):
    """(parsed schema file, element) of a schema element named "file-URI#location", or None."""
    uri, _, loc = origin.partition("#")
    parts = urlsplit(uri)
    if parts.scheme not in ("file", ""):
        return None
    path = Path(url2pathname(parts.path))
    return _origin_in(path, _stat(path), loc)


@lru_cache(maxsize=256)
def _origin_in(path: Path, mtime: float | None, loc: str):
    src = parse_file(path, display=display_path(path))
    if not src.ok:
        return None
    return src, locate(src.tree, loc)


def _origin_position(origin: str) -> tuple[str, int, int] | None:
    """(display path, line, column) of a schema element named "file-URI#location"."""
    found = _origin(origin)
    if found is None:
        return None
    src, node = found
    line, col = src.position(node)
    return src.display, line, col


# The attribute of the generated XSLT that holds each Schematron query.
_QUERY_ATTRIBUTES = {"xsl:if/@test": "test", "xsl:template/@match": "context",
                     "xsl:param/@select": "value", "xsl:variable/@select": "value",
                     "xsl:attribute/@select": "subject"}


def _compile_error_message(origin: str, saxon_message: str) -> str:
    """'assert/@test "@kind = " does not compile: XPST0003 …' from Saxon's text."""
    detail = _clean_saxon_message(saxon_message)
    m = re.search(r"(?:in \{.*?\} )?(?:at char \d+ )?in (xsl:[\w-]+/@[\w-]+)\s*", detail)
    found = _origin(origin)
    if not m or found is None or found[1] is None:
        return f"rule does not compile: {detail}"
    element = found[1]
    name = etree.QName(element).localname
    attr = _QUERY_ATTRIBUTES.get(m.group(1))
    if m.group(1) == "xsl:value-of/@select":
        attr = "path" if name == "name" else "select"
    rest = (detail[:m.start()] + detail[m.end():]).strip()
    if attr is None or element.get(attr) is None:
        return f"{name} does not compile: {rest}"
    return f'{name}/@{attr} "{element.get(attr)}" does not compile: {rest}'


def _clean_saxon_message(msg: str) -> str:
    """Saxon's text without its file/line boilerplate about the generated stylesheet."""
    lines = [ln.strip() for ln in msg.strip().splitlines() if ln.strip()]
    keep = []
    for ln in lines:
        if ln.startswith(("In template rule", "In function", "at template", "at xsl:", "In named template")):
            continue
        ln = re.sub(r"\s*(?:on line \d+ column \d+ |on line \d+ |at line \d+ )?(?:of|in) file:\S*:?", "", ln)
        ln = re.sub(r"^Error\s*:?\s*$", "", ln)
        if ln:
            keep.append(ln)
    text = " ".join(keep)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^Error\s+", "", text)
    return text or msg.strip()


def _schema_error(path: Path, display: str, message: str, rule: str) -> SchematronError:
    """A Diagnostic for a schema problem, positioned at the Schematron element when known."""
    pos = None
    m = re.search(r"\[at (\S+#/\S*)\]", message)
    if m:
        pos = _origin_position(m.group(1))
        message = (message[:m.start()] + message[m.end():]).strip()
    where = pos or (display, 1, 1)
    hint = ""
    prefix = re.search(r"XPST0081 Namespace prefix '([^']+)'", message)
    if prefix:
        hint = f'declare it in the schema: <sch:ns prefix="{prefix.group(1)}" uri="…"/>'
    return SchematronError([Diagnostic(where[0], where[1], where[2], ERROR, message, rule, hint)])


def _origin_for_line(xslt: str, line: int) -> str | None:
    """The schx:origin of the generated element whose start tag ends on a line of the XSLT.

    Saxon reports the line where an element's start tag ends; the tag may span several lines
    (long attributes are wrapped), so look back to where it starts, and no further.
    """
    lines = xslt.splitlines()
    for ln in reversed(lines[:max(line, 1)]):
        m = re.search(r'schx:origin="([^"]+)"', ln)
        if m:
            return m.group(1).replace("&amp;", "&").replace("&quot;", '"').replace("&lt;", "<")
        if re.search(r"<[A-Za-z]", ln):
            return None
    return None


def _ascc_to_iso(tree: etree._ElementTree) -> etree._ElementTree:
    """A copy of a Schematron 1.5 schema with its elements in the ISO namespace."""
    root = copy.deepcopy(tree.getroot())
    for e in root.iter():
        if isinstance(e.tag, str) and e.tag.startswith(f"{{{ASCC_NS}}}"):
            e.tag = f"{{{SCH_NS}}}{etree.QName(e).localname}"
    etree.cleanup_namespaces(root)
    return etree.ElementTree(root)


def generate_xslt(schema_path: str | Path, phase: str | None = None) -> str:
    """The XSLT 3.0 that compile.xsl generates for a .sch (or a RELAX NG with embedded rules)."""
    return _run_compiler(schema_path, {"phase": phase or ""})


def extract_schematron(schema_path: str | Path) -> str:
    """The rules embedded in a RELAX NG (or any host) schema as one ISO Schematron schema;
    for a .sch, the schema with its includes resolved."""
    return _run_compiler(schema_path, {"output": "schematron"})


def _run_compiler(schema_path: str | Path, params: dict) -> str:
    path = Path(schema_path).resolve()
    display = display_path(path)
    tree = _load_schema(path, display)
    root = tree.getroot()
    if root.tag != f"{{{SCH_NS}}}schema" and root.find(f".//{{{SCH_NS}}}pattern") is None \
            and root.find(f".//{{{SCH_NS}}}rule") is None:
        raise SchematronError([Diagnostic(display, 1, 1, ERROR,
                                          "no Schematron rules found: expected a sch:schema root "
                                          f"({SCH_NS}) or embedded sch:pattern elements",
                                          "schematron.schema")])
    documents, modules = _resolve_references(path, tree, allowed_folders(path))
    try:
        compiler = saxon.compile_stylesheet(COMPILER)
        values = {**params, "runtime": _runtime_xdm(),
                  "module-files": " ".join(m.as_uri() for m in modules)}
        if documents:
            values["documents"] = _sequence([saxon.to_xdm(t, p.as_uri()) for p, t in documents])
        node = saxon.to_xdm(tree, base_uri=path.as_uri())
    except saxon.XsltError as e:
        raise SchematronError([Diagnostic(display_path(COMPILER), 1, 1, ERROR, str(e),
                                          "schematron.compiler")]) from None
    try:
        return _run(compiler, node, values)
    except saxon.XsltError as e:
        raise _schema_error(path, display, _clean_saxon_message(str(e)),
                            "schematron.schema") from None


# ------------------------------------------------------------------------------ what a schema reads
# compile.xsl reads no file (Saxon refuses them all): the files a schema names — sch:include,
# sch:extends/@href, xsl:include, xsl:import — are read here, with the safe parser, and only
# inside the folders allowed_folders() gives. compile.xsl gets them as documents (sch:) or as
# data: URIs (xsl:); a reference that may not be read is marked, and compile.xsl reports it
# with the position of the referring element when (and only when) the schema uses it.

C_NS = "urn:x-toolkit:schematron:compiler"
_DOCUMENT = f"{{{C_NS}}}document"
_REFUSED = f"{{{C_NS}}}refused"


def allowed_folders(schema: Path) -> tuple[Path, Path]:
    """Where a schema's includes may come from: the edition's folder (the nearest folder above
    the schema holding edition.toml; for a schema in no edition, its own folder) and the
    toolkit's xslt/."""
    folder = next((d for d in schema.parents if (d / "edition.toml").is_file()), schema.parent)
    return folder, saxon.XSLT_DIR


def _load_schema(path: Path, display: str) -> etree._ElementTree:
    src = parse_file(path, display=display)
    if not src.ok:
        raise SchematronError(src.diagnostics)
    tree = src.tree
    if any(isinstance(e.tag, str) and e.tag.startswith(f"{{{ASCC_NS}}}") for e in tree.iter()):
        tree = _ascc_to_iso(tree)
    return tree


def _resolve_references(path: Path, tree: etree._ElementTree, folders) -> tuple[list, list[Path]]:
    """Mark the references of a schema and of every file it includes (see above); returns the
    included files' (path, tree), in the order @c:document counts them, and the XSLT modules
    read."""
    documents: list[tuple[Path, etree._ElementTree]] = []
    numbers: dict[Path, int] = {}
    modules: list[Path] = []
    todo = [(path, tree)]
    while todo:
        here, t = todo.pop()
        base = here.as_uri()
        for el in t.iter(f"{{{SCH_NS}}}include", f"{{{SCH_NS}}}extends"):
            file_part = (el.get("href") or "").split("#", 1)[0]
            if not file_part.strip():
                continue  # "#id" (or no href): this schema
            try:
                target = saxon.resolve_module(file_part, base, folders)
            except saxon.RefusedError as e:
                el.set(_REFUSED, e.reason)
                continue
            key = Path(os.path.normpath(target))
            if key not in numbers:
                src = parse_file(key, display=display_path(key))
                if not src.ok:
                    why = src.diagnostics[0].message if src.diagnostics else "not well-formed XML"
                    el.set(_REFUSED, f"cannot read {key.as_uri()} ({why})")
                    continue
                sub = src.tree
                if any(isinstance(e.tag, str) and e.tag.startswith(f"{{{ASCC_NS}}}") for e in sub.iter()):
                    sub = _ascc_to_iso(sub)
                documents.append((key, sub))
                numbers[key] = len(documents)
                todo.append((key, sub))
            el.set(_DOCUMENT, str(numbers[key]))
        for el in t.iter(f"{{{saxon.XSL_NS}}}include", f"{{{saxon.XSL_NS}}}import"):
            if any(isinstance(a.tag, str) and a.tag.startswith(f"{{{saxon.XSL_NS}}}")
                   for a in el.iterancestors()):
                continue
            try:
                target = saxon.resolve_module(el.get("href") or "", base, folders)
                el.set("href", saxon.module_data_uri(target, folders, modules))
            except saxon.RefusedError as e:  # (e.path: a module that the included one names)
                inner = f" (in {e.path.name}, line {e.line})" if e.path not in (None, here) else ""
                el.set(_REFUSED, e.reason + inner)
    return documents, list(dict.fromkeys(modules))


_runtime_lock = threading.Lock()
_runtime: list = []


def _runtime_xdm():
    """runtime.xsl as an XdmNode (read once per process)."""
    with _runtime_lock:
        if not _runtime:
            src = parse_file(RUNTIME)
            _runtime.append(saxon.to_xdm(src.tree, base_uri=RUNTIME.as_uri()))
        return _runtime[0]


def _sequence(items: list):
    value = saxon.processor().empty_sequence()
    for item in items:
        value.add_xdm_item(item)
    return value


def compile_schematron(schema_path: str | Path, phase: str | None = None) -> CompiledSchematron:
    """Compile a Schematron schema for a phase (None: the default phase), cached per process.

    The cache is keyed by path and phase and checked against the modification times of the
    schema and every file it includes. Raises SchematronError (with Diagnostics) when the schema
    cannot be used; the failure is cached too, until the file changes.
    """
    path = Path(schema_path).resolve()
    key = (str(path), phase or "")
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        if isinstance(hit, SchematronError):
            if _stat(path) == getattr(hit, "mtime", None):
                raise hit
        elif hit.fresh():
            return hit
    mtime = _stat(path)
    if mtime is None:
        raise SchematronError([Diagnostic(display_path(path), 1, 1, ERROR,
                                          "Schematron file not found", "schematron.missing")])
    try:
        compiled = _compile(path, phase)
    except SchematronError as e:
        e.mtime = mtime
        with _lock:
            _cache[key] = e
        raise
    with _lock:
        _cache[key] = compiled
    return compiled


def uses_edition_context(schema_path: str | Path, phase: str | None = None) -> bool:
    """Whether the compiled schema reads $edition-context, so that a caller need not build a
    context for it. False when the schema cannot be compiled (check() reports why, and reads
    no context)."""
    if phase is None:
        from . import schematron_lite
        if schematron_lite.plan(schema_path) is not None:
            return False  # such a plan never reads a variable it does not define
    try:
        return compile_schematron(schema_path, phase).uses_context
    except SchematronError:
        return False


def _stat(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


# The generated XSLT of each schema is also kept on disk, so that a new process (every run of
# the command line, each process of a split job) need not compile and run compile.xsl again.
# An entry names the compiler it came from and every schema file read, each by a hash of its
# content; it is used only while all of them are unchanged. Any problem: no cache, same result.

def _cache_dir() -> Path:
    return cache_dir("schematron")


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _xslt_cache_file(path: Path, phase: str | None) -> Path:
    key = hashlib.sha1("\0".join([_digest(COMPILER), _digest(RUNTIME), str(path), phase or "",
                                   *map(str, allowed_folders(path))]).encode("utf-8")).hexdigest()
    return _cache_dir() / f"{key}.json"


def _dependency_paths(xslt_head: etree._Element) -> list[Path]:
    out = []
    for uri in (xslt_head.get(f"{{{SCHX_NS}}}dependencies") or "").split():
        p = urlsplit(uri)
        if p.scheme == "file":
            out.append(Path(url2pathname(p.path)))
    return out


def _cached_xslt(path: Path, phase: str | None) -> str | None:
    try:
        entry = read_json(_xslt_cache_file(path, phase))
        if all(_digest(Path(p)) == h for p, h in entry["dependencies"]):
            return entry["xslt"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def compiled_before(path: Path) -> bool:
    """Whether the disk cache holds this schema's XSLT (default phase) for its files as they
    are now: it is stored only once Saxon has compiled it."""
    return _cached_xslt(Path(path).resolve(), None) is not None


def _store_xslt(path: Path, phase: str | None, xslt: str, head: etree._Element) -> None:
    try:
        deps = list(dict.fromkeys([path, *_dependency_paths(head)]))
        write_json(_xslt_cache_file(path, phase),
                   {"dependencies": [[str(p), _digest(p)] for p in deps], "xslt": xslt})
    except OSError:
        pass


def _compile(path: Path, phase: str | None) -> CompiledSchematron:
    display = display_path(path)
    mtime = _stat(path)
    xslt = _cached_xslt(path, phase)
    generated = xslt is None
    if generated:
        xslt = generate_xslt(path, phase)
    head = etree.fromstring(xslt.encode("utf-8"), etree.XMLParser(resolve_entities=False,
                                                                  no_network=True))
    deps: list[tuple[Path, float]] = [(path, mtime)]
    for uri in (head.get(f"{{{SCHX_NS}}}dependencies") or "").split():
        p = urlsplit(uri)
        if p.scheme == "file":
            dep = Path(url2pathname(p.path))
            m = _stat(dep)
            if m is not None and dep.resolve() != path:
                deps.append((dep, m))
    digest = hashlib.sha1(xslt.encode("utf-8")).hexdigest()
    try:
        exe = saxon.compile_stylesheet_text(xslt, cache_key=f"schematron:{path.name}:{digest}")
    except saxon.XsltError as e:
        msg = str(e)
        m = re.search(r"line (\d+)(?: column (\d+))?", msg)
        origin = _origin_for_line(xslt, int(m.group(1))) if m else None
        raw = msg.split("does not compile:", 1)[-1]
        detail = _clean_saxon_message(raw)
        if origin:
            raise _schema_error(path, display, f"{_compile_error_message(origin, raw)} [at {origin}]",
                                "schematron.compile") from None
        raise SchematronError([Diagnostic(display, 1, 1, ERROR, f"{display}: the generated "
                                          f"XSLT does not compile: {detail}",
                                          "schematron.compile")]) from None
    if generated:
        _store_xslt(path, phase, xslt, head)
    return CompiledSchematron(path=path, phase=head.get(f"{{{SCHX_NS}}}phase") or "#ALL",
                              xslt=xslt, executable=exe,
                              uses_context=head.get(f"{{{SCHX_NS}}}uses-edition-context") == "true",
                              dependencies=tuple(deps))


# ------------------------------------------------------------------------------ the context

def file_uri(path: str | Path) -> str:
    """The URI under which a file is handed to Saxon and named in the context document.

    Absolute and normalised but with symlinks kept, as toolkit.model.canon() does: the rules
    compare these strings, so both sides must spell a file the same way.
    """
    return Path(os.path.normpath(os.path.abspath(path))).as_uri()


_ctx_lock = threading.Lock()
_last_context: tuple[object, object] | None = None
_folder_cache: dict[str, tuple[tuple, object]] = {}


def _context_xdm(context_node):
    """An XdmNode for the context (lxml tree or element, XML text, or already an XdmNode)."""
    global _last_context
    if context_node is None:
        return None
    if not isinstance(context_node, (etree._ElementTree, etree._Element, str)):
        return context_node  # an XdmNode already
    with _ctx_lock:
        if _last_context is not None and _last_context[0] is context_node:
            return _last_context[1]
    xdm = saxon.to_xdm(context_node)
    with _ctx_lock:
        _last_context = (context_node, xdm)
    return xdm


def folder_context(folder: str | Path) -> etree._ElementTree:
    """The edition context document for the *.xml files of one folder (toolkit.context.folder):
    what check() uses when it is given no context. The toolkit proper passes the context made
    from its model (toolkit.context.for_file, full)."""
    from ..context import folder as context_of_folder
    return context_of_folder(folder)


def _folder_context_xdm(folder: Path):
    state = tuple((p.name, p.stat().st_mtime, p.stat().st_size) for p in sorted(folder.glob("*.xml")))
    key = str(folder)
    with _ctx_lock:
        hit = _folder_cache.get(key)
    if hit and hit[0] == state:
        return hit[1]
    xdm = saxon.to_xdm(folder_context(folder))
    with _ctx_lock:
        _folder_cache[key] = (state, xdm)
    return xdm


# ------------------------------------------------------------------------------ checking

def run_svrl(source_file: SourceFile, compiled: CompiledSchematron, context_node=None) -> str:
    """The SVRL report of one file (context_node: lxml tree/element, XML text or XdmNode)."""
    node = saxon.source_to_xdm(source_file, base_uri=file_uri(source_file.path))
    return _run(compiled.executable, node, {CONTEXT_PARAM: _context_xdm(context_node)})


_REFUSED_ACCESS = re.compile(r"Access to URI (\S+) has been prohibited|URI scheme '([^']*)' has been disallowed")


def refusal(saxon_message: str) -> str | None:
    """'tried to read …, which was refused: …' when Saxon refused a file or URL, else None."""
    m = _REFUSED_ACCESS.search(saxon_message)
    if m is None:
        return None
    what = m.group(1) or f"a {m.group(2)}: URI"
    return (f"tried to read {what}, which was refused: Schematron rules run by the toolkit may not "
            "read files or URLs (the edition's files come to them in $edition-context)")


def svrl_diagnostics(svrl: str | bytes, source_file: SourceFile) -> list[Diagnostic]:
    """Diagnostics for the failed asserts and successful reports of an SVRL report."""
    data = svrl.encode("utf-8") if isinstance(svrl, str) else svrl
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                                  huge_tree=True))
    out = []
    locate_in_source = Locator(source_file.tree)
    for el in root.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report",
                        f"{{{SCHX_NS}}}error"):
        node = locate_in_source(el.get("location") or "/")
        line, col = source_file.position(node if node is not None else source_file.root)
        if el.tag == f"{{{SCHX_NS}}}error":  # a query failed (caught by the generated xsl:try)
            pos = _origin_position(el.get("origin") or "")
            where = f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else "the schema"
            detail = " ".join("".join(el.itertext()).split())
            refused = refusal(detail)
            if refused is not None:
                out.append(Diagnostic(source_file.display, line, col, ERROR,
                                      f"the Schematron rule at {where} {refused}", "schematron.refused"))
                continue
            out.append(Diagnostic(source_file.display, line, col, ERROR,
                                  f"the Schematron rule at {where} failed on this element: "
                                  f"{el.get('code') or 'error'} {detail}".strip(),
                                  "schematron.runtime"))
            continue
        text_el = el.find(f"{{{SVRL_NS}}}text")
        message = " ".join("".join(text_el.itertext()).split()) if text_el is not None else ""
        if not message:
            message = ("assertion failed: " if el.tag.endswith("failed-assert") else "report: ") \
                + (el.get("test") or "")
        hints = []
        for ref in el.iter(f"{{{SVRL_NS}}}diagnostic-reference"):
            h = " ".join("".join(ref.itertext()).split())
            if h:
                hints.append(h)
        rule = el.get("id") or el.get(f"{{{SCHX_NS}}}rule") or el.get(f"{{{SCHX_NS}}}pattern") \
            or "schematron"
        out.append(Diagnostic(source_file.display, line, col, severity_of_role(el.get("role")), message,
                              rule, " ".join(hints)))
    return out


def check(source_file: SourceFile, schematron_path: str | Path, context_node=None,
          phase: str | None = None) -> list[Diagnostic]:
    """Validate one parsed file against a Schematron schema (or a RELAX NG with embedded rules).

    context_node: the edition context document (lxml tree or element, XML text, or an XdmNode
    already converted, which is fastest when checking many files). When None and the schema
    reads $edition-context, a context is built from the *.xml files in the file's folder.
    Problems with the schema itself come back as Diagnostics naming the schema.
    """
    if not source_file.ok:
        return []
    if phase is None:
        # rules in the XPath both engines read alike run on lxml's tree: no second parse
        from . import schematron_lite
        lite = schematron_lite.plan(schematron_path)
        if lite is not None:
            try:
                return lite.check(source_file)
            except schematron_lite.Fallback:
                pass
    try:
        compiled = compile_schematron(schematron_path, phase)
    except SchematronError as e:
        return list(e.diagnostics)
    if context_node is None and compiled.uses_context:
        context_node = _folder_context_xdm(Path(os.path.normpath(os.path.abspath(source_file.path))).parent)
    try:
        svrl = run_svrl(source_file, compiled, context_node)
    except saxon.XsltError as e:
        refused = refusal(str(e))
        if refused is not None:
            return [Diagnostic(source_file.display, 1, 1, ERROR, f"the Schematron rules of "
                               f"{display_path(compiled.path)} {refused}", "schematron.refused")]
        return [Diagnostic(source_file.display, 1, 1, ERROR,
                           f"the Schematron rules of {display_path(compiled.path)} failed on this "
                           f"file: {_clean_saxon_message(str(e))}", "schematron.runtime")]
    return svrl_diagnostics(svrl, source_file)
