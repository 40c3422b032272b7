"""Word documents as grids and lines: .docx read from its XML; .doc and Kingsoft .wps converted to .docx first.

A 公示表 in Word is a ``w:tbl``: a cell spans columns with ``w:gridSpan`` and rows with ``w:vMerge`` (``restart`` on
the first row, bare on the rows it continues into). The grid repeats a merged cell at every position it covers, with
one key, as nlp/formats/word_html.py does for HTML. A row's ``w:gridBefore`` (cells missing at its start) is honoured.
Paragraphs outside tables (the title 「中国人民银行XX分行行政处罚信息公示表」, a note below) are the lines.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from nlp.clean import clean_lines
from nlp.formats.grid import Cell, Grid, GridBuilder
from nlp.records import Unparseable
from nlp.text import squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _val(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{W}val", "")


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        parts.append((node.text or "") if node.tag == f"{W}t" else " ")
    return "".join(parts)


def _cell_text(tc) -> str:
    return squash("\n".join(_paragraph_text(p) for p in tc.iter(f"{W}p")))


def _grid(table) -> Grid:
    builder = GridBuilder()
    open_merge: dict[int, Cell] = {}   # column → the cell a bare vMerge continues
    rows = table.findall(f"{W}tr")
    for r, tr in enumerate(rows):
        c = int(_val(tr, f"{W}trPr/{W}gridBefore") or 0)
        for tc in tr.findall(f"{W}tc"):
            span = int(_val(tc, f"{W}tcPr/{W}gridSpan") or 1)
            merge = _val(tc, f"{W}tcPr/{W}vMerge")
            if merge is not None and merge != "restart" and c in open_merge:
                cell = builder.put(r, c, open_merge[c], colspan=span)
            else:
                cell = builder.add(r, c, _cell_text(tc), colspan=span)
                if merge == "restart":
                    open_merge[c] = cell
                else:
                    open_merge.pop(c, None)
            c += span
    return builder.build(height=len(rows))


def read_docx(data: bytes) -> tuple[list[Grid], list[str]]:
    """(the outermost tables as grids, the paragraphs outside them as clean lines)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            document = package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as error:
        raise Unparseable(f"not a readable .docx ({type(error).__name__}: {error})") from None
    try:
        # no DTD, no entity, no network: a document's XML is data, never instructions
        body = etree.fromstring(document, _SAFE_XML).find(f"{W}body")
    except etree.XMLSyntaxError as error:
        raise Unparseable(f"not a readable .docx: its document.xml is broken ({error})") from None
    if body is None:
        raise Unparseable("a .docx without a document body")
    grids, paragraphs = [], []
    for element in body.iter(f"{W}tbl", f"{W}p"):
        if any(ancestor.tag == f"{W}tbl" for ancestor in element.iterancestors()):
            continue  # inside a table: read as part of its outermost table
        if element.tag == f"{W}tbl":
            grid = _grid(element)
            if grid:
                grids.append(grid)
        else:
            paragraphs.append(_paragraph_text(element))
    return grids, clean_lines(paragraphs)
