"""XML Schema 1.0 and 1.1 (.xsd) through the xmlschema library (lxml's libxml2 knows 1.0 only).

A schema whose root says vc:minVersion="1.1" (or more) is read as XSD 1.1, any other as 1.0.
Errors point at the element of the checked file (its start tag: file:line:col, like every other
check). The schema and what it includes or imports are read only under the rules of every schema
(inside the edition, the toolkit's own files or its cache: xmlsafe.outside_roots): no URL is
opened — the XML namespace's schema (http://www.w3.org/2001/xml.xsd, which most schemas import)
comes from xmlschema's own copy. The compiled schema is kept on disk (see _from_disk).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..cache import cache_dir
from ..diagnostics import ERROR, Diagnostic
from ..xmlsafe import UnreadableFile, outside_roots, read_regular
from .relaxng import SchemaError

VC_NS = "http://www.w3.org/2007/XMLSchema-versioning"
_lock = threading.Lock()
_cache: dict[tuple, object] = {}


class _Refused(Exception):
    pass


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if parts.scheme == "" and url:
        return Path(url)
    return None


def _version(path: Path, data: bytes) -> str:
    try:
        root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False))
    except etree.XMLSyntaxError as e:
        raise SchemaError(f"{path}: the schema is not well-formed XML: {e}") from None
    v = root.get(f"{{{VC_NS}}}minVersion", "1.0")
    try:
        return "1.1" if float(v) >= 1.1 else "1.0"
    except ValueError:
        return "1.0"


def load(path: Path):
    """The compiled schema, once per process per (path, mtime)."""
    path = Path(path).resolve()
    key = (str(path), path.stat().st_mtime_ns)
    with _lock:
        s = _cache.get(key)
    if s is not None:
        if isinstance(s, SchemaError):
            raise s
        return s
    try:
        s = _from_disk(path)
        if s is None:
            s = _compile(path)
            _to_disk(path, s)
    except SchemaError as e:
        with _lock:
            _cache[key] = e
        raise
    with _lock:
        _cache[key] = s
    return s


class _Confine:
    """xmlschema's uri_mapper: every location the schema names. A remote one is never opened
    (the XML namespace's schema is xmlschema's own copy), a local one only inside the read roots.
    (A class, not a closure: the compiled schema is pickled into the cache with it.)"""

    def __init__(self, fallback: dict):
        own = [u for v in fallback.values() for u in ([v] if isinstance(v, str) else v)]
        self.by_name = {u.rsplit("/", 1)[-1]: u for u in own}
        self.bundled = {str(_local_path(u)) for u in own}
        self.refused: list[str] = []

    def __call__(self, url: str) -> str:
        if url.startswith(("http://www.w3.org/", "https://www.w3.org/")) and url.rsplit("/", 1)[-1] in self.by_name:
            return self.by_name[url.rsplit("/", 1)[-1]]
        p = _local_path(url)
        if p is None:
            self.refused.append(f"{url} (remote: never fetched)")
            return "refused:" + url
        if outside_roots(p) is not None and str(p) not in self.bundled:
            self.refused.append(f"{p} (outside the edition: not read)")
            return "refused:" + url
        return url


def _compile(path: Path):
    import xmlschema
    from xmlschema.locations import FALLBACK_LOCATIONS
    real = outside_roots(path)
    if real is not None:
        raise SchemaError(f"{path}: lies outside the edition ({real}): not read")
    try:
        data, _ = read_regular(path, with_stat=False)
    except (UnreadableFile, OSError) as e:
        raise SchemaError(f"{path}: {e}") from None
    cls = xmlschema.XMLSchema11 if _version(path, data) == "1.1" else xmlschema.XMLSchema10
    confine = _Confine(FALLBACK_LOCATIONS)
    try:
        return cls(str(path), allow="local", defuse="always", uri_mapper=confine,
                   timeout=5, use_fallback=True)
    except Exception as e:  # noqa: BLE001 - xmlschema's parse, resource and model errors
        refused = confine.refused
        if refused:
            raise SchemaError(f"{path}: the XML Schema includes or imports "
                              f"{', '.join(dict.fromkeys(refused))}") from None
        msg = getattr(e, "message", None) or str(e)
        raise SchemaError(f"{path}: the XML Schema does not compile: {msg.strip().splitlines()[0]}") from None


# -- the compiled schema on disk ---------------------------------------------------------------
# xmlschema takes seconds to build a large schema (1.8 s for the Schnitzler letters' XSD 1.1) and
# a tenth of that to unpickle it: a pre-commit run must not pay the build each time. The entry is
# keyed by the schema's content; every file it read is listed with its sha256 and checked before
# the entry is used (and must still lie where this run may read).

def _sha(path: Path) -> str | None:
    try:
        data, _ = read_regular(path, with_stat=False)
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest()


def _entry(path: Path) -> Path | None:
    from importlib.metadata import version
    digest = _sha(path)
    if digest is None:
        return None
    key = hashlib.sha256(f"xsd.py 1|{version('xmlschema')}|{path}|{digest}".encode()).hexdigest()[:32]
    return cache_dir("schemas", "xsd", key + ".pickle")


def _sources(schema) -> list[tuple[str, str | None]]:
    out = []
    for sub in schema.maps.iter_schemas():
        p = _local_path(sub.url or "")
        if p is not None:
            out.append((str(p), _sha(p)))
    return out


def _from_disk(path: Path):
    entry = _entry(path)
    if entry is None or not entry.is_file():
        return None
    try:
        with open(entry, "rb") as fh:
            sources, schema = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a stale or broken entry: build anew
        return None
    bundled = _Confine(_fallback()).bundled
    for p, digest in sources:
        if (outside_roots(p) is not None and p not in bundled) or _sha(Path(p)) != digest:
            return None
    return schema


def _to_disk(path: Path, schema) -> None:
    entry = _entry(path)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((_sources(schema), schema), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except Exception:  # noqa: BLE001 - no cache then, the same result
        pass


def _fallback() -> dict:
    from xmlschema.locations import FALLBACK_LOCATIONS
    return FALLBACK_LOCATIONS


def validate(src, schema_path: Path, rule: str = "xsd") -> list[Diagnostic]:
    schema = load(schema_path)
    out: list[Diagnostic] = []
    with _lock:  # (xmlschema's validators keep state while they run)
        errors = list(schema.iter_errors(src.tree))
    for err in errors:
        el = getattr(err, "elem", None)
        if el is not None and not isinstance(getattr(el, "tag", None), str):
            el = None
        reason = (getattr(err, "reason", None) or getattr(err, "message", "") or str(err)).strip()
        m = _UNEXPECTED.match(reason)
        if el is not None and m and 0 < int(m.group(2)) <= len(el):
            child = [c for c in el if isinstance(c.tag, str)][int(m.group(2)) - 1]
            text = f"element <{_name(child)}> is not allowed here inside <{_name(el)}>"
            line, col = src.position(child)
        else:
            text = (f"<{_name(el)}>: " if el is not None else "") + _CLARK.sub(lambda x, el=el: _short(el, x), reason)
            line, col = src.position(el) if el is not None else (1, 1)
        out.append(Diagnostic(src.display, line, col, ERROR, text, rule))
    return out


_UNEXPECTED = re.compile(r"Unexpected child with tag '([^']+)' at position (\d+)")
_CLARK = re.compile(r"\{([^}]*)\}([\w.-]+)")


def _name(el) -> str:
    """The element's name as written: with its prefix, if it has one."""
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


def _short(el, m) -> str:
    """{namespace}name in xmlschema's messages as prefix:name (the prefix the file uses), or the
    bare name for the default namespace."""
    ns, local = m.group(1), m.group(2)
    nsmap = el.nsmap if el is not None else {}
    for prefix, uri in nsmap.items():
        if uri == ns:
            return f"{prefix}:{local}" if prefix else local
    return m.group(0)


