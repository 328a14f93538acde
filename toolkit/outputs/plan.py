"""Incremental builds: which pages must be (re)written.

Every page the HTML build can write has a *fingerprint*: a hash of exactly the inputs it is made
from — the stylesheets and assets (one hash for all of them), the edition-wide settings, and the
page's own data (a document's source bytes plus the records of the entities it names and of its
neighbours; an entity page's record and the passages that mention it; a listing page's ten
documents …). The manifest in the output folder (`.edition-build.json`) remembers the fingerprint
of every page written. A page is rebuilt when its fingerprint differs from the manifest's or the
file is missing; pages no longer planned are deleted. So editing one document rebuilds that
document and only the pages whose data it changes (listing pages if its title/date/summary
changed, the entity pages whose passages changed, its neighbours if its title/date changed);
editing an authority entry rebuilds that entity's page and the documents naming it; editing a
stylesheet or asset rebuilds everything.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .publish import MANIFEST
FORMAT = 4  # bump when the builder's own logic changes what pages contain


def digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def tree_digest(*roots: Path, suffixes: tuple[str, ...] = (".xsl", ".css", ".js", ".svg")) -> str:
    """One hash of every file (name and bytes) under the given folders/files."""
    h = hashlib.blake2b(digest_size=16)
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()
                                                     and p.suffix in suffixes)
        for p in files:
            h.update(p.as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@dataclass
class Plan:
    previous: dict[str, str]            # page → fingerprint, from the last build's manifest
    current: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, target: Path, full: bool) -> "Plan":
        prev = {}
        if not full:
            try:
                data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
                if data.get("format") == FORMAT:
                    t = str(target)
                    prev = {k: v for k, v in data.get("pages", {}).items()
                            if os.path.exists(os.path.join(t, k))}
            except (OSError, ValueError):
                prev = {}
        return cls(prev)

    def add(self, page: str, fingerprint: str) -> bool:
        """Register a planned page; True when it must be (re)built."""
        self.current[page] = fingerprint
        return self.previous.get(page) != fingerprint

    def stale(self) -> list[str]:
        """Pages written by the last build that this build no longer makes."""
        return sorted(set(self.previous) - set(self.current))

    def manifest(self) -> str:
        # pagefind/ is the builder's own folder: every file in it is the toolkit's (publish.py)
        return json.dumps({"format": FORMAT, "builder": "html", "folders": ["pagefind"],
                           "pages": dict(sorted(self.current.items()))}, indent=0, ensure_ascii=False)
