"""Charts (datasette-dashboards, with Vega bundled): the data each chart draws, fetched as its script fetches it.

The drawing itself is checked in a real browser by tests/web/test_browser.py; here, that each chart gets the right numbers
(plain SQL and the source records) with and without a filter, and that Vega comes from the site itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urlencode

from tests.expected import (
    DEMO_DECISIONS,
    NFRA_DECISION_YEARS,
    OTHER_DECISIONS,
    expected_provinces,
    other_provinces,
    records,
)
from tests.web.conftest import get, sql

CHARTS = {"decisions-total", "fines-total", "decisions-by-year", "fines-by-year", "decisions-by-province",
          "decisions-by-category"}


def definitions(**filters) -> dict[str, dict]:
    """Each chart on the dashboard page as its script receives it (query, library, display) and its query string."""
    html = get("/-/dashboards/overview", **filters).text
    return {slug: {**json.loads(chart), "query_string": query_string} for slug, chart, query_string
            in re.findall(r"renderChart\('([^']+)', (\{.*?\}), '([^']*)', '[^']*'\)", html)}


def charts(**filters) -> dict[str, list[dict]]:
    """Each chart on the dashboard page and the rows its script would draw."""
    found = {}
    for slug, chart in definitions(**filters).items():
        url = f"/{chart['db']}.json?" + urlencode({"sql": chart["query"]}) + f"&{chart['query_string']}&_shape=objects"
        found[slug] = get(url).json()["rows"]
    return found


def test_the_dashboard_draws_every_chart_with_vega_from_the_site():
    html = get("/-/dashboards/overview").text
    assert "处罚概览 · Enforcement at a glance" in html
    for script in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert f'src="/-/static-plugins/datasette_dashboards/{script}"' in html
        assert len(get(f"/-/static-plugins/datasette_dashboards/{script}").content) > 10_000
    assert set(charts()) == CHARTS


def test_chart_data_matches_the_records():
    data = charts()
    assert data["decisions-total"] == [{"n": DEMO_DECISIONS}]
    # the years without decisions are there too, as 0 (test_the_charts_over_years_have_every_year)
    by_year = {row["year"]: row["decisions"] for row in data["decisions-by-year"] if row["decisions"]}
    expected_years = Counter(int(r["处罚日期"][:4]) for r in records()) + NFRA_DECISION_YEARS
    expected_years.update(year for _, _, _, year, _, _ in OTHER_DECISIONS)
    assert by_year == dict(expected_years)
    by_province = {row["province"]: row["decisions"] for row in data["decisions-by-province"]}
    national = 1 + sum(province is None for _, _, province, *_ in OTHER_DECISIONS)   # the CBIRC's, PBOC's, CSRC's
    assert by_province == {**(expected_provinces() + other_provinces()), "全国（总部）": national}
    fines = {row["year"]: row["fines_wan"] for row in data["fines-by-year"] if row["fines_wan"]}
    assert fines == {year: round(total / 10000, 1) for year, total in sql(
        "select year, sum(total_fine_yuan) from decisions where total_fine_yuan is not null group by year")}
    by_category = {row["category"]: row["decisions"] for row in data["decisions-by-category"]}
    assert by_category == dict(sql("select category, count(*) from decision_categories group by category"))


def test_charts_follow_the_province_and_category_filters():
    data = charts(province="四川省")
    assert data["decisions-total"] == [{"n": expected_provinces()["四川省"]}]
    assert {row["province"] for row in data["decisions-by-province"]} == {"四川省"}
    data = charts(category="反洗钱")
    assert data["decisions-total"] == [{"n": sql("select count(*) from decision_categories"
                                                 " where category = '反洗钱'")[0][0]}]


def test_the_charts_over_years_have_every_year_on_a_time_axis():
    """2016, 2017, 2018 spaced as the years are, 2017 at 0: a year without decisions is not left out (an ordinal axis
    of the years that have rows draws 2016 → 2018 → 2021 side by side, and a trend looks smooth that is not)."""
    first, last = sql("select min(year), max(year) from decisions")[0]
    every_year = list(range(first, last + 1))
    assert len(sql("select distinct year from decisions")) < len(every_year)   # the demo has years without any
    for filters in ({}, {"province": "四川省"}, {"category": "反洗钱"}):
        data, shown = charts(**filters), definitions(**filters)
        for slug, value in (("decisions-by-year", "decisions"), ("fines-by-year", "fines_wan")):
            years = [row["year"] for row in data[slug]]
            assert years == every_year, (f"{slug} {filters}: the years {years} are not every year from {first} to "
                                         f"{last}: datasette/metadata.yml's query must give the missing ones as 0")
            assert all(row[value] is not None for row in data[slug])
            x = shown[slug]["display"]["encoding"]["x"]
            assert x["type"] in ("temporal", "quantitative"), f"{slug}: the year axis is {x['type']}, not a time axis"
            if x["type"] == "quantitative":
                assert x["field"] == "year" and x["axis"]["format"] == "d"     # 2016, not 2,016
            else:
                assert x["timeUnit"] == "year"
    sichuan = {row["year"]: row["decisions"] for row in charts(province="四川省")["decisions-by-year"]}
    assert sichuan == {year: sql("select count(*) from decisions where year = ? and province = '四川省'", [year])[0][0]
                       for year in every_year}
