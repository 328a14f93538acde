"""The encoding guidelines of the templates (toolkit/templates/guide/ENCODING.md → each new
edition's ENCODING.md and docs/templates.md) stay true of the template schemas: every element
they name is in the template's schema (or said to be missing, and missing), every attribute they
name is one the schema has, every XML example is well-formed and valid against the template's
RELAX NG, what they say about dates holds; and the generated copies are current."""
from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, SHARED
from toolkit import new

TEMPLATES = new.TEMPLATES
RNG_NS = "{http://relaxng.org/ns/structure/1.0}"
TEI_NS = "http://www.tei-c.org/ns/1.0"
SCHEMAS = REPO / "toolkit" / "templates"
# elements the guidelines name as missing from a template's schema: they must be missing
ABSENT = {"stamp", "roleName", "table", "figure", "front", "app", "country", "region",
          "altIdentifier", "facsimile", "surface", "graphic"}
ABSENT_BY_TEMPLATE = {"documents": ABSENT | {"back", "handNotes", "correspDesc"},
                      "letters": ABSENT | {"back", "handNotes"},
                      "minimal": ABSENT | {"correspDesc"}}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def guide(template: str) -> str:
    return new.encoding_guide(template)


@cache
def schema_model(template: str) -> dict[str, set[str]]:
    """Element name → the attribute names the template's RELAX NG allows on it."""
    root = etree.parse(str(SCHEMAS / template / "schema" / "edition.rng")).getroot()
    defines: dict[str, list] = {}
    for d in root.iter(RNG_NS + "define"):
        defines.setdefault(d.get("name"), []).append(d)

    def attributes(node, seen: set[str]) -> set[str]:
        found = set()
        for child in node:
            if child.tag == RNG_NS + "element":
                continue                       # another element's attributes
            if child.tag == RNG_NS + "attribute":
                found.add(child.get("name"))
            elif child.tag == RNG_NS + "ref" and child.get("name") not in seen:
                seen.add(child.get("name"))
                for d in defines[child.get("name")]:
                    found |= attributes(d, seen)
            else:
                found |= attributes(child, seen)
        return found

    model: dict[str, set[str]] = {}
    for el in root.iter(RNG_NS + "element"):
        model.setdefault(el.get("name"), set()).update(attributes(el, set()))
    return model


@cache
def tei_element_names() -> frozenset[str]:
    """Every TEI element name known here: tei_all's (when ../shared is there), the bundled
    edition's schema's, the templates' and those the guidelines call missing."""
    names = set(ABSENT)
    for t in TEMPLATES:
        names |= set(schema_model(t))
    rngs = [REPO / "schema" / "edition.rng", SHARED / "schemas" / "tei_all.rng"]
    for rng in rngs:
        if rng.is_file():
            names |= {e.get("name") for e in etree.parse(str(rng)).iter(RNG_NS + "element") if e.get("name")}
    return frozenset(names)


def prose(text: str) -> str:
    """The guidelines without their fenced examples."""
    return FENCE.sub("", text)


def named(text: str) -> tuple[set[str], set[tuple[str | None, str]]]:
    """The element names and the (element or None, attribute) pairs the code spans of the prose
    name: `<persName ref="…">`, `msDesc/physDesc`, `handShift/@new`, `@hand`, `note`."""
    elements: set[str] = set()
    attributes: set[tuple[str | None, str]] = set()
    for span in CODE_SPAN.findall(prose(text)):
        for tag in re.finditer(r"<([A-Za-z][\w]*)((?:\s+[\w:]+=\"[^\"]*\")*)\s*/?>?", span):
            elements.add(tag[1])
            attributes |= {(tag[1], a) for a in re.findall(r"([\w:]+)=", tag[2])}
        if "<" in span:
            continue
        steps = span.split("/")
        for i, step in enumerate(steps):
            if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", step) and step in tei_element_names():
                elements.add(step)
            elif re.fullmatch(r"@[\w:]+", step):
                before = steps[i - 1] if i and steps[i - 1] in tei_element_names() else None
                attributes.add((before, step[1:]))
    return elements, attributes


def examples(text: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang == "xml"]


FILE_DESC = ("<fileDesc><titleStmt><title>Example</title></titleStmt><publicationStmt><p>Example</p>"
             "</publicationStmt>{source_desc}</fileDesc>")
SOURCE_DESC = "<sourceDesc><p>Example.</p></sourceDesc>"
TEXT = "<body><p>Example.</p></body>"


def first_element(example: str) -> str:
    """The local name of the example's first element (it may hold several, and comments)."""
    wrapper = etree.fromstring(f'<wrapper xmlns="{TEI_NS}">{example}</wrapper>')
    return etree.QName(next(iter(wrapper.iterchildren(etree.Element)))).localname


def as_document(example: str, template: str) -> str:
    """The example as a whole document of the template: where its first element belongs, in an
    otherwise minimal valid document."""
    if example.lstrip().startswith("<?xml"):
        return example
    first = first_element(example)
    header, text = FILE_DESC.format(source_desc=SOURCE_DESC), TEXT
    if first == "TEI":
        return example
    if first == "fileDesc":
        header = example
    elif first == "sourceDesc":
        header = FILE_DESC.format(source_desc=example)
    elif first in ("msDesc", "bibl"):
        header = FILE_DESC.format(source_desc=f"<sourceDesc>{example}</sourceDesc>")
    elif first in ("encodingDesc", "profileDesc", "revisionDesc"):
        header += example
    elif first in ("listPerson", "listPlace", "listOrg"):
        text = f"<body>{example}</body>" if template != "minimal" else f"{TEXT}<back>{example}</back>"
    elif first == "back":
        text = TEXT + example
    elif first == "body":
        text = example
    else:
        text = f"<body>{example}</body>"
    return f'<TEI xmlns="{TEI_NS}" xml:id="example"><teiHeader>{header}</teiHeader><text>{text}</text></TEI>'


@cache
def relaxng(template: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / template / "schema" / "edition.rng")))


def problems(example: str, template: str) -> list[str]:
    """What the template's RELAX NG finds wrong with the example (as a document of it)."""
    doc = etree.fromstring(as_document(example, template).encode("utf-8"))
    schema = relaxng(template)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# -- the guidelines against the schemas ---------------------------------------------------------

@pytest.mark.parametrize("template", TEMPLATES)
def test_every_element_the_guidelines_name_is_in_the_template_schema(template):
    elements, _ = named(guide(template))
    model = schema_model(template)
    assert len(elements) > 60, sorted(elements)          # the guidelines name what they describe
    missing = sorted(e for e in elements - ABSENT_BY_TEMPLATE[template] if e not in model)
    assert not missing, f"ENCODING.md of {template} names elements its schema lacks: {missing}"
    said_missing = sorted(e for e in elements & ABSENT_BY_TEMPLATE[template] if e in model)
    assert not said_missing, f"said to be missing, but in the {template} schema: {said_missing}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_attribute_the_guidelines_name_is_allowed_where_they_name_it(template):
    _, attributes = named(guide(template))
    model = schema_model(template)
    anywhere = set().union(*model.values())
    assert len(attributes) > 20, sorted(attributes, key=str)
    wrong = sorted(f"{el or '*'}/@{a}" for el, a in attributes
                   if a not in (model.get(el, set()) if el and el not in ABSENT else anywhere))
    assert not wrong, f"ENCODING.md of {template} names attributes its schema does not allow: {wrong}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_xml_example_is_valid_against_the_template_schema(template):
    found = examples(guide(template))
    assert len(found) >= 8
    for example in found:
        assert not problems(example, template), (example[:200], problems(example, template))


def test_the_checks_catch_an_element_the_schema_lacks():
    """The checks above have teeth: a seal as the bundled edition encodes it is not in the
    templates' schemas, neither as an example nor as a name in the prose."""
    seal = '<body><p>Text.</p><closer><stamp type="seal">Seal</stamp></closer></body>'
    for template in TEMPLATES:
        assert any("stamp" in p for p in problems(seal, template))
    elements, attributes = named("Put the seal in `<stamp type=\"seal\">` and `handShift/@hand`.")
    assert "stamp" in elements and ("handShift", "hand") in attributes
    assert "hand" not in schema_model("documents")["handShift"]
    assert problems('<back><listPerson><person xml:id="a"><persName>A</persName></person>'
                    '</listPerson></back>', "documents")


@pytest.mark.parametrize("value, valid", [
    ("1937-06-14", True), ("1937-06", True), ("1937", True), ("1937-06-14Z", True),
    ("1937-06-14T10:00", False), ("1937-06-14/1937-06-20", False), ("1937-W24", False),
    ("14.06.1937", False)])
@pytest.mark.parametrize("template", TEMPLATES)
def test_the_date_forms_are_those_the_guidelines_say(template, value, valid):
    """"`@when` for a day, a month or a year … a date with a time, a week or two dates in one
    value are refused" — and the same for the other dating attributes."""
    for attribute in ("when", "notBefore", "notAfter", "from", "to"):
        example = f'<p><date {attribute}="{value}">a date</date></p>'
        assert (not problems(example, template)) == valid, (attribute, value)


def test_the_guidelines_name_the_parts_of_their_template_only():
    documents, letters, minimal = (guide(t) for t in TEMPLATES)
    assert "<correspDesc>" in letters and "<correspDesc>" not in documents + minimal
    assert "## The registers in `<back>`" in minimal and "<back>" not in letters.replace(
        "no `<front>` or `<back>`", "")
    assert "## The authority files" in documents and "## The authority files" not in minimal
    assert "tei/doc-*.xml" in documents and "tei/letter-*.xml" in letters
    for text in (documents, letters, minimal):
        assert "<!--" not in prose(text) and "@@" not in text
        assert "docs/encoding.md" in text and "](encoding.md" not in text   # no link out of the project
    tei_all = new.encoding_guide("letters", "tei_all")
    assert "TEI P5 itself (`tei_all`)" in tei_all and "## What the schema does not have" not in tei_all


# -- the source and its copies ------------------------------------------------------------------

def test_docs_templates_md_is_current():
    r = subprocess.run([sys.executable, str(REPO / "scripts" / "template_guide.py"), "--check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    docs = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    for template in TEMPLATES:             # every part of every template is in the documentation
        assert f"*Template `{template}`:*" in docs
    assert "## Sender and recipient: `<correspDesc>`" in docs and "## The registers in `<back>`" in docs
    assert "(customizing.md)" in docs and "Encoding guidelines\n" not in docs


def test_the_source_refuses_a_part_inside_another_or_without_its_end():
    for text in ("<!-- only: docs -->a<!-- only: letters -->b<!-- end --><!-- end -->",
                 "<!-- only: docs -->a", "a<!-- end -->"):
        with pytest.raises(ValueError):
            list(new.guide_parts(text))
    parts = list(new.guide_parts("a\n<!-- only: letters minimal -->\nb\n<!-- end -->\nc <!-- only: docs -->d<!-- end -->."))
    assert parts == [(None, "a\n"), (frozenset({"letters", "minimal"}), "b\n"), (None, "c "),
                     (frozenset({"docs"}), "d"), (None, ".")]


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_new_edition_gets_the_guidelines_of_its_template(tmp_path, template):
    report = new.create(tmp_path / "ed", template=template)
    assert report.complete and "ENCODING.md" in report.written
    ed = tmp_path / "ed"
    assert (ed / "ENCODING.md").read_text(encoding="utf-8") == guide(template)
    assert "`ENCODING.md`" in (ed / "README.md").read_text(encoding="utf-8")
    # the editor's own guidelines are kept when `edition new` runs again
    (ed / "ENCODING.md").write_text("# Our guidelines\n", encoding="utf-8")
    again = new.create(ed, template=template)
    assert ("ENCODING.md" in dict(again.skipped)) and \
        (ed / "ENCODING.md").read_text(encoding="utf-8") == "# Our guidelines\n"
    forced = new.create(ed, template=template, force=True)
    assert "ENCODING.md" in forced.replaced and (ed / "ENCODING.md").read_text(encoding="utf-8") == guide(template)


def test_the_wheel_data_holds_the_source():
    """`edition new` reads the source as package data (pyproject: toolkit.templates **/*)."""
    from importlib.resources import files
    assert (files("toolkit.templates") / "guide" / "ENCODING.md").is_file()
    assert Path(new.__file__).parent.joinpath("templates", "guide", "ENCODING.md").is_file()
