"""Benchmark: the PDF edition (XSLT → Typst → PDF), time and peak memory.

(a) the bundled edition: `edition build pdf` (volume + 11 per-document PDFs), whole command;
(b) a ~300-page volume made by replicating the bundled documents: the volume alone (XSLT for
    every document and the check of its characters + one Typst compile), measured in a fresh
    process; then the whole command
    (volume + every per-document PDF);
(c) optionally (--eltec) all 93 ELTeC novels ad hoc: per-document PDFs (the volume would be far
    over the page limit and is skipped by design).
Targets: (b) volume under 5 s, peak memory under 1 GB.
Run: .venv/bin/python bench/pdf.py [--eltec]
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ELTEC, REPO, need_shared, replicate_edition, timed  # noqa: E402

BIN = Path(sys.executable).parent
EDITION = [sys.executable, "-m", "toolkit.cli"]


def volume_only(edition_dir: str) -> dict:
    """In this (fresh) process: build only the volume and report the phases."""
    sys.path.insert(0, str(REPO))
    from pypdf import PdfReader
    from toolkit.outputs import pdf
    from toolkit.config import load_config
    from toolkit.model import Edition

    t0 = time.perf_counter()
    ed = Edition.load(load_config(Path(edition_dir) / "edition.toml"))
    _ = ed.documents, ed.mentions
    t1 = time.perf_counter()
    job = pdf.PdfBuild(ed)
    volume, frags = job.prepare()   # XSLT, the characters' check, the Typst compiler made
    t2 = time.perf_counter()
    data = job.typeset_volume(volume, frags)
    t3 = time.perf_counter()
    out = Path(edition_dir) / "volume.pdf"
    out.write_bytes(data)
    return {"documents": len(frags), "pages": len(PdfReader(str(out)).pages),
            "load": t1 - t0, "xslt": t2 - t1, "typst": t3 - t2, "total": t3 - t0,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--volume-only":
        print(json.dumps(volume_only(sys.argv[2])))
        return
    eltec = "--eltec" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        wall, mem, res = timed(EDITION + ["build", "pdf", "--out", str(Path(tmp) / "bundled")], cwd=REPO)
        print(f"(a) bundled edition, volume + 11 documents: {wall:.2f} s wall, peak {mem} MB "
              f"(exit {res.returncode})")

        # (b) grow until the volume has at least 300 pages
        n = 220
        while True:
            ed = replicate_edition(Path(tmp) / "big", n)
            r = subprocess.run([sys.executable, __file__, "--volume-only", str(ed)],
                               capture_output=True, text=True, cwd=REPO)
            if r.returncode != 0:
                sys.exit(r.stderr[-2000:])
            stats = json.loads(r.stdout.strip().splitlines()[-1])
            if stats["pages"] >= 300 or n > 2000:
                break
            n = int(n * 300 / max(stats["pages"], 1)) + 5
        ok = "OK" if stats["typst"] + stats["xslt"] < 5 and stats["peak_mb"] < 1024 else "OVER TARGET"
        print(f"(b) volume of {stats['pages']} pages ({stats['documents']} documents): "
              f"{stats['total']:.2f} s [load {stats['load']:.2f}, XSLT+chars {stats['xslt']:.2f}, "
              f"Typst {stats['typst']:.2f}], peak {stats['peak_mb']} MB — target < 5 s, < 1 GB: {ok}")
        wall, mem, res = timed(EDITION + ["build", "pdf", "--out", str(Path(tmp) / "big-out")], cwd=ed)
        print(f"    whole command (volume + {stats['documents']} per-document PDFs): {wall:.2f} s wall, "
              f"peak {mem} MB (exit {res.returncode})")

        if eltec:
            need_shared()
            novels = sorted(str(p) for p in ELTEC.glob("*.xml"))
            wall, mem, res = timed(EDITION + ["build", "pdf", *novels, "--out", str(Path(tmp) / "eltec")],
                                   cwd=Path(tmp))
            print(f"(c) ELTeC, {len(novels)} novels, per-document PDFs: {wall:.1f} s wall, peak {mem} MB "
                  f"(exit {res.returncode}) {res.stdout.strip().splitlines()[0] if res.stdout.strip() else res.stderr[-300:]}")


if __name__ == "__main__":
    main()
