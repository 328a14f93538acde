"""The command line every generated reference shares (config_reference.py, cli_reference.py,
template_guide.py): no option prints the text, --write writes it, --check exits 1 when the
committed file differs (CI and the tests run it)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable


def run(argv: list[str], render: Callable[[], str], target: Path, script: str) -> int:
    text = render()
    if "--write" in argv:
        target.write_text(text, encoding="utf-8")
        return 0
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{target} is out of date: run python scripts/{script} --write", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0
