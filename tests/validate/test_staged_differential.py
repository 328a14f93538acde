"""The staged check's fast path (staged_fast.py, answered from the reference store) against the
general path (every file listed and read) and the whole-edition `validate`: on a generated
edition of 200 documents with errors already in it, each staged change must give the same
findings three ways. The bundled edition's Schematron checks the pointers (the context slice of
the edition), the mini edition's model does (references = "on")."""
from __future__ import annotations

import re
import shutil
import sys
from dataclasses import astuple
from pathlib import Path

import pytest

from conftest import REPO
from staged_support import CONFIG, doc, git, init_repo, make_edition, persons, write
from toolkit.config import load_config
from toolkit.validate import staged_fast
from toolkit.validate.staged import validate_staged
from toolkit.validate.validator import validate

sys.path.insert(0, str(REPO / "bench"))
from _common import replicate_edition  # noqa: E402

N = 200


def _bundled(folder: Path) -> Path:
    """200 documents of the bundled edition, some pointing at others (by file, by a bare
    fragment), with errors in documents that no staged change touches."""
    ed = replicate_edition(folder, N)
    docs = sorted((ed / "tei").glob("doc-*.xml"))
    for n, d in enumerate(docs[20:60]):  # each points to the one 10 before (file and id)
        other = docs[10 + n].stem
        _insert(d, f'<p>See <ref target="{other}.xml#{other}">that</ref>.</p>')
    for d in docs[60:70]:  # a bare fragment into another document
        _insert(d, '<p>Compare <ref target="#hand-archive">the hand</ref>.</p>')
    _insert(docs[100], '<p><persName ref="persons.xml#nobody">X</persName></p>')  # bad pointer
    _insert(docs[101], '<p xml:id="hand-signature">dup</p>')                       # dup id
    _insert(docs[102], '<p><unknownElement/></p>')                                   # schema
    return init_repo(ed)


def _mini(folder: Path) -> Path:
    ed = make_edition(folder, CONFIG)
    write(ed / "tei" / "persons.xml", persons(*[f"p{i}" for i in range(20)], "anna", "boris"))
    for i in range(N):
        body = [f'<persName ref="persons.xml#p{i % 20}">P</persName>']
        if 20 <= i < 60:
            body.append(f'<ref target="d{i - 10:03d}.xml#x{i - 10}">then</ref>')
        if 60 <= i < 70:
            body.append('<persName ref="#x5">bare</persName>')
        write(ed / "tei" / f"d{i:03d}.xml", doc(*body, f'<seg xml:id="x{i}">s</seg>'))
    write(ed / "tei" / "d100.xml", doc('<persName ref="persons.xml#nobody">X</persName>'))
    write(ed / "tei" / "d101.xml", doc('<seg xml:id="x7">dup</seg>'))
    write(ed / "tei" / "d102.xml", doc("<unknown/>"))
    return init_repo(ed)


def _insert(path: Path, text: str):
    data = path.read_text(encoding="utf-8")
    path.write_text(data.replace("</body>", text + "</body>", 1), encoding="utf-8")


@pytest.fixture(scope="module", params=["bundled", "mini"])
def edition(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param) / "ed"
    return request.param, (_bundled(folder) if request.param == "bundled" else _mini(folder))


def _edit(path: Path, old: str, new: str, count: int = 1):
    data = path.read_text(encoding="utf-8")
    assert re.search(old, data), (path, old)
    path.write_text(re.sub(old, new, data, count=count), encoding="utf-8")


def _docs(ed: Path) -> list[Path]:
    return sorted(p for p in (ed / "tei").glob("d*.xml"))


# Each scenario changes the edition and stages the change; `fast` says whether the fast path
# must take it. Documents 20-59 point at the one 10 before them, 60-69 at a bare fragment.
def s_text(ed, kind):
    d = _docs(ed)[5]
    _edit(d, "</body>", "<p>More text.</p></body>")
    git(ed, "add", str(d))


def s_bad_pointers(ed, kind):
    d = _docs(ed)[7]
    ref = ('<p><placeName ref="places.xml#atlantis">A</placeName> <persName ref="places.xml#xinjiang">K</persName></p>'
           if kind == "bundled" else '<p><persName ref="persons.xml#atlantis">A</persName><persName ref="#nowhere">N</persName></p>')
    _edit(d, "</body>", ref + "</body>")
    git(ed, "add", str(d))


def s_duplicate(ed, kind):
    d = _docs(ed)[8]
    dup = "hand-archive" if kind == "bundled" else "x42"
    _edit(d, "</body>", f'<p><seg xml:id="{dup}">again</seg></p></body>')
    git(ed, "add", str(d))


def s_renamed_target(ed, kind):
    d = _docs(ed)[15]  # documents 25 points at it by id
    if kind == "bundled":
        _edit(d, f'xml:id="{d.stem}"', f'xml:id="{d.stem}-renamed"')
    else:
        _edit(d, 'xml:id="x15"', 'xml:id="x15-renamed"')
    git(ed, "add", str(d))


def s_removed(ed, kind):
    git(ed, "rm", "-q", str(_docs(ed)[16]))


def s_added(ed, kind):
    src = _docs(ed)[3]
    new = ed / "tei" / ("doc-new.xml" if kind == "bundled" else "dnew.xml")
    text = src.read_text(encoding="utf-8")
    text = re.sub(r'xml:id="([^"]+)"', r'xml:id="\1-new"', text)
    new.write_text(text.replace("</body>", '<p><ref target="#nothing-here">x</ref></p></body>'), encoding="utf-8")
    git(ed, "add", str(new))


def s_bare_fragment_removed(ed, kind):
    if kind == "bundled":
        d = ed / "tei" / "doc-1937-06-14.xml"  # gives hand-archive, which 60-69 point to
        _edit(d, 'xml:id="hand-archive"', 'xml:id="hand-archived"')
    else:
        d = _docs(ed)[5]
        _edit(d, 'xml:id="x5"', 'xml:id="x5b"')
    git(ed, "add", str(d))


def s_two_documents(ed, kind):
    a, b = _docs(ed)[30], _docs(ed)[31]
    _edit(a, "</body>", '<p><seg xml:id="moved-id">m</seg></p></body>')
    _edit(b, "</body>", '<p><seg xml:id="moved-id">m</seg><ref target="#moved-id">r</ref></p></body>')
    git(ed, "add", str(a), str(b))


def s_dirty(ed, kind):
    d = _docs(ed)[9]
    _edit(d, "</body>", "<p><unknownThing/></p></body>")
    git(ed, "add", str(d))
    _edit(d, "<p><unknownThing/></p>", "")  # fixed in the working copy only


def s_authority(ed, kind):
    p = ed / "tei" / "persons.xml"
    if kind == "bundled":
        ident = re.search(r'<person xml:id="([^"]+)"', p.read_text(encoding="utf-8")).group(1)
        _edit(p, f'xml:id="{ident}"', f'xml:id="{ident}-x"')
    else:
        _edit(p, 'xml:id="p3"', 'xml:id="p3x"')
    git(ed, "add", str(p))


def s_dirty_dependent(ed, kind):
    s_renamed_target(ed, kind)  # document 25 points at 15's id, 15's id renamed
    d = _docs(ed)[25]
    _edit(d, "<ref target=", "<ref old=")  # its working copy no longer points: not committed


def s_dirty_elsewhere(ed, kind):
    s_bad_pointers(ed, kind)
    _edit(_docs(ed)[150], "</body>", "<p><brokenElement/></p></body>")  # not staged, not read


def s_untracked(ed, kind):
    s_duplicate(ed, kind)
    dup = "hand-archive" if kind == "bundled" else "x42"
    write(ed / "tei" / ("doc-untracked.xml" if kind == "bundled" else "duntracked.xml"),
          doc(f'<seg xml:id="{dup}">not committed</seg>'))


SCENARIOS = [(s_text, True), (s_bad_pointers, True), (s_duplicate, True), (s_renamed_target, True),
             (s_removed, True), (s_added, True), (s_bare_fragment_removed, True),
             (s_two_documents, True), (s_dirty, False), (s_authority, False),
             (s_dirty_dependent, False), (s_dirty_elsewhere, True), (s_untracked, True)]


def _staged(ed: Path, monkeypatch, fast: bool):
    monkeypatch.chdir(ed)
    monkeypatch.setattr(staged_fast, "ENABLED", fast)
    taken, checked = [], []
    real, validate_real = staged_fast.fast_check, staged_fast.validate

    def spy(*a, **k):
        out = real(*a, **k)
        taken.append(out is not None)
        return out

    def validate_spy(config, paths=None, **k):
        checked.extend(paths or [])
        return validate_real(config, paths=paths, **k)
    monkeypatch.setattr(staged_fast, "fast_check", spy)
    monkeypatch.setattr(staged_fast, "validate", validate_spy)
    report = validate_staged(ed)
    monkeypatch.undo()
    return report, bool(taken and taken[0]), checked


def _rows(diags):
    return sorted(_same_hint(astuple(d)) for d in diags)


def _same_hint(row: tuple) -> tuple:
    """A RELAX NG hint lists what was allowed in the order the memoized schema happens to hold
    its choices, which depends on what the process validated before (a schema read from the
    index's snapshot is another schema object): compared as a set."""
    hint = row[6]
    if hint.startswith("allowed: ") and " (and " not in hint:
        items = re.split(r", | or ", hint[len("allowed: "):])
        hint = "allowed: " + " | ".join(sorted(items))
    return (*row[:6], hint, *row[7:])


@pytest.mark.parametrize("scenario,fast", SCENARIOS, ids=[s.__name__ for s, _ in SCENARIOS])
def test_fast_general_and_whole_edition_agree(edition, scenario, fast, monkeypatch):
    kind, ed = edition
    git(ed, "reset", "-q", "--hard")
    git(ed, "clean", "-qfd")
    try:
        scenario(ed, kind)
        general, took, _ = _staged(ed, monkeypatch, fast=False)
        assert not took
        new, took, checked = _staged(ed, monkeypatch, fast=True)
        assert took == fast
        assert _rows(new.diagnostics) == _rows(general.diagnostics)
        assert (new.files, new.notes) == (general.files, general.notes)
        if fast and scenario is not s_text:
            assert new.diagnostics, "the scenario was meant to find something"
        if fast and scenario not in (s_dirty_elsewhere, s_untracked):
            # the whole edition, validated as it will be committed, says the same of them
            monkeypatch.chdir(ed)
            whole = validate(load_config(ed / "edition.toml"))
            shown = {str(p.relative_to(ed)) for p in checked}
            assert _rows(d for d in whole.diagnostics if d.path in shown) == _rows(new.diagnostics)
            assert len(checked) < N / 4  # and it checked only a few files
    finally:
        git(ed, "reset", "-q", "--hard")
        git(ed, "clean", "-qfd")


def test_the_fast_path_reads_no_other_document(edition, monkeypatch, tmp_path):
    """With the store made, a staged edit is checked without opening the other documents: each
    is moved away (the index still has them), and the findings stay."""
    kind, ed = edition
    git(ed, "reset", "-q", "--hard")
    s_bad_pointers(ed, kind)
    before, took, _ = _staged(ed, monkeypatch, fast=True)
    assert took
    staged_doc = _docs(ed)[7]
    hidden = tmp_path / "away"
    hidden.mkdir()
    try:
        for d in _docs(ed):
            if d != staged_doc:
                shutil.move(str(d), hidden / d.name)
        after, took, _ = _staged(ed, monkeypatch, fast=True)
        assert took and _rows(after.diagnostics) == _rows(before.diagnostics)
    finally:
        for f in hidden.iterdir():
            shutil.move(str(f), ed / "tei" / f.name)
        git(ed, "reset", "-q", "--hard")
