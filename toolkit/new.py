"""`edition new DIR`: a new edition from a template, ready to validate, build and commit.

The templates are package data (toolkit/templates/): `common/` for every edition (README,
.gitignore, pre-commit, GitHub workflows, the Schematron), `authority/` for the templates with
authority files, and one folder per template. A path part `dot-x` is written as `.x` (a wheel
and a git checkout keep the files visible), and `@@NAME@@` tokens take the editor's answers,
escaped for the file they stand in. `ENCODING.md`, the encoding guidelines, is the template's
part of their one source, templates/guide/ENCODING.md (docs/templates.md is made from it too).

What is already in DIR is never overwritten unless it is identical (nothing to do) or --force
is given; a symbolic link — DIR itself, a folder below it or a file — is never written through
and never read: files are opened relative to folder descriptors opened with O_NOFOLLOW, so no
link swapped in meanwhile can lead the writes out of DIR.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATES = ("documents", "letters", "minimal")
SCHEMAS = ("subset", "tei_all")
DEFAULT_TEMPLATE = "documents"
DEFAULT_LANGUAGE = "en"
TEI_ALL_URL = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
_LAYERS = {"documents": ("common", "authority", "documents"),
           "letters": ("common", "authority", "letters"),
           "minimal": ("common", "minimal")}
_SAMPLES = {"documents": "tei/doc-sample.xml", "letters": "tei/letter-sample.xml",
            "minimal": "tei/sample.xml"}
_TOKEN = re.compile(r"@@([A-Z_]+)@@")
# a BCP 47 tag in its common shape: language, then subtags (script, region, variants)
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_RNG = "http://relaxng.org/ns/structure/1.0"
# a part of the guidelines' source kept only for some tags; a part opened on a line of its own
# takes the line ending after its `end` with it
_GUIDE_PART = re.compile(r"<!-- only: (?P<tags>[a-z_ ]+) -->(?P<nl>\n)?(?P<body>.*?)<!-- end -->(?(nl)\n?)", re.S)
_SCH = "http://purl.oclc.org/dsdl/schematron"


class NewError(Exception):
    """A bad answer (title, language, address) or a DIR that cannot be used: nothing written."""


@dataclass
class Report:
    """What `create` did with each file (paths relative to the target, with "/")."""
    target: Path
    written: list[str] = field(default_factory=list)     # new files
    unchanged: list[str] = field(default_factory=list)   # there already, identical
    replaced: list[str] = field(default_factory=list)    # there, different, replaced (--force)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why) left alone
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether DIR now holds every file of the template as the template has it."""
        return not self.skipped


# -- the answers ---------------------------------------------------------------------------------

def default_title(target: Path) -> str:
    """A title from the folder's name ("my-letters" → "My letters")."""
    words = re.sub(r"[-_.\s]+", " ", Path(target).resolve().name).strip()
    return (words[:1].upper() + words[1:]) if words else "TEI edition"


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise NewError("the title is empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in title):
        raise NewError("the title holds a control character")
    return title


def check_language(language: str) -> str:
    language = language.strip()
    if not _LANGUAGE.fullmatch(language):
        raise NewError(f"{language!r} is not a language tag (BCP 47: en, de, fr, ru, zh-Hant, ar …)")
    return language


def check_base_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() or ord(c) < 32 or c in '"\\<>' for c in url):
        raise NewError(f"{url!r} is not a web address (https://example.org/edition/)")
    return url if url.endswith("/") else url + "/"


def base_url_option() -> bool:
    """Whether this toolkit's [html] table knows `base_url` (written live, else as a comment)."""
    from .outputs.html_options import HtmlOptions
    return any(f.name == "base_url" for f in dataclasses.fields(HtmlOptions))


# -- the files -----------------------------------------------------------------------------------

def _templates_root():
    from importlib.resources import files
    return files("toolkit.templates")


def _walk(folder, prefix: str = ""):
    """(relative path, bytes) of every file below a template folder (a Traversable)."""
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name in ("__pycache__", "__init__.py") or entry.name.endswith(".pyc"):
            continue
        name = "." + entry.name[len("dot-"):] if entry.name.startswith("dot-") else entry.name
        if entry.is_dir():
            yield from _walk(entry, prefix + name + "/")
        else:
            yield prefix + name, entry.read_bytes()


def template_files(template: str, schema: str = "subset") -> dict[str, bytes]:
    """The template's files as stored (tokens not yet replaced), later layers winning."""
    if template not in _LAYERS:
        raise NewError(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")
    root = _templates_root()
    out: dict[str, bytes] = {}
    for layer in _LAYERS[template]:
        out.update(_walk(root / layer))
    if schema == "tei_all":
        out.pop("schema/edition.rng", None)
    out["ENCODING.md"] = encoding_guide(template, schema).encode("utf-8")
    return dict(sorted(out.items()))


def guide_source() -> str:
    return (_templates_root() / "guide" / "ENCODING.md").read_text(encoding="utf-8")


def guide_parts(text: str):
    """(tags, text) of the guidelines' source in order: tags None for what every copy has."""
    at = 0
    for m in _GUIDE_PART.finditer(text):
        if "<!-- only:" in m["body"]:
            raise ValueError(f"a part of the guidelines inside another, at {m['body'][:60]!r}")
        before = text[at:m.start()]
        if "<!-- end -->" in before:
            raise ValueError("an end of a part of the guidelines without its part")
        yield None, before
        yield frozenset(m["tags"].split()), m["body"]
        at = m.end()
    rest = text[at:]
    if "<!-- only:" in rest or "<!-- end -->" in rest:
        raise ValueError("a part of the guidelines without its end, or an end without its part")
    yield None, rest


def tidy_guide(text: str) -> str:
    """No run of blank lines where left-out parts stood; one line ending at the end."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def encoding_guide(template: str, schema: str = "subset") -> str:
    """The new edition's ENCODING.md: the parts for its template, its schema and "project"."""
    keep = {template, schema, "project"}
    return tidy_guide("".join(part for tags, part in guide_parts(guide_source())
                              if tags is None or tags & keep))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; control characters were refused)."""
    return json.dumps(text, ensure_ascii=False)


def _xml_model(rel: str, schema: str) -> str:
    up = os.path.relpath("schema", os.path.dirname(rel) or ".").replace(os.sep, "/")
    rng = TEI_ALL_URL if schema == "tei_all" else f"{up}/edition.rng"
    return (f'<?xml-model href="{rng}" type="application/xml" schematypens="{_RNG}"?>\n'
            f'<?xml-model href="{up}/edition.sch" type="application/xml" schematypens="{_SCH}"?>')


def _schema_toml(schema: str) -> str:
    if schema == "tei_all":
        return ("# the schema: TEI P5 (tei_all), named by its URL in each file's <?xml-model?> and read\n"
                "# from the toolkit's schema cache (`edition schemas fetch tei_all`); and the Schematron\n"
                "# rules of this edition\n"
                'schematron = ["schema/edition.sch"]')
    return ("# the schema: a subset of TEI P5 (RELAX NG), and the Schematron rules of this edition\n"
            'schema = "schema/edition.rng"\n'
            'schematron = ["schema/edition.sch"]')


def _html_toml(base_url: str | None) -> str:
    if base_url_option():
        if base_url:
            return f"\n[html]\n# the public address of the site\nbase_url = {_toml(base_url)}\n"
        return '\n# [html]\n# the public address of the site, once it has one\n# base_url = "https://example.org/edition/"\n'
    if base_url:
        return ("\n# The public address of the site (for an [html] base_url, which this version of the\n"
                f"# toolkit does not know yet): {base_url}\n")
    return ""


def _schema_readme(schema: str) -> str:
    if schema == "tei_all":
        return ("The documents are checked against TEI P5 itself (`tei_all`), named by its URL in each\n"
                "file's `<?xml-model?>`: the toolkit downloads it once into its schema cache (`edition\n"
                "schemas fetch tei_all` does it ahead of time), and XML editors read it from the same URL.\n"
                "`schema/edition.sch` adds the edition's own rules in Schematron (hands, kinds of\n"
                "pointers); add yours there.")
    return ("`schema/edition.rng` is a small subset of TEI P5 in RELAX NG: every element and attribute is\n"
            "TEI's and every content model narrower than TEI's, so what it accepts is valid TEI. It\n"
            "accepts the samples and the usual additions; widen it as your encoding grows, and narrow\n"
            "the open lists (`div/@type`, `note/@type` …) to your encoding guidelines.\n"
            "`schema/edition.sch` adds rules in Schematron (every `@hand` names a `handNote`, names\n"
            "point into the authority file of their kind); add yours there.")


def _files_readme(template: str, schema: str) -> str:
    rows = [("`schema/`", "the Schematron rules the files are checked against (the schema is TEI P5, by URL)"
             if schema == "tei_all" else
             "the schema (RELAX NG) and the rules (Schematron) the files are checked against"),
            ("`ENCODING.md`", "the encoding guidelines: how to encode a document with this schema")]
    if template == "minimal":
        rows.insert(0, ("`tei/sample.xml`", "the sample document, with its persons, places and "
                        "organisations in its `<back>`"))
    else:
        rows.insert(0, (f"`{_SAMPLES[template]}`", f"the sample {'letter' if template == 'letters' else 'document'}"))
        rows.insert(1, ("`tei/persons.xml`, `tei/places.xml`, `tei/orgs.xml`",
                        "the authority files: persons, places, organisations"))
    return "".join(f"| {a} | {b} |\n" for a, b in rows)


def _substitute(text: str, values: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: values[m.group(1)], text)


def render(template: str, title: str, language: str, base_url: str | None,
           schema: str = "subset") -> dict[str, bytes]:
    """The files of a new edition: relative path → bytes."""
    values = {"TITLE": title, "TITLE_XML": _xml(title), "TITLE_TOML": _toml(title),
              "LANGUAGE_TOML": _toml(language), "TEMPLATE": template, "SAMPLE": _SAMPLES[template],
              "SCHEMA_TOML": _schema_toml(schema), "HTML_TOML": _html_toml(base_url),
              "SCHEMA_README": _schema_readme(schema),
              "FILES": _files_readme(template, schema)}
    out = {}
    for rel, data in template_files(template, schema).items():
        text = data.decode("utf-8")
        text = _substitute(text, dict(values, XML_MODEL=_xml_model(rel, schema)))
        out[rel] = text.encode("utf-8")
    return out


# -- writing -------------------------------------------------------------------------------------

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_target(target: Path) -> int:
    """A descriptor of DIR (made if missing); DIR may not be a symbolic link."""
    if os.path.islink(target):
        raise NewError(f"{target} is a symbolic link (to {os.readlink(target)}); give the folder "
                       "itself: nothing is written through a link")
    if os.path.lexists(target) and not os.path.isdir(target):
        raise NewError(f"{target} exists and is not a folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
        return os.open(target, _DIR_FLAGS)
    except OSError as e:
        raise NewError(f"cannot use {target} as the edition's folder: {e.strerror or e}") from None


class _Folders:
    """Descriptors of the folders below DIR, each made if missing and opened without following
    a link (a link or a file where a folder should be: None, and why)."""

    def __init__(self, top: int):
        self.fds: dict[str, int | None] = {"": top}
        self.why: dict[str, str] = {}

    def get(self, folder: str) -> int | None:
        if folder in self.fds:
            return self.fds[folder]
        parent, _, name = folder.rpartition("/")
        pfd = self.get(parent)
        fd = None
        if pfd is not None:
            try:
                os.mkdir(name, 0o755, dir_fd=pfd)
            except FileExistsError:
                pass
            except OSError as e:
                self.why[folder] = f"cannot make the folder {folder}: {e.strerror or e}"
            try:
                fd = os.open(name, _DIR_FLAGS, dir_fd=pfd)
            except OSError:
                self.why.setdefault(folder, f"{folder} is a symbolic link or not a folder: nothing "
                                            "is written into it")
        else:
            self.why[folder] = self.why.get(parent, f"{parent} cannot be used")
        self.fds[folder] = fd
        return fd

    def close(self):
        for fd in self.fds.values():
            if fd is not None:
                os.close(fd)


def _same(dfd: int, name: str, data: bytes) -> bool:
    """Whether the regular file `name` holds exactly `data` (read only when the sizes agree)."""
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=dfd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        chunks, left = [], len(data) + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks) == data
    finally:
        os.close(fd)


def _write_new(dfd: int, name: str, data: bytes) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=dfd)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _replace(dfd: int, name: str, data: bytes) -> None:
    """A new file beside `name`, renamed over it: a link there would be replaced, never followed
    (links are skipped before this is called)."""
    tmp = f".{name}.{os.getpid()}.new"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=dfd)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dfd)
        except OSError:
            pass
        raise


def _put(folders: _Folders, rel: str, data: bytes, force: bool, report: Report) -> None:
    folder, _, name = rel.rpartition("/")
    dfd = folders.get(folder)
    if dfd is None:
        report.skipped.append((rel, folders.why.get(folder, "its folder cannot be used")))
        return
    try:
        st = os.lstat(name, dir_fd=dfd)
    except FileNotFoundError:
        st = None
    try:
        if st is None:
            _write_new(dfd, name, data)
            report.written.append(rel)
        elif stat.S_ISLNK(st.st_mode):
            report.skipped.append((rel, "a symbolic link: neither read nor replaced"))
        elif not stat.S_ISREG(st.st_mode):
            report.skipped.append((rel, "not a regular file: left alone"))
        elif _same(dfd, name, data):
            report.unchanged.append(rel)
        elif force:
            _replace(dfd, name, data)
            report.replaced.append(rel)
        else:
            report.skipped.append((rel, "differs from the template (changed since, or someone "
                                        "else's): kept; --force replaces it"))
    except FileExistsError:
        report.skipped.append((rel, "appeared while writing: kept"))
    except OSError as e:
        report.skipped.append((rel, f"cannot write it: {e.strerror or e}"))


def create(target, template: str = DEFAULT_TEMPLATE, title: str | None = None,
           language: str = DEFAULT_LANGUAGE, base_url: str | None = None, force: bool = False,
           schema: str = "subset") -> Report:
    """Write a new edition into `target` (made if missing). Files there already are kept unless
    identical or `force`; symbolic links are never read or written through. NewError for bad
    answers or an unusable target (nothing written then)."""
    target = Path(target)
    if schema not in SCHEMAS:
        raise NewError(f"unknown schema {schema!r}; known: {', '.join(SCHEMAS)}")
    title = check_title(title if title is not None else default_title(target))
    language = check_language(language)
    base_url = check_base_url(base_url)
    files = render(template, title, language, base_url, schema)
    report = Report(target)
    if base_url and not base_url_option():
        report.notes.append("this toolkit has no [html] base_url yet: the address is written into "
                            "edition.toml as a comment")
    folders = _Folders(_open_target(target))
    try:
        for rel, data in files.items():
            _put(folders, rel, data, force, report)
    finally:
        folders.close()
    return report
