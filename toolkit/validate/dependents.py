"""Which unchanged files of an edition a commit can break: those whose pointers reach a file
that the commit adds, deletes or renames, or an xml:id that it adds, removes or gives to
another kind of element.

Run on every file that is not checked anyway, so it works on bytes: a substring test finds the
few files that may be concerned, and only those have their pointer attributes read.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..model import POINTER_ATTRS, canon
from ..xmlsafe import _ID_BEARING_TAG

_POINTER_VALUE = re.compile(rb"\s(?:" + b"|".join(a.encode() for a in POINTER_ATTRS)
                            + rb")\s*=\s*([\"'])(.*?)\1", re.S)
_REFERENCE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Above this many changed ids, a substring test per id costs more than reading every
# candidate's pointers.
_FEW_IDS = 16


@dataclass
class FileChange:
    """One file of the commit, as the edition sees it."""
    path: Path                      # where the validation reads it (canonical)
    added: bool = False             # not there before the commit (or renamed to here)
    deleted: bool = False           # gone after the commit (or renamed away)
    ids: set[str] = field(default_factory=set)  # xml:ids added, removed or of another element


def id_pairs(data: bytes | None) -> set[tuple[str, str]]:
    """(element name, xml:id) of every id-bearing start tag in a file's bytes."""
    if not data:
        return set()
    return {(m.group(1).decode("ascii", "replace"), m.group(3).decode("utf-8", "replace"))
            for m in _ID_BEARING_TAG.finditer(data)}


def changed_ids(before: bytes | None, after: bytes | None) -> set[str]:
    """The ids whose presence or element differs between two versions of a file."""
    return {i for _, i in id_pairs(before) ^ id_pairs(after)}


def pointer_tokens(data: bytes):
    """Every token of the pointer attributes (model.POINTER_ATTRS) in a file's bytes."""
    for m in _POINTER_VALUE.finditer(data):
        value = m.group(2).decode("utf-8", "replace")
        if "&" in value:
            value = _REFERENCE.sub(_character, value)
        yield from value.split()


def _character(m: re.Match) -> str:
    ref = m.group(1)
    if ref[0] != "#":
        return _NAMED[ref]
    try:
        return chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:]))
    except (ValueError, OverflowError):
        return m.group(0)


def _needles(changes: dict[Path, FileChange]) -> list[bytes]:
    """Bytes that a file pointing into a changed file must contain: the file's name."""
    out = set()
    for c in changes.values():
        if c.added or c.deleted or c.ids:
            name = c.path.name
            out.update({name.encode("utf-8"), quote(name).encode("ascii")})
    return sorted(out)


def _reaches(path: Path, data: bytes, changes: dict[Path, FileChange], ids: set[str]) -> bool:
    """Whether a pointer of the file reaches a changed file or a changed id."""
    folder = str(path.parent)
    for token in pointer_tokens(data):
        scheme = urlsplit(token).scheme
        if scheme and scheme != "file":
            continue  # an external URI, or a prefix (pmb:): not in the edition
        file_part, hash_, frag = token.partition("#")
        if not hash_ and token in ids:
            return True  # a bare id ("pmb429"), which the model accepts for entities
        if not file_part:
            if unquote(frag) in ids:
                return True
            continue
        c = changes.get(canon(Path(os.path.normpath(os.path.join(folder, unquote(file_part))))))
        if c is not None and (c.added or c.deleted or unquote(frag) in c.ids):
            return True
    return False


_INCLUDE_HREF = re.compile(rb"<(?:[\w.-]+:)?include\b[^>]*?\shref\s*=\s*([\"'])(.*?)\1", re.S)


def _includes_changed(path: Path, data: bytes, changes) -> bool:
    """Whether the file xi:includes a changed file (any container of canonical paths): it is
    validated expanded (toolkit/xinclude.py), so any change of the included file's text can
    break it."""
    folder = str(path.parent)
    for m in _INCLUDE_HREF.finditer(data):
        href = unquote(m.group(2).decode("utf-8", "replace"))
        if href and not urlsplit(href).scheme and \
                canon(Path(os.path.normpath(os.path.join(folder, href)))) in changes:
            return True
    return False


def _changed_through_includes(changes: dict[Path, FileChange], includers) -> set[Path]:
    """The changed files, and every file among `includers` that includes one of them, also
    through other included files (vol.xml includes part.xml, which includes the changed
    chapter.xml): one round per level of nesting, as deep as XInclude is expanded."""
    from ..xinclude import MAX_DEPTH
    reached = set(changes)
    pending: dict[Path, bytes] = {}
    for f in includers or ():
        if f in reached:
            continue
        try:
            with open(f, "rb") as fh:
                pending[f] = fh.read()
        except OSError:
            continue
    for _ in range(MAX_DEPTH):
        grown = {f for f, data in pending.items() if _includes_changed(f, data, reached)}
        if not grown:
            break
        reached |= grown
        for f in grown:
            del pending[f]
    return reached


def dependents(files: list[Path], changes: dict[Path, FileChange], includers=None) -> list[Path]:
    """The files among `files` whose pointers reach a change (see the module's doc), or that
    include a changed file (xi:include). `includers`, when known (git grep), are the only files
    that may include one."""
    ids = set().union(*(c.ids for c in changes.values())) if changes else set()
    needles = _needles(changes)
    reached = _changed_through_includes(changes, includers) if includers else set(changes)
    included = sorted({p.name.encode("utf-8") for p in reached})
    if includers is not None and not needles:
        files = [f for f in files if canon(f) in includers]
    if not needles and not included:
        return []  # no file came or went and no id changed: no pointer can resolve otherwise
    id_needles = [i.encode("utf-8") for i in ids] if len(ids) <= _FEW_IDS else None
    out = []
    for f in files:
        try:
            with open(f, "rb") as fh:
                data = fh.read()
        except OSError:
            continue  # the validation of the file itself will say why
        if b"XInclude" in data and any(n in data for n in included) and _includes_changed(f, data, reached):
            out.append(f)
            continue
        if not needles:
            continue
        candidate = any(n in data for n in needles) or (
            bool(ids) and (id_needles is None or any(n in data for n in id_needles)))
        if candidate and _reaches(f, data, changes, ids):
            out.append(f)
    return out
