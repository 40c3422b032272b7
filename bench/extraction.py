"""Extraction throughput: documents per second for the full analysis (`regkb extract`'s work per document) beside
jieba segmentation alone on the same text, in the same run, with the ratio, and peak memory.

    make bench          # or: .venv/bin/python bench/extraction.py [--repeat 20]

Corpora: the bundled demo corpus (104 NFRA detail answers: a disclosure table of about 250 characters in 14 KB of
Word markup, inside a 55 KB answer), a larger one made of every document of the demo corpus and of the gold set
(tests/gold/dev/documents: tables, full-text decisions, traditional text, PDF text, pages) repeated --repeat times,
and the gold documents alone, development and held-out (tests/gold/{dev,test}/documents: decisions, news, laws and
pages as published, a few thousand characters each) repeated as often: where the text is long, segmentation is the
larger cost; where a short table sits in a Word page, reading the page is. Then where a demo answer's time goes,
stage by stage, as a bar each. Targets (issue "Fast at the scale of the whole record"): ≥ 400 documents/s on one core,
and the full extraction at ≥ 0.5 of jieba-alone throughput. Then `regkb parse` as a person runs it (a new process,
start-up included) on a JSON answer, a Word-exported HTML table and a CSRC text, the median of three: target < 1.5 s.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sources" / "nfra" / "demo" / "documents"
GOLD = ROOT / "tests" / "gold" / "dev" / "documents"
HELD_OUT = ROOT / "tests" / "gold" / "test" / "documents"
PARSED = {"NFRA JSON answer": DEMO / "9100001.json",
          "Word-exported HTML table": ROOT / "tests" / "fixtures" / "real" / "tianjin_2018_35_penalty_table.html",
          "CSRC decision text": ROOT / "sources" / "csrc" / "demo" / "decisions" / "7474962.txt"}


def load(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.suffix in (".json", ".html", ".txt")]


def texts_of(paths: list[Path]) -> list[str]:
    """The text each document's analysis segments (what jieba alone is timed on)."""
    from pipeline.files import analyse_file

    return [analyse_file(p).text for p in paths]


def timed(function, items) -> float:
    gc.collect()
    start = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - start


def run(name: str, paths: list[Path], rounds: int) -> dict:
    """Each corpus timed ``rounds`` times, extraction and jieba in turn (a shared machine's load falls on both), the
    median of each printed and the median of the rounds' ratios."""
    from nlp.spacy_pipeline import segmenter
    from pipeline.files import analyse_file

    jieba = segmenter()                         # jieba with regkb's dictionary, loaded before it is timed
    texts = texts_of(paths)                     # also warms up OpenCC and the readers
    full, segment = [], []
    for _ in range(rounds):
        full.append(timed(analyse_file, paths))
        segment.append(timed(lambda text: jieba.lcut(text), texts))
    characters = sum(len(t) for t in texts)
    return {
        "corpus": name, "documents": len(paths), "characters": characters,
        "full_docs_per_s": len(paths) / statistics.median(full),
        "jieba_docs_per_s": len(paths) / statistics.median(segment),
        "ratio": statistics.median(s / f for f, s in zip(full, segment)),
    }


def met(row: dict) -> bool:
    """The issue's targets: ≥ 400 documents/s on one core, extraction at ≥ 0.5 of jieba's rate."""
    return row["full_docs_per_s"] >= 400 and row["ratio"] >= 0.5


# Where an NFRA answer's time goes: each stage as the reader calls it (module, name), timed without the stages it
# calls in turn; the rest is the readers' own code between them.
STAGES = [("sources.nfra.document", "open_envelope", "the JSON answer (orjson)"),
          ("sources.nfra.document", "parse_html", "the Word page parsed (lxml)"),
          ("nlp.document", "lines", "its paragraphs, cleaned"),
          ("nlp.document", "grids", "its tables as grids"),
          ("nlp.document", "find_entities", "entities"),
          ("nlp.fill", "read_table", "the disclosure table read"),
          ("nlp.fill", "finish_decision", "fields normalised"),
          ("nlp.document", "document_type", "document type")]


def stages(paths: list[Path], rounds: int) -> list[tuple[str, float]]:
    """µs per document in each of STAGES over ``paths`` (extraction as `regkb parse` runs it), and the rest."""
    import importlib

    from pipeline.files import analyse_file

    spent: dict[str, float] = dict.fromkeys([label for _, _, label in STAGES], 0.0)
    inner: list[float] = []
    originals = []

    def timing(function, label):
        def timed_stage(*args, **kwargs):
            start = time.perf_counter()
            inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed, within = time.perf_counter() - start, inner.pop()
                spent[label] += elapsed - within
                if inner:
                    inner[-1] += elapsed
        return timed_stage

    for module_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        originals.append((module, name, getattr(module, name)))
        setattr(module, name, timing(getattr(module, name), label))
    try:
        total = sum(timed(analyse_file, paths) for _ in range(rounds))
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
    per_document = 1e6 / (rounds * len(paths))
    rows = [(label, seconds * per_document) for label, seconds in spent.items()]
    return rows + [("the rest (the readers' own code)", total * per_document - sum(us for _, us in rows))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="times the larger corpora repeat their documents")
    parser.add_argument("--rounds", type=int, default=5, help="times each corpus is timed (medians are printed)")
    args = parser.parse_args(argv)
    demo = load(sorted(DEMO.glob("*.json")))
    larger = load(sorted(DEMO.glob("*.json")) + sorted(GOLD.iterdir())) * args.repeat
    gold = load(sorted(GOLD.iterdir()) + sorted(HELD_OUT.iterdir())) * args.repeat
    rows = [run("demo corpus", demo, args.rounds), run(f"demo + gold ×{args.repeat}", larger, args.rounds),
            run(f"gold only ×{args.repeat}", gold, args.rounds)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'corpus':<22}{'docs':>7}{'chars':>10}{'full docs/s':>13}{'jieba docs/s':>14}{'ratio':>8}  targets")
    for row in rows:
        print(f"{row['corpus']:<22}{row['documents']:>7}{row['characters']:>10}{row['full_docs_per_s']:>13.1f}"
              f"{row['jieba_docs_per_s']:>14.1f}{row['ratio']:>8.2f}  {'met' if met(row) else 'NOT met'}")
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB; one process, one core; medians of {args.rounds}"
          " rounds, extraction and jieba timed in turn")
    print("targets (≥ 400 docs/s, ratio ≥ 0.5):", "met" if all(map(met, rows)) else "NOT met")
    breakdown = stages(demo, args.rounds)
    largest = max(us for _, us in breakdown)
    print(f"where a demo answer's time goes (µs per document; jieba segments its text in "
          f"{1e6 / rows[0]['jieba_docs_per_s']:.0f} µs):")
    for label, us in breakdown:
        print(f"  {label:<34}{us:>7.0f}  {'█' * round(40 * us / largest)}")
    print(f"{'regkb parse FILE, a new process':<40}{'median s':>9}{'target':>9}")
    for name, path in PARSED.items():
        seconds = statistics.median(parse_seconds(path) for _ in range(3))
        print(f"{name:<40}{seconds:>9.2f}{'< 1.5':>9} {'met' if seconds < 1.5 else 'NOT met'}")
    return 0


def parse_seconds(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "regkb", "parse", str(path)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
