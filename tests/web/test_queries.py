"""Canned queries with named parameters, against plain SQL and the source records."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
import sqlite_utils

from db.load import load_decision
from db.search import build_search_index
from nlp.records import Authority, Decision, Party, Sanction
from regkb.kb import KnowledgeBase
from tests.conftest import demo_database
from tests.expected import OTHER_DECISIONS, expected_provinces, other_provinces, records
from tests.web.conftest import app, get, sql

QUERIES = {"search", "precedents", "largest_fines", "fines_by_province_year", "repeat_offenders",
           "banned_individuals", "feed"}


def rows(query: str, instance=None, **params) -> list[dict]:
    data = get(f"/regkb/{query}.json", instance=instance, _shape="objects", **params).json()
    return data["rows"]


def test_every_canned_query_is_listed_with_a_chinese_and_english_title():
    html = get("/regkb").text
    for query in QUERIES:
        assert f'href="/regkb/{query}"' in html, query
    assert "法条先例 · Precedents for a law and article" in html and "禁业人员 · Individuals banned" in html


def test_canned_query_forms_ask_for_their_named_parameters():
    html = get("/regkb/precedents").text
    assert 'name="law"' in html and 'name="article"' in html


def test_precedents_for_a_law_and_article():
    law, article = "中华人民共和国商业银行法", "第七十五条"
    found = rows("precedents", law="商业银行法", article=article)
    expected = {row[0] for row in sql("select distinct decision_id from citations where law = ? and article = ?",
                                      [law, article])}
    assert {row["decision_id"] for row in found} == expected and expected
    dates = [row["decision_date"] for row in found]
    assert dates == sorted(dates, reverse=True)
    # every record whose own legal basis names that article is among them
    named = {f"nfra:{9000000 + int(r['序号'])}" for r in records() if "商业银行法》第七十五条" in r["法律依据"]}
    assert named and named <= expected


def test_precedents_take_an_article_in_any_form_as_the_api_does():
    by_name = {row["decision_id"] for row in rows("precedents", law="商业银行法", article="第七十五条")}
    for asked in ("75", "第75条", "七十五", "第７５条"):
        assert {row["decision_id"] for row in rows("precedents", law="《中华人民共和国商业银行法》", article=asked)} \
            == by_name, asked
    with KnowledgeBase(demo_database()) as kb:
        assert set(kb.precedents("商业银行法", "75").decision_id) == by_name


def test_precedents_of_every_article_of_a_law():
    found = rows("precedents", law="商业银行法", article="")
    expected = {row[0] for row in sql("select distinct decision_id from citations where law like '%商业银行法%'")}
    assert {row["decision_id"] for row in found} == expected


def test_largest_fines_match_the_records():
    found = rows("largest_fines", province="", year="")
    fines = sorted((float(r["罚没金额（元）"]) for r in records()
                    if r["处罚类型"] in ("罚款", "警告,罚款")), reverse=True)
    others = [fine for *_, fine, _ in OTHER_DECISIONS if fine]
    assert found[0]["total_fine_yuan"] == max(fines[0], 600_000, *others)   # or 太平's 50万 + 10万, or a PBOC/CSRC one
    amounts = [row["total_fine_yuan"] for row in found]
    assert amounts == sorted(amounts, reverse=True)
    sichuan = rows("largest_fines", province="四川省", year="")
    assert {row["province"] for row in sichuan} == {"四川省"}
    assert len(sichuan) == sql("select count(*) from decisions where province = '四川省'"
                               " and total_fine_yuan is not null")[0][0]
    in_2015 = rows("largest_fines", province="", year="2015")
    assert in_2015 and all(row["decision_date"].startswith("2015") for row in in_2015)


def test_fines_by_province_and_year():
    found = rows("fines_by_province_year", province="")
    by_province = Counter()
    for row in found:
        by_province[row["province"]] += row["decisions"]
    expected = expected_provinces() + other_provinces()
    expected["全国"] = 1 + sum(province is None for _, _, province, *_ in OTHER_DECISIONS)   # the head offices' decisions
    assert by_province == expected
    total = sum(row["total_fine_yuan"] or 0 for row in found)
    assert total == sql("select sum(total_fine_yuan) from decisions")[0][0]
    one = rows("fines_by_province_year", province="广西壮族自治区")
    assert {row["province"] for row in one} == {"广西壮族自治区"}
    assert sum(row["decisions"] for row in one) == expected["广西壮族自治区"]


def test_repeat_offenders_by_parent_group():
    found = rows("repeat_offenders", min_decisions="", institution_type="")
    expected = dict(sql("select parent, count(distinct decision_id) from parties where parent is not null"
                        " and kind = 'institution' group by parent having count(distinct decision_id) >= 2"))
    assert {row["parent_group"]: row["decisions"] for row in found} == expected
    assert found[0]["parent_group"] == "中国工商银行"
    three = rows("repeat_offenders", min_decisions="3", institution_type="")
    assert {row["parent_group"] for row in three} == {p for p, n in expected.items() if n >= 3}
    rural = rows("repeat_offenders", min_decisions="1", institution_type="农商行")
    assert rural and all(row["institution_types"] == "农商行" for row in rural)


@pytest.fixture(scope="module")
def with_a_ban(tmp_path_factory):
    """The demo database plus one decision banning a person for life (the demo corpus has no ban)."""
    path = tmp_path_factory.mktemp("ban") / "regkb.db"
    shutil.copy(demo_database(), path)
    db = sqlite_utils.Database(path)
    authority = Authority(name="四川银保监局", canonical="中国银保监会四川监管局", regulator="CBIRC",
                          level="provincial bureau", province="四川省")
    person = Party(name="李某某", kind="individual", role="时任某农商行行长", sanctions=[
        Sanction(type="ban", label="禁止从事银行业工作或禁止进入保险业", lifetime=True, text="终身禁止从事银行业工作"),
        Sanction(type="fine", label="罚款", amount_yuan=100_000, text="罚款10万元")])
    load_decision(db, Decision(source="test", doc_id="1", doc_format="table", title="测试：终身禁业",
                               authority=authority, authority_name="四川银保监局", decision_date="2020-05-06",
                               parties=[person]))
    build_search_index(db)
    db.conn.commit()
    db.conn.close()
    return app(path)


def test_banned_individuals(with_a_ban):
    # a banking ban beside the demo's 13 CSRC market bans (the demo has no banking or insurance ban of its own)
    found = rows("banned_individuals", instance=with_a_ban, name="")
    banking = [(row["name"], row["term"], row["decision_id"]) for row in found if row["sanction"] != "证券市场禁入"]
    assert banking == [("李某某", "终身 lifetime", "test:1")] and len(found) == 14
    assert [row["name"] for row in rows("banned_individuals", instance=with_a_ban, name="李某")] == ["李某某"]
    assert rows("banned_individuals", instance=with_a_ban, name="王") == []


def test_decision_ids_in_query_results_link_to_the_decision_page():
    html = get("/regkb/largest_fines", province="", year="").text
    assert '<a href="/regkb/decisions/nfra~3A' in html


def test_banned_individuals_include_the_csrcs_market_bans():
    # every 市场禁入 of the demo, read by hand from sources/csrc/demo/decisions/: 〔2024〕7号 刘斌 5年, 任大成 3年,
    # 韩臻 2年; 〔2024〕8号 张志勇 终身; 〔2024〕9号 (7500975) 袁亚非 10年, 檀加敏 5年, 杨怀珍 3年, 宋荣荣 3年;
    # 〔2024〕10号 高松 3年; 〔2026〕7号 胡博 3年; 〔2026〕10号 (7626997) 付景林 and 江庆 10年, 丁明锋 5年
    found = sorted((row["name"], row["term"]) for row in rows("banned_individuals", name=""))
    assert found == sorted([
        ("刘斌", "5年 years"), ("任大成", "3年 years"), ("韩臻", "2年 years"), ("张志勇", "终身 lifetime"),
        ("袁亚非", "10年 years"), ("檀加敏", "5年 years"), ("杨怀珍", "3年 years"), ("宋荣荣", "3年 years"),
        ("高松", "3年 years"), ("胡博", "3年 years"), ("付景林", "10年 years"), ("江庆", "10年 years"),
        ("丁明锋", "5年 years")])
    assert {row["sanction"] for row in rows("banned_individuals", name="张志勇")} == {"证券市场禁入"}
