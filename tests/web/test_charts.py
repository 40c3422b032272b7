"""Charts (datasette-dashboards, with Vega bundled): the data each chart draws, fetched as its script fetches it.

The drawing itself is checked in a real browser by tests/web/test_browser.py; here, that each chart gets the right numbers
(plain SQL and the source records) with and without a filter, and that Vega comes from the site itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urlencode

from tests.expected import DEMO_DECISIONS, OTHER_DECISIONS, expected_provinces, other_provinces, records
from tests.web.conftest import get, sql

CHARTS = {"decisions-total", "fines-total", "decisions-by-year", "fines-by-year", "decisions-by-province",
          "decisions-by-category"}


def charts(**filters) -> dict[str, list[dict]]:
    """Each chart on the dashboard page and the rows its script would draw."""
    html = get("/-/dashboards/overview", **filters).text
    found = {}
    for slug, chart, query_string in re.findall(r"renderChart\('([^']+)', (\{.*?\}), '([^']*)', '[^']*'\)", html):
        chart = json.loads(chart)
        url = f"/{chart['db']}.json?" + urlencode({"sql": chart["query"]}) + f"&{query_string}&_shape=objects"
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
    by_year = {row["year"]: row["decisions"] for row in data["decisions-by-year"]}
    expected_years = Counter(int(r["处罚日期"][:4]) for r in records()) + Counter({2018: 1, 2021: 1, 2026: 1})
    expected_years.update(year for _, _, _, year, _, _ in OTHER_DECISIONS)
    assert by_year == dict(expected_years)
    by_province = {row["province"]: row["decisions"] for row in data["decisions-by-province"]}
    national = 1 + sum(province is None for _, _, province, *_ in OTHER_DECISIONS)   # the CBIRC's, PBOC's, CSRC's
    assert by_province == {**(expected_provinces() + other_provinces()), "全国（总部）": national}
    fines = {row["year"]: row["fines_wan"] for row in data["fines-by-year"]}
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
