#!/usr/bin/env bash
# Render one page of a PDF to PNG, to look at the layout:
#   scripts/render_page.sh output/pdf/edition.pdf 7 /tmp/page7.png [DPI]
# Needs pdftoppm (Debian package poppler-utils).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 FILE.pdf PAGE OUT.png [DPI]" >&2; exit 2
fi
pdf=$1; page=$2; out=$3; dpi=${4:-100}
command -v pdftoppm >/dev/null 2>&1 || { echo "$0: pdftoppm not found (apt-get install poppler-utils)" >&2; exit 1; }
case "$out" in *.png) stem=${out%.png} ;; *) stem=$out ;; esac
pdftoppm -f "$page" -l "$page" -r "$dpi" -png -singlefile "$pdf" "$stem"
echo "$stem.png"
