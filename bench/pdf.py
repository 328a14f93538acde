"""Benchmark: the PDF edition (XSLT → Typst → PDF), CPU time and peak memory, beside a previous
version of the toolkit.

Cases, each a whole `edition build pdf` in a fresh process:
(a) the bundled edition (volume + 11 per-document PDFs);
(b) a volume of about 300 pages: the bundled documents replicated to 550 (305 pages in one
    volume), [pdf] max_volume_pages raised so that older versions build the volume too (their
    estimate put it at 2,758 pages and skipped it);
(c) the largest ELTeC novel (ENG18880_Ward.xml, 1.8 MB, 408 pages), ad hoc: its PDF and a
    volume of it.
With --old PATH (a second checkout, e.g. `git worktree add --detach /tmp/pdfscale-old main`),
each case runs for both versions, alternating, --runs times; medians are printed. Memory is
the peak for all processes together (bench/_common.measured); compare CPU time, not wall
time, on a loaded machine. Target (#15.14): (b) at most 512 MB.
--eltec adds all 93 ELTeC novels (this version only).
Run: .venv/bin/python bench/pdf.py [--old PATH] [--runs N] [--eltec] [--cases abc]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ELTEC, REPO, measured, need_shared, replicate_edition  # noqa: E402

LARGEST_NOVEL = "ENG18880_Ward.xml"


def pages(out: Path) -> str:
    """The volume's pages (per part when it is in parts) and the number of PDFs."""
    from pypdf import PdfReader
    vols = sorted(out.glob("edition*.pdf"))
    counts = [len(PdfReader(str(v)).pages) for v in vols]
    others = len(list(out.glob("*.pdf"))) - len(vols)
    vol = "no volume" if not counts else ("+".join(map(str, counts)) + " pages")
    return f"{vol}, {others} other PDFs"


def run(checkout: Path, args: list[str], cwd: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    r = measured([sys.executable, "-m", "toolkit.cli", "build", "pdf", *args, "--out", str(out)], cwd=cwd, env=env)
    if r["returncode"] != 0:
        sys.exit(f"{checkout}: exit {r['returncode']}\n{r['stderr'][-2000:]}")
    r["pages"] = pages(out)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, help="a checkout of the previous version")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--eltec", action="store_true")
    ap.add_argument("--cases", default="abc", help="which of the cases (a), (b), (c) to run")
    opts = ap.parse_args()
    need_shared()
    versions = [("new", REPO)] + ([("old", opts.old.resolve())] if opts.old else [])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big = replicate_edition(tmp / "big", 550)
        with open(big / "edition.toml", "a", encoding="utf-8") as f:
            f.write("\n[pdf]\nmax_volume_pages = 100000\n")
        novel = ELTEC / LARGEST_NOVEL
        (tmp / "novel").mkdir()
        cases = [("(a) bundled edition", [], REPO),
                 ("(b) 300-page volume, 550 documents", [], big),
                 (f"(c) largest ELTeC novel, {LARGEST_NOVEL}", [str(novel)], tmp / "novel")]
        print(f"{'case':<44} {'version':<8} {'CPU s':>7} {'wall s':>7} {'peak MB':>8}  output")
        for label, args, cwd in [c for c in cases if c[0][1] in opts.cases]:
            results: dict[str, list[dict]] = {name: [] for name, _ in versions}
            for i in range(opts.runs):
                for name, checkout in (versions if i % 2 == 0 else versions[::-1]):
                    # a fresh folder each run: replacing a previous output starts `rm` (not measured)
                    results[name].append(run(checkout, args, cwd, tmp / f"out-{name}-{i}"))
            for name, _ in versions:
                rs = results[name]
                cpu = statistics.median(r["cpu"] for r in rs)
                wall = statistics.median(r["wall"] for r in rs)
                peak = statistics.median(r["peak_mb"] for r in rs)
                each = "/".join(str(r["peak_mb"]) for r in rs)
                print(f"{label:<44} {name:<8} {cpu:7.2f} {wall:7.2f} {peak:8.0f}  {rs[-1]['pages']} "
                      f"(peaks {each} MB)", flush=True)
        if opts.eltec:
            novels = sorted(str(p) for p in ELTEC.glob("*.xml"))
            r = measured([sys.executable, "-m", "toolkit.cli", "build", "pdf", *novels, "--out",
                          str(tmp / "eltec")], cwd=tmp / "novel")
            first = (r["stdout"].strip().splitlines() or [r["stderr"][-300:]])[0]
            print(f"(d) ELTeC, {len(novels)} novels: CPU {r['cpu']:.1f} s, wall {r['wall']:.1f} s, peak "
                  f"{r['peak_mb']} MB (exit {r['returncode']}) {first}")


if __name__ == "__main__":
    main()
