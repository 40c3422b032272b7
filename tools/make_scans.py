"""Make the scans the OCR tests read, from a real table the demo corpus holds (tests/fixtures/assembled/scans/).

The source is sources/pboc/demo/attachments/shanghai_2015_text.pdf: 中国人民银行上海分行's 2015 公示表 (five rows,
real; the PDF is its .docx printed by LibreOffice). Each scan is that page as a scanner or a phone would give it:

    shanghai_2015_150dpi.png     rendered at 150 dpi, greyscale
    shanghai_2015_300dpi.png     rendered at 300 dpi, greyscale
    shanghai_2015_rotated.png    the 150 dpi page turned 2.5 degrees, as a sheet fed askew
    shanghai_2015_noisy.jpg      the 150 dpi page with speckle noise, saved as a JPEG at quality 40
    shanghai_2015_unruled.png    the same table printed without rulings (shanghai_2015_unruled.pdf), at 150 dpi

    .venv/bin/python tools/make_scans.py      (needs pypdfium2 and Pillow: the `ocr` extra)
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "sources" / "pboc" / "demo" / "attachments" / "shanghai_2015_text.pdf"
OUT = ROOT / "tests" / "fixtures" / "assembled" / "scans"


def render(dpi: int, source: Path = SOURCE) -> Image.Image:
    document = pdfium.PdfDocument(source.read_bytes())
    image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    document.close()
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page = render(150)
    page.save(OUT / "shanghai_2015_150dpi.png", optimize=True)
    render(300).save(OUT / "shanghai_2015_300dpi.png", optimize=True)
    page.rotate(2.5, resample=Image.BICUBIC, expand=True, fillcolor=255).save(OUT / "shanghai_2015_rotated.png",
                                                                            optimize=True)
    noisy = page.copy()
    pixels = noisy.load()
    rng = random.Random(2015)
    for _ in range(noisy.width * noisy.height // 60):
        x, y = rng.randrange(noisy.width), rng.randrange(noisy.height)
        pixels[x, y] = rng.choice((0, 90, 170, 255))
    noisy.filter(ImageFilter.GaussianBlur(0.6)).save(OUT / "shanghai_2015_noisy.jpg", quality=40)
    render(150, SOURCE.with_name("shanghai_2015_unruled.pdf")).save(OUT / "shanghai_2015_unruled.png", optimize=True)
    for path in sorted(OUT.glob("shanghai_2015_*")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
