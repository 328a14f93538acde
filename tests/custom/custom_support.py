"""A small edition for the customisation tests, and the recipes of docs/customizing.md as
files (each fenced block after a `<!-- file: PATH -->` line)."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doc-1" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A letter about the harvest</title></titleStmt>
      <publicationStmt><publisher>Custom Test Edition</publisher></publicationStmt>
      <sourceDesc><p>A test source.</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <creation><date when="1901-02-03">3 February 1901</date></creation>
      <abstract><p>The harvest was good.</p></abstract>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <p>Dear <persName>Anna Example</persName>, the harvest was <hi rend="caps">very</hi> good.</p>
    </body>
  </text>
</TEI>
"""

TOML = """[edition]
title = "Custom Test Edition"
sources = ["tei/*.xml"]
"""


def small_edition(tmp_path: Path, toml: str = "", name: str = "ed") -> Path:
    """An edition of one document (a person's name, a hi rend="caps", a summary) in a tmp folder,
    with `toml` added to its edition.toml."""
    ed = tmp_path / name
    (ed / "tei").mkdir(parents=True)
    (ed / "tei" / "doc-1.xml").write_text(DOC, encoding="utf-8")
    (ed / "edition.toml").write_text(TOML + "\n" + toml, encoding="utf-8")
    return ed


def write(ed: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = ed / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


_BLOCK = re.compile(r"<!-- file: (?P<path>[^>]+?) -->\n```[a-z]*\n(?P<text>.*?)```", re.S)


def recipes() -> dict[str, dict[str, str]]:
    """docs/customizing.md's recipes by their heading ("Recipe 1: …"): file path → text (the
    edition.toml blocks under the key "edition.toml (add)")."""
    text = (REPO / "docs" / "customizing.md").read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        heading = part.split("\n", 1)[0]
        if heading.startswith("Recipe"):
            out[heading.split(":")[0]] = {m["path"].strip(): m["text"] for m in _BLOCK.finditer(part)}
    return out


def recipe_edition(tmp_path: Path, number: int) -> Path:
    """The small edition with recipe `number` of docs/customizing.md applied."""
    files = dict(recipes()[f"Recipe {number}"])
    ed = small_edition(tmp_path, files.pop("edition.toml (add)"))
    write(ed, files)
    return ed


def build(ed: Path, fmt: str = "html", out: Path | None = None, full: bool = False):
    from toolkit.config import load_config
    from toolkit.outputs.runner import build as run_build
    kw = {"out": out} if out else {}
    [r] = run_build(load_config(ed / "edition.toml"), [fmt], search_index=False, full=full, **kw) \
        if fmt == "html" else run_build(load_config(ed / "edition.toml"), [fmt], full=full, **kw)
    return r
