"""The CSRC: its spider on the searchList answers and pages of the demo corpus, and extraction of real decisions.

The decision texts are real (sources/csrc/demo/decisions/, each naming its source); the pages and list answers
are assembled around them, one decision is served as the PDF its page links, and one supervisory measure is assembled
from a real report (sources/csrc/demo/README.md). Expected values are read off the texts by hand.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

import pytest
import scrapy

from crawler.archive import Archive
from nlp.output import document_json
from sources import mirror as mirror_of_sources
from sources.csrc.document import read as read_csrc
from sources.csrc.spider import CsrcSpider, NotAList, read_local_list, read_search_list
from tests.conftest import archived_response, demo_corpus, run_regkb

BASE = "http://127.0.0.1:9"
CSRC = demo_corpus("csrc")
PENALTIES, BANS = "17d5ff2fe43e488dba825807ae40d63f", "3795869930ca4b70bf55469270a6e641"
MEASURES = "3ff8b60a78ab4c749387d99b9164ec6e"
GUANGDONG_MEASURES = "29a1328dc824498b89eae8e63c38837f"
HU_BO_PDF = "/csrc/c101971/c7626261/7626261/files/中国证券监督管理委员会行政处罚决定书（〔2026〕7号）.pdf"


def make_spider(archive, branch: str = "head_office", **options) -> CsrcSpider:
    spider = CsrcSpider(base_url=BASE, branch=branch, **options)
    spider.archive = archive
    return spider


def served(url: str) -> bytes:
    """What the demo mirror serves at a request's path."""
    return (CSRC / "site" / unquote(urlsplit(url).path).lstrip("/")).read_bytes()


def answered(archive, request, body: bytes, status: int = 200, content_type: str = "application/json"):
    return archived_response(archive, request, body, source="csrc", status=status, content_type=content_type)


def search_answer(channel: str, page: int = 1, size: int = 20) -> bytes:
    rows = json.loads((CSRC / "lists" / f"{channel}.json").read_text(encoding="utf-8"))
    return json.dumps({"data": {"total": len(rows), "results": rows[(page - 1) * size: page * size]}},
                      ensure_ascii=False).encode("utf-8")


def parse_decision(manuscript_id: str, branch: str = "head_office", channel: str = PENALTIES) -> dict:
    page = next((CSRC / "site").rglob(f"c{manuscript_id}/content.shtml"))
    listing = {"branch": branch, "title": None, "published": None}
    return document_json(read_csrc(page.read_bytes(), doc_id=manuscript_id, url=str(page), listing=listing,
                                   item_id=f"{branch}#{channel}").analyses)


def parse_file(path: str, parent: str) -> dict:
    listing = {"branch": "head_office", "title": "中国证券监督管理委员会行政处罚决定书", "published": "2026-03-19",
               "parent_doc_id": parent, "list_url": BASE + "/page"}
    return document_json(read_csrc(served(path), doc_id=f"{parent}.f", url=BASE + path, listing=listing,
                                   item_id=f"head_office#{PENALTIES}").analyses)


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
        for file in spider.parse_document(answered(archive, page, body, content_type="text/html; charset=utf-8")):
            if isinstance(file, scrapy.Request):   # 〔2026〕7号's PDF
                list(spider.parse_attachment(answered(archive, file, served(file.url), content_type="application/pdf")))
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
    d = parse_file(HU_BO_PDF, "7626261")   # 〔2026〕7号 (its PDF): 对胡博处以80万元罚款; 3年证券市场禁入
    hu, = d["parties"]
    assert hu["name"] == "胡博" and hu["kind"] == "individual"
    assert [(s["type"], s["amount_yuan"], s["years"]) for s in hu["sanctions"]] == [
        ("fine", 800_000, None), ("market_ban", None, 3)]


# -- a decision published as a file ------------------------------------------------------------------------------

def test_a_decision_published_as_a_file_is_fetched_and_listed_under_its_page(archive):
    spider = make_spider(archive)
    request = spider.list_request(spider.facts.site("head_office"), PENALTIES, 0, 1, seen=0)
    page = next(r for r in spider.parse_list(answered(archive, request, search_answer(PENALTIES)))
                if r.meta["doc_id"] == "7626261")
    # the result's resList and the link in the text name the same file: asked for once
    out = list(spider.parse_document(answered(archive, page, served(page.url))))
    file, item = out
    assert unquote(file.url) == BASE + HU_BO_PDF and item["attachments"] == 1
    listing = archive.listing("csrc", file.meta["doc_id"])
    assert listing["parent_doc_id"] == "7626261" and listing["list_url"] == page.url
    assert listing["title"] == "中国证券监督管理委员会行政处罚决定书" and listing["published"] == "2026-03-19"
    fetched, = spider.parse_attachment(answered(archive, file, served(file.url), content_type="application/pdf"))
    assert archive.has_document("csrc", fetched["doc_id"]) and spider.tally["attachments_fetched"] == 1
    # the page itself, its decision in the file, gives none
    assert read_csrc(served(page.url), doc_id="7626261", url=page.url, listing={"branch": "head_office"}).analyses == []


def test_the_decision_read_from_its_pdf():
    d = parse_file(HU_BO_PDF, "7626261")
    # 〔2026〕7号 (the text's first line), the head office (the listing site), cited by the page that links the file
    assert d["decision_no"] == "〔2026〕7号" and d["authority_id"] == "中国证券监督管理委员会"
    assert d["kind"] == "penalty" and d["url"] == BASE + "/page" and d["source_url"].endswith(".pdf")
    assert d["total_fine_yuan"] == 800_000 and d["publish_date"] == "2026-03-19"
    assert {"law": "中华人民共和国证券法", "article": "第一百九十三条", "clause": "第一款"} in d["citations"]


def test_links_off_the_sites_are_refused(archive):
    spider = make_spider(archive)
    page = scrapy.Request(BASE + "/csrc/c101971/c1/content.shtml",
                          meta={"kind": "document", "doc_id": "1", "item_id": f"head_office#{PENALTIES}",
                                "site": "head_office",
                                "files": [("http://files.example.com/1/files/决定书.pdf", "决定书.pdf")]})
    body = ('<html><body><div class="detail-news"><p>附件：<a href="file:///etc/passwd.pdf">决定书.pdf</a></p>'
            '<div id="files"><a href="1/files/决定书.docx">决定书.docx</a></div></div></body></html>').encode()
    out = list(spider.parse_document(answered(archive, page, body)))
    # the page's own relative link is followed; a local file and another host are not, and are reported
    assert [unquote(r.url) for r in out if isinstance(r, scrapy.Request)] == [
        BASE + "/csrc/c101971/c1/1/files/决定书.docx"]
    refused = sorted(p.url for p in spider.problems)
    assert refused == ["file:///etc/passwd.pdf", "http://files.example.com/1/files/决定书.pdf"]
    assert spider.tally["links_refused"] == 2


def test_an_html_page_where_a_file_was_linked_is_blocked(archive):
    spider = make_spider(archive)
    request = spider.attachment_request(BASE + "/csrc/c1/1/files/x.pdf", "1.a", "head_office", "head_office#x")
    assert list(spider.parse_attachment(answered(archive, request, b"<html><title>404</title></html>"))) == []
    assert "the file is not there" in spider.problems[0].reason and not archive.has_document("csrc", "1.a")


# -- supervisory measures -----------------------------------------------------------------------------------------

def test_every_site_crawls_its_measure_channel_with_its_kind(archive):
    spider = make_spider(archive, branch="guangdong")
    import asyncio

    async def firsts():
        return [request async for request in spider.start_lists()]

    lists = asyncio.run(firsts())
    assert [(r.meta["channel"], r.meta["document_kind"]) for r in lists] == [
        ("02a93424320e46dea2631da827f96174", "penalty"), ("45c4bd0b8818479a9a55f7d68ddf1d64", "penalty"),
        (GUANGDONG_MEASURES, "measure")]
    # every office has a 行政监管措施 channel (source.yaml; yangguo/dbcsrc records each)
    assert all("measure" in site.kinds for site in spider.facts.sites)
    page, = spider.parse_list(answered(archive, lists[2], search_answer(GUANGDONG_MEASURES)))
    assert page.url == BASE + "/guangdong/c104558/c9000001/content.shtml"
    assert page.meta["item_id"] == f"guangdong#{GUANGDONG_MEASURES}"


def test_a_measure_is_read_as_a_measure():
    d = parse_decision("9000001", branch="guangdong", channel=GUANGDONG_MEASURES)   # 〔2019〕13号, 风华高科
    assert d["kind"] == "measure" and d["decision_no"] == "〔2019〕13号"
    assert d["authority_id"] == "中国证券监督管理委员会广东监管局" and d["province"] == "广东省"
    assert d["decision_date"] == "2019-11-20"
    # addressed by its salutation line; the measure is its sanction; the amounts of the facts fine no one
    party, = d["parties"]
    assert (party["name"], party["kind"]) == ("广东风华高新科技股份有限公司", "institution")
    assert [(s["type"], s["label"]) for s in party["sanctions"]] == [("warning_letter", "出具警示函")]
    assert party["fine_yuan"] is None and d["total_fine_yuan"] is None


# -- discovery ----------------------------------------------------------------------------------------------------

def local_list_answer(code: str, levels: list[dict] | None = None) -> bytes:
    columns = json.loads((CSRC / "columns.json").read_text(encoding="utf-8"))
    return json.dumps({"code": 200, "results": {"channelLevel": columns.get(code, []) if levels is None else levels}},
                      ensure_ascii=False).encode()


def test_discovery_asks_every_column_the_yaml_pairs_with_a_channel(archive):
    spider = make_spider(archive)
    requests = spider.discovery_requests()
    assert [unquote(r.url) for r in requests] == [BASE + f"/getLocalList?channelCode={code}"
                                                 for code in ("c101971", "c101972", "c105955")]
    for request in requests:
        list(spider.parse_local_list(answered(archive, request, local_list_answer(request.meta["code"]))))
    assert spider.tally["lists_checked"] == 3 and spider.discoveries == []


def test_discovery_reports_a_channel_that_appeared_and_one_that_vanished(archive):
    spider = make_spider(archive)
    bans, measures = spider.discovery_requests()[1:]
    # the 监管措施 column now resolves to another channel; the 市场禁入决定 column is no more
    moved = [{"channelCode": "c105955", "channelId": "0123456789abcdef0123456789abcdef", "channelName": "监管措施"}]
    list(spider.parse_local_list(answered(archive, measures, local_list_answer("c105955", moved))))
    list(spider.parse_local_list(answered(archive, bans, local_list_answer("c101972", []))))
    assert [(d.change, d.list_id) for d in spider.discoveries] == [
        ("vanished", MEASURES), ("appeared", "0123456789abcdef0123456789abcdef"), ("vanished", BANS)]
    assert "column c105955" in spider.discoveries[1].name and "监管措施" in spider.discoveries[1].name
    assert spider.tally["lists_vanished"] == 2 and spider.tally["lists_appeared"] == 1


def test_an_answer_of_another_shape_is_no_discovery(archive):
    with pytest.raises(NotAList, match="code 200 and results.channelLevel"):
        read_local_list(b'{"code": "500", "msg": "error"}', "c101971")
    spider = make_spider(archive)
    request = spider.discovery_requests()[0]
    list(spider.parse_local_list(answered(archive, request, b"<html>blocked</html>")))
    assert spider.discoveries == [] and "not a getLocalList answer" in spider.problems[0].reason


# -- a crawl of the mirror, in its own process --------------------------------------------------------------------

def test_crawl_of_the_mirror_fetches_the_file_and_the_measure(tmp_path):
    server = mirror_of_sources().start()
    try:
        result = run_regkb("crawl", "csrc", "--base-url", server.base_url, "--branch", "head_office,guangdong",
                           "--delay", "0", "--archive", str(tmp_path / "archive"), "--log-level", "WARNING")
        discover = run_regkb("crawl", "csrc", "--base-url", server.base_url, "--branch", "head_office,guangdong",
                             "--discover", "--delay", "0", "--archive", str(tmp_path / "other"), "--log-level",
                             "WARNING")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert discover.returncode == 0, discover.stderr[-3000:]
    from pipeline.extract import extract_fetches

    archive = Archive(tmp_path / "archive")
    try:
        fetches = list(archive.documents("csrc"))
        listings = archive.listings()
        decisions = {a.decision.decision_no: a.decision for extracted in extract_fetches(archive, fetches)
                     for a in extracted.analyses if a.decision}
    finally:
        archive.close()
    documents = {f.doc_id: unquote(f.url) for f in fetches}
    # seven head-office pages, 〔2026〕7号's PDF, 广东证监局's measure
    assert len(documents) == 9 and "9000001" in documents
    pdf, = [doc_id for doc_id in documents if documents[doc_id].endswith(".pdf")]
    assert listings[("csrc", pdf)]["parent_doc_id"] == "7626261"
    assert len(decisions) == 8
    assert decisions["〔2019〕13号"].kind == "measure" and decisions["〔2026〕7号"].kind == "penalty"
    assert decisions["〔2026〕7号"].source_url.endswith(".pdf")
    assert "4 lists checked against the site; they agree" in discover.stdout


def test_a_column_removed_from_the_mirror_is_reported_by_discover(tmp_path):
    import shutil

    from crawler.mirror import Mirror
    from sources.csrc.mirror import Site

    corpus = tmp_path / "csrc"
    shutil.copytree(CSRC, corpus)
    columns = json.loads((corpus / "columns.json").read_text(encoding="utf-8"))
    del columns["c101972"]   # 市场禁入决定 is no more; 监管措施 is another channel
    columns["c105955"][0]["channelId"] = "0123456789abcdef0123456789abcdef"
    (corpus / "columns.json").write_text(json.dumps(columns, ensure_ascii=False), encoding="utf-8")
    server = Mirror([Site(corpus)]).start()
    try:
        result = run_regkb("crawl", "csrc", "--base-url", server.base_url, "--branch", "head_office", "--discover",
                           "--delay", "0", "--archive", str(tmp_path / "archive"), "--log-level", "WARNING")
    finally:
        server.stop()
    assert result.returncode == 1
    assert "csrc: 1 list(s) appeared:" in result.stderr and "csrc: 2 list(s) vanished:" in result.stderr
    assert f"中国证券监督管理委员会 行政处罚 (column c101972) ({BANS})" in result.stderr
    assert "(0123456789abcdef0123456789abcdef)" in result.stderr
