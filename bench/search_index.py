"""Which search index: one token per character (regkb's, db/search.py), or bigrams for words of two characters and more.

    make bench-search-index     # or: .venv/bin/python bench/search_index.py [--decisions N]

Issue 14 asks for the index to be chosen by measurement. Both candidates are plain FTS5 with its built-in tokenizer
over a segmented shadow text, so any SQLite reads either:

* **unigrams** (today's): every Chinese character and digit is a token; a word is a phrase of its characters
  (「贷款」 → ``"贷 款"``), so FTS5 merges the position lists of 贷 and of 款, two of the commonest tokens there are.
* **bigrams**: every pair of neighbouring characters is a token (「违规发放」 → 违规 规发 发放); a two-character word is one
  token's list (「贷款」 → ``贷款``), a longer one a phrase of its pairs. One-character words still need the unigram
  index, so this candidate is the unigram index *and* a bigram index beside it.

Both are built from the decisions of the synthetic database `make bench-datasette` makes (a million decisions, built
first if missing; ``--decisions N`` takes the newest N), each into its own file, as a contentless index (the same way
for both, so their build times and sizes compare). Then, for the home page's words of one, two and four characters
(bench/datasette_scale.py HOME_WORDS), the two queries a search page runs are timed on each: the newest 20 matches
(``order by rowid desc limit 20``) and the count capped at 10,001. The matches of both indexes are compared for every
word (the unigram index equals ``LIKE``: tests/db/test_search.py), so a faster index that found something else would
show here. Prints build time, size and p50/p95 per query kind and index, and the ratios.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasette_scale import HOME_WORDS, TWO_CHARACTER_WORDS  # noqa: E402
from db.search import GAP, _searchable, segment  # noqa: E402
from db.shape import SEARCH_INDEXES  # noqa: E402

COLUMNS = SEARCH_INDEXES["decisions_fts"]["columns"]
COUNT_CAP = 10_000
# words the two indexes must agree on besides the timed ones: three characters, a gap inside, digits, Latin
AGREEMENT_WORDS = ["违规发", "贷后管", "银罚决字〔2026〕", "字〔2026", "30万元", "EAST数据", "农村商业银行"]


def _character(token: str | None) -> bool:
    return token is not None and len(token) == 1 and token != GAP


def pairs(tokens: list[str]) -> list[str]:
    """Bigram tokens from unigram tokens: each single character with the next one, where both are single characters;
    a character alone between gaps or words stays itself; Latin words and gaps stay as they are."""
    out = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        preceding = tokens[index - 1] if index else None
        if not _character(token):
            out.append(token)
        elif _character(following):
            out.append(token + following)
        elif not _character(preceding):
            out.append(token)   # alone; the last character of a run is in the pair before it
    return out


def bigram_segment(text: str | None) -> str | None:
    """The bigram index's shadow text: 「罚款30万元」 → 罚款 款3 30 0万 万元."""
    shadow = segment(text)
    return None if shadow is None else " ".join(pairs(shadow.split(" ")))


def bigram_candidate(word: str) -> tuple[str, str]:
    """Which index of the bigram candidate answers ``word``, and the query: the bigram index for a word whose
    characters all pair up; the unigram index for one character, or a word with a character alone beside a gap
    (「字〔2026」: in a text 字 may be the end of the pair 决字, which no query token names)."""
    tokens = pairs(_searchable(word))
    if any(_character(token) for token in tokens):
        return "unigrams", unigram_query(word)
    return "bigrams", '"{}"'.format(" ".join(tokens))


def unigram_query(word: str) -> str:
    return '"{}"'.format(" ".join(_searchable(word)))


def build(source: Path, target: Path, decisions: int, shadow) -> dict:
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    db.execute(f"create virtual table idx using fts5({', '.join(COLUMNS)}, content='', "
               f"tokenize='unicode61 remove_diacritics 2')")
    db.execute("attach database ? as source", [f"file:{source}?mode=ro"])
    started = time.perf_counter()
    (newest,) = db.execute("select max(rowid) from source.decisions").fetchone()
    rows = db.execute(f"select rowid, {', '.join(COLUMNS)} from source.decisions where rowid > ?",
                      [newest - decisions])
    insert = f"insert into idx(rowid, {', '.join(COLUMNS)}) values ({', '.join('?' * (len(COLUMNS) + 1))})"
    writer = sqlite3.connect(target)
    writer.execute("pragma synchronous = off")
    with writer:
        while batch := rows.fetchmany(5000):
            writer.executemany(insert, [(row[0], *(shadow(value) for value in row[1:])) for row in batch])
        writer.execute("insert into idx(idx) values ('optimize')")
    seconds = time.perf_counter() - started
    writer.close()
    db.close()
    return {"build_s": round(seconds, 1), "size_mb": round(target.stat().st_size / 2**20)}


def timed(db: sqlite3.Connection, sql: str, query: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        db.execute(sql, [query]).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1)}


def matches(db: sqlite3.Connection, query: str) -> list[int]:
    return [row[0] for row in db.execute("select rowid from idx where idx match ? order by rowid", [query])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=1_000_000, help="the newest N synthetic decisions")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/regkb-bench"))
    parser.add_argument("--repeat", type=int, default=20, help="timings per word and query kind")
    args = parser.parse_args()
    source = args.folder / "synthetic" / "regkb.db"
    if not source.exists():
        sys.exit(f"{source} is missing: run `make bench-datasette` first (it builds the synthetic database)")
    files = {"unigrams": args.folder / "index-unigrams.db", "bigrams": args.folder / "index-bigrams.db"}
    built = {}
    for name, shadow in (("unigrams", segment), ("bigrams", bigram_segment)):
        print(f"building the {name} index over the newest {args.decisions:,} decisions", file=sys.stderr)
        built[name] = build(source, files[name], args.decisions, shadow)
    unigrams = sqlite3.connect(f"file:{files['unigrams']}?mode=ro", uri=True)
    bigrams = sqlite3.connect(f"file:{files['bigrams']}?mode=ro", uri=True)
    newest = "select rowid from idx where idx match ? order by rowid desc limit 20"
    capped = f"select count(*) from (select rowid from idx where idx match ? limit {COUNT_CAP + 1})"
    indexes = {"unigrams": unigrams, "bigrams": bigrams}
    disagreements = []
    for word in [*TWO_CHARACTER_WORDS, *(w for ws in HOME_WORDS.values() for w in ws), *AGREEMENT_WORDS]:
        index, query = bigram_candidate(word)
        if matches(unigrams, unigram_query(word)) != matches(indexes[index], query):
            disagreements.append(word)
    print(f"\n{'query':<34}{'unigrams p50/p95 ms':>22}{'bigrams p50/p95 ms':>22}{'ratio p95':>11}")
    for length, words in HOME_WORDS.items():
        for kind, sql in (("newest 20", newest), ("count to 10,001", capped)):
            uni = summary([t for w in words for t in timed(unigrams, sql, unigram_query(w), args.repeat)])
            bi = summary([t for w in words for t in timed(indexes[bigram_candidate(w)[0]], sql,
                                                          bigram_candidate(w)[1], args.repeat)])
            ratio = bi["p95_ms"] / uni["p95_ms"] if uni["p95_ms"] else float("nan")
            print(f"{length + ', ' + kind:<34}{uni['p50_ms']:>11} / {uni['p95_ms']:<8}{bi['p50_ms']:>11} / "
                  f"{bi['p95_ms']:<8}{ratio:>10.2f}")
    print(f"\nbuild: unigrams {built['unigrams']['build_s']} s, {built['unigrams']['size_mb']:,} MB; bigrams "
          f"{built['bigrams']['build_s']} s, {built['bigrams']['size_mb']:,} MB (the bigram candidate needs both: "
          f"{built['unigrams']['size_mb'] + built['bigrams']['size_mb']:,} MB)")
    print("matches of the two indexes: " + ("the same for every word" if not disagreements
                                            else f"DIFFERENT for {', '.join(disagreements)}"))


if __name__ == "__main__":
    main()
