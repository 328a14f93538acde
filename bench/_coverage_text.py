"""Text and tokens for bench/coverage.py: what a TEI source says, what an HTML page or a PDF shows,
and how much of the one is found in the other.

Tokens: maximal runs of letters and combining marks (Unicode L*, M*), maximal runs of digits
(N*), and every CJK character (Han, kana, Bopomofo) a token by itself. Before splitting, text is
NFC-normalised, format characters (Cf: soft hyphen, ZWJ/ZWNJ, bidi controls, word joiner) are
dropped, and tokens are casefolded. Letters and digits are separate runs so that a footnote
number glued to a word ("word1" in a page or a PDF) does not hide the word.

Matching is a multiset intersection: a source token is found when the output still has an
unused token equal to it, whatever the order or layout.
"""
from __future__ import annotations

import copy
import os
import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from lxml import etree, html as lhtml

TEI_NS = "http://www.tei-c.org/ns/1.0"
XI_NS = "http://www.w3.org/2001/XInclude"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = "{%s}" % TEI_NS


# -- tokens ----------------------------------------------------------------------------------
_CJK_RANGES = [(0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B),
               (0x3040, 0x30FF), (0x3100, 0x312F), (0x31A0, 0x31BF), (0x31F0, 0x31FF),
               (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F),
               (0x20000, 0x3FFFF)]


def _is_cjk(cp: int) -> bool:
    return any(a <= cp <= b for a, b in _CJK_RANGES)


def _ranges(pred) -> str:
    """A regex character class body for the code points where pred(category, cp) holds."""
    out, start, prev = [], None, None
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            ok = False
        else:
            ok = pred(unicodedata.category(chr(cp)), cp)
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            out.append((start, prev))
            start = None
        prev = cp
    if start is not None:
        out.append((start, prev))
    return "".join(_esc(a) if a == b else f"{_esc(a)}-{_esc(b)}" for a, b in out)


def _esc(cp: int) -> str:
    return re.escape(chr(cp))


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern:
    # built once per process from this Python's Unicode tables (about half a second)
    letters = _ranges(lambda cat, cp: cat[0] in "LM" and not _is_cjk(cp))
    digits = _ranges(lambda cat, cp: cat[0] == "N" and not _is_cjk(cp))
    return re.compile(f"[{_cjk_class()}]|[{letters}]+|[{digits}]+")


def _cjk_class() -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _CJK_RANGES)


@lru_cache(maxsize=1)
def _run_re() -> tuple[re.Pattern, re.Pattern]:
    """A quick first cut (word characters and the BMP's marks: one character class) and a test
    for what it cannot cut (CJK, characters beyond the BMP); only runs that are not plain letters
    go through _token_re, whose many ranges are slow."""
    marks = _ranges(lambda cat, cp: cat[0] == "M" and cp < 0x10000)
    return re.compile(f"[\\w{marks}]+"), re.compile(f"[{_cjk_class()}\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _format_re() -> re.Pattern:
    return re.compile(f"[{_ranges(lambda cat, cp: cat == 'Cf')}]")


def normalise(text: str) -> str:
    text = _format_re().sub("", unicodedata.normalize("NFC", text))
    return unicodedata.normalize("NFC", text.casefold())


def tokens(text: str) -> list[str]:
    text = normalise(text)
    runs, special = _run_re()
    if special.search(text) is not None:
        return _token_re().findall(text)
    out: list[str] = []
    for run in runs.findall(text):
        if run.isalpha():
            out.append(run)
        else:
            out += _token_re().findall(run)
    return out


_BRACKETS = re.compile("[\\[\\]()⟨⟩{}⟦⟧⸢⸣⸤⸥‹›〈〉]")


_CHUNK = re.compile(r"\S+")
_INNER_DIGITS = re.compile(r"(?<=[^\W\d_])\d{1,3}(?=[^\W\d_])")


def shown_tokens(text: str, pdf: bool = False) -> Counter:
    """The tokens of an output's text, read twice where it has editorial brackets: as word ends
    and as nothing (a union), so that both "[page]Herrn" (a marker before a word) and "[Ν]ιγερ"
    (Leiden brackets inside a word) show their words. In a PDF's text a footnote number inside
    a word ("upajā5yante": a note on a letter) is read both ways too."""
    counts = Counter(tokens(text))
    # only the stretches between blanks that hold a bracket (a digit) are read again
    chunks = [c for c in _CHUNK.findall(text) if _BRACKETS.search(c) or (pdf and _INNER_DIGITS.search(c))]
    if not chunks:
        return counts
    as_is = Counter(tokens(" ".join(chunks)))
    dropped = [_BRACKETS.sub("", c) for c in chunks]
    variants = [dropped]
    if pdf:
        variants.append([_INNER_DIGITS.sub("", c) for c in dropped])
        variants.append([_INNER_DIGITS.sub("", c) for c in chunks])
    extra = Counter()
    for v in variants:
        extra |= Counter(tokens(" ".join(v)))
    counts.update(+(extra - as_is))
    return counts


# -- the TEI source ---------------------------------------------------------------------------
def parse_xml(path: Path):
    """A tree of a source file, read the way an untrusted file should be: no DTD, no entities
    resolved from outside, no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True, collect_ids=False)
    return etree.parse(str(path), parser)


class Includes:
    """Expands xi:include in a tree the way a careful XInclude processor would for this
    benchmark: only files inside `top`, at most `depth` levels, no cycles; an include that cannot
    be resolved (remote, absolute, outside, missing, cyclic) yields its xi:fallback, and is
    counted in `unresolved`."""

    def __init__(self, top: Path, depth: int = 5):
        self.top = Path(os.path.realpath(top))
        self.depth = depth
        self.unresolved: list[str] = []
        self._trees: dict[Path, etree._ElementTree] = {}

    def expand(self, tree, path: Path, _stack=()) -> None:
        path = Path(os.path.realpath(path))
        for inc in list(tree.getroot().iter(f"{{{XI_NS}}}include")):
            self._replace(inc, self._resolve(inc, path, _stack + (path,)))

    def _resolve(self, inc, path: Path, stack):
        href = (inc.get("href") or "").strip()
        if not href:
            target = path  # same document
        elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("/"):
            return self._fallback(inc, f"{path.name}: remote or absolute {href}")
        else:
            target = Path(os.path.realpath(path.parent / href))
        if not str(target).startswith(str(self.top) + os.sep) or not target.is_file():
            return self._fallback(inc, f"{path.name}: outside or missing {href}")
        if len(stack) > self.depth or (target in stack and href):
            return self._fallback(inc, f"{path.name}: too deep or cyclic {href}")
        if inc.get("parse") == "text":
            try:
                return target.read_text(encoding=inc.get("encoding") or "utf-8")
            except (OSError, UnicodeError, LookupError):
                return self._fallback(inc, f"{path.name}: unreadable {href}")
        try:
            sub = self._tree(target)
        except (OSError, etree.XMLSyntaxError):
            return self._fallback(inc, f"{path.name}: unreadable {href}")
        node = select(sub, inc.get("xpointer"))
        if node is None:
            return self._fallback(inc, f"{path.name}: xpointer {inc.get('xpointer')} not in {href}")
        node = _copy(node)
        holder = etree.ElementTree(node)
        self.expand(holder, target, stack)
        return holder.getroot()

    def _tree(self, target: Path):
        if target not in self._trees:
            self._trees[target] = parse_xml(target)
        return self._trees[target]

    def _fallback(self, inc, why: str):
        self.unresolved.append(why)
        fb = inc.find(f"{{{XI_NS}}}fallback")
        return list(fb) if fb is not None else None

    @staticmethod
    def _replace(inc, replacement) -> None:
        parent = inc.getparent()
        if parent is None:
            return
        tail = inc.tail
        idx = parent.index(inc)
        parent.remove(inc)
        if isinstance(replacement, str):
            _append_text(parent, idx, replacement + (tail or ""))
            return
        nodes = replacement if isinstance(replacement, list) else [replacement] if replacement is not None else []
        for i, n in enumerate(nodes):
            parent.insert(idx + i, _copy(n))
        if nodes:
            last = parent[idx + len(nodes) - 1]
            last.tail = (last.tail or "") + (tail or "")
        elif tail:
            _append_text(parent, idx, tail)


def _copy(node):
    return copy.deepcopy(node)


def _append_text(parent, idx: int, text: str) -> None:
    if idx == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[idx - 1]
        prev.tail = (prev.tail or "") + text


def select(tree, xpointer: str | None):
    """The element an XPointer names: a bare id, xpointer(id('x')), element(x/1/2) or
    element(/1/2); the root when there is no pointer."""
    root = tree.getroot()
    if not xpointer:
        return root
    xp = xpointer.strip()
    m = re.fullmatch(r"xpointer\(\s*id\(\s*['\"]([^'\"]+)['\"]\s*\)\s*\)", xp)
    if m:
        xp = m.group(1)
    m = re.fullmatch(r"element\(([^)]*)\)", xp)
    if m:
        parts = m.group(1).split("/")
        if parts[0]:
            node = _by_id(root, parts[0])
        else:
            node, parts = (root if parts[1:2] == ["1"] else None), parts[1:]
        for step in parts[1:]:
            if node is None or not step.isdigit():
                return None
            kids = [c for c in node if isinstance(c.tag, str)]
            node = kids[int(step) - 1] if 0 < int(step) <= len(kids) else None
        return node
    return _by_id(root, xp)


def _by_id(root, ident: str):
    for el in root.iter():
        if isinstance(el.tag, str) and el.get(XML_ID) == ident:
            return el
    return None


# Elements after which (and before which) a word always ends.
BLOCKS = frozenset(
    "p ab l lg head item list div div1 div2 div3 div4 div5 div6 div7 note sp speaker stage table "
    "row cell opener closer salute signed dateline byline label fw figure figDesc trailer "
    "epigraph argument docTitle titlePart docImprint docAuthor docDate titlePage front body back "
    "group text lem rdg rdgGrp witDetail listApp app listBibl bibl biblStruct listWit witness "
    "msDesc msIdentifier msContents msItem physDesc history additional msPart summary "
    "surface surfaceGrp zone line sourceDoc facsimile castList castItem castGroup role roleDesc "
    "quote q floatingText postscript address addrLine entry form sense def cit "
    # seg: too often a line or a verse segment to be glued to its neighbours; del: never inside
    # a word in the corpora, and the word a <subst> replaces is a word of its own
    "seg del".split())
# Empty elements that end a word unless break="no" (a milestone or an anchor does not: EpiDoc puts
# them inside words).
WORD_BREAKS = frozenset("lb pb cb gb space".split())
REGISTERS = frozenset("listPerson listPlace listOrg listEvent listNym listObject listRelation "
                      "listBibl".split())


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


# The alternatives of a <choice> each view reads (a choice without them reads all its children).
CHOICE = {"reading": ("corr", "reg", "expan"), "diplomatic": ("sic", "orig", "abbr")}


def source_text(el, skip=frozenset(), view: str = "reading", fields: bool = False) -> str:
    """The text of a TEI element as a reader would get its words: element boundaries join
    letters ("wo<hi>r</hi>d", "<expan><abbr>κ</abbr><ex>αὶ</ex></expan>" are one word), but
    blocks (BLOCKS) and empty breaks (lb, pb…, unless break="no") separate words, and so do, with
    `fields` (for the header), the children of element-only content (<respStmt><resp/><name/>). Of a <choice>, the reading view takes the corrected,
    regularised or expanded form, the diplomatic view the other (CHOICE), so that a choice inside
    a word ("upaj<choice><sic>ä</sic><corr>ā</corr></choice>yante") makes whole words. Elements
    in `skip` (identity) are left out."""
    parts: list[str] = []

    def walk(e):
        name = local(e.tag)
        if name in WORD_BREAKS:
            if name == "space" or e.get("break") not in ("no", "false"):
                parts.append(" ")
            return
        if name == "choice":
            pick = next((c for c in e if local(c.tag) in CHOICE[view]), None)
            if pick is not None:
                walk(pick)
                return
        block = name in BLOCKS
        if block:
            parts.append(" ")
        if e.text:
            parts.append(e.text)
        kids = list(e)
        mixed = not fields or bool((e.text or "").strip()) or any((c.tail or "").strip() for c in kids)
        for c in kids:
            if isinstance(c.tag, str) and c not in skip:
                if not mixed:
                    parts.append(" ")
                walk(c)
                if not mixed:
                    parts.append(" ")
            if c.tail:
                parts.append(c.tail)
        if block:
            parts.append(" ")

    walk(el)
    return "".join(parts)


def view_tokens(el, skip=frozenset(), fields: bool = False, joined: dict | None = None) -> Counter:
    """The tokens of an element in either view (a multiset union: a word is wanted as often as
    the view that has it more often shows it). Its hyphenated compounds go to `joined`."""
    text = source_text(el, skip, "reading", fields)
    if joined is not None and "-" in text:
        joined.update(compounds(text))
    reading = Counter(tokens(text))
    if next(el.iter(T + "choice"), None) is None:
        return reading
    return reading | Counter(tokens(source_text(el, skip, "diplomatic", fields)))


class SourceDoc:
    """One input document and its tokens: body (tei:text and tei:sourceDoc; registers in
    <back> left out, they are authority data), header (teiHeader, msDesc included) and msDesc
    (the header's msDesc)."""

    def __init__(self, file: Path, rel: str, index: int, root):
        self.file, self.rel, self.index = file, rel, index
        self.id = root.get(XML_ID) or ""
        self.compounds: dict[str, tuple[str, str]] = {}
        name = local(root.tag)
        if name == "TEI":
            header = root.find(T + "teiHeader")
            body_parts = [c for c in root if local(c.tag) in ("text", "sourceDoc")]
            skip = {r for b in body_parts for back in b.iter(T + "back") for r in back.iter()
                    if local(r.tag) in REGISTERS}
            self.body = sum((view_tokens(b, skip, joined=self.compounds) for b in body_parts), Counter())
            self.header = view_tokens(header, fields=True, joined=self.compounds) \
                if header is not None else Counter()
            ms = header.findall(f".//{T}msDesc") if header is not None else []
            self.msdesc = sum((view_tokens(m, fields=True) for m in ms), Counter())
        else:  # sourceDoc, surface, surfaceGrp as a root: all of it is the text
            self.body = view_tokens(root, joined=self.compounds)
            self.header = Counter()
            self.msdesc = Counter()

    @property
    def label(self) -> str:
        return self.rel + (f"#{self.index}" if self.index else "")


DOCUMENT_ROOTS = ("TEI", "sourceDoc", "surface", "surfaceGrp")


def source_documents(folder: Path, includes: Includes, unreadable: list[str]) -> list[SourceDoc]:
    """Every input document below `folder`: a TEI root; each TEI inside a teiCorpus (nested too);
    a standalone sourceDoc, surface or surfaceGrp. XIncludes are expanded first (a volume counts
    as what it includes). Files that do not parse are listed in `unreadable`."""
    docs = []
    for path in sorted(folder.rglob("*.xml")):
        rel = path.relative_to(folder).as_posix()
        try:
            tree = parse_xml(path)
        except (OSError, etree.XMLSyntaxError) as e:
            unreadable.append(f"{rel}: {e}")
            continue
        includes.expand(tree, path)
        root = tree.getroot()
        if not isinstance(root.tag, str) or etree.QName(root).namespace != TEI_NS:
            continue
        if local(root.tag) == "teiCorpus":
            tei = [e for e in root.iter(T + "TEI")]
            docs += [SourceDoc(path, rel, i + 1, e) for i, e in enumerate(tei)]
        elif local(root.tag) in DOCUMENT_ROOTS:
            docs.append(SourceDoc(path, rel, 0, root))
    return docs


# -- the HTML page ----------------------------------------------------------------------------
# Elements that do not end a word. <br> is one of them: the toolkit's pages draw a source line
# break with it, inside a word too (lb break="no"); between words they also have a space. <del>
# is not (see BLOCKS).
INLINE_HTML = frozenset("a abbr b bdi bdo br cite code data dfn em i kbd mark q rp rt ruby s samp "
                        "small span strong sub sup time u var ins wbr".split())
NOT_SHOWN = frozenset("script style template noscript".split())
_RTL_CANDIDATE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff"
                            "\U0001e800-\U0001efff]")


# The page's two views (xslt/html/assets/edition.css): body[data-view="reading"] hides .dipl
# (the diplomatic line breaks, sic, orig …), body[data-view="diplomatic"] hides .read.
VIEWS = {"reading": "dipl", "diplomatic": "read"}


def html_text(el, hide: str | None = None) -> str:
    """The visible text of an HTML element: no script/style/template, nothing marked hidden nor
    of the class `hide`, a space around every element that is not inline."""
    parts: list[str] = []

    def walk(e):
        tag = e.tag.lower() if isinstance(e.tag, str) else ""
        if not tag or tag in NOT_SHOWN or e.get("hidden") is not None \
                or (hide and hide in (e.get("class") or "").split()):
            return  # a comment, or nothing shown: its tail is added by the caller
        # a note's marker (DPUB-ARIA role) is not part of the word it follows: "6415¹"
        block = tag not in INLINE_HTML or e.get("role") == "doc-noteref"
        if block:
            parts.append(" ")
        if e.text:
            parts.append(e.text)
        for c in e:
            walk(c)
            if c.tail:
                parts.append(c.tail)
        if block:
            parts.append(" ")

    walk(el)
    return "".join(parts)


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _first_strong(text: str) -> str | None:
    for ch in text:
        b = unicodedata.bidirectional(ch)
        if b in ("R", "AL"):
            return "rtl"
        if b == "L":
            return "ltr"
    return None


def _direction(el) -> str:
    """The direction an element's text is laid out in: the nearest dir attribute (dir="auto"
    and a <bdi> without dir take the direction of their first strong character), else ltr."""
    for a in [el, *el.iterancestors()]:
        d = (a.get("dir") or "").strip().lower()
        if d in ("rtl", "ltr"):
            return d
        if d == "auto" or (a.tag == "bdi" and not d):
            return _first_strong(a.text_content()) or "ltr"
    return "ltr"


def rtl_counts(body) -> tuple[int, int]:
    """(RTL characters in the page's body, those laid out right to left)."""
    total = inside = 0
    for e in body.iter():
        if not isinstance(e.tag, str) or e.tag in NOT_SHOWN:
            continue
        for text, holder in ((e.text, e), (e.tail, e.getparent())):
            if not text or holder is None or not _RTL_CANDIDATE.search(text):
                continue
            n = sum(1 for ch in text if _is_rtl(ch))
            if n:
                total += n
                if _direction(holder) == "rtl":
                    inside += n
    return total, inside


_VIEW_CLASSES = etree.XPath(" | ".join(f".//*[contains(concat(' ', @class, ' '), ' {c} ')]"
                                       for c in VIEWS.values()))


def _has_views(el) -> bool:
    return bool(_VIEW_CLASSES(el))


class Page:
    """A document page of the HTML site: its id, the source files it links to, its tokens, its
    right-to-left characters."""

    def __init__(self, path: Path, out: Path, tree):
        self.path = path
        self.name = path.relative_to(out).as_posix()
        body = tree.find("body")
        main = body.find(".//main") if body is not None else None
        main = main if main is not None else body
        art = main.find(".//article") if main is not None else None
        self.id = (art.get("id") if art is not None else None) or path.stem
        self.sources = set()
        for a in (main.iter("a") if main is not None else ()):
            href = (a.get("href") or "").split("#")[0].split("?")[0]
            if href.endswith(".xml"):
                self.sources.add(os.path.basename(href))
        self.tokens = Counter()
        if main is not None:
            views = VIEWS.values() if _has_views(main) else [None]
            for hide in views:  # a word counts as shown when one of the views shows it
                self.tokens |= shown_tokens(html_text(main, hide))
        self.rtl = rtl_counts(body) if body is not None else (0, 0)


def document_pages(out: Path) -> list[Page]:
    """Every page of an HTML build whose body is marked as a document page."""
    pages = []
    for path in sorted(out.rglob("*.html")):
        if "pagefind" in path.relative_to(out).parts:
            continue
        try:
            tree = lhtml.parse(str(path))
        except (OSError, etree.ParserError, ValueError):
            continue
        body = tree.find("body")
        if body is not None and "page-document" in (body.get("class") or "").split():
            pages.append(Page(path, out, tree))
    return pages


# -- the PDF ----------------------------------------------------------------------------------
_PRESENTATION = re.compile("[\ufb00-\ufdff\ufe70-\ufefe]")
_HYPHENATED = re.compile("(\\w+)([-\u00ad\u2010])[ \\t]*\\n[ \\t]*(\\w+)")
_COMPOUND = re.compile("([^\\W\\d_]+)[-\u2010]([^\\W\\d_]+)")
PLACEHOLDER = re.compile(r"U\+[0-9A-F]{4,6}")


_EMBEDDINGS = re.compile("[\u202a-\u202e]")


def pdf_text(path: Path, extractor: str) -> str:
    """The text layer of a PDF: poppler's pdftotext, pypdf, or the text its tags encode
    (bench/_pdf_structure.py). Presentation forms (ligatures, Arabic contextual forms) are
    mapped to their letters (NFKC)."""
    if extractor == "structure":
        from _pdf_structure import structure_text
        text = structure_text(path)
    elif extractor == "pdftotext":
        import subprocess
        res = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
        if res.returncode != 0:
            raise RuntimeError(res.stderr.decode(errors="replace").strip()[:200])
        # pdftotext marks the runs it reorders for direction with embedding controls
        # (U+202A–U+202E); they end a word: no word runs on from one direction into the other
        # (an Arabic or Hebrew word and the Latin one pdftotext puts next to it)
        text = _EMBEDDINGS.sub(" ", res.stdout.decode("utf-8", errors="replace"))
    else:
        from pypdf import PdfReader
        text = "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def dehyphenate(text: str, known: set[str]) -> str:
    """Join a word broken at a line end by a soft hyphen (Typst hyphenates with U+00AD), or by
    a hyphen when the joined word is one the source has (a hyphenated compound stays two)."""
    def join(m):
        whole = m.group(1) + m.group(3)
        return whole if m.group(2) == "\u00ad" or normalise(whole) in known else m.group(0)
    return _HYPHENATED.sub(join, text)


def compounds(text: str) -> dict[str, tuple[str, str]]:
    """Hyphenated compounds of a text, joined → parts ("wellknown" → ("well", "known"))."""
    return {a + b: (a, b) for a, b in _COMPOUND.findall(normalise(text))}


def split_compounds(shown: Counter, parts: dict[str, tuple[str, str]], known) -> Counter:
    """A PDF text layer with a compound joined where its hyphen ended a line (pdftotext drops
    such a hyphen: "well-⏎known" → "wellknown") shows the compound's words."""
    out = Counter(shown)
    for tok, k in shown.items():
        if tok in parts and tok not in known:
            del out[tok]
            for p in parts[tok]:
                out[p] += k
    return out


# -- matching ---------------------------------------------------------------------------------
def match(source: Counter, shown: Counter, loose: bool = False) -> tuple[int, Counter]:
    """(tokens of `source` found in `shown`, what of `shown` is left unused). `loose` (for PDF
    text layers) also matches what is left over in two ways a text layer garbles words: the
    same letters in another order (extractors give the characters of a ligature or of an Indic
    or Arabic cluster in visual order), and a number with a footnote number glued on ("64151."
    for 6415 and note 1: a text layer does not tell a superscript from the digits before it)."""
    found = source & shown
    left = shown - found
    n = sum(found.values())
    if loose and left:
        missing = source - found
        n += _anagrams(missing, left)
        n += _digit_prefixes(missing, left)
    return n, +left


def _take(missing: Counter, tok: str, left: Counter, cand: str) -> int:
    use = min(missing[tok], left[cand])
    missing[tok] -= use
    left[cand] -= use
    return use


def _anagrams(missing: Counter, left: Counter) -> int:
    keyed: dict[str, list[str]] = {}
    for tok in left:
        keyed.setdefault("".join(sorted(tok)), []).append(tok)
    n = 0
    for tok in list(missing):
        for cand in keyed.get("".join(sorted(tok)), ()):
            if missing[tok] and left[cand]:
                n += _take(missing, tok, left, cand)
    return n


def _digit_prefixes(missing: Counter, left: Counter) -> int:
    n = 0
    for tok in [t for t in missing if t.isdigit()]:
        for cand in [c for c in left if c.isdigit() and c.startswith(tok) and 0 < len(c) - len(tok) <= 3]:
            if missing[tok] and left[cand]:
                n += _take(missing, tok, left, cand)
    return n
