"""The element classes and rule tables of xslt/lib/tei-classes.xml, for Python: read once (the
stylesheets read the same file through xslt/lib/classes.xsl), through the toolkit's safe parser.

    from toolkit.tei.classes import CLASSES
    CLASSES.citable          # frozenset of local names
    CLASSES.map("iso639-3to1")
"""
from __future__ import annotations

from pathlib import Path

from ..saxon import XSLT_DIR
from ..xmlsafe import parse_file

DATA = Path(XSLT_DIR) / "lib" / "tei-classes.xml"


class Classes:
    """Each <class name="a-b"> as the attribute a_b (a frozenset), each <map> by map(name)."""

    def __init__(self, path: Path = DATA):
        src = parse_file(path, display=str(path))
        if not src.ok:  # the toolkit's own file: a broken one is a broken installation
            raise RuntimeError(f"{path}: {src.diagnostics[0].message if src.diagnostics else 'unreadable'}")
        self._ordered: dict[str, tuple[str, ...]] = {}
        self._maps: dict[str, dict[str, str]] = {}
        self._classes: dict[str, frozenset[str]] = {}
        for el in src.root:
            if el.tag == "class":
                self._ordered[el.get("name")] = tuple((el.text or "").split())
            elif el.tag == "map":
                self._maps[el.get("name")] = {e.get("key"): (e.text or "").strip() for e in el if e.tag == "entry"}
        self._classes = {k: frozenset(v) for k, v in self._ordered.items()}

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.__dict__["_classes"][name.replace("_", "-")]
        except KeyError:
            raise AttributeError(name) from None

    def ordered(self, name: str) -> tuple[str, ...]:
        """A class's names in the order the file gives them."""
        return self._ordered[name]

    def map(self, name: str) -> dict[str, str]:
        return self._maps[name]

    def names(self) -> list[str]:
        return sorted(self._classes)


CLASSES = Classes()


def not_rendered(node) -> bool:
    """Whether an element stands inside a part of the text the outputs do not render (the class
    not-rendered: a link group, an interpretation, forme work …): no mention, passage or anchor
    is found there."""
    names = CLASSES.not_rendered
    return any(isinstance(a.tag, str) and a.tag.rsplit("}", 1)[-1] in names for a in node.iterancestors())
