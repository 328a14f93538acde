"""The `[json]` table of edition.toml: the JSON builder's options (see toolkit/options.py).

Kept apart from data.py so that reading edition.toml does not import the builder.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..options import option


@dataclass
class JsonOptions:
    """The edition as data (`edition build json`, docs/extending.md)."""

    indent: int = option(
        1, "Spaces per level of indentation of the JSON files; 0 writes each file on one line "
        "(smallest).", min=0, max=8, example=0)
    snippets: bool = option(
        True, "Give each mention the snippet of its passage (the passage's text around the name, "
        "as the entity pages show it); false leaves them out (smaller files).", example=False)
