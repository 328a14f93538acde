"""Shards of the PDF build, for CI matrices (docs/scale.md): `edition build pdf --shard i/n`
typesets the own PDFs of the documents whose PDF (`<key>.pdf`) falls in shard i of n (shard.
in_shard, the HTML shards' rule) and keeps every Typst compile it made, by the fingerprint of
all the compile depends on (pdf_engine.compile_key); `edition build pdf --merge DIR…` is an
ordinary PDF build whose compiles are answered from the shards where one made exactly that
compile, and made here otherwise (the volume; a document whose fragment changed, for a
character found bad in the volume). So the merge decides everything as a single build does,
and its output is the single build's, byte for byte.

A shard's folder holds SHARD_FILE (its record: the build's setup fingerprint, each document's
input fingerprint, each compile's PDF hash, Typst's warnings or failure) and `typeset/<fp>.pdf`.
The merge refuses shards that are not the n shards of one split of this toolkit (shard.
read_records), that were typeset with other settings, fonts or Typst, that did not typeset a
document they should have, or typeset it from other inputs, and a PDF whose bytes are not the
ones recorded."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .. import __version__
from .base import BuildError
from .pdf_engine import Failure, Remote, compile_key, plates, typst_compile
from .shard import FORMAT, SHARD_FILE, in_shard, read_records

FOLDER = "typeset"
_HEX = re.compile(r"^[0-9a-f]{64}$")


def shard_of(key: str, i: int, n: int) -> bool:
    """Whether the document whose PDF is <key>.pdf is shard i's of n."""
    return in_shard(f"{key}.pdf", i, n)


def document_key(setup_key: str, key: str, made: str) -> str:
    """A document's input fingerprint: the build's setup and what the stylesheet made of it."""
    return hashlib.sha256(f"{setup_key}\0{key}\0{made}".encode("utf-8")).hexdigest()


class Here(Remote):
    """Compiles made by `inner` (a Dask cluster: pdf_engine.DaskTypesetting) or in this
    process: what a shard and a merge stand on."""

    def __init__(self, setter, inner: Remote | None):
        self.setter, self.inner = setter, inner

    def made(self, source: str, kwargs: dict):
        if self.inner is not None:
            return self.inner.compile(source, kwargs)
        got = typst_compile(self.setter.compiler, source, kwargs)
        return (None, [], got[1]) if got[0] == "typst" else (got[1], got[2], None)

    def prefetch(self, sources) -> None:
        if self.inner is not None:
            self.inner.prefetch(sources)

    def release(self) -> None:
        if self.inner is not None:
            self.inner.release()
        else:
            from .pdf import release_compiler
            release_compiler(self.setter.compiler)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()


class ShardRecorder(Here):
    """The compiles of a shard build (here or on a cluster), each kept with its fingerprint."""

    def __init__(self, setter, setup_key: str, inner: Remote | None = None):
        super().__init__(setter, inner)
        self.key = setup_key
        self.pdfs: dict[str, bytes] = {}       # fingerprint → PDF
        self.compiles: dict[str, dict] = {}    # fingerprint → its record

    def compile(self, source: str, kwargs: dict):
        fp = compile_key(self.key, source, kwargs, plates(source, self.setter.root))
        pdf, warnings, f = self.made(source, kwargs)
        if f is not None:
            self.compiles[fp] = {"failure": {"message": f.message, "hints": f.hints, "diagnostic": f.diagnostic}}
            return None, [], f
        self.pdfs[fp] = pdf
        self.compiles[fp] = {"sha256": hashlib.sha256(pdf).hexdigest(), "warnings": list(warnings)}
        return pdf, warnings, None

    def record(self, i: int, n: int, documents: dict[str, str]) -> dict[str, bytes]:
        """The shard's files: its compiles' PDFs and its record."""
        rec = {"format": FORMAT, "toolkit": __version__, "builder": "pdf", "shard": [i, n],
               "setup": self.key, "documents": dict(sorted(documents.items())),
               "compiles": dict(sorted(self.compiles.items()))}
        files = {f"{FOLDER}/{fp}.pdf": pdf for fp, pdf in sorted(self.pdfs.items())}
        files[SHARD_FILE] = json.dumps(rec, indent=0, ensure_ascii=False).encode("utf-8")
        return files


def read_pdf_shards(dirs) -> list[tuple[Path, dict, int, int]]:
    """The PDF shards' records, checked as far as they can be before the build (shard.
    read_records, then the shape of a PDF shard's record)."""
    out = read_records(dirs, "pdf")
    for d, rec, _, _ in out:
        docs, compiles = rec.get("documents"), rec.get("compiles")
        if (not isinstance(rec.get("setup"), str) or not isinstance(docs, dict)
                or not isinstance(compiles, dict)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in docs.items())
                or not all(isinstance(fp, str) and _HEX.match(fp) and isinstance(c, dict)
                           for fp, c in compiles.items())):
            raise BuildError(f"--merge {d}: {SHARD_FILE} is not a PDF shard's record of this toolkit; "
                             f"make it with `edition build pdf --shard i/n --out {d}`")
    return out


class MergeTypesetting(Here):
    """The compiles of a merge: taken from the shard that made exactly that compile, made here
    (or on a cluster) when none did. `inputs`: each document's input fingerprint."""

    def __init__(self, setter, setup_key: str, shards, inputs: dict[str, str], inner: Remote | None = None):
        super().__init__(setter, inner)
        self.key, self.inputs = setup_key, inputs
        self.shards = shards
        self.count = shards[0][3] if shards else 0
        for d, rec, i, n in shards:
            if rec["setup"] != setup_key:
                raise BuildError(f"--merge {d}: shard {i}/{n} was typeset with other settings, fonts, "
                                 f"template or Typst version than this build's (or another date: "
                                 f"set SOURCE_DATE_EPOCH alike): build the shards and the merge from "
                                 f"the same commit on the same system")
        self.where = {fp: d for d, rec, _, _ in shards for fp in rec["compiles"]}
        self.compiles = {fp: c for _, rec, _, _ in shards for fp, c in rec["compiles"].items()}

    def document(self, key: str) -> None:
        """Refuse the merge when the document's shard did not typeset it from these inputs."""
        for d, rec, i, n in self.shards:
            if not shard_of(key, i, n):
                continue
            made = rec["documents"].get(key)
            if made is None:
                raise BuildError(f"--merge {d}: shard {i}/{n} did not typeset {key}.pdf, which is "
                                 f"its: build the shards and the merge from the same sources")
            if made != self.inputs.get(key):
                raise BuildError(f"--merge {d}: shard {i}/{n} typeset {key}.pdf from other inputs "
                                 f"(sources, settings or toolkit differ): build the shards and the "
                                 f"merge from the same commit")
            return

    def _fp(self, source: str, kwargs: dict) -> str:
        return compile_key(self.key, source, kwargs, plates(source, self.setter.root))

    def prefetch(self, sources) -> None:
        """Only what no shard made goes ahead to the cluster."""
        super().prefetch((s, k) for s, k in sources if self._fp(s, k) not in self.compiles)

    def compile(self, source: str, kwargs: dict):
        fp = self._fp(source, kwargs)
        c = self.compiles.get(fp)
        if c is None:   # no shard made it (the volume, a fragment changed here): made here
            return self.made(source, kwargs)
        if "failure" in c:
            f = c["failure"]
            return None, [], Failure(str(f.get("message", "")), list(f.get("hints") or []),
                                     str(f.get("diagnostic", "")))
        folder = self.where[fp]
        try:
            pdf = (folder / FOLDER / f"{fp}.pdf").read_bytes()
        except OSError as e:
            raise BuildError(f"--merge {folder}: cannot read {FOLDER}/{fp}.pdf: {e.strerror or e}") from None
        if hashlib.sha256(pdf).hexdigest() != c.get("sha256"):
            raise BuildError(f"--merge {folder}: {FOLDER}/{fp}.pdf is not the PDF the shard recorded "
                             f"(changed since it was made): build the shard again")
        warnings = c.get("warnings") or []
        return pdf, [str(w) for w in warnings] if isinstance(warnings, list) else [], None


__all__ = ["MergeTypesetting", "ShardRecorder", "document_key", "read_pdf_shards", "shard_of"]
