"""XInclude, resolved by the toolkit itself, confined to the edition.

A volume that pulls its issues in with <xi:include href="issue.xml" xpointer="text"/> is
built, validated and searched as the expanded document, as its editors see it in their XML
editor. lxml's own xinclude() reads through libxml2's loader (no confinement of our own) and
forgets which file a node came from; this resolver copies the included trees and keeps, per
copied element, its origin (the included SourceFile and the element there), so that every
diagnostic about it names the included file at its own line and column (SourceFile.position).

Confinement: only files inside the given roots (the edition's folder, or the folder given for an
ad hoc build) are read, through xmlsafe.parse_file (no DTD, no external entity, regular files
only, size cap); a URL, an absolute path or a path leading out is reported and never read
(its xi:fallback is used when there is one). Depth, total size and cycles are limited.
"""
from __future__ import annotations

import codecs
import os
import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit


from .diagnostics import WARNING, Diagnostic
from .xmlsafe import MAX_FILE_BYTES, XML_NS, SourceFile, UnreadableFile, parse_file, read_regular

XI_NS = "http://www.w3.org/2001/XInclude"
XI_NAMES = (f"{{{XI_NS}}}include", "{http://www.w3.org/2003/XInclude}include")
FALLBACKS = (f"{{{XI_NS}}}fallback", "{http://www.w3.org/2003/XInclude}fallback")
XML_LANG = f"{{{XML_NS}}}lang"
MAX_DEPTH = 16                   # nested includes (an include inside an included file …)
MAX_TOTAL_BYTES = MAX_FILE_BYTES  # what one document may pull in, all included files together

_SHORTHAND = re.compile(r"^[^\s()/:]+$")
_SCHEME = re.compile(r"([A-Za-z][\w.:-]*)\(((?:[^()^]|\^.)*)\)")


def may_include(data: bytes) -> bool:
    """A cheap test on the bytes: only such files are walked (keeps the common case free)."""
    return b"XInclude" in data


def roots_for(config, path) -> list:
    """Where the includes of `path` may read: the folders given for an ad hoc build, else the
    edition's folder, or the file's own folder for a file outside it."""
    if config._include_roots:
        return list(config._include_roots)
    root = os.path.realpath(config.root)
    real = os.path.realpath(path)
    return [root] if real.startswith(root.rstrip(os.sep) + os.sep) else [os.path.dirname(real)]


def expand(src: SourceFile, roots) -> None:
    """Replace every xi:include of `src`'s tree by what it designates (in place). Records the
    origins of the copied elements (src.origins) and the files read (src.included); problems
    are warnings on the xi:include element (src.diagnostics)."""
    if src.tree is None or src.light or src.included is not None:
        return
    if not may_include(src.data) or next(src.root.iter(*XI_NAMES), None) is None:
        src.included = ()
        return
    src.position(src.root)  # index positions while the tree is still the file's own
    state = _State(tuple(os.path.realpath(r) for r in roots), src)
    _expand_tree(src, src.root, state, (os.path.realpath(src.path),), 0)
    src.included = tuple(dict.fromkeys(state.files))


@dataclass
class _State:
    roots: tuple[str, ...]
    top: SourceFile
    total: int = 0
    files: list[Path] = field(default_factory=list)
    parsed: dict[str, SourceFile] = field(default_factory=dict)


def _expand_tree(src: SourceFile, root, state: _State, stack: tuple[str, ...], depth: int) -> None:
    for inc in [e for e in root.iter(*XI_NAMES) if not _inside_include(e, root)]:
        _resolve(src, inc, state, stack, depth)


def _inside_include(el, root) -> bool:
    """An include inside another include's fallback: done only if that fallback is used."""
    p = el.getparent()
    while p is not None and p is not root.getparent():
        if p.tag in XI_NAMES:
            return True
        p = p.getparent()
    return False


def _warn(state: _State, src: SourceFile, inc, message: str, rule: str, hint: str = "") -> None:
    line, col = src.position(inc)  # (indexed before the expansion began)
    state.top.diagnostics.append(Diagnostic(src.display, line, col, WARNING, message, rule, hint))


def _resolve(src: SourceFile, inc, state: _State, stack, depth: int) -> None:
    href = (inc.get("href") or "").strip()
    parse = (inc.get("parse") or "xml").strip()
    pointer = inc.get("xpointer")
    what = f"xi:include of '{href or '#' + (pointer or '')}'"
    if parse not in ("xml", "text"):
        return _fallback(src, inc, state, stack, depth, f"{what}: parse=\"{parse}\" is not XML or text",
                         "xinclude.parse")
    if urlsplit(href).scheme and not re.match(r"^[A-Za-z]:[\\/]", href):
        return _fallback(src, inc, state, stack, depth,
                         f"{what}: a URL is never read (the toolkit does not use the network)",
                         "xinclude.remote", "keep a copy of the file inside the edition and include it by a relative path")
    if href.startswith(("/", "\\")) or os.path.isabs(href):
        return _fallback(src, inc, state, stack, depth, f"{what}: an absolute path is never read",
                         "xinclude.absolute", "include files of the edition by a path relative to the including file")
    here = os.path.realpath(src.path)
    target = os.path.realpath(os.path.join(os.path.dirname(here), unquote(href))) if href else here
    if not any(target == r or target.startswith(r.rstrip(os.sep) + os.sep) for r in state.roots):
        return _fallback(src, inc, state, stack, depth,
                         f"{what}: the file lies outside the edition's folder and was not read",
                         "xinclude.outside", "include only files inside the edition")
    if depth >= MAX_DEPTH:
        return _fallback(src, inc, state, stack, depth,
                         f"{what}: includes are nested more than {MAX_DEPTH} deep; not expanded",
                         "xinclude.depth")
    if parse == "text":
        return _include_text(src, inc, state, stack, depth, target, what)
    if href and target in stack:
        return _fallback(src, inc, state, stack, depth,
                         f"{what}: the file includes itself (through {len(stack)} file(s)); not expanded",
                         "xinclude.cycle", "remove the include that leads back")
    if not href:
        if not pointer:
            return _fallback(src, inc, state, stack, depth, f"{what}: neither href nor xpointer",
                             "xinclude.empty")
        found, nodes = src, _select(inc.getroottree().getroot(), pointer)
        if nodes and any(n is inc or inc in n.iterdescendants() for n in nodes):
            return _fallback(src, inc, state, stack, depth,
                             f"{what}: the included part contains the include itself; not expanded",
                             "xinclude.cycle")
    else:
        found = state.parsed.get(target)
        if found is None:
            found = _read(src, inc, state, target, stack, depth, what)
            if found is None:
                return None
        nodes = [found.root] if not pointer else _select(found.root, pointer)
    if nodes is None:
        return _fallback(src, inc, state, stack, depth,
                         f"{what}: xpointer '{pointer}' uses a scheme the toolkit does not support "
                         f"(supported: an id, element())", "xinclude.xpointer-unsupported")
    if not nodes:
        return _fallback(src, inc, state, stack, depth, f"{what}: xpointer '{pointer}' designates nothing",
                         "xinclude.xpointer-missing")
    copies = [_copy(n, found, state) for n in nodes]
    _fix_lang(inc, nodes, copies)
    _replace(inc, copies)


def _read(src, inc, state: _State, target: str, stack, depth: int, what: str) -> SourceFile | None:
    found = parse_file(target, display=_shown(target, state))
    if not found.ok:
        reason = found.diagnostics[0].message if found.diagnostics else "unreadable"
        rule = "xinclude.missing" if found.diagnostics and found.diagnostics[0].rule == "file.missing" \
            else "xinclude.unreadable"
        _fallback(src, inc, state, stack, depth, f"{what}: {reason}", rule)
        return None
    state.total += len(found.data)
    if state.total > MAX_TOTAL_BYTES:
        _fallback(src, inc, state, stack, depth,
                  f"{what}: the included files exceed {MAX_TOTAL_BYTES // 1048576} MB together; not expanded",
                  "xinclude.too-large")
        return None
    state.files.append(Path(target))
    state.parsed[target] = found
    inner = _State(state.roots, found, state.total, state.files, state.parsed)
    if may_include(found.data):
        found.position(found.root)
        _expand_tree(found, found.root, inner, (*stack, target), depth + 1)
        state.top.diagnostics.extend(d for d in found.diagnostics if d.rule.startswith("xinclude."))
    state.total = inner.total
    return found


def _shown(target: str, state: _State) -> str:
    """An included file's path as the including document's is shown (relative to the same
    folder: the working directory, or the edition's root), so that its diagnostics read alike;
    "../parts/p.xml" from "tei/vols/vol.xml" is "tei/parts/p.xml"."""
    here = os.path.dirname(os.path.realpath(state.top.path))
    shown = os.path.join(os.path.dirname(state.top.display), os.path.relpath(target, here))
    return os.path.normpath(shown).replace(os.sep, "/")


def _include_text(src, inc, state: _State, stack, depth, target: str, what: str) -> None:
    try:
        data, _ = read_regular(target, cap=MAX_TOTAL_BYTES - state.total)
    except FileNotFoundError:
        return _fallback(src, inc, state, stack, depth, f"{what}: file not found", "xinclude.missing")
    except UnreadableFile as e:
        return _fallback(src, inc, state, stack, depth, f"{what}: {e}", "xinclude.unreadable")
    except OSError as e:
        return _fallback(src, inc, state, stack, depth, f"{what}: {e.strerror or e}", "xinclude.unreadable")
    state.total += len(data)
    state.files.append(Path(target))
    try:
        text = _decoded(data, (inc.get("encoding") or "").strip())
    except ValueError as e:
        return _fallback(src, inc, state, stack, depth, f"{what}: {e}", "xinclude.unreadable",
                         "give the file's encoding in @encoding (UTF-8 is assumed without it)")
    _replace(inc, [text])


# A byte order mark gives the encoding of a text without @encoding (XInclude 1.0, 4.3), UTF-8
# else; UTF-32's marks first (UTF-32LE's begins with UTF-16LE's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ENCODING_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")  # XML's EncName
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _decoded(data: bytes, encoding: str) -> str:
    """An included text as characters: decoded by @encoding, else by its byte order mark, else
    as UTF-8, without the mark; ValueError (saying why and where) for an unknown encoding,
    bytes that are not in it, or a character XML does not allow (lxml would refuse it)."""
    if encoding and not _ENCODING_NAME.fullmatch(encoding):
        raise ValueError(f"@encoding '{encoding}' is not an encoding name")
    name = encoding or next((n for bom, n in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(name)
    except LookupError:
        raise ValueError(f"@encoding '{encoding}' is not an encoding the toolkit knows") from None
    except UnicodeDecodeError as e:
        line, col = _line_col(data[:e.start].decode(name, "replace"))
        raise ValueError(f"the text is not {name} (line {line}, column {col}: {e.reason})") from None
    text = text.removeprefix("\ufeff")
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        line, col = _line_col(text[:bad.start()])
        raise ValueError(f"the text holds U+{ord(bad.group()):04X}, a character XML does not allow "
                         f"(line {line}, column {col})")
    return text


def _line_col(before: str) -> tuple[int, int]:
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _select(root, pointer: str):
    """The elements an xpointer designates: a shorthand id, or element() parts tried in turn;
    None for a scheme this resolver does not support."""
    pointer = pointer.strip()
    if _SHORTHAND.match(pointer):
        return _by_id(root, pointer)
    parts = _SCHEME.findall(pointer)
    if not parts or _SCHEME.sub("", pointer).strip():
        return None
    supported = False
    for scheme, body in parts:
        if scheme != "element":
            continue  # xmlns(), xpointer() …: skipped, as the spec lets a processor do
        supported = True
        el = _element_scheme(root, body)
        if el is not None:
            return [el]
    return [] if supported else None


def _by_id(root, ident: str) -> list:
    for el in root.iter():
        if isinstance(el.tag, str) and el.get(f"{{{XML_NS}}}id") == ident:
            return [el]
    return []


def _element_scheme(root, body: str):
    """element(id/1/2) or element(/1/2): a child sequence from an id or the document."""
    steps = body.split("/")
    if steps[0]:
        found = _by_id(root, steps[0])
        el = found[0] if found else None
    else:
        steps = steps[1:]
        el = root if steps and steps[0] == "1" else None
        steps = steps[1:]
    for step in steps:
        if el is None or not step.isdigit():
            return None
        kids = [c for c in el if isinstance(c.tag, str)]
        n = int(step)
        el = kids[n - 1] if 0 < n <= len(kids) else None
    return el


def _copy(node, found: SourceFile, state: _State):
    new = deepcopy(node)
    new.tail = None
    top = state.top
    if top.origins is None:
        top.origins = {}
    for a, b in zip(new.iter(), node.iter()):
        if isinstance(a.tag, str):
            top.origins[a] = (found.origins or {}).get(b) or (found, b)
    return new


def _fix_lang(inc, nodes, copies) -> None:
    """Keep the language the included element had in its own file (XInclude's xml:lang fixup)."""
    here = _lang(inc)
    for node, new in zip(nodes, copies):
        if isinstance(new, str) or new.get(XML_LANG) is not None:
            continue
        there = _lang(node)
        if there is not None and there != here:
            new.set(XML_LANG, there)


def _lang(el):
    for a in el.iterancestors():
        if a.get(XML_LANG) is not None:
            return a.get(XML_LANG)
    return el.get(XML_LANG) if el.tag not in XI_NAMES else None


def _fallback(src, inc, state: _State, stack, depth: int, message: str, rule: str, hint: str = "") -> None:
    fb = next((c for c in inc if c.tag in FALLBACKS), None)
    if fb is not None:
        message += "; its xi:fallback is used"
    _warn(state, src, inc, message, rule, hint)
    if fb is None:
        _replace(inc, [])
        return
    items = ([fb.text] if fb.text else []) + [c for c in fb]
    parent = inc.getparent()
    _replace(inc, items, keep_fallback_children=True)
    if parent is not None:
        for c in items:
            if not isinstance(c, str) and isinstance(c.tag, str):
                for inner in [e for e in c.iter(*XI_NAMES) if not _inside_include(e, c)]:
                    _resolve(src, inner, state, stack, depth)


def _replace(inc, items, keep_fallback_children: bool = False) -> None:
    """Put `items` (elements, text) where the include stands, keeping its tail."""
    parent = inc.getparent()
    if parent is None:
        return  # an include as the root: left as it is (reported by the validation)
    tail = inc.tail
    prev = inc.getprevious()
    index = parent.index(inc)
    parent.remove(inc)

    def add_text(text: str | None):
        nonlocal prev
        if not text:
            return
        if prev is None:
            parent.text = (parent.text or "") + text
        else:
            prev.tail = (prev.tail or "") + text

    for item in items:
        if isinstance(item, str):
            add_text(item)
            continue
        item_tail = item.tail if keep_fallback_children else None
        parent.insert(index, item)
        item.tail = None
        index += 1
        prev = item
        add_text(item_tail)
    add_text(tail)
