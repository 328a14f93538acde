"""edition.toml as typed option sets (issue #11, item 5): every table is a dataclass read by one
reader; an unknown table or key, a value of the wrong type or out of bounds is an error naming
the file, the line and the key; builders' tables are checked with the builder's options."""
from __future__ import annotations

import dataclasses
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from conftest import REPO, edition_copy, run_cli
from toolkit.config import (CORE_TABLES, Config, ConfigError, EditionOptions, ImportOptions, load_config,
                            option_tables)
from toolkit.options import Where, find_line, option, read_options
from toolkit.outputs.pdf_options import HOUSE_FONTS, HOUSE_SANS_FONTS, PdfOptions


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "edition.toml"
    p.write_text(text, encoding="utf-8")
    return p


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as e:
        load_config(write(tmp_path, text))
    return str(e.value)


# -- the reader, on an option set of every kind of field ---------------------------------------
@dataclass
class Inner:
    """A sub-table."""
    name: str = option(doc="required: no default")
    weight: float = option(1.0, "a number", min=0)


@dataclass
class Sample:
    """Every kind of field read_options knows."""
    count: int = option(3, "a bounded whole number", min=1, max=9)
    flag: bool = option(False, "true or false")
    mode: Literal["fast", "slow"] = option("fast", "one of two words")
    words: list[str] = option(["a"], "a list (or one string)")
    numbers: list[int] = option([], "whole numbers", min=0)
    table: dict[str, str] = option({}, "a table of strings")
    inners: dict[str, Inner] = option({}, "a table of tables")
    one: Inner | None = option(None, "one sub-table")
    path: Path | None = option(None, "a path")
    colour: str = option("red", "a choice", choices=("red", "blue"))
    even: int = option(2, "checked by a function", check=lambda v: None if v % 2 == 0 else "must be even")


TOML = """\
[s]
count = 4
flag = true
mode = "slow"
words = "b"
numbers = [1, 2]
path = "x/y"

[s.table]
"a key" = "v"

[s.inners.first]
name = "one"
weight = 2

[s.one]
name = "only"
"""


def where(text: str = TOML) -> Where:
    return Where("edition.toml", text, ("s",))


def test_read_options_reads_every_kind_of_field():
    import tomllib
    got = read_options(Sample, tomllib.loads(TOML)["s"], where())
    assert got.count == 4 and got.flag is True and got.mode == "slow"
    assert got.words == ["b"] and got.numbers == [1, 2] and got.path == Path("x/y")
    assert got.table == {"a key": "v"}
    assert got.inners == {"first": Inner("one", 2.0)} and isinstance(got.inners["first"].weight, float)
    assert got.one == Inner("only", 1.0) and got.colour == "red" and got.even == 2
    # defaults are fresh for each instance
    a, b = read_options(Sample, {}), read_options(Sample, {})
    a.words.append("z")
    assert b.words == ["a"]


@pytest.mark.parametrize("line,message", [
    ("count = 0", "[s] count must be a whole number from 1 to 9 (it is 0)"),
    ("count = 10", "[s] count must be a whole number from 1 to 9 (it is 10)"),
    ("count = true", "[s] count must be a whole number from 1 to 9 (it is True)"),
    ("count = 2.5", "[s] count must be a whole number from 1 to 9 (it is 2.5)"),
    ("flag = 1", "[s] flag must be true or false (it is 1)"),
    ('mode = "medium"', "[s] mode must be fast or slow (it is 'medium')"),
    ("words = [1]", "[s] words must be a string or a list of strings (it is [1])"),
    ("numbers = [1, -1]", "[s] numbers must be a list of whole numbers (it is [1, -1])"),
    ('numbers = "1"', "[s] numbers must be a list of whole numbers (it is '1')"),
    ("table = 3", "[s] table must be a table of strings (it is 3)"),
    ('colour = "green"', "[s] colour must be red or blue (it is 'green')"),
    ("even = 3", "[s] even must be even"),
    ('spare = "x"', "unknown key(s) in [s]: spare; known: colour, count, even, flag, inners, mode, "
                    "numbers, one, path, table, words"),
])
def test_read_options_names_line_and_key(line, message):
    import tomllib
    text = f"# a comment\n[s]\n{line}\n"
    with pytest.raises(ConfigError) as e:
        read_options(Sample, tomllib.loads(text)["s"], where(text))
    assert str(e.value) == f"edition.toml:3: {message}"


def test_read_options_in_sub_tables_names_their_line():
    import tomllib
    text = TOML.replace('weight = 2', 'weight = -1').replace('"a key" = "v"', '"a key" = 5')
    with pytest.raises(ConfigError) as e:
        read_options(Sample, tomllib.loads(text)["s"], where(text))
    assert str(e.value) == 'edition.toml:10: [s.table] "a key" must be a string (it is 5)'
    text = TOML.replace('weight = 2', 'weight = -1')
    with pytest.raises(ConfigError) as e:
        read_options(Sample, tomllib.loads(text)["s"], where(text))
    assert str(e.value) == "edition.toml:14: [s.inners.first] weight must be a number of at least 0 (it is -1)"
    text = TOML.replace('name = "one"\n', '')
    with pytest.raises(ConfigError) as e:
        read_options(Sample, tomllib.loads(text)["s"], where(text))
    assert str(e.value) == "edition.toml:12: [s.inners.first] needs the key name (a string)"


def test_find_line_follows_toml_keys():
    text = ('top = 1\n[a]\nx = 1\n"quoted key" = 2\n[a.b."c d"]\ny = 3\n[[arr]]\n'
            '[e]\ninline = { k = 1 }\n')
    assert find_line(text, (), "top") == 1
    assert find_line(text, ("a",)) == 2 and find_line(text, ("a",), "x") == 3
    assert find_line(text, ("a",), "quoted key") == 4
    assert find_line(text, ("a", "b", "c d"), "y") == 6
    assert find_line(text, ("a", "b")) == 5            # only its sub-table is written
    assert find_line(text, ("e", "inline"), "k") == 9  # an inline table: its key's line
    assert find_line(text, ("nowhere",), "k") == 0


# -- edition.toml's tables ---------------------------------------------------------------------
@pytest.mark.parametrize("text,message", [
    ('[edition]\nreferences = "sometimes"\n', "edition.toml:2: [edition] references must be auto, on or off "
                                             "(it is 'sometimes')"),
    ('[edition]\noutput = " "\n', "edition.toml:2: [edition] output must name a folder"),
    ('[edition]\ntitle = "t"\n\n[htlm]\ntheme = "dark"\n',
     "edition.toml:4: unknown table [htlm]; known: [edition], [schemas], [validate], [import], [document_info], [text], [facsimile], [html], [pdf], [json]"),
    ('pdf = 3\n', "edition.toml:1: pdf must be a table ([pdf])"),
    ('[schemas.map]\n"http://x/y.rng" = 1\n', 'edition.toml:2: [schemas.map] "http://x/y.rng" must be a string (it is 1)'),
    ('[validate]\nexclude = [true]\n', "edition.toml:2: [validate] exclude must be a string or a list of strings"),
    ('[import]\nfile_nmae = "x.xml"\n', "edition.toml:2: unknown key(s) in [import]: file_nmae; known: "
                                       "archive_hand, file_name, repositories, signature_hand"),
    ('[import]\nfile_name = "../x-{date}.xml"\n', "edition.toml:2: [import] file_name must be a file name"),
    ('[import]\nfile_name = "x-{date}.txt"\n', "edition.toml:2: [import] file_name must end in .xml"),
    ('[import]\nfile_name = "x-{dat}.xml"\n', "edition.toml:2: [import] file_name uses {dat}; the "
                                             "placeholders are {date}, {year}"),
    ('[import]\nfile_name = "x-{date!r}.xml"\n', "edition.toml:2: [import] file_name uses {date!r}"),
    ('[import]\nfile_name = "x-{date.xml"\n', "edition.toml:2: [import] file_name is not a valid pattern"),
    ('[import]\narchive_hand = "1 hand"\n', "edition.toml:2: [import] archive_hand must be an XML id"),
    ('[import]\narchive_hand = "h"\nsignature_hand = "h"\n',
     "edition.toml:3: [import] signature_hand must differ from archive_hand"),
    ('[import.repositories.CGA]\nsettlement = "Almaty"\n',
     "edition.toml:1: [import.repositories.CGA] needs the key language (a string)"),
    ('[import.repositories.CGA]\nsettlement = "Almaty"\nlanguage = 7\n',
     "edition.toml:3: [import.repositories.CGA] language must be a string (it is 7)"),
    ('[import]\nrepositories = { CGA = "Almaty" }\n',
     "edition.toml:2: [import.repositories] CGA must be a table (it is 'Almaty')"),
    ('[pdf]\nmax_document_pages = -5\n', "edition.toml:2: [pdf] max_document_pages must be a whole number above 0 "
                                        "(it is -5)"),
    ('[pdf]\nfont_dirs = ["fonts"]\n', "edition.toml:2: [pdf] font_dirs must name absolute folders ('fonts' is not)"),
    ('[pdf]\nfont_dirs = ["/etc"]\n', "edition.toml:2: [pdf] font_dirs names /etc, which is not in a system font folder"),
    ('[pdf]\nfont_dirs = ["/usr/share/fonts/../../../etc"]\n', "edition.toml:2: [pdf] font_dirs names "
                                                             "/usr/share/fonts/../../../etc, which is not"),
    ('[pdf]\nfonts = ["Libertinus Serif", ""]\n', "edition.toml:2: [pdf] fonts must name font families ('' is not one)"),
    ('[pdf]\nsans_fonts = 3\n', "edition.toml:2: [pdf] sans_fonts must be a string or a list of strings (it is 3)"),
])
def test_a_bad_value_names_file_line_and_key(tmp_path, text, message):
    msg = error(tmp_path, text)
    assert msg.startswith(str(tmp_path / message.split(":", 1)[0]) + ":" + message.split(":", 1)[1]), msg


def test_the_bundled_edition_toml_reads_and_says_what_differs():
    cfg = load_config(REPO / "edition.toml")
    assert cfg.options("import").file_name == "doc-{date}.xml"
    assert cfg.schema == "schema/edition.rng" and cfg.schematron == ["schema/edition.sch"]


def test_options_give_defaults_for_tables_not_written(tmp_path):
    cfg = load_config(write(tmp_path, '[import]\nfile_name = "letter-{year}-{date}.xml"\n'
                                      '[import.repositories."Central State Archive"]\n'
                                      'settlement = "Almaty"\nlanguage = "kk"\n'))
    imp = cfg.options("import")
    assert isinstance(imp, ImportOptions) and imp.file_name == "letter-{year}-{date}.xml"
    assert imp.archive_hand == "hand-archive"
    # added to the known archives, which stay
    assert imp.repositories["Central State Archive"].language == "kk"
    assert imp.repositories["RGASPI"].settlement == "Moscow"
    pdf = cfg.options("pdf")
    assert pdf == PdfOptions() and pdf.max_volume_pages == 2000
    # a Config made in code (ad hoc builds, tests) has the defaults too
    assert Config(root=tmp_path).options("import") == ImportOptions()
    with pytest.raises(KeyError):
        cfg.options("htlm")


def test_config_attributes_mirror_the_edition_table(tmp_path):
    # Config's defaults are the option set's: one place decides them
    bare = Config(root=tmp_path)
    assert bare.options("edition") == EditionOptions()
    cfg = load_config(write(tmp_path, '[edition]\ntitle = "T"\nsources = "a/*.xml"\nreferences = "off"\n'
                                      '[schemas]\ncatalogs = "c.xml"\n[schemas.map]\n"http://x" = "y"\n'
                                      '[validate]\nexclude = "t/fixtures"\n'))
    assert (cfg.title, cfg.sources, cfg.references) == ("T", ["a/*.xml"], "off")
    assert cfg.catalogs == ["c.xml"] and cfg.schema_map == {"http://x": "y"}
    assert cfg.validate_exclude == ["t/fixtures"]
    assert cfg.options("edition").title == "T" and cfg.options("schemas").map == {"http://x": "y"}


def test_every_field_is_documented():
    for name, cls in option_tables().items():
        for f in dataclasses.fields(cls):
            assert len(f.metadata.get("doc", "")) > 20, (name, f.name)
        assert cls.__doc__, name


def test_the_house_fonts_are_the_ones_edition_typ_falls_back_to():
    typ = (REPO / "xslt" / "pdf" / "edition.typ").read_text(encoding="utf-8")
    for key, names in (("font", HOUSE_FONTS), ("sans", HOUSE_SANS_FONTS)):
        m = re.search(rf'\n  {key}: if "ed-{key}" in sys.inputs .*?else \{{ \((.*?)\) \}}', typ, re.S)
        assert m, key
        assert [n.strip().strip('"') for n in m.group(1).split(",")] == names


# -- builders' tables through the registry ------------------------------------------------------
@dataclass
class HtmlOptions:
    """A stand-in for the HTML builder's options."""
    theme: Literal["light", "dark"] = option("light", "the colour scheme of the site")


@pytest.fixture
def registry(monkeypatch):
    """A builder registry as toolkit/outputs/registry.py provides it (option_classes())."""
    module = types.ModuleType("toolkit.outputs.registry")
    module.option_classes = lambda: {"html": HtmlOptions, "pdf": PdfOptions}
    monkeypatch.setitem(sys.modules, "toolkit.outputs.registry", module)
    return module


def test_a_builder_table_is_read_with_the_builders_options(tmp_path, registry):
    cfg = load_config(write(tmp_path, '[html]\ntheme = "dark"\n'))
    assert cfg.options("html") == HtmlOptions("dark")
    assert "html" in option_tables() and set(CORE_TABLES) < set(option_tables())
    msg = error(tmp_path, '[html]\ntheme = "blue"\n')
    assert msg.endswith("edition.toml:2: [html] theme must be light or dark (it is 'blue')")
    msg = error(tmp_path, '[html]\ntheem = "dark"\n')
    assert msg.endswith("edition.toml:2: unknown key(s) in [html]: theem; known: theme")
    assert "known: [edition], [schemas], [validate], [import], [document_info], [text], [facsimile], [html], [pdf]" in error(tmp_path, "[htlm]\n")


def test_without_a_registry_html_is_unknown_and_pdf_is_checked(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "toolkit.outputs.registry", None)  # import fails: not there
    assert "unknown table [html]" in error(tmp_path, '[html]\ntheme = "dark"\n')
    assert load_config(write(tmp_path, "[pdf]\nstandards = []\n")).options("pdf").standards == []


def test_an_edition_toml_without_builder_tables_does_not_ask_the_registry(tmp_path, monkeypatch):
    # config is read by every command: the builders (and any plug-in) are not imported for it
    module = types.ModuleType("toolkit.outputs.registry")

    def refuse():
        raise AssertionError("registry asked")
    module.option_classes = refuse
    monkeypatch.setitem(sys.modules, "toolkit.outputs.registry", module)
    # the bundled edition's file without its one builder table ([html] pdf_url)
    text = (REPO / "edition.toml").read_text(encoding="utf-8")
    assert "\n[html]\npdf_url" in text
    ed = edition_copy(tmp_path)
    (ed / "edition.toml").write_text(re.sub(r"\n\[html\]\n[^\[]*", "\n", text), encoding="utf-8")
    load_config(ed / "edition.toml")


def test_through_the_cli_a_bad_value_is_exit_2_with_the_line(tmp_path):
    write(tmp_path, '[edition]\nsources = "tei/*.xml"\n\n[import]\nfile_name = "{date}/x.xml"\n')
    res = run_cli("validate", cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "edition.toml:5: [import] file_name must be a file name" in res.stderr, res.stderr
