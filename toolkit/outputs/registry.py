"""The builders `edition build` knows: the built-in ones (html, pdf, json) and those other
installed packages add through the entry-point group `tei_edition_toolkit.builders` (an entry
point `name = "package.module:BuilderClass"`; docs/extending.md).

The toolkit declares its own builders in that group too (pyproject.toml), but knows them without
reading it: a built-in's module is imported only when it is asked for, the entry points are read
only when a name is not a built-in's or every builder is listed, and `option_classes` (what
toolkit/config.py checks edition.toml's builder tables with) imports the built-ins' light option
modules only, never a builder."""
from __future__ import annotations

import importlib

from .base import Builder, BuildError

GROUP = "tei_edition_toolkit.builders"
BUILTINS = {"html": "toolkit.outputs.html.build:HtmlBuilder",
            "pdf": "toolkit.outputs.pdf:PdfBuilder",
            "json": "toolkit.outputs.data:JsonBuilder"}
# each built-in's options, in a module that imports nothing of the builder's (no Saxon, no Typst)
BUILTIN_OPTIONS = {"html": "toolkit.outputs.html_options:HtmlOptions",
                   "pdf": "toolkit.outputs.pdf_options:PdfOptions",
                   "json": "toolkit.outputs.json_options:JsonOptions"}


def _import(target: str):
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _load(name: str, target: str, where: str) -> type[Builder]:
    try:
        cls = _import(target)
    except Exception as e:  # a broken plug-in: said plainly, whatever it raised
        raise BuildError(f"the builder '{name}' ({where}: {target}) cannot be loaded: "
                         f"{type(e).__name__}: {e}") from None
    if not (isinstance(cls, type) and issubclass(cls, Builder)) or cls.name != name:
        raise BuildError(f"the builder '{name}' ({where}: {target}) is not a toolkit.outputs.base.Builder "
                         f"named '{name}'")
    return cls


def _where(ep) -> str:
    dist = getattr(ep, "dist", None)
    return f"entry point of {getattr(dist, 'name', None) or 'an installed package'}"


def _plugins() -> dict[str, object]:
    """The entry points of the group that are not the toolkit's own declarations of its
    built-ins. One that takes a built-in's name for something else is refused."""
    from importlib.metadata import entry_points
    out = {}
    for ep in entry_points(group=GROUP):
        if ep.name in BUILTINS:
            if ep.value.replace(" ", "") != BUILTINS[ep.name]:
                raise BuildError(f"the {_where(ep)} '{ep.name}' ({ep.value}) has the name of a built-in "
                                 f"builder; the plug-in must be given another name")
            continue
        out[ep.name] = ep
    return out


def names() -> list[str]:
    """Every builder's name: the built-ins, then the plug-ins' (sorted)."""
    return [*BUILTINS, *sorted(_plugins())]


def get(name: str) -> type[Builder]:
    """The builder class of that name; BuildError when there is none (the known names listed) or
    it cannot be loaded."""
    if name in BUILTINS:
        return _load(name, BUILTINS[name], "built-in")
    plugins = _plugins()
    ep = plugins.get(name)
    if ep is None:
        raise BuildError(f"unknown output '{name}' (known: {', '.join([*BUILTINS, *sorted(plugins)])})")
    return _load(name, ep.value, _where(ep))


def defaults() -> list[str]:
    """What a plain `edition build` makes: every builder that is on by default, built-ins first."""
    return [n for n in names() if get(n).default]


def option_classes() -> dict[str, type]:
    """Table name → options class of every builder, for reading edition.toml (toolkit/config.py).
    Built-ins' from their light option modules; a plug-in's from its builder class (its module is
    imported: keep it light). A plug-in that cannot be loaded is left out here (its table is then
    unknown to edition.toml); building with it says why it cannot be loaded."""
    out = {name: _import(target) for name, target in BUILTIN_OPTIONS.items()}
    try:
        plugins = _plugins()
    except BuildError:
        return out
    for name, ep in sorted(plugins.items()):
        try:
            out[name] = _load(name, ep.value, _where(ep)).options
        except BuildError:
            continue
    return out
