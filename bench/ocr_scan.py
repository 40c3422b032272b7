"""Is offline OCR good enough to read a scanned 公示表? Measured on the demo's scan, in OCR's best case.

The scan (sources/pboc/demo/attachments/shanghai_2015_scan.pdf) is the text PDF beside it rendered at
150 dpi. The text PDF gives each cell's box and its true text, so each cell is cut out of the scan and recognised
alone by tesseract (chi_sim, from Debian's tesseract-ocr-chi-sim): no table detection is needed, which a real scan
would need first. Prints, per kind of cell, how many came out exactly right and the share of characters right.

    .venv/bin/python bench/ocr_scan.py          (needs tesseract with chi_sim and pdftoppm)
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ATTACHMENTS = ROOT / "sources" / "pboc" / "demo" / "attachments"
SCAN_DPI = 150
KINDS = {1: "party name", 2: "decision number", 4: "sanction and amount", 6: "date"}


def cells_of_text_pdf(path: Path) -> list[tuple[int, int, tuple, str]]:
    """(row, column, box in points, true text) of every body cell of the text PDF's table."""
    import pdfplumber

    from nlp.formats.pdf import join_wrapped

    out = []
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        table = page.find_tables()[0]
        texts = table.extract()
        for r, row in enumerate(table.rows):
            for c, box in enumerate(row.cells):
                if r and box is not None and texts[r][c]:
                    out.append((r, c, box, join_wrapped(texts[r][c])))
    return out


def main() -> int:
    for tool in ("tesseract", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"needs {tool}: apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils", file=sys.stderr)
            return 2
    from PIL import Image

    cells = cells_of_text_pdf(ATTACHMENTS / "shanghai_2015_text.pdf")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        subprocess.run(["pdftoppm", "-r", str(SCAN_DPI), "-png", str(ATTACHMENTS / "shanghai_2015_scan.pdf"),
                        str(folder / "scan")], check=True)
        image = Image.open(next(folder.glob("scan-*.png")))
        scale = SCAN_DPI / 72
        results: dict[str, list[tuple[bool, float]]] = {}
        for r, c, (x0, top, x1, bottom), truth in cells:
            crop = image.crop((int(x0 * scale) + 2, int(top * scale) + 2, int(x1 * scale) - 2, int(bottom * scale) - 2))
            crop = crop.resize((crop.width * 2, crop.height * 2))
            buffer = io.BytesIO()
            crop.save(buffer, format="PNG")
            (folder / "cell.png").write_bytes(buffer.getvalue())
            read = subprocess.run(["tesseract", str(folder / "cell.png"), "stdout", "-l", "chi_sim", "--psm", "6"],
                                  capture_output=True, text=True).stdout
            read = "".join(read.split())
            exact = read == "".join(truth.split())
            ratio = SequenceMatcher(None, read, truth).ratio()
            results.setdefault(KINDS.get(c, "other"), []).append((exact, ratio))
            if not exact and c in KINDS:
                print(f"  row {r} {KINDS[c]}: {truth!r} read as {read!r}")
    print(f"\n{'cells':<22}{'n':>4}{'exact':>8}{'chars right':>13}")
    for kind, scores in sorted(results.items()):
        exact = sum(e for e, _ in scores) / len(scores)
        chars = sum(r for _, r in scores) / len(scores)
        print(f"{kind:<22}{len(scores):>4}{exact:>8.0%}{chars:>13.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
