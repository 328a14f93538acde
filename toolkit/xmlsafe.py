"""The one safe XML parser of the toolkit, and source-position helpers.

Untrusted TEI is parsed here with lxml: no network, no DTD loading, no external entities,
libxml2's limits against entity-expansion bombs and absurd nesting. Only trees that pass are
handed on (to RELAX NG, to the model, serialised to Saxon), so Saxon never sees a DOCTYPE
or an entity declaration.
"""
from __future__ import annotations

import os
import re
import stat
import time
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import ERROR, WARNING, Diagnostic, relocated

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}

# Files larger than this are refused outright: no edition document is anywhere near it and the
# limit keeps a mistaken path (a disk image, a log) from being read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


def _parser(resolve_entities) -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=resolve_entities, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_blank_text=False,
                             collect_ids=False)
    parser.resolvers.add(_NothingExternal())
    return parser


@dataclass
class SourceFile:
    """A parsed file: its bytes, its lxml tree (None when unusable) and parse diagnostics."""

    path: Path
    display: str
    data: bytes = b""
    tree: etree._ElementTree | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    light: bool = False      # an id-only stand-in (see index_ids_only), not the real tree
    _positions: dict | None = field(default=None, repr=False)
    # (size, mtime ns, ctime ns, inode, device, ns before the read) of the file as parse_file
    # read it — its stat the same before and after the read —: lets a later build know the file
    # unchanged without reading it (html.stand_ins)
    read_stat: tuple | None = field(default=None, repr=False)
    # XInclude (toolkit/xinclude.py): copied element → (SourceFile it came from, its element
    # there); and the files the expansion read (None: not expanded)
    origins: dict | None = field(default=None, repr=False)
    included: tuple | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.tree is not None

    @property
    def root(self) -> etree._Element:
        assert self.tree is not None
        return self.tree.getroot()

    def written_in(self, node) -> Path:
        """The file an element was written in: for a copy an xi:include brought in, the included
        file (its relative pointers resolve against it, as XInclude's base URI fixup says)."""
        if self.origins:
            origin = self.origins.get(node)
            if origin is not None:
                return origin[0].path
        return self.path

    def position(self, node) -> tuple[int, int]:
        """(line, column) of an element's start tag, both 1-based.

        lxml knows lines but not columns; a lazy expat pass over the same bytes records the exact
        position of every start tag, matched to lxml's elements by document order.
        """
        if node is None:
            return (1, 1)
        if isinstance(node, etree._ElementUnicodeResult):  # an attribute or text result
            node = node.getparent()
            if node is None:
                return (1, 1)
        if self.origins:
            origin = self.origins.get(node)
            if origin is not None:  # copied in by an xi:include: its place in its own file
                src, element = origin
                return relocated(src.display, *src.position(element))
        if self._positions is None:
            self._positions = self._index_positions()
        pos = self._positions.get(node)
        if pos:
            return pos
        return (getattr(node, "sourceline", None) or 1, 1)

    def _index_positions(self) -> dict:
        if self.tree is None:
            return {}
        starts: list[tuple[int, int]] = []
        p = xml.parsers.expat.ParserCreate()
        p.StartElementHandler = lambda name, attrs: starts.append(
            (p.CurrentLineNumber, p.CurrentColumnNumber + 1))
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        try:
            p.Parse(self.data, True)
        except xml.parsers.expat.ExpatError:
            return {}
        elements = [e for e in self.tree.getroot().iter() if isinstance(e.tag, str)
                    and not (self.origins and e in self.origins)]
        if len(elements) != len(starts):  # entity-made elements: fall back to lxml's lines
            return {}
        return dict(zip(elements, starts))


def _line_col_of(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


class _NothingExternal(etree.Resolver):
    """Answers every request libxml2 makes for an external resource — a DTD named by a DOCTYPE,
    an external entity, wherever it stands in the file and whatever the file's encoding — with
    nothing: no file or URL is ever opened while parsing. (lxml's resolve_entities='internal'
    still loads a DOCTYPE's external DTD.)"""

    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


_DOCTYPE = re.compile(rb"<\x00?!\x00?D\x00?O\x00?C\x00?T\x00?Y\x00?P\x00?E|\x00<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E")


_EXTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC)\b", re.S)


def _friendly_syntax_message(msg: str) -> tuple[str, str]:
    """libxml2's message, reworded where it is cryptic; plus a hint."""
    msg = re.sub(r",? line \d+, column \d+$", "", msg.strip())
    if "amplification factor" in msg or "entity reference loop" in msg.lower():
        return ("entity expansion is too large (an entity-expansion bomb such as "
                "'billion laughs'); the file was not read",
                "remove the nested entity declarations from the DOCTYPE")
    if "Excessive depth" in msg or "depth" in msg and "exceed" in msg:
        return ("elements are nested too deeply (over 256 levels); the file was not read", "")
    if "not proper UTF-8" in msg or "Invalid bytes in character encoding" in msg \
            or "encoding" in msg.lower() and "error" in msg.lower():
        return (f"the bytes do not match the file's character encoding: {msg}",
                "save the file as UTF-8, or declare its real encoding in the XML declaration, "
                "e.g. <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
    m = re.match(r"Entity '([^']+)' not defined", msg)
    if m:
        return (f"the entity '&{m.group(1)};' is not defined",
                "entities from external DTDs are never loaded; write the character itself "
                "(UTF-8) or a numeric reference such as &#x2014;")
    m = re.match(r"Opening and ending tag mismatch: ([^\s,]+) line (\d+) and ([^\s,]+)", msg)
    if m:
        return (f"end tag </{m.group(3)}> does not match the start tag <{m.group(1)}> "
                f"opened on line {m.group(2)}", "close the elements in the reverse order they were opened")
    if "Premature end of data" in msg or "EndTag: '</' not found" in msg:
        return (f"the file ends before all elements are closed ({msg})", "")
    if "Document is empty" in msg or "Start tag expected" in msg:
        return ("the file is empty or does not start with an XML element", "")
    return (msg, "")


def stat_key(st) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def read_with_stat(path) -> tuple[bytes, tuple | None]:
    """The file's bytes, and its stat_key plus the time just before it was read when the file's
    stat was the same before and after the read (else None: it changed meanwhile)."""
    t0 = time.time_ns()
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        data = fh.read()
        after = os.fstat(fh.fileno())
    same = stat_key(before) == stat_key(after) and before.st_size == len(data)
    return data, (*stat_key(before), t0) if same else None


class UnreadableFile(OSError):
    """A path that is not read: not a regular file, too large, outside the edition. `rule` is
    the diagnostic's rule name; str() says why in words."""

    def __init__(self, message: str, rule: str):
        super().__init__(message)
        self.rule = rule

    def __str__(self) -> str:
        return self.args[0]


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _kind_refused(mode: int) -> UnreadableFile | None:
    if stat.S_ISDIR(mode):
        return UnreadableFile("is a folder, not an XML file", "file.unreadable")
    if not stat.S_ISREG(mode):
        return UnreadableFile("is not a regular file (a device, FIFO or socket): not read", "file.not-regular")
    return None


def read_regular(path, cap: int = MAX_FILE_BYTES, with_stat: bool = True) -> tuple[bytes, tuple | None]:
    """The bytes of a regular file (symbolic links followed), at most `cap` of them, and (with
    `with_stat`) its read stat (read_with_stat). A device (/dev/zero), a FIFO, a socket or a
    folder is refused before it is opened (opening some devices does things), and the cap is
    enforced while reading, so a file that grows or lies about its size is never read beyond it:
    UnreadableFile. Other OSErrors pass through. (Plain os calls: this reads every file of an
    edition, and a buffered file object tripled the cost.)"""
    t0 = time.time_ns()
    refused = _kind_refused(os.stat(path).st_mode)
    if refused:
        raise refused
    # O_NONBLOCK: had the file been swapped for a FIFO since the stat, opening it must not hang
    fd = os.open(path, _OPEN_FLAGS)
    try:
        before = os.fstat(fd)
        refused = _kind_refused(before.st_mode)
        if refused:
            raise refused
        if before.st_size > cap:
            raise UnreadableFile(f"file is too large ({before.st_size // 1048576} MB; the limit is "
                                 f"{cap // 1048576} MB)", "file.too-large")
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, before.st_size + 1 if not chunks else 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        if len(data) > cap:
            raise UnreadableFile(f"file is too large (over {cap // 1048576} MB)", "file.too-large")
        if not with_stat:
            return data, None
        after = os.fstat(fd)
    finally:
        os.close(fd)
    same = stat_key(before) == stat_key(after) and before.st_size == len(data)
    return data, (*stat_key(before), t0) if same else None


# Folders whose files the toolkit may read (set_read_roots), besides its own resources and cache
# folder; None: no limit (a library caller, an ad hoc run on files the user named).
_read_roots: tuple[str, ...] | None = None


def set_read_roots(roots) -> None:
    """Confine what schemas and included files may be read from to these folders (the edition's
    root), or lift the limit with None. The toolkit's own resources (stylesheets, bundled
    schemas) and its cache folder are always readable."""
    global _read_roots
    _read_roots = None if roots is None else tuple(os.path.realpath(r) for r in roots)


def outside_roots(path) -> str | None:
    """The real path of `path` when the read roots exclude it (symbolic links resolved), else None."""
    if _read_roots is None:
        return None
    real = os.path.realpath(path)
    from .cache import cache_dir
    toolkit = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the checkout / site-packages dir
    own = (os.path.join(toolkit, "xslt"), os.path.join(toolkit, "toolkit"), os.path.realpath(cache_dir()))
    for root in (*_read_roots, *own):
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return None
    return real


def parse_schema_file(path, parser: etree.XMLParser) -> etree._ElementTree:
    """A schema (or a file a schema includes, a catalog) parsed with `parser`: only a regular
    file inside the read roots (set_read_roots), read with the size cap. Raises OSError
    (UnreadableFile says why) or etree.XMLSyntaxError."""
    real = outside_roots(path)
    if real is not None:
        raise UnreadableFile(f"{path} lies outside the edition ({real}): not read", "schema.outside")
    data, _ = read_regular(path)
    return etree.ElementTree(etree.fromstring(data, parser, base_url=Path(os.path.abspath(path)).as_uri()))


def parse_file(path: str | Path, display: str | None = None) -> SourceFile:
    """Parse one file safely; never raises for bad input, returns diagnostics instead."""
    path = Path(path)
    src = SourceFile(path=path, display=display or path.as_posix())

    def fail(line: int, col: int, msg: str, rule: str, hint: str = "", sev: str = ERROR):
        src.diagnostics.append(Diagnostic(src.display, line, col, sev, msg, rule, hint))

    try:
        src.data, src.read_stat = read_regular(path)
    except FileNotFoundError:
        fail(1, 1, "file not found", "file.missing")
        return src
    except UnreadableFile as e:
        fail(1, 1, str(e), e.rule)
        return src
    except OSError as e:
        fail(1, 1, f"cannot read the file: {e.strerror or e}", "file.unreadable")
        return src

    data = src.data
    if b"<!ENTITY" in data:
        # External entities are refused before any parse (positions read off the bytes of an
        # ASCII-compatible encoding; in others, the parse below finds them all the same).
        if _refuse_external_entities(data, fail):
            return src
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser("internal"),
                                                  base_url=Path(os.path.abspath(path)).as_uri()))
    except etree.XMLSyntaxError as e:
        line, col = (e.position if e.position else (e.lineno or 1, 1))
        msg, hint = _friendly_syntax_message(e.msg or str(e))
        m_ent = re.match(r"Entity '([^']+)' not defined", e.msg or "")
        if m_ent and line >= 1:  # libxml2 points after the reference; point at its '&'
            text = data.split(b"\n")[line - 1] if line <= data.count(b"\n") + 1 else b""
            at = text.rfind(b"&" + m_ent.group(1).encode() + b";", 0, max(col, 1))
            if at >= 0:
                col = len(text[:at].decode("utf-8", "replace")) + 1
        if "bomb" in msg:  # libxml2 reports the document start; point at the declarations
            m = re.search(rb"<!ENTITY", data)
            if m:
                line, col = _line_col_of(data, m.start())
        fail(max(line, 1), max(col, 1), msg, "xml.well-formed", hint)
        return src
    except ValueError as e:  # e.g. a unicode string with an encoding declaration
        fail(1, 1, f"cannot parse the file: {e}", "xml.well-formed")
        return src
    dtd = tree.docinfo.internalDTD
    external = [e for e in dtd.iterentities() if e.system_url] if dtd is not None else []
    if external:  # declared in an encoding the byte scan above cannot read (UTF-16 …)
        for e in external:
            fail(1, 1, f"external entity declaration '{e.name}' is not allowed: the toolkit never "
                       f"reads other files or URLs through entities", "xml.external-entity",
                 "replace the entity by the text it stands for")
        return src
    doctype_url = tree.docinfo.system_url or tree.docinfo.public_id
    if doctype_url:
        m = _DOCTYPE.search(data)
        line, col = _line_col_of(data, m.start()) if m and data[:1] != b"\x00" and b"\x00" not in data[:4] else (1, 1)
        exists = "://" not in doctype_url and (path.parent / doctype_url).exists()  # (a stat, no read)
        fail(line, col,
             f"the DOCTYPE refers to the DTD '{doctype_url}'" + ("" if exists else ", which does not exist here")
             + "; DTDs are never loaded, so the file is read without it",
             "xml.doctype", "remove the DOCTYPE line; TEI P5 is validated with RELAX NG", sev=WARNING)
    src.tree = tree
    return src


def _refuse_external_entities(data: bytes, fail) -> bool:
    found = False
    for m in _EXTERNAL_ENTITY.finditer(data):
        found = True
        line, col = _line_col_of(data, m.start())
        kind = "parameter entity" if m.group(1) else "entity"
        fail(line, col, f"external {kind} declaration '{m.group(2).decode('utf-8', 'replace')}' "
                        f"is not allowed: the toolkit never reads other files or URLs "
                        f"through entities", "xml.external-entity",
             "replace the entity by the text it stands for")
    return found


_ID_BEARING_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(?=[\s/>])[^<>]*?\sxml:id\s*=\s*([\"'])(.*?)\2")


def index_ids_only(path: str | Path, display: str | None = None) -> SourceFile:
    """A cheap stand-in for a file that is not itself being checked: its xml:ids and the names
    of the elements carrying them, found by a scan of the bytes instead of a full parse.

    Used when validating a few staged files of a large edition: pointers into the other files
    still resolve, at a fraction of the cost. The stand-in tree holds one empty element per id.
    """
    path = Path(path)
    src = SourceFile(path=path, display=display or path.as_posix(), light=True)
    try:
        data, _ = read_regular(path, with_stat=False)
    except OSError:
        return parse_file(path, display)  # let the real parser report the problem
    root = etree.Element(f"{{{TEI_NS}}}TEI")
    for m in _ID_BEARING_TAG.finditer(data):
        name = m.group(1).decode("ascii", "replace")
        value = m.group(3).decode("utf-8", "replace")
        if name == "TEI" and root.get(f"{{{XML_NS}}}id") is None and len(root) == 0:
            root.set(f"{{{XML_NS}}}id", value)
        else:
            etree.SubElement(root, f"{{{TEI_NS}}}{name}", {f"{{{XML_NS}}}id": value})
    src.tree = etree.ElementTree(root)
    return src


def parse_bytes(data: bytes, display: str = "<input>") -> SourceFile:
    """Parse in-memory XML with the same protections (used for generated drafts and tests)."""
    src = SourceFile(path=Path(display), display=display, data=data)
    try:
        if _EXTERNAL_ENTITY.search(data):
            raise etree.XMLSyntaxError("external entity declarations are not allowed", 0, 1, 1)
        src.tree = etree.ElementTree(etree.fromstring(data, _parser("internal")))
    except etree.XMLSyntaxError as e:
        line, col = (e.position if e.position else (e.lineno or 1, 1))
        msg, hint = _friendly_syntax_message(e.msg or str(e))
        src.diagnostics.append(Diagnostic(display, max(line, 1), max(col, 1), ERROR, msg,
                                          "xml.well-formed", hint))
    return src


def xml_model_pis(tree: etree._ElementTree) -> list[dict[str, str]]:
    """The pseudo-attributes of every <?xml-model?> processing instruction before the root."""
    out = []
    node = tree.getroot().getprevious()
    pis = []
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pis.append(node)
        node = node.getprevious()
    for pi in reversed(pis):
        attrs = dict(re.findall(r'([\w:-]+)\s*=\s*["\']([^"\']*)["\']', pi.text or ""))
        attrs["_line"] = str(pi.sourceline or 1)
        out.append(attrs)
    return out


def serialize_for_saxon(tree: etree._ElementTree) -> str:
    """The document as text without DOCTYPE: safe for Saxon, which would expand entities."""
    return etree.tostring(tree.getroot(), encoding="unicode")
