"""Benchmark: `edition import` on transcriptions with many bracketed remarks (issue #10).

The invented page tests/fixtures/import/ili-minutes.txt gets N remarks in one of four shapes:
  paragraph    N × "word [illegible]" on one line of one item
  lines        N lines "word [illegible]" in one paragraph (one block of N lines)
  paragraphs   N paragraphs "word [illegible]"
  alternatives N × "Kashgar [Kashi]" on one line (name + alternative name)
for N = 10,000, 50,000 and as many as fit under the input cap (2 MB). Each case runs the real
command (`edition import FILE -o OUT --force`, in a copy of the edition) once, wall time and
peak memory shown; a case still running after --timeout seconds is stopped and shown as "> T s".
Import time grows linearly: 5× the remarks should take about 5× the time.
Run: .venv/bin/python bench/import_scale.py [--shapes …] [--sizes 10000 50000 cap] [--validate]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "import" / "ili-minutes.txt"
EDITION = [str(Path(sys.executable).parent / "edition")]
CAP = 2 * 1024 * 1024
SHAPES = {
    "paragraph": ("word [illegible]", " "),
    "lines": ("word [illegible]", "\n"),
    "paragraphs": ("word [illegible]", "\n\n"),
    "alternatives": ("Kashgar [Kashi]", " "),
}


def page(shape: str, n: int | str) -> str:
    """The fixture with n remarks of `shape` as the first item of point 113 ("cap": as many as fit)."""
    unit, sep = SHAPES[shape]
    base = FIXTURE.read_text(encoding="utf-8")
    if n == "cap":
        n = (CAP - len(base.encode()) - 64) // len((unit + sep).encode())
    remarks = sep.join([unit] * n)
    return base.replace("1. Permit the NKVT", f"1. {remarks}\n\nPermit the NKVT"), n


def run(cmd: list[str], cwd: Path, timeout: float) -> tuple[float | None, int, int | None]:
    """Wall time (None when stopped), peak RSS of this child in MB, exit code."""
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)   # this child's own peak memory
        wall = time.perf_counter() - t
        stopped = not timer.is_alive()
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        if b"Traceback" in err.read():
            sys.exit(f"traceback from {' '.join(cmd)}")
    return (None if stopped else wall), usage.ru_maxrss // 1024, (None if stopped else proc.returncode)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shapes", nargs="+", choices=list(SHAPES), default=list(SHAPES))
    ap.add_argument("--sizes", nargs="+", default=["10000", "50000", "cap"],
                    help="numbers of remarks, or 'cap' (as many as fit under 2 MB)")
    ap.add_argument("--validate", action="store_true",
                    help="also validate the draft, written into the edition's tei/ (the command's "
                         "default); off: --no-validate, written outside")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a case is stopped")
    args = ap.parse_args()
    print(f"{'shape':<13} {'remarks':>8} {'input':>9} {'wall':>10} {'per 10k':>9} {'peak':>8}  exit")
    with tempfile.TemporaryDirectory() as tmp:
        ed = Path(tmp) / "edition"
        ed.mkdir()
        for part in ("tei", "schema"):
            shutil.copytree(REPO / part, ed / part)
        shutil.copy(REPO / "edition.toml", ed / "edition.toml")
        for shape in args.shapes:
            for size in args.sizes:
                text, n = page(shape, size if size == "cap" else int(size))
                src = Path(tmp) / f"{shape}-{size}.txt"
                src.write_text(text, encoding="utf-8")
                # a draft is validated only in the edition's document folder
                out = ed / "tei" / "doc-1945-08-02.xml" if args.validate else Path(tmp) / "out.xml"
                cmd = EDITION + ["import", str(src), "-o", str(out), "--force"]
                if not args.validate:
                    cmd.append("--no-validate")
                wall, peak, code = run(cmd, ed, args.timeout)
                shown = f"{wall:8.2f} s" if wall is not None else f"> {args.timeout:.0f} s"
                per = f"{wall / n * 10000:7.2f} s" if wall is not None else ""
                print(f"{shape:<13} {n:>8} {len(text.encode()) / 1048576:7.2f}MB {shown:>10} {per:>9} "
                      f"{peak:>5} MB  {code if code is not None else 'stopped'}", flush=True)


if __name__ == "__main__":
    main()
