"""What the browser tests share: where Chromium and axe-core are, a static server for a built
site, axe-core's WCAG 2.1 A/AA violations of a page, and the fixtures `browser` (one headless
Chromium per module) and `page` (a fresh page per test, its console errors and uncaught
exceptions in `page.errors`), which each test module imports. (Not a conftest.py: a second
module of that name would shadow tests/conftest.py, which the other tests import from.)"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests" / ".node" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NO_CHROMIUM = "/usr/bin/chromium missing (apt-get install chromium)"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types Pagefind's modules need, quietly."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, *args):
        pass


def serve(folder: Path):
    """(server, its URL) serving `folder` on a free local port; server.shutdown() stops it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations of the page ([] without axe-core)."""
    if not AXE.is_file():
        return []
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


@pytest.fixture(scope="module")
def browser():
    playwright_sync = pytest.importorskip("playwright.sync_api")
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(f"page error: {e}"))
    yield pg
    ctx.close()
