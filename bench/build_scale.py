"""The build at scale: the demo archive multiplied 1×, 10× and 100×, built serially and with every core.

    make bench-build                         # or: .venv/bin/python bench/build_scale.py [--factors 1 10 100]

The archive is multiplied from the demo's own (`regkb demo --no-serve`, run first if missing): each copy ``k`` of a
text document (an NFRA JSON answer, a PBOC or CSRC page) is the same bytes with every decision number's serial
made unique (「〔2021〕35号」 → 「〔2021〕35007号」 for k = 7, in UTF-8 and in GB18030), under the doc id
``<doc_id>x<k>``, listed as the original was, so that each copy is a decision of its own, read and loaded like the
original, not set aside as a copy. Office attachments and scans are not multiplied (their bytes cannot be edited
so simply, and LibreOffice's start-up would dominate): the 1× row builds them, the others build text documents,
which are what the regulators mostly publish (the NFRA's 64,500 decisions are JSON answers).

For each size: decisions per second of wall time (and CPU seconds of this process and its workers) for ``--jobs 1``
and ``--jobs N`` (all cores), whether the two databases hold the same rows, and the growth exponent of wall time
against decisions (1.0 is linear). The baseline is the serial build of the same archive in the same run.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasette_scale import demo_database  # noqa: E402
from crawler.archive import Archive  # noqa: E402
from nlp.formats.attachments import sniff  # noqa: E402

TEXT_KINDS = {"html", "json", "text"}
# the serial of a decision number, before its closing 号: in UTF-8, and in GB18030 (PBOC pages)
SERIALS = [(re.compile("〕(\\d+)号".encode()), "〕".encode(), "号".encode()),
           (re.compile("〕(\\d+)号".encode("gb18030")), "〕".encode("gb18030"), "号".encode("gb18030"))]


def demo_archive(folder: Path) -> Path:
    """The archive `regkb demo --no-serve` crawled for the demo database (built first if missing)."""
    return demo_database(folder).parent / "demo" / "archive"


def vary(body: bytes, k: int) -> bytes:
    for pattern, opening, closing in SERIALS:
        body = pattern.sub(lambda m: opening + m.group(1) + f"{k:03d}".encode() + closing, body)
    return body


def multiplied(demo: Path, target: Path, factor: int) -> Path:
    """A copy of the demo archive with each text document ``factor`` times (the original and factor-1 copies)."""
    if (target / "index.sqlite").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(demo, target)
    if factor == 1:
        return target
    source, archive = Archive(demo), Archive(target)
    listings = sqlite3.connect(demo / "index.sqlite")
    listings.row_factory = sqlite3.Row
    for fetch in source.documents():
        body = source.read(fetch.sha256)
        if sniff(body) not in TEXT_KINDS:
            continue
        listing = listings.execute("select * from listings where source = ? and doc_id = ?",
                                   (fetch.source, fetch.doc_id)).fetchone()
        for k in range(1, factor):
            doc_id = f"{fetch.doc_id}x{k}"
            copy = archive.store(vary(body, k), url=fetch.url, source=fetch.source, kind="document",
                                 http_status=fetch.http_status, content_type=fetch.content_type, doc_id=doc_id,
                                 item_id=fetch.item_id)
            archive.judge(copy.fetch_id, "ok")
            if listing is not None:
                archive.list_document(fetch.source, doc_id, url=listing["url"], title=listing["title"],
                                      published=listing["published"], list_url=listing["list_url"],
                                      parent_doc_id=listing["parent_doc_id"], branch=listing["branch"])
    source.close()
    archive.close()
    return target


def timed_build(archive: Path, db: Path, jobs: int) -> dict:
    """`regkb build` in a process of its own: wall seconds, CPU seconds (with its workers), peak memory."""
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "regkb", "build", str(db), "--archive", str(archive), "--jobs", str(jobs)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "REGKB_REDACTIONS": "/nonexistent"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    decisions = sqlite3.connect(db).execute("select count(*) from decisions").fetchone()[0]
    return {"wall": wall, "cpu": cpu, "decisions": decisions, "rss_mb": after.ru_maxrss / 1024}


def contents(db: Path) -> dict[str, int]:
    """Each table's rows, hashed in key order, so that two builds compare without holding them in memory."""
    connection = sqlite3.connect(db)
    tables = [row[0] for row in connection.execute(
        "select name from sqlite_master where type = 'table' and name not like '%fts%' and name not like 'sqlite_%'")]
    digest = {}
    for table in sorted(tables):
        columns = [row[1] for row in connection.execute(f"pragma table_info([{table}])")
                   if row[1] not in {"quarantined_at"}]
        select = ", ".join(f"[{c}]" for c in columns)
        digest[table] = hash(tuple(connection.execute(f"select {select} from [{table}] order by {select}")))
    return digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/regkb-bench-build"))
    args = parser.parse_args()
    demo = demo_archive(args.folder)
    print(f"{'archive':>8} {'decisions':>9} {'jobs':>4} {'wall s':>7} {'CPU s':>7} {'decisions/s':>11} "
          f"{'× serial':>8} {'peak MB':>7}  same rows as serial")
    points = []
    for factor in args.factors:
        archive = multiplied(demo, args.folder / f"x{factor}" / "archive", factor)
        serial = timed_build(archive, args.folder / f"x{factor}" / "serial.db", 1)
        parallel = timed_build(archive, args.folder / f"x{factor}" / "parallel.db", args.jobs)
        same = contents(args.folder / f"x{factor}" / "serial.db") == contents(args.folder / f"x{factor}" /
                                                                               "parallel.db")
        for jobs, run in ((1, serial), (args.jobs, parallel)):
            print(f"{factor:>7}× {run['decisions']:>9} {jobs:>4} {run['wall']:>7.1f} {run['cpu']:>7.1f} "
                  f"{run['decisions'] / run['wall']:>11.1f} {serial['wall'] / run['wall']:>7.2f}× "
                  f"{run['rss_mb']:>7.0f}  {'' if jobs == 1 else ('yes' if same else 'NO')}", flush=True)
        points.append((parallel["decisions"], parallel["wall"]))
    if len(points) >= 2 and points[0][0] != points[-1][0]:
        (n0, t0), (n1, t1) = points[1] if len(points) > 2 else points[0], points[-1]
        exponent = math.log(t1 / t0) / math.log(n1 / n0)
        rate = n1 / t1
        print(f"growth exponent of wall time, {n0} → {n1} decisions: {exponent:.2f} (1.0 = linear); "
              f"100,000 decisions at {rate:.0f}/s: {100_000 / rate / 60:.1f} min")
        # what each further decision costs, the start-up and the 1× archive's office files and scans set aside: the
        # largest build plus the decisions it lacks of 100,000 at the rate between the two largest
        (n_before, t_before) = points[-2]
        marginal = (n1 - n_before) / (t1 - t_before)
        print(f"between {n_before} and {n1} decisions: {marginal:.0f} decisions/s; 100,000 decisions at that rate "
              f"after the largest build: {(t1 + (100_000 - n1) / marginal) / 60:.1f} min (goal < 5)")


if __name__ == "__main__":
    main()
