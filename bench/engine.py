"""Benchmark: the engines of `edition build html` on one machine (issue #18 item 5) — the local
process pool (the default) beside a Dask cluster of two worker processes started by the build
(`--engine dask --workers 2`: the cluster's start and stop included), and beside two shards
built one after the other and merged (`--shard 1/2`, `--shard 2/2`, `--merge`).

The edition: the bundled one replicated to N documents (bench/_common.replicate_edition); every
build is `--full --no-search` into a fresh folder. Wall time of the command, and CPU time (user +
system) of it and all its processes (the workers included, RUSAGE_CHILDREN of a fresh parent).
On one machine Dask can only add work (a scheduler, serialising each document and its context,
sending the pages back): it is for clusters of several machines. The shards' sum is what a CI
matrix spends in all; its wall time is that of the longest shard plus the merge.

Run: .venv/bin/python bench/engine.py [--docs N] [--repeat R]   (the best of R runs reported)
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, replicate_edition  # noqa: E402

# the command in a fresh parent: its wall time, and the CPU of the command and its descendants
_MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); w = time.perf_counter() - t; "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); sys.stderr.write(r.stderr); "
            "print('%.3f %.3f' % (w, u.ru_utime + u.ru_stime)); sys.exit(r.returncode)")


def measure(args: list[str], cwd: Path) -> tuple[float, float]:
    r = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "toolkit.cli", *args],
                       cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"edition {' '.join(args)} failed:\n{r.stderr}")
    wall, cpu = (float(x) for x in r.stdout.split())
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    try:
        import distributed  # noqa: F401
    except ImportError:
        sys.exit("needs the Dask extra: pip install -e '.[dask]'")
    work = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    try:
        ed = replicate_edition(work / "ed", a.docs)
        runs: dict[str, list[tuple[float, float]]] = {"local": [], "dask": [], "shards": []}
        for _ in range(a.repeat):  # alternating, so that a busy moment does not favour one
            base = ["build", "html", "--full", "--no-search"]
            runs["local"].append(measure([*base, "--out", str(work / "local")], ed))
            runs["dask"].append(measure([*base, "--out", str(work / "dask"), "--engine", "dask",
                                         "--workers", "2"], ed))
            s1 = measure([*base, "--shard", "1/2", "--out", str(work / "s1")], ed)
            s2 = measure([*base, "--shard", "2/2", "--out", str(work / "s2")], ed)
            m = measure([*base, "--merge", str(work / "s1"), "--merge", str(work / "s2"),
                         "--out", str(work / "merged")], ed)
            runs["shards"].append((max(s1[0], s2[0]) + m[0], s1[1] + s2[1] + m[1]))
            print(f"  shard 1/2 {s1[0]:.2f} s, shard 2/2 {s2[0]:.2f} s, merge {m[0]:.2f} s (wall)")
        print(f"{a.docs} documents, `build html --full --no-search`, best of {a.repeat}:")
        print("| engine | wall | CPU (all processes) |\n|---|---|---|")
        names = {"local": "local pool (default)", "dask": "Dask, 2 workers on this machine",
                 "shards": "2 shards + merge (wall: longest shard + merge)"}
        for k, v in runs.items():
            wall, cpu = min(v)
            print(f"| {names[k]} | {wall:.2f} s | {cpu:.2f} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()


__all__ = ["REPO"]
