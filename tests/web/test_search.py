"""Chinese full-text search: Datasette's own ?_search= finds exactly the decisions a LIKE finds, on the demo database.

The ground truth is plain SQL over the same text the index covers (title, the punished parties' names and roles,
facts, legal basis, decision text, 文号, authority, province, city, categories, kinds of sanction), through the
standard library's sqlite3: a decision matches a query when every space-separated term is a substring of one of those
fields.
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest

from db.search import fts_query, segment
from tests.conftest import demo_database
from tests.expected import DEMO_DECISIONS
from tests.web.conftest import get, sql

# one, two, three, four and more characters; digits; several terms; common and rare; one that occurs nowhere
QUERIES = [
    "罚", "贷", "警", "险", "挪",
    "罚款", "贷款", "征信", "警告", "银行", "挪用", "保险", "存款", "票据",
    "审慎", "内控", "分行",
    "违规发放", "贷后管理", "审慎经营", "流动资金", "授信业务", "虚假资料", "责任追究",
    "信贷资金", "银行承兑汇票",
    "2015", "30万", "46",
    "贷款 挪用", "罚款 警告", "保险 罚款", "违规 发放 贷款",
    "量子计算",
]
FIELDS = ("title", "facts", "legal_basis", "decision_text", "decision_no", "authority", "province", "city", "categories",
          "sanction_types")


def like_ids(query: str | list[list[str]]) -> set[str]:
    """The decisions in which every term occurs; a term given as a list occurs when any of its forms does."""
    terms = query.split() if isinstance(query, str) else query
    clauses, params = [], []
    for term in terms:
        forms = [term] if isinstance(term, str) else term
        clauses.append("(" + " or ".join(
            "(" + " or ".join(f"d.{field} like ?" for field in FIELDS)
            + " or exists (select 1 from parties p where p.decision_id = d.decision_id"
              " and (p.name like ? or p.role like ?)))" for _ in forms) + ")")
        params += [f"%{form}%" for form in forms for _ in range(len(FIELDS) + 2)]
    return {row[0] for row in sql(f"select d.decision_id from decisions d where {' and '.join(clauses)}", params)}


def search_ids(query: str) -> tuple[set[str], int]:
    data = get("/regkb/decisions.json", _search=query, _size="max", _col="decision_id", _shape="objects").json()
    assert data["next"] is None
    return {row["decision_id"] for row in data["rows"]}, data["filtered_table_rows_count"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_exactly_what_like_finds(query):
    expected = like_ids(query)
    found, count = search_ids(query)
    assert found == expected, (query, sorted(found - expected)[:5], sorted(expected - found)[:5])
    assert count == len(expected)


def test_the_fixed_queries_are_a_real_test():
    # A comparison that always found everything or nothing would prove nothing: most queries must split the corpus.
    sizes = {query: len(like_ids(query)) for query in QUERIES}
    assert sizes["量子计算"] == 0
    assert sum(0 < size < DEMO_DECISIONS for size in sizes.values()) >= 25, sizes
    assert sizes["罚款"] > 50 and sizes["罚"] >= sizes["罚款"] >= sizes["罚款 警告"]


def test_two_character_words_that_the_trigram_tokenizer_misses_are_found():
    for word in ("罚款", "贷款", "警告"):
        assert search_ids(word)[1] > 0, word


def test_characters_across_punctuation_are_not_neighbours():
    # 「罚款，贷款」 holds 款 and 贷 with a comma between: it does not contain 「款贷」, for LIKE nor for the search.
    text = "罚款，贷款"
    connection = sqlite3.connect(":memory:")
    connection.execute("create virtual table t using fts5(x)")
    connection.execute("insert into t(x) values (?)", [segment(text)])
    match = lambda q: connection.execute("select count(*) from t where t match ?", [fts_query(q)]).fetchone()[0]
    assert match("款贷") == 0 and match("罚款") == 1 and match("贷款") == 1 and match("款，贷") == 1
    assert match("罚 贷") == 1 and match("罚 征") == 0


def test_query_rewriting():
    assert fts_query("罚款") == '"罚 款"'
    assert fts_query("  贷款  挪用 ") == fts_query("贷款，挪用") == fts_query("贷款、挪用;") == '"贷 款" "挪 用"'
    assert fts_query('"贷款挪用"') == '"贷 款 挪 用"'
    assert fts_query("EAST数据") == fts_query("ＥＡＳＴ数据") == '"EAST 数 据"'
    assert fts_query("貸款") == '("貸 款" OR "贷 款")'
    assert fts_query("建行") == '("建 行" OR "中 国 建 设 银 行")'
    assert fts_query("貸款 挪用") == '("貸 款" OR "贷 款") AND "挪 用"'
    assert fts_query("") == fts_query("，。") == '""'   # nothing searchable matches nothing, without an error


# What researchers type most, each with what it must find, written as LIKE terms of the documents' own text
# (a term given as a list matches any of its forms).
TYPED = {
    "银罚决字〔2026〕112号": [["银罚决字〔2026〕112号"]],       # a 文号: the PBOC's, as printed
    "银罚决字[2026]112号": [["银罚决字〔2026〕112号"]],        # … with the brackets a keyboard has
    "上海银罚字": [["上海银罚字"]],
    "〔2026〕6号": [["〔2026〕6号"]],                          # the CSRC's, which prints no prefix
    "反洗钱": [["反洗钱"]],                                   # a category's name
    "征信": [["征信"]],
    "四川省": [["四川省"]],                                   # a province: the authority's region
    "工行": [["工行", "中国工商银行"]],                        # a bank's short name: its group's name too
    "建行": [["建行", "中国建设银行"]],
    "招行": [["招行", "招商银行"]],
    "貸款": [["貸款", "贷款"]],                               # traditional characters: the simplified form too
    "貸款 挪用": [["贷款"], ["挪用"]],
    "贷款,挪用": [["贷款"], ["挪用"]],                         # punctuation between words separates them
    "贷款、挪用": [["贷款"], ["挪用"]],
    "罰款　警告": [["罚款"], ["警告"]],                        # an ideographic space, traditional 罰
    "３０万": [["30万"]],                                     # full-width digits
}


@pytest.mark.parametrize("query", TYPED)
def test_what_researchers_type_finds_what_the_documents_say(query):
    expected = like_ids(TYPED[query])
    assert expected, query   # each of these occurs in the demo: finding nothing would be the defect itself
    found, count = search_ids(query)
    assert found == expected, (query, sorted(found - expected)[:5], sorted(expected - found)[:5])


def test_a_decision_number_finds_its_own_decision():
    (decision_id,) = sql("select decision_id from decisions where decision_no = '银罚决字〔2026〕112号'")[0]
    assert search_ids("银罚决字〔2026〕112号")[0] == {decision_id}
    # 6号 is not 16号 nor 26号: the gap before the number is part of the term
    assert search_ids("〔2026〕6号")[0] == {row[0] for row in sql("select decision_id from decisions"
                                                                 " where decision_no like '%〔2026〕6号'")}


def test_a_category_is_found_as_often_as_its_facet_counts_it():
    # the report: 反洗钱 and 征信 found 0 while the category facet counted 12 and 8
    for query, category in (("反洗钱", "反洗钱"), ("征信", "征信与信用信息")):
        tagged = {row[0] for row in sql("select decision_id from decision_categories where category = ?", [category])}
        assert tagged and search_ids(query)[0] >= tagged, query


def test_the_index_needs_no_custom_tokenizer():
    # Any SQLite with FTS5 reads the file: the index is declared with the built-in unicode61 tokenizer only.
    (create,) = sql("select sql from sqlite_master where name = 'decisions_fts'")[0]
    assert "unicode61" in create and "tokenize='unicode61 remove_diacritics 2'" in create
    connection = sqlite3.connect(f"file:{demo_database()}?mode=ro", uri=True)   # no regkb function registered
    count = connection.execute("select count(*) from decisions_fts where decisions_fts match '\"罚 款\"'").fetchone()[0]
    assert count == len(like_ids("罚款"))


def test_search_box_and_export_links_keep_the_users_words():
    query = "贷款 挪用"
    html = get("/regkb/decisions", _search=query).text
    assert re.search(r'<input id="_search" type="search" name="_search" value="贷款 挪用"', html)
    exports = re.findall(r'href="([^"]*/regkb/decisions\.(?:csv|json|xlsx)[^"]*)"', html)
    assert {urlsplit(link).path.rsplit(".", 1)[1] for link in exports} >= {"csv", "json", "xlsx"}
    for link in exports:
        assert parse_qs(urlsplit(link.replace("&amp;", "&")).query)["_search"] == [query], link
    assert f'共 {len(like_ids(query))} 条' in html


def test_exports_of_a_search_hold_exactly_the_matching_decisions():
    query = "挪用"
    csv = get("/regkb/decisions.csv", _search=query, _size="max", _col="decision_id").content.decode("utf-8-sig")
    assert {line.split(",")[0] for line in csv.split()[1:]} == like_ids(query)


def test_an_empty_search_shows_every_decision():
    response = get("/regkb/decisions?_search=&_sort=year", status=302)
    assert response.headers["location"] == "/regkb/decisions?_sort=year"
    assert get("/regkb/decisions.json?_search=%20", status=302).headers["location"] == "/regkb/decisions.json"


def test_ranked_search_finds_the_same_decisions_best_first():
    query = "贷款 挪用"
    rows = get("/regkb/search.json", q=query, _shape="objects").json()["rows"]
    assert {row["decision_id"] for row in rows} == like_ids(query)
    relevance = [row["relevance"] for row in rows]
    assert relevance == sorted(relevance, reverse=True) and relevance[0] > 0
    assert get("/regkb/search.json", q="", _shape="objects").json()["rows"] == []


def test_ranked_search_ranks_a_match_in_the_parties_above_one_in_the_text():
    query = "支行"
    rows = get("/regkb/search.json", q=query, _shape="objects").json()["rows"]
    as_party = {row[0] for row in sql("select decision_id from parties where name like ?", [f"%{query}%"])}
    assert len(as_party) < len(rows)   # the word also occurs elsewhere than in a party's name
    assert {row["decision_id"] for row in rows[:len(as_party)]} == as_party


def test_parties_are_searchable_too():
    query = "农村商业银行"
    data = get("/regkb/parties.json", _search=query, _size="max", _col="party_id", _shape="objects").json()
    expected = {row[0] for row in sql("select party_id from parties where name like ? or role like ?"
                                      " or sanctions_text like ?", [f"%{query}%"] * 3)}
    assert {row["party_id"] for row in data["rows"]} == expected and expected


@pytest.fixture
def broad_beyond_20(monkeypatch):
    """A search matching more than 20 decisions counts as broad (plugins/regkb_search.py), as more than 10,000 do on
    a million: the demo's 131 matches of 罚款 stand for 390,000 of 贷款."""
    from datasette.plugins import pm

    get("/-/versions.json")   # the served instance, which loads the plugins
    monkeypatch.setattr(pm.get_plugin("regkb_search.py"), "MATCHES_COUNTED", 20)


def every_page(path: str, **params) -> list[str]:
    ids, data = [], get(path, _col="decision_id", _shape="objects", _size=25, **params).json()
    while True:
        ids += [row["decision_id"] for row in data["rows"]]
        if not data["next_url"]:
            return ids
        following = urlsplit(data["next_url"])
        data = get(f"{following.path}?{following.query}").json()


@pytest.mark.parametrize("order", [{}, {"_sort": "date"}, {"_sort_desc": "total_fine_yuan"}, {"province": "四川省"}])
def test_a_broad_search_pages_through_the_same_decisions_in_the_same_order_uncounted(broad_beyond_20, order):
    expected = every_page("/regkb/decisions.json", _search="罚款", _nocount=1, **order)   # counted as narrow: 1,000 > 20
    broad = get("/regkb/decisions.json", _search="罚款", _size=25, **order).json()
    assert broad["filtered_table_rows_count"] is None
    assert "_words" in (broad["next_url"] or "_words")
    assert every_page("/regkb/decisions.json", _search="罚款", **order) == expected
    if not order:
        assert set(expected) == like_ids("罚款") and len(expected) > 100


def test_a_broad_search_says_more_than_the_cap_and_a_new_search_replaces_it(broad_beyond_20):
    html = get("/regkb/decisions", _search="罚款").text
    assert "超过 20 条" in html and '共 ' not in html.split("<h3>", 1)[1].split("</h3>", 1)[0]
    assert re.search(r'<input id="_search" type="search" name="_search" value="罚款"', html)
    # the form sends the new words as _search beside the old _words and _nocount it carried as hidden fields
    narrow = get("/regkb/decisions.json", _search="挪用", _words="罚款", _nocount="1", _size=0).json()
    assert narrow["filtered_table_rows_count"] == len(like_ids("挪用")) <= 20
