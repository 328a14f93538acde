"""Cross-file references, checked from the Edition model (for editions without our Schematron).

The bundled edition's Schematron does the same checks inside XML editors; this module gives any
other edition (say, a corpus whose entities live in indices/) the same safety net.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


from ..diagnostics import ERROR, WARNING, Diagnostic
from ..model import KIND_OF_NAME, Edition, canon, local

EXPECTED = {**{k: {v} for k, v in KIND_OF_NAME.items()}}
HAND_TARGETS = {"handNote", "hand"}


def _pointers(value: str):
    for p in value.split():
        parts = urlsplit(p)
        if parts.scheme and parts.scheme not in ("file",):
            continue  # an external URI (https:, a prefix such as pmb:) is not ours to check
        if "#" in p:
            yield p


def check_file(edition: Edition, path: Path) -> list[Diagnostic]:
    src = edition.files.get(canon(path))
    if src is None or not src.ok:
        return []
    out: list[Diagnostic] = []
    for el in src.root.iter():
        if not isinstance(el.tag, str):
            continue
        name = local(el.tag)
        for attr in ("ref", "hand", "corresp", "target", "scribeRef"):
            value = el.get(attr)
            if not value:
                continue
            here = src.written_in(el) if src.origins else path  # an included part: its own file
            for pointer in _pointers(value):
                target = edition.resolve(pointer, here)
                line, col = src.position(el)
                if target is None:
                    file_part, frag = pointer.split("#", 1)
                    target_file = canon(here.parent / file_part) if file_part else None
                    if target_file is not None and target_file not in edition.files \
                            and target_file not in edition.ids \
                            and edition.config.path is None:
                        # ad hoc files: the pointed-to file is simply not among those given
                        out.append(Diagnostic(src.display, line, col, WARNING,
                                              f"{name}/@{attr} '{pointer}' points into "
                                              f"'{file_part}', which is not among the files "
                                              f"checked", "ref.external"))
                        continue
                    where = f"in {file_part}" if file_part else "in this file or the edition"
                    out.append(Diagnostic(src.display, line, col, ERROR,
                                          f"{name}/@{attr} '{pointer}' points to nothing: "
                                          f"no xml:id '{frag}' {where}", "ref.resolves"))
                    continue
                target_el = edition.ids[target[0]][target[1]]
                tname = local(target_el.tag)
                want = EXPECTED.get(name) if attr == "ref" else (HAND_TARGETS if attr == "hand" else None)
                if want and tname not in want and not (name == "persName" and tname == "personGrp"):
                    out.append(Diagnostic(
                        src.display, line, col, ERROR,
                        f"{name}/@{attr} '{pointer}' points to a <{tname}>, "
                        f"but a <{name}> must point to a <{'> or <'.join(sorted(want))}>",
                        "ref.kind"))
    return out


def duplicate_ids(edition: Edition, paths: list[Path]) -> list[Diagnostic]:
    """xml:ids used in more than one file of the edition (reported in the files checked)."""
    wanted = {canon(p) for p in paths}
    if hasattr(edition.ids, "owners"):  # validate's IdsView: the ids of the files checked
        owners = {i: edition.ids.owners(i) for p, ids in edition.ids.own.items() if p in wanted
                  for i in ids}
    else:
        owners = {}
        for p, ids in edition.ids.items():
            for i in ids:
                owners.setdefault(i, []).append(p)
    out = []
    for i, files in owners.items():
        if len(files) < 2:
            continue
        for p in files:
            if p not in wanted:
                continue
            src = edition.files[p]
            el = edition.ids[p][i]
            line, col = src.position(el)
            others = ", ".join(_display(edition, o) for o in files if o != p)
            out.append(Diagnostic(src.display, line, col, ERROR,
                                  f"xml:id '{i}' is also used in {others}; ids must be unique "
                                  f"across the edition", "id.unique"))
    return out


def _display(edition: Edition, path: Path) -> str:
    src = edition.files.get(path)
    return src.display if src is not None else edition.ids.display(path)
