"""The TEI's published schemas by URL, through the schema cache (toolkit/validate/schema_cache.py).

A loopback HTTP server stands in for www.tei-c.org (EDITION_TEI_BASE): it serves
../shared/schemas as the current release and as the Vault's 4.12.0, counts every request, and
can answer with a redirect, an error page or garbage. Hostile cases: a URL not in the known
table is never fetched (the server sees no request), nor any other host.
"""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import shared_path

RELEASE = "release/xml/tei/custom/schema/relaxng/"
VAULT = "Vault/P5/4.12.0/xml/tei/custom/schema/relaxng/"
TEI_ALL_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"


class Server:
    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.requests: list[str] = []
        self.redirect: dict[str, str] = {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                path = self.path.lstrip("/")
                if path in outer.redirect:
                    self.send_response(302)
                    self.send_header("Location", outer.redirect[path])
                    self.end_headers()
                    return
                body = outer.files.get(path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tei_server(tmp_path, monkeypatch):
    schemas = shared_path("schemas")
    files = {}
    for name in ("tei_all.rng", "tei_lite.rng"):
        data = (schemas / name).read_bytes()
        files[RELEASE + name] = data
        files[VAULT + name] = data
    server = Server(files)
    monkeypatch.setenv("EDITION_TEI_BASE", server.base)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield server
    server.close()


def run(*args, cwd):
    """The real command, with this process's environment (the server's base, the cache)."""
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=dict(os.environ))


def edition(tmp_path: Path, href: str = TEI_ALL_URL, fetch: str | None = None) -> Path:
    ed = tmp_path / "ed"
    (ed / "tei").mkdir(parents=True)
    (ed / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\nreferences = "off"\n'
                                     + (f'[schemas]\nfetch = "{fetch}"\n' if fetch else ""))
    (ed / "tei" / "a.xml").write_text(
        f'<?xml-model href="{href}" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader>\n<text><body><p>x</p>\n<bogus/></body></text></TEI>\n')
    return ed


def test_auto_fetches_a_known_tei_url_once_and_validates_against_it(tei_server, tmp_path):
    ed = edition(tmp_path)
    res = run("validate", "--format", "json", cwd=ed)
    assert res.returncode == 1, res.stderr
    data = json.loads(res.stdout)
    bogus = [d for d in data["diagnostics"] if d["rule"] == "rng"]
    assert [(d["path"], d["line"], d["column"]) for d in bogus] == [("tei/a.xml", 4, 1)]
    assert "<bogus>" in bogus[0]["message"]
    assert data["schemas"] == {"tei/a.xml": ["tei_all.rng (RELAX NG)"]}
    assert tei_server.requests == ["/" + RELEASE + "tei_all.rng"]
    assert res.stderr.count("fetched tei_all.rng (current TEI release)") == 1
    # the second run uses the cache: no request, no note
    res = run("validate", cwd=ed)
    assert res.returncode == 1 and "tei/a.xml:4:1: error: element <bogus>" in res.stdout
    assert "fetched" not in res.stderr
    assert len(tei_server.requests) == 1


def test_a_vault_version_url_is_its_own_cache_entry(tei_server, tmp_path):
    ed = edition(tmp_path, href="https://tei-c.org/Vault/P5/4.12.0/xml/tei/custom/schema/relaxng/tei_lite.rng")
    res = run("validate", cwd=ed)
    assert "element <bogus>" in res.stdout
    assert tei_server.requests == ["/" + VAULT + "tei_lite.rng"]
    cached = Path(os.environ["XDG_CACHE_HOME"], "tei-edition-toolkit", "schemas", "tei", "4.12.0",
                  "custom", "schema", "relaxng", "tei_lite.rng")
    record = json.loads(cached.with_name("tei_lite.rng.json").read_text())
    import hashlib
    assert record["sha256"] == hashlib.sha256(cached.read_bytes()).hexdigest()
    assert record["version"] == "4.12.0"


def test_never_warns_with_the_command_that_makes_the_schema_available(tei_server, tmp_path):
    ed = edition(tmp_path, fetch="never")
    res = run("validate", cwd=ed)
    assert res.returncode == 0
    assert "tei/a.xml:1:1: warning: the TEI schema" in res.stdout and "[schema.not-cached]" in res.stdout
    assert "hint: run `edition schemas fetch tei_all.rng` to make it available" in res.stdout
    assert tei_server.requests == []
    # the command it names does it
    res = run("schemas", "fetch", "tei_all.rng", cwd=ed)
    assert res.returncode == 0 and "fetched: tei_all.rng" in res.stdout
    res = run("validate", cwd=ed)
    assert "element <bogus>" in res.stdout and "schema.not-cached" not in res.stdout
    assert len(tei_server.requests) == 1


def test_offline_warns_once_and_names_the_command(tei_server, tmp_path, monkeypatch):
    tei_server.files.clear()  # 404 for everything
    ed = edition(tmp_path)
    (ed / "tei" / "b.xml").write_text((ed / "tei" / "a.xml").read_text())
    res = run("validate", cwd=ed)
    assert res.returncode == 0
    warnings = [l for l in res.stdout.splitlines() if "schema.not-cached" in l]
    assert len(warnings) == 1 and "404" in warnings[0]
    assert "run `edition schemas fetch tei_all.rng`" in res.stdout


@pytest.mark.parametrize("href", [
    # not a TEI host, or a look-alike
    "http://127.0.0.1:{port}/" + RELEASE + "tei_all.rng",
    "https://www.tei-c.org.evil.example/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "https://evil.example/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    # a TEI host, but not a file of the table
    "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/secret.rng",
    "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/../../../../etc/passwd.rng",
    "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng?x=1",
    "https://www.tei-c.org:8443/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    "https://www.tei-c.org/Vault/P5/../../etc/xml/tei/custom/schema/relaxng/tei_all.rng",
])
def test_no_url_outside_the_known_table_is_ever_fetched(tei_server, tmp_path, href):
    port = tei_server.base.rsplit(":", 1)[1].strip("/")
    ed = edition(tmp_path, href=href.format(port=port))
    res = run("validate", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "[schema.remote]" in res.stdout and "fetched" not in res.stderr
    assert tei_server.requests == []


def test_a_corrupt_cached_copy_is_refetched_or_refused(tei_server, tmp_path):
    ed = edition(tmp_path)
    assert run("schemas", "fetch", "tei_all", cwd=ed).returncode == 0
    cached = Path(os.environ["XDG_CACHE_HOME"], "tei-edition-toolkit", "schemas", "tei", "current",
                  "custom", "schema", "relaxng", "tei_all.rng")
    cached.write_bytes(cached.read_bytes().replace(b'name="bogus"', b'name="x"') + b"<!-- changed -->")
    # never: not used, and the warning says why and what to run
    (ed / "edition.toml").write_text((ed / "edition.toml").read_text() + '[schemas]\nfetch = "never"\n')
    res = run("validate", cwd=ed)
    assert "does not match its recorded sha256" in res.stdout and "edition schemas fetch tei_all.rng" in res.stdout
    assert "CORRUPT" in run("schemas", "list", cwd=ed).stdout
    # auto: fetched again, with a note saying why
    (ed / "edition.toml").write_text((ed / "edition.toml").read_text().replace('"never"', '"auto"'))
    res = run("validate", cwd=ed)
    assert "element <bogus>" in res.stdout
    assert "does not match its recorded sha256" in res.stderr and len(tei_server.requests) == 2
    assert "CORRUPT" not in run("schemas", "list", cwd=ed).stdout


def test_redirects_elsewhere_error_pages_and_oversize_answers_are_not_cached(tei_server, tmp_path, monkeypatch):
    from toolkit.validate import schema_cache as sc
    f = sc.known_file("tei_all.rng")
    other = Server({RELEASE + "tei_all.rng": tei_server.files[RELEASE + "tei_all.rng"]})
    try:
        tei_server.redirect[RELEASE + "tei_all.rng"] = other.base + RELEASE + "tei_all.rng"
        with pytest.raises(sc.FetchError, match="redirected to .* not followed"):
            sc.fetch(f)
        assert other.requests == []
    finally:
        other.close()
    tei_server.redirect.clear()
    tei_server.files[RELEASE + "tei_all.rng"] = b"<html><body>Not here</body></html>"
    with pytest.raises(sc.FetchError, match="not a RELAX NG grammar"):
        sc.fetch(f)
    tei_server.files[RELEASE + "tei_all.rng"] = b"x" * 5000
    monkeypatch.setattr(sc, "MAX_BYTES", 4096)
    with pytest.raises(sc.FetchError, match="over the limit"):
        sc.fetch(f)
    assert sc.tei_source("tei_all.rng") is None
    assert not sc.cached_path(f).exists()


def test_the_test_base_may_only_be_a_loopback_http_server(monkeypatch, tmp_path):
    from toolkit.validate import schema_cache as sc
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for bad in ("http://evil.example/", "https://127.0.0.1:1/", "file:///etc/", "http://127.0.0.1:1/x/"):
        monkeypatch.setenv("EDITION_TEI_BASE", bad)
        with pytest.raises(sc.FetchError, match="only name a loopback http server"):
            sc.fetch(sc.known_file("tei_all.rng"))


def test_tei_source_is_what_the_odd_compiler_calls(tei_server):
    from toolkit.validate import schema_cache as sc
    assert sc.tei_source("tei_all.rng") is None
    path, new = sc.fetch(sc.known_file("tei_all.rng", "4.12.0"))
    assert new and sc.tei_source("tei_all.rng", "4.12.0") == path
    assert sc.tei_source("tei_all.rng") is None  # the current release is another entry
    assert sc.tei_source("no_such.rng") is None and sc.tei_source("tei_all.rng", "../x") is None


def test_schemas_fetch_cli_refuses_unknown_names_and_lists_the_cache(tei_server, tmp_path):
    ed = edition(tmp_path)
    res = run("schemas", "fetch", "evil.rng", cwd=ed)
    assert res.returncode == 2 and "not one of the TEI's published files" in res.stderr
    assert "Traceback" not in res.stderr and tei_server.requests == []
    res = run("schemas", "fetch", cwd=ed)  # none given: those the edition's files name
    assert res.returncode == 0 and "fetched: tei_all.rng (current TEI release)" in res.stdout
    res = run("schemas", "fetch", "tei_lite", "--version", "4.12.0", cwd=ed)
    assert res.returncode == 0 and "tei_lite.rng (TEI P5 4.12.0)" in res.stdout
    listed = run("schemas", "list", cwd=ed).stdout
    assert "tei_all.rng  current" in listed and "tei_lite.rng  4.12.0" in listed
    tei_server.files.clear()
    res = run("schemas", "fetch", "tei_bare", cwd=ed)
    assert res.returncode == 1 and "404" in res.stderr
