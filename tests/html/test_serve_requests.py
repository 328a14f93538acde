"""`edition serve` answers only for the site's own files, to local names, from a bounded pool.

One small edition is built and served for the whole module (watching off); the tests put
hostile things into its output folder (dotfiles, symlinks out of it) and send raw requests."""
from __future__ import annotations

import re
import select
import socket
import threading
import time

import pytest

import toolkit.serve as serve_mod
from toolkit.config import load_config

DOC = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="a"><teiHeader><fileDesc><titleStmt><title>Alpha</title>'
       '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>'
       '</teiHeader><text><body><p>Text of alpha.</p></body></text></TEI>')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(port, output folder, folder outside it) of a running `serve` on a one-document edition."""
    root = tmp_path_factory.mktemp("ed")
    (root / "tei").mkdir()
    (root / "tei" / "a.xml").write_text(DOC, encoding="utf-8")
    (root / "edition.toml").write_text('[edition]\ntitle = "Served"\n', encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("SECRET outside the site", encoding="utf-8")
    (outside / "index.html").write_text("<html><body>SECRET page</body></html>", encoding="utf-8")
    out = root / "output" / "html"
    stop, port = threading.Event(), {}

    def echo(msg):
        if m := re.search(r"http://127\.0\.0\.1:(\d+)/", msg):
            port["n"] = int(m.group(1))

    t = threading.Thread(target=serve_mod.serve, daemon=True,
                         args=(load_config(root / "edition.toml"), out, [], []),
                         kwargs=dict(port=0, watch=False, echo=echo, interval=0.1, stop=stop))
    t.start()
    deadline = time.time() + 60
    while "n" not in port and time.time() < deadline:
        time.sleep(0.02)
    assert "n" in port, "serve did not start"
    # hostile contents of the served folder
    (out / ".hidden").mkdir()
    (out / ".hidden" / "page.html").write_text("<html><body>hidden</body></html>", encoding="utf-8")
    (out / "sub").mkdir()
    (out / "sub" / "index.html").write_text("<html><body>sub page</body></html>", encoding="utf-8")
    (out / "plain").mkdir()
    (out / "plain" / "note.txt").write_text("a file in a folder without index.html", encoding="utf-8")
    (out / "leak.txt").symlink_to(outside / "secret.txt")
    (out / "leakdir").symlink_to(outside)
    (out / ".secret.json").write_text('{"format": "build state"}', encoding="utf-8")
    (out / "alias.json").symlink_to(out / ".secret.json")
    yield port["n"], out, outside
    stop.set()
    t.join(10)


def raw(port: int, request: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send bytes, read the response to its end: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def get(port: int, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    host = f"127.0.0.1:{port}" if host is None else host
    return raw(port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))


def test_pages_and_assets_are_served_with_the_reload_script(site):
    port, out, _ = site
    status, headers, body = get(port, "/doc/a.html")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert body.count(b'<script src="/__edition/reload.js"></script>') == 1
    assert b"Alpha" in body
    status, headers, body = get(port, "/")
    assert status == 200 and b"__edition/reload.js" in body
    status, headers, body = get(port, "/assets/edition.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert body == (out / "assets" / "edition.css").read_bytes()
    status, headers, _ = raw(port, f"HEAD /doc/a.html HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n".encode())
    assert status == 200 and int(headers["content-length"]) > 0
    # a folder with an index.html: redirected to its slash (relative links), never off the site
    for path in ("/sub", "//sub", "/sub?x=1"):
        status, headers, _ = get(port, path)
        assert (status, headers.get("location")) == (301, "/sub/"), path
    assert b"sub page" in get(port, "/sub/")[2]
    status, headers, _ = get(port, "/assets")
    assert status == 404, "assets/ has no index.html: no listing, no redirect to one"


def test_build_state_dotfiles_listings_and_links_out_are_not_served(site):
    port, out, _ = site
    assert (out / ".edition-build.json").is_file()
    for path in ("/.edition-build.json", "/.edition-cache.json", "/.secret.json", "/.hidden/page.html",
                 "/doc/../.secret.json", "/%2esecret.json", "/alias.json"):
        status, _, body = get(port, path)
        assert 400 <= status < 500, (path, status)
        assert b"format" not in body and b"hidden" not in body, path
    for path in ("/plain/", "/plain", "/assets/", "/doc/"):  # folders without index.html: no listing
        status, _, body = get(port, path)
        assert status == 404, (path, status)
        assert b"note.txt" not in body and b"edition.css" not in body
    for path in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/leakdir/index.html"):
        status, _, body = get(port, path)
        assert status == 404, (path, status)
        assert b"SECRET" not in body


@pytest.mark.parametrize("request_line,host", [
    ("GET /%00 HTTP/1.1", None),
    ("GET /doc/a.html%00.txt HTTP/1.1", None),
    ("GET /..%2f.. HTTP/1.1", None),
    ("GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1", None),
    ("GET /%zz HTTP/1.1", None),
    ("GET /% HTTP/1.1", None),
    ("GET /%ff%fe.html HTTP/1.1", None),
    ("GET /" + "a" * 300 + ".html HTTP/1.1", None),
    ("GET /" + "a/" * 3000 + " HTTP/1.1", None),
    ("GET /" + "x" * 70000 + " HTTP/1.1", None),
    ("GET http://evil.example/ HTTP/1.1", None),
    ("GET /\x01 HTTP/1.1", None),
    ("GET / HTTP/1.1", "exa mple"),
    ("GET / HTTP/1.1", "\x01\x02"),
    ("GET / HTTP/1.1", "[::1"),
    ("GET / HTTP/1.1", "localhost:abc"),
    ("GET / HTTP/1.1", "\xff\xfe"),
    ("GET / HTTP/1.1", ""),
    ("FROB / HTTP/1.1", None),
])
def test_odd_requests_get_a_clean_4xx_and_no_traceback(site, capfd, request_line, host):
    port = site[0]
    host = f"127.0.0.1:{port}" if host is None else host
    status, _, body = raw(port, f"{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
    assert 400 <= status < 500 or status == 501, status
    assert b"Traceback" not in body and b"SECRET" not in body
    time.sleep(0.05)  # let the server thread finish writing anything it would write
    assert capfd.readouterr().err == ""
    assert get(port, "/doc/a.html")[0] == 200  # and the server still answers


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost.evil.example",
                                  "127.0.0.1.nip.io:{port}", "2130706433"])
def test_a_dns_name_other_than_localhost_is_refused(site, host):
    """DNS rebinding: a hostile page whose name now points to 127.0.0.1 must not read the site."""
    port = site[0]
    status, headers, body = get(port, "/doc/a.html", host=host.format(port=port))
    assert status in (403, 421)
    assert headers["content-type"].startswith("text/plain") and len(body) < 200
    assert b"Alpha" not in body
    assert get(port, "/__edition/events", host=host.format(port=port))[0] in (403, 421)


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "LocalHost:{port}", "127.0.0.1",
                                  "127.0.0.1:{port}", "[::1]:{port}", "[::1]", "10.1.2.3:{port}"])
def test_localhost_and_ip_literals_are_answered(site, host):
    port = site[0]
    status, _, body = get(port, "/doc/a.html", host=host.format(port=port))
    assert status == 200 and b"Alpha" in body


def test_the_name_given_with_host_is_answered():
    assert serve_mod.host_allowed("dev.example:8000", "dev.example") is True
    assert serve_mod.host_allowed("DEV.example", "dev.example") is True
    assert serve_mod.host_allowed("other.example", "dev.example") is False
    assert serve_mod.host_allowed("0.0.0.0:8000", "0.0.0.0") is True


def threads() -> int:
    return threading.active_count()


def test_many_connections_do_not_grow_the_thread_count(site):
    """A flood of connections (here: idle ones, which hold a worker until they time out) is
    answered by the fixed pool; the ones beyond the pool and its queue get 503, not a thread."""
    port = site[0]
    workers = getattr(serve_mod, "WORKERS", 16)
    backlog = getattr(serve_mod, "BACKLOG", 64)
    before = threads()
    socks = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(workers + backlog + 40)]
    try:
        time.sleep(0.5)
        assert threads() <= before + 1, (before, threads())
        # at most workers + backlog are held (fewer when the queue filled before a worker woke)
        answered, deadline = {}, time.time() + 5
        while time.time() < deadline:
            ready, _, _ = select.select([s for s in socks if s not in answered], [], [], 0.3)
            answered.update((s, s.recv(100)) for s in ready)
            if len(answered) >= 40 and not ready:
                break
        assert 40 <= len(answered) <= 40 + workers
        assert all(a.startswith(b"HTTP/1.0 503") for a in answered.values())
    finally:
        for s in socks:
            s.close()
    deadline = time.time() + 5
    while time.time() < deadline and get(port, "/doc/a.html")[0] != 200:
        time.sleep(0.1)
    assert get(port, "/doc/a.html")[0] == 200
    assert threads() <= before + 1


def events(port: int) -> tuple[socket.socket, bytes]:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(f"GET /__edition/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    return s, s.recv(200)


def test_live_reload_streams_are_capped(site):
    port = site[0]
    cap = getattr(serve_mod, "MAX_EVENT_STREAMS", 8)
    before = threads()
    streams = [events(port) for _ in range(cap)]
    try:
        assert all(first.startswith(b"HTTP/1.0 200") and b"text/event-stream" in first for _, first in streams)
        status, _, body = get(port, "/__edition/events")
        assert status == 503 and body.strip()
        assert get(port, "/doc/a.html")[0] == 200  # pages are still answered
        assert threads() <= before + 1
        streams.pop()[0].close()  # a closed tab frees its slot (within a second)
        deadline = time.time() + 5
        while True:
            s, first = events(port)
            streams.append((s, first))
            if first.startswith(b"HTTP/1.0 200") or time.time() > deadline:
                break
            streams.pop()[0].close()
            time.sleep(0.2)
        assert first.startswith(b"HTTP/1.0 200")
    finally:
        for s, _ in streams:
            s.close()


def test_a_port_in_use_is_an_os_error(site):
    """The CLI turns it into "cannot serve on …"; no thread is left behind."""
    before = threads()
    with pytest.raises(OSError):
        serve_mod.make_server(site[1], port=site[0])
    assert threads() == before
