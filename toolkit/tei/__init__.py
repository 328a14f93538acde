"""The TEI rules of the toolkit, decided once: what the reading text of an element is, which title
and date a document has, whether a note stands in the margin, how a hand is labelled, how names
sort, what a page is called, where a place lies.

Every output reads these facts from here (Python) or from their twins in xslt/lib/tei.xsl
(XSLT); tests/model/test_rules_parity.py holds the two against each other. The element classes both
sides use (citable, not rendered, word breaks …) are data, in xslt/lib/tei-classes.xml
(toolkit/tei/classes.py reads it).
"""
from __future__ import annotations

import re

from lxml import etree

from ..xmlsafe import TEI_NS, XML_NS

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def norm_space(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
