"""edition.toml → Config, with defaults so a plain folder of TEI needs no configuration."""
from __future__ import annotations

import glob
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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
        for pattern in self.sources + self.authority + ([self.edition_file] if self.edition_file else []):
            full = str(self.resolve(pattern))
            matches = glob.glob(full, recursive=True) if glob.has_magic(full) else [full]
            for m in matches:
                if os.path.isdir(m):
                    seen = set()  # symlinked folders are followed, each real folder once
                    for folder, subs, names in os.walk(m, followlinks=True):
                        real = os.path.realpath(folder)
                        if real in seen:
                            subs[:] = []
                            continue
                        seen.add(real)
                        out.update(os.path.join(folder, n) for n in names if n.endswith(".xml"))
                else:
                    out.add(m)
        # absolute, normalised paths (no symlink resolution: it costs a syscall per file)
        outdir = os.path.normpath(os.path.abspath(self.resolve(self.output))) + os.sep
        files = {os.path.normpath(os.path.abspath(p)) for p in out}
        return sorted(Path(p) for p in files if not p.startswith(outdir))

    def authority_files(self) -> list[Path]:
        return [self.resolve(a) for a in self.authority]

    @property
    def output_dir(self) -> Path:
        return self.resolve(self.output)


def find_config(start: Path) -> Path | None:
    """edition.toml in start or its parents (like git finds .git)."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


_KNOWN = {"title", "sources", "authority", "edition_file", "schema", "schematron", "output",
          "language", "references"}


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read edition.toml (given, or found from start upwards); defaults when there is none."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config(root=(start or Path.cwd()).resolve())
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}") from None
    ed = data.get("edition", {})
    unknown = set(ed) - _KNOWN
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [edition]: {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(sorted(_KNOWN))}")

    def as_list(v, key, table="edition"):
        if v is None:
            return []
        if isinstance(v, str):
            return [v]
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            return v
        raise ConfigError(f"{path}: [{table}] {key} must be a string or a list of strings")

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
    cfg.language = ed.get("language", cfg.language)
    cfg.references = ed.get("references", cfg.references)
    if cfg.references not in ("auto", "on", "off"):
        raise ConfigError(f"{path}: [edition] references must be auto, on or off")
    schemas = data.get("schemas", {})
    cfg.catalogs = as_list(schemas.get("catalogs"), "catalogs")
    cfg.schema_map = {k: v for k, v in schemas.get("map", {}).items()}
    cfg.extra = {k: v for k, v in data.items() if k not in ("edition", "schemas")}
    val = data.get("validate", {})
    if not isinstance(val, dict) or set(val) - {"exclude"}:
        raise ConfigError(f"{path}: [validate] knows one key: exclude (a list of globs)")
    cfg.validate_exclude = as_list(val.get("exclude"), "exclude", "validate")
    for key in ("schema",):
        value = getattr(cfg, key)
        if value and not cfg.resolve(value).exists():
            raise ConfigError(f"{path}: [edition] {key} = '{value}' does not exist")
    for s in cfg.schematron:
        if not cfg.resolve(s).exists():
            raise ConfigError(f"{path}: [edition] schematron '{s}' does not exist")
    return cfg
