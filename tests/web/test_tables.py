"""The table pages as a person reads them: every row reachable by 下一页 in every order, about eight columns first,
coded values in Chinese, lists as tags, amounts in yuan, facets in a fixed order, and Datasette's own words in
Chinese. Checked against plain SQL over the demo database.
"""

from __future__ import annotations

import json
import re
import types
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from datasette import hookimpl
from datasette.plugins import pm

from tests.expected import DEMO_DECISIONS
from tests.web.conftest import get, sql

ORDERS = [{}, {"_sort_desc": "total_fine_yuan"}, {"_sort": "total_fine_yuan"}, {"_sort": "date"},
          {"_sort_desc": "year"}, {"_sort": "authority"}, {"_sort_desc": "fine_band"}]


def walk(table: str, key: str, **params) -> list[str]:
    """The keys of every row, following each page's next link as a browser would."""
    seen, args = [], {"_shape": "objects", "_col": key, **params}
    while True:
        data = get(f"/regkb/{table}.json", **args).json()
        seen += [row[key] for row in data["rows"]]
        if not data.get("next_url"):
            return seen
        args = {name: values[0] for name, values in parse_qs(urlsplit(data["next_url"]).query).items()}
        args.update({"_shape": "objects", "_col": key})


@pytest.mark.parametrize("order", ORDERS, ids=lambda order: ",".join(f"{k}={v}" for k, v in order.items()) or "default")
@pytest.mark.parametrize("size", ["20", "7"])
def test_following_next_reaches_every_decision_once(order, size):
    seen = walk("decisions", "decision_id", _size=size, **order)
    assert len(seen) == len(set(seen)) == DEMO_DECISIONS, (len(seen), len(set(seen)))


def test_following_next_reaches_every_party_once():
    seen = walk("parties", "party_id", _size="9", _sort_desc="fine_yuan")
    assert sorted(seen) == sorted(row[0] for row in sql("select party_id from parties"))


def test_the_first_page_is_ordered_by_the_key_among_equal_values():
    rows = get("/regkb/decisions.json", _shape="objects", _col="total_fine_yuan", _sort_desc="total_fine_yuan",
               _size="20").json()["rows"]
    expected = [row[0] for row in sql("select decision_id from decisions order by total_fine_yuan desc,"
                                      " decision_id limit 20")]
    assert [row["decision_id"] for row in rows] == expected


def table_page(path: str, **params):
    return lxml.html.fromstring(get(path, **params).text)


def test_the_decisions_table_opens_on_eight_columns_named_in_chinese():
    html = table_page("/regkb/decisions")
    headers = [th.get("data-column") for th in html.cssselect("table.rows-and-columns th")]
    assert headers == ["heading", "decision_date", "authority", "province", "party_names", "categories",
                       "total_fine_yuan", "sanction_types"]
    labels = [th.cssselect(".zh-label")[0].text for th in html.cssselect("table.rows-and-columns th")]
    assert labels == ["名称", "作出处罚决定的日期", "处罚机关（原文）", "省份", "当事人", "违法违规类别", "罚款合计（元）",
                      "处罚种类"]
    first = html.cssselect("table.rows-and-columns tbody tr")[0].cssselect("td")[0].cssselect("a")[0]
    (heading,) = sql("select heading from decisions where decision_id = ?",
                     [first.get("href").rsplit("/", 1)[1].replace("~3A", ":").replace("~2E", ".")])[0]
    assert first.text_content() == heading
    everything = html.cssselect(".regkb-columns a")[0].get("href")
    headers = [th.get("data-column") for th in table_page(everything.replace("&amp;", "&")).cssselect(
        "table.rows-and-columns th")]
    assert len(headers) == len(sql("select * from pragma_table_info('decisions')"))


def test_no_two_decisions_share_a_name():
    assert sql("select heading, count(*) from decisions group by heading having count(*) > 1") == []
    # the thirteen PBOC decisions published under one title each have their own
    assert len({row[0] for row in sql("select heading from decisions where title = '银罚决字〔2026〕104-116号'")}) == 13


def test_values_are_shown_as_people_read_them():
    html = get("/regkb/decisions", _col=["authority_level", "doc_format", "regulator", "source", "categories",
                                         "total_fine_yuan", "province"], _size="max").text
    shown = {"authority_level": {"head office": "总部机关", "sub-bureau": "地市级机构"},
             "doc_format": {"table": "信息公开表", "fulltext": "决定书", "register": "公示表"},
             "regulator": {"CBRC": "原银监会", "CSRC": "中国证监会", "PBOC": "中国人民银行"},
             "source": {"nfra": "国家金融监督管理总局", "csrc": "中国证券监督管理委员会"}}
    for column, names in shown.items():
        for code, name in names.items():
            assert sql(f"select 1 from decisions where {column} = ?", [code]), (column, code)
            assert f'title="{code}">{name}</span>' in html, (column, code)
    assert not re.search(r">(head office|sub-bureau|fulltext|nfra|CBRC)<", html)
    assert '<span class="tag">信贷业务</span>' in html and '["' not in html
    (fine,) = sql("select max(total_fine_yuan) from decisions")[0]
    assert f"{fine:,.0f} 元" in html and f">{fine}<" not in html
    assert '<span class="national">全国</span>' in html
    sanctions = get("/regkb/sanctions", _col=["type"], _size="max").text
    assert ">证券市场禁入<" in sanctions and ">market_ban<" not in sanctions


def test_json_keeps_the_stored_values():
    row = get("/regkb/decisions.json", _shape="array", _size="1", _col=["authority_level", "categories"],
              authority_level="sub-bureau").json()[0]
    assert row["authority_level"] == "sub-bureau" and isinstance(json.loads(row["categories"]), list)


def facet_names(**params) -> list[str]:
    html = table_page("/regkb/decisions", **params)
    return [div.get("data-column") for div in html.cssselect(".facet-info")]


def test_facets_stay_in_one_order_from_page_to_page():
    order = facet_names()
    assert order[:5] == ["kind", "province", "city", "authority_id", "authority_level"]   # metadata.yml's order
    for params in ({"province": "四川省"}, {"categories__arraycontains": "反洗钱"}, {"source": "csrc"}):
        shown = facet_names(**params)
        assert shown == [name for name in order if name in shown], params


def facet_values(name: str, **params) -> list[tuple[str, str]]:
    html = table_page("/regkb/decisions", **params)
    return [(item.text_content().rsplit(" ", 1)[0].strip(), item.cssselect("a")[0].get("href"))
            for item in html.cssselect(f'#facet-{name} li') if item.cssselect("a")]


def test_years_by_year_bands_by_size_and_national_decisions_as_quanguo():
    years = [int(label) for label, _ in facet_values("year")]
    assert years == sorted(years, reverse=True)
    bands = [label for label, _ in facet_values("fine_band")]
    order = ["不足10万元", "10万至50万元", "50万至100万元", "100万至500万元", "500万元及以上", "无罚款"]
    assert bands == [band for band in order if band in bands]
    national = dict(facet_values("province"))["全国"]
    count = get(national.replace("http://localhost", "").replace(".json", "") + "&_size=0"
                if "?" in national else national, status=200)
    head_offices = sql("select count(*) from decisions where province is null")[0][0]
    assert f"共 {head_offices} 条" in count.text
    assert [name for _, name in facet_values("authority_level")] and \
        "地市级机构" in [label for label, _ in facet_values("authority_level")]


ENGLISH = ["Next page", ">Apply<", "View and edit SQL", "Advanced export", "This data as", "- remove filter -",
           "- column -", " rows<", "Sort..."]


@pytest.mark.parametrize("path", ["/regkb/decisions", "/regkb/parties", "/regkb/sanctions", "/regkb/citations"])
def test_datasette_speaks_chinese_on_the_table_pages(path):
    html = get(path).text
    assert not [word for word in ENGLISH if word in html]
    assert "下一页" in html or "regkb/sanctions" in path or "regkb/citations" in path
    assert "应用" in html and "导出" in html


@hookimpl
def table_actions(datasette, actor, database, table):
    return [{"href": "/-/edit", "label": "编辑表结构"}]


@hookimpl
def database_actions(datasette, actor, database):
    return [{"href": "/-/upload", "label": "上传数据"}]


def actions_plugin() -> types.ModuleType:
    """A plugin adding an action to every table and database page (as datasette-edit-schema and others do)."""
    plugin = types.ModuleType("regkb_test_actions")
    plugin.table_actions, plugin.database_actions = table_actions, database_actions
    return plugin


@pytest.mark.parametrize("path, label, name", [("/regkb/decisions", "编辑表结构", "数据表操作"),
                                               ("/regkb", "上传数据", "数据库操作")])
def test_a_plugins_actions_are_offered_in_chinese(path, label, name):
    plugin = actions_plugin()
    pm.register(plugin)
    try:
        html = get(path).text
    finally:
        pm.unregister(plugin)
    menu = html[html.index('<details class="actions-menu-links">'):]
    assert f'<title id="actions-menu-links-title">{name}</title>' in menu and f">{label}</a>" in menu
    assert "Table actions" not in html and '<details class="actions-menu-links">' not in get(path).text
