"""Chinese full-text search that any SQLite can read: FTS5 with its built-in tokenizer over a segmented shadow text.

FTS5's ``unicode61`` tokenizer keeps a run of Chinese characters together as one token, so 「罚款」 inside
「处以罚款人民币30万元」 is never found, and the ``trigram`` tokenizer cannot find words shorter than three characters
(罚款, 贷款, 征信). A custom tokenizer would make the file unreadable without it. Instead the index is fed a shadow of
each column in which every token is already separated by spaces:

* every Chinese (CJK) character is a token of its own, and so is every digit: 「罚款30万元」 → 罚 款 3 0 万 元;
* a run of Latin letters stays one word (matched whole, case-insensitively): 「EAST系统」 → EAST 系 统;
* a run of punctuation or white space becomes one gap token (``GAP``), so that 「款，贷」 does not make 款 and 贷
  neighbours: 「罚款，贷款」 does not contain 「款贷」.

A query term is segmented the same way and searched as a phrase: 「罚款」 → ``"罚 款"``, which matches exactly the
texts that contain 罚 immediately followed by 款, the substring semantics of ``LIKE '%罚款%'``. Several terms separated
by spaces or by a list's punctuation (「贷款,挪用」, 「贷款、挪用」) must all occur (in any of the indexed columns);
other punctuation is a gap inside the term, so 「银罚决字〔2026〕112号」 finds 银罚决字[2026]112号 too. Quoted terms are
phrases, as in Datasette. Both sides are folded alike (full-width forms to ASCII), and a term also means its
simplified form (貸款 → 贷款) and, for a short name, its group's name (工行 → 中国工商银行): never less than ``LIKE``.

Why one token per character and not bigrams (「贷款」 one token): measured, not assumed (`make bench-search-index`,
bench/search_index.py, a million synthetic decisions, 2 cores, 2026-12-02). Both find the same decisions; on this
index the newest 20 matches take 0.1–0.4 ms and a count capped at 10,001 takes 1–37 ms p95 for words of one to four
characters, while a bigram index beside it would cut the counts to 0.3–0.6× (a few milliseconds) for 635 s more of
build and 851 MB more of file (a one-character word still needs this index). What a search page costs is elsewhere
(its rows, snippets and rendering), so the smaller, simpler index stays.

The index is an FTS5 table with ``content="decisions"`` (external content: it stores only the index, and Datasette
and datasette-search-all recognise it as the decisions table's index). Its tokens are those of the shadow text, not
of the table's columns, so it must be built with :func:`build_search_index`, never with FTS5's ``'rebuild'`` command
or ``sqlite-utils rebuild-fts``, which would index the unsegmented text and lose every Chinese word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import sqlite_utils

from db.shape import SEARCH_INDEXES
from nlp.clean import simplified
from nlp.data import load
from nlp.text import fold

# Scripts written without spaces between words: each character is its own token. Digits too, so that numbers match as
# substrings (「2018」 inside 「20180628」), as LIKE does.
_CJK_RANGES = (
    "\u3005-\u3007"       # 々 〆 〇
    "\u3021-\u3029"       # Hangzhou numerals
    "\u3040-\u30ff"       # kana
    "\u3100-\u312f\u31a0-\u31bf"   # bopomofo
    "\u3190-\u319f"       # kanbun
    "\u31f0-\u31ff"       # katakana extension
    "\u3400-\u4dbf"       # CJK extension A
    "\u4e00-\u9fff"       # CJK unified ideographs
    "\ua960-\ua97f\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"   # hangul
    "\uf900-\ufaff"       # CJK compatibility ideographs
    "\U00020000-\U0003134f"   # CJK extensions B–G
)
# A run of separators (punctuation, white space), and a run of letters written with spaces between words (Latin):
# the text's separators become one GAP each, a space goes between every two characters (in C), and is taken out again
# inside a run of letters (found by one pattern, rarely: most texts are Chinese). Twice as fast as a token at a time
# (the same shadow text of 264,512 texts: every text column of the demo ×100, and random strings).
_SEPARATORS = re.compile(r"[\W_]+")
_LETTERS = re.compile(rf"[^\W\d_{_CJK_RANGES}](?: [^\W\d_{_CJK_RANGES}])+")
# A private-use character: unicode61 treats it as a token character, and no published text contains it.
GAP = "\ue000"


def _joined(letters: re.Match) -> str:
    return letters.group().replace(" ", "")


def segment(text: str | None) -> str | None:
    """The shadow text the index sees: tokens separated by spaces (each CJK character and each digit a token, a run
    of other letters one), each run of separators replaced by one GAP token, never first or last; full-width forms
    folded to ASCII (NFKC: 「３０万元」 is found by 30万元).

    >>> segment("处以罚款人民币30万元，EAST数据")
    '处 以 罚 款 人 民 币 3 0 万 元 \\ue000 EAST 数 据'
    >>> segment("（一）Bank_of_China，")
    '一 \\ue000 Bank \\ue000 of \\ue000 China'
    """
    if text is None:
        return None
    spaced = _LETTERS.sub(_joined, " ".join(_SEPARATORS.sub(GAP, fold(text))))
    if spaced.startswith(GAP):
        spaced = spaced[2:]
    if spaced.endswith(GAP):
        spaced = spaced[:-2]
    return spaced


# What separates the words of a query: white space, and the punctuation that lists (贷款,挪用 · 贷款、挪用). Other
# punctuation stays inside its term as a gap: 「银罚决字〔2026〕112号」 is one term, whatever brackets a document uses.
_QUERY_BITS = re.compile(r'[\s,;!?，、；。！？]+|(".*?")')


def fold_query(query: str | None) -> str:
    """What a user typed in the form the documents are indexed in: full-width forms to ASCII (NFKC), as segment()
    folds the documents.

    >>> fold_query("贷款　挪用２０１５")
    '贷款 挪用2015'
    """
    return fold(query or "")


@lru_cache(maxsize=1)
def short_names() -> dict[str, list[str]]:
    """What people call a financial group, where it is not part of its name → the names its entities go by
    (nlp/data/institutions.yaml ``short``): 工行 → 中国工商银行."""
    groups = load("institutions.yaml")["groups"]
    return {short: [group["names"][0]] for group in groups for short in group.get("short", [])}


def query_terms(query: str | None) -> list[list[str]]:
    """The terms of a query, each with what it also means: ``[[term, other forms, …], …]``, all terms required.

    A term written in traditional characters also means its simplified form (documents are stored simplified, as
    nlp/clean.py converts them), and a short name its group's name; the term itself is always searched too, so a
    search finds at least what ``LIKE '%term%'`` finds.

    >>> query_terms('工行 貸款,挪用 "EAST 数据"')
    [['工行', '中国工商银行'], ['貸款', '贷款'], ['挪用'], ['EAST 数据']]
    """
    query = fold_query(query)
    if query.count('"') % 2:
        query += '"'
    terms = []
    for bit in _QUERY_BITS.split(query):
        if not bit or bit == '""':
            continue
        term = bit[1:-1] if bit.startswith('"') else bit
        if _searchable(term):
            variants = [term, simplified(term), *short_names().get(term, [])]
            terms.append(list(dict.fromkeys(variants)))
    return terms


def _searchable(term: str) -> list[str]:
    tokens = segment(term).split(" ")
    while tokens and tokens[0] == GAP:
        tokens.pop(0)
    return [token for token in tokens if token]


def fts_query(query: str | None) -> str:
    """The FTS5 query for what a user typed: each term a phrase of its segmented tokens, all terms required, a short
    name or its group's name (query_terms).

    Datasette's own ``escape_fts`` split, with segmentation: ``罚款 贷款`` → ``"罚 款" "贷 款"``. A term with no
    character that can be searched (only punctuation) is dropped; a query with nothing left matches nothing.

    >>> fts_query('罚款 "EAST 数据"')
    '"罚 款" "EAST \\ue000 数 据"'
    >>> fts_query("工行")
    '("工 行" OR "中 国 工 商 银 行")'
    """
    groups = []
    for term in query_terms(query):
        phrases = ['"{}"'.format(" ".join(_searchable(variant))) for variant in term]
        groups.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    # FTS5 takes "a" "b" as a AND b, but not after a parenthesis: the AND is written out once a term has forms
    joiner = " AND " if any(group.startswith("(") for group in groups) else " "
    return joiner.join(groups) if groups else '""'


# How far a search's matches are counted: beyond this a page says 10,000+ (a million decisions match 罚; an exact
# count of 390,000 matches of 贷款 takes FTS5 a third of a second and Datasette's table count over them seconds).
MATCHES_COUNTED = 10_000


def capped_count_sql(fts_table: str, match: str = ":match") -> str:
    """How many rows of ``fts_table`` a MATCH expression (a named parameter) finds, counted to MATCHES_COUNTED + 1."""
    return (f"select count(*) from (select 1 from [{fts_table}] where [{fts_table}] match {match}"
            f" limit {MATCHES_COUNTED + 1})")


def highlight_pattern(query: str | None) -> re.Pattern | None:
    """A regular expression finding, in a document's text, what the search matched there: each term and each of its
    expansions, punctuation and space between characters where the term has a gap (None for an empty query)."""
    alternatives = []
    for term in query_terms(query):
        for variant in term:
            pieces = []
            for token in _searchable(variant):
                pieces.append(r"[\W_]+" if token == GAP else re.escape(token))
            alternatives.append("".join(pieces))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def create_search_indexes(db: sqlite_utils.Database) -> None:
    """Create each FTS5 table declared in ``shape.SEARCH_INDEXES`` that is missing (empty; see build_search_index)."""
    for name, spec in SEARCH_INDEXES.items():
        if not db.table(name).exists():
            columns = ", ".join(spec["columns"])
            db.execute(f'CREATE VIRTUAL TABLE [{name}] USING fts5({columns}, content="{spec["table"]}", '
                       f"tokenize='unicode61 remove_diacritics 2')")


def segmented_rows(rows: list[tuple]) -> list[tuple]:
    """Each (rowid, column values …) row with its values segmented: one batch of the index's rows."""
    return [(row[0], *(segment(value) for value in row[1:])) for row in rows]


def build_search_index(db: sqlite_utils.Database, segmenting: Callable | None = None) -> dict[str, int]:
    """(Re)build every search index from its table: delete everything, then index each row's shadow text.
    ``segmenting``: a map of a function over calls' arguments, in their order (db/build.py gives its workers': the
    texts are segmented on every core while this process writes the index); by default, in this process.

    Idempotent: running it twice gives the same index. Returns the number of rows indexed per index.
    """
    create_search_indexes(db)
    counts = {}
    for name, spec in SEARCH_INDEXES.items():
        columns = spec["columns"]
        # An external-content table is emptied with 'delete-all' (a plain DELETE would read the content table).
        db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('delete-all')")
        select = ", ".join(f"[{column}]" for column in columns)
        rows = db.conn.execute(f"SELECT rowid, {select} FROM [{spec['table']}]")
        placeholders = ", ".join("?" for _ in range(len(columns) + 1))
        insert = f"INSERT INTO [{name}](rowid, {', '.join(columns)}) VALUES ({placeholders})"
        batches = iter(lambda: rows.fetchmany(500), [])
        if segmenting is None:
            segmented = map(segmented_rows, batches)
        else:
            segmented = segmenting(segmented_rows, ((batch,) for batch in batches))
        count = 0
        for batch in segmented:
            db.conn.executemany(insert, batch)
            count += len(batch)
        db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('optimize')")
        counts[name] = count
    return counts
