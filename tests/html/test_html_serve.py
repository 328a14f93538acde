"""`edition serve`: serves the built site, rebuilds when a source changes, tells browsers to reload."""
from __future__ import annotations

import contextlib
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import lxml.html

from toolkit.config import load_config
from toolkit.serve import serve

REPO = Path(__file__).resolve().parents[2]
DOC = "doc-1937-06-14"


def bundled_edition(tmp_path: Path) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    return root


@contextlib.contextmanager
def serving(root: Path):
    """`serve` on the edition in a background thread (interval 0.2 s): yields the site's URL."""
    stop, port = threading.Event(), {}

    def echo(msg):
        if m := re.search(r"http://127\.0\.0\.1:(\d+)/", msg):
            port["n"] = int(m.group(1))

    t = threading.Thread(target=serve, daemon=True,
                         args=(load_config(root / "edition.toml"), root / "output" / "html", [], []),
                         kwargs=dict(port=0, echo=echo, interval=0.2, stop=stop))
    t.start()
    try:
        deadline = time.time() + 60
        while "n" not in port and time.time() < deadline:
            time.sleep(0.05)
        assert "n" in port, "serve did not start"
        yield f"http://127.0.0.1:{port['n']}/"
    finally:
        stop.set()
        t.join(10)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def next_reload(events, within: float = 60) -> str:
    """The next event of a live-reload stream (comment lines, such as pings, skipped)."""
    line, deadline = b"", time.time() + within
    while not line.startswith(b"data:"):
        assert time.time() < deadline, "no reload event"
        line = events.readline()
        assert line, "the event stream ended"
    return line.strip().decode()


def alerts(page: str) -> list:
    return lxml.html.fromstring(page).xpath('//*[@role="alert"]')


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

    from toolkit.outputs.runner import build
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


def test_serve_shows_build_problems_in_a_banner_until_they_are_fixed(tmp_path):
    """A document made malformed (an editor's half-written save) and a hostile file named
    <script>…: the rebuild reloads open pages, and every page shows a banner naming each file
    with line and column, as text; the next clean rebuild reloads them without it."""
    root = bundled_edition(tmp_path)
    doc = root / "tei" / f"{DOC}.xml"
    good = doc.read_text(encoding="utf-8")
    with serving(root) as base:
        status, page = fetch(base + "index.html")
        assert status == 200 and alerts(page) == []
        events = urllib.request.urlopen(base + "__edition/events", timeout=30)
        events.readline()  # ": connected"
        doc.write_text(good[: len(good) // 2], encoding="utf-8")
        assert next_reload(events) == "data: reload"
        for path in ("index.html", "doc/doc-1935-09-13.html"):
            status, page = fetch(base + path)
            assert status == 200
            [banner] = alerts(page)
            assert re.search(rf"tei/{DOC}\.xml:\d+:\d+: ", banner.text_content()), banner.text_content()
            assert "position:fixed" in banner.get("style") and banner.xpath(".//button[@data-edition-dismiss]")
            # it comes first in the body, for a screen reader too
            assert banner.getparent().tag == "body" and banner.getprevious() is None
        # a file whose name is markup: named in the banner as text, never as markup
        hostile = root / "tei" / "doc-<script>alert(1)<.xml"
        hostile.write_text("<TEI><script>alert(2)</script", encoding="utf-8")
        assert next_reload(events) == "data: reload"
        status, page = fetch(base + "doc/doc-1935-09-13.html")
        [banner] = alerts(page)
        assert "tei/doc-<script>alert(1)<.xml:1:" in banner.text_content()
        assert re.search(rf"tei/{DOC}\.xml:\d+:\d+: ", banner.text_content())
        assert [e.get("src") for e in lxml.html.fromstring(page).iter("script")
                if e.get("type") != "application/ld+json"] == ["../assets/edition.js", "/__edition/reload.js"]
        doc.write_text(good, encoding="utf-8")
        hostile.unlink()
        deadline = time.time() + 60
        while alerts(page) and time.time() < deadline:  # one rebuild or two, as the saves fall
            assert next_reload(events) == "data: reload"
            status, page = fetch(base + f"doc/{DOC}.html")
        assert status == 200 and alerts(page) == [] and "__edition/reload.js" in page


def test_serve_shows_a_failed_build_in_a_banner(tmp_path):
    """Every document gone (moved away): the build fails as a whole; the previous site is still
    served, with the build's message in the banner."""
    root = bundled_edition(tmp_path)
    with serving(root) as base:
        events = urllib.request.urlopen(base + "__edition/events", timeout=30)
        events.readline()
        (tmp_path / "away").mkdir()
        for f in (root / "tei").glob("doc-*.xml"):
            f.rename(tmp_path / "away" / f.name)
        assert next_reload(events) == "data: reload"
        status, page = fetch(base + "doc/doc-1935-09-13.html")
        assert status == 200 and "Politburo Decisions of 13 September 1935" in page
        [banner] = alerts(page)
        assert "build failed" in banner.text_content() and "no TEI documents" in banner.text_content()


def test_serve_rebuilds_what_changed_during_its_first_build(tmp_path, monkeypatch):
    """A document saved while the first build runs (after it was read) is rebuilt at once, not
    missed until the next change: what the build reads is looked at before it starts."""
    from toolkit.outputs import runner
    root = bundled_edition(tmp_path)
    doc = root / "tei" / f"{DOC}.xml"
    real, calls = runner.build, []

    def build_then_save(*args, **kwargs):
        results = real(*args, **kwargs)
        if not calls:  # the editor saves as the first build ends
            text = doc.read_text(encoding="utf-8")
            doc.write_text(text.replace("</body>", "<p>Saved while building.</p></body>", 1), encoding="utf-8")
        calls.append(1)
        return results
    monkeypatch.setattr(runner, "build", build_then_save)
    with serving(root) as base:
        deadline = time.time() + 60
        while time.time() < deadline and "Saved while building." not in fetch(base + f"doc/{DOC}.html")[1]:
            time.sleep(0.2)
        assert "Saved while building." in fetch(base + f"doc/{DOC}.html")[1]
    assert len(calls) >= 2


def test_serve_keeps_serving_a_broken_documents_last_good_page(tmp_path):
    root = bundled_edition(tmp_path)
    doc = root / "tei" / f"{DOC}.xml"
    with serving(root) as base:
        status, page = fetch(base + f"doc/{DOC}.html")
        title = lxml.html.fromstring(page).findtext(".//title")
        assert status == 200 and title
        events = urllib.request.urlopen(base + "__edition/events", timeout=30)
        events.readline()
        doc.write_text(doc.read_text(encoding="utf-8")[:2000], encoding="utf-8")
        assert next_reload(events) == "data: reload"
        status, page = fetch(base + f"doc/{DOC}.html")
        assert status == 200 and lxml.html.fromstring(page).findtext(".//title") == title
        assert alerts(page)


def test_serve_builds_a_document_added_while_serving(tmp_path):
    """A new file the edition's sources name is watched and built (the file list is found again
    on each look, not kept from the start)."""
    root = bundled_edition(tmp_path)
    text = (root / "tei" / "doc-1935-09-13.xml").read_text(encoding="utf-8")
    with serving(root) as base:
        assert fetch(base + "doc/doc-1950-01-01.html")[0] == 404
        events = urllib.request.urlopen(base + "__edition/events", timeout=30)
        events.readline()
        (root / "tei" / "doc-1950-01-01.xml").write_text(
            text.replace("doc-1935-09-13", "doc-1950-01-01").replace("13 September 1935", "1 January 1950"),
            encoding="utf-8")
        assert next_reload(events) == "data: reload"
        status, page = fetch(base + "doc/doc-1950-01-01.html")
        assert status == 200 and "Decisions of 1 January 1950" in lxml.html.fromstring(page).findtext(".//title")


def test_serve_reports_an_edition_toml_that_does_not_load(tmp_path):
    """A half-written edition.toml keeps the previous configuration and site; the banner says why."""
    root = bundled_edition(tmp_path)
    config = root / "edition.toml"
    good = config.read_text(encoding="utf-8")
    with serving(root) as base:
        events = urllib.request.urlopen(base + "__edition/events", timeout=30)
        events.readline()
        config.write_text(good.replace('title = "', 'title = ', 1), encoding="utf-8")
        assert next_reload(events) == "data: reload"
        status, page = fetch(base + "index.html")
        [banner] = alerts(page)
        assert status == 200 and "configuration error" in banner.text_content()
        assert "edition.toml" in banner.text_content()
        # the corrected file is the one built with: only the documents of the 1930s now
        config.write_text(good.replace('"tei/doc-*.xml"', '"tei/doc-193*.xml"'), encoding="utf-8")
        assert next_reload(events) == "data: reload"
        status, page = fetch(base + "index.html")
        assert status == 200 and alerts(page) == []
        assert fetch(base + "doc/doc-1935-09-13.html")[0] == 200
        assert fetch(base + "doc/doc-1945-04-29.html")[0] == 404
