"""The checks edition.toml's customisation options get when the file is read: a path relative to
edition.toml that stays in its folder, with an extension the option takes. (Links leading out
are found when the output is built: toolkit/outputs/custom.py, files.local_file.) Kept apart
from custom.py so that reading edition.toml imports nothing else."""
from __future__ import annotations

import os
import re


def path_problem(value: str, suffixes: tuple[str, ...]) -> str | None:
    """Why `value` is not a file of the edition's folder an option may name; None when it is."""
    if not value:
        return None
    if "\x00" in value or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        return f"must name a file of the edition ({value!r} is an address)"
    if os.path.isabs(value) or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        return f"must be relative to edition.toml ({value!r} is an absolute path)"
    if ".." in re.split(r"[\\/]", value):
        return f"must stay inside the edition's folder ({value!r} leads out with ..)"
    if not value.lower().endswith(suffixes):
        return f"must name a {' or '.join(suffixes)} file ({value!r} does not)"
    return None


def edition_path(*suffixes: str):
    """The `check` of an option naming one file of the edition."""
    return lambda value: path_problem(value, suffixes)


def edition_paths(*suffixes: str):
    """The `check` of an option naming a list of files of the edition."""
    def check(values: list[str]) -> str | None:
        return next((p for p in (path_problem(v, suffixes) for v in values) if p), None)
    return check
