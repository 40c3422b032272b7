"""Fuzzing the readers: seeded mutations of real documents, and crafted files, through `regkb parse`'s reading (in a
worker under the build's limits) and through a build. Every outcome is one of: read, refused with a reason (the
document is quarantined), or a failure of regkb's: a traceback (a bug), a hang (over the time limit), memory (over
the memory limit). Goal: 0 of each failure.

    .venv/bin/python bench/fuzz.py -n 10000 [--seed 1] [--seconds 20] [--memory-mb 1024] [--no-build]

Prints the counts by outcome and by mutation, and each failure with the seed that reproduces it
(``--replay SEED:INDEX`` runs that one mutant again and prints its traceback). Exits 1 if any failure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.archive import Archive  # noqa: E402
from db.build import build  # noqa: E402
from nlp.records import Unparseable  # noqa: E402
from pipeline.files import analyse_path  # noqa: E402
from pipeline.isolation import DocumentTooCostly, Limits, ReaderError, Worker  # noqa: E402

DEMO = ROOT / "sources"
# The real documents mutated: NFRA envelopes (table and full text), a CSRC page, PBOC pages and attachments (the
# LibreOffice formats, .doc and .wps, only rarely: a conversion takes a second), real decision texts.
BASES = [
    DEMO / "nfra/demo/documents/9100001.json", DEMO / "nfra/demo/documents/9100002.json",
    DEMO / "nfra/demo/documents/9000010.json", DEMO / "nfra/demo/documents/9100003.json",
    DEMO / "csrc/demo/site/csrc/c101928/c7625565/content.shtml",
    DEMO / "pboc/demo/site/zhengwugongkai/4081330/4081344/4081407/4081705/5860077/index.html",
    DEMO / "pboc/demo/attachments/shanghai_2015.xlsx", DEMO / "pboc/demo/attachments/shanghai_2015.xls",
    DEMO / "pboc/demo/attachments/shanghai_2015.docx", DEMO / "pboc/demo/attachments/shanghai_2015_text.pdf",
    DEMO / "pboc/demo/attachments/head_office_2026_104_116.pdf", DEMO / "pboc/demo/attachments/lanzhou_2016_3.docx",
    ROOT / "tests/fixtures/real/tianjin_2018_35_penalty_table.html",
    ROOT / "tests/fixtures/real/decision_taiping_2021_35_full.txt",
    ROOT / "tests/fixtures/real/decision_zhe_2007_2_dual_party_head.txt",
]
SLOW = [DEMO / "pboc/demo/attachments/shanghai_2015.doc"]


# -- mutations --------------------------------------------------------------------------------------------------

def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def insert_junk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    junk = rng.choice([b"\x00" * 64, b"\x1b[31m", "\ud800".encode("utf-8", "surrogatepass"), b"\xff\xfe" * 8,
                       bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))])
    return data[:at] + junk + data[at:]


def repeat_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start: start + rng.randint(1, 4096)]
    return data[:start] + chunk * rng.randint(2, 50) + data[start:]


def digits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    positions = [i for i, b in enumerate(out) if 48 <= b <= 57]
    for i in rng.sample(positions, min(len(positions), rng.randint(1, 30))):
        out[i] = rng.choice(b"0123456789")
    return bytes(out)


def spans(data: bytes, rng: random.Random) -> bytes:
    """HTML and Word: spans and merges of absurd sizes."""
    huge = str(rng.choice([0, -1, 999, 1000, 65535, 2 ** 31, 10 ** 12])).encode()
    for attribute in (b'rowspan="', b'colspan="', b'w:gridSpan w:val="', b'w:val="'):
        data = data.replace(attribute, attribute + huge, rng.randint(1, 3))
    return data


def json_fields(data: bytes, rng: random.Random) -> bytes:
    """NFRA envelopes: fields of the wrong type, lone surrogates, nesting."""
    try:
        answer = json.loads(data)
    except ValueError:
        return flip_bytes(data, rng)
    payload = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(payload, dict):
        return flip_bytes(data, rng)
    key = rng.choice([*payload] or ["docClob"])
    payload[key] = rng.choice([None, 0, 1.5e308, [], {}, "", "\ud800", "\x00" * 10, "<" * 10_000,
                               [[[[["deep"]]]]], "罚款" * 50_000, True])
    return json.dumps(answer, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


def zip_member(data: bytes, rng: random.Random) -> bytes:
    """OOXML: one member of the package corrupted or its XML made hostile."""
    import io
    import zipfile

    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return flip_bytes(data, rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        victim = rng.choice(names)
        for name in names:
            content = source.read(name)
            if name == victim:
                content = rng.choice([
                    content[: len(content) // 2],
                    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "' + b"x" * 1000 + b'">]><a>&b;&b;&b;</a>',
                    content.replace(b"<w:tc>", b"<w:tc>" * 50),
                    content.replace(b'ref="', b'ref="XFD1048576:'),
                    b"",
                ])
            target.writestr(name, content)
    return out.getvalue()


MUTATIONS = [flip_bytes, truncate, insert_junk, repeat_chunk, digits, spans, json_fields, zip_member]


def crafted() -> dict[str, bytes]:
    """Files no site should serve, written whole: what the readers must refuse in their own time."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "当事人名称"
    book.active.cell(row=1_048_576, column=16_384, value="x")
    xlsx = io.BytesIO()
    book.save(xlsx)
    table = "<table>" + "<tr>" + '<td rowspan="1000" colspan="1000">罚款</td>' * 20 + "</tr>" * 5 + "</table>"
    return {
        "empty.pdf": b"", "nine.pdf": b"%PDF-1.4\n", "huge-sheet.xlsx": xlsx.getvalue(),
        "span.html": table.encode(), "nul.txt": b"\x00" * 10_000, "utf16.txt": "当事人：某银行".encode("utf-16"),
        "deep.html": b"<div>" * 50_000 + "罚款".encode() + b"</div>" * 50_000,
        "long-line.txt": ("当事人：某银行" + "罚款50万元，" * 200_000).encode(),
        "bomb.json": b'{"rptCode":200,"data":{"docClob":"' + b"<table>" * 100_000 + b'"}}',
        "zip-of-nothing.docx": b"PK\x05\x06" + b"\x00" * 18,
        "surrogate.json": b'{"rptCode":200,"data":{"docClob":"\\ud800<p>\\u5f53\\u4e8b\\u4eba</p>","docTitle":"\\udfff"}}',
        "gbk.txt": "当事人：某农商行\n经查，该行违规发放贷款。\n决定对该行罚款50万元。".encode("gbk"),
    }


# -- running ----------------------------------------------------------------------------------------------------

def outcome(worker: Worker, path: Path) -> tuple[str, str]:
    try:
        worker.call(analyse_path, path)
        return "read", ""
    except DocumentTooCostly as error:
        return ("hang" if "took more than" in str(error) else "memory"), str(error)
    except ReaderError as error:
        return "traceback", f"{error}\n{error.trace}"
    except Unparseable as error:
        return "refused", str(error)
    except FileNotFoundError as error:
        return "refused", str(error)


def mutants(n: int, seed: int):
    rng = random.Random(seed)
    for index in range(n):
        base = SLOW[0] if rng.random() < 0.003 else rng.choice(BASES)
        mutation = rng.choice(MUTATIONS)
        data = base.read_bytes()
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            data = mutation(data, rng) if data else data
        yield index, base, mutation.__name__, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--memory-mb", type=float, default=1024)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--replay", metavar="SEED:INDEX")
    args = parser.parse_args()
    limits = Limits(memory_mb=args.memory_mb, seconds=args.seconds)
    counts: Counter[str] = Counter()
    by_mutation: dict[str, Counter] = {}
    failures = []
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="regkb-fuzz-"))
    try:
        if args.replay:
            seed, index = (int(part) for part in args.replay.split(":"))
            for i, base, name, data in mutants(index + 1, seed):
                if i == index:
                    path = work / f"mutant{base.suffix}"
                    path.write_bytes(data)
                    print(f"{base.relative_to(ROOT)} by {name}:")
                    analyse_path(path)   # in this process: the traceback is printed
            return 0
        cases = [(f"crafted {name}", "crafted", name, data) for name, data in crafted().items()]
        cases += [(f"{args.seed}:{i}", name, base, data) for i, base, name, data in mutants(args.n, args.seed)]
        with Worker(limits) as worker:
            for number, (label, mutation, base, data) in enumerate(cases, start=1):
                name = base if isinstance(base, str) else f"mutant{base.suffix}"
                path = work / f"{number}-{name}"
                path.write_bytes(data)
                result, detail = outcome(worker, path)
                counts[result] += 1
                by_mutation.setdefault(mutation, Counter())[result] += 1
                if result in ("traceback", "hang", "memory"):
                    failures.append((label, str(base if isinstance(base, str) else base.relative_to(ROOT)), mutation,
                                     result, detail))
                if number % 500 == 0:
                    print(f"  {number} of {len(cases)} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
        build_line = ""
        if not args.no_build:
            build_line = fuzz_build(work, cases, limits)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(cases)} documents ({len(crafted())} crafted, {args.n} mutants of {len(BASES) + len(SLOW)} real "
          f"documents, seed {args.seed}) in {time.monotonic() - started:.0f} s; limits {args.seconds:.0f} s, "
          f"{args.memory_mb:.0f} MB")
    print(f"  read {counts['read']}, refused with a reason {counts['refused']}, "
          f"tracebacks {counts['traceback']}, hangs {counts['hang']}, over memory {counts['memory']}")
    for mutation, tally in sorted(by_mutation.items()):
        print(f"  {mutation:<14} " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    if build_line:
        print(build_line)
    for label, base, mutation, result, detail in failures[:20]:
        print(f"\n{result}: {label} ({base}, {mutation}); replay with --replay {label}\n{detail[-1500:]}")
    return exit_status(failures, build_line)


def exit_status(failures: list, build_line: str) -> int:
    """1 when a document gave a traceback, a hang or too much memory, or the build lost one (「3 lost」; its goal
    is 「none lost」), else 0."""
    return 1 if failures or re.search(r"\d+ lost", build_line) else 0


def fuzz_build(work: Path, cases, limits) -> str:
    """The same documents archived as PBOC attachments and NFRA answers and built: every one a decision, a copy
    or quarantined, the build never stopped by one."""
    archive = Archive(work / "archive")
    for number, (label, _, base, data) in enumerate(cases[:400]):
        name = base if isinstance(base, str) else base.name
        source = "nfra" if name.endswith(".json") else "pboc"
        fetch = archive.store(data, url=f"http://127.0.0.1/{number}/{name}", source=source, kind="document",
                              http_status=200, doc_id=f"fuzz{number}", item_id="4114")
        archive.judge(fetch.fetch_id, "ok")
    archive.close()
    started = time.monotonic()
    report = build(work / "archive", work / "regkb.db")
    import hashlib
    import sqlite3

    db = sqlite3.connect(work / "regkb.db")
    kept = {sha for (sha,) in db.execute("select sha256 from raw_documents")}
    fed_hashes = {hashlib.sha256(data).hexdigest() for _, _, _, data in cases[:400]}
    fed = min(len(cases), 400)
    # every archived body has its raw_documents row, read or quarantined: one without is lost
    lost = len(fed_hashes - kept)
    return (f"  build of {fed} of them: {report.decisions} decisions, {report.quarantined} quarantined, "
            f"{report.duplicates} copies, in {time.monotonic() - started:.0f} s; "
            + (f"{lost} lost" if lost else "none lost"))


if __name__ == "__main__":
    sys.exit(main())
