"""Facsimile plates in the PDF (issue #17, [pdf] facsimiles): local page images as plates after
the text or facing it, counted with pypdf; remote images are never fetched."""
from __future__ import annotations

import pytest

from facsimile_support import TOML, build, facsimile_edition, make_image

pypdf = pytest.importorskip("pypdf")


def _images_per_page(path) -> list[int]:
    return [len(p.images) for p in pypdf.PdfReader(path).pages]


def _pdf(tmp_path, mode: str, doc=None):
    kw = {"doc": doc} if doc else {}
    root = facsimile_edition(tmp_path / mode, toml=TOML + f'[pdf]\nfacsimiles = "{mode}"\n', **kw)
    [r] = build(root, ("pdf",))
    return root / "out" / "d1.pdf", r


def test_plates_after_the_text(tmp_path):
    pdf, _ = _pdf(tmp_path, "plates")
    counts = _images_per_page(pdf)
    # the two local images, one a page, after the text; the remote IIIF image is not fetched
    assert sum(counts) == 2 and max(counts) == 1
    first = counts.index(1)
    assert first >= 1 and counts[first + 1] == 1
    text = pypdf.PdfReader(pdf).pages[first].extract_text()
    assert "Page 1r" in text


def test_facing_pages(tmp_path):
    pdf, _ = _pdf(tmp_path, "facing")
    counts = _images_per_page(pdf)
    assert sum(counts) == 2
    # each image on a left-hand (even) page, its text on the page after it
    assert all(n % 2 == 0 for n, c in enumerate(counts, 1) if c)
    reader = pypdf.PdfReader(pdf)
    i = counts.index(1)
    assert "first line" in reader.pages[i + 1].extract_text()


def test_none_by_default(tmp_path):
    root = facsimile_edition(tmp_path / "none")
    build(root, ("pdf",))
    assert sum(_images_per_page(root / "out" / "d1.pdf")) == 0


def test_bomb_and_outside_images_are_left_out(tmp_path):
    from facsimile_support import DOC
    doc = DOC.replace('url="img/p2.jpg"', 'url="img/bomb.png"').replace('url="img/p1.png"', 'url="../../out.png"')
    make_image(tmp_path / "out.png", (300, 300))
    make_image(tmp_path / "plates" / "tei" / "img" / "bomb.png", (12000, 9000), mode="1")
    pdf, r = _pdf(tmp_path, "plates", doc=doc)
    assert sum(_images_per_page(pdf)) == 0
    [d] = [d for d in r.diagnostics if d.rule == "pdf.facsimile"]
    assert "bomb.png" in d.message and "100,000,000" in d.message and d.path.endswith("d1.xml")
