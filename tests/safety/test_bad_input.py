"""Bad input: a clear diagnostic with file, line and column, a non-zero exit, never a traceback,
never a hang, never the content of a local file or a network request."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path


from conftest import run_cli

MINI_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>{body}</p></body></text></TEI>
"""


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _validate(tmp_path, *names):
    # --config pointing nowhere special: validate the given files with their own (absent) schemas
    return run_cli("validate", *names, cwd=tmp_path)


def _assert_clean_failure(res, expect: str, code: int = 1):
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stdout + res.stderr
    assert expect in res.stdout, res.stdout


def test_malformed_xml_names_line_and_column(tmp_path):
    _write(tmp_path, "bad.xml", "<TEI>\n  <p>open\n</TEI>\n")
    res = _validate(tmp_path, "bad.xml")
    _assert_clean_failure(res, "bad.xml:3:")
    line = next(l for l in res.stdout.splitlines() if l.startswith("bad.xml:"))
    assert "error:" in line and "</TEI>" in line and "<p>" in line and "[xml.well-formed]" in line


def test_missing_file(tmp_path):
    # a path on the command line that does not exist is a usage error, as for every command
    res = _validate(tmp_path, "nowhere.xml")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "'nowhere.xml' does not exist" in res.stderr


def test_wrong_encoding(tmp_path):
    _write(tmp_path, "latin1.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<p>caf\xe9 au lait</p>\n')
    res = _validate(tmp_path, "latin1.xml")
    _assert_clean_failure(res, "latin1.xml:2:")
    assert "encoding" in res.stdout and "hint:" in res.stdout


def test_utf16_with_bom_is_read(tmp_path):
    _write(tmp_path, "u16.xml", '<?xml version="1.0" encoding="UTF-16"?>\n<p>Ürümqi</p>\n'.encode("utf-16"))
    res = _validate(tmp_path, "u16.xml")
    assert res.returncode == 0, res.stdout
    assert " error:" not in res.stdout and "[schema.none]" in res.stdout  # read: only no schema to say


def test_doctype_with_missing_dtd_is_a_warning_and_entities_from_it_are_errors(tmp_path):
    _write(tmp_path, "old.xml", '<?xml version="1.0"?>\n<!DOCTYPE TEI.2 SYSTEM "teilite.dtd">\n<TEI.2><p>x</p></TEI.2>\n')
    _write(tmp_path, "ent.xml", '<?xml version="1.0"?>\n<!DOCTYPE TEI.2 SYSTEM "teilite.dtd">\n<TEI.2><p>a &mdash; b</p></TEI.2>\n')
    res = _validate(tmp_path, "old.xml", "ent.xml")
    _assert_clean_failure(res, "old.xml:2:1: warning: the DOCTYPE refers to the DTD 'teilite.dtd', which does not exist here")
    assert "ent.xml:3:13: error: the entity '&mdash;' is not defined" in res.stdout


def test_external_file_entity_is_refused_and_never_read(tmp_path):
    secret = _write(tmp_path, "secret.txt", "TOP-SECRET-CONTENT")
    _write(tmp_path, "xxe.xml", f'<?xml version="1.0"?>\n<!DOCTYPE r [\n  <!ENTITY x SYSTEM "{secret.as_uri()}">\n]>\n<r>&x;</r>\n')
    _write(tmp_path, "pe.xml", f'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY % p SYSTEM "{secret.as_uri()}">\n%p;\n]>\n<r/>\n')
    res = _validate(tmp_path, "xxe.xml", "pe.xml")
    _assert_clean_failure(res, "xxe.xml:3:3: error: external entity declaration 'x' is not allowed")
    assert "pe.xml:3:1: error: external parameter entity declaration 'p' is not allowed" in res.stdout
    assert "TOP-SECRET" not in res.stdout + res.stderr


def test_external_url_entity_makes_no_network_request(tmp_path):
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<x>REMOTE</x>")

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/evil.dtd"
        _write(tmp_path, "net.xml", f'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY e SYSTEM "{url}">\n]>\n<r>&e;</r>\n')
        _write(tmp_path, "netdtd.xml", f'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "{url}">\n<r/>\n')
        res = _validate(tmp_path, "net.xml", "netdtd.xml")
    finally:
        server.shutdown()
    _assert_clean_failure(res, "net.xml:3:1: error: external entity declaration 'e'")
    assert "netdtd.xml:2:1: warning: the DOCTYPE refers to the DTD" in res.stdout
    assert hits == []
    assert "REMOTE" not in res.stdout


def test_entity_expansion_bomb_is_stopped_quickly(tmp_path):
    decls = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    _write(tmp_path, "bomb.xml", '<?xml version="1.0"?>\n<!DOCTYPE r [\n' + "\n".join(decls) + "\n]>\n<r>&a9;</r>\n")
    res = _validate(tmp_path, "bomb.xml")
    _assert_clean_failure(res, "bomb.xml:3:1: error: entity expansion is too large")


def test_absurdly_deep_nesting(tmp_path):
    _write(tmp_path, "deep.xml", "<a>" * 5000 + "</a>" * 5000)
    res = _validate(tmp_path, "deep.xml")
    _assert_clean_failure(res, "deep.xml:1:")
    assert "nested too deeply" in res.stdout


def test_empty_and_binary_files(tmp_path):
    _write(tmp_path, "empty.xml", b"")
    _write(tmp_path, "binary.xml", bytes(range(256)) * 4)
    res = _validate(tmp_path, "empty.xml", "binary.xml")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "empty.xml:1:1: error:" in res.stdout
    assert "binary.xml:1:" in res.stdout


def test_folder_given_as_file_and_usage_errors(tmp_path):
    (tmp_path / "sub").mkdir()
    res = _validate(tmp_path, "sub")  # an empty folder: nothing to check, but fine
    assert res.returncode == 0
    res = run_cli("validate", "--format", "yaml", cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    _write(tmp_path, "x.xml", "<r/>")
    res = run_cli("validate", "--staged", "x.xml", cwd=tmp_path)
    assert res.returncode == 2 and "either PATHS or --staged" in res.stderr


def test_broken_config_is_a_usage_error(tmp_path):
    (tmp_path / "edition.toml").write_text("[edition\ntitle = 1\n")
    res = run_cli("validate", cwd=tmp_path)
    assert res.returncode == 2 and "edition.toml" in res.stderr and "Traceback" not in res.stderr
    (tmp_path / "edition.toml").write_text('[edition]\nschema = "nope.rng"\n')
    res = run_cli("validate", cwd=tmp_path)
    assert res.returncode == 2 and "nope.rng" in res.stderr
