"""Every file's xml:ids, read once before a whole-edition validate forks its workers (issue #18).

Before, each worker made an id-only stand-in (xmlsafe.index_ids_only: a SourceFile, its lxml
tree, its paths and id dict) for every file of the edition it did not check itself: about 3 KB
a file in each worker, 300 MB each at 100,000 documents. The table holds the same scan of the
bytes (the same expression, so the same ids and element names) as one bytes value a file and
one dict from id to its files, made in the main process before the fork: the workers read it
from the pages they share with it, and look a file's ids up only when a check asks for them.

IdsView is what a worker's model sees as Edition.ids: the files it parsed itself as the model
made them, every other file from the table, in the model's order of files (so that "the first
file giving an id" and the order of the files named by a duplicate id are as before).
"""
from __future__ import annotations

from pathlib import Path

from ..model import canon
from ..xmlsafe import _ID_BEARING_TAG, TEI_NS, read_regular

UNREADABLE = b"\xff"  # a file that could not be read: the worker reads it itself (its error)


class IdTable:
    """The files of an edition in the model's order (Edition.load's), each with its ids."""

    def __init__(self, paths: list[Path], whole: set[Path]):
        """`paths` as Edition.load lists them; `whole`: files the workers parse themselves (the
        authority files), given no entry of their own."""
        self.paths: list[Path] = []           # canonical
        self.number: dict[Path, int] = {}
        self.flat: list[bytes | None] = []   # b"element\0id\0element\0id…", UNREADABLE, None
        self.by_id: dict[str, int | tuple] = {}  # id → the number of each file giving it
        for p in paths:
            key = canon(p)
            if key in self.number:
                continue
            n = self.number[key] = len(self.paths)
            self.paths.append(key)
            self.flat.append(None if key in whole else self._scan(p, n))

    def _scan(self, path: Path, n: int) -> bytes:
        try:
            data, _ = read_regular(path, with_stat=False)
        except OSError:
            return UNREADABLE
        parts = []
        seen = set()
        for m in _ID_BEARING_TAG.finditer(data):
            parts += [m.group(1), m.group(3)]
            value = m.group(3).decode("utf-8", "replace")
            if value not in seen:
                seen.add(value)
                held = self.by_id.get(value)
                self.by_id[value] = n if held is None else (held + (n,) if isinstance(held, tuple) else (held, n))
        return b"\0".join(parts)

    def unreadable(self) -> list[Path]:
        return [p for p, f in zip(self.paths, self.flat) if f == UNREADABLE]

    def ids_of(self, n: int) -> dict | None:
        """File n's ids as index_ids_only's stand-in gives them to the model (own_ids): id → an
        element-like with the element's name (the first where an id repeats); None when the
        table has none for it."""
        flat = self.flat[n]
        if flat is None or flat == UNREADABLE:
            return None
        out: dict = {}
        if flat:
            parts = flat.split(b"\0")
            for name, value in zip(parts[::2], parts[1::2]):
                i = value.decode("utf-8", "replace")
                if i not in out:
                    out[i] = _Named(f"{{{TEI_NS}}}{name.decode('ascii', 'replace')}")
        return out

    def givers(self, i: str) -> tuple:
        held = self.by_id.get(i)
        return () if held is None else held if isinstance(held, tuple) else (held,)


class _Named:
    """What the checks read of a table file's element: its name (for the kind of a target)."""
    __slots__ = ("tag",)

    def __init__(self, tag: str):
        self.tag = tag


class IdsView:
    """Edition.ids for a worker: `own` (the model's own ids, of the files it holds) before the
    table's, keyed and ordered as the model's would be with every file in it."""

    def __init__(self, own: dict, files: dict, table: IdTable, shown):
        self.own, self.files, self.table, self.shown = own, files, table, shown
        # files the model holds that the table has not (a corpus's members): after the table's
        extra = [k for k in files if k not in table.number]
        self._extra = {k: len(table.paths) + n for n, k in enumerate(extra)}
        self._own_by_id: dict[str, list[Path]] = {}  # (the model's own files: this worker's few)
        for k, ids in own.items():
            for i in ids:
                self._own_by_id.setdefault(i, []).append(k)
        self.by_id = _ByIdLookup(self)

    def _position(self, key: Path) -> int:
        n = self.table.number.get(key)
        return n if n is not None else self._extra[key]

    def get(self, key, default=None):
        if key in self.files:
            return self.own.get(key, default)
        n = self.table.number.get(key)
        ids = self.table.ids_of(n) if n is not None else None
        return default if ids is None else ids

    def __getitem__(self, key):
        ids = self.get(key)
        if ids is None:
            raise KeyError(key)
        return ids

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def __iter__(self):
        return (k for k, _ in self.items())

    def items(self):
        """Every file with ids in the model's order (reads the whole table: the checks use
        owners() instead)."""
        keys = sorted({*self.own, *self.table.paths}, key=self._position)
        for k in keys:
            ids = self.get(k)
            if ids is not None:
                yield k, ids

    def owners(self, i: str) -> list[Path]:
        """The files giving xml:id i, in the model's order."""
        found = list(self._own_by_id.get(i, ()))
        found += [self.table.paths[n] for n in self.table.givers(i)
                  if self.table.paths[n] not in self.files]
        return sorted(found, key=self._position)

    def first_owner(self, i: str) -> Path | None:
        found = self.owners(i)
        return found[0] if found else None

    def display(self, key: Path) -> str:
        src = self.files.get(key)
        return src.display if src is not None else self.shown(key)


class _ByIdLookup:
    """owners() as the dict context.for_file keeps (id → files), without copying every id."""

    def __init__(self, view: IdsView):
        self.view = view

    def get(self, i: str, default=()):
        return self.view.owners(i) or default
