"""The NFRA's 政策法规: its spider on the list and detail answers of the demo corpus, and its reader on the real texts.

The texts are real (shared/corpus/laws/, shared/corpus/nfra/NFRA-1253094.json) placed in the real detail envelope;
the campaign notice is a paraphrase (sources/nfra_texts/demo/README.md). Expected values are read off the texts by
hand: the preambles, the last articles, the articles cited by penalties.
"""

from __future__ import annotations

import json

import pytest
import scrapy

from sources.nfra_texts.document import kind_of, read
from sources.nfra_texts.spider import NfraTextsSpider
from tests.conftest import archived_response, demo_corpus

BASE = "http://127.0.0.1:9"
DEMO = demo_corpus("nfra_texts")
JSON_TYPE = "application/json;charset=UTF-8"


def list_answer(item_id: str) -> bytes:
    rows = json.loads((DEMO / "lists" / f"{item_id}.json").read_text(encoding="utf-8"))
    return json.dumps({"rptCode": 200, "msg": "成功", "data": {"total": len(rows), "rows": rows}},
                      ensure_ascii=False).encode("utf-8")


def document(doc_id: str) -> bytes:
    return (DEMO / "documents" / f"{doc_id}.json").read_bytes()


def text_of(doc_id: str, item_id: str):
    (text,) = read(document(doc_id), doc_id=doc_id, item_id=item_id, sha256="0" * 64).texts
    return text


def article(text, number: int):
    (found,) = [p for p in text.provisions if p.number == number]
    return found


# -- the spider --------------------------------------------------------------------------------------------------

def test_the_spider_asks_the_three_lists_at_the_penalties_endpoint(archive):
    spider = NfraTextsSpider(base_url=BASE)
    assert spider.item_ids == ["927", "928", "925"]
    request = spider.list_request("927", 1)
    assert request.url == f"{BASE}/cbircweb/DocInfo/SelectDocByItemIdAndChild?itemId=927&pageSize=18&pageIndex=1"


def test_a_list_page_asks_for_each_text_it_lists(archive):
    spider = NfraTextsSpider(base_url=BASE)
    spider.archive = archive
    request = spider.list_request("927", 1)
    response = archived_response(archive, request, list_answer("927"), source="nfra_texts", content_type=JSON_TYPE)
    out = [r for r in spider.parse_list(response) if isinstance(r, scrapy.Request)]
    assert [r.meta["doc_id"] for r in out] == ["1199538", "879932", "879931", "879929"]
    assert out[0].url == f"{BASE}/cbircweb/DocInfo/SelectByDocId?docId=1199538"


def test_a_text_answer_is_judged_and_yielded(archive):
    spider = NfraTextsSpider(base_url=BASE)
    spider.archive = archive
    request = spider.document_request("879932", "927", {})
    response = archived_response(archive, request, document("879932"), source="nfra_texts", content_type=JSON_TYPE)
    (item,) = spider.parse_document(response)
    assert item["source"] == "nfra_texts" and item["title"] == "中华人民共和国银行业监督管理法"


def test_an_html_page_for_a_text_is_a_block_not_a_text(archive):
    spider = NfraTextsSpider(base_url=BASE)
    spider.archive = archive
    request = spider.document_request("879932", "927", {})
    response = archived_response(archive, request, b"<html>404</html>", source="nfra_texts")
    assert list(spider.parse_document(response)) == []
    (problem,) = spider.problems
    assert "HTML instead of JSON" in problem.reason


# -- the reader ----------------------------------------------------------------------------------------------------

def test_the_banking_supervision_law():
    law = text_of("879932", "927")
    assert (law.kind, law.name, law.issuer) == ("law", "中华人民共和国银行业监督管理法", "全国人民代表大会常务委员会")
    assert law.url == "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=879932&itemId=927"
    assert law.publish_date == "2019-12-29" and law.document_no is None   # 717804719/2019-22305 is an index number
    # （2003年12月27日…通过　根据2006年10月31日…《关于修改〈中华人民共和国银行业监督管理法〉的决定》修正）
    assert [(v.label, v.date) for v in law.versions] == [("通过", "2003-12-27"), ("修正", "2006-10-31")]
    assert len(law.provisions) == 52 and law.provisions[-1].text == "本法自2004年2月1日起施行。"
    forty_six = article(law, 46)
    assert forty_six.article == "第四十六条" and forty_six.chapter == "第五章 法律责任"
    assert forty_six.text.startswith("银行业金融机构有下列情形之一，由国务院银行业监督管理机构责令改正，并处二十万元以上五十万元以下罚款")
    assert "（五）严重违反审慎经营规则的；" in forty_six.text


@pytest.mark.parametrize(("doc_id", "name", "articles", "last_version"), [
    ("879931", "中华人民共和国保险法", 185, ("修正", "2015-04-24")),
    ("879929", "中华人民共和国商业银行法", 95, ("修正", "2015-08-29")),
    ("1199538", "中华人民共和国反洗钱法", 65, ("修订", "2024-11-08")),
])
def test_the_other_three_laws_whole(doc_id, name, articles, last_version):
    law = text_of(doc_id, "927")
    assert law.name == name and law.kind == "law"
    assert len(law.provisions) == articles
    assert [p.number for p in law.provisions] == list(range(1, articles + 1))
    assert (law.versions[-1].label, law.versions[-1].date) == last_version


def test_an_article_broken_over_two_lines_is_one_article():
    # the page's 「第八十五」「条　商业银行工作人员利用职务上的便利，贪污…」
    eighty_five = article(text_of("879929", "927"), 85)
    assert eighty_five.text.startswith("商业银行工作人员利用职务上的便利，贪污、挪用、侵占本行或者客户资金")


def test_the_anti_money_laundering_law_says_when_it_takes_effect():
    law = text_of("1199538", "927")
    assert law.effective_date == "2025-01-01"   # 第六十五条 本法自2025年1月1日起施行。
    assert article(law, 1).chapter == "第一章 总则"


def test_a_notice_full_of_penalty_words_is_a_notice_without_articles():
    notice = text_of("1253094", "925")
    assert (notice.kind, notice.title) == ("notice", "国家金融监督管理总局2025年法治政府建设年度报告")
    assert notice.issuer == "国家金融监督管理总局" and notice.publish_date == "2026-03-31"
    assert notice.provisions == [] and notice.body.startswith("2025年，金融监管总局坚持以习近平新时代中国特色社会主义思想为指导")


def test_the_campaign_notice_is_the_cbirc_s():
    notice = text_of("9200001", "925")
    assert notice.kind == "notice" and notice.issuer == "中国银行保险监督管理委员会"
    assert notice.name == "中国银保监会办公厅关于开展银行保险机构侵害个人信息权益乱象专项整治工作的通知"
    assert "（七）第三方合作" in notice.body
    # the seven forms of misconduct the notice names are the seven sub-categories of 个人信息保护 (shared/DOMAIN.md)
    assert {"个人信息保护/" + form for form in ("个人信息收集", "个人信息存储和传输", "个人信息查询", "个人信息使用",
                                          "个人信息提供", "个人信息删除", "第三方合作")} <= set(notice.categories)


def test_a_reading_holds_the_text_and_no_decision():
    reading = read(document("879932"), doc_id="879932", item_id="927")
    assert reading.analyses == [] and len(reading.texts) == 1 and reading.document_html.startswith("<html")


@pytest.mark.parametrize(("item_id", "title", "opening", "kind"), [
    ("927", "中华人民共和国保险法", "（1995年6月30日…通过", "law"),
    ("927", "防范和处置非法集资条例", "中华人民共和国国务院令第737号", "regulation"),
    ("928", "银行保险机构操作风险管理办法", "国家金融监督管理总局令2023年第5号", "rule"),
    ("928", "中国银保监会办公厅关于开展银行保险机构侵害个人信息权益乱象专项整治工作的通知", "各银保监局，各银行保险机构：",
     "normative"),
    ("925", "国家金融监督管理总局公告", "", "announcement"),
])
def test_the_kind_is_the_list_s_refined_by_the_text(item_id, title, opening, kind):
    assert kind_of(item_id, title, opening) == kind
