"""Shared helpers for the benchmarks: paths, timing, peak memory, the replicated edition."""
from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ELTEC = SHARED / "corpora" / "eltec" / "ELTeC-eng" / "level1"


def need_shared():
    if not SHARED.is_dir():
        sys.exit(f"benchmark needs ../shared beside the repository ({SHARED} is absent)")


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time, peak RSS of the child (MB) and the completed process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) // 1024, res


def _tree_rss_kb(pid: int) -> int:
    """The memory (kB) of a process and all its descendants, from /proc: the sum of their
    proportional set sizes (PSS), so that a child just forked (which shares its parent's pages
    until it runs another program) does not count the parent twice."""
    total, todo = 0, [(pid, None, None)]
    while todo:
        p, parent_mm, parent_exe = todo.pop()
        try:
            mm = _mm_sizes(p)
            exe = os.readlink(f"/proc/{p}/exe")
            # a child made by vfork (subprocess does so) runs in its parent's memory until it
            # runs its program: the same memory, not counted again (nor a forked child that has
            # not run another program yet: the builds measured here have no worker pools)
            if mm != parent_mm and exe != parent_exe:
                with open(f"/proc/{p}/smaps_rollup") as f:
                    total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend((int(c), mm, exe) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def _mm_sizes(pid: int) -> tuple[str, str]:
    """A process's virtual size and resident pages (/proc/PID/stat): equal for two processes
    sharing one memory."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return fields[20], fields[21]


def measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run a command: wall and CPU time (user + system of it and its children), and its peak
    memory for all processes together: the largest sum of the tree's proportional set sizes,
    sampled every 20 ms, and never below the largest single process (getrusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = max(peak, after.ru_maxrss if after.ru_maxrss > before.ru_maxrss else 0)
    return {"wall": wall, "cpu": cpu, "peak_mb": peak // 1024, "returncode": proc.returncode,
            "stdout": out, "stderr": err}


def _replica_id(i: int) -> str:
    """The i-th replica's document id. The schema wants doc-YYYY-MM-DD with a four-digit year:
    years 1000-9999 first, then the month and day move on, so ids stay valid and unique past
    9,000 replicas (3 million of them). One that meets a real document's id is skipped."""
    year = 1000 + i % 9000
    rest = i // 9000
    return f"doc-{year:04d}-{1 + rest % 12:02d}-{1 + (rest // 12) % 28:02d}"


def replicate_edition(dest: Path, n_docs: int = 1000) -> Path:
    """A copy of the bundled edition grown to n_docs documents by replicating the documents
    with fresh xml:ids and file names (authority files and schemas shared)."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "tei").mkdir(parents=True)
    shutil.copytree(REPO / "schema", dest / "schema")
    shutil.copy(REPO / "edition.toml", dest / "edition.toml")
    for name in ("persons.xml", "places.xml", "orgs.xml", "edition.xml"):
        shutil.copy(REPO / "tei" / name, dest / "tei" / name)
    docs = sorted((REPO / "tei").glob("doc-*.xml"))
    for d in docs:  # the originals stay (authority notes link to them); replicas fill up the rest
        shutil.copy(d, dest / "tei" / d.name)
    i = made = len(docs)
    while made < n_docs:
        for d in docs:
            if made >= n_docs:
                break
            text = d.read_text(encoding="utf-8")
            old_id = d.stem
            new_id = _replica_id(i)
            if (dest / "tei" / f"{new_id}.xml").exists():
                i += 1
                continue
            # every xml:id in the document gets the same suffix, so ids stay unique edition-wide
            text = text.replace(f'xml:id="{old_id}"', f'xml:id="{new_id}"')
            text = re.sub(r'xml:id="((?!doc-)[^"]+)"', lambda m, i=i: f'xml:id="{m.group(1)}-r{i:04d}"', text)
            text = re.sub(r'(hand|target|corresp)="#([^"]+)"', lambda m, i=i: f'{m.group(1)}="#{m.group(2)}-r{i:04d}"', text)
            (dest / "tei" / f"{new_id}.xml").write_text(text, encoding="utf-8")
            i += 1
            made += 1
    return dest


def row(label: str, ours: float, peer: float | None, peer_name: str, extra: str = "") -> str:
    ratio = f"{peer / ours:5.1f}× faster" if peer and ours else ""
    peer_s = f"{peer:8.2f} s" if peer is not None else "       n/a"
    return f"{label:<44} {ours:8.2f} s   {peer_name} {peer_s}   {ratio} {extra}"
