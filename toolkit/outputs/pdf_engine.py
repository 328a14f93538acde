"""Where the PDF build's Typst compiles run when they do not run here (docs/scale.md): on a Dask
cluster (`edition build pdf --engine dask`), or answered from shard results (`--merge DIR…`,
after `--shard i/n` builds); the other side of the seam is pdf.Typesetter.compile.

The seam is the compile itself: PdfBuild decides everything (the fragments, the characters,
what a failure does) as it does locally, and hands a Typst source to its Typesetter, which
sends it away (`remote`) instead of compiling it. A compile is a pure function of its source,
the settings and the files it reads (house style, template, fonts, facsimile plates), so the
PDF that comes back is the local one, byte for byte, and a failure comes back as Typst's
message, which PdfBuild explains against the TEI as it does locally.

- Setup: what every compile of a build needs besides its source: the Typst root's files (the
  house style, an edition's template), the edition's own fonts, and what must be the same on
  every machine (Typst's version, the system fonts in [pdf] font_dirs, the PDF's date). Its
  `key` fingerprints it all; a worker sets a build up once (a scattered copy), and a shard
  records it so that a merge made with other settings is refused.
- Each compile carries its source and the plates it names (`/plates/<hash>.jpg`).
- The main process does every write (publish.py); workers write only their scratch copy of the
  Typst root and fonts, in their Dask folder (removed with the worker)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .base import BuildError

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_PLATE = re.compile(r"/plates/([0-9a-f]{16}\.jpg)")


@dataclass
class Failure:
    """Typst's error, as pdf.Typesetter.explain reads it (a TypstError cannot travel)."""
    message: str
    hints: list = field(default_factory=list)
    diagnostic: str = ""


@dataclass
class Setup:
    """What a worker needs to compile a build's sources (see the module's docstring)."""
    key: str
    root: dict           # path inside the Typst root → bytes (plates travel with each compile)
    fonts: list          # per font path: {relative path: bytes} (the edition's), or the folder (a system one)
    system_fonts: str    # fingerprint of the system font folders' files (names and sizes)
    families: dict
    typst: str           # Typst's version


def typst_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("typst")
    except PackageNotFoundError:
        return "?"


def _files(folder: Path, keep=lambda p: True, confined: bool = False) -> dict[str, bytes]:
    """Every file under `folder`, by its path inside it. Links are followed (the house style
    is linked into a plates root), unless `confined` (an edition's font folder: untrusted, so
    nothing that leads out of it is read)."""
    out = {}
    top = os.path.realpath(folder)
    for dirpath, dirs, names in os.walk(folder, followlinks=not confined):
        dirs.sort()
        for name in sorted(names):
            p = Path(dirpath, name)
            rel = p.relative_to(folder).as_posix()
            if confined and not os.path.realpath(p).startswith(top + os.sep):
                continue
            if keep(rel) and p.is_file():
                out[rel] = p.read_bytes()
    return out


def _file(path: Path) -> dict[str, bytes]:
    """A font path that names a file (inside the edition: pdf._settings), or nothing."""
    return {path.name: path.read_bytes()} if path.is_file() else {}


def system_fonts(dirs) -> str:
    """A fingerprint of the font files in the system folders (names and sizes): the workers
    must see the same fonts, or the PDFs would differ."""
    h = hashlib.sha256()
    for d in dirs:
        for dirpath, dirnames, names in os.walk(d, followlinks=True):
            dirnames.sort()
            for name in sorted(names):
                if name.lower().endswith(FONT_SUFFIXES):
                    p = os.path.join(dirpath, name)
                    try:
                        h.update(f"{os.path.relpath(p, d)}\0{os.path.getsize(p)}\n".encode())
                    except OSError:
                        pass
    return h.hexdigest()


def make_setup(setter, pdf_dir: Path, font_dirs) -> Setup:
    """The Setup of a build's Typesetter: its root's files (without the plates), the fonts of
    its font paths that are the edition's (inside its folder: checked by pdf._settings), and
    the fingerprint of the system ones."""
    if setter.root is None:
        root = {p.name: p.read_bytes() for p in sorted(pdf_dir.glob("*.typ"))}
    else:
        root = _files(Path(setter.root), lambda rel: not rel.startswith("plates/"))
    system = [d for d in setter.font_paths if d in font_dirs]
    fonts = [d if d in font_dirs else _files(Path(d), lambda rel: rel.lower().endswith(FONT_SUFFIXES), True)
             if Path(d).is_dir() else _file(Path(d)) for d in setter.font_paths]
    system_fp = system_fonts(system)
    h = hashlib.sha256()
    h.update(json.dumps([__version__, typst_version(), setter.standards, setter.timestamp,
                         setter.families, system_fp], sort_keys=True).encode())
    for files in [root, *[f for f in fonts if isinstance(f, dict)]]:
        for rel, data in sorted(files.items()):
            h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
        h.update(b"\1")
    return Setup(h.hexdigest(), root, fonts, system_fp, setter.families, typst_version())


def plates(source: str, root: str | None) -> dict[str, bytes]:
    """The facsimile plates a source names, read from the build's plates folder."""
    if root is None:
        return {}
    out = {}
    for name in sorted(set(_PLATE.findall(source))):
        p = Path(root, "plates", name)
        if p.is_file():
            out[name] = p.read_bytes()
    return out


def compile_key(setup_key: str, source: str, kwargs: dict, plate_files: dict) -> str:
    """The fingerprint of one compile: everything its PDF depends on."""
    h = hashlib.sha256(setup_key.encode())
    h.update(json.dumps({k: v for k, v in kwargs.items() if k != "root"}, sort_keys=True).encode())
    for name, data in sorted(plate_files.items()):
        h.update(name.encode() + hashlib.sha256(data).digest())
    h.update(source.encode("utf-8"))
    return h.hexdigest()


# -- in a Dask worker ---------------------------------------------------------------------------
# Per worker process: the Typst compiler of the last build set up (by Setup.key) and its
# scratch folder; one compile at a time (a worker may run several threads).
_state: dict = {}
_lock = threading.Lock()


class SetupFailed(Exception):
    pass


def _worker_compiler(setup: Setup):
    """(compiler, root folder) for the build: made once per worker and build."""
    if setup.key in _state:
        return _state[setup.key]
    import typst
    if typst_version() != setup.typst:
        raise SetupFailed(f"this worker has typst {typst_version()}, the build's machine {setup.typst}: "
                          f"install the same version on every worker")
    system = [f for f in setup.fonts if isinstance(f, str)]
    if system_fonts(system) != setup.system_fonts:
        raise SetupFailed(f"the fonts in {', '.join(system)} differ between this worker and the "
                          f"build's machine: install the same font packages on every worker")
    for old in list(_state.values()):  # one build's at a time: the last build's goes
        shutil.rmtree(old[1], ignore_errors=True)
    _state.clear()
    scratch = tempfile.mkdtemp(prefix="tei-edition-worker-", dir=_worker_folder())
    root = os.path.join(scratch, "root")
    _write(root, setup.root)
    os.mkdir(os.path.join(root, "plates"))
    font_paths = []
    for i, f in enumerate(setup.fonts):
        if isinstance(f, str):
            font_paths.append(f)
        else:
            font_paths.append(os.path.join(scratch, f"fonts-{i}"))
            _write(font_paths[-1], f)
    compiler = typst.Compiler(root=root, font_paths=font_paths, ignore_system_fonts=True,
                              sys_inputs={k: "\n".join(v) for k, v in (setup.families or {}).items()})
    _state[setup.key] = (compiler, scratch)
    return _state[setup.key]


def _worker_folder() -> str | None:
    """The Dask worker's own folder, which Dask removes when the worker closes (a worker
    process ends without running atexit handlers); None outside a worker."""
    try:
        from distributed import get_worker
        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def _write(folder: str, files: dict) -> None:
    for rel, data in files.items():
        p = Path(folder, rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def typst_compile(compiler, source: str, kwargs: dict):
    """("ok", pdf, warnings) or ("typst", Failure): one compile, its outcome as data."""
    import typst
    try:
        pdf, warnings = compiler.compile_with_warnings(input=source.encode("utf-8"), **kwargs)
    except typst.TypstError as e:
        return "typst", Failure(getattr(e, "message", str(e)), list(getattr(e, "hints", []) or []),
                                getattr(e, "diagnostic", "") or "")
    return "ok", pdf, [getattr(w, "message", str(w)) for w in warnings or []]


def worker_typeset(setup: Setup, source: str, kwargs: dict, plate_files: dict, release: bool):
    """Run in a Dask worker: ("ok", pdf, warnings) | ("typst", Failure) | ("setup", why)."""
    from .pdf import release_compiler
    with _lock:
        try:
            compiler, scratch = _worker_compiler(setup)
        except (SetupFailed, OSError) as e:
            return "setup", str(e)
        root = os.path.join(scratch, "root")
        for name, data in plate_files.items():
            p = os.path.join(root, "plates", name)
            if not os.path.exists(p):
                Path(p).write_bytes(data)
        if release:
            release_compiler(compiler)
        return typst_compile(compiler, source, {**kwargs, "root": root})


# -- in the main process --------------------------------------------------------------------------
class Remote:
    """Where pdf.Typesetter sends its compiles: compile(source, kwargs) → (pdf, warnings,
    Failure or None); `prefetch` sends sources ahead, `release` asks the next compile to drop
    the memory of the ones before (Typesetter.release)."""
    setter = None

    def prefetch(self, sources) -> None:
        pass

    def release(self) -> None:
        pass

    def document(self, key: str) -> None:
        """typeset_document begins the document's own PDF (a merge checks its shard here)."""

    def close(self) -> None:
        pass


# Sources sent ahead to the cluster at a time: enough to keep many workers busy, few enough
# that the scheduler and the main process do not hold every document's source at once.
AHEAD = 256


class DaskTypesetting(Remote):
    """The compiles on a Dask cluster: the build's Setup scattered to every worker once, each
    compile a task of its own; sources sent ahead (prefetch, AHEAD at a time) are compiled
    while the main process goes on, and taken when the build asks for exactly that source."""

    def __init__(self, engine, setter, setup: Setup):
        from .engine import dask_connect
        self.setter, self.setup = setter, setup
        self.client, self._cluster = dask_connect(engine)
        self._setup = self.client.scatter(setup, broadcast=True)
        self._ahead: dict = {}     # (source, kwargs) → future, in the order the build will ask
        self._coming = iter(())    # the sources still to send ahead
        self._release = False

    def _submit(self, source: str, kwargs: dict, release: bool = False):
        return self.client.submit(worker_typeset, self._setup, source, kwargs,
                                  plates(source, self.setter.root), release, pure=False)

    def prefetch(self, sources) -> None:
        """Send these (source, kwargs), an iterable made as it is read, ahead."""
        self._coming = iter(sources)
        self._top_up()

    def _top_up(self) -> None:
        while len(self._ahead) < AHEAD:
            nxt = next(self._coming, None)
            if nxt is None:
                return
            k = (nxt[0], json.dumps(nxt[1], sort_keys=True))
            if k not in self._ahead:
                self._ahead[k] = self._submit(*nxt)

    def release(self) -> None:
        self._release = True

    def compile(self, source: str, kwargs: dict):
        k = (source, json.dumps(kwargs, sort_keys=True))
        future = self._ahead.get(k)
        if future is not None:  # those sent before it were not asked for: their sources changed
            while (first := self._ahead.pop(next(iter(self._ahead)))) is not future:
                first.cancel()
        self._top_up()
        if future is None:
            future, self._release = self._submit(source, kwargs, self._release), False
        try:
            got = future.result()
        except Exception as e:  # the worker failed (not Typst): the build stops
            raise BuildError(f"a Dask worker failed: {e or type(e).__name__}") from None
        if got[0] == "setup":
            raise BuildError(f"a Dask worker cannot typeset this build: {got[1]}")
        if got[0] == "typst":
            return None, [], got[1]
        return got[1], got[2], None

    def close(self) -> None:
        for f in self._ahead.values():
            f.cancel()
        self._ahead.clear()
        if getattr(self, "client", None) is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


__all__ = ["DaskTypesetting", "Failure", "Remote", "Setup", "make_setup", "typst_compile", "worker_typeset"]
