"""The decisions table's facets, their counts against the source records and plain SQL, their indexes and their
Chinese labels.

Expected counts come from tests/fixtures/real/cbrc_2016_penalties_100.csv (the 100 records the demo corpus is made
of) plus the three real decisions beside them, read by hand from their texts: 天津银监局 fined 平安银行 50万元
(2018-06-28); the CBIRC head office fined 太平财产保险 50万元 and warned and fined 张雄师 10万元 (no decision date; its
year is that of publication, 2021); 山东监管局 fined 华泰人寿山东分公司 11.5万元 (2026).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from datasette.plugins import pm
from tests.expected import DEMO_DECISIONS, OTHER_DECISIONS, expected_provinces, other_provinces, records
from tests.web.conftest import get, sql

FACETS = ["province", "city", "authority_id", "authority_level", "source", "institution_types", "parent_groups",
          "categories", "sanction_types", "year", "fine_band"]
THREE_DECISIONS = {   # year, fine in yuan, sanction labels
    "天津": (2018, 500_000, {"罚款"}),
    "太平": (2021, 600_000, {"罚款", "警告"}),
    "华泰": (2026, 115_000, {"罚款"}),
    # 菏金罚决字〔2023〕26号, published as a Word file: no decision date, dated by its (placeholder) publication
    "菏泽": (2023, 250_000, {"罚款"}),
}
BANDS = [(0, "不足10万元"), (100_000, "10万至50万元"), (500_000, "50万至100万元"), (1_000_000, "100万至500万元"),
         (5_000_000, "500万元及以上")]


def facet(name: str, data=None) -> dict:
    data = data or facets_page()
    return {row["value"]: row["count"] for row in data["facet_results"][name]["results"]}


def facets_page(**params):
    return get("/regkb/decisions.json", _size=0, **params).json()


def band(amount):
    return "无罚款" if amount is None else [label for lower, label in BANDS if amount >= lower][-1]


def record_fine(record) -> float | None:
    """The amount a record's band is of: its fine, or, where it gives a fine and a confiscation as one 罚没 sum (not
    a fine: see test_end_to_end.test_fines_match_the_records), that sum; a warning has none."""
    kinds = record["处罚类型"].split(",")
    return float(record["罚没金额（元）"]) if "罚款" in kinds or "没收违法所得" in kinds else None


def test_every_facet_is_on_the_decisions_page():
    data = facets_page()
    assert set(FACETS) <= set(data["facet_results"])
    assert all(data["facet_results"][name]["results"] for name in FACETS)
    assert "These facets timed out" not in get("/regkb/decisions").text


def test_province_facet_matches_the_records():
    counts = facet("province")
    national = counts.pop(None)   # shown as 全国: see test_tables
    assert counts == dict(expected_provinces() + other_provinces())
    assert national == sql("select count(*) from decisions where authority_level = 'head office'")[0][0] > 0


def test_year_facet_matches_the_records():
    expected = Counter(int(record["处罚日期"][:4]) for record in records())
    expected.update(year for year, _, _ in THREE_DECISIONS.values())
    expected.update(year for _, _, _, year, _, _ in OTHER_DECISIONS)
    assert facet("year") == dict(expected)


def test_fine_band_facet_matches_the_records():
    expected = Counter(band(record_fine(record)) for record in records())
    expected.update(band(fine) for _, fine, _ in THREE_DECISIONS.values())
    expected.update(band(fine) for _, _, _, _, fine, _ in OTHER_DECISIONS)
    assert facet("fine_band") == dict(expected)
    assert len(expected) >= 3


def test_a_decision_with_two_sanction_types_counts_under_both():
    labels = facet("sanction_types")
    kinds = [set(record["处罚类型"].split(",")) for record in records()]
    others = [labels_ for *_, labels_ in OTHER_DECISIONS]
    expected_fined = sum("罚款" in k for k in kinds) + sum("罚款" in s for _, _, s in THREE_DECISIONS.values()) + sum(
        "罚款" in s for s in others)
    expected_warned = sum("警告" in k for k in kinds) + sum("警告" in s for _, _, s in THREE_DECISIONS.values()) + sum(
        "警告" in s for s in others)
    assert labels["罚款"] == expected_fined and labels["警告"] == expected_warned
    assert labels["罚款"] + labels["警告"] > DEMO_DECISIONS   # the decisions that did both count twice


def test_category_facet_counts_a_decision_under_each_of_its_categories():
    expected = dict(sql("select category, count(*) from decision_categories group by category"))
    assert facet("categories") == expected
    assert sum(expected.values()) > DEMO_DECISIONS
    two = sql("select decision_id, categories from decisions where json_array_length(categories) = 2 limit 1")[0]
    first, second = json.loads(two[1])
    for category in (first, second):   # filtering by either category keeps that decision
        ids = {row["decision_id"] for row in get("/regkb/decisions.json", categories__arraycontains=category,
                                                   _size="max", _shape="objects", _col="title").json()["rows"]}
        assert two[0] in ids


def test_list_facets_count_as_datasettes_own_array_facet_does():
    # regkb's fast "list" facet must agree with Datasette's array facet, value by value, filtered or not
    for params in ({}, {"province": "四川省"}, {"categories__arraycontains": "信贷业务"}):
        for column in ("categories", "sanction_types", "institution_types", "parent_groups"):
            stock = facets_page(_facet_array=column, _facet_size="max", **params)["facet_results"]
            ours = facets_page(_facet_size="max", **params)["facet_results"]
            stock_key = next(key for key, value in stock.items() if value["type"] == "array")
            assert facet(column, {"facet_results": ours}) == facet(stock_key, {"facet_results": stock}), column
            assert ours[column]["type"] == "list"


def test_institution_type_and_parent_group_facets_count_decisions_by_their_parties():
    for column, facet_name in (("institution_type", "institution_types"), ("parent", "parent_groups")):
        expected = dict(sql(f"select {column}, count(distinct decision_id) from parties where {column} is not null"
                            f" group by {column}"))
        assert facet(facet_name, facets_page(_facet_size="max")) == expected, column


def test_authority_level_city_source_facets_match_plain_sql():
    data = facets_page(_facet_size="max")
    for column in ("authority_level", "city", "source", "authority_id"):
        expected = dict(sql(f"select {column}, count(*) from decisions where {column} is not null group by 1"))
        assert facet(column, data) == expected, column


def test_facets_follow_a_filter():
    data = facets_page(province="四川省")
    expected = dict(sql("select year, count(*) from decisions where province = '四川省' group by year"))
    assert facet("year", data) == expected and sum(expected.values()) == expected_provinces()["四川省"]


def test_facet_columns_are_indexed():
    indexed = {row[0] for row in sql(
        "select ii.name from sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii"
        " where m.name = 'decisions'")}
    assert set(FACETS) <= indexed


def test_facets_carry_chinese_labels_beside_the_column_names():
    html = get("/regkb/decisions").text
    for chinese, column in (("省份", "province"), ("罚款区间", "fine_band"), ("违法违规类别", "categories"),
                            ("机构类型", "institution_types"), ("所属集团", "parent_groups"),
                            ("处罚种类", "sanction_types")):
        assert (f'<span class="zh-label">{chinese}</span> <span class="en-label">{column}</span>') in html, column


def test_facets_of_a_search_too_broad_to_count_are_skipped_and_say_so(monkeypatch):
    # On a million decisions a two-character word can match half of them; the demo has 103, so lower the limit.
    facets_plugin = pm.get_plugin("regkb_facets.py")
    monkeypatch.setattr(facets_plugin, "SEARCH_FACET_LIMIT", 20)
    broad = get("/regkb/decisions.json", _search="罚款", _size=0).json()
    assert broad["filtered_table_rows_count"] > 20
    assert all(broad["facet_results"][name]["results"] == [] for name in FACETS)
    assert "More than 20 matches" in get("/regkb/decisions", _search="罚款").text
    narrow = get("/regkb/decisions.json", _search="挪用", _size=0).json()
    assert 0 < narrow["filtered_table_rows_count"] <= 20
    expected = dict(sql("select province, count(*) from decisions where decision_id in (%s) group by province"
                        % ",".join("?" * narrow["filtered_table_rows_count"]),
                        [row["decision_id"] for row in get("/regkb/decisions.json", _search="挪用",
                                                             _shape="objects", _size="max").json()["rows"]]))
    assert facet("province", narrow) == expected


def test_source_facet_counts_each_regulators_site():
    expected = Counter(source for source, *_ in OTHER_DECISIONS)
    expected["nfra"] = 104   # the 100 records and four decisions published on the NFRA site
    assert facet("source") == dict(expected)
    pboc = facets_page(source="pboc")
    assert pboc["filtered_table_rows_count"] == expected["pboc"]
    assert facet("authority_id", pboc) == {"中国人民银行": 21, "中国人民银行上海分行": 5}


def test_review_facet_counts_what_a_person_should_check():
    # the 待核查 facet: each reason once per decision that carries it, and nothing but the declared reasons
    from nlp.review import REASONS

    counts = facet("review")
    assert counts and set(counts) <= set(REASONS)
    expected = dict(sql("select j.value, count(*) from decisions, json_each(decisions.review) j group by j.value"))
    assert counts == expected
    undated = sql("select count(*) from decisions where decision_date is null")[0][0]
    assert counts.get("无决定日期", 0) == undated and undated > 0
    # a decision without its own date sorts by its publication date, said so
    assert sql("select count(*) from decisions where decision_date is null and date_basis = '发布日期'"
               " and date = publish_date")[0][0] == sql(
        "select count(*) from decisions where decision_date is null and publish_date is not null")[0][0]


@pytest.mark.parametrize("params, where", [
    ({"province": "四川省"}, ("province = ?", ["四川省"])),          # read from the build's counts
    ({"year": "2015"}, ("year = ?", [2015])),
    ({"province": "四川省", "year": "2015"}, ("province = ? and year = ?", ["四川省", 2015])),   # counted
])
def test_filtered_facets_count_the_filtered_rows(params, where):
    data = facets_page(**params)
    clause, values = where
    assert facet("city", data) == dict(sql(f"select city, count(*) from decisions where {clause} and city is not null"
                                           " group by city", values))
    expected = Counter(item for (listed,) in sql(f"select categories from decisions where {clause}", values)
                       for item in json.loads(listed or "[]"))
    assert facet("categories", data) == dict(expected) and expected
