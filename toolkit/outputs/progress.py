"""A build's progress bar on a terminal (rich), and nothing elsewhere."""
from __future__ import annotations


class Progress:
    def __init__(self, label: str, interactive: bool):
        self.label = label
        self.interactive = interactive
        self._bar = None
        self._task = None

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def start(self, total: int) -> None:
        if not self.interactive:
            return
        import sys

        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

        from ..terminal import rich_console
        self._bar = Bar(TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), TimeElapsedColumn(), transient=True,
                        console=rich_console(sys.stderr))
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def step(self, what: str, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=n, description=what)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
