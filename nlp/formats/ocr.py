"""Scans read by optical character recognition, offline: a PDF whose pages are images, or an image attachment (.jpg
.png .tif .bmp), recognised by RapidOCR's PP-OCR models as its wheel ships them (ONNX, on the CPU; nothing is
downloaded), and turned into the grid every other reader gives, so that the one 公示表 reader and the full-text reader
take it from there.

How a page becomes a grid:

1. the page is rendered (a PDF page at ``DPI``) and straightened: the angle whose rows of ink line up best, searched
   within ±``MAX_SKEW`` degrees (a sheet fed a little askew);
2. the table's rulings are found as long runs of ink (a morphological opening with a long thin kernel, across and
   down); the lines that cross most of the table are its row and column boundaries, and a boundary segment with no
   ruling under it joins the two cells it separates (a merged 作出行政处罚决定机关名称);
3. each recognised text box goes to the cell holding its centre; a cell's boxes are read in reading order (lines top
   to bottom, each left to right) and joined as the PDF reader joins a wrapped cell (「上海银罚」「字」「[2015]1」「7号」
   → 上海银罚字[2015]17号);
4. a page with no rulings: a table printed without them is found from how its boxes line up (the unruled-PDF
   reader's logic: columns are the runs of x the body's boxes cover, rows run from one 序号 to the next, trusted
   only when every 文号 comes out whole); anything else is read as lines of text (a scanned decision).

What OCR reads is trusted as far as it can be checked. Each cell keeps the lowest score of its boxes; a row whose 文号
is not whole (the check the unruled-PDF reader applies), whose amount does not read as an amount, or whose 文号,
party or amount cell scores below ``CONFIDENT`` is a ``Doubt``: the decision read from that row is flagged for review
with the page and the region of the image to look at, and the value is never corrected by guessing.

Recognition is the costly part (seconds a page on two cores), so its boxes are kept by the bytes' sha256 in
``$REGKB_OCR_CACHE`` when that is set (the build sets it beside the archive): a rebuild recognises nothing twice.
``REGKB_OCR=off`` leaves scans unread (quarantined as needing OCR), for a quick build.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nlp.clean import clean_lines
from nlp.formats.grid import Cell, Grid, GridBuilder
from nlp.formats.pdf import check_unruled, join_wrapped
from nlp.patterns import NUMBER_ALONE
from nlp.records import Unparseable
from nlp.text import squash

ENGINE = "RapidOCR 1.4.4 (PP-OCRv4 models as shipped in rapidocr-onnxruntime)"
DPI = 144             # PDF pages rendered at twice their point size: a 150 dpi scan keeps its own resolution
MAX_SKEW = 5.0        # degrees either way
CONFIDENT = 0.80      # a 文号, party or amount read with a lower score is for a person to check
MAX_PAGES = 50        # a scan of more pages than any 公示表 has is not recognised (minutes of work)
MAX_PIXELS = 12_000_000     # an A3 page at 300 dpi; a larger image is refused, a larger PDF page rendered smaller


class OCRUnavailable(Unparseable):
    """The OCR engine is not installed: the scan stays in the quarantine with what to install."""


@dataclass(frozen=True)
class Box:
    """A recognised line of text: its words, the engine's score (0–1), and its box in the straightened page."""

    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Doubt:
    """A value of a scan a person should check: which row (its 文号 as read), which column, what was read, the
    score, and where on which page."""

    number: str
    column: str
    text: str
    score: float
    why: str
    page: int
    region: tuple[int, int, int, int]

    def note(self) -> str:
        x0, y0, x1, y1 = self.region
        return (f"OCR：第{self.page}页 {self.column}「{self.text}」{self.why}（置信度 {self.score:.2f}；"
                f"图像区域 x {x0}–{x1}, y {y0}–{y1}，{DPI} dpi）")


@dataclass
class ScanReading:
    grids: list[Grid] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)   # a row's 文号 as read → the lowest score of its cells
    pages: int = 0


# --- the engine -----------------------------------------------------------------------------------------------------

_ENGINE = None


def engine():
    """RapidOCR, loaded once per process (its three models are in the wheel)."""
    global _ENGINE
    if os.environ.get("REGKB_OCR") == "off":
        raise OCRUnavailable("needs OCR, and OCR is turned off (REGKB_OCR=off): unset it to read scans")
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as error:      # not installed, or OpenCV without its system library (libGL)
            raise OCRUnavailable(f"needs OCR, and the OCR engine cannot be loaded ({error}): install it with "
                                 "pip install -e '.[ocr]' (OpenCV also needs Debian's libgl1)") from None
        _ENGINE = RapidOCR()
    return _ENGINE


def available() -> str | None:
    """None when scans can be read here, else why not (for a test to skip with)."""
    try:
        engine()
    except OCRUnavailable as error:
        return str(error)
    return None


class OCRFailed(Unparseable):
    """The engine could not recognise a page (out of memory under the document limit, a page it cannot take)."""


def recognise(image) -> list[Box]:
    """The text boxes of a page image (a numpy array, RGB or grey). OCRFailed when the engine fails on it."""
    try:
        result, _ = engine()(image)
    except OCRUnavailable:
        raise
    except Exception as error:   # the engine's own errors (ONNX Runtime's, OpenCV's, MemoryError): the page's reason
        memory = "bad_alloc" in str(error) or isinstance(error, MemoryError)
        raise OCRFailed(f"needs OCR, and the OCR engine failed on a page ({type(error).__name__}: "
                        f"{str(error)[-160:]})" + ("; it ran out of memory under the document limit: raise "
                                                   "REGKB_DOCUMENT_MEMORY_MB and rebuild" if memory else "")) from None
    boxes = []
    for corners, text, score in result or []:
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        if text and text.strip():
            boxes.append(Box(squash(text), round(float(score), 3), min(xs), min(ys), max(xs), max(ys)))
    return boxes


# --- pages ----------------------------------------------------------------------------------------------------------

def page_images(data: bytes, kind: str) -> list:
    """Each page as a greyscale numpy array: a PDF's pages rendered at ``DPI``, an image's frames."""
    import numpy as np

    if kind == "pdf":
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise Unparseable(f"not a readable PDF ({error})") from None
        if len(document) > MAX_PAGES:
            raise Unparseable(f"a scan of {len(document)} pages: more than the {MAX_PAGES} regkb recognises")
        pages = []
        for page in document:
            width, height = page.get_size()
            # a page declared huge is rendered at most MAX_PIXELS, not at DPI
            scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1)) ** 0.5)
            pages.append(np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L")))
        document.close()
        return pages
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        picture = Image.open(io.BytesIO(data))
        frames = [np.asarray(frame.convert("L")) for frame in ImageSequence.Iterator(picture)][:MAX_PAGES]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise Unparseable(f"not a readable image ({type(error).__name__}: {error})") from None
    return frames


def straighten(gray):
    """The page turned upright: the angle (within ±MAX_SKEW, to a quarter degree) at which its rows of ink are
    sharpest, i.e. the horizontal projection of the inked pixels varies most."""
    import cv2
    import numpy as np

    ink = (gray < 160).astype(np.uint8)
    small = cv2.resize(ink, (max(ink.shape[1] // 2, 1), max(ink.shape[0] // 2, 1)), interpolation=cv2.INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1.0), small.shape[::-1])
        return float(np.var(turned.sum(axis=1)))

    coarse = max((a / 2 for a in range(int(-2 * MAX_SKEW), int(2 * MAX_SKEW) + 1)), key=sharpness)
    angle = max((coarse + a / 8 for a in range(-4, 5)), key=sharpness)
    if abs(angle) < 0.2:
        return gray
    matrix = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, gray.shape[::-1], flags=cv2.INTER_LINEAR, borderValue=255)


# --- rulings and cells ----------------------------------------------------------------------------------------------

def _runs(profile, threshold: float) -> list[int]:
    """Centres of the runs of ``profile`` above ``threshold`` (a ruling a few pixels thick is one line)."""
    out, start = [], None
    for i, value in enumerate(list(profile) + [0]):
        if value >= threshold and start is None:
            start = i
        elif value < threshold and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    return out


def rulings(gray):
    """(horizontal ruling mask, vertical ruling mask, row boundaries ys, column boundaries xs), or None when the
    page has no ruled table."""
    import cv2

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    height, width = ink.shape
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // 25, 10), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(height // 40, 10))))
    # a ruling survives the opening as a run of ink; bridge the gaps a scan leaves in it
    across = cv2.dilate(across, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    down = cv2.dilate(down, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    rows = across.sum(axis=1) / 255
    columns = down.sum(axis=0) / 255
    if not rows.max() or not columns.max():
        return None
    ys = _runs(rows, 0.5 * rows.max())
    xs = _runs(columns, 0.5 * columns.max())
    if len(ys) < 3 or len(xs) < 3:
        return None
    return across, down, ys, xs


def _ruled(mask, fixed: int, start: int, end: int, *, horizontal: bool) -> bool:
    """Whether a ruling runs along most of the segment (a boundary, not a merged cell's inside)."""
    lo, hi = max(fixed - 3, 0), fixed + 4
    strip = mask[lo:hi, start:end] if horizontal else mask[start:end, lo:hi]
    if strip.size == 0:
        return False
    covered = (strip.max(axis=0 if horizontal else 1) > 0).mean()
    return bool(covered > 0.6)


def _cells(across, down, ys: list[int], xs: list[int]) -> dict[tuple[int, int], int]:
    """Each position's block: positions joined where no ruling separates them (union-find), block ids by first
    position in reading order."""
    parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            margin_x = (xs[c + 1] - xs[c]) // 6
            margin_y = (ys[r + 1] - ys[r]) // 6
            if c + 1 < len(xs) - 1 and not _ruled(down, xs[c + 1], ys[r] + margin_y, ys[r + 1] - margin_y,
                                                  horizontal=False):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < len(ys) - 1 and not _ruled(across, ys[r + 1], xs[c] + margin_x, xs[c + 1] - margin_x,
                                                  horizontal=True):
                parent[find((r + 1, c))] = find((r, c))
    return {position: find(position) for position in parent}


def _in_reading_order(boxes: list[Box]) -> list[Box]:
    """A cell's boxes line by line (``_lines``), top to bottom, each line left to right."""
    return [box for line in _lines(boxes) for box in line]


_CJK = r"[\u3400-\u9fff]"
# brackets beside Chinese are the full-width ones (汇丰银行（中国）有限公司): the recogniser cannot tell the two
# glyphs apart, and a name must read as the other formats of the same table give it
_BRACKETED = re.compile(rf"\((?P<inside>{_CJK}{{1,12}})\)(?={_CJK}|$)")


def _join(boxes: list[Box]) -> str:
    """A cell's boxes as one value, joined as the PDF reader joins a wrapped cell's lines (``join_wrapped``)."""
    return _BRACKETED.sub(r"（\g<inside>）", join_wrapped("\n".join(box.text for box in boxes)))


def grid_of(boxes: list[Box], across, down, ys: list[int], xs: list[int], keys) -> tuple[Grid, dict]:
    """The ruled table as a grid; and each block's (score, region) for the doubts."""
    blocks = _cells(across, down, ys, xs)
    held: dict[tuple[int, int], list[Box]] = {}
    for box in boxes:
        x, y = box.centre
        r = next((i for i in range(len(ys) - 1) if ys[i] <= y < ys[i + 1]), None)
        c = next((i for i in range(len(xs) - 1) if xs[i] <= x < xs[i + 1]), None)
        if r is not None and c is not None:
            held.setdefault(blocks[(r, c)], []).append(box)
    covering: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for position, block in blocks.items():
        covering.setdefault(block, []).append(position)
    builder = GridBuilder(keys=keys)
    made: dict[tuple[int, int], Cell] = {}
    trust: dict[int, tuple[float, tuple[int, int, int, int]]] = {}
    for position, block in sorted(blocks.items()):
        if block not in made:
            inside = _in_reading_order(held.get(block, []))
            made[block] = builder.new(_join(inside))
            covered = covering[block]
            region = (xs[min(c for _, c in covered)], ys[min(r for r, _ in covered)],
                      xs[max(c for _, c in covered) + 1], ys[max(r for r, _ in covered) + 1])
            trust[made[block].key] = (min((b.score for b in inside), default=1.0), region)
        builder.put(*position, made[block])
    return builder.build(height=len(ys) - 1), trust


def _lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes sharing a baseline, top to bottom, each line left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.centre[1]):
        if lines and abs(box.centre[1] - lines[-1][-1].centre[1]) < (box.y1 - box.y0) / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _split(box: Box, cut: float) -> tuple[Box, Box]:
    """A box the recogniser ran over a column gap (「企业名称处罚决定」), cut where the gap is, by its characters'
    share of its width (Chinese glyphs are of one width)."""
    at = max(1, min(len(box.text) - 1, round((cut - box.x0) / max(box.x1 - box.x0, 1) * len(box.text))))
    return (Box(box.text[:at], box.score, box.x0, box.y0, cut, box.y1),
            Box(box.text[at:], box.score, cut, box.y0, box.x1, box.y1))


def aligned_grid(boxes: list[Box], keys) -> tuple[Grid, dict, list[Box]]:
    """A table printed without rulings, from how its boxes line up (the unruled-PDF reader's logic): its columns
    are the runs of x its body's boxes cover, its header the lines above the first numbered line, each row from one
    序号 to the next. ([], {}, boxes) when no such table is there; (grid, trust, the boxes outside it)."""
    lines = _lines(boxes)
    numbered = [i for i, line in enumerate(lines) if line[0].text.isdigit() and len(line) >= 3]
    if not numbered:
        return [], {}, boxes
    first = numbered[0]
    top = first
    while top > 0 and len(lines[top - 1]) >= 2:
        top -= 1
    if top == first:    # numbered lines under no header: a list in running text, not a table
        return [], {}, boxes
    spans: list[list[float]] = []
    for box in sorted((b for line in lines[first:] for b in line), key=lambda b: b.x0):
        if spans and box.x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], box.x1)
        else:
            spans.append([box.x0, box.x1])
    for box in (b for line in lines[top:first] for b in line):   # a header over a column no row fills (备注)
        if box.x0 > spans[-1][1]:
            spans.append([box.x0, box.x1])
    if len(spans) < 3:
        return [], {}, boxes
    cuts = [(left[1] + right[0]) / 2 for left, right in zip(spans, spans[1:])]

    def column(x: float) -> int:
        return sum(x >= cut for cut in cuts)

    groups = [lines[top:first]] + [lines[a:b] for a, b in zip(numbered, numbered[1:] + [len(lines)])]
    builder = GridBuilder(keys=keys)
    trust: dict[int, tuple[float, tuple[int, int, int, int]]] = {}
    for r, group in enumerate(groups):
        held: dict[int, list[Box]] = {}
        for line in group:
            for box in line:
                for cut in [c for c in cuts if box.x0 + 4 < c < box.x1 - 4]:
                    head, box = _split(box, cut)
                    held.setdefault(column(head.centre[0]), []).append(head)
                held.setdefault(column(box.centre[0]), []).append(box)
        y0, y1 = min(b.y0 for line in group for b in line), max(b.y1 for line in group for b in line)
        for c in range(len(spans)):
            inside = _in_reading_order(held.get(c, []))
            cell = builder.add(r, c, _join(inside))
            trust[cell.key] = (min((b.score for b in inside), default=1.0),
                               (int(spans[c][0]), int(y0), int(spans[c][1]), int(y1)))
    outside = [b for line in lines[:top] for b in line]
    return builder.build(), trust, outside


def text_lines(boxes: list[Box]) -> list[str]:
    """A page without a table as lines of text: boxes sharing a baseline make one line, left to right."""
    return [" ".join(b.text for b in line) for line in _lines(boxes)]


# --- checks ---------------------------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟][\d,，.]*\s*(?:万|亿)?元")
_NUMBER_LABELS = ("文号", "文书号")
# (the words a column's header holds, the words that rule it out): 作出行政处罚决定机关名称 is no party's name,
# 处罚决定书文号 no amount
_PARTY_COLUMN = (("名称", "当事人", "被处罚"), ("机关", "文号", "日期"))
_AMOUNT_COLUMN = (("处罚内容", "罚款", "金额", "处罚种类"), ("文号", "机关", "日期", "依据"))


def _header(grid: Grid) -> int | None:
    """The index of a grid's header row: the row naming a 文号 column (a title row may stand above it)."""
    return next((r for r, row in enumerate(grid) if any(label in cell.text for cell in row
                                                        for label in _NUMBER_LABELS)), None)


def _column(header: list[Cell], labels, ruled_out=()) -> int | None:
    return next((c for c, cell in enumerate(header) if any(label in cell.text for label in labels)
                 and not any(word in cell.text for word in ruled_out)), None)


def row_scores(grid: Grid, trust: dict) -> dict[str, float]:
    """Each body row's 文号 as read → the lowest recognition score among the row's cells (what the decision read
    from that row carries as its ``ocr_score``)."""
    top = _header(grid)
    if top is None:
        return {}
    at = _column(grid[top], _NUMBER_LABELS)
    out: dict[str, float] = {}
    for row in grid[top + 1:]:
        if row[at].text:
            score = min(trust.get(cell.key, (1.0,))[0] for cell in row if cell.text)
            out[row[at].text] = min(score, out.get(row[at].text, 1.0))
    return out


def doubts_of(grid: Grid, trust: dict, page: int) -> list[Doubt]:
    """What a person should check in a grid read by OCR: see the module's docstring."""
    top = _header(grid)
    if top is None:
        return []
    header = grid[top]
    number = _column(header, _NUMBER_LABELS)
    party, amount = _column(header, *_PARTY_COLUMN), _column(header, *_AMOUNT_COLUMN)
    out = []
    for row in grid[top + 1:]:
        if not any(cell.text for cell in row):
            continue
        for c, check in ((number, "number"), (party, "party"), (amount, "amount")):
            if c is None:
                continue
            cell = row[c]
            score, region = trust.get(cell.key, (1.0, (0, 0, 0, 0)))
            why = None
            if check == "number" and not NUMBER_ALONE.match(cell.text):
                why = "不是完整的文号"
            elif check == "amount" and "罚款" in cell.text and not _AMOUNT.search(cell.text):
                why = "读不出金额"
            elif score < CONFIDENT:
                why = "识别置信度低"
            if why:
                out.append(Doubt(row[number].text, header[c].text, cell.text, score, why, page, region))
    return out


# --- the reader -----------------------------------------------------------------------------------------------------

def _cached(data: bytes, page: int, image) -> list[Box]:
    folder = os.environ.get("REGKB_OCR_CACHE")
    if not folder:
        return recognise(image)
    path = Path(folder) / f"{hashlib.sha256(data).hexdigest()}-{page}.json"
    if path.exists():
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
            if found.get("engine") == ENGINE and found.get("dpi") == DPI:
                return [Box(**box) for box in found["boxes"]]
        except (ValueError, TypeError, KeyError):
            pass    # a damaged cache entry is recognised again
    boxes = recognise(image)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".tmp-{os.getpid()}")
    partial.write_text(json.dumps({"engine": ENGINE, "dpi": DPI, "boxes": [asdict(b) for b in boxes]},
                                  ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)
    return boxes


def read_scan(data: bytes, kind: str) -> ScanReading:
    """A scanned PDF or an image read by OCR: its tables as grids (with the doubts), else its text as lines.
    OCRUnavailable when the engine is not installed; Unparseable when OCR finds no text at all."""
    engine()
    keys = itertools.count()
    reading = ScanReading()
    lines: list[str] = []
    for number, gray in enumerate(page_images(data, kind), start=1):
        gray = straighten(gray)
        boxes = _cached(data, number, gray)
        reading.pages += 1
        ruled = rulings(gray)
        if ruled is not None:
            across, down, ys, xs = ruled
            inside = [b for b in boxes if xs[0] <= b.centre[0] <= xs[-1] and ys[0] <= b.centre[1] <= ys[-1]]
            grid, trust = grid_of(inside, across, down, ys, xs, keys)
            outside = [b for b in boxes if b not in inside]
        else:
            grid, trust, outside = aligned_grid(boxes, keys)
            if grid:
                check_unruled(grid)
        if grid:
            reading.grids.append(grid)
            reading.doubts += doubts_of(grid, trust, number)
            reading.scores.update(row_scores(grid, trust))
        lines += text_lines(outside)
    if not reading.grids and not any(line.strip() for line in lines):
        raise Unparseable(f"needs OCR, and OCR ({ENGINE}) found no text on its {reading.pages} page(s): a blank or "
                          "unreadable scan, for a person to read")
    reading.lines = clean_lines(lines)
    return reading
