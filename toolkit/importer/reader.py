"""Read a plain-text transcription: bytes → checked text → blocks (paragraphs) with positions.

Every later step works on `Block`s and asks them where a character came from (input line and
column), so warnings always point into the input file. Bad input raises `ImportFailure` with a
`Diagnostic`; nothing here prints.
"""
from __future__ import annotations

import bisect
import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, WARNING, Diagnostic

# A translated document page is a few kB to a few hundred kB; anything far larger is not one
# document (a log, a whole archive dump, a disk image) and is refused before it is read.
MAX_INPUT_BYTES = 2 * 1024 * 1024

# Characters XML 1.0 cannot carry. Form feeds (page breaks from PDF extraction) and vertical
# tabs become line breaks; the others are removed with a warning. Lone surrogates (which some
# codecs, such as unicode_escape, can produce) are not characters either.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BLANK = re.compile(r"^[ \t\u00a0]*$")


class ImportFailure(Exception):
    """The input cannot be imported; carries the diagnostic to show (file, line, column)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Source:
    """The decoded input: text with normalised line ends, and where each line starts."""

    display: str
    text: str
    warnings: list[Diagnostic] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self):
        self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset in `text`."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def lines(self) -> list[tuple[int, int, str]]:
        """(line number, start offset, text) of every line."""
        out = []
        for i, start in enumerate(self._starts):
            end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self.text)
            out.append((i + 1, start, self.text[start:end]))
        return out

    def diag(self, offset: int, message: str, rule: str, hint: str = "",
             severity: str = WARNING) -> Diagnostic:
        line, col = self.position(offset)
        return Diagnostic(self.display, line, col, severity, message, rule, hint)


@dataclass
class Block:
    """A paragraph of the input: its lines joined with single spaces.

    `segs` maps positions in `text` back to offsets in the source: (index in text, source
    offset) at the start of each joined line, in order. Lookups bisect them, so a block of
    many lines costs log(lines) per position, never a pass over all its lines.
    """

    text: str
    segs: list[tuple[int, int]]
    source: Source = field(repr=False)
    _keys: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self):
        self._keys = [s[0] for s in self.segs]

    def offset(self, i: int) -> int:
        k = max(bisect.bisect_right(self._keys, i) - 1, 0)
        return self.segs[k][1] + (i - self.segs[k][0])

    def position(self, i: int = 0) -> tuple[int, int]:
        return self.source.position(self.offset(i))

    @property
    def line(self) -> int:
        return self.position(0)[0]

    def diag(self, i: int, message: str, rule: str, hint: str = "",
             severity: str = WARNING) -> Diagnostic:
        return self.source.diag(self.offset(i), message, rule, hint, severity)

    def slice(self, start: int, end: int) -> "Block":
        """The part [start, end) of this block, still mapped to the source, stripped."""
        sub = self.text[start:end]
        lead = len(sub) - len(sub.lstrip())
        sub = sub.strip()
        start += lead
        # the line starts strictly inside the part, found by bisection
        lo = bisect.bisect_right(self._keys, start)
        hi = bisect.bisect_left(self._keys, start + len(sub))
        segs = [(0, self.offset(start))] + [(idx - start, off) for idx, off in self.segs[lo:hi]]
        return Block(sub, segs, self.source)


def _fail(display: str, line: int, col: int, message: str, rule: str, hint: str = ""):
    raise ImportFailure(Diagnostic(display, line, col, ERROR, message, rule, hint))


def _too_large(display: str, size: int):
    _fail(display, 1, 1, f"file is too large for one document ({size / 1048576:.1f} MB; "
                         f"the limit is {MAX_INPUT_BYTES // 1048576} MB)", "import.too-large",
          "import one document page at a time")


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
        return True
    except (LookupError, ValueError):
        return False


def _bad_byte(e: UnicodeDecodeError, enc: str, display: str):
    """Fail at the line and column of the first byte that cannot be decoded, counted in the text
    decoded before it (right for UTF-16 too). e.object is what the codec saw (utf-8-sig: the
    bytes after the byte-order mark)."""
    obj = e.object if isinstance(e.object, (bytes, bytearray)) else b""
    before = bytes(obj[:e.start]).decode(enc, "replace").replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    bad = bytes(obj[e.start:min(e.end, e.start + 4)])
    what = ("byte" if len(bad) == 1 else "bytes") + " " + " ".join(f"0x{b:02X}" for b in bad) \
        if bad else "the end of the file"
    _fail(display, line, col, f"the file is not valid {enc.upper()}: {what} cannot be decoded",
          "import.encoding", "save the file as UTF-8, or name its encoding with --encoding (e.g. cp1252)")


def decode(data: bytes, display: str, encoding: str | None = None) -> Source:
    """Bytes → Source, or ImportFailure for empty, binary, oversized or mis-encoded input."""
    if len(data) > MAX_INPUT_BYTES:
        _too_large(display, len(data))
    bom_encoding = None
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                      (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            bom_encoding = name
            break
    if encoding is None and bom_encoding is None and b"\x00" in data:
        at = data.index(b"\x00")
        line = data.count(b"\n", 0, at) + 1
        col = at - (data.rfind(b"\n", 0, at) + 1) + 1
        _fail(display, line, col, "this is a binary file, not a plain-text transcription "
                                  "(it contains NUL bytes)", "import.binary",
              "save the translation as plain text (UTF-8); a UTF-16 file without a byte-order "
              "mark needs --encoding utf-16")
    enc = encoding or bom_encoding or "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        _bad_byte(e, enc, display)
    except UnicodeError as e:          # codecs that fail without a position (idna, punycode)
        _fail(display, 1, 1, f"the file cannot be read as {enc}: {e}", "import.encoding",
              "save the file as UTF-8, or name its encoding with --encoding (e.g. cp1252)")
    except (LookupError, ValueError):  # unknown, or not a text encoding (base64, rot13, zlib)
        what = "not a character encoding of text" if _is_codec(enc) else "an unknown character encoding"
        _fail(display, 1, 1, f"'{enc}' is {what}", "import.encoding",
              "name a text encoding, such as utf-8, cp1252, latin-1 or utf-16")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n").replace("\v", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    src = Source(display, text)
    bad = list(_XML_ILLEGAL.finditer(text))
    if bad:
        if len(bad) > max(20, len(text) // 100):
            m = bad[0]
            line, col = src.position(m.start())
            _fail(display, line, col, f"this is not a plain-text transcription: it contains "
                                      f"{len(bad)} control characters", "import.binary")
        for m in bad[:20]:
            src.warnings.append(src.diag(m.start(), f"character U+{ord(m.group()):04X} "
                                         f"removed (XML cannot contain it)", "import.control-char"))
        text = _XML_ILLEGAL.sub("", text)
        # positions were reported against the original; the removed characters are so rare that
        # the rest of the warnings may be off by a column on those lines only
        src = Source(display, text, src.warnings)
    if not text.strip():
        _fail(display, 1, 1, "the file is empty (nothing to import)", "import.empty")
    return src


_NOT_A_FILE = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
               (stat.S_ISSOCK, "a socket"))


def _kind_problem(mode: int, path: Path | None = None) -> str | None:
    """Why a file of this mode is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    what = next((name for test, name in _NOT_A_FILE if test(mode)), "a special file")
    link = "a symbolic link to " if path is not None and os.path.islink(path) else ""
    return f"is {link}{what}, not a text file: only regular files are read"


def read_capped(path: Path, display: str) -> bytes:
    """The bytes of a regular file, at most MAX_INPUT_BYTES of them.

    The path is checked with stat before it is opened (a device, FIFO, socket or folder is never
    opened: opening a FIFO blocks, reading /dev/zero never ends); a symbolic link is followed only
    to a regular file. The open file is checked again (it may have been swapped since), and at
    most cap + 1 bytes are read, so a file that grows while it is read is refused too.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            _fail(display, 1, 1, "is a symbolic link to a file that does not exist", "import.missing")
        _fail(display, 1, 1, "file not found", "import.missing")
    except OSError as e:
        _fail(display, 1, 1, f"cannot read the file: {e.strerror or e}", "import.unreadable")
    problem = _kind_problem(st.st_mode, path)
    if problem:
        _fail(display, 1, 1, problem, "import.not-a-file",
              "give the transcription as a plain-text file")
    if st.st_size > MAX_INPUT_BYTES:
        _too_large(display, st.st_size)
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat, opening it must not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        _fail(display, 1, 1, f"cannot read the file: {e.strerror or e}", "import.unreadable")
    with os.fdopen(fd, "rb", buffering=0) as f:
        try:
            problem = _kind_problem(os.fstat(fd).st_mode)
            if problem:
                _fail(display, 1, 1, problem, "import.not-a-file",
                      "give the transcription as a plain-text file")
            chunks, size = [], 0
            while size <= MAX_INPUT_BYTES:
                chunk = f.read(MAX_INPUT_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as e:
            _fail(display, 1, 1, f"cannot read the file: {e.strerror or e}", "import.unreadable")
    if size > MAX_INPUT_BYTES:
        _fail(display, 1, 1, f"file is too large for one document (over "
                             f"{MAX_INPUT_BYTES // 1048576} MB; it grew while it was read)",
              "import.too-large", "import one document page at a time")
    return b"".join(chunks)


def read(path: Path, display: str | None = None, encoding: str | None = None) -> Source:
    display = display or path.as_posix()
    return decode(read_capped(path, display), display, encoding)


def blocks(src: Source, max_bracket_merge: int = 4) -> list[Block]:
    """Paragraphs (runs of non-blank lines). A bracket left open at the end of a paragraph
    continues into the next ones (the translator's remarks may span blank lines), up to
    `max_bracket_merge` paragraphs; if it never closes, paragraphs are kept apart and the open
    bracket is reported later as not understood."""
    paras: list[Block] = []
    cur_text: list[str] = []
    cur_segs: list[tuple[int, int]] = []
    length = 0
    for _no, start, line in src.lines():
        if _BLANK.match(line):
            if cur_text:
                paras.append(Block(" ".join(cur_text), cur_segs, src))
                cur_text, cur_segs, length = [], [], 0
            continue
        lead = len(line) - len(line.lstrip())
        stripped = line.strip()
        if cur_text:
            length += 1  # the joining space
        cur_segs.append((length, start + lead))
        cur_text.append(stripped)
        length += len(stripped)
    if cur_text:
        paras.append(Block(" ".join(cur_text), cur_segs, src))

    out: list[Block] = []
    i = 0
    while i < len(paras):
        b = paras[i]
        depth = _depth(b.text)
        if depth > 0:
            j = i + 1
            acc = depth
            while j < len(paras) and j - i <= max_bracket_merge and acc > 0:
                acc += _depth(paras[j].text)
                j += 1
            if acc == 0:
                b = _join(paras[i:j])
                i = j
                out.append(b)
                continue
        out.append(b)
        i += 1
    return out


def _depth(text: str) -> int:
    return text.count("[") - text.count("]")


def _join(parts: list[Block]) -> Block:
    texts, segs, base = [], [], 0
    for p in parts:
        if texts:
            base += 1          # the joining space
        segs += [(base + i, off) for i, off in p.segs]
        texts.append(p.text)
        base += len(p.text)
    return Block(" ".join(texts), segs, parts[0].source)
