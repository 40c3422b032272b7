"""One question, one answer: the Python API, the precedent export, the canned queries and the Atom feed mean the same
by a law, an article, a province and a ban (db/questions.py), so asking each the same question gives the same
decisions and parties. The feed refuses a filter it does not know instead of sending everything.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ElementTree

import lxml.html
import pytest

from regkb.export import export_precedents
from regkb.kb import Filters, KnowledgeBase
from tests.conftest import demo_database
from tests.web.conftest import get, sql

ATOM = "{http://www.w3.org/2005/Atom}"


def canned(name: str, **params) -> list[dict]:
    return get(f"/regkb/{name}.json", _shape="objects", _size="max", **params).json()["rows"]


def feed(**params) -> list[ElementTree.Element]:
    return ElementTree.fromstring(get("/regkb/feed.atom", **params).content).findall(f"{ATOM}entry")


@pytest.mark.parametrize("article", ["46", "第46条", "第四十六条"])
def test_precedents_are_the_same_parties_through_api_export_and_canned_query(article, tmp_path):
    law = "银行业监督管理法"
    with KnowledgeBase(demo_database()) as kb:
        api = kb.precedents(law, article)
    api_parties = set(zip(api.decision_id, api.name))
    exported = export_precedents(Filters(law=law, article=article), tmp_path / "p.csv", db=demo_database())
    with open(tmp_path / "p.csv", encoding="utf-8-sig") as file:
        export_parties = {row["当事人"] for row in csv.DictReader(file)}
    queried = canned("precedents", law=law, article=article)
    expected = {row[0] for row in sql("select distinct decision_id from citations where article = '第四十六条'"
                                      " and law = '中华人民共和国银行业监督管理法'")}
    assert {row["decision_id"] for row in queried} == set(api.decision_id) == expected and expected
    assert export_parties == {party for _, party in api_parties} and exported.decisions == len(expected)
    # the canned query lists each decision's parties: the same names as the API's rows
    listed = {row["decision_id"]: row["party_names"] for row in queried}
    assert all(party in listed[decision] for decision, party in api_parties)


@pytest.mark.parametrize("province", ["四川", "四川省", "广西", "全国"])
def test_a_province_means_the_same_everywhere(province):
    full = {"四川": "四川省", "四川省": "四川省", "广西": "广西壮族自治区", "全国": None}[province]
    expected = {row[0] for row in sql("select decision_id from decisions where province is ?", [full])}
    assert expected
    with KnowledgeBase(demo_database()) as kb:
        assert set(kb.decisions(province=province).decision_id) == expected
    fined = {row[0] for row in sql("select decision_id from decisions where province is ?"
                                   " and total_fine_yuan is not null", [full])}
    assert {row["decision_id"] for row in canned("largest_fines", province=province, year="")} == fined
    by_year = canned("fines_by_province_year", province=province)
    assert sum(row["decisions"] for row in by_year) == len(expected)
    assert {row["province"] for row in by_year} == {full or "全国"}
    entries = feed(province=province, category="")
    assert len(entries) == min(50, len(expected))
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert all(link.startswith("http://localhost/regkb/decisions/") for link in links)


def test_feed_entries_are_titled_by_their_decision_and_link_to_its_page():
    entries = feed(province="", category="反洗钱")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert len(titles) == len(set(titles)) == len(entries) > 10   # 13 PBOC decisions share one published title
    for entry in entries[:5]:
        page = entry.find(f"{ATOM}link").get("href").removeprefix("http://localhost")
        html = get(page).text
        assert entry.findtext(f"{ATOM}title") in html


@pytest.mark.parametrize("path", ["/regkb/feed.atom", "/regkb/feed", "/regkb/largest_fines.json"])
def test_an_unknown_filter_is_refused_with_the_ones_that_exist(path):
    response = get(path, status=400, provnce="四川")
    assert "provnce" in response.text and "province" in response.text
    get(path, province="四川", **({"category": ""} if "feed" in path else {"year": ""}))


def test_canned_query_pages_hide_their_sql_and_are_titled_in_chinese():
    html = get("/regkb/largest_fines", province="四川", year="").text
    assert "<title>最大罚款 · Largest fines · regkb</title>" in html
    page = lxml.html.fromstring(html)
    assert not page.cssselect("pre#sql-query") and not page.cssselect("textarea#sql-editor")
    assert "显示 SQL" in page.cssselect(".show-hide-sql")[0].text_content()
    assert '<span class="zh-label">罚款合计（元）</span>' in html and '<span class="yuan">' in html
    assert "省份（四川或四川省；全国）" in html


def test_one_question_through_the_api_the_export_the_canned_query_and_the_feed(tmp_path):
    """四川's decisions on 信贷业务, asked four ways: the same decisions, and the same parties where a way lists them."""
    asked = {"province": "四川", "category": "信贷业务"}
    expected = {row[0] for row in sql(
        "select d.decision_id from decisions d join decision_categories c on c.decision_id = d.decision_id"
        " where d.province = '四川省' and c.category = '信贷业务'")}
    assert 0 < len(expected) < 50   # all fit in the feed's 50 entries
    with KnowledgeBase(demo_database()) as kb:
        parties = kb.parties(**asked)
    export_precedents(Filters(**asked), tmp_path / "p.csv", db=demo_database())
    with open(tmp_path / "p.csv", encoding="utf-8-sig") as file:
        exported = [row["当事人"] for row in csv.DictReader(file)]
    queried = {row["decision_id"] for row in canned("feed", **asked)}
    entries = feed(**asked)
    linked = {entry.find(f"{ATOM}link").get("href").rsplit("/", 1)[1].replace("~3A", ":") for entry in entries}
    assert set(parties.decision_id) == queried == linked == expected
    assert sorted(exported) == sorted(parties.name)
    for entry in entries:   # each entry names its decision's parties
        decision = entry.find(f"{ATOM}link").get("href").rsplit("/", 1)[1].replace("~3A", ":")
        names = parties[parties.decision_id == decision].name
        assert all(name in entry.findtext(f"{ATOM}content") for name in names)
