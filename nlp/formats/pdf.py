"""PDFs with a text layer as grids and lines (pdfplumber); image-only PDFs are recognised as such, not read as empty.

A table is rebuilt from the ruled cells pdfplumber finds, and a cell that spans several rows or columns (a merged
作出行政处罚决定机关名称) is repeated at each position it covers with one key. A table that runs over several pages
continues from page to page when its columns line up, and the header row a PDF repeats at the top of each page is
dropped from the continuation.

A table printed without rulings has no cells to find: then its columns are found from how the text lines up
(pdfplumber's text strategy), each printed line is a row, and the lines are gathered back into the table's rows: the
header is every line above the first numbered one, and each row runs from one 序号 to the next.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator

from nlp.clean import clean_lines
from nlp.formats.grid import Cell, Grid, GridBuilder
from nlp.patterns import NUMBER_ALONE
from nlp.records import Unparseable
from nlp.text import squash


class NeedsOCR(Unparseable):
    """A PDF of page images with no text layer: a scan."""


class UnreadableTable(Unparseable):
    """A table printed without rulings whose rows cannot be told apart with confidence."""


def join_wrapped(text: str) -> str:
    """A cell's lines as one value: a PDF wraps a cell's text at its width, so a line break is no space (「上海银罚字
    [2015]1」 + 「7号」 is 17号), except between two Latin words."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return squash(out)


def _table_grid(table, keys: Iterator[int]) -> Grid:
    """pdfplumber's rows and columns, each slot a merged cell covers (None in pdfplumber's rows) given that cell."""
    texts = table.extract()
    rows, columns = table.rows, table.columns
    builder = GridBuilder(keys=keys)
    owners: dict[tuple, Cell] = {}
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is not None and box not in owners:
                owners[box] = builder.new(join_wrapped(texts[r][c] or ""))
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is None:
                x = (columns[c].bbox[0] + columns[c].bbox[2]) / 2
                y = (row.bbox[1] + row.bbox[3]) / 2
                box = next((b for b in owners if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
            if box is not None:
                builder.put(r, c, owners[box])
    return builder.build(height=len(rows)) if owners else []


def _text_grid(page, keys: Iterator[int]) -> Grid:
    """The table of a page without rulings, from the text's alignment (see the module's docstring); [] if none."""
    tables = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
    if not tables:
        return []
    lines = [[(text or "").strip() for text in line] for line in max(tables, key=lambda t: len(t.rows)).extract()]
    lines = [line for line in lines if any(line)]
    numbered = [index for index, line in enumerate(lines) if line[0].isdigit()]
    if not numbered or len(lines[0]) < 3:
        return []
    groups = [lines[:numbered[0]]] + [lines[start:end] for start, end in zip(numbered, numbered[1:] + [len(lines)])]
    builder = GridBuilder(keys=keys)
    for r, group in enumerate(groups):
        for column in range(len(group[0])):
            builder.add(r, column, join_wrapped("\n".join(line[column] for line in group if line[column])))
    grid = builder.build()
    check_unruled(grid)
    return grid


def check_unruled(grid: Grid) -> None:
    """Rows gathered from printed lines are trusted only when every row's 文号 came out whole and alone: a table
    whose cells are centred or whose columns drift gives 「[2015]2号上海银罚字」, and a guess is worse than nothing.
    (The OCR reader applies it to a scanned table without rulings, rows gathered the same way.)"""
    header = [cell.text for cell in grid[0]]
    number_column = next((c for c, label in enumerate(header) if "文号" in label or "文书号" in label), None)
    bad = [row[number_column].text for row in grid[1:]] if number_column is not None else []
    bad = [text for text in bad if not NUMBER_ALONE.match(text)]
    if number_column is None or bad:
        why = f"文号 read as {bad[0]!r}" if bad else "no 文号 column to check the rows by"
        raise UnreadableTable(f"a table printed without rulings whose rows cannot be told apart reliably ({why}); "
                              "regkb does not guess at its cells: read it from the publisher's other formats, or "
                              "by hand")


def paragraphs(page) -> list[str]:
    """The page's text as paragraphs: a printed line that runs to the right margin continues on the next line
    (「…欠缴法定存」 + 「备金1,696,016.59元。」), one that stops short ends its paragraph (a label line, a heading,
    the signature)."""
    printed = page.extract_text_lines()
    if not printed:
        return []
    right = max(line["x1"] for line in printed)
    widths = sorted((line["x1"] - line["x0"]) / max(len(line["text"]), 1) for line in printed)
    slack = 2 * widths[len(widths) // 2]   # two characters' width
    out: list[str] = []
    runs_on = False
    for line in printed:
        text = line["text"].strip()
        if runs_on and out:
            out[-1] = join_wrapped(out[-1] + "\n" + text)
        else:
            out.append(text)
        runs_on = line["x1"] >= right - slack
    return out


def _row_texts(row: list[Cell]) -> list[str]:
    return [cell.text for cell in row]


def read_pdf(data: bytes) -> tuple[list[Grid], list[str]]:
    """(tables as grids, continued across pages; the text outside the tables as clean lines). NeedsOCR for scans."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    damaged = (PDFSyntaxError, PdfminerException, MalformedPDFException, PSException, ValueError, KeyError, TypeError, AssertionError,
               IndexError, ZeroDivisionError, RecursionError)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        with pdf:
            return _read_pages(pdf)
    except damaged as error:
        # pdfminer raises these for a damaged or truncated file: a file that cannot be read, not a bug of regkb's
        raise Unparseable(f"not a readable PDF ({type(error).__name__}: {str(error)[:200]})") from None


def _read_pages(pdf) -> tuple[list[Grid], list[str]]:
    grids: list[Grid] = []
    lines: list[str] = []
    keys = itertools.count()   # one key space: a table continued over pages joins another's rows
    characters = sum(len(page.chars) for page in pdf.pages)
    images = sum(len(page.images) for page in pdf.pages)
    # no text layer, or only a few characters over page images (a scanner's stamp, a typed cover line)
    if characters == 0 or (images and characters < 20 * len(pdf.pages)):
        raise NeedsOCR(f"needs OCR: the PDF has {len(pdf.pages)} page(s) of images ({images} image(s)) and "
                       f"{'no text layer' if not characters else f'only {characters} characters of text'}; its "
                       "text can only be read by recognising the images")
    continued: Grid | None = None
    for page in pdf.pages:
        tables = page.find_tables()
        boxes = [table.bbox for table in tables]

        def outside(obj, boxes=boxes) -> bool:
            if obj.get("object_type") != "char":
                return True
            return not any(x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
                           for x0, top, x1, bottom in boxes)

        lines.extend(paragraphs(page.filter(outside)))
        for table in tables:
            grid = _table_grid(table, keys)
            if not grid:
                continue
            if continued is not None and len(grid[0]) == len(continued[0]) and table is tables[0]:
                headers = [_row_texts(row) for row in continued[:2]]
                continued.extend(row for row in grid if _row_texts(row) not in headers)
            else:
                grids.append(grid)
                continued = grid
        if not tables:
            continued = None
    if not grids:
        # no ruled table anywhere: a table printed without rulings, found from its text's alignment
        for page in pdf.pages:
            grid = _text_grid(page, keys)
            if grid:
                grids.append(grid)
    return grids, clean_lines(lines)
