"""What a RELAX NG value hint lists comes in one order, whatever the process checked before: a
file checked alone, with --schema, or in a shard says what the whole validate says (the
patterns of a choice are a frozenset ordered by their addresses)."""
from __future__ import annotations

import re

from conftest import edition_copy, run_cli

from toolkit.validate import rng_derivative as rd


def test_described_in_one_order():
    ps = rd.Patterns()
    uri = ps.data(rd.XSD_LIB, "anyURI", (("pattern", r"doc-.*\.xml"),), None)
    value = ps.value("", "token", "edition.xml")
    listed = ps.value("", "token", "a-value")
    want = ['"a-value"', '"edition.xml"', r"a URI matching doc-.*\.xml"]
    assert rd.describe_value_patterns([uri, value, listed], ps) == want
    assert rd.describe_value_patterns([listed, value, uri], ps) == want
    assert rd.describe_value_patterns([value, uri, value], ps) == want[1:]


def test_a_file_alone_and_with_schema_say_the_same(tmp_path):
    ed = edition_copy(tmp_path)
    docs = sorted((ed / "tei").glob("doc-*.xml"))
    text = docs[0].read_text(encoding="utf-8")
    docs[0].write_text(text.replace("<p>", f'<p><ref target="{docs[1].name}#{docs[1].stem}">x</ref>', 1),
                       encoding="utf-8")
    rel = docs[0].relative_to(ed).as_posix()
    hints = set()
    for extra in ([], ["--schema", "schema/edition.rng"]):
        out = run_cli("validate", *extra, rel, cwd=ed).stdout
        hints.add(re.search(r"\[rng\]\n    hint: (allowed: .*)", out).group(1))
    assert hints == {r'allowed: "edition.xml" or a URI matching doc-[0-9]{4}-[0-9]{2}(-[0-9]{2})?\.xml'}
