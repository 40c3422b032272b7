"""The CSRC: its spider on the searchList answers and pages of the demo corpus, and extraction of real decisions.

The decision texts are real (sources/csrc/demo/decisions/, each naming its source); the pages and list answers
are assembled around them (sources/csrc/demo/README.md). Expected values are read off the texts by hand.
"""

from __future__ import annotations

import json

import pytest
import scrapy

from nlp.output import document_json
from sources.csrc.document import read as read_csrc
from sources.csrc.spider import CsrcSpider, NotAList, read_search_list
from tests.conftest import archived_response, demo_corpus

BASE = "http://127.0.0.1:9"
CSRC = demo_corpus("csrc")
PENALTIES, BANS = "17d5ff2fe43e488dba825807ae40d63f", "3795869930ca4b70bf55469270a6e641"


def make_spider(archive, **options) -> CsrcSpider:
    spider = CsrcSpider(base_url=BASE, branch="head_office", **options)
    spider.archive = archive
    return spider


def answered(archive, request, body: bytes, status: int = 200, content_type: str = "application/json"):
    return archived_response(archive, request, body, source="csrc", status=status, content_type=content_type)


def search_answer(channel: str, page: int = 1, size: int = 20) -> bytes:
    rows = json.loads((CSRC / "lists" / f"{channel}.json").read_text(encoding="utf-8"))
    return json.dumps({"data": {"total": len(rows), "results": rows[(page - 1) * size: page * size]}},
                      ensure_ascii=False).encode("utf-8")


def parse_decision(manuscript_id: str) -> dict:
    page = next((CSRC / "site").rglob(f"c{manuscript_id}/content.shtml"))
    listing = {"branch": "head_office", "title": None, "published": None}
    return document_json(read_csrc(page.read_bytes(), doc_id=manuscript_id, url=str(page), listing=listing).analyses)


# -- the spider --------------------------------------------------------------------------------------------------

def test_list_asks_search_list_with_the_list_page_as_referer(archive):
    spider = make_spider(archive)
    site = spider.facts.site("head_office")
    request = spider.list_request(site, BANS, 1, 1, seen=0)
    assert request.url.startswith(BASE + f"/searchList/{BANS}?_isAgg=true&_isJson=true&_pageSize=20")
    assert request.url.endswith("&page=1")
    assert request.headers["Referer"] == (BASE + "/csrc/c101972/zfxxgk_zdgk.shtml").encode()


def test_list_results_become_page_requests_newest_first(archive):
    spider = make_spider(archive)
    request = spider.list_request(spider.facts.site("head_office"), BANS, 1, 1, seen=0)
    out = list(spider.parse_list(answered(archive, request, search_answer(BANS))))
    assert [r.meta["doc_id"] for r in out] == ["7491800", "7500975", "7474964", "7474962"]
    assert out[0].url == BASE + "/csrc/c101927/c7491800/content.shtml"
    listing = archive.listing("csrc", "7491800")
    assert listing["title"] == "中国证监会市场禁入决定书（高松）" and listing["published"] == "2024-04-25"


def test_pages_are_counted_by_the_results_that_came(archive):
    # the server caps a page at 20 whatever _pageSize says: with 2 results a page, 4 results are 2 pages
    spider = make_spider(archive, page_size=2)
    site = spider.facts.site("head_office")
    request = spider.list_request(site, BANS, 1, 1, seen=0)
    out = list(spider.parse_list(answered(archive, request, search_answer(BANS, 1, 2))))
    pages = [r for r in out if r.meta["kind"] == "list"]
    assert len(pages) == 1 and pages[0].url.endswith("&page=2") and pages[0].meta["seen"] == 2
    last = list(spider.parse_list(answered(archive, pages[0], search_answer(BANS, 2, 2))))
    assert not [r for r in last if r.meta["kind"] == "list"]


def test_a_decision_listed_twice_is_fetched_once(archive):
    spider = make_spider(archive)
    request = spider.list_request(spider.facts.site("head_office"), PENALTIES, 0, 1, seen=0)
    first = list(spider.parse_list(answered(archive, request, search_answer(PENALTIES))))
    for page in first:
        body = next((CSRC / "site").rglob(f"c{page.meta['doc_id']}/content.shtml")).read_bytes()
        list(spider.parse_document(answered(archive, page, body, content_type="text/html; charset=utf-8")))
    again = spider.list_request(spider.facts.site("head_office"), PENALTIES, 0, 1, seen=0)
    assert [r for r in spider.parse_list(answered(archive, again, search_answer(PENALTIES)))
            if r.meta["kind"] == "document"] == []
    assert spider.tally["documents_already_archived"] == 3


@pytest.mark.parametrize("body, reason", [
    (b"<html><body>403 Forbidden</body></html>", "HTML instead of the searchList JSON"),
    (b'{"data": {"rows": []}}', "JSON without data.total and data.results"),
    (b"{not json", "malformed JSON"),
])
def test_what_is_not_a_search_list(body, reason):
    with pytest.raises(NotAList, match=reason):
        read_search_list(body)


def test_a_page_without_the_decision_text_is_blocked(archive):
    spider = make_spider(archive)
    request = scrapy.Request(BASE + "/csrc/c101928/c1/content.shtml",
                             meta={"kind": "document", "doc_id": "1", "item_id": "head_office#x", "site": "head_office"})
    out = list(spider.parse_document(answered(archive, request, b"<html><body><h1>Not here</h1></body></html>",
                                              content_type="text/html")))
    assert out == [] and "div.detail-news" in spider.problems[0].reason


# -- extraction of the real decisions ------------------------------------------------------------------------------

def test_penalty_with_confiscation_and_fines_each():
    d = parse_decision("7625565")   # 〔2026〕6号
    assert d["decision_no"] == "〔2026〕6号" and d["authority_id"] == "中国证券监督管理委员会"
    assert d["regulator"] == "CSRC" and d["authority_level"] == "head office" and d["province"] is None
    firm, first, second = d["parties"]
    assert (firm["name"], firm["kind"]) == ("中审众环会计师事务所(特殊普通合伙)", "institution")
    # 没收业务收入2,735,849.06元,并处以4,787,735.86元罚款
    assert firm["confiscated_yuan"] == 2_735_849.06 and firm["fine_yuan"] == 4_787_735.86
    # each sanction quoted whole: the thousands commas do not end its clause
    quotes = {s["type"]: s["text"] for s in firm["sanctions"]}
    assert quotes["confiscation"] == "没收业务收入2,735,849.06元" and quotes["fine"] == "并处以4,787,735.86元罚款"
    # 对黄秀娟、邵雯给予警告,并分别处以35万元罚款
    for person, name in ((first, "黄秀娟"), (second, "邵雯")):
        assert person["name"] == name and person["kind"] == "individual" and person["fine_yuan"] == 350_000
        assert [s["type"] for s in person["sanctions"]] == ["warning", "fine"]
    assert d["total_fine_yuan"] == pytest.approx(5_487_735.86)
    assert d["categories"] == ["证券期货市场"]
    assert {"law": "中华人民共和国证券法", "article": "第二百一十三条", "clause": "第三款"} in d["citations"]


def test_market_ban_with_years_and_for_life():
    gao = parse_decision("7491800")   # 对高松采取3年证券市场禁入措施
    ban, = gao["parties"][0]["sanctions"]
    assert (ban["type"], ban["label"], ban["years"], ban["lifetime"]) == ("market_ban", "证券市场禁入", 3, False)
    assert gao["decision_date"] == "2024-04-24" and gao["publish_date"] == "2024-04-25"
    assert gao["parties"][0]["role"].startswith("时任江苏舜天股份有限公司")
    zhang = parse_decision("7474964")   # 对张志勇采取终身的市场禁入措施
    ban, = zhang["parties"][0]["sanctions"]
    assert ban["type"] == "market_ban" and ban["lifetime"] is True and ban["years"] is None


def test_every_person_of_a_ban_gets_their_own_years():
    d = parse_decision("7474962")   # 刘斌 5年, 任大成 3年, 韩臻 2年 (only the first is labelled 当事人)
    assert [(p["name"], p["sanctions"][0]["years"]) for p in d["parties"]] == [("刘斌", 5), ("任大成", 3), ("韩臻", 2)]


def test_combined_penalties_count_once():
    d = parse_decision("7626997")   # 〔2026〕10号: each violation's fines, then 综合上述两项
    fines = {p["name"]: p["fine_yuan"] for p in d["parties"]}
    assert fines == {"大唐高鸿网络股份有限公司": 135_000_000, "付景林": 7_500_000, "丁明锋": 6_000_000,
                     "曹秉蛟": 5_000_000, "高岭": 2_000_000, "段茂忠": 2_000_000, "刘红云": 1_750_000,
                     "张新中": 1_000_000, "侯玉成": 750_000, "姚印杰": 750_000, "江庆": 7_000_000}
    bans = {p["name"]: s["years"] for p in d["parties"] for s in p["sanctions"] if s["type"] == "market_ban"}
    assert bans == {"付景林": 10, "江庆": 10, "丁明锋": 5}
    assert d["total_fine_yuan"] == 168_750_000


def test_a_penalty_decision_that_also_bans():
    d = parse_decision("7626261")   # 〔2026〕7号: 对胡博处以80万元罚款; 3年证券市场禁入
    hu, = d["parties"]
    assert hu["name"] == "胡博" and hu["kind"] == "individual"
    assert [(s["type"], s["amount_yuan"], s["years"]) for s in hu["sanctions"]] == [
        ("fine", 800_000, None), ("market_ban", None, 3)]
