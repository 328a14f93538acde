"""Local images: the graphics of a document whose image file the site gets a copy of
(media/<hash>-<name>), found safely (inside the edition, of a type browsers show), hashed once
per change of the file, copied (never linked) into the site."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from pathlib import Path

from ...files import local_file
from ...model import T, canon, local
from ...xmlsafe import stat_key
from ..base import BuildError
from ..publish import write_file
from ..state import TRUST_STAT, trusted_stat
from .addresses import safe_name
from .passages import NOT_RENDERED

# Local images a graphic/media @url points to are copied into the site (media/<hash>-<name>) when
# they are of a type browsers show in <img> and not larger than this (Media.of).
# (Not SVG: a copy opened by its own address would run any script in it, on the site's origin.)
MEDIA_TYPES = frozenset((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"))
MEDIA_MAX_BYTES = 50 * 1024 * 1024
GRAPHIC_TAGS = (T + "graphic", T + "media")
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Media:
    """The images this build copies: per document [(url, bases, href)] (`of_document`, what its
    page's context lists), per address the image and its hash (`files`), and the hashes recorded
    for the next build (`hashes`: image path → [stat key or None, hash])."""

    def __init__(self, edition, plan, previous: dict):
        self.ed = edition
        self.plan = plan  # each copy is a planned file of the site
        self.previous: dict[str, list] = previous
        self.hashes: dict[str, list] = {}
        self.of_document: dict[str, list[tuple[str, str, str]]] = {}
        self.files: dict[str, tuple[str, str]] = {}  # media/<name> → (image path, content hash)

    def of(self, d, graphics: list) -> list[tuple[str, str, str]]:
        """[(url, bases, href)]: the graphics of a document whose image the site gets a copy of,
        href its address in the site (media/<12 hex of the content hash>-<safe name>); each copy
        is registered in the plan (so a changed image is copied anew and a removed one deleted).
        An image qualifies when its @url is relative, it resolves (against the file and the
        xml:base in effect) to a regular file inside the edition's root folder (an ad hoc build:
        inside the TEI file's folder), symbolic links followed, with an extension in MEDIA_TYPES,
        of at most MEDIA_MAX_BYTES. Any other graphic keeps its link (structure.xsl)."""
        out = []
        if graphics:
            file_uri = canon(d.file).as_uri()
            cfg = self.ed.config
            top = os.path.realpath(cfg.root if cfg.path is not None else canon(d.file).parent)
            for url, bases in graphics:
                href = self._copy_of(file_uri, bases, url, top)
                if href is not None:
                    out.append((url, bases, href))
        self.of_document[d.id] = out
        return out

    def _copy_of(self, file_uri: str, bases: str, url: str, top: str) -> str | None:
        real = _local_image(file_uri, bases, url, top)
        if real is None:
            return None
        try:
            st = os.stat(real)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MEDIA_MAX_BYTES:
            return None
        try:
            h = self._hash(real, st)
        except OSError:
            return None
        href = f"media/{h[:12]}-{safe_name(os.path.basename(real))}"
        if href not in self.files:
            self.files[href] = (real, h)
            self.plan.add(href, h)
        return href

    def _hash(self, real: str, st) -> str:
        """The SHA-256 of an image, from the previous build's state when the file's stat is the
        one recorded — recorded only when it could stand for the bytes (trusted_stat, the rule
        of the document files) —, else read and hashed."""
        key = list(stat_key(st))
        hit = self.previous.get(real)
        if TRUST_STAT and hit and len(hit) == 2 and hit[0] == key:
            self.hashes[real] = hit
            return hit[1]
        t0 = time.time_ns()
        h = hashlib.sha256()
        with open(real, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        self.hashes[real] = [trusted_stat((*key, t0)), h.hexdigest()]
        return h.hexdigest()

    def to_copy(self) -> list[str]:
        """The addresses of the images to copy (new or changed since the last build)."""
        return [href for href, (_, h) in sorted(self.files.items()) if self.plan.previous.get(href) != h]

    def copy(self, stage: Path, href: str) -> None:
        """Copy an image into the staging folder (a copy, never a link to the editor's file)."""
        real, h = self.files[href]
        data = Path(real).read_bytes()
        if hashlib.sha256(data).hexdigest() != h:
            raise BuildError(f"{real}: changed while building")
        write_file(stage / href, data)


def graphic_refs(root) -> list[list[str]]:
    """[[url, bases]] of the graphic and media elements with a relative @url, once each, in
    document order (not those of parts the page does not render, NOT_RENDERED): bases is the
    xml:base values in effect, outermost first, joined by spaces, as structure.xsl computes it
    (string-join(ancestor-or-self::*/@xml:base, ' ')) to find the element's copy."""
    out, seen = [], set()
    for el in root.iter(*GRAPHIC_TAGS):
        url = el.get("url")
        if not url or not url.strip() or _SCHEME.match(url.strip()) or url.strip().startswith(("/", "\\")):
            continue
        chain = [a for a in (*reversed(list(el.iterancestors())), el)]
        if any(local(a.tag) in NOT_RENDERED for a in chain if isinstance(a.tag, str)):
            continue
        bases = [a.get(XML_BASE) for a in chain if a.get(XML_BASE) is not None]
        if any(re.search(r"\s", b) for b in bases):  # no URI: the join would be ambiguous
            continue
        key = (url, " ".join(bases))
        if key not in seen:
            seen.add(key)
            out.append(list(key))
    return out


def _local_image(file_uri: str, bases: str, url: str, top: str) -> str | None:
    """The real path of the image a relative @url designates, inside the folder `top`, with an
    extension a browser shows (toolkit/files.local_file); else None."""
    return local_file(file_uri, bases, url, top, MEDIA_TYPES)


