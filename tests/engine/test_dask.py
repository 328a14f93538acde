"""The Dask engine (toolkit/outputs/engine.py): the bundled edition built on a local cluster of two
worker processes is the local build, byte for byte; the engine chosen but not installed is a
usage error without a traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, assert_same_files, run_cli

from toolkit.config import load_config
from toolkit.outputs.engine import Distribution
from toolkit.outputs.runner import build


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as c:
        yield c


def test_two_worker_cluster_builds_the_local_site(tmp_path, cluster):
    """Every file of output/html, byte for byte (the search index left out: Pagefind's bundle
    differs between any two builds, local ones too); the pages were made by both workers."""
    cfg = load_config(REPO / "edition.toml")
    [local] = build(cfg, ["html"], out=tmp_path / "local", full=True, search_index=False)
    [dask] = build(cfg, ["html"], out=tmp_path / "dask", full=True, search_index=False,
                   dist=Distribution("dask", cluster.scheduler_address))
    assert local.ok and dask.ok and not dask.has_errors, dask.summary()
    assert dask.written == local.written > 11
    assert_same_files(tmp_path / "local", tmp_path / "dask")
    prefix = cluster.scheduler.task_prefixes["dask_render"]  # (Dask drops the leading "_")
    assert sum(prefix.state_counts.values()) >= 11  # the 11 documents went to the cluster
    from distributed import Client
    with Client(cluster) as client:  # each worker compiled the stylesheet once (the plug-in)
        compiled = client.run(lambda: len(__import__("toolkit.outputs.engine").outputs.engine._dask_state))
    assert sorted(compiled.values()) == [1, 1]


def _use_stylesheet(path: str) -> None:
    """(Run in each worker:) the document stylesheet the next build's plug-in compiles."""
    from pathlib import Path
    from toolkit.outputs.html import stylesheets
    stylesheets.DOCUMENT_XSL = Path(path)


def test_pages_the_stylesheet_fails_on_fall_back_as_locally(tmp_path, cluster):
    """A Saxon error in a worker: the page is the plain one with the document's text, the error
    reported with the file, the rest of the site made (exit status 1), as in the local build."""
    from distributed import Client
    from test_passages import AUTHORITY, DOCS, FIXTURES, check_plain_page, failing_stylesheet
    from toolkit.outputs.html import stylesheets
    xsl = failing_stylesheet(tmp_path)
    diags: list = []
    with Client(cluster) as client:
        client.run(_use_stylesheet, str(xsl))
        try:
            [r] = build(load_config(REPO / "edition.toml"), ["html"], paths=[*DOCS, FIXTURES / "broken.xml"],
                        out=tmp_path / "site", authority=AUTHORITY, search_index=False, report=diags.extend,
                        dist=Distribution("dask", cluster.scheduler_address))
        finally:
            client.run(_use_stylesheet, str(stylesheets.DOCUMENT_XSL))
    assert r.ok and r.has_errors
    [d] = [d for d in diags if d.rule == "build.render"]
    assert d.path.endswith("broken.xml") and "this document breaks the stylesheet" in d.message
    check_plain_page(tmp_path / "site")


@pytest.mark.parametrize("builder", ["html", "pdf"])
def test_engine_chosen_but_not_installed(tmp_path, builder):
    """--engine dask without the extra (the HTML and the PDF build): one line saying what to install, exit status 2, nothing
    written, no traceback."""
    fake = tmp_path / "fake"
    (fake / "distributed").mkdir(parents=True)
    (fake / "distributed" / "__init__.py").write_text("raise ImportError(\"No module named 'distributed'\")\n")
    out = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake), str(REPO)])}
    r = subprocess.run([sys.executable, "-m", "toolkit.cli", "build", builder, "--engine", "dask",
                        "--out", str(out)], cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "the engine 'dask' is not installed: install it with pip install 'tei-edition-toolkit[dask]'" in r.stderr
    assert not out.exists()


def test_scheduler_needs_the_dask_engine(tmp_path):
    r = run_cli("build", "html", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "s"))
    assert r.returncode == 2 and "--scheduler and --workers are for --engine dask" in r.stderr
    assert "Traceback" not in r.stderr
