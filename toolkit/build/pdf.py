"""`edition build pdf`: TEI → Typst (XSLT 3.0, saxonche) → PDF (the typst package, in-process).

Writes `edition.pdf` (the volume: title page, contents, editorial note, the documents in date
order, indices, list of sources) and `<document-id>.pdf` for each document, into a staging
folder that replaces the output folder only when everything typeset.

How it fits together:
- xslt/pdf/document.xsl turns one TEI document into a Typst fragment (a call of ed-document);
  xslt/pdf/volume.xsl makes the preamble, front and back matter from tei/edition.xml and the
  edition context. All look is in xslt/pdf/edition.typ, the house-style template.
- The fragments are compiled once per PDF by one typst.Compiler (fonts loaded once), with
  PDF/A-2b + PDF/UA-1 by default. Indices, contents and running heads are computed by Typst
  itself from invisible markers, in the same compile.
- Every element of the TEI copy given to Saxon carries its source line; the stylesheets write it
  as /*@L<line>*/ markers, so a Typst error is reported against the TEI file and line.
"""
from __future__ import annotations

import copy
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from ..model import Document, Edition, canon
from ..saxon import XSLT_DIR, XsltError, compile_stylesheet, processor, to_xdm, transform
from .publish import staged_output, write_file
from .runner import BuildError, BuildResult

PDF_DIR = XSLT_DIR / "pdf"
DOCUMENT_XSL = PDF_DIR / "document.xsl"
VOLUME_XSL = PDF_DIR / "volume.xsl"
TEMPLATE = PDF_DIR / "edition.typ"
LINE_NS = "urn:x-tei-edition:line"
_LN = "{%s}n" % LINE_NS

# Fonts from installed Debian packages (fonts-dejavu-core, fonts-noto-cjk); Typst itself bundles
# Libertinus Serif, New Computer Modern and DejaVu Sans Mono. System fonts are not scanned, so
# the result does not depend on what else happens to be installed.
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/noto"]
DEFAULT_STANDARDS = ["a-2b", "ua-1"]
# A volume estimated above this many pages is not built (Typst holds ~2.4 MB per page while
# laying out); the per-document PDFs still are. Configurable: [pdf] max_volume_pages.
MAX_VOLUME_PAGES = 2000
CHARS_PER_PAGE = 2600

_MARK = re.compile(r"/\*@([LF])(\d+)\*/")
_LOC = re.compile(r"┌─ (\S+?):(\d+):(\d+)")
_GLYPH = re.compile(r'the text `"(.*?)"` could not be displayed with font `"([^"]*)"`', re.S)


@dataclass
class Fragment:
    doc: Document | None       # None for the edition file's parts
    key: str
    display: str               # the TEI file as the user named it
    path: Path | None
    typst: str


class TypesetError(Exception):
    """Typst failed; the message names the TEI file and line."""


# ----------------------------------------------------------------------------------------------
# settings

def _settings(edition: Edition) -> dict:
    cfg = dict(edition.config.extra.get("pdf", {}) or {})
    standards = cfg.get("standards", DEFAULT_STANDARDS)
    if isinstance(standards, str):
        standards = [standards]
    fonts = [str(edition.config.resolve(p)) for p in cfg.get("font_paths", [])]
    return {
        "standards": [s for s in standards if s],
        "font_paths": fonts + [d for d in FONT_DIRS if Path(d).is_dir()],
        "max_volume_pages": int(cfg.get("max_volume_pages", MAX_VOLUME_PAGES)),
    }


def _timestamp(edition: Edition) -> int:
    """PDF creation date: SOURCE_DATE_EPOCH (reproducible builds), the edition's publication
    date, or now."""
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
    return int(time.time())


def _edition_tree(edition: Edition):
    if edition.edition_path is None:
        return None
    src = edition.files.get(edition.edition_path)
    return src.root if src is not None and src.ok else None


# ----------------------------------------------------------------------------------------------
# TEI → Typst

def _with_lines(root: etree._Element) -> etree._Element:
    """A copy of the tree whose elements carry their source line (the input is never changed)."""
    tree = copy.deepcopy(root)
    for el in tree.iter():
        if isinstance(el.tag, str) and el.sourceline:
            el.set(_LN, str(el.sourceline))
    return tree


def _safe_name(s: str) -> str:
    return re.sub(r"[^\w.-]+", "_", s).strip("._") or "document"


def _params(**kw) -> dict:
    """Stylesheet parameters as XDM values, made before saxon.transform takes its lock."""
    proc = processor()
    return {k.replace("_", "-"): (proc.make_string_value(v) if isinstance(v, str) else v)
            for k, v in kw.items()}


def document_fragments(edition: Edition, context) -> list[Fragment]:
    exe = compile_stylesheet(DOCUMENT_XSL)
    frags: list[Fragment] = []
    used: set[str] = set()
    for doc in edition.documents:
        src = edition.files[canon(doc.file)]
        key = _safe_name(doc.id)
        base = key
        n = 2
        while key in used:
            key = f"{base}-{n}"
            n += 1
        used.add(key)
        try:
            text = transform(exe, to_xdm(etree.ElementTree(_with_lines(src.root)), doc.file.as_uri()),
                             _params(edition_context=context, doc_key=key,
                                     default_lang=edition.config.language or "en"))
        except XsltError as e:
            raise BuildError(f"{src.display}: the PDF stylesheet failed: {e}") from None
        frags.append(Fragment(doc, key, src.display, doc.file, text))
    return frags


def volume_part(edition: Edition, context, part: str, build_date: str, pdf_title: str = "") -> str:
    exe = compile_stylesheet(VOLUME_XSL)
    root = _edition_tree(edition)
    if root is not None:
        source = to_xdm(etree.ElementTree(_with_lines(root)), edition.edition_path.as_uri())
    else:
        source = to_xdm('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    try:
        return transform(exe, source, _params(edition_context=context, part=part,
                                              build_date=build_date, pdf_title=pdf_title,
                                              default_lang=edition.config.language or "en"))
    except XsltError as e:
        raise BuildError(f"the PDF stylesheet volume.xsl failed: {e}") from None


# ----------------------------------------------------------------------------------------------
# Typst

class Typesetter:
    """One typst.Compiler for the whole build: fonts are read once, caches shared."""

    def __init__(self, font_paths: list[str], standards: list[str], timestamp: int | None = None):
        import typst
        self._typst = typst
        self.compiler = typst.Compiler(root=str(PDF_DIR), font_paths=font_paths,
                                       ignore_system_fonts=True)
        self.standards = standards
        self.timestamp = timestamp
        self.warnings: list[str] = []

    def compile(self, source: str, parts: list[Fragment]) -> bytes:
        try:
            kwargs = {"pdf_standards": self.standards} if self.standards else {}
            if self.timestamp is not None:
                kwargs["timestamp"] = self.timestamp
            pdf, warnings = self.compiler.compile_with_warnings(input=source.encode("utf-8"),
                                                                **kwargs)
        except self._typst.TypstError as e:
            raise TypesetError(self.explain(e, source, parts)) from None
        for w in warnings or []:
            msg = getattr(w, "message", str(w))
            if msg not in self.warnings:
                self.warnings.append(msg)
        return pdf

    def covered(self, ch: str) -> bool:
        """Whether some font of the house style can show the character."""
        probe = f'#import "/edition.typ": style\n#set text(font: style.font)\n#"{_typst_escape(ch)}";\n'
        try:
            self.compiler.compile(input=probe.encode("utf-8"), pdf_standards=["a-2b"])
            return True
        except self._typst.TypstError:
            return False

    # -- errors mapped back to TEI -------------------------------------------------------------
    def explain(self, e, source: str, parts: list[Fragment]) -> str:
        message = getattr(e, "message", str(e))
        hints = list(getattr(e, "hints", []) or [])
        m = _GLYPH.search(message)
        if m:
            return self._missing_glyph(m.group(1), m.group(2), parts)
        diag = getattr(e, "diagnostic", "") or ""
        where = None
        lines = source.split("\n")
        for name, line, col in _LOC.findall(diag):
            if name.endswith("__typst_py_bytes__.typ") or name.startswith("__typst_py"):
                where = _map_back(lines, int(line), int(col), parts)
                if where:
                    break
        text = f"typesetting failed: {message}" + (f" ({'; '.join(hints)})" if hints else "")
        if where:
            display, tei_line = where
            return f"{display}:{tei_line}:1: {text}"
        return f"{parts[0].display if parts else 'PDF'}:1:1: {text}"

    def _missing_glyph(self, text: str, font: str, parts: list[Fragment]) -> str:
        text = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m.group(1), 16)), text)
        text = text.replace('\\"', '"').replace("\\\\", "\\")
        candidates = [c for c in dict.fromkeys(text) if not c.isspace()]
        missing = next((c for c in candidates if ord(c) > 127 and not self.covered(c)),
                       candidates[0] if candidates else "?")
        name = unicodedata.name(missing, "unnamed character")
        where = _find_char(missing, parts)
        what = (f"the character '{missing}' (U+{ord(missing):04X} {name}) cannot be shown by any "
                f"font of the PDF edition (tried {font} and the fallbacks)")
        hint = ("install a font that covers it (for Chinese/Japanese/Korean: the Debian package "
                "fonts-noto-cjk) or list its folder in edition.toml [pdf] font_paths")
        if where:
            display, line, col, doc_id = where
            return f"{display}:{line}:{col}: {what}, in document {doc_id}; {hint}"
        return f"{what}; {hint}"


def _typst_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def _map_back(lines: list[str], line: int, col: int, parts: list[Fragment]):
    """(TEI display path, TEI line) of the generated Typst position, from the nearest markers."""
    upto = "\n".join(lines[:line - 1] + [lines[line - 1][:max(col, 1)] if line - 1 < len(lines) else ""])
    tei_line = file_index = None
    for kind, num in _MARK.findall(upto):
        if kind == "F":
            file_index, tei_line = int(num), None
        else:
            tei_line = int(num)
    if file_index is None or file_index >= len(parts):
        return None
    return parts[file_index].display, tei_line or 1


def _find_char(ch: str, parts: list[Fragment]):
    """File, line, column where a character first occurs in the TEI sources of a PDF."""
    pats = [ch.encode("utf-8"), f"&#x{ord(ch):x};".encode(), f"&#x{ord(ch):X};".encode(),
            f"&#{ord(ch)};".encode()]
    for part in parts:
        if part.path is None:
            continue
        try:
            data = part.path.read_bytes()
        except OSError:
            continue
        for p in pats:
            i = data.find(p)
            if i < 0 and p.startswith(b"&#x"):
                i = data.lower().find(p.lower())
            if i >= 0:
                line = data.count(b"\n", 0, i) + 1
                col = len(data[data.rfind(b"\n", 0, i) + 1:i].decode("utf-8", "replace")) + 1
                return part.display, line, col, (part.doc.id if part.doc else part.key)
    return None


def assemble(preamble: str, parts: list[tuple[int, str]]) -> str:
    """The main Typst source: preamble, then each part after its file marker."""
    out = [preamble]
    for index, text in parts:
        out.append(f"\n/*@F{index}*/\n{text}")
    return "".join(out)


# ----------------------------------------------------------------------------------------------
# the builder

def build_pdf(edition: Edition, target: Path, full: bool = False, interactive: bool = False) -> BuildResult:
    result = BuildResult("pdf", Path(target))
    settings = _settings(edition)
    timestamp = _timestamp(edition)
    build_date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    if not edition.documents:
        raise BuildError("no TEI documents to typeset")
    context = to_xdm(edition.context_document())
    frags = document_fragments(edition, context)
    ed_root = _edition_tree(edition)
    ed_part = Fragment(None, "edition", edition.files[edition.edition_path].display
                       if ed_root is not None else "edition", edition.edition_path, "")
    preamble = volume_part(edition, context, "preamble", build_date)
    front = volume_part(edition, context, "front", build_date)
    back = volume_part(edition, context, "back", build_date)

    setter = Typesetter(settings["font_paths"], settings["standards"], timestamp)
    errors: list[str] = []
    outputs: dict[str, bytes] = {}

    # the volume: edition file parts are file 0, documents 1…n
    est_pages = sum(len(f.typst) for f in frags) // CHARS_PER_PAGE + 4 * len(frags)
    if est_pages > settings["max_volume_pages"]:
        result.messages.append(
            f"edition.pdf not built: the volume would have about {est_pages} pages, more than "
            f"the limit of {settings['max_volume_pages']} ([pdf] max_volume_pages in edition.toml); "
            f"the per-document PDFs are built")
    else:
        parts = [ed_part] + frags
        source = assemble(preamble, [(0, front)] + [(i + 1, f.typst) for i, f in enumerate(frags)]
                          + [(0, back)])
        try:
            outputs["edition.pdf"] = setter.compile(source, parts)
        except TypesetError as e:
            errors.append(str(e))

    for f in frags:
        title = f"{f.doc.date_label or f.doc.when}: {f.doc.title}" if (f.doc.date_label or f.doc.when) \
            else f.doc.title
        pre = volume_part(edition, context, "preamble", build_date, pdf_title=title)
        try:
            outputs[f"{f.key}.pdf"] = setter.compile(assemble(pre, [(0, f.typst)]), [f])
        except TypesetError as e:
            if str(e) not in errors:
                errors.append(str(e))
    if errors:
        raise BuildError("\n".join(errors))

    with staged_output(Path(target)) as stage:
        for name, data in outputs.items():
            write_file(stage / name, data)
    result.written = len(outputs)
    for w in setter.warnings:
        result.messages.append(f"typst warning: {w}")
    return result
