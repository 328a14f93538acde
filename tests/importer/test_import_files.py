"""`edition import` and files (issue #10): only regular files are read, never more than the cap;
a replaced draft keeps its mode and is written atomically, a new one gets the umask's mode;
odd encodings give a clear error or a warning, never a traceback.

Everything runs through the real command (run_cli) in a throw-away copy of the edition.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from test_import import FIXTURES, edition_copy

from toolkit.importer import ImportFailure, reader

PAGE = FIXTURES / "ili-minutes.txt"
DRAFT = "doc-1945-08-02.xml"           # the name the fixture's date gives


def imp(ed: Path, *args: str):
    res = run_cli("import", *args, cwd=ed)
    assert "Traceback" not in res.stdout + res.stderr, res.stdout + res.stderr
    assert "internal error" not in res.stdout + res.stderr, res.stdout + res.stderr
    return res


def mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


# -- 3. only regular files are read, and never beyond the cap --------------------------------
def special_files(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name → (path, what the error says)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "folder.txt").mkdir()
    return {"/dev/zero": ("/dev/zero", "is a character device, not a text file"),
            "a FIFO": (str(fifo), "is a named pipe (FIFO), not a text file"),
            "a folder": (str(tmp_path / "folder.txt"), "is a folder, not a text file"),
            "a link to /dev/zero": (str(tmp_path / "zero.txt"),
                                    "is a symbolic link to a character device, not a text file")}


@pytest.mark.parametrize("kind", ["/dev/zero", "a FIFO", "a folder", "a link to /dev/zero"])
def test_special_files_are_refused_before_they_are_opened(tmp_path, kind):
    ed = edition_copy(tmp_path)
    path, message = special_files(tmp_path)[kind]
    before = sorted(p.name for p in (ed / "tei").iterdir())
    res = imp(ed, path)
    assert res.returncode == 2  # not a text file: a usage error
    first = res.stdout.splitlines()[0]
    assert first.startswith(f"{path}:1:1: error: {message}") and "[import.not-a-file]" in first, first
    assert sorted(p.name for p in (ed / "tei").iterdir()) == before


def test_a_link_to_a_regular_file_is_read(tmp_path):
    ed = edition_copy(tmp_path)
    link = tmp_path / "page.txt"
    link.symlink_to(PAGE)
    res = imp(ed, str(link), "--no-validate")
    assert res.returncode == 0, res.stdout
    assert (ed / "tei" / DRAFT).exists()


def test_a_dangling_link_is_named_as_such(tmp_path):
    ed = edition_copy(tmp_path)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    res = imp(ed, str(tmp_path / "gone.txt"))
    assert res.returncode == 2 and "symbolic link to a file that does not exist" in res.stdout


def test_the_cap_holds_while_reading_even_an_endless_file(monkeypatch):
    """Were the type check passed (a file swapped after the stat, a file that grows), reading
    still stops after cap + 1 bytes: /dev/zero, which never ends, gives 'too large'."""
    monkeypatch.setattr(reader, "_kind_problem", lambda mode, path=None: None)
    with pytest.raises(ImportFailure) as e:
        reader.read_capped(Path("/dev/zero"), "zero")
    d = e.value.diagnostic
    assert d.rule == "import.too-large" and "grew while it was read" in d.message


def test_a_file_at_the_cap_is_read_and_one_byte_more_is_not(tmp_path):
    p = tmp_path / "page.txt"
    text = PAGE.read_bytes()
    p.write_bytes(text + b" " * (reader.MAX_INPUT_BYTES - len(text)))
    assert len(reader.read_capped(p, "page.txt")) == reader.MAX_INPUT_BYTES
    with p.open("ab") as f:
        f.write(b" ")
    with pytest.raises(ImportFailure) as e:
        reader.read_capped(p, "page.txt")
    assert e.value.diagnostic.rule == "import.too-large"


# -- 2. modes and atomic replacement ----------------------------------------------------------
@pytest.fixture
def umask():
    """Set the umask for the commands a test runs (they inherit it); restored afterwards."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask,expected", [(0o022, 0o644), (0o027, 0o640)], ids=["022", "027"])
def test_a_new_draft_gets_the_mode_of_the_umask(tmp_path, umask, mask, expected):
    ed = edition_copy(tmp_path)
    umask(mask)
    assert imp(ed, str(PAGE), "--no-validate").returncode == 0
    assert mode(ed / "tei" / DRAFT) == expected
    out = tmp_path / "forced.xml"                     # --force with nothing to replace
    assert imp(ed, str(PAGE), "-o", str(out), "--force", "--no-validate").returncode == 0
    assert mode(out) == expected


@pytest.mark.parametrize("kept", [0o640, 0o664, 0o444], ids=["640", "664", "444"])
def test_force_keeps_the_mode_of_the_replaced_draft(tmp_path, umask, kept):
    ed = edition_copy(tmp_path)
    target = ed / "tei" / DRAFT
    target.write_text("an editor's old draft\n")
    target.chmod(kept)
    held = target.open()                              # a reader of the old draft
    res = imp(ed, str(PAGE), "--force", "--no-validate")
    assert res.returncode == 0, res.stdout
    assert mode(target) == kept
    assert etree.parse(str(target)).getroot().get("{http://www.w3.org/XML/1998/namespace}id") == "doc-1945-08-02"
    # replaced, not rewritten in place: the old file is whole for whoever had it open
    assert held.read() == "an editor's old draft\n"
    held.close()
    assert not [p.name for p in (ed / "tei").iterdir() if p.name.startswith(".")], "temporary file left"


def test_force_does_not_replace_a_symbolic_link(tmp_path):
    ed = edition_copy(tmp_path)
    elsewhere = tmp_path / "elsewhere.xml"
    elsewhere.write_text("not the importer's\n")
    link = ed / "tei" / DRAFT
    link.symlink_to(elsewhere)
    res = imp(ed, str(PAGE), "--force", "--no-validate")
    assert res.returncode == 2 and "is a symbolic link; it is not replaced" in res.stdout
    assert link.is_symlink() and elsewhere.read_text() == "not the importer's\n"


def test_force_never_replaces_the_input_reached_by_another_path(tmp_path):
    ed = edition_copy(tmp_path)
    src = tmp_path / "in" / "page.txt"
    src.parent.mkdir()
    src.write_bytes(PAGE.read_bytes())
    (tmp_path / "alias").symlink_to(src.parent)       # alias/page.txt is the input itself
    res = imp(ed, str(src), "-o", str(tmp_path / "alias" / "page.txt"), "--force", "--no-validate")
    assert res.returncode == 2 and "would overwrite the input file" in res.stdout
    assert src.read_bytes() == PAGE.read_bytes()


# -- 4. odd encodings ----------------------------------------------------------
def _page(tmp_path: Path, data: bytes, name: str = "page.txt") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("codec,message", [("rot13", "'rot13' is not a character encoding of text"),
                                           ("base64", "'base64' is not a character encoding of text"),
                                           ("nonesuch", "'nonesuch' is an unknown character encoding")])
def test_an_encoding_that_does_not_decode_text_is_a_clear_error(tmp_path, codec, message):
    ed = edition_copy(tmp_path)
    res = imp(ed, str(PAGE), "--encoding", codec)
    assert res.returncode == 1 and f"ili-minutes.txt:1:1: error: {message}" in res.stdout


def test_lone_surrogates_are_removed_with_a_warning(tmp_path):
    """unicode_escape turns '\\ud800' into a lone surrogate, which XML (and UTF-8) cannot hold."""
    ed = edition_copy(tmp_path)
    text = PAGE.read_text(encoding="utf-8").replace("113. An NKVT issue.", "113. An NKVT \\ud800 issue.")
    src = _page(tmp_path, text.encode("ascii", "backslashreplace"))
    res = imp(ed, str(src), "--encoding", "unicode_escape", "--format", "json", "--no-validate")
    assert res.returncode == 0, res.stdout
    [w] = [w for w in json.loads(res.stdout)["warnings"] if w["rule"] == "import.control-char"]
    assert (w["line"], w["column"]) == (46, 14) and "U+D800" in w["message"]
    assert ">NKVT</orgName>  issue." in (ed / "tei" / DRAFT).read_text(encoding="utf-8")


@pytest.mark.parametrize("encode,encoding", [
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8").replace(b"NKVT issue", b"NKVT \xe9ssue"), "UTF-8-SIG"),
    (lambda t: t.replace("NKVT issue", "NKVT XX issue").encode("utf-16").replace(
        "XX".encode("utf-16-le"), b"\x00\xd8A\x00"), "UTF-16"),
])
def test_a_bad_byte_is_placed_by_characters_in_any_encoding(tmp_path, encode, encoding):
    """Line and column of the first undecodable byte, counted in characters (after a
    byte-order mark, in two-byte units)."""
    ed = edition_copy(tmp_path)
    src = _page(tmp_path, encode(PAGE.read_text(encoding="utf-8")))
    res = imp(ed, str(src))
    assert res.returncode == 1
    assert res.stdout.startswith(f"{src}:46:14: error: the file is not valid {encoding}"), res.stdout


def test_utf16_without_byte_order_mark_is_named_in_the_hint(tmp_path):
    ed = edition_copy(tmp_path)
    src = _page(tmp_path, PAGE.read_text(encoding="utf-8").encode("utf-16-le"))
    res = imp(ed, str(src))
    assert res.returncode == 1 and "NUL bytes" in res.stdout and "--encoding utf-16" in res.stdout
    res = imp(ed, str(src), "--encoding", "utf-16-le", "--no-validate")
    assert res.returncode == 0, res.stdout
