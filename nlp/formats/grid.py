"""The one table type every format reader produces, and the one builder they all make it with.

A ``Grid`` is a table with its merged cells expanded: ``grid[r][c]`` is the cell covering row r, column c, so a cell
merged over a block appears at every position of the block with the same ``key``. Word HTML (``rowspan``/``colspan``),
.docx (``w:gridSpan``, ``w:vMerge``), spreadsheets (merged ranges) and PDF tables (ruled boxes) differ only in how
they say which block a cell covers; each reader tells a ``GridBuilder`` and gets the same grid back.

    >>> builder = GridBuilder()
    >>> builder.add(0, 0, "当事人", rowspan=2)
    Cell(text='当事人', key=0)
    >>> builder.add(0, builder.free_column(0, 0), "名称")
    Cell(text='名称', key=1)
    >>> builder.add(1, builder.free_column(1, 0), "某银行")
    Cell(text='某银行', key=2)
    >>> [[cell.text for cell in row] for row in builder.build()]
    [['当事人', '名称'], ['当事人', '某银行']]

A table is bounded: a few bytes can declare a cell spanning a million positions (``rowspan=colspan=1000``), so a
builder refuses to hold more than ``max_cells`` positions, with ``TableTooLarge`` naming the size.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from nlp.records import Unparseable

# More positions than any disclosure table has (the largest real 公示表 seen: a few hundred rows of ten columns),
# and few enough that a grid of them stays small in memory.
MAX_CELLS = 200_000


@dataclass(frozen=True)
class Cell:
    """One cell of an expanded grid; a merged cell appears at every position it covers, with the same ``key``."""

    text: str
    key: int


Grid = list[list[Cell]]
EMPTY = Cell("", -1)   # a position no cell covers (a short row)


class TableTooLarge(Unparseable):
    """A table whose cells would cover more positions than any real table has."""


class GridBuilder:
    """Positions filled cell by cell; a position already covered keeps the cell that covered it first. ``keys``:
    where the cells' keys come from, when several grids must not share one (a table continued over PDF pages)."""

    def __init__(self, max_cells: int = MAX_CELLS, keys: Iterator[int] | None = None):
        self.max_cells = max_cells
        self._cells: dict[tuple[int, int], Cell] = {}
        self._keys = keys if keys is not None else itertools.count()

    def new(self, text: str) -> Cell:
        """A cell not yet placed (``put`` places it, once or at several positions)."""
        return Cell(text, next(self._keys))

    def put(self, row: int, column: int, cell: Cell, *, rowspan: int = 1, colspan: int = 1) -> Cell:
        """Let ``cell`` cover the block of ``rowspan`` × ``colspan`` positions from (row, column)."""
        if rowspan < 1 or colspan < 1:
            raise ValueError(f"a span of {rowspan} × {colspan}")
        if len(self._cells) + rowspan * colspan > self.max_cells:
            raise TableTooLarge(f"a table whose cells cover more than {self.max_cells:,} positions (a cell at row "
                                f"{row + 1} spans {rowspan} × {colspan}): not a table regkb reads")
        if rowspan == colspan == 1:   # nearly every cell
            self._cells.setdefault((row, column), cell)
            return cell
        for r in range(row, row + rowspan):
            for c in range(column, column + colspan):
                self._cells.setdefault((r, c), cell)
        return cell

    def add(self, row: int, column: int, text: str, *, rowspan: int = 1, colspan: int = 1) -> Cell:
        """A new cell with ``text`` covering the block from (row, column)."""
        return self.put(row, column, Cell(text, next(self._keys)), rowspan=rowspan, colspan=colspan)   # as new()

    def covered(self, row: int, column: int) -> Cell | None:
        return self._cells.get((row, column))

    def free_column(self, row: int, column: int) -> int:
        """The first column from ``column`` on that no cell of an earlier row covers yet (HTML's placing rule)."""
        while (row, column) in self._cells:
            column += 1
        return column

    def build(self, height: int | None = None) -> Grid:
        """The grid: every row as wide as the widest, positions no cell covers ``EMPTY``; ``height`` rows (a merge
        that runs past the table's last row does not add rows)."""
        if not self._cells:
            return []
        width = max(c for _, c in self._cells) + 1
        rows = max(r for r, _ in self._cells) + 1 if height is None else height
        return [[self._cells.get((r, c), EMPTY) for c in range(width)] for r in range(rows)]


def distinct(row: list[Cell]) -> list[Cell]:
    """The cells of a row left to right, each merged cell once, padding dropped."""
    seen, out = set(), []
    for cell in row:
        if cell.key not in seen and cell.key != -1:
            seen.add(cell.key)
            out.append(cell)
    return out
