"""The home page's query (db/finder.py) on the demo database, by plain sqlite3: the date-ordered layout gives the same
pages as sorting would, and a build stores the decisions in that order."""

from __future__ import annotations

import sqlite3

import pytest

from db.finder import Search, search_sql
from db.shape import is_date_ordered
from tests.conftest import demo_database

SEARCHES = [Search(q="罚款"), Search(q="贷款 挪用"), Search(), Search(region="四川"), Search(category="反洗钱"),
            Search(q="罚款", fine_min="10"), Search(party="工行"), Search(q="罚")]


def run(search: Search, date_ordered: bool) -> list[str]:
    connection = sqlite3.connect(f"file:{demo_database()}?mode=ro", uri=True)
    try:
        found = []
        while True:
            page, _, params = search_sql(search, date_ordered=date_ordered)
            rows = [row[0] for row in connection.execute(page, params)]
            found += rows
            if len(rows) < params["limit"]:
                return found
            search = Search(**{**search.__dict__, "page": search.page + 1})
    finally:
        connection.close()


def test_a_build_stores_the_decisions_oldest_first():
    connection = sqlite3.connect(f"file:{demo_database()}?mode=ro", uri=True)
    assert is_date_ordered(connection)
    stored = [row[0] for row in connection.execute("select decision_id from decisions order by rowid")]
    by_date = [row[0] for row in connection.execute(
        "select decision_id from decisions order by date is not null, date, decision_id desc")]
    assert stored == by_date and len(stored) > 100


@pytest.mark.parametrize("sort", ["date", "date_asc", "fine", "relevance"])
@pytest.mark.parametrize("search", SEARCHES, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.args().items()) or "all")
def test_the_date_ordered_layout_reads_the_same_pages_as_sorting(search, sort):
    search = Search(**{**search.__dict__, "sort": sort})
    sorted_pages, indexed_pages = run(search, date_ordered=False), run(search, date_ordered=True)
    assert indexed_pages == sorted_pages and len(set(sorted_pages)) == len(sorted_pages)


def test_relevance_over_many_matches_ranks_the_newest_of_them(monkeypatch):
    import db.finder

    monkeypatch.setattr(db.finder, "COUNT_CAP", 30)   # the demo's 131 matches of 罚款 stand for a million
    search = Search(q="罚款")
    connection = sqlite3.connect(f"file:{demo_database()}?mode=ro", uri=True)
    (floor,) = connection.execute(*db.finder.floor_sql(search)).fetchone()
    page, _, params = search_sql(search, date_ordered=True, floor=floor)
    params["limit"] = 100
    ranked = [row[0] for row in connection.execute(page, params)]
    newest = [row[0] for row in connection.execute(
        "select decision_id from decisions where rowid in (select rowid from decisions_fts"
        " where decisions_fts match '\"罚 款\"') order by date desc, decision_id limit 30")]
    assert sorted(ranked) == sorted(newest)   # the newest 30 matches, no other
    scores = dict(connection.execute(
        "select d.decision_id, bm25(decisions_fts, 5.0, 5.0, 2.0, 1.0, 1.0, 5.0, 2.0, 2.0, 2.0, 2.0, 1.0)"
        " from decisions_fts join decisions d on d.rowid = decisions_fts.rowid"
        " where decisions_fts match '\"罚 款\"'").fetchall())
    ranks = [scores[decision] for decision in ranked]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]   # best first (bm25 is lower for a better match)
    connection.close()
