"""RELAX NG compact syntax (.rnc): converted to the XML syntax by rnc2rng, then validated as
any RELAX NG schema (relaxng.py), with the same messages.

The conversion is cached on disk ($XDG_CACHE_HOME/tei-edition-toolkit/schemas/rnc/), keyed by
the content of every .rnc file read (the schema and what it includes), so a run converts a
schema once. Included files are read under the same rules as any schema (inside the edition,
regular files, size cap: xmlsafe).

rnc2rng reads a subset of the syntax (no follow annotations `>> x:y [ … ]`, which trang writes
for the Schematron rules of TEI schemas; no single-quoted literals): annotations are cut before
it parses (plain_rnc). They do not change what is valid; embedded Schematron rules are lost
with them (the .rng form of such a schema keeps them). rnc2rng would open an included file or URL
itself: includes go through the toolkit's confined reader instead (_convert).
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

from ..files import write_atomic
from ..cache import cache_dir
from ..xmlsafe import UnreadableFile, outside_roots, read_regular
from .relaxng import SchemaError

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_lock = threading.Lock()
_memo: dict[tuple, Path] = {}


def validate(src, schema_path: Path, rule: str = "rng"):
    from .relaxng import validate as rng_validate
    return rng_validate(src, to_rng(schema_path), rule)


def _read_text(path: Path) -> str:
    real = outside_roots(path)
    if real is not None:
        raise SchemaError(f"{path}: lies outside the edition ({real}): not read")
    try:
        data, _ = read_regular(path, with_stat=False)
    except FileNotFoundError:
        raise SchemaError(f"{path}: the schema does not exist") from None
    except (UnreadableFile, OSError) as e:
        raise SchemaError(f"{path}: {e}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SchemaError(f"{path}: not UTF-8 text (byte {e.start})") from None


_CNAME_BEFORE = re.compile(r"(?:>>\s*)?[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*\s*$")


def _literal_end(text: str, i: int) -> tuple[int, str]:
    """(index after the literal starting at i, its quote)."""
    for q in ('"""', "'''", '"', "'"):
        if text.startswith(q, i):
            end = text.find(q, i + len(q))
            return (len(text) if end < 0 else end + len(q)), q
    return i + 1, ""


_SPECIAL = re.compile(r"[\"'#\[]")


def plain_rnc(text: str) -> str:
    """The schema without what rnc2rng cannot read and validation does not need: annotations
    (`[ … ]`, grammar-level `x:y [ … ]`, follow annotations `>> x:y [ … ]`) are cut, `##`
    documentation becomes a comment, and literals in single or triple quotes become "…" (when
    they hold no double quote or newline). Line breaks are kept, so messages keep their lines."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        i = m.start()
        c = text[i]
        if c in "\"'":
            j, q = _literal_end(text, i)
            body = text[i + len(q):j - len(q)]
            out.append('"' + body + '"' if q != '"' and '"' not in body and "\n" not in body else text[i:j])
            i = j
        elif c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append("#" + text[i:j].lstrip("#"))
            i = j
        else:  # "[": an annotation, to its matching "]"
            j, depth = i + 1, 1
            while j < n and depth:
                if text[j] in "\"'":
                    j = _literal_end(text, j)[0]
                    continue
                depth += {"[": 1, "]": -1}.get(text[j], 0)
                j += 1
            tail = "".join(out[-3:])
            before = _CNAME_BEFORE.search(tail)
            if before:  # an annotation element: its name (and a >> before it) goes too
                del out[-3:]
                out.append(tail[:before.start()])
            out.append("\n" * text.count("\n", i, j))
            i = j
    return "".join(out)


def _convert(path: Path, text: str) -> str:
    """rnc2rng's XML syntax for the schema. Its includes are read through _read_text (the
    confinement of every schema), never by rnc2rng itself, which would open any path or URL."""
    import rnc2rng
    from rnc2rng import parser

    def guarded(src=None, f=None):
        if src is not None:
            return original(src=src)
        href = str(f)
        if "://" in href:
            raise SchemaError(f"{path}: includes the remote schema {href!r}, which is never fetched")
        inc = Path(href)
        return parser.parser.parse(parser.lex(plain_rnc(_read_text(inc))),
                                   state=parser.State(str(inc), ""))

    with _lock:
        original = parser.parse
        parser.parse = guarded
        try:
            root = parser.parser.parse(parser.lex(plain_rnc(text)), state=parser.State(str(path), text))
            return rnc2rng.dumps(root)
        except SchemaError:
            raise
        except Exception as e:  # noqa: BLE001 - rply's and rnc2rng's errors have no common base
            pos = getattr(e, "source_pos", None) or (e.args[1] if len(getattr(e, "args", ())) > 1 else None)
            where = f":{pos.lineno}:{pos.colno}" if hasattr(pos, "lineno") else ""
            msg = getattr(e, "message", None) or type(e).__name__
            raise SchemaError(f"{path}{where}: not RELAX NG compact syntax that can be read ({msg})") from None
        finally:
            parser.parse = original


_INCLUDE = re.compile(r'\b(?:include|external)\s+"([^"]*)"')


def _sources(path: Path) -> dict[Path, str]:
    """The .rnc file and every .rnc it includes (transitively): path → text, read with the
    confinement of every schema (the cache key; _convert reads the includes again, the same way)."""
    found: dict[Path, str] = {}
    todo = [path.resolve()]
    while todo:
        p = todo.pop()
        if p in found:
            continue
        found[p] = text = _read_text(p)
        for m in _INCLUDE.finditer(plain_rnc(text)):
            href = m.group(1)
            if "://" in href:
                raise SchemaError(f"{p}: includes the remote schema {href!r}, which is never fetched")
            todo.append((p.parent / href).resolve())
    return found


def to_rng(path: Path) -> Path:
    """The XML-syntax form of an .rnc schema, in the cache (made when its sources changed)."""
    path = Path(path).resolve()
    st = path.stat()
    seen = (str(path), st.st_mtime_ns, st.st_size)
    with _lock:
        done = _memo.get(seen)
    if done is not None and done.exists():
        return done  # (an included file changed meanwhile: the next run sees it)
    sources = _sources(path)
    from importlib.metadata import version
    made_by = ["rnc.py 1", version("rnc2rng")]
    digest = hashlib.sha256(json.dumps([made_by, sorted((str(p), t) for p, t in sources.items())]).encode()).hexdigest()[:32]
    key = (str(Path(path).resolve()), digest)
    with _lock:
        done = _memo.get(key)
    if done is not None and done.exists():
        return done
    # rnc2rng writes one grammar with the included ones inlined: one file per schema
    target = cache_dir("schemas", "rnc", digest, Path(path).stem + ".rng")
    if not target.exists():
        _write(target, _convert(Path(path).resolve(), sources[Path(path).resolve()]))
    with _lock:
        _memo[key] = _memo[seen] = target
    return target


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
    except OSError as e:
        raise SchemaError(f"cannot write the converted schema to {path.parent}: {e.strerror or e}") from None
