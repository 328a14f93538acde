"""The documentation holds together: docs/README.md links every page of docs/, and every relative
link of docs/*.md and README.md reaches a file that exists (and a heading, when it names one)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import REPO

DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md")) + [REPO / "README.md"]
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^()\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def markdown_text(page: Path) -> str:
    """The page without code blocks and code spans (their brackets are no links)."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return re.sub(r"`[^`\n]*`", "", text)


def links(page: Path) -> list[str]:
    return LINK.findall(markdown_text(page))


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, no punctuation, spaces as hyphens."""
    text = heading.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found, seen = set(), {}
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        m = re.match(r"#{1,6}\s+(.*?)\s*#*$", line)
        if m:
            base = slug(m[1])
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
    return found


def relative(target: str) -> bool:
    return not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("//")


def test_the_index_links_every_page_of_docs():
    linked = {(DOCS / unquote(t.split("#")[0])).resolve() for t in links(DOCS / "README.md") if relative(t)}
    unlisted = [p.name for p in DOCS.glob("*.md") if p.name != "README.md" and p.resolve() not in linked]
    assert not unlisted, f"docs/README.md does not link: {unlisted}"
    assert DOCS / "customizing.md" in {DOCS / t for t in links(DOCS / "README.md")}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_reaches_a_file_and_its_heading(page):
    broken = []
    for target in links(page):
        if not relative(target):
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / unquote(path)).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target}: no heading with the anchor #{fragment} in {file.name}")
    assert not broken, f"{page.relative_to(REPO)}: " + "; ".join(broken)


def test_the_checks_find_a_broken_link_and_a_broken_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title (`x.toml`)\n\n[a](missing.md) [b](page.md#title-xtoml) [c](#nope) "
                    "`[d](in-code.md)`\n\n```\n[e](in-fence.md)\n```\n", encoding="utf-8")
    assert links(page) == ["missing.md", "page.md#title-xtoml", "#nope"]
    assert anchors(page) == {"title-xtoml"}
