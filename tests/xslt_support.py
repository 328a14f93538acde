"""A small harness that calls the stylesheets' functions directly: XSLT unit tests without a
whole-site build (tests/model/test_xslt_functions.py, tests/model/test_rules_parity.py).

    values = xpath_each("f:reading-text(.)", ['<p xmlns="…">one<lb/>two</p>', …])
    labels = xpath_each("f:date-label(.)", ["1937-06-14", "1945-07"], strings=True)

`expr` is an XPath expression in a stylesheet that imports xslt/lib/common.xsl (and whatever
else `imports` names, relative to xslt/), with the prefixes f, fp, c, tei, xs, map bound. It is
evaluated once per input: with an element input, the context item is the root element of that
input (parsed as a document of its own, so key() and root() see only it); with strings=True the
context item is the string. Each result is the string value of what the expression returns (items
joined by "|"), so a test compares plain strings. The stylesheet is compiled once per expression
and import list; it runs in the toolkit's own confined Saxon (toolkit/saxon.py).
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from toolkit import saxon

XSLT = Path(saxon.XSLT_DIR)
_DIR = Path(tempfile.mkdtemp(prefix="xslt-harness-"))
_compiled: dict[tuple, object] = {}

NAMESPACES = {
    "xsl": "http://www.w3.org/1999/XSL/Transform",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "tei": "http://www.tei-c.org/ns/1.0",
    "f": "urn:x-tei-edition:functions",
    "fp": "urn:x-tei-edition:private",
    "c": "urn:x-tei-edition:classes",
    "ty": "urn:x-tei-edition:typst",
    "map": "http://www.w3.org/2005/xpath-functions/map",
}

_TEMPLATE = """<xsl:stylesheet version="3.0" {ns} exclude-result-prefixes="#all">
{imports}
  <xsl:param name="value" as="xs:string?" select="()"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:variable name="context" select="if (exists($value)) then $value else *"/>
    <xsl:value-of select="string-join(for $r in ($context ! ({expr})) return string($r), '|')"/>
  </xsl:template>
</xsl:stylesheet>
"""


def _stylesheet(expr: str, imports: tuple[str, ...]):
    key = (expr, imports)
    if key not in _compiled:
        text = _TEMPLATE.format(
            ns=" ".join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES.items()),
            imports="\n".join(f'  <xsl:import href="{(XSLT / i).as_uri()}"/>' for i in imports),
            expr=expr.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;"))
        path = _DIR / (hashlib.sha1(repr(key).encode()).hexdigest()[:16] + ".xsl")
        path.write_text(text, encoding="utf-8")
        _compiled[key] = saxon.compile_stylesheet(path, family=False)
    return _compiled[key]


def xpath_each(expr: str, inputs: list[str], strings: bool = False,
               imports: tuple[str, ...] = ("lib/common.xsl",)) -> list[str]:
    """The string result of `expr` for each input (see the module's docstring)."""
    exe = _stylesheet(expr, tuple(imports))
    out = []
    for item in inputs:
        if strings:
            out.append(saxon.transform(exe, "<x/>", {"value": item}))
        else:
            out.append(saxon.transform(exe, item))
    return out


def xpath(expr: str, input: str | None = None, strings: bool = False,
          imports: tuple[str, ...] = ("lib/common.xsl",)) -> str:
    """xpath_each for one input (none: the context is an empty element)."""
    return xpath_each(expr, [input if input is not None else "<x/>"], strings, imports)[0]
