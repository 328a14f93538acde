"""`edition validate --staged`: check what the next commit holds, which is git's index.

The working tree is not what is committed: a file can be staged and then edited (or the
reverse), deleted from the index but left on disk, or never added. Each edition concerned is
checked where its files are exactly as the index has them:

- in the working tree itself when nothing the check reads differs there from the index (no
  unstaged change in the edition's folders, no untracked file among its sources or beside its
  schemas): the common case, and the cheap one;
- else in a snapshot of the index: every index entry of the edition's folder (and of the
  folders its edition.toml names) at its own absolute path below <git-dir>/tei-edition-staged/,
  hard-linked from the working tree when the working copy is the index's, written from its blob
  when not, untracked files absent. The edition is loaded there (its staged edition.toml,
  schemas, authority files), the paths in the diagnostics are mapped back, and the snapshot is
  removed, also on Ctrl-C and SIGTERM.

What is checked: the staged files that are sources of their edition (the nearest edition.toml
above each in the index, else the default edition at the top of the repository), the files
whose pointers reach a file the commit adds, deletes or renames or an xml:id it changes
(dependents.py), and the whole edition when its edition.toml or a schema it uses is staged.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import CONFIG_NAME, Config, ConfigError, load_config
from ..diagnostics import Diagnostic, sort_diagnostics
from ..model import canon, display_name, glob_magic
from .dependents import FileChange, changed_ids, dependents
from .schemas import SchemaResolver
from .validator import Report, UsageError, validate, without_excluded

# Files whose change can change the verdict on every file that uses them: schemas and what they
# include. One staged in an edition's folder, or beside a schema the edition uses, re-checks
# the whole edition.
SCHEMA_SUFFIXES = frozenset((".rng", ".rnc", ".sch", ".isosch", ".xsd", ".xsl", ".xslt", ".dtd"))
_READ_SUFFIXES = SCHEMA_SUFFIXES | {".xml"}
SNAPSHOT_DIR = "tei-edition-staged"
_NO_BLOB = re.compile(r"0+")


# ------------------------------------------------------------------------------ git's side

@dataclass
class Change:
    status: str          # A, M, T or D: from HEAD to the index
    old: str | None      # blob at HEAD
    new: str | None      # blob in the index


@dataclass
class Repo:
    top: Path                               # the working tree's top folder
    git_dir: Path
    index: dict[str, tuple[str, str]]       # path (posix, from top) -> (mode, blob), stage 0
    changes: dict[str, Change]              # what the commit changes, by path
    dirty: set[str]                         # index entries whose working copy differs
    cat: subprocess.Popen | None = None     # `git cat-file --batch`, for blobs()
    includers: set[str] = field(default_factory=set)  # index paths whose text names XInclude

    @classmethod
    def read(cls, start: Path) -> "Repo":
        """Everything at once, each git command beside the others. `status` compares HEAD, the
        index and the working tree in one go; no rename pairing (a rename is a deletion and
        an addition); no index refresh written (GIT_OPTIONAL_LOCKS=0). cat-file is started now
        too, so that it is ready when blobs are wanted."""
        cat = _start(start, ["cat-file", "--batch"], stdin=subprocess.PIPE)
        # the files that may xi:include a staged one (dependents): git finds them in the index
        # far faster than reading every file here
        grep = _start(start, ["grep", "--cached", "-l", "-z", "--full-name", "-F", "XInclude", "--", ":/*.xml"])
        try:
            where, listing, status = _git_all(
                start, ["rev-parse", "--show-toplevel", "--absolute-git-dir"],
                ["ls-files", "-s", "-v", "-z", "--full-name", ":/"],
                ["status", "--porcelain=v2", "-z", "--no-renames", "-uno", "--ignore-submodules=all"],
                env={"GIT_OPTIONAL_LOCKS": "0"})
            found, _ = grep.communicate()
        except BaseException:
            _stop(cat)
            grep.kill()
            grep.wait()
            raise
        includers = {os.fsdecode(p) for p in found.split(b"\0") if p} if grep.returncode in (0, 1) else None
        top, git_dir = os.fsdecode(where).splitlines()
        index, dirty = {}, set()
        for entry in listing.split(b"\0"):
            if entry:
                meta, path = entry.split(b"\t", 1)
                tag, mode, sha, stage = meta.decode().split()
                if stage == "0":
                    index[os.fsdecode(path)] = (mode, sha)
                    if tag != "H":  # skip-worktree, assume-unchanged: the working copy may differ
                        dirty.add(os.fsdecode(path))
        changes = {}
        for entry in status.split(b"\0"):
            if not entry.startswith(b"1 "):
                continue  # unmerged (u): git commit refuses those before any hook runs
            fields = entry.split(b" ", 8)
            xy, old, new, path = fields[1].decode(), fields[6].decode(), fields[7].decode(), os.fsdecode(fields[8])
            if xy[0] in "AMTD":
                changes[path] = Change(xy[0], None if _NO_BLOB.fullmatch(old) else old,
                                       None if _NO_BLOB.fullmatch(new) else new)
            if xy[1] != ".":
                dirty.add(path)
        return cls(Path(top), Path(git_dir), index, changes, dirty, cat,
                   includers if includers is not None else set(index))

    def blobs(self, shas) -> dict[str, bytes]:
        """The content of these blobs, by name: asked one by one (cat-file answers each at
        once, so neither side waits on a full pipe)."""
        found = {}
        for sha in sorted(set(shas)):
            if self.cat is None or self.cat.poll() is not None:
                self.cat = _start(self.top, ["cat-file", "--batch"], stdin=subprocess.PIPE)
            self.cat.stdin.write(sha.encode("ascii") + b"\n")
            self.cat.stdin.flush()
            header = self.cat.stdout.readline().split()
            if len(header) == 3:
                found[sha] = self.cat.stdout.read(int(header[2]) + 1)[:-1]
        return found

    def close(self):
        _stop(self.cat)
        self.cat = None

    def clean(self, rel: str | None) -> bool:
        """A path outside the repository, or tracked with its working copy as the index has it."""
        return rel is None or (rel in self.index and rel not in self.dirty)

    def all_clean(self, paths) -> bool:
        """clean() for many absolute, normalised paths (a thousand sources: no relpath each)."""
        top = str(self.top) + os.sep
        n = len(top)
        for p in map(str, paths):
            if p.startswith(top) and not self.clean(p[n:].replace(os.sep, "/")):
                return False
        return True


def _start(cwd: Path, args: list[str], env: dict | None = None, stdin=None) -> subprocess.Popen:
    try:
        return subprocess.Popen(["git", *args], cwd=cwd, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, **env} if env else None)
    except FileNotFoundError:
        raise UsageError("--staged needs git, which is not installed") from None


def _stop(proc: subprocess.Popen | None):
    if proc is not None:
        try:
            proc.stdin.close()
        except OSError:
            pass
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def _git_all(cwd: Path, *commands: list[str], env: dict | None = None) -> list[bytes]:
    """Several git commands run side by side; their outputs in order."""
    procs = [_start(cwd, args, env) for args in commands]
    outs = [p.communicate() for p in procs]
    for p, (_, err) in zip(procs, outs):
        if p.returncode:
            raise UsageError(f"--staged needs a git repository: {err.decode('utf-8', 'replace').strip()}")
    return [out for out, _ in outs]


def _under(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def _rel(path: Path, top: Path) -> str | None:
    """A path relative to the repository's top (posix), None when it lies outside."""
    rel = os.path.relpath(canon(path), canon(top)).replace(os.sep, "/")
    return None if rel == ".." or rel.startswith("../") else ("" if rel == "." else rel)


# ------------------------------------------------------------------------------ where to check

class WorkingTree:
    """The files where they are (when they are the index's). Records the schemas the check
    reads, to make sure afterwards that they too are the index's."""

    def __init__(self):
        self.schemas: set[Path] = set()

    def mirror(self, real: Path) -> Path:
        return canon(real)

    def schema_path(self, path: Path) -> Path:
        self.schemas.add(canon(path))
        return path

    def real_text(self, text: str) -> str:
        return text


class Snapshot:
    """The index's files at their absolute paths below a folder of our own in the git dir (the
    working tree's file system, so hard links work), made when first needed."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self.home = repo.git_dir / SNAPSHOT_DIR
        self.slot: Path | None = None
        self.done: set[str] = set()          # folders (from top) laid out
        self.dirs: set[str] = set()

    # paths between the two worlds ------------------------------------------------------
    def mirror(self, real: Path) -> Path:
        return Path(str(self._slot()) + str(canon(real)))

    def real(self, path: Path) -> Path | None:
        s, base = str(canon(path)), str(self.slot)
        return Path(s[len(base):]) if s.startswith(base + os.sep) else None

    def schema_path(self, path: Path) -> Path:
        """Where to read a schema named from inside the snapshot: there when it lies inside the
        repository (the index's version, laid out now if it was not), in place when outside
        (git has no version of it)."""
        real = self.real(path)
        if real is None:
            return path
        rel = _rel(real, self.repo.top)
        if rel is None:
            return real
        if rel in self.repo.index and not os.path.lexists(path):
            self._lay_out([rel])
        return path

    def real_text(self, text: str) -> str:
        """A text with every snapshot path (plain or as a file: URI) made the real one."""
        if not text or self.slot is None:
            return text
        return text.replace(self.slot.as_uri() + "/", "file:///").replace(str(self.slot) + "/", "/")

    # making and removing it ------------------------------------------------------------
    def _slot(self) -> Path:
        if self.slot is None:
            try:
                self.slot = self._make_slot()
            except OSError as e:
                raise UsageError(f"--staged: cannot make a snapshot of git's index in "
                                 f"{self.home}: {e.strerror or e}") from None
        return self.slot

    def _make_slot(self) -> Path:
        self.home.mkdir(exist_ok=True)
        self._remove_stale()
        for name in ("main", f"run-{os.getpid()}"):
            try:
                (self.home / name).mkdir()
            except FileExistsError:
                continue  # another run has it (a check by hand while a commit runs)
            (self.home / name / ".owner").write_text(str(os.getpid()))
            return self.home / name
        raise FileExistsError(f"{self.home / f'run-{os.getpid()}'} is in the way; remove it")

    def remove(self):
        if self.slot is None:
            return
        import shutil
        shutil.rmtree(self.slot, ignore_errors=True)
        try:
            os.rmdir(self.home)  # only when no other run uses it
        except OSError:
            pass

    def _remove_stale(self):
        """Snapshots of runs that were killed (SIGKILL, a power cut) before they could clean up."""
        for slot in self.home.iterdir():
            try:
                os.kill(int((slot / ".owner").read_text()), 0)
                continue  # its run is still going
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
            except (OSError, ValueError):
                try:
                    if time.time() - slot.stat().st_mtime < 60:
                        continue  # being made just now (no owner yet)
                except OSError:
                    continue
            import shutil
            shutil.rmtree(slot, ignore_errors=True)

    # laying it out ---------------------------------------------------------------------
    def add_folder(self, folder: str):
        """Every index entry below a folder of the repository ('' for all of it)."""
        if any(_under(folder, d) for d in self.done):
            return
        self.done.add(folder)
        self._lay_out([p for p in self.repo.index if _under(p, folder)])

    def add_schemas(self):
        """Every schema file of the index, wherever it is: what a schema includes, or what a
        file's <?xml-model?> names, may lie outside the folders laid out."""
        self._lay_out([p for p in self.repo.index if os.path.splitext(p)[1].lower() in SCHEMA_SUFFIXES])

    def _lay_out(self, paths: list[str]):
        """Index entries into the snapshot: hard links to the working copies that are the
        index's, the others from their blobs."""
        top, base = str(self.repo.top), str(self._slot())
        from_blobs = []
        for path in paths:
            mode, sha = self.repo.index[path]
            if mode == "160000":
                continue  # a submodule: another repository
            dest = self._dest(base, top, path)
            if mode == "120000" or path in self.repo.dirty:
                from_blobs.append((mode, sha, dest))
                continue
            try:
                os.link(os.path.join(top, path), dest, follow_symlinks=False)
            except FileExistsError:
                pass  # laid out already
            except (OSError, NotImplementedError):  # another file system, a file we may
                from_blobs.append((mode, sha, dest))  # not link, no linkat(): its blob then
        blobs = self.repo.blobs(sha for _, sha, _ in from_blobs)
        for mode, sha, dest in from_blobs:
            try:
                if mode == "120000":  # a symlink is committed as the name of its target
                    os.symlink(os.fsdecode(blobs[sha]), dest)
                else:
                    with open(dest, "xb") as fh:
                        fh.write(blobs[sha])
            except (FileExistsError, KeyError):
                pass  # laid out already

    def add_outside(self, real: Path):
        """A file outside the repository that the edition names: as it is on disk."""
        dest = self.mirror(real)
        if os.path.lexists(dest) or not real.is_file():
            return
        self.folder(real.parent)
        try:
            os.link(real, dest)
        except OSError:
            import shutil
            shutil.copyfile(real, dest)

    def folder(self, real: Path) -> Path:
        """The snapshot's copy of a folder (made empty when the index has nothing there)."""
        dest = self.mirror(real)
        if str(dest) not in self.dirs:
            dest.mkdir(parents=True, exist_ok=True)
            self.dirs.add(str(dest))
        return dest

    def _dest(self, base: str, top: str, path: str) -> str:
        dest = base + os.path.join(top, path)
        parent = os.path.dirname(dest)
        if parent not in self.dirs:
            os.makedirs(parent, exist_ok=True)
            self.dirs.add(parent)
        return dest


@contextmanager
def _cleanup_on_signals():
    """SIGTERM and SIGHUP end the run through the normal exit path, so that the snapshot is
    removed (Ctrl-C does already: KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)
    saved = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in saved.items():
            signal.signal(s, h)


@contextmanager
def _working_folder(path: Path):
    """Work from the snapshot's copy of the current folder: every path shown comes out relative
    to it exactly as the real paths would from the real folder."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
        canon.cache_clear()  # the absolute forms of relative paths it made there are wrong here


# ------------------------------------------------------------------------------ editions

@dataclass
class _Edition:
    root: str                                   # its folder, from the repository's top
    has_config: bool
    folders: set[str] = field(default_factory=set)     # in the repository, named by its config
    outside: list[Path] = field(default_factory=list)  # files outside the repository it names
    changes: dict[str, Change] = field(default_factory=dict)  # those that concern it

    @property
    def config_path(self) -> str:
        return f"{self.root}/{CONFIG_NAME}" if self.root else CONFIG_NAME


def _config_paths(data: dict) -> tuple[list[str], list[str]]:
    """The paths an edition.toml names: (sources and the like, schemas and catalogs)."""
    def strings(v):
        return [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []

    def table(d, key):
        return d.get(key) if isinstance(d.get(key), dict) else {}
    ed, sch = table(data, "edition"), table(data, "schemas")
    files = [*strings(ed.get("sources")), *strings(ed.get("authority")), *strings(ed.get("edition_file"))]
    schemas = [*strings(ed.get("schema")), *strings(ed.get("schematron")), *strings(sch.get("catalogs")),
               *[v for v in table(sch, "map").values() if isinstance(v, str)]]
    return files, schemas


def _editions(repo: Repo, only: str | None) -> dict[str, _Edition]:
    """The editions of the repository: each folder with an edition.toml in the index, and the
    default edition at the top when there is none there."""
    roots = {os.path.dirname(p) for p in repo.index if os.path.basename(p) == CONFIG_NAME}
    editions = {r: _Edition(r, True) for r in ({only} if only is not None else roots)}
    if only is None and "" not in editions:
        editions[""] = _Edition("", False)
    staged = {e.root for e in editions.values() if e.has_config and e.config_path in repo.dirty}
    blobs = repo.blobs(repo.index[editions[r].config_path][1] for r in staged)
    for e in editions.values():
        if not e.has_config:
            continue
        try:
            data = blobs[repo.index[e.config_path][1]] if e.root in staged \
                else (repo.top / e.config_path).read_bytes()
            data = tomllib.loads(data.decode("utf-8"))
        except (OSError, KeyError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # loading it for the check reports the problem
        _add_config_paths(e, data, repo.top, repo.index.__contains__)
    return editions


def _add_config_paths(e: _Edition, data: dict, top: Path, in_index) -> None:
    """The folders of the repository outside the edition's own that its edition.toml (read as
    `data`) names, and the files outside the repository; `in_index(path from top)` tells a file
    of the index."""
    files, schemas = _config_paths(data)
    for value in files + schemas:
        where = Path(value).expanduser()
        where = Path(os.path.normpath(where if where.is_absolute() else top / e.root / where))
        fixed = where
        while glob_magic(str(fixed)):
            fixed = fixed.parent
        rel = _rel(fixed, top)
        if rel is None:
            e.outside += _files_at(where)
            continue
        if value in schemas or in_index(rel):
            rel = os.path.dirname(rel)  # a schema's includes are beside it
        if not _under(rel, e.root):
            e.folders.add(rel)


def _files_at(where: Path) -> list[Path]:
    """The files a path or glob outside the repository names (XML files of a folder)."""
    import glob
    s = str(where)
    out = []
    for f in (glob.glob(s, recursive=True) if glob_magic(s) else [s]):
        if os.path.isdir(f):
            out += [Path(d, n) for d, _, names in os.walk(f) for n in names if n.endswith(".xml")]
        elif os.path.isfile(f):
            out.append(Path(f))
    return out


def _owner(path: str, editions: dict[str, _Edition]) -> str | None:
    """The edition whose folder is the nearest one above a path."""
    best = None
    for r in editions:
        if _under(path, r) and (best is None or len(r) > len(best)):
            best = r
    return best


# ------------------------------------------------------------------------------ the check

def validate_staged(start: Path, config_path: Path | None = None, schema: Path | None = None,
                    schematron: list[Path] | None = None, authority: list[Path] | None = None,
                    progress=None) -> Report:
    """Validate what git's index holds for the next commit (see the module's doc)."""
    cwd = Path.cwd()

    def real(p):
        return Path(os.path.abspath(p))
    options = dict(schema=real(schema) if schema else None,
                   schematron=[real(p) for p in schematron or []] or None,
                   authority=[real(p) for p in authority or []], progress=progress)
    from .staged_fast import fast_check
    fast = fast_check(Path(start), config_path, options, cwd)
    if fast is not None:  # the common case, answered from the reference store
        report, checked, top, staged = fast
        _note_missed(report, top, staged, checked, cwd)
        return report
    repo = Repo.read(Path(start))
    snap = Snapshot(repo)
    try:
        with _cleanup_on_signals():
            report, checked = _check_editions(repo, snap, _editions(repo, _only(repo, config_path)),
                                              cwd, options)
    finally:
        snap.remove()
        repo.close()
    _note_missed(report, repo.top, [p for p, c in repo.changes.items() if c.status != "D"], checked, cwd)
    return report


def _note_missed(report: Report, top: Path, staged: list[str], checked: set[str], cwd: Path) -> None:
    """A note naming the staged XML files (not deleted) that no edition checked."""
    missed = sorted(p for p in staged if p.endswith(".xml") and p not in checked)
    if missed:
        names = [display_name(top / p, cwd) for p in missed]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        report.notes.append(f"{len(names)} staged XML file{'s' if len(names) != 1 else ''} not "
                            f"checked (not among an edition's sources, or excluded by "
                            f"[validate] exclude): {shown}")


def _only(repo: Repo, config_path: Path | None) -> str | None:
    """The folder of the edition given with --config (None: every edition)."""
    if config_path is None:
        return None
    only = _rel(Path(config_path).parent, repo.top)
    if only is None or (f"{only}/{CONFIG_NAME}" if only else CONFIG_NAME) not in repo.index:
        raise UsageError(f"{config_path}: --staged reads edition.toml from git's index, "
                         f"and this one is not there (not in this repository, or not added)")
    return only


def _check_editions(repo: Repo, snap: Snapshot, editions: dict[str, _Edition], cwd: Path,
                    options: dict) -> tuple[Report, set[str]]:
    """Each edition the commit concerns, checked; and the staged paths that were checked."""
    for path, change in repo.changes.items():
        owner = _owner(path, editions)
        for e in editions.values():
            if e.root == owner or any(_under(path, f) for f in e.folders):
                e.changes[path] = change
    schema_changes = any(Path(p).suffix.lower() in SCHEMA_SUFFIXES for p in repo.changes)
    report, checked = Report(), set()
    for root in sorted(editions):
        e = editions[root]
        if e.changes or schema_changes:
            part, paths = _check_edition(repo, snap, e, cwd, options)
            report.files += part.files
            report.diagnostics += part.diagnostics
            checked |= paths
    report.diagnostics = sort_diagnostics(report.diagnostics)
    return report, checked


def _check_edition(repo: Repo, snap: Snapshot, e: _Edition, cwd: Path,
                   options: dict) -> tuple[Report, set[str]]:
    """In the working tree when it holds what the index does for this edition, else in the
    snapshot. Also returns the staged paths it checked."""
    if _worktree_may_do(repo, e):
        done = _check_in(repo, WorkingTree(), e, cwd, options)
        if done is not None:
            return done
    snap.add_folder(e.root)
    for folder in sorted(e.folders):
        snap.add_folder(folder)
    snap.add_schemas()
    for f in e.outside:
        snap.add_outside(f)
    return _check_in(repo, snap, e, cwd, options)


def _worktree_may_do(repo: Repo, e: _Edition) -> bool:
    """What can be told before looking at the working tree: its edition.toml is the index's, and
    so is every XML or schema file in the edition's folders (one that differs is almost always
    read: better go to the snapshot at once). Untracked sources and schemas used elsewhere are
    looked at in _check_in."""
    if e.has_config and e.config_path in repo.dirty:
        return False
    return not any(os.path.splitext(d)[1].lower() in _READ_SUFFIXES
                   and any(_under(d, f) for f in (e.root, *e.folders)) for d in repo.dirty)


def _check_in(repo: Repo, place, e: _Edition, cwd: Path,
              options: dict) -> tuple[Report, set[str]] | None:
    """Choose what to check and check it; None (working tree only) when the check would read
    something there that is not the index's."""
    here = isinstance(place, WorkingTree)
    root = place.mirror(repo.top / e.root)
    try:
        config = load_config(root / CONFIG_NAME) if e.has_config else Config(root=root)
    except ConfigError as err:
        raise UsageError(place.real_text(str(err))) from None
    sources = {p: p for p in config.source_files()}  # (already canonical: absolute, normalised)
    if here and not repo.all_clean(sources):
        return None  # an untracked or edited file among the sources
    checked = set(without_excluded(config, list(sources.values())))  # (canonical, as sources)
    refs = _Records(repo, place, e, root / CONFIG_NAME if e.has_config else None)
    where = {path: canon(place.mirror(repo.top / path)) for path in e.changes}
    # the staged sources (a deleted one among them when edition.toml names it: "file not found")
    targets = [w for w in where.values() if w in checked]
    changes = {w: FileChange(w, added=e.changes[path].status == "A",
                             deleted=e.changes[path].status == "D")
               for path, w in where.items() if path.endswith(".xml") or w in sources}
    if _whole_edition(repo, place, e, config, sources):
        if here:
            return None  # every schema and what it includes must be the index's: the snapshot
        targets = sorted(checked)
    else:
        _fill_changed_ids(repo, e, changes, where)
        # (only the edition's own files: an include chain is followed no further out)
        includers = {w for w in (canon(place.mirror(repo.top / p)) for p in repo.includers)
                     if w.is_relative_to(canon(root))}
        targets += dependents(list(checked - set(targets)), changes, includers,
                              refs.record)  # (order: none needed)
    done = {path for path, w in where.items() if w in checked and e.changes[path].status != "D"}
    if not targets:
        refs.save(checked)
        return Report(), done
    options = {**options, "known_ids": refs.ids}
    if here:
        report = validate(config, paths=sorted(set(targets)), schema_paths=place.schema_path, **options)
        refs.save(checked)
        given = {canon(p) for p in [options["schema"], *(options["schematron"] or [])] if p}
        named = [config.resolve(c) for c in config.catalogs]
        if not all(_schema_clean(repo, p) for p in [*(place.schemas - given), *named]):
            return None  # a schema (or a file beside it) is not the index's
        return report, done
    with _working_folder(place.folder(cwd)):
        report = validate(config, paths=sorted(set(targets)), schema_paths=place.schema_path, **options)
    refs.save(checked)
    report.diagnostics = [_real_diagnostic(d, place) for d in report.diagnostics]
    return report, done


class _Records:
    """The reference index (ref_index.py) for the files of one edition whose content is the
    index's: in the snapshot every file laid out, in the working tree the clean ones. Any other
    file gets no record (it is read, as without an index)."""

    def __init__(self, repo: Repo, place, e: _Edition, config_path: Path | None):
        from .ref_index import RefIndex, index_path
        try:
            config_bytes = config_path.read_bytes() if config_path is not None else None
        except OSError:
            config_bytes = None
        self.repo, self.here = repo, isinstance(place, WorkingTree)
        self.prefix = str(canon(place.mirror(repo.top))) + os.sep
        self.index = RefIndex(index_path(canon(repo.top / e.root), config_bytes))
        self.blobs: dict[Path, str | None] = {}

    def blob(self, path: Path) -> str | None:
        if path not in self.blobs:
            self.blobs[path] = self._blob(path)
        return self.blobs[path]

    def _blob(self, path: Path) -> str | None:
        s = str(path)
        if not s.startswith(self.prefix):
            return None
        rel = s[len(self.prefix):].replace(os.sep, "/")
        entry = self.repo.index.get(rel)
        if entry is None or entry[0] not in ("100644", "100755") or (self.here and rel in self.repo.dirty):
            return None
        return entry[1]

    def record(self, path: Path):
        from .ref_index import record_of
        blob = self.blob(path)
        if blob is None:
            return None
        found = self.index.get(blob)
        if found is None:
            try:
                with open(path, "rb") as fh:
                    found = record_of(fh.read())
            except OSError:
                return None
            self.index.put(blob, found)
        return found

    def ids(self, path: Path):
        found = self.record(path)
        return found[0] if found is not None else None

    def save(self, files):
        live = {b for b in map(self.blob, files) if b is not None}
        self.index.save(live)


def _schema_clean(repo: Repo, path: Path) -> bool:
    """A schema the check read in the working tree is the index's, and so are the schema files
    beside it (which it may include)."""
    return _schema_clean_by(path, lambda p: repo.clean(_rel(p, repo.top)))


def _schema_clean_by(path: Path, clean) -> bool:
    """_schema_clean with `clean(path)` telling a file whose working copy is the index's."""
    if not clean(path):
        return False
    try:
        names = os.listdir(path.parent)
    except OSError:
        return True
    return all(clean(path.parent / n) for n in names if os.path.splitext(n)[1].lower() in SCHEMA_SUFFIXES)


def _fill_changed_ids(repo: Repo, e: _Edition, changes: dict[Path, FileChange],
                      where: dict[str, Path]):
    """The ids each changed XML file adds, removes or gives to another element: its version at
    HEAD against the index's."""
    olds = {path: c.old for path, c in e.changes.items() if c.old and where[path] in changes}
    blobs = repo.blobs(olds.values())
    for path, change in e.changes.items():
        fc = changes.get(where[path])
        if fc is None:
            continue
        after = None
        if change.status != "D":
            try:
                after = fc.path.read_bytes()
            except OSError:
                pass
        fc.ids = changed_ids(blobs.get(olds.get(path, "")), after)


def _whole_edition(repo: Repo, place, e: _Edition, config: Config, sources: dict[Path, Path]) -> bool:
    """Whether the commit changes something every file of the edition depends on: its
    edition.toml, or a schema it uses (named in edition.toml or in a file's <?xml-model?>, or
    a schema file in its folder or beside one it names)."""
    if e.config_path in e.changes:
        return True
    named = [canon(config.resolve(v)) for v in
             ([config.schema] if config.schema else []) + config.schematron + config.catalogs
             + list(config.schema_map.values())]
    near = [str(p.parent) + os.sep for p in named]
    candidates = []
    for path in {*e.changes, *(p for p in repo.changes if Path(p).suffix.lower() in SCHEMA_SUFFIXES)}:
        w = canon(place.mirror(repo.top / path))
        if w in sources:
            continue
        schema_like = w.suffix.lower() in SCHEMA_SUFFIXES
        if w in named or (schema_like and (_under(path, e.root) or str(w).startswith(tuple(near)))):
            return True
        if schema_like:
            candidates.append(w)
    if not candidates:
        return False
    used = _xml_model_schemas(config, list(sources.values()))
    used_near = tuple(str(p.parent) + os.sep for p in used)
    return any(c in used or str(c).startswith(used_near) for c in candidates)


_XML_MODEL = re.compile(rb"<\?xml-model\s(.*?)\?>", re.S)
_HREF = re.compile(rb"""\bhref\s*=\s*(["'])(.*?)\1""", re.S)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _xml_model_schemas(config: Config, files: list[Path]) -> set[Path]:
    """The local schemas that the files' <?xml-model?> instructions name."""
    resolver = SchemaResolver(config)
    seen: set[tuple[str, Path]] = set()
    out: set[Path] = set()
    for f in files:
        try:
            with open(f, "rb") as fh:
                head = fh.read(16384)
        except OSError:
            continue
        start = _FIRST_ELEMENT.search(head)
        for m in _XML_MODEL.finditer(head, 0, start.start() if start else len(head)):
            h = _HREF.search(m.group(1))
            key = (h.group(2).decode("utf-8", "replace"), f.parent) if h else None
            if key is None or key in seen:
                continue
            seen.add(key)
            found = resolver.locate(key[0], f)
            if found is not None:
                out.add(canon(found))
    return out


def _real_diagnostic(d: Diagnostic, snap: Snapshot) -> Diagnostic:
    return replace(d, path=snap.real_text(d.path), message=snap.real_text(d.message),
                   hint=snap.real_text(d.hint))
