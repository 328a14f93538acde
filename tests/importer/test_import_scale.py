"""`edition import` does work in proportion to its input (issue #10): 50,000 bracketed remarks
took 8.45 s and the 2 MB cap about ten minutes, because several steps went over the whole text
(or all its lines, or all earlier children) once per remark.

Nothing here is timed. Work is counted instead, which is the same on every machine:
  * Python work: the lines of Python executed (sys.settrace events) for N, 2N and 4N remarks
    of one shape; in a linear import the work added by the second doubling is twice that of
    the first, in a quadratic one up to four times.
  * regex work: the characters handed to regular expressions by the importer's modules (the
    compiled patterns and `re` are replaced by counting stand-ins).
  * lxml work: the children counted by len() on elements while building, and how often text
    is appended to the tree.
bench/import_scale.py shows the same in seconds (10k, 50k remarks and the cap, before/after).

Text that made regular expressions backtrack (quadratically, or exponentially) is imported
through the command; a flood of stray brackets gives a short report.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, run_cli
from test_import import edition_copy

from toolkit.config import load_config
from toolkit.importer import FORMATS, import_file
from toolkit.importer import dates, docinfo, entities, markup, reader, remarks, structure, writer
from toolkit.model import Edition

FIXTURE = REPO / "tests" / "fixtures" / "import" / "ili-minutes.txt"
# Growth of the work when the remarks double (linear: 2; quadratic: up to 4).
LINEAR = 2.25

# name → (one unit, separator): N units become the first item of point 113 of the fixture
SHAPES = {
    "remarks on one line": ("word [illegible]", " "),
    "a remark per line of one paragraph": ("word [illegible]", "\n"),
    "a remark per paragraph": ("word [illegible]", "\n\n"),
    "alternative names": ("Kashgar [Kashi]", " "),
    "names known only by the bracket": ("Khotan [Hetian]", " "),
    "supplied words": ("Hotan [District]", " "),
    "handwritten remarks in running text": ("[handwritten at the top of the page: x]", " "),
    "handwritten remarks with distinct places": ("[handwritten at place {i}: x]", "\n\n"),
    "unknown names on many lines": ("Petrovsky met Ivanovich.", "\n"),
    "stray brackets": ("[", " "),
}


def page(shape: str, n: int) -> str:
    unit, sep = SHAPES[shape]
    body = sep.join(unit.format(i=i) for i in range(n))
    return FIXTURE.read_text(encoding="utf-8").replace("1. Permit the NKVT", f"1. {body}\n\nPermit the NKVT")


@pytest.fixture(scope="module")
def edition():
    cfg = load_config(REPO / "edition.toml")
    return cfg, Edition.load(cfg)


def run_import(edition, tmp_path: Path, text: str):
    """The whole import of `text` (read, structure, markup, tree, file, both report formats)."""
    cfg, ed = edition
    src = tmp_path / "page.txt"
    src.write_text(text, encoding="utf-8")
    report = import_file(cfg, src, output=tmp_path / "draft.xml", force=True, validate=False, edition=ed)
    for fmt in FORMATS.values():
        fmt(report)
    return report


def python_work(fn) -> int:
    """Lines of Python executed by fn() (deterministic, unlike time)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", SHAPES)
def test_python_work_grows_linearly(edition, tmp_path, shape):
    """The work added by 200 → 400 remarks, and by 400 → 800: linear, the second is exactly
    twice the first (the fixed cost of the page cancels out); quadratic, up to four times."""
    w = [python_work(lambda n=n: run_import(edition, tmp_path, page(shape, n))) for n in (200, 400, 800)]
    growth = (w[2] - w[1]) / (w[1] - w[0])
    assert growth < LINEAR, f"{shape}: {w} lines of Python for 200, 400, 800 remarks ({growth:.2f})"


# -- regular expressions --------------------------------------------------------------------
class CountingPattern:
    """A compiled pattern that adds the length of every text span it is given to a meter."""

    def __init__(self, pattern: re.Pattern, meter: list[int]):
        self._p, self._meter = pattern, meter

    def _span(self, string, pos=0, endpos=sys.maxsize):
        self._meter[0] += max(min(endpos, len(string)) - pos, 0)

    def __getattr__(self, name):
        return getattr(self._p, name)

    def search(self, string, *a):
        self._span(string, *a)
        return self._p.search(string, *a)

    def match(self, string, *a):
        self._span(string, *a)
        return self._p.match(string, *a)

    def fullmatch(self, string, *a):
        self._span(string, *a)
        return self._p.fullmatch(string, *a)

    def finditer(self, string, *a):
        self._span(string, *a)
        return self._p.finditer(string, *a)

    def findall(self, string, *a):
        self._span(string, *a)
        return self._p.findall(string, *a)

    def sub(self, repl, string, *a):
        self._span(string)
        return self._p.sub(repl, string, *a)

    def split(self, string, *a):
        self._span(string)
        return self._p.split(string, *a)


class CountingRe:
    """Stands in for the `re` module inside an importer module: module-level calls are counted
    like those of compiled patterns."""

    def __init__(self, meter: list[int]):
        self._meter = meter

    def __getattr__(self, name):
        return getattr(re, name)

    def compile(self, pattern, flags=0):
        return CountingPattern(re.compile(pattern, flags), self._meter)

    def _call(self, method, pattern, string, *a, flags=0):
        return getattr(self.compile(pattern, flags), method)(string, *a)

    def search(self, pattern, string, flags=0):
        return self._call("search", pattern, string, flags=flags)

    def match(self, pattern, string, flags=0):
        return self._call("match", pattern, string, flags=flags)

    def fullmatch(self, pattern, string, flags=0):
        return self._call("fullmatch", pattern, string, flags=flags)

    def finditer(self, pattern, string, flags=0):
        return self._call("finditer", pattern, string, flags=flags)

    def findall(self, pattern, string, flags=0):
        return self._call("findall", pattern, string, flags=flags)

    def split(self, pattern, string, maxsplit=0, flags=0):
        return self.compile(pattern, flags).split(string, maxsplit)

    def sub(self, pattern, repl, string, count=0, flags=0):
        return self.compile(pattern, flags).sub(repl, string, count)


def meter_regexes(monkeypatch) -> list[int]:
    """Replace `re` and every compiled pattern (also inside module-level lists of tuples) in
    the importer's modules by counting stand-ins; returns the meter."""
    meter = [0]
    for mod in (reader, remarks, structure, docinfo, entities, dates, markup, writer):
        for name, value in list(vars(mod).items()):
            if value is re:
                monkeypatch.setattr(mod, name, CountingRe(meter))
            elif isinstance(value, re.Pattern):
                monkeypatch.setattr(mod, name, CountingPattern(value, meter))
            elif isinstance(value, list) and value and isinstance(value[0], tuple):
                monkeypatch.setattr(mod, name, [tuple(CountingPattern(x, meter) if isinstance(x, re.Pattern)
                                                      else x for x in item) for item in value])
    return meter


@pytest.mark.parametrize("shape", SHAPES)
def test_regexes_see_each_character_a_bounded_number_of_times(edition, tmp_path, monkeypatch, shape):
    """Characters handed to regexes for 200, 400, 800 remarks grow linearly (the remark
    classifier used to search all the text before each bracket for a word right before it)."""
    meter = meter_regexes(monkeypatch)
    seen = []
    for n in (200, 400, 800):
        meter[0] = 0
        text = page(shape, n)
        run_import(edition, tmp_path, text)
        seen.append(meter[0])
    growth = (seen[2] - seen[1]) / (seen[1] - seen[0])
    assert growth < LINEAR, f"{shape}: {seen} characters handed to regexes ({growth:.2f})"
    assert seen[2] < 100 * len(text), seen


# -- the tree ---------------------------------------------------------------------------------
def test_building_a_paragraph_of_many_notes_never_counts_its_children(monkeypatch):
    """len(element) walks all children: asked before each piece of text, a paragraph of N notes
    cost N²/2 child visits."""
    visited = [0]

    def counting_len(x):
        if isinstance(x, etree._Element):
            visited[0] += len(x)
        return len(x)

    monkeypatch.setattr(writer, "len", counting_len, raising=False)
    n = 2000
    nodes = [x for i in range(n) for x in (f"word {i} ", markup.Note("editorial", ["illegible"]))]
    p = etree.Element("p")
    writer.add_inline(p, nodes, ctx=None)
    assert len(p) == n and p.text == "word 0 " and p[-1].tail is None
    assert p[0].tail == "word 1 " and p[0].text == "illegible"
    assert visited[0] <= n, f"{visited[0]} children counted for {n} notes"


def test_adjacent_text_is_appended_once(monkeypatch):
    """Text left as text (remarks with no place in the schema, the strings around them) is
    joined before it goes into the tree: lxml copies the whole text on every append."""
    calls = []
    real = writer._append_text
    monkeypatch.setattr(writer, "_append_text", lambda parent, s: (calls.append(s), real(parent, s)))
    p = etree.Element("p")
    writer.add_inline(p, ["[handwritten: x]", " and ", "[seal]"] * 1000, ctx=None)
    assert p.text == "[handwritten: x] and [seal]" * 1000
    assert len(calls) == 1


# -- many remarks still come out right -------------------------------------------------------
def test_fifty_thousand_remarks_are_all_encoded_at_their_lines(edition, tmp_path):
    n = 50_000
    report = run_import(edition, tmp_path, page("a remark per line of one paragraph", n))
    tree = etree.parse(str(tmp_path / "draft.xml"))
    notes = tree.xpath("//t:div[@n='113']/t:div[@n='1']//t:note[@type='editorial']",
                       namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    assert len(notes) == n and {x.text for x in notes} == {"illegible"}
    lines = [r.line for r in report.remarks if r.kind == "editorial"]
    first = FIXTURE.read_text(encoding="utf-8").splitlines().index("1. Permit the NKVT to resume trade "
                                                                   "with Kashgar District through "
                                                                   "Kuldja and Chuguchak.") + 1
    assert sorted(lines)[-n:] == list(range(first, first + n))   # each remark at its own input line


# -- hostile text through the command -----------------------------------------------------------
def cli_import(ed: Path, *args: str):
    res = run_cli("import", *args, cwd=ed)
    assert "Traceback" not in res.stdout + res.stderr and "internal error" not in res.stdout, res.stdout
    return res


def _fill(unit: str, size: int = 512 * 1024) -> str:
    return unit * (size // len(unit))


def _rules(report) -> set[str]:
    return {w["rule"] for w in report["warnings"]}


def _xp(tree, path: str) -> list:
    return tree.xpath(path, namespaces={"t": "http://www.tei-c.org/ns/1.0"})


# name → (the page made hostile, what must still be true of the report and the draft). All but
# the last made a regular expression backtrack over the text from every position (quadratic:
# more than two minutes at this size, hours at the cap) or, for the initials, exponentially.
HOSTILE = {
    "signatory after 60 initials": (
        lambda t: t.replace("[signed] I. Stalin", "[signed] " + "A. " * 60 + "x Stalin"),
        lambda r, tree: "import.closer.signatory" in _rules(r)
        and _xp(tree, "string(//t:signed)").startswith("A. A. A.")),
    "'Excerpts sent sent …' without a colon": (
        lambda t: t.replace("Excerpts have been sent:", "Excerpts " + _fill("sent ")),
        lambda r, tree: not _xp(tree, "//t:div[@type='distribution']")
        and _xp(tree, "string(//t:div[@n='112']/t:div[@n='2']/t:p[2])").startswith("Excerpts sent sent")),
    "'The The …' in a rights statement": (
        lambda t: t.replace("The History and Public Policy Program welcomes reuse of Digital Archive "
                            "materials", _fill("The ") + "rights reserved"),
        lambda r, tree: "import.header.rights" in _rules(r) and not _xp(tree, "//t:availability/@corresp")),
    "a list of days without end": (
        lambda t: t.replace("1. Permit the NKVT", "1. " + _fill("1, ") + "\n\nPermit the NKVT"),
        lambda r, tree: r["counts"]["date"] == 6 and _xp(tree, "//t:div[@type='point']/@n") == ["112", "113"]),
    "a single line of 512 kB": (
        lambda t: " ".join(t.split()) + " " + _fill("Cde. Yegnarov [illegible] reports. "),
        lambda r, tree: "import.structure.no-docinfo" in _rules(r) and r["counts"]["remarks.signed"] == 1),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_text_is_imported_in_linear_time(tmp_path, case):
    """The command finishes (in seconds; run_cli stops a hang after ten minutes), and the page
    around the hostile text is read as usual."""
    make, holds = HOSTILE[case]
    ed = edition_copy(tmp_path)
    src = tmp_path / "page.txt"
    src.write_text(make(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    res = cli_import(ed, str(src), "-o", str(tmp_path / "draft.xml"), "--format", "json", "--no-validate")
    report = json.loads(res.stdout)
    assert report["written"], res.stdout[:2000]
    assert holds(report, etree.parse(str(tmp_path / "draft.xml"))), json.dumps(report["counts"])


def test_a_flood_of_stray_brackets_is_summarised(tmp_path):
    """Every stray bracket is a warning, but the report lists the first 100 of a rule and
    counts the rest, instead of printing a line per bracket."""
    ed = edition_copy(tmp_path)
    src = tmp_path / "page.txt"
    src.write_text(page("stray brackets", 5000), encoding="utf-8")
    res = cli_import(ed, str(src), "-o", str(tmp_path / "draft.xml"), "--no-validate")
    lines = res.stdout.splitlines()
    assert sum("[import.remark.unpaired]" in line for line in lines) == 101
    assert "  … and 4900 more [import.remark.unpaired] (the first 100 are listed)" in lines
    res = cli_import(ed, str(src), "-o", str(tmp_path / "draft.xml"), "--force", "--format", "json", "--no-validate")
    report = json.loads(res.stdout)
    assert report["warnings_omitted"] == {"import.remark.unpaired": 4900}
    assert sum(w["rule"] == "import.remark.unpaired" for w in report["warnings"]) == 100
