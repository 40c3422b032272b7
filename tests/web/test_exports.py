"""Exports: CSV that Excel opens with the Chinese intact, XLSX, and an Atom feed of the newest decisions."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree

import openpyxl

from tests.expected import DEMO_DECISIONS
from tests.web.conftest import get, sql

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


def test_xlsx_of_a_filtered_table():
    response = get("/regkb/decisions.xlsx", province="四川省", _col="title")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("decision_id", "title")
    expected = {row[0] for row in sql("select title from decisions where province = '四川省'")}
    assert {row[1] for row in values[1:]} == expected and expected


def test_xlsx_of_a_search_and_of_a_canned_query():
    book = openpyxl.load_workbook(io.BytesIO(get("/regkb/decisions.xlsx", _search="挪用").content))
    assert book.worksheets[0].max_row - 1 == get("/regkb/decisions.json", _search="挪用",
                                                 _size=0).json()["filtered_table_rows_count"] > 0
    book = openpyxl.load_workbook(io.BytesIO(get("/regkb/fines_by_province_year.xlsx", province="").content))
    assert "四川省" in {row[0] for row in book.worksheets[0].iter_rows(values_only=True)}


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
