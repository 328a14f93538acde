"""Which grammar (RELAX NG, compact or XML syntax; XML Schema) and Schematron apply to a file,
and where they are on this machine.

Order: command line, then edition.toml, then the file's own <?xml-model?> processing
instructions and xsi:schemaLocation / xsi:noNamespaceSchemaLocation. Remote schema URLs are mapped
to local copies through edition.toml's [schemas.map] or OASIS XML catalogs; the TEI's own
published schemas come from the schema cache (schema_cache.py). Nothing else is ever fetched.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..config import Config
from ..xmlsafe import SourceFile, outside_roots, parse_schema_file, xml_model_pis
from .kinds import KINDS, kind_of
from .schema_cache import TeiFile, tei_url

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = ("http://purl.oclc.org/dsdl/schematron", "http://www.ascc.net/xml/schematron")
CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass
class SchemaRef:
    kind: str            # a grammar kind of kinds.KINDS (rng, rnc, xsd …) or sch
    location: str        # as written (URL or path)
    path: Path | None    # local file, when found
    line: int = 1        # line of the xml-model PI or of the root's xsi attribute (1 for configured schemas)
    origin: str = "xml-model"   # xml-model | xsi | config | cli
    refused: str = ""    # why the local file is not read (outside the edition, not a regular file)
    tei: TeiFile | None = None  # one of the TEI's published schemas (path: its cached copy, if any)

    @property
    def grammar(self) -> bool:
        return self.kind in KINDS


class Catalog:
    """OASIS XML catalog entries (uri, system, rewriteURI, rewriteSystem) from the given files."""

    def __init__(self, files: list[Path]):
        self.exact: dict[str, Path] = {}
        self.prefixes: list[tuple[str, Path]] = []
        for f in files:
            self._load(f, set())

    def _load(self, f: Path, seen: set):
        if f in seen or not f.exists():
            return
        seen.add(f)
        try:
            root = parse_schema_file(f, etree.XMLParser(no_network=True, resolve_entities=False,
                                                        load_dtd=False)).getroot()
        except (etree.XMLSyntaxError, OSError):
            return
        base = f.parent
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            if name == "uri" and el.get("name") and el.get("uri"):
                self.exact[el.get("name")] = _local(base, el.get("uri"))
            elif name == "system" and el.get("systemId") and el.get("uri"):
                self.exact[el.get("systemId")] = _local(base, el.get("uri"))
            elif name in ("rewriteURI", "rewriteSystem"):
                start = el.get("uriStartString") or el.get("systemIdStartString")
                if start and el.get("rewritePrefix"):
                    self.prefixes.append((start, _local(base, el.get("rewritePrefix"))))
            elif name == "nextCatalog" and el.get("catalog"):
                self._load(_local(base, el.get("catalog")), seen)

    def lookup(self, url: str) -> Path | None:
        if url in self.exact:
            return self.exact[url]
        for start, prefix in sorted(self.prefixes, key=lambda x: -len(x[0])):
            if url.startswith(start):
                return Path(str(prefix).rstrip("/") + "/" + url[len(start):].lstrip("/"))
        return None


def _local(base: Path, ref: str) -> Path:
    parts = urlsplit(ref)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    return (base / unquote(ref)).resolve()


# Folders named on the command line outside the edition (a file's own folder, or the folder
# given): each is the root of its files' schemas (set by validator.confine_reads).
_own_roots: tuple[str, ...] = ()


def set_own_roots(folders) -> None:
    global _own_roots
    _own_roots = tuple(os.path.realpath(f) for f in folders)


def own_root(path: Path) -> str | None:
    """The folder a file named outside the edition reads its schemas from; None for the
    edition's files."""
    real = os.path.realpath(path)
    return next((r for r in sorted(_own_roots, key=len, reverse=True) if _inside(real, r)), None)


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


class SchemaResolver:
    def __init__(self, config: Config, cli_rng: Path | None = None, cli_sch: list[Path] | None = None):
        self.config = config
        self.cli_rng = cli_rng
        self.cli_sch = cli_sch or []
        self.catalog = Catalog([config.resolve(c) for c in config.catalogs])

    def locate(self, href: str, from_file: Path) -> Path | None:
        """A local file for an xml-model href: mapped, catalogued, or relative to the file."""
        if href in self.config.schema_map:
            return self.config.resolve(self.config.schema_map[href])
        found = self.catalog.lookup(href)
        if found is not None:
            return found
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "ftp"):
            return None
        if parts.scheme == "file":
            return Path(unquote(parts.path))
        return (from_file.parent / unquote(href)).resolve()

    def configured(self, edition: bool = True) -> list[SchemaRef]:
        """The schemas the command line or edition.toml give for every file (only the command
        line's for a file outside the edition: edition=False)."""
        refs: list[SchemaRef] = []
        if self.cli_rng:
            refs.append(SchemaRef(kind_of(str(self.cli_rng)) or "rng", str(self.cli_rng), self.cli_rng,
                                  origin="cli"))
        elif self.config.schema and edition:
            p = self.config.resolve(self.config.schema)
            refs.append(SchemaRef(kind_of(self.config.schema) or "rng", self.config.schema, p, origin="config"))
        if self.cli_sch:
            refs += [SchemaRef("sch", str(p), p, origin="cli") for p in self.cli_sch]
        elif self.config.schematron and edition:
            refs += [SchemaRef("sch", s, self.config.resolve(s), origin="config")
                     for s in self.config.schematron]
        return refs

    def for_file(self, src: SourceFile) -> list[SchemaRef]:
        own = own_root(src.path) if _own_roots else None
        # a file named outside the edition: its own xml-model, not the edition's schemas
        refs = self.configured(edition=own is None)
        have_grammar = any(r.grammar for r in refs)
        have_sch = any(r.kind == "sch" for r in refs)
        if src.tree is None:
            return refs
        found: list[SchemaRef] = []
        for pi in xml_model_pis(src.tree):
            href = pi.get("href")
            if not href:
                continue
            ns = pi.get("schematypens", "")
            lower = href.lower().split("#")[0]
            if ns in SCH_NS or (not ns and lower.endswith(".sch")):
                kind = "sch"
            else:
                kind = kind_of(href, ns, pi.get("type", ""))
                if kind is None:
                    continue
            found.append(self._ref(kind, href, src, int(pi["_line"]), "xml-model"))
        found += self._xsi_refs(src)
        for r in found:
            if (r.grammar and have_grammar) or (r.kind == "sch" and have_sch):
                continue
            refs.append(r)
        for r in refs:
            if r.origin != "cli" and r.path is not None and r.tei is None:
                # (a schema named on the command line is the user's choice; the cache is the toolkit's)
                r.refused = refusal(r.path, own)
        return refs

    def _ref(self, kind: str, href: str, src: SourceFile, line: int, origin: str) -> SchemaRef:
        path = self.locate(href, src.path)
        tei = tei_url(href) if path is None else None
        if tei is not None:
            from .schema_cache import check_cached
            path = check_cached(tei)[0]
        return SchemaRef(kind, href, path, line, origin, tei=tei)

    def _xsi_refs(self, src: SourceFile) -> list[SchemaRef]:
        """XML Schemas the root names by xsi:schemaLocation (the pair for the root's namespace)
        or xsi:noNamespaceSchemaLocation."""
        root = src.root
        out = []
        pairs = (root.get(f"{{{XSI_NS}}}schemaLocation") or "").split()
        ns = etree.QName(root).namespace or ""
        for i in range(0, len(pairs) - 1, 2):
            if pairs[i] == ns:
                out.append(self._ref("xsd", pairs[i + 1], src, root.sourceline or 1, "xsi"))
        plain = (root.get(f"{{{XSI_NS}}}noNamespaceSchemaLocation") or "").strip()
        if plain and not ns:
            out.append(self._ref("xsd", plain, src, root.sourceline or 1, "xsi"))
        return out[:1]


def refusal(path: Path, own: str | None = None) -> str:
    """Why a schema file is not read, or "": it must be a regular file inside the edition (or
    the toolkit's own resources) — an xml-model in an untrusted file may name /dev/zero or a
    file of the user's. For a file named outside the edition (`own`: its folder), inside that
    folder."""
    import stat as st_
    if own is not None:
        real = os.path.realpath(path)
        if not _inside(real, own):
            return (f"it lies outside {own} ({real}): a file named outside the edition reads "
                    f"schemas only from its own folder (or the folder given)")
    real = outside_roots(path)
    if real is not None:
        return f"it lies outside the edition ({real}), and the toolkit reads no file there"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""  # missing: reported as such
    if not st_.S_ISREG(mode):
        return "it is not a regular file (a device, FIFO, socket or folder)"
    return ""
