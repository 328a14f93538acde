"""Facsimiles in the site: per document, the page images its facsimile model
(toolkit/tei/facsimile.py) names, as the viewer and the IIIF manifest use them.

- A local image (inside the edition: the rule of graphic/@url, toolkit/tei/facsimile.local_path)
  becomes IIIF Image API 3 level 0 static tiles, made at build time with Pillow
  (facs/<12 hex of its hash>/: info.json, the tiles, and the whole image at a few sizes), so no
  image server is needed and no huge image is sent whole. Images of more than MAX_PIXELS pixels
  are refused (Pillow's decompression-bomb limit is set to the same).
- A remote IIIF image is loaded from its server (its Image API base); another http(s) image
  by its address.
- The manifest (iiif/<document page's name>.json): IIIF Presentation 3, one canvas per
  surface, the document's metadata, the zones' transcription as annotations.
- The viewer library (OpenSeadragon) is installed by `make install` into vendor/node_modules
  (vendor/package.json pins it) and copied into the site's assets with its licence; without it
  the pages show image links per page, and the build says so.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import stat as stat_mod
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ... import context
from ...messages import interface_language, message
from ...model import canon
from ...tei import facsimile as fx
from ..base import BuildError
from ..publish import write_file

# Images above this many pixels are not tiled (a decompression bomb decodes a small file into
# gigabytes): checked from the header before decoding, and Pillow's own limit is set to it.
MAX_PIXELS = 100_000_000
MAX_BYTES = 200 * 1024 * 1024
LANCZOS = 1  # PIL.Image.Resampling.LANCZOS
TILE = 512
LINK_SIZE = 1600       # the longest side of the image a per-page link (and the PDF) shows
JPEG_QUALITY = 85
OSD = Path(__file__).resolve().parents[3] / "vendor" / "node_modules" / "openseadragon"
OSD_FILES = "assets/openseadragon/"


@dataclass
class Tiles:
    """A local image's static tiles: the source, its hash, its size, where they go."""
    real: str
    hash: str
    width: int
    height: int
    href: str                     # facs/<h>  (relative to the site's root)
    files: list[str] = field(default_factory=list)
    jobs: dict = field(default_factory=dict, repr=False)

    @property
    def tile(self) -> int:
        return TILE

    @property
    def scales(self) -> list[int]:
        out, s = [1], 1
        while math.ceil(self.width / s) > TILE or math.ceil(self.height / s) > TILE:
            s *= 2
            out.append(s)
        return out

    @property
    def sizes(self) -> list[tuple[int, int]]:
        """Whole-image sizes offered (smallest first): the levels below the tile size, and one
        for the per-page link."""
        out = {(math.ceil(self.width / s), math.ceil(self.height / s)) for s in self.scales[-2:]}
        k = min(1.0, LINK_SIZE / max(self.width, self.height))
        out.add((max(1, round(self.width * k)), max(1, round(self.height * k))))
        return sorted(out)

    @property
    def link(self) -> str:
        w, h = self.sizes[-1]
        return f"{self.href}/full/{_size(w, h, self)}/0/default.jpg"

    def plan(self) -> list[str]:
        """Every file of the tiles, as Image API 3 level 0 request paths (what OpenSeadragon
        asks for: see its IIIFTileSource.getTileUrl), each with how it is made: (scale factor,
        crop box in that level, or None for the whole image resized to `size`)."""
        jobs: dict[str, tuple] = {f"{self.href}/info.json": ()}
        for s in self.scales:
            lw, lh = math.ceil(self.width / s), math.ceil(self.height / s)
            if lw <= TILE and lh <= TILE and s > 1:
                jobs[f"{self.href}/full/{_size(lw, lh, self)}/0/default.jpg"] = (s, None, (lw, lh))
                continue
            for ty in range(math.ceil(lh / TILE)):
                for tx in range(math.ceil(lw / TILE)):
                    x, y = tx * TILE * s, ty * TILE * s
                    w, h = min(TILE * s, self.width - x), min(TILE * s, self.height - y)
                    region = "full" if (x, y, w, h) == (0, 0, self.width, self.height) else f"{x},{y},{w},{h}"
                    sw, sh = min(TILE, lw - tx * TILE), min(TILE, lh - ty * TILE)
                    box = (tx * TILE, ty * TILE, tx * TILE + sw, ty * TILE + sh)
                    jobs[f"{self.href}/{region}/{_size(sw, sh, self)}/0/default.jpg"] = (s, box, (sw, sh))
        for w, h in self.sizes:
            jobs.setdefault(f"{self.href}/full/{_size(w, h, self)}/0/default.jpg", (1, None, (w, h)))
        self.jobs = jobs
        self.files = list(jobs)
        return self.files

    def info(self, base: str) -> dict:
        return {"@context": "http://iiif.io/api/image/3/context.json", "id": base + self.href,
                "type": "ImageService3", "protocol": "http://iiif.io/api/image", "profile": "level0",
                "width": self.width, "height": self.height,
                "sizes": [{"width": w, "height": h} for w, h in self.sizes],
                "tiles": [{"width": TILE, "scaleFactors": self.scales}]}

    def write(self, stage: Path, base: str) -> None:
        """Decode the image once (each level reduced once) and write every planned file."""
        if hashlib.sha256(Path(self.real).read_bytes()).hexdigest() != self.hash:
            raise BuildError(f"{self.real}: changed while building")
        with open_image(self.real) as src:
            img = src.convert("RGB")
        levels = {1: img}
        for rel in self.files:
            job = self.jobs[rel]
            if not job:
                write_file(stage / rel, json.dumps(self.info(base), indent=1).encode())
                continue
            s, box, size = job
            if box is None:
                out = img if size == img.size else img.resize(size, LANCZOS)
            else:
                if s not in levels:
                    levels[s] = img.reduce(s)
                out = levels[s].crop(box)
                if out.size != size:  # reduce() rounds the level's size; the request names it
                    out = out.resize(size)
            buf = io.BytesIO()
            out.save(buf, "JPEG", quality=JPEG_QUALITY)
            write_file(stage / rel, buf.getvalue())


def _size(w: int, h: int, t: Tiles) -> str:
    return "max" if (w, h) == (t.width, t.height) else f"{w},{h}"


class ImageRefused(Exception):
    pass


def open_image(real: str):
    """The image, opened lazily (the header only), or ImageRefused: not an image Pillow reads,
    or more than MAX_PIXELS pixels."""
    from PIL import Image as PILImage  # imported when an image is met (a build without none: not at all)
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            img = PILImage.open(real)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as e:
        raise ImageRefused(f"more than {MAX_PIXELS:,} pixels ({e})") from None
    except (OSError, ValueError, SyntaxError) as e:
        raise ImageRefused(f"not an image it can read ({e})") from None
    if img.width * img.height > MAX_PIXELS:
        raise ImageRefused(f"{img.width} × {img.height} pixels: more than {MAX_PIXELS:,}")
    return img


@dataclass
class SurfaceView:
    """A surface as the page and the manifest show it."""
    surface: fx.Surface
    kind: str = "none"            # tiles | iiif | image | none
    src: str = ""                 # tiles: facs/<h>; iiif: the Image API base; image: its URL
    link: str = ""                # the image a per-page link opens (relative to the root, or a URL)
    width: float = 0              # the canvas (the surface's coordinates)
    height: float = 0
    tiles: Tiles | None = None


class Facsimiles:
    """The facsimiles of one build: per document its surface views (`of`), the tiles to make,
    the manifests to write, and the viewer's files."""

    def __init__(self, edition, plan, media):
        self.ed = edition
        self.plan = plan
        self.media = media            # its image hashes (kept in the build state) are reused
        self.options = edition.config.options("facsimile")
        self.tiles: dict[str, Tiles] = {}
        self.views: dict[str, list[SurfaceView]] = {}
        self.manifests: dict[str, bytes] = {}
        self.notes: list[str] = []
        self.any = False

    @property
    def base(self) -> str:
        """[html] base_url, ending in "/" ("" when not set: relative addresses)."""
        url = self.ed.config.options("html").base_url
        return url if not url or url.endswith("/") else url + "/"

    def of(self, d, facs: fx.Facsimile) -> list[SurfaceView]:
        views = [self._view(d, s) for s in facs.surfaces]
        self.views[d.id] = views
        if any(v.kind != "none" for v in views):
            self.any = True
        return views

    def _view(self, d, s: fx.Surface) -> SurfaceView:
        v = SurfaceView(s)
        for img in s.images:
            if img.kind == "local":
                t = self._tiles(d, img)
                if t is not None:
                    v.kind, v.src, v.link, v.tiles = "tiles", t.href, t.link, t
                    break
            elif img.kind == "iiif":
                v.kind, v.src, v.link = "iiif", img.url, img.url + "/full/max/0/default.jpg"
                break
            elif img.kind == "remote":
                v.kind, v.src, v.link = "image", img.url, img.url
                break
        if s.size:
            v.width, v.height = s.size
        elif v.tiles is not None:
            v.width, v.height = v.tiles.width, v.tiles.height
        else:
            v.width, v.height = fx.DEFAULT_SIZE
        return v

    def _tiles(self, d, img: fx.Image) -> Tiles | None:
        cfg = self.ed.config
        top = os.path.realpath(cfg.root if cfg.path is not None else canon(d.file).parent)
        real = fx.local_path(canon(d.file).as_uri(), img.bases, img.url, top)
        if real is None:
            return None
        try:
            st = os.stat(real)
            if not stat_mod.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return None
            h = self.media._hash(real, st)
        except OSError:
            return None
        href = f"facs/{h[:12]}"
        if href in self.tiles:
            return self.tiles[href]
        try:
            with open_image(real) as im:
                w, hgt = im.size
        except ImageRefused as e:
            self.notes.append(f"{self.ed.files[canon(d.file)].display if canon(d.file) in self.ed.files else d.file}: "
                              f"page image {img.url} not shown: {e}")
            return None
        t = self.tiles[href] = Tiles(real, h, w, hgt, href)
        changed = False
        for rel in t.plan():
            changed |= bool(self.plan.add(rel, h + self.base))
        if not changed:
            t.files = []  # nothing to write: the last build's tiles stand
        return t

    # -- the manifest ------------------------------------------------------------------------
    def manifest_href(self, page: str) -> str:
        return "iiif/" + Path(page).stem + ".json"

    def plan_manifest(self, d, page: str) -> str | None:
        views = [v for v in self.views.get(d.id, ()) if v.kind != "none"]
        if not views:
            return None
        href = self.manifest_href(page)
        data = json.dumps(manifest(d, views, self.base, href, page, self.ed.config.language),
                          ensure_ascii=False, indent=1).encode()
        self.manifests[href] = data
        self.plan.add(href, hashlib.sha256(data).hexdigest())
        return href

    def write(self, stage: Path) -> int:
        n = 0
        for t in self.tiles.values():
            if t.files:
                t.write(stage, self.base)
                n += len(t.files)
        for href, data in self.manifests.items():
            if self.plan.previous.get(href) != self.plan.current.get(href) or not (stage / href).exists():
                write_file(stage / href, data)
                n += 1
        return n

    # -- the viewer ----------------------------------------------------------------------------
    def viewer_files(self) -> list[tuple[str, Path]]:
        """(site address, file) of the viewer library, its images and licence; [] when it is
        not installed (or no page has an image)."""
        build = OSD / "build" / "openseadragon"
        if not self.any or not (build / "openseadragon.min.js").is_file():
            return []
        out = [(OSD_FILES + "openseadragon.min.js", build / "openseadragon.min.js"),
               (OSD_FILES + "LICENSE.txt", OSD / "LICENSE.txt")]
        out += [(OSD_FILES + "images/" + p.name, p) for p in sorted((build / "images").glob("*.png"))]
        return out

    def messages(self) -> list[str]:
        """The build's notes: images not shown, and a viewer that is not installed."""
        out = list(self.notes)
        if self.any and not self.viewer_installed():
            out.append("facsimiles: OpenSeadragon is not installed (make install): the pages link "
                       "their page images instead of showing them in a viewer")
        return out

    def viewer_installed(self) -> bool:
        return (OSD / "build" / "openseadragon" / "openseadragon.min.js").is_file()


def manifest(d, views: list[SurfaceView], base: str, href: str, page: str, language: str | None = "en") -> dict:
    """A IIIF Presentation 3 manifest of a document (the spec's required properties: @context,
    id, type, label, items; a canvas per surface with its size and one painting annotation; the
    zones' text as supplementing annotations targeting the canvas's region)."""
    mid = base + href
    root = base + "iiif/" + Path(page).stem

    def label(text: str) -> dict:
        return {"none": [text]}

    def word(key: str) -> dict:
        """A metadata label in English and in the interface language (a IIIF language map)."""
        words = {"en": [message("en", key)]}
        ui = interface_language(language)
        if ui != "en":
            words[ui] = [message(ui, key)]
        return words
    metadata = [{"label": word("passage.title"), "value": label(d.title)}]
    if d.date_label:
        metadata.append({"label": word("info.date"), "value": label(d.date_label)})
    metadata.append({"label": word("kind.document"), "value": label(d.id)})
    out = {"@context": "http://iiif.io/api/presentation/3/context.json", "id": mid, "type": "Manifest",
           "label": label(d.title or d.id), "metadata": metadata,
           "homepage": [{"id": base + page, "type": "Text", "label": label(d.title or d.id), "format": "text/html"}],
           "items": []}
    if d.summary:
        out["summary"] = label(d.summary)
    for v in views:
        s = v.surface
        cid = f"{root}/canvas/{s.id}"
        w, h = max(1, round(v.width)), max(1, round(v.height))
        body = {"id": base + v.link if v.kind == "tiles" else v.link, "type": "Image", "format": "image/jpeg"}
        if v.kind == "tiles":
            body.update(width=v.tiles.sizes[-1][0], height=v.tiles.sizes[-1][1],
                        service=[{"id": base + v.src, "type": "ImageService3", "profile": "level0"}])
        elif v.kind == "iiif":
            body["service"] = [{"@id": v.src, "@type": "ImageService2", "profile": "level1"}]
        canvas = {"id": cid, "type": "Canvas", "label": label(s.label), "width": w, "height": h,
                  "items": [{"id": f"{cid}/page", "type": "AnnotationPage", "items": [
                      {"id": f"{cid}/image", "type": "Annotation", "motivation": "painting",
                       "body": body, "target": cid}]}]}
        notes = []
        ox, oy = s.origin
        for z in s.zones:
            if not z.text:
                continue
            x, y, zw, zh = (round(c) for c in (z.box[0] - ox, z.box[1] - oy, z.box[2], z.box[3]))
            notes.append({"id": f"{cid}/zone/{len(notes) + 1}", "type": "Annotation", "motivation": "supplementing",
                          "body": {"type": "TextualBody", "value": z.text, "format": "text/plain"},
                          "target": f"{cid}#xywh={max(0, x)},{max(0, y)},{max(1, zw)},{max(1, zh)}"})
        if notes:
            canvas["annotations"] = [{"id": f"{cid}/transcription", "type": "AnnotationPage", "items": notes}]
        out["items"].append(canvas)
    return out


# A document without page images is skipped at the cost of a tag search and one attribute
# search in C (0.27 s over the 93 ELTeC novels, 60 MB: a union of element tests took 0.93 s)
_ANY_FACS = etree.XPath("boolean(//@facs)")
_FACS_TAGS = tuple(fx.T + t for t in ("facsimile", "sourceDoc", "surface"))


def _HAS_FACS(root) -> bool:
    return next(root.iter(*_FACS_TAGS), None) is not None or bool(_ANY_FACS(root))


def facsimile_facts(root, config) -> dict | None:
    """The facsimile model of a document as the build state keeps it (None: it has none)."""
    if not _HAS_FACS(root):
        return None
    f = fx.read(root, config.options("facsimile").iiif_base)
    return fx.to_data(f) if f else None


def page_facsimile(facsimiles: Facsimiles | None, d, facts: dict | None, page: str, tree):
    """(the facsimile context element of a document page, its fingerprint text), or None when
    the document has no page images. `facts`: the state's facts (its model, when unchanged);
    `tree()`: the parsed document otherwise."""
    if facsimiles is None:
        return None
    if facts is not None and "facsimile" in facts:
        data = facts["facsimile"]
    else:
        data = facsimile_facts(tree(), facsimiles.ed.config)
    if not data:
        return None
    f = fx.from_data(data)
    views = facsimiles.of(d, f)
    manifest_href = facsimiles.plan_manifest(d, page)
    viewer = OSD_FILES if facsimiles.viewer_installed() else ""
    el = context.facsimile_element(views, f.targets, manifest_href, viewer, facsimiles.base)
    text = etree.tostring(el, encoding="unicode")
    return el, text
