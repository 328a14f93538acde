#!/usr/bin/env bash
# System packages the test suite needs beyond pip: Debian's Chromium (browser tests through
# Playwright), poppler-utils (pdftoppm/pdftotext for looking at PDFs), a JRE for the Nu HTML
# checker and jing, the npm packages vnu-jar and axe-core (installed under tests/.node), and the
# map's outline data (npm world-atlas, under xslt/html/map).
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
# the fonts of the PDF's house style, in the folders [pdf] font_dirs names by default: CJK,
# Latin, the other scripts (Indic, Hebrew, Arabic, Syriac …: 12 MB) and Han outside the BMP
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
[ -d /usr/share/fonts/truetype/hanazono ] || need+=(fonts-hanazono)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install-system-deps: need root to install: ${need[*]}" >&2; exit 1
    fi
  fi
  echo "install-system-deps: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -f tests/.node/node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f tests/.node/node_modules/axe-core/axe.min.js ]; then
  mkdir -p tests/.node
  (cd tests/.node && [ -f package.json ] || echo '{"private": true}' > package.json
   npm install --silent --no-audit --no-fund vnu-jar axe-core >/dev/null)
fi
# The map's outline (#14): Natural Earth's coastlines and borders (public domain) as the npm
# package world-atlas (ISC) ships them, pinned in xslt/html/map/package.json; the HTML build
# reads them from xslt/html/map/node_modules (never from the network).
if [ ! -f xslt/html/map/node_modules/world-atlas/countries-50m.json ]; then
  (cd xslt/html/map && npm install --silent --no-audit --no-fund >/dev/null)
fi
echo "install-system-deps: ok"
