"""The PDF build on a Dask cluster (toolkit/outputs/pdf_engine.py): the bundled edition, and
documents Typst fails on or lacks glyphs for, typeset by a local cluster of two worker processes
are the local build's PDFs byte for byte, with the same findings; the engine chosen but not
installed is a usage error."""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, assert_same_files, tei_doc

from toolkit.config import Config, load_config
from toolkit.outputs.base import BuildError
from toolkit.outputs.engine import Distribution
from toolkit.outputs.runner import build

EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    # started before the tests set SOURCE_DATE_EPOCH: the workers' environment has none, the PDFs'
    # date must come from the build's machine
    env = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        c = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                     host="127.0.0.1", dashboard_address=None)
    finally:
        if env is not None:
            os.environ["SOURCE_DATE_EPOCH"] = env
    with c:
        yield c


def typeset_tasks(cluster) -> int:
    """Compiles the cluster finished (tasks of pdf_engine.worker_typeset that reached memory)."""
    prefix = cluster.scheduler.task_prefixes.get("worker_typeset")
    return 0 if prefix is None else prefix.state_counts["memory"]


def test_two_worker_cluster_typesets_the_local_pdfs(tmp_path, cluster, monkeypatch):
    """Every file of output/pdf (per-document PDFs, the volume, the manifest), byte for byte;
    the documents' PDFs and the volume were typeset by the cluster, by both workers."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    cfg = load_config(REPO / "edition.toml")
    before = typeset_tasks(cluster)
    [local] = build(cfg, ["pdf"], out=tmp_path / "local")
    [dask] = build(cfg, ["pdf"], out=tmp_path / "dask", dist=Distribution("dask", cluster.scheduler_address))
    assert local.ok and dask.ok and not dask.has_errors, dask.summary()
    assert dask.written == local.written == 12
    assert_same_files(tmp_path / "local", tmp_path / "dask")
    assert typeset_tasks(cluster) - before >= 12  # 11 documents and the volume
    from distributed import Client
    with Client(cluster) as client:  # each worker set the build up, once, in its own folder
        scratch = client.run(lambda: [s for _, s in __import__("toolkit.outputs.pdf_engine").outputs.pdf_engine._state.values()])
        folders = client.run(lambda dask_worker: dask_worker.local_directory)
    assert sorted(map(len, scratch.values())) == [1, 1]
    # (Dask removes a worker's folder when it closes: a worker process runs no atexit handlers)
    assert all(Path(s).parent == Path(folders[w]) for w, [s] in scratch.items())
    info = PdfReader(io.BytesIO((tmp_path / "dask" / "doc-1945-07.pdf").read_bytes())).metadata
    assert int(info.creation_date.timestamp()) == EPOCH  # the build's date, not the workers'


# Typst fails on the first (show rules nested too deep): its PDF is plain text; no font has the
# characters of the second: placeholders, each reported with its line
HARD = {"deephi": "<p>" + "<hi rend='italic'>" * 90 + "DEEP-TEXT" + "</hi>" * 90 + " after.</p>",
        "glyph": "<p>Vithkuqi \U00010570 and a Toto letter \U0001E290 here.</p>",
        "good": "<p>The good document.</p>"}


def test_documents_typst_fails_on_degrade_as_locally(tmp_path, cluster, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    src = tmp_path / "src"
    src.mkdir()
    paths = []
    for name, body in HARD.items():
        paths.append(src / f"{name}.xml")
        paths[-1].write_text(tei_doc(name, body), encoding="utf-8")
    found = {}
    for how, dist in (("local", None), ("dask", Distribution("dask", cluster.scheduler_address))):
        diags: list = []
        [r] = build(Config(root=tmp_path), ["pdf"], paths=paths, out=tmp_path / how,
                    report=diags.extend, dist=dist)
        assert r.ok and r.has_errors
        found[how] = [(Path(d.path).name, d.line, d.rule, d.message) for d in diags]
    assert found["dask"] == found["local"]
    assert [f[:3] for f in found["local"]] == [("glyph.xml", 9, "pdf.glyph"), ("glyph.xml", 9, "pdf.glyph"),
                                              ("deephi.xml", 0, "pdf.typeset")]
    assert "maximum show rule depth exceeded" in found["dask"][2][3]
    assert_same_files(tmp_path / "local", tmp_path / "dask")
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(tmp_path / "dask" / "deephi.pdf")).pages)
    assert "Typst could not typeset this document" in " ".join(text.split())


def test_template_fonts_and_plates_travel_to_the_workers(tmp_path, cluster, monkeypatch):
    """What a worker has no copy of — the edition's [pdf] template, its own fonts, the facsimile
    plates — goes with the build's setup and with each compile: the PDFs are the local ones."""
    sys.path.insert(0, str(REPO / "tests" / "html"))
    try:
        from facsimile_support import TOML, facsimile_edition
    finally:
        sys.path.pop(0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    toml = TOML + ('[pdf]\nfacsimiles = "plates"\ntemplate = "typst/custom.typ"\n'
                   'font_paths = ["fonts"]\nfonts = ["DejaVu Sans Mono"]\n')
    root = facsimile_edition(tmp_path / "ed", toml=toml)
    (root / "typst").mkdir()
    (root / "typst" / "custom.typ").write_text('#import "/edition.typ": *\n', encoding="utf-8")
    mono = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    if not mono.is_file():
        pytest.skip("DejaVu Sans Mono is not installed")
    (root / "fonts").mkdir()
    (root / "fonts" / "Mono.ttf").write_bytes(mono.read_bytes())
    cfg = load_config(root / "edition.toml")
    [local] = build(cfg, ["pdf"], out=tmp_path / "local")
    [dask] = build(cfg, ["pdf"], out=tmp_path / "dask", dist=Distribution("dask", cluster.scheduler_address))
    assert local.ok and dask.ok and not dask.has_errors, dask.summary()
    assert_same_files(tmp_path / "local", tmp_path / "dask")
    reader = PdfReader(str(tmp_path / "dask" / "d1.pdf"))
    assert sum(len(p.images) for p in reader.pages) == 2  # the two local page images, as plates
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()
             if "/BaseFont" in f.get_object()}
    assert any("DejaVuSansMono" in f for f in fonts), fonts


def test_shards_typeset_on_the_cluster_merge_into_the_local_pdfs(tmp_path, cluster, monkeypatch):
    """--shard with --engine dask, sources sent ahead two at a time (pdf_engine.AHEAD), then the
    merge: the local build's files."""
    from toolkit.outputs import pdf_engine
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.setattr(pdf_engine, "AHEAD", 2)
    cfg = load_config(REPO / "edition.toml")
    [local] = build(cfg, ["pdf"], out=tmp_path / "local")
    before = typeset_tasks(cluster)
    for i in (1, 2):
        [r] = build(cfg, ["pdf"], out=tmp_path / f"s{i}",
                    dist=Distribution("dask", cluster.scheduler_address, shard=(i, 2)))
        assert r.ok and not r.has_errors, r.summary()
    assert typeset_tasks(cluster) - before == 11  # each document once, by the cluster
    [merged] = build(cfg, ["pdf"], out=tmp_path / "merged", dist=Distribution(merge=(tmp_path / "s1", tmp_path / "s2")))
    assert merged.ok and not merged.has_errors, merged.summary()
    assert_same_files(tmp_path / "local", tmp_path / "merged")


def _other_fonts(same: bool) -> None:
    """(Run in each worker:) make its system fonts look other than the main process's, as a
    fresh worker (no build set up) would see them."""
    import shutil
    from toolkit.outputs import pdf_engine
    for _, scratch in pdf_engine._state.values():
        shutil.rmtree(scratch, ignore_errors=True)
    pdf_engine._state.clear()
    if same:
        pdf_engine.system_fonts = pdf_engine._real_system_fonts
    else:
        pdf_engine._real_system_fonts = pdf_engine.system_fonts
        pdf_engine.system_fonts = lambda dirs: "other"


def test_a_worker_with_other_fonts_refuses_the_build(tmp_path, cluster, monkeypatch):
    """Other fonts would make other PDFs: the build stops, saying why, and writes nothing."""
    from distributed import Client
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    out = tmp_path / "pdf"
    with Client(cluster) as client:
        client.run(_other_fonts, False)
        try:
            with pytest.raises(BuildError) as e:
                build(load_config(REPO / "edition.toml"), ["pdf"], out=out,
                      dist=Distribution("dask", cluster.scheduler_address))
        finally:
            client.run(_other_fonts, True)
    assert "a Dask worker cannot typeset this build: the fonts in" in str(e.value)
    assert "install the same font packages on every worker" in str(e.value)
    assert not out.exists()


def test_the_setup_reads_nothing_that_leads_out_of_an_edition_font_folder(tmp_path):
    """An edition's font folder (untrusted) with links to a file and a folder outside: the
    build's setup, sent to every worker, carries its own fonts only."""
    from types import SimpleNamespace
    from toolkit.outputs.pdf import PDF_DIR
    from toolkit.outputs.pdf_engine import make_setup
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key.ttf").write_bytes(b"SECRET")
    fonts = tmp_path / "ed" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "own.ttf").write_bytes(b"OWN")
    (fonts / "link.ttf").symlink_to(tmp_path / "secret" / "key.ttf")
    (fonts / "dir").symlink_to(tmp_path / "secret", target_is_directory=True)
    setter = SimpleNamespace(root=None, font_paths=[str(fonts)], standards=[], timestamp=EPOCH, families={})
    setup = make_setup(setter, PDF_DIR, [])
    assert setup.fonts == [{"own.ttf": b"OWN"}]
    assert "edition.typ" in setup.root
