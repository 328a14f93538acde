"""Saxon (saxonche): one confined processor per process, each stylesheet compiled once and reused.

What XSLT and XPath run by the toolkit may reach is decided by the processor, not by reading the
stylesheets (docs/validation.md, "What XSLT may read"):

- No file and no network. Feature allowedProtocols is set to "data" (Saxon only ever narrows
  it) before any document, parameter or stylesheet other than the toolkit's own reaches the
  processor, so doc(), document(), unparsed-text(), unparsed-text-lines(), json-doc(),
  collection(), xsl:source-document, fn:transform and xsl:include/xsl:import of a file or URL
  are refused by Saxon itself. Until then, and only to compile the toolkit's own stylesheets
  from xslt/, it reads files: the first such compile compiles the whole family the command
  uses (html/: document.xsl and site.xsl; pdf/: document.xsl and volume.xsl) and then closes
  the door. A stylesheet compiled later, and a schema's modules, are read here, by Python,
  confined to the folders the caller names (xslt/; for a Schematron schema also the edition's
  folder), and handed to Saxon as data: URIs, which hold their content and reach nothing.
- No environment variables, twice over: Saxon copies the process environment when the first
  processor of the process is made, so it is made while os.environ is empty (checked, when
  another processor may have come first); and feature allow-external-functions, false, hides
  the environment from XPath too.
- No Java system properties and no xsl:result-document: allow-external-functions is false,
  except while one of the toolkit's own stylesheets compiles (site.xsl writes its pages with
  xsl:result-document), which holds the lock that every run of a stylesheet the toolkit did not
  write holds too. Such a stylesheet (generated from a Schematron schema) also has its result
  documents captured in memory, never written.
- An edition's customisation layer (set_layer; docs/customizing.md) is compiled only after
  file access is off, from data: URIs (its modules read by Python, confined to the edition's
  folder). Since the entries compile with extensions on, anything of the layer's that runs
  while it compiles (static variables and parameters, use-when, shadow attributes) or writes
  files (xsl:result-document), and Saxon's extensions, are refused before Saxon sees it.
- The XML parser's limits (element depth, attributes per element, name length) are raised to
  lxml's, since Saxon only parses text that the safe parser has already accepted.
"""
from __future__ import annotations

import base64
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from lxml import etree

from .xmlsafe import serialize_for_saxon

_lock = threading.RLock()  # re-entrant: transform() holds it while _value() asks for the processor
_processor = None
_closed = False  # file and URL access switched off (see processor())
_compiled: dict[tuple[str, float], object] = {}

# The source checkout's xslt/ (editable installs, development); a wheel ships it as toolkit/xslt.
XSLT_DIR = next((d for d in (Path(__file__).resolve().parent.parent / "xslt",
                             Path(__file__).resolve().parent / "xslt") if d.is_dir()),
                Path(__file__).resolve().parent.parent / "xslt")

XSL_NS = "http://www.w3.org/1999/XSL/Transform"
# libxml2's nesting limit without XML_PARSE_HUGE, which toolkit.xmlsafe keeps: Saxon parses only
# what lxml accepted, so it must accept as much (the JDK's own default is 100)
MAX_DEPTH = 256
_FEATURE = "http://saxon.sf.net/feature/"
_JAXP = "http://www.oracle.com/xml/jaxp/properties/"
# The entity limits count the predefined entities (&amp; &lt; …) too: a document or a block of
# site pages with more than 100,000 of them failed with JAXP00010003. Saxon only ever parses
# text lxml serialised, without a DOCTYPE, so there is no entity to expand: lifting them is safe.
_PARSER_LIMITS = {"maxElementDepth": MAX_DEPTH, "elementAttributeLimit": 0, "maxXMLNameLimit": 50000,
                  "maxGeneralEntitySizeLimit": 0, "totalEntitySizeLimit": 0}


class XsltError(Exception):
    """A stylesheet failed to compile or to run; message says which and why."""


class RefusedError(XsltError):
    """A file that XSLT may not have: outside the allowed folders, not a file, missing or not
    well-formed. `reason` says why; `path` and `line`: the module whose include named it."""

    def __init__(self, reason: str, path: Path | None = None, line: int = 1, uri: str = "",
                 href: str | None = None):
        super().__init__((f'href="{href}": ' if href is not None else "") + reason)
        self.reason, self.path, self.line, self.uri = reason, path, line, uri


def processor():
    """The process-wide PySaxonProcessor, created on first use (start-up stays fast), with file
    and URL access off."""
    with _lock:
        proc = _raw_processor()
        _close()
        return proc


def processor_started() -> bool:
    """Whether this process has started Saxon (a forked child could not use it: build in
    worker processes forks only before)."""
    return _processor is not None


def _raw_processor():
    global _processor
    with _lock:
        if _processor is None:
            _processor = _confined_processor()
        return _processor


def _close() -> None:
    """Switch file and URL access off, for good (Saxon never widens it again)."""
    global _closed
    with _lock:
        if not _closed:
            _raw_processor().set_configuration_property(_FEATURE + "allowedProtocols", "data")
            _closed = True


def _confined_processor():
    import locale
    import sys
    shared = "saxonche" in sys.modules  # imported before: a processor may exist, made elsewhere
    from saxonche import PySaxonProcessor
    saved, saved_locale = dict(os.environ), locale.setlocale(locale.LC_ALL)
    os.environ.clear()  # Saxon takes its copy of the environment now (measured: ≈ 4 ms)
    try:
        proc = PySaxonProcessor(license=False)
    finally:
        os.environ.update(saved)
        # the JVM's start sets the process locale from the (now empty) environment: Python's
        # own (open() without encoding=, say) is put back
        locale.setlocale(locale.LC_ALL, saved_locale)
    proc.set_configuration_property(_FEATURE + "allow-external-functions", "false")
    for name, value in _PARSER_LIMITS.items():
        proc.set_configuration_property(_FEATURE + "parserProperty?uri=" + quote(_JAXP + name, safe=""),
                                        str(value))
    # fail closed: a processor made elsewhere in this process before ours would have given Saxon
    # the environment (they share one copy), so then check (17 ms: only then), with external
    # functions allowed for the moment (they hide the environment too)
    if shared:
        proc.set_configuration_property(_FEATURE + "allow-external-functions", "true")
        seen = str(proc.new_xpath_processor().evaluate_single("count(available-environment-variables())"))
        proc.set_configuration_property(_FEATURE + "allow-external-functions", "false")
        if seen != "0":
            raise XsltError("refusing to run XSLT: Saxon can read this process's environment variables")
    return proc


def _allow_extensions(on: bool) -> None:
    _raw_processor().set_configuration_property(_FEATURE + "allow-external-functions",
                                                "true" if on else "false")


# ------------------------------------------------------------------------------ modules

def uri_to_path(uri: str) -> Path | None:
    """The local path of a file: URI, or None for any other scheme."""
    parts = urlsplit(uri)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    if os.name == "nt":
        from nturl2path import url2pathname
        return Path(url2pathname(parts.path))
    return Path(unquote(parts.path))


def confined(path: Path, roots) -> bool:
    """Whether a file (symbolic links followed) lies inside one of the folders."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    return any(real.is_relative_to(Path(r).resolve()) for r in roots)


def _data_uri(text: str) -> str:
    return "data:application/xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


# the start tag of an include or import (any prefix) and its href, for a rewrite in place that
# keeps every line where it was (Saxon's messages give lines)
_MODULE_TAG = re.compile(r"""<(?:[\w.-]+:)?(?:include|import)\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
_HREF = re.compile(r"""(\shref\s*=\s*)(?:"[^"]*"|'[^']*')""")
_readable: dict[str, str] = {}  # data: URI -> the file it holds, for messages


def module_refs(root: etree._Element) -> list[etree._Element]:
    """The xsl:include and xsl:import declarations of a stylesheet module."""
    return [c for c in root if c.tag in (f"{{{XSL_NS}}}include", f"{{{XSL_NS}}}import")]


def resolve_module(href: str, base: str, roots, where: Path | None = None, line: int = 1) -> Path:
    """The file an include/import href names, if it lies inside the allowed folders."""
    uri = urljoin(base, href.strip())
    path = uri_to_path(uri)
    if path is None or not confined(path, roots):
        raise RefusedError(f"refused to read {uri}: XSLT may read only files inside "
                           f"{_folders(roots)}", where, line, uri=uri, href=href)
    return path


def _folders(roots) -> str:
    own = Path(XSLT_DIR).resolve()
    names = [str(r) for r in roots if Path(r).resolve() != own]
    if len(names) < len(roots):
        names.append("the toolkit's own xslt/")
    return " and ".join(names)


def module_data_uri(path: Path, roots, files: list[Path] | None = None, _stack: tuple = ()) -> str:
    """A stylesheet module as a data: URI, its own includes and imports (confined to `roots`)
    turned into data: URIs too, recursively. `files` collects every module read."""
    uri = _data_uri(module_text(path, roots, files, _stack, own_base=True))
    _readable[uri] = Path(path).name
    return uri


def module_text(path: Path, roots, files: list[Path] | None = None, _stack: tuple = (),
                own_base: bool = False) -> str:
    """A stylesheet module's text with its includes and imports replaced by data: URIs.

    own_base: give the root element xml:base, the file's URI. (A module read from a data: URI
    has that URI as its base, and Saxon works out every element's base URI from it: as many
    steps as the URI is long, for each element, which made compiling xslt/html 3x slower.)"""
    from .xmlsafe import parse_file
    path = Path(os.path.normpath(os.path.abspath(path)))
    if path in _stack:
        raise RefusedError(f"{path.name} includes itself (circular xsl:include/xsl:import)", path,
                           uri=path.as_uri())
    src = parse_file(path, display=str(path))
    if not src.ok:
        d = src.diagnostics[0] if src.diagnostics else None
        raise RefusedError(f"cannot read {path.as_uri()}"
                           + (f" (line {d.line}: {d.message})" if d else ""), uri=path.as_uri())
    if files is not None:
        files.append(path)
    base = path.as_uri()
    refs = module_refs(src.root)
    uris = []
    for el in refs:
        line = src.position(el)[0]
        target = resolve_module(el.get("href") or "", base, roots, path, line)
        try:
            uris.append(module_data_uri(target, roots, files, _stack + (path,)))
        except RefusedError as e:
            if e.path is None:  # the module itself could not be read: say who names it
                raise RefusedError(e.reason, path, line, e.uri, el.get("href")) from None
            raise
    text = src.data.decode(src.tree.docinfo.encoding or "utf-8")
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)  # (Saxon gets it as text)
    # a DOCTYPE stays with lxml (Saxon would expand its entities), as does markup the rewrite
    # in place cannot follow: the tree is serialised instead (lines may move)
    own = path.as_uri() if own_base else None
    out = None if src.tree.docinfo.doctype else _rewrite_in_place(text, uris, own)
    if out is None:
        for el, uri in zip(refs, uris):
            el.set("href", uri)
        if own:
            src.root.set(_XML_BASE, own)
        out = serialize_for_saxon(src.tree)
    return out


_XML_DECLARATION = re.compile(r"^<\?xml\s[^>]*\?>")
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_ROOT_NAME = re.compile(r"<[^\s/>]+")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _rewrite_in_place(text: str, uris: list[str], base: str | None) -> str | None:
    """The text with the href of each include/import replaced (and xml:base on the root, when
    given), or None when what was replaced is not exactly the module's includes and imports
    (say, one inside a comment)."""
    if not uris and base is None:
        return text
    if base is not None:  # after the root's name
        m = _ROOT_NAME.match(text, _PROLOG.match(text).end())
        if m is None:
            return None
        quoted = base.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        text = f'{text[:m.end()]} xml:base="{quoted}"{text[m.end():]}'
    queue = list(uris)
    pieces, pos = [], 0
    for m in _MODULE_TAG.finditer(text):
        h = _HREF.search(m.group())
        if h is None or not queue:
            continue
        pieces += [text[pos:m.start() + h.start()], h.group(1), '"', queue.pop(0), '"']
        pos = m.start() + h.end()
    out = "".join(pieces) + text[pos:]
    try:
        root = etree.fromstring(out.encode("utf-8"), etree.XMLParser(resolve_entities=False,
                                                                     no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return None
    same = [el.get("href") for el in module_refs(root)] == uris and root.get(_XML_BASE) == base
    return out if same else None


def readable(message: str) -> str:
    """Saxon's message with the data: URIs of modules named by their files."""
    for uri, name in _readable.items():
        if uri in message:
            message = message.replace(uri, name)
        short = uri[len("data:"):]  # (Saxon abbreviates a location to what follows the last "/")
        tail = short.rsplit("/", 1)[-1]
        if len(tail) >= 8 and tail in message:
            message = message.replace(tail, name)
    return message


# ------------------------------------------------------------------------------ compiling

# The entry points the toolkit compiles, by folder: the first compile of one compiles all of its
# folder's while Saxon may still read xslt/ (a command uses them together).
_FAMILIES = {"html": ("document.xsl", "site.xsl"), "pdf": ("document.xsl", "volume.xsl")}


def compile_stylesheet(path: str | Path, family: bool = True):
    """The compiled executable for one of the toolkit's own stylesheets, cached by path and
    modification time. Its modules are read from xslt/ (and, for a stylesheet elsewhere — a
    test's variant of one —, its own folder) only. family=False: not the rest of its family (a
    rebuild of a few pages that may need no site page: compiling site.xsl costs 50-80 ms; were
    it needed after all, it is compiled from its text)."""
    path = Path(path).resolve()
    layer = _layers.get(str(path))
    if layer is not None:
        return _compile_layered(path, layer)
    key = (str(path), path.stat().st_mtime)
    with _lock:
        exe = _compiled.get(key)
    if exe is not None:
        return exe
    with _lock:
        if not _closed:  # Saxon reads the modules itself (fast), then file access is switched off
            family = [path] + [path.parent / name for name in _FAMILIES.get(path.parent.name, ())
                               if family and path.parent / name != path and (path.parent / name).is_file()]
            try:
                for p in family:
                    k = (str(p), p.stat().st_mtime)
                    if k not in _compiled:
                        _compiled[k] = _compile_trusted(p, file=True)
            finally:
                _close()
            return _compiled[key]
    exe = _compile_trusted(path, file=False)
    with _lock:
        _compiled[key] = exe
    return exe


def _compile_trusted(path: Path, file: bool):
    """Compile a toolkit stylesheet: from its file (before file access is off) or from its text
    with its modules as data: URIs (after)."""
    proc = _raw_processor()
    node = None
    if not file:
        roots = (XSLT_DIR,) if confined(path, (XSLT_DIR,)) else (path.parent, XSLT_DIR)
        try:
            text = module_text(path, roots)
            builder = proc.new_document_builder()
            builder.set_base_uri(path.as_uri())
            builder.set_line_numbering(True)
            node = builder.parse_xml(xml_text=text)
        except RefusedError as e:
            raise XsltError(f"{path.name}: stylesheet does not compile: {e}") from None
        except Exception as e:  # saxonche raises PySaxonApiError with Saxon's message
            raise XsltError(f"{path.name}: stylesheet does not compile: {readable(str(e))}") from None
    with _lock:
        _allow_extensions(True)  # (trusted: site.xsl writes its pages with xsl:result-document)
        try:
            xp = proc.new_xslt30_processor()
            if not file:  # xslt/lib/classes.xsl reads its data file when compiling: as data
                xp.set_parameter("classes-href", proc.make_string_value(_classes_data_uri()))
            # the interface messages (toolkit/messages), read by xslt/lib/messages.xsl at compile time
            xp.set_parameter("messages-href", proc.make_string_value(_messages_data_uri()))
            exe = xp.compile_stylesheet(stylesheet_file=str(path)) if file \
                else xp.compile_stylesheet(stylesheet_node=node)
        except Exception as e:
            raise XsltError(f"{path.name}: stylesheet does not compile: {readable(str(e))}") from None
        finally:
            _allow_extensions(False)
    if exe is None:
        raise XsltError(f"{path.name}: stylesheet does not compile")
    return exe


# ------------------------------------------------------------------------------ customisation

@dataclass(frozen=True)
class Layer:
    """What an edition adds to one of the toolkit's entry stylesheets (docs/customizing.md):
    its own stylesheet module, imported after the entry so that it overrides it (its modules
    read confined to `roots`, the edition's folder), and declarations the toolkit writes (the
    edition's fragments as global variables), imported last. `key`: a hash of all of it, part
    of the compiled stylesheet's cache key."""
    module: Path | None = None
    roots: tuple[str, ...] = ()
    declarations: str = ""
    key: str = ""
    shown: str = ""  # the module's path as messages name it (relative to edition.toml)


_layers: dict[str, Layer] = {}
_SAXON_NS = "http://saxon.sf.net/"


def set_layer(entry: str | Path, layer: Layer | None) -> None:
    """Compile the toolkit's entry stylesheet `entry` with the edition's layer from now on in
    this process (None: without). Worker processes forked later inherit it."""
    with _lock:
        if layer is None:
            _layers.pop(str(Path(entry).resolve()), None)
        else:
            _layers[str(Path(entry).resolve())] = layer


class LayerError(XsltError):
    """The edition's customisation layer is refused or does not compile; the message names the
    file, line and column."""


def _compile_layered(path: Path, layer: Layer):
    """The entry stylesheet `path` imported by a stylesheet that then imports the edition's layer
    and the toolkit's declarations. Compiled from data: URIs after file access is off, so that
    nothing the edition wrote is ever compiled while Saxon may read files."""
    key = (str(path), path.stat().st_mtime, layer.key)
    with _lock:
        exe = _compiled.get(key)
        if exe is not None:
            return exe
        _close()
    imports = [module_data_uri(path, (XSLT_DIR,))]
    files: list[Path] = []
    if layer.module is not None:
        try:
            imports.append(module_data_uri(layer.module, layer.roots, files))
        except RefusedError as e:
            raise LayerError(_layer_place(e.path, e.line, layer) + str(e)) from None
        for f in files:
            _refuse_compile_time_code(f, layer)
    text = ('<xsl:stylesheet version="3.0" xmlns:xsl="%s" xmlns:f="urn:x-tei-edition:functions" '
            'xmlns:fp="urn:x-tei-edition:private" exclude-result-prefixes="#all">\n%s\n%s\n'
            '</xsl:stylesheet>' % (XSL_NS, "\n".join(f'<xsl:import href="{u}"/>' for u in imports),
                                   layer.declarations))
    proc = _raw_processor()
    with _lock:
        # extensions on while compiling, as for every entry of the toolkit's (site.xsl writes its
        # pages with xsl:result-document); what the edition wrote cannot use that moment:
        # _refuse_compile_time_code
        _allow_extensions(True)
        try:
            xp = proc.new_xslt30_processor()
            xp.set_parameter("classes-href", proc.make_string_value(_classes_data_uri()))
            exe = xp.compile_stylesheet(stylesheet_text=text)
        except Exception as e:
            raise LayerError(_layer_message(readable(str(e)), layer, path, files)) from None
        finally:
            _allow_extensions(False)
        if exe is None:
            raise LayerError(f"{layer.shown or path.name}: stylesheet does not compile")
        for old in [k for k in _compiled if len(k) == 3 and k[0] == key[0]]:
            del _compiled[old]  # an earlier layer's (edition serve, after an edit): not used again
        _compiled[key] = exe
    return exe


def _layer_place(path: Path | None, line: int, layer: Layer) -> str:
    if path is None or layer.module is None:
        return f"{layer.shown}: "
    return f"{_shown(path, layer)}:{line}: "


def _shown(path: Path, layer: Layer) -> str:
    """A module of the layer as messages name it: relative to the edition's folder."""
    for r in layer.roots:
        try:
            return Path(path).resolve().relative_to(Path(r).resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


_SAXON_PLACE = re.compile(r"\bon line (\d+)(?: column (\d+))? of ([^\s:]+):?")


def _layer_message(msg: str, layer: Layer, entry: Path, files: list[Path]) -> str:
    """Saxon's compile error as `file:line:column: message` when Saxon places it in a module of
    the layer (Saxon names a module by its file name: readable), the file named as edition.toml
    names it; else the message after the layer's name."""
    msg = " ".join(msg.split())
    m = _SAXON_PLACE.search(msg)
    own = next((f for f in files if m and f.name == m.group(3)), None)
    if own is not None:
        where = f"{_shown(own, layer)}:{m.group(1)}" + (f":{m.group(2)}" if m.group(2) else "")
        rest = (msg[:m.start()].strip() + " " + msg[m.end():].strip()).strip(" :")
        return f"{where}: {rest}"
    return f"{layer.shown or entry.name}: stylesheet does not compile: {msg}"


# What of an XSLT module runs while it compiles (static variables and parameters, use-when,
# shadow attributes), or writes files (xsl:result-document), or reaches Saxon's extensions: the
# toolkit's entries compile with extensions on (site.xsl writes its pages), so none of it is
# allowed in an edition's layer (a static variable could read a Java system property).
def _refuse_compile_time_code(path: Path, layer: Layer) -> None:
    from .xmlsafe import parse_file
    src = parse_file(path)
    if not src.ok:
        return  # Saxon says what is wrong with it
    for el in src.root.iter():
        if not isinstance(el.tag, str):
            continue
        ns, local = _split(el.tag)
        why = None
        if ns == _SAXON_NS:
            why = "Saxon's extensions are not available to a customisation layer"
        elif ns == XSL_NS and local == "result-document":
            why = "xsl:result-document is not allowed in a customisation layer (pages are the toolkit's to write)"
        elif ns == XSL_NS and el.get("static", "").strip() in ("yes", "true", "1"):
            why = f"static {local}s are not allowed in a customisation layer (they run while it compiles)"
        else:
            for name in el.attrib:
                ans, alocal = _split(name)
                if (ns == XSL_NS and not ans and (alocal == "use-when" or alocal.startswith("_"))) \
                        or (ans == XSL_NS and alocal == "use-when") or ans == _SAXON_NS:
                    why = (f"the attribute {alocal} is not allowed in a customisation layer "
                           "(use-when and shadow attributes run while it compiles)")
                    break
        if why:
            line, col = src.position(el)
            raise LayerError(f"{_shown(path, layer)}:{line}:{col}: {why}")


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, local = name[1:].split("}", 1)
        return ns, local
    return "", name


def _classes_data_uri() -> str:
    """xslt/lib/tei-classes.xml (the element classes, read at compile time) as a data: URI."""
    return _data_uri((XSLT_DIR / "lib" / "tei-classes.xml").read_text(encoding="utf-8"))


def _messages_data_uri() -> str:
    """Every message catalogue (toolkit/messages) as one XML document, as a data: URI."""
    from .messages import xml_document
    return _data_uri(xml_document())


def compile_stylesheet_text(text: str, cache_key: str):
    """Compile a stylesheet held in memory that the toolkit did not write (generated from a
    Schematron schema), cached by key. Its includes must already be data: URIs."""
    key = (cache_key, 0.0)
    with _lock:
        exe = _compiled.get(key)
    if exe is not None:
        return exe
    xp = processor().new_xslt30_processor()
    with _lock:  # (never while a trusted compile has allowed extensions)
        try:
            exe = xp.compile_stylesheet(stylesheet_text=text)
        except Exception as e:
            raise XsltError(f"generated stylesheet {cache_key} does not compile: {readable(str(e))}") from None
        exe.set_capture_result_documents(True)  # a second guard: nothing is ever written
        _compiled[key] = exe
    return exe


# ------------------------------------------------------------------------------ documents

def to_xdm(tree: etree._ElementTree | etree._Element | str, base_uri: str | None = None):
    """An XdmNode for an lxml tree (already safely parsed) or for XML text made from one.

    Raises XsltError when Saxon's parser refuses the text (it should accept whatever lxml did).
    """
    proc = processor()
    if isinstance(tree, str):
        text = tree
    elif isinstance(tree, etree._ElementTree):
        text = serialize_for_saxon(tree)
    else:
        text = etree.tostring(tree, encoding="unicode")
    builder = proc.new_document_builder()
    if base_uri:
        builder.set_base_uri(base_uri)
    try:
        return builder.parse_xml(xml_text=text)
    except Exception as e:
        raise XsltError(f"Saxon cannot read the document: {_parser_message(str(e))}") from None


def _parser_message(msg: str) -> str:
    msg = " ".join(msg.split())
    return re.sub(r"^.*?(?:Error reported by XML parser: )", "", msg)


def source_to_xdm(src, base_uri: str | None = None):
    """An XdmNode for a parsed SourceFile: always the tree the safe parser made (serialised,
    without DOCTYPE), never the file, so Saxon's parser is never the only guard."""
    return to_xdm(src.tree, base_uri or src.path.absolute().as_uri())


def _value(v):
    proc = processor()
    if isinstance(v, bool):
        return proc.make_boolean_value(v)
    if isinstance(v, int):
        return proc.make_integer_value(v)
    if isinstance(v, str):
        return proc.make_string_value(v)
    return v  # already an XdmValue / XdmNode


class _Stderr:
    """Saxon prints its own reports of an error (the Java exception, the template stack) to the
    process's standard error, and no saxonche setting redirects them: during a run, file
    descriptor 2 points at a file of our own, whose text is read only when the run failed and
    gives the error message its cause ("Caused by java.io.IOException: No space left on
    device"). Users see one clear line, never a Java trace."""

    def __init__(self):
        self.file = None

    def __enter__(self):
        try:
            sys.stderr.flush()
        except Exception:
            pass
        if self.file is None:
            # an anonymous file in memory where there is one (tempfile's import costs 5 ms)
            if hasattr(os, "memfd_create"):
                self.file = os.fdopen(os.memfd_create("saxon-stderr", os.MFD_CLOEXEC), "w+b")
            else:
                import tempfile
                self.file = tempfile.TemporaryFile()
        self.file.seek(0)
        self.file.truncate()
        self.saved = os.dup(2)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        os.dup2(self.saved, 2)
        os.close(self.saved)
        return False

    def text(self) -> str:
        self.file.seek(0)
        return self.file.read(65536).decode("utf-8", "replace")


_stderr = _Stderr()


def cause(report: str) -> str:
    """The root cause in Saxon's report of an error, in words: the message of its last
    "Caused by" line (an I/O failure: a full disk, a file too large), else ""."""
    causes = re.findall(r"Caused by [\w.$]+(?:Exception|Error):\s*(.+)", report)
    return causes[-1].strip() if causes else ""


def run(exe, **kw) -> str:
    """exe.transform_to_string(**kw) with Saxon's own error report kept off the terminal; an
    XsltError with the cause when it fails. Callers hold whatever lock the executable needs."""
    with _lock, _stderr:
        try:
            return exe.transform_to_string(**kw) or ""
        except Exception as e:
            why = cause(_stderr.text())
            msg = readable(str(e))
            raise XsltError(f"{msg} ({why})" if why and why not in msg else msg) from None


def transform(stylesheet, source, params: dict | None = None, base_uri: str | None = None) -> str:
    """Run a compiled stylesheet (or a path) on a source tree; returns the principal result."""
    exe = compile_stylesheet(stylesheet) if isinstance(stylesheet, (str, Path)) else stylesheet
    node = source if not isinstance(source, (etree._ElementTree, etree._Element, str)) \
        else to_xdm(source, base_uri)
    values = {k: _value(v) for k, v in (params or {}).items()}  # before the lock: _value needs it
    with _lock:  # an executable keeps parameters as state: one run at a time per executable
        exe.clear_parameters()
        for k, v in values.items():
            exe.set_parameter(k, v)
        result = run(exe, xdm_node=node)
    return result
