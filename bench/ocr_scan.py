"""Offline OCR of scanned 公示表: the reader regkb uses (RapidOCR's PP-OCR, through nlp/formats/ocr.py: rulings
found, boxes placed in cells) beside tesseract's chi_sim in its best case, on the same scans, in the same run.

    make bench-ocr          # or: .venv/bin/python bench/ocr_scan.py

The scans: the demo's (sources/pboc/demo/attachments/shanghai_2015_scan.pdf, the text PDF beside it rendered at
150 dpi) and the four made from the same real table (tests/fixtures/assembled/scans/: 150 and 300 dpi, turned
2.5°, JPEG noise). The truth is the table's text PDF, cell by cell. Tesseract is given its best case: each cell cut
out of the scan by the text PDF's own boxes and recognised alone (``--psm 6``), so it needs no table detection; a
turned scan has no such boxes, so it is not run there. regkb's reader is given the whole page, as the build gives it.

Per scan and engine: party names, 文号 and sanctions (the 行政处罚内容 cell: 罚款人民币50万元) read exactly, of 5 each,
and seconds per page. Tesseract needs Debian's tesseract-ocr-chi-sim and poppler-utils; without them its columns
say so.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ATTACHMENTS = ROOT / "sources" / "pboc" / "demo" / "attachments"
SCANS = ROOT / "tests" / "fixtures" / "assembled" / "scans"
KINDS = {1: "party", 2: "文号", 4: "sanction"}
# scan → (dpi its page is at, whether the text PDF's cell boxes fit it)
CASES = {
    ATTACHMENTS / "shanghai_2015_scan.pdf": (150, True),
    SCANS / "shanghai_2015_150dpi.png": (150, True),
    SCANS / "shanghai_2015_300dpi.png": (300, True),
    SCANS / "shanghai_2015_rotated.png": (150, False),
    SCANS / "shanghai_2015_noisy.jpg": (150, True),
}


def truth_cells() -> list[tuple[int, int, tuple, str]]:
    """(row, column, box in points, true text) of every body cell of the text PDF's table."""
    import pdfplumber

    from nlp.formats.pdf import join_wrapped

    out = []
    with pdfplumber.open(ATTACHMENTS / "shanghai_2015_text.pdf") as pdf:
        table = pdf.pages[0].find_tables()[0]
        texts = table.extract()
        for r, row in enumerate(table.rows):
            for c, box in enumerate(row.cells):
                if r and box is not None and texts[r][c] and c in KINDS:
                    out.append((r, c, box, join_wrapped(texts[r][c])))
    return out


def page_image(path: Path, dpi: int):
    from PIL import Image

    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path.read_bytes())
        image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        document.close()
        return image
    return Image.open(path).convert("L")


def tesseract(path: Path, dpi: int, cells) -> tuple[dict[str, int], float] | str:
    """Each cell cut out by its true box and read alone by tesseract: exact cells per kind, seconds for the page."""
    if shutil.which("tesseract") is None:
        return "needs tesseract-ocr-chi-sim"
    image = page_image(path, dpi)
    scale = dpi / 72
    right = {kind: 0 for kind in KINDS.values()}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        cell_png = Path(work) / "cell.png"
        for _, c, (x0, top, x1, bottom), truth in cells:
            crop = image.crop((int(x0 * scale) + 2, int(top * scale) + 2, int(x1 * scale) - 2, int(bottom * scale) - 2))
            if dpi < 300:
                crop = crop.resize((crop.width * 2, crop.height * 2))
            buffer = io.BytesIO()
            crop.save(buffer, format="PNG")
            cell_png.write_bytes(buffer.getvalue())
            read = subprocess.run(["tesseract", str(cell_png), "stdout", "-l", "chi_sim", "--psm", "6"],
                                  capture_output=True, text=True).stdout
            right[KINDS[c]] += "".join(read.split()) == "".join(truth.split())
    return right, time.perf_counter() - began


def rapidocr(path: Path, cells) -> tuple[dict[str, int], float] | str:
    """The page read by regkb's scan reader: exact cells per kind (by row and column), seconds for the page."""
    from nlp.formats import ocr

    why = ocr.available()
    if why:
        return why
    began = time.perf_counter()
    reading = ocr.read_scan(path.read_bytes(), "pdf" if path.suffix == ".pdf" else "image")
    seconds = time.perf_counter() - began
    grid = reading.grids[0] if reading.grids else []
    right = {kind: 0 for kind in KINDS.values()}
    for r, c, _, truth in cells:
        read = grid[r][c].text if r < len(grid) and c < len(grid[r]) else ""
        right[KINDS[c]] += read == truth
    return right, seconds / max(reading.pages, 1)


def main() -> int:
    cells = truth_cells()
    rows = len({r for r, _, _, _ in cells})
    print(f"{'scan':34}{'engine':12}{'party':>8}{'文号':>8}{'sanction':>10}{'s/page':>8}")
    for path, (dpi, boxes_fit) in CASES.items():
        for engine, result in (("rapidocr", rapidocr(path, cells)),
                               ("tesseract", tesseract(path, dpi, cells) if boxes_fit
                                else "no cell boxes for a turned page")):
            if isinstance(result, str):
                print(f"{path.name:34}{engine:12}  {result}")
                continue
            right, seconds = result
            print(f"{path.name:34}{engine:12}" + "".join(f"{f'{right[k]}/{rows}':>{w}}"
                                                         for k, w in (("party", 8), ("文号", 8), ("sanction", 10)))
                  + f"{seconds:8.1f}")
    print("(exact cells of the five rows; rapidocr reads the whole page as the build does, tesseract each cell cut out "
          "by its true box)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
