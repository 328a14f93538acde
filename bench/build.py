"""Benchmark: `edition build html` — full build, no-change rebuild and one-edit rebuild — beside
Saxon-HE on Java (Debian's libsaxonhe-java) running the same document stylesheet over the same
documents in one JVM.

(a) the 93 ELTeC novels (ad hoc build: `edition build html FOLDER --out DIR`);
(b) a 1,000-document edition made by replicating the bundled documents with fresh ids.

Our times are wall-clock times of the real command (process start, loading and parsing the
edition, transforms on all cores, site pages, the Pagefind index, atomic publication). The
peer's time is one `java net.sf.saxon.Transform -s:DIR -o:DIR` run (document pages only: no
site pages, no search index), given the same $edition-context. Peak memory is the largest
resident set of any process of the run (ours: the main process or a worker).
Targets: full build at least 3× faster than the peer; one-edit rebuild under 0.5 s.
Run: .venv/bin/python bench/build.py
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ELTEC, REPO, need_shared, replicate_edition  # noqa: E402

import subprocess  # noqa: E402
import time  # noqa: E402

# A fresh parent per run, so the peak resident set reported is this run's own (the largest
# process of its tree: our main process or a worker, or the JVM).
_PEAK = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
         "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); "
         "sys.stderr.write('\\nPEAK %d\\n' % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)); "
         "sys.exit(r.returncode)")


def timed(cmd: list[str], cwd: Path | None = None):
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _PEAK, *cmd], cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = int(res.stderr.rsplit("PEAK ", 1)[-1].split()[0]) if "PEAK " in res.stderr else 0
    return wall, peak, res

BIN = Path(sys.executable).parent
EDITION = [str(BIN / "edition")] if (BIN / "edition").exists() else [sys.executable, "-m", "toolkit.cli"]
SAXON_JARS = [Path("/usr/share/java/Saxon-HE.jar"), *sorted(Path("/usr/share/java").glob("Saxon-HE-*.jar"))]


def context_file(config_path: Path | None, paths: list[Path], dest: Path) -> Path:
    """The $edition-context our build passes to document.xsl, written out for the peer."""
    sys.path.insert(0, str(REPO))
    from toolkit.build.html import HtmlBuild
    from toolkit.build.runner import load_for_build
    from toolkit.config import Config, load_config
    cfg = load_config(config_path) if config_path else Config(root=Path.cwd())
    ed = load_for_build(cfg, paths, [])
    b = HtmlBuild(ed, dest.parent / "unused", False, False)
    b.assign_pages()
    b.context().write(str(dest), encoding="utf-8")
    return dest


def peer(src: Path, out: Path, ctx: Path):
    jar = next((j for j in SAXON_JARS if j.exists()), None)
    if jar is None or not shutil.which("java"):
        return None, 0, None
    out.mkdir(parents=True, exist_ok=True)
    return timed(["java", "-cp", str(jar), "net.sf.saxon.Transform", f"-s:{src}",
                  f"-xsl:{REPO / 'xslt' / 'html' / 'document.xsl'}", f"-o:{out}",
                  f"+edition-context={ctx}"])


def report(label: str, runs: dict, peer_run):
    full, nochange, edit = runs["full"], runs["nochange"], runs["edit"]
    p_wall, p_mem, p_res = peer_run
    ratio = f"{p_wall / full[0]:.1f}×" if p_wall else "n/a"
    print(f"{label}")
    print(f"  {'full build':<22}{full[0]:8.2f} s   peak {full[1]:5d} MB   exit {full[2].returncode}   "
          f"{full[2].stdout.strip().splitlines()[-1] if full[2].stdout.strip() else full[2].stderr[-300:]}")
    print(f"  {'no-change rebuild':<22}{nochange[0]:8.2f} s   peak {nochange[1]:5d} MB   "
          f"{nochange[2].stdout.strip().splitlines()[-1] if nochange[2].stdout.strip() else ''}")
    print(f"  {'one-edit rebuild':<22}{edit[0]:8.2f} s   peak {edit[1]:5d} MB   "
          f"{edit[2].stdout.strip().splitlines()[-1] if edit[2].stdout.strip() else ''}")
    if p_wall is not None:
        print(f"  {'Saxon-HE/Java (peer)':<22}{p_wall:8.2f} s   peak {p_mem:5d} MB   exit {p_res.returncode}"
              f"   → our full build is {ratio} the peer's speed (target ≥ 3×)")
    else:
        print("  Saxon-HE/Java (peer): not available (apt-get install libsaxonhe-java default-jre-headless)")


def three_builds(cmd: list[str], cwd: Path, edit_file: Path, old: str, new: str) -> dict:
    runs = {"full": timed(cmd + ["--full"], cwd=cwd)}
    runs["nochange"] = timed(cmd, cwd=cwd)
    text = edit_file.read_text(encoding="utf-8")
    assert old in text, (edit_file, old)
    edit_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    runs["edit"] = timed(cmd, cwd=cwd)
    return runs


def main():
    need_shared()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # (a) ELTeC: a private copy, so the edit never touches ../shared
        novels = tmp / "eltec"
        shutil.copytree(ELTEC, novels)
        one = sorted(novels.glob("*.xml"))[len(list(novels.glob("*.xml"))) // 2]
        runs = three_builds(EDITION + ["build", "html", str(novels), "--out", str(tmp / "eltec-out")],
                            tmp, one, "<p>", "<p>Edited. ")
        ctx = context_file(None, [novels], tmp / "eltec-ctx.xml")
        report(f"(a) ELTeC, {len(list(novels.glob('*.xml')))} novels ({sum(p.stat().st_size for p in novels.glob('*.xml')) // 2**20} MB)",
               runs, peer(novels, tmp / "eltec-peer", ctx))

        # (b) the 1,000-document edition
        ed = replicate_edition(tmp / "ed", 1000)
        one = sorted((ed / "tei").glob("doc-1*-06-14.xml"))[-1]  # a replica of the full document
        runs = three_builds(EDITION + ["build", "html"], ed, one,
                            "Decline the governor's suggestion", "Decline the governor's edited suggestion")
        docs = tmp / "ed-docs"
        docs.mkdir()
        for d in (ed / "tei").glob("doc-*.xml"):
            shutil.copy(d, docs / d.name)
        ctx = context_file(ed / "edition.toml", [], tmp / "ed-ctx.xml")
        report(f"(b) 1,000-document edition ({len(list(docs.glob('*.xml')))} documents)", runs,
               peer(docs, tmp / "ed-peer", ctx))


if __name__ == "__main__":
    main()
