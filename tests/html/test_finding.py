"""Issue #14, "Finding" and "Pages for readers": what the search index holds, the listing's
filters and paging, entity-page snippets, the chronology, the date style, the map outline, the
reader pages, print and dark styles — checked on the built bundled edition (parsed HTML, the
search bundle's own records)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import build_site, html_page

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("finding") / "site")


def records(site: Path) -> dict[str, dict]:
    """Pagefind's record of every indexed page (content, filters, meta, sort, anchors)."""
    out = {}
    for f in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        rec = json.loads(data[len(b"pagefind_dcd"):])
        out[rec["url"]] = rec
    return out


# -- 11. search ----------------------------------------------------------------------------------
def test_index_holds_the_text_not_the_furniture(site):
    recs = records(site)
    doc = recs["/doc/doc-1937-06-14.html"]["content"]
    assert "point 539 is in classified storage" in doc
    assert "also one air squadron on our border" in doc
    # labels, tools, information, citation and the site's words are not indexed
    for furniture in ("Handwritten note", "Document information", "Suggested citation", "Download the TEI",
                      "Reading view", "Archival source", "Summary. ", "Text. ", "Obtained by"):
        assert furniture not in doc, furniture
    ent = recs["/entity/ma-hushan.html"]["content"]
    assert ent.startswith("Ma Hushan.")
    for furniture in ("Persons", "Kind", "Person Kind"):
        assert furniture not in ent.split(".")[0:2][-1] and not ent.startswith(furniture), furniture
    assert "Kind" not in ent.split()


def test_index_filters_meta_and_sort(site):
    rec = records(site)["/doc/doc-1937-06-14.html"]
    f = rec["filters"]
    assert f["type"] == ["Document"] and f["year"] == ["1937"] and f["language"] == ["English"]
    assert f["text"] == ["Full text"]
    assert "I. V. Stalin" in f["person"] and "Kashgar" in f["place"] and "NKVD" in f["org"]
    assert rec["meta"]["date"] == "14 June 1937"
    # the sort key (kept in the index's metadata file, not in the fragment): the ISO date
    [sort] = html_page(site / "doc/doc-1937-06-14.html").xpath("//*[@data-pagefind-sort]")
    assert (sort.get("data-pagefind-sort"), sort.get("data-value")) == ("date[data-value]", "1937-06-14")
    summary_only = records(site)["/doc/doc-1945-07.html"]
    assert summary_only["filters"]["text"] == ["Summary only"]
    assert records(site)["/entity/kashgar.html"]["filters"]["type"] == ["Place"]


def test_index_anchors_each_paragraph_without_its_text(site):
    """Every paragraph of the text is an anchor (the search page links a result to it), an
    empty one: its text is not stored twice."""
    rec = records(site)["/doc/doc-1937-06-14.html"]
    paras = [a for a in rec["anchors"] if a["id"].startswith("p-")]
    assert len(paras) >= 5 and all(a["text"] == "" for a in paras)
    words = rec["content"].split()
    p9 = next(a for a in paras if a["id"] == "p-9")
    assert "squadron" in " ".join(words[p9["location"]:p9["location"] + 60])


def test_search_page_has_sort_and_filter_slots(site):
    root = html_page(site / "search.html")
    sort = root.get_element_by_id("search-sort")
    assert [o.get("value") for o in sort.iter("option")] == ["", "asc", "desc"]
    assert root.get_element_by_id("search-filters") is not None
