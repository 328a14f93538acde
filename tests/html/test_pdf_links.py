"""#14 item 7: the site links the PDFs: each document page its own beside the TEI download, the
home page the volume under the names the PDF build gave it (toolkit/outputs/pdf_volumes.py);
none without [html] pdf_url. The volume's names are read from the PDF output's manifest, which
is a file in a folder a user may edit: anything but plain file names is ignored."""
from __future__ import annotations

import json

import pytest

from conftest import REPO, edition_copy, html_page
from toolkit.outputs.pdf_volumes import DEFAULT, published_volumes

DOC = "doc/doc-1937-06-14.html"


def build_html(ed, out):
    from toolkit.config import load_config
    from toolkit.outputs.runner import build
    [r] = build(load_config(ed / "edition.toml"), ["html"], out=out, search_index=False)
    assert r.ok, r.summary()
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_html(REPO, tmp_path_factory.mktemp("pdf-links") / "html")


def test_bundled_edition_links_each_document_pdf_and_the_volume(site):
    [a] = html_page(site / DOC).xpath("//ul[@class='doc-tools']//a[@type='application/pdf']")
    assert a.get("href") == "../../pdf/doc-1937-06-14.pdf"
    # beside the TEI download
    assert html_page(site / DOC).xpath(
        "//ul[@class='doc-tools'][.//a[@type='application/pdf']]//a[contains(@href, '.xml')]")
    [vol] = html_page(site / "index.html").xpath("//li[@class='home-pdf']/a")
    assert vol.get("href") == "../pdf/edition.pdf" and vol.get("type") == "application/pdf"


def test_no_pdf_links_without_pdf_url(tmp_path):
    ed = edition_copy(tmp_path)
    toml = ed / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('pdf_url = "../pdf/"', 'pdf_url = ""'),
                    encoding="utf-8")
    out = build_html(ed, tmp_path / "out" / "html")
    assert not html_page(out / DOC).xpath("//a[@type='application/pdf']")
    assert not html_page(out / "index.html").xpath("//a[@type='application/pdf']")


@pytest.mark.parametrize("volumes", [
    ["../../etc/passwd.pdf"], ["/abs.pdf"], ["a b.pdf"], ["<script>.pdf"], ["x.html"], [],
    "edition-1.pdf", [1, 2], None, ["edition-1.pdf", "../x.pdf"]])
def test_hostile_manifest_volumes_are_ignored(tmp_path, volumes):
    (tmp_path / ".edition-build.json").write_text(json.dumps({"pages": {}, "volumes": volumes}))
    assert published_volumes(tmp_path) == DEFAULT


def test_manifest_volumes_are_read(tmp_path):
    (tmp_path / ".edition-build.json").write_text(json.dumps(
        {"pages": {}, "volumes": ["edition-1.pdf", "edition-2.pdf"]}))
    assert published_volumes(tmp_path) == ("edition-1.pdf", "edition-2.pdf")
    assert published_volumes(tmp_path / "absent") == DEFAULT
    (tmp_path / ".edition-build.json").write_text("{not json")
    assert published_volumes(tmp_path) == DEFAULT


def test_incremental_build_follows_the_volume_names_and_pdf_url(tmp_path):
    """A PDF build that splits the volume (or a changed pdf_url) changes the pages that link
    it, though no source changed: the pages' fingerprints include them."""
    ed = edition_copy(tmp_path)
    out = build_html(ed, tmp_path / "out" / "html")
    (tmp_path / "out" / "pdf").mkdir()
    (tmp_path / "out" / "pdf" / ".edition-build.json").write_text(json.dumps(
        {"pages": {}, "volumes": ["edition-1.pdf", "edition-2.pdf"]}))
    build_html(ed, out)
    links = html_page(out / "index.html").xpath("//li[@class='home-pdf']/a/@href")
    assert links == ["../pdf/edition-1.pdf", "../pdf/edition-2.pdf"]
    toml = ed / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('pdf_url = "../pdf/"',
                                                            'pdf_url = "https://pdf.example.org/x/"'))
    build_html(ed, out)
    [a] = html_page(out / DOC).xpath("//a[@type='application/pdf']")
    assert a.get("href") == "https://pdf.example.org/x/doc-1937-06-14.pdf"
