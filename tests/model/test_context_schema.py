"""The context documents (toolkit/context.py) against their schema, xslt/lib/context.rng: every
kind of context made from the bundled edition, a folder and a site is valid, and a context that
breaks the schema is caught (by the schema, and by the session's check in tests/conftest.py)."""
from __future__ import annotations

import copy

import pytest
from lxml import etree

from conftest import REPO, TEI
from toolkit import context
from toolkit.config import load_config
from toolkit.model import Edition


@pytest.fixture(scope="module")
def schema():
    return etree.RelaxNG(etree.parse(str(context.SCHEMA)))


@pytest.fixture(scope="module")
def edition():
    return Edition.load(load_config(REPO / "edition.toml"))


class Addresses:
    def __init__(self, ed):
        self.doc_page = {d.id: f"doc/{d.id}.html" for d in ed.documents}
        self.doc_source = {d.id: f"tei/{d.id}.xml" for d in ed.documents}
        self.ent_page = {eid: f"entity/{eid}.html" for eid in sorted(ed.entities)[::2]}


def contexts(ed):
    """One context of each kind, made from the bundled edition."""
    a = Addresses(ed)
    docs = [d.id for d in ed.documents]
    pages = context.PageContexts(ed, a, ed.info_fields())
    return {
        "full": context.full(ed),
        "file": context.for_file(ed, ed.documents[0].file),
        "site": context.site(ed, a, ed.info_fields()),
        "page": pages.page(docs[1], docs[:3], docs[5:6], sorted(ed.entities)[:4],
                           [("scan.png", "", "media/0123456789ab-scan.png")]),
        "folder": context.folder(TEI),
    }


def test_every_kind_of_context_is_valid(edition, schema):
    made = contexts(edition)
    for kind, tree in made.items():
        assert schema.validate(tree), (kind, schema.error_log)
    full = made["full"].getroot()
    assert [c.tag for c in full][:1] == ["file"] and full.find("mention") is not None
    assert full.find("entity/mentioned") is not None
    page = made["page"].getroot()
    assert page[0].tag == "info-field"  # the edition's fields first (document-info.xsl)
    assert [c.tag for c in page if c.tag not in ("info-field", "citation")][:4] == ["document"] * 3 + ["refs"]
    assert page.find("document[2]/media").get("href") == "media/0123456789ab-scan.png"


def test_the_shared_rules_facts_are_in_the_contexts(edition):
    """The model's facts the stylesheets read instead of recomputing them (toolkit/tei/): the
    edition's language, each entity's sort key and anchor, the date as written, the edition's
    fields of "Document information"."""
    made = contexts(edition)
    for kind in ("full", "file", "site", "page"):
        assert made[kind].getroot().get("lang") == (edition.config.language or ""), kind
    for kind in ("full", "site", "page"):
        root = made[kind].getroot()
        e = root.find("entity")
        ent = edition.entities[e.get("id")]
        assert (e.get("sort"), e.get("anchor")) == (ent.sort_key, edition.entity_names()[e.get("id")]), kind
        d = root.find(".//document")
        doc = next(x for x in edition.documents if x.id == d.get("id"))
        assert (d.findtext("date"), d.find("date").get("written")) == (doc.date_label, doc.date_written), kind
    fields = [(f.get("name"), f.get("label")) for f in made["site"].getroot().iter("info-field")]
    assert fields == [(f.name, f.label) for f in edition.conventions.info_fields] and fields
    assert made["full"].getroot().find("info-field") is None


# each: (the kind of context, what is broken, how)
BREAKS = [
    ("full", "transcribed", lambda r: r.find("document").set("transcribed", "maybe")),
    ("full", "no-preferred-name", lambda r: r.find("entity").remove(r.find("entity/name"))),
    ("full", "mention-without-attribute", lambda r: r.find("mention").attrib.pop("attribute")),
    ("full", "entity-without-sort", lambda r: r.find("entity").attrib.pop("sort")),
    ("full", "date-without-written", lambda r: r.find("document/date").attrib.pop("written")),
    ("file", "no-lang", lambda r: r.attrib.pop("lang")),
    ("file", "role", lambda r: r.find("file").set("role", "novel")),
    ("site", "info-fields", lambda r: r.attrib.pop("info-fields")),
    ("site", "document-without-page", lambda r: r.find("document").attrib.pop("page")),
    ("page", "refs", lambda r: r.remove(r.find("refs"))),
    ("page", "info-field-without-label", lambda r: r.find("info-field").attrib.pop("label")),
    ("page", "entity-without-anchor", lambda r: r.find("entity").attrib.pop("anchor")),
    ("page", "kind", lambda r: r.find("entity").set("kind", "ship")),
    ("folder", "file-uri", lambda r: r.find("mention").set("file-uri", "/etc/passwd")),
]


@pytest.mark.parametrize("kind,what,breaking", BREAKS, ids=[f"{k}-{w}" for k, w, _ in BREAKS])
def test_a_context_that_breaks_the_schema_is_refused(edition, schema, kind, what, breaking):
    tree = copy.deepcopy(contexts(edition)[kind])
    assert schema.validate(tree)
    breaking(tree.getroot())
    assert not schema.validate(tree)
    assert "RELAXNG" in str(schema.error_log)


def test_the_session_check_catches_a_bad_context_where_it_is_made(edition, monkeypatch):
    """The hook tests/conftest.py sets: a context function making a bad tree fails at once."""
    assert context.check is not None
    real = context.document_element

    def bad(*a, **k):
        el = real(*a, **k)
        el.set("transcribed", "perhaps")
        return el
    monkeypatch.setattr(context, "document_element", bad)
    with pytest.raises(AssertionError, match="context.rng"):
        context.full(edition)


def test_the_site_input_is_valid_and_checked(schema):
    page = etree.Element("page", kind="search", href="search.html", root="", bundles="pagefind/shard-0")
    assert schema.validate(etree.fromstring(context.site_input([etree.tostring(page, encoding="unicode")])))
    bad = etree.Element("page", kind="gallery", href="gallery.html", root="")
    with pytest.raises(AssertionError, match="context.rng"):
        context.site_input([etree.tostring(bad, encoding="unicode")])
