"""The Schematron of authority files gets a context whose size does not grow with the edition's
pointers (issue #18, item 1): one mention for each way a pointer resolves
(toolkit.context.for_authority), not one per pointer as context.full has them (Saxon's copy of
that took about 35 KB a document). The findings stay those of the whole context: edition.sch
resolves the mentions itself (ed:resolve), and these tests hold the two contexts against each
other on every kind of pointer."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from toolkit import context, saxon
from toolkit.config import load_config
from toolkit.diagnostics import sort_diagnostics
from toolkit.model import Edition
from toolkit.validate import schematron as S
from toolkit.validate.validator import validate
from toolkit.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[2]
TEI = "http://www.tei-c.org/ns/1.0"
XI = "http://www.w3.org/2001/XInclude"
SCH = '<?xml-model href="{up}schema/edition.sch" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'

# the entries of persons.xml, and how (if at all) the edition points to each
ENTRIES = {
    "a": "a relative file pointer, in every document",
    "b": "a relative file pointer from a document in a subfolder (../persons.xml#b)",
    "c": "a bare '#c' in a document that gives no xml:id c",
    "d": "only a bare '#d' in a document that gives xml:id d itself (it points there)",
    "e": "a pointer in a part a document includes (xi:include)",
    "f": "a bare '#f' in persons.xml itself",
    "g": "only '?q#g' (no file has that name)",
    "h": "nothing",
    "k": "a pointer from edition.xml",
}
UNUSED = ["d", "g", "h"]
TO_XDM = saxon.to_xdm


def tei(body: str, xml_id: str | None = None, up: str = "../") -> str:
    root_id = f' xml:id="{xml_id}"' if xml_id else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{SCH.format(up=up)}'
            f'<TEI xmlns="{TEI}" xmlns:xi="{XI}"{root_id}><teiHeader/><text><body>\n'
            f'{body}\n</body></text></TEI>\n')


def persons() -> str:
    people = "\n".join(f'<person xml:id="{k}"><persName type="preferred">{k.upper()}</persName></person>'
                       for k in ENTRIES if k != "e")
    # e's note points to f in the same file
    people += '\n<person xml:id="e"><persName type="preferred">E</persName>' \
              '<note><persName ref="#f">F</persName></note></person>'
    return tei(f"<listPerson>\n{people}\n</listPerson>")


def document(i: int) -> str:
    """Pointers every document has: to a, its own hand (a bare #id it gives), an external URL,
    and the edition file."""
    return tei(f'<p xml:id="p-{i}"><persName ref="persons.xml#a">A</persName> '
               f'<note hand="#hand-{i}" target="#p-{i} https://example.org/doc/{i}">n</note>'
               f'<ref target="edition.xml">edition</ref></p>'
               f'<p><handNote xml:id="hand-{i}"/></p>', f"doc-{i}")


def make_edition(root: Path, n_docs: int) -> Path:
    """An edition with n_docs ordinary documents and the special ones that use b, c, d, e."""
    if root.exists():
        shutil.rmtree(root)
    t = root / "tei"
    (t / "sub").mkdir(parents=True)
    shutil.copytree(REPO / "schema", root / "schema")
    (root / "edition.toml").write_text(
        '[edition]\ntitle = "T"\nsources = ["tei/doc-*.xml", "tei/sub/doc-*.xml"]\n'
        'authority = ["tei/persons.xml"]\nedition_file = "tei/edition.xml"\n'
        'schematron = ["schema/edition.sch"]\n', encoding="utf-8")
    (t / "persons.xml").write_text(persons(), encoding="utf-8")
    (t / "edition.xml").write_text(tei('<p><persName ref="persons.xml#k">K</persName></p>'),
                                   encoding="utf-8")
    for i in range(n_docs):
        (t / f"doc-{i}.xml").write_text(document(i), encoding="utf-8")
    (t / "sub" / "doc-sub.xml").write_text(
        tei('<p><persName ref="../persons.xml#b">B</persName></p>', "doc-sub", up="../../"), encoding="utf-8")
    (t / "doc-bare.xml").write_text(
        tei('<p><persName ref="#c">C</persName> <persName ref="#d">D</persName> '
            '<persName ref="?q#g">G</persName></p><p xml:id="d"/>', "doc-bare"), encoding="utf-8")
    (t / "part-e.xml").write_text(f'<p xmlns="{TEI}"><persName ref="persons.xml#e">E</persName></p>\n',
                                  encoding="utf-8")
    (t / "doc-include.xml").write_text(tei('<xi:include href="part-e.xml"/>', "doc-include"),
                                       encoding="utf-8")
    return root


def validated(ed: Path, monkeypatch) -> tuple[list, list[etree._Element]]:
    """`edition validate` of the whole edition: its diagnostics, and every context handed to
    Saxon that has mentions (the authority files' one)."""
    given = []

    def recording(tree, *args, **kwargs):
        root = etree.fromstring(tree.encode()) if isinstance(tree, str) else \
            tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        if root.find("mention") is not None:
            given.append(root)
        return TO_XDM(tree, *args, **kwargs)

    monkeypatch.setattr(saxon, "to_xdm", recording)
    monkeypatch.chdir(ed)
    report = validate(load_config(ed / "edition.toml"))
    return report.diagnostics, given


def full(diags) -> list[tuple]:
    """Everything a diagnostic says, its hint too."""
    return [(d.path, d.line, d.column, d.severity, d.message, d.rule, d.hint) for d in diags]


def unused(diags) -> list[str]:
    return sorted(d.message.split("'")[1] for d in diags if d.rule == "authority.unused")


def test_the_authority_files_context_does_not_grow_with_the_pointers(tmp_path, monkeypatch):
    small_diags, small = validated(make_edition(tmp_path / "small", 3), monkeypatch)
    big_diags, big = validated(make_edition(tmp_path / "big", 30), monkeypatch)
    assert len(small) == len(big) == 1  # made once, for persons.xml
    # 30 documents of 6 pointers each: the same mentions as 3 documents (one per folder and
    # pointer; the documents' own #ids, and URLs, not at all)
    assert len(big[0].findall("mention")) == len(small[0].findall("mention")) <= 12
    assert big[0].find("document") is None and big[0].find("entity") is None
    # the files and their ids are all there (pointers and id.unique need them)
    assert len(big[0].findall("file")) == len(small[0].findall("file")) + 27
    assert unused(small_diags) == unused(big_diags) == UNUSED


def test_findings_are_those_of_the_whole_context(tmp_path, monkeypatch):
    """Every rule's findings on the authority file, with the context validate gives it and
    with context.full (one mention per pointer: what validate gave before)."""
    ed = make_edition(tmp_path / "ed", 4)
    diags, _ = validated(ed, monkeypatch)
    assert unused(diags) == UNUSED
    whole = context.full(Edition.load(load_config(ed / "edition.toml")))
    before = S.check(parse_file(ed / "tei" / "persons.xml", display="tei/persons.xml"),
                     ed / "schema" / "edition.sch", context_node=whole)
    assert unused(before) == UNUSED
    # (ids across files: validate says it once, from the model)
    mine = [d for d in diags if d.path == "tei/persons.xml" and d.rule != "id.unique"]
    assert full(mine) == full(d for d in sort_diagnostics(before) if d.rule != "id.unique")


# tokens whose resolution depends on more than their text: their folder, their file's name,
# whether their file gives the id, percent-escapes, URI syntax edition.sch calls bad
ODD = ["#c", "#d", "#q%41", "?q#g", "./persons.xml#a", "sub/../persons.xml#h", "persons.xml",
       "#", "//host/persons.xml#g", "/persons.xml#g", "persons.xml#", "a b", "persons.xml#%64",
       "x:persons.xml#h", "HTTP://x#h", "1x:persons.xml#h", "persons.xml?#h", "persons.xml#d#d",
       "%zz#h", "persons%2Exml#h", "#qA", "../persons.xml#m"]


@pytest.mark.parametrize("first", ["https://example.org/", "#p-0", "persons.xml#a"])
def test_odd_pointers_resolve_as_in_the_whole_context(tmp_path, first):
    """The authority file's unused entries (and every other finding) with for_authority's
    mentions equal those with every pointer, whatever the pointers (written in documents of
    two folders, all giving some of the ids they point to), whichever comes first."""
    ed = make_edition(tmp_path / "ed", 2)
    t = ed / "tei"
    more = "".join(f'<person xml:id="{i}"><persName type="preferred">{i}</persName></person>' for i in ("qA", "m"))
    (t / "persons.xml").write_text(persons().replace('<person xml:id="h">', more + '<person xml:id="h">'),
                                   encoding="utf-8")
    for name, where in (("doc-0.xml", t), ("doc-1.xml", t), ("doc-sub.xml", t / "sub")):
        refs = " ".join(f'<persName ref="{r}">x</persName>' for r in [first, *ODD] if " " not in r)
        refs += '<persName ref="a b">x</persName>'
        (where / name).write_text(tei(f'<p xml:id="d">{refs}</p><p xml:id="q%41"/>',
                                      Path(name).stem, up="../" * (1 + (where != t))), encoding="utf-8")
    edition = Edition.load(load_config(ed / "edition.toml"))
    whole, distinct = context.full(edition), context.for_authority(edition)
    assert len(distinct.findall("mention")) < len(whole.findall("mention")) * 3 / 4
    src = parse_file(t / "persons.xml", display="persons.xml")
    sch = ed / "schema" / "edition.sch"
    before = full(S.check(src, sch, context_node=whole))
    after = full(S.check(src, sch, context_node=distinct))
    assert after == before
    # (m is used only from the subfolder, where "../persons.xml" is this file)
    assert unused(S.check(src, sch, context_node=distinct)) == ["b", "d", "g"]


def test_an_edition_whose_only_pointers_point_into_their_own_file_still_warns(tmp_path):
    """The rules check unused entries only when the edition has a pointer at all: the first
    pointer is kept even where it could make no entry used."""
    ed = make_edition(tmp_path / "ed", 1)
    t = ed / "tei"
    for p in [*t.glob("doc-*.xml"), t / "sub" / "doc-sub.xml", t / "part-e.xml", t / "edition.xml"]:
        p.unlink()
    (t / "doc-0.xml").write_text(tei('<p xml:id="x"><ref target="#x">here</ref></p>', "doc-0"), encoding="utf-8")
    (t / "persons.xml").write_text(tei('<listPerson><person xml:id="a"><persName type="preferred">A'
                                       '</persName></person></listPerson>'), encoding="utf-8")
    edition = Edition.load(load_config(ed / "edition.toml"))
    distinct = context.for_authority(edition)
    assert [m.get("ref") for m in distinct.findall("mention")] == ["#x"]
    diags = S.check(parse_file(t / "persons.xml", display="persons.xml"), ed / "schema" / "edition.sch",
                    context_node=distinct)
    assert unused(diags) == ["a"]
