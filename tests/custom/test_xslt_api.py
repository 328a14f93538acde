"""docs/xslt-api.md stays true: every mode, named template, function and global variable or
parameter it lists exists in xslt/, with the parameters and types it gives."""
from __future__ import annotations

import re

import pytest
from lxml import etree

from conftest import REPO

XSL = "http://www.w3.org/1999/XSL/Transform"
NS = {"f": "urn:x-tei-edition:functions", "m": "urn:x-tei-edition:modes",
      "ty": "urn:x-tei-edition:typst", "fp": "urn:x-tei-edition:private"}
DOC = REPO / "docs" / "xslt-api.md"


def _qname(name: str, nsmap: dict) -> tuple[str, str]:
    prefix, _, local = name.rpartition(":")
    return (nsmap.get(prefix, "") if prefix else "", local)


def _declarations():
    """Every top-level declaration of xslt/: (kind, expanded name) → [element]."""
    out: dict = {}
    for f in sorted((REPO / "xslt").rglob("*.xsl")):
        root = etree.parse(str(f)).getroot()
        for el in root:
            if not isinstance(el.tag, str) or not el.tag.startswith("{" + XSL + "}") or not el.get("name"):
                continue
            kind = etree.QName(el).localname
            kind = "variable" if kind == "param" else kind
            out.setdefault((kind, _qname(el.get("name"), el.nsmap)), []).append(el)
    return out


def _modes():
    used = set()
    for f in sorted((REPO / "xslt").rglob("*.xsl")):
        for el in etree.parse(str(f)).iter("{%s}*" % XSL):
            for m in (el.get("mode") or "").split():
                if ":" in m:
                    used.add(_qname(m, el.nsmap))
    return used


def _rows(kind: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split(f"<!-- api: {kind} -->", 1)[1].split("\n\n", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.strip().splitlines()[2:]]
    assert rows, kind
    return rows


def _params(spec: str) -> list[tuple[str, str]]:
    """"$a as xs:string, $b as node()*" → [("a", "xs:string"), ("b", "node()*")]"""
    return re.findall(r"`\$([\w:-]+)` as ([^,→]+?)(?=,\s*`\$|\s*→|$)", spec.strip())


def _own_params(el) -> list[tuple[str, str]]:
    return [(p.get("name"), p.get("as")) for p in el.findall("{%s}param" % XSL)]


DECL = _declarations()


@pytest.mark.parametrize("row", _rows("template"), ids=lambda r: r[0])
def test_named_template(row):
    name = row[0].strip("`")
    found = DECL.get(("template", _qname(name, NS)))
    assert found, f"docs/xslt-api.md lists the named template {name}, which xslt/ does not have"
    assert any(dict(_params(row[1])).items() <= dict(_own_params(el)).items() for el in found), \
        f"{name}: the parameters differ from {_own_params(found[0])}"


@pytest.mark.parametrize("row", _rows("function"), ids=lambda r: r[0])
def test_function(row):
    name = row[0].strip("`")
    params_spec, _, result = row[1].rpartition("→")
    params = _params(params_spec)
    found = [el for el in DECL.get(("function", _qname(name, NS)), [])
             if _own_params(el) == params]
    assert found, f"docs/xslt-api.md lists {name}({params}), which xslt/ does not have"
    assert found[0].get("as") == result.strip(), f"{name} returns {found[0].get('as')}"


@pytest.mark.parametrize("row", _rows("variable"), ids=lambda r: r[0])
def test_variable_or_parameter(row):
    name = row[0].strip("`").lstrip("$")
    found = DECL.get(("variable", _qname(name, NS)))
    assert found, f"docs/xslt-api.md lists ${name}, which xslt/ does not declare"
    assert any(el.get("as") == row[1] for el in found), f"${name}: {[el.get('as') for el in found]}"


def test_modes():
    text = DOC.read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z]+:[\w-]+)` \|", text.split("## Modes", 1)[1].split("##", 1)[0], re.M)
    assert {"m:text", "m:page", "ty:margin"} <= set(listed)
    used = _modes()
    for m in listed:
        assert _qname(m, NS) in used, f"docs/xslt-api.md lists the mode {m}, which xslt/ does not use"
