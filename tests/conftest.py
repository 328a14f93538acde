"""Shared test helpers: paths, the shared/ corpora (skipped with a reason when absent), CLI runs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEI = REPO / "tei"

# A test may use another feature folder's helpers (`from test_passages import DOCS`): every
# feature folder is importable, whichever folders a run collects (pytest tests/outputs alone too).
for _folder in sorted(Path(__file__).resolve().parent.iterdir()):
    if _folder.is_dir() and _folder.name[0] not in "._" and _folder.name != "fixtures" \
            and str(_folder) not in sys.path:
        sys.path.append(str(_folder))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when that folder is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): corpus/schema data not available")
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent from ../shared")
    return p



def edition_copy(tmp_path: Path, name: str = "ed") -> Path:
    """A throw-away copy of the bundled edition (documents, authority files, schemas,
    configuration) for tests that change or break it."""
    import shutil
    ed = tmp_path / name
    shutil.copytree(REPO / "tei", ed / "tei")
    shutil.copytree(REPO / "schema", ed / "schema")
    shutil.copy(REPO / "edition.toml", ed / "edition.toml")
    return ed

def add_options(toml: Path, table: str, lines: str) -> None:
    """Add `lines` (key = value lines) to [table] of an edition.toml: into the table when the
    file has it (the bundled edition sets some [html] options), else as a new table at the end."""
    text = toml.read_text(encoding="utf-8")
    header = f"\n[{table}]\n"
    if header in "\n" + text:
        at = ("\n" + text).index(header) - 1 + len(header)
        text = text[:at] + lines.rstrip("\n") + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + f"\n{header}{lines.rstrip(chr(10))}\n"
    toml.write_text(text, encoding="utf-8")


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `edition` command in a subprocess (exit codes, stderr, no tracebacks)."""
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd or REPO,
                          capture_output=True, text=True, input=input, timeout=600)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The toolkit's cache folder (build state, compiled Schematron) in the session's tmp folder:
    the tests neither read the user's nor leave hundreds of build states in it."""
    import os
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    # the TEI schema download ([schemas] fetch = "auto") goes to a closed loopback port, never out
    os.environ.setdefault("EDITION_TEI_BASE", "http://127.0.0.1:9/")
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session", autouse=True)
def _contexts_follow_their_schema():
    """Every context document the toolkit makes in this session (in this process, and in the
    worker processes it forks) is validated against xslt/lib/context.rng: a context that breaks
    the schema fails the test that made it."""
    from lxml import etree
    from toolkit import context
    schema = etree.RelaxNG(etree.parse(str(context.SCHEMA)))

    def check(tree):
        if not schema.validate(tree):
            raise AssertionError(f"a context breaks {context.SCHEMA.name}: {schema.error_log}")
    old = context.check
    context.check = check
    yield
    context.check = old


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, a test may skip only because ../shared is absent: a missing tool (chromium, vnu,
    axe-core, pdftoppm) means a broken set-up there, so such a skip is reported as a failure."""
    import os
    outcome = yield
    rep = outcome.get_result()
    if os.environ.get("CI") and rep.skipped and not hasattr(rep, "wasxfail"):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        if "shared" not in reason:
            rep.outcome = "failed"
            rep.longrepr = f"skipped in CI, where the test set-up must be complete: {reason}"


# -- built pages (HTML tests) --------------------------------------------------------------------
def build_site(out: Path, paths=None, authority=(), search: bool = True) -> Path:
    """Build the HTML site of the bundled edition, or of the given files ad hoc (with the given
    authority files), into `out`; fails the test unless the build is ok."""
    from toolkit.outputs.runner import build
    from toolkit.config import load_config
    kw = {"paths": list(paths), "authority": list(authority)} if paths else {}
    [r] = build(load_config(REPO / "edition.toml"), ["html"], out=out, search_index=search, **kw)
    assert r.ok, r.summary()
    return out


def html_page(path: Path):
    """A built page, parsed (lxml.html root element)."""
    from lxml import html as lhtml
    return lhtml.parse(str(path)).getroot()


def norm_text(el) -> str:
    """An element's text, white space collapsed."""
    return " ".join(el.text_content().split())


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def tei_doc(doc_id: str, body: str, title: str | None = None) -> str:
    """A minimal TEI document (a title, a creation date, `body` in <body>) for the build tests."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{doc_id}" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>{title or 'Document ' + doc_id}</title></titleStmt>
    <publicationStmt><p>Made by the tests.</p></publicationStmt>
    <sourceDesc><p>Test.</p></sourceDesc></fileDesc>
    <profileDesc><creation><date when="1950-01-0{len(doc_id) % 9 + 1}"/></creation></profileDesc>
  </teiHeader>
  <text><body>
{body}
  </body></text>
</TEI>
"""


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file of a built output folder, by its path inside it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_files(a: Path, b: Path) -> None:
    """Two output folders hold the same files, byte for byte (the differing ones named)."""
    fa, fb = tree_files(a), tree_files(b)
    assert sorted(fa) == sorted(fb)
    assert [k for k in fa if fa[k] != fb[k]] == []
