"""Config.source_match tells, one path at a time, what source_files() would list: the staged
check's fast path matches git's paths with it instead of listing the edition's folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.config import Config

FILES = ["tei/a.xml", "tei/b.txt", "tei/.hidden.xml", "tei/sub/c.xml", "tei/sub/.h/d.xml",
         "tei/.hd/e.xml", "tei/sub/deep/f.xml", "tei/x.xml/g.xml", "other/h.xml", "persons.xml",
         "tei/sub/deep/.i.xml", "out/j.xml", "tei/doc-1.xml", "tei/doc-22.xml", "tei/Doc-3.xml"]

PATTERNS = [
    ["tei/*.xml"], ["tei/**/*.xml"], ["tei/sub"], ["tei"], ["**/*.xml"], ["tei/*/*.xml"],
    ["tei/.*.xml"], ["tei/doc-?.xml"], ["tei/doc-[0-9]*.xml"], ["tei/[!a]*.xml"],
    ["tei/*/deep/*.xml", "other/*.xml"], ["tei/x.xml"], ["tei/sub/**/*.xml"], ["*/*.xml"],
    ["tei/*.xml", "persons.xml", "missing.xml"],
]


@pytest.mark.parametrize("sources", PATTERNS)
def test_the_match_agrees_with_the_listing(tmp_path, sources):
    root = tmp_path / "ed"
    for f in FILES:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_text("<TEI/>")
    config = Config(root=root, path=root / "edition.toml", sources=sources,
                    authority=["persons.xml"], edition_file="tei/a.xml", output="out")
    listed = {str(p) for p in config.source_files()}
    match = config.source_match()
    assert match is not None
    every = [os.path.normpath(str(root / f)) for f in FILES + ["missing.xml", "tei/gone.xml"]]
    told = {p for p in every if match(p, os.path.exists(p))}
    assert told == listed


@pytest.mark.parametrize("sources", [["tei/*"], ["tei/**"], ["tei/*/../*.xml"], ["tei/*.txt"]])
def test_patterns_beyond_it_are_said_to_be(tmp_path, sources):
    assert Config(root=tmp_path, sources=sources).source_match() is None


def test_use_files_takes_the_files_given_sorted_as_the_listing_sorts(tmp_path):
    config = Config(root=tmp_path)
    config.use_files([tmp_path / "b" / "a.xml", tmp_path / "a-b.xml", tmp_path / "a" / "z.xml"])
    assert config.source_files() == [tmp_path / "a" / "z.xml", tmp_path / "a-b.xml", tmp_path / "b" / "a.xml"]
    assert config.refused_files() == {}
    assert isinstance(config.source_files()[0], Path)
