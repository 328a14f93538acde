"""edition.toml → Config, with defaults so a plain folder of TEI needs no configuration."""
from __future__ import annotations

import glob
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .files import Finder, inside
from .options import ConfigError, Where, option, placeholders, read_options

__all__ = ["Config", "ConfigError", "load_config", "find_config", "option_tables", "CONFIG_NAME"]

CONFIG_NAME = "edition.toml"


@dataclass
class Config:
    root: Path                      # folder holding edition.toml (or the folder given)
    title: str = "TEI edition"
    sources: list[str] = field(default_factory=lambda: ["tei/**/*.xml"])
    authority: list[str] = field(default_factory=list)   # empty: recognised by listPerson/…
    edition_file: str | None = None
    schema: str | None = None        # RELAX NG; None: from each file's <?xml-model?>
    schematron: list[str] = field(default_factory=list)  # None/empty: from <?xml-model?>
    schema_map: dict[str, str] = field(default_factory=dict)  # remote URL → local file
    catalogs: list[str] = field(default_factory=list)         # OASIS XML catalogs
    schema_fetch: str = "auto"       # [schemas] fetch: TEI's published schemas, auto | never
    references: str = "auto"         # cross-file pointer check: auto | on | off
    output: str = "output"
    language: str = "en"
    extra: dict = field(default_factory=dict)           # the other tables as written (raw)
    validate_exclude: list[str] = field(default_factory=list)  # [validate] exclude: globs
    path: Path | None = None         # the edition.toml read, if any
    _files_cache: list[Path] | None = field(default=None, repr=False, compare=False)
    _refused: dict = field(default_factory=dict, repr=False, compare=False)
    _options: dict = field(default_factory=dict, repr=False, compare=False)  # table → option set
    # where xi:include may read (toolkit/xinclude.py): the folders given for an ad hoc build
    _include_roots: list = field(default_factory=list, repr=False, compare=False)

    def options(self, table: str):
        """The option set of a table ([import], [pdf], …) as edition.toml gives it, defaults
        for what it does not. ([edition], [schemas] and [validate] are Config's attributes.)"""
        if table in CORE_ATTRS:
            return CORE_TABLES[table](**{k: getattr(self, a) for k, a in CORE_ATTRS[table].items()})
        if table not in self._options:
            classes = option_tables()
            if table not in classes:
                raise KeyError(f"no table [{table}]; known: {', '.join(classes)}")
            self._options[table] = read_options(classes[table], {}, table)
        return self._options[table]

    def resolve(self, rel: str | None) -> Path | None:
        if rel is None:
            return None
        p = Path(rel).expanduser()
        return p if p.is_absolute() else (self.root / p)

    def source_files(self) -> list[Path]:
        """Every TEI file of the edition (documents, authority files, edition file), sorted."""
        if self._files_cache is None:
            self._files_cache = self._find_source_files()
        return list(self._files_cache)

    def _find_source_files(self) -> list[Path]:
        # strings until the end: a Path per file and step costs more than the scan itself
        out: set[str] = set()
        self._refused = {}
        # links may lead anywhere in the edition's folder or the git repository holding it
        top = (os.path.realpath(self.root), *(os.path.realpath(r) for r in repository_top(self.root)))
        finder = Finder(top, self._refused)
        for pattern in self.sources + self.authority + ([self.edition_file] if self.edition_file else []):
            full = str(self.resolve(pattern))
            matches = finder.glob(full) if glob.has_magic(full) else [full]
            for m in matches:
                if os.path.isdir(m):
                    out.update(finder.xml_files(m))
                else:
                    out.add(m)
        # a file (or a folder on the way to it) that is a symbolic link leading out of the edition
        # is not read: the edition's files are untrusted input (tei/x.xml -> /etc/passwd); nor is
        # a file an edition.toml names outside its folder and its git repository. (Files found
        # by listing folders were checked on the way.)
        links = [p for p in out if p not in finder.checked
                 and (_leaves(p, self.root, top) or (self.path is not None and not inside(os.path.realpath(p), top)))]
        for p in links:
            out.discard(p)
            self._refused[os.path.normpath(os.path.abspath(p))] = os.path.realpath(p)
        # absolute, normalised paths (no symlink resolution: it costs a syscall per file)
        outdir = os.path.normpath(os.path.abspath(self.resolve(self.output))) + os.sep
        files = {os.path.normpath(os.path.abspath(p)) for p in out}
        # sorted as Paths sort (part by part), but on strings: sorting 5,000 Paths took 0.18 s
        return [Path(p) for p in sorted((p for p in files if not p.startswith(outdir)),
                                        key=lambda p: p.split(os.sep))]

    def source_match(self):
        """Membership of source_files() told for one path at a time, without listing folders:
        the staged check matches the files git knows with it. A function (absolute normalised
        path, whether it exists) -> bool, exact for regular files inside the edition's folder or
        its repository (no symbolic links on the way); None when a pattern is beyond it (a
        '.' or '..' after a wildcard, or a last part that may match other files than .xml)."""
        rules = []
        for pattern in self.sources + self.authority + ([self.edition_file] if self.edition_file else []):
            full = str(self.resolve(pattern))
            if not glob.has_magic(full):
                rules.append((os.path.normpath(os.path.abspath(full)), None))
                continue
            parts = full.split(os.sep)
            n = next(i for i, p in enumerate(parts) if glob.has_magic(p))
            rest = parts[n:]
            if any(p in (".", "..", "") for p in rest) or not rest[-1].endswith(".xml"):
                return None
            base = os.path.normpath(os.path.abspath(os.sep.join(parts[:n]) or os.sep))
            rules.append((base, rest))
        outdir = os.path.normpath(os.path.abspath(self.resolve(self.output))) + os.sep

        def match(path: str, exists: bool = True) -> bool:
            if path.startswith(outdir):
                return False
            return any(_matches(path, exists, base, rest) for base, rest in rules)
        return match

    def use_files(self, files: list[Path]) -> None:
        """Take these as the edition's files instead of listing its folders: the staged check
        gives the part of the edition a check can read (from git's index), sorted as
        source_files() sorts."""
        self._files_cache = sorted(files, key=lambda p: str(p).split(os.sep))
        self._refused = {}

    def rescan(self) -> None:
        """Find the edition's files anew on next use (a file was added or removed)."""
        self._files_cache = None

    def refused_files(self) -> dict[str, str]:
        """Files the sources name that are symbolic links leading out of the edition (or lie in
        folders that do): path → where they lead. They are reported, never read."""
        self.source_files()
        return dict(self._refused)

    def add_refused(self, refused: dict[str, str]) -> None:
        """Count more files as refused (path → where its link leads): an ad hoc build's links
        out of a folder it was given."""
        self.source_files()
        self._refused.update(refused)

    def refused_diagnostics(self, display_root: Path | None = None) -> list:
        """An error for each refused file (refused_files), named relative to `display_root`."""
        from .diagnostics import ERROR, Diagnostic
        out = []
        for path, real in sorted(self.refused_files().items()):
            try:
                shown = os.path.relpath(path, display_root or self.root)
            except ValueError:
                shown = path
            what = "a folder" if os.path.isdir(path) else "a file"
            out.append(Diagnostic(shown.replace(os.sep, "/"), 1, 1, ERROR,
                                  f"{what} reached through a symbolic link that leads out of the edition "
                                  f"(to {real}): not read", "file.outside",
                                  "keep the edition's files inside its folder; copy the file in instead "
                                  "of linking to it"))
        return out

    def authority_files(self) -> list[Path]:
        return [self.resolve(a) for a in self.authority]

    @property
    def output_dir(self) -> Path:
        return self.resolve(self.output)


def _matches(path: str, exists: bool, base: str, rest: list[str] | None) -> bool:
    """Whether Finder would list `path` for one pattern (Config.source_match): a fixed path (the
    file, named even when missing, or the .xml files below the folder), else the wildcard parts
    `rest` below `base` (hidden names only for a part that starts with "."; none with "**"; a
    folder matched by the last part gives its .xml files)."""
    if rest is None:
        return path == base or (exists and path.endswith(".xml") and path.startswith(base + os.sep))
    if not exists or not path.startswith(base.rstrip(os.sep) + os.sep):
        return False
    rel = path[len(base.rstrip(os.sep)) + 1:].split(os.sep)
    if "**" in rest:
        from .files import translate
        return not any(p.startswith(".") for p in rel) and \
            re.fullmatch(translate(rest), "/".join(rel)) is not None
    if len(rel) < len(rest):
        return False
    import fnmatch
    for name, part in zip(rel, rest):
        if (name.startswith(".") and not part.startswith(".")) or not re.match(fnmatch.translate(part), name):
            return False
    return len(rel) == len(rest) or path.endswith(".xml")


def repository_top(folder: Path) -> list[Path]:
    """The git repository holding the edition's folder, if any: its files come with the
    edition's (an authority file or a schema shared by editions in subfolders); nothing outside
    it does."""
    for d in (folder, *folder.parents):
        if (d / ".git").exists():
            return [d]
    return []


def _leaves(path: str, root: Path, top) -> bool:
    """Whether a file inside the edition's folder is reached through a symbolic link that leads
    out of it. (Files named outside the root, as an absolute source glob may, are the config's
    own choice and not checked here; links are the danger, not paths.)"""
    ap = os.path.abspath(path)
    if not inside(os.path.normpath(ap), os.path.normpath(os.path.abspath(root))):
        return False
    return not inside(os.path.realpath(ap), top)


def find_config(start: Path) -> Path | None:
    """edition.toml in start or its parents (like git finds .git)."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


# -- the tables of edition.toml ----------------------------------------------------------------
# One option set (a dataclass, toolkit/options.py) per table; docs/configuration.md is generated
# from them (scripts/config_reference.py). [edition], [schemas] and [validate] are mirrored by
# Config's attributes (CORE_ATTRS); the builders' tables ([pdf], [html], …) belong to the
# builders and are found through the registry.

def _a_folder(value: str) -> str | None:
    return None if value.strip() else "must name a folder"


@dataclass
class EditionOptions:
    """The edition: its files, schemas and output. Paths and globs are relative to edition.toml."""

    title: str = option("TEI edition", "The edition's title (site header, PDF title page, metadata).",
                        example="Soviet Decisions on Xinjiang, 1935–1945")
    sources: list[str] = option(["tei/**/*.xml"], "The documents: globs or folders (a folder stands "
                                "for its XML files). The folder of the first is the document folder, "
                                "where `edition import` writes its drafts.",
                                example=["tei/doc-*.xml"])
    authority: list[str] = option([], "Authority files (persons, places, organisations; entities "
                                  "are linked by `@ref`). Not set: files holding `listPerson`, "
                                  "`listPlace`, `listOrg` … among the sources are recognised.",
                                  example=["tei/persons.xml", "tei/places.xml"])
    edition_file: str | None = option(None, "The edition-level TEI file (title page, editors, "
                                      "licence, editorial declaration).", example="tei/edition.xml")
    schema: str | None = option(None, "The edition's RELAX NG schema (it must exist), used for every "
                                "file. Not set: each file's `<?xml-model?>` decides. `edition import` "
                                "points its drafts at it (an `<?xml-model?>` relative to the document "
                                "folder; none when not set).", example="schema/edition.rng")
    schematron: list[str] = option([], "The edition's Schematron files (`.sch`, or `.rng` with "
                                   "embedded rules; they must exist). Not set: from `<?xml-model?>`. "
                                   "`edition import` points its drafts at them, as for `schema`.",
                                   example=["schema/edition.sch"])
    output: str = option("output", "The output folder (`html/` and `pdf/` go inside); never read as "
                         "a source.", check=_a_folder, rule="not empty")
    language: str = option("en", "The language of the edition's text where a file does not say "
                           "(BCP 47 tag), and of its interface: the words of the HTML pages and the "
                           "PDF (message catalogues `en`, `de`, `fr`, `ru`, `zh`, `ar`; any other "
                           "language gets the English interface and a build warning; "
                           "`edition messages` lists what a catalogue lacks, docs/i18n.md), "
                           "`<html lang dir>`, search stemming, PDF hyphenation, and how every output "
                           "writes dates (`en`: 14 June 1937, `en-US`: June 14, 1937, `de`: 14. Juni "
                           "1937, `zh`: 1937年6月14日, `ar`: 14 يونيو 1937; also `fr`, `it`, `es`, `ru`; "
                           "any other language in English).",
                           example="de")
    references: Literal["auto", "on", "off"] = option(
        "auto", "The check that pointers between files resolve (`persons.xml#stalin`), made from "
        "the edition's model: `auto` runs it for files that no Schematron checks.", example="on")


@dataclass
class SchemasOptions:
    """Where schemas named by URL are found. The TEI's own published schemas (tei_all.rng …)
    come from the toolkit's schema cache (`edition schemas fetch`); nothing else is downloaded."""

    catalogs: list[str] = option([], "OASIS XML catalogs that map schema URLs to local files.",
                                 example=["catalog.xml"])
    map: dict[str, str] = option({}, "Schema URL → local copy (inside the edition's folder: files "
                                 "outside it are never read). A remote schema with no local copy "
                                 "gives one warning per run, never a network request (the TEI's "
                                 "own published schemas excepted: see `fetch`).",
                                 example={"http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/"
                                          "tei_all.rng": "schema/tei_all.rng"})
    fetch: Literal["auto", "never"] = option(
        "auto", "The TEI Consortium's published schemas (`tei_all.rng`, `tei_lite.rng` … of the "
        "current release or a version, by their www.tei-c.org URL): `auto` downloads one into the "
        "toolkit's cache the first time a file names it (saying so in one line), `never` only "
        "uses what `edition schemas fetch` put there. No other URL is ever fetched.",
        example="never")


@dataclass
class ValidateOptions:
    """`edition validate`."""

    exclude: list[str] = option([], "Globs of files validation does not check (fixtures invalid on "
                                "purpose): `**` any number of folders, `*` and `?` within a name, "
                                "`[…]` a class; a folder stands for everything below it "
                                "(docs/validation.md).",
                                example=["tei/drafts/*.xml"])


@dataclass
class Repository:
    """An archive the importer can split citations of into an msDesc."""

    settlement: str = option(doc="Where the archive is (`msIdentifier/settlement`).")
    language: str = option(doc="The language of its documents (`textLang`, \"inferred from the "
                           "archival citation\").")


# Archives whose citations the importer knows; [import.repositories] adds to them.
REPOSITORIES = {name: Repository("Moscow", "ru") for name in
                ("RGASPI", "GARF", "RGANI", "RGVA", "RGAE", "APRF", "AVP RF", "AVPRF")}
FILE_NAME_FIELDS = {"date", "year"}
_XML_ID = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def _file_name(value: str) -> str | None:
    problem = placeholders(value, FILE_NAME_FIELDS)
    if problem:
        return problem
    if "/" in value or "\\" in value or value.startswith("."):
        return "must be a file name (no folders; drafts go into the document folder, or where -o says)"
    if not value.endswith(".xml"):
        return "must end in .xml"
    return None


def _xml_id(value: str) -> str | None:
    return None if _XML_ID.fullmatch(value) else "must be an XML id (a letter or _, then letters, digits, . _ -)"


@dataclass
class ImportOptions:
    """`edition import` (docs/import.md): how drafts are named and what ids they use."""

    file_name: str = option(
        "doc-{date}.xml", "The name of a draft written into the document folder (without -o). "
        "Placeholders: {date}, the document's date from the top of the page in ISO form "
        "(1937-06-14; 1937-06 for a month); {year}, its year. The name without .xml is the "
        "document's `xml:id` (when it is not a valid one, as with `-o` to another name, the "
        "default name's is used).",
        check=_file_name, rule="a file name ending in .xml, without folders, with no "
        "placeholders but {date} and {year} ({{ and }} for braces)", example="letter-{date}.xml")
    archive_hand: str = option(
        "hand-archive", "The `xml:id` of the hand (`handNote`) of the handwritten notes the translator "
        "reports, which their `note/@hand` points to. Ids are unique across the edition: when "
        "another document has it, the draft's gets the document's name appended (without the "
        "file name's fixed start: hand-archive-1945-08-02).", check=_xml_id, rule="an XML id")
    signature_hand: str = option(
        "hand-signature", "The `xml:id` of the hand of the signature (`signed/@hand`), made unique "
        "in the same way.", check=_xml_id, rule="an XML id, not archive_hand")
    repositories: dict[str, Repository] = option(
        REPOSITORIES, "Archives whose citations are split into an msDesc, by the name the citation "
        "starts with; the ones given are added to the known ones (or replace one of the same name).",
        merge=True, default_doc=", ".join(REPOSITORIES) + " (Moscow, ru)",
        example={"Central State Archive": Repository("Almaty", "ru")})

    def check(self):
        if self.archive_hand == self.signature_hand:
            return "signature_hand", "must differ from archive_hand"
        return None


_SELECTOR = re.compile(r"resp:\S+|[A-Za-z_][\w.-]*(?::\S+)?")


def _selectors(value: dict) -> str | None:
    for label, find in value.items():
        if not label.strip():
            return "a field needs a label"
        if not find.split() or not all(_SELECTOR.fullmatch(s) for s in find.split()):
            return (f"field {label!r}: {find!r} is not a list of selectors "
                    "(resp:PREFIX, NAME or NAME:TYPE, space-separated)")
    return None


@dataclass
class DocumentInfoOptions:
    """The edition's own fields of "Document information" (docs/encoding.md); none by default."""

    fields: dict[str, str] = option(
        {}, "Fields in the order shown: label = where a teiHeader gives them, as space-separated "
        "selectors: `resp:PREFIX` a respStmt whose resp starts with PREFIX (any case), `NAME` an "
        "element of the header, `NAME:TYPE` one with that @type. Documents that lack a field some "
        "other document gives show \"Not given in the source\".", check=_selectors,
        rule="selectors resp:PREFIX, NAME or NAME:TYPE",
        example={"Translated by": "resp:translat", "Record ID": "idno:record idno:recordId"})
    all_fields_note: str = option(
        "", "The @type of a notesStmt/note saying the source names every field (without values).",
        default_doc="not set", example="source-fields")


@dataclass
class TextOptions:
    """How the edition marks a document whose text is not transcribed."""

    not_transcribed: list[str] = option(
        [], "The @reason of a `<gap>` directly in `<body>` that stands for a text not transcribed: "
        "its summary comes first in the PDF, the chronology marks the others \"full text\". Not "
        "set: every document counts as transcribed.", example=["not-transcribed"])


def _iiif_base(value: str) -> str | None:
    if value and not re.match(r"^https?://[^\s]+$", value):
        return "must be an http(s) URL"
    if value and value.count("{id}") != 1:
        return "must hold {id} once (where the bare id goes)"
    return None


@dataclass
class FacsimileOptions:
    """Page images (docs/facsimiles.md): how bare image ids become IIIF addresses. (The IIIF
    manifests name their resources by [html] base_url.)"""

    iiif_base: str = option(
        "", "The IIIF Image API base of a bare image id (a `@facs` or `graphic/@url` without a "
        "path or extension, such as `MS-B-00005-B-000-00036`): a URL where `{id}` stands for the id. "
        "Not set: bare ids show no image.", check=_iiif_base, rule="an http(s) URL with {id}",
        default_doc="not set", example="https://iiif.example.org/iiif/images/{id}.jp2")


CORE_TABLES: dict[str, type] = {"edition": EditionOptions, "schemas": SchemasOptions,
                                "validate": ValidateOptions, "import": ImportOptions,
                                "document_info": DocumentInfoOptions, "text": TextOptions,
                                "facsimile": FacsimileOptions}
# Config attribute of each key of the tables Config mirrors
CORE_ATTRS = {
    "edition": {f: f for f in ("title", "sources", "authority", "edition_file", "schema", "schematron",
                               "output", "language", "references")},
    "schemas": {"catalogs": "catalogs", "map": "schema_map", "fetch": "schema_fetch"},
    "validate": {"exclude": "validate_exclude"},
}


def builder_option_classes() -> dict[str, type]:
    """The option set of each builder's table ([html], [pdf], …), from the builder registry;
    without one, the PDF builder's own. Imported here, on demand: most edition.toml files have
    no builder table, and reading them must not import the builders."""
    try:
        from .outputs.registry import option_classes
    except ModuleNotFoundError as e:
        if e.name != "toolkit.outputs.registry":
            raise
        from .outputs.pdf_options import PdfOptions
        return {"pdf": PdfOptions}
    return dict(option_classes())


def option_tables() -> dict[str, type]:
    """Every table edition.toml may hold, with its option set."""
    return {**CORE_TABLES, **builder_option_classes()}


def _read_tables(path: Path, data: dict, text: str) -> dict:
    """Each table of edition.toml as its option set; ConfigError for an unknown table or key, or
    a bad value, naming the file, line and key."""
    builders = None
    out = {}
    for table, value in data.items():
        cls = CORE_TABLES.get(table)
        if cls is None:
            builders = builder_option_classes() if builders is None else builders
            cls = builders.get(table)
        where = Where(str(path), text, (table,))
        if cls is None:
            known = [*CORE_TABLES, *(builders or {})]
            raise ConfigError(f"{where.at()}: unknown table [{table}]; known: "
                              f"{', '.join(f'[{t}]' for t in known)}")
        if not isinstance(value, dict):
            raise ConfigError(f"{where.at()}: {table} must be a table ([{table}])")
        out[table] = read_options(cls, value, where)
    return out


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read edition.toml (given, or found from start upwards); defaults when there is none."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config(root=(start or Path.cwd()).resolve())
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read it: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}") from None
    tables = _read_tables(path, data, text)
    cfg = Config(root=path.parent.resolve(), path=path)
    for table, attrs in CORE_ATTRS.items():
        if table in tables:
            for key, attr in attrs.items():
                setattr(cfg, attr, getattr(tables[table], key))
    cfg._options = {t: o for t, o in tables.items() if t not in CORE_ATTRS}
    cfg.extra = {k: v for k, v in data.items() if k not in ("edition", "schemas")}
    where = Where(str(path), text, ("edition",))
    if cfg.schema and not cfg.resolve(cfg.schema).exists():
        raise ConfigError(f"{where.at('schema')}: [edition] schema = '{cfg.schema}' does not exist")
    for s in cfg.schematron:
        if not cfg.resolve(s).exists():
            raise ConfigError(f"{where.at('schematron')}: [edition] schematron '{s}' does not exist")
    return cfg
