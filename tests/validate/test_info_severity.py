"""The info severity: below a warning, shown in text only with --verbose, always in JSON, as
::notice on GitHub, and never an error (exit status)."""
from __future__ import annotations

import json

from toolkit.diagnostics import ERROR, INFO, WARNING, Diagnostic, format_github, format_json, \
    format_text, sort_diagnostics

NOTE = Diagnostic("my.odd", 4, 1, INFO, "left out", "schema.note")
WARN = Diagnostic("a.xml", 2, 3, WARNING, "unused", "authority.unused")
ERR = Diagnostic("a.xml", 2, 3, ERROR, "bad", "rng")


def test_text_hides_info_unless_verbose():
    assert format_text([NOTE], 1) == "1 file checked: no problems (1 note, shown with --verbose)."
    assert format_text([NOTE], 1, verbose=True).splitlines() == [
        "my.odd:4:1: info: left out [schema.note]", "1 file checked: no problems (1 note)."]
    assert format_text([], 1) == "1 file checked: no problems."


def test_info_is_counted_apart_from_warnings_and_errors():
    diags = sort_diagnostics([NOTE, WARN, ERR])
    assert format_text(diags, 2).splitlines()[-1] == \
        "2 files checked: 1 error, 1 warning (1 note, shown with --verbose)."
    data = json.loads(format_json(diags, 2))
    assert (data["errors"], data["warnings"], data["notes"]) == (1, 1, 1)
    assert [d["severity"] for d in data["diagnostics"]] == ["error", "warning", "info"]
    assert not NOTE.is_error and NOTE.is_info


def test_info_sorts_after_warnings_at_one_place():
    here = Diagnostic("a.xml", 2, 3, INFO, "x", "r")
    assert sort_diagnostics([here, WARN, ERR]) == [ERR, WARN, here]


def test_github_notice():
    lines = format_github([WARN, NOTE], 2).splitlines()
    assert lines[0].startswith("::warning file=a.xml,line=2,col=3,")
    assert lines[1] == "::notice file=my.odd,line=4,col=1,title=schema.note::left out"


def test_colour_of_info():
    assert "\x1b[1;36minfo\x1b[0m" in format_text([NOTE], 1, color=True, verbose=True)
