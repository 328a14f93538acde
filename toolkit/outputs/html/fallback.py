"""The fallback page: a document the stylesheet could not render still gets a page, with its
title, date and reading text (no markup), and the ids its passages are linked by."""
from __future__ import annotations

from lxml import etree

from ... import messages
from ...model import T, XML_ID, local
from ...tei.lang import lang_tag
from ...tei.reading import reading_blocks
from .addresses import safe_name
from .passages import INLINE_NO_ID, cite_ids, page_id


def plain_page(tree, d, site_title: str, source: str, lang: str = "en") -> str:
    """The page of a document the stylesheet could not render: its title, date and text (the
    reading text, without markup), with the citable elements' ids of xslt/html/text/ids.xsl
    (and the xml:ids passage_of may link to), so that links to its passages still land."""
    from lxml.html import builder as E
    root = tree.getroot() if tree is not None else None
    texts = [t for t in root.iter(T + "text") if not any(a.tag == T + "text" for a in t.iterancestors())] \
        if root is not None else []
    ids = cite_ids(root) if root is not None else {}
    body = E.DIV(E.CLASS("text"))

    def is_block(e) -> bool:
        return e in ids or (bool(e.get(XML_ID)) and e.tag.startswith(T) and local(e.tag) not in INLINE_NO_ID)

    def fill(blocks, box):  # the reading text (toolkit/tei/reading.py), its blocks as divs
        for b in blocks:
            if isinstance(b, str):
                etree.SubElement(box, "p").text = b
                continue
            c, inner = b
            block = etree.SubElement(box, "div", {"class": "tei-" + safe_name(local(c.tag))})
            if c in ids or c.get(XML_ID):
                block.set("id", ids.get(c) or page_id(c.get(XML_ID)))
            fill(inner, block)

    for t in texts:
        fill(reading_blocks(t, is_block), body)
    title = d.title or d.id
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"),
               E.META(name="viewport", content="width=device-width, initial-scale=1"),
               E.TITLE(f"{title} – {site_title}"),
               E.LINK(rel="stylesheet", href="../assets/edition.css")),
        E.BODY(
            E.HEADER(E.P(E.A(site_title, href="../index.html"), E.CLASS("site-title")), E.CLASS("site-header")),
            E.MAIN(E.ARTICLE(
                E.H1(title, id="title"),
                *([E.P(d.date_label or d.when, E.CLASS("doc-date"))] if (d.date_label or d.when) else []),
                E.P(messages.message(lang, "fallback.notice") + " ",
                    E.A(messages.message(lang, "fallback.tei-source"), href="../" + source), E.CLASS("render-failed")),
                body, E.CLASS("document"), **{"data-pagefind-body": ""}), id="main")),
        lang=lang_tag(lang) or "en")  # the site's language, as layout.xsl writes it
    return "<!DOCTYPE html>\n" + etree.tostring(page, method="html", encoding="unicode")


