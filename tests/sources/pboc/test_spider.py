"""The PBOC spider on saved responses: the real Tianjin branch list page (responses/, as recorded), the
assembled demo pages (sources/pboc/demo/README.md says from what), and the challenge a site answers first.

Each response is stored in a temporary archive first, as ArchiveMiddleware does in a crawl. No network, no reactor;
the crawls at the end run the real spider in its own process against the loopback mirror.
"""

from __future__ import annotations

import re
import shutil

import pytest
import scrapy

import sources
from crawler.archive import Archive
from crawler.challenge import challenge_reason
from sources import load_source
from sources.pboc.mirror import STANDIN_CHALLENGE
from sources.pboc.spider import PbocSpider, doc_id_of
from tests.conftest import FIXTURES, archived_response, demo_corpus, needs_shared_corpus, responses, run_regkb
from tests.expected import DEMO_QUARANTINED_FETCHES

BASE = "http://127.0.0.1:9"
TIANJIN_LIST = "/fzhtianjin/113682/113700/113707/10983/index1.html"
FRAGMENT = (responses("pboc") / "tianjin_penalty_list_fragment_2018.html").read_bytes()
SITE = demo_corpus("pboc") / "site"
MARKERS = load_source("pboc").challenge_markers


def make_spider(archive, **options) -> PbocSpider:
    spider = PbocSpider(base_url=BASE, **options)
    spider.archive = archive
    return spider


def answered(archive, request: scrapy.Request, body: bytes, status: int = 200,
             content_type: str = "text/html; charset=utf-8"):
    return archived_response(archive, request, body, source="pboc", status=status, content_type=content_type)


def list_page(spider, archive, site_key: str, path: str, body: bytes, page: int = 1, **kw):
    site = spider.facts.site(site_key)
    request = spider.list_request(site, f"{site_key}#1", site.lists[0], page, BASE + path)
    return list(spider.parse_list(answered(archive, request, body, **kw)))


def test_fixture_copies_match_the_shared_corpus():
    shared = needs_shared_corpus()
    assert FRAGMENT == (shared / "pboc" / "tianjin_penalty_list_fragment_2018.html").read_bytes()
    hosts = (responses("pboc") / "branch_hosts_2018.txt").read_text().split()
    assert hosts == (shared / "pboc" / "branch_hosts_2018.txt").read_text().split()


def test_every_2018_host_is_a_site_of_the_source():
    hosts = {host.rstrip("/") for host in (responses("pboc") / "branch_hosts_2018.txt").read_text().split()}
    assert {site.host for site in load_source("pboc").sites} == hosts


# -- the real Tianjin list page -------------------------------------------------------------------------------------

def test_real_branch_list_gives_each_row_by_its_article_id(archive):
    spider = make_spider(archive)
    out = list_page(spider, archive, "tianjin", TIANJIN_LIST, FRAGMENT)
    requests = [r for r in out if isinstance(r, scrapy.Request)]
    assert len(requests) == 10
    first = requests[0]
    assert first.meta["doc_id"] == "3499935"
    assert first.url.startswith(BASE + "/fzhtianjin/resource/cms/2018/03/") and first.url.endswith(".docx")
    assert first.callback == spider.parse_attachment
    # the one row that links a page, not an attachment (中国人民银行行政处罚文书, 2011-12-29)
    pages = [r for r in requests if r.callback == spider.parse_detail]
    assert [r.meta["doc_id"] for r in pages] == ["2625104"]
    assert sum(r.url.endswith(".doc") for r in requests) == 7 and sum(r.url.endswith(".docx") for r in requests) == 2


def test_real_branch_list_rows_keep_title_and_date(archive):
    spider = make_spider(archive)
    list_page(spider, archive, "tianjin", TIANJIN_LIST, FRAGMENT)
    listing = archive.listing("pboc", "3499935")
    assert listing["title"] == "中国人民银行天津分行行政处罚信息公示表-违反《人民币银行结算账户管理办法》相关规定(20180312)."
    assert listing["published"] == "2018-03-16" and listing["branch"] == "tianjin"
    assert archive.listing("pboc", "3442611")["published"] == "2017-12-18"


def test_the_last_page_placeholder_ends_the_list(archive):
    # 共10条 分1页, 下一页 tagname="[NEXTPAGE]", totalpage="1": nothing after this page
    spider = make_spider(archive)
    out = list_page(spider, archive, "tianjin", TIANJIN_LIST, FRAGMENT)
    assert not [r for r in out if isinstance(r, scrapy.Request) and r.meta["kind"] == "list"]
    assert "tianjin#1" in spider._walked_to_end


def test_next_page_from_tagname_and_gb2312(archive):
    # the assembled Shanghai page 1 (the real markup, served as GB2312): 下一页 carries page 2's address
    body = (SITE / "fzhshanghai/113577/114832/114918/14681/index1.html").read_bytes()
    spider = make_spider(archive)
    out = list_page(spider, archive, "shanghai", "/fzhshanghai/113577/114832/114918/14681/index1.html", body,
                    content_type="text/html; charset=GB2312")
    pages = [r for r in out if r.meta["kind"] == "list"]
    assert [r.url for r in pages] == [BASE + "/fzhshanghai/113577/114832/114918/14681/index2.html"]
    titles = [archive.listing("pboc", r.meta["doc_id"])["title"] for r in out if r.meta["kind"] == "document"]
    assert titles and all(t.startswith("中国人民银行上海分行行政处罚信息公示表") for t in titles)


def test_head_office_list_and_detail_page(archive):
    spider = make_spider(archive)
    body = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/index.html").read_bytes()
    out = list_page(spider, archive, "head_office", "/zhengwugongkai/4081330/4081344/4081407/4081705/index.html", body)
    assert [r.meta["doc_id"] for r in out] == ["2026092418294123383", "5860077"]
    assert archive.listing("pboc", "5860077")["title"] == "银罚决字〔2025〕31-38号"
    detail = out[0]
    page = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/index.html").read_bytes()
    produced = list(spider.parse_detail(answered(archive, detail, page)))
    attachment, = [r for r in produced if isinstance(r, scrapy.Request)]
    assert attachment.url.endswith(".pdf") and attachment.meta["doc_id"].startswith("2026092418294123383.")
    # named by its address: the same link gives the same id whatever else the page lists
    assert attachment.meta["doc_id"] == f"2026092418294123383.{doc_id_of(attachment.url)[1:9]}"
    listing = archive.listing("pboc", attachment.meta["doc_id"])
    # its decisions were published with the page: the page's title and date
    assert listing["parent_doc_id"] == "2026092418294123383"
    assert (listing["title"], listing["published"]) == ("银罚决字〔2026〕104-116号", "2026-09-24")


# -- what is not a list ---------------------------------------------------------------------------------------------

def test_a_challenge_is_reported_by_url_not_read_as_an_empty_list(archive):
    spider = make_spider(archive)
    out = list_page(spider, archive, "tianjin", TIANJIN_LIST, STANDIN_CHALLENGE)
    assert out == []
    problem, = spider.problems
    assert problem.url == BASE + TIANJIN_LIST
    assert "anti-bot challenge" in problem.reason and "--browser" in problem.hint
    fetch, = archive.fetches(kind="list")
    assert fetch.verdict == "blocked" and "challenge" in fetch.reason
    assert "tianjin#1" not in spider._walked_to_end


@pytest.mark.parametrize("body", [
    # the wzws markers real scrapers look for (the packed script itself is not reproduced)
    b'<html><body><noscript><h1><strong>\xe8\xaf\xb7\xe5\xbc\x80\xe5\x90\xafJavaScript\xe5\xb9\xb6\xe5\x88\xb7\xe6\x96\xb0'
    b'\xe8\xaf\xa5\xe9\xa1\xb5.</strong></h1></noscript><script>eval(function(p,a,c,k,e,d){})</script></body></html>',
    b'<html><script>var dynamicurl="/WZWSREL3poZW5n";var wzwsquestion="y)f;";</script></html>',
    # any page that only sets a cookie and reloads
    b'<html><script>document.cookie="c=1";location.href="/x"</script></html>',
])
def test_challenge_forms_are_recognised(body):
    assert challenge_reason(body, "text/html", MARKERS)


def test_a_real_list_page_is_not_a_challenge():
    assert challenge_reason(FRAGMENT, "text/html", MARKERS) is None


def test_a_page_without_rows_or_pager_is_blocked(archive):
    spider = make_spider(archive)
    out = list_page(spider, archive, "tianjin", TIANJIN_LIST,
                    b"<html><body><h1>\xe7\xbd\x91\xe7\xab\x99\xe7\xbb\xb4\xe6\x8a\xa4\xe4\xb8\xad</h1></body></html>")
    assert out == [] and "not a list page" in spider.problems[0].reason


def test_http_errors_are_blocked(archive):
    spider = make_spider(archive)
    assert list_page(spider, archive, "tianjin", TIANJIN_LIST, b"<html>500</html>", status=500) == []
    assert spider.problems[0].reason == "HTTP 500 instead of the page"


def test_a_list_whose_first_page_is_gone_has_vanished(archive):
    spider = make_spider(archive)
    assert list_page(spider, archive, "tianjin", TIANJIN_LIST, b"<html>404</html>", status=404) == []
    discovery, = spider.discoveries
    assert (discovery.change, discovery.list_id) == ("vanished", "tianjin#1")
    assert "vanished from the site" in spider.problems[0].reason and "source.yaml" in spider.problems[0].hint


def test_attachments_are_judged(archive):
    spider = make_spider(archive)

    def attachment(body: bytes, content_type: str, status: int = 200):
        request = spider.document_request(BASE + "/fzhtianjin/resource/cms/2018/03/x.doc", "1", "tianjin",
                                          "tianjin#1", spider.parse_attachment)
        return list(spider.parse_attachment(answered(archive, request, body, status, content_type)))

    word_html = (FIXTURES / "real" / "tianjin_2018_35_penalty_table.html").read_bytes()
    assert len(attachment(word_html, "text/html")) == 1        # Word's HTML under .doc is an attachment
    assert attachment(STANDIN_CHALLENGE, "text/html") == []
    assert attachment(b"", "application/msword") == []
    assert attachment(b"x", "text/html", status=500) == []
    assert [p.reason for p in spider.problems][-2:] == ["an empty body instead of the file",
                                                        "HTTP 500 instead of the file"]


def test_doc_ids():
    assert doc_id_of("http://x/a/b.doc", "recordLinkArticleHits('3499935')") == "3499935"
    assert doc_id_of("http://x/fzhtianjin/113682/113700/113707/2625104/index.html") == "2625104"
    assert doc_id_of("http://x/a/b.doc") == doc_id_of("http://x/a/b.doc") != doc_id_of("http://x/a/c.doc")


def test_branch_names():
    facts = load_source("pboc")
    assert facts.site("上海分行").key == "shanghai" and facts.site("中国人民银行营业管理部").key == "beijing"
    with pytest.raises(KeyError, match="names 2 pboc sites"):   # 营业管理部 is Beijing's and Chongqing's
        facts.site("营业管理部")
    assert facts.site("河南省分行").key == "zhengzhou"
    assert facts.site("zhengzhou").authority_on("2023-08-18", facts.reform_date) == "中国人民银行河南省分行"
    assert facts.site("zhengzhou").authority_on("2023-08-17", facts.reform_date) == "中国人民银行郑州中心支行"


# -- crawls of the mirror, in their own process -----------------------------------------------------------------------

def crawl(base_url: str, archive_dir, *extra: str):
    return run_regkb("crawl", "pboc", "--base-url", base_url, "--branch", "head_office,shanghai", "--delay", "0",
                     "--archive", str(archive_dir), "--log-level", "WARNING", *extra)


def test_crawl_of_the_mirror_archives_every_attachment(tmp_path):
    with_mirror = sources.mirror().start()
    try:
        result = crawl(with_mirror.base_url, tmp_path / "archive")
        again = crawl(with_mirror.base_url, tmp_path / "archive")
    finally:
        with_mirror.stop()
    assert result.returncode == 0, result.stderr
    archive = Archive(tmp_path / "archive")
    try:
        documents = list(archive.documents("pboc"))
        kinds = sorted(f.url.rsplit(".", 1)[-1] for f in documents)
    finally:
        archive.close()
    # two head-office pages and the PDF one links; eight Shanghai attachments
    assert kinds == ["doc", "docx", "et", "html", "html", "pdf", "pdf", "wps", "xls", "xlsx", "zip"]
    assert "0 documents fetched" in again.stdout and again.returncode == 0


def test_a_challenged_crawl_fails_naming_the_url_and_what_to_do(tmp_path):
    walled = sources.mirror(challenge=True).start()
    try:
        result = crawl(walled.base_url, tmp_path / "archive")
    finally:
        walled.stop()
    assert result.returncode == 1
    assert "/fzhshanghai/113577/114832/114918/14681/index1.html" in result.stderr
    assert "anti-bot challenge" in result.stderr and "--browser" in result.stderr
    assert "0 documents in the archive" in result.stdout


@pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
def test_browser_passes_the_stand_in_challenge(tmp_path):
    walled = sources.mirror(challenge=True).start()
    try:
        result = crawl(walled.base_url, tmp_path / "archive", "--browser")
    finally:
        walled.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    archive = Archive(tmp_path / "archive")
    try:
        assert len(list(archive.documents("pboc"))) == 11   # two head-office pages, their PDF, eight Shanghai files
        challenged = [f for f in archive.fetches(verdict="blocked")]
        assert challenged and all("passed in Chromium" in f.reason for f in challenged)
    finally:
        archive.close()
    # the pages were had in the end: the challenges are kept in the archive, not quarantined
    from db.build import build

    report = build(tmp_path / "archive", tmp_path / "regkb.db")
    assert report.decisions == 26
    # no challenge is quarantined; the scan is, where no OCR engine is installed to read it, and the .doc and .wps
    # where LibreOffice is not
    assert len(report.quarantine_reasons) == DEMO_QUARANTINED_FETCHES
    assert all("needs OCR" in reason or "soffice is not installed" in reason for reason in report.quarantine_reasons)


def test_an_unknown_branch_is_refused_with_the_known_ones():
    result = run_regkb("crawl", "pboc", "--branch", "atlantis")
    assert result.returncode == 2 and "no pboc site 'atlantis'" in result.stderr and "shanghai" in result.stderr


def test_an_attachment_that_failed_is_asked_for_again(archive):
    # a first crawl fetched the 2026 page but its PDF answered HTTP 500
    spider = make_spider(archive)
    listing_page = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/index.html").read_bytes()
    out = list_page(spider, archive, "head_office", "/zhengwugongkai/4081330/4081344/4081407/4081705/index.html",
                    listing_page)
    page = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/index.html").read_bytes()
    attachment, = [r for r in spider.parse_detail(answered(archive, out[0], page)) if isinstance(r, scrapy.Request)]
    list(spider.parse_attachment(answered(archive, attachment, b"<html>500</html>", status=500)))
    assert "asked for again" in spider.problems[-1].hint
    # the next crawl: the page is archived, its attachment is not, so the attachment is requested again
    again = make_spider(archive)
    out = list_page(again, archive, "head_office", "/zhengwugongkai/4081330/4081344/4081407/4081705/index.html",
                    listing_page)
    assert [r.url for r in out if r.meta["doc_id"] == attachment.meta["doc_id"]] == [attachment.url]
    assert again.tally["attachments_retried"] == 1


def test_a_pager_that_points_back_ends_the_list(archive):
    # a last page whose 下一页 carries its own address again (a placeholder some sites forget)
    body = (SITE / "fzhshanghai/113577/114832/114918/14681/index1.html").read_bytes().decode("gb18030")
    body = body.replace("/fzhshanghai/113577/114832/114918/14681/index2.html",
                        "/fzhshanghai/113577/114832/114918/14681/index1.html").replace('totalpage="2"', 'totalpage="3"')
    spider = make_spider(archive)
    out = list_page(spider, archive, "shanghai", "/fzhshanghai/113577/114832/114918/14681/index1.html",
                    body.encode("utf-8"))
    assert not [r for r in out if r.meta["kind"] == "list"]


def test_a_gb2312_detail_page_is_read_as_gb2312():
    # the head office's 2025 page (its table inline), saved as GB2312 as branch pages are
    from sources.pboc.document import read as read_pboc

    page = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/5860077/index.html").read_text(encoding="utf-8")
    page = page.replace("charset=utf-8", "charset=gb2312")
    analyses = read_pboc(page.encode("gb18030"), doc_id="5860077", listing={"branch": "head_office"}).analyses
    assert [a.decision.decision_no for a in analyses] == [f"银罚决字〔2025〕{n}号" for n in range(31, 39)]
    assert analyses[0].decision.parties[0].name == "浙商银行股份有限公司"


def test_when_the_browser_cannot_pass_the_crawl_says_why(tmp_path):
    import asyncio

    from scrapy.utils.test import get_crawler

    from crawler.challenge import BrowserUnavailable
    from crawler.middlewares import BrowserChallengeMiddleware

    class NoChromium:
        async def pass_challenge(self, url):
            raise BrowserUnavailable("--browser needs Chromium: apt-get install chromium (no browser is downloaded)")

    crawler = get_crawler(PbocSpider, {"REGKB_BROWSER": True, "REGKB_ARCHIVE_DIR": str(tmp_path / "archive")})
    crawler.spider = spider = PbocSpider.from_crawler(crawler, base_url=BASE)
    middleware = BrowserChallengeMiddleware.from_crawler(crawler)
    middleware.session = NoChromium()
    site = spider.facts.site("tianjin")
    request = spider.list_request(site, "tianjin#1", site.lists[0], 1, BASE + TIANJIN_LIST)
    response = answered(spider.archive, request, STANDIN_CHALLENGE)
    assert asyncio.run(middleware.process_response(request, response)) is response   # handed on, not retried
    assert list(spider.parse_list(response)) == []
    problem, = spider.problems
    assert "anti-bot challenge" in problem.reason and problem.hint.startswith("--browser could not pass it")
    assert "apt-get install chromium" in problem.hint


# -- paging, decoding and the title gate (issue 12) -----------------------------------------------------------------

HEAD_LIST = "/zhengwugongkai/4081330/4081344/4081407/4081705/index.html"
SHENZHEN_LIST = "/shenzhen/122811/122833/122840/15142/index1.html"
# the meta element as the head office's pages write it, declaring what a branch page is written in
GB2312_META = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'


def next_lists(out) -> list[str]:
    return [r.url for r in out if isinstance(r, scrapy.Request) and r.meta["kind"] == "list"]


def test_head_office_pages_after_the_first_by_the_module_id(archive):
    # the demo's head office page (its real moduleid d80f41dc52fb…), counting three pages; 下一页 carries no address
    body = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/index.html").read_text(encoding="utf-8")
    body = body.replace('totalpage="1"', 'totalpage="3"').encode("utf-8")
    spider = make_spider(archive)
    assert next_lists(list_page(spider, archive, "head_office", HEAD_LIST, body)) == [
        BASE + "/zhengwugongkai/4081330/4081344/4081407/4081705/d80f41dc/index2.html"]
    page2 = "/zhengwugongkai/4081330/4081344/4081407/4081705/d80f41dc/index2.html"
    assert next_lists(list_page(make_spider(archive), archive, "head_office", page2, body, page=2)) == [
        BASE + "/zhengwugongkai/4081330/4081344/4081407/4081705/d80f41dc/index3.html"]
    page3 = "/zhengwugongkai/4081330/4081344/4081407/4081705/d80f41dc/index3.html"
    assert next_lists(list_page(make_spider(archive), archive, "head_office", page3, body, page=3)) == []


def test_a_gb2312_page_served_as_iso_8859_1_is_decoded_by_its_meta(archive):
    # the Shanghai page 1 (GB2312) under the meta that declares it, the HTTP header saying ISO-8859-1
    body = GB2312_META.encode("ascii") + (SITE / "fzhshanghai/113577/114832/114918/14681/index1.html").read_bytes()
    spider = make_spider(archive)
    out = list_page(spider, archive, "shanghai", "/fzhshanghai/113577/114832/114918/14681/index1.html", body,
                    content_type="text/html; charset=ISO-8859-1")
    assert next_lists(out) == [BASE + "/fzhshanghai/113577/114832/114918/14681/index2.html"]   # 下一页 read
    titles = [archive.listing("pboc", r.meta["doc_id"])["title"] for r in out if r.meta["kind"] == "document"]
    assert titles[0] == "中国人民银行上海分行行政处罚信息公示表（20150204、20150528）"


def test_an_empty_list_served_as_iso_8859_1_reads_as_empty_not_broken(archive):
    # the real Tianjin pager with no rows: 共0条, the GB2312 page declared ISO-8859-1 in the header
    fragment = FRAGMENT.decode("utf-8")
    pager = fragment[fragment.index("<tr> \n   <td style=\"line-height"):fragment.index("<input")]
    body = (GB2312_META + pager.replace("共10条", "共0条") + "</body></html>").encode("gb18030")
    spider = make_spider(archive)
    assert list_page(spider, archive, "tianjin", TIANJIN_LIST, body,
                     content_type="text/html; charset=ISO-8859-1") == []
    assert not spider.problems


def test_rows_that_are_not_decisions_are_counted_not_fetched(archive):
    # the real Tianjin list with one row retitled as the 行政许可 table a list also carries
    body = FRAGMENT.decode("utf-8").replace(
        'title="中国人民银行天津分行行政处罚信息公示表-违反《征信业管理条例》规定（20171213）"',
        'title="中国人民银行天津分行行政许可信息公示表（20171213）"').encode("utf-8")
    spider = make_spider(archive)
    out = list_page(spider, archive, "tianjin", TIANJIN_LIST, body)
    assert len([r for r in out if r.meta["kind"] == "document"]) == 9
    assert "3442611" not in [r.meta["doc_id"] for r in out]
    assert spider.tally["rows_not_decisions"] == 1 and not spider.problems


def test_an_attachment_named_as_the_list_of_penalty_items_is_not_fetched(archive):
    page = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/index.html").read_text(
        encoding="utf-8")
    link = re.search(r'<a href="[^"]+\.pdf"[^>]*>([^<]*)</a>', page)
    page = page.replace(link.group(0), link.group(0).replace(f">{link[1]}<", ">中国人民银行行政处罚项目表<"))
    spider = make_spider(archive)
    listing = (SITE / "zhengwugongkai/4081330/4081344/4081407/4081705/index.html").read_bytes()
    detail = list_page(spider, archive, "head_office", HEAD_LIST, listing)[0]
    produced = list(spider.parse_detail(answered(archive, detail, page.encode("utf-8"))))
    assert not [r for r in produced if isinstance(r, scrapy.Request)]
    assert spider.tally["rows_not_decisions"] == 1


def test_a_pager_that_links_by_href_is_followed(archive):
    # Chongqing's 下一页 carries its address in href, not tagname (xxxoast/pbc_crawler's special case for it):
    # the real Tianjin pager with its 下一页 written so
    body = FRAGMENT.decode("utf-8").replace(
        '<a tagname="[NEXTPAGE]" class="">下一页</a>',
        '<a href="/chongqing/107680/107897/107909/8000/index2.html" class="">下一页</a>').replace(
        'totalpage="1"', 'totalpage="2"').encode("utf-8")
    out = list_page(make_spider(archive), archive, "chongqing", "/chongqing/107680/107897/107909/8000/index1.html",
                    body)
    assert next_lists(out) == [BASE + "/chongqing/107680/107897/107909/8000/index2.html"]


# -- the Shenzhen list (shared/corpus/pboc/shenzhen_penalty_list_fragment_2018.html, as recorded) --------------------

SHENZHEN = (responses("pboc") / "shenzhen_penalty_list_fragment_2018.html").read_bytes()


def test_the_shenzhen_copy_matches_the_shared_corpus():
    assert SHENZHEN == (needs_shared_corpus() / "pboc" / "shenzhen_penalty_list_fragment_2018.html").read_bytes()


def test_shenzhen_rows_link_detail_pages_and_each_is_asked_for(archive):
    spider = make_spider(archive)
    out = list_page(spider, archive, "shenzhen", SHENZHEN_LIST, SHENZHEN)
    documents = [r for r in out if r.meta["kind"] == "document"]
    # 2018年第51期 … 第42期, newest first, each its own detail page
    assert [r.meta["doc_id"] for r in documents] == ["3504041", "3501264", "3501254", "3501243", "3501235",
                                                     "3501205", "3500457", "3497277", "3497272", "3497267"]
    assert all(r.callback == spider.parse_detail for r in documents)
    assert documents[0].url == BASE + "/shenzhen/122811/122833/122840/3504041/index.html"
    first = archive.listing("pboc", "3504041")
    assert first["title"] == "中国人民银行深圳市中心支行行政处罚公示表（2018年第51期）"
    assert first["published"] == "2018-03-22" and first["branch"] == "shenzhen"
    assert archive.listing("pboc", "3497267")["published"] == "2018-03-12"
    # 下一页 carries page 2 in href and tagname; 共<b>427</b>条 分<b>43</b>页
    assert next_lists(out) == [BASE + "/shenzhen/122811/122833/122840/15142/index2.html"]
    assert spider._totals["shenzhen#1"] == {427}


# -- discovery: home page → 公开目录 → 行政处罚 (the walk of xxxoast/pbc_crawler get_punishment_urls.py) ----------------
# The pages below are assembled: the link words are the ones that scraper follows on the real sites; the 公开目录's
# address was not recorded and is the fixture's (/fzhtianjin/113682/index.html); the column's is the real list's.

def discovery_answer(spider, archive, request, links: str):
    body = f'{GB2312_META}<table><tr><td>{links}</td></tr></table></body></html>'.encode("gb18030")
    return answered(archive, request, body, content_type="text/html; charset=ISO-8859-1")


def walk_to_catalogue(archive, column_links: str):
    spider = PbocSpider(branch="tianjin")   # the real hosts: discovery starts at each site's home page
    spider.archive = archive
    home, = spider.discovery_requests()
    assert home.url == "http://tianjin.pbc.gov.cn/"
    catalogue, = spider.parse_home(discovery_answer(
        spider, archive, home, '<a href="/fzhtianjin/113682/index.html">政务公开目录</a><a href="/x">新闻</a>'))
    assert catalogue.url == "http://tianjin.pbc.gov.cn/fzhtianjin/113682/index.html"
    assert list(spider.parse_catalogue(discovery_answer(spider, archive, catalogue, column_links))) == []
    return spider


def test_a_column_among_the_known_lists_is_no_change(archive):
    spider = walk_to_catalogue(archive, '<a href="/fzhtianjin/113682/113700/113707/10983/index.html">行政处罚</a>')
    assert spider.discoveries == [] and spider.tally["lists_checked"] == 1 and not spider.problems


def test_a_column_elsewhere_has_appeared(archive):
    spider = walk_to_catalogue(archive, '<a href="/fzhtianjin/113682/113700/5600001/index.html">行政处罚公示</a>')
    discovery, = spider.discoveries
    assert (discovery.change, discovery.list_id) == ("appeared", "/fzhtianjin/113682/113700/5600001/")
    assert discovery.name == "中国人民银行天津分行 行政处罚公示"


def test_a_catalogue_without_the_column_has_vanished(archive):
    spider = walk_to_catalogue(archive, '<a href="/fzhtianjin/113682/113700/113701/index.html">行政许可</a>')
    discovery, = spider.discoveries
    assert discovery.change == "vanished" and discovery.where.endswith("/fzhtianjin/113682/index.html")


def test_on_a_mirror_discover_checks_each_lists_first_page(archive):
    spider = make_spider(archive, branch="shanghai", discover=True)
    check, = spider.discovery_requests()   # no home page: a mirror serves every site at one root
    assert check.url == BASE + "/fzhshanghai/113577/114832/114918/14681/index1.html"
    spider.check_list(answered(archive, check, b"<html>404</html>", status=404))
    assert [d.change for d in spider.discoveries] == ["vanished"]


def test_a_list_removed_from_the_mirror_is_reported_as_vanished(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_corpus("pboc"), corpus / "pboc")
    (corpus / "pboc" / "site/fzhshanghai/113577/114832/114918/14681/index1.html").unlink()
    with_mirror = sources.mirror(corpus).start()
    try:
        result = crawl(with_mirror.base_url, tmp_path / "archive", "--discover")
    finally:
        with_mirror.stop()
    assert result.returncode == 1
    assert "list /fzhshanghai/113577/114832/114918/14681/index{page}.html (shanghai#1) vanished" in result.stderr


# -- archives a list links: fetched, archived, then read or quarantined with the reason -----------------------------

def test_zip_rar_and_ofd_links_are_fetched_and_each_is_read_or_quarantined(archive):
    import io
    import zipfile

    from pipeline.extract import extract_fetches

    # the real Tianjin list, three rows' attachments published as .zip, .rar and .ofd
    body = FRAGMENT.decode("utf-8")
    for old, new in (("（20180211）.docx", "（20180211）.zip"), ("（20180211）.doc", "（20180211）.rar"),
                     ("（20180207）.doc", "（20180207）.ofd")):
        assert old in body
        body = body.replace(old, new, 1)
    spider = make_spider(archive)
    out = [r for r in list_page(spider, archive, "tianjin", TIANJIN_LIST, body.encode("utf-8"))
           if r.meta["kind"] == "document"]
    by_suffix = {r.url.rsplit(".", 1)[-1]: r for r in out}
    assert {"zip", "rar", "ofd"} <= set(by_suffix)
    assert all(by_suffix[s].callback == spider.parse_attachment for s in ("zip", "rar", "ofd"))
    # the zip holds the demo's real Shanghai workbook; the RAR a signature; the OFD its entry point
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zipped:
        zipped.writestr("公示表.xlsx", (demo_corpus("pboc") / "attachments" / "shanghai_2015.xlsx").read_bytes())
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as zipped:
        zipped.writestr("OFD.xml", b"<ofd:OFD/>")
    bodies = {"zip": packed.getvalue(), "rar": b"Rar!\x1a\x07\x01\x00" + bytes(32), "ofd": ofd.getvalue()}
    fetches = []
    for suffix, data in bodies.items():
        items = list(spider.parse_attachment(answered(archive, by_suffix[suffix], data,
                                                      content_type="application/octet-stream")))
        assert items and items[0]["doc_id"] == by_suffix[suffix].meta["doc_id"]   # archived as ok
        fetches.append(archive.fetch(by_suffix[suffix].meta["fetch_id"]))
    zip_read, rar_read, ofd_read = extract_fetches(archive, fetches)
    assert zip_read.quarantined is None
    assert [a.decision.decision_no for a in zip_read.analyses][:2] == ["上海银罚字[2015]2号", "上海银罚字[2015]3号"]
    assert "no RAR reader" in rar_read.quarantined.reason and "unar" in rar_read.quarantined.reason
    assert "OFD" in ofd_read.quarantined.reason and ofd_read.quarantined.stage == "extract"
