"""`edition serve`: build the HTML edition, serve it on localhost, rebuild on change, reload.

The site itself stays static: the only server-side additions are made on the fly while
serving — a small script injected into HTML responses that listens on /__edition/events
(server-sent events) and reloads the page after each successful rebuild. Builds run in the main
thread (one Saxon processor, as always); the HTTP server answers from its own threads and
always reads the current output folder, so it picks up each atomic swap.
"""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

RELOAD_JS = b"""(function () {
  if (!window.EventSource) return;
  var es = new EventSource("/__edition/events");
  es.onmessage = function (e) { if (e.data === "reload") location.reload(); };
})();
"""


class _State:
    def __init__(self):
        self.version = 0
        self.cond = threading.Condition()

    def bump(self):
        with self.cond:
            self.version += 1
            self.cond.notify_all()


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: _State = None  # set per server
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json",
                      ".svg": "image/svg+xml", ".xml": "application/xml"}

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/__edition/reload.js":
            return self._send(200, "text/javascript", RELOAD_JS)
        if path == "/__edition/events":
            return self._events()
        if path.endswith("/"):
            path += "index.html"
        if path.endswith(".html"):
            file = Path(self.translate_path(path))
            if file.is_file():
                data = file.read_bytes()
                tag = b'<script src="/__edition/reload.js"></script>'
                i = data.rfind(b"</body>")
                data = data[:i] + tag + data[i:] if i >= 0 else data + tag
                return self._send(200, "text/html; charset=utf-8", data)
        return super().do_GET()

    def _send(self, code, ctype, data: bytes):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.state.version
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                with self.state.cond:
                    self.state.cond.wait_for(lambda: self.state.version != seen, timeout=15)
                if self.state.version != seen:
                    seen = self.state.version
                    self.wfile.write(b"data: reload\n\n")
                else:
                    self.wfile.write(b": ping\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


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
    handler = type("Handler", (_Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(out)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    echo(f"serving {out} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
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
