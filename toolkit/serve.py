"""`edition serve`: build the HTML edition, serve it on localhost, rebuild on change, reload.

The site itself stays static: the only server-side additions are made on the fly while
serving — a small script injected into HTML responses that listens on /__edition/events
(server-sent events) and reloads the page after each successful rebuild. Builds run in the
calling thread (one Saxon processor, as always); the HTTP server answers from a fixed pool of
worker threads and always reads the current output folder, so it picks up each atomic swap.

What is served is the output folder's files and nothing else: no dotfiles (the build's state),
no directory listings, nothing whose real path lies outside the folder, and only to requests
naming localhost or an IP address (a page elsewhere cannot rebind its DNS name to this server).
"""
from __future__ import annotations

import ipaddress
import mimetypes
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
    wait on it), the event-stream slots and the closing flag."""

    def __init__(self, max_streams: int = MAX_EVENT_STREAMS):
        self.version = 0
        self.cond = threading.Condition()
        self.closed = False
        self.streams = threading.BoundedSemaphore(max_streams)

    def bump(self):
        with self.cond:
            self.version += 1
            self.cond.notify_all()

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()


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
        if isinstance(segments, int):
            return self._text(segments, {400: "bad request", 404: "not found", 414: "path too long"}[segments],
                              body)
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
                return self._text(404, "not found", body)
            if folder and not self.path.split("?", 1)[0].endswith("/"):  # relative links need the slash
                return self._redirect("/" + "/".join(urllib.parse.quote(s) for s in segments) + "/")
            f = real.open("rb")
        except (OSError, RuntimeError, ValueError):  # missing, too long, a symlink loop
            return self._text(404, "not found", body)
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
        """The page with the reload script before </body>."""
        i = data.rfind(b"</body>")
        return data[:i] + RELOAD_TAG + data[i:] if i >= 0 else data + RELOAD_TAG

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
                    state.cond.wait_for(lambda: state.version != seen or state.closed, timeout=1)
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
    stylesheets and assets, and the images the last build copied into the site (the build's
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
        from .build.html import _read_cache
        files += [Path(p) for p in sorted(_read_cache(Path(out)).get("media", {}))]
    if config.path:
        files.append(config.path)
    files += [p for p in (XSLT_DIR / "html").rglob("*") if p.is_file()]
    files.append(XSLT_DIR / "lib" / "common.xsl")
    return files


def snapshot(files: list[Path]) -> dict[Path, tuple[int, int]]:
    out = {}
    for f in files:
        try:
            st = f.stat()
            out[f] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[f] = (0, 0)
    return out


def serve(config, out: Path, paths: list[Path], authority: list[Path], host: str = "127.0.0.1",
          port: int = 8000, watch: bool = True, echo=print, interval: float = 0.5,
          stop: threading.Event | None = None):
    """Build, serve, and (with watch) rebuild on change until interrupted or `stop` is set."""
    from .build.runner import BuildError, build

    def rebuild() -> bool:
        try:
            results = build(config, ["html"], paths=paths, out=out, authority=authority)
        except BuildError as e:
            echo(f"build failed (still serving the previous site): {e}")
            return False
        for r in results:
            echo(r.summary())
        return all(r.ok for r in results)

    rebuild()
    out.mkdir(parents=True, exist_ok=True)
    state = _State()
    server = make_server(out, host, port, state, report=echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shown = f"[{host}]" if ":" in host else host
    echo(f"serving {out} at http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)")
    stop = stop or threading.Event()
    try:
        files = watched_files(config, paths, authority, out)
        seen = snapshot(files)
        while not stop.wait(interval):
            if not watch:
                continue
            files = watched_files(config, paths, authority, out)
            now = snapshot(files)
            if now != seen:
                time.sleep(0.1)  # let an editor finish writing
                seen = snapshot(files)
                if rebuild():
                    state.bump()
    finally:
        server.shutdown()
        server.server_close()
    return server.server_address[1]
