"""The TEI Consortium's published schemas, by URL, through a local cache.

Files point at TEI's own schemas by URL (`<?xml-model href="http://www.tei-c.org/release/xml/tei/
custom/schema/relaxng/tei_all.rng"?>`). The toolkit knows those URLs (KNOWN below: a fixed table,
never a pattern a file could stretch) and keeps one downloaded copy of each in the cache folder,
`$XDG_CACHE_HOME/tei-edition-toolkit/schemas/tei/<version>/…`, with the sha256 recorded beside it.

This download is the only network access the toolkit makes (docs/security.md): only the URLs the
table makes, only over https from the TEI's hosts, no redirect elsewhere, a size cap and a timeout,
written atomically. A cached file whose bytes no longer match their recorded sha256 is not used.

For tests, EDITION_TEI_BASE (read by Python only, never by XSLT) replaces https://www.tei-c.org/
with a loopback http server; any other value is refused.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..files import write_atomic
from ..cache import cache_dir

# -- the known URLs: data --------------------------------------------------------------------
TEI_HOSTS = ("www.tei-c.org", "tei-c.org")        # hosts whose URLs a file may name
DOWNLOAD_BASE = "https://www.tei-c.org/"          # where every download goes
REDIRECT_HOSTS = ("www.tei-c.org", "tei-c.org", "vault.tei-c.org")  # the TEI's own, https only
CUSTOMISATIONS = ("tei_all", "tei_bare", "tei_corpus", "tei_drama", "tei_jtei", "tei_lite",
                  "tei_math", "tei_minimal", "tei_ms", "tei_odds", "tei_simplePrint", "tei_speech",
                  "tei_svg", "tei_tite", "tei_xinclude")
# file name → its path below xml/tei/ in a release
KNOWN: dict[str, str] = {
    **{f"{n}.rng": f"custom/schema/relaxng/{n}.rng" for n in CUSTOMISATIONS},
    **{f"{n}.rnc": f"custom/schema/relaxng/{n}.rnc" for n in CUSTOMISATIONS},
    **{f"{n}.odd": f"custom/odd/{n}.odd" for n in CUSTOMISATIONS},
    "p5subset.xml": "odd/p5subset.xml",   # the whole TEI source, for compiling ODDs
}
_BY_PATH = {v: k for k, v in KNOWN.items()}
_VERSION = re.compile(r"\d+\.\d+\.\d+[a-z]?")
MAX_BYTES = 48 * 1024 * 1024   # p5subset.xml is the largest, about 10 MB
TIMEOUT = 30                   # seconds, per connection attempt and read
BASE_ENV = "EDITION_TEI_BASE"


class FetchError(Exception):
    """A download that did not happen or was refused; the message says why."""


@dataclass(frozen=True)
class TeiFile:
    name: str                 # "tei_all.rng"
    version: str | None       # "4.12.0"; None: the current release

    @property
    def rel(self) -> str:
        return KNOWN[self.name]

    @property
    def label(self) -> str:
        return f"{self.name} ({'TEI P5 ' + self.version if self.version else 'current TEI release'})"

    def url(self) -> str:
        """Where it is downloaded from (the canonical URL, or the test base)."""
        base = download_base()
        where = f"Vault/P5/{self.version}/" if self.version else "release/"
        return f"{base}{where}xml/tei/{self.rel}"

    def fetch_command(self) -> str:
        return f"edition schemas fetch {self.name}" + (f" --version {self.version}" if self.version else "")


def known_file(name: str, version: str | None = None) -> TeiFile | None:
    """The TEI file of that name ("tei_all.rng", or "tei_all" for its .rng), or None."""
    if "." not in name:
        name += ".rng"
    if name not in KNOWN or (version is not None and version != "current" and not _VERSION.fullmatch(version)):
        return None
    return TeiFile(name, None if version in (None, "current") else version)


def tei_url(url: str) -> TeiFile | None:
    """The known TEI file a URL names (http or https, www.tei-c.org or tei-c.org, the current
    release or a Vault version), or None for every other URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in TEI_HOSTS \
            or parts.query or parts.fragment or parts.port not in (None, 80, 443) or parts.username:
        return None
    path = parts.path
    m = re.fullmatch(r"/release/xml/tei/(.+)", path) or \
        re.fullmatch(r"/Vault/P5/(current|\d+\.\d+\.\d+[a-z]?)/xml/tei/(.+)", path)
    if m is None:
        return None
    version, rel = (None, m.group(1)) if m.lastindex == 1 else (m.group(1), m.group(2))
    name = _BY_PATH.get(rel)
    return TeiFile(name, None if version == "current" else version) if name else None


# -- the cache -------------------------------------------------------------------------------
def _folder(version: str | None) -> Path:
    return cache_dir("schemas", "tei", version or "current")


def cached_path(f: TeiFile) -> Path:
    return _folder(f.version) / f.rel


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_verified: dict[str, tuple] = {}   # path → stat key when its sha256 last matched (per process)


def check_cached(f: TeiFile) -> tuple[Path | None, str]:
    """(the cached file, "") when it is there and its bytes match the recorded sha256;
    (None, why) otherwise ("" when simply not cached)."""
    path = cached_path(f)
    try:
        st = os.stat(path)
    except OSError:
        return None, ""
    key = (st.st_size, st.st_mtime_ns, st.st_ino)
    if _verified.get(str(path)) == key:
        return path, ""
    try:
        record = json.loads(_record_path(path).read_text(encoding="utf-8"))
        ok = record["sha256"] == _sha256(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None, f"the cached copy {path} has no valid record of its sha256"
    if not ok:
        return None, f"the cached copy {path} does not match its recorded sha256 (changed or corrupt)"
    _verified[str(path)] = key
    return path, ""


def tei_source(name: str, version: str | None = None) -> Path | None:
    """A cached TEI release file ("tei_all.rng", "p5subset.xml" …) whose sha256 matches, or None.
    Never downloads (see fetch)."""
    f = known_file(name, version)
    return check_cached(f)[0] if f else None


def cached_entries() -> list[dict]:
    """Every cached TEI file with its record (for `edition schemas list`)."""
    root = cache_dir("schemas", "tei")
    out = []
    if not root.is_dir():
        return out
    for rec in sorted(root.rglob("*.json")):
        try:
            data = json.loads(rec.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        data["path"] = str(rec.with_name(rec.name[:-5]))
        f = known_file(str(data.get("name", "")), data.get("version"))
        data["ok"] = bool(f) and check_cached(f)[0] is not None
        out.append(data)
    return out


_XML_MODEL_HREF = re.compile(rb"<\?xml-model\s[^>]*?\bhref\s*=\s*[\"']([^\"']+)[\"']")


def named_in(files) -> list[TeiFile]:
    """The TEI files that the files' <?xml-model?> instructions name (read from their first
    16 KB, where the instructions stand)."""
    out: dict[TeiFile, None] = {}
    for f in files:
        try:
            with open(f, "rb") as fh:
                head = fh.read(16384)
        except OSError:
            continue
        for m in _XML_MODEL_HREF.finditer(head):
            tei = tei_url(m.group(1).decode("utf-8", "replace"))
            if tei is not None:
                out[tei] = None
    return list(out)


# -- the download ----------------------------------------------------------------------------
def download_base() -> str:
    """https://www.tei-c.org/, or the test server EDITION_TEI_BASE names (loopback http only)."""
    base = os.environ.get(BASE_ENV)
    if not base:
        return DOWNLOAD_BASE
    parts = urlsplit(base)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "::1", "localhost") \
            or parts.path not in ("", "/") or parts.query or parts.username:
        raise FetchError(f"{BASE_ENV}={base!r} is refused: it may only name a loopback http server "
                         "(http://127.0.0.1:PORT/), for tests")
    return base.rstrip("/") + "/"


def _allowed_redirect(url: str) -> bool:
    parts = urlsplit(url)
    test = os.environ.get(BASE_ENV)
    if test:
        t = urlsplit(download_base())
        return (parts.scheme, parts.hostname, parts.port) == (t.scheme, t.hostname, t.port)
    return parts.scheme == "https" and (parts.hostname or "") in REDIRECT_HOSTS and parts.port in (None, 443)


def _opener():
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = 5

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if not _allowed_redirect(newurl):
                raise FetchError(f"the server redirected to {newurl}, which is not one of the TEI's "
                                 "own https addresses: not followed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    # no proxies from the environment for the loopback test server; the https handler verifies
    # certificates (the default context)
    handlers = [Redirects()]
    if os.environ.get(BASE_ENV):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _download(url: str) -> bytes:
    import urllib.error
    try:
        with _opener().open(url, timeout=TIMEOUT) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise FetchError(f"{url} is {int(length) // 1048576} MB, over the limit of "
                                 f"{MAX_BYTES // 1048576} MB: not downloaded")
            data = resp.read(MAX_BYTES + 1)
    except FetchError:
        raise
    except urllib.error.HTTPError as e:
        raise FetchError(f"{url}: the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, FetchError):
            raise reason from None
        raise FetchError(f"{url}: cannot connect ({reason})") from None
    except (OSError, ValueError) as e:  # timeouts, resets, bad status lines
        raise FetchError(f"{url}: {e}") from None
    if len(data) > MAX_BYTES:
        raise FetchError(f"{url} is over the limit of {MAX_BYTES // 1048576} MB: not downloaded")
    return data


def _looks_right(f: TeiFile, data: bytes) -> str:
    """Why the bytes cannot be the file asked for (an error page, an empty answer), or ""."""
    if not data.strip():
        return "the answer was empty"
    if f.name.endswith(".rnc"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return "the answer is not UTF-8 text"
        return "the answer is not RELAX NG compact syntax" if text.lstrip().startswith("<") else ""
    from lxml import etree
    try:
        root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False,
                                                      load_dtd=False, huge_tree=False))
    except etree.XMLSyntaxError as e:
        return f"the answer is not well-formed XML ({e})"
    want = {".rng": "{http://relaxng.org/ns/structure/1.0}grammar"}.get(Path(f.name).suffix)
    if want and root.tag != want:
        return f"the answer is not a RELAX NG grammar (its root is <{etree.QName(root).localname}>)"
    return ""


_fetch_lock = threading.Lock()
_notes: list[str] = []   # "fetched …" lines, said once by the command that caused them


def note(text: str) -> None:
    _notes.append(text)


def take_notes() -> list[str]:
    out = list(_notes)
    _notes.clear()
    return out


def fetch(f: TeiFile, force: bool = False) -> tuple[Path, bool]:
    """Download a known TEI file into the cache, once: (its path, whether it was downloaded now).
    FetchError says why not."""
    with _fetch_lock:
        if not force:
            have, _ = check_cached(f)
            if have is not None:
                return have, False
        url = f.url()
        data = _download(url)
        wrong = _looks_right(f, data)
        if wrong:
            raise FetchError(f"{url}: {wrong}; nothing was cached")
        path = cached_path(f)
        digest = hashlib.sha256(data).hexdigest()
        record = {"name": f.name, "version": f.version or "current", "url": url, "sha256": digest,
                  "bytes": len(data), "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            write_atomic(_record_path(path), json.dumps(record, indent=1).encode())
        except OSError as e:
            raise FetchError(f"cannot write the cache folder {path.parent}: {e.strerror or e}") from None
        _verified.pop(str(path), None)
        return path, True


