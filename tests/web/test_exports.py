"""Exports: CSV that Excel opens with the Chinese intact, XLSX in Chinese (plugins/regkb_xlsx.py: the columns'
Chinese names, dates as dates, yuan as yuan, lists as 、-lists, a 导出说明 sheet, no path of the server), and an Atom
feed of the newest decisions."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import openpyxl

from regkb.names import value_name
from tests.conftest import demo_database
from tests.expected import DEMO_DECISIONS
from tests.web.conftest import demo_app, get, sql

CHINESE = re.compile(r"[\u4e00-\u9fff]")

ATOM = "{http://www.w3.org/2005/Atom}"


def test_csv_starts_with_a_byte_order_mark_and_keeps_the_chinese():
    for params in ({}, {"_dl": "1"}, {"_stream": "1"}):
        body = get("/regkb/decisions.csv", _size="max", **params).content
        assert body[:3] == b"\xef\xbb\xbf", params   # what Excel needs to read UTF-8
        table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert len(table) == DEMO_DECISIONS and list(table[0])[0] == "decision_id"
        assert {row["title"] for row in table} == {row[0] for row in sql("select title from decisions")}


def test_csv_of_a_canned_query_has_the_mark_too():
    body = get("/regkb/largest_fines.csv", province="四川省", year="").content
    assert body.startswith(b"\xef\xbb\xbf") and "四川省".encode() in body


def test_json_is_left_alone():
    assert get("/regkb/decisions.json", _size=1).content[:1] == b"{"


def workbook(path: str, **params) -> openpyxl.Workbook:
    response = get(path, **params)
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def about(book) -> dict[str, object]:
    """The 导出说明 sheet down to its list of columns: label → value."""
    lines = {}
    for label, value in book["导出说明"].iter_rows(values_only=True):
        if label == "列" and value is None:
            break
        if label:
            lines[label] = value
    return lines


def columns_named(book) -> dict[str, str]:
    """The 导出说明 sheet's list of columns: Chinese header → the column's own name."""
    rows = list(book["导出说明"].iter_rows(values_only=True))
    return dict(rows[rows.index(("列", None)) + 1:])


def column(sheet, header: str) -> list:
    headers = [cell.value for cell in sheet[1]]
    return [row[headers.index(header)] for row in sheet.iter_rows(min_row=2)]


def test_xlsx_of_a_filtered_table():
    book = workbook("/regkb/decisions.xlsx", province="四川省", _col="title")
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("决定编号", "标题")
    expected = {row[0] for row in sql("select title from decisions where province = '四川省'")}
    assert {row[1] for row in values[1:]} == expected and expected
    notes = about(book)
    assert notes["表"] == "处罚决定（decisions）" and notes["筛选"] == "省份 等于 四川省"
    assert notes["行数"] == len(expected) and notes["所选列"] == "只含 标题"
    assert columns_named(book) == {"决定编号": "decision_id", "标题": "title"}


def test_xlsx_of_a_search_and_of_a_canned_query():
    book = workbook("/regkb/decisions.xlsx", _search="挪用")
    assert book.worksheets[0].max_row - 1 == get("/regkb/decisions.json", _search="挪用",
                                                 _size=0).json()["filtered_table_rows_count"] > 0
    assert about(book)["检索词"] == "挪用"
    book = workbook("/regkb/fines_by_province_year.xlsx", province="")
    sheet = book.worksheets[0]
    assert "四川省" in [cell.value for cell in column(sheet, "省份")] and sheet.title == "各省历年罚款"
    assert about(book)["查询"] == "各省历年罚款（fines_by_province_year）"


def test_xlsx_headers_are_the_columns_chinese_names_and_the_workbook_is_in_chinese():
    response = get("/regkb/decisions.xlsx")
    assert "filename*=UTF-8''" + quote("处罚决定.xlsx") in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["处罚决定", "导出说明"]      # no Om uttaget, no sheet in any other language
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert len(headers) == len(sql("select * from decisions limit 1")[0]) == len(set(headers))
    assert all(CHINESE.search(header) for header in headers), headers
    for wanted in ("行政处罚决定书文号", "作出处罚决定的日期", "处罚机关（原文）", "省份", "当事人", "违法违规类别",
                   "罚款合计（元）", "处罚种类", "原文链接"):
        assert wanted in headers
    notes = book["导出说明"]
    labels = [label for label, _ in notes.iter_rows(values_only=True) if label]
    assert all(CHINESE.search(label) for label in labels), labels
    for text in ("Antal", "Tabell", "Exporterad", "Databas", "Användare", "rader"):
        assert not any(text in str(value) for row in notes.iter_rows(values_only=True) for value in row)
    facts = about(book)
    assert "国家金融监督管理总局" in facts["数据来源"] and facts["行数"] == DEMO_DECISIONS
    built = datetime.fromtimestamp(demo_database().stat().st_mtime, timezone(timedelta(hours=8)))
    assert facts["数据库构建时间"] == built.strftime("%Y-%m-%d %H:%M:%S") + "（北京时间）"


def test_xlsx_dates_are_dates_amounts_are_yuan_and_lists_are_chinese_lists():
    sheet = workbook("/regkb/decisions.xlsx", _sort="decision_id").worksheets[0]
    database = sql("select decision_id, decision_date, total_fine_yuan, categories, sanction_types, year"
                   " from decisions order by decision_id")
    cells = {name: column(sheet, name) for name in ("决定编号", "作出处罚决定的日期", "罚款合计（元）",
                                                    "违法违规类别", "处罚种类", "年份")}
    assert [cell.value for cell in cells["决定编号"]] == [row[0] for row in database]
    for (_, decided, fine, categories, kinds, year), date_cell, fine_cell, category_cell, kind_cell, year_cell in zip(
            database, cells["作出处罚决定的日期"], cells["罚款合计（元）"], cells["违法违规类别"], cells["处罚种类"],
            cells["年份"]):
        if decided:
            assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
            assert date_cell.value.date().isoformat() == decided
        if fine is not None:
            assert fine_cell.data_type == "n" and fine_cell.value == fine and "元" in fine_cell.number_format
        assert category_cell.value == ("、".join(json.loads(categories)) or None)
        assert kind_cell.value == ("、".join(json.loads(kinds)) or None)
        assert year_cell.data_type == "n" and year_cell.value == year
    joined = [cell.value for cell in cells["处罚种类"] if cell.value and "、" in cell.value]
    assert joined and not any("[" in value or '"' in value for value in joined)


def test_xlsx_codes_are_chinese_where_regkb_has_their_names():
    kinds = {cell.value for cell in column(workbook("/regkb/parties.xlsx").worksheets[0], "类型")}
    assert kinds == {"机构", "个人"}
    sheet = workbook("/regkb/sanctions.xlsx", decision_id="csrc:7626997").worksheets[0]
    types = [cell.value for cell in column(sheet, "处罚种类代码")]
    labels = [cell.value for cell in column(sheet, "处罚种类")]
    assert types == labels and "证券市场禁入" in types          # market_ban, as the sanction's own label says
    assert {cell.value for cell in column(sheet, "终身")} == {"否"}
    # every coded column of the decisions by the name the pages show (regkb/names.py), row by row
    decisions = workbook("/regkb/decisions.xlsx", _sort="decision_id").worksheets[0]
    stored = sql("select source, regulator, authority_level, doc_format from decisions order by decision_id")
    for index, (header, code) in enumerate((("来源", "source"), ("监管机构", "regulator"),
                                            ("机关层级", "authority_level"), ("文书形式", "doc_format"))):
        shown = [cell.value for cell in column(decisions, header)]
        assert shown == [value_name(code, row[index]) for row in stored], code
        assert not any(re.fullmatch(r"[a-z ]+", value or "") for value in shown), code
    assert "地市级机构" in [cell.value for cell in column(decisions, "机关层级")]


def test_xlsx_of_a_row_and_of_a_query():
    sheet = workbook("/regkb/decisions/csrc~3A7626997.xlsx").worksheets[0]
    assert column(sheet, "行政处罚决定书文号")[0].value == "〔2026〕10号"
    book = workbook("/regkb.xlsx", sql="select decision_no, total_fine_yuan, publish_date from decisions"
                                       " where source = 'csrc' order by decision_no")
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("行政处罚决定书文号", "罚款合计（元）", "发布日期")
    assert len(rows) - 1 == len(sql("select 1 from decisions where source = 'csrc'"))
    assert about(book)["查询"] == "自定义 SQL 查询" and about(book)["SQL"].startswith("select decision_no")


def test_xlsx_keeps_the_configured_row_limit():
    config = demo_app().plugin_config("regkb-xlsx") or demo_app().plugin_config("datasette-xlsx")
    limit = config["max_rows"]
    assert limit == 10_000 and config["time_limit_ms"] == 3000
    book = workbook("/regkb.xlsx", sql="with recursive n(i) as (select 1 union all select i + 1 from n"
                                       f" where i < {limit * 2}) select i from n")
    assert book.worksheets[0].max_row - 1 == limit     # beyond the page's 2,000 rows, up to the limit
    assert f"达到导出上限 {limit} 行" in about(book)["行数"]


def test_the_export_links_are_on_table_and_query_pages():
    assert 'href="/regkb/decisions.xlsx' in get("/regkb/decisions").text
    assert re.search(r'href="/regkb/largest_fines\.xlsx\?[^"]*province=', get("/regkb/largest_fines",
                                                                               province="四川省", year="").text)


def test_no_xlsx_says_where_the_database_is():
    folder = demo_database().resolve().parent
    for path, params in (("/regkb/decisions.xlsx", {}), ("/regkb/largest_fines.xlsx", {"province": "", "year": ""}),
                         ("/regkb.xlsx", {"sql": "select * from raw_documents limit 5"})):
        with zipfile.ZipFile(io.BytesIO(get(path, **params).content)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
        for where in (str(demo_database().resolve()), str(folder), folder.parent.name):
            assert where.encode() not in body, (path, where)


def feed(**params) -> list[ElementTree.Element]:
    response = get("/regkb/feed.atom", **params)
    assert response.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def entry_ids(entries) -> list[str]:
    return [entry.find(f"{ATOM}id").text.removeprefix("tag:regkb,2024:") for entry in entries]


def test_atom_feed_of_the_newest_decisions():
    entries = feed(province="", category="")
    newest = [row[0] for row in sql("select decision_id from decisions order by publish_date desc, decision_id desc"
                                    " limit 50")]
    assert entry_ids(entries) == newest
    first = entries[0]
    assert first.find(f"{ATOM}title").text and first.find(f"{ATOM}updated").text.startswith("20")


def test_atom_feed_filtered_by_province_or_category():
    sichuan = entry_ids(feed(province="四川省", category=""))
    assert set(sichuan) == {row[0] for row in sql("select decision_id from decisions where province = '四川省'")}
    laundering = entry_ids(feed(province="", category="反洗钱"))
    assert set(laundering) == {row[0] for row in sql("select decision_id from decision_categories"
                                                       " where category = '反洗钱'")} and laundering
    assert feed(province="西藏自治区", category="") == []


def test_atom_feed_is_linked_for_alerts():
    html = get("/regkb/feed", province="四川省", category="").text
    assert ".atom" in html


def test_xlsx_of_a_query_that_runs_too_long_says_so_in_chinese():
    import asyncio

    from datasette.plugins import pm

    database = demo_app().get_database("regkb")     # the plugins folder is loaded with the app
    plugin = next(module for module in pm.get_plugins() if getattr(module, "__name__", "") == "regkb_xlsx.py")
    runaway = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n where i > 0"
    try:
        asyncio.run(plugin._query_rows(database, runaway, {}, 10, 50))
    except plugin.ExportRefused as refusal:
        assert "0.05 秒的时限" in str(refusal) and "没有导出" in str(refusal)
    else:
        raise AssertionError("a runaway query was exported")
