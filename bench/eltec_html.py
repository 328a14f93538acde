"""Benchmark: HTML for twelve ELTeC novels built ad hoc, this checkout against another one.

`edition build html FOLDER --no-search --out DIR` over the same twelve novels (every eighth of
ELTeC-eng level 1, sorted by name), run alternately with this checkout's venv and, given
`--old CHECKOUT`, with that checkout's venv. The figure is the CPU time of the command and all
its processes (user + system, `RUSAGE_CHILDREN` around the subprocess); medians are compared,
because this VM's speed drifts by minutes. `--same` also checks that the two checkouts write
byte-identical output trees (of the build state `.edition-build.json`, whose fingerprints
include the stylesheets', only the list of pages).

Run: .venv/bin/python bench/eltec_html.py [--old ../other-checkout] [--runs N] [--same]
(byte-compile each checkout first: `.venv/bin/python -m compileall -q toolkit`).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ELTEC, REPO, need_shared  # noqa: E402

N_NOVELS = 12


def novels() -> list[Path]:
    """The fixed set: every eighth novel by name, twelve of them."""
    return sorted(ELTEC.glob("*.xml"))[::8][:N_NOVELS]


def cpu_of(cmd: list[str]) -> float:
    """User + system seconds of cmd and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build_cmd(checkout: Path, src: Path, out: Path) -> list[str]:
    return [str(checkout / ".venv" / "bin" / "edition"), "build", "html", str(src), "--no-search",
            "--out", str(out)]


STATE = Path(".edition-build.json")  # the build's fingerprints: they include the stylesheets'


def differing(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on one side, or other bytes); of
    the build state, only which pages it lists (its fingerprints change with any stylesheet)."""
    out: list[str] = []
    names_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    out += [f"only in old: {p}" for p in sorted(names_a - names_b)]
    out += [f"only in new: {p}" for p in sorted(names_b - names_a)]
    out += [f"differs: {p}" for p in sorted(names_a & names_b)
            if p != STATE and not filecmp.cmp(a / p, b / p, shallow=False)]
    if STATE in names_a & names_b:
        pages = [json.loads((t / STATE).read_text(encoding="utf-8")).get("pages", {}).keys() for t in (a, b)]
        if set(pages[0]) != set(pages[1]):
            out.append(f"differs: {STATE} (the pages it lists)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", type=Path, help="another checkout with its own .venv")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--same", action="store_true", help="check the output trees are identical")
    args = ap.parse_args()
    need_shared()
    sides = {"new": REPO}
    if args.old:
        sides = {"old": args.old.resolve(), "new": REPO}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "novels"
        src.mkdir()
        for f in novels():
            shutil.copy(f, src / f.name)
        times: dict[str, list[float]] = {k: [] for k in sides}
        for i in range(args.runs):
            for name, checkout in sides.items():
                out = Path(tmp) / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                times[name].append(cpu_of(build_cmd(checkout, src, out)))
            print(f"run {i + 1}: " + "  ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"{N_NOVELS} ELTeC novels, `build html --no-search`, CPU, median of {args.runs}:")
        for k, checkout in sides.items():
            print(f"  {k:3} {med[k]:.2f} s  ({checkout})")
        if "old" in med:
            print(f"  new/old {med['new'] / med['old'] - 1:+.1%}")
        if args.same and "old" in sides:
            diff = differing(Path(tmp) / "out-old", Path(tmp) / "out-new")
            print("output trees identical" if not diff else "OUTPUT DIFFERS:\n  " + "\n  ".join(diff[:40]))
            if diff:
                sys.exit(1)


if __name__ == "__main__":
    main()
