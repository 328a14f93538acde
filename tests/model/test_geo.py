"""One coordinate parser (toolkit/tei/geo.py) for the model, the context and the HTML map: the
two parsers before disagreed (issue #11 survey, section 7) and both ignored hemispheres."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lhtml

from toolkit import context
from toolkit.config import load_config
from toolkit.model import Edition
from toolkit.outputs.runner import build
from toolkit.tei.geo import parse_geo

TEI_NS = "http://www.tei-c.org/ns/1.0"

CASES = [
    ("48.3 14.2", (48.3, 14.2)),
    ("48.3, 14.2", (48.3, 14.2)),          # the map said None
    ("48.3,14.2", (48.3, 14.2)),           # the map said None
    ("48,3 14,28333", (48.3, 14.28333)),   # decimal commas
    ("48,3, 14,2", (48.3, 14.2)),          # the model said (48.0, 3.0)
    ("48,3; 14,2", (48.3, 14.2)),
    ("48,3,14,2", None),                   # ambiguous; the model said (48.0, 3.0)
    ("48,14", (48.0, 14.0)),
    ("N48.3 E14.2", (48.3, 14.2)),
    ("N 48.3 E 14.2", (48.3, 14.2)),
    ("48.3°N 14.2°E", (48.3, 14.2)),
    ("33.9°S 18.4°E", (-33.9, 18.4)),      # the model said +33.9
    ("S 33.9, W 70", (-33.9, -70.0)),
    ("14.2 E 48.3 N", (48.3, 14.2)),       # latitude by its letter
    ("48°18′N 14°12′E", (48.3, 14.2)),
    ("-33.9 -70.1", (-33.9, -70.1)),
    ("48 14 300", (48.0, 14.0)),           # an altitude is ignored
    ("1e1 2e1", None),                     # the map said (10.0, 20.0), the model (1.0, 1.0)
    ("91 0", None), ("0 181", None), ("N48 N14", None), ("48°61′N 14E", None), ("", None), ("here", None),
]


@pytest.mark.parametrize("text,want", CASES, ids=[c[0] or "(empty)" for c in CASES])
def test_parse_geo(text, want):
    got = parse_geo(text)
    assert got == want if want is None or got is None else got == pytest.approx(want)


def test_model_context_and_map_read_the_same_coordinates(tmp_path: Path):
    places = ('<place xml:id="yarkand"><placeName>Yarkand</placeName><geo>38.4 77.2</geo></place>'
              '<place xml:id="cape"><placeName>Cape Town</placeName><location><geo>33.9°S 18.4°E</geo>'
              "</location></place>")
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "places.xml").write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Places</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><listPlace>{places}</listPlace></body></text></TEI>", encoding="utf-8")
    (tmp_path / "tei" / "d.xml").write_text(
        f'<TEI xmlns="{TEI_NS}" xml:id="d"><teiHeader><fileDesc><titleStmt><title>D</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        '<text><body><p><placeName ref="places.xml#yarkand">Yarkand</placeName>, '
        '<placeName ref="places.xml#cape">Cape Town</placeName></p></body></text></TEI>', encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\nauthority = ["tei/places.xml"]\n',
                                           encoding="utf-8")
    cfg = load_config(tmp_path / "edition.toml")
    ed = Edition.load(cfg)
    ctx = context.full(ed).getroot()
    geo = {e.get("id"): (float(e.find("geo").get("lat")), float(e.find("geo").get("long")))
           for e in ctx.iter("entity") if e.find("geo") is not None}
    assert geo == {"yarkand": (38.4, 77.2), "cape": (-33.9, 18.4)}  # Yarkand had none in the context
    [result] = build(cfg, ["html"], search_index=False, report=lambda d: None)
    assert result.ok
    page = lhtml.parse(str(tmp_path / "output" / "html" / "map.html")).getroot()
    links = {a.get("href") for a in page.iter("a")}
    assert {"entity/yarkand.html", "entity/cape.html"} <= links  # the map had no Cape Town
