"""Nothing is fetched but the source's own pages: a link to a local file or another host is refused and reported,
whatever asked for it; a redirect is followed only onto the source's hosts; no request waits for ever.

The attack these reproduce: a PBOC detail page (its sites are crawled over plain http, so anyone on the path can
inject links) linking ``file:///…/secret.xlsx`` made a local file into five published decisions, and a link to an
internal address was fetched and archived.
"""

from __future__ import annotations

import json
import shutil
from urllib.parse import unquote

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

import sources
from crawler.archive import Archive
from crawler.middlewares import LinkPolicyMiddleware, SameSiteRedirectMiddleware
from crawler.run import scrapy_settings
from sources.pboc.spider import PbocSpider
from tests.conftest import archived_response, demo_corpus, run_regkb

BASE = "http://127.0.0.1:9"
HEAD_OFFICE = "/zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/index.html"
HOSTILE_LINKS = ['<a href="file:///etc/regkb-secret.xlsx">附件1.xlsx</a>',
                 '<a href="http://10.0.0.5/internal/report.xlsx">附件2.xlsx</a>',
                 '<a href="http://169.254.169.254/latest/meta-data.xls">附件3.xls</a>',
                 '<a href="https://evil.example/payload.docx">附件4.docx</a>']


def hostile_page() -> bytes:
    """The real-layout head-office page of 银罚决字〔2026〕104-116号, its attachment list given four hostile links."""
    page = (demo_corpus("pboc") / "site" / HEAD_OFFICE.lstrip("/")).read_text(encoding="utf-8")
    marker = "银罚决字〔2026〕104-116号.pdf</a>"
    assert marker in page
    return page.replace(marker, marker + "".join(HOSTILE_LINKS), 1).encode("utf-8")


def detail_request(spider) -> scrapy.Request:
    return spider.document_request(BASE + HEAD_OFFICE, "2026092418294123383", "head_office", "head_office#1",
                                   spider.parse_detail)


def test_a_page_linking_local_files_and_other_hosts_gets_only_its_own_attachment(archive):
    spider = PbocSpider(base_url=BASE)
    spider.archive = archive
    out = list(spider.parse_detail(archived_response(archive, detail_request(spider), hostile_page(),
                                                     source="pboc")))
    requested = [r.url for r in out if isinstance(r, scrapy.Request)]
    assert len(requested) == 1 and requested[0].startswith(BASE) and requested[0].endswith(".pdf")
    refused = sorted(problem.url for problem in spider.problems)
    assert refused == sorted(["file:///etc/regkb-secret.xlsx", "http://10.0.0.5/internal/report.xlsx",
                              "http://169.254.169.254/latest/meta-data.xls", "https://evil.example/payload.docx"])
    assert all("not followed" in p.reason or "not one of the pboc sites' hosts" in p.reason for p in spider.problems)
    # and none is remembered as an attachment to ask for again
    assert [unquote(row["url"]) for row in archive.missing_attachments("pboc", "2026092418294123383")] == \
        [unquote(url) for url in requested]


def test_the_real_sites_hosts_are_allowed_and_nothing_else():
    spider = PbocSpider()
    assert spider.refusal("http://shanghai.pbc.gov.cn/fzhshanghai/resource/cms/2015/06/x.xlsx") is None
    assert spider.refusal("http://www.pbc.gov.cn/zhengwugongkai/index.html") is None
    for url in ("file:///etc/passwd", "ftp://www.pbc.gov.cn/x.xls", "http://127.0.0.1/x.xls",
                "http://localhost:8001/regkb.db", "http://pbc.gov.cn.evil.example/x.xls", "javascript:alert(1)"):
        assert spider.refusal(url), url


def test_with_a_base_url_only_its_host_and_port_are_asked():
    spider = PbocSpider(base_url="http://127.0.0.1:8765")
    assert spider.refusal("http://127.0.0.1:8765/fzhshanghai/x.xlsx") is None
    assert spider.refusal("http://127.0.0.1:8766/x.xlsx") and spider.refusal("http://shanghai.pbc.gov.cn/x.xlsx")


def test_every_request_goes_through_the_policy():
    spider = PbocSpider(base_url=BASE)
    middleware = LinkPolicyMiddleware(_Crawler(spider, None))
    assert middleware.process_request(scrapy.Request(BASE + "/ok.html")) is None
    with pytest.raises(IgnoreRequest):
        middleware.process_request(scrapy.Request("http://10.0.0.5/x.xlsx", meta={"item_id": "x"}))
    assert spider.problems[0].url == "http://10.0.0.5/x.xlsx" and spider.tally["links_refused"] == 1


class _Crawler:
    def __init__(self, spider, archive):
        self.spider = spider
        self._regkb_archive = archive


def test_a_redirect_is_followed_on_the_sources_hosts_only(tmp_path):
    spider = PbocSpider()
    archive = Archive(tmp_path / "archive")
    middleware = SameSiteRedirectMiddleware(_Crawler(spider, archive))
    request = scrapy.Request("http://www.pbc.gov.cn/a.html", meta={"kind": "document", "doc_id": "1"})
    moved = Response(request.url, status=301, headers={"Location": "https://www.pbc.gov.cn/a.html"}, request=request)
    followed = middleware.process_response(request, moved)
    assert isinstance(followed, scrapy.Request) and followed.url == "https://www.pbc.gov.cn/a.html"
    assert followed.meta["doc_id"] == "1" and followed.meta["redirect_hops"] == 1
    away = Response(request.url, status=302, headers={"Location": "http://10.0.0.5/a.html"}, request=request)
    assert middleware.process_response(request, away) is away   # reaches the spider, which reports the status
    archive.close()


def test_no_request_waits_for_ever():
    facts = sources.load_source("pboc")
    assert scrapy_settings(facts.politeness, "archive").getfloat("DOWNLOAD_TIMEOUT") == 30
    assert scrapy_settings(facts.politeness, "archive", timeout=5).getfloat("DOWNLOAD_TIMEOUT") == 5


def test_a_crawl_of_a_page_injecting_links_archives_none_of_them(tmp_path):
    """The attack end to end: the mirror serves the head office with a detail page linking a local file (which exists)
    and an internal address; the real spider, in its own process, archives neither and says so."""
    secret = tmp_path / "regkb-secret.xlsx"
    shutil.copyfile(demo_corpus("pboc") / "attachments" / "shanghai_2015.xlsx", secret)
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_corpus("pboc"), corpus / "pboc")
    page = corpus / "pboc" / "site" / HEAD_OFFICE.lstrip("/")
    page.write_bytes(hostile_page().replace(b"file:///etc/regkb-secret.xlsx", secret.as_uri().encode()))
    server = sources.mirror(corpus).start()
    try:
        result = run_regkb("crawl", "pboc", "--base-url", server.base_url, "--branch", "head_office", "--delay", "0",
                           "--backoff", "0", "--archive", str(tmp_path / "archive"), "--log-level", "ERROR")
    finally:
        server.stop()
    assert result.returncode == 1 and secret.as_uri() in result.stderr and "10.0.0.5" in result.stderr
    archive = Archive(tmp_path / "archive")
    urls = [fetch.url for fetch in archive.fetches()]
    archive.close()
    assert not any(url.startswith(("file:", "http://10.", "http://169.254", "https://evil")) for url in urls)
    assert any(url.endswith("104-116号.pdf") or "104-116" in url for url in urls)
    assert secret.read_bytes()[:2] == b"PK" and not any(json.dumps(url).count("secret") for url in urls)
