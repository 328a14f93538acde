"""tei_all's embedded Schematron without Saxon where a file allows it (schematron_lite's partial
plans): the same diagnostics as Saxon running the whole schema, on FRUS, the TEI's test files
and mutated copies that break tei_all's constraints."""
from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.diagnostics import sort_diagnostics
from toolkit.validate import schematron, schematron_lite as sl
from toolkit.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
TEI_ALL = SHARED / "schemas" / "tei_all.rng"
FRUS = sorted((SHARED / "corpora" / "frus-history").glob("*.xml"))
TEIC = sorted((SHARED / "corpora" / "teic").glob("*.xml"))

needs_shared = pytest.mark.skipif(not (TEI_ALL.is_file() and FRUS and TEIC),
                                  reason="../shared (tei_all.rng, frus-history, teic) is absent")
T = "http://www.tei-c.org/ns/1.0"


@pytest.fixture(scope="module")
def saxon_tei_all():
    return schematron.compile_schematron(TEI_ALL)


def by_saxon(src, compiled):
    return sort_diagnostics(schematron.svrl_diagnostics(schematron.run_svrl(src, compiled), src))


def fast(src):
    """What check() gives: the lxml plan, or Saxon when the plan falls back."""
    return sort_diagnostics(schematron.check(src, TEI_ALL))


# ---- the plan: which patterns stay with Saxon, and when a file needs them -------------------

@needs_shared
def test_tei_all_has_a_partial_plan():
    plan = sl.plan(TEI_ALL)
    assert plan is not None
    left = [p for p in plan.patterns if p.saxon_only]
    assert 0 < len(left) < len(plan.patterns) // 2
    assert not schematron.uses_edition_context(TEI_ALL)


@pytest.mark.parametrize("context,expected", [
    ("tei:p", [[{"p"}]]),
    ("tei:l//tei:p", [[{"l"}, {"p"}]]),
    ("tei:elementSpec[ @mode = ('add','change','replace') ]", [[{"elementSpec"}]]),
    ("(tei:a | tei:b)[ancestor::tei:c]", [[{"a", "b"}]]),
    ("(tei:a | tei:b)/tei:listRef/tei:ptr | tei:x/tei:ref", [[{"a", "b"}, {"listRef"}, {"ptr"}],
                                                            [{"x"}, {"ref"}]]),
    ("tei:rt/@target", None),          # an attribute: not an element name
    ("tei:*[@when]", None),            # any name
    ("self::tei:p", None),             # an axis
    ("/*[count(//tei:x) gt 1]", None),
    ("p", None),                       # no prefix: left to the exact check
])
def test_context_names(context, expected):
    got = sl._context_names(context, {"tei": T})
    if expected is None:
        assert got is None
    else:
        assert [[{n.split("}")[1] for n in need} for need in alt] for alt in got] == expected


@pytest.mark.parametrize("expr,expected", [
    ("count( //tei:constraintDecl ) gt 1", "count ( // tei:constraintDecl ) > 1"),
    ("count(tei:width) gt 1", "count ( tei:width ) > 1"),
    ("string-length(.) le 3", "string-length ( . ) <= 3"),
])
def test_counts_compared_with_numbers(expr, expected):
    assert sl.translate(expr, {"tei"}, set()) == expected


@pytest.mark.parametrize("expr", ["count(x) > 1 + 2", "count(x) > @n", "@n gt 1", "(count(x)) > 1",
                                  "count(x) gt 1 div 2", "sum(x) > 1", "count(x) > '1'"])
def test_other_ordering_comparisons_stay_with_saxon(expr):
    with pytest.raises(sl._Reject):
        sl.translate(expr, {"tei"}, set())


# ---- same diagnostics ---------------------------------------------------------------------

@needs_shared
def test_frus_files_need_no_saxon_and_agree(saxon_tei_all):
    plan = sl.plan(TEI_ALL)
    for f in FRUS:
        src = parse_file(f)
        assert src.ok, f
        ours = sort_diagnostics(plan.check(src))  # no Fallback: Saxon is not needed
        assert ours == by_saxon(src, saxon_tei_all), f.name


@needs_shared
def test_teic_files_agree(saxon_tei_all):
    fell_back = 0
    for f in TEIC:
        src = parse_file(f)
        if not src.ok:
            continue
        try:
            sl.plan(TEI_ALL).check(src)
        except sl.Fallback:
            fell_back += 1
        assert fast(src) == by_saxon(src, saxon_tei_all), f.name
    assert fell_back  # some use what only Saxon answers (specs, msDesc): those go to Saxon


# inserted into the <body> of a FRUS file; each breaks one of tei_all's constraints
LITE_MUTATIONS = {  # rules the lxml plan answers
    "ptr-both": '<p><ptr target="#a" cRef="b"/></p>',
    "relatedItem": '<p><bibl><relatedItem target="#a"><bibl>x</bibl></relatedItem></bibl></p>',
    "dimensions": '<p><dimensions><width>1</width><width>2</width></dimensions></p>',
    "lg-empty": '<lg><head>h</head></lg>',
    "p-in-l": '<lg><l>a <p>b</p></l></lg>',
    "addSpan": '<p><addSpan/></p>',
    "dates": '<p><date when="1990" notBefore="1980">d</date></p>',
}
SAXON_MUTATIONS = {  # rules only Saxon answers
    "msDesc-twice": '<p><msDesc><msIdentifier><idno>1</idno></msIdentifier><history/><history/>'
                    '</msDesc></p>',
    "subst": '<p><subst><del>a</del></subst></p>',
    "facsimile-text": '<p><facsimile><surface><zone>text</zone></surface></facsimile></p>',
}


def _mutated(tmp_path: Path, name: str, markup: str) -> Path:
    base = FRUS[0].read_text(encoding="utf-8")
    at = base.index("<body>") + len("<body>")
    out = tmp_path / f"{name}.xml"
    out.write_text(base[:at] + markup + base[at:], encoding="utf-8")
    return out


@needs_shared
@pytest.mark.parametrize("name", sorted(LITE_MUTATIONS))
def test_mutations_the_plan_answers(tmp_path, saxon_tei_all, name):
    src = parse_file(_mutated(tmp_path, name, LITE_MUTATIONS[name]))
    assert src.ok
    theirs = by_saxon(src, saxon_tei_all)
    new = set(theirs) - set(by_saxon(parse_file(FRUS[0]), saxon_tei_all))
    assert new, f"{name}: the mutation breaks no rule"
    assert sort_diagnostics(sl.plan(TEI_ALL).check(src)) == theirs  # no Fallback


@needs_shared
@pytest.mark.parametrize("name", sorted(SAXON_MUTATIONS))
def test_mutations_only_saxon_answers(tmp_path, saxon_tei_all, name):
    src = parse_file(_mutated(tmp_path, name, SAXON_MUTATIONS[name]))
    assert src.ok
    with pytest.raises(sl.Fallback):
        sl.plan(TEI_ALL).check(src)
    theirs = by_saxon(src, saxon_tei_all)
    assert set(theirs) - set(by_saxon(parse_file(FRUS[0]), saxon_tei_all)), \
        f"{name}: the mutation breaks no rule"
    assert fast(src) == theirs


# ---- a partial plan never hides what Saxon would say about the schema ------------------------

SPLIT = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern id="simple"><rule context="t:p"><assert test="normalize-space(.) != ''">empty p</assert></rule></pattern>
  <pattern id="rich"><rule context="t:list"><assert test="{test}">bad list</assert></rule></pattern>
</schema>"""


def test_a_pattern_lxml_cannot_answer_is_left_to_saxon_per_file(tmp_path):
    schema = tmp_path / "split.sch"
    schema.write_text(SPLIT.format(test="every $i in t:item satisfies $i/@n"), encoding="utf-8")
    without = tmp_path / "a.xml"
    without.write_text(f'<TEI xmlns="{T}"><p> </p></TEI>', encoding="utf-8")
    with_list = tmp_path / "b.xml"
    with_list.write_text(f'<TEI xmlns="{T}"><p> </p><list><item/></list></TEI>', encoding="utf-8")
    plan = sl.plan(schema)
    assert [p.saxon_only for p in plan.patterns] == [False, True]
    compiled = schematron.compile_schematron(schema)  # (stores the XSLT: the plan may be used)
    a, b = parse_file(without), parse_file(with_list)
    assert [(d.line, d.rule) for d in plan.check(a)] == [(1, "simple")]
    with pytest.raises(sl.Fallback):
        plan.check(b)
    for src in (a, b):
        assert sort_diagnostics(schematron.check(src, schema)) == by_saxon(src, compiled)
    assert {d.rule for d in schematron.check(b, schema)} == {"simple", "rich"}


def test_a_rule_saxon_cannot_compile_is_reported_for_every_file(tmp_path):
    schema = tmp_path / "broken.sch"
    schema.write_text(SPLIT.format(test="no-such-function(.)"), encoding="utf-8")
    doc = tmp_path / "a.xml"
    doc.write_text(f'<TEI xmlns="{T}"><p>text</p></TEI>', encoding="utf-8")  # no <list>
    assert [p.saxon_only for p in sl.plan(schema).patterns] == [False, True]
    for _ in range(2):  # also once the failure is known
        diags = schematron.check(parse_file(doc), schema)
        assert [d.rule for d in diags] == ["schematron.compile"], diags
        assert "no-such-function" in diags[0].message
