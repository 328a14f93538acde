"""Any TEI: the real corpora in ../shared build into readable pages, and every built page is valid
HTML5 according to the Nu HTML Checker (vnu.jar from npm, installed by
scripts/install-system-deps.sh into tests/.node)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lhtml

from toolkit.outputs.runner import build
from toolkit.config import load_config
from toolkit.model import text_of
from toolkit.xmlsafe import TEI_NS, parse_file

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPORA = SHARED / "corpora"
VNU = REPO / "tests" / ".node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
T = "{%s}" % TEI_NS

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")


def vnu_errors(folder: Path) -> list[str]:
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip("vnu.jar or java missing: run scripts/install-system-deps.sh")
    pages = [str(p) for p in folder.rglob("*.html") if "pagefind" not in p.parts]
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
            for m in messages if m.get("type") == "error"]


def build_adhoc(paths, out: Path, authority=()):
    cfg = load_config(REPO / "edition.toml")
    [r] = build(cfg, ["html"], paths=list(paths), out=out, authority=list(authority))
    assert r.ok, r.summary()
    return r


def check_pages(files: list[Path], out: Path):
    """Each well-formed file has a page containing (a sample of) its text; entity links resolve."""
    pages = {p.name: p for p in (out / "doc").glob("*.html")}
    assert len(pages) >= len(files)
    for f in files:
        src = parse_file(f)
        if not src.ok:
            continue
        root = src.root
        ident = root.get("{http://www.w3.org/XML/1998/namespace}id") or f.stem
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.") + ".html"
        assert name in pages, f
        doc = lhtml.parse(str(pages[name])).getroot()
        links = doc.xpath("//a[contains(@class, 'entity')]")
        for marker in doc.xpath("//sup[@class='note-ref'] | //*[contains(@class, 'tei-pb')]"):
            marker.drop_tree()  # note numbers and page numbers sit between words
        shown = re.sub(r"\s+", "", doc.text_content())
        body = root.find(f".//{T}text")
        sample = ""
        for p in body.iter(T + "p", T + "l", T + "ab", T + "head") if body is not None else []:
            sample = text_of(p)
            if len(sample) > 12:
                break
        words = [w for w in re.findall(r"\w{4,}", sample)][:6]
        for w in words:
            assert w in shown, (f, w)  # whitespace ignored: line breaks are spaces or <br>
        ids = set(doc.xpath("//@id"))
        for a in links:
            href = a.get("href")
            if href.startswith("#"):  # an in-page link: an element of the document's own text
                assert href[1:] in ids, (f, href)
            else:
                assert (pages[name].parent / href).resolve().is_file(), (f, href)


@needs_shared
def test_letters_with_their_indices(tmp_path):
    letters = CORPORA / "letters"
    files = sorted((letters / "editions").glob("*.xml"))
    auth = [letters / "indices" / n for n in ("listperson.xml", "listplace.xml", "listorg.xml")]
    build_adhoc([letters / "editions"], tmp_path / "site", auth)
    check_pages(files, tmp_path / "site")
    links = 0
    for p in (tmp_path / "site" / "doc").glob("*.html"):
        links += len(lhtml.parse(str(p)).getroot().xpath("//a[contains(@class, 'entity')]"))
    assert links > 100  # persons and places of the letters link to their pages
    assert (tmp_path / "site" / "entity").is_dir()
    assert vnu_errors(tmp_path / "site") == []


@needs_shared
@pytest.mark.parametrize("corpus", ["frus-history", "teic"])
def test_corpus_builds_readable_valid_pages(tmp_path, corpus):
    folder = CORPORA / corpus
    files = sorted(folder.glob("*.xml"))
    build_adhoc([folder], tmp_path / "site")
    docs = [f for f in files if parse_file(f).ok]
    check_pages(docs, tmp_path / "site")
    assert vnu_errors(tmp_path / "site") == []


@needs_shared
def test_eltec_sample(tmp_path):
    novels = sorted((CORPORA / "eltec" / "ELTeC-eng" / "level1").glob("*.xml"))[:4]
    build_adhoc(novels, tmp_path / "site")
    check_pages(novels, tmp_path / "site")
    assert vnu_errors(tmp_path / "site") == []


def test_bundled_edition_and_fixtures_are_valid_html(tmp_path):
    cfg = load_config(REPO / "edition.toml")
    [r] = build(cfg, ["html"], out=tmp_path / "site")
    assert vnu_errors(tmp_path / "site") == []
    build_adhoc([REPO / "tests" / "fixtures" / "html"], tmp_path / "fixtures")
    assert vnu_errors(tmp_path / "fixtures") == []
