"""The stylesheets read the facts the model computes (a document's title, date label,
transcription status: the context's document/@title, document/date, document/@transcribed; an
entity's anchor, entity/@anchor) and never compute them again (issue #11): a grep of xslt/ for the ways they used to be recomputed. The rules
themselves live in xslt/lib/tei.xsl and toolkit/tei/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

XSLT = Path(__file__).resolve().parents[2] / "xslt"
LIB = XSLT / "lib"

# pattern → the files allowed to hold it (relative to xslt/), with the reason
FORBIDDEN = {
    # the transcription marker is configuration ([text] not_transcribed), decided by the model
    r"tei:gap\[@reason": set(),
    r"reason\s*=\s*['\"]not-transcribed": set(),
    # a document's title as text: the model's document/@title
    r"f:reading-text\(\s*\$title-el": set(),
    r"f:reading-text\(\s*f:title-element": {"lib/tei.xsl"},   # f:edition-title
    # a document's date: the model's document/date and @when ("Document information" shows the
    # creation <date> itself, as written)
    r"creation//tei:date": {"html/pages/document-info.xsl"},
    r"creation/tei:date": {"html/pages/document-info.xsl"},
    # an entity's popover and map anchors: the context's entity/@anchor (its unique page name)
    r"f:slug\(\$entity/@id\)|place-\{f:slug": set(),
    # the rules' own definitions
    r"name=\"f:(title-element|date-label|date-element-label|is-marginal|hand-label|lang|reading-text)\"": {"lib/tei.xsl"},
}


def stylesheets():
    return sorted(p for p in XSLT.rglob("*.xsl"))


@pytest.mark.parametrize("pattern", FORBIDDEN)
def test_no_stylesheet_recomputes_a_document_fact(pattern):
    found = [f"{p.relative_to(XSLT)}:{n}: {line.strip()}"
             for p in stylesheets() if str(p.relative_to(XSLT)) not in FORBIDDEN[pattern]
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(pattern, line)]
    assert not found, "\n".join(found)


def test_the_grep_sees_the_stylesheets():
    assert len(stylesheets()) > 20 and (LIB / "tei.xsl") in stylesheets()
