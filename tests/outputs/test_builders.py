"""Builders as plug-ins (toolkit/outputs/registry.py, base.py): a builder another package adds
through the entry-point group `tei_edition_toolkit.builders` — here a class of this file behind
a fake entry point — gets `edition build <name>`, its [<name>] table of edition.toml and the
shared degrade-not-crash policy; unknown names are refused with the known ones listed."""
from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, run_cli
from toolkit.config import ConfigError, load_config
from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.options import option
from toolkit.outputs import registry
from toolkit.outputs.base import Builder, BuildError, BuildResult, Job
from toolkit.outputs.publish import staged_output, write_file, write_manifest
from toolkit.outputs.runner import build


@dataclass
class CountOptions:
    """The counting builder of the tests."""
    label: str = option("documents", "the word written after the number of documents")


class CountBuilder(Builder):
    """Writes count.txt: how many documents; a document whose id holds "bad" cannot be made
    (a per-document failure: the others are counted)."""
    name = "count"
    description = "Count the documents (a test plug-in)."
    options = CountOptions
    default = True

    def plan(self, job: Job):
        good = []
        for d in job.edition.documents:
            if "bad" in d.id:
                job.problem(Diagnostic(str(d.file), 3, 7, ERROR, f"cannot count {d.id}", "count.failed"))
            else:
                good.append(d.id)
        job.check_strict("the count")
        return good

    def build(self, job: Job, plan) -> BuildResult:
        with staged_output(job.target) as stage:
            write_file(stage / "count.txt", f"{len(plan)} {job.options.label}\n")
            write_manifest(stage, {"count.txt": ""})
        return BuildResult(self.name, job.target, written=1)


ENTRY = importlib.metadata.EntryPoint("count", f"{__name__}:CountBuilder", registry.GROUP)


@pytest.fixture
def plugin(monkeypatch):
    """An installed package's entry point for CountBuilder, beside the toolkit's own."""
    real = importlib.metadata.entry_points

    def entry_points(**kw):
        found = list(real(**kw))
        return found + [ENTRY] if kw.get("group") == registry.GROUP else found
    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return ENTRY


def small_edition(tmp_path: Path, extra: str = "") -> Path:
    ed = tmp_path / "ed"
    (ed / "tei").mkdir(parents=True)
    for name in ("good-1", "bad-2", "good-3"):
        (ed / "tei" / f"{name}.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{name}"><teiHeader><fileDesc><titleStmt>'
            f'<title>{name}</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>'
            f'</sourceDesc></fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>', encoding="utf-8")
    (ed / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\n' + extra, encoding="utf-8")
    return ed


def test_a_plugin_is_listed_and_built_with_its_options(tmp_path, plugin):
    assert registry.names() == ["html", "pdf", "json", "count"]
    assert "count" in registry.defaults()
    assert registry.get("count") is CountBuilder
    ed = small_edition(tmp_path, '[count]\nlabel = "letters"\n')
    cfg = load_config(ed / "edition.toml")
    assert cfg.options("count") == CountOptions("letters")
    [r] = build(cfg, ["count"], report=None)
    # the shared policy: the failed document is an error diagnostic naming file:line:col, the
    # others are built, and the result says "built with errors" (exit status 1)
    assert (ed / "output" / "count" / "count.txt").read_text() == "2 letters\n"
    assert [(Path(d.path).name, d.line, d.column, d.message) for d in r.diagnostics] == \
        [("bad-2.xml", 3, 7, "cannot count bad-2")]
    assert r.ok and r.has_errors and "built with errors" in r.summary()


def test_strict_fails_a_plugin_build_before_anything_is_written(tmp_path, plugin):
    ed = small_edition(tmp_path)
    with pytest.raises(BuildError, match="--strict: 1 problem .* would degrade the count; nothing written"):
        build(load_config(ed / "edition.toml"), ["count"], report=None, strict=True)
    assert not (ed / "output" / "count").exists()


def test_a_plugins_table_is_checked_with_its_options(tmp_path, plugin):
    ed = small_edition(tmp_path, "[count]\nlabell = 1\n")
    with pytest.raises(ConfigError, match=r"edition.toml:4: unknown key\(s\) in \[count\]: labell; known: label"):
        load_config(ed / "edition.toml")
    ed2 = small_edition(tmp_path / "2", "[cuont]\n")
    with pytest.raises(ConfigError, match=r"unknown table \[cuont\]; known: .*\[html\], \[pdf\], \[json\], \[count\]"):
        load_config(ed2 / "edition.toml")


def test_the_cli_has_a_command_per_builder(tmp_path, plugin, monkeypatch):
    from toolkit.cli import main
    ed = small_edition(tmp_path)
    monkeypatch.chdir(ed)
    runner = CliRunner()
    r = runner.invoke(main, ["build", "--help"], obj={})
    assert r.exit_code == 0 and "count  Count the documents" in r.output
    r = runner.invoke(main, ["build", "count"], obj={})
    assert r.exit_code == 1, r.output  # built with errors: one document could not be counted
    assert (ed / "output" / "count" / "count.txt").read_text() == "2 documents\n"
    r = runner.invoke(main, ["build", "cuont"], obj={})
    assert r.exit_code == 2
    assert "unknown output 'cuont' (known: html, pdf, json, count)" in r.output


def test_an_unknown_output_is_a_usage_error_listing_the_known_ones(tmp_path):
    r = run_cli("build", "htlm", cwd=REPO)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unknown output 'htlm' (known: html, pdf, json)" in r.stderr
    with pytest.raises(BuildError, match=r"unknown output 'bogus' \(known: html, pdf, json\)"):
        build(load_config(REPO / "edition.toml"), ["bogus"], out=tmp_path / "x")


def test_a_plugin_cannot_take_a_builtin_name(monkeypatch):
    impostor = importlib.metadata.EntryPoint("html", f"{__name__}:CountBuilder", registry.GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [impostor] if kw.get("group") == registry.GROUP else [])
    with pytest.raises(BuildError, match="has the name of a built-in builder"):
        registry.names()
    assert registry.get("html").__module__ == "toolkit.outputs.html.build"  # the built-in stands


def test_a_broken_plugin_is_named(monkeypatch):
    broken = importlib.metadata.EntryPoint("broken", "no_such_module_here:Builder", registry.GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [broken] if kw.get("group") == registry.GROUP else [])
    with pytest.raises(BuildError, match="the builder 'broken' .* cannot be loaded: ModuleNotFoundError"):
        registry.get("broken")
    assert "broken" not in registry.option_classes()  # edition.toml is still read


def test_the_toolkit_declares_its_builders_as_entry_points():
    declared = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=registry.GROUP)}
    assert declared == registry.BUILTINS
    assert [registry.get(n).supports_incremental for n in ("html", "pdf", "json")] == [True, False, True]


def test_reading_the_builders_options_imports_no_builder():
    code = ("import sys; from toolkit.outputs import registry; c = registry.option_classes(); "
            "print(sorted(c), [m for m in ('saxonche', 'typst', 'toolkit.outputs.html.build', "
            "'toolkit.outputs.pdf', 'toolkit.outputs.data') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['html', 'json', 'pdf'] []"


def test_the_builders_options_are_documented():
    from toolkit.outputs.html_options import HtmlOptions
    from toolkit.outputs.json_options import JsonOptions
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for table, cls in (("html", HtmlOptions), ("json", JsonOptions)):
        assert f"[{table}]" in text
        for name in cls.__dataclass_fields__:
            assert f"`{name}`" in text, (table, name)


def test_html_search_index_from_edition_toml(tmp_path):
    ed = small_edition(tmp_path, "[html]\nsearch_index = false\n")
    r = run_cli("build", "html", cwd=ed)
    assert r.returncode == 0, r.stderr
    site = ed / "output" / "html"
    assert (site / "doc" / "good-1.html").is_file() and not (site / "pagefind").exists()


def test_strict_html_writes_nothing_when_a_page_would_degrade(tmp_path, monkeypatch):
    """The shared policy reaches HTML too: a page the stylesheet fails on fails a --strict build
    before the site is replaced (without --strict: a plain page and exit 1, test_passages)."""
    from test_passages import AUTHORITY, DOCS, FIXTURES, failing_stylesheet

    from toolkit.outputs.html import pool, stylesheets
    monkeypatch.setattr(stylesheets, "DOCUMENT_XSL", failing_stylesheet(tmp_path))
    monkeypatch.setattr(pool, "PARALLEL_MIN_DOCS", 10 ** 6)  # this process: the patch holds
    out = tmp_path / "site"
    cfg = load_config(REPO / "edition.toml")
    with pytest.raises(BuildError, match="--strict: 1 problem .* would degrade the site; nothing written"):
        build(cfg, ["html"], paths=[*DOCS, FIXTURES / "broken.xml"], out=out, authority=list(AUTHORITY), search_index=False,
              report=None, strict=True)
    assert not out.exists()


def test_strict_html_refuses_a_source_that_cannot_be_read(tmp_path):
    ed = small_edition(tmp_path)
    assert run_cli("build", "html", "--no-search", cwd=ed).returncode == 0
    site = ed / "output" / "html"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (ed / "tei" / "good-3.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><oops></TEI>", encoding="utf-8")
    r = run_cli("build", "html", "--no-search", "--strict", cwd=ed)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "--strict: 1 source file cannot be read (tei/good-3.xml:1:" in r.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
