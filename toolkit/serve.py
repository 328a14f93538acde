"""`edition serve`: build the HTML edition, serve it on localhost, rebuild on change, reload.

The site itself stays static: the only server-side additions are made on the fly while
serving — a small script injected into HTML responses that listens on /__edition/events
(server-sent events) and reloads the page after each rebuild, and, while the last rebuild has
problems, a banner naming them. Builds run in the calling thread (one Saxon processor, as
always); the HTTP server answers from a fixed pool of worker threads and always reads the
current output folder, so it picks up each atomic swap.

What is served is the output folder's files and nothing else: no dotfiles (the build's state),
no directory listings, nothing whose real path lies outside the folder, and only to requests
naming localhost or an IP address (a page elsewhere cannot rebind its DNS name to this server).
"""
from __future__ import annotations

import html
import ipaddress
import mimetypes
import os
import queue
import re
import select
import shutil
import socket
import threading
import time
import urllib.parse
import http.server
from pathlib import Path

WORKERS = 16            # threads answering requests; no thread is made per connection
BACKLOG = 64            # accepted connections waiting for a worker; more are answered 503
MAX_EVENT_STREAMS = 8   # open live-reload streams (each holds a worker); more are answered 503
MAX_PATH = 2048         # longest request path answered (browsers' own limits are near it)
IDLE_TIMEOUT = 10       # seconds a connection may stay silent before it is dropped
PING_SECONDS = 15       # comment line on each idle event stream (keeps proxies and browsers content)

RELOAD_JS = b"""(function () {
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-edition-dismiss]");
    if (b) b.parentNode.remove();
  });
  if (!window.EventSource) return;
  var es = new EventSource("/__edition/events");
  es.onmessage = function (e) { if (e.data === "reload") location.reload(); };
})();
"""
RELOAD_TAG = b'<script src="/__edition/reload.js"></script>'

TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
         ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
         ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
         ".xml": "application/xml", ".woff2": "font/woff2", ".pdf": "application/pdf"}


class _State:
    """What the server threads share with the build loop: the rebuild count (event streams
    wait on it), the current problems' banner, the event-stream slots and the closing flag."""

    def __init__(self, max_streams: int = MAX_EVENT_STREAMS):
        self.version = 0
        self.cond = threading.Condition()
        self.closed = False
        self.banner = b""  # replaced whole, so readers never see half of one
        self.streams = threading.BoundedSemaphore(max_streams)

    def bump(self):
        with self.cond:
            self.version += 1
            self.cond.notify_all()

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def set_problems(self, problems: list[str]):
        self.banner = banner_html(problems)


def banner_html(problems: list[str]) -> bytes:
    """A fixed, dismissible alert listing the problems (escaped: they quote file content)."""
    if not problems:
        return b""
    items = "".join(f'<li style="margin:.2em 0">{html.escape(p)}</li>' for p in problems)
    many = "s" if len(problems) > 1 else ""
    return (
        '<div id="edition-serve-problems" role="alert" style="position:fixed;top:0;left:0;right:0;'
        "z-index:2147483647;box-sizing:border-box;max-height:45vh;overflow:auto;margin:0;"
        "padding:.7em 6.5em .7em 1em;background:#fff4f4;color:#4a0000;border-bottom:3px solid #b00020;"
        'box-shadow:0 2px 8px rgba(0,0,0,.3);font:15px/1.45 system-ui,sans-serif;text-align:left">'
        f'<strong style="font-weight:700">edition serve: the last rebuild had {len(problems)} '
        f"problem{many}:</strong>"
        '<ul style="margin:.3em 0 0;padding-left:1.3em;white-space:pre-wrap;overflow-wrap:anywhere;'
        f'font-family:ui-monospace,monospace;font-size:14px">{items}</ul>'
        '<button type="button" data-edition-dismiss style="position:absolute;top:.5em;right:.7em;'
        "font:inherit;font-size:14px;padding:.2em .7em;color:#4a0000;background:#fff;"
        'border:1px solid #4a0000;border-radius:3px;cursor:pointer">Dismiss</button></div>'
    ).encode("utf-8")


def build_problems(results) -> list[str]:
    """The problems of a build the banner shows: each error-level finding (a page made without
    its markup) and each file skipped or kept at its last good version (malformed), as
    file:line:col: message."""
    out = []
    for r in results:
        for d in r.diagnostics:
            if d.is_error:
                where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
                out.append(f"{where}: {d.message}")
        out += [m for m in r.messages if m.startswith(("skipped ", "stale "))]
    return out


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PORT = re.compile(r"\d{1,5}")


def request_segments(target: str) -> list[str] | int:
    """The decoded path segments of a request target, or the 4xx status that refuses it:
    414 for an overlong path; 400 for one that is not an origin-form path, has bad
    percent-encoding, control characters, a NUL, or a . or .. segment; 404 for a dotfile or
    dot-folder anywhere on the path (the build keeps its state in such files)."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if len(path) > MAX_PATH:
        return 414
    if not path.startswith("/") or _BAD_ESCAPE.search(path) or not path.isascii():
        return 400
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return 400
    if any(c < " " or c == "\x7f" for c in decoded):
        return 400
    segments = [s for s in decoded.split("/") if s]
    if any(s in (".", "..") for s in segments):
        return 400
    if any(s.startswith(".") for s in segments):
        return 404
    return segments


def host_allowed(value: str | None, own_name: str) -> bool | None:
    """Whether a Host header may be answered: absent, an IP literal (with or without port),
    `localhost`, or the name the server was started with. A different DNS name is refused
    (a hostile page's name rebound to 127.0.0.1 could read the site otherwise): False.
    A header that is no host at all: None (a bad request)."""
    if value is None:
        return True
    value = value.strip()
    if value.startswith("["):  # [IPv6]:port
        end = value.find("]")
        name, rest = value[1:end], value[end + 1:]
        if end < 0 or (rest and not (rest[0] == ":" and _PORT.fullmatch(rest[1:]))):
            return None
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
        return True
    name, _, port = value.partition(":")
    if (port or _) and not _PORT.fullmatch(port):
        return None
    if not name or not re.fullmatch(r"[A-Za-z0-9._-]+", name):
        return None
    try:
        ipaddress.IPv4Address(name)
        return True
    except ValueError:
        pass
    return name.lower() in ("localhost", own_name.lower())


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers GET and HEAD from the server's output folder (see request_segments and _file)."""
    server_version = "edition-serve"
    sys_version = ""
    timeout = IDLE_TIMEOUT

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_GET(self):
        self._answer(body=True)

    def do_HEAD(self):
        self._answer(body=False)

    def _answer(self, body: bool):
        try:
            self._route(body)
        except OSError:  # the client went away (or a file vanished mid-read): nothing to say
            self.close_connection = True
        except Exception as e:  # a bug: one line on the console, a 500 for the browser
            self.server.report(f"serve: internal error answering {self.path[:200]!r}: "
                               f"{type(e).__name__}: {e}")
            self.close_connection = True
            try:
                self._text(500, "internal error", body)
            except Exception:
                pass

    def _route(self, body: bool):
        hosts = self.headers.get_all("Host") or []
        allowed = None if len(hosts) > 1 else host_allowed(hosts[0] if hosts else None, self.server.own_name)
        if allowed is None:
            return self._text(400, "bad Host header", body)
        if not allowed:
            return self._text(403, "refused: this server answers requests for localhost or an IP address", body)
        segments = request_segments(self.path)
        if segments == 404:
            return self._not_found(body)
        if isinstance(segments, int):
            return self._text(segments, "path too long" if segments == 414 else "bad request", body)
        if segments == ["__edition", "reload.js"]:
            return self._send(200, "text/javascript", RELOAD_JS, body)
        if segments == ["__edition", "events"]:
            return self._events() if body else self._send(200, "text/event-stream", b"", body)
        self._file(segments, body)

    def _file(self, segments: list[str], body: bool):
        root = Path(self.server.root).resolve()
        try:
            real = root.joinpath(*segments).resolve(strict=True)
            folder = real.is_dir()
            if folder:  # its index.html, never a listing
                real = (real / "index.html").resolve(strict=True)
            # symlinks resolved: the file itself must lie inside, and not in a dot-folder
            inside = real.is_relative_to(root) and not any(p.startswith(".")
                                                           for p in real.relative_to(root).parts)
            if not inside or not real.is_file():
                return self._not_found(body)
            if folder and not self.path.split("?", 1)[0].endswith("/"):  # relative links need the slash
                return self._redirect("/" + "/".join(urllib.parse.quote(s) for s in segments) + "/")
            f = real.open("rb")
        except (OSError, RuntimeError, ValueError):  # missing, too long, a symlink loop
            return self._not_found(body)
        with f:
            ctype = (TYPES.get(real.suffix.lower()) or mimetypes.guess_type(real.name)[0]
                     or "application/octet-stream")
            if ctype.startswith("text/html"):
                return self._send(200, ctype, self._with_additions(f.read()), body)
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(real.stat().st_size))
            self.end_headers()
            if body:
                shutil.copyfileobj(f, self.wfile)

    def _with_additions(self, data: bytes) -> bytes:
        """The page with the reload script before </body> and the current banner (if any)
        right after <body ...>, so a screen reader meets it first."""
        i = data.rfind(b"</body>")
        data = data[:i] + RELOAD_TAG + data[i:] if i >= 0 else data + RELOAD_TAG
        banner = self.server.state.banner
        if banner:
            m = re.search(rb"<body\b[^>]*>", data)
            at = m.end() if m else 0
            data = data[:at] + banner + data[at:]
        return data

    def _send(self, code: int, ctype: str, data: bytes, body: bool = True):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _text(self, code: int, message: str, body: bool = True):
        self.close_connection = True
        self._send(code, "text/plain; charset=utf-8", (message + "\n").encode(), body)

    def _not_found(self, body: bool):
        """404; while there are build problems, a page with the banner and the reload script (the
        page asked for may be missing because its source is broken: it comes back by itself)."""
        if not self.server.state.banner:
            return self._text(404, "not found", body)
        page = (b'<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title>'
                b"<body><p>Not found.</p></body></html>")
        self._send(404, "text/html; charset=utf-8", self._with_additions(page), body)

    def _redirect(self, location: str):
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self):
        state = self.server.state
        if not state.streams.acquire(blocking=False):
            return self._text(503, "too many live-reload connections")
        seen = state.version
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            last = time.monotonic()
            while True:
                with state.cond:
                    state.cond.wait_for(lambda seen=seen: state.version != seen or state.closed, timeout=1)
                if state.closed or self._client_gone():
                    return
                if state.version != seen:
                    seen = state.version
                    self.wfile.write(b"data: reload\n\n")
                elif time.monotonic() - last >= PING_SECONDS:
                    self.wfile.write(b": ping\n\n")
                else:
                    continue
                self.wfile.flush()
                last = time.monotonic()
        finally:
            state.streams.release()

    def _client_gone(self) -> bool:
        """Whether the browser closed its event stream (a closed tab, a reload): its slot is
        freed within a second instead of at the next write."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(4096)  # EOF; anything sent is dropped
        except (OSError, ValueError):
            return True


class _PooledHTTPServer(http.server.HTTPServer):
    """An HTTP server whose requests are answered by a fixed set of worker threads fed from a
    bounded queue: a flood of connections costs no threads, only 503s once the queue is full."""

    request_queue_size = 128  # listen() backlog: socketserver's 5 drops a page's burst of connections

    def __init__(self, address, root: Path, state: _State, own_name: str, report,
                 workers: int = WORKERS, backlog: int = BACKLOG):
        self.root, self.state, self.own_name, self.report = root, state, own_name, report
        self.pending: queue.Queue = queue.Queue(maxsize=backlog)
        self.workers: list[threading.Thread] = []  # (server_close runs when binding fails)
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET  # --host ::1
        super().__init__(address, _Handler)
        self.workers += [threading.Thread(target=self._work, daemon=True, name=f"edition-serve-{i}")
                         for i in range(workers)]
        for t in self.workers:
            t.start()

    def process_request(self, request, client_address):
        try:
            self.pending.put_nowait((request, client_address))
        except queue.Full:
            self._refuse(request)

    def _work(self):
        while (item := self.pending.get()) is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def _refuse(self, request):
        try:
            request.settimeout(1)
            request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                            b"Content-Length: 5\r\nRetry-After: 1\r\nCache-Control: no-store\r\n\r\nbusy\n")
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request, client_address):
        """A connection that broke mid-request (the handler reports its own bugs): socketserver's
        default prints a traceback on stderr, which says nothing useful here."""

    def server_close(self):
        super().server_close()
        self.state.close()  # event streams end
        while True:
            try:
                item = self.pending.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self.shutdown_request(item[0])
        for _ in self.workers:
            try:
                self.pending.put_nowait(None)
            except queue.Full:
                break


def make_server(out: Path, host: str = "127.0.0.1", port: int = 0, state: _State | None = None,
                report=print, workers: int = WORKERS, backlog: int = BACKLOG) -> _PooledHTTPServer:
    """A server for the folder `out` bound to host:port (not yet serving: call serve_forever)."""
    return _PooledHTTPServer((host, port), Path(out), state or _State(), host, report,
                             workers=workers, backlog=backlog)


def watched_files(config, paths: list[Path], authority: list[Path], out: Path | None = None) -> list[Path]:
    """The files whose change rebuilds the site: the TEI files, the configuration, the
    stylesheets and assets, the edition's customisation ([html] css, logo, header, footer,
    pages, xslt and the modules it includes), and the images the last build copied into the site (the build's
    cache lists them, wherever they are: no folder is walked for them)."""
    from .saxon import XSLT_DIR
    files: list[Path] = []
    if paths:
        for p in paths:
            files += list(p.rglob("*.xml")) if p.is_dir() else [p]
    else:
        files += config.source_files()
    files += list(authority)
    if out is not None:
        from .outputs.html import read_media
        files += [Path(p) for p in sorted(read_media(Path(out)))]
    if config.path:
        files.append(config.path)
        from .outputs.custom import watched  # the edition's style sheets, fragments, pages, layer
        files += watched(config, ("html",))
    files += [p for p in (XSLT_DIR / "html").rglob("*") if p.is_file()]
    files.append(XSLT_DIR / "lib" / "common.xsl")
    return files


def source_folders(config, paths: list[Path], out: Path) -> list[Path]:
    """The folders whose change (a file added, removed or renamed) may change the edition's list
    of files: the edition's folder, those holding its files, and their subfolders (not the
    output's, which change with each build). Ad hoc paths are walked on each look anyway."""
    if paths:
        return []
    folders = {config.root, *(f.parent for f in config.source_files())}
    skip = {Path(out).resolve(), Path(out).resolve().parent, config.output_dir.resolve()}
    for d in list(folders):
        try:
            with os.scandir(d) as entries:
                subs = [Path(e.path) for e in entries if not e.name.startswith(".") and e.is_dir()]
        except OSError:
            continue
        folders.update(s for s in subs if s.resolve() not in skip)
    return sorted(folders)


def snapshot(files: list[Path]) -> dict[Path, tuple[int, int]]:
    out = {}
    for f in files:
        try:
            st = f.stat()
            out[f] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[f] = (0, 0)
    return out


def current_config(config):
    """The edition's configuration as it is now (a document added while serving, an edited
    edition.toml), and the error that keeps the old one (a half-written edition.toml). Without
    an edition.toml, the one given, its files found anew."""
    from .config import ConfigError, load_config
    if config.path is None:
        config.rescan()  # the default sources, found anew
        return config, None
    try:
        return load_config(config.path, start=config.root), None
    except ConfigError as e:
        return config, str(e)


def serve(config, out: Path, paths: list[Path], authority: list[Path], host: str = "127.0.0.1",
          port: int = 8000, watch: bool = True, echo=print, interval: float = 0.5,
          stop: threading.Event | None = None):
    """Build, serve, and (with watch) rebuild on change until interrupted or `stop` is set."""
    from .outputs.runner import BuildError, build
    state = _State()

    def rebuild(config, config_error=None):
        if config_error:
            echo(f"configuration error (still serving the previous site): {config_error}")
            return state.set_problems([f"configuration error (the previous site is still served): "
                                       f"{config_error}"])
        try:
            results = build(config, ["html"], paths=paths, out=out, authority=authority)
        except BuildError as e:
            echo(f"build failed (still serving the previous site): {e}")
            return state.set_problems([f"build failed (the previous site is still served): {e}"])
        for r in results:
            echo(r.summary())
        state.set_problems(build_problems(results))

    # what the first build reads, as it was before: a file changed while it ran (an editor's
    # save) is rebuilt at the first look, not missed until the next change
    before = snapshot(watched_files(config, paths, authority, out)) if watch else {}
    rebuild(config)
    out.mkdir(parents=True, exist_ok=True)
    server = make_server(out, host, port, state, report=echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shown = f"[{host}]" if ":" in host else host
    echo(f"serving {out} at http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)")
    stop = stop or threading.Event()
    try:
        seen = snapshot(watched_files(config, paths, authority, out))
        if any(seen.get(f, (0, 0)) != v for f, v in before.items()):
            seen = {}
        folders = source_folders(config, paths, out)
        seen_folders = snapshot(folders)
        look = config
        while not stop.wait(interval):
            if not watch:
                continue
            if snapshot(folders) != seen_folders:  # files added or removed: find the list again
                look = current_config(config)[0]
                folders = source_folders(look, paths, out)
                seen_folders = snapshot(folders)
            now = snapshot(watched_files(look, paths, authority, out))
            if now != seen:
                time.sleep(0.1)  # let an editor finish writing
                config, error = current_config(config)
                look = config
                seen = snapshot(watched_files(config, paths, authority, out))
                rebuild(config, error)
                state.bump()  # also after errors: the reloaded page shows (or drops) the banner
    finally:
        server.shutdown()
        server.server_close()
    return server.server_address[1]
