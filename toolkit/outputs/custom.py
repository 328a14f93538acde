"""An edition's customisation (docs/customizing.md): the files edition.toml names in [html] css,
logo, header, footer, pages and xslt, and [pdf] template and xslt, read confined to the
edition's folder (files.local_file: a link leading out is refused like a ../ path), checked,
and handed on:

- to the stylesheets, as a layer over each HTML entry stylesheet (saxon.set_layer): the
  edition's own module, imported after the toolkit's, and a global variable $fp:custom holding
  the style sheets' and logo's addresses, the header and footer fragments and the navigation
  of the pages of the edition's own (xslt/html/layout.xsl renders them);
- to the HTML build, as files to copy (style sheets and logo under names holding their hash)
  and pages to write, and a hash for the fingerprint every page shares (a changed file remakes
  the pages it shows on);
- to the PDF build: the Typst template's text and the PDF layer.

Published pages load nothing from another site: a fragment or style sheet that would (a
<script src="https://…">, a stylesheet link or image from a CDN, an @import or url() of an
http(s) address) is refused with its file, line and column.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from .. import saxon
from ..files import local_file
from ..options import find_line
from ..xmlsafe import parse_bytes, read_regular
from .base import BuildError

XHTML_NS = "http://www.w3.org/1999/xhtml"
IMAGES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
FRAGMENTS = (".html", ".xhtml", ".xml")
# The names of the site's own pages (and of its folders): an edition's page may not take them.
SITE_NAMES = {"index", "documents", "persons", "places", "orgs", "map", "chronology", "search",
              "principles", "context", "assets", "doc", "entity", "media", "pagefind", "tei",
              "iiif", "data"}
# …and their numbered pages when the site pages them (#18: map-2, places-3, chronology-2 …);
# the listing's orders are documents-newest, documents-by-title and their pages.
_SITE_PAGE = re.compile(r"(?:%s)(?:-[0-9]+)?|documents.*" % "|".join(sorted(SITE_NAMES)))
_PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
# an address that loads from another site: a scheme of the network, or // (the page's scheme)
_REMOTE = re.compile(r"^\s*(?:(?:https?|ftp|wss?):|//)", re.I)
_CSS_REMOTE = re.compile(r"""@import\s+(?:url\(\s*)?["']?\s*(?:https?:|//)|url\(\s*["']?\s*(?:https?:|//)""", re.I)
# attributes whose address the browser loads by itself (a link's href is followed by the reader)
_LOADS = {"src", "srcset", "poster", "data", "background"}
# the files a fragment may show that the build copies from the edition (_fragment_files)
SHOWN = IMAGES + (".avif", ".ico", ".mp3", ".mp4", ".m4a", ".ogg", ".oga", ".webm", ".wav", ".js")
_ADDRESS = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|/|#|\?)")  # not a relative path


def site_page(stem: str) -> bool:
    """Whether the site's own pages use (or, in a larger edition, would use) this page name."""
    return bool(_SITE_PAGE.fullmatch(stem))


@dataclass
class Asset:
    href: str      # below the site's root: assets/custom/extra.1a2b3c4d.css
    data: bytes


@dataclass
class Page:
    href: str      # about.html
    title: str
    content: etree._Element  # <page-content> holding the fragment


@dataclass
class HtmlCustom:
    css: list[Asset] = field(default_factory=list)
    logo: Asset | None = None
    header: etree._Element | None = None
    footer: etree._Element | None = None
    pages: list[Page] = field(default_factory=list)
    layer: saxon.Layer | None = None

    shown: list[Asset] = field(default_factory=list)  # files the fragments show (img src …)

    @property
    def assets(self) -> list[Asset]:
        return self.css + ([self.logo] if self.logo else []) + self.shown

    def digest(self) -> str:
        """What every page shows of the customisation (its layer's key covers it all)."""
        return self.layer.key if self.layer is not None else ""

    def page_elements(self) -> list[etree._Element]:
        """A <page kind="custom"> per page of the edition's own, as site.xsl renders them."""
        out = []
        for p in self.pages:
            el = etree.Element("page", kind="custom", href=p.href, root="", title=p.title)
            el.append(_copy(p.content))
            out.append(el)
        return out


@dataclass
class PdfCustom:
    template: str | None = None   # the Typst template's text
    template_path: str = ""       # where the volume imports it from, in Typst's root folder
    template_shown: str = ""      # its path in the edition, for messages
    layer: saxon.Layer | None = None


# -- reading the files ------------------------------------------------------------------------

class _Files:
    """The files the options of one table name, each confined to the edition's folder."""

    def __init__(self, config, table: str):
        self.config = config
        self.table = table
        self.root = os.path.realpath(config.root)
        self.shown = str(config.path) if config.path is not None else "edition.toml"
        try:
            self.text = config.path.read_text(encoding="utf-8") if config.path is not None else ""
        except OSError:
            self.text = ""
        self.hashes: list[str] = []

    def where(self, key: str) -> str:
        line = find_line(self.text, (self.table,), key) if self.text else 0
        return f"{self.shown}:{line}" if line else self.shown

    def fail(self, key: str, value: str, why: str, hint: str = ""):
        raise BuildError(f"{self.where(key)}: [{self.table}] {key} = {value!r} {why}"
                         + (f"\n    hint: {hint}" if hint else ""))

    def path(self, key: str, value: str, suffixes) -> Path:
        """The real path of a file an option names, when it lies inside the edition's folder."""
        real = _local(self.root, value, suffixes)
        if real is None:
            named = os.path.normpath(os.path.join(self.root, value))
            if os.path.islink(named) or os.path.realpath(named) != named:
                self.fail(key, value, f"leads out of the edition's folder (to {os.path.realpath(named)}): not read",
                          "copy the file into the edition instead of linking to it")
            self.fail(key, value, "is not a file inside the edition's folder "
                      f"(a {' or '.join(suffixes)} file, relative to {os.path.basename(self.shown)})")
        if not os.path.isfile(real):
            self.fail(key, value, "does not exist" if not os.path.exists(real) else "is not a file")
        return Path(real)

    def read(self, key: str, value: str, suffixes) -> tuple[Path, bytes]:
        p = self.path(key, value, suffixes)
        try:
            data, _ = read_regular(p)
        except OSError as e:
            self.fail(key, value, f"cannot be read: {e}")
        self.hashes.append(f"{key}\x1f{value}\x1f{hashlib.sha256(data).hexdigest()}")
        return p, data

    def display(self, p: Path) -> str:
        return os.path.relpath(p, self.root).replace(os.sep, "/")


def _local(root: str, value: str, suffixes) -> str | None:
    """files.local_file for a path edition.toml gives (quoted: a # or %20 in a name is the
    name's, not an address's)."""
    return local_file(Path(root).as_uri() + "/", "", quote(value.replace("\\", "/")), root, suffixes)


def _hashed_name(value: str, data: bytes) -> str:
    stem, ext = os.path.splitext(os.path.basename(value))
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "file"
    return f"assets/custom/{stem}.{hashlib.sha256(data).hexdigest()[:10]}{ext.lower()}"


def _check_css(shown: str, data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    for n, line in enumerate(text.splitlines(), 1):
        m = _CSS_REMOTE.search(line)
        if m:
            raise BuildError(f"{shown}:{n}:{m.start() + 1}: the style sheet loads from another site "
                             f"({m.group().strip()}…): published pages load nothing from elsewhere"
                             "\n    hint: copy the file (a font, an image) into the edition and name it by a "
                             "relative address")


_WRAP = b"<fragment>"


def _fragment_source(shown: str, data: bytes):
    """The fragment's bytes parsed inside one <fragment> element (xmlsafe.parse_bytes)."""
    m = re.match(rb"^\xef\xbb\xbf?\s*<\?xml[^>]*\?>", data)
    if m:  # the declaration becomes spaces: lines and columns stay
        data = b" " * len(m.group()) + data[m.end():]
    return parse_bytes(_WRAP + data + b"</fragment>", display=shown)


def _where(shown: str, data: bytes, frag: etree._Element, el: etree._Element) -> str:
    """file:line:column of an element of a fragment (parsed again: the same elements in the
    same order, so the n-th is the one)."""
    n = [e for e in frag.iter() if isinstance(e.tag, str)].index(el)
    src = _fragment_source(shown, data)
    line, col = src.position([e for e in src.root.iter() if isinstance(e.tag, str)][n])
    return f"{shown}:{line}:{max(col - len(_WRAP) if line == 1 else col, 1)}"


def fragment(shown: str, data: bytes) -> etree._Element:
    """An HTML fragment file (well-formed XML, any number of elements and text) as a
    <fragment> element in no namespace, parsed by the safe parser (no DTD, no entities but
    XML's own, nothing external); BuildError with file, line and column when it is not
    well-formed or loads from another site."""
    src = _fragment_source(shown, data)
    wrap = _WRAP
    if not src.ok:
        d = src.diagnostics[0]
        col = d.column - len(wrap) if d.line == 1 else d.column
        raise BuildError(f"{shown}:{d.line}:{max(col, 1)}: {d.message} (an HTML fragment must be "
                         "well-formed XML)" + (f"\n    hint: {d.hint}" if d.hint else ""))
    root = src.root
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.startswith("{" + XHTML_NS + "}"):
            el.tag = el.tag.split("}", 1)[1]
        loads = [(k, v) for k, v in el.attrib.items() if k in _LOADS and _REMOTE.match(v)]
        if el.tag == "link" and _REMOTE.match(el.get("href", "")):
            loads.append(("href", el.get("href")))
        css = (el.text or "") if el.tag == "style" else ""
        css += el.get("style", "")
        if loads or _CSS_REMOTE.search(css):
            line, col = src.position(el)
            col = col - len(wrap) if line == 1 else col
            what = f'{loads[0][0]}="{loads[0][1]}"' if loads else "a style that loads from another site"
            raise BuildError(f"{shown}:{line}:{col}: <{el.tag}> {what}: published pages load nothing "
                             "from another site (no CDN)"
                             "\n    hint: copy the file into the edition and name it by a relative address "
                             "(a style sheet: [html] css; docs/customizing.md)")
    etree.cleanup_namespaces(root)
    return root


def _relative(value: str) -> bool:
    v = value.strip()
    return bool(v) and not _ADDRESS.match(v)


def _urls(attr: str, value: str) -> list[str]:
    """The addresses an attribute loads: one, or srcset's comma-separated candidates."""
    if attr != "srcset":
        return [value]
    return [c.split()[0] for c in value.split(",") if c.split()]


def _srcset_with(srcset: str, url: str, href: str) -> str:
    """srcset with the candidates whose address is `url` pointing at `href` instead."""
    out = []
    for c in srcset.split(","):
        parts = c.split()
        if parts and parts[0] == url:
            parts[0] = href
        out.append(" ".join(parts))
    return ", ".join(x for x in out if x)


def _fragment_files(root: str, p: Path, frag: etree._Element):
    """(element, attribute, address, real path or None) for each relative address a fragment
    loads (img src, srcset, video poster …) of a kind the build copies (SHOWN): the path when
    the file it names, relative to the fragment's own file, lies inside the edition's folder;
    None when it leads out (a ../ path, a link). Addresses of other kinds are the editor's."""
    for el in frag.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in sorted(set(el.attrib) & _LOADS):
            for url in _urls(attr, el.get(attr)):
                path = url.split("#", 1)[0].split("?", 1)[0]
                if not _relative(url) or os.path.splitext(path)[1].lower() not in SHOWN:
                    continue
                yield el, attr, url, local_file(p.as_uri(), "", path, root, SHOWN)  # ?v=2 is the editor's cache-buster


def _with_files(files: "_Files", p: Path, data: bytes, frag: etree._Element, out: HtmlCustom) -> etree._Element:
    """The fragment with the edition's files it shows copied into the site (fingerprinted, as
    the style sheets: assets/custom/team.1a2b3c4d5e.jpg) and its addresses changed to theirs.
    A file that does not exist in the edition keeps its address (a file the editor put into the
    output folder); one that leads out of the edition's folder is refused, never read."""
    shown = files.display(p)
    for el, attr, url, real in list(_fragment_files(files.root, p, frag)):
        if real is None:
            raise BuildError(f"{_where(shown, data, frag, el)}: <{el.tag}> {attr}=\"{url}\" leads out of "
                             "the edition's folder: not read"
                             "\n    hint: copy the file into the edition and name it by a relative address")
        if not os.path.exists(real):
            continue
        try:
            body, _ = read_regular(Path(real))
        except OSError as e:
            raise BuildError(f"{_where(shown, data, frag, el)}: <{el.tag}> {attr}=\"{url}\" cannot be "
                             f"read: {e.strerror or e}") from None
        asset = Asset(_hashed_name(os.path.basename(real), body), body)
        if all(a.href != asset.href for a in out.shown):
            out.shown.append(asset)
            files.hashes.append(f"shown\x1f{files.display(Path(real))}\x1f{hashlib.sha256(body).hexdigest()}")
        el.set(attr, _srcset_with(el.get(attr), url, asset.href) if attr == "srcset" else asset.href)
    return frag


def _copy(el: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(el))


def html(config) -> HtmlCustom:
    """The [html] customisation of an edition (empty when it has none); BuildError naming
    edition.toml's line and the option, or the file's line and column, when it is refused."""
    opts = config.options("html")
    files = _Files(config, "html")
    out = HtmlCustom()
    for value in getattr(opts, "css", []):
        p, data = files.read("css", value, (".css",))
        _check_css(files.display(p), data)
        out.css.append(Asset(_hashed_name(value, data), data))
    if getattr(opts, "logo", ""):
        _, data = files.read("logo", opts.logo, IMAGES)
        out.logo = Asset(_hashed_name(opts.logo, data), data)
    for key in ("header", "footer"):
        value = getattr(opts, key, "")
        if value:
            p, data = files.read(key, value, FRAGMENTS)
            setattr(out, key, _with_files(files, p, data, fragment(files.display(p), data), out))
    seen: set[str] = set()
    for value in getattr(opts, "pages", []):
        p, data = files.read("pages", value, FRAGMENTS)
        stem = os.path.splitext(os.path.basename(value))[0]
        if not _PAGE_NAME.fullmatch(stem) or site_page(stem) or stem in seen:
            files.fail("pages", value, f"cannot become the page {stem}.html: "
                       + ("the site has (or may have) a page or folder of that name" if site_page(stem)
                          else "another page has that name" if stem in seen
                          else "a page's name is lower-case letters, digits, - and _"))
        seen.add(stem)
        content = _with_files(files, p, data, fragment(files.display(p), data), out)
        h1 = next(iter(content.iter("h1")), None)
        title = " ".join("".join(h1.itertext()).split()) if h1 is not None else ""
        out.pages.append(Page(f"{stem}.html", title or stem, content))
    module = None
    if getattr(opts, "xslt", ""):
        module = files.path("xslt", opts.xslt, (".xsl", ".xslt"))
        files.hashes.append(_modules_hash(module, files.root))
    if not files.hashes:
        return out
    key = hashlib.sha256("\n".join(files.hashes).encode()).hexdigest()
    out.layer = saxon.Layer(module, (files.root,), _declarations(out), key,
                            files.display(module) if module else "")
    return out


def _modules_hash(module: Path, root: str) -> str:
    """A hash of the layer's module and every module it includes or imports (read as the
    compile reads them; a refused one is reported when it compiles)."""
    paths: list[Path] = []
    try:
        saxon.module_text(module, (root,), paths)
    except saxon.XsltError:
        pass
    h = hashlib.sha256()
    for p in [module, *paths]:
        try:
            h.update(str(p).encode() + b"\0" + Path(p).read_bytes())
        except OSError:
            h.update(str(p).encode())
    return "xslt\x1f" + h.hexdigest()


def _declarations(c: HtmlCustom) -> str:
    """$fp:custom: what layout.xsl renders of the customisation, as an XML document the
    stylesheet reads from a data: URI (its text is never XSLT: nothing in a fragment runs)."""
    root = etree.Element("custom")
    for a in c.css:
        etree.SubElement(root, "css", href=a.href)
    if c.logo:
        etree.SubElement(root, "logo", href=c.logo.href)
    for name in ("header", "footer"):
        frag = getattr(c, name)
        if frag is not None:
            el = etree.SubElement(root, name)
            el.text = frag.text
            for child in frag:
                el.append(_copy(child))
    for p in c.pages:
        etree.SubElement(root, "nav", href=p.href).text = p.title
    uri = "data:application/xml;base64," + base64.b64encode(etree.tostring(root, encoding="utf-8")).decode("ascii")
    return (f'<xsl:variable name="fp:custom" as="document-node()?" select="doc(\'{uri}\')"/>')


def install_html(custom: HtmlCustom) -> None:
    """Compile the HTML entry stylesheets with the edition's layer (or without one) from now on."""
    from .html.stylesheets import DOCUMENT_XSL, SITE_XSL
    for entry in (DOCUMENT_XSL, SITE_XSL):
        saxon.set_layer(entry, custom.layer)


# Typst's root holds the house style's .typ files (linked) and the edition's template in this
# folder, under its path in the edition (so that Typst's messages name it).
TEMPLATE_FOLDER = "edition-template"


def pdf(config) -> PdfCustom:
    """The [pdf] customisation: the Typst template's text, the PDF layer (the edition's module
    and the template's address, over xslt/pdf/document.xsl and volume.xsl)."""
    opts = config.options("pdf")
    files = _Files(config, "pdf")
    out = PdfCustom()
    declarations = ""
    if getattr(opts, "template", ""):
        p, data = files.read("template", opts.template, (".typ",))
        try:
            out.template = data.decode("utf-8")
        except UnicodeDecodeError:
            files.fail("template", opts.template, "is not UTF-8 text")
        out.template_shown = files.display(p)
        out.template_path = f"/{TEMPLATE_FOLDER}/{out.template_shown}"
        literal = out.template_path.replace("&", "&amp;").replace("'", "''").replace('"', "&quot;").replace("<", "&lt;")
        declarations = f'<xsl:variable name="fp:typst-template" select="\'{literal}\'"/>'
    module = None
    if getattr(opts, "xslt", ""):
        module = files.path("xslt", opts.xslt, (".xsl", ".xslt"))
        files.hashes.append(_modules_hash(module, files.root))
    if files.hashes:
        key = hashlib.sha256("\n".join(files.hashes).encode()).hexdigest()
        out.layer = saxon.Layer(module, (files.root,), declarations, key,
                                files.display(module) if module else "")
    return out


def install_pdf(custom: PdfCustom, document_xsl: Path, volume_xsl: Path) -> None:
    """Compile the PDF entry stylesheets with the edition's layer (or without one) from now on."""
    for entry in (document_xsl, volume_xsl):
        saxon.set_layer(entry, custom.layer)


def typst_root(owner, custom: PdfCustom, pdf_dir: Path, root: str | None) -> str | None:
    """The folder Typst reads as its root when the edition has a template: `root` (the
    facsimile plates' folder, which links the house style already) or a new one removed with
    `owner`; the template written in it. None without a template."""
    if custom.template is None:
        return root
    if root is None:
        root = tempfile.mkdtemp(prefix="tei-edition-typst-")
        weakref.finalize(owner, shutil.rmtree, root, True)
        for p in pdf_dir.glob("*.typ"):
            os.symlink(p, os.path.join(root, p.name))
    dest = Path(root + custom.template_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(custom.template, encoding="utf-8")
    return root


_KEYS = {"html": ("css", "logo", "header", "footer", "pages", "xslt"), "pdf": ("template", "xslt")}


def _shown_files(root: str, p: Path) -> list[Path]:
    """The edition's files a fragment shows (for `edition serve` to watch); none when it
    cannot be read now (the build will say why)."""
    try:
        frag = fragment(str(p), read_regular(p)[0])
    except (OSError, BuildError):
        return []
    return [Path(real) for *_, real in _fragment_files(root, p, frag) if real and os.path.exists(real)]


def watched(config, tables=("html", "pdf")) -> list[Path]:
    """The customisation files of the tables that `edition serve` watches (those inside the
    edition's folder; the modules a layer includes as the compile finds them)."""
    out: list[Path] = []
    for table in tables:
        keys = _KEYS[table]
        try:
            opts = config.options(table)
        except KeyError:
            continue
        root = os.path.realpath(config.root)
        for key in keys:
            value = getattr(opts, key, None)
            for v in (value if isinstance(value, list) else [value] if value else []):
                real = _local(root, v, (os.path.splitext(v)[1].lower(),))
                if real is None:
                    continue
                out.append(Path(real))
                if key in ("header", "footer", "pages"):
                    out += _shown_files(root, Path(real))
                if key == "xslt":
                    more: list[Path] = []
                    try:
                        saxon.module_text(Path(real), (root,), more)
                    except (saxon.XsltError, OSError):
                        pass
                    out += [p for p in more if p != Path(real)]
    return out
