"""Facsimiles (issue #17): the model read from every common encoding, the IIIF Presentation 3
manifest, the IIIF level 0 tiles, and the limits on images (confined to the edition, http(s)
only, no decompression bombs)."""
from __future__ import annotations

import json
import os
import re

import pytest
from lxml import etree

from conftest import html_page, shared_path
from facsimile_support import DOC, build, facsimile_edition, make_image
from toolkit.tei import facsimile as fx
from toolkit.xmlsafe import parse_file

TEI = "http://www.tei-c.org/ns/1.0"


def _read(xml: str, iiif_base: str = ""):
    return fx.read(etree.fromstring(xml.encode()), iiif_base)


# -- the model ---------------------------------------------------------------------------------
def test_every_encoding_is_read():
    f = _read(f"""<TEI xmlns="{TEI}"><facsimile>
      <surface xml:id="a" n="1r" ulx="0" uly="0" lrx="100" lry="200"><graphic url="img/a.png"/>
        <zone xml:id="za" points="10,10 90,10 90,30 10,30"/></surface>
      <surface xml:id="b"/>
      <graphic xml:id="g" url="https://example.org/iiif/b/full/max/0/default.jpg"/>
    </facsimile>
    <sourceDoc><surface xml:id="c"><graphic url="https://example.org/c.jpg"/>
      <zone xml:id="zc" ulx="1" uly="2" lrx="11" lry="12"><line>a written line</line></zone></surface></sourceDoc>
    <text><body><pb facs="#a"/><pb facs="#b"/><pb facs="#g" n="7"/><pb facs="page9.jpg"/><pb facs="MS-9"/>
      <ab facs="#za">Zone text</ab><div facs="#zc"><p>x</p></div><lb facs="#za"/>
    </body></text></TEI>""", "https://iiif.example.org/{id}")
    s = {x.xml_id or x.images[0].url: x for x in f.surfaces}
    assert s["a"].size == (100, 200) and s["a"].label == "1r" and s["a"].images[0].kind == "local"
    assert s["a"].zones[0].box == (10, 10, 80, 20) and s["a"].zones[0].text == "Zone text"
    assert s["b"].images == []                                  # a surface without a graphic
    assert s["g"].images[0].kind == "iiif" and s["g"].images[0].url == "https://example.org/iiif/b"
    assert s["g"].label == "7"                                   # a pb's @n names its surface
    assert s["c"].source_doc and s["c"].zones[0].text == "a written line"
    assert s["page9.jpg"].images[0].kind == "local"
    assert s["https://iiif.example.org/MS-9"].images[0].kind == "iiif"
    assert f.targets["#za"] == (s["a"].id, "za") and f.targets["#zc"] == (s["c"].id, "zc")
    assert f.targets["#b"] == (s["b"].id, "")


@pytest.mark.parametrize("url, kind", [
    ("javascript:alert(1)", None), ("data:image/png;base64,AAAA", None), ("file:///etc/passwd.png", None),
    ("/etc/x.png", None), ("//evil.example/x.png", None), ("a.svg", None),
    ("img/a.png", "local"), ("https://x.org/a.jpg", "remote"), ("https://x.org/iiif/a/info.json", "iiif"),
])
def test_image_addresses(url, kind):
    img = fx.classify(url)
    assert (img.kind if img else None) == kind


def test_unsafe_facs_is_refused():
    f = _read(f"""<TEI xmlns="{TEI}"><text><body><pb facs="javascript:alert(1)"/></body></text></TEI>""")
    assert not f and f.refused == ["javascript:alert(1)"]


def test_letters_bare_iiif_ids():
    path = shared_path("corpora", "letters", "editions", "L00357.xml")
    f = fx.read(parse_file(path).root, "https://iiif.example.org/{id}")
    assert [s.images[0].url for s in f.surfaces] == ["https://iiif.example.org/MS-B-00005-B-000-00036",
                                                    "https://iiif.example.org/MS-B-00005-B-000-00037"]
    assert fx.read(parse_file(path).root).surfaces[0].images == []  # no rule: no image


def test_arabic_periodical_pb_facs():
    path = shared_path("corpora", "world", "arabic-periodical", "tei", "oclc_4770057679-i_19.TEIP5.xml")
    f = fx.read(parse_file(path).root)
    assert f.targets["#facs_354"][0] == f.surfaces[1].id and f.surfaces[1].label == "354"
    # the surface's copies, in order: a local scan, then remote ones (the first usable is shown)
    assert [i.kind for i in f.surfaces[0].images][:3] == ["local", "remote", "iiif"]


# -- the site: page, tiles, manifest -------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = facsimile_edition(tmp_path_factory.mktemp("facs"))
    build(root)
    return root / "out"


def test_page_links_each_image(site):
    page = html_page(site / "doc" / "d1.html")
    links = [a.get("href") for a in page.xpath("//ol[@class='facs-pages']//a")]
    assert len(links) == 3 and links[2] == "https://iiif.example.org/iiif/MS-1-2/full/max/0/default.jpg"
    assert all((site / "doc" / h).resolve().is_file() for h in links[:2])
    assert [a.get("data-surface") for a in page.xpath("//a[@class='facs-pb']")] == ["s1", "s2", "s3"]
    assert page.xpath("//*[contains(@class, 'facs-link')][@data-zone='z1']")
    assert page.xpath("//link[@href='../assets/facsimile.css']")


def test_page_without_facsimile_has_no_viewer(tmp_path):
    root = facsimile_edition(tmp_path, doc=re.sub(r"<facsimile>.*</facsimile>", "", DOC, flags=re.S)
                             .replace(' facs="#f1"', "").replace(' facs="#f2"', "").replace(' facs="#f3"', "")
                             .replace(' facs="#z1"', ""))
    build(root)
    page = html_page(root / "out" / "doc" / "d1.html")
    assert not page.xpath("//aside[@class='facs'] | //script[contains(@src, 'facsimile')]")
    assert not (root / "out" / "iiif").exists() and not (root / "out" / "assets" / "openseadragon").exists()


def test_tiles_are_iiif_level0(site):
    from PIL import Image
    [folder] = (site / "facs").iterdir() if len(list((site / "facs").iterdir())) == 1 else \
        [d for d in (site / "facs").iterdir() if json.loads((d / "info.json").read_text())["width"] == 1300]
    info = json.loads((folder / "info.json").read_text())
    assert info["profile"] == "level0" and info["type"] == "ImageService3"
    assert info["id"] == "https://edition.example.org/facs/" + folder.name
    assert info["tiles"] == [{"width": 512, "scaleFactors": [1, 2, 4]}]
    # full resolution: 3 × 4 tiles; the last column 1300 - 1024 = 276 wide
    tile = folder / "1024,1536,276,264" / "276,264" / "0" / "default.jpg"
    assert Image.open(tile).size == (276, 264)
    # scale 2: region 1024 px of the image, 512 px of the tile
    assert Image.open(folder / "0,0,1024,1024" / "512,512" / "0" / "default.jpg").size == (512, 512)
    # scale 4: the whole image below one tile
    assert Image.open(folder / "full" / "325,450" / "0" / "default.jpg").size == (325, 450)
    assert not list(site.rglob("p1.png"))  # the scan itself is never copied whole


def _check_manifest(m: dict) -> None:
    """The IIIF Presentation 3.0 rules a manifest of ours must meet (written from the spec: no
    JSON schema of Presentation 3 is published in a package registry)."""
    def uri(x):
        assert isinstance(x, str) and re.match(r"^https?://", x), x

    def lang_map(x):
        assert isinstance(x, dict) and x and all(isinstance(v, list) and all(isinstance(s, str) for s in v)
                                                 for v in x.values()), x
    assert m["@context"] == "http://iiif.io/api/presentation/3/context.json"
    uri(m["id"])
    assert m["type"] == "Manifest"
    lang_map(m["label"])
    for md in m.get("metadata", []):
        lang_map(md["label"])
        lang_map(md["value"])
    assert m["items"]
    ids = set()
    for c in m["items"]:
        uri(c["id"])
        assert c["type"] == "Canvas" and c["id"] not in ids
        ids.add(c["id"])
        lang_map(c["label"])
        assert isinstance(c["width"], int) and c["width"] > 0 and isinstance(c["height"], int) and c["height"] > 0
        for page in c["items"]:
            uri(page["id"])
            assert page["type"] == "AnnotationPage"
            for a in page["items"]:
                uri(a["id"])
                assert a["type"] == "Annotation" and a["motivation"] == "painting" and a["target"] == c["id"]
                assert a["body"]["type"] == "Image"
                uri(a["body"]["id"])
        for page in c.get("annotations", []):
            assert page["type"] == "AnnotationPage"
            for a in page["items"]:
                assert a["type"] == "Annotation" and a["motivation"] == "supplementing"
                assert a["body"]["type"] == "TextualBody" and a["body"]["value"]
                assert re.fullmatch(re.escape(c["id"]) + r"#xywh=\d+,\d+,\d+,\d+", a["target"])


def test_manifest(site):
    m = json.loads((site / "iiif" / "d1.json").read_text(encoding="utf-8"))
    _check_manifest(m)
    assert m["id"] == "https://edition.example.org/iiif/d1.json"
    assert [c["label"]["none"][0] for c in m["items"]] == ["1r", "1v", "2r"]
    assert (m["items"][0]["width"], m["items"][0]["height"]) == (1300, 1800)
    [note] = m["items"][0]["annotations"][0]["items"]
    assert note["target"].endswith("#xywh=100,100,1100,100")
    assert note["body"]["value"] == "The first line of the letter."
    page = html_page(site / "doc" / "d1.html")
    # the IIIF drag-and-drop link: the manifest, with its absolute URL in ?manifest=
    assert page.xpath("//p[@class='facs-iiif']/a")[0].get("href") == \
        "../iiif/d1.json?manifest=https%3A%2F%2Fedition.example.org%2Fiiif%2Fd1.json"


# -- limits ------------------------------------------------------------------------------------
def _hostile(tmp_path, url: str):
    doc = DOC.replace('url="img/p2.jpg"', f'url="{url}"')
    root = facsimile_edition(tmp_path / "ed", doc=doc)
    return root


@pytest.mark.parametrize("url", ["../../outside.png", "/tmp/facs-abs.png", "img/link.png",
                                 "javascript:alert(1)"])
def test_images_outside_the_edition_are_not_used(tmp_path, url):
    make_image(tmp_path / "outside.png", (300, 300))
    make_image(tmp_path / "facs-abs.png", (300, 300))
    root = _hostile(tmp_path, url.replace("/tmp/facs-abs.png", str(tmp_path / "facs-abs.png")))
    os.symlink(tmp_path / "outside.png", root / "tei" / "img" / "link.png")
    build(root)
    page = html_page(root / "out" / "doc" / "d1.html")
    assert [li.get("data-surface") for li in page.xpath("//ol[@class='facs-pages']/li")] == ["s1", "s3"]
    assert len(list((root / "out" / "facs").iterdir())) == 1  # p1.png only
    assert "javascript" not in (root / "out" / "doc" / "d1.html").read_text(encoding="utf-8")


def test_decompression_bomb_is_refused(tmp_path):
    from toolkit.outputs.html import facsimiles
    root = _hostile(tmp_path, "img/bomb.png")
    make_image(root / "tei" / "img" / "bomb.png", (12000, 9000), mode="1")  # 108 MP, a small file
    assert (root / "tei" / "img" / "bomb.png").stat().st_size < 1_000_000
    [r] = build(root)
    assert any("bomb.png" in m and f"{facsimiles.MAX_PIXELS:,}" in m for m in r.messages), r.messages
    page = html_page(root / "out" / "doc" / "d1.html")
    assert [li.get("data-surface") for li in page.xpath("//ol[@class='facs-pages']/li")] == ["s1", "s3"]


def test_source_doc_zones_link_to_the_image(tmp_path):
    doc = DOC.replace("<text>", """<sourceDoc><surface xml:id="sd1" ulx="0" uly="0" lrx="600" lry="800">
      <graphic url="img/p2.jpg"/><zone xml:id="sdz1" ulx="10" uly="20" lrx="300" lry="60">
      <line>A line written on the page</line></zone></surface></sourceDoc><text>""")
    root = facsimile_edition(tmp_path, doc=doc)
    build(root)
    page = html_page(root / "out" / "doc" / "d1.html")
    [link] = page.xpath("//div[contains(@class, 'facs-link')][@data-zone='sdz1']")
    assert "A line written on the page" in link.text_content()
    [li] = page.xpath(f"//ol[@class='facs-pages']/li[@data-surface='{link.get('data-surface')}']")
    assert li.xpath("span[@data-zone='sdz1']/@data-w") == ["290"]
    m = json.loads((root / "out" / "iiif" / "d1.json").read_text(encoding="utf-8"))
    notes = [a for c in m["items"] for p in c.get("annotations", []) for a in p["items"]]
    assert [n["body"]["value"] for n in notes] == ["The first line of the letter.", "A line written on the page"]


def test_without_the_viewer_library_pages_link_images(tmp_path, monkeypatch):
    from toolkit.outputs.html import facsimiles
    monkeypatch.setattr(facsimiles, "OSD", tmp_path / "not-installed")
    root = facsimile_edition(tmp_path / "ed")
    [r] = build(root)
    assert any("OpenSeadragon is not installed" in m for m in r.messages)
    page = html_page(root / "out" / "doc" / "d1.html")
    assert page.xpath("//aside[@id='facsimile']/@data-viewer") == [""]
    assert not page.xpath("//script[contains(@src, 'openseadragon')]")
    assert len(page.xpath("//ol[@class='facs-pages']/li/a")) == 3
    assert not (root / "out" / "assets" / "openseadragon").exists()


def test_viewer_ships_with_its_licence(site):
    from toolkit.outputs.html.facsimiles import OSD
    if not (OSD / "build").is_dir():
        pytest.skip("OpenSeadragon not installed (make install)")
    osd = site / "assets" / "openseadragon"
    assert (osd / "openseadragon.min.js").is_file() and "Copyright" in (osd / "LICENSE.txt").read_text()
    assert (osd / "images" / "zoomin_rest.png").is_file()
    html = (site / "doc" / "d1.html").read_text(encoding="utf-8")
    assert "cdn" not in html.lower() and 'src="../assets/openseadragon/openseadragon.min.js"' in html
