"""How long reading a PBOC 公示表 takes in each attachment format, beside the same table read from its .xlsx.

Each file of sources/pboc/demo/attachments/ holding the Shanghai table is analysed end to end (format told from
the bytes, the tables read, one decision per 文号 with its entities) several times, each time from cold (the
process's memory of already-read bytes cleared), and the median is printed with its ratio to the .xlsx in this run.
.doc and .wps go through LibreOffice, which dominates their time.

    .venv/bin/python bench/attachments.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ATTACHMENTS = ROOT / "sources" / "pboc" / "demo" / "attachments"
FILES = ["shanghai_2015.xlsx", "shanghai_2015.xls", "shanghai_2015.et", "shanghai_2015.docx",
         "shanghai_2015_text.pdf", "shanghai_2015.doc", "shanghai_2015.wps", "head_office_2026_104_116.pdf"]


# Kingsoft's .et and .wps: the .xls and .doc bytes under Kingsoft's names (sources/pboc/demo/README.md)
KINGSOFT = {"shanghai_2015.et": "shanghai_2015.xls", "shanghai_2015.wps": "shanghai_2015.doc"}
_KINGSOFT_DIR = Path(tempfile.mkdtemp(prefix="regkb-bench-"))


def attachment(name: str) -> Path:
    if name in KINGSOFT:
        path = _KINGSOFT_DIR / name
        shutil.copyfile(ATTACHMENTS / KINGSOFT[name], path)
        return path
    return ATTACHMENTS / name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from nlp.formats.converters import available
    from pipeline.files import analyse_path

    analyse_path(attachment(FILES[0]))   # load the pipeline once, outside the timings
    rows = []
    for name in FILES:
        if name.endswith((".doc", ".wps")) and not available("soffice"):
            rows.append((name, None, None, "skipped: no LibreOffice"))
            continue
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            decisions = analyse_path(attachment(name))
            times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(times), len(decisions), ""))
    baseline = rows[0][1]
    print(f"{'file':<32}{'decisions':>10}{'median ms':>11}{'× .xlsx':>9}")
    for name, seconds, decisions, note in rows:
        if seconds is None:
            print(f"{name:<32}{note:>30}")
            continue
        print(f"{name:<32}{decisions:>10}{seconds * 1000:>11.1f}{seconds / baseline:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
