"""RELAX NG diagnostics: exact positions and messages that say what is allowed instead."""
from __future__ import annotations

from pathlib import Path

from toolkit.validate.relaxng import load_schema, validate
from toolkit.xmlsafe import parse_file

MINI = Path(__file__).parents[1] / "fixtures" / "rng" / "mini.rng"
HEAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader><title>t</title></teiHeader>\n<text><body>\n'
TAIL = "</body></text>\n</TEI>\n"


def diags(tmp_path, body: str):
    f = tmp_path / "doc.xml"
    f.write_text(HEAD + body + TAIL)
    return validate(parse_file(f, display="doc.xml"), MINI)


def test_valid_document_has_no_diagnostics(tmp_path):
    assert diags(tmp_path, '<p n="1">Hello <persName ref="#x">X</persName></p>\n') == []


def test_unknown_element_says_what_is_allowed_and_suggests(tmp_path):
    [d] = diags(tmp_path, '<p>Hello <persname ref="#x">X</persname></p>\n')
    assert (d.line, d.column, d.rule, d.severity) == (4, 10, "rng", "error")
    assert d.message == "element <persname> is not allowed inside <p>"
    assert d.hint == "did you mean <persName>? allowed here: <date>, <persName>"


def test_unknown_attribute_lists_allowed_attributes(tmp_path):
    [d] = diags(tmp_path, '<p>x <persName ref="#x" key="k">X</persName></p>\n')
    assert (d.line, d.column) == (4, 6)
    assert d.message == "attribute @key not allowed on <persName>"
    assert d.hint == "<persName> allows: @ref"


def test_bad_date_value_names_the_value(tmp_path):
    [d] = diags(tmp_path, '<p>on <date when="14 June 1937">14 June</date></p>\n')
    assert (d.line, d.column) == (4, 7)
    assert d.message == 'attribute @when="14 June 1937" on <date> has a value the schema does not allow'
    assert "YYYY-MM-DD" in d.hint


def test_missing_required_attribute(tmp_path):
    [d] = diags(tmp_path, '<p>x <persName>X</persName></p>\n')
    assert (d.line, d.column) == (4, 6)
    assert "<persName>" in d.message and "@ref" in d.hint


def test_element_in_wrong_parent_and_second_on_same_line(tmp_path):
    ds = diags(tmp_path, '<p>a</p><p>b <p>c</p></p>\n')
    assert [(d.line, d.column) for d in ds] == [(4, 14)]
    assert ds[0].message == "element <p> is not allowed inside <p>"


def test_grammar_knows_allowed_children_and_attributes():
    g = load_schema(MINI).grammar
    assert g.allowed("p") == (("date", "persName"), ("n",))
    assert g.start_names() == ("TEI",)


def test_validating_an_edition_leaves_no_read_limit_behind(tmp_path):
    """The read limits are set for one validation (validator.confined_reads): a program that
    validates an edition and then loads a schema elsewhere (a test run, an editor's tooling)
    is not held to the first edition's folder; during the validation they hold."""
    from conftest import REPO, edition_copy
    from toolkit import xmlsafe
    from toolkit.config import load_config
    from toolkit.validate import schemas
    from toolkit.validate.validator import confined_reads, validate
    ed = edition_copy(tmp_path)
    assert xmlsafe._read_roots is None
    validate(load_config(ed / "edition.toml"), [ed / "tei" / "doc-1937-06-14.xml"])
    assert xmlsafe._read_roots is None and schemas._own_roots == ()
    with confined_reads(load_config(ed / "edition.toml"), None):
        assert xmlsafe.outside_roots(REPO / "schema" / "edition.rng") is not None
    assert xmlsafe.outside_roots(REPO / "schema" / "edition.rng") is None
