"""Local images of a document (graphic/@url relative to the TEI file) are copied into the site as
media/<12 hex of the content hash>-<name> and shown from there; traversal out of the edition,
non-image files, missing files and remote images are not copied. Incremental builds re-copy a
changed image, delete a removed one and give the same site as a full build. The fixture edition
is tests/fixtures/media/; the images are written here."""
from __future__ import annotations

import hashlib
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import REPO
from toolkit.outputs.runner import build
from toolkit.config import load_config

FIXTURE = REPO / "tests" / "fixtures" / "media"


def png(rgb: tuple[int, int, int], size: int = 4) -> bytes:
    """A small valid PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
JPG = b"\xff\xd8\xff\xe0" + b"not really a jpeg, but a file with the extension" + b"\xff\xd9"


@pytest.fixture
def edition(tmp_path) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(FIXTURE, root)
    img = root / "tei" / "img"
    img.mkdir()
    (img / "pic.png").write_bytes(png((255, 0, 0)))
    (img / "drawing.gif").write_bytes(GIF)
    (img / "vector.svg").write_bytes(SVG)  # never copied: a script in it would run on the site
    (img / "based.jpg").write_bytes(JPG)
    (img / "notes.txt").write_text("not an image")
    (img / "facs.png").write_bytes(png((0, 0, 255)))  # inside <facsimile>: not on the page
    (root / "shared.png").write_bytes(png((0, 255, 0)))  # inside the edition, outside tei/
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png((1, 2, 3)))
    (img / "link.png").symlink_to(outside / "secret.png")  # a link out of the edition
    return root


def _build(root: Path, out: Path, full: bool = False, paths=None):
    cfg = load_config(root / "edition.toml")
    [r] = build(cfg, ["html"], paths=paths, out=out, full=full, search_index=False)
    assert r.ok, r.summary()
    return r


def _page(site: Path, rel: str):
    return lhtml.parse(str(site / rel)).getroot()


def _images(site: Path, rel: str) -> dict[str, Path]:
    """src → the file it designates, for each img of a page."""
    page = site / rel
    return {img.get("src"): (page.parent / img.get("src")).resolve() for img in _page(site, rel).iter("img")}


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".edition-cache.json"}


def test_local_images_are_copied_and_shown(edition):
    out = edition / "output" / "html"
    _build(edition, out)
    media = sorted(p.name for p in (out / "media").iterdir())
    pic, gif, jpg, shared = (edition / "tei" / "img" / "pic.png").read_bytes(), GIF, JPG, \
        (edition / "shared.png").read_bytes()
    # one copy per image, however many pages and elements show it
    assert media == sorted([f"{_sha(pic)[:12]}-pic.png", f"{_sha(gif)[:12]}-drawing.gif",
                            f"{_sha(jpg)[:12]}-based.jpg", f"{_sha(shared)[:12]}-shared.png"])
    images = _images(out, "doc/pictures.html")
    assert set(images) == {f"../media/{n}" for n in media}
    for target in images.values():
        assert target.is_file() and target.parent == (out / "media").resolve()
    by_name = {t.name.split("-", 1)[1]: t.read_bytes() for t in images.values()}
    assert by_name == {"pic.png": pic, "drawing.gif": gif, "based.jpg": jpg, "shared.png": shared}
    doc = _page(out, "doc/pictures.html")
    assert len(doc.xpath("//img[contains(@src, '-pic.png')]")) == 2
    assert doc.xpath("//img[contains(@src, '-pic.png')]/@alt")[0] == "A red square"  # the figDesc
    assert doc.xpath("//img[contains(@src, '-based.jpg')]/@alt") == ["A photograph"]  # xml:base resolved
    # copies are only ever images, never linked; an SVG is not copied at all (opened by its
    # address, a script in it would run on the site): it stays a link to its relative URL
    assert not doc.xpath("//a[contains(@href, 'media/')]")
    assert not doc.get_element_by_id("p-svg").xpath(".//img")
    assert doc.get_element_by_id("p-svg").xpath(".//a/@href") == ["img/vector.svg"]
    assert not any(p.suffix == ".svg" for p in (out / "media").iterdir())
    assert _sha(SVG) not in {_sha(b) for b in _files(out).values()}
    # the same copy on the second page
    assert set(_images(out, "doc/second.html")) == {f"../media/{_sha(pic)[:12]}-pic.png"}
    # not copied: traversal out of the edition (also through a symbolic link), a text file, a
    # missing file, a remote image, a graphic of the facsimile; they stay links or text
    copied = {_sha(b) for b in _files(out).values()}
    assert _sha((edition.parent / "outside" / "secret.png").read_bytes()) not in copied
    assert _sha(b"not an image") not in copied
    assert _sha((edition / "tei" / "img" / "facs.png").read_bytes()) not in copied
    for pid in ("p-outside", "p-passwd", "p-txt", "p-missing", "p-link", "p-remote"):
        p = doc.get_element_by_id(pid)
        assert not p.xpath(".//img"), pid
    assert doc.get_element_by_id("p-remote").xpath(".//a/@href") == ["https://example.org/remote.png"]
    assert not any("passwd" in rel or "secret" in rel for rel in _files(out))


def test_adhoc_build_keeps_to_the_files_folder(edition, tmp_path):
    """An ad hoc build copies images inside the TEI file's folder only (no edition root)."""
    out = tmp_path / "adhoc"
    _build(edition, out, paths=[edition / "tei" / "pictures.xml"])
    names = sorted(p.name.split("-", 1)[1] for p in (out / "media").iterdir())
    assert names == ["based.jpg", "drawing.gif", "pic.png"]  # not ../shared.png
    images = _images(out, "doc/pictures.html")
    assert all(t.is_file() for t in images.values()) and len(images) == 3  # pic twice, one src
    assert len(_page(out, "doc/pictures.html").xpath("//img")) == 4
    assert not _page(out, "doc/pictures.html").get_element_by_id("p-shared").xpath(".//img")


def test_changed_and_removed_images_incrementally(edition, tmp_path):
    out = edition / "output" / "html"
    _build(edition, out)
    assert _build(edition, out).written == 0  # nothing changed: nothing copied again
    pic = edition / "tei" / "img" / "pic.png"
    old = f"{_sha(pic.read_bytes())[:12]}-pic.png"
    steps = [
        ("image changed", lambda: pic.write_bytes(png((0, 128, 0)))),
        ("image changed again, same size", lambda: pic.write_bytes(png((0, 129, 0)))),
        ("image removed", lambda: (edition / "tei" / "img" / "drawing.gif").unlink()),
        ("image added back under another name", lambda: (edition / "tei" / "img" / "drawing.gif").write_bytes(GIF + b" ")),
        ("document changed", lambda: (edition / "tei" / "second.xml").write_text(
            (edition / "tei" / "second.xml").read_text().replace("img/pic.png", "../shared.png"))),
    ]
    for i, (what, step) in enumerate(steps):
        step()
        r = _build(edition, out)
        assert r.written > 0, what
        fresh = tmp_path / f"fresh-{i}"
        _build(edition, fresh, full=True)
        a, b = _files(out), _files(fresh)
        assert sorted(a) == sorted(b), what
        assert [rel for rel in a if a[rel] != b[rel]] == [], what
        assert _build(edition, out).written == 0, what
        # every image a page shows is in the site, with the source's bytes
        for rel in ("doc/pictures.html", "doc/second.html"):
            for src, target in _images(out, rel).items():
                assert target.is_file(), (what, rel, src)
        if i == 0:
            assert not (out / "media" / old).exists()
            new = f"{_sha(pic.read_bytes())[:12]}-pic.png"
            assert (out / "media" / new).read_bytes() == pic.read_bytes()
            assert f"../media/{new}" in _images(out, "doc/pictures.html")
            assert f"../media/{new}" in _images(out, "doc/second.html")
        if i == 1:
            assert f"../media/{_sha(pic.read_bytes())[:12]}-pic.png" in _images(out, "doc/pictures.html")
        if i == 2:
            assert not [p for p in (out / "media").iterdir() if p.name.endswith("drawing.gif")]
            fig = _page(out, "doc/pictures.html").get_element_by_id("fig-gif")
            assert not fig.xpath(".//img") and fig.xpath(".//a[@href='img/drawing.gif']")


def test_unchanged_images_are_not_hashed_again(edition, monkeypatch):
    """An image whose recorded stat is unchanged is not read again (the rule of the document
    files: toolkit/outputs/state.py, trusted_stat); the test's images are fresh, so RACY_NS is 0."""
    import builtins

    from toolkit.outputs import state as build_state
    from toolkit.outputs.html import media as html_media
    monkeypatch.setattr(build_state, "RACY_NS", 0)
    out = edition / "output" / "html"
    _build(edition, out)
    reads = []
    real_open = builtins.open

    def counting_open(file, *a, **kw):
        if str(file).endswith((".png", ".jpg", ".gif")):
            reads.append(str(file))
        return real_open(file, *a, **kw)
    monkeypatch.setattr(html_media, "open", counting_open, raising=False)
    assert _build(edition, out).written == 0
    assert reads == []
    pic = edition / "tei" / "img" / "pic.png"
    pic.write_bytes(png((1, 1, 1)))  # changed: read and copied again
    assert _build(edition, out).written > 0
    assert any(r.endswith("pic.png") for r in reads)
