#!/usr/bin/env bash
# Render chosen pages of a PDF to PNG, to look at the layout (before/after a change of the house
# style, docs/pdf.md "Looking at pages"):
#   scripts/render-pages.sh output/pdf/edition.pdf OUTDIR 1 3 5-7 [-r DPI] [-s]
# writes OUTDIR/<stem>-p<N>.png per page (80 dpi unless -r is given) and prints their paths;
# -s: small files, grey without anti-aliasing (a fifth of the size: the renders in docs/pdf/).
# Needs pdftoppm (Debian package poppler-utils).
set -euo pipefail
usage() { echo "usage: $0 FILE.pdf OUTDIR PAGE|FIRST-LAST… [-r DPI] [-s]" >&2; exit 2; }
[ $# -ge 3 ] || usage
pdf=$1; outdir=$2; shift 2
dpi=80
small=()
pages=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) [ $# -ge 2 ] || usage; dpi=$2; shift 2 ;;
    -s) small=(-gray -aa no -aaVector no); shift ;;
    *[!0-9-]*|-*|*-*-*) echo "$0: not a page or range: $1" >&2; exit 2 ;;
    *) pages+=("$1"); shift ;;
  esac
done
[ ${#pages[@]} -gt 0 ] || usage
[ -f "$pdf" ] || { echo "$0: no such file: $pdf" >&2; exit 1; }
command -v pdftoppm >/dev/null 2>&1 || { echo "$0: pdftoppm not found (apt-get install poppler-utils)" >&2; exit 1; }
mkdir -p "$outdir"
stem=$(basename "$pdf" .pdf)
for spec in "${pages[@]}"; do
  first=${spec%-*}; last=${spec#*-}
  for ((n = first; n <= last; n++)); do
    pdftoppm ${small[@]+"${small[@]}"} -f "$n" -l "$n" -r "$dpi" -png -singlefile "$pdf" "$outdir/$stem-p$n" 2>/dev/null \
      || { echo "$0: cannot render page $n of $pdf" >&2; exit 1; }
    echo "$outdir/$stem-p$n.png"
  done
done
