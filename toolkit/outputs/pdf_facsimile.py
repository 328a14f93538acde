"""Facsimile plates for the PDF ([pdf] facsimiles = "plates" | "facing", docs/facsimiles.md).

Each local page image of a document (toolkit/tei/facsimile.py; inside the edition, the rule of
the HTML build, with its pixel limit) becomes a JPEG plate of at most PLATE_SIZE pixels in a
folder of this build, which Typst reads as its root (the house style's .typ files are linked in
beside the plates). The stylesheet (xslt/pdf/facsimile.xsl) gets the plates of the document it
typesets as its $facsimile parameter. Remote images are never fetched."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path

from lxml import etree

from ..model import canon
from ..tei import facsimile as fx

PLATE_SIZE = 2400  # the longest side: 300 dpi over 20 cm
JPEG_QUALITY = 85


class Plates:
    def __init__(self, edition, mode: str, pdf_dir: Path):
        self.ed = edition
        self.mode = mode
        self.root = tempfile.mkdtemp(prefix="tei-edition-plates-")
        weakref.finalize(self, shutil.rmtree, self.root, True)
        for p in pdf_dir.glob("*.typ"):  # what the fragments import, beside the plates
            os.symlink(p, os.path.join(self.root, p.name))
        os.mkdir(os.path.join(self.root, "plates"))
        self.made: dict[str, str] = {}    # image path → plate address ("" when refused)
        self.notes: list[tuple[str, str]] = []  # (file as shown, why an image is not in the PDF)

    def element(self, d, src) -> etree._Element | None:
        """The $facsimile parameter of a document: its plates and the @facs tokens' surfaces."""
        from .html.facsimiles import _HAS_FACS
        if src is None or not src.ok or not _HAS_FACS(src.root):
            return None
        f = fx.read(src.root, self.ed.config.options("facsimile").iiif_base)
        cfg = self.ed.config
        top = os.path.realpath(cfg.root if cfg.path is not None else canon(d.file).parent)
        e = etree.Element("facsimile", mode=self.mode)
        for s in f.surfaces:
            for img in s.images:
                if img.kind != "local":
                    continue
                real = fx.local_path(canon(d.file).as_uri(), img.bases, img.url, top)
                plate = self._plate(real, src.display, img.url) if real else ""
                if plate:
                    etree.SubElement(e, "surface", id=s.id, label=s.label, plate=plate)
                    break
        if not len(e):
            return None
        for token, (sid, _) in f.targets.items():
            etree.SubElement(e, "target", token=token, surface=sid)
        return e

    def _plate(self, real: str, display: str, url: str) -> str:
        if real in self.made:
            return self.made[real]
        from .html.facsimiles import ImageRefused, open_image
        try:
            with open_image(real) as im:
                im.thumbnail((PLATE_SIZE, PLATE_SIZE))
                rgb = im.convert("RGB")
        except (ImageRefused, OSError) as e:
            self.notes.append((display, f"page image {url} is not in the PDF: {e}"))
            self.made[real] = ""
            return ""
        name = hashlib.sha256(real.encode()).hexdigest()[:16] + ".jpg"
        rgb.save(os.path.join(self.root, "plates", name), "JPEG", quality=JPEG_QUALITY)
        self.made[real] = "/plates/" + name
        return self.made[real]
