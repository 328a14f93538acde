"""Table layout for the PDF: where each TEI cell stands in the Typst grid.

Typst places cells in row-major order and stops with an error when a span does not fit, and it
allocates the whole grid a table asks for. So the toolkit lays each table out itself and gives
the stylesheet every cell's column, row and spans (ln:x, ln:y, ln:colspan, ln:rowspan, and
ln:columns on the table, on the copy of the tree Saxon reads): a cell's @cols and @rows are
honoured, bounded so that no value can make a huge grid —
- a cell spanning more than MAX_COLUMNS columns spans one (its value is not a table's);
- a table has at most MAX_COLUMNS columns: a wider row's further cells continue on a new line;
- a cell spans only the columns free beside it, and no row below the table's last;
and every bound used is a warning naming the cell. The table's own @cols and @rows are not
read: its cells say what they span.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import T

MAX_COLUMNS = 64
LN = "{urn:x-tei-edition:line}"


@dataclass
class Placed:
    x: int
    y: int
    colspan: int
    rowspan: int


def _span(value: str | None) -> int:
    """A span attribute as a count: 1 unless a whole number above 1 (a billion at most)."""
    v = (value or "").strip()
    if not (v.isascii() and v.isdigit()):
        return 1
    return 10 ** 9 if len(v) > 9 else max(1, int(v))


def _shown(value: str | None) -> str:
    v = (value or "").strip()
    return v if len(v) <= 12 else v[:12] + "…"


def _rows(table) -> list:
    return [r for r in table if r.tag == T + "row"]


def _cells(row) -> list:
    return [c for c in row if c.tag == T + "cell"]


def lay_out(table) -> tuple[int, dict, list[tuple[object, str, str]]]:
    """(columns, {cell: Placed}, [(element, message, hint)]) for a TEI table."""
    rows = _rows(table)
    notes: list[tuple[object, str, str]] = []
    spans = []
    for i, row in enumerate(rows):
        cells = []
        for cell in _cells(row):
            cs, rs = _span(cell.get("cols")), _span(cell.get("rows"))
            if cs > MAX_COLUMNS:
                notes.append((cell, f"a cell spanning {_shown(cell.get('cols'))} columns, more "
                              f"than a table of the PDF has: it spans one",
                              "give the number of columns the cell really spans"))
                cs = 1
            if rs > len(rows) - i:
                notes.append((cell, f"a cell spanning {_shown(cell.get('rows'))} rows, beyond "
                              f"the end of its table: it spans {len(rows) - i}",
                              "give the number of rows the cell really spans"))
                rs = len(rows) - i
            cells.append((cell, cs, rs))
        spans.append(cells)
    widths = _widths(spans)
    widest = max([1, *widths])
    if widest > MAX_COLUMNS:
        row = rows[widths.index(widest)]
        notes.append((row, f"a table row {widest} columns wide: a table of the PDF has at most "
                      f"{MAX_COLUMNS}, the row's further cells continue on a new line",
                      "split the table"))
    columns = min(MAX_COLUMNS, widest)
    return columns, _place(spans, columns, notes), notes


def _widths(spans) -> list[int]:
    """Each row's width: its cells' spans and the columns cells above still hold."""
    held = [0] * (len(spans) + 1)   # difference array of columns held from above
    widths, carry = [], 0
    for i, cells in enumerate(spans):
        carry += held[i]
        widths.append(carry + sum(cs for _, cs, _ in cells))
        for _, cs, rs in cells:
            if rs > 1:
                held[i + 1] += cs
                held[i + rs] -= cs
    return widths


def _place(spans, columns: int, notes: list) -> dict:
    """Every cell's place: rows in order, each cell at the first free column of its row (a
    full row continues on a new grid line), spanning only free columns. Placement only moves
    forward, so a column is free when what holds it ends above the current grid line."""
    held_until = [0] * columns     # per column: the grid line where it becomes free
    placed: dict = {}
    y = 0
    for cells in spans:
        cy, x, last = y, 0, y
        for cell, cs, rs in cells:
            while True:
                while x < columns and held_until[x] > cy:
                    x += 1
                if x < columns:
                    break
                cy, x = cy + 1, 0
            run = 1
            while run < cs and x + run < columns and held_until[x + run] <= cy:
                run += 1
            if run < cs:
                notes.append((cell, f"a cell spanning {cs} columns where its row has {run} free "
                              f"beside it: it spans {run}", "check the spans of the row's cells"))
            placed[cell] = Placed(x, cy, run, rs)
            for k in range(x, x + run):
                held_until[k] = cy + rs
            x += run
            last = max(last, cy)
        y = last + 1
    return placed


def annotate(original, copy, warn=None) -> None:
    """Write the layout of every table of `original` onto the same table of `copy` (a deep
    copy of it); `warn(element, message, hint)` receives each bound used (elements of
    `original`)."""
    for table, table_copy in zip(original.iter(T + "table"), copy.iter(T + "table")):
        columns, placed, notes = lay_out(table)
        if warn:
            for el, message, hint in notes:
                warn(el, message, hint)
        table_copy.set(LN + "columns", str(columns))
        for row, row_copy in zip(_rows(table), _rows(table_copy)):
            for cell, cell_copy in zip(_cells(row), _cells(row_copy)):
                p = placed[cell]
                for name, value in (("x", p.x), ("y", p.y), ("colspan", p.colspan),
                                    ("rowspan", p.rowspan)):
                    cell_copy.set(LN + name, str(value))
