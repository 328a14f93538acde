"""edition.toml → Config, with defaults so a plain folder of TEI needs no configuration."""
from __future__ import annotations

import glob
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .files import Finder, inside

CONFIG_NAME = "edition.toml"


class ConfigError(Exception):
    """edition.toml is unreadable or names something that is not there."""


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
    references: str = "auto"         # cross-file pointer check: auto | on | off
    output: str = "output"
    language: str = "en"
    extra: dict = field(default_factory=dict)           # other tables, for build/import
    validate_exclude: list[str] = field(default_factory=list)  # [validate] exclude: globs
    path: Path | None = None         # the edition.toml read, if any
    _files_cache: list[Path] | None = field(default=None, repr=False, compare=False)
    _refused: dict = field(default_factory=dict, repr=False, compare=False)

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

    def rescan(self) -> None:
        """Find the edition's files anew on next use (a file was added or removed)."""
        self._files_cache = None

    def refused_files(self) -> dict[str, str]:
        """Files the sources name that are symbolic links leading out of the edition (or lie in
        folders that do): path → where they lead. They are reported, never read."""
        self.source_files()
        return dict(self._refused)

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


# The tables and keys edition.toml may hold, with the type each value must have: a key or table
# not listed (a typo such as [htlm]) or a value of another type is a configuration error that
# names the file, line and key. ("str|list": a string or a list of strings.)
SCHEMA: dict[str, dict[str, str]] = {
    "edition": {"title": "str", "sources": "str|list", "authority": "str|list", "edition_file": "str",
                "schema": "str", "schematron": "str|list", "output": "str", "language": "str",
                "references": "str"},
    "schemas": {"catalogs": "str|list", "map": "table:str"},
    "validate": {"exclude": "str|list"},
    "pdf": {"standards": "str|list", "font_paths": "str|list", "max_volume_pages": "int>0",
            "max_document_pages": "int>0"},
    "import": {"repositories": "table"},
    # the edition's conventions (toolkit/tei/conventions.py): the optional fields of "Document
    # information" (label = selectors) and the note type saying the source names them all; the
    # @reason of the <gap> that stands for a text not transcribed
    "document_info": {"fields": "table:str", "all_fields_note": "str"},
    "text": {"not_transcribed": "str|list"},
}
_TYPE_WORDS = {"str": "a string", "str|list": "a string or a list of strings", "int>0": "a whole number above 0",
               "table": "a table", "table:str": "a table of strings"}


def _type_ok(value, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "str|list":
        return isinstance(value, str) or (isinstance(value, list) and all(isinstance(x, str) for x in value))
    if kind == "int>0":
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    if kind == "table":
        return isinstance(value, dict)
    if kind == "table:str":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    return True


def _line_of(text: str, table: str, key: str | None = None) -> int:
    """The line of `[table]` (or of `key = ` inside it) in a TOML text, 0 when not found."""
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        m = re.match(r"^\[\s*([^\]\s]+)\s*\]", stripped)
        if m:
            current = m.group(1).strip('"')
            if key is None and (current == table or current.startswith(table + ".")):
                return n
            continue
        if key is not None and current == table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return n
    return 0


def check_types(path: Path, data: dict, text: str) -> None:
    """ConfigError for the first unknown table or key, or value of the wrong type."""
    def where(table, key=None):
        line = _line_of(text, table, key)
        return f"{path}:{line}" if line else f"{path}"
    for table, value in data.items():
        if table not in SCHEMA:
            raise ConfigError(f"{where(table)}: unknown table [{table}]; known: "
                              f"{', '.join(f'[{t}]' for t in SCHEMA)}")
        if not isinstance(value, dict):
            raise ConfigError(f"{where(table)}: {table} must be a table ([{table}])")
        keys = SCHEMA[table]
        for key, v in value.items():
            if key not in keys:
                raise ConfigError(f"{where(table, key)}: unknown key(s) in [{table}]: {key}; "
                                  f"known: {', '.join(sorted(keys))}")
            if not _type_ok(v, keys[key]):
                raise ConfigError(f"{where(table, key)}: [{table}] {key} must be {_TYPE_WORDS[keys[key]]} "
                                  f"(it is {v!r})")


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
    check_types(path, data, text)
    ed = data.get("edition", {})

    def as_list(v, key, table="edition"):
        if v is None:
            return []
        return [v] if isinstance(v, str) else v

    cfg = Config(root=path.parent.resolve(), path=path)
    if "title" in ed:
        cfg.title = str(ed["title"])
    if "sources" in ed:
        cfg.sources = as_list(ed["sources"], "sources")
    cfg.authority = as_list(ed.get("authority"), "authority")
    cfg.edition_file = ed.get("edition_file")
    cfg.schema = ed.get("schema")
    cfg.schematron = as_list(ed.get("schematron"), "schematron")
    cfg.output = ed.get("output", cfg.output)
    if not cfg.output.strip():
        raise ConfigError(f"{path}:{_line_of(text, 'edition', 'output')}: [edition] output must name a folder")
    cfg.language = ed.get("language", cfg.language)
    cfg.references = ed.get("references", cfg.references)
    if cfg.references not in ("auto", "on", "off"):
        raise ConfigError(f"{path}:{_line_of(text, 'edition', 'references')}: [edition] references must be "
                          f"auto, on or off")
    schemas = data.get("schemas", {})
    cfg.catalogs = as_list(schemas.get("catalogs"), "catalogs")
    cfg.schema_map = {k: v for k, v in schemas.get("map", {}).items()}
    cfg.extra = {k: v for k, v in data.items() if k not in ("edition", "schemas")}
    cfg.validate_exclude = as_list(data.get("validate", {}).get("exclude"), "exclude", "validate")
    for key in ("schema",):
        value = getattr(cfg, key)
        if value and not cfg.resolve(value).exists():
            raise ConfigError(f"{path}:{_line_of(text, 'edition', key)}: [edition] {key} = '{value}' does not exist")
    for s in cfg.schematron:
        if not cfg.resolve(s).exists():
            raise ConfigError(f"{path}:{_line_of(text, 'edition', 'schematron')}: [edition] schematron "
                              f"'{s}' does not exist")
    return cfg
