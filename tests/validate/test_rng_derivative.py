"""The derivative RELAX NG validator: agrees with jing on validity, and reports each error where
jing does (same line), with what was expected, even below a <choice> in the schema."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from toolkit.validate import relaxng, rng_derivative as rd
from toolkit.validate.relaxng import validate
from toolkit.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
EDITION_RNG = REPO / "schema" / "edition.rng"
FIX = Path(__file__).parents[1] / "fixtures" / "rng_derivative"
MINI = Path(__file__).parents[1] / "fixtures" / "rng" / "mini.rng"
PYJING = Path(sys.executable).parent / "pyjing"
PARSER = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)


def shared(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent")
    return p


def jing_lines(schema: Path, doc: Path) -> list[int] | None:
    """Lines of jing's errors, or None when jing cannot run here."""
    if not PYJING.exists() or shutil.which("java") is None:
        return None
    r = subprocess.run([str(PYJING), str(schema), str(doc)], capture_output=True, text=True,
                       timeout=300)
    return [int(m.group(1)) for m in re.finditer(r":(\d+):\d+: error:", r.stdout)]


def diagnose_file(doc: Path, schema: Path):
    return rd.diagnose(etree.parse(str(doc), PARSER), schema)


# ---- (1) valid files are valid -------------------------------------------------------------

@pytest.mark.parametrize("doc", sorted((REPO / "tei").glob("*.xml")), ids=lambda p: p.name)
def test_edition_files_are_valid(doc):
    assert diagnose_file(doc, EDITION_RNG) == []


@pytest.mark.parametrize("schema,doc", [
    ("schemas/tei_all.rng", "corpora/teic/testall.xml"),
    ("schemas/tei_all.rng", "corpora/teic/testnames.xml"),
    ("schemas/tei_all.rng", "corpora/teic/testtranscr.xml"),
    ("schemas/tei_all.rng", "corpora/teic/testapp2.xml"),
    ("schemas/tei_all.rng", "corpora/letters/indices/listcorrespondence.xml"),
    ("schemas/tei_all.rng", "corpora/letters/indices/listevent.xml"),
    ("corpora/eltec/Schemas/eltec-1.rng", "corpora/eltec/ELTeC-eng/level1/ENG18400_Trollope.xml"),
    ("corpora/eltec/Schemas/eltec-1.rng", "corpora/eltec/ELTeC-eng/level1/ENG18471_Bronte.xml"),
])
def test_corpus_files_jing_accepts_are_valid(schema, doc):
    schema, doc = shared(*schema.split("/")), shared(*doc.split("/"))
    assert diagnose_file(doc, schema) == []
    lines = jing_lines(schema, doc)
    assert lines in (None, [])


@pytest.mark.parametrize("doc", ["corpora/teic/testms.xml", "corpora/teic/testplace.xml",
                                 "corpora/eltec/ELTeC-eng/level1/ENG18410_Sinclair.xml"])
def test_invalid_corpus_files_agree_with_jing_line_by_line(doc):
    schema, doc = shared("schemas", "tei_all.rng"), shared(*doc.split("/"))
    ours = [d.line for d in validate(parse_file(doc, display=doc.name), schema)]
    assert ours
    lines = jing_lines(schema, doc)
    if lines is not None:
        assert sorted(ours) == sorted(lines)


def test_tei_all_is_fast_enough():
    schema = shared("schemas", "tei_all.rng")
    doc = shared("corpora", "teic", "testms.xml")    # 2,200 elements, 128 errors
    tree = etree.parse(str(doc), PARSER)
    t = time.perf_counter()
    compiled = rd.Schema(schema.resolve())           # uncached: the full compile
    compile_s = time.perf_counter() - t
    rd._cache[(str(schema.resolve()), schema.resolve().stat().st_mtime)] = compiled
    t = time.perf_counter()
    problems = rd.diagnose(tree, schema)
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    rd.diagnose(tree, schema)
    again_s = time.perf_counter() - t
    assert len(problems) == 128
    assert compile_s < 2.0 and first_s < 2.0 and again_s < 1.0, (compile_s, first_s, again_s)


def test_schema_is_cached_per_process():
    assert rd.load(EDITION_RNG) is rd.load(EDITION_RNG)


# ---- (2) broken fixtures: the right element, line and column, as jing -------------------------

CASES = [
    # fixture, kind, element, attribute, (line, column), message
    ("bad-date.xml", rd.ATTRIBUTE_VALUE, "date", "when", (166, 58),
     'attribute @when="1936-02-30" on <date> is not a real calendar date'),
    ("unknown-element.xml", rd.ELEMENT_NOT_ALLOWED, "placename", None, (46, 18),
     "element <placename> is not allowed inside <p>"),
    ("missing-element.xml", rd.ELEMENT_NOT_ALLOWED, "notesStmt", None, (11, 7),
     "element <notesStmt> is not allowed yet inside <fileDesc>: a required element is missing before it"),
    ("incomplete.xml", rd.ELEMENT_INCOMPLETE, "availability", None, (13, 57),  # the end tag
     "a required child element is missing (inside <availability>)"),
    ("wrong-order.xml", rd.ELEMENT_NOT_ALLOWED, "notesStmt", None, (11, 7),
     "element <notesStmt> is not allowed yet inside <fileDesc>: a required element is missing before it"),
    ("bad-attribute.xml", rd.ATTRIBUTE_NOT_ALLOWED, "bibl", "rend", (27, 9),
     "attribute @rend not allowed on <bibl>"),
    ("bad-attribute-value.xml", rd.ATTRIBUTE_VALUE, "gap", "reason", (55, 7),
     'attribute @reason="lost" on <gap> has a value the schema does not allow'),
    ("missing-attribute.xml", rd.ATTRIBUTE_MISSING, "bibl", "type", (27, 9),
     "<bibl> lacks the required attribute @type"),
    ("text-not-allowed.xml", rd.TEXT_NOT_ALLOWED, "body", None, (56, 7),
     'text is not allowed inside <body> ("stray text")'),
    ("wrong-parent.xml", rd.ELEMENT_NOT_ALLOWED, "gap", None, (38, 9),
     "element <gap> is not allowed inside <langUsage>"),
]


@pytest.mark.parametrize("name,kind,element,attribute,pos,message", CASES, ids=[c[0] for c in CASES])
def test_broken_fixture(tmp_path, name, kind, element, attribute, pos, message):
    doc = tmp_path / name
    doc.write_bytes((FIX / name).read_bytes())
    problems = diagnose_file(doc, EDITION_RNG)
    first = problems[0]
    assert (first.kind, etree.QName(first.node).localname, first.attribute) == (kind, element, attribute)
    diags = validate(parse_file(doc, display=name), EDITION_RNG)
    assert len(diags) == len(problems)
    assert (diags[0].line, diags[0].column) == pos
    assert diags[0].message.startswith(message)
    assert diags[0].rule == "rng" and diags[0].hint
    lines = jing_lines(EDITION_RNG, doc)
    if lines is not None:
        assert [d.line for d in diags] == lines


def test_wrong_order_gives_both_misplaced_elements(tmp_path):
    diags = validate(parse_file(FIX / "wrong-order.xml", display="x.xml"), EDITION_RNG)
    assert [(d.line, d.column) for d in diags] == [(11, 7), (17, 7)]
    assert diags[1].message == ("element <publicationStmt> is not allowed at this position inside "
                                "<fileDesc> (wrong order or too many)")
    assert diags[1].hint == "allowed at this position: <sourceDesc>"


def test_hints_say_what_is_expected():
    def first(name):
        return validate(parse_file(FIX / name, display=name), EDITION_RNG)[0]
    assert first("unknown-element.xml").hint.startswith("did you mean <placeName>? allowed here: ")
    assert first("missing-element.xml").hint == "expected first: <publicationStmt>"
    assert first("incomplete.xml").hint == \
        "expected one of <licence>, <p> before the end of <availability>"
    assert first("bad-attribute.xml").hint == "<bibl> allows: @type"
    assert first("bad-attribute-value.xml").hint == 'allowed: "not-transcribed"'
    assert first("missing-attribute.xml").hint == "add @type"
    assert "YYYY-MM-DD" in first("bad-date.xml").hint


# ---- the loader: include/override, combine, div, externalRef, nested grammar, datatypes -------

FEATURES = FIX / "features.rng"
OK = ('<doc kind="b" xmlns:x="urn:x" x:flag="true" xmlns:o="urn:o" o:any="1"><num>3</num>'
      '<code>abc</code><when>2024-02-29</when><tokens>a b c</tokens><ext len="ab"/>'
      '<nested>t <num>10</num> t</nested></doc>')
BAD = ('<doc kind="c" xmlns:x="urn:x" x:flag="maybe" other="1"><num>11</num><code>12x</code>'
       '<when>2023-02-29</when><tokens>a bad c</tokens><ext len="abcd"/><nested>t <code>a</code>'
       '</nested></doc>')


def test_schema_features_valid():
    assert rd.diagnose(etree.ElementTree(etree.fromstring(OK)), FEATURES) == []


def test_schema_features_each_error_once():
    got = [(p.kind, etree.QName(p.node).localname, p.attribute, p.value)
           for p in rd.diagnose(etree.ElementTree(etree.fromstring(BAD)), FEATURES)]
    assert got == [
        (rd.ATTRIBUTE_VALUE, "doc", "kind", "c"),
        (rd.ATTRIBUTE_VALUE, "doc", "x:flag", "maybe"),
        (rd.ATTRIBUTE_NOT_ALLOWED, "doc", "other", "1"),
        (rd.TEXT_VALUE, "num", None, "11"),              # integer, maxInclusive 10
        (rd.TEXT_VALUE, "code", None, "12x"),            # the include's override: NCName
        (rd.TEXT_VALUE, "when", None, "2023-02-29"),     # not a leap year
        (rd.TEXT_VALUE, "tokens", None, "a bad c"),      # data except value
        (rd.ATTRIBUTE_VALUE, "ext", "len", "abcd"),      # maxLength 3
        (rd.ELEMENT_NOT_ALLOWED, "code", None, None),    # parentRef sees only "item"
    ]
    if (lines := jing_lines(FEATURES, _write(BAD))) is not None:
        assert len(lines) == len(got)


def _write(text: str) -> Path:
    import tempfile
    f = Path(tempfile.mkdtemp()) / "doc.xml"
    f.write_text(text)
    return f


@pytest.mark.parametrize("typ,value,ok", [
    ("date", "1936-02-29", True), ("date", "1936-02-30", False), ("date", "1900-02-29", False),
    ("date", "2000-02-29", True), ("date", "1937-06-14Z", True), ("date", "1937-6-14", False),
    ("gYearMonth", "1937-13", False), ("gYearMonth", "1937-12", True), ("gYear", "-0044", True),
    ("dateTime", "1937-06-14T24:00:00", True), ("dateTime", "1937-06-14T25:00:00", False),
    ("time", "12:30:00.5+01:00", True), ("gMonthDay", "--02-29", True), ("gMonthDay", "--04-31", False),
    ("gDay", "---31", True), ("gMonth", "--13", False), ("duration", "P1Y2M", True),
    ("duration", "P", False), ("duration", "PT", False), ("boolean", "1", True), ("boolean", "yes", False),
    ("nonNegativeInteger", "0", True), ("nonNegativeInteger", "-1", False),
    ("positiveInteger", "0", False), ("decimal", " 1.50 ", True), ("double", "1e-3", True),
    ("double", "INF", True), ("double", "x", False), ("NCName", "a:b", False), ("Name", "a:b", True),
    ("NMTOKENS", " a  b ", True), ("NMTOKENS", "", False), ("language", "de-AT", True),
    ("language", "toolonglanguage", False), ("anyURI", "persons.xml#x", True),
    ("ID", "1abc", False), ("someUnknownType", "whatever", True),
])
def test_xsd_datatypes(typ, value, ok):
    assert rd.datatype_allows(rd.XSD_LIB, typ, (), value) is ok


@pytest.mark.parametrize("pattern,value,ok", [
    (r"[^\p{C}\p{Z}]+", "abc", True), (r"[^\p{C}\p{Z}]+", "a b", False),
    (r"\S+", "a\u00a0b", True), (r"\i\c*", "a-1", True), (r"\i\c*", "1a", False),
    (r"\d{4}", "1937", True), (r"\d{4}", "19370", False),   # anchored on the whole value
    (r"a$b", "a$b", True),                                  # ^ and $ are plain characters
    (r"[a-z-[aeiou]]+", "bcd", True), (r"[a-z-[aeiou]]+", "bad", False),
    (r"\p{Lu}\p{Ll}+", "Émile", True), (r"(\-?[\d]+/\-?[\d]+)", "-1/2", True),
])
def test_xsd_patterns(pattern, value, ok):
    assert rd.datatype_allows(rd.XSD_LIB, "string", (("pattern", pattern),), value) is ok


# ---- (3) the reported reproduction, through the real command ----------------------------------

def test_bad_date_below_choices_reported_where_it_is(tmp_path):
    for part in ("tei", "schema"):
        shutil.copytree(REPO / part, tmp_path / part)
    shutil.copy(REPO / "edition.toml", tmp_path / "edition.toml")
    doc = tmp_path / "tei" / "doc-1937-06-14.xml"
    text = doc.read_text()
    assert text.count('when="1936-07-15"') == 2
    doc.write_text(text.replace('when="1936-07-15"', 'when="1936-02-30"'))
    r = subprocess.run([sys.executable, "-m", "toolkit.cli", "validate", "--schema",
                        "schema/edition.rng", "tei/doc-1937-06-14.xml"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    errors = [line for line in r.stdout.splitlines() if ": error: " in line]
    # one error per bad date, where it is: the RELAX NG finding, or the Schematron rule that
    # says the same more precisely (the validator keeps only the precise one)
    assert [tuple(e.split(":")[1:3]) for e in errors] == [("141", "93"), ("166", "58")], errors
    assert all("1936-02-30" in e and ("[rng]" in e or "[date.iso]" in e) for e in errors)
    assert "profileDesc" not in r.stdout and "<head>" not in r.stdout and "@xml:id" not in r.stdout
    lines = jing_lines(tmp_path / "schema" / "edition.rng", doc)
    if lines is not None:
        # jing reports at the end of the start tag: the first <date> tag spans lines 141-142
        assert lines == [142, 166]


def test_falls_back_to_libxml2_messages_when_diagnose_fails(tmp_path, monkeypatch):
    f = tmp_path / "doc.xml"
    f.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n'
                 '<text><body>\n<p>Hello <persname ref="#x">X</persname></p>\n</body></text>\n</TEI>\n')

    def boom(*a, **k):
        raise RuntimeError("no")
    monkeypatch.setattr(relaxng.rng_derivative, "diagnose", boom)
    [d] = validate(parse_file(f, display="doc.xml"), MINI)
    assert (d.line, d.column) == (4, 10)
    assert d.message == "element <persname> is not allowed inside <p>"


# ---- (3) the fast check decides validity: same verdicts as libxml2 and as diagnose() ----------

def _corpus_pairs():
    """(schema, files): every corpus file this suite can check against a schema it uses."""
    if not SHARED.is_dir():
        return []
    tei_all = SHARED / "schemas" / "tei_all.rng"
    eltec = SHARED / "corpora" / "eltec"
    pairs = [(eltec / "Schemas" / "eltec-1.rng", sorted(eltec.rglob("ENG*.xml")))]
    pairs.append((tei_all, sorted((SHARED / "corpora" / "teic").glob("*.xml"))
                  + sorted((SHARED / "corpora" / "frus-history").glob("*.xml"))
                  + sorted((SHARED / "corpora" / "letters" / "editions").glob("*.xml"))))
    return pairs


def test_fast_check_agrees_with_libxml2_and_diagnose_on_every_corpus_file():
    pairs = _corpus_pairs()
    if not pairs:
        pytest.skip(f"{SHARED} is absent (the corpora come from ../shared)")
    checked = invalid = 0
    for schema, files in pairs:
        lib = etree.RelaxNG(etree.parse(str(schema)))
        for f in files:
            src = parse_file(f)
            if not src.ok:
                continue
            fast = rd.is_valid(src.tree, schema)
            assert fast == lib.validate(src.tree), f"{f.name}: fast {fast}, libxml2 {not fast}"
            assert fast == (rd.diagnose(src.tree, schema) == []), f.name
            checked += 1
            invalid += not fast
    assert checked > 150 and 0 < invalid < checked, (checked, invalid)


def test_valid_files_never_compile_the_schema_with_libxml2(monkeypatch):
    """libxml2 needs seconds to compile tei_all; valid files are decided without it."""
    schema = shared("schemas", "tei_all.rng")
    doc = shared("corpora", "teic", "testnames.xml")

    def no_libxml2(path):
        raise AssertionError("libxml2 compile was not needed")
    monkeypatch.setattr(relaxng, "load_schema", no_libxml2)
    assert validate(parse_file(doc), schema) == []


def test_unicode_category_table_is_cached(tmp_path, monkeypatch):
    """\\p{..} in an XSD pattern needs a table of the whole code space; it is made once and then
    read from the cache folder by later processes, with the same ranges."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(rd, "_cat_ranges", {})
    made = rd._category_ranges("Lu")
    [stored] = (tmp_path / "tei-edition-toolkit").glob("unicode-categories-*.json")
    monkeypatch.setattr(rd, "_cat_ranges", {})
    monkeypatch.setattr(rd.unicodedata, "category", lambda c: pytest.fail("table not read back"))
    assert rd._category_ranges("Lu") == made and (ord("A"), ord("Z")) in made
    assert stored.stat().st_size > 10_000


def test_a_schema_it_cannot_load_is_read_once(tmp_path, monkeypatch):
    """Such a schema goes to libxml2 for every file; the failed load is remembered, not redone."""
    schema = tmp_path / "remote.rng"
    schema.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                      '<include href="http://example.org/x.rng"/><start><empty/></start></grammar>')
    made = []
    real = rd.Schema

    def counting(path):
        made.append(path)
        return real(path)
    monkeypatch.setattr(rd, "Schema", counting)
    for _ in range(3):
        with pytest.raises(rd.RngSchemaError, match="only relative local hrefs"):
            rd.load(schema)
    assert len(made) == 1


def test_allowed_values_in_one_order_whatever_the_patterns_order():
    """The "allowed: …" list of a bad value does not depend on the order the patterns come in
    (a choice's members are a set: their order follows what the process compiled before)."""
    from itertools import permutations

    from toolkit.validate.rng_derivative import XSD_LIB, Patterns, describe_value_patterns
    ps = Patterns()
    pats = [ps.value(XSD_LIB, "token", "letter"), ps.data(XSD_LIB, "date", (), None),
            ps.value(XSD_LIB, "token", "decree"), ps.data(XSD_LIB, "gYear", (), None),
            ps.choice(ps.value(XSD_LIB, "token", "minutes"), ps.value(XSD_LIB, "token", "act"))]
    seen = {tuple(describe_value_patterns(list(order), ps)) for order in permutations(pats)}
    assert seen == {('"act"', '"decree"', '"letter"', '"minutes"', "a date YYYY-MM-DD", "a year YYYY")}
