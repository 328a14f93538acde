"""The staged check's reference index: what each file of an edition holds that another file's
change can concern (its xml:ids with their elements, its pointer tokens, its xi:include hrefs),
kept in the toolkit's cache folder so that `validate --staged` reads only the files that
changed, not all of them.

Records are keyed by git's blob name of the file's content: a record describes exactly the
bytes it was made from, so it cannot go stale. They are used only for files whose working copy
(or snapshot copy) git says is the index's. One index per edition, named by the edition's
folder, its edition.toml's bytes and the toolkit's version: a change of either starts afresh.

The file is toolkit-written data, read defensively: one record per line (JSON), appended as new
blobs are met; a line that does not parse or has the wrong shape is ignored (the file it would
describe is read instead), and the whole index is rewritten without stale records when they
outnumber the live ones. Any problem reading or writing it means no index, with the same result.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from .. import __version__
from ..cache import _prune, cache_dir
from ..xmlsafe import _ID_BEARING_TAG
from .dependents import _INCLUDE_HREF, pointer_tokens

FORMAT = 1
KEEP = 8  # indexes (one per edition): tens of MB each for the largest editions
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# A record: (id pairs as [element, id, element, id, ...], pointer tokens, include hrefs)
Record = tuple[list[str], list[str], list[str]]


def record_of(data: bytes) -> Record:
    """What the index keeps of a file's bytes."""
    flat = []  # in document order, as xmlsafe.index_ids_only finds them
    for m in _ID_BEARING_TAG.finditer(data):
        flat += [m.group(1).decode("ascii", "replace"), m.group(3).decode("utf-8", "replace")]
    includes = [m.group(2).decode("utf-8", "replace") for m in _INCLUDE_HREF.finditer(data)] \
        if b"XInclude" in data else []
    return flat, list(pointer_tokens(data)), includes


def _valid(value) -> Record | None:
    """A record read from the file, or None when it is not one (a damaged or forged line)."""
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, list) for v in value)):
        return None
    flat, tokens, includes = value
    if len(flat) % 2 or not all(isinstance(s, str) for part in value for s in part):
        return None
    return flat, tokens, includes


def _own(st: os.stat_result) -> bool:
    """A regular file of this user that no one else may write: what the toolkit writes (0600).
    The index is believed as the toolkit itself is (a record of the right shape cannot be told
    from a true one without reading the file it describes); one that others could have written
    is not read at all."""
    import stat
    return stat.S_ISREG(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid()) \
        and not st.st_mode & 0o022


def index_path(root: Path, config_bytes: bytes | None) -> Path:
    key = hashlib.sha256(b"\0".join([__version__.encode(), str(FORMAT).encode(),
                                     os.fsencode(str(root)), config_bytes or b"<none>"])).hexdigest()[:32]
    return cache_dir("staged-index", key + ".jsonl")


class RefIndex:
    """Records by blob name; `get` answers from the file, `put` remembers new ones for save()."""

    def __init__(self, path: Path):
        self.path = path
        self.records: dict[str, list] = {}     # blob -> raw value, checked when used
        self.new: dict[str, Record] = {}
        self.lines = 0
        self._load()

    def _load(self):
        try:
            with open(self.path, "rb") as fh:
                st = os.fstat(fh.fileno())
                if st.st_size > 2**31 or not _own(st):
                    return  # not ours to read whole, or another user could have written it
                data = fh.read()
        except OSError:
            return
        lines = data.split(b"\n")
        if not lines or lines[0] != b'{"format": %d}' % FORMAT:
            return
        body = [ln for ln in lines[1:] if ln]
        self.lines = len(body)
        try:
            entries = json.loads(b"[" + b",".join(body) + b"]")
        except (ValueError, RecursionError):
            entries = []
            for ln in body:  # a damaged line: keep the others
                try:
                    entries.append(json.loads(ln))
                except (ValueError, RecursionError):
                    continue
        for e in entries:
            if isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and _SHA.fullmatch(e[0]):
                self.records[e[0]] = e[1]

    def get(self, blob: str) -> Record | None:
        if blob in self.new:
            return self.new[blob]
        raw = self.records.get(blob)
        if raw is None or isinstance(raw, tuple):
            return raw
        checked = _valid(raw)
        if checked is None:
            del self.records[blob]
        else:
            self.records[blob] = checked  # checked once
        return checked

    def put(self, blob: str, record: Record):
        if _SHA.fullmatch(blob) and self.get(blob) != record:
            self.new[blob] = record

    def save(self, live: set[str]):
        """Append the new records; rewrite the whole file when most of it is stale."""
        stale = sum(1 for b in self.records if b not in live)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if stale > max(len(live), 1000) or not self.path.exists() or self.lines == 0:
                keep = {b: self.get(b) for b in [b for b in self.records if b in live]}
                keep = {b: r for b, r in keep.items() if r is not None}
                keep.update(self.new)
                tmp = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp")
                with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
                    fh.write('{"format": %d}\n' % FORMAT)
                    for b, r in keep.items():
                        fh.write(json.dumps([b, list(r)], ensure_ascii=False) + "\n")
                os.replace(tmp, self.path)
                _prune(self.path.parent, KEEP, ".jsonl")  # the indexes of editions not checked lately go
            elif self.new:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write("".join(json.dumps([b, list(r)], ensure_ascii=False) + "\n"
                                     for b, r in self.new.items()))
        except OSError:
            pass
