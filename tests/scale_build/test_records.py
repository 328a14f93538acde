"""Issue #18, item 1 (the HTML build): a build reads each document into a record and lets its
tree go (toolkit/outputs/html/records.py); what it then knows of the documents — their facts,
their mentions with passages — is what the whole trees tell, and the site it makes is the same."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edition_copy, shared_path
from toolkit.config import load_config
from toolkit.model import Edition, canon
from toolkit.outputs import runner
from toolkit.outputs.base import BuildError
from toolkit.outputs.html import incremental, records
from toolkit.outputs.html.passages import Mentions

TEI_NS = "http://www.tei-c.org/ns/1.0"


def _richer(tmp_path: Path) -> Path:
    """The bundled edition with what a record must carry, and what it must leave to the model:
    a register in a document's back matter (its names describe, they do not mention), a name
    with two pointers and one that resolves to nothing, an xi:include, a teiCorpus and a
    malformed file."""
    ed = edition_copy(tmp_path)
    tei = ed / "tei"
    (ed / "parts").mkdir()
    (ed / "parts" / "part.xml").write_text(
        f'<div xmlns="{TEI_NS}"><p>Included: <persName ref="#stalin">Stalin</persName>.</p></div>\n',
        encoding="utf-8")
    doc = tei / "doc-1935-09-13.xml"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("</text>", '<back><listPerson><person xml:id="local-clerk"><persName>'
                        '<forename>Ivan</forename> <surname>Clerk</surname></persName></person>'
                        '<person><persName ref="persons.xml#molotov">Molotov</persName></person>'
                        '</listPerson></back></text>', 1)
    at = text.index("</p>", text.index("<body>"))
    text = text[:at] + ' <persName ref="#local-clerk #stalin">the clerk</persName>' \
        ' <persName ref="#nobody-at-all">someone</persName>' + text[at:]
    doc.write_text(text, encoding="utf-8")
    inc = tei / "doc-1935-10-03.xml"
    inc.write_text(inc.read_text(encoding="utf-8").replace(
        "</body>", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../parts/part.xml"/></body>', 1),
        encoding="utf-8")
    (tei / "doc-corpus.xml").write_text(
        f'<teiCorpus xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>C</title></titleStmt>'
        '</fileDesc></teiHeader><TEI xml:id="c1"><teiHeader><fileDesc><titleStmt><title>One</title>'
        '</titleStmt></fileDesc></teiHeader><text><body><p><persName ref="persons.xml#stalin">S</persName>'
        '</p></body></text></TEI></teiCorpus>\n', encoding="utf-8")
    (tei / "doc-broken.xml").write_text(f'<TEI xmlns="{TEI_NS}"><text><body><p>unclosed</body></text></TEI>\n',
                                        encoding="utf-8")
    return ed


def _both(config, paths=(), authority=()):
    """The model of whole trees (what a build read before) and the build's model of records."""
    whole = runner.load_for_build(config, list(paths), list(authority), {}, None, reuse=False)
    compact = runner.load_for_build(config, list(paths), list(authority), {}, None, reuse=False, compact=True)
    return whole, compact


def _mentions(ed: Edition) -> dict:
    read = ed.records if ed.records is not None else records.Records()
    sources = incremental.Sources(ed, {}, read.facts)
    m = Mentions(ed, sources, {}, read.names)
    return {d.id: (m.of(d), m.registered(d)) for d in ed.documents}


def _file_facts(ed: Edition) -> dict:
    read = ed.records if ed.records is not None else records.Records()
    sources = incremental.Sources(ed, {}, read.facts)
    return {d.id: sources.file_facts(d, "page", "source") for d in ed.documents}


def test_the_build_keeps_no_document_tree_but_of_those_the_model_must_read(tmp_path):
    ed = _richer(tmp_path)
    whole, compact = _both(load_config(start=ed))
    light = {Path(p).name for p, src in compact.files.items() if src.light}
    docs = {Path(p).name for p, src in compact.files.items() if compact.role(p) == "document"}
    # every plain document stands in; the included one, the corpus (and its member), the
    # malformed file are read whole, as before
    assert light == docs - {"doc-1935-10-03.xml", "doc-corpus.xml", "doc-corpus.xml#1", "doc-broken.xml"}
    assert len(light) == 10
    assert not any(src.light for src in whole.files.values())
    # the entity of the register is a copy: no tree of a stand-in stays alive through it
    clerk = compact.entities["local-clerk"]
    assert clerk.element.getparent() is None and clerk.line > 0
    assert clerk.line == whole.entities["local-clerk"].line
    assert [vars(d) for d in compact.documents] == [vars(d) for d in whole.documents]
    assert [d.path for d in compact.files[canon(ed / "tei" / "doc-broken.xml")].diagnostics] \
        == [d.path for d in whole.files[canon(ed / "tei" / "doc-broken.xml")].diagnostics]


def test_mentions_and_file_facts_from_records_are_those_of_the_trees(tmp_path):
    ed = _richer(tmp_path)
    whole, compact = _both(load_config(start=ed))
    assert compact.records.names  # the records' path is the one compared
    got, want = _mentions(compact), _mentions(whole)
    assert got == want
    first = next(d.id for d in whole.documents if d.file.name == "doc-1935-09-13.xml")
    ids = [eid for eid, _, _ in want[first][0]]
    assert "local-clerk" in ids and "stalin" in ids and "nobody-at-all" not in ids
    assert want[first][1] == ["molotov"]  # the register's name: registered, not a mention
    facts_got, facts_want = _file_facts(compact), _file_facts(whole)
    for doc_id, facts in facts_want.items():
        if facts is not None and "included" not in facts:
            assert facts_got[doc_id] == facts, doc_id


def test_mentions_from_records_of_a_real_corpus_are_those_of_the_trees(tmp_path):
    letters = shared_path("corpora", "letters")
    config = load_config(start=tmp_path)
    whole, compact = _both(config, [letters / "editions"], [letters / "indices" / "listperson.xml",
                                                             letters / "indices" / "listplace.xml"])
    assert len(compact.records.names) == len(whole.documents)
    assert _mentions(compact) == _mentions(whole)


def test_records_read_by_workers_are_those_read_here(tmp_path, monkeypatch):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from _common import replicate_edition
    ed = replicate_edition(tmp_path / "ed", 3 * records.CHUNK)
    config = load_config(start=ed)
    paths = [str(canon(p)) for p in config.source_files() if p.name.startswith("doc-")]
    forks = []
    import multiprocessing
    get_context = multiprocessing.get_context

    def counting(kind):
        forks.append(kind)
        return get_context(kind)
    monkeypatch.setattr(multiprocessing, "get_context", counting)
    monkeypatch.setattr(records.workers, "wanted", lambda docs, size: True)
    # (the suite may have started Saxon in this process: the readers never call it)
    monkeypatch.setattr(records.workers.Pool, "can_fork", staticmethod(lambda shown: True))
    by_workers = dict(records.read_all(config, paths))  # (as they come)
    assert forks == ["fork"]
    monkeypatch.setattr(records.workers, "wanted", lambda docs, size: False)
    here = dict(records.read_all(config, paths))
    for rec in (*by_workers.values(), *here.values()):  # (a file written within the last 2 s:
        rec["facts"].pop("stat", None)                   # its stat is trusted by the later read)
    assert by_workers == here and all(here.values())


def test_a_document_changed_after_its_record_is_not_published_from_the_record(tmp_path):
    ed = _richer(tmp_path)
    compact = runner.load_for_build(load_config(start=ed), [], [], {}, None, reuse=False, compact=True)
    d = next(d for d in compact.documents if d.file.name == "doc-1936-02-07.xml")
    src = compact.files[canon(d.file)]
    d.file.write_text(d.file.read_text(encoding="utf-8").replace("</body>", "<p>added</p></body>", 1),
                      encoding="utf-8")
    sources = incremental.Sources(compact, {}, compact.records.facts)
    with pytest.raises(BuildError, match="changed while building"):
        sources.full_tree(d)
    with pytest.raises(BuildError, match="changed while building"):
        src.data  # noqa: B018  (its TEI copy: the bytes recorded, or none)


def test_the_page_maker_holds_one_parsed_document_at_a_time(tmp_path, monkeypatch):
    ed = _richer(tmp_path)
    compact = runner.load_for_build(load_config(start=ed), [], [], {}, None, reuse=False, compact=True)
    sources = incremental.Sources(compact, {}, compact.records.facts)
    docs = [d for d in compact.documents if compact.files[canon(d.file)].light]
    parsed = []
    real = incremental.parse_file
    monkeypatch.setattr(incremental, "parse_file", lambda p, *a: parsed.append(Path(p).name) or real(p, *a))
    sources.full_tree(docs[0])
    sources.full_tree(docs[0])  # (its page, then its plain page should the stylesheet fail)
    sources.full_tree(docs[1])
    sources.full_tree(docs[0])  # let go: read again
    assert parsed == [docs[0].file.name, docs[1].file.name, docs[0].file.name]


def test_a_full_build_from_records_publishes_what_a_build_of_trees_publishes(tmp_path, monkeypatch):
    ed = _richer(tmp_path)
    config = load_config(start=ed)
    sites = {}
    real = runner.load_for_build
    for mode in ("records", "trees"):
        if mode == "trees":
            monkeypatch.setattr(runner, "load_for_build",
                                lambda *a, **k: real(*a, **{**k, "compact": False}))
        out = tmp_path / f"out-{mode}"
        runner.build(config, ["html"], out=out, full=True, search_index=False, report=None)
        sites[mode] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                       if p.is_file() and p.name != ".edition-build.json"}
    assert sites["records"].keys() == sites["trees"].keys()
    assert [k for k in sites["records"] if sites["records"][k] != sites["trees"][k]] == []
    page = sites["records"]["entity/stalin.html"].decode()
    assert "doc-1935-10-03" in page and "doc-1935-09-13" in page  # included part, record


def test_site_pages_in_small_blocks_are_the_pages_of_one_block(tmp_path, monkeypatch):
    """The site pages go to site.xsl in blocks of bounded size (site.BLOCK_CHARS), in the
    workers and in this process: any cut gives the same pages, and no block is larger than the
    limit but by one page."""
    from toolkit.outputs.html import pool, site
    ed = _richer(tmp_path)
    config = load_config(start=ed)
    sizes = []
    real_blocks = site.SitePages.blocks

    def recorded(self, todo, shares=1, limit=None):
        for text, n in real_blocks(self, todo, shares, limit):
            sizes.append((len(text), n))
            yield text, n
    monkeypatch.setattr(site.SitePages, "blocks", recorded)
    outs = {}
    for mode, chars, min_site in (("one", 10**9, 10**9), ("small", 3000, 10**9), ("workers", 3000, 1)):
        monkeypatch.setattr(site, "BLOCK_CHARS", chars)
        monkeypatch.setattr(pool, "PARALLEL_MIN_SITE_PAGES", min_site)
        monkeypatch.setattr(pool, "PARALLEL_MIN_DOCS", 1)
        sizes.clear()
        out = tmp_path / f"out-{mode}"
        runner.build(config, ["html"], out=out, full=True, search_index=False, report=None)
        outs[mode] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                      if p.is_file() and p.name != ".edition-build.json"}
        if mode == "one":
            assert len(sizes) == 1
        else:
            assert len(sizes) > 20 and all(n == 1 or size < chars + 60_000 for size, n in sizes), sizes
    assert outs["small"] == outs["one"]
    assert outs["workers"] == outs["one"]


def test_a_full_build_reads_the_last_builds_state_only_for_a_document_it_cannot_read(tmp_path, monkeypatch):
    """The state of a large edition is big (every file's facts, every mention): a full build
    needs it only to keep the last good page of a document that cannot be read now."""
    ed = _richer(tmp_path)
    broken = ed / "tei" / "doc-broken.xml"
    broken.unlink()
    config = load_config(start=ed)
    out = tmp_path / "out"
    runner.build(config, ["html"], out=out, full=True, search_index=False, report=None)
    reads = []
    real = incremental.load_known  # the file facts of the last build (its store)
    monkeypatch.setattr(incremental, "load_known", lambda target: reads.append(target) or real(target))
    runner.build(config, ["html"], out=out, full=True, search_index=False, report=None)
    assert reads == []
    doc = ed / "tei" / "doc-1936-02-07.xml"
    page = out / "doc" / "doc-1936-02-07.html"
    assert page.is_file()
    doc.write_text(doc.read_text(encoding="utf-8").replace("</body>", "<p>unclosed</body>", 1), encoding="utf-8")
    runner.build(config, ["html"], out=out, full=True, search_index=False, report=lambda diags: None)
    assert set(reads) == {out} and page.is_file()  # its last good page kept, from the state
