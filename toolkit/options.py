"""Typed option sets: one dataclass per table of edition.toml, read and checked by one reader.

A table's keys are the fields of a dataclass. Each field's annotation is its type, its default
the value when the key is absent, and `metadata` documents and constrains it:

    @dataclass
    class PdfOptions:
        '''The PDF edition.'''
        max_volume_pages: int = option(2000, "A volume estimated above this many pages ...", min=1)

metadata keys: "doc" (the text of docs/configuration.md), "min"/"max" (numbers), "choices"
(allowed strings), "check" (a function value → problem text or None), "example" (a value for
the reference), "default_doc" (words for a default that is computed or not set), "rule" (the
constraint a "check" makes, in words, for the reference), "merge" (a table given is added to
the default table rather than replacing it). A rule across keys is a method `check(self)`
returning (key, problem) or None.

Types: str, int, float, bool, Path, list[T] (a single string is read as a list of one: the
usage of edition.toml since the start), dict[str, T], Literal[...], T | None (None: not set),
and another such dataclass (a sub-table). `read_options` works for any dataclass of this kind:
the builders' options ([html], [pdf], [json], …) are declared the same way.
"""
from __future__ import annotations

import dataclasses
import re
import string
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union


class ConfigError(Exception):
    """edition.toml is unreadable, has a bad value, or names something that is not there."""


def option(default: Any = dataclasses.MISSING, doc: str = "", **meta) -> Any:
    """A field of an option set: its default (a list or table is copied for each instance), its
    doc text and constraints (see the module's text)."""
    metadata = {"doc": doc, **meta}
    if isinstance(default, (list, dict, set)):
        return dataclasses.field(default_factory=lambda: _copy(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return dataclasses.replace(value) if dataclasses.is_dataclass(value) else value


# -- where a value is: file, line, table ------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Where:
    """The place of a table in a configuration file, for messages: `file` as shown, the TOML
    `text` (to find lines; "" when there is none) and the table's key path."""
    file: str = "edition.toml"
    text: str = ""
    table: tuple[str, ...] = ()

    def sub(self, key: str) -> Where:
        return Where(self.file, self.text, (*self.table, key))

    def at(self, key: str | None = None) -> str:
        """`file:line` of the key (or of the table's header), `file` when not found."""
        line = find_line(self.text, self.table, key) if self.text else 0
        return f"{self.file}:{line}" if line else self.file

    def name(self) -> str:
        return show_table(self.table)


def show_table(path: tuple[str, ...]) -> str:
    return "[" + ".".join(map(show_key, path)) + "]"


def show_key(key: str) -> str:
    """A key as TOML writes it: quoted unless bare."""
    return key if _BARE.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


_BARE = re.compile(r"[A-Za-z0-9_-]+")
_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")


def _dotted(s: str) -> tuple[str, ...] | None:
    """A TOML dotted key ('import.repositories."Central Archive"') as its parts; None if `s`
    is not one. (Escapes other than \\" are kept as written: good enough to find a line.)"""
    parts, pos = [], 0
    while True:
        m = _KEY_PART.match(s, pos)
        if not m or m.end() == m.start():
            return None
        bare, basic, literal = m.groups()
        parts.append(bare if bare is not None else basic.replace('\\"', '"') if basic is not None else literal)
        pos = m.end()
        if pos == len(s):
            return tuple(parts)
        if s[pos] != ".":
            return None
        pos += 1


def find_line(text: str, table: tuple[str, ...], key: str | None = None) -> int:
    """The line of `key = …` in `table` (of the table's header when key is None), 0 when not
    found. A table written inline or by dotted keys is found through its parent's key."""
    current: tuple[str, ...] = ()
    first_sub = 0
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s.startswith("["):
            inner = s[2:s.find("]]")] if s.startswith("[[") else s[1:s.find("]")]
            current = _dotted(inner) or ("\0",)
            if key is None:
                if current == table:
                    return n
                if not first_sub and current[:len(table)] == table and table:
                    first_sub = n   # [schemas.map] when [schemas] itself is not written
            continue
        if key is not None and current == table and "=" in s:
            if _dotted(s.split("=", 1)[0]) == (key,):
                return n
    if first_sub:
        return first_sub
    if table:
        return find_line(text, table[:-1], table[-1])
    return 0


# -- types -------------------------------------------------------------------------------------

@cache
def hints(cls) -> dict[str, Any]:
    """The fields' types (annotations are strings under `from __future__ import annotations`;
    resolving them costs, so once per class)."""
    return typing.get_type_hints(cls)


def fields_of(cls) -> list[tuple[dataclasses.Field, Any]]:
    h = hints(cls)
    return [(f, h[f.name]) for f in dataclasses.fields(cls) if not f.name.startswith("_")]


def _optional(tp) -> tuple[Any, bool]:
    """(the type inside `T | None`, whether None was allowed)."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(args) < len(typing.get_args(tp)):
            return args[0], True
    return tp, False


def describe(tp, meta: dict | None = None) -> str:
    """The type in words, with its constraints: "a whole number above 0"."""
    meta = meta or {}
    tp, _ = _optional(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Literal:
        return _or([str(a) for a in args])
    if meta.get("choices"):
        return _or(list(meta["choices"]))
    if tp is bool:
        return "true or false"
    if tp is int or tp is float:
        word = "a whole number" if tp is int else "a number"
        lo, hi = meta.get("min"), meta.get("max")
        if lo is not None and hi is not None:
            return f"{word} from {lo} to {hi}"
        if lo is not None:
            return f"{word} above {lo - 1}" if tp is int and lo == 1 else f"{word} of at least {lo}"
        return f"{word} of at most {hi}" if hi is not None else word
    if tp is str:
        return "a string"
    if tp is Path:
        return "a path (a string)"
    if origin is list:
        inner = describe(args[0])
        return "a string or a list of strings" if args[0] is str else f"a list of {_plural(inner)}"
    if origin is dict:
        inner = args[1]
        if dataclasses.is_dataclass(inner):
            return "a table of tables"
        return f"a table of {_plural(describe(inner))}"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return getattr(tp, "__name__", str(tp))


def _plural(words: str) -> str:
    words = words.removeprefix("a ").removeprefix("an ")
    first, _, rest = words.partition(" ")
    if first == "whole":
        return "whole numbers" + rest[len("number"):]
    return first + "s" + (" " + rest if rest else "")


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# -- reading -----------------------------------------------------------------------------------

def read_options(cls, table: dict | None, where: Where | str = Where()):
    """An instance of the option set `cls` from a TOML table: unknown keys, values of the wrong
    type and values outside their constraints raise ConfigError naming the file, the line and
    the key; keys not given take their defaults."""
    if isinstance(where, str):
        where = Where(table=tuple(where.split(".")))
    table = table or {}
    known = fields_of(cls)
    names = {f.name for f, _ in known}
    unknown = [k for k in table if k not in names]
    if unknown:
        raise ConfigError(f"{where.at(unknown[0])}: unknown key(s) in {where.name()}: {', '.join(map(show_key, unknown))}; "
                          f"known: {', '.join(sorted(names)) or 'none'}")
    values = {}
    for f, tp in known:
        if f.name in table:
            values[f.name] = _value(tp, f.metadata, table[f.name], where, f.name)
            if f.metadata.get("merge") and isinstance(values[f.name], dict):
                values[f.name] = {**_default(f), **values[f.name]}
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{where.at()}: {where.name()} needs the key {f.name} "
                              f"({describe(tp, f.metadata)})")
    instance = cls(**values)
    check = getattr(instance, "check", None)
    problem = check() if callable(check) else None
    if problem:
        key, text = problem
        raise ConfigError(f"{where.at(key)}: {where.name()} {key} {text}")
    return instance


def _default(f: dataclasses.Field):
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None if f.default is dataclasses.MISSING else f.default


def _value(tp, meta, value, where: Where, key: str):
    """`value` as type `tp`, or ConfigError."""
    def bad():
        return ConfigError(f"{where.at(key)}: {where.name()} {show_key(key)} must be {describe(tp, meta)} "
                           f"(it is {value!r})")
    inner, _ = _optional(tp)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if dataclasses.is_dataclass(inner):
        if not isinstance(value, dict):
            raise bad()
        return read_options(inner, value, where.sub(key))
    if origin is dict:
        if not isinstance(value, dict):
            raise bad()
        sub = where.sub(key)
        return {k: _value(args[1], {}, v, sub, k) for k, v in value.items()}
    if origin is list:
        items = [value] if isinstance(value, str) and args[0] is str else value
        if not isinstance(items, list):
            raise bad()
        for item in items:
            if not _scalar_ok(args[0], item):
                raise bad()
        out = list(items)
    elif origin is Literal:
        if not any(value == a and type(value) is type(a) for a in args):
            raise bad()
        out = value
    else:
        if not _scalar_ok(inner, value):
            raise bad()
        out = Path(value) if inner is Path else float(value) if inner is float else value
    _check_constraints(inner, meta, out, bad)
    if meta.get("check"):
        problem = meta["check"](out)
        if problem:
            raise ConfigError(f"{where.at(key)}: {where.name()} {show_key(key)} {problem}")
    return out


def _scalar_ok(tp, value) -> bool:
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is str or tp is Path:
        return isinstance(value, str)
    if typing.get_origin(tp) is Literal:
        return value in typing.get_args(tp)
    return isinstance(value, tp) if isinstance(tp, type) else True


def _check_constraints(tp, meta, value, bad) -> None:
    lo, hi, choices = meta.get("min"), meta.get("max"), meta.get("choices")
    for v in value if isinstance(value, list) else [value]:
        if lo is not None and isinstance(v, (int, float)) and v < lo:
            raise bad()
        if hi is not None and isinstance(v, (int, float)) and v > hi:
            raise bad()
        if choices and v not in choices:
            raise bad()


# -- helpers for checks ------------------------------------------------------------------------

def placeholders(template: str, allowed: set[str]) -> str | None:
    """None when `template` is a format string using only the `allowed` {names} (no
    conversions or format specs); else the problem in words."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        return f"is not a valid pattern ({e}; write {{{{ and }}}} for literal braces)"
    for _text, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return f"uses {shown}; the placeholders are {', '.join('{' + a + '}' for a in sorted(allowed))}"
    return None
