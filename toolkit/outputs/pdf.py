"""`edition build pdf`: TEI → Typst (XSLT 3.0, saxonche) → PDF (the typst package, in-process).

Writes `edition.pdf` (the volume: title page, contents, editorial note, the documents in date
order, indices, list of sources) and `<document-id>.pdf` for each document, into a staging
folder that replaces the output folder when the build is done. A volume estimated longer than
[pdf] part_pages comes in parts, `edition-1.pdf`, `edition-2.pdf`, …, each a volume of its own,
typeset one after the other so that memory follows the part (PdfBuild.typeset).

How it fits together:
- xslt/pdf/document.xsl turns one TEI document into a Typst fragment (a call of ed-document);
  xslt/pdf/volume.xsl makes the preamble, front and back matter from tei/edition.xml and the
  edition context. All look is in xslt/pdf/edition.typ, the house-style template.
- The fragments are compiled by one typst.Compiler (fonts loaded once), with PDF/A-2b +
  PDF/UA-1 by default: each document alone, then the volume. Indices, contents and running heads
  are computed by Typst itself from invisible markers, in the same compile.
- The compiles may run elsewhere (pdf_engine: a Dask cluster; pdf_shard: --shard/--merge):
  Typesetter.compile is the seam, everything else stays here.
- Every element of the TEI copy given to Saxon carries its source line; the stylesheets write it
  as /*@L<line>*/ markers, so a Typst error is reported against the TEI file and line.

A bad document does not stop the others (see PdfBuild): characters the PDF cannot show become
visible placeholders (pdf_chars), a document the stylesheet or Typst fails on is typeset as
plain text, one too large for the page bound is left out; each is reported as an error
diagnostic with its place in the TEI. `strict` turns any of them into a failed build that
writes nothing. A failure that is no document's fault (a broken house style, a full disk)
stops the build.
"""
from __future__ import annotations

import contextlib
import copy
import ctypes
import dataclasses
import io
import os
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from .. import messages
from ..context import full as full_context
from ..diagnostics import ERROR, WARNING, Diagnostic
from ..config import repository_top
from ..model import Document, Edition, T, canon
from ..tei.reading import reading_blocks
from ..saxon import MAX_DEPTH, XSLT_DIR, XsltError, compile_stylesheet, processor, to_xdm, transform
from ..saxon import processor_started as saxon_started
from ..xmlsafe import SourceFile
from . import custom, pdf_chars, pdf_split, pdf_tables
from .pdf_facsimile import Plates
from .pdf_options import FONT_DIRS, SCRIPTS, PdfOptions  # noqa: F401  (FONT_DIRS: the default [pdf] font_dirs; tests use it)
from .publish import _all_files, staged_output, write_file, write_manifest
from .base import Builder, BuildError, BuildResult, Job, print_diagnostics, run

PDF_DIR = XSLT_DIR / "pdf"
DOCUMENT_XSL = PDF_DIR / "document.xsl"
VOLUME_XSL = PDF_DIR / "volume.xsl"
TEMPLATE = PDF_DIR / "edition.typ"
LINE_NS = "urn:x-tei-edition:line"
_LN = "{%s}n" % LINE_NS

CHARS_PER_PAGE = 2600
# The page estimate of a volume (estimated_pages): the header's text prints in part and in small
# type (summary, source), a document that opens a page leaves half of its last one empty on
# average, and the front and back matter grow by a line or two per document (contents, list of
# sources, index). Characters are counted with runs of white space as one. Calibrated on the
# bundled edition and its replicas (0.33 page for a summary-only document, 2 for the
# transcribed one), the Schnitzler letters (30 letters, 68 pages) and ELTeC novels (Ward's
# 1.62 million characters make 408 pages, about 4,000 a page; the 707 pages of Anna Karenina
# in Russian about 2,500): within a factor of 1.3 either way.
BODY_CHARS_PER_PAGE = 3300
HEADER_CHARS_PER_PAGE = 3500
FRONT_PAGES, FRONT_DOCS_PER_PAGE = 4, 35
BACK_PAGES, BACK_DOCS_PER_PAGE = 2, 25
MAX_TABLE_WARNINGS = 20   # a file's warnings about bounded table spans; then how many more

_MARK = re.compile(r"/\*@([LF])(\d+)\*/")
_LOC = re.compile(r"┌─ (\S+?):(\d+):(\d+)")
_GLYPH = re.compile(r'the text `"(.*?)"` could not be displayed with font `"([^"]*)"`', re.S)
# the text's font list (script fonts, text fonts, fallbacks) without Typst's last resort
_PROBE_HEAD = '#import "/edition.typ": style, ed-fonts\n#set text(font: ed-fonts(style.font), fallback: false)\n'
# After the preamble of a PDF with placeholders: edition.typ's show rule that draws them.
PLACEHOLDERS = "#show: ed-placeholders\n"


@dataclass
class Fragment:
    doc: Document | None       # None for the edition file's parts
    key: str
    display: str               # the TEI file as the user named it
    path: Path | None
    typst: str
    source: SourceFile | None = None   # the parsed TEI (for the place of a character)
    degraded: str = ""         # why the document is shown as plain text ("" when it is not)
    chars: set[str] = field(default_factory=set)   # its distinct characters worth a look
    replaced: set[str] = field(default_factory=set)  # characters shown as placeholder boxes
    text_chars: int = 0        # characters of its <text> (for the page estimate)
    other_chars: int = 0       # characters of the rest (header: summary, source, …)
    whole: Fragment | None = None   # for a piece of a long document in the volume: the document
    piece: int = 0             # which piece (0: the first, with the heading)


class TypesetError(Exception):
    """Typst failed; the message names the TEI file and line."""

    def __init__(self, display: str, line: int, text: str, part: int | None = None,
                 glyphs: tuple[str, ...] = ()):
        # text: Typst's reason; part: the index of the file (/*@F<n>*/) the error is in, if
        # known; glyphs: the texts PDF/A found no glyph for (a cluster each)
        super().__init__(f"{display}:{line or 1}:1: {'' if glyphs else 'typesetting failed: '}{text}")
        self.display, self.line, self.text, self.part, self.glyphs = display, line, text, part, glyphs


# ----------------------------------------------------------------------------------------------
# settings

def _settings(edition: Edition, opts: PdfOptions) -> dict:
    """The [pdf] options (checked when edition.toml was read), with the font folders found."""
    fonts = [str(edition.config.resolve(p)) for p in opts.font_paths]
    allowed = [os.path.realpath(edition.config.root), *map(os.path.realpath, repository_top(edition.config.root))]
    for f in fonts:  # an untrusted edition.toml must not make Typst read (or scan) other folders
        real = os.path.realpath(f)
        if not any(real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in allowed):
            raise BuildError(f"edition.toml: [pdf] font_paths names {f}, outside the edition's folder; "
                             f"fonts are read from the edition's folders and [pdf] font_dirs only")
    return {
        "standards": [s for s in opts.standards if s],
        "font_paths": fonts + [d for d in opts.font_dirs if Path(d).is_dir()],
        "font_dirs": opts.font_dirs,
        "families": {**{k: v for k, v in (("ed-font", opts.fonts), ("ed-sans", opts.sans_fonts)) if v},
                     "ed-scripts": script_font_lines(opts.script_fonts),
                     # edition.typ's ed-run-on: [pdf] run_on_untranscribed
                     "ed-run-on": ["true" if opts.run_on_untranscribed else "false"],
                     # edition.typ's style.words in the interface language (toolkit/messages)
                     "ed-words": messages.typst_words(edition.config.language)},
        "max_volume_pages": opts.max_volume_pages,
        "part_pages": opts.part_pages,
        "document_part_pages": opts.document_part_pages,
        "max_document_pages": opts.max_document_pages,
    }


def script_font_lines(table: dict[str, list[str]]) -> list[str]:
    """[pdf] script_fonts as edition.typ reads it (ed-script-fonts): a line per script, its code,
    character class and families tab-separated."""
    return ["\t".join((code, SCRIPTS[code][0], *families)) for code, families in table.items() if families]


def _timestamp(edition: Edition) -> int:
    """PDF creation date: SOURCE_DATE_EPOCH (reproducible builds), the edition's publication
    date, or today (midnight UTC: the day is what the PDF prints, and two builds of one day —
    the shards of a CI matrix and their merge, a rebuild — make the same bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    ed = _edition_tree(edition)
    if ed is not None:
        for d in ed.iter("{http://www.tei-c.org/ns/1.0}date"):
            parent = d.getparent()
            if parent is not None and etree.QName(parent).localname == "publicationStmt":
                w = d.get("when", "")
                for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
                    try:
                        return int(datetime.strptime(w, fmt).replace(tzinfo=timezone.utc).timestamp())
                    except ValueError:
                        pass
    return int(time.time()) // 86400 * 86400


def _edition_tree(edition: Edition):
    if edition.edition_path is None:
        return None
    src = edition.files.get(edition.edition_path)
    return src.root if src is not None and src.ok else None


# ----------------------------------------------------------------------------------------------
# TEI → Typst

def _with_lines(root: etree._Element, warn=None) -> etree._Element:
    """A copy of the tree whose elements carry their source line, and whose tables their
    layout (pdf_tables; `warn` receives the bounds used). The input is never changed."""
    tree = copy.deepcopy(root)
    for el in tree.iter():
        if isinstance(el.tag, str) and el.sourceline:
            el.set(_LN, str(el.sourceline))
    pdf_tables.annotate(root, tree, warn)
    return tree


def _params(**kw) -> dict:
    """Stylesheet parameters as XDM values, made before saxon.transform takes its lock."""
    proc = processor()
    return {k.replace("_", "-"): (proc.make_string_value(v) if isinstance(v, str) else v)
            for k, v in kw.items()}


def document_keys(edition: Edition) -> list[str]:
    """A key per document: its page name (Edition.page_names, as its HTML page and TEI copy are
    called), the PDF's file name and Typst label."""
    names = edition.page_names()
    return [names[doc.id] for doc in edition.documents]


def document_typst(edition: Edition, context, src: SourceFile, key: str, warn=None, facsimile=None) -> str:
    """The Typst fragment of one document; XsltError when Saxon fails on it."""
    from saxonche import PySaxonApiError
    exe = compile_stylesheet(DOCUMENT_XSL)
    try:
        tree = to_xdm(etree.ElementTree(_with_lines(src.root, warn)), src.path.as_uri())
    except PySaxonApiError as e:  # Saxon's own parser refuses it (a limit of its own)
        raise XsltError(" ".join(str(e).split())) from None
    extra = {"facsimile": to_xdm(etree.ElementTree(facsimile))} if facsimile is not None else {}
    return transform(exe, tree, _params(edition_context=context, doc_key=key,
                                        default_lang=edition.config.language or "en", **extra))


def volume_part(edition: Edition, context, part: str, build_date: str, pdf_title: str = "",
                warn=None, permalink: str = "", volume_part: str = "") -> str:
    """The volume's preamble, front or back matter (`part`); `volume_part` ("2/3") when the
    volume is published in parts."""
    exe = compile_stylesheet(VOLUME_XSL)
    root = _edition_tree(edition)
    if root is not None:
        source = to_xdm(etree.ElementTree(_with_lines(root, warn)), edition.edition_path.as_uri())
    else:
        source = to_xdm('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    try:
        return transform(exe, source, _params(edition_context=context, part=part,
                                              build_date=build_date, pdf_title=pdf_title,
                                              permalink=permalink, volume_part=volume_part,
                                              default_lang=edition.config.language or "en"))
    except XsltError as e:
        raise BuildError(f"the PDF stylesheet volume.xsl failed: {e}") from None


# Saxon's XML parser refuses elements nested deeper (saxon.MAX_DEPTH, lxml's own limit: a guard).
SAXON_MAX_DEPTH = MAX_DEPTH


def _too_deep(root: etree._Element):
    """The first element nested deeper than Saxon reads, or None (one XPath step a level)."""
    found = root.xpath("/*" * (SAXON_MAX_DEPTH + 1))
    return found[0] if found else None


# Elements whose text makes a paragraph of their own in a plain-text rendering.
_PLAIN_BLOCKS = {"p", "ab", "head", "l", "item", "label", "note", "cell", "salute", "signed",
                 "dateline", "closer", "opener", "trailer", "byline", "docAuthor", "docDate",
                 "titlePart", "speaker", "stage", "quote", "bibl", "figDesc", "postscript",
                 "address", "lg", "sp", "list", "table", "row", "figure"}


def _plain_paragraphs(root: etree._Element) -> list[str]:
    """The reading text of a document's <text> (toolkit/tei/reading.py), a paragraph per block
    element (a block inside a block makes its own), without any markup."""
    out: list[str] = []

    def flat(blocks):
        for b in blocks:
            if isinstance(b, str):
                out.append(b)
            else:
                flat(b[1])
    texts = [t for t in root.iter(T + "text") if not any(a.tag == T + "text" for a in t.iterancestors())]
    for t in texts or [root]:
        flat(reading_blocks(t, lambda e: etree.QName(e).localname in _PLAIN_BLOCKS))
    return out


def plain_typst(frag: Fragment, lang: str) -> str:
    """A document's fragment without its markup: heading data, a notice why, then its text as
    plain paragraphs (the stand-in when the stylesheet or Typst fails on the document)."""
    doc = frag.doc
    title = doc.title if doc else frag.key
    date = (doc.date_label or doc.when) if doc else ""
    short = title if len(title) <= 70 else title[:68].rsplit(" ", 1)[0] + " …"
    lit = pdf_chars.typst_string
    head = (f"#ed-document(key: {lit(frag.key)}, date: {lit(date)}, title: {lit(title)}, "
            f"short: {lit(short)}, lang: {lit(lang)}, transcribed: true)[\n"
            f"#ed-degraded({lit(frag.degraded)})\n")
    paras = _plain_paragraphs(frag.source.root) if frag.source is not None and frag.source.ok else []
    return head + "".join(f"#ed-p[#{lit(p)};]\n" for p in paras) + "]\n"


# ----------------------------------------------------------------------------------------------
# Typst

def _trim_heap() -> None:
    """Give the C heap's free memory back to the system (glibc's malloc_trim), so that what
    Typst freed in its threads' arenas does not stay resident beside the next compile."""
    try:  # (the process's own symbols include the C library's: no lookup that starts a program)
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to do
        pass


def release_compiler(compiler) -> None:
    """Let go of the memory of a compiler's compiles so far: typst-py evicts after every compile
    what the last ten compiles did not use (comemo::evict(10)), so ten tiny compiles drop a
    finished volume part's layout before the next part is typeset."""
    for _ in range(10):
        compiler.compile(input=b"#set page(width: 1cm, height: 1cm)\n")
    _trim_heap()


class Typesetter:
    """One typst.Compiler for the whole build: fonts are read once, caches shared."""

    def __init__(self, font_paths: list[str], standards: list[str], timestamp: int | None = None,
                 families: dict[str, list[str]] | None = None):
        import typst
        self._typst = typst
        # families: the font lists edition.toml gives, which edition.typ's style reads from
        # sys.inputs (one family a line); without them it keeps its own
        self.compiler = typst.Compiler(root=str(PDF_DIR), font_paths=font_paths, ignore_system_fonts=True,
                                       sys_inputs={k: "\n".join(v) for k, v in (families or {}).items()})
        self.font_paths, self.families = font_paths, families or {}
        self.standards = standards
        self.timestamp = timestamp
        self.root: str | None = None  # the plates' folder, when the PDF has facsimile plates
        self.warnings: list[str] = []
        self._covered: dict[str, bool] = {}
        # pdf_engine.Remote: where the compiles run when not here (a Dask cluster, shard results);
        # the character probes always run here
        self.remote = None

    def kwargs(self) -> dict:
        """The arguments of a compile besides its source."""
        kwargs = {"pdf_standards": self.standards} if self.standards else {}
        if self.timestamp is not None:
            kwargs["timestamp"] = self.timestamp
        if self.root is not None:
            kwargs["root"] = self.root
        return kwargs

    def compile(self, source: str, parts: list[Fragment]) -> bytes:
        kwargs = self.kwargs()
        if self.remote is not None:
            pdf, warnings, failure = self.remote.compile(source, kwargs)
            if failure is not None:
                raise self.explain(failure, source, parts)
        else:
            pdf, warnings = self.compile_here(source, parts, kwargs)
        for w in warnings or []:
            msg = getattr(w, "message", str(w))
            if msg not in self.warnings:
                self.warnings.append(msg)
        return pdf

    def compile_here(self, source: str, parts: list[Fragment], kwargs: dict):
        """(pdf, Typst's warnings) of a compile in this process; TypesetError when it fails."""
        try:
            return self.compiler.compile_with_warnings(input=source.encode("utf-8"), **kwargs)
        except self._typst.TypstError as e:
            raise self.explain(e, source, parts) from None

    def release(self) -> None:
        """Let go of the memory of the compiles so far (release_compiler), where they run."""
        if self.remote is not None:
            self.remote.release()
        else:
            release_compiler(self.compiler)

    def uncovered(self, chars) -> set[str]:
        """The characters no font of the house style can show. One probe compile for all
        characters not asked about before (PDF/A-2b names every glyph it misses)."""
        chars = set(chars)
        new = sorted(c for c in chars if c not in self._covered)
        if new:
            missing = self._probe(new)
            for c in new:
                self._covered[c] = c not in missing
        return {c for c in chars if not self._covered[c]}

    def covered(self, ch: str) -> bool:
        """Whether some font of the house style can show the character."""
        return not self.uncovered({ch})

    def _probe(self, chars: list[str]) -> set[str]:
        # a paragraph each: a combining mark after a space would be asked with the space
        body = "".join(f'#"\\u{{{ord(c):x}}}";\n\n' for c in chars)
        try:
            self.compiler.compile(input=(_PROBE_HEAD + body).encode("utf-8"), pdf_standards=["a-2b"])
            return set()
        except self._typst.TypstError as e:
            texts = _glyph_texts(e)
            if not texts:  # not a font question: the house style itself is broken
                raise BuildError(f"the PDF house style {TEMPLATE} does not typeset: "
                                 f"{self._style_error(e)}") from None
        asked, missing = set(chars), set()
        for text in texts:
            found = [c for c in text if c in asked]
            if len(found) == 1:
                missing.add(found[0])
            else:  # a run of several: ask one by one
                missing.update(c for c in found if self._probe([c]))
        return missing

    def _style_error(self, e) -> str:
        diag = getattr(e, "diagnostic", "") or ""
        where = next(((n, l, c) for n, l, c in _LOC.findall(diag) if n.endswith(".typ")
                      and not n.endswith("__typst_py_bytes__.typ")), None)
        message = getattr(e, "message", str(e))
        return f"{TEMPLATE.name}:{where[1]}:{where[2]}: {message}" if where else message

    # -- errors mapped back to TEI -------------------------------------------------------------
    def explain(self, e, source: str, parts: list[Fragment]) -> TypesetError:
        message = getattr(e, "message", str(e))
        hints = list(getattr(e, "hints", []) or [])
        glyphs = tuple(_glyph_texts(e))
        diag = getattr(e, "diagnostic", "") or ""
        where = None
        lines = source.split("\n")
        for name, line, col in _LOC.findall(diag):
            if name.endswith("__typst_py_bytes__.typ") or name.startswith("__typst_py"):
                where = _map_back(lines, int(line), int(col), parts)
                if where:
                    break
        if glyphs:
            chars = sorted(c for c in set("".join(glyphs)) if not c.isspace())
            text = f"no font of the PDF edition can show {', '.join(map(pdf_chars.describe, chars))}"
        else:
            text = message + (f" ({'; '.join(hints)})" if hints else "")
            inside = next(((Path(n).name, l, c) for n, l, c in _LOC.findall(diag)
                           if not n.endswith("__typst_py_bytes__.typ")), None)
            if inside:  # raised inside the house style: say where
                text += f" (at {inside[0]}:{inside[1]}:{inside[2]})"
        if where:
            index, tei_line = where
            return TypesetError(parts[index].display, tei_line, text, index, glyphs)
        return TypesetError(parts[0].display if parts else "PDF", 0, text, None, glyphs)


def _glyph_texts(e) -> list[str]:
    """The texts of every 'could not be displayed' error of a Typst failure, unescaped."""
    diag = (getattr(e, "diagnostic", "") or "") + "\n" + (getattr(e, "message", "") or "")
    out = []
    for text, _font in _GLYPH.findall(diag):
        text = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m.group(1), 16)), text)
        out.append(text.replace('\\"', '"').replace("\\\\", "\\"))
    return out


def _map_back(lines: list[str], line: int, col: int, parts: list[Fragment]):
    """(part index, TEI line) of the generated Typst position, from the nearest markers."""
    upto = "\n".join(lines[:line - 1] + [lines[line - 1][:max(col, 1)] if line - 1 < len(lines) else ""])
    tei_line = file_index = None
    for kind, num in _MARK.findall(upto):
        if kind == "F":
            file_index, tei_line = int(num), None
        else:
            tei_line = int(num)
    if file_index is None or file_index >= len(parts):
        return None
    return file_index, tei_line or 0


# Lists of entities and references inside a text (a letter's back matter repeating its names)
# are not printed as such: they feed the index.
_UNPRINTED_LISTS = tuple(T + n for n in ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent"))


def _printed_chars(el: etree._Element) -> int:
    """Characters of the element's text, runs of white space counted as one (indentation)."""
    return sum(len(" ".join(s.split())) + (s[:1].isspace()) for s in el.itertext())


def _text_sizes(root: etree._Element) -> tuple[int, int]:
    """Characters a document prints from its outermost <text> elements (without their lists
    of entities) and from its header (summary, source, …)."""
    body = 0
    for t in root.iter(T + "text"):
        if not any(a.tag == T + "text" for a in t.iterancestors()):
            body += _printed_chars(t) - sum(_printed_chars(x) for x in t.iter(*_UNPRINTED_LISTS))
    header = sum(_printed_chars(h) for h in root.iter(T + "teiHeader"))
    return body, header


def estimated_pages(frag: Fragment, run_on: bool) -> float:
    """Pages a document takes in the volume, from the length of its text and header."""
    pages = frag.text_chars / BODY_CHARS_PER_PAGE + frag.other_chars / HEADER_CHARS_PER_PAGE
    runs_on = run_on and frag.doc is not None and not frag.doc.transcribed
    return pages if runs_on else pages + 0.5


def volume_pages(frags: list[Fragment], run_on: bool) -> int:
    """Pages of a volume of these documents, front and back matter included."""
    n = len(frags)
    matter = FRONT_PAGES + n / FRONT_DOCS_PER_PAGE + BACK_PAGES + n / BACK_DOCS_PER_PAGE
    return round(matter + sum(estimated_pages(f, run_on) for f in frags))


def split_parts(frags: list[Fragment], part_pages: int, run_on: bool) -> list[list[Fragment]]:
    """The documents, in order, cut into parts of about `part_pages` pages each (front and back
    matter counted); a document is never cut, and a long one makes a part of its own."""
    if volume_pages(frags, run_on) <= part_pages:
        return [list(frags)]
    parts: list[list[Fragment]] = [[]]
    docs = 0.0   # the current part's documents' pages
    for f in frags:
        pages = estimated_pages(f, run_on)
        n = len(parts[-1]) + 1
        matter = FRONT_PAGES + n / FRONT_DOCS_PER_PAGE + BACK_PAGES + n / BACK_DOCS_PER_PAGE
        if parts[-1] and matter + docs + pages > part_pages:
            parts.append([])
            docs = 0.0
        parts[-1].append(f)
        docs += pages
    return parts


def pdf_page_count(pdf: bytes) -> int:
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(pdf)).pages)


def join_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF of the pages of several, in order, with their bookmarks and the first one's
    document information (title, author, dates). pypdf does not join the parts' tag trees, so
    the result claims no PDF/A or PDF/UA conformance (its XMP metadata is not copied)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    info = PdfReader(io.BytesIO(pdfs[0])).metadata
    if info:
        writer.add_metadata(dict(info))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def assemble(preamble: str, parts: list[tuple[int, str]]) -> str:
    """The main Typst source: preamble, then each part after its file marker."""
    out = [preamble]
    for index, text in parts:
        out.append(f"\n/*@F{index}*/\n{text}")
    return "".join(out)


# ----------------------------------------------------------------------------------------------
# the builder

@dataclass
class Volume:
    """The edition file's parts of the volume (file 0 of its markers)."""
    preamble: Fragment
    front: Fragment
    back: Fragment


@dataclass
class Made:
    """What the stylesheets made for a build (strings only: it may come from a child process)."""
    volume: dict[str, str] = field(default_factory=dict)        # preamble, front, back
    documents: dict[str, tuple] = field(default_factory=dict)   # key → PdfBuild._transform
    preambles: dict[str, str] = field(default_factory=dict)     # key → its own PDF's preamble
    matter: dict[tuple[str, str], str] = field(default_factory=dict)  # (part, "2/3") → text
    diagnostics: list[Diagnostic] = field(default_factory=list)  # found in the child


def run_apart(work):
    """work() in a forked child process, its result (pickled) back through a pipe; None when
    the child did not finish (killed, or an error: the caller then does the work itself)."""
    import pickle
    import signal
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent handles Ctrl-C
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as f:
                f.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        with os.fdopen(read, "rb") as f:
            data = f.read()
    except BaseException:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    return pickle.loads(data)   # (our own child's)


@dataclass
class Outcome:
    outputs: dict[str, bytes] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)      # previous files kept for failed ones
    notes: list[str] = field(default_factory=list)      # summary lines
    volumes: list[str] = field(default_factory=list)    # the volume's files (pdf_volumes)


class PdfBuild:
    """One `edition build pdf`: the fragments, their characters and their typesetting, with the
    findings about single documents collected as diagnostics."""

    def __init__(self, edition: Edition, job: Job | None = None):
        self.edition = edition
        self.job = job if job is not None else Job(edition, Path("."), pdf_options(edition), report=None)
        self.settings = _settings(edition, self.job.options)
        self.timestamp = _timestamp(edition)
        self.build_date = datetime.fromtimestamp(self.timestamp, timezone.utc).strftime("%Y-%m-%d")
        self.lang = edition.config.language or "en"
        self.bad: dict[str, str] = {}          # character → rule, for the whole build
        self._reported: set[tuple[str, str]] = set()   # (file, character) already reported
        self._style_ok = False
        self.setter: Typesetter | None = None
        self._context = None                   # the edition context in Saxon (PdfBuild.context)
        self.left_out: list[str] = []          # keys of documents not typeset (too large, stale)
        self.stale: list[str] = []             # keys of documents whose file cannot be read now
        # [pdf] template and xslt (docs/customizing.md): read and checked before anything is built
        self.custom = custom.pdf(edition.config)
        custom.install_pdf(self.custom, DOCUMENT_XSL, VOLUME_XSL)
        self._pieces: dict[str, list[Fragment]] = {}   # a long document's pieces in the volume
        self._typeset_ok: dict[str, bool] = {}         # whether a cut document's own PDF was made
        self._told_split: set[tuple[str, str]] = set()
        self.made_hash: dict[str, str] = {}   # a shard's or merge's: what the stylesheet made, hashed

    # -- findings ----------------------------------------------------------------------------
    def problem(self, display: str, line: int, col: int, message: str, rule: str, hint: str = "",
                severity: str = ERROR) -> None:
        self.job.problem(Diagnostic(display, line, col if line else 0, severity, message, rule, hint))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.job.diagnostics

    @property
    def errors(self) -> list[Diagnostic]:
        return self.job.errors

    # -- preparing ---------------------------------------------------------------------------
    def prepare(self) -> tuple[Volume, list[Fragment]]:
        """The volume's parts and every document's fragment (XSLT), bounded in size, with the
        characters the PDF cannot show replaced and reported."""
        if not self.edition.documents:
            raise BuildError("no TEI documents to typeset")
        mode = self.job.options.facsimiles
        self.plates = Plates(self.edition, mode, PDF_DIR) if mode != "none" else None
        todo = self._documents()
        self.made = (self._stylesheets_apart(todo) if self._may_fork() else None) or self._stylesheets(todo)
        self.setter = Typesetter(self.settings["font_paths"], self.settings["standards"], self.timestamp,
                                 self.settings["families"])
        if self.plates is not None:
            self.setter.root = self.plates.root
        self.setter.root = custom.typst_root(self, self.custom, PDF_DIR, self.setter.root)
        volume = self._volume_parts()
        frags = [self._fragment(doc, key, src) for doc, key, src in todo]
        for display, message in self.plates.notes if self.plates is not None else ():
            self.problem(display, 0, 0, message, "pdf.facsimile", severity=WARNING)
        parts = [p for p in (volume.preamble, volume.front, volume.back, *frags) if not p.chars]
        for p in parts:
            p.chars = pdf_chars.candidates(p.typst)
        self._classify(set().union(*(p.chars for p in parts)))
        for p in parts:
            self._clean(p)
        return volume, frags

    @property
    def context(self):
        """The edition context as Saxon reads it (made on first use: a build whose stylesheets
        ran in a child process may never need it here)."""
        if self._context is None:
            self._context = to_xdm(full_context(self.edition))
        return self._context

    def _documents(self) -> list[tuple[Document, str, SourceFile]]:
        """The documents to typeset: not those whose file cannot be read now, nor those above
        [pdf] max_document_pages (each reported)."""
        todo = []
        for doc, key in zip(self.edition.documents, document_keys(self.edition)):
            if canon(doc.file) in self.edition.stale:
                # its file cannot be read now (the runner reports it): its last good PDF is kept,
                # and the volume goes without it until the file is mended
                self.left_out.append(key)
                self.stale.append(key)
                continue
            src = self.edition.files[canon(doc.file)]
            limit = self.settings["max_document_pages"]
            pages = self._estimated_pages(src)
            if pages > limit:
                self.problem(src.display, 0, 0,
                             f"not typeset: the document would make about {pages} pages, more than "
                             f"the limit of {limit} pages per document", "pdf.too-large",
                             f"it is left out of the volume and {key}.pdf is not made (a previous "
                             f"build's is kept); if the machine has the time (long documents are "
                             f"typeset in parts), raise [pdf] max_document_pages in edition.toml")
                self.left_out.append(key)
                continue
            todo.append((doc, key, src))
        shard = self.job.dist.shard if self.job.dist is not None else None
        if shard:  # a shard build (pdf_shard): its documents only
            from .pdf_shard import shard_of
            todo = [t for t in todo if shard_of(t[1], *shard)]
        return todo

    # -- the stylesheets ---------------------------------------------------------------------
    def _may_fork(self) -> bool:
        """Whether the stylesheets can run in a forked child: on POSIX, before Saxon has started
        in this process (a forked GraalVM isolate is unusable), with no other thread, and without
        facsimile plates (whose files and notes the build keeps)."""
        return (hasattr(os, "fork") and not saxon_started() and threading.active_count() == 1
                and self.plates is None)

    def _stylesheets_apart(self, todo) -> Made | None:
        """_stylesheets in a forked child process, with all the typesetting will ask of Saxon:
        Saxon keeps what it took (the context, its heap: about 230 MB for 550 documents) until
        the process ends, and the child's end gives it back before Typst starts (issue #15
        item 14). Its findings are reported here; None when the child failed (the parent then
        runs the stylesheets itself, and reports any error)."""
        found: list[Diagnostic] = []

        def work() -> Made:
            self.job.problem = found.append   # (the child's own copy of the job)
            made = self._stylesheets(todo, ahead=True)
            made.diagnostics = found
            return made
        made = run_apart(work)
        if made is None:
            return None
        for d in made.diagnostics:
            self.job.problem(d)
        made.diagnostics = []
        return made

    def _stylesheets(self, todo, ahead: bool = False) -> Made:
        """The XSLT work: the volume's preamble, front and back matter, every document's
        fragment; `ahead`: also each document's preamble and the parts' front matter, which the
        typesetting would otherwise ask for."""
        ed = self.edition
        src = ed.files.get(ed.edition_path) if ed.edition_path else None
        made = Made()
        # (the front matter is the part with the edition file's text: its tables are told once)
        for name in ("preamble", "front", "back"):
            made.volume[name] = volume_part(ed, self.context, name, self.build_date,
                                            warn=self._table_warner(src) if name == "front" else None)
        for doc, key, s in todo:
            made.documents[key] = self._transform(doc, key, s)
        if ahead:
            for doc, key, _ in todo:
                made.preambles[key] = self._document_preamble(doc, key)
            count = self._part_count(made, todo)
            for number in range(1, count + 1) if count > 1 else ():
                for name in ("preamble", "front"):
                    label = f"{number}/{count}"
                    made.matter[name, label] = volume_part(ed, self.context, name, self.build_date,
                                                           volume_part=label)
        return made

    def _transform(self, doc: Document, key: str, src: SourceFile) -> tuple[str | None, str, int, int]:
        """(fragment, "", 0, 0) of a document, or (None, why, line, column) when the stylesheet
        failed on it."""
        deep = _too_deep(src.root)
        try:
            if deep is not None:
                raise XsltError(f"elements nested more than {SAXON_MAX_DEPTH} deep, more than "
                                f"the XML parser of the PDF stylesheet reads")
            plates = self.plates.element(doc, src) if self.plates is not None else None
            return (document_typst(self.edition, self.context, src, key, self._table_warner(src),
                                   **({"facsimile": plates} if plates is not None else {})), "", 0, 0)
        except XsltError as e:
            line, col = src.position(deep) if deep is not None else (0, 0)
            return None, " ".join(str(e).split()) or "unknown error", line, col

    def _document_preamble(self, doc: Document, key: str) -> str:
        """The preamble of a document's own PDF (its title, its permanent address)."""
        made = getattr(self, "made", None)
        if made is not None and key in made.preambles:
            return made.preambles[key]
        title = f"{doc.date_label or doc.when}: {doc.title}" if (doc.date_label or doc.when) else doc.title
        return volume_part(self.edition, self.context, "preamble", self.build_date, pdf_title=title,
                           permalink=permalink(self.edition, key))

    def _part_count(self, made: Made, todo) -> int:
        """How many parts the volume will have (plan_parts), without telling anything."""
        frags = []
        for doc, key, src in todo:
            f = Fragment(doc, key, src.display, doc.file, made.documents[key][0] or "", src)
            f.text_chars, f.other_chars = _text_sizes(src.root)
            if not f.typst:
                f.degraded = "-"
                f.typst = plain_typst(f, self.lang)
            frags.append(f)
        run_on = self.job.options.run_on_untranscribed
        if not frags or volume_pages(frags, run_on) > self.settings["max_volume_pages"]:
            return 0
        return len(split_parts(self.volume_pieces(frags, tell=False), self.settings["part_pages"], run_on))

    def _volume_parts(self) -> Volume:
        ed = self.edition
        src = ed.files.get(ed.edition_path) if ed.edition_path else None
        display = src.display if src is not None and src.ok else "edition"

        def part(name: str) -> Fragment:
            return Fragment(None, "edition", display, ed.edition_path, self.made.volume[name],
                            src if src is not None and src.ok else None)
        return Volume(part("preamble"), part("front"), part("back"))

    def _fragment(self, doc: Document, key: str, src: SourceFile) -> Fragment:
        frag = Fragment(doc, key, src.display, doc.file, "", src)
        frag.text_chars, frag.other_chars = _text_sizes(src.root)
        typst, reason, line, col = self.made.documents.pop(key)
        if self.job.dist is not None and (self.job.dist.shard or self.job.dist.merge):
            self.made_hash[key] = _hash_made(typst, reason, line, col)
        if typst is not None:
            frag.typst = typst
        else:
            self.problem(src.display, line, col, f"the PDF stylesheet failed on the document: {reason}",
                         "pdf.transform", f"{key}.pdf and the volume show its text without markup")
            self._make_plain(frag, "the PDF stylesheet failed on this document")
        return frag

    def _make_plain(self, frag: Fragment, reason: str) -> None:
        """Turn the fragment into its plain-text stand-in, its characters checked."""
        frag.degraded = reason
        frag.typst = plain_typst(frag, self.lang)
        frag.chars = pdf_chars.candidates(frag.typst)
        self._classify(frag.chars)
        self._clean(frag)

    @staticmethod
    def _estimated_pages(src: SourceFile) -> int:
        """Pages a document would make, from the length of its text (before any XSLT work)."""
        return sum(len(s) for s in src.root.itertext()) // CHARS_PER_PAGE + 4

    def _table_warner(self, src: SourceFile | None):
        """The `warn` of pdf_tables.annotate for a file: a warning per bound table span, at most
        MAX_TABLE_WARNINGS, then one saying how many more."""
        if src is None:
            return None
        count = [0]

        def warn(el, message: str, hint: str) -> None:
            count[0] += 1
            if count[0] <= MAX_TABLE_WARNINGS:
                line, col = src.position(el)
                self.problem(src.display, line, col, message, "pdf.table", hint, severity=WARNING)
            elif count[0] == MAX_TABLE_WARNINGS + 1:
                self.problem(src.display, 0, 0, "more table spans bounded in this file (only the "
                             f"first {MAX_TABLE_WARNINGS} are listed)", "pdf.table", severity=WARNING)
        return warn

    # -- characters --------------------------------------------------------------------------
    def _classify(self, chars: set[str]) -> None:
        """Decide every character not decided yet: an intrinsic problem, else a font's."""
        fresh = {c for c in chars if c not in self.bad}
        for c in fresh:
            rule = pdf_chars.intrinsic(c)
            if rule:
                self.bad[c] = rule
        for c in self.setter.uncovered(c for c in fresh if c not in self.bad):
            self.bad[c] = pdf_chars.GLYPH

    def _clean(self, frag: Fragment, only: set[str] | None = None) -> None:
        """Replace the fragment's bad characters by placeholders and report each once per file,
        in the order they first appear."""
        present = [c for c in (only if only is not None else frag.chars) if c in self.bad
                   and (only is None or c in frag.typst)]
        if not present:
            return
        present.sort(key=frag.typst.find)
        for ch in present:
            self._report_char(ch, frag)
        frag.typst = pdf_chars.substitute(frag.typst, present)
        frag.replaced.update(present)

    def _report_char(self, ch: str, frag: Fragment) -> None:
        sources = [frag.source] if frag.source is not None else []
        if frag.doc is None:  # the volume's parts: the edition file, then the authority files
            sources += [s for p, s in sorted(self.edition.files.items())
                        if p in self.edition.authority_paths and s.ok]
        line = col = 0
        display = frag.display
        for src in sources:
            line, col = pdf_chars.locate(ch, frag.typst, src.data or b"")
            if line:
                display = src.display
                break
        if (display, ch) in self._reported:
            return
        self._reported.add((display, ch))
        rule = self.bad[ch]
        message, hint = pdf_chars.advice(ch, rule, self.settings["font_paths"],
                                        self.settings["font_dirs"])
        self.problem(display, line, col, message, rule, hint)

    # -- typesetting -------------------------------------------------------------------------
    def compile(self, preamble: Fragment, parts: list[tuple[int, Fragment]],
                mapping: list[Fragment]) -> bytes:
        """Typeset; a character the probe missed (a glyph lost only in context) is replaced and
        reported, and the compile tried again."""
        last = None
        for _ in range(3):
            source = self._source(preamble, parts)
            try:
                return self.setter.compile(source, mapping)
            except TypesetError as e:
                new = self._missed(e.glyphs)
                if not new:
                    raise
                last = e
                for c in new:
                    self.bad[c] = pdf_chars.intrinsic(c) or pdf_chars.GLYPH
                for _, p in parts:
                    self._clean(p, new)
                self._substitute(preamble)
        raise last

    @staticmethod
    def _source(preamble: Fragment, parts: list[tuple[int, Fragment]]) -> str:
        shows = preamble.replaced or any(p.replaced for _, p in parts)
        return assemble(preamble.typst + (PLACEHOLDERS if shows else ""), [(i, p.typst) for i, p in parts])

    def _missed(self, clusters: tuple[str, ...]) -> set[str]:
        """The characters to blame for glyphs the compile found missing: in each cluster, those
        no font has alone, else its non-ASCII ones (a mark a font lacks after its base)."""
        blamed = set()
        for cluster in clusters:
            chars = {c for c in cluster if not c.isspace() and c not in self.bad}
            blamed |= self.setter.uncovered(chars) or {c for c in chars if ord(c) > 127}
        return blamed

    def _substitute(self, frag: Fragment) -> None:
        """Placeholders for the bad characters of a part already reported (a preamble)."""
        text = pdf_chars.substitute(frag.typst, self.bad)
        if text != frag.typst:
            frag.replaced.update(c for c in self.bad if c in frag.typst)
            frag.typst = text

    def check_style(self, volume: Volume) -> None:
        """After a document failed: is it the document, or the house style? A minimal document
        must typeset, else the build stops."""
        if self._style_ok:
            return
        canary = Fragment(None, "canary", TEMPLATE.name, None,
                          '#ed-document(key: "ed-canary", title: "Canary")[#ed-p[#"Text";]]\n')
        try:
            self.compile(volume.preamble, [(0, canary)], [canary])
        except TypesetError as e:
            style = f"template {self.custom.template_shown}" if self.custom.template else f"house style {TEMPLATE}"
            raise BuildError(f"the PDF {style} does not typeset: {e.text}") from None
        self._style_ok = True

    def typeset_document(self, volume: Volume, frag: Fragment) -> bytes | None:
        """The document's own PDF; as plain text when Typst fails on it; None when that fails
        too (the document is then left out of the volume)."""
        pre = self._own_preamble(volume, frag)
        if self.setter.remote is not None:
            self.setter.remote.document(frag.key)
        try:
            return self._compile_document(pre, frag)
        except TypesetError as e:
            first = e
        self.check_style(volume)
        if not frag.degraded:
            self._make_plain(frag, "Typst could not typeset this document")
            try:
                pdf = self._compile_document(pre, frag)
                self.problem(frag.display, first.line, 1, f"the document could not be typeset: "
                             f"{first.text}", "pdf.typeset",
                             f"{frag.key}.pdf and the volume show its text without markup")
                return pdf
            except TypesetError:
                pass
        self.problem(frag.display, first.line, 1, f"the document could not be typeset: {first.text}",
                     "pdf.typeset", f"it is left out of the volume; {frag.key}.pdf is not made "
                     f"(a previous build's is kept)")
        return None

    def _own_preamble(self, volume: Volume, frag: Fragment) -> Fragment:
        """The preamble of the document's own PDF, its characters checked."""
        pre = Fragment(None, "preamble", volume.preamble.display, None,
                       self._document_preamble(frag.doc, frag.key))
        self._classify(pdf_chars.candidates(pre.typst))
        self._substitute(pre)
        return pre

    def send_ahead(self, volume: Volume, frags: list[Fragment]) -> None:
        """Give the remote compiler (setter.remote) the documents' own PDFs' sources, made as
        it reads them, in the order typeset_document will first ask for them: they are compiled
        while this process goes on (a source changed meanwhile, by a character found bad in the
        volume, is sent again). Documents typeset in parts are not: each part's first page
        follows the one before."""
        kwargs = self.setter.kwargs()
        run_on, each = self.job.options.run_on_untranscribed, self.settings["document_part_pages"]
        self.setter.remote.prefetch((self._source(self._own_preamble(volume, f), [(0, f)]), kwargs)
                                    for f in frags if estimated_pages(f, run_on) <= each)

    def _compile_document(self, pre: Fragment, frag: Fragment) -> bytes:
        """The document's own PDF: one compile, or for a document estimated above [pdf]
        document_part_pages one compile a piece (pdf_split), each after the memory of the one
        before is released, page and note numbers going on; their PDFs joined."""
        cut = self._cut(frag, self.settings["document_part_pages"])
        if cut is None:
            return self.compile(pre, [(0, frag)], [frag])
        split, pieces, cut_para = cut
        self._tell_split(frag, f"it is typeset in {len(pieces)} parts of about "
                         f"{self.settings['document_part_pages']} pages ([pdf] document_part_pages) "
                         f"and {frag.key}.pdf joined from them: each part but the last ends its "
                         f"last page early, and the joined PDF is not PDF/A or PDF/UA", cut_para)
        pdfs, page = [], 1
        for i, (chunk, notes) in enumerate(pieces):
            if i:
                self.setter.release()
            part = dataclasses.replace(frag, typst=split.piece(chunk, i == 0, notes, page if i else None))
            self._substitute(part)  # characters found bad in an earlier piece
            # (the joined PDF claims no conformance anyway)
            with self._without_ua(i > 0):
                pdfs.append(self.compile(pre, [(0, part)], [part]))
            page += pdf_page_count(pdfs[-1])
        self.setter.release()   # (the last piece's layout: pypdf's join takes some 70 KB a page)
        return join_pdfs(pdfs)

    @contextlib.contextmanager
    def _without_ua(self, drop: bool):
        """Typeset without PDF/UA, when `drop`: a part that begins inside a document has not
        the document's heading, and PDF/UA wants a first heading of level 1 and no level
        skipped from there (the part's first heading may be a section's of level 3)."""
        standards = self.setter.standards
        if drop:
            self.setter.standards = [s for s in standards if not s.startswith("ua")]
        try:
            yield
        finally:
            self.setter.standards = standards

    def _cut(self, frag: Fragment, pages_each: int):
        """pdf_split.plan of a document estimated above `pages_each` pages; None otherwise."""
        pages = estimated_pages(frag, self.job.options.run_on_untranscribed)
        if frag.doc is None or pages <= pages_each:
            return None
        return pdf_split.plan(frag.typst, pages, pages_each)

    def _tell_split(self, frag: Fragment, how: str, cut_para: bool) -> None:
        if (frag.key, how) in self._told_split:
            return
        self._told_split.add((frag.key, how))
        pages = round(estimated_pages(frag, self.job.options.run_on_untranscribed))
        para = ("; a paragraph longer than a part is cut after a sentence, where it shows as a "
                "paragraph break") if cut_para else ""
        self.problem(frag.display, 0, 0, f"a long document (about {pages} pages): {how}{para}",
                     "pdf.document-split", "Typst's memory follows the part; raise [pdf] "
                     "document_part_pages or part_pages for fewer parts", severity=WARNING)

    def volume_pieces(self, frags: list[Fragment], tell: bool = True) -> list[Fragment]:
        """The volume's documents, one estimated above [pdf] part_pages as pieces of that size
        (pdf_split), so that it goes on across the volume's parts."""
        out = []
        for f in frags:
            cut = self._cut(f, self.settings["part_pages"])
            if cut is None:
                out.append(f)
                continue
            split, pieces, cut_para = cut
            if tell:
                self._tell_split(f, f"the volume has it in {len(pieces)} pieces of about "
                                 f"{self.settings['part_pages']} pages ([pdf] part_pages)", cut_para)
            body = max(len(split.body), 1)
            made = [Fragment(f.doc, f.key, f.display, f.path, split.piece(chunk, i == 0, notes),
                             f.source, f.degraded, f.chars, f.replaced,
                             text_chars=f.text_chars * len(chunk) // body,
                             other_chars=f.other_chars if i == 0 else 0, whole=f, piece=i)
                    for i, (chunk, notes) in enumerate(pieces)]
            if tell:
                self._pieces[f.key] = made
            out.extend(made)
        return out

    def _recut(self, whole: Fragment) -> None:
        """A document's pieces in the volume again, from its plain-text stand-in (its own PDF
        needed it): as many as before, so they keep their places in the parts."""
        made = self._pieces.get(whole.key, [])
        split = pdf_split.parse(whole.typst)
        if not made or split is None:
            return
        count = len(made)
        pieces, _ = pdf_split.chunks(split.body, -(-len(split.body) // count))
        notes, with_notes = 0, []
        for chunk in pieces:
            with_notes.append((chunk, notes))
            notes += pdf_split.notes_in(chunk)
        for i, (chunk, notes) in enumerate(pdf_split.regroup(with_notes, count)):
            made[i].typst = split.piece(chunk, i == 0, notes)
            made[i].degraded = whole.degraded

    @contextlib.contextmanager
    def distributed(self):
        """The compiles where job.dist says (pdf_engine): on a Dask cluster, recorded for a
        shard, answered from the shards for a merge (pdf_shard), or here."""
        dist = self.job.dist
        if dist is None or (dist.engine != "dask" and not dist.shard and not dist.merge):
            yield
            return
        from . import pdf_engine, pdf_shard
        setup = pdf_engine.make_setup(self.setter, PDF_DIR, self.settings["font_dirs"])
        remote = None
        if dist.shard:
            remote = pdf_shard.ShardRecorder(self.setter, setup.key)
        elif dist.merge:  # (shards that do not fit this build: refused before a cluster starts)
            inputs = {k: pdf_shard.document_key(setup.key, k, t) for k, t in self.made_hash.items()}
            remote = pdf_shard.MergeTypesetting(self.setter, setup.key, pdf_shard.read_pdf_shards(dist.merge),
                                                inputs)
        if dist.engine == "dask":  # (a shard's or a merge's own compiles there too)
            from .engine import DaskEngine
            cluster = pdf_engine.DaskTypesetting(DaskEngine(dist.scheduler, dist.workers), self.setter, setup)
            if remote is None:
                remote = cluster
            else:
                remote.inner = cluster
        self.setter.remote = remote
        try:
            yield
        finally:
            self.setter.remote.close()
            self.setter.remote = None

    def typeset_shard(self, volume: Volume, frags: list[Fragment]) -> Outcome:
        """A shard's result (pdf_shard): its documents' own PDFs typeset, every compile kept."""
        from .pdf_shard import document_key
        recorder = self.setter.remote
        self.send_ahead(volume, frags)
        for f in frags:
            self._document_pdf(volume, f, Outcome())
        i, n = self.job.dist.shard
        documents = {f.key: document_key(recorder.key, f.key, self.made_hash[f.key]) for f in frags}
        out = Outcome(outputs=recorder.record(i, n, documents))
        out.notes.append(f"shard {i}/{n}: the PDFs of {len(documents)} of {len(self.edition.documents)} "
                         f"documents; merge the shards with `edition build pdf --merge DIR …`")
        return out

    def typeset_volume(self, volume: Volume, frags: list[Fragment], name: str = "edition.pdf") -> bytes | None:
        """The volume of the documents that typeset; a document the volume alone fails on is
        left out of it (reported), and the volume made again."""
        frags = list(frags)
        while frags:
            mapping = [volume.front, *frags]
            parts = [(0, volume.front), *((i + 1, f) for i, f in enumerate(frags)), (0, volume.back)]
            try:
                return self.compile(volume.preamble, parts, mapping)
            except TypesetError as e:
                if not e.part:  # the edition file's parts, or nowhere: not one document's fault
                    self.check_style(volume)
                    self.problem(e.display, e.line, 1, f"the volume could not be typeset: {e.text}",
                                 "pdf.typeset", f"{name} is not made (a previous build's is kept)")
                    return None
                bad = frags.pop(e.part - 1)
                self.problem(bad.display, e.line, 1, f"the volume could not be typeset with this "
                             f"document: {e.text}", "pdf.typeset", "it is left out of the volume")
        return None

    def typeset(self, volume: Volume, frags: list[Fragment]) -> Outcome:
        """Every document's PDF, then the volume: in parts when it is long, each part's documents
        typeset just before it and Typst's memory released in between (Typesetter.release)."""
        out = Outcome(kept=[f"{key}.pdf" for key in self.left_out])
        if self.stale:
            out.notes.append(f"edition.pdf leaves out {len(self.stale)} document"
                             f"{'s' if len(self.stale) != 1 else ''} whose source cannot be read now "
                             f"({', '.join(self.stale)}); their previous PDFs are kept")
        if self.setter.remote is not None:
            self.send_ahead(volume, frags)
        parts = self.plan_parts(frags, out)
        names = self.part_names(len(parts))
        out.volumes = names if parts else []
        for number, part in enumerate(parts or [frags], 1):
            done = [f for f in part if self._own_pdf(volume, f, out)]
            if not parts:
                continue
            name = names[number - 1]
            if not done:
                out.notes.append(f"{name} not built: no document of it could be typeset")
                continue
            # the documents' layouts (and a previous part's) go before the part is typeset
            self.setter.release()
            with self._without_ua(done[0].piece > 0):   # it begins inside a long document
                pdf = self.typeset_volume(self.part_volume(volume, number, len(parts)), done, name)
            if pdf is None:
                out.kept.append(name)
            else:
                out.outputs[name] = pdf
        if len(parts) > 1:
            out.notes.append(f"the volume is published in {len(parts)} parts ({names[0]} … "
                             f"{names[-1]}), each of about {self.settings['part_pages']} "
                             f"pages or less ([pdf] part_pages)")
        return out

    def part_names(self, count: int) -> list[str]:
        """The volume's file names: edition.pdf, or edition-1.pdf … for parts; "-part" is added
        to the stem while a document's PDF has one of those names (a document edition-2)."""
        if count <= 1:
            return ["edition.pdf"]
        keys = {d.casefold() for d in document_keys(self.edition)}
        stem = "edition"
        while any(f"{stem}-{i}".casefold() in keys for i in range(1, count + 1)):
            stem += "-part"
        return [f"{stem}-{i}.pdf" for i in range(1, count + 1)]

    def plan_parts(self, frags: list[Fragment], out: Outcome) -> list[list[Fragment]]:
        """The volume's parts ([pdf] part_pages); none when there is nothing to typeset or the
        whole would pass [pdf] max_volume_pages, which a warning says."""
        run_on = self.job.options.run_on_untranscribed
        if not frags:
            out.notes.append("edition.pdf not built: no document could be typeset")
            return []
        pages, limit = volume_pages(frags, run_on), self.settings["max_volume_pages"]
        if pages > limit:
            message = (f"the volume is not built: it would have about {pages} pages, more than the "
                       f"limit of {limit}")
            self.problem(self._edition_display(), 0, 0, message, "pdf.volume-too-large",
                         "raise [pdf] max_volume_pages in edition.toml (the volume is typeset in "
                         "parts of [pdf] part_pages, so memory does not grow with it); the "
                         "per-document PDFs are built", severity=WARNING)
            out.notes.append(f"edition.pdf not built: {message} ([pdf] max_volume_pages)")
            return []
        return split_parts(self.volume_pieces(frags), self.settings["part_pages"], run_on)

    def _edition_display(self) -> str:
        src = self.edition.files.get(self.edition.edition_path) if self.edition.edition_path else None
        return src.display if src is not None and src.ok else "edition.toml"

    def part_volume(self, volume: Volume, number: int, count: int) -> Volume:
        """The volume's parts for part `number` of `count`: its title says which part it is."""
        if count == 1:
            return volume
        label = f"{number}/{count}"

        def made(name: str) -> Fragment:
            text = self.made.matter.get((name, label)) if getattr(self, "made", None) else None
            if text is None:   # (not made ahead: the stylesheets ran here, or the count differs)
                text = volume_part(self.edition, self.context, name, self.build_date, volume_part=label)
            frag = Fragment(None, "edition", volume.preamble.display, volume.preamble.path,
                            text, volume.preamble.source)
            self._classify(pdf_chars.candidates(frag.typst))
            self._substitute(frag)
            return frag
        return Volume(made("preamble"), made("front"), volume.back)

    def _own_pdf(self, volume: Volume, f: Fragment, out: Outcome) -> bool:
        """The document's own PDF for a fragment of the volume (for the first piece of a long
        document: the whole document's); whether the fragment can go into the volume."""
        if f.whole is None:
            return self._document_pdf(volume, f, out)
        if f.piece == 0:
            was = f.whole.degraded
            self._typeset_ok[f.key] = self._document_pdf(volume, f.whole, out)
            if f.whole.degraded != was:
                self._recut(f.whole)
        return self._typeset_ok.get(f.key, False)

    def _document_pdf(self, volume: Volume, f: Fragment, out: Outcome) -> bool:
        """The document's own PDF into `out`; whether it could be typeset."""
        pdf = self.typeset_document(volume, f)
        if pdf is None:
            out.kept.append(f"{f.key}.pdf")
            return False
        out.outputs[f"{f.key}.pdf"] = pdf
        if f.degraded:
            out.notes.append(f"plain-text {f.key}.pdf for {f.display}: {f.degraded}")
        elif f.replaced:
            n = len(f.replaced)
            out.notes.append(f"placeholders in {f.key}.pdf for {n} character{'s' if n != 1 else ''} "
                             f"of {f.display}")
        return True


def _hash_made(typst: str | None, reason: str, line: int, col: int) -> str:
    """What the stylesheet made of a document (PdfBuild._transform), hashed: a shard records
    it and a merge compares it (pdf_shard.document_key)."""
    import hashlib
    return hashlib.sha256(f"{typst}\0{reason}\0{line}\0{col}".encode("utf-8")).hexdigest()


def _publish(target: Path, out: Outcome) -> None:
    """Write the PDFs; a PDF that could not be made keeps the previous build's file, if any."""
    try:
        with staged_output(target) as stage:
            for name, data in out.outputs.items():
                write_file(stage / name, data)
            for name in out.kept:
                old = target / name
                if old.is_file() and not old.is_symlink():
                    try:
                        os.link(old, stage / name)
                    except OSError:
                        write_file(stage / name, old.read_bytes())
                    out.notes.append(f"kept the previous build's {name}")
            # the volume's names, for the HTML home page's links (pdf_volumes)
            written = _all_files(stage)
            write_manifest(stage, {name: "" for name in written},
                           extra={"builder": "pdf", "volumes": [n for n in out.volumes if n in written]})
    except OSError as e:
        raise BuildError(f"cannot write the PDFs to {target}: {e.strerror or e}") from None


def permalink(edition: Edition, key: str) -> str:
    """The permanent address of a document's HTML page (its page name under doc/), when the
    edition says where its site is published ([html] base_url); "" otherwise."""
    try:
        base = getattr(edition.config.options("html"), "base_url", "") or ""
    except (KeyError, AttributeError):
        return ""
    return f"{base.rstrip('/')}/doc/{key}.html" if base else ""


def pdf_options(edition: Edition) -> PdfOptions:
    """The [pdf] options of the edition (checked when edition.toml was read)."""
    return edition.config.options("pdf")


class PdfBuilder(Builder):
    name = "pdf"
    description = "Typeset PDF volume and per-document PDFs (output/pdf). PATHS: ad hoc, as for html."
    options = PdfOptions
    supports_incremental = False  # each build typesets every document: Typst's work is not kept between builds
    distributable = True  # --engine dask, --shard, --merge (pdf_engine.py, pdf_shard.py)
    default = True

    def plan(self, job: Job) -> tuple[PdfBuild, Volume, list[Fragment]]:
        """Every document's fragment (XSLT), its characters checked: what the build typesets."""
        if job.dist is not None and job.dist.merge:  # shards that do not fit: before any work
            from .pdf_shard import read_pdf_shards
            read_pdf_shards(job.dist.merge)
        build = PdfBuild(job.edition, job)
        volume, frags = build.prepare()
        job.check_strict("the PDFs")
        return build, volume, frags

    def build(self, job: Job, plan) -> BuildResult:
        build, volume, frags = plan
        with build.distributed():
            shard = job.dist is not None and job.dist.shard
            out = build.typeset_shard(volume, frags) if shard else build.typeset(volume, frags)
        job.check_strict("the PDFs")
        _publish(job.target, out)
        result = BuildResult("pdf", job.target, written=len(out.outputs))
        result.messages.extend(out.notes)
        for w in build.setter.warnings:
            result.messages.append(f"typst warning: {w}")
        return result


def build_pdf(edition: Edition, target: Path, full: bool = False, interactive: bool = False,
              strict: bool = False, report=print_diagnostics) -> BuildResult:
    """Build the PDFs (base.run: the shared policy). Findings about single documents are in the
    result's diagnostics (and given to `report` as they come); with `strict`, any error among
    them fails the build before anything is written."""
    job = Job(edition, Path(target), pdf_options(edition), full=full, interactive=interactive,
              strict=strict, report=report)
    return run(PdfBuilder(), job)
