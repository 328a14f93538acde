"""Which files hold the PDF volume, as the last PDF build published them: `edition.pdf`, or its
parts `edition-1.pdf` … ([pdf] part_pages). The PDF build decides the names (pdf.PdfBuild.
part_names) and records them in its output's manifest; the HTML home page reads them here, so the
two never disagree about a file name."""
from __future__ import annotations

import re
from pathlib import Path

from .publish import read_manifest

DEFAULT = ("edition.pdf",)
# a plain file name: the manifest is in the output folder, which a user may have edited
_NAME = re.compile(r"^[\w][\w.-]{0,200}\.pdf$")


def published_volumes(target: Path) -> tuple[str, ...]:
    """The volume's file names in the PDF output folder `target`; edition.pdf when no PDF build
    recorded any (none yet, or an older build)."""
    manifest = read_manifest(target) if Path(target).is_dir() else None
    names = manifest.get("volumes") if manifest else None
    if (not isinstance(names, list) or not names
            or not all(isinstance(n, str) and _NAME.match(n) and ".." not in n for n in names)):
        return DEFAULT
    return tuple(names)
