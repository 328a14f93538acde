"""Issue #16: customisation without forking ([html] css, logo, header, footer, pages, xslt;
[pdf] template), through the recipes of docs/customizing.md, each built in a small edition."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess

from custom_support import build, recipe_edition, recipes, small_edition, write

from conftest import html_page, norm_text, run_cli


def _page(ed, rel):
    return html_page(ed / "output" / "html" / rel)


# -- the recipes ---------------------------------------------------------------------------------

def test_recipes_are_in_the_doc():
    r = recipes()
    assert {"Recipe 1", "Recipe 2", "Recipe 3", "Recipe 4"} <= set(r)
    assert "style/extra.css" in r["Recipe 1"] and "xslt/custom.xsl" in r["Recipe 2"]


def test_recipe_restyle(tmp_path):
    ed = recipe_edition(tmp_path, 1)
    r = build(ed)
    assert r.ok and not r.has_errors, r.summary()
    css = (ed / "style" / "extra.css").read_bytes()
    name = f"assets/custom/extra.{hashlib.sha256(css).hexdigest()[:10]}.css"
    assert (ed / "output" / "html" / name).read_bytes() == css
    for rel, root in (("index.html", ""), ("doc/doc-1.html", "../")):
        page = _page(ed, rel)
        sheets = [link.get("href") for link in page.iter("link") if link.get("rel") == "stylesheet"]
        # after the toolkit's, so its rules win
        assert sheets == [f"{root}assets/edition.css", f"{root}{name}"]
        [logo] = page.find_class("site-logo")
        assert logo.get("alt") == "" and logo.getparent().get("href") == f"{root}index.html"
        assert (ed / "output" / "html" / logo.get("src")[len(root):]).read_bytes() == (ed / "img" / "logo.svg").read_bytes()
        [funder] = page.find_class("funder")
        assert funder.getparent().tag == "div" and funder.getparent().getparent().tag == "footer"
        assert "Funded by the Example Foundation" in norm_text(funder)
        hrefs = [a.get("href") for a in funder.iter("a")]
        # relative addresses follow the page's folder; absolute ones are kept
        assert hrefs == ["https://example.org/foundation", f"{root}principles.html"]


def test_recipe_element_rendering(tmp_path):
    ed = recipe_edition(tmp_path, 2)
    r = build(ed)
    assert r.ok and not r.has_errors, r.summary()
    page = _page(ed, "doc/doc-1.html")
    [name] = page.find_class("person-name")
    assert norm_text(name) == "Anna Example"
    [caps] = page.find_class("caps")
    assert caps.tag == "strong" and norm_text(caps) == "very"
    # the rest of the text is the toolkit's, as before
    assert "the harvest was" in norm_text(page.get_element_by_id("main"))


def test_recipe_add_page(tmp_path):
    ed = recipe_edition(tmp_path, 3)
    r = build(ed)
    assert r.ok and not r.has_errors, r.summary()
    about = _page(ed, "about.html")
    assert norm_text(about.find(".//h1")) == "About the edition"
    assert about.find(".//title").text.startswith("About the edition · Custom Test Edition")
    assert [a.get("href") for a in about.find_class("custom-page")[0].iter("a")] == [
        "https://example.org/team", "documents.html"]
    for rel, root in (("index.html", ""), ("doc/doc-1.html", "../"), ("about.html", "")):
        nav = _page(ed, rel).find_class("site-nav")[0]
        last = nav.findall(".//a")[-1]
        assert (last.get("href"), norm_text(last)) == (f"{root}about.html", "About the edition")
    current = [a for a in about.find_class("site-nav")[0].iter("a") if a.get("aria-current")]
    assert [a.get("href") for a in current] == ["about.html"]


def test_recipe_typst_template(tmp_path):
    ed = recipe_edition(tmp_path, 4)
    r = build(ed, "pdf")
    assert r.ok and not r.has_errors, r.summary()
    text = subprocess.run(["pdftotext", str(ed / "output" / "pdf" / "edition.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Abstract: The harvest was good." in " ".join(text.split())
    plain = small_edition(tmp_path, name="plain")
    assert build(plain, "pdf").ok
    text = subprocess.run(["pdftotext", str(plain / "output" / "pdf" / "edition.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Abstract:" not in text


def test_pdf_layer_overrides_a_template(tmp_path):
    ed = small_edition(tmp_path, '[pdf]\nxslt = "xslt/pdf.xsl"\n')
    write(ed, {"xslt/pdf.xsl": """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:template match="tei:persName">#"PERSON:"; <xsl:next-match/></xsl:template>
</xsl:stylesheet>
"""})
    r = build(ed, "pdf")
    assert r.ok and not r.has_errors, r.summary()
    text = subprocess.run(["pdftotext", str(ed / "output" / "pdf" / "doc-1.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "PERSON: Anna Example" in " ".join(text.split())


# -- rebuilt when changed; watched -----------------------------------------------------------------

def test_changed_css_and_layer_remake_the_pages(tmp_path):
    ed = recipe_edition(tmp_path, 1)
    write(ed, {"xslt/custom.xsl": recipes()["Recipe 2"]["xslt/custom.xsl"]})
    with open(ed / "edition.toml", "a", encoding="utf-8") as fh:
        fh.write('xslt = "xslt/custom.xsl"\n')
    assert build(ed).ok
    again = build(ed)
    assert again.written == 0   # nothing changed: nothing made
    (ed / "style" / "extra.css").write_text(".site-header { background: red; }\n", encoding="utf-8")
    r = build(ed)
    assert r.written > 2
    new = hashlib.sha256(b".site-header { background: red; }\n").hexdigest()[:10]
    page = _page(ed, "doc/doc-1.html")
    assert f"../assets/custom/extra.{new}.css" in [link.get("href") for link in page.iter("link")]
    assert [p.name for p in (ed / "output" / "html" / "assets" / "custom").glob("extra.*")] == [f"extra.{new}.css"]
    # the layer changed: the document page shows the new rendering
    layer = ed / "xslt" / "custom.xsl"
    layer.write_text(layer.read_text().replace('class="person-name"', 'class="person-name-2"'))
    build(ed)
    assert _page(ed, "doc/doc-1.html").find_class("person-name-2")


def test_serve_watches_the_customisation(tmp_path):
    from toolkit.config import load_config
    from toolkit.serve import watched_files
    ed = recipe_edition(tmp_path, 1)
    write(ed, {"xslt/custom.xsl": """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:include href="more.xsl"/>
</xsl:stylesheet>
""", "xslt/more.xsl": '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n',
        "pages/about.html": "<h1>About</h1>\n"})
    with open(ed / "edition.toml", "a", encoding="utf-8") as fh:
        fh.write('xslt = "xslt/custom.xsl"\npages = ["pages/about.html"]\n')
    files = {os.path.realpath(p) for p in watched_files(load_config(ed / "edition.toml"), [], [])}
    for rel in ("style/extra.css", "img/logo.svg", "fragments/footer.html", "pages/about.html",
                "xslt/custom.xsl", "xslt/more.xsl"):
        assert os.path.realpath(ed / rel) in files, rel


def test_images_a_fragment_shows_are_copied(tmp_path):
    """An image the footer or a page of the edition's own shows (relative to the fragment's
    file) is copied into the site under a fingerprinted name, and the pages point at the copy,
    in folders too; a file the edition does not have keeps its address (the editor's own file
    in the output folder); `edition serve` watches the images."""
    from toolkit.config import load_config
    from toolkit.serve import watched_files
    ed = small_edition(tmp_path, '[html]\nfooter = "fragments/footer.html"\npages = ["pages/team.html"]\n')
    jpg, png = b"\xff\xd8\xff\xe0 not really a jpeg", b"\x89PNG\r\n\x1a\n a png"
    (ed / "img").mkdir()
    (ed / "img" / "team.jpg").write_bytes(jpg)
    (ed / "img" / "team@2x.png").write_bytes(png)
    write(ed, {"fragments/footer.html": '<p>Funded by\n  <img src="../img/team.jpg" alt="The team"/>'
                                        '<img src="img/mine.png" alt="kept"/><img src="../img/team.jpg?v=2" alt="busted"/></p>\n',
               "pages/team.html": '<h1>Team</h1>\n<picture><source srcset="../img/team.jpg 1x, '
                                  '../img/team@2x.png 2x"/><img src="../img/team.jpg" alt="us"/></picture>\n'})
    r = build(ed)
    assert r.ok and not r.has_errors, r.summary()
    site = ed / "output" / "html"
    copy = f"assets/custom/team.{hashlib.sha256(jpg).hexdigest()[:10]}.jpg"
    copy2 = f"assets/custom/team-2x.{hashlib.sha256(png).hexdigest()[:10]}.png"
    assert (site / copy).read_bytes() == jpg and (site / copy2).read_bytes() == png
    for rel, root in (("index.html", ""), ("doc/doc-1.html", "../")):
        footer = _page(ed, rel).find_class("site-footer-custom")[0]
        assert [i.get("src") for i in footer.iter("img")] == [root + copy, root + "img/mine.png", root + copy]
    team = _page(ed, "team.html")
    assert team.find(".//source").get("srcset") == f"{copy} 1x, {copy2} 2x"
    assert team.find(".//main//img").get("src") == copy
    files = {os.path.realpath(p) for p in watched_files(load_config(ed / "edition.toml"), [], [])}
    assert {os.path.realpath(ed / "img" / n) for n in ("team.jpg", "team@2x.png")} <= files


def test_fragment_images_out_of_the_edition_are_refused(tmp_path):
    """A fragment's image that leads out of the edition's folder (../ or a link) is refused
    with the fragment's line and column, and nothing is read or published."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret")
    ed = small_edition(tmp_path, '[html]\nfooter = "fragments/footer.html"\n')
    write(ed, {"fragments/footer.html": '<p>Hello</p>\n<p>  <img src="../../secret.png"/></p>\n'})
    err = _fails(ed)
    assert 'fragments/footer.html:2:6: <img> src="../../secret.png" leads out of the edition' in err, err
    (ed / "img").mkdir()
    (ed / "img" / "logo.png").symlink_to(secret)
    write(ed, {"fragments/footer.html": '<p><img alt="x"\n src="../img/logo.png"/></p>\n'})
    err = _fails(ed)
    assert 'fragments/footer.html:1:4: <img> src="../img/logo.png" leads out of the edition' in err, err


# -- refused: paths out of the edition, bad fragments, remote loads ------------------------------

def _fails(ed, *args):
    p = run_cli("-c", str(ed / "edition.toml"), "build", *(args or ("html", "--no-search")), cwd=ed)
    assert p.returncode != 0
    assert "Traceback" not in p.stderr + p.stdout
    assert not (ed / "output" / "html").exists() or args
    return p.stderr


def test_paths_out_of_the_edition_are_refused(tmp_path):
    (tmp_path / "outside.css").write_text("body { color: red }")
    for value, why in (("../outside.css", "leads out with .."), (str(tmp_path / "outside.css"), "absolute path")):
        ed = small_edition(tmp_path, f'[html]\ncss = ["{value}"]\n', name=f"ed{len(why)}")
        err = _fails(ed)
        assert re.search(r"edition\.toml:6: \[html\] css must", err) and why in err, err
    ed = small_edition(tmp_path, '[html]\ncss = ["style/x.css"]\n', name="linked")
    (ed / "style").mkdir()
    os.symlink(tmp_path / "outside.css", ed / "style" / "x.css")
    err = _fails(ed)
    assert re.search(r"edition\.toml:6: \[html\] css = 'style/x.css' leads out of the edition's folder", err), err
    # a linked folder on the way out too
    ed = small_edition(tmp_path, '[pdf]\ntemplate = "typst/custom.typ"\n', name="linked-dir")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "custom.typ").write_text("#let x = 1\n")
    os.symlink(tmp_path / "elsewhere", ed / "typst")
    err = _fails(ed, "pdf")
    assert re.search(r"edition\.toml:6: \[pdf\] template = 'typst/custom.typ' leads out", err), err


def test_a_missing_file_is_named(tmp_path):
    ed = small_edition(tmp_path, '[html]\nfooter = "fragments/footer.html"\n')
    err = _fails(ed)
    assert "edition.toml:6: [html] footer = 'fragments/footer.html' does not exist" in err, err


def test_malformed_fragment_gives_file_line_column(tmp_path):
    ed = small_edition(tmp_path, '[html]\nheader = "fragments/header.html"\n')
    write(ed, {"fragments/header.html": "<p>One</p>\n<p>Two <b>bold</p>\n"})
    err = _fails(ed)
    assert re.search(r"fragments/header\.html:2:\d+: .*well-formed XML", err), err
    write(ed, {"fragments/header.html": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><p>&e;</p>\n'})
    err = _fails(ed)
    assert "fragments/header.html:1:" in err and "root:" not in err, err


def test_remote_loads_are_refused(tmp_path):
    ed = small_edition(tmp_path, '[html]\nfooter = "fragments/footer.html"\ncss = ["style/x.css"]\n')
    write(ed, {"style/x.css": "p { color: red }\n"})
    write(ed, {"fragments/footer.html": '<p>Hello</p>\n<p><script src="https://cdn.example.com/x.js"></script></p>\n'})
    err = _fails(ed)
    assert 'fragments/footer.html:2:4: <script> src="https://cdn.example.com/x.js"' in err and "no CDN" in err, err
    write(ed, {"fragments/footer.html": '<link rel="stylesheet" href="//cdn.example.com/x.css"/>\n'})
    assert "fragments/footer.html:1:1: <link> href=" in _fails(ed)
    write(ed, {"fragments/footer.html": "<p>ok <a href='https://example.org/'>a link</a></p>\n",
               "style/x.css": "p { color: red }\n@import url('https://fonts.example.com/f.css');\n"})
    err = _fails(ed)
    assert "style/x.css:2:1: the style sheet loads from another site" in err, err


def test_page_names_of_the_site_are_refused(tmp_path):
    ed = small_edition(tmp_path, '[html]\npages = ["pages/search.html"]\n')
    write(ed, {"pages/search.html": "<h1>Mine</h1>"})
    err = _fails(ed)
    assert "edition.toml:6: [html] pages = 'pages/search.html' cannot become the page search.html" in err, err


def test_numbered_site_page_names_are_refused(tmp_path):
    """A large edition's site pages its indices, chronology and map (places-2.html …): an
    edition's own page may not take those names either, whatever the edition's size now."""
    for stem in ("map-2", "places-3", "chronology-2", "documents-newest-4"):
        ed = small_edition(tmp_path / stem, f'[html]\npages = ["pages/{stem}.html"]\n')
        write(ed, {f"pages/{stem}.html": "<h1>Mine</h1>"})
        err = _fails(ed)
        assert f"pages/{stem}.html' cannot become the page {stem}.html: the site has" in err, err
    ed = small_edition(tmp_path / "ok", '[html]\npages = ["pages/map-notes.html"]\n')
    write(ed, {"pages/map-notes.html": "<h1>Notes on the map</h1>"})
    assert run_cli("-c", str(ed / "edition.toml"), "build", "html", "--no-search", cwd=ed).returncode == 0


# -- the XSLT layer: errors and confinement ------------------------------------------------------

LAYER_HEAD = ('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"\n'
              '  xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns:m="urn:x-tei-edition:modes" '
              'xmlns:f="urn:x-tei-edition:functions" exclude-result-prefixes="#all">\n')


def _layer(tmp_path, body: str, name="ed"):
    ed = small_edition(tmp_path, '[html]\nxslt = "xslt/custom.xsl"\n', name=name)
    write(ed, {"xslt/custom.xsl": LAYER_HEAD + body + "</xsl:stylesheet>\n"})
    return ed


def test_layer_error_names_file_line_column(tmp_path):
    ed = _layer(tmp_path, '  <xsl:template match="tei:persName" mode="m:text">\n'
                          '    <xsl:value-of select="$nope"/>\n  </xsl:template>\n')
    err = _fails(ed)
    assert re.search(r"xslt/custom\.xsl:4:\d+: .*XPST0008.*\$nope", err), err


def test_layer_cannot_read_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    ed = _layer(tmp_path, f'''  <xsl:template name="f:custom-footer">
    <xsl:param name="root"/>
    <p class="leak"><xsl:value-of select="unparsed-text('{secret.as_uri()}')"/><xsl:value-of select="doc('/etc/passwd')"/></p>
  </xsl:template>
''')
    p = run_cli("-c", str(ed / "edition.toml"), "build", "html", "--no-search", cwd=ed)
    assert p.returncode != 0 and "Traceback" not in p.stderr
    out = ed / "output" / "html"
    assert "SECRET-CONTENT" not in p.stderr + p.stdout
    assert not out.exists() or not any("SECRET-CONTENT" in f.read_text(errors="ignore")
                                       for f in out.rglob("*.html"))
    assert re.search(r"prohibited|not allowed|refused", p.stderr, re.I), p.stderr


def test_layer_sees_no_environment(tmp_path):
    ed = _layer(tmp_path, '''  <xsl:template match="tei:persName" mode="m:text">
    <span class="env"><xsl:value-of select="count(available-environment-variables()), environment-variable('HOME')"/></span>
  </xsl:template>
''')
    assert build(ed).ok
    [env] = _page(ed, "doc/doc-1.html").find_class("env")
    assert norm_text(env) == "0"


def test_layer_includes_stay_in_the_edition(tmp_path):
    (tmp_path / "evil.xsl").write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>')
    ed = _layer(tmp_path, '  <xsl:include href="../../evil.xsl"/>\n')
    err = _fails(ed)
    assert "xslt/custom.xsl:3: " in err and "refused to read" in err, err
    ed = _layer(tmp_path, '  <xsl:import href="toolkit:html/document.xsl"/>\n', name="scheme")
    assert "refused to read toolkit:html/document.xsl" in _fails(ed)


def test_layer_compile_time_code_is_refused(tmp_path):
    cases = {
        '  <xsl:variable name="home" static="yes" select="system-property(\'user.home\')"/>\n': "static variables",
        '  <xsl:template match="/" use-when="true()"/>\n': "use-when",
        '  <xsl:template match="tei:p" mode="m:text"><xsl:result-document href="file:///tmp/x.html"/></xsl:template>\n':
            "xsl:result-document",
        '  <xsl:template match="tei:p" mode="m:text"><xsl:value-of _select="1"/></xsl:template>\n': "shadow",
    }
    for i, (body, what) in enumerate(cases.items()):
        ed = _layer(tmp_path, body, name=f"ed{i}")
        err = _fails(ed)
        assert re.search(r"xslt/custom\.xsl:3:\d+: ", err) and what in err, err


def test_config_reference_lists_the_options():
    from toolkit.outputs.html_options import HtmlOptions
    from toolkit.outputs.pdf_options import PdfOptions
    names = set(HtmlOptions.__dataclass_fields__) | {f"pdf.{n}" for n in PdfOptions.__dataclass_fields__}
    assert {"css", "logo", "header", "footer", "pages", "xslt", "pdf.template", "pdf.xslt"} <= names


def test_layer_and_page_in_worker_processes(tmp_path):
    """The bundled edition (enough documents for the worker pool): the workers compile the
    stylesheets with the layer the parent set, and write the edition's page among the site
    pages."""
    from conftest import edition_copy
    ed = edition_copy(tmp_path)
    files = {**recipes()["Recipe 2"], **recipes()["Recipe 3"]}
    del files["edition.toml (add)"]
    write(ed, files)
    toml = (ed / "edition.toml").read_text(encoding="utf-8")
    keys = 'xslt = "xslt/custom.xsl"\npages = ["pages/about.html"]\n'
    # into the bundled edition's [html] table, when it has one
    toml = re.sub(r"^\[html\]\n", lambda m: m.group() + keys, toml, count=1, flags=re.M) \
        if re.search(r"^\[html\]$", toml, re.M) else toml + "\n[html]\n" + keys
    (ed / "edition.toml").write_text(toml, encoding="utf-8")
    r = build(ed)
    assert r.ok and not r.has_errors, r.summary()
    names = [norm_text(e) for p in sorted((ed / "output" / "html" / "doc").glob("*.html"))
             for e in _page(ed, f"doc/{p.name}").find_class("person-name")]
    assert len(names) > 10
    assert norm_text(_page(ed, "about.html").find(".//h1")) == "About the edition"


def test_names_with_hash_or_percent(tmp_path):
    ed = small_edition(tmp_path, '[html]\ncss = ["style/a#b%20c.css"]\n')
    write(ed, {"style/a#b%20c.css": "p { color: red }\n"})
    assert build(ed).ok
    [css] = (ed / "output" / "html" / "assets" / "custom").glob("*.css")
    assert css.name.startswith("a-b-20c.") and css.read_text() == "p { color: red }\n"


def test_typst_template_is_confined_and_its_errors_named(tmp_path):
    ed = small_edition(tmp_path, '[pdf]\ntemplate = "typst/custom.typ"\n')
    write(ed, {"typst/custom.typ": '#import "/edition.typ": *\n#let ed-summary-first(body) = block(\n'})
    p = run_cli("-c", str(ed / "edition.toml"), "build", "pdf", cwd=ed)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "the PDF template typst/custom.typ does not typeset: unclosed delimiter (at custom.typ:2:" in p.stderr, p.stderr
    write(ed, {"typst/custom.typ": '#import "/edition.typ": *\n'
                                   '#let ed-summary-first(body) = raw(read("/etc/passwd") + read("../../../etc/passwd"))\n'})
    p = run_cli("-c", str(ed / "edition.toml"), "build", "pdf", cwd=ed)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "file not found" in p.stderr or "outside" in p.stderr, p.stderr
    for pdf in (ed / "output" / "pdf").glob("*.pdf"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "root:" not in text
