"""The builders `edition build` knows: the built-in ones (html, pdf, json) and those other
installed packages add through the entry-point group `tei_edition_toolkit.builders` (an entry
point `name = "package.module:BuilderClass"`; docs/extending.md). A built-in's module is
imported only when it is asked for, and the entry points are read only when a name is not a
built-in's or every builder is listed."""
from __future__ import annotations

import importlib

from .base import Builder, BuildError

GROUP = "tei_edition_toolkit.builders"
BUILTINS = {"html": "toolkit.outputs.html.build:HtmlBuilder",
            "pdf": "toolkit.outputs.pdf:PdfBuilder",
            "json": "toolkit.outputs.data:JsonBuilder"}


def _load(name: str, target: str, where: str) -> type[Builder]:
    module, _, attr = target.partition(":")
    try:
        cls = getattr(importlib.import_module(module), attr)
    except Exception as e:  # a broken plug-in: said plainly, whatever it raised
        raise BuildError(f"the builder '{name}' ({where}: {target}) cannot be loaded: "
                         f"{type(e).__name__}: {e}") from None
    if not (isinstance(cls, type) and issubclass(cls, Builder)) or cls.name != name:
        raise BuildError(f"the builder '{name}' ({where}: {target}) is not a toolkit.outputs.base.Builder "
                         f"named '{name}'")
    return cls


def _entry_points() -> dict[str, object]:
    from importlib.metadata import entry_points
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def plugin_names() -> list[str]:
    """The names other packages register (built-in names are reserved: those entries are refused
    when loaded)."""
    return sorted(_entry_points())


def names() -> list[str]:
    """Every builder's name: the built-ins, then the plug-ins'."""
    return [*BUILTINS, *(n for n in plugin_names() if n not in BUILTINS)]


def get(name: str) -> type[Builder]:
    """The builder class of that name; BuildError when there is none (or it cannot be loaded)."""
    if name in BUILTINS:
        return _load(name, BUILTINS[name], "built-in")
    ep = _entry_points().get(name)
    if ep is None:
        raise BuildError(f"unknown output format '{name}' (known: {', '.join(names())})")
    return _load(name, ep.value, f"entry point of {getattr(ep.dist, 'name', 'a package')}")


def defaults() -> list[str]:
    """What a plain `edition build` makes: every builder that is on by default, built-ins first."""
    plugins = [n for n in plugin_names() if n not in BUILTINS]
    for n in plugin_names():
        if n in BUILTINS:
            ep = _entry_points()[n]
            raise BuildError(f"the entry point '{n}' of {getattr(ep.dist, 'name', 'a package')} ({ep.value}) "
                             f"has the name of a built-in builder; rename it")
    return [n for n in [*BUILTINS, *plugins] if get(n).default]
