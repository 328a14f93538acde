"""Benchmark: coverage of other editors' TEI — is every document, text and script published?

For every corpus in ../shared/corpora (and ../shared/corpora/world), a copy in a temporary folder
is built ad hoc with this Python's toolkit (`edition build html FOLDER --out DIR --no-search`,
`edition build pdf FOLDER --out DIR`, with `--authority` for a corpus's authority files), and
one row is printed with:

- docs / pages / PDFs: input documents (a TEI root; each TEI of a teiCorpus, nested too; a
  standalone sourceDoc/surface/surfaceGrp; an XInclude volume counts as one document holding
  what it includes), document pages of the HTML site, per-document PDFs (the volume,
  edition.pdf, left out). A document is "lost" when no page (PDF) is matched to it: first
  by the name the toolkit gives it (toolkit/tei/names.py, Edition.page_names: its page, PDF
  and TEI copy are called so; asked of the toolkit's API for the folder that was built), else
  by content: documents without a named output take unused ones holding half of their tokens
  or more, best score first across all of them. A page the toolkit did not write is no
  other document's page, so the document shows as lost.
- token coverage, per corpus (summed over its documents): the share of the source's tokens
  found on the document's page (the visible text of <main>: no script/style/template, nothing
  `hidden`) and in the text layer of its PDF. Three measures: body (tei:text and tei:sourceDoc;
  registers — listPerson, listPlace, … — in <back> are authority data and left out), header
  (the whole teiHeader, msDesc included) and msDesc (the teiHeader's msDesc; an msDesc inside
  tei:text counts with the body).
  Tokens (bench/_coverage_text.py): runs of letters and marks, runs of digits, every CJK
  character one token; NFC, format characters dropped, casefolded. Matching is a multiset
  intersection, so order and layout do not matter: the body's tokens are matched first, the
  header's and msDesc's against what the body left unused (a title repeated in the text does
  not count twice). In PDF text a word hyphenated at a line end is joined when the source has
  the joined word, and tokens still unmatched are matched by their letters in any order
  (extractors give a ligature's or an Arabic/Indic cluster's characters in visual order).
  Source text: element boundaries join letters inside mixed content ("wo<hi>r</hi>d" is one
  word); blocks, fields of element-only content and lb/pb/cb (unless break="no") separate words.
  XIncludes are expanded by the benchmark itself, inside the corpus only (xi:fallback for
  remote ones; "unresolved" in the notes).
- RTL: right-to-left characters (bidi class R or AL: Hebrew, Arabic, Syriac, Thaana, N'Ko …) in
  the body of the document pages, and how many of them sit in a right-to-left context (the
  nearest `dir` attribute, the page's included, is rtl; dir="auto" and <bdi> take the direction
  of their first strong character).
- glyphs: characters the PDF draws as placeholder boxes: pdf.glyph diagnostics in the PDF
  build's output (one per character and file), and "U+XXXX" boxes counted in the PDFs' text.

PDF text (--pdf-text): pdftotext (the default) rebuilds words from where glyphs stand and so
splits a word at a gap a mark or kerning leaves ("सुकृ त", "ayu ktam") and joins a word that ends
a line with a hyphen to the next; pypdf reads the fonts' maps only (no /ActualText: Devanagari
clusters and Arabic order garbled); structure (bench/_pdf_structure.py) reads the text the PDF's
tags encode (glyphs' ToUnicode or /ActualText, marked content in structure order, right-to-left
runs put back in logical order), where a word is what Typst set, no space guessed, but where
blocks Typst does not tag as paragraphs run together; both counts a token when either of the two
shows it (a multiset union): a word is lost only when no reading of the PDF has it whole.
structure and both read every content stream with pypdf: two to three times as long.

Targets (issue #12): no document lost; body ≥ 0.995 in HTML and PDF; msDesc ≥ 0.95; all RTL
characters in an RTL context; no placeholder boxes. A row's last column lists what misses.

The PDF part of a big corpus (over 20 MB: ELTeC) is built for an evenly spread sample of its
files (default 8, --sample N; 0 for all); HTML always for all. A build that fails or times out is
a row saying so. It is a benchmark: the exit status is 0 whatever it measures.

Run:  .venv/bin/python bench/coverage.py [--only CORPUS ...] [--no-pdf] [--sample N]
          [--details] [--json FILE] [--keep DIR]
          [--pdf-text pdftotext|pypdf|structure|both]
The whole run takes a few minutes (2 cores).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED, need_shared  # noqa: E402
import _coverage_text as ct  # noqa: E402

CORPORA = SHARED / "corpora"
BODY_TARGET, MSDESC_TARGET = 0.995, 0.95
BIG_BYTES = 20_000_000
DEFAULT_SAMPLE = 8
TIMEOUT = 1200  # seconds per build


@dataclass
class Corpus:
    name: str
    root: Path
    docs: str = "."                                   # folder of documents, below root
    authority: list[str] = field(default_factory=list)  # globs below root
    big: bool = False


# What the corpora's READMEs say: ELTeC's documents are the novels (Schemas/ holds ODDs, which
# are TEI too); the letters' indices are authority files.
OVERRIDES = {"eltec": {"docs": "ELTeC-eng/level1"},
             "letters": {"docs": "editions", "authority": ["indices/*.xml"]}}


def discover() -> list[Corpus]:
    found = []
    for top in sorted(CORPORA.iterdir()):
        if not top.is_dir():
            continue
        for d in (sorted(p for p in top.iterdir() if p.is_dir()) if top.name == "world" else [top]):
            c = Corpus(d.name, d, **OVERRIDES.get(d.name, {}))
            size = sum(f.stat().st_size for f in (d / c.docs).rglob("*.xml"))
            c.big = size > BIG_BYTES
            found.append(c)
    return found


# -- builds -----------------------------------------------------------------------------------
def edition_command() -> list[str]:
    exe = Path(sys.executable).parent / "edition"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "toolkit.cli"]


@dataclass
class Build:
    code: int | None = None      # exit status; None: did not finish
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.code is None or self.code >= 2

    def status(self, what: str) -> str:
        if self.code is None:
            return f"{what} {self.note}"
        if self.code == 0:
            return ""
        last = next((ln for ln in reversed(self.stderr.splitlines()) if ln.strip()), "")
        lines = [ln for ln in self.stderr.splitlines() if re.search(r"\berror\b", ln)]
        return f"{what} exit {self.code}" + (f" ({len(lines)} error lines)" if self.code == 1 and lines
                                              else f": {last.strip()[:100]}" if last else "")


def run_build(fmt: str, folder: Path, out: Path, authority: list[Path], cwd: Path) -> Build:
    cmd = edition_command() + ["build", fmt, str(folder), "--out", str(out)]
    if fmt == "html":
        cmd.append("--no-search")
    for a in authority:
        cmd += ["--authority", str(a)]
    t = time.perf_counter()
    try:
        res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                             errors="replace")
    except subprocess.TimeoutExpired:
        return Build(None, time.perf_counter() - t, note=f"timed out after {TIMEOUT} s")
    except OSError as e:
        return Build(None, time.perf_counter() - t, note=f"could not start: {e}")
    return Build(res.returncode, time.perf_counter() - t, res.stdout, res.stderr)


# -- matching documents to outputs ------------------------------------------------------------
def _score(doc: ct.SourceDoc, tokens: Counter) -> float:
    want = doc.body + doc.header
    total = sum(want.values())
    return sum((want & tokens).values()) / total if total else 0.0


def assign(docs, outputs, named, tokens_of) -> dict[int, object]:
    """{index of doc: output}: each output serves one document. An output named for a document
    (`named(doc)`: its page name, or None) is its own; the documents left take, best score
    first across all of them (not in document order), an unused output holding at least half of
    their tokens."""
    got: dict[int, object] = {}
    by_name = {}
    for o in outputs:
        by_name.setdefault(o.stem if isinstance(o, Path) else Path(o.path).stem, o)
    for i, d in enumerate(docs):
        o = by_name.get(named(d))
        if o is not None and all(o is not g for g in got.values()):
            got[i] = o
    used = {id(o) for o in got.values()}
    free = [o for o in outputs if id(o) not in used]
    pairs = [(s, i, k) for i, d in enumerate(docs) if i not in got
             for k, o in enumerate(free) if (s := _score(d, tokens_of(o))) >= 0.5]
    taken: set[int] = set()
    for _, i, k in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in got and k not in taken:
            got[i] = free[k]
            taken.add(k)
    return got


def page_names(folder: Path, authority: list[Path]) -> dict[tuple[str, int], str]:
    """The name the toolkit gives each document of an ad hoc build of `folder` (its HTML page,
    PDF and TEI copy are called so: Edition.page_names), keyed as the benchmark knows a document:
    (its file's path below `folder`, its position in its teiCorpus or 0). The toolkit's own API, as the build
    uses it: this benchmarks the toolkit, and names are decided by the ids of all documents."""
    from toolkit.config import Config
    from toolkit.outputs.runner import load_for_build
    edition = load_for_build(Config(root=folder.resolve()), [folder], authority, reuse=False)
    names = edition.page_names()
    top = os.path.realpath(folder)
    out = {}
    for d in edition.documents:
        file, _, n = str(d.file).rpartition("#") if "#" in d.file.name else (str(d.file), "", "0")
        rel = Path(os.path.relpath(os.path.realpath(file), top)).as_posix()
        out[(rel, int(n))] = names[d.id]
    return out


def name_of(names: dict, doc: ct.SourceDoc) -> str | None:
    return names.get((doc.rel, doc.index))


@dataclass
class Measure:
    body: list = field(default_factory=lambda: [0, 0])     # [found, total]
    header: list = field(default_factory=lambda: [0, 0])
    msdesc: list = field(default_factory=lambda: [0, 0])
    missing: list = field(default_factory=list)            # a few body tokens not found

    def add(self, other: "Measure"):
        for k in ("body", "header", "msdesc"):
            mine, theirs = getattr(self, k), getattr(other, k)
            mine[0] += theirs[0]
            mine[1] += theirs[1]


def measure(doc: ct.SourceDoc, shown: Counter | None, loose: bool) -> Measure:
    m = Measure()
    m.body[1] = sum(doc.body.values())
    m.header[1] = sum(doc.header.values())
    m.msdesc[1] = sum(doc.msdesc.values())
    if shown is None:  # lost: nothing of it is shown
        return m
    m.body[0], left = ct.match(doc.body, shown, loose)
    m.missing = [t for t, _ in (doc.body - shown).most_common(8)]
    m.header[0], _ = ct.match(doc.header, left, loose)
    m.msdesc[0], _ = ct.match(doc.msdesc, left, loose)
    return m


# -- one corpus -------------------------------------------------------------------------------
@dataclass
class Row:
    name: str
    docs: int = 0
    pages: int = 0
    pdfs: int = 0
    pdf_docs: int = 0               # documents whose PDF was asked for (the sample)
    lost_html: list = field(default_factory=list)
    lost_pdf: list = field(default_factory=list)
    html: Measure = field(default_factory=Measure)
    pdf: Measure | None = None
    rtl: tuple = (0, 0)
    glyph_diags: int = 0
    glyph_boxes: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)
    failure: str = ""
    per_doc: list = field(default_factory=list)


def sample_files(files: list[Path], n: int) -> list[Path]:
    if n <= 0 or n >= len(files):
        return files
    if n == 1:
        return files[:1]
    return [files[round(i * (len(files) - 1) / (n - 1))] for i in range(n)]


def authority_files(c: Corpus) -> list[Path]:
    out = []
    for pattern in c.authority:
        for p in sorted(c.root.glob(pattern)):
            try:
                root = ct.parse_xml(p).getroot()
            except Exception:  # not XML: not an authority file
                continue
            if ct.local(root.tag) == "TEI":
                out.append(p)
    return out


def copy_corpus(c: Corpus, work: Path) -> tuple[Path, list[Path]]:
    src = work / "src"
    shutil.copytree(c.root / c.docs, src, symlinks=True)
    auth = []
    for p in authority_files(c):
        dest = work / "authority" / p.relative_to(c.root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)
        auth.append(dest)
    return src, auth


def extractors(choice: str) -> list[str]:
    """The readings of a PDF's text a --pdf-text choice takes (see the module's docstring)."""
    return ["pdftotext", "structure"] if choice == "both" else [choice]


def run_corpus(c: Corpus, args, tmp: Path) -> Row:
    row = Row(c.name)
    t0 = time.perf_counter()
    work = tmp / c.name
    src, auth = copy_corpus(c, work)
    unreadable: list[str] = []
    includes = ct.Includes(src)
    docs = ct.source_documents(src, includes, unreadable)
    row.docs = len(docs)
    if unreadable:
        row.notes.append(f"{len(unreadable)} source files not well-formed")
    if includes.unresolved:
        row.notes.append(f"{len(includes.unresolved)} xi:include unresolved (fallback used)")

    html = run_build("html", src, work / "html", auth, work)
    if html.status("html"):
        row.notes.append(html.status("html"))
    pages = ct.document_pages(work / "html") if (work / "html").is_dir() else []
    row.pages = len(pages)
    if html.failed and not pages:
        row.failure = html.status("HTML build failed:") or "HTML build failed"
    names = page_names(src, auth)
    by_doc = assign(docs, pages, lambda d: name_of(names, d), lambda p: p.tokens)
    total_rtl = [0, 0]
    for p in pages:
        total_rtl[0] += p.rtl[0]
        total_rtl[1] += p.rtl[1]
    row.rtl = tuple(total_rtl)
    results = {}
    for i, d in enumerate(docs):
        page = by_doc.get(i)
        if page is None:
            row.lost_html.append(d.label)
        m = measure(d, page.tokens if page else None, loose=False)
        row.html.add(m)
        results[i] = {"document": d.label, "id": d.id, "page": page.name if page else None,
                      "html": vars(m)}

    if not args.no_pdf:
        row.pdf = Measure()
        files = sorted({d.file for d in docs})
        n = args.sample if args.sample is not None else (DEFAULT_SAMPLE if c.big else 0)
        chosen = sample_files(files, n) if c.big or args.sample else files
        if len(chosen) < len(files):
            row.notes.append(f"PDF for a sample of {len(chosen)} of {len(files)} files")
            pdf_src = work / "pdf-src"
            for f in chosen:
                dest = pdf_src / f.relative_to(src)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, dest)
        else:
            pdf_src = src
        pdf = run_build("pdf", pdf_src, work / "pdf", auth, work)
        row.glyph_diags = len(re.findall(r"\[pdf\.glyph\]", pdf.stderr + pdf.stdout))
        if pdf.status("pdf"):
            row.notes.append(pdf.status("pdf"))
        wanted = [(i, d) for i, d in enumerate(docs) if d.file in set(chosen)]
        row.pdf_docs = len(wanted)
        outs = sorted(p for p in (work / "pdf").rglob("*.pdf") if p.name != "edition.pdf") \
            if (work / "pdf").is_dir() else []
        row.pdfs = len(outs)
        if pdf.failed and not outs and not row.failure:
            row.failure = pdf.status("PDF build failed:") or "PDF build failed"
        known, joined = set(), {}
        for _, d in wanted:
            known.update(d.body)
            known.update(d.header)
            joined.update(d.compounds)
        texts = {}
        for p in outs:
            texts[p] = Counter()
            for k, extractor in enumerate(extractors(args.pdf_text)):
                try:
                    text = ct.pdf_text(p, extractor)
                except Exception as e:  # an unreadable PDF is a PDF that shows nothing
                    row.notes.append(f"{p.name}: text not extracted by {extractor} ({type(e).__name__})")
                    text = ""
                if k == 0:
                    row.glyph_boxes += len(ct.PLACEHOLDER.findall(text))
                # "both": a token counts as often as the reading that shows it more often has it
                texts[p] |= ct.split_compounds(ct.shown_tokens(ct.dehyphenate(text, known), pdf=True),
                                               joined, known)

        pdf_names = names if pdf_src == src else page_names(pdf_src, auth)
        by_pdf = assign([d for _, d in wanted], outs, lambda d: name_of(pdf_names, d),
                        lambda p: texts[p])
        for k, (i, d) in enumerate(wanted):
            p = by_pdf.get(k)
            if p is None:
                row.lost_pdf.append(d.label)
            m = measure(d, texts[p] if p is not None else None, loose=True)
            row.pdf.add(m)
            results[i]["pdf"] = vars(m)
            results[i]["pdf_file"] = p.name if p is not None else None
    row.per_doc = [results[i] for i in sorted(results)]
    row.seconds = time.perf_counter() - t0
    return row


# -- the table --------------------------------------------------------------------------------
def ratio(pair) -> str:
    return f"{pair[0] / pair[1]:.3f}" if pair[1] else "—"


def misses(r: Row) -> list[str]:
    if r.failure:
        return [r.failure]
    out = []
    if r.lost_html:
        out.append(f"{len(r.lost_html)} doc(s) without a page")
    if r.pdf is not None and r.lost_pdf:
        out.append(f"{len(r.lost_pdf)} doc(s) without a PDF")
    for what, m in (("HTML", r.html), ("PDF", r.pdf)):
        if m is None:
            continue
        if m.body[1] and m.body[0] / m.body[1] < BODY_TARGET:
            out.append(f"body {what}")
        if m.msdesc[1] and m.msdesc[0] / m.msdesc[1] < MSDESC_TARGET:
            out.append(f"msDesc {what}")
    if r.rtl[0] and r.rtl[1] < r.rtl[0]:
        out.append("RTL")
    if r.glyph_diags or r.glyph_boxes:
        out.append("glyphs")
    return out


HEAD = (f"{'corpus':<22}{'docs':>5}{'pages':>6}{'PDFs':>8}  {'body':>6}{'body':>6}  {'head':>6}"
        f"{'head':>6}  {'msDsc':>6}{'msDsc':>6}  {'RTL in rtl':>15}  {'glyph':>9}{'time':>7}  misses / notes")
HEAD2 = (f"{'':<22}{'in':>5}{'html':>6}{'(asked)':>8}  {'HTML':>6}{'PDF':>6}  {'HTML':>6}{'PDF':>6}  "
         f"{'HTML':>6}{'PDF':>6}  {'':>15}  {'diag/box':>9}{'s':>7}")


def format_row(r: Row) -> str:
    pdf = r.pdf
    pdfs = f"{r.pdfs}({r.pdf_docs})" if pdf is not None else "—"
    rtl = f"{r.rtl[1]}/{r.rtl[0]}" if r.rtl[0] else "—"
    glyph = f"{r.glyph_diags}/{r.glyph_boxes}" if pdf is not None else "—"
    text = (f"{r.name:<22}{r.docs:>5}{r.pages:>6}{pdfs:>8}  {ratio(r.html.body):>6}"
            f"{ratio(pdf.body) if pdf else '—':>6}  {ratio(r.html.header):>6}"
            f"{ratio(pdf.header) if pdf else '—':>6}  {ratio(r.html.msdesc):>6}"
            f"{ratio(pdf.msdesc) if pdf else '—':>6}  {rtl:>15}  {glyph:>9}{r.seconds:>7.0f}  ")
    tail = misses(r)
    text += ("MISS: " + ", ".join(tail) if tail else "ok") + ("; " + "; ".join(r.notes) if r.notes else "")
    return text


def details(r: Row, worst: int = 5) -> list[str]:
    lines = []
    for d in r.lost_html:
        lines.append(f"    no page: {d}")
    for d in r.lost_pdf:
        lines.append(f"    no PDF:  {d}")

    def share(doc, out, k):
        m = doc.get(out)
        return m[k][0] / m[k][1] if m and m[k][1] else 1.0
    for out in ("html", "pdf"):
        for k in ("body", "msdesc"):
            docs = sorted((d for d in r.per_doc if d.get(out) and d[out][k][1]), key=lambda d: share(d, out, k))
            for d in docs[:worst]:
                if share(d, out, k) < (BODY_TARGET if k == "body" else MSDESC_TARGET):
                    lines.append(f"    {out} {k} {share(d, out, k):.3f} "
                                 f"({d[out][k][0]}/{d[out][k][1]}): {d['document']}"
                                 + (f" — e.g. {' '.join(d[out]['missing'])}" if k == "body" else ""))
    return lines


def main():
    need_shared()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", metavar="CORPUS", help="only these corpora")
    ap.add_argument("--no-pdf", action="store_true", help="HTML only")
    ap.add_argument("--sample", type=int, metavar="N",
                    help=f"PDF for N files of each big corpus (default {DEFAULT_SAMPLE}; 0: all); "
                         "given, it samples every corpus")
    ap.add_argument("--pdf-text", choices=("pdftotext", "pypdf", "structure", "both"),
                    default="pdftotext" if shutil.which("pdftotext") else "pypdf",
                    help="PDF text extractor (default pdftotext when installed: pypdf garbles "
                         "Devanagari clusters and Arabic word order; structure: the text the "
                         "PDF's tags encode, no word guessed from glyph positions; both: a "
                         "token is found when either pdftotext or the structure shows it)")
    ap.add_argument("--details", action="store_true", help="list lost and worst documents")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write per-document results")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep the outputs")
    args = ap.parse_args()

    corpora = discover()
    if args.only:
        unknown = set(args.only) - {c.name for c in corpora}
        if unknown:
            sys.exit(f"unknown corpus: {', '.join(sorted(unknown))} "
                     f"(known: {', '.join(c.name for c in corpora)})")
        corpora = [c for c in corpora if c.name in args.only]
    ct.tokens("")  # build the token tables before timing anything
    print(f"coverage of ../shared/corpora — PDF text by "
          f"{' + '.join(extractors(args.pdf_text))}")
    print(HEAD)
    print(HEAD2)
    rows = []
    with tempfile.TemporaryDirectory(prefix="coverage-") as tmpdir:
        tmp = args.keep or Path(tmpdir)
        for c in corpora:
            if (tmp / c.name).exists():
                shutil.rmtree(tmp / c.name)
            try:
                r = run_corpus(c, args, tmp)
            except Exception as e:  # the benchmark's own trouble is a row too, never a traceback
                r = Row(c.name, failure=f"benchmark error: {type(e).__name__}: {e}"[:160])
            rows.append(r)
            print(format_row(r), flush=True)
            if args.details:
                for line in details(r):
                    print(line)
    print(f"targets: docs = pages = PDFs; body ≥ {BODY_TARGET} (HTML, PDF); msDesc ≥ {MSDESC_TARGET}; "
          "RTL all in rtl; glyph 0/0")
    if args.json:
        args.json.write_text(json.dumps([{"corpus": r.name, "documents": r.per_doc, "notes": r.notes,
                                          "failure": r.failure, "rtl": r.rtl,
                                          "glyph_diags": r.glyph_diags, "glyph_boxes": r.glyph_boxes}
                                         for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
