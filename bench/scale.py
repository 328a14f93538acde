"""Benchmark (issue #18): how the toolkit scales from 1,000 to 100,000 documents.

For each size, an edition made by replicating the bundled documents (_common.replicate_edition)
and these runs of the real `edition` command, as the current toolkit does them:

  validate         `edition validate --format json`, the whole edition
  --staged         `edition validate --staged` with one document edited and staged (median of 3,
                   after a first run that makes the reference store)
  html full        `edition build html --full`
  html no-change   `edition build html` again, nothing changed
  html one edit    `edition build html` after one paragraph of one document changed
  pdf              `edition build pdf --full` (the volume and per-document PDFs)

For each: wall time, CPU time of all processes (user + system), peak memory of all processes
together (the sum of their PSS, sampled every 0.1 s from /proc, or psutil when installed),
output size, largest output file and the CPU cost per document. Sampling can miss a peak
shorter than the interval; the largest single process's peak RSS (getrusage) is shown too.

Default: 1,000 and 10,000 documents, PDF at 1,000 only (typesetting 10,000 per-document PDFs
takes far longer than the rest together). Bigger sizes: --sizes 1000 10000 100000 --pdf-max N.
A size is skipped when the disk has not room for it (estimated from the sources' size) and the
run says so. Each command stops after --timeout seconds (reported as a timeout).
Run: .venv/bin/python bench/scale.py [--sizes N ...] [--only validate staged html pdf]
     [--pdf-max N] [--timeout S] [--workdir DIR] [--markdown]
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import replicate_edition  # noqa: E402

BIN = Path(sys.executable).parent
EDITION = [str(BIN / "edition")] if (BIN / "edition").exists() else [sys.executable, "-m", "toolkit.cli"]
GIT = ["git", "-c", "user.email=bench@example.org", "-c", "user.name=bench"]
# Room needed per byte of sources: the sources, git's objects, the HTML site with its search
# index and the PDFs (measured at 1,000 documents: about 25x), with a margin.
DISK_FACTOR = 40
DISK_RESERVE = 5 * 2**30


# ------------------------------------------------------------------------------ measuring

def _children(pid: int) -> list[int]:
    """The process and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    """A process's proportional set size (shared pages split between their users), else RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_kb(pid: int) -> int:
    try:
        import psutil
    except ImportError:
        return sum(_pss_kb(p) for p in _children(pid))
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            full = p.memory_full_info()
            total += getattr(full, "pss", full.rss)
        except psutil.Error:
            continue
    return total // 1024


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: int           # all processes together, sampled
    single_mb: int         # the largest single process (getrusage), 0 when not above earlier runs'
    code: int | str        # exit status, or "timeout"
    stdout: str
    stderr: str


def run(cmd: list[str], cwd: Path, timeout: float) -> Run:
    """One command: wall and CPU time, peak memory of its whole process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | str = proc.returncode
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        out, err = proc.communicate()
        code = "timeout"
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # getrusage keeps the largest child ever: a figure only when this run raised it
    single = after.ru_maxrss // 1024 if after.ru_maxrss > before.ru_maxrss else 0
    return Run(wall, cpu, peak[0] // 1024, single, code, out, err)


def _kill_tree(proc: subprocess.Popen):
    for p in reversed(_children(proc.pid)):
        try:
            os.kill(p, 9)
        except OSError:
            pass


def folder_size(path: Path, suffix: str | None = None) -> tuple[int, int, str]:
    """Total bytes below a folder, and the largest file (bytes, name) of that suffix."""
    total, big, name = 0, 0, ""
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                size = os.stat(os.path.join(dirpath, f)).st_size
            except OSError:
                continue
            total += size
            if (suffix is None or f.endswith(suffix)) and size > big:
                big, name = size, os.path.relpath(os.path.join(dirpath, f), path)
    return total, big, name


# ------------------------------------------------------------------------------ the cases

@dataclass
class Row:
    size: int
    case: str
    run: Run
    output: int = 0
    largest: int = 0
    largest_name: str = ""
    note: str = ""

    def per_doc(self) -> str:
        """CPU per document, for the runs that do every document (not --staged or a rebuild)."""
        whole = self.case in ("validate", "html full", "pdf")
        return f"{1000 * self.run.cpu / self.size:.2f}" if whole else "—"

    def text(self) -> str:
        r = self.run
        status = "ok" if r.code in (0, 1) else f"exit {r.code}"
        if r.code in (0, 1):
            tail = self.note
        else:
            tail = (r.stderr.strip().splitlines() or ["?"])[-1][:160]
        return (f"{self.size:>7,} {self.case:<16}{r.wall:8.2f} s  cpu {r.cpu:8.2f} s  "
                f"peak {r.peak_mb:6,} MB (1 proc {r.single_mb or '-':>5})  out {_mb(self.output):>9}  "
                f"largest {_mb(self.largest):>9} {self.largest_name[:40]:<40} "
                f"{self.per_doc():>7} ms/doc  {status} {tail}")

    def markdown(self) -> str:
        r = self.run
        status = "" if r.code in (0, 1) else f" ({r.code})"
        return (f"| {self.size:,} | {self.case} | {r.wall:.2f}{status} | {r.cpu:.2f} | {r.peak_mb:,} | "
                f"{_mb(self.output)} | {_mb(self.largest)} {self.largest_name} | {self.per_doc()} |")


def _mb(n: int) -> str:
    return f"{n / 2**20:.2f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"


def _edit_target(ed: Path) -> Path:
    """A replica of a document with paragraphs (the last written, so never an original)."""
    docs = sorted((ed / "tei").glob("doc-*.xml"), key=lambda p: p.stat().st_mtime_ns)
    for d in reversed(docs):
        if "<p>" in d.read_text(encoding="utf-8"):
            return d
    raise SystemExit("no document with a paragraph to edit")


def _edit(doc: Path, n: int):
    text = doc.read_text(encoding="utf-8")
    doc.write_text(re.sub(r"<p>(Edited \d+\. )?", f"<p>Edited {n}. ", text, count=1), encoding="utf-8")


def case_validate(ed: Path, size: int, timeout: float) -> Row:
    r = run(EDITION + ["validate", "--format", "json"], ed, timeout)
    errors = len(re.findall(r'"severity":\s*"error"', r.stdout))
    return Row(size, "validate", r, output=len(r.stdout.encode()), note=f"{errors} errors")


def case_staged(ed: Path, size: int, timeout: float) -> Row:
    subprocess.run(["git", "init", "-q"], cwd=ed, check=True)
    (ed / ".gitignore").write_text("output/\n")
    subprocess.run(["git", "add", "-A"], cwd=ed, check=True)
    subprocess.run(GIT + ["commit", "-qm", "edition"], cwd=ed, check=True)
    doc = _edit_target(ed)
    runs = []
    for i in range(4):  # the first makes the reference store (once per repository): not counted
        _edit(doc, 1000 + i)
        subprocess.run(["git", "add", str(doc)], cwd=ed, check=True)
        runs.append(run(EDITION + ["validate", "--staged"], ed, timeout))
    first, runs = runs[0], runs[1:]
    walls = [x.wall for x in runs]
    med = sorted(runs, key=lambda x: x.cpu)[1]
    subprocess.run(GIT + ["commit", "-qm", "edit"], cwd=ed, check=True)
    last = (med.stdout.strip().splitlines() or [""])[-1][:80]
    return Row(size, "--staged", med, output=len(med.stdout.encode()),
               note=f"median CPU of 3 ({min(walls):.2f}-{max(walls):.2f} s wall; the first run, "
                    f"which made the reference store: {first.cpu:.1f} s CPU): {last}")


def case_html(ed: Path, size: int, timeout: float) -> list[Row]:
    out = ed / "output" / "html"
    rows = []
    r = run(EDITION + ["build", "html", "--full"], ed, timeout)
    total, big, name = folder_size(out, ".html")
    rows.append(Row(size, "html full", r, total, big, name, f"{_pages(out):,} pages; {_largest_asset(out)}"))
    if r.code != 0:
        return rows
    r = run(EDITION + ["build", "html"], ed, timeout)
    rows.append(Row(size, "html no-change", r, *folder_size(out, ".html")))
    _edit(_edit_target(ed), 1)
    r = run(EDITION + ["build", "html"], ed, timeout)
    rows.append(Row(size, "html one edit", r, *folder_size(out, ".html")))
    return rows


def _largest_asset(out: Path) -> str:
    """The largest file of the site's assets/ (what pages load: CSS, scripts, the listing's
    filter data): #18 wants none over 200 KB. The largest page is the row's largest file."""
    sizes = [(p.stat().st_size, p.name) for p in (out / "assets").glob("*") if p.is_file()]
    if not sizes:
        return "no assets"
    size, name = max(sizes)
    return f"largest asset {size / 1024:,.0f} KB ({name}), {len(sizes)} assets"


def _pages(out: Path) -> int:
    return sum(1 for p in out.rglob("*.html") if "pagefind" not in p.parts)


def case_pdf(ed: Path, size: int, timeout: float) -> Row:
    out = ed / "output" / "pdf"
    r = run(EDITION + ["build", "pdf", "--full"], ed, timeout)
    total, big, name = folder_size(out, ".pdf")
    n = len(list(out.glob("**/*.pdf"))) if out.is_dir() else 0
    return Row(size, "pdf", r, total, big, name, f"{n:,} PDFs")


# ------------------------------------------------------------------------------ the run

def room_for(size: int, work: Path) -> tuple[bool, str]:
    """Whether the disk holds an edition of this size and its outputs."""
    from _common import REPO
    per_doc = statistics.mean(p.stat().st_size for p in (REPO / "tei").glob("doc-*.xml"))
    need = int(per_doc * size * DISK_FACTOR)
    free = shutil.disk_usage(work).free
    ok = free - need > DISK_RESERVE
    return ok, f"needs about {need / 2**30:.1f} GB, {free / 2**30:.1f} GB free (keeping {DISK_RESERVE // 2**30} GB)"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def run_size(ed: Path, size: int, args) -> list[Row]:
    rows = []
    cases = [("validate", lambda: [case_validate(ed, size, args.timeout)]),
             ("staged", lambda: [case_staged(ed, size, args.timeout)]),
             ("html", lambda: case_html(ed, size, args.timeout)),
             ("pdf", lambda: [case_pdf(ed, size, args.timeout)])]
    for name, case in cases:
        if name not in args.only:
            continue
        if name == "pdf" and size > args.pdf_max:
            print(f"{size:>7,} pdf skipped (above --pdf-max {args.pdf_max:,})", flush=True)
            continue
        for r in case():
            rows.append(r)
            print(r.text(), flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--only", nargs="+", choices=["validate", "staged", "html", "pdf"],
                    default=["validate", "staged", "html", "pdf"])
    ap.add_argument("--pdf-max", type=int, default=1000, help="largest size that gets the PDF run")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds each command may take")
    ap.add_argument("--workdir", type=Path, default=None, help="where to make the editions (default: a temp dir)")
    ap.add_argument("--markdown", action="store_true", help="also print the rows as a Markdown table")
    args = ap.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {load()}", flush=True)
        for size in args.sizes:
            ok, why = room_for(size, work)
            if not ok:
                print(f"{size:>7,} skipped: not enough disk ({why})", flush=True)
                continue
            t = time.perf_counter()
            ed = replicate_edition(work / f"ed-{size}", size)
            print(f"{size:>7,} edition made in {time.perf_counter() - t:.1f} s ({why}); {load()}", flush=True)
            rows += run_size(ed, size, args)
            shutil.rmtree(ed, ignore_errors=True)
        print(f"# done, {load()}")
    if args.markdown:
        print("\n| documents | run | wall s | CPU s | peak MB (all processes) | output | largest file | CPU ms/doc |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(r.markdown())


if __name__ == "__main__":
    main()
