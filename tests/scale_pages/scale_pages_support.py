"""A generated edition large enough, at small limits (toolkit/outputs/html/paging.py, patched),
to split every page that lists things (issue #18): the listing, the filter data, an entity's
mentions, the person index by initial (Latin, Cyrillic, Arabic, CJK, digits and symbols) and the
chronology by years. The fixture `site` (the built site), which the test modules import (not
a conftest.py: it would shadow tests/conftest.py)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as lhtml

from toolkit.outputs.html import paging

TEI = "http://www.tei-c.org/ns/1.0"
N_DOCS = 60
# names whose sort keys begin with Latin, Cyrillic, Arabic and CJK letters, digits and symbols
NAMES = (["Adams", "Abel", "Allen", "Avery", "Baker", "Brown", "Clark", "Cole", "Davis", "Dunn", "Evans", "Ellis", "Émile"]
         + ["Борис", "Бахтин", "Вера", "Глеб"] + ["أحمد", "امين", "بشير"] + ["王", "李", "张"]
         + ["7 Samurai", "1812 Committee", "@home"])
SMALL = {"PAGER_WINDOW": 2, "MENTIONS_PER_PAGE": 7, "INDEX_ONE_PAGE_UP_TO": 10, "INDEX_PER_PAGE": 3,
         "CHRONOLOGY_PER_PAGE": 8, "DATA_CHUNK_BYTES": 2500, "FACET_OPTIONS": 10}
PAGE_SIZE = 3


def _header(title: str, extra: str = "") -> str:
    return (f'<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt><publicationStmt><p>generated</p>'
            f'</publicationStmt><sourceDesc><p>generated</p></sourceDesc></fileDesc>{extra}</teiHeader>')


def persons_xml() -> str:
    rows = "".join(f'<person xml:id="p{i}"><persName>{n}</persName></person>' for i, n in enumerate(NAMES))
    return f'<TEI xmlns="{TEI}">{_header("Persons")}<text><body><listPerson>{rows}</listPerson></body></text></TEI>'


def doc_xml(n: int) -> str:
    """Document n: every one names p0 twice (its mentions go over many pages), and one other
    person; dated over 15 years, the last undated."""
    date = "" if n == N_DOCS - 1 else f'<creation><date when="{1900 + n // 4}-0{1 + n % 4}-1{n % 10}"/></creation>'
    other = 1 + n % (len(NAMES) - 1)
    return (f'<TEI xmlns="{TEI}" xml:id="gen-{n:03d}">'
            + _header(f"Generated letter {n:03d}", f"<profileDesc>{date}</profileDesc>" if date else "")
            + f'<text><body><p>Letter {n} to <persName ref="persons.xml#p0">{NAMES[0]}</persName>.</p>'
            f'<p>It names <persName ref="persons.xml#p{other}">{NAMES[other]}</persName> and again '
            f'<persName ref="persons.xml#p0">{NAMES[0]}</persName>.</p></body></text></TEI>')


def make_sources(src: Path) -> list[Path]:
    src.mkdir(parents=True, exist_ok=True)
    (src / "persons.xml").write_text(persons_xml(), encoding="utf-8")
    docs = []
    for n in range(N_DOCS):
        p = src / f"gen-{n:03d}.xml"
        p.write_text(doc_xml(n), encoding="utf-8")
        docs.append(p)
    return docs


def page(site: Path, href: str):
    return lhtml.parse(str(site / href)).getroot()


def crawl(site: Path, start: str, nav: str) -> list[str]:
    """The pages reached from `start` by following the links that `nav` (an XPath to @href)
    selects, breadth first; site-relative addresses, in the order found."""
    seen, todo = [start], [start]
    while todo:
        href = todo.pop(0)
        for a in page(site, href).xpath(nav):
            target = urljoin("/" + href, a).lstrip("/").split("#")[0].split("?")[0]
            if target and target not in seen:
                seen.append(target)
                todo.append(target)
    return seen


def links(site: Path, href: str, xpath: str) -> list[str]:
    """Site-relative targets of the links an XPath selects (@href values) on a page."""
    return [urljoin("/" + href, a).lstrip("/") for a in page(site, href).xpath(xpath)]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    from conftest import REPO  # tests/conftest.py
    from toolkit.config import load_config
    from toolkit.outputs.runner import build
    mp = pytest.MonkeyPatch()
    for k, v in SMALL.items():
        mp.setattr(paging, k, v)
    try:
        work = tmp_path_factory.mktemp("scale-pages")
        docs = make_sources(work / "src")
        out = work / "site"
        [r] = build(load_config(REPO / "edition.toml"), ["html"], paths=docs, authority=[work / "src" / "persons.xml"],
                    out=out, search_index=False, options={"html": {"page_size": PAGE_SIZE}})
        assert r.ok, r.summary()
    finally:
        mp.undo()
    return out
