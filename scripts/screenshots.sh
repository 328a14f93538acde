#!/usr/bin/env bash
# Screenshots of the HTML edition's main pages (home, a document, the listing, chronology, map,
# an index, an entity page, search results) at 1366 and 390 px, light and dark, and a document
# printed, as PNG files in the folder given:
#   scripts/screenshots.sh OUT_FOLDER [SITE_FOLDER]
# SITE_FOLDER defaults to output/html, built first with `edition build html` when missing.
# Needs Playwright (pip install -e '.[test]') and Debian's Chromium (scripts/install-system-deps.sh).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUT_FOLDER [SITE_FOLDER]" >&2; exit 2
fi
out=$(realpath -m "$1")
site=$(realpath -m "${2:-$(dirname "$0")/../output/html}")
cd "$(dirname "$0")/.."
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
if [ ! -f "$site/index.html" ]; then
  "$PY" -m toolkit build html
fi
exec "$PY" scripts/screenshots.py "$site" "$out"
