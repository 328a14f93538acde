"""Facsimiles: the page images of a document and the parts of its text that point into them.

One rule, read here and handed to every output (toolkit/context.py puts it in the page's
context, the HTML build tiles local images and writes the IIIF manifest, the PDF makes plates):

- surfaces: each `facsimile/surface` and `sourceDoc//surface` (with its coordinates and first
  usable graphic), and each `graphic` standing directly in a `facsimile` (a surface of its own);
- pointers: every `@facs` token (on pb, lb, line, zone, ab, div, … any element) resolves to a
  surface and, when it names a zone, to that zone: `#id` names a surface, zone or graphic of the
  document; anything else is an image address: a graphic's @url (that graphic's surface), or a
  new surface of its own (a `pb facs="page1.jpg"`);
- an image address is `local` (a relative path: confined to the edition by the outputs), `iiif`
  (an Image API base: a URL ending in /info.json or an image request, or a bare id such as
  "MS-B-00005-B-000-00036" with [facsimile] iiif_base set), `remote` (another http(s) image), or
  unusable (any other scheme: javascript:, data:, file: … — never shown).

`read(root, options)` gives a `Facsimile`; `to_data`/`from_data` make it JSON for the build state.
"""
from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

from . import T, XML_ID, local

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Local image files the outputs can read (Pillow) and re-encode as JPEG tiles or plates. SVG is
# not one: a copy opened by its own address would run the scripts in it.
IMAGE_TYPES = frozenset((".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# An Image API request: {base}/{region}/{size}/{rotation}/{quality}.{format} (Image API 2 and 3)
_IIIF_REQUEST = re.compile(r"^(https?://.+?)/(full|square|\d+,\d+,\d+,\d+|pct:[\d.,]+)/"
                           r"(full|max|\^?!?\d*,\d*|\^?pct:[\d.]+|\^?max)/!?\d+(\.\d+)?/"
                           r"(default|color|gray|grey|bitonal|native)\.\w+$")
# A bare IIIF id: no scheme, no path, no file extension of an image
_BARE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:~-]*$")
# A canvas whose size neither the TEI nor a local image gives (a remote image, whose size only
# its server knows: the build never touches the network) gets this one (an A-series page).
DEFAULT_SIZE = (1000, 1414)


@dataclass
class Image:
    kind: str            # local | iiif | remote
    url: str             # as written (local), or the absolute URL / Image API base
    bases: str = ""      # the xml:base values in effect, outermost first (local images)
    mime: str = ""


@dataclass
class Zone:
    id: str                  # the zone's xml:id, else z<n> within its surface
    box: tuple[float, float, float, float]  # x, y, width, height in the surface's coordinates
    points: str = ""         # @points as written (a polygon), when given
    text: str = ""           # the transcription of it: the zone's own text, or the text pointing to it


@dataclass
class Surface:
    id: str                  # s<n>: its place in the document (xml:ids may be anything)
    xml_id: str = ""
    label: str = ""          # @n, else the pb's @n that points to it, else its number
    origin: tuple[float, float] = (0.0, 0.0)  # @ulx, @uly
    size: tuple[float, float] | None = None   # (@lrx - @ulx, @lry - @uly) when given
    images: list[Image] = field(default_factory=list)  # its usable graphics, in order (copies)
    zones: list[Zone] = field(default_factory=list)
    source_doc: bool = False  # a sourceDoc's surface (an embedded transcription)


@dataclass
class Facsimile:
    surfaces: list[Surface] = field(default_factory=list)
    # @facs token → (surface id, zone id or ""); tokens that resolve to nothing are left out
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # image addresses not used (bad scheme)

    def __bool__(self) -> bool:
        return bool(self.surfaces)

    def surface(self, sid: str) -> Surface | None:
        return next((s for s in self.surfaces if s.id == sid), None)


def classify(url: str, bases: str = "", iiif_base: str = "") -> Image | None:
    """What an image address is (see the module's text); None when it cannot be used."""
    u = url.strip()
    if not u or any(c in u for c in "\x00\r\n\t"):
        return None
    m = _SCHEME.match(u)
    if m:
        if m.group(1).lower() not in ("http", "https"):
            return None
        if u.endswith("/info.json"):
            return Image("iiif", u[: -len("/info.json")])
        req = _IIIF_REQUEST.match(u)
        if req:
            return Image("iiif", req.group(1))
        return Image("remote", u)
    if u.startswith(("/", "\\", "//")):
        return None  # an absolute path or a host-relative URL: outside the edition
    if _BARE_ID.match(u) and os.path.splitext(u)[1].lower() not in IMAGE_TYPES:
        # an image id, whatever xml:base is in effect (the letters' base is their project's URI)
        return Image("iiif", iiif_base.replace("{id}", quote(u, safe=""))) if iiif_base else None
    # against the xml:base in effect: a remote base makes a relative path remote
    absolute = ""
    for b in bases.split():
        absolute = urljoin(absolute, b) if absolute else b
    if absolute and _SCHEME.match(absolute):
        scheme = _SCHEME.match(absolute).group(1).lower()
        if scheme in ("http", "https"):
            return classify(urljoin(absolute, u))
        if scheme != "file":
            return None
    if os.path.splitext(urlsplit(u).path)[1].lower() not in IMAGE_TYPES:
        return None
    return Image("local", u, bases)


def _num(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) < 1e9 else None  # not NaN, not absurd


def _zone_box(z) -> tuple[tuple[float, float, float, float], str] | None:
    ulx, uly, lrx, lry = (_num(z.get(a)) for a in ("ulx", "uly", "lrx", "lry"))
    pts = (z.get("points") or "").strip()
    if None not in (ulx, uly, lrx, lry) and lrx > ulx and lry > uly:
        return (ulx, uly, lrx - ulx, lry - uly), pts
    if pts:
        xy = [tuple(_num(c) for c in p.split(",")) for p in pts.split()]
        if xy and all(len(p) == 2 and None not in p for p in xy):
            xs, ys = [p[0] for p in xy], [p[1] for p in xy]
            if max(xs) > min(xs) and max(ys) > min(ys):
                return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), pts
    return None


def _bases(el) -> str:
    return " ".join(a.get(XML_BASE) for a in (*reversed(list(el.iterancestors())), el)
                    if a.get(XML_BASE) is not None)


class _Reader:
    def __init__(self, iiif_base: str):
        self.iiif_base = iiif_base
        self.f = Facsimile()
        self.by_xml_id: dict[str, tuple[str, str]] = {}
        self.by_url: dict[str, str] = {}

    def image(self, g) -> Image | None:
        url = g.get("url") or ""
        img = classify(url, _bases(g), self.iiif_base)
        if img is None and url.strip():
            self.f.refused.append(url.strip())
        elif img is not None:
            img.mime = g.get("mimeType") or ""
        return img

    def add_surface(self, el, source_doc: bool) -> Surface:
        s = Surface(f"s{len(self.f.surfaces) + 1}", el.get(XML_ID) or "", (el.get("n") or "").strip(),
                    source_doc=source_doc)
        self.f.surfaces.append(s)
        if s.xml_id:
            self.by_xml_id[s.xml_id] = (s.id, "")
        return s

    def surface(self, el, source_doc: bool) -> None:
        s = self.add_surface(el, source_doc)
        ulx, uly, lrx, lry = (_num(el.get(a)) for a in ("ulx", "uly", "lrx", "lry"))
        if lrx is not None and lry is not None:
            s.origin = (ulx or 0.0, uly or 0.0)
            if lrx > s.origin[0] and lry > s.origin[1]:
                s.size = (lrx - s.origin[0], lry - s.origin[1])
        # its graphics (several copies of one page: the outputs take the first they can use)
        for g in el.iter(T + "graphic"):
            if g.getparent() is not el and local(g.getparent().tag) != "zone":
                continue
            if g.get(XML_ID):
                self.by_xml_id[g.get(XML_ID)] = (s.id, "")
            if (g.get("url") or "").strip():
                self.by_url.setdefault(g.get("url").strip(), s.id)
            img = self.image(g) if g.getparent() is el else None
            if img is not None:
                s.images.append(img)
        for z in el.iter(T + "zone"):
            box = _zone_box(z)
            zid = z.get(XML_ID) or f"{s.id}-z{len(s.zones) + 1}"
            if box is not None:
                s.zones.append(Zone(zid, *box, text=_text(z)))
                if z.get(XML_ID):
                    self.by_xml_id[z.get(XML_ID)] = (s.id, zid)
            elif z.get(XML_ID):
                self.by_xml_id[z.get(XML_ID)] = (s.id, "")

    def lone_graphic(self, g) -> None:
        s = self.add_surface(g, False)
        s.label = (g.get("n") or "").strip()
        s.images = [i for i in (self.image(g),) if i is not None]
        if (g.get("url") or "").strip():
            self.by_url.setdefault(g.get("url").strip(), s.id)

    def resolve(self, el, token: str) -> None:
        if token in self.f.targets:
            return
        if token.startswith("#"):
            hit = self.by_xml_id.get(unquote(token[1:]))
            if hit:
                self.f.targets[token] = hit
            return
        sid = self.by_url.get(token)
        if sid is None:
            img = classify(token, _bases(el), self.iiif_base)
            if img is None:
                self.f.refused.append(token)
                return
            s = self.add_surface(el, False)
            s.xml_id = ""
            s.images = [img]
            sid = self.by_url[token] = s.id
        self.f.targets[token] = (sid, "")


def read(root, iiif_base: str = "") -> Facsimile:
    """The facsimile of a document (its root element: TEI, teiCorpus, or a sourceDoc/surface)."""
    r = _Reader(iiif_base)
    for el in root.iter(T + "facsimile", T + "sourceDoc", T + "surface"):
        kind = local(el.tag)
        if kind == "surface":
            if el.getparent() is None or local(el.getparent().tag) in ("facsimile", "sourceDoc", "surfaceGrp") \
                    or el is root:
                in_doc = any(local(a.tag) == "sourceDoc" for a in el.iterancestors()) or el is root
                r.surface(el, in_doc)
        elif kind == "facsimile":
            for g in el.iterchildren(T + "graphic"):
                r.lone_graphic(g)
    for el in root.iter():
        facs = el.get("facs") if isinstance(el.tag, str) else None
        if facs:
            for token in facs.split():
                r.resolve(el, token)
    # the text that points to a zone is its transcription (the manifest's annotations)
    zones = {z.id: z for s in r.f.surfaces for z in s.zones}
    for el in root.iter():
        for token in ((el.get("facs") or "").split() if isinstance(el.tag, str) else ()):
            hit = r.f.targets.get(token)
            z = zones.get(hit[1]) if hit else None
            if z is not None and not z.text:
                z.text = _line_after(el) if local(el.tag) == "lb" else _text(el)
    # labels: a pb's @n names the surface it points to
    for pb in root.iter(T + "pb"):
        for token in (pb.get("facs") or "").split():
            hit = r.f.targets.get(token)
            s = r.f.surface(hit[0]) if hit else None
            if s is not None and not s.label and (pb.get("n") or "").strip():
                s.label = pb.get("n").strip()
    for i, s in enumerate(r.f.surfaces, 1):
        s.label = s.label or str(i)
    return r.f


TEXT_MAX = 2000  # characters of a zone's transcription in the manifest


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())[:TEXT_MAX]


def _line_after(lb) -> str:
    """The text from a line break to the next line or page break."""
    out = []
    for ev in lb.itersiblings():
        if ev.tag in (T + "lb", T + "pb") or ev.find(f".//{T}lb") is not None:
            break
        out.append("".join(ev.itertext()) + (ev.tail or ""))
    return " ".join(((lb.tail or "") + "".join(out)).split())[:TEXT_MAX]


def local_path(file_uri: str, bases: str, url: str, top: str) -> str | None:
    """The real path of a local image (toolkit/files.local_file: inside the folder `top`, with an
    extension of IMAGE_TYPES) that is a regular file; else None."""
    from ..files import local_file
    real = local_file(file_uri, bases, url, top, IMAGE_TYPES)
    return real if real is not None and os.path.isfile(real) else None


def to_data(f: Facsimile) -> dict:
    """JSON-able (the build state's facts of a document file)."""
    return asdict(f)


def from_data(data: dict) -> Facsimile:
    def surface(s: dict) -> Surface:
        img = [Image(**i) for i in s.get("images", ())]
        zones = [Zone(z["id"], tuple(z["box"]), z.get("points", ""), z.get("text", "")) for z in s.get("zones", ())]
        return Surface(s["id"], s.get("xml_id", ""), s.get("label", ""), tuple(s.get("origin", (0, 0))),
                       tuple(s["size"]) if s.get("size") else None, img, zones, s.get("source_doc", False))
    return Facsimile([surface(s) for s in data.get("surfaces", ())],
                     {k: tuple(v) for k, v in data.get("targets", {}).items()}, list(data.get("refused", ())))
