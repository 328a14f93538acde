"""`edition import`: the seed against the hand encoding, unseen fixtures against hand-written
answer keys, file safety (no overwrite, input untouched) and the report.

Every test imports into a temporary copy of the edition (or with -o into tmp_path); the real
tei/ is never written.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, TEI, run_cli, shared_path

NS = {"t": "http://www.tei-c.org/ns/1.0"}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
SEED = ("seeds", "002_a0130684bb8289fa.txt")


# -- helpers ---------------------------------------------------------------------------------
def edition_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the edition (documents, authority files, schemas, configuration)."""
    root = tmp_path / "edition"
    root.mkdir()
    shutil.copytree(REPO / "tei", root / "tei")
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    return root


def tei_hashes() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in TEI.glob("*.xml")}


def run_import(edition: Path, source: Path, *args: str):
    res = run_cli("import", str(source), "--format", "json", *args, cwd=edition)
    assert "Traceback" not in res.stdout + res.stderr, res.stderr
    return res


def text_refs(path: Path) -> Counter:
    """Multiset of entity ids pointed at by names in <text> (one per mention)."""
    tree = etree.parse(str(path))
    return Counter(r.split("#", 1)[1] for r in tree.xpath("//t:text//*[self::t:persName or "
                                                            "self::t:placeName or self::t:orgName]/@ref",
                                                            namespaces=NS))


def precision_recall(found: Counter, expected: Counter) -> tuple[float, float]:
    hits = sum((found & expected).values())
    return (hits / sum(found.values()) if found else 0.0,
            hits / sum(expected.values()) if expected else 1.0)


def norm(s: str) -> str:
    return " ".join(s.split())


def text_dates(tree) -> set[str]:
    return {d.get("when") or f"{d.get('from')}/{d.get('to')}" for d in tree.xpath("//t:text//t:date", namespaces=NS)}


def handwritten(tree) -> list[tuple[str, str]]:
    return [(n.get("place"), norm("".join(n.itertext())))
            for n in tree.xpath("//t:note[@type='handwritten']", namespaces=NS)]


# -- the seed against its hand encoding ------------------------------------------------------
def test_seed_matches_the_hand_encoded_document(tmp_path, capsys):
    seed = shared_path(*SEED)
    before = tei_hashes()
    ed = edition_copy(tmp_path)
    seed_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    # the copy holds the hand encoding under the same name: the draft replaces it (--force)
    res = run_import(ed, seed, "--force")
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads(res.stdout)
    draft = ed / "tei" / "doc-1937-06-14.xml"
    assert report["output"] == "tei/doc-1937-06-14.xml" and report["written"]

    ours, hand = text_refs(draft), text_refs(TEI / "doc-1937-06-14.xml")
    precision, recall = precision_recall(ours, hand)
    with capsys.disabled():
        print(f"\nseed: precision {precision:.3f}, recall {recall:.3f} "
              f"({sum(ours.values())} mentions tagged, {sum(hand.values())} in the hand encoding)")
    assert precision >= 0.9 and recall >= 0.9, (ours - hand, hand - ours)

    d, h = etree.parse(str(draft)), etree.parse(str(TEI / "doc-1937-06-14.xml"))
    # all handwritten notes, the seal and the signature, as the edition encodes them
    assert handwritten(d) == handwritten(h)
    for xp in ("//t:closer/t:stamp[@type='seal']", "//t:closer/t:roleName",
               "//t:closer/t:signed/t:persName"):
        ours_el, hand_el = d.xpath(xp, namespaces=NS), h.xpath(xp, namespaces=NS)
        assert len(ours_el) == len(hand_el) == 1, xp
        assert norm("".join(ours_el[0].itertext())) == norm("".join(hand_el[0].itertext()))
    assert d.xpath("//t:signed/t:persName/@ref", namespaces=NS) == ["persons.xml#stalin"]
    for hand_ptr in d.xpath("//@hand", namespaces=NS):
        assert d.xpath(f"//t:handNote[@xml:id='{hand_ptr[1:]}']", namespaces=NS), hand_ptr
    # "Hotan [Hetian]" and "Hotan [District]"
    assert [(c.findtext("t:orig", namespaces=NS), c.findtext("t:reg", namespaces=NS))
            for c in d.xpath("//t:text//t:choice", namespaces=NS)] == [("Hotan", "Hetian")]
    assert d.xpath("//t:placeName[t:supplied[@reason='translator']='District']/@ref",
                   namespaces=NS) == ["places.xml#hotan-district"]
    # dates, structure and the header's parts
    assert text_dates(d) == text_dates(h)
    for xp in ("//t:div[@type='point']/@n", "//t:div[@type='item']/@n", "//t:item/@n",
               "//t:div/@type", "//t:msIdentifier/*", "//t:respStmt/t:persName/@ref",
               "//t:creation/t:date/@when", "//t:language/@ident", "//t:availability/@corresp"):
        got = [x if isinstance(x, str) else norm("".join(x.itertext())) for x in d.xpath(xp, namespaces=NS)]
        want = [x if isinstance(x, str) else norm("".join(x.itertext())) for x in h.xpath(xp, namespaces=NS)]
        assert got == want, xp
    # the running text is kept exactly (no bracket left, nothing lost)
    for xp in ("//t:body//t:p", "//t:body//t:head", "//t:body//t:item", "//t:abstract/t:p"):
        assert [norm("".join(e.itertext())) for e in d.xpath(xp, namespaces=NS)] == \
               [norm("".join(e.itertext())) for e in h.xpath(xp, namespaces=NS)], xp
    assert "[" not in "".join(d.xpath("//t:text//text()", namespaces=NS))
    # the two xml-model PIs, like the other documents
    assert draft.read_text(encoding="utf-8").splitlines()[1:3] == \
        (TEI / "doc-1937-06-14.xml").read_text(encoding="utf-8").splitlines()[1:3]
    # validates (RELAX NG + Schematron + references) in the real command, too
    assert report["validation"]["errors"] == 0
    val = run_cli("validate", "tei/doc-1937-06-14.xml", cwd=ed)
    assert val.returncode == 0 and "0 errors" in val.stdout or "no problems" in val.stdout, val.stdout
    # report: every remark found, counts equal to the draft's elements
    kinds = Counter(r["kind"] for r in report["remarks"])
    assert kinds == {"handwritten": 3, "seal": 1, "signed": 1, "alternative": 1, "supplied": 1}
    for kind, el in (("person", "persName"), ("place", "placeName"), ("org", "orgName")):
        assert report["counts"][kind] == len(d.xpath(f"//t:{el}[not(ancestor::t:respStmt)]",
                                                     namespaces=NS)) + \
            len(d.xpath(f"//t:respStmt/t:{el}", namespaces=NS))
    assert report["counts"]["date"] == len(d.xpath("//t:date", namespaces=NS))
    # never modifies what it reads, never touches the real tei/
    assert hashlib.sha256(seed.read_bytes()).hexdigest() == seed_hash
    assert tei_hashes() == before


# -- unseen fixtures against hand-written answer keys ----------------------------------------
FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_against_its_answer_key(tmp_path, capsys, name):
    key = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    ed = edition_copy(tmp_path)
    target = ed / "tei" / key["file"]
    args = ["--force"] if target.exists() else []   # doc-1945-07.xml exists in the edition
    res = run_import(ed, FIXTURES / f"{name}.txt", *args)
    report = json.loads(res.stdout)
    assert report["output"] == f"tei/{key['file']}"
    tree = etree.parse(str(target))

    ours, expected = text_refs(target), Counter(key["refs"])
    precision, recall = precision_recall(ours, expected)
    with capsys.disabled():
        print(f"\n{name}: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.9 and recall >= 0.9, (ours - expected, expected - ours)
    assert text_dates(tree) == set(key["dates"])
    assert handwritten(tree) == [tuple(h) for h in key["handwritten"]]
    kinds = Counter(r["kind"] for r in report["remarks"])
    assert {k: kinds.get(k, 0) for k in key["remarks"]} == key["remarks"]
    unknown = {u["text"] for u in report["unknown_names"]}
    assert set(key["unknown"]) <= unknown, unknown
    rules = {w["rule"] for w in report["warnings"]}
    assert set(key["warnings"]) <= rules, rules
    for w in report["warnings"]:
        assert w["line"] >= 1 and w["column"] >= 1 and w["path"].endswith(f"{name}.txt")
    assert (report["validation"]["errors"] == 0) == key["valid"], report["validation"]
    assert res.returncode == (0 if key["valid"] else 1)
    # ids stay unique across the edition (the hand notes of 1937 are hand-archive/-signature)
    val = run_cli("validate", cwd=ed)
    assert "id.unique" not in val.stdout and (val.returncode == 0) == key["valid"], val.stdout


def test_warnings_point_at_the_input_line(tmp_path):
    ed = edition_copy(tmp_path)
    src = FIXTURES / "trade-needs-human.txt"
    report = json.loads(run_import(ed, src).stdout)
    lines = src.read_text(encoding="utf-8").splitlines()
    by_rule = {w["rule"]: w for w in report["warnings"]}
    for rule, text in (("import.remark.unpaired", "["), ("import.date.ambiguous", "20 December"),
                       ("import.remark.alternative", "[Petrovskii]"),
                       ("import.closer.signatory-guess", "V. Molotov")):
        w = by_rule[rule]
        assert lines[w["line"] - 1][w["column"] - 1:].startswith(text), (rule, w)
    petrovsky = next(u for u in report["unknown_names"] if u["text"] == "Petrovsky")
    assert "Petrovsky" in lines[petrovsky["lines"][0] - 1] and petrovsky["kind"] == "person"


# -- files: never overwrite, never write the input, -o outside the edition -------------------
def test_existing_file_is_not_overwritten_without_force(tmp_path):
    ed = edition_copy(tmp_path)
    src = FIXTURES / "ili-minutes.txt"
    first = run_import(ed, src)
    assert first.returncode == 0
    out = ed / "tei" / "doc-1945-08-02.xml"
    out.write_text(out.read_text(encoding="utf-8").replace("Charge Cde.", "EDITED Cde."), encoding="utf-8")
    edited = out.read_bytes()
    again = run_cli("import", str(src), cwd=ed)
    assert again.returncode == 2 and "exists" in again.stdout and "--force" in again.stdout
    assert out.read_bytes() == edited
    forced = run_import(ed, src, "--force")
    assert forced.returncode == 0 and b"EDITED" not in out.read_bytes()
    assert not list((ed / "tei").glob(".import-*"))       # no temporary file left behind


def test_output_may_not_be_the_input(tmp_path):
    ed = edition_copy(tmp_path)
    src = tmp_path / "doc.txt"
    shutil.copy(FIXTURES / "ili-minutes.txt", src)
    before = src.read_bytes()
    res = run_cli("import", str(src), "-o", str(src), "--force", cwd=ed)
    assert res.returncode == 2 and "overwrite the input" in res.stdout
    assert src.read_bytes() == before


def test_output_outside_the_edition_links_as_from_the_edition(tmp_path):
    ed = edition_copy(tmp_path)
    out = tmp_path / "drafts" / "doc-1945-08-02.xml"
    out.parent.mkdir()
    res = run_import(ed, FIXTURES / "ili-minutes.txt", "-o", str(out))
    assert res.returncode == 0, res.stdout
    report = json.loads(res.stdout)
    assert report["validation"] is None and any("move the draft" in t for t in report["todo"])
    tree = etree.parse(str(out))
    refs = tree.xpath("//@ref")
    assert refs and all(r.split("#")[0] in ("persons.xml", "places.xml", "orgs.xml") for r in refs)
    # moved into the edition, it validates
    shutil.move(str(out), ed / "tei" / out.name)
    val = run_cli("validate", f"tei/{out.name}", cwd=ed)
    assert val.returncode == 0, val.stdout


def test_text_report_lists_what_needs_a_human(tmp_path):
    ed = edition_copy(tmp_path)
    res = run_cli("import", str(FIXTURES / "trade-needs-human.txt"), cwd=ed)
    assert res.returncode == 0, res.stdout
    out = res.stdout
    assert "tagged:" in out and "unknown name candidates" in out and "needs a human" in out
    assert "Petrovsky (person)" in out and "validation of the draft: 0 errors" in out
    assert "trade-needs-human.txt:15:" in out      # warnings carry the input line


# -- bad input: a clear error with file:line:column, exit 1, never a traceback ----------------
def _bad(tmp_path, name: str, data: bytes, *args: str):
    ed = edition_copy(tmp_path)
    p = tmp_path / name
    p.write_bytes(data)
    res = run_cli("import", str(p), *args, cwd=ed)
    assert "Traceback" not in res.stdout + res.stderr
    assert not list((ed / "tei").glob("doc-19*-*-*.xml.*"))
    return res, ed


@pytest.mark.parametrize("name,data,expect", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"\n  \n\t\n", "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("latin1.txt", "June 14, 1937\n\nConcerning Xinjiang\n\n1. Caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
])
def test_bad_input_is_a_clear_error(tmp_path, name, data, expect):
    res, ed = _bad(tmp_path, name, data)
    assert res.returncode == 1, res.stdout + res.stderr
    assert expect in res.stdout and f"{name}:" in res.stdout
    assert sorted(p.name for p in (ed / "tei").iterdir()) == sorted(p.name for p in TEI.iterdir())


def test_wrong_encoding_names_line_and_column(tmp_path):
    res, _ = _bad(tmp_path, "latin1.txt", "June 14, 1937\n\nTitle\n\n1. Caf\xe9\n".encode("latin-1"))
    assert "latin1.txt:5:7: error:" in res.stdout and "--encoding" in res.stdout


def test_declared_encoding_and_utf16_are_read(tmp_path):
    text = (FIXTURES / "ili-minutes.txt").read_text(encoding="utf-8").replace("Nº", "No.")
    res, ed = _bad(tmp_path, "cp1252.txt", text.encode("cp1252"), "--encoding", "cp1252")
    assert res.returncode == 0, res.stdout
    (ed / "tei" / "doc-1945-08-02.xml").unlink()
    p = tmp_path / "utf16.txt"
    p.write_bytes(text.encode("utf-16"))
    res = run_cli("import", str(p), cwd=ed)
    assert res.returncode == 0, res.stdout
    assert text_refs(ed / "tei" / "doc-1945-08-02.xml")["yegnarov"] == 2


def test_ten_megabyte_file_is_refused_quickly(tmp_path):
    para = (FIXTURES / "ili-minutes.txt").read_bytes()
    res, _ = _bad(tmp_path, "huge.txt", para * (10 * 1024 * 1024 // len(para) + 1))
    assert res.returncode == 1 and "too large" in res.stdout and "huge.txt:1:1:" in res.stdout


def test_missing_file_and_folder(tmp_path):
    ed = edition_copy(tmp_path)
    res = run_cli("import", "nowhere.txt", cwd=ed)
    assert res.returncode == 2 and "nowhere.txt:1:1: error: file not found" in res.stdout
    res = run_cli("import", "tei", cwd=ed)
    assert res.returncode == 2 and "folder" in res.stdout


def test_text_without_page_structure_gives_a_draft_and_says_why_it_is_invalid(tmp_path):
    res, ed = _bad(tmp_path, "letter.txt", b"Dear colleague,\n\nplease find the [illegible] report attached.\n")
    assert res.returncode == 1 and "no document date" in res.stdout and "-o" in res.stdout
    out = ed / "tei" / "doc-1999-01-01.xml"
    res = run_cli("import", str(tmp_path / "letter.txt"), "-o", str(out), cwd=ed)
    assert "Traceback" not in res.stdout + res.stderr
    assert res.returncode == 1 and out.exists()        # written, but it does not validate
    assert "no numbered points" in res.stdout and "validation of the draft:" in res.stdout


def test_control_characters_are_removed_with_a_warning(tmp_path):
    text = (FIXTURES / "ili-minutes.txt").read_text(encoding="utf-8")
    text = text.replace("113. An NKVT issue.", "113. An NKVT\x07 issue.")
    res, ed = _bad(tmp_path, "bell.txt", text.encode("utf-8"), "--format", "json")
    report = json.loads(res.stdout)
    assert res.returncode == 0 and "import.control-char" in {w["rule"] for w in report["warnings"]}
    assert etree.parse(str(ed / "tei" / "doc-1945-08-02.xml")) is not None
