"""`edition serve`: serves the built site, rebuilds when a source changes, tells browsers to reload."""
from __future__ import annotations

import re
import shutil
import threading
import time
import urllib.request
from pathlib import Path

from toolkit.config import load_config
from toolkit.serve import serve

REPO = Path(__file__).resolve().parents[1]


def test_serve_rebuilds_and_reloads(tmp_path):
    root = tmp_path / "ed"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    cfg = load_config(root / "edition.toml")
    out = root / "output" / "html"
    stop = threading.Event()
    port = {}
    results: dict = {}

    def echo(msg):
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", msg)
        if m:
            port["n"] = int(m.group(1))

    def client():
        try:
            deadline = time.time() + 60
            while "n" not in port and time.time() < deadline:
                time.sleep(0.05)
            base = f"http://127.0.0.1:{port['n']}/"
            page = urllib.request.urlopen(base + "doc/doc-1937-06-14.html", timeout=10).read().decode()
            results["injected"] = '<script src="/__edition/reload.js"></script>' in page
            results["css"] = urllib.request.urlopen(base + "assets/edition.css", timeout=10).status
            events = urllib.request.urlopen(base + "__edition/events", timeout=30)
            events.readline()  # ": connected"
            doc = root / "tei" / "doc-1937-06-14.xml"
            doc.write_text(doc.read_text().replace("Decline the governor's suggestion",
                                                   "Decline the governor's served suggestion"))
            line = b""
            while not line.startswith(b"data:"):
                line = events.readline()
            results["event"] = line.strip().decode()
            page = urllib.request.urlopen(base + "doc/doc-1937-06-14.html", timeout=10).read().decode()
            results["rebuilt"] = "served suggestion" in page
        except Exception as e:  # reported below, in the main thread
            results["error"] = repr(e)
        finally:
            stop.set()

    t = threading.Thread(target=client, daemon=True)
    t.start()
    serve(cfg, out, [], [], port=0, echo=echo, interval=0.2, stop=stop)
    t.join(5)
    assert "error" not in results, results
    assert results == {"injected": True, "css": 200, "event": "data: reload", "rebuilt": True}
    # the files on disk stay static: nothing injected into them
    assert "__edition" not in (out / "doc" / "doc-1937-06-14.html").read_text()


def test_serve_watches_the_images_the_site_copied(tmp_path):
    """Pages show copies of local images, wherever they lie in the edition (../images/): serve
    watches the ones the last build copied (its cache lists them) and walks no folder for them."""
    import struct
    import zlib

    from toolkit.build.runner import build
    from toolkit.config import load_config
    from toolkit.serve import watched_files

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    (tmp_path / "tei").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "pic.png").write_bytes(png)
    (tmp_path / "images" / "unused.png").write_bytes(png)
    (tmp_path / "tei" / "a.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="a"><teiHeader><fileDesc><titleStmt><title>A</title>'
        '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>'
        '</teiHeader><text><body><p><graphic url="../images/pic.png"/></p></body></text></TEI>', encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "Pictures"\n', encoding="utf-8")
    cfg = load_config(tmp_path / "edition.toml")
    out = tmp_path / "output" / "html"
    [r] = build(cfg, ["html"], out=out, search_index=False)
    assert r.ok and list((out / "media").iterdir())
    files = {p.resolve().relative_to(tmp_path.resolve()).as_posix() for p in watched_files(cfg, [], [], out)
             if tmp_path.resolve() in p.resolve().parents}
    assert {"images/pic.png", "tei/a.xml"} <= files
    assert "images/unused.png" not in files and not any(f.startswith("output/") for f in files)
