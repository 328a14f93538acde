"""Screenshots of the HTML edition's main pages (issue #14), for looking at them: each page at
1366 and 390 px wide, light and dark, and the document page printed (print media), as PNG files
in the folder given. Serves the built site over http on a local port (search needs it) and
drives Debian's Chromium through Playwright. Run by scripts/screenshots.sh."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from browser_support import ARGS, CHROMIUM, serve  # noqa: E402

PAGES = [("home", "index.html"), ("document", "doc/doc-1937-06-14.html"), ("documents", "documents.html"),
         ("chronology", "chronology.html"), ("map", "map.html"), ("persons", "persons.html"),
         ("entity", "entity/stalin.html"), ("search", "search.html?q=air%20squadron")]
WIDTHS = {"desktop": (1366, 900), "mobile": (390, 844)}


def main(site: Path, out: Path) -> int:
    from playwright.sync_api import sync_playwright
    out.mkdir(parents=True, exist_ok=True)
    server, url = serve(site)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for scheme in ("light", "dark"):
                for wname, (w, h) in WIDTHS.items():
                    ctx = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
                    page = ctx.new_page()
                    for name, rel in PAGES:
                        page.goto(url + rel)
                        page.wait_for_load_state("networkidle")
                        if name == "search":
                            page.wait_for_selector("#search-results li", timeout=15000)
                        dest = out / f"{name}-{wname}-{scheme}.png"
                        page.screenshot(path=str(dest), full_page=True)
                        written.append(dest)
                    ctx.close()
            ctx = browser.new_context(viewport={"width": 1000, "height": 1400})
            page = ctx.new_page()
            page.goto(url + "doc/doc-1937-06-14.html")
            page.emulate_media(media="print")
            dest = out / "document-print.png"
            page.screenshot(path=str(dest), full_page=True)
            written.append(dest)
            browser.close()
    finally:
        server.shutdown()
    for d in written:
        print(d)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: screenshots.py SITE_FOLDER OUT_FOLDER", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
