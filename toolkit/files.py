"""Finding an edition's files without leaving it.

An edition's folder is untrusted input: a committed link `tei/root -> /` or `tei/x.xml ->
/etc/passwd` must neither be walked nor read. `Finder` lists files by globs and folders with
os.scandir — glob.glob follows every link, so `tei/**` would walk the whole file system — and
follows a symbolic link (to a folder or a file) only while its target stays inside the allowed
folders (`tops`: the edition's folder and the git repository holding it, or the folder given for
an ad hoc run). Links that lead out are noted in `refused` (path → where it leads), never read.
Each real folder is walked once (link cycles). A directory entry knows whether it is a link
without another system call, so a folder of 1,000 plain files costs one scandir.
"""
from __future__ import annotations

import fnmatch
import glob
import os
import re


def inside(real: str, top) -> bool:
    """Whether a real path lies in the folder `top` (or in one of several)."""
    if not isinstance(top, str):
        return any(inside(real, t) for t in top)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def local_file(file_uri: str, bases: str, url: str, top: str, suffixes) -> str | None:
    """The real path of the file a relative @url designates (resolved against the TEI file's URI
    and the xml:base values in effect, symbolic links followed) when it lies inside the folder
    `top` and its extension is one of `suffixes` (lower case, with the dot); else None: a URL, an
    absolute or ../ path out, a link out. The one rule for every file a TEI document points to
    (images on the page, facsimiles, PDF plates)."""
    from urllib.parse import unquote, urljoin, urlsplit
    base = file_uri
    for b in bases.split():
        base = urljoin(base, b)
    parts = urlsplit(urljoin(base, url.strip().split("#", 1)[0]))
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = unquote(parts.path)
    if not path or "\x00" in path:
        return None
    try:
        real = os.path.realpath(path)
        top = os.path.realpath(top)
    except (OSError, ValueError):
        return None
    if os.path.commonpath([real, top]) != top or real == top:
        return None
    if os.path.splitext(real)[1].lower() not in suffixes:
        return None
    return real


def _norm(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


class Finder:
    def __init__(self, tops, refused: dict | None = None):
        self.tops = (tops,) if isinstance(tops, str) else tuple(tops)
        self.refused = refused if refused is not None else {}
        self.checked: set[str] = set()   # files whose way from a top was checked while listing

    # -- links -----------------------------------------------------------------------------
    def _link_ok(self, path: str) -> bool:
        real = os.path.realpath(path)
        if inside(real, self.tops):
            return True
        self.refused[_norm(path)] = real
        return False

    def _start(self, folder: str) -> bool | None:
        """Whether files below `folder` are checked by walking it (True), lie outside the tops
        by configuration (None: listed, left to the caller), or lead out through a link (False)."""
        named = _norm(folder)
        real = os.path.realpath(named)
        if inside(real, self.tops):
            return True
        if inside(named, self.tops):  # inside as named, outside for real: a link on the way out
            self.refused[named] = real
            return False
        return None

    # -- listing ---------------------------------------------------------------------------
    def tree(self, folder: str, hidden: bool = True):
        """(folder path, [file DirEntry]) for every folder below `folder` (links followed only
        inside the tops; hidden names skipped unless `hidden`)."""
        start = self._start(folder)
        if start is False:
            return
        checked = start is True
        seen: set[str] = set()
        stack = [folder]
        while stack:
            d = stack.pop()
            real = os.path.realpath(d)
            if real in seen:
                continue
            seen.add(real)
            try:
                with os.scandir(d) as it:
                    entries = list(it)
            except OSError:
                continue
            files = []
            subs = []
            for e in sorted(entries, key=lambda e: e.name):
                if not hidden and e.name.startswith("."):
                    continue
                try:
                    is_dir = e.is_dir()
                except OSError:
                    continue
                link = e.is_symlink()
                if link and checked and not self._link_ok(e.path):
                    continue
                if is_dir:
                    subs.append(e.path)
                else:
                    files.append(e)
            if checked:
                self.checked.update(f.path for f in files)
            yield d, files
            stack.extend(reversed(subs))

    def xml_files(self, folder: str, hidden: bool = True) -> list[str]:
        """The .xml files below a folder."""
        return [e.path for _, files in self.tree(folder, hidden) for e in files if e.name.endswith(".xml")]

    def glob(self, pattern: str) -> list[str]:
        """glob.glob(pattern, recursive=True) — hidden names matched only by a pattern part that
        starts with "." — with links followed only inside the tops."""
        parts = pattern.split(os.sep)
        n = next((i for i, p in enumerate(parts) if glob.has_magic(p)), len(parts))
        base, rest = os.sep.join(parts[:n]) or os.sep, parts[n:]
        if not rest:
            return [pattern] if os.path.lexists(pattern) else []
        if not os.path.isdir(base):
            return []
        if "**" in rest:
            rx = re.compile(translate(rest))
            out = []
            for d, files in self.tree(base, hidden=False):
                rel = os.path.relpath(d, base)
                rel = "" if rel == "." else rel.replace(os.sep, "/") + "/"
                out += [e.path for e in files if rx.fullmatch(rel + e.name)]
            return out
        start = self._start(base)
        if start is False:
            return []
        level = [base]
        for i, part in enumerate(rest):
            last = i == len(rest) - 1
            rx = re.compile(fnmatch.translate(part))
            nxt = []
            for d in level:
                try:
                    with os.scandir(d) as it:
                        entries = sorted(it, key=lambda e: e.name)
                except OSError:
                    continue
                for e in entries:
                    if (e.name.startswith(".") and not part.startswith(".")) or not rx.match(e.name):
                        continue
                    try:
                        is_dir = e.is_dir()
                    except OSError:
                        continue
                    if not last and not is_dir:
                        continue
                    if e.is_symlink() and start and not self._link_ok(e.path):
                        continue
                    nxt.append(e.path)
            level = nxt
        if start:
            self.checked.update(level)
        return level


def translate(parts: list[str]) -> str:
    """A regular expression for the path parts of a glob pattern below its fixed folder, with
    `**` matching any number of folders (as glob.glob with recursive=True)."""
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]*/)*")
            continue
        out.append(_translate_part(part) + ("" if last else "/"))
    return "".join(out)


def _translate_part(part: str) -> str:
    """One path part of a glob pattern (*, ?, [...]) as a regular expression within a part."""
    out, i = [], 0
    while i < len(part):
        c = part[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and "]" in part[i + 2:]:
            j = part.index("]", i + 2)
            body = part[i + 1:j]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def walk_xml(folder: str, top, refused: dict | None = None) -> list[str]:
    """The .xml files below a folder, links followed only inside `top` (those leading out are
    noted in `refused`)."""
    return Finder(top, refused).xml_files(folder)


def write_atomic(path, data: bytes, mode: int = 0o644) -> None:
    """Write a file so that a reader sees the old one or the new one, never half of one: a new
    temporary file beside it (created exclusively, never through a symbolic link), then renamed
    over it; a symbolic link at `path` is replaced, never written through. OSError as raised."""
    import threading
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
