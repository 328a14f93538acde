"""Generated editions for the map at scale (#18): n places with coordinates and a few documents
that together name them all (above 500 entities only the entities the documents name get pages
and dots). Cheap: one authority file and `docs` documents, whatever n."""
from __future__ import annotations

import string
from pathlib import Path

TEI = "http://www.tei-c.org/ns/1.0"
REPO = Path(__file__).resolve().parents[2]


def _header(title: str) -> str:
    return (f'<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
            '<publicationStmt><p>generated</p></publicationStmt><sourceDesc><p>generated</p></sourceDesc>'
            '</fileDesc><profileDesc><creation><date when="1900-01-01"/></creation></profileDesc></teiHeader>')


def name(i: int) -> str:
    """Names under every initial A–Z, in no order of their numbers."""
    return f"{string.ascii_uppercase[i * 7 % 26]}ort {i}"


def coords(i: int) -> tuple[float, float]:
    """A fixed pseudo-random spread over 35° × 70°, denser near a few centres; every 97th place
    shares the point of the place before it (two places at one point)."""
    if i % 97 == 1:
        i -= 1
    centre = [(48.2, 16.4), (55.7, 37.6), (41.0, 29.0), (43.8, 87.6)][i % 4]
    spread = 1 + (i * 31 % 10)
    lat = centre[0] + ((i * 7919 % 2003) / 2003 - 0.5) * spread
    lon = centre[1] + ((i * 104729 % 4001) / 4001 - 0.5) * spread * 2
    return round(lat, 4), round(lon, 4)


def write_edition(src: Path, n_places: int, n_docs: int = 10) -> tuple[list[Path], Path]:
    """(the documents, the authority file) in `src`."""
    rows = []
    for i in range(n_places):
        lat, lon = coords(i)
        rows.append(f'<place xml:id="pl{i}"><placeName>{name(i)}</placeName>'
                    f'<location><geo>{lat} {lon}</geo></location></place>')
    places = src / "places.xml"
    places.write_text(f'<TEI xmlns="{TEI}">{_header("Places")}<text><body><listPlace>'
                      + "\n".join(rows) + '</listPlace></body></text></TEI>', encoding="utf-8")
    docs = []
    for d in range(n_docs):
        f = src / f"gen-{d:03d}.xml"
        names = ", ".join(f'<placeName ref="places.xml#pl{i}">{name(i)}</placeName>'
                          for i in range(d, n_places, n_docs))
        f.write_text(f'<TEI xmlns="{TEI}" xml:id="gen-{d:03d}">{_header(f"Generated letter {d:03d}")}'
                     f'<text><body><p>Letter {d} names {names}.</p></body></text></TEI>', encoding="utf-8")
        docs.append(f)
    return docs, places


def build(out: Path, docs: list[Path], places: Path) -> None:
    from toolkit.config import load_config
    from toolkit.outputs.runner import build as run
    [r] = run(load_config(REPO / "edition.toml"), ["html"], paths=docs, authority=[places], out=out,
              search_index=False)
    assert r.ok, r.diagnostics


def built_site(tmp_path_factory, n: int):
    """(site folder, documents, places) of a generated edition of `n` places, built once per
    test module (the tests' and the browser tests' fixture)."""
    src = tmp_path_factory.mktemp("src")
    docs, places = write_edition(src, n)
    out = tmp_path_factory.mktemp("large") / "site"
    build(out, docs, places)
    return out, docs, places
