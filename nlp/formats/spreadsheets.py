"""Spreadsheets as grids: .xlsx (openpyxl), .xls and Kingsoft's .et (xlrd; an .et is a BIFF8 workbook).

Every sheet with content becomes one grid. Merged cells (a 作出行政处罚决定机关名称 merged down every row) appear at
each position they cover with one key, as in the Word-HTML grids (nlp/formats/word_html.py). Dates stored as numbers are
written back as dates, and whole numbers lose Excel's ``.0``.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from nlp.formats.grid import MAX_CELLS, Grid, GridBuilder, TableTooLarge
from nlp.records import Unparseable
from nlp.text import squash


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return squash(str(value))


def _grid(values: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Grid:
    """Cells from row-major ``values``; ``merges`` are (first row, last row, first column, last column), inclusive."""
    builder = GridBuilder()
    width = max((len(row) for row in values), default=0)
    for r0, r1, c0, c1 in merges:
        r1, c1 = min(r1, len(values) - 1), min(c1, width - 1)   # a merge formatted past the cells that hold values
        if r0 > r1 or c0 > c1:
            continue
        text = values[r0][c0] if c0 < len(values[r0]) else ""
        builder.add(r0, c0, text, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1)
    for r, row in enumerate(values):
        for c in range(width):
            if builder.covered(r, c) is None:
                builder.add(r, c, row[c] if c < len(row) else "")
    return _trim(builder.build(height=len(values)))


def _trim(grid: Grid) -> Grid:
    """Drop empty rows and columns (spreadsheets carry formatted but empty ranges)."""
    rows = [row for row in grid if any(cell.text for cell in row)]
    if not rows:
        return []
    used = [c for c in range(len(rows[0])) if any(row[c].text for row in rows)]
    return [[row[c] for c in used] for row in rows]


def read_xlsx(data: bytes) -> list[Grid]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Unparseable(f"not a readable .xlsx workbook ({type(error).__name__}: {error})") from None
    grids = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        # the cells the sheet holds, not the rectangle it declares (a 5 KB file can declare XFD1048576)
        cells = {(r - 1, c - 1): _text(cell.value) for (r, c), cell in sheet._cells.items() if cell.value is not None}
        merges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        grid = _sparse_grid(cells, merges)
        if grid:
            grids.append(grid)
    return grids


def _sparse_grid(cells: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]]) -> Grid:
    """The grid of the rows and columns that hold a value (a merged block counts where it starts), in order."""
    cells = {position: text for position, text in cells.items() if text}
    rows = sorted({r for r, _ in cells})
    columns = sorted({c for _, c in cells})
    if len(rows) * len(columns) > MAX_CELLS:
        raise TableTooLarge(f"a sheet of {len(rows):,} rows by {len(columns):,} columns holding values: not a table "
                            "regkb reads")
    row_at, column_at = {r: i for i, r in enumerate(rows)}, {c: i for i, c in enumerate(columns)}
    values = [[cells.get((r, c), "") for c in columns] for r in rows]
    kept = []
    for r0, r1, c0, c1 in merges:
        inside_rows = [row_at[r] for r in rows if r0 <= r <= r1]
        inside_columns = [column_at[c] for c in columns if c0 <= c <= c1]
        if inside_rows and inside_columns and (r0, c0) in cells:
            values[inside_rows[0]][inside_columns[0]] = cells[(r0, c0)]
            kept.append((inside_rows[0], inside_rows[-1], inside_columns[0], inside_columns[-1]))
    return _grid(values, kept)


def read_xls(data: bytes) -> list[Grid]:
    """A BIFF workbook: .xls, or Kingsoft's .et saved in its compatible form."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as error:
        raise Unparseable(f"not a readable .xls workbook ({type(error).__name__}: {error})") from None
    grids = []
    for sheet in book.sheets():
        if sheet.visibility != 0:
            continue
        if sheet.nrows * sheet.ncols > MAX_CELLS:
            raise TableTooLarge(f"a sheet of {sheet.nrows:,} rows by {sheet.ncols:,} columns: not a table regkb reads")
        values = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                else:
                    row.append(_text(cell.value))
            values.append(row)
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        grid = _grid(values, merges)
        if grid:
            grids.append(grid)
    return grids
