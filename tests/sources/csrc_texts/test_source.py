"""The CSRC's texts: the spider on searchList answers and the 规章库 list page of the demo corpus, and the reader on
real pages and texts.

The five 规章库 pages are real, byte for byte (shared/corpus/csrc/detail_regulation_*.html); the list page is the real
one cut to their rows; the 证监会令 and 证监会公告 texts are real, their pages assembled (sources/csrc_texts/demo/
README.md). Expected values are read off the pages by hand.
"""

from __future__ import annotations

import json

import pytest

from sources.csrc_texts.document import document_number, read
from sources.csrc_texts.spider import CsrcTextsSpider, manuscript_id, rule_list_pager
from tests.conftest import REAL, SHARED_CORPUS, archived_response, demo_corpus

BASE = "http://127.0.0.1:9"
DEMO = demo_corpus("csrc_texts")
ORDERS, ANNOUNCEMENTS = "cd11df89f5894c1eac37ae37cc11e369", "625a2f95cc104c1d8b646f98d9f87470"
RULE_LIST_PAGE = DEMO / "site" / "csrc" / "c106256" / "fg.shtml"


def make_spider(archive) -> CsrcTextsSpider:
    spider = CsrcTextsSpider(base_url=BASE, branch="head_office")
    spider.archive = archive
    return spider


def page(manuscript: str) -> bytes:
    return next((DEMO / "site").rglob(f"c{manuscript}/content.shtml")).read_bytes()


def text_of(manuscript: str, list_key: str):
    (text,) = read(page(manuscript), doc_id=manuscript, url=f"https://www.csrc.gov.cn/c{manuscript}",
                   item_id=f"head_office#{list_key}").texts
    return text


# -- the spider ----------------------------------------------------------------------------------------------------

def test_the_orders_are_asked_with_their_list_page_as_referer(archive):
    spider = make_spider(archive)
    request = spider.list_request(spider.facts.site("head_office"), ORDERS, 0, 1, seen=0)
    assert request.url.startswith(f"{BASE}/searchList/{ORDERS}?_isAgg=true&_isJson=true&_pageSize=20")
    assert request.headers["Referer"] == f"{BASE}/csrc/c101953/zfxxgk_zdgk.shtml".encode()


def test_an_announcement_result_becomes_its_page_request(archive):
    spider = make_spider(archive)
    request = spider.list_request(spider.facts.site("head_office"), ANNOUNCEMENTS, 1, 1, seen=0)
    rows = json.loads((DEMO / "lists" / f"{ANNOUNCEMENTS}.json").read_text(encoding="utf-8"))
    body = json.dumps({"data": {"total": len(rows), "results": rows}}, ensure_ascii=False).encode()
    out = list(spider.parse_list(archived_response(archive, request, body, source="csrc_texts",
                                                   content_type="application/json")))
    assert [(r.meta["doc_id"], r.url) for r in out] == [("7628225", f"{BASE}/csrc/c101954/c7628225/content.shtml")]


def test_the_rule_library_list_asks_for_each_rule_page(archive):
    spider = make_spider(archive)
    request = spider.rule_list_request(spider.facts.site("head_office"), 1)
    assert request.url == f"{BASE}/csrc/c106256/fg.shtml"
    out = list(spider.parse_rule_list(archived_response(archive, request, RULE_LIST_PAGE.read_bytes(),
                                                        source="csrc_texts")))
    assert [r.meta["doc_id"] for r in out] == ["3217074", "1942800", "1653980", "1653977", "1653979"]
    assert out[0].url == f"{BASE}/csrc/c106256/c3217074/content.shtml"
    assert archive.listing("csrc_texts", "3217074")["title"] == "中国证监会派出机构监管职责规定"
    assert spider.problems == []


def test_the_real_rule_library_page_pages_on_to_fg_1(archive):
    listing = REAL / "csrc" / "list_regulations.html"   # shared/corpus/csrc/list_regulations.html, copied
    spider = make_spider(archive)
    request = spider.rule_list_request(spider.facts.site("head_office"), 1)
    out = list(spider.parse_rule_list(archived_response(archive, request, listing.read_bytes(), source="csrc_texts")))
    pages = [r for r in out if r.meta["kind"] == "list"]
    assert len(out) - len(pages) == 20   # the recorded page's twenty rows
    assert [r.url for r in pages] == [f"{BASE}/csrc/c106256/fg_1.shtml"]   # createPageHTML('page_div',5, 1,'fg','shtml',89)


def test_a_page_without_the_rows_is_a_block(archive):
    spider = make_spider(archive)
    request = spider.rule_list_request(spider.facts.site("head_office"), 1)
    assert list(spider.parse_rule_list(archived_response(archive, request, b"<html><body>x</body></html>",
                                                         source="csrc_texts"))) == []
    (problem,) = spider.problems
    assert "tbody#zc-list-content" in problem.reason


def test_the_pager_and_the_page_ids():
    assert rule_list_pager("<script>createPageHTML('page_div',5, 1,'fg','shtml',89);</script>") == (5, 1, 89)
    assert manuscript_id("/csrc/c106256/c1942800/content.shtml") == "1942800"
    with pytest.raises(ValueError):
        manuscript_id("/csrc/c106256/fg.shtml")


# -- the reader ----------------------------------------------------------------------------------------------------

def test_a_rule_of_the_library_as_amended():
    rule = text_of("3217074", "fg")
    assert (rule.kind, rule.name, rule.issuer) == ("rule", "中国证监会派出机构监管职责规定", "中国证券监督管理委员会")
    # （2015年10月29日证监会令第118号公布  根据2022年5月31日证监会令第199号《关于修改…的决定》修订）
    assert rule.document_no == "中国证券监督管理委员会令第118号" and rule.publish_date == "2015-10-29"
    assert [(v.label, v.date) for v in rule.versions] == [("发布", "2015-10-29"), ("修订", "2022-05-31")]
    assert rule.provisions[0].article == "第一条" and rule.provisions[0].chapter == "第一章 总则"
    assert rule.provisions[0].text.startswith("为了明确中国证券监督管理委员会派出机构（以下简称派出机构）监管职责")
    assert rule.provisions[-1].article == "第五十三条"


def test_a_rule_says_when_it_took_effect():
    rule = text_of("1942800", "fg")   # (2022年2月18日证监会令第195号公布  自2022年4月1日起施行)
    assert rule.document_no == "中国证券监督管理委员会令第195号"
    assert (rule.publish_date, rule.effective_date) == ("2022-02-18", "2022-04-01")


def test_an_order_publishes_its_rule():
    rule = text_of("7616837", ORDERS)
    assert rule.kind == "rule" and rule.name == "私募投资基金信息披露监督管理办法"
    # 中国证券监督管理委员会令 / 第 / 233 / 号 …现予公布，自2026年9月1日起施行。
    assert rule.document_no == "中国证券监督管理委员会令第233号" and rule.effective_date == "2026-09-01"
    assert rule.provisions[0].chapter == "第一章 总则" and rule.provisions[-1].article == "第四十四条"


def test_an_announcement_publishing_a_rule():
    announcement = text_of("7628225", ANNOUNCEMENTS)
    assert announcement.kind == "announcement" and announcement.name == "上市公司董事会秘书监管规则"
    assert announcement.document_no == "中国证券监督管理委员会公告〔2026〕8号"
    assert announcement.effective_date == "2026-05-24"   # 现公布《…》，自2026年5月24日起施行。
    assert len(announcement.provisions) == 38


def test_the_number_read_across_split_lines():
    assert document_number(["中国证券监督管理委员会令", "第", "233", "号"]) == "中国证券监督管理委员会令第233号"
    assert document_number(["中国证券监督管理委员会公告", "〔2026〕8号"]) == "中国证券监督管理委员会公告〔2026〕8号"


def test_the_library_pages_are_the_recorded_ones():
    shared = SHARED_CORPUS / "csrc" / "detail_regulation_1.html"
    if not shared.exists():
        pytest.skip("the shared corpus is not beside the repository")
    assert page("3217074") == shared.read_bytes()
