"""The document page as scholars use it (issue #14, items 1–10): its apparatus (hands, seal,
signature, interventions, notes), what makes it citable (permalinks, the citation and its
exports, metadata for reference managers, paragraph anchors, the PDF) and the entity layer
(popovers, indexes) — on the bundled edition's built pages, parsed."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, build_site, edition_copy, html_page, norm_text

DOC = "doc/doc-1937-06-14.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("scholarly") / "site", search=False)


@pytest.fixture(scope="module")
def doc(site):
    return html_page(site / DOC)


def first(el, xpath: str):
    found = el.xpath(xpath)
    assert found, xpath
    return found[0]


def cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# -- 1. hands, seal, signature -------------------------------------------------------------------
def test_hands_have_sigla_listed_in_document_information(doc):
    row = first(doc, f"//section[@id='doc-info']//div[{cls('info-hands')}]")
    items = row.xpath(".//li")
    assert [i.get("id") for i in items] == ["hand-note-1", "hand-note-2"]
    assert [norm_text(first(i, f".//span[{cls('hand-siglum')}]")) for i in items] == ["A", "B"]
    assert "The source does not say who wrote them" in norm_text(items[0])


def test_notes_and_signature_link_their_hand_by_siglum_not_by_id(doc):
    labels = doc.xpath(f"//aside[{cls('marginal')}]/span[{cls('marginal-label')}]")
    assert [norm_text(x) for x in labels] == [
        "Handwritten note, at the top of the page, hand A",
        "Handwritten note, before the previous entry, hand A",
        "Handwritten note, at the top of the page, hand A"]
    for x in labels:
        a = first(x, "a[@class='hand-ref']")
        assert a.get("href") == "#hand-note-1" and a.get("title") is None
    sig = first(doc, f"//*[{cls('tei-signed')}]")
    assert norm_text(first(sig, f"span[{cls('set-apart-label')}]")) == "signed, hand B"
    assert first(sig, ".//a[@class='hand-ref']").get("href") == "#hand-note-2"
    article = norm_text(first(doc, "//article"))
    for internal in ("hand: archive", "hand-archive", "HAND", "hand: signature", "Signature (hand"):
        assert internal not in article


def test_closer_is_seal_then_role_with_signature(doc):
    closer = first(doc, f"//div[{cls('tei-closer')}]")
    kids = [c.get("class").split()[0] for c in closer if isinstance(c.tag, str)]
    assert kids == ["tei-stamp", "tei-roleName", "tei-signed"]
    css = (REPO / "xslt/html/assets/edition.css").read_text()
    # the seal takes a line of its own; role and signature follow on one line
    assert re.search(r"\.tei-closer > \.tei-stamp \{[^}]*flex-basis: 100%", css)


def test_hand_sigla_rule():
    from toolkit.tei.notes import hand_sigla, hand_siglum
    tei = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><handDesc>'
        '<handNote xml:id="h1"/><handNote xml:id="h2" n="B"/><handNote xml:id="h3"/>'
        '<handNote xml:id="h4"/></handDesc></teiHeader><text/></TEI>')
    # @n when given; else A, B, C … in handDesc order, skipping a letter some @n uses
    assert [s for _, s in hand_sigla(tei)] == ["A", "B", "C", "D"][:1] + ["B", "C", "D"]
    assert hand_siglum("#h3", tei) == "C" and hand_siglum("#nothing", tei) is None


# -- 3. notes numbered once ----------------------------------------------------------------------
def test_notes_are_numbered_once(doc):
    item = first(doc, "//ol[@class='note-list']/li")
    assert norm_text(item).startswith("1. Editorial note:")
    css = (REPO / "xslt/html/assets/edition.css").read_text()
    assert re.search(r"\.note-list \{[^}]*list-style: none", css)


# -- 2. interventions ----------------------------------------------------------------------------
def test_interventions_have_a_legend_and_a_list_instead_of_titles(doc):
    ivs = doc.xpath(f"//div[@class='text']//span[{cls('intervention')}]")
    assert [x.get("class").split()[0] for x in ivs] == ["tei-reg", "tei-supplied"]
    assert all(x.get("title") is None for x in ivs)
    legend = first(doc, "//div[@class='iv-legend']")
    key = norm_text(first(legend, "p[@class='iv-key']"))
    assert "regularised, corrected or expanded" in key and "supplied by the editor" in key
    items = legend.xpath(".//ol[@class='iv-list']/li")
    assert [norm_text(i) for i in items] == ["Hetian: regularised; the source has: Hotan",
                                             "District: supplied by the editor (translator)"]
    for item, iv in zip(items, ivs):
        assert first(item, "a").get("href") == "#" + iv.get("id")
        assert item.get("id") == "ivn-" + iv.get("id")[3:]
    # the help for a switch that needs JavaScript is not all a reader without it gets
    assert legend.xpath(".//p[contains(@class, 'view-help-nojs')]")
