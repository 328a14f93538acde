"""Saxon (saxonche): one processor per process, each stylesheet compiled once and reused."""
from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

from .xmlsafe import serialize_for_saxon

_lock = threading.RLock()  # re-entrant: transform() holds it while _value() asks for the processor
_processor = None
_compiled: dict[tuple[str, float], object] = {}

# The source checkout's xslt/ (editable installs, development); a wheel ships it as toolkit/xslt.
XSLT_DIR = next((d for d in (Path(__file__).resolve().parent.parent / "xslt",
                             Path(__file__).resolve().parent / "xslt") if d.is_dir()),
                Path(__file__).resolve().parent.parent / "xslt")


class XsltError(Exception):
    """A stylesheet failed to compile or to run; message says which and why."""


def processor():
    """The process-wide PySaxonProcessor, created on first use (start-up stays fast)."""
    global _processor
    with _lock:
        if _processor is None:
            from saxonche import PySaxonProcessor
            _processor = PySaxonProcessor(license=False)
        return _processor


def compile_stylesheet(path: str | Path):
    """The compiled executable for a stylesheet file, cached by path and modification time."""
    path = Path(path).resolve()
    key = (str(path), path.stat().st_mtime)
    with _lock:
        exe = _compiled.get(key)
    if exe is not None:
        return exe
    proc = processor()
    xp = proc.new_xslt30_processor()
    try:
        exe = xp.compile_stylesheet(stylesheet_file=str(path))
    except Exception as e:  # saxonche raises PySaxonApiError with Saxon's message
        raise XsltError(f"{path.name}: stylesheet does not compile: {e}") from None
    if exe is None:
        raise XsltError(f"{path.name}: stylesheet does not compile")
    with _lock:
        _compiled[key] = exe
    return exe


def compile_stylesheet_text(text: str, cache_key: str):
    """Compile a stylesheet held in memory (e.g. generated from Schematron), cached by key."""
    key = (cache_key, 0.0)
    with _lock:
        exe = _compiled.get(key)
    if exe is not None:
        return exe
    xp = processor().new_xslt30_processor()
    try:
        exe = xp.compile_stylesheet(stylesheet_text=text)
    except Exception as e:
        raise XsltError(f"generated stylesheet {cache_key} does not compile: {e}") from None
    with _lock:
        _compiled[key] = exe
    return exe


def to_xdm(tree: etree._ElementTree | etree._Element | str, base_uri: str | None = None):
    """An XdmNode for an lxml tree (already safely parsed) or for trusted XML text."""
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
    return builder.parse_xml(xml_text=text)


def source_to_xdm(src, base_uri: str | None = None):
    """An XdmNode for a parsed SourceFile. When the file has no DOCTYPE and no entity
    declaration (lxml has just checked it), Saxon may read the file itself, which is faster
    than handing it serialised text; otherwise it gets the tree lxml made, without DOCTYPE."""
    head = src.data[:65536] if src.data else b""
    if (not getattr(src, "light", False) and src.data and b"<!DOCTYPE" not in head
            and b"<!ENTITY" not in head and src.path.is_file()):
        builder = processor().new_document_builder()
        builder.set_base_uri(base_uri or src.path.absolute().as_uri())
        try:
            return builder.parse_xml(xml_file_name=str(src.path))
        except Exception:
            pass  # fall back to the lxml tree
    return to_xdm(src.tree, base_uri)


def _value(v):
    proc = processor()
    if isinstance(v, bool):
        return proc.make_boolean_value(v)
    if isinstance(v, int):
        return proc.make_integer_value(v)
    if isinstance(v, str):
        return proc.make_string_value(v)
    return v  # already an XdmValue / XdmNode


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
        try:
            result = exe.transform_to_string(xdm_node=node)
        except Exception as e:
            raise XsltError(str(e)) from None
    return result or ""
