"""A small edition with page images made by Pillow (tests/html/test_facsimile.py, the browser
and PDF tests of facsimiles): three surfaces (two local images, one bare IIIF id), a zone that a
line points to, and text long enough to scroll between page breaks."""
from __future__ import annotations

from pathlib import Path

TOML = """[edition]
title = "Facsimile test"
sources = ["tei/*.xml"]
[facsimile]
iiif_base = "https://iiif.example.org/iiif/{id}"
[html]
base_url = "https://edition.example.org"
"""

FILLER = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40 + "</p>\n"

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d1">
<teiHeader><fileDesc><titleStmt><title>Letter one</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<facsimile>
 <surface xml:id="f1" n="1r" ulx="0" uly="0" lrx="1300" lry="1800"><graphic url="img/p1.png"/>
   <zone xml:id="z1" ulx="100" uly="100" lrx="1200" lry="200"/>
 </surface>
 <surface xml:id="f2" n="1v"><graphic url="img/p2.jpg"/></surface>
 <surface xml:id="f3" n="2r"><graphic url="MS-1-2"/></surface>
</facsimile>
<text><body>
<pb facs="#f1" n="1r"/>
<p><lb facs="#z1"/>The first line of the letter. <lb/>More text here.</p>
FILLER<pb facs="#f2" n="1v"/>
<p>Second page text.</p>
FILLER<pb facs="#f3" n="2r"/>
<p>Third page text.</p>
FILLER</body></text></TEI>
""".replace("FILLER", FILLER)


def make_image(path: Path, size: tuple[int, int], mode: str = "RGB") -> Path:
    from PIL import Image, ImageDraw
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new(mode, size, (235, 225, 200) if mode == "RGB" else 1)
    if mode == "RGB":
        ImageDraw.Draw(im).rectangle((100, 100, size[0] - 100, 200), fill=(20, 20, 20))
    im.save(path)
    return path


def facsimile_edition(root: Path, doc: str = DOC, toml: str = TOML) -> Path:
    """The edition's folder (edition.toml, tei/d1.xml, tei/img/p1.png 1300×1800, p2.jpg 600×800)."""
    (root / "tei").mkdir(parents=True, exist_ok=True)
    (root / "edition.toml").write_text(toml, encoding="utf-8")
    (root / "tei" / "d1.xml").write_text(doc, encoding="utf-8")
    make_image(root / "tei" / "img" / "p1.png", (1300, 1800))
    make_image(root / "tei" / "img" / "p2.jpg", (600, 800))
    return root


def build(root: Path, targets=("html",)):
    from toolkit.config import load_config
    from toolkit.outputs.runner import build as run
    results = run(load_config(root / "edition.toml"), list(targets), out=root / "out")
    for r in results:
        assert r.ok, r.summary()
    return results
