"""Symbolic links, devices and FIFOs among an edition's files (issue #10, item 8): only regular
files are read, with a size cap checked while reading; links are never followed out of the
edition (or out of the folder given for an ad hoc build); each case is a clear error."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import edition_copy
from toolkit import xmlsafe

DOC = "doc-1937-06-14"


def edition(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def diags(res) -> list[dict]:
    return json.loads(res.stdout)["diagnostics"]


def test_read_regular_refuses_devices_fifos_and_oversize(tmp_path):
    with pytest.raises(xmlsafe.UnreadableFile, match="not a regular file"):
        xmlsafe.read_regular("/dev/zero")
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(xmlsafe.UnreadableFile, match="not a regular file"):
        xmlsafe.read_regular(fifo)  # (would block forever if opened and read)
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b"x" * 100 + b"</a>")
    with pytest.raises(xmlsafe.UnreadableFile, match="too large"):
        xmlsafe.read_regular(big, cap=50)
    assert xmlsafe.read_regular(big, cap=200)[0].startswith(b"<a>")


def test_a_link_to_a_device_is_reported_not_read(tmp_path):
    ed = edition_copy(tmp_path)
    (ed / "tei" / "doc-1999-01-01.xml").symlink_to("/dev/zero")
    res = edition(ed, "validate", "--format", "json")
    found = [d for d in diags(res) if d["path"] == "tei/doc-1999-01-01.xml"]
    assert [d["rule"] for d in found] == ["file.outside"] and "/dev/zero" in found[0]["message"]
    assert res.returncode == 1 and "Traceback" not in res.stderr
    res = edition(ed, "build", "html", "--no-search")
    assert res.returncode == 1, res.stderr
    assert "skipped tei/doc-1999-01-01.xml:1:1:" in res.stdout and "symbolic link" in res.stdout
    assert not list((ed / "output" / "html" / "doc").glob("doc-1999*"))


def test_a_fifo_among_the_sources_does_not_hang(tmp_path):
    ed = edition_copy(tmp_path)
    os.mkfifo(ed / "tei" / "doc-1999-02-02.xml")
    res = edition(ed, "validate", "--format", "json", timeout=60)
    found = [d for d in diags(res) if d["path"] == "tei/doc-1999-02-02.xml"]
    assert [d["rule"] for d in found] == ["file.not-regular"], found


def test_a_tei_file_linked_from_outside_is_not_published(tmp_path):
    ed = edition_copy(tmp_path)
    secret = tmp_path / "private" / "doc-1999-03-03.xml"
    secret.parent.mkdir()
    secret.write_text((ed / "tei" / f"{DOC}.xml").read_text().replace(DOC, "doc-1999-03-03")
                      .replace("Politburo", "PRIVATE-MARKER", 1))
    (ed / "tei" / "doc-1999-03-03.xml").symlink_to(secret)
    res = edition(ed, "build", "html", "--no-search")
    assert res.returncode == 1
    assert "skipped tei/doc-1999-03-03.xml" in res.stdout
    site = ed / "output" / "html"
    assert not any("PRIVATE-MARKER" in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())
    # an ad hoc build of a folder: a link out of that folder is not followed either
    folder = tmp_path / "adhoc"
    folder.mkdir()
    shutil.copy(ed / "tei" / f"{DOC}.xml", folder)
    (folder / "linked.xml").symlink_to(secret)
    res = edition(tmp_path, "build", "html", "--no-search", str(folder), "--out", str(tmp_path / "site"))
    assert res.returncode == 1, res.stderr
    assert "linked.xml:1:1:" in res.stdout and "symbolic link" in res.stdout
    assert not any("PRIVATE-MARKER" in p.read_text(errors="replace")
                   for p in (tmp_path / "site").rglob("*") if p.is_file())


def test_a_link_to_the_root_folder_is_not_walked(tmp_path):
    ed = edition_copy(tmp_path)
    (ed / "tei" / "root").symlink_to("/")
    (ed / "edition.toml").write_text((ed / "edition.toml").read_text()
                                     .replace('sources = ["tei/doc-*.xml"]', 'sources = ["tei/**/doc-*.xml"]'))
    res = edition(ed, "validate", "--format", "json", timeout=60)
    found = [d for d in diags(res) if d["path"] == "tei/root"]
    assert [d["rule"] for d in found] == ["file.outside"], diags(res)[:3]


def test_xml_model_pointing_at_a_device_or_outside_is_refused(tmp_path):
    ed = edition_copy(tmp_path)
    doc = ed / "tei" / f"{DOC}.xml"
    text = doc.read_text()
    pi = '<?xml-model href="/dev/zero" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    doc.write_text(text.replace("<TEI ", pi + "<TEI ", 1))
    line = text[:text.index("<TEI ")].count("\n") + 1
    (ed / "edition.toml").write_text((ed / "edition.toml").read_text().replace('schema = "schema/edition.rng"\n', ""))
    res = edition(ed, "validate", "--format", "json", f"tei/{DOC}.xml", timeout=60)
    found = [d for d in diags(res) if d["rule"] == "schema.refused"]
    assert len(found) == 1 and found[0]["line"] == line and "/dev/zero" in found[0]["message"], diags(res)
    assert res.returncode == 1
    # a FIFO inside the edition is refused as well (not read, no hang)
    os.mkfifo(ed / "schema" / "pipe.rng")
    doc.write_text(text.replace("<TEI ", pi.replace("/dev/zero", "../schema/pipe.rng") + "<TEI ", 1))
    res = edition(ed, "validate", "--format", "json", f"tei/{DOC}.xml", timeout=60)
    found = [d for d in diags(res) if d["rule"] == "schema.refused"]
    assert len(found) == 1 and "not a regular file" in found[0]["message"], diags(res)


DTD_CASES = {
    # a DOCTYPE after a long comment (the old byte scan looked at the first 64 KB only)
    "late.xml": ('<?xml version="1.0"?>\n<!--' + "x" * 70_000 + '-->\n<!DOCTYPE TEI SYSTEM "ext.dtd">\n'
                 '<TEI>&secret;</TEI>\n', "utf-8"),
    # the same in UTF-16 (no byte pattern of ASCII finds it)
    "wide.xml": ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE TEI SYSTEM "ext.dtd">\n<TEI>&secret;</TEI>\n',
                 "utf-16"),
    "wide-entity.xml": ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE TEI [<!ENTITY e SYSTEM "ext.dtd">]>\n'
                        '<TEI>&e;</TEI>\n', "utf-16"),
}


@pytest.mark.parametrize("name", sorted(DTD_CASES))
def test_no_external_dtd_or_entity_is_ever_opened(tmp_path, name):
    """The external DTD is a FIFO: had anything opened it, the run would hang (and time out);
    its entities are undefined, so the file is an error, and nothing of the DTD appears."""
    text, enc = DTD_CASES[name]
    os.mkfifo(tmp_path / "ext.dtd")
    (tmp_path / name).write_bytes(text.encode(enc))
    res = edition(tmp_path, "validate", "--format", "json", name, timeout=60)
    found = [d for d in diags(res) if d["severity"] == "error"]
    assert found and found[0]["rule"] == "xml.well-formed" and "not defined" in found[0]["message"], found
    assert res.returncode == 1
    # and with a real DTD that defines it, the secret is never read into the output
    (tmp_path / "ext.dtd").unlink()
    (tmp_path / "ext.dtd").write_text('<!ENTITY secret "SECRET-FROM-DTD"><!ENTITY e "SECRET-FROM-DTD">')
    res = edition(tmp_path, "build", "html", "--no-search", name, "--out", str(tmp_path / "site"))
    assert "SECRET-FROM-DTD" not in res.stdout + res.stderr
    assert not any(b"SECRET-FROM-DTD" in p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file())
