"""NERIS: the spider on the demo corpus's answers (assembled in the shape the public crawler reads, from a real CSRC
rule and two real CSRC decisions: sources/neris/demo/README.md), the readers, the mirror, and the check of NERIS's
writ↔article links against regkb's own reading of the same decisions.

Expected values are read by hand: the rule's from its 规章库 page (shared/corpus/csrc/detail_regulation_3.html), the
writs' links and the decisions' 依据 sentences from sources/csrc/demo/decisions/7491800.txt and 7474964.txt.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from urllib.parse import parse_qs

import pytest
import sqlite_utils

from crawler.mirror import Mirror, MirrorRequest
from db.load import load_decision, load_raw_documents
from db.shape import ensure_shape
from db.writs import compare, decision_of, load_writ_links
from sources.csrc.document import read as read_csrc
from sources.neris.document import read, read_writ, writ_links
from sources.neris.mirror import Site
from sources.neris.spider import NerisSpider, ms_date
from tests.conftest import archived_response, demo_corpus

BASE = "http://127.0.0.1:9"
DEMO = demo_corpus("neris")
RULE_ID = "regkb-demo-law-order-189"
WRIT_GAO, WRIT_ZHANG = "regkb-demo-writ-7491800", "regkb-demo-writ-7474964"
CSRC_PAGES = {"7491800": "csrc/c101927/c7491800", "7474964": "csrc/c101927/c7474964"}
SECURITIES_LAW, BAN_RULE = "中华人民共和国证券法", "证券市场禁入规定"


def make_spider(archive, **options) -> NerisSpider:
    spider = NerisSpider(base_url=BASE, **options)
    spider.archive = archive
    return spider


def list_answer(law_type: str) -> bytes:
    rows = json.loads((DEMO / "lists" / f"{law_type}.json").read_text(encoding="utf-8"))
    return json.dumps({"pageUtil": {"rowCount": len(rows), "pageList": rows}}, ensure_ascii=False).encode()


def regulation_body() -> bytes:
    return (DEMO / "regulations" / f"{RULE_ID}.json").read_bytes()


def writ_body(writ_id: str) -> bytes:
    return (DEMO / "writs" / f"{writ_id}.html").read_bytes()


def csrc_decision(manuscript: str):
    path = CSRC_PAGES[manuscript]
    body = (demo_corpus("csrc") / "site" / path / "content.shtml").read_bytes()
    (analysis,) = read_csrc(body, doc_id=manuscript, url=f"https://www.csrc.gov.cn/{path}/content.shtml").analyses
    return analysis


# -- the spider ----------------------------------------------------------------------------------------------------

def test_a_list_is_asked_by_a_form_encoded_ajax_post(archive):
    request = make_spider(archive).list_request("2", 1)
    assert request.method == "POST" and request.url == f"{BASE}/falvfagui/rdqsHeader/informationController"
    assert request.headers["Content-Type"] == b"application/x-www-form-urlencoded"
    assert parse_qs(request.body.decode()) == {"pageNo": ["1"], "lawType": ["2"]}
    assert request.headers["X-Requested-With"] == b"XMLHttpRequest"
    assert request.headers["Origin"] == BASE.encode() and request.headers["Referer"] == f"{BASE}/falvfagui/".encode()


def test_the_writ_list_asks_for_each_writ_page_and_lists_it_at_the_real_address(archive):
    spider = make_spider(archive)
    request = spider.list_request("2", 1)
    out = list(spider.parse_list(archived_response(archive, request, list_answer("2"), source="neris",
                                                   content_type="application/json")))
    assert [r.url for r in out] == [f"{BASE}/falvfagui/rdqsHeader/lawWritInfo?navbarId=1&lawWritId={WRIT_GAO}",
                                    f"{BASE}/falvfagui/rdqsHeader/lawWritInfo?navbarId=1&lawWritId={WRIT_ZHANG}"]
    listing = archive.listing("neris", WRIT_GAO)
    assert listing["url"] == f"https://neris.csrc.gov.cn/falvfagui/rdqsHeader/lawWritInfo?navbarId=1&lawWritId={WRIT_GAO}"
    assert listing["published"] == "2024-04-24"   # dsptDate, milliseconds at Beijing time


def test_the_regulation_list_asks_lawlist_with_the_law_s_id(archive):
    spider = make_spider(archive)
    request = spider.list_request("1", 1)
    (out,) = spider.parse_list(archived_response(archive, request, list_answer("1"), source="neris",
                                                 content_type="application/json"))
    assert out.url == f"{BASE}/falvfagui/rdqsHeader/lawlist" and out.method == "POST"
    assert parse_qs(out.body.decode()) == {"secFutrsLawId": [RULE_ID], "navbarId": ["1"]}


def test_the_crawl_starts_at_both_lists(archive):
    async def first_pages():
        return [request async for request in make_spider(archive).start()]

    requests = asyncio.run(first_pages())
    assert [parse_qs(r.body.decode())["lawType"] for r in requests] == [["1"], ["2"]]


def test_a_writ_archived_before_is_not_asked_for_again(archive):
    spider = make_spider(archive)
    fetch = archive.store(writ_body(WRIT_GAO), url="https://neris.csrc.gov.cn/x", source="neris", kind="document",
                          doc_id=WRIT_GAO, item_id="2", content_type="text/html")
    archive.judge(fetch.fetch_id, "ok")
    out = list(spider.parse_list(archived_response(archive, spider.list_request("2", 1), list_answer("2"),
                                                   source="neris", content_type="application/json")))
    assert [r.meta["doc_id"] for r in out] == [WRIT_ZHANG]
    assert spider.tally["documents_already_archived"] == 1


def test_a_list_of_all_its_rows_asks_for_no_next_page(archive):
    spider = make_spider(archive)
    out = list(spider.parse_list(archived_response(archive, spider.list_request("2", 1), list_answer("2"),
                                                   source="neris", content_type="application/json")))
    assert all("lawWritInfo" in r.url for r in out)


@pytest.mark.parametrize("body, reason", [
    (b'{"success": false}', "success: false"),
    ("<html><body>请求已中断</body></html>".encode(), "block page"),
    (b'{"pageUtil": {}}', "without pageUtil.pageList"),
])
def test_a_blocked_or_other_answer_is_blocked_not_an_empty_list(archive, body, reason):
    spider = make_spider(archive)
    response = archived_response(archive, spider.list_request("1", 1), body, source="neris",
                                 content_type="application/json")
    assert list(spider.parse_list(response)) == []
    assert reason in spider.problems[0].reason
    assert archive.fetch(response.meta["fetch_id"]).verdict == "blocked"


def test_a_regulation_answer_is_archived_and_one_for_another_law_is_not(archive):
    spider = make_spider(archive)
    (item,) = spider.parse_regulation(archived_response(archive, spider.regulation_request(RULE_ID),
                                                        regulation_body(), source="neris",
                                                        content_type="application/json"))
    assert item["doc_id"] == RULE_ID
    response = archived_response(archive, spider.regulation_request("another"), regulation_body(), source="neris",
                                 content_type="application/json")
    assert list(spider.parse_regulation(response)) == []
    assert f"secFutrsLawId {RULE_ID}, not another" in spider.problems[-1].reason


def test_a_writ_page_without_its_text_is_blocked(archive):
    spider = make_spider(archive)
    (item,) = spider.parse_writ(archived_response(archive, spider.writ_request(WRIT_GAO), writ_body(WRIT_GAO),
                                                  source="neris"))
    assert item["doc_id"] == WRIT_GAO
    page = writ_body(WRIT_GAO).replace(b'class="pre_law"', b'class="other"')
    assert list(spider.parse_writ(archived_response(archive, spider.writ_request(WRIT_GAO), page,
                                                    source="neris"))) == []
    assert "pre.pre_law" in spider.problems[-1].reason


def test_the_site_s_dates_are_beijing_days():
    assert ms_date(1577376000000) == "2019-12-27"   # 证券法's pubDate in the crawler's README: 2019-12-27
    assert ms_date(None) is None


# -- the readers ---------------------------------------------------------------------------------------------------

def test_a_regulation_answer_is_its_rule_split_into_articles():
    (text,) = read(regulation_body(), doc_id=RULE_ID).texts
    assert (text.kind, text.title, text.document_no, text.issuer) == (
        "rule", "北京证券交易所上市公司持续监管办法（试行）", "证监会令第189号", "中国证券监督管理委员会")
    assert (text.publish_date, text.effective_date) == ("2021-10-30", "2021-11-15")
    assert len(text.provisions) == 33 and text.provisions[0].chapter == "第一章 总则"
    assert text.provisions[-1].text == "本办法自2021年11月15日起施行。"
    assert text.url == f"https://neris.csrc.gov.cn/falvfagui/rdqsHeader/mainbody?navbarId=1&secFutrsLawId={RULE_ID}"


def test_a_writ_page_is_its_decision_and_the_articles_it_applied():
    writ = read_writ(writ_body(WRIT_GAO), doc_id=WRIT_GAO)
    assert (writ.name, writ.document_no, writ.date, writ.issuer) == (
        "中国证监会市场禁入决定书（高松）", "〔2024〕10号", "2024-04-24", "中国证券监督管理委员会")
    assert writ.original_link == "https://www.csrc.gov.cn/csrc/c101927/c7491800/content.shtml"
    # 「依据《证券法》第二百二十一条和《证券市场禁入规定》(证监会令第185号)第三条第一项、第七条第一款的规定」
    assert [(link.law, link.article) for link in writ.links] == [
        (SECURITIES_LAW, "第二百二十一条"), (BAN_RULE, "第三条"), (BAN_RULE, "第七条")]
    assert writ.body.splitlines()[0] == "〔2024〕10号"
    assert read(writ_body(WRIT_GAO), doc_id=WRIT_GAO).texts == []   # the decision is the CSRC's page's
    assert writ_links(regulation_body(), doc_id=RULE_ID) is None


# -- the mirror ----------------------------------------------------------------------------------------------------

def test_the_mirror_answers_the_form_posts_and_the_writ_page():
    site = Site(DEMO)
    status, _, body = site.answer(MirrorRequest("/falvfagui/rdqsHeader/informationController",
                                                "/falvfagui/rdqsHeader/informationController",
                                                form={"pageNo": "1", "lawType": "2"}))
    assert status == 200 and json.loads(body)["pageUtil"]["rowCount"] == 2
    assert site.answer(MirrorRequest("/", "/falvfagui/rdqsHeader/lawlist", form={"secFutrsLawId": RULE_ID}))[2] == \
        regulation_body()
    assert site.answer(MirrorRequest("/", "/falvfagui/rdqsHeader/lawWritInfo",
                                     query={"lawWritId": WRIT_GAO}))[2] == writ_body(WRIT_GAO)
    assert site.answer(MirrorRequest("/", "/falvfagui/rdqsHeader/informationController")) is None


def test_the_mirror_reads_a_post_s_form_over_http():
    mirror = Mirror([Site(DEMO)]).start()
    try:
        data = b"pageNo=1&lawType=1"
        request = urllib.request.Request(f"{mirror.base_url}/falvfagui/rdqsHeader/informationController", data=data,
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            (row,) = json.loads(answer.read())["pageUtil"]["pageList"]
    finally:
        mirror.stop()
    assert row["secFutrsLawId"] == RULE_ID


# -- the check: NERIS's links against regkb's citations of the same decision ---------------------------------------

def cited(manuscript: str) -> list[tuple[str, str | None]]:
    return list(dict.fromkeys((c.law, c.article) for c in csrc_decision(manuscript).decision.citations))


def linked(writ_id: str) -> list[tuple[str, str | None]]:
    return [(link.law, link.article) for link in read_writ(writ_body(writ_id), doc_id=writ_id).links]


def test_every_article_a_demo_writ_links_is_one_regkb_reads_from_its_decision():
    for writ_id, manuscript in ((WRIT_GAO, "7491800"), (WRIT_ZHANG, "7474964")):
        rows = compare(linked(writ_id), cited(manuscript))
        assert [row[:2] for row in rows if row[2] and not row[3]] == [], writ_id


def test_the_articles_regkb_reads_beyond_the_links_are_the_violated_ones():
    # 7474964's 依据 sentence is all its citations: 证券法第二百二十一条, 禁入规定第三条、第五条
    assert [row for row in compare(linked(WRIT_ZHANG), cited("7474964")) if not (row[2] and row[3])] == []
    # 7491800 cites beside them the articles it says were violated: 「违反《证券法》第七十八条第二款…构成《证券法》第一百九十七
    # 条第二款所述违法行为」「违反《证券法》第八十二条第三款」, which its 依据 sentence, and so its writ, does not name
    assert [row[:2] for row in compare(linked(WRIT_GAO), cited("7491800")) if not row[2]] == [
        (SECURITIES_LAW, "第七十八条"), (SECURITIES_LAW, "第一百九十七条"), (SECURITIES_LAW, "第八十二条")]


def test_the_build_keeps_the_comparison_in_writ_links(tmp_path):
    """As the build has them: the decisions and their citations loaded, the writ pages in raw_documents."""
    db = sqlite_utils.Database(tmp_path / "regkb.db")
    ensure_shape(db)
    for manuscript in CSRC_PAGES:
        analysis = csrc_decision(manuscript)
        load_decision(db, analysis.decision, analysis)
    for writ_id in (WRIT_GAO, WRIT_ZHANG):
        load_raw_documents(db, [{"sha256": writ_id, "source": "neris", "doc_id": writ_id,
                                 "fetched_at": "2026-12-02T00:00:00", "body": writ_body(writ_id).decode()}])
    assert decision_of(db, "〔2024〕10号", "中国证券监督管理委员会") == "csrc:7491800"
    assert decision_of(db, "〔2024〕10号", "中国证券监督管理委员会福建监管局") is None
    counts = load_writ_links(db)
    assert counts == {"agree": 6, "disagree": 3}
    rows = list(db.query("SELECT writ_id, decision_id, law, article, in_writ, in_decision, agrees FROM writ_links"
                         " WHERE agrees = 0"))
    assert [(r["decision_id"], r["article"], r["in_writ"], r["in_decision"]) for r in rows] == [
        ("csrc:7491800", "第七十八条", 0, 1), ("csrc:7491800", "第一百九十七条", 0, 1),
        ("csrc:7491800", "第八十二条", 0, 1)]
