"""The PBOC's 法律法规 lists: the spider on the assembled list and text pages of the demo corpus (and on variants of
them assembled here, each said where), the reader on the real texts in those pages.

The texts are real (stored from their pages by a third party: sources/pboc_texts/demo/recorded/), the pages around
them assembled from the recorded markup (sources/pboc_texts/demo/README.md). Expected values are read off the texts
by hand: the order's opening, the last article, the notice's closing words.
"""

from __future__ import annotations

import asyncio
import json
import random

import lxml.html
import scrapy

import sources
from crawler.archive import Archive
from sources.pboc_texts.document import kind_of, numbered, read
from sources.pboc_texts.spider import PbocTextsSpider
from tests.conftest import archived_response, demo_corpus, run_regkb

BASE = "http://127.0.0.1:9"
DEMO = demo_corpus("pboc_texts")
LISTS = DEMO / "site" / "tiaofasi" / "144941"
RULE, NOTICE, REGULATION = "2025122610045251946", "2026041514283057907", "2811354"
RULE_PAGE = LISTS / "144957" / RULE / "index.html"
REGULATION_PAGE = LISTS / "144953" / REGULATION / "index.html"
NOTICE_PAGE = LISTS / "3581332" / NOTICE / "index.html"


def make_spider(archive) -> PbocTextsSpider:
    spider = PbocTextsSpider(base_url=BASE)
    spider.archive = archive
    return spider


def list_answer(spider, archive, number: int, body: bytes, page: int = 1):
    """The spider's reading of the ``number``-th list's page (source.yaml's order: 1 法律 … 4 规范性文件)."""
    site = spider.facts.site("head_office")
    pattern = site.lists[number - 1]
    request = spider.list_request(site, f"head_office#{number}", pattern, page, BASE + pattern)
    return list(spider.parse_list(archived_response(archive, request, body, source="pboc_texts")))


def text_of(page, item: str):
    (text,) = read(page.read_bytes(), doc_id=page.parent.name, url=f"https://www.pbc.gov.cn/{page.parent.name}",
                   item_id=item).texts
    return text


def article(text, number: int):
    (found,) = [p for p in text.provisions if p.number == number]
    return found


# -- the spider ----------------------------------------------------------------------------------------------------

def test_the_four_lists_are_asked_at_their_first_pages(archive):
    spider = make_spider(archive)

    async def first_pages():
        return [request async for request in spider.start_lists()]

    requests = asyncio.run(first_pages())
    assert [r.url for r in requests] == [f"{BASE}/tiaofasi/144941/{n}/index.html"
                                         for n in ("144951", "144953", "144957", "3581332")]
    assert [r.meta["item_id"] for r in requests] == [f"head_office#{n}" for n in range(1, 5)]
    assert spider.discovery_requests() == []


def test_a_list_page_asks_for_each_text_it_lists(archive):
    spider = make_spider(archive)
    out = list_answer(spider, archive, 3, (LISTS / "144957" / "index.html").read_bytes())
    (request,) = [r for r in out if isinstance(r, scrapy.Request)]
    assert (request.meta["doc_id"], request.url) == (RULE, f"{BASE}/tiaofasi/144941/144957/{RULE}/index.html")
    assert request.callback == spider.parse_detail
    listed = archive.listing("pboc_texts", RULE)
    assert (listed["title"], listed["published"]) == ("中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）", "2025-12-26")
    assert spider.problems == []   # its pager says one page, 下一页 [NEXTPAGE]: the list ends there


def test_a_row_the_list_cut_is_listed_as_the_list_shows_it(archive):
    spider = make_spider(archive)
    list_answer(spider, archive, 4, (LISTS / "3581332" / "index.html").read_bytes())
    assert archive.listing("pboc_texts", NOTICE)["title"].endswith("有关事宜的...")


def test_the_regulations_list(archive):
    spider = make_spider(archive)
    out = list_answer(spider, archive, 2, (LISTS / "144953" / "index.html").read_bytes())
    assert [r.meta["doc_id"] for r in out if isinstance(r, scrapy.Request)] == [REGULATION]
    assert archive.listing("pboc_texts", REGULATION)["title"] == "存款保险条例（国务院令 第660号）"


def test_an_empty_list_is_no_block(archive):
    spider = make_spider(archive)
    assert list_answer(spider, archive, 1, (LISTS / "144951" / "index.html").read_bytes()) == []   # 共0条
    assert spider.problems == []


def two_pages(tagname: str) -> bytes:
    """The demo's 规范性文件 list page with its pager saying two pages (分2页, totalpage="2") and 下一页's tagname
    set to ``tagname``: a first page as the CMS serves it when a second follows (the Shenzhen list, recorded,
    carries the next page's address in 下一页's tagname)."""
    page = (LISTS / "3581332" / "index.html").read_text(encoding="utf-8")
    page = page.replace("分1页", "分2页").replace('totalpage="1"', 'totalpage="2"')
    return page.replace('<a tagname="[NEXTPAGE]" class="">', f'<a tagname="{tagname}" class="">').encode("utf-8")


def test_the_list_pages_on_by_the_address_its_next_link_gives(archive):
    spider = make_spider(archive)
    out = list_answer(spider, archive, 4, two_pages("/tiaofasi/144941/3581332/3b3662a6-2.html"))
    pages = [r for r in out if isinstance(r, scrapy.Request) and r.meta["kind"] == "list"]
    assert [(r.url, r.meta["page"]) for r in pages] == [(f"{BASE}/tiaofasi/144941/3581332/3b3662a6-2.html", 2)]
    assert spider.problems == []


def test_a_second_page_without_an_address_is_reported_not_guessed(archive):
    spider = make_spider(archive)
    out = list_answer(spider, archive, 4, two_pages("[NEXTPAGE]"))
    assert [r for r in out if isinstance(r, scrapy.Request) and r.meta["kind"] == "list"] == []
    (problem,) = spider.problems
    assert "not guessed" in problem.reason and "2 pages" in problem.reason


def test_a_text_page_is_archived_once_its_text_is_there(archive):
    spider = make_spider(archive)
    request = scrapy.Request(f"{BASE}/tiaofasi/144941/144957/{RULE}/index.html", callback=spider.parse_detail,
                             meta={"kind": "document", "doc_id": RULE, "item_id": "head_office#3", "site": "head_office"})
    (item,) = spider.parse_detail(archived_response(archive, request, RULE_PAGE.read_bytes(), source="pboc_texts"))
    assert (item["doc_id"], item["attachments"]) == (RULE, 0)
    assert spider.problems == []


def test_a_page_without_its_text_is_a_block(archive):
    spider = make_spider(archive)
    request = scrapy.Request(f"{BASE}/tiaofasi/144941/144957/1/index.html", callback=spider.parse_detail,
                             meta={"kind": "document", "doc_id": "1", "item_id": "head_office#3", "site": "head_office"})
    assert list(spider.parse_detail(archived_response(archive, request, b"<html><body><p>x</p></body></html>",
                                                      source="pboc_texts"))) == []
    (problem,) = spider.problems
    assert "#zoom" in problem.reason


def test_a_crawl_of_the_mirror_archives_every_text_once(tmp_path):
    mirror = sources.mirror(port=random.randint(20000, 29999)).start()
    try:
        crawls = [run_regkb("crawl", "pboc_texts", "--base-url", mirror.base_url, "--delay", "0", "--archive",
                            str(tmp_path / "archive"), "--log-level", "WARNING") for _ in range(2)]
    finally:
        mirror.stop()
    assert [result.returncode for result in crawls] == [0, 0], crawls[0].stderr[-2000:]
    assert "4 list pages, 3 documents fetched, 0 already archived" in crawls[0].stdout
    assert "0 documents fetched, 3 already archived" in crawls[1].stdout
    archive = Archive(tmp_path / "archive")
    try:
        assert sorted(f.doc_id for f in archive.documents("pboc_texts")) == [RULE, NOTICE, REGULATION]
    finally:
        archive.close()


# -- the reader ----------------------------------------------------------------------------------------------------

def test_the_pages_hold_the_recorded_texts():
    for page, record in ((RULE_PAGE, RULE), (NOTICE_PAGE, NOTICE), (REGULATION_PAGE, REGULATION)):
        stored = json.loads((DEMO / "recorded" / f"PBOC-{record}.json").read_text(encoding="utf-8"))
        paragraphs = lxml.html.fromstring(page.read_bytes()).xpath('//div[@id="zoom"]/p')
        assert [p.text_content() for p in paragraphs] == [line for line in stored["text"].split("\n") if line.strip()]


def test_an_order_publishes_its_rule():
    rule = text_of(RULE_PAGE, "head_office#3")
    assert (rule.kind, rule.name, rule.issuer) == ("rule", "银行间外汇市场管理规定", "中国人民银行")
    assert rule.title == "中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）"
    assert rule.document_no == "中国人民银行令〔2025〕第13号"
    # the page's date; 「…审议通过，现予以发布，自2026年2月1日起施行。」
    assert (rule.publish_date, rule.effective_date) == ("2025-12-26", "2026-02-01")
    assert len(rule.provisions) == 35
    assert article(rule, 1).text.startswith("为规范和发展外汇市场，保障各方合法权益")
    last = article(rule, 35)
    assert (last.article, last.chapter) == ("第三十五条", "第四章 附则")
    assert last.text.startswith("本规定自2026年2月1日起实施。《银行间外汇市场管理暂行规定》")


def test_a_rule_s_clauses_and_items():
    rule = text_of(RULE_PAGE, "head_office#3")
    # 第三条: 具有结汇、售汇业务经营资格的…应通过外汇交易中心进行。 / 境外金融机构参与…应遵守…有关规定。
    assert [clause[:6] for clause in article(rule, 3).clauses] == ["具有结汇、售", "境外金融机构"]
    # 第十九条: one 款 and its two 项
    (clause,) = article(rule, 19).clauses
    assert clause.split("\n")[1:] == ["（一）交易品种包括即期、远期、外汇掉期、货币掉期、期权等。",
                                      "（二）交易方式包括询价、竞价、撮合，以及经批准的其他交易方式。"]
    assert article(rule, 7).chapter == "第二章 市场参与机构管理"


def test_the_first_chapter_of_the_rule():
    assert article(text_of(RULE_PAGE, "head_office#3"), 1).chapter == "第一章 总则"


def test_a_state_council_regulation_the_pboc_lists():
    regulation = text_of(REGULATION_PAGE, "head_office#2")
    assert (regulation.kind, regulation.name, regulation.issuer) == ("regulation", "存款保险条例", "国务院")
    assert regulation.document_no == "国务院令第660号"   # the title: 存款保险条例（国务院令 第660号）
    # the page's date; 「…现予公布，自2015年5月1日起施行。」 and 第二十三条 「本条例自2015年5月1日起施行。」
    assert (regulation.publish_date, regulation.effective_date) == ("2015-03-31", "2015-05-01")
    assert len(regulation.provisions) == 23
    # each article's number on a line of its own, its words on the next: 「第一条」「　为了建立和规范存款保险制度，…」
    assert article(regulation, 1).text.startswith("为了建立和规范存款保险制度")
    assert len(article(regulation, 5).clauses) == 4   # 限额偿付, 同一存款人…, 偿付…后, 社会保险基金…
    assert article(regulation, 23).text == "本条例自2015年5月1日起施行。"   # not the page's 「（文章来源：中国政府网）」
    # 第十七条: …有《中华人民共和国银行业监督管理法》第三十八条、第三十九条规定情形的…
    assert [("中华人民共和国银行业监督管理法", "第三十八条"),
            ("中华人民共和国银行业监督管理法", "第三十九条")] == regulation.named


def test_a_joint_notice():
    notice = text_of(NOTICE_PAGE, "head_office#4")
    assert notice.kind == "notice"
    assert notice.title == "中国人民银行 国家外汇管理局关于调整银行业金融机构境外贷款业务有关事宜的通知"
    assert notice.issuer == "中国人民银行、国家外汇管理局"   # signed 中国人民银行 / 国家外汇管理局 / 2026年4月11日
    assert notice.document_no is None
    # 「本通知自发布之日起实施」: from the day the page was published
    assert (notice.publish_date, notice.effective_date) == ("2026-04-15", "2026-04-15")
    assert notice.provisions == []
    # 《中国人民银行 国家外汇管理局关于银行业金融机构境外贷款业务有关事宜的通知》（银发〔2022〕27号）第一条中…
    assert ("中国人民银行 国家外汇管理局关于银行业金融机构境外贷款业务有关事宜的通知", "第一条") in notice.named


def test_kinds_and_numbers_from_titles():
    assert kind_of("head_office#1", "中华人民共和国反洗钱法") == "law"
    assert kind_of("head_office#2", "存款保险条例（国务院令 第660号）") == "regulation"
    assert kind_of("head_office#4", "中国人民银行公告〔2026〕第8号") == "announcement"
    assert numbered("中国人民银行公告〔2026〕第8号") == ("中国人民银行公告〔2026〕第8号", None)
    assert numbered("中国人民银行 国家外汇管理局关于调整银行业金融机构境外贷款业务有关事宜的通知") == (None, None)
